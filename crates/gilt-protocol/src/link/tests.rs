//! GatewayLink tests on virtual time: an `Instant` base plus `Duration`s, never the real clock.

// Every subtraction is from an instant built as `t0 + d` with `d` larger than what is taken.
#![allow(clippy::unchecked_time_subtraction)]

use super::*;
use proptest::prelude::*;

const HELLO: &str =
    r#"0{"sid":"AbCdEfGhIjKlMnOpAAAB","upgrades":[],"pingInterval":25000,"pingTimeout":5000}"#;
const INTERVAL: Duration = Duration::from_secs(25);
const TIMEOUT: Duration = Duration::from_secs(5);
const TYPING_IN: &str =
    r#"42["ChatChannelTyping",{"type":"ChatChannelTyping","channelId":"c1","userId":"u1"}]"#;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn drain_events(link: &mut GatewayLink) -> Vec<LinkEvent> {
    std::iter::from_fn(|| link.poll_event()).collect()
}

fn drain_transmits(link: &mut GatewayLink) -> Vec<String> {
    std::iter::from_fn(|| link.poll_transmit()).collect()
}

/// A link that got the hello and `40` at `t0`.
fn connected(t0: Instant) -> GatewayLink {
    let mut link = GatewayLink::new(t0);
    link.handle_frame(HELLO, t0);
    link.handle_frame("40", t0);
    let events = drain_events(&mut link);
    assert!(matches!(
        events.as_slice(),
        [LinkEvent::Open(_), LinkEvent::Connected]
    ));
    link
}

fn expected_event(frame: &str) -> GuildedEvent {
    events::decode_event(&frame[2..]).unwrap()
}

#[test]
fn replays_the_synthesized_transcript() {
    let transcript = &crate::test_support::fixture("synthesized/gateway-session.txt");
    let t0 = Instant::now();
    let mut now = t0;
    let mut link = GatewayLink::new(now);
    let mut events = Vec::new();
    let mut server_events = Vec::new();
    let mut client_lines = 0;
    for line in transcript.lines().filter(|l| !l.starts_with('#')) {
        let (who, frame) = line.split_once(' ').unwrap();
        match who {
            "S" => {
                now += ms(10);
                link.handle_frame(frame, now);
                if frame.starts_with("42") {
                    server_events.push(expected_event(frame));
                }
            }
            "C" => {
                client_lines += 1;
                // Each client frame is caused by time passing or by a command.
                if frame == "2" {
                    let due = link.poll_timeout().unwrap();
                    assert_eq!(
                        due,
                        t0 + ms(10) + INTERVAL,
                        "first ping one interval after the hello"
                    );
                    now = due;
                    link.handle_timeout(now);
                } else if frame.starts_with(r#"42["ChatChannelTyping""#) {
                    let value: serde_json::Value = serde_json::from_str(&frame[2..]).unwrap();
                    link.send_typing(&value[1]["channelId"].as_str().unwrap().into())
                        .unwrap();
                } else if frame == r#"42["logout"]"# {
                    link.close();
                } else {
                    panic!("transcript has a client frame the link cannot produce: {frame}");
                }
                assert_eq!(drain_transmits(&mut link), vec![frame.to_owned()]);
            }
            other => panic!("unknown speaker {other}"),
        }
        events.extend(drain_events(&mut link));
    }
    assert_eq!(client_lines, 3);
    assert_eq!(link.protocol_errors(), 0, "{:?}", link.last_error());
    assert_eq!(server_events.len(), 2);
    let mut expected = vec![
        LinkEvent::Open(Handshake {
            sid: "AbCdEfGhIjKlMnOpAAAB".into(),
            upgrades: vec![],
            ping_interval: INTERVAL,
            ping_timeout: TIMEOUT,
        }),
        LinkEvent::Connected,
    ];
    expected.extend(server_events.into_iter().map(LinkEvent::Event));
    expected.push(LinkEvent::Closed(CloseReason::Logout));
    assert_eq!(events, expected);
    assert_eq!(link.state(), State::Closed);
    assert_eq!(link.poll_timeout(), None);
}

