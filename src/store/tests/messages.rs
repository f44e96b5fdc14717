//! Messages: the upsert rule, deletes, paging, and a faithful round trip.

use super::*;
use crate::app::model::{Delivery, Reaction};
use crate::protocol::content::{Block, Marks, RichText};
use crate::store::SearchQuery;
use crate::store::messages::SEQ_SLOTS;
use crate::testkit::world::{conversation, marked, para, text, ts};

fn stored(h: &StoreHandle, channel: &'static str) -> Vec<Message> {
    h.query(move |q| q.recent_messages(&channel.into(), 1000))
        .wait()
        .unwrap()
        .messages
}

#[test]
fn messages_round_trip_with_body_replies_reactions_and_flags() {
    let dir = TempDir::new("roundtrip");
    let store = open(&dir);
    let h = store.handle();
    let mut originals = conversation();
    originals[0].reactions = vec![Reaction {
        emoji_id: 90_001_815,
        name: "tada".into(),
        users: vec!["alice001".into(), "bob00001".into()],
        count: 3,
        mine: true,
    }];
    originals[1].is_pinned = true;
    originals[1].mentions_me = true;
    originals[2].is_system = true;
    originals[3].edited_at = Some(ts("2026-11-25T09:00:00Z"));
    write_all(&h, [Write::Messages(originals.clone())]);
    let mut back = stored(&h, world::GENERAL);
    // The store keeps the document; compare with what the document says (the codec fills
    // in what a hand-built body may leave out, like an `@everyone` mention's id).
    let mut expected: Vec<Message> = originals
        .into_iter()
        .map(|mut m| {
            let document = serde_json::to_string(&m.content).unwrap();
            m.content = crate::protocol::content::parse_document(&document)
                .unwrap()
                .into();
            m
        })
        .collect();
    expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    back.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    assert_eq!(back.len(), expected.len());
    for (b, e) in back.iter().zip(&expected) {
        assert_eq!(b, e, "message {}", e.id);
    }
}

#[test]
fn a_newer_edit_wins_and_an_older_copy_never_overwrites_it() {
    let dir = TempDir::new("upsert");
    let store = open(&dir);
    let h = store.handle();
    let original = msg(
        "m1",
        "c1",
        "alice001",
        "2024-05-01T10:00:00Z",
        "first words",
    );
    let mut edited = msg(
        "m1",
        "c1",
        "alice001",
        "2024-05-01T10:00:00Z",
        "second words",
    );
    edited.edited_at = Some(ts("2024-05-01T10:05:00Z"));
    let mut edited_again = msg(
        "m1",
        "c1",
        "alice001",
        "2024-05-01T10:00:00Z",
        "third words",
    );
    edited_again.edited_at = Some(ts("2024-05-01T10:09:00Z"));

    write_all(&h, [Write::Messages(vec![original.clone()])]);
    write_all(&h, [Write::Messages(vec![edited_again.clone()])]);
    // Stale copies arrive late (an old history page, a replayed event): both ignored.
    write_all(
        &h,
        [Write::Messages(vec![original.clone(), edited.clone()])],
    );
    assert_eq!(stored(&h, "c1"), [edited_again.clone()]);

    // An equally new copy refreshes reactions and the pin, not the body.
    let mut reacted = edited_again.clone();
    reacted.is_pinned = true;
    reacted.reactions = vec![Reaction {
        emoji_id: 1,
        name: "1".into(),
        users: Vec::new(),
        count: 1,
        mine: false,
    }];
    reacted.content = plain("a body that must not win").into();
    write_all(&h, [Write::Messages(vec![reacted.clone()])]);
    let back = stored(&h, "c1");
    assert_eq!(back[0].content, edited_again.content);
    assert_eq!(back[0].reactions, reacted.reactions);
    assert!(back[0].is_pinned);

    // The search index follows the body.
    let found = |word: &str| {
        let query = SearchQuery::parse(&format!("{word} "));
        h.query(move |q| q.search(&query, &jiff::tz::TimeZone::UTC, 10))
            .wait()
            .unwrap()
            .len()
    };
    assert_eq!((found("first"), found("second"), found("third")), (0, 0, 1));
}

