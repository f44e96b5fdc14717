//! Reducer throughput: fold 100,000 ChatMessageCreated events into the app state.
//!
//! Three cases: into the open channel (timeline insert, bounded history of 5,000 so eviction
//! runs), into a channel that is not loaded (unread/mention counting only), and the same open
//! channel fed typed gateway events (`Msg::Gateway`, including the protocol → model conversion).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use gilt::app::{App, ChatEvent, InitialData, Msg, Settings, TeamData, update};
use gilt::keymap::Keymap;
use gilt::protocol::events::decode_event;
use gilt::testkit::world;
use jiff::Timestamp;

const EVENTS: usize = 100_000;
const OPEN: &str = "00000000-0000-4000-8000-000000000001";
const OTHER: &str = "00000000-0000-4000-8000-000000000002";

fn app() -> App {
    let mut app = App::new(Settings::default(), Keymap::default(), 1);
    let now = Instant::now();
    let data = InitialData {
        me: world::user("meUser01", "me", None),
        teams: vec![TeamData {
            id: world::TEAM.into(),
            name: "Team".into(),
            channels: vec![
                world::channel(OPEN, "general", None, 0, "chat"),
                world::channel(OTHER, "random", None, 0, "chat"),
            ],
            categories: vec![],
            members: vec![],
            channels_loaded: true,
        }],
        dms: vec![],
        users: vec![],
        custom_reactions: vec![],
        unread: None,
    };
    update(&mut app, Msg::Loaded(data), now);
    update(
        &mut app,
        Msg::History {
            channel: OPEN.into(),
            messages: vec![],
            has_past: false,
            older: false,
        },
        now,
    );
    app
}

fn created(i: usize, channel: &str) -> Msg {
    let at = Timestamp::from_second(1_700_000_000 + i as i64).unwrap();
    let message = world::message(
        &format!("{i:08x}-0000-4000-8000-000000000000"),
        channel,
        &format!("user{:04}", i % 50),
        &at.to_string(),
        world::plain(&format!("message number {i} with a few words in it")),
    );
    Msg::Chat(ChatEvent::MessageCreated {
        message,
        team_id: Some(world::TEAM.into()),
    })
}

fn gateway(i: usize) -> Msg {
    let frame = format!(
        r#"["ChatMessageCreated",{{"type":"ChatMessageCreated","channelId":"{OPEN}","channelType":"Team","teamId":"team0001","contentType":"chat","message":{{"id":"{i:08x}-0000-4000-8000-000000000000","content":{{"object":"value","document":{{"object":"document","data":{{}},"nodes":[{{"object":"block","type":"paragraph","data":{{}},"nodes":[{{"object":"text","leaves":[{{"object":"leaf","text":"message number {i}","marks":[]}}]}}]}}]}}}},"type":"default","createdBy":"user{:04}","createdAt":"2023-11-14T22:13:20.000Z"}}}}]"#,
        i % 50
    );
    Msg::Gateway(decode_event(&frame).unwrap())
}

fn fold(c: &mut Criterion) {
    let mut group = c.benchmark_group("reducer");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    let now = Instant::now();
    for (name, channel) in [
        ("created_open_channel", OPEN),
        ("created_unloaded_channel", OTHER),
    ] {
        let msgs: Vec<Msg> = (0..EVENTS).map(|i| created(i, channel)).collect();
        group.bench_function(name, |b| {
            b.iter_batched(
                || (app(), msgs.clone()),
                |(mut app, msgs)| {
                    for m in msgs {
                        update(&mut app, m, now);
                    }
                    app
                },
                BatchSize::PerIteration,
            );
        });
    }
    let msgs: Vec<Msg> = (0..EVENTS).map(gateway).collect();
    group.bench_function("gateway_event_open_channel", |b| {
        b.iter_batched(
            || (app(), msgs.clone()),
            |(mut app, msgs)| {
                for m in msgs {
                    update(&mut app, m, now);
                }
                app
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, fold);
criterion_main!(benches);