#[test]
fn pings_exactly_every_interval_from_the_hello() {
    let t0 = Instant::now();
    let hello_at = t0 + ms(3);
    let mut link = GatewayLink::new(t0);
    assert_eq!(link.poll_timeout(), Some(t0 + HELLO_TIMEOUT));
    link.handle_frame(HELLO, hello_at);
    // Pings run from the hello, even before `40`.
    assert_eq!(link.poll_timeout(), Some(hello_at + INTERVAL));
    link.handle_frame("40", hello_at + ms(1));
    for k in 1..=5u32 {
        let due = hello_at + INTERVAL * k;
        assert_eq!(link.poll_timeout(), Some(due), "ping {k}");
        // Early wake-ups send nothing.
        link.handle_timeout(due - ms(1));
        assert_eq!(link.poll_transmit(), None);
        link.handle_timeout(due);
        assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
        assert_eq!(link.heartbeats(), u64::from(k));
        // A second call at the same instant does not send twice.
        link.handle_timeout(due);
        assert_eq!(link.poll_transmit(), None);
        link.handle_frame("3", due + ms(40));
    }
    // A probe is an extra `2`, not a heartbeat.
    link.probe(hello_at + INTERVAL * 5 + ms(100), ms(2000))
        .unwrap();
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    assert_eq!(link.heartbeats(), 5);
    assert_eq!(link.state(), State::Connected);
    assert!(
        drain_events(&mut link)
            .iter()
            .all(|e| !matches!(e, LinkEvent::Dead(_)))
    );
}

#[test]
fn only_a_pong_after_connect_proves_the_link() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    link.handle_frame(HELLO, t0);
    // A pong before `40` (or unasked) proves nothing about the connected link.
    link.handle_frame("3", t0 + ms(1));
    link.handle_frame("40", t0 + ms(2));
    link.handle_frame("3", t0 + ms(3));
    assert!(!link.answered_ping());
    // Events flowing are not an answer either.
    link.handle_frame(TYPING_IN, t0 + ms(4));
    assert!(!link.answered_ping());
    link.handle_timeout(t0 + INTERVAL);
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    assert!(!link.answered_ping());
    link.handle_frame("3", t0 + INTERVAL + ms(30));
    assert!(link.answered_ping());
}

#[test]
fn a_late_driver_stays_on_the_grid_without_bursts() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    link.handle_timeout(t0 + INTERVAL + ms(2_000));
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    link.handle_frame("3", t0 + INTERVAL + ms(2_010));
    assert_eq!(link.poll_timeout(), Some(t0 + INTERVAL * 2));
    // A driver a whole interval behind gets one ping, and the grid restarts from then.
    let very_late = t0 + INTERVAL * 3 + ms(1);
    link.handle_frame("3", very_late - ms(1));
    link.handle_timeout(very_late);
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    assert_eq!(link.poll_timeout(), Some(very_late + INTERVAL));
}

#[test]
fn dead_after_interval_plus_timeout_of_silence() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    link.handle_timeout(t0 + INTERVAL);
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    // No pong: the next deadline is the liveness one, before the next ping.
    let dead_at = t0 + INTERVAL + TIMEOUT;
    assert_eq!(link.poll_timeout(), Some(dead_at));
    link.handle_timeout(dead_at - Duration::from_nanos(1));
    assert_eq!(link.state(), State::Connected);
    link.handle_timeout(dead_at);
    assert_eq!(link.state(), State::Dead);
    let reason = DeadReason::HeartbeatTimeout {
        silence: INTERVAL + TIMEOUT,
        ping_interval: INTERVAL,
        ping_timeout: TIMEOUT,
    };
    assert_eq!(
        drain_events(&mut link),
        vec![LinkEvent::Dead(reason.clone())]
    );
    assert_eq!(
        reason.to_string(),
        "heartbeat timeout: nothing from the server for 30000 ms (pingInterval 25000 ms + pingTimeout 5000 ms)"
    );
    assert_eq!(link.poll_timeout(), None);
}