#[test]
fn a_deleted_message_stays_deleted() {
    let dir = TempDir::new("delete");
    let store = open(&dir);
    let h = store.handle();
    let m = msg(
        "m1",
        "c1",
        "alice001",
        "2024-05-01T10:00:00Z",
        "secret plans",
    );
    write_all(
        &h,
        [
            Write::Messages(vec![m.clone()]),
            Write::DeleteMessage("m1".into()),
            Write::DeleteMessage("never-stored".into()),
        ],
    );
    assert!(stored(&h, "c1").is_empty());
    let mut newer = m.clone();
    newer.edited_at = Some(ts("2024-05-02T00:00:00Z"));
    write_all(&h, [Write::Messages(vec![m, newer])]);
    assert!(
        stored(&h, "c1").is_empty(),
        "a stale copy does not resurrect it"
    );
    let query = SearchQuery::parse("secret");
    let hits = h
        .query(move |q| q.search(&query, &jiff::tz::TimeZone::UTC, 10))
        .wait()
        .unwrap();
    assert!(hits.is_empty(), "its text left the index");
}

#[test]
fn pending_and_failed_echoes_are_not_stored() {
    let dir = TempDir::new("echo");
    let store = open(&dir);
    let h = store.handle();
    let mut pending = msg("p1", "c1", world::ME, "2024-05-01T10:00:00Z", "sending");
    pending.delivery = Delivery::Pending;
    let mut failed = msg("f1", "c1", world::ME, "2024-05-01T10:00:00Z", "failed");
    failed.delivery = Delivery::Failed {
        error: "offline".into(),
    };
    write_all(&h, [Write::Messages(vec![pending, failed])]);
    assert!(stored(&h, "c1").is_empty());
}

#[test]
fn pages_go_back_and_forth_in_time_order() {
    let dir = TempDir::new("paging");
    let store = open(&dir);
    let h = store.handle();
    let all = numbered("m", "c1", 30);
    // Stored in a scrambled order: newest page first, as a client scrolling back does.
    let mut scrambled = all.clone();
    scrambled.reverse();
    scrambled.rotate_left(7);
    write_all(
        &h,
        [
            Write::Messages(scrambled),
            Write::Messages(numbered("x", "c2", 5)),
        ],
    );
    let all_ids = ids(&all);

    let recent = h
        .query(|q| q.recent_messages(&"c1".into(), 10))
        .wait()
        .unwrap();
    assert_eq!(ids(&recent.messages), all_ids[20..]);
    assert!(recent.more);
    let older = h
        .query(|q| q.messages_before(&"c1".into(), &"m-000020".into(), 15))
        .wait()
        .unwrap();
    assert_eq!(ids(&older.messages), all_ids[5..20]);
    assert!(older.more);
    let oldest = h
        .query(|q| q.messages_before(&"c1".into(), &"m-000005".into(), 15))
        .wait()
        .unwrap();
    assert_eq!(ids(&oldest.messages), all_ids[..5]);
    assert!(!oldest.more);
    let newer = h
        .query(|q| q.messages_after(&"c1".into(), &"m-000025".into(), 10))
        .wait()
        .unwrap();
    assert_eq!(ids(&newer.messages), all_ids[26..]);
    assert!(!newer.more);
    let around = h
        .query(|q| q.messages_around(&"m-000010".into(), 2))
        .wait()
        .unwrap();
    assert_eq!(ids(&around), all_ids[8..13]);
    let by_time = h
        .query(|q| q.messages_before_time(&"c1".into(), ts("2024-01-01T00:00:12Z"), 5))
        .wait()
        .unwrap();
    assert_eq!(ids(&by_time.messages), all_ids[7..12], "strictly before");
    assert!(by_time.more);
    let unknown = h
        .query(|q| q.messages_before(&"c1".into(), &"nope".into(), 5))
        .wait()
        .unwrap();
    assert!(unknown.messages.is_empty() && !unknown.more);
}

#[test]
fn messages_created_at_the_same_instant_are_all_kept_in_order() {
    let dir = TempDir::new("same-time");
    let store = open(&dir);
    let h = store.handle();
    let same: Vec<Message> = (0..50)
        .map(|i| {
            msg(
                &format!("s{i:02}"),
                "c1",
                "alice001",
                "2024-05-01T10:00:00Z",
                "burst",
            )
        })
        .collect();
    let later = msg("t1", "c1", "alice001", "2024-05-01T10:00:00.001Z", "after");
    write_all(&h, [Write::Messages(same), Write::Messages(vec![later])]);
    let back = stored(&h, "c1");
    assert_eq!(back.len(), 51);
    assert_eq!(
        back.last().unwrap().id,
        "t1",
        "the later message stays last"
    );
}

