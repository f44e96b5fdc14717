//! Command-line interface: what `gilt --help` teaches.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A fast, keyboard-driven terminal chat client for Guilded.
///
/// Run `gilt` to chat with your saved session (you are asked to log in the first time), or
/// `gilt --demo` to try it against a built-in server with simulated people, no account needed.
#[derive(Debug, Parser, PartialEq, Eq)]
#[command(name = "gilt", version, about, long_about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Start the built-in Guilded-compatible server and log in to it (no account needed).
    #[arg(long, conflicts_with_all = ["api_url", "gateway_url"])]
    pub demo: bool,

    /// REST API base URL [config: api_url; default: https://www.guilded.gg/api].
    #[arg(long, value_name = "URL", global = true)]
    pub api_url: Option<String>,

    /// Gateway base URL [config: gateway_url; default: wss://api.guilded.gg].
    #[arg(long, value_name = "URL", global = true)]
    pub gateway_url: Option<String>,

    /// Config file [default: $XDG_CONFIG_HOME/gilt/config.toml].
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Log level for the log file: error, warn, info, debug or trace [config: log_level].
    #[arg(long, global = true, value_name = "LEVEL", value_parser = ["error", "warn", "info", "debug", "trace"])]
    pub log_level: Option<String>,

    /// Allow http:// and ws:// URLs to hosts other than this machine: the password and the
    /// session cookie then cross the network unencrypted.
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Keep no local message store this run: memory only [config: store].
    #[arg(long, global = true)]
    pub no_store: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands besides chatting.
#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Forget the saved session (and log it out on the server when reachable).
    Logout {
        /// Also delete the local message store kept for this server (stored messages,
        /// drafts and unsent messages of every account on it).
        #[arg(long)]
        forget: bool,
    },
    /// Print a shell completion script to standard output (e.g. `gilt completions bash >
    /// ~/.local/share/bash-completion/completions/gilt`).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output (`gilt man > gilt.1`).
    Man,
    /// Write a channel's stored history to stdout (from the local store; no network).
    Export {
        /// The channel: its name (`general` or `#general`) or its id.
        #[arg(long, value_name = "NAME")]
        channel: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = crate::export::Format::Txt)]
        format: crate::export::Format,
        /// Only messages from this day on (YYYY-MM-DD, local time).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// Run the built-in Guilded-compatible server alone; prints its URLs and the demo login as
    /// one JSON line, then serves until interrupted.
    DemoServer {
        /// Address to listen on.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
        listen: SocketAddr,
    },
}

