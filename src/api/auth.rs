//! Logging in (`POST /login` → the `hmac_signed_session` and `guilded_mid` cookies), resuming
//! a saved session, and logging out.
//!
//! Rule: the password goes into exactly one request body (zeroed afterwards) and nowhere
//! else; logout always succeeds locally, whatever the server says.

use std::path::Path;
use std::time::Duration;

use reqwest::Method;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::client::{ApiClient, Body, decode};
use super::error::ApiError;
use super::retry::RetryPolicy;
use super::session::{SessionCookies, SessionFileError, remove_session_file};
use crate::protocol::models::Me;

/// How long logout waits for the server before giving up on it.
pub const LOGOUT_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginBody<'a> {
    email: &'a str,
    password: &'a str,
    /// Ask for the full `/me` body in the answer, as other clients do (docs/PROTOCOL.md).
    get_me: bool,
}

/// The login body, built in one zeroized buffer sized up front so that it never grows: a
/// growing `Vec` would leave copies of the password behind in the memory it frees.
fn login_body(email: &str, password: &SecretString) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    let password = password.expose_secret();
    // JSON escapes a byte as at most six (`\u001f`); the rest is the fixed frame.
    let capacity = (email.len() + password.len()) * 6 + 64;
    let mut json = Zeroizing::new(Vec::with_capacity(capacity));
    serde_json::to_writer(
        &mut *json,
        &LoginBody {
            email,
            password,
            get_me: true,
        },
    )
    .map_err(|e| ApiError::Decode(format!("cannot encode the login: {e}")))?;
    Ok(json)
}

/// Log in with email and password. On success the returned session holds the cookies (save
/// it with [`SessionCookies::save`]) and `Me` is the user with their teams.
pub async fn login(
    api_url: &str,
    email: &str,
    password: SecretString,
) -> Result<(SessionCookies, Me), ApiError> {
    login_with_policy(api_url, email, password, RetryPolicy::default()).await
}

/// [`login`] with explicit timeouts and retry limits.
pub async fn login_with_policy(
    api_url: &str,
    email: &str,
    password: SecretString,
    policy: RetryPolicy,
) -> Result<(SessionCookies, Me), ApiError> {
    let session = SessionCookies::new();
    let client = ApiClient::with_policy(api_url, session.clone(), policy)?;
    let body = Body::secret_json(login_body(email, &password)?);
    drop(password);
    let answer = client
        .send(Method::POST, client.url(&["login"]), &body)
        .await;
    drop(body);
    let bytes = match answer {
        Ok(bytes) => bytes,
        Err(ApiError::Unauthorized) => {
            return Err(ApiError::BadCredentials("wrong email or password".into()));
        }
        Err(ApiError::Status {
            status: 400 | 403,
            message,
            ..
        }) => return Err(ApiError::BadCredentials(message)),
        Err(e) => return Err(e),
    };
    if !session.is_logged_in() {
        return Err(ApiError::NoSessionCookie);
    }
    // The login answer is the `/me` body when `getMe` was honoured; otherwise ask for it.
    let me = match decode::<Me>(&bytes) {
        Ok(me) if !me.user.id.is_empty() => me,
        _ => client.me().await?,
    };
    Ok((session, me))
}

/// Resume the session saved at `path` for `api_url`: `Ok(None)` when there is none (or it is
/// for another server), `Err(Unauthorized)` when the server no longer accepts it.
pub async fn resume(api_url: &str, path: &Path) -> Result<Option<(ApiClient, Me)>, ResumeError> {
    let Some(session) = SessionCookies::load(path)? else {
        return Ok(None);
    };
    let client = ApiClient::new(api_url, session)?;
    if !client.session().is_logged_in_to(client.api_url()) {
        return Ok(None);
    }
    let me = client.me().await?;
    Ok(Some((client, me)))
}

/// Why a saved session could not be resumed.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    #[error(transparent)]
    File(#[from] SessionFileError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

/// What logout managed to do. The local part always happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutOutcome {
    /// The server confirmed `POST /logout`; `Some(error)` when it could not be told.
    pub server_error: Option<ApiError>,
}

