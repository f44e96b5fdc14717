//! Search: ranking, filters, snippets, and hostile input.

use std::fmt::Write as _;

use jiff::tz::TimeZone;

use super::*;
use crate::store::{SearchHit, SearchQuery};

/// A store with the world's sidebar and a few messages in three channels of two teams.
fn searchable() -> (TempDir, Store) {
    let dir = TempDir::new("search");
    let store = open(&dir);
    let messages = vec![
        msg(
            "g1",
            world::GENERAL,
            "alice001",
            "2024-04-29T09:00:00Z",
            "the deploy went fine",
        ),
        msg(
            "g2",
            world::GENERAL,
            "bob00001",
            "2024-04-30T09:00:00Z",
            "Deploy failed again, looking",
        ),
        msg(
            "g3",
            world::GENERAL,
            "alice001",
            "2024-05-01T09:00:00Z",
            "déploiement: le déploy est fait",
        ),
        msg(
            "d1",
            world::DEV,
            "bob00001",
            "2024-05-02T09:00:00Z",
            "the deploy pipeline is green",
        ),
        msg(
            "d2",
            world::DEV,
            "alice001",
            "2024-05-03T09:00:00Z",
            "lunch? deployment can wait",
        ),
        msg(
            "o1",
            OTHER_TEAM_CHANNEL,
            "carol001",
            "2024-05-04T09:00:00Z",
            "how do I deploy a crate",
        ),
        msg(
            "x1",
            world::DM_ALICE,
            "alice001",
            "2024-05-05T09:00:00Z",
            "\u{1b}[2J\u{1b}]0;pwned\u{7}deploy\u{9b}31m now\nplease",
        ),
    ];
    write_all(
        &store.handle(),
        [
            Write::Loaded(Box::new(world_data())),
            Write::Messages(messages),
        ],
    );
    (dir, store)
}

fn search(store: &Store, prompt: &str) -> Vec<SearchHit> {
    let query = SearchQuery::parse(prompt);
    store
        .handle()
        .query(move |q| q.search(&query, &TimeZone::UTC, 50))
        .wait()
        .unwrap()
}

fn found(store: &Store, prompt: &str) -> Vec<String> {
    search(store, prompt)
        .iter()
        .map(|h| h.message_id.to_string())
        .collect()
}

#[test]
fn newest_first_across_channels_and_teams() {
    let (_dir, store) = searchable();
    assert_eq!(
        found(&store, "deploy "),
        ["x1", "o1", "d1", "g3", "g2", "g1"],
        "whole words, any case, accents folded"
    );
    assert_eq!(
        found(&store, "deploy"),
        ["x1", "o1", "d2", "d1", "g3", "g2", "g1"],
        "while typed, the word is a prefix (deployment, too)"
    );
    assert_eq!(
        found(&store, "deploy failed "),
        ["g2"],
        "every word must match"
    );
    assert_eq!(found(&store, "\"went fine\" "), ["g1"], "a phrase");
    assert!(found(&store, "nothing-like-this ").is_empty());
}

#[test]
fn a_hit_names_its_channel_team_author_and_time() {
    let (_dir, store) = searchable();
    let hits = search(&store, "crate ");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit.channel_id, OTHER_TEAM_CHANNEL);
    assert_eq!(hit.channel_name.as_deref(), Some("crates"));
    assert_eq!(
        hit.team_id.as_ref().map(ToString::to_string).as_deref(),
        Some(TEAM2)
    );
    assert_eq!(hit.author_id, "carol001");
    assert_eq!(hit.author_name, "carol");
    assert_eq!(hit.created_at, world::ts("2024-05-04T09:00:00Z"));
    // The team nickname is preferred; a DM has no team.
    let hit = &search(&store, "fine ")[0];
    assert_eq!(hit.author_name, "Ali");
    let hit = &search(&store, "please ")[0];
    assert_eq!(hit.team_id, None);
    assert_eq!(hit.channel_name.as_deref(), Some("alice"));
}

#[test]
fn filters_narrow_by_channel_author_and_date() {
    let (_dir, store) = searchable();
    assert_eq!(found(&store, "deploy in:#dev"), ["d1"]);
    assert_eq!(
        found(&store, "deploy in:DEV in:general "),
        ["d1", "g3", "g2", "g1"]
    );
    assert_eq!(found(&store, "deploy from:bob"), ["d1", "g2"]);
    assert_eq!(
        found(&store, "deploy from:@Ali "),
        ["x1", "g3", "g1"],
        "by nickname"
    );
    assert_eq!(found(&store, "deploy from:carol001"), ["o1"], "by id");
    assert_eq!(
        found(&store, "deploy after:2024-04-29 before:2024-05-03"),
        ["d1", "g3", "g2"],
        "after the end of the 29th, before the start of the 3rd"
    );
    assert!(found(&store, "deploy in:#nowhere").is_empty());
    assert!(found(&store, "deploy from:nobody").is_empty());
}

#[test]
fn filters_alone_find_messages_too() {
    let (_dir, store) = searchable();
    assert_eq!(found(&store, "in:#dev"), ["d2", "d1"]);
    assert_eq!(found(&store, "from:bob before:2024-05-01"), ["g2"]);
    let hits = search(&store, "in:#dev");
    assert_eq!(hits[0].snippet.text, "lunch? deployment can wait");
    assert!(hits[0].snippet.matches.is_empty());
    assert!(
        found(&store, "").is_empty(),
        "an empty prompt finds nothing"
    );
}

