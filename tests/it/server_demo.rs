//! Demo mode: the announce line, and the simulated members acting on their own schedule
//! (on virtual time, so nothing waits for real).

use std::time::Duration;

use gilt::server::{self, ServerConfig};

#[tokio::test]
async fn announce_json_names_the_urls_and_the_login() {
    let server = server::start(ServerConfig::test()).await.unwrap();
    let line = server.announce_json();
    assert!(!line.contains('\n'));
    assert!(line.starts_with("{\"api\":"), "{line}");
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["api"], server.api_url());
    assert_eq!(v["gateway"], server.gateway_url());
    let (email, password) = server.credentials();
    assert_eq!(
        (
            v["email"].as_str().unwrap(),
            v["password"].as_str().unwrap()
        ),
        (email.as_str(), password.as_str())
    );
    assert!(
        server.api_url().starts_with("http://127.0.0.1:") && server.api_url().ends_with("/api")
    );
    assert!(server.gateway_url().starts_with("ws://127.0.0.1:"));
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn simulated_members_act_at_a_human_pace_in_demo_mode() {
    let count = |s: &server::ServerHandle| -> usize {
        let w = s.world();
        w.teams
            .iter()
            .flat_map(|t| &t.channels)
            .chain(&w.dms)
            .map(|c| s.message_ids(&c.id).len())
            .sum()
    };
    let demo = server::start(ServerConfig::demo()).await.unwrap();
    let quiet = server::start(ServerConfig::test()).await.unwrap();
    let (start_demo, start_quiet) = (count(&demo), count(&quiet));
    // Nothing within the first few seconds: people are not instant.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(count(&demo), start_demo);
    // Ten virtual minutes later the demo has new messages, at most one action per ~4 s.
    tokio::time::sleep(Duration::from_secs(600)).await;
    let posted = count(&demo).saturating_sub(start_demo);
    assert!(posted >= 10, "only {posted} new messages");
    assert!(posted <= 600 / 4, "too many: {posted}");
    assert_eq!(count(&quiet), start_quiet, "no simulation without simulate");
    demo.shutdown().await;
}
