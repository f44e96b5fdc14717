//! What the benches that run a client in a child process read about it: its CPU time and
//! peak memory (`/proc`), and the lines it prints on stdout.

use std::time::Duration;

use tokio::io::{BufReader, Lines};
use tokio::process::{ChildStdout, Command};

/// The next line of the child's stdout starting with `prefix` (a `FAIL` line panics), within
/// `wait`.
pub async fn line_starting(
    lines: &mut Lines<BufReader<ChildStdout>>,
    prefix: &str,
    wait: Duration,
) -> String {
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.starts_with(prefix) {
                return line;
            }
            assert!(!line.starts_with("FAIL"), "client: {line}");
        }
        panic!("the client ended before {prefix}");
    };
    tokio::time::timeout(wait, read)
        .await
        .unwrap_or_else(|_| panic!("no {prefix} from the client within {wait:?}"))
}

/// User + system CPU time of a process so far (all its threads).
pub fn cpu_time(pid: u32, tick: u64) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces): state is the first, utime the
    // 12th and stime the 13th.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / tick as f64)
}

/// Peak resident memory of a process (`VmHWM`), in KiB.
pub fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

pub fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// A number from the environment, if set.
pub fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number"))
    })
}

/// The command that starts gilt's side (`exe` again), under the profiler named by
/// `GILT_BENCH_WRAP` if set (`GILT_BENCH_WRAP="valgrind --tool=callgrind
/// --callgrind-out-file=cg.out"`): only that child is profiled, not the servers.
pub fn wrapped(exe: &std::path::Path) -> Command {
    let wrap = std::env::var("GILT_BENCH_WRAP").unwrap_or_default();
    let mut words = wrap.split_whitespace();
    match words.next() {
        Some(tool) => {
            let mut command = Command::new(tool);
            command.args(words).arg(exe);
            command
        }
        None => Command::new(exe),
    }
}