#[test]
fn snippets_mark_the_matches_and_carry_no_control_characters() {
    let (_dir, store) = searchable();
    let hits = search(&store, "deploy ");
    for hit in &hits {
        let s = &hit.snippet;
        assert!(!s.text.chars().any(char::is_control), "{:?}", s.text);
        assert!(!s.matches.is_empty(), "{:?}", s.text);
        for range in &s.matches {
            assert!(
                s.text[range.clone()].to_lowercase().starts_with('d'),
                "{:?} in {:?}",
                &s.text[range.clone()],
                s.text
            );
        }
    }
    let hostile = &hits[0].snippet;
    assert_eq!(hits[0].message_id, "x1");
    assert_eq!(&hostile.text[hostile.matches[0].clone()], "deploy");
    let g3 = hits.iter().find(|h| h.message_id == "g3").unwrap();
    let words: Vec<&str> = g3
        .snippet
        .matches
        .iter()
        .map(|r| &g3.snippet.text[r.clone()])
        .collect();
    assert_eq!(words, ["déploy"], "the match as written");
}

#[test]
fn nothing_the_user_types_is_an_error() {
    let (_dir, store) = searchable();
    for prompt in [
        "\"",
        "\"\"",
        "*",
        "deploy OR lunch",
        "NEAR(deploy lunch)",
        "text:deploy",
        "^deploy",
        "deploy AND",
        "(",
        "-deploy",
        "in:\"",
        "from:'; DROP TABLE messages; --",
        "before:2024-13-45",
        "🦀",
        "\u{0}",
    ] {
        let query = SearchQuery::parse(prompt);
        let result = store
            .handle()
            .query(move |q| q.search(&query, &TimeZone::UTC, 50))
            .wait();
        assert!(result.is_ok(), "{prompt:?}: {result:?}");
    }
    assert!(
        found(&store, "deploy OR lunch ").is_empty(),
        "OR is a word here"
    );
    assert_eq!(
        found(&store, "in:#dev").len(),
        2,
        "the table is still there"
    );
}

#[test]
fn any_number_of_filters_is_one_query() {
    let (_dir, store) = searchable();
    let mut prompt = "deploy".to_owned();
    for i in 0..1200 {
        let _ = write!(prompt, " in:#nowhere{i}");
    }
    prompt.push_str(" in:#DEV");
    for i in 0..300 {
        let _ = write!(prompt, " from:nobody{i}");
    }
    prompt.push_str(" from:bob ");
    assert_eq!(found(&store, &prompt), ["d1"]);
}

#[test]
fn deleted_messages_are_not_found() {
    let (_dir, store) = searchable();
    write_all(&store.handle(), [Write::DeleteMessage("g2".into())]);
    assert_eq!(found(&store, "deploy "), ["x1", "o1", "d1", "g3", "g1"]);
    assert_eq!(found(&store, "from:bob"), ["d1"]);
}

#[test]
fn filters_in_the_index_and_in_sql_find_the_same_newest_messages() {
    let (_dir, store) = searchable();
    let h = store.handle();
    // A common word over many #general messages: the channel's tokens in the index.
    let many = numbered("n", world::GENERAL, 300);
    write_all(&h, [Write::Messages(many.clone())]);
    let newest: Vec<String> = ids(&many[many.len() - 50..]).into_iter().rev().collect();
    assert_eq!(found(&store, "number in:#general"), newest);
    assert_eq!(found(&store, "pipeline in:#dev from:bob"), ["d1"]);
    assert_eq!(found(&store, "number in:#dev"), Vec::<String>::new());
    // 70 channels and 70 people sharing one name: more ids than the index is asked for,
    // so those filters are checked in SQL, with the same answers.
    h.query(|q| {
        for i in 0..70 {
            q.conn.execute(
                "INSERT INTO channels (id, kind, content_type, name) VALUES (?1, 'dm', 'chat', 'busy')",
                [format!("busy{i:02}")],
            )?;
            q.conn.execute(
                "INSERT INTO users (id, name) VALUES (?1, 'sam')",
                [format!("sam{i:05}")],
            )?;
        }
        Ok(())
    })
    .wait()
    .unwrap();
    let busy: Vec<Message> = (0..70)
        .map(|i| {
            let author = if i % 2 == 0 {
                "alice001".to_owned()
            } else {
                format!("sam{i:05}")
            };
            let mut m = msg(
                &format!("b{i:02}"),
                &format!("busy{i:02}"),
                &author,
                "2024-06-01T00:00:00Z",
                "deploy from a busy channel",
            );
            m.created_at = jiff::Timestamp::from_second(1_717_200_000 + i).unwrap();
            m
        })
        .collect();
    write_all(&h, [Write::Messages(busy)]);
    let every = |parity: usize| -> Vec<String> {
        (0..70)
            .rev()
            .filter(|i| i % 2 == parity)
            .map(|i| format!("b{i:02}"))
            .collect()
    };
    assert_eq!(found(&store, "deploy from:sam"), every(1), "authors in SQL");
    let newest: Vec<String> = (20..70).rev().map(|i| format!("b{i:02}")).collect();
    assert_eq!(found(&store, "deploy in:#busy"), newest, "channels in SQL");
    assert_eq!(found(&store, "in:#busy from:sam"), every(1), "both in SQL");
    assert_eq!(
        found(&store, "busy in:#busy from:alice"),
        every(0),
        "channels in SQL, the author in the index"
    );
}

#[test]
fn the_filters_tokens_are_not_words() {
    let (_dir, store) = searchable();
    let hex = world::GENERAL.bytes().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    });
    assert!(found(&store, &format!("ch{hex} ")).is_empty());
    assert!(found(&store, "ch").is_empty(), "not even as a prefix");
    assert!(found(&store, "au").is_empty());
}