#[test]
fn a_late_pong_revives_nothing() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    link.handle_timeout(t0 + INTERVAL);
    link.handle_timeout(t0 + INTERVAL + TIMEOUT);
    drain_transmits(&mut link);
    assert!(matches!(
        drain_events(&mut link).as_slice(),
        [LinkEvent::Dead(_)]
    ));
    link.handle_frame("3", t0 + INTERVAL + TIMEOUT + ms(1));
    link.handle_frame(TYPING_IN, t0 + INTERVAL + TIMEOUT + ms(2));
    link.handle_timeout(t0 + INTERVAL * 3);
    assert_eq!(link.state(), State::Dead);
    assert_eq!(link.poll_event(), None);
    assert_eq!(link.poll_transmit(), None);
    assert_eq!(link.poll_timeout(), None);
    assert_eq!(link.send_typing(&"c1".into()), Err(SendError::Finished));
    link.close();
    assert_eq!(link.poll_event(), None);
}

#[test]
fn any_inbound_frame_counts_as_liveness() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    // The server never answers pings but keeps sending events (and one garbage frame).
    let mut now = t0;
    for step in 0..20u32 {
        now = t0 + ms(20_000) * (step + 1);
        link.handle_timeout(now - ms(1));
        let frame = if step == 7 { "garbage" } else { TYPING_IN };
        link.handle_frame(frame, now);
    }
    assert_eq!(link.state(), State::Connected);
    assert_eq!(link.protocol_errors(), 1);
    // Then silence: a driver that sleeps until each deadline sees the link die exactly
    // interval + timeout after the last frame, not before.
    let dead_at = loop {
        let deadline = link.poll_timeout().unwrap();
        link.handle_timeout(deadline);
        if link.state() == State::Dead {
            break deadline;
        }
        assert!(deadline < now + INTERVAL + TIMEOUT);
    };
    assert_eq!(dead_at, now + INTERVAL + TIMEOUT);
}

#[test]
fn no_hello_in_time_is_dead() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    link.handle_timeout(t0 + HELLO_TIMEOUT - ms(1));
    assert_eq!(link.poll_event(), None);
    link.handle_timeout(t0 + HELLO_TIMEOUT);
    assert_eq!(
        drain_events(&mut link),
        vec![LinkEvent::Dead(DeadReason::HelloTimeout {
            waited: HELLO_TIMEOUT
        })]
    );
}

#[test]
fn a_bad_hello_is_dead_with_the_reason() {
    let t0 = Instant::now();
    for (frame, needle) in [
        ("0{not json", "bad Engine.IO handshake"),
        (
            r#"0{"sid":"x","pingInterval":0,"pingTimeout":1}"#,
            "pingInterval must be at least 1 ms",
        ),
        ("40", "expected the open packet"),
        ("", "empty Engine.IO frame"),
        ("zz", "unknown Engine.IO packet type"),
    ] {
        let mut link = GatewayLink::new(t0);
        link.handle_frame(frame, t0);
        let events = drain_events(&mut link);
        let [LinkEvent::Dead(reason @ DeadReason::BadHello(_))] = events.as_slice() else {
            panic!("{frame:?} gave {events:?}");
        };
        assert!(reason.to_string().contains(needle), "{frame:?}: {reason}");
        assert_eq!(link.poll_timeout(), None);
    }
}

#[test]
fn no_connect_in_time_is_dead_even_with_pongs() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    link.handle_frame(HELLO, t0);
    link.handle_timeout(t0 + INTERVAL);
    link.handle_frame("3", t0 + INTERVAL + ms(5));
    let limit = t0 + INTERVAL + TIMEOUT;
    assert_eq!(link.poll_timeout(), Some(limit));
    link.handle_timeout(limit);
    let events = drain_events(&mut link);
    assert_eq!(
        events.last(),
        Some(&LinkEvent::Dead(DeadReason::ConnectTimeout {
            waited: INTERVAL + TIMEOUT
        }))
    );
}

#[test]
fn a_connect_error_is_a_refusal() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    link.handle_frame(HELLO, t0);
    link.handle_frame(r#"44"Not authorized""#, t0);
    let events = drain_events(&mut link);
    let Some(LinkEvent::Dead(reason)) = events.last() else {
        panic!("{events:?}");
    };
    assert_eq!(
        reason.to_string(),
        "the server refused the connection: Not authorized"
    );
}

