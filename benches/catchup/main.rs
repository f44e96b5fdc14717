//! Catch-up benchmark (issue 14): after a reconnect, how long until the messages missed while
//! away (1,000 by default, over the four chat channels of the first team) are folded and
//! drawn — the target is 300 ms after the server answers.
//!
//! The bench starts the built-in server in this process and gilt in a child (the bench
//! binary again, `GILT_CATCHUP_ROLE=gilt`, see `client.rs`): the real gateway (websocket,
//! link, supervisor, the REST backfill after a main-socket reconnect), the reducer, the
//! effect executor and a 120×40 `TestBackend` drawn at most once per frame, like the
//! runtime's loop. Once gilt has the channels open and the link up, each round stores the
//! messages on the server without announcing them (as if posted while gilt was away), drops
//! gilt's sockets, and waits for gilt to say it has folded all of them and drawn a frame.
//! gilt times that from the moment its main link is connected again (the server answered
//! the reconnect), from the first backfill answer and from the moment it saw the link lost;
//! this process reads gilt's CPU time (`/proc/<pid>/stat`) around each round.
//!
//! Two children, one after the other: without the message store and with it (a fresh store
//! in a scratch directory: the messages are also written to SQLite on the store's thread).
//!
//! `cargo bench --bench catchup` (`GILT_CATCHUP_MESSAGES=N`, `GILT_CATCHUP_ROUNDS=R`,
//! `GILT_CATCHUP_STORE=off|on|both`); with `--test` (as `cargo test --benches` runs it) two
//! short rounds check that it works. Figures in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/child.rs"]
mod child;
mod client;
#[path = "../support/process.rs"]
mod process;

use std::process::Stdio;
use std::time::Duration;

use gilt::server::{ServerConfig, ServerHandle};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use process::{clock_ticks_per_second, cpu_time, env_number, line_starting, peak_rss_kib};

/// How long gilt may take to start, or to catch up once.
const WAIT: Duration = Duration::from_secs(120);

fn main() {
    if std::env::var("GILT_CATCHUP_ROLE").as_deref() == Ok("gilt") {
        client::run();
        return;
    }
    let quick = std::env::args().any(|a| a == "--test");
    let messages = env_number("GILT_CATCHUP_MESSAGES").unwrap_or(if quick { 200 } else { 1_000 });
    let rounds = env_number("GILT_CATCHUP_ROUNDS").unwrap_or(if quick { 2 } else { 10 });
    let stores: &[bool] = match std::env::var("GILT_CATCHUP_STORE").as_deref() {
        Ok("off") => &[false],
        Ok("on") => &[true],
        Ok("both") | Err(_) => &[false, true],
        Ok(other) => panic!("GILT_CATCHUP_STORE must be off, on or both, not {other}"),
    };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench(messages, rounds, stores));
}

/// What gilt reported for one round, and its CPU time.
struct Caught {
    from_connected: Duration,
    from_first_backfill: Duration,
    from_lost: Duration,
    batches: usize,
    frames: usize,
    cpu: Duration,
}

