//! Fuzz the gateway frame path: Engine.IO and Socket.IO decoding (with encode round trips),
//! Guilded event decoding (its message-body fast path checked against the general decoder),
//! and the link state machine fed arbitrary frames.
#![no_main]

use std::time::{Duration, Instant};

use gilt_protocol::link::{GatewayLink, LinkEvent};
use gilt_protocol::{engineio, events, socketio};
use libfuzzer_sys::fuzz_target;

const HELLO: &str =
    r#"0{"sid":"fuzz","upgrades":[],"pingInterval":25000,"pingTimeout":5000}"#;

fuzz_target!(|data: &str| {
    codec(data);
    // The message-body fast path never changes what an event decodes to.
    assert_eq!(events::decode_event(data), events::decode_general(data));
    // Each line is one frame, fed to a fresh link (so the first line is the hello) and to
    // a connected one; time steps by an amount taken from the line so deadlines fire too.
    let t0 = Instant::now();
    let mut fresh = GatewayLink::new(t0);
    let mut connected = GatewayLink::new(t0);
    connected.handle_frame(HELLO, t0);
    connected.handle_frame("40", t0);
    let mut now = t0;
    for line in data.split('\n') {
        codec(line);
        now += Duration::from_millis(line.len() as u64 * 997);
        for link in [&mut fresh, &mut connected] {
            if link.poll_timeout().is_some_and(|deadline| deadline <= now) {
                link.handle_timeout(now);
            }
            link.handle_frame(line, now);
            let _ = link.send_typing(&line.into());
            drain(link);
        }
    }
    for link in [&mut fresh, &mut connected] {
        link.close();
        drain(link);
        assert!(link.is_finished());
    }
});

/// Decode with both codecs; whatever decodes must survive an encode/decode round trip.
fn codec(frame: &str) {
    let Ok(packet) = engineio::decode(frame) else {
        return;
    };
    assert_eq!(engineio::decode(&packet.encode()).as_ref(), Ok(&packet));
    let engineio::Packet::Message(payload) = packet else {
        return;
    };
    let Ok(packet) = socketio::decode(payload) else {
        return;
    };
    assert_eq!(socketio::decode(&packet.encode()), Ok(packet));
    if let socketio::Packet::Event { data, .. } = packet {
        assert_eq!(events::decode_event(data), events::decode_general(data));
    }
}

/// Empty both queues, checking that nothing follows a final event.
fn drain(link: &mut GatewayLink) {
    while link.poll_transmit().is_some() {}
    let mut finished = false;
    while let Some(event) = link.poll_event() {
        assert!(!finished, "an event after the final one: {event:?}");
        finished = matches!(event, LinkEvent::Dead(_) | LinkEvent::Closed(_));
    }
}
