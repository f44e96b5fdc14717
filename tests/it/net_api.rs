//! REST against the built-in server on loopback: login and session reuse, the 0600 session
//! file, a 401 surfacing as `Unauthorized`, logout (also offline), 429 `Retry-After`, 5xx
//! retries, and a retried send that must not post twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use gilt::api::{self, ApiClient, ApiError, MessageQuery, NewMessage, SessionCookies};
use gilt::protocol::ChannelId;
use gilt::protocol::content::{ResolvedMention, RichText};
use gilt::server::RestFault;
use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::net::{fast_policy, login, server};
use crate::support::temp_dir;

fn text(s: &str) -> RichText {
    gilt::protocol::content::from_markdown(s, &|_: &str| None::<ResolvedMention>)
}

#[tokio::test]
async fn login_saves_a_private_session_that_is_reused_without_a_password() {
    let server = server().await;
    let (client, me) = login(&server).await;
    assert_eq!(me.user.id.as_str(), server.world().demo_user_id);
    assert!(!me.teams.is_empty());
    let session = client.session();
    assert!(session.is_logged_in());
    assert_eq!(session.client_id().unwrap().len(), 32);

    let dir = temp_dir("net");
    let path = dir.join("gilt").join("session.json");
    session.save(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "session file mode");
    }
    // The file holds the cookie, not the password.
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("hmac_signed_session"));
    assert!(!saved.contains(&server.credentials().1));

    // Next start: no password, same user.
    let (resumed, me_again) = api::resume(&server.api_url(), &path)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(me_again.user.id, me.user.id);
    assert_eq!(resumed.session().client_id(), session.client_id());
    // A saved session for another server is not used.
    assert!(
        api::resume("http://localhost:1/api", &path)
            .await
            .unwrap()
            .is_none()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn wrong_password_is_a_clear_error() {
    let server = server().await;
    let (email, _) = server.credentials();
    let err = api::login(
        &server.api_url(),
        &email,
        SecretString::from("nope".to_owned()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ApiError::BadCredentials(_)), "{err:?}");
    assert!(err.to_string().starts_with("login refused"), "{err}");
}

#[tokio::test]
async fn a_revoked_session_surfaces_as_unauthorized_and_logout_cleans_up() {
    let server = server().await;
    let (client, _) = login(&server).await;
    let dir = temp_dir("net");
    let path = dir.join("session.json");
    client.session().save(&path).unwrap();

    // Another copy of the same session logs out (as `gilt logout` from another terminal).
    let (other, _) = api::resume(&server.api_url(), &path)
        .await
        .unwrap()
        .unwrap();
    let outcome = api::logout(&other, &path).await.unwrap();
    assert_eq!(outcome.server_error, None);
    assert!(!path.exists(), "logout removes the session file");
    assert!(!other.session().is_logged_in());

    // The first client still holds the cookie; the server refuses it: log in again.
    let err = client.me().await.unwrap_err();
    assert_eq!(err, ApiError::Unauthorized);
    assert!(err.is_unauthorized());
    assert_eq!(err.to_string(), "session expired: log in again");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn logout_succeeds_locally_when_the_server_is_gone() {
    let server = server().await;
    let (client, _) = login(&server).await;
    let dir = temp_dir("net");
    let path = dir.join("session.json");
    client.session().save(&path).unwrap();
    server.shutdown().await;
    let outcome = api::logout(&client, &path).await.unwrap();
    assert!(
        matches!(
            outcome.server_error,
            Some(ApiError::Network(_) | ApiError::Timeout)
        ),
        "{outcome:?}"
    );
    assert!(!path.exists());
    assert!(!client.session().is_logged_in());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn rate_limit_waits_retry_after_then_succeeds() {
    let server = server().await;
    let (client, _) = login(&server).await;
    server.faults().fail_rest(
        RestFault::RateLimited {
            retry_after_secs: 1,
        },
        1,
    );
    let started = Instant::now();
    let me = client.me().await.unwrap();
    assert!(!me.user.id.is_empty());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retried before Retry-After: {:?}",
        started.elapsed()
    );

    // More 429s than the policy accepts: a typed error, not a hang.
    server.faults().fail_rest(
        RestFault::RateLimited {
            retry_after_secs: 0,
        },
        10,
    );
    let err = client.me().await.unwrap_err();
    assert_eq!(err, ApiError::RateLimited);
    assert_eq!(err.status(), Some(429));
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let server = server().await;
    let (client, _) = login(&server).await;
    let policy = fast_policy();

    server
        .faults()
        .fail_rest(RestFault::Status(503), policy.max_retries as usize);
    assert!(client.me().await.is_ok(), "recovered within the retries");

    server
        .faults()
        .fail_rest(RestFault::Status(502), policy.max_retries as usize + 1);
    let err = client.me().await.unwrap_err();
    assert!(
        matches!(err, ApiError::Status { status: 502, .. }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "Injected failure");

    // A 4xx is not retried: the next request is served normally.
    server.faults().fail_rest(RestFault::Status(404), 1);
    assert!(matches!(
        client.me().await.unwrap_err(),
        ApiError::Status { status: 404, .. }
    ));
    assert!(client.me().await.is_ok());
}

/// A proxy that forwards the first connection's request but drops the answer (the server has
/// stored the message; the client sees the connection die), then forwards normally.
/// Returns its address, the number of connections it accepted, and whether an answer was lost.
async fn lossy_proxy(
    upstream: std::net::SocketAddr,
) -> (std::net::SocketAddr, Arc<AtomicUsize>, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let lost = Arc::new(AtomicBool::new(false));
    let (count, lost_answer) = (Arc::clone(&connections), Arc::clone(&lost));
    tokio::spawn(async move {
        let mut first = true;
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            let mut server = TcpStream::connect(upstream).await.unwrap();
            if std::mem::take(&mut first) {
                let lost_answer = Arc::clone(&lost_answer);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    let n = client.read(&mut buf).await.unwrap();
                    server.write_all(&buf[..n]).await.unwrap();
                    // Wait for the server's answer, then lose it.
                    let answer = server.read(&mut buf).await.unwrap_or(0);
                    lost_answer.store(answer > 0, Ordering::SeqCst);
                    drop(client);
                });
            } else {
                tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                });
            }
        }
    });
    (addr, connections, lost)
}