/// Log out: tell the server (`POST /logout`, one attempt, short timeout), then forget the
/// cookies and delete the session file whatever the server said.
pub async fn logout(
    client: &ApiClient,
    session_file: &Path,
) -> Result<LogoutOutcome, SessionFileError> {
    let server_error = if client.session().is_logged_in() {
        client.logout_request(LOGOUT_TIMEOUT).await.err()
    } else {
        None
    };
    client.session().clear();
    remove_session_file(session_file)?;
    Ok(LogoutOutcome { server_error })
}

/// A ready client and who is logged in.
#[derive(Debug)]
pub struct SignedIn {
    pub client: ApiClient,
    pub me: Me,
    /// True when the saved session was reused (no password asked).
    pub resumed: bool,
}

/// Why signing in failed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error(transparent)]
    Credentials(#[from] super::credentials::CredentialsError),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    File(#[from] SessionFileError),
}

/// What `main` calls before the TUI starts: resume the session saved at `session_file`; if
/// there is none (or the server refuses it), get credentials (`GILT_EMAIL`/`GILT_PASSWORD`,
/// the config, or `prompt`), log in, and save the new session (0600). A damaged session file
/// is treated as no session. `env` reads environment variables (`|k| std::env::var(k).ok()`).
///
/// The prompt reads the terminal synchronously; call this before anything else runs.
pub async fn sign_in(
    config: &crate::config::Config,
    session_file: &Path,
    env: impl Fn(&str) -> Option<String>,
    prompt: &mut dyn super::credentials::Prompt,
) -> Result<SignedIn, SignInError> {
    match resume(&config.api_url, session_file).await {
        Ok(Some((client, me))) => {
            return Ok(SignedIn {
                client,
                me,
                resumed: true,
            });
        }
        Ok(None) | Err(ResumeError::Api(ApiError::Unauthorized)) => {}
        Err(ResumeError::File(SessionFileError::Corrupt { path, reason })) => {
            tracing::warn!(path = %path.display(), %reason, "ignoring a damaged session file");
        }
        Err(ResumeError::File(e)) => return Err(e.into()),
        Err(ResumeError::Api(e)) => return Err(e.into()),
    }
    let credentials = super::credentials::obtain_credentials(config, env, prompt)?;
    let (session, me) = login(&config.api_url, &credentials.email, credentials.password).await?;
    session.save(session_file)?;
    let client = ApiClient::new(&config.api_url, session)?;
    Ok(SignedIn {
        client,
        me,
        resumed: false,
    })
}

/// `gilt logout`: log the saved session out on the server when reachable, and delete the
/// file in any case. `Ok(None)` when there was no saved session.
pub async fn logout_saved(
    api_url: &str,
    session_file: &Path,
) -> Result<Option<LogoutOutcome>, SignInError> {
    let session = match SessionCookies::load(session_file) {
        Ok(Some(session)) => session,
        Ok(None) => return Ok(None),
        Err(SessionFileError::Corrupt { .. }) => {
            remove_session_file(session_file)?;
            return Ok(Some(LogoutOutcome { server_error: None }));
        }
        Err(e) => return Err(e.into()),
    };
    let client = ApiClient::new(api_url, session)?;
    Ok(Some(logout(&client, session_file).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_body_is_built_in_one_buffer_that_never_grows() {
        // The worst case for escaping: every byte becomes `\u00XX`; then quotes, backslashes
        // and multi-byte characters.
        for password in [
            "\u{1}".repeat(500),
            "\"\\".repeat(300),
            "pässwörd 🔑".repeat(40),
            String::new(),
        ] {
            let secret = SecretString::from(password.clone());
            let body = login_body("me@example.com", &secret).unwrap();
            let capacity = ("me@example.com".len() + password.len()) * 6 + 64;
            assert_eq!(body.capacity(), capacity, "the buffer was reallocated");
            let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(parsed["password"], password.as_str());
            assert_eq!(parsed["email"], "me@example.com");
            assert_eq!(parsed["getMe"], true);
        }
    }

    #[test]
    fn every_attempt_sends_the_zeroized_buffer_itself_not_a_copy() {
        let body = login_body("a@b.c", &SecretString::from("hunter2".to_owned())).unwrap();
        let at = body.as_ptr();
        let Body::Json(bytes) = Body::secret_json(body) else {
            panic!("not a JSON body");
        };
        assert_eq!(bytes.as_ptr(), at);
        assert_eq!(bytes.clone().as_ptr(), at);
    }
}
