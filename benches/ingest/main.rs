//! Ingest benchmark (issue 14): the CPU time gilt spends taking in a flood of
//! `ChatMessageCreated` events (100,000 by default, ~2.15 KB each) from an Engine.IO v3
//! server — websocket, decode, reducer, effects and a headless 120×40 UI drawn at its normal
//! cadence — against the reference client `socket.io-client@2.5.0` (the pinned package
//! `tests/peer/client-peer` installs), which only decodes and counts them, on the same
//! stream in the same run.
//!
//! Each client runs in its own process. The bench starts the built-in server (for gilt's
//! login and first load) and a stream server (`stream.rs`), waits until the client says it
//! is connected and idle, reads its CPU time (user + system, `/proc/<pid>/stat`), hands the
//! stream server the job, waits until the client has taken in the last event, and reads the
//! CPU time again: the difference is what the stream cost that client. Start-up is not
//! counted for either.
//!
//! `cargo bench --bench ingest` (`GILT_INGEST_EVENTS=N`, `GILT_INGEST_ROUNDS=R` to repeat);
//! with `--test` (as `cargo test --benches` runs it) a short stream checks that it works.
//! Figures in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/child.rs"]
mod child;
mod client;
#[path = "../support/process.rs"]
mod process;
mod stream;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use gilt::server::ServerConfig;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;

use process::{clock_ticks_per_second, cpu_time, env_number, line_starting, peak_rss_kib};
use stream::Job;

/// How long a client may take to connect, or to take in the whole stream.
const WAIT: Duration = Duration::from_secs(600);

fn main() {
    if std::env::var("GILT_INGEST_ROLE").as_deref() == Ok("gilt") {
        client::run();
        return;
    }
    let quick = std::env::args().any(|a| a == "--test");
    let events = env_number("GILT_INGEST_EVENTS").unwrap_or(if quick { 2_000 } else { 100_000 });
    let rounds = env_number("GILT_INGEST_ROUNDS").unwrap_or(1);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench(events, rounds));
}

/// What one client's run cost.
struct Figures {
    cpu: Duration,
    wall: Duration,
    /// Peak resident memory of the process (`VmHWM`), in KiB.
    peak_rss_kib: u64,
}