#[tokio::test]
async fn a_send_retried_after_a_lost_answer_posts_once() {
    let server = server().await;
    let (client, _) = login(&server).await;
    let channel = ChannelId::from(server.world().channel("general").unwrap().id.as_str());

    let (proxy, connections, lost) = lossy_proxy(server.addr()).await;
    let via_proxy = ApiClient::with_policy(
        &format!("http://{proxy}/api"),
        client.session().clone(),
        fast_policy(),
    )
    .unwrap();
    let message = NewMessage::new(text("sent once, answered twice"));
    let sent = via_proxy.send_message(&channel, &message).await.unwrap();
    assert_eq!(sent.id, message.message_id);
    assert_eq!(sent.channel_id, channel);
    assert!(
        lost.load(Ordering::SeqCst),
        "the first answer was produced and lost"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 2, "one retry");

    // And an explicit resend of the same message (the UI retrying) is also harmless.
    client.send_message(&channel, &message).await.unwrap();

    let page = client
        .messages(
            &channel,
            &MessageQuery {
                limit: Some(50),
                ..MessageQuery::default()
            },
        )
        .await
        .unwrap();
    let copies = page
        .messages
        .iter()
        .filter(|m| m.id == message.message_id)
        .count();
    assert_eq!(copies, 1);
}