#[test]
fn server_close_and_disconnect_close_the_link() {
    let t0 = Instant::now();
    for (frame, reason) in [
        ("1", CloseReason::ServerClose),
        ("41", CloseReason::ServerDisconnect),
    ] {
        let mut link = connected(t0);
        link.send_typing(&"c".into()).unwrap();
        link.handle_frame(frame, t0 + ms(1));
        assert_eq!(drain_events(&mut link), vec![LinkEvent::Closed(reason)]);
        // Nothing is written to a socket the server closed.
        assert_eq!(link.poll_transmit(), None);
        assert_eq!(link.state(), State::Closed);
        link.handle_frame(TYPING_IN, t0 + ms(2));
        assert_eq!(link.poll_event(), None);
    }
}

#[test]
fn typing_before_connect_is_refused_and_escaped_after() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    assert_eq!(link.send_typing(&"c".into()), Err(SendError::NotConnected));
    link.handle_frame(HELLO, t0);
    assert_eq!(link.send_typing(&"c".into()), Err(SendError::NotConnected));
    link.handle_frame("40", t0);
    link.send_typing(&"a\"b".into()).unwrap();
    assert_eq!(
        drain_transmits(&mut link),
        vec![r#"42["ChatChannelTyping",{"channelId":"a\"b"}]"#.to_owned()]
    );
}

#[test]
fn close_before_connect_sends_no_logout() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    link.handle_frame(HELLO, t0);
    drain_events(&mut link);
    link.close();
    assert_eq!(link.poll_transmit(), None);
    assert_eq!(
        drain_events(&mut link),
        vec![LinkEvent::Closed(CloseReason::Logout)]
    );
    link.close();
    assert_eq!(link.poll_event(), None);
}

#[test]
fn events_before_connect_are_released_after_it() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    link.handle_frame(HELLO, t0);
    link.handle_frame(TYPING_IN, t0);
    assert!(matches!(
        drain_events(&mut link).as_slice(),
        [LinkEvent::Open(_)]
    ));
    link.handle_frame("40", t0);
    assert_eq!(
        drain_events(&mut link),
        vec![
            LinkEvent::Connected,
            LinkEvent::Event(expected_event(TYPING_IN))
        ]
    );
}

#[test]
fn malformed_and_unexpected_frames_are_counted_not_fatal() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    let bad = [
        "",
        "9",
        "b4AAA",
        "4",
        "45",
        r#"42{"no":"array"}"#,
        "42[1,2]",
        "43[]",
        "431[]",
        "40",
        HELLO,
        "5",
        r#"42/other,["x",{}]"#,
        r#"44"oops""#,
    ];
    for (i, frame) in bad.iter().enumerate() {
        link.handle_frame(frame, t0 + ms(i as u64));
        assert_eq!(
            link.protocol_errors(),
            i as u64 + 1,
            "frame {frame:?} not counted"
        );
    }
    assert_eq!(link.state(), State::Connected);
    assert_eq!(link.poll_event(), None);
    assert_eq!(
        link.last_error().map(ToString::to_string).as_deref(),
        Some("unexpected packet: a Socket.IO error packet: oops")
    );
    // Harmless frames are not errors.
    for frame in ["3", "3probe", "6"] {
        link.handle_frame(frame, t0);
    }
    assert_eq!(link.protocol_errors(), bad.len() as u64);
    link.handle_frame(TYPING_IN, t0);
    assert_eq!(
        link.poll_event(),
        Some(LinkEvent::Event(expected_event(TYPING_IN)))
    );
}

#[test]
fn a_server_ping_is_answered() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    link.handle_frame("2", t0);
    link.handle_frame("2probe", t0);
    assert_eq!(
        drain_transmits(&mut link),
        vec!["3".to_owned(), "3probe".to_owned()]
    );
}

#[test]
fn a_probe_answered_in_time_keeps_the_link() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    let asked = t0 + ms(3_000);
    link.probe(asked, ms(2_000)).unwrap();
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    assert_eq!(link.poll_timeout(), Some(asked + ms(2_000)));
    link.handle_frame("3", asked + ms(1_999));
    link.handle_timeout(asked + ms(2_000));
    assert_eq!(link.state(), State::Connected);
    assert_eq!(drain_events(&mut link), vec![]);
    // The heartbeat grid is untouched by the probe.
    assert_eq!(link.poll_timeout(), Some(t0 + INTERVAL));
}

