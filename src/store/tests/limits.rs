//! Limits: messages per channel and the size cap, checked in batches.

use super::*;
use crate::store::limits::PRUNE_EVERY;

fn count(h: &StoreHandle, channel: &'static str) -> usize {
    h.query(move |q| q.recent_messages(&channel.into(), usize::MAX))
        .wait()
        .unwrap()
        .messages
        .len()
}

#[test]
fn each_channel_keeps_its_newest_messages_checked_in_batches() {
    let dir = TempDir::new("per-channel");
    let limits = Limits {
        per_channel: 100,
        ..Limits::default()
    };
    let store = open_with(&dir, limits);
    let h = store.handle();
    let busy = numbered("busy", "c1", PRUNE_EVERY + 200);
    let quiet = numbered("quiet", "c2", 150);

    // Under a batch's worth of new messages nothing is checked yet.
    write_all(&h, [Write::Messages(quiet.clone())]);
    assert_eq!(count(&h, "c2"), 150, "not checked after every insert");

    write_all(&h, [Write::Messages(busy.clone())]);
    let kept = h
        .query(|q| q.recent_messages(&"c1".into(), 1000))
        .wait()
        .unwrap();
    assert_eq!(kept.messages.len(), 100);
    assert_eq!(
        ids(&kept.messages),
        ids(&busy[busy.len() - 100..]),
        "the newest"
    );
    assert!(!kept.more);
    assert_eq!(count(&h, "c2"), 100, "c2 took part in the same batch");
}

#[test]
fn opening_applies_the_limits_to_every_channel() {
    let dir = TempDir::new("at-open");
    {
        let store = open(&dir);
        write_all(
            &store.handle(),
            [
                Write::Messages(numbered("a", "c1", 300)),
                Write::Messages(numbered("b", "c2", 50)),
            ],
        );
    }
    let store = open_with(
        &dir,
        Limits {
            per_channel: 120,
            ..Limits::default()
        },
    );
    let h = store.handle();
    assert_eq!(count(&h, "c1"), 120);
    assert_eq!(count(&h, "c2"), 50);
}

#[test]
fn over_the_size_cap_the_oldest_messages_of_all_channels_go() {
    let dir = TempDir::new("size");
    let max_bytes = 2 * 1024 * 1024;
    let store = open_with(
        &dir,
        Limits {
            per_channel: usize::MAX,
            max_bytes,
        },
    );
    let h = store.handle();
    let total = 12 * PRUNE_EVERY;
    let mut newest = String::new();
    for batch in 0..12 {
        let mut page = numbered(&format!("b{batch:02}"), "c1", PRUNE_EVERY);
        for (i, m) in page.iter_mut().enumerate() {
            // Later batches are later in time, across both channels.
            m.created_at = jiff::Timestamp::from_second(
                1_700_000_000 + i64::try_from(batch * PRUNE_EVERY + i).unwrap(),
            )
            .unwrap();
            if i % 2 == 1 {
                m.channel_id = "c2".into();
            }
            m.content = plain(&format!("{} {}", "padding words ".repeat(12), m.id)).into();
        }
        newest = page.last().unwrap().id.to_string();
        h.write(Write::Messages(page));
    }
    h.flush().wait().unwrap();
    let (used, stored) = h
        .query(|q| Ok((crate::store::used_bytes(q.conn)?, q.message_count()?)))
        .wait()
        .unwrap();
    assert!(used <= max_bytes, "{used} bytes used, cap {max_bytes}");
    assert!(stored < total as u64, "something was dropped");
    assert!(stored > 0);
    let oldest_left: String = h
        .query(|q| {
            q.conn
                .query_row("SELECT id FROM messages ORDER BY seq LIMIT 1", [], |r| {
                    r.get(0)
                })
        })
        .wait()
        .unwrap();
    assert!(oldest_left.as_str() > "b00-000000", "the oldest went first");
    let newest_kept = h
        .query(|q| {
            q.conn.query_row(
                "SELECT id FROM messages ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get::<_, String>(0),
            )
        })
        .wait()
        .unwrap();
    assert_eq!(newest_kept, newest);
    let fts_ok = h
        .query(|q| {
            q.conn.execute(
                "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')",
                [],
            )
        })
        .wait();
    assert!(fts_ok.is_ok(), "{fts_ok:?}");
}