#[tokio::test]
async fn typed_calls_round_trip() {
    let server = server().await;
    let (client, me) = login(&server).await;
    let team = &me.teams[0];
    let channels = client.team_channels(&team.id).await.unwrap();
    assert!(!channels.channels.is_empty());
    let members = client.team_members(&team.id).await.unwrap();
    assert!(members.iter().any(|m| m.id == me.user.id));
    let full = client.team(&team.id).await.unwrap();
    assert_eq!(full.id, team.id);
    let _dms = client.dm_channels(&me.user.id).await.unwrap();

    let channel = ChannelId::from(server.world().channel("general").unwrap().id.as_str());
    let sent = client
        .send_message(&channel, &NewMessage::new(text("hello **there**")))
        .await
        .unwrap();
    client
        .edit_message(&channel, &sent.id, &text("hello again"))
        .await
        .unwrap();
    client
        .add_reaction(&channel, &sent.id, 90_001_815)
        .await
        .unwrap();
    let page = client
        .messages(
            &channel,
            &MessageQuery {
                limit: Some(5),
                after: Some(
                    sent.created_at
                        .checked_sub(jiff::SignedDuration::from_millis(1))
                        .unwrap(),
                ),
                ..MessageQuery::default()
            },
        )
        .await
        .unwrap();
    let stored = page.messages.iter().find(|m| m.id == sent.id).unwrap();
    assert!(stored.edited_at.is_some());
    assert_eq!(stored.reactions.len(), 1);
    client
        .remove_reaction(&channel, &sent.id, 90_001_815)
        .await
        .unwrap();
    client.mark_seen(&channel).await.unwrap();
    client.ping().await.unwrap();
    client.delete_message(&channel, &sent.id).await.unwrap();

    // Someone else's message: the server's refusal becomes a readable error.
    let other = server
        .world()
        .users
        .iter()
        .find(|(id, _)| id.as_str() != me.user.id.as_str())
        .unwrap()
        .0
        .clone();
    let theirs = server
        .post_as(&other, channel.as_str(), "not yours", true)
        .unwrap();
    let err = client
        .delete_message(&channel, &theirs.into())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Status { status: 403, .. }),
        "{err:?}"
    );
    assert!(!err.to_string().is_empty());

    // Ids cannot escape their path segment.
    let err = client.team(&"../me".into()).await.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Status {
                status: 404 | 403,
                ..
            }
        ),
        "{err:?}"
    );
    let _ = SessionCookies::new();
}

/// A prompt that answers from a script and counts how often it was asked.
struct ScriptedPrompt {
    email: String,
    password: String,
    asked: usize,
}

impl api::credentials::Prompt for ScriptedPrompt {
    fn ask(&mut self, _label: &str) -> Result<String, api::CredentialsError> {
        self.asked += 1;
        Ok(self.email.clone())
    }
    fn ask_secret(&mut self, _label: &str) -> Result<SecretString, api::CredentialsError> {
        self.asked += 1;
        Ok(SecretString::from(self.password.clone()))
    }
}