async fn bench(messages: usize, rounds: usize, stores: &[bool]) {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let team = &world.teams[0];
    let channels: Vec<String> = team
        .channels
        .iter()
        .filter(|c| c.content_type == "chat")
        .map(|c| c.id.clone())
        .collect();
    let author = world.user_id("ada").unwrap().to_owned();
    let scratch = std::env::temp_dir().join(format!("gilt-catchup-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    println!(
        "catch-up: {messages} missed messages over {} channels, {rounds} round(s), {} cores",
        channels.len(),
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    for &store in stores {
        let mut gilt = process::wrapped(&std::env::current_exe().unwrap());
        let (email, password) = server.credentials();
        gilt.env("GILT_CATCHUP_ROLE", "gilt")
            .env("GILT_CATCHUP_MESSAGES", messages.to_string())
            .env("GILT_CATCHUP_CHANNELS", channels.join(","))
            .env("GILT_CATCHUP_API", server.api_url())
            .env("GILT_CATCHUP_GATEWAY", server.gateway_url())
            .env("GILT_CATCHUP_EMAIL", email)
            .env("GILT_CATCHUP_PASSWORD", password)
            .env(
                "GILT_CATCHUP_LOG",
                scratch.join(format!("gilt-{store}.log")),
            )
            .env_remove("RUST_LOG")
            .env_remove("GILT_CATCHUP_STORE");
        if store {
            let dir = scratch.join("store");
            std::fs::create_dir_all(&dir).unwrap();
            gilt.env("GILT_CATCHUP_STORE", dir);
        }
        let (figures, peak_rss_kib) =
            run_child(gilt, &server, &channels, &author, messages, rounds).await;
        report(if store { "with the store" } else { "no store" }, &figures);
        println!("  gilt's peak RSS: {:.1} MiB", peak_rss_kib as f64 / 1024.0);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    server.shutdown().await;
}

async fn run_child(
    mut command: Command,
    server: &ServerHandle,
    channels: &[String],
    author: &str,
    messages: usize,
    rounds: usize,
) -> (Vec<Caught>, u64) {
    let tick = clock_ticks_per_second();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    line_starting(&mut lines, "READY", WAIT).await;
    let faults = server.faults();
    let mut figures = Vec::new();
    for round in 0..rounds {
        // Stored, not announced: only the backfill after the reconnect can bring them.
        faults.mute_broadcasts(true);
        let mut newest = vec![String::new(); channels.len()];
        for i in 0..messages {
            let c = i % channels.len();
            newest[c] = server
                .post_as(author, &channels[c], &text(round, i), false)
                .unwrap();
        }
        let cpu_before = cpu_time(pid, tick);
        assert!(faults.drop_all_sockets() > 0, "gilt has no socket open");
        faults.mute_broadcasts(false);
        let line = line_starting(&mut lines, "CAUGHT", WAIT).await;
        let cpu = cpu_time(pid, tick).saturating_sub(cpu_before);
        let fields: Vec<&str> = line.split(' ').collect();
        let number = |i: usize| fields[i].parse::<u64>().unwrap();
        assert_eq!(number(1), messages as u64, "{line}");
        assert_eq!(
            fields[7].split(',').collect::<Vec<_>>(),
            newest,
            "the newest message of each channel is the last one posted"
        );
        let micros = |i: usize| Duration::from_micros(number(i));
        figures.push(Caught {
            batches: number(2) as usize,
            frames: number(3) as usize,
            from_connected: micros(4),
            from_first_backfill: micros(5),
            from_lost: micros(6),
            cpu,
        });
    }
    let peak_rss_kib = peak_rss_kib(pid);
    drop(child.stdin.take());
    if tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .is_err()
    {
        child.kill().await.unwrap();
    }
    (figures, peak_rss_kib)
}

/// Chat lines of a few shapes: markup, a link, a quote and a list, a line long enough to wrap.
fn text(round: usize, i: usize) -> String {
    match i % 4 {
        0 => format!("round {round}, message {i}: the **build** on `main` is green again"),
        1 => format!(
            "message {i}: the log is at https://ci.example.com/runs/{round}/{i}, and _please_ \
             re-run the flaky one"
        ),
        2 => format!("> what did we decide?\nmessage {i} answers it:\n- ship on Friday\n- tag it"),
        _ => format!(
            "message {i} of round {round}: a longer line of plain words that wraps on a \
             120-column terminal because it goes on for a while, as chat lines often do when \
             someone explains something"
        ),
    }
}

fn report(what: &str, figures: &[Caught]) {
    let pick = |f: fn(&Caught) -> Duration| {
        let mut v: Vec<Duration> = figures.iter().map(f).collect();
        v.sort();
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        format!(
            "p50 {:>6.1} ms, p90 {:>6.1} ms, max {:>6.1} ms",
            ms(at(0.5)),
            ms(at(0.9)),
            ms(at(1.0))
        )
    };
    println!("{what}, {} rounds:", figures.len());
    println!(
        "  server answered the reconnect → all folded and drawn: {}",
        pick(|c| c.from_connected)
    );
    println!(
        "  first backfill answer        → all folded and drawn: {}",
        pick(|c| c.from_first_backfill)
    );
    println!(
        "  link lost                    → all folded and drawn: {}",
        pick(|c| c.from_lost)
    );
    println!(
        "  gilt CPU per round (reconnect included):             {}",
        pick(|c| c.cpu)
    );
    for (n, c) in figures.iter().enumerate() {
        println!(
            "  round {:>2}: {:>6.1} ms from connected, {:>6.1} ms from the first answer, \
             {} batches, {} frames, CPU {:.0} ms",
            n + 1,
            ms(c.from_connected),
            ms(c.from_first_backfill),
            c.batches,
            c.frames,
            ms(c.cpu)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
