//! The message store: storing 100,000 messages (batched, as history pages and bursts arrive)
//! and searching them (p50/p99 latency through a `StoreHandle`, as the UI would ask).
//!
//! The corpus is synthetic but shaped like chat: 50 channels in 2 teams, 40 authors, 3–30
//! words per message from a 5,000-word vocabulary with a skewed (Zipf-like) frequency, so
//! some words are in a third of all messages and others in a handful.
//!
//! `GILT_STORE_BENCH_MESSAGES=N` changes the corpus size (for a quick look).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use gilt::app::model::{Channel, ChannelKind, Message};
use gilt::app::{InitialData, TeamData};
use gilt::store::{AccountKey, Limits, SearchQuery, Store, StoreHandle, Write};
use gilt::testkit::world;
use jiff::Timestamp;
use jiff::tz::TimeZone;

const CHANNELS: usize = 50;
const AUTHORS: usize = 40;
const VOCABULARY: usize = 5000;
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

/// A small deterministic generator (xorshift64*), so every run stores the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indices: word 0 is in about a third of the messages.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize
    }
}

fn vocabulary() -> Vec<String> {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "gra", "shi", "tek", "bor",
        "fen", "lun", "mar", "qui", "zo", "pex",
    ];
    let mut rng = Rng(0x5eed);
    (0..VOCABULARY)
        .map(|i| {
            let len = 2 + rng.below(3);
            let mut w: String = (0..len).map(|_| SYLLABLES[rng.below(20)]).collect();
            w.push_str(&i.to_string());
            w
        })
        .collect()
}

fn channel_id(i: usize) -> String {
    format!("c0000000-0000-4000-8000-{i:012}")
}

fn corpus(count: usize, words: &[String]) -> Vec<Message> {
    let mut rng = Rng(0x00c0_ffee);
    let start = 1_700_000_000_000_i64;
    (0..count)
        .map(|i| {
            let len = 3 + rng.below(28);
            let text: Vec<&str> = (0..len)
                .map(|_| words[rng.zipf(words.len())].as_str())
                .collect();
            let mut m = world::message(
                &format!("{i:08x}-0000-4000-8000-000000000000"),
                &channel_id(rng.below(CHANNELS)),
                &format!("user{:04}", rng.below(AUTHORS)),
                "2024-01-01T00:00:00Z",
                world::plain(&text.join(" ")),
            );
            // A message every ~7 s on average across the server.
            m.created_at = Timestamp::from_millisecond(start + 7000 * i as i64).unwrap();
            m
        })
        .collect()
}

fn sidebar() -> InitialData {
    let teams = (0..2)
        .map(|t| TeamData {
            id: format!("team000{t}").into(),
            name: format!("Team {t}"),
            channels: (0..CHANNELS)
                .filter(|c| c % 2 == t)
                .map(|c| Channel {
                    kind: ChannelKind::Team {
                        team_id: format!("team000{t}").into(),
                        category_id: None,
                        priority: c as i64,
                    },
                    ..world::channel(&channel_id(c), &format!("c{c}"), None, 0, "chat")
                })
                .collect(),
            categories: Vec::new(),
            members: (0..AUTHORS)
                .map(|a| world::user(&format!("user{a:04}"), &format!("person{a}"), None))
                .collect(),
            channels_loaded: true,
        })
        .collect();
    InitialData {
        me: world::user("user0000", "person0", None),
        teams,
        dms: Vec::new(),
        users: Vec::new(),
        custom_reactions: Vec::new(),
    }
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
    store.handle().write(Write::Loaded(sidebar()));
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

fn bench_search(c: &mut Criterion) {
    let words = vocabulary();
    let messages = corpus(message_count(), &words);
    let root = temp_root("search");
    let store = Store::open(&root, &account(), Limits::default()).unwrap();
    let handle = store.handle();
    handle.write(Write::Loaded(sidebar()));
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
    let mut all = Vec::new();
    println!(
        "search over {} messages, {RESULTS} results asked for:",
        messages.len()
    );
    for (name, prompt) in &prompts {
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

    let mut group = c.benchmark_group("search");
    for (name, prompt) in &prompts[..3] {
        group.bench_function(*name, |b| b.iter(|| run(prompt)));
    }
    group.finish();
    drop(handle);
    store.close();
    std::fs::remove_dir_all(&root).unwrap();
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

criterion_group!(benches, bench_store, bench_search);
criterion_main!(benches);