const AFTER_HELP: &str = "\
Logging in:
  The first start asks for your Guilded email and password (the password is not echoed) and
  keeps the session cookie in $XDG_DATA_HOME/gilt/session.json (mode 0600), so later starts
  need no password. For scripts, set GILT_EMAIL and GILT_PASSWORD, or set password_command in
  the config (e.g. \"pass show guilded\").

Files:
  config  $XDG_CONFIG_HOME/gilt/config.toml  (see config.example.toml for every key)
  session $XDG_DATA_HOME/gilt/session.json
  log     $XDG_STATE_HOME/gilt/gilt.log
  store   $XDG_STATE_HOME/gilt/store/<server>/<account>/store.sqlite3  (mode 0600)

Examples:
  gilt --demo                       try gilt with no account
  gilt demo-server --listen 127.0.0.1:8080
  gilt --api-url http://127.0.0.1:8080/api --gateway-url ws://127.0.0.1:8080
  gilt logout
  gilt logout --forget              also delete the stored messages of this server
  gilt export --channel general --format md --since 2026-01-01 > general.md";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("gilt").chain(args.iter().copied()))
    }

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_arguments_runs_the_client() {
        let cli = parse(&[]).unwrap();
        assert!(!cli.demo);
        assert_eq!(cli.command, None);
        assert_eq!(cli.api_url, None);
        assert!(!cli.no_store);
    }

    #[test]
    fn flags_parse() {
        let cli = parse(&[
            "--api-url",
            "http://127.0.0.1:1/api",
            "--gateway-url",
            "ws://127.0.0.1:1",
            "--config",
            "/tmp/c.toml",
            "--log-level",
            "debug",
        ])
        .unwrap();
        assert_eq!(cli.api_url.as_deref(), Some("http://127.0.0.1:1/api"));
        assert_eq!(cli.gateway_url.as_deref(), Some("ws://127.0.0.1:1"));
        assert_eq!(cli.config, Some(PathBuf::from("/tmp/c.toml")));
        assert_eq!(cli.log_level.as_deref(), Some("debug"));
    }

    #[test]
    fn demo_conflicts_with_explicit_urls() {
        assert!(parse(&["--demo"]).unwrap().demo);
        assert!(parse(&["--demo", "--api-url", "http://x/api"]).is_err());
    }

    #[test]
    fn options_also_follow_a_subcommand() {
        let cli = parse(&[
            "logout",
            "--api-url",
            "http://127.0.0.1:1/api",
            "--config",
            "/c",
        ])
        .unwrap();
        assert_eq!(cli.command, Some(Command::Logout { forget: false }));
        assert_eq!(cli.api_url.as_deref(), Some("http://127.0.0.1:1/api"));
        assert_eq!(cli.config, Some(PathBuf::from("/c")));
    }

    #[test]
    fn bad_log_level_is_rejected() {
        let err = parse(&["--log-level", "loud"]).unwrap_err();
        assert!(err.to_string().contains("loud"));
    }

    #[test]
    fn subcommands_parse() {
        assert_eq!(
            parse(&["logout"]).unwrap().command,
            Some(Command::Logout { forget: false })
        );
        assert_eq!(
            parse(&["logout", "--forget"]).unwrap().command,
            Some(Command::Logout { forget: true })
        );
        assert!(parse(&["--no-store"]).unwrap().no_store);
        assert!(parse(&["logout", "--insecure"]).unwrap().insecure);
        assert!(!parse(&["logout"]).unwrap().insecure);
        assert!(parse(&["--demo", "--no-store"]).unwrap().no_store);
        assert_eq!(
            parse(&["demo-server", "--listen", "127.0.0.1:9000"])
                .unwrap()
                .command,
            Some(Command::DemoServer {
                listen: "127.0.0.1:9000".parse().unwrap()
            })
        );
        assert_eq!(
            parse(&["demo-server"]).unwrap().command,
            Some(Command::DemoServer {
                listen: "127.0.0.1:0".parse().unwrap()
            })
        );
        assert!(parse(&["demo-server", "--listen", "nowhere"]).is_err());
    }

    #[test]
    fn help_teaches_login_and_files() {
        let help = Cli::command().render_long_help().to_string();
        for needle in [
            "--demo",
            "GILT_EMAIL",
            "password_command",
            "session.json",
            "logout",
            "--no-store",
            "--forget",
            "store.sqlite3",
        ] {
            assert!(help.contains(needle), "help lacks {needle}");
        }
    }
}

/// Write what `gilt completions SHELL` or `gilt man` prints (both from this CLI definition);
/// `false` for any other command.
pub fn write_generated(command: &Command, out: &mut dyn std::io::Write) -> std::io::Result<bool> {
    use clap::CommandFactory;
    match command {
        Command::Completions { shell } => {
            // Into memory first: the generator panics on a write error (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "gilt", &mut script);
            out.write_all(&script)?;
            Ok(true)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(out)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

#[cfg(test)]
mod generated_tests {
    use super::*;

    fn generated(args: &[&str]) -> String {
        let cli = Cli::try_parse_from(args).unwrap();
        let mut out = Vec::new();
        assert!(write_generated(cli.command.as_ref().unwrap(), &mut out).unwrap());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn completions_and_man_page_come_from_the_cli_definition() {
        for shell in ["bash", "zsh", "fish"] {
            let script = generated(&["gilt", "completions", shell]);
            assert!(script.contains("demo-server"), "{shell}");
            assert!(script.contains("api-url"), "{shell}");
        }
        let man = generated(&["gilt", "man"]);
        assert!(man.starts_with(".ie") || man.contains(".TH gilt"), "{man}");
        assert!(man.contains("demo\\-server") || man.contains("demo-server"));
    }
}