async fn bench(events: usize, rounds: usize) {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let (gateway_url, jobs) = stream::start().await;
    let scratch = std::env::temp_dir().join(format!("gilt-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let reference = reference_dir();
    let world = server.world();
    let author = world.user_id("ada").unwrap().to_owned();
    let (email, password) = server.credentials();
    let exe = std::env::current_exe().unwrap();
    let tick = clock_ticks_per_second();

    println!(
        "ingest: {events} ChatMessageCreated events per client, {rounds} round(s), {} cores",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let mut ratios = Vec::new();
    for round in 0..rounds {
        let run = round as u32 * 2;
        let mut gilt = process::wrapped(&exe);
        gilt.env("GILT_INGEST_ROLE", "gilt")
            .env("GILT_INGEST_EVENTS", events.to_string())
            .env("GILT_INGEST_API", server.api_url())
            .env("GILT_INGEST_GATEWAY", &gateway_url)
            .env("GILT_INGEST_EMAIL", &email)
            .env("GILT_INGEST_PASSWORD", &password)
            .env("GILT_INGEST_LOG", scratch.join("gilt.log"))
            .env_remove("RUST_LOG");
        let mut job = None;
        let gilt_figures = measure(gilt, tick, &jobs, |channel| {
            let team = world
                .teams
                .iter()
                .find(|t| t.channels.iter().any(|c| c.id == channel))
                .expect("gilt opened a team channel")
                .id
                .clone();
            let j = Job {
                team_id: team,
                channel_id: channel.to_owned(),
                author_id: author.clone(),
                count: events,
                run,
            };
            job = Some(j.clone());
            j
        })
        .await;
        let job = job.unwrap();
        if round == 0 {
            let frames = stream::Frames::new(&job);
            let bytes: usize = (0..events).map(|i| frames.frame(&job, i).len()).sum();
            println!(
                "stream: {:.1} MB, {} bytes per frame on average",
                bytes as f64 / 1e6,
                bytes / events
            );
        }
        report("gilt", &gilt_figures, events);
        if let Some(dir) = &reference {
            let mut node = Command::new("node");
            node.arg("ingest.js")
                .arg(&gateway_url)
                .arg(events.to_string())
                .current_dir(dir);
            let reference_figures = measure(node, tick, &jobs, |_| Job {
                run: run + 1,
                ..job.clone()
            })
            .await;
            report("socket.io-client@2.5.0", &reference_figures, events);
            let ratio = gilt_figures.cpu.as_secs_f64() / reference_figures.cpu.as_secs_f64();
            println!("round {}: CPU gilt / reference = {ratio:.2}", round + 1);
            ratios.push(ratio);
        }
    }
    if ratios.len() > 1 {
        ratios.sort_by(f64::total_cmp);
        println!(
            "median CPU ratio gilt / reference: {:.2}",
            ratios[ratios.len() / 2]
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
    server.shutdown().await;
}

fn report(who: &str, f: &Figures, events: usize) {
    println!(
        "{who:>24}: CPU {:>7.0} ms ({:.2} µs per event), wall {:>7.0} ms, peak RSS {:.1} MiB",
        f.cpu.as_secs_f64() * 1e3,
        f.cpu.as_secs_f64() * 1e6 / events as f64,
        f.wall.as_secs_f64() * 1e3,
        f.peak_rss_kib as f64 / 1024.0
    );
}

/// Run a client until it is ready, give the stream server its job (`job` gets what the
/// client's READY line said), and measure until the client says it is done.
async fn measure(
    mut command: Command,
    tick: u64,
    jobs: &mpsc::Sender<Job>,
    job: impl FnOnce(&str) -> Job,
) -> Figures {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = line_starting(&mut lines, "READY", WAIT).await;
    let job = job(ready.trim_start_matches("READY").trim());
    let last_id = job.message_id(job.count - 1);
    let count = job.count;
    let cpu_before = cpu_time(pid, tick);
    let started = Instant::now();
    jobs.send(job).await.unwrap();
    let done = line_starting(&mut lines, "DONE", WAIT).await;
    let wall = started.elapsed();
    let cpu = cpu_time(pid, tick).saturating_sub(cpu_before);
    let peak_rss_kib = peak_rss_kib(pid);
    assert_eq!(
        done,
        format!("DONE {count} {last_id}"),
        "the client did not take in the whole stream"
    );
    drop(child.stdin.take());
    if tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .is_err()
    {
        child.kill().await.unwrap();
    }
    Figures {
        cpu,
        wall,
        peak_rss_kib,
    }
}

/// The reference client's directory, its pinned package installed (as the peer tests do it),
/// or `None` without node and npm.
fn reference_dir() -> Option<PathBuf> {
    let tool = |name: &str| {
        std::process::Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !(tool("node") && tool("npm")) {
        println!("SKIPPED the reference client: node and npm are needed");
        return None;
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peer/client-peer");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    let dir = target.join("peer-client");
    std::fs::create_dir_all(&dir).unwrap();
    let lock = std::fs::read(source.join("package-lock.json")).unwrap();
    let ready = std::fs::read(dir.join("package-lock.json")).ok().as_deref() == Some(&lock[..])
        && dir
            .join("node_modules/socket.io-client/package.json")
            .exists();
    for file in ["package.json", "package-lock.json", "ingest.js"] {
        std::fs::copy(source.join(file), dir.join(file)).unwrap();
    }
    if !ready {
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "npm ci failed in {}", dir.display());
        std::fs::write(dir.join("package-lock.json"), &lock).unwrap();
    }
    Some(dir)
}