#[test]
fn an_unanswered_probe_kills_the_link_long_before_the_heartbeat_would() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    let asked = t0 + ms(3_000);
    link.probe(asked, ms(2_000)).unwrap();
    drain_transmits(&mut link);
    // Asking again while a probe is in flight sends nothing more and keeps its deadline.
    link.probe(asked + ms(500), ms(2_000)).unwrap();
    assert_eq!(drain_transmits(&mut link), Vec::<String>::new());
    assert_eq!(link.poll_timeout(), Some(asked + ms(2_000)));
    link.handle_timeout(asked + ms(1_999));
    assert_eq!(link.state(), State::Connected);
    link.handle_timeout(asked + ms(2_000));
    assert_eq!(link.state(), State::Dead);
    let reason = DeadReason::ProbeUnanswered { waited: ms(2_000) };
    assert_eq!(
        drain_events(&mut link),
        vec![LinkEvent::Dead(reason.clone())]
    );
    assert_eq!(
        reason.to_string(),
        "no answer from the server within 2000 ms of a connection check"
    );
}

#[test]
fn a_probe_after_an_unanswered_heartbeat_kills_the_link_at_once() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    link.handle_timeout(t0 + INTERVAL);
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    // Three seconds without a pong: already suspect, no need to wait for another ping.
    link.probe(t0 + INTERVAL + ms(3_000), ms(2_000)).unwrap();
    assert_eq!(drain_transmits(&mut link), Vec::<String>::new());
    assert_eq!(link.state(), State::Dead);
    assert_eq!(
        drain_events(&mut link),
        vec![LinkEvent::Dead(DeadReason::ProbeUnanswered {
            waited: ms(3_000)
        })]
    );
}

#[test]
fn a_probe_soon_after_a_ping_waits_for_the_answer() {
    let t0 = Instant::now();
    let mut link = connected(t0);
    link.handle_timeout(t0 + INTERVAL);
    drain_transmits(&mut link);
    // The heartbeat's ping is only half a second old: probe as usual.
    let asked = t0 + INTERVAL + ms(500);
    link.probe(asked, ms(2_000)).unwrap();
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    // Any frame answers, not only a pong.
    link.handle_frame(TYPING_IN, asked + ms(100));
    link.handle_timeout(asked + ms(2_000));
    assert_eq!(link.state(), State::Connected);
    // A heartbeat ping that was answered does not make the next probe fatal.
    link.handle_timeout(t0 + INTERVAL * 2);
    drain_transmits(&mut link);
    link.handle_frame("3", t0 + INTERVAL * 2 + ms(50));
    link.probe(t0 + INTERVAL * 2 + ms(10_000), ms(2_000))
        .unwrap();
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    assert_eq!(link.state(), State::Connected);
}

#[test]
fn a_probe_before_connect_is_refused_and_after_the_end_too() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    assert_eq!(link.probe(t0, ms(2_000)), Err(SendError::NotConnected));
    link.handle_frame(HELLO, t0);
    assert_eq!(link.probe(t0, ms(2_000)), Err(SendError::NotConnected));
    assert_eq!(drain_transmits(&mut link), Vec::<String>::new());
    let mut link = connected(t0);
    link.handle_frame("1", t0);
    assert_eq!(link.probe(t0, ms(2_000)), Err(SendError::Finished));
    // A deadline past the end of time sends the ping but sets no deadline.
    let mut link = connected(t0);
    link.probe(t0, Duration::MAX).unwrap();
    assert_eq!(drain_transmits(&mut link), vec!["2".to_owned()]);
    assert_eq!(link.poll_timeout(), Some(t0 + INTERVAL));
}

#[test]
fn huge_intervals_do_not_overflow() {
    let t0 = Instant::now();
    let mut link = GatewayLink::new(t0);
    let hello = format!(
        r#"0{{"sid":"s","upgrades":[],"pingInterval":{},"pingTimeout":{}}}"#,
        u64::MAX,
        u64::MAX
    );
    link.handle_frame(&hello, t0);
    link.handle_frame("40", t0);
    let _ = link.poll_timeout();
    link.handle_timeout(t0 + Duration::from_secs(1_000_000));
    assert_eq!(link.state(), State::Connected);
}

