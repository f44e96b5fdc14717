//! The message store: storing 100,000 messages (batched, as history pages and bursts arrive)
//! and searching them (p50/p99 latency through a `StoreHandle`, as the UI would ask).
//!
//! The corpus (`testkit::corpus`) is synthetic but shaped like chat: 50 channels in 2 teams, 40 authors, 3–30
//! words per message from a 5,000-word vocabulary with a skewed (Zipf-like) frequency, so
//! some words are in a third of all messages and others in a handful.
//!
//! `GILT_STORE_BENCH_MESSAGES=N` changes the corpus size (for a quick look).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use gilt::app::model::Message;
use gilt::store::{AccountKey, Limits, SearchQuery, Store, StoreHandle, Write, schema};
use gilt::testkit::corpus::{corpus, sidebar, vocabulary};
use jiff::tz::TimeZone;

/// Messages per write, as a history page or a burst of events would come.
const BATCH: usize = 500;
/// Search results asked for (a screenful and more).
const RESULTS: usize = 50;
/// Runs of each query for the latency percentiles.
const RUNS: usize = 300;

fn message_count() -> usize {
    std::env::var("GILT_STORE_BENCH_MESSAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

fn temp_root(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gilt-bench-store-{label}-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn account() -> AccountKey {
    AccountKey::new("http://bench/api", &"user0000".into())
}

/// Store `messages` in batches and wait until they are committed; the elapsed time.
fn fill(handle: &StoreHandle, messages: &[Message]) -> Duration {
    let started = Instant::now();
    for page in messages.chunks(BATCH) {
        handle.write(Write::Messages(page.to_vec()));
    }
    handle.flush().wait().unwrap();
    started.elapsed()
}

fn bench_store(c: &mut Criterion) {
    let words = vocabulary();
    let messages = corpus(message_count(), &words);
    // Size of the file once closed (the WAL checkpointed into it).
    let root = temp_root("size");
    let store = Store::open(&root, &account(), Limits::default()).unwrap();
    store.handle().write(Write::Loaded(Box::new(sidebar())));
    let took = fill(&store.handle(), &messages);
    let path = store.path().to_owned();
    store.close();
    let bytes = std::fs::metadata(&path).unwrap().len();
    println!(
        "store: {} messages stored in {:.2} s; file {:.1} MiB ({} bytes per message)",
        messages.len(),
        took.as_secs_f64(),
        bytes as f64 / (1024.0 * 1024.0),
        bytes / messages.len() as u64
    );
    std::fs::remove_dir_all(&root).unwrap();
    migrate_from_v2(&messages);

    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function(format!("store {} messages", messages.len()), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let root = temp_root("fill");
                let store = Store::open(&root, &account(), Limits::default()).unwrap();
                total += fill(&store.handle(), &messages);
                store.close();
                std::fs::remove_dir_all(&root).unwrap();
            }
            total
        });
    });
    group.finish();
}

/// The one-time migration of a version-2 file (the full-text index over the text alone) to
/// the current schema, which rebuilds the index with the channel and author tokens: the
/// messages copied into a v2 file, then the time `Store::open` takes on it.
fn migrate_from_v2(messages: &[Message]) {
    let root = temp_root("v2");
    let store = Store::open(&root, &account(), Limits::default()).unwrap();
    store.handle().write(Write::Loaded(Box::new(sidebar())));
    fill(&store.handle(), messages);
    let current = store.path().to_owned();
    store.close();
    let old_root = temp_root("v2-old");
    let path = account().prepare(&old_root).unwrap();
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    schema::configure(&conn).unwrap();
    schema::migrations().to_version(&mut conn, 2).unwrap();
    conn.execute("ATTACH ?1 AS current", [current.display().to_string()])
        .unwrap();
    conn.execute_batch(
        "INSERT INTO meta SELECT * FROM current.meta;
         INSERT INTO messages (seq, id, channel_id, author_id, created_at, edited_at, document,
                               text, replies_to, reactions, is_system, is_pinned, mentions_me,
                               deleted)
             SELECT seq, id, channel_id, author_id, created_at, edited_at, document, text,
                    replies_to, reactions, is_system, is_pinned, mentions_me, deleted
             FROM current.messages;
         DETACH current;",
    )
    .unwrap();
    drop(conn);
    let started = Instant::now();
    let store = Store::open(&old_root, &account(), Limits::default()).unwrap();
    let took = started.elapsed();
    store.close();
    println!(
        "store: a version-2 file of {} messages migrated (index rebuilt) in {:.2} s",
        messages.len(),
        took.as_secs_f64()
    );
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::remove_dir_all(&old_root).unwrap();
}

fn bench_search(c: &mut Criterion) {
    let words = vocabulary();
    let messages = corpus(message_count(), &words);
    let root = temp_root("search");
    let store = Store::open(&root, &account(), Limits::default()).unwrap();
    let handle = store.handle();
    handle.write(Write::Loaded(Box::new(sidebar())));
    fill(&handle, &messages);
    let prompts = [
        ("common word", format!("{} ", words[0])),
        ("rare word", format!("{} ", words[4000])),
        ("two words", format!("{} {} ", words[1], words[30])),
        ("prefix as typed", words[200][..4].to_owned()),
        ("word in:#channel", format!("{} in:#c17", words[2])),
        ("from: alone", "from:person7".to_owned()),
        // The worst case of the plan: a common word whose matches the filters almost all
        // reject, so the whole match list is walked.
        (
            "word in: from:",
            format!("{} in:#c17 from:person3", words[0]),
        ),
        (
            "word before:date",
            format!("{} after:2023-11-16 before:2023-11-20", words[5]),
        ),
        ("no match", "zzzzzz ".to_owned()),
    ];
    let run = |prompt: &str| {
        let query = SearchQuery::parse(prompt);
        handle
            .query(move |q| q.search(&query, &TimeZone::UTC, RESULTS))
            .wait()
            .unwrap()
    };
    println!(
        "search over {} messages, {RESULTS} results asked for:",
        messages.len()
    );
    percentiles(&prompts, &run);
    // The same prompts once the full-text index is merged into one segment.
    let started = Instant::now();
    handle.merge_index().wait().unwrap();
    println!(
        "full-text index merged in {:.2} s; the same prompts again:",
        started.elapsed().as_secs_f64()
    );
    percentiles(&prompts, &run);

    let mut group = c.benchmark_group("search");
    for (name, prompt) in &prompts[..3] {
        group.bench_function(*name, |b| b.iter(|| run(prompt)));
    }
    group.finish();
    drop(handle);
    store.close();
    std::fs::remove_dir_all(&root).unwrap();
}

/// Each prompt [`RUNS`] times: p50 and p99 per prompt and over all.
fn percentiles<T>(prompts: &[(&str, String)], run: &impl Fn(&str) -> Vec<T>) {
    let mut all = Vec::new();
    for (name, prompt) in prompts {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let hits = run(prompt);
                let took = started.elapsed();
                std::hint::black_box(hits);
                took
            })
            .collect();
        let hits = run(prompt).len();
        times.sort_unstable();
        println!(
            "  {name:<18} {hits:>3} hits  p50 {:>8.3} ms  p99 {:>8.3} ms",
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99))
        );
        all.extend(times);
    }
    all.sort_unstable();
    println!(
        "  all queries            p50 {:>8.3} ms  p99 {:>8.3} ms",
        ms(percentile(&all, 50)),
        ms(percentile(&all, 99))
    );
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

criterion_group!(benches, bench_store, bench_search);
criterion_main!(benches);
