//! Fault injection of the built-in server: every fault, observed from the client side.

use std::time::{Duration, Instant};

use gilt::server::RestFault;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::raw_client::{Api, Ending, Gw, read_until_end, start, start_with};

#[tokio::test]
async fn drop_socket_cuts_tcp_without_a_close_frame() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let mut a = Gw::connect(&server, &api, None).await;
    let mut b = Gw::connect(&server, &api, None).await;
    let sid = a.hello["sid"].as_str().unwrap().to_owned();
    assert!(server.faults().drop_socket(&sid));
    assert_eq!(read_until_end(&mut a.ws).await, Ending::NoCloseFrame);
    assert!(!server.faults().drop_socket("no-such-sid"));
    b.send("2").await;
    assert_eq!(b.next().await, "3", "the other socket is untouched");
    assert_eq!(server.faults().drop_all_sockets(), 1);
    assert_eq!(read_until_end(&mut b.ws).await, Ending::NoCloseFrame);
}

#[tokio::test]
async fn muted_pongs_per_socket_and_globally() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let mut a = Gw::connect(&server, &api, None).await;
    let mut b = Gw::connect(&server, &api, None).await;
    let faults = server.faults();
    assert!(faults.mute_pongs(a.hello["sid"].as_str().unwrap(), true));
    a.send("2").await;
    b.send("2").await;
    assert_eq!(b.next().await, "3");
    a.quiet_for(Duration::from_millis(200)).await;
    faults.mute_pongs(a.hello["sid"].as_str().unwrap(), false);
    a.send("2").await;
    assert_eq!(a.next().await, "3");
    faults.mute_all_pongs(true);
    let mut c = Gw::connect(&server, &api, None).await;
    for gw in [&mut a, &mut b, &mut c] {
        gw.send("2").await;
        gw.quiet_for(Duration::from_millis(100)).await;
    }
    faults.mute_all_pongs(false);
    c.send("2").await;
    assert_eq!(c.next().await, "3");
}

#[tokio::test]
async fn raw_frames_and_close_codes_reach_the_socket() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &api, None).await;
    let sid = gw.hello["sid"].as_str().unwrap().to_owned();
    let faults = server.faults();
    assert!(faults.send_raw(&sid, "42[\"Broken\",{"));
    assert_eq!(gw.next().await, "42[\"Broken\",{");
    assert!(faults.send_raw(&sid, "\u{1b}[31mnot engine.io"));
    assert_eq!(gw.next().await, "\u{1b}[31mnot engine.io");
    assert!(faults.close_socket(&sid, 4000, "go away"));
    assert_eq!(
        read_until_end(&mut gw.ws).await,
        Ending::CloseFrame(4000, "go away".into())
    );
    assert!(!faults.send_raw(&sid, "2"), "the socket is gone");
}

#[tokio::test]
async fn rest_calls_can_be_failed_rate_limited_and_delayed() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let faults = server.faults();
    faults.fail_rest(RestFault::Status(503), 2);
    faults.fail_rest(
        RestFault::RateLimited {
            retry_after_secs: 7,
        },
        1,
    );
    faults.fail_rest(RestFault::Status(500), 1);
    let r = api.get("/me").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.error_code(), "ServiceUnavailableError");
    assert_eq!(api.get("/me").await.status, StatusCode::SERVICE_UNAVAILABLE);
    let r = api.get("/me").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "7");
    assert_eq!(r.error_code(), "TooManyRequestsError");
    let r = api.get("/me").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.error_code(), "InternalServerError");
    assert_eq!(
        api.get("/me").await.status,
        StatusCode::OK,
        "faults are used up"
    );

    faults.delay_rest(Some(Duration::from_millis(300)));
    let t = Instant::now();
    assert_eq!(api.get("/me").await.status, StatusCode::OK);
    assert!(t.elapsed() >= Duration::from_millis(300));
    faults.delay_rest(None);
}

#[tokio::test]
async fn a_failed_send_is_not_stored_and_a_retry_posts_once() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let general = server.world().channel("general").unwrap().id.clone();
    let mut gw = Gw::connect(&server, &api, None).await;
    server.faults().fail_rest(RestFault::Status(502), 1);
    let id = uuid::Uuid::new_v4().to_string();
    let body = json!({"messageId": id, "content": crate::support::raw_client::doc("retry me")});
    let path = format!("/channels/{general}/messages");
    assert_eq!(
        api.post(&path, body.clone()).await.status,
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(api.post(&path, body.clone()).await.status, StatusCode::OK);
    assert_eq!(api.post(&path, body).await.status, StatusCode::OK);
    let ev = gw.event("ChatMessageCreated").await;
    assert_eq!(ev["message"]["id"], id.as_str());
    gw.assert_nothing_pending().await;
}

#[tokio::test]
async fn restart_keeps_data_and_port_and_drops_sockets() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let general = server.world().channel("general").unwrap().id.clone();
    let id = api.say(&general, "before the restart").await;
    let mut gw = Gw::connect(&server, &api, None).await;
    let before = server.addr();
    let after = server
        .faults()
        .restart(Duration::from_millis(100))
        .await
        .unwrap();
    assert_eq!(before, after, "same port");
    assert_eq!(read_until_end(&mut gw.ws).await, Ending::NoCloseFrame);
    // Sessions and messages survived.
    let r = api
        .get(&format!("/channels/{general}/messages?limit=1"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["messages"][0]["id"], id.as_str());
    let mut again = Gw::connect(&server, &api, None).await;
    again.send("2").await;
    assert_eq!(again.next().await, "3");
    // Twice in a row works too.
    server.faults().restart(Duration::ZERO).await.unwrap();
    assert_eq!(api.get("/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn messages_stored_without_broadcast_show_up_in_history_only() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let general = w.channel("general").unwrap().id.clone();
    let mut gw = Gw::connect(&server, &api, None).await;
    let ada = w.user_id("ada").unwrap();
    let silent = server
        .post_as(ada, &general, "you missed this one", false)
        .unwrap();
    server.faults().mute_broadcasts(true);
    let also = server.post_as(ada, &general, "and this one", true).unwrap();
    server.faults().mute_broadcasts(false);
    gw.assert_nothing_pending().await;
    let loud = server
        .post_as(ada, &general, "but this one is announced", true)
        .unwrap();
    let ev = gw.event("ChatMessageCreated").await;
    assert_eq!(ev["message"]["id"], loud.as_str());
    let r = api
        .get(&format!("/channels/{general}/messages?limit=3"))
        .await;
    let ids: Vec<&str> = r.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![loud.as_str(), also.as_str(), silent.as_str()]);
}

#[tokio::test]
async fn rate_limited_requests_recover_after_retry_after() {
    let server = start_with(|c| c.rate_limit_per_sec = Some(2)).await;
    let api = Api::logged_in(&server).await;
    let mut r = api.get("/me").await;
    while r.status == StatusCode::OK {
        r = api.get("/me").await;
    }
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let secs: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    assert_eq!(api.get("/me").await.status, StatusCode::OK);
}