/// Frames that exercise every branch: real ones, near misses and arbitrary text.
fn arb_frame() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(HELLO.to_owned()),
        Just("40".to_owned()),
        Just("41".to_owned()),
        Just("1".to_owned()),
        Just("3".to_owned()),
        Just(TYPING_IN.to_owned()),
        Just(r#"44"no""#.to_owned()),
        "[0-6b][0-6/,\\[\\]{}\"a-z0-9]{0,20}",
        any::<String>(),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Frame(String),
    Timeout,
    Typing(String),
    Probe(u64),
    Close,
}

fn arb_step() -> impl Strategy<Value = (u64, Step)> {
    (
        0u64..40_000,
        prop_oneof![
            6 => arb_frame().prop_map(Step::Frame),
            3 => Just(Step::Timeout),
            1 => any::<String>().prop_map(Step::Typing),
            1 => (0u64..5_000).prop_map(Step::Probe),
            1 => Just(Step::Close),
        ],
    )
}

proptest! {
    #[test]
    fn arbitrary_frames_never_panic_and_finish_once(steps in proptest::collection::vec(arb_step(), 0..40)) {
        let t0 = Instant::now();
        let mut now = t0;
        let mut link = GatewayLink::new(t0);
        let mut finals = 0;
        let mut after_final = 0;
        for (advance, step) in steps {
            now += ms(advance);
            match step {
                Step::Frame(frame) => link.handle_frame(&frame, now),
                Step::Timeout => link.handle_timeout(now),
                Step::Typing(channel) => { let _ = link.send_typing(&channel.into()); }
                Step::Probe(timeout) => { let _ = link.probe(now, ms(timeout)); }
                Step::Close => link.close(),
            }
            // A driver handles deadlines that are already due.
            if link.poll_timeout().is_some_and(|deadline| deadline <= now) {
                link.handle_timeout(now);
            }
            while link.poll_transmit().is_some() {}
            while let Some(event) = link.poll_event() {
                if finals > 0 {
                    after_final += 1;
                }
                if matches!(event, LinkEvent::Dead(_) | LinkEvent::Closed(_)) {
                    finals += 1;
                }
            }
        }
        prop_assert!(finals <= 1);
        prop_assert_eq!(after_final, 0);
        prop_assert_eq!(link.is_finished(), finals == 1);
    }
}

proptest! {
    /// A driver that sleeps until each deadline: pings land exactly on the hello's grid, and
    /// the link dies exactly when a gap between inbound frames reaches interval + timeout.
    #[test]
    fn heartbeat_timeline_matches_the_gaps(gaps in proptest::collection::vec(0u64..32_000, 1..30)) {
        let t0 = Instant::now();
        let mut link = connected(t0);
        let limit = INTERVAL + TIMEOUT;
        let mut last = t0;
        let mut expected_death = None;
        let mut died_at = None;
        for gap in &gaps {
            let arrival = last + ms(*gap);
            if expected_death.is_none() && ms(*gap) >= limit {
                expected_death = Some(last + limit);
            }
            while let Some(deadline) = link.poll_timeout().filter(|d| *d <= arrival) {
                link.handle_timeout(deadline);
                for frame in drain_transmits(&mut link) {
                    prop_assert_eq!(frame, "2");
                    let since = deadline.duration_since(t0).as_millis();
                    prop_assert_eq!(since % INTERVAL.as_millis(), 0, "ping off the grid at {} ms", since);
                }
                if link.is_finished() {
                    died_at.get_or_insert(deadline);
                    break;
                }
            }
            link.handle_frame("3", arrival);
            last = arrival;
        }
        let events = drain_events(&mut link);
        prop_assert_eq!(died_at, expected_death);
        if expected_death.is_some() {
            prop_assert_eq!(link.state(), State::Dead);
            prop_assert_eq!(
                events,
                vec![LinkEvent::Dead(DeadReason::HeartbeatTimeout {
                    silence: limit,
                    ping_interval: INTERVAL,
                    ping_timeout: TIMEOUT,
                })]
            );
        } else {
            prop_assert_eq!(link.state(), State::Connected);
            prop_assert!(events.is_empty());
        }
    }
}
