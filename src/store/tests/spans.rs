//! Gap tracking: which stored stretches are complete, and pages that never skip what the
//! store never had.

use super::*;
use crate::store::{BEGINNING, Page, Span};

fn span(channel: &str, from: Option<&Message>, to: &Message) -> Write {
    Write::Span {
        channel: channel.into(),
        from: from.map(|m| m.created_at),
        to: to.created_at,
    }
}

fn micros(m: &Message) -> i64 {
    m.created_at.as_microsecond()
}

fn before(h: &StoreHandle, at: &Message, limit: usize) -> Option<Page> {
    let at = at.created_at;
    h.query(move |q| q.page_before(&"c1".into(), at, limit))
        .wait()
        .unwrap()
}

#[test]
fn spans_that_touch_or_overlap_merge_and_apart_ones_stay_apart() {
    let dir = TempDir::new("spans-merge");
    let store = open(&dir);
    let h = store.handle();
    let all = numbered("m", "c1", 100);
    write_all(
        &h,
        [
            Write::Messages(all.clone()),
            span("c1", Some(&all[10]), &all[20]),
            span("c1", Some(&all[40]), &all[50]),
            // Touches the first at its end: one span 10..=30.
            span("c1", Some(&all[20]), &all[30]),
            span("c2", Some(&all[0]), &all[99]),
        ],
    );
    let spans = h.query(|q| q.spans(&"c1".into())).wait().unwrap();
    assert_eq!(
        spans,
        [
            Span {
                start: micros(&all[10]),
                end: micros(&all[30])
            },
            Span {
                start: micros(&all[40]),
                end: micros(&all[50])
            },
        ]
    );
    // One that bridges both, from the channel's beginning: everything is one span.
    write_all(&h, [span("c1", None, &all[45])]);
    let spans = h.query(|q| q.spans(&"c1".into())).wait().unwrap();
    assert_eq!(
        spans,
        [Span {
            start: BEGINNING,
            end: micros(&all[50])
        }]
    );
}

#[test]
fn a_page_from_the_store_stops_at_a_gap_and_the_server_is_asked_beyond_it() {
    let dir = TempDir::new("spans-gap");
    let store = open(&dir);
    let h = store.handle();
    let all = numbered("m", "c1", 100);
    // Stored: 0..40 (from the beginning, as a page that said "no more" would mark) and
    // 60..100; 40..60 was never stored, yet two messages of it came alone (live events in a
    // channel nobody was watching).
    let mut stored: Vec<Message> = all[..40].to_vec();
    stored.extend_from_slice(&all[60..]);
    stored.push(all[47].clone());
    stored.push(all[52].clone());
    write_all(
        &h,
        [
            Write::Messages(stored),
            span("c1", None, &all[39]),
            span("c1", Some(&all[60]), &all[99]),
        ],
    );
    let ids_of = |p: &Page| ids(&p.messages);

    // The newest page is the newest span's.
    let latest = h.query(|q| q.latest_page(&"c1".into(), 25)).wait().unwrap();
    assert_eq!(ids_of(&latest), ids(&all[75..]));
    assert!(latest.more);

    // Paging back inside the span: full pages, then a short one at the span's start (the
    // lone messages of the gap are not in it), then nothing the store can say.
    let page = before(&h, &all[75], 10).unwrap();
    assert_eq!(ids_of(&page), ids(&all[65..75]));
    assert!(page.more);
    let page = before(&h, &all[65], 10).unwrap();
    assert_eq!(ids_of(&page), ids(&all[60..65]), "stops at the gap");
    assert!(page.more, "older messages exist: on the server");
    assert_eq!(before(&h, &all[60], 10), None, "the server's turn");
    // A message the store holds alone is no anchor either.
    assert_eq!(before(&h, &all[52], 10), None);

    // Past the gap (once the server's page marked it), the old span answers, to its start.
    let page = before(&h, &all[30], 50).unwrap();
    assert_eq!(ids_of(&page), ids(&all[..30]));
    assert!(!page.more, "the channel's beginning");

    // The server's page fills the gap: one span, and the store pages straight through.
    write_all(
        &h,
        [
            Write::Messages(all[40..60].to_vec()),
            span("c1", Some(&all[39]), &all[60]),
        ],
    );
    let page = before(&h, &all[65], 30).unwrap();
    assert_eq!(ids_of(&page), ids(&all[35..65]));
}

#[test]
fn a_search_result_comes_with_its_span_neighbours_only() {
    let dir = TempDir::new("spans-around");
    let store = open(&dir);
    let h = store.handle();
    let all = numbered("m", "c1", 50);
    let mut stored: Vec<Message> = all[..20].to_vec();
    stored.push(all[30].clone());
    stored.extend_from_slice(&all[40..]);
    write_all(
        &h,
        [
            Write::Messages(stored),
            span("c1", Some(&all[0]), &all[19]),
            span("c1", Some(&all[40]), &all[49]),
        ],
    );
    let around = |id: &'static str, n| h.query(move |q| q.around(&id.into(), n)).wait().unwrap();

    let hit = around("m-000010", 3).unwrap();
    assert_eq!(ids(&hit.messages), ids(&all[7..14]));
    assert!(hit.has_past);
    let edge = around("m-000042", 5).unwrap();
    assert_eq!(ids(&edge.messages), ids(&all[40..48]), "not across the gap");
    assert!(edge.has_past);
    let alone = around("m-000030", 5).unwrap();
    assert_eq!(ids(&alone.messages), ["m-000030"], "in no span: alone");
    assert!(alone.has_past);
    assert_eq!(around("nope", 5), None);
}

#[test]
fn pruning_the_oldest_moves_the_spans_past_them() {
    let dir = TempDir::new("spans-prune");
    let limits = Limits {
        per_channel: 100,
        ..Limits::default()
    };
    let store = open_with(&dir, limits);
    let h = store.handle();
    let all = numbered("m", "c1", crate::store::limits::PRUNE_EVERY + 200);
    let newest = all.len() - 1;
    write_all(
        &h,
        [Write::Messages(all.clone()), span("c1", None, &all[newest])],
    );
    let spans = h.query(|q| q.spans(&"c1".into())).wait().unwrap();
    let [kept] = spans.as_slice() else {
        panic!("one span: {spans:?}");
    };
    assert!(
        kept.start > micros(&all[newest - 100]),
        "past every pruned message"
    );
    assert_eq!(kept.end, micros(&all[newest]));
    // The store pages back to the oldest it keeps, then says the server has more.
    let page = before(&h, &all[newest - 50], 100).unwrap();
    assert_eq!(ids(&page.messages), ids(&all[newest - 99..newest - 50]));
    assert!(page.more);
    // A span written after the prune (a page stored just before it) stops there too.
    write_all(&h, [span("c1", None, &all[newest])]);
    let again = h.query(|q| q.spans(&"c1".into())).wait().unwrap();
    assert_eq!(again, spans);
}