#[tokio::test]
async fn sign_in_asks_once_then_reuses_the_session_until_it_is_revoked() {
    let server = server().await;
    let (email, password) = server.credentials();
    let config = gilt::config::Config {
        api_url: server.api_url(),
        ..gilt::config::Config::default()
    };
    let dir = temp_dir("net");
    let path = dir.join("gilt").join("session.json");
    let mut prompt = ScriptedPrompt {
        email,
        password,
        asked: 0,
    };
    let no_env = |_: &str| None;

    let first = api::sign_in(&config, &path, no_env, &mut prompt)
        .await
        .unwrap();
    assert!(!first.resumed);
    assert_eq!(prompt.asked, 2, "email and password asked");
    assert!(path.exists());

    let second = api::sign_in(&config, &path, no_env, &mut prompt)
        .await
        .unwrap();
    assert!(second.resumed);
    assert_eq!(prompt.asked, 2, "no password the second time");
    assert_eq!(second.me.user.id, first.me.user.id);

    // Revoked on the server: the next start asks again and saves the new session.
    first
        .client
        .logout_request(Duration::from_secs(2))
        .await
        .unwrap();
    let third = api::sign_in(&config, &path, no_env, &mut prompt)
        .await
        .unwrap();
    assert!(!third.resumed);
    assert_eq!(prompt.asked, 4);
    assert!(third.client.me().await.is_ok());

    // A damaged file counts as no session.
    std::fs::write(&path, b"\x00garbage").unwrap();
    let fourth = api::sign_in(&config, &path, no_env, &mut prompt)
        .await
        .unwrap();
    assert!(!fourth.resumed);

    // `gilt logout`: server told, file gone; a second logout has nothing to do.
    let outcome = api::logout_saved(&config.api_url, &path)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome.server_error, None);
    assert!(!path.exists());
    assert!(
        api::logout_saved(&config.api_url, &path)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        fourth.client.me().await.unwrap_err(),
        ApiError::Unauthorized
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn an_oversized_answer_is_refused_not_buffered() {
    use axum::body::Body;
    use futures_util::stream;
    let app = axum::Router::new()
        .route(
            "/api/me",
            axum::routing::get(|| async { vec![b' '; 33 << 20] }),
        )
        .route(
            "/api/users/me/ping",
            axum::routing::put(|| async {
                // No Content-Length: 1 MiB chunks until the client gives up.
                let chunks =
                    stream::iter((0..64).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1 << 20])));
                Body::from_stream(chunks)
            }),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = ApiClient::with_policy(&url, SessionCookies::new(), fast_policy()).unwrap();
    let err = client.me().await.unwrap_err();
    assert!(matches!(err, ApiError::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("larger than 32 MiB"), "{err}");
    let err = client.ping().await.unwrap_err();
    assert!(matches!(err, ApiError::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn channel_lists_carry_unread_maps_that_reading_clears() {
    let server = server().await;
    let (client, me) = login(&server).await;
    let world = server.world();
    let general = world.channel("general").unwrap();
    let channel = ChannelId::from(general.id.as_str());
    let team = general.team_id.clone().unwrap();
    let ada = world.user_id("ada").unwrap().to_owned();
    let badges = |r: &gilt::protocol::models::TeamChannelsResponse| {
        r.badged_channel_content_by_channel_id
            .clone()
            .expect("the built-in server always sends the map")
    };
    let before = badges(&client.team_channels(&team.as_str().into()).await.unwrap());
    assert!(!before.contains_key(channel.as_str()), "{before:?}");
    for text in ["one", "two, @everyone"] {
        server.post_as(&ada, channel.as_str(), text, true).unwrap();
    }
    // My own messages are never unread.
    server
        .post_as(me.user.id.as_str(), channel.as_str(), "mine", true)
        .unwrap();
    let after = badges(&client.team_channels(&team.as_str().into()).await.unwrap());
    let badge = after[channel.as_str()];
    assert_eq!((badge.count, badge.mentions), (2, 1));
    client.mark_seen(&channel).await.unwrap();
    let read = badges(&client.team_channels(&team.as_str().into()).await.unwrap());
    assert!(!read.contains_key(channel.as_str()), "{read:?}");
    // The DM list carries its map too.
    let dms = client.dm_channels_response(&me.user.id).await.unwrap();
    assert!(dms.unread_info_by_channel_id.is_some());

    // The start-up load reads the same maps from the lists it fetches anyway: the counts
    // come with the data, so the reducer asks for nothing more.
    server
        .post_as(&ada, channel.as_str(), "three", true)
        .unwrap();
    let msgs = gilt::runtime::load::initial(client.clone(), me).await;
    let Some(gilt::app::Msg::Loaded(data)) = msgs.first() else {
        panic!("{msgs:?}")
    };
    let unread = data.unread.as_ref().expect("the load read the unread maps");
    assert_eq!(
        unread.get(&channel),
        Some(&gilt::app::UnreadCount {
            unread: 1,
            mentions: 0
        })
    );
    // Every channel of a list with a map is listed, read ones at zero.
    let random = ChannelId::from(world.channel("random").unwrap().id.as_str());
    assert_eq!(
        unread.get(&random),
        Some(&gilt::app::UnreadCount::default())
    );
}