/// A hostile server's flood of one instant: the rowids stay within `SEQ_SLOTS` of the
/// creation time (what time-bounded queries rely on), so every stored message of that
/// instant is found by time; what does not fit is not stored.
#[test]
fn a_flood_of_one_instant_stays_within_its_rowid_slots() {
    let dir = TempDir::new("flood");
    let store = open(&dir);
    let h = store.handle();
    let slots = usize::try_from(SEQ_SLOTS).unwrap();
    let flood: Vec<Message> = (0..slots + 200)
        .map(|i| {
            msg(
                &format!("f{i:05}"),
                "c1",
                "alice001",
                "2024-05-01T10:00:00Z",
                "flood",
            )
        })
        .collect();
    let later = msg("t1", "c1", "alice001", "2024-05-01T10:00:00.001Z", "after");
    write_all(&h, [Write::Messages(flood), Write::Messages(vec![later])]);
    let outside: u64 = h
        .query(|q| {
            q.conn.query_row(
                "SELECT count(*) FROM messages WHERE seq >= created_at + ?1",
                [SEQ_SLOTS],
                |r| r.get(0),
            )
        })
        .wait()
        .unwrap();
    assert_eq!(outside, 0, "every rowid within its slots");
    let count = h.query(|q| q.message_count()).wait().unwrap();
    assert_eq!(
        usize::try_from(count).unwrap(),
        slots + 1,
        "the flood's first {slots}, and t1"
    );
    let newest = h
        .query(|q| q.recent_messages(&"c1".into(), 1))
        .wait()
        .unwrap();
    assert_eq!(ids(&newest.messages), ["t1"]);
    let by_time = h
        .query(|q| {
            q.messages_before_time(&"c1".into(), ts("2024-05-01T10:00:00.000001Z"), usize::MAX)
        })
        .wait()
        .unwrap();
    assert_eq!(by_time.messages.len(), slots, "all of the instant, by time");
}

#[test]
fn a_body_the_store_cannot_read_is_empty_text_not_an_error() {
    let dir = TempDir::new("bad-body");
    let store = open(&dir);
    let h = store.handle();
    write_all(
        &h,
        [Write::Messages(vec![message(
            "m1",
            "c1",
            "alice001",
            "2024-05-01T10:00:00Z",
            RichText {
                blocks: vec![para(vec![text("fine "), marked("bold", Marks::BOLD)])],
            },
        )])],
    );
    h.query(|q| {
        q.conn.execute(
            "UPDATE messages SET document = '{broken' WHERE id = 'm1'",
            [],
        )
    })
    .wait()
    .unwrap();
    let back = stored(&h, "c1");
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].content.blocks, Vec::<Block>::new());
}

#[test]
fn changes_to_a_stored_message_apply_the_newer_edit_reactions_and_pins() {
    use crate::app::timeline::add_reaction;
    let dir = TempDir::new("changes");
    let store = open(&dir);
    let h = store.handle();
    let original = msg(
        "m1",
        "c1",
        "alice001",
        "2024-01-01T00:00:00Z",
        "first words",
    );
    write_all(&h, [Write::Messages(vec![original])]);
    let reaction = |user: &str, added| Write::Reaction {
        message_id: "m1".into(),
        emoji_id: 90_001_815,
        emoji_name: Some("tada".into()),
        user: user.into(),
        me: world::ME.into(),
        added,
    };
    write_all(
        &h,
        [
            Write::Edit {
                message_id: "m1".into(),
                content: plain("second words"),
                edited_at: Some(ts("2024-01-01T00:05:00Z")),
            },
            // An older edit arriving late changes nothing.
            Write::Edit {
                message_id: "m1".into(),
                content: plain("stale words"),
                edited_at: Some(ts("2024-01-01T00:01:00Z")),
            },
            reaction("bob00001", true),
            reaction(world::ME, true),
            reaction("bob00001", false),
            Write::Pin {
                message_id: "m1".into(),
                pinned: true,
            },
            // Unknown messages are ignored.
            Write::Pin {
                message_id: "nope".into(),
                pinned: true,
            },
        ],
    );
    let [m] = &stored(&h, "c1")[..] else {
        panic!("one message");
    };
    assert_eq!(m.content.plain_text(), "second words");
    assert_eq!(m.edited_at, Some(ts("2024-01-01T00:05:00Z")));
    assert!(m.is_pinned);
    let mut expected = Vec::new();
    add_reaction(
        &mut expected,
        90_001_815,
        Some("tada"),
        &world::ME.into(),
        &world::ME.into(),
    );
    assert_eq!(m.reactions, expected);
    assert!(m.reactions[0].mine);
    // The edit is what search finds.
    let found = h
        .query(|q| q.search(&SearchQuery::parse("second"), &jiff::tz::TimeZone::UTC, 10))
        .wait()
        .unwrap();
    assert_eq!(found.len(), 1);
    let stale = h
        .query(|q| q.search(&SearchQuery::parse("first"), &jiff::tz::TimeZone::UTC, 10))
        .wait()
        .unwrap();
    assert!(stale.is_empty());
}
