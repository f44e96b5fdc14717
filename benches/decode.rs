//! Gateway decode speed: one realistic `ChatMessageCreated` frame (`42[…]`, ~2 KB, a rich
//! document with marks, a mention, an emoji, a link, a quote and a code block) decoded all
//! the way to the typed event plus its rich-text model (Engine.IO → Socket.IO → event →
//! document), versus `serde_json::from_str::<serde_json::Value>` on the same event array;
//! and the event decode alone with and without its fast path for message bodies
//! (`decode_event` against `decode_general`, which must give the same event).
//!
//! Target (issue 3): the full decode is at least as fast as the generic `Value` parse.
//! Figures and the command to reproduce them are in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group};
use gilt::protocol::events::{GuildedEvent, decode_event, decode_general};
use gilt::protocol::{engineio, socketio};

const FRAME: &str = include_str!("fixtures/chat-message-created-rich.txt");

/// Frame → typed event, as the gateway session does it.
#[inline(never)]
fn full_decode(frame: &str) -> GuildedEvent {
    let engineio::Packet::Message(payload) = engineio::decode(frame).unwrap() else {
        panic!("not a message frame")
    };
    let socketio::Packet::Event { data, .. } = socketio::decode(payload).unwrap() else {
        panic!("not an event packet")
    };
    decode_event(data).unwrap()
}

/// The event array decoded without the message-body fast path.
#[inline(never)]
fn general_decode(array: &str) -> GuildedEvent {
    decode_general(array).unwrap()
}

/// The event array decoded as the gateway does it (with the fast path).
#[inline(never)]
fn event_decode(array: &str) -> GuildedEvent {
    decode_event(array).unwrap()
}

/// The baseline: the event array parsed into a generic `serde_json::Value`.
#[inline(never)]
fn value_decode(array: &str) -> serde_json::Value {
    serde_json::from_str(array).unwrap()
}

fn decode(c: &mut Criterion) {
    // The frame really decodes to a typed message with its document.
    let GuildedEvent::ChatMessageCreated(ev) = full_decode(FRAME) else {
        panic!("fixture did not decode to ChatMessageCreated")
    };
    assert_eq!(ev.message.content.blocks.len(), 3);
    let array = &FRAME[2..];

    let mut group = c.benchmark_group("decode_chat_message_created");
    group.throughput(Throughput::Bytes(FRAME.len() as u64));
    group.bench_function("gilt_full_decode", |b| {
        b.iter(|| full_decode(black_box(FRAME)));
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| value_decode(black_box(array)));
    });
    group.bench_function("event_fast_path", |b| {
        b.iter(|| event_decode(black_box(array)));
    });
    group.bench_function("event_general", |b| {
        b.iter(|| general_decode(black_box(array)));
    });
    group.finish();
}

/// Instruction counts (wall time is noisy on a shared machine): with
/// `GILT_DECODE_CALLGRIND=N`, run each decoder N times without criterion, under
/// `valgrind --tool=callgrind`, and read the inclusive cost of `full_decode` and
/// `value_decode` with `callgrind_annotate --inclusive=yes` (see BENCHMARKS.md).
/// `GILT_DECODE_ONLY=full|value|event|general` runs just one of them (`event_decode`,
/// `general_decode`: the event array alone, with and without the body fast path).
fn callgrind_loop(iterations: u64) {
    let array = &FRAME[2..];
    let only = std::env::var("GILT_DECODE_ONLY").unwrap_or_default();
    for _ in 0..iterations {
        match only.as_str() {
            "full" => drop(black_box(full_decode(black_box(FRAME)))),
            "value" => drop(black_box(value_decode(black_box(array)))),
            "event" => drop(black_box(event_decode(black_box(array)))),
            "general" => drop(black_box(general_decode(black_box(array)))),
            _ => {
                black_box(full_decode(black_box(FRAME)));
                black_box(value_decode(black_box(array)));
            }
        }
    }
}

criterion_group!(benches, decode);

fn main() {
    if let Some(n) = std::env::var("GILT_DECODE_CALLGRIND")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        callgrind_loop(n);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
