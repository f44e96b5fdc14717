//! Fuzz the reducer with event sequences (structure-aware): the input bytes are read as a
//! script of steps, each a gateway event built from a template (every event name the
//! protocol knows, with ids drawn from the script world, unknown ones, numbers and empties),
//! a link change, a tick, a history page or a key. The reducer must never panic, and after
//! every step: no team socket opens for a team the model does not hold or REST did not
//! confirm, no typing state for unknown channels, and every timeline stays under its cap.
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use gilt::app::{self, App, Effect, LinkGroup, LinkStatus, Msg, Settings};
use gilt::keymap::Keymap;
use gilt::protocol::events::{EventKind, decode_event};
use gilt::testkit::script::{DM, GENERAL, RANDOM, TEAM, initial, message};
use libfuzzer_sys::fuzz_target;

/// Ids a step can use: known ones, unknown ones, and the wrong types.
const IDS: &[&str] = &[
    concat!("\"", "team0001", "\""),
    "\"00000000-0000-4000-8000-000000000001\"",
    "\"00000000-0000-4000-8000-000000000002\"",
    "\"00000000-0000-4000-8000-0000000000d1\"",
    "\"alice001\"",
    "\"meUser01\"",
    "\"m1\"",
    "\"m2\"",
    "\"nosuch\"",
    "\"\"",
    "7",
    "null",
    "{}",
    "[1]",
];

/// Reads the input bytes one choice at a time (0 once they run out).
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }
    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[usize::from(self.byte()) % items.len()]
    }
    fn done(&self) -> bool {
        self.0.is_empty()
    }
}

/// One gateway event from a template: its name, and every key field any event reads.
fn event_text(b: &mut Bytes) -> String {
    let kind = b.pick(EventKind::ALL);
    let mut id = || *b.pick(IDS);
    format!(
        r#"["{name}",{{"type":"{name}","teamId":{t},"channelId":{c},"userId":{u},
            "isRemoved":{rm},"message":{{"id":{m},"channelId":{c2},"createdBy":{u2},
            "createdAt":"2021-01-01T00:00:{s:02}.000Z","editedAt":"2021-01-01T00:01:{s:02}.000Z",
            "content":"x"}},"channel":{{"id":{c3},"teamId":{t2},"name":"n","contentType":"chat"}},
            "user":{{"id":{u3},"name":"n"}},"reaction":{{"customReactionId":1,"createdBy":{u4}}}}}]"#,
        name = kind.wire_name(),
        t = id(),
        c = id(),
        u = id(),
        rm = if id().len() % 2 == 0 { "true" } else { "false" },
        m = id(),
        c2 = id(),
        u2 = id(),
        s = id().len() % 60,
        c3 = id(),
        t2 = id(),
        u3 = id(),
        u4 = id(),
    )
}

/// The app after its initial load, and the time it loaded at: built once, cloned for each
/// input (building it costs far more than a short script, and a fixed start makes every run
/// repeatable).
fn loaded() -> &'static (App, Instant) {
    static LOADED: OnceLock<(App, Instant)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let settings = Settings {
            history_limit: 8,
            ..Settings::default()
        };
        let mut app = App::new(settings, Keymap::default(), 1);
        let now = Instant::now();
        app::update(&mut app, Msg::Loaded(initial()), now);
        (app, now)
    })
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let (app, now) = loaded();
    let (mut app, mut now) = (app.clone(), *now);
    let channels = [GENERAL, RANDOM, DM, "nosuch"];
    while !b.done() {
        now += Duration::from_millis(u64::from(b.byte()) * 37);
        let msg = match b.byte() % 8 {
            0..=3 => match decode_event(&event_text(&mut b)) {
                Ok(event) => Msg::Gateway(event),
                Err(_) => continue,
            },
            4 => Msg::Link {
                group: if b.byte() % 2 == 0 {
                    LinkGroup::Main
                } else {
                    LinkGroup::Team((*b.pick(&[TEAM, "7", "nosuch"])).into())
                },
                state: *b.pick(&[
                    LinkStatus::Connected,
                    LinkStatus::Connecting,
                    LinkStatus::Offline,
                    LinkStatus::Reconnecting { at: now },
                ]),
            },
            5 => Msg::Tick,
            6 => {
                let channel = *b.pick(&channels);
                let n = usize::from(b.byte() % 16);
                let base = i64::from(b.byte());
                Msg::History {
                    channel: channel.into(),
                    messages: (0..n)
                        .map(|i| {
                            let at = base + i64::try_from(i).unwrap_or(0);
                            message(&format!("h{at}"), channel, "alice001", at, "x")
                        })
                        .collect(),
                    has_past: b.byte() % 2 == 0,
                    older: b.byte() % 2 == 0,
                }
            }
            _ => {
                use gilt::app::key::{Key, KeyCode, Mods};
                let code = *b.pick(&[
                    KeyCode::Up,
                    KeyCode::Down,
                    KeyCode::PageUp,
                    KeyCode::PageDown,
                    KeyCode::End,
                    KeyCode::Home,
                    KeyCode::Enter,
                    KeyCode::Esc,
                    KeyCode::Tab,
                    KeyCode::Char('x'),
                    KeyCode::Char('d'),
                    KeyCode::Char('y'),
                ]);
                let mods = *b.pick(&[Mods::NONE, Mods::ALT, Mods::CTRL]);
                Msg::Key(Key::new(code, mods))
            }
        };
        let teams_before: Vec<_> = app.teams.iter().map(|t| t.id.clone()).collect();
        let loaded_team = match &msg {
            Msg::TeamLoaded(t) => Some(t.id.clone()),
            _ => None,
        };
        for effect in app::update(&mut app, msg, now) {
            if let Effect::OpenTeamSocket { team } = &effect {
                assert!(
                    teams_before.contains(team) || loaded_team.as_ref() == Some(team),
                    "a socket for {team}, which REST never confirmed"
                );
            }
        }
        for (id, tl) in &app.timelines {
            assert!(tl.len() <= 8 * 4 + 64, "{id}: {} messages", tl.len());
        }
        assert!(
            app.links.keys().all(|g| match g {
                LinkGroup::Main => true,
                LinkGroup::Team(t) => app.teams.iter().any(|team| &team.id == t),
            }),
            "link state of a team we are not in: {:?}",
            app.links
        );
    }
});
