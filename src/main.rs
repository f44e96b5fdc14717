//! The `gilt` binary: parse the command line, load the config, start logging, log in before
//! the terminal is touched, then hand over to the runtime. Errors end here as one clear line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{Result, WrapErr, eyre};
use gilt::api::SessionCookies;
use gilt::api::auth::{self, SignInError, SignedIn};
use gilt::api::credentials::{PASSWORD_ENV, TerminalPrompt};
use gilt::api::{ApiClient, ApiError};
use gilt::cli::{Cli, Command};
use gilt::config::{Config, check_encrypted, check_url};
use gilt::runtime::{self, Outcome, Start};
use gilt::server::{self, ServerConfig};
use gilt::{logging, paths, store, tui};
use ratatui::layout::Alignment;
use ratatui::widgets::{Block, Paragraph};

fn main() -> ExitCode {
    // The report hook must be in place before the TUI installs its restoring hook on top.
    let _ = color_eyre::install();
    let cli = Cli::parse();
    // Generated from the CLI definition; no config, no terminal.
    if let Some(command) = &cli.command {
        match gilt::cli::write_generated(command, &mut std::io::stdout().lock()) {
            Ok(true) => return ExitCode::SUCCESS,
            Ok(false) => {}
            Err(e) => {
                eprintln!("gilt: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let config = match load_config(&cli) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("gilt: {e}");
            return ExitCode::from(2);
        }
    };
    // One thread for the UI loop and the sockets: they hand each other every event, and on
    // one thread that costs no wake-ups across cores (a third less CPU per event than a
    // thread pool; BENCHMARKS.md, "Ingest"). SQLite and image decoding have threads of
    // their own, so nothing here blocks for long.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("gilt: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, config)) {
        Ok(code) => code,
        Err(e) => {
            tui::restore();
            tracing::error!("fatal: {e:#}");
            eprintln!("gilt: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Config file + command-line overrides, validated, before anything else happens.
fn load_config(cli: &Cli) -> Result<Config> {
    let (path, explicit) = match &cli.config {
        Some(path) => (path.clone(), true),
        None => (paths::config_file()?, false),
    };
    let mut config = Config::load(&path, explicit)?;
    if let Some(url) = &cli.api_url {
        check_url(url, &["http", "https"]).map_err(|m| eyre!("--api-url: {m}"))?;
        config.api_url.clone_from(url);
    }
    if let Some(url) = &cli.gateway_url {
        check_url(url, &["ws", "wss"]).map_err(|m| eyre!("--gateway-url: {m}"))?;
        config.gateway_url.clone_from(url);
    }
    if !cli.insecure {
        let origin = |flag: &Option<String>, cli_name: &str, key: &str| {
            if flag.is_some() {
                cli_name.to_owned()
            } else {
                format!("{key} in {}", path.display())
            }
        };
        check_encrypted(&config.api_url)
            .map_err(|m| eyre!("{}: {m}", origin(&cli.api_url, "--api-url", "api_url")))?;
        check_encrypted(&config.gateway_url).map_err(|m| {
            eyre!(
                "{}: {m}",
                origin(&cli.gateway_url, "--gateway-url", "gateway_url")
            )
        })?;
    }
    if let Some(level) = &cli.log_level {
        config.log_level.clone_from(level);
    }
    if cli.no_store {
        config.store = false;
    }
    Ok(config)
}

async fn run(cli: Cli, config: Config) -> Result<ExitCode> {
    let log_file: PathBuf = paths::log_file()?;
    logging::init(&log_file, &config.log_level)?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "gilt starting");
    match cli.command {
        Some(Command::Logout { forget }) => logout(&config, forget).await,
        Some(Command::DemoServer { listen }) => run_demo_server(listen).await,
        // Handled in `main` before anything else.
        Some(Command::Completions { .. } | Command::Man) => Ok(ExitCode::SUCCESS),
        Some(Command::Export {
            channel,
            format,
            since,
        }) => {
            let text = tokio::task::spawn_blocking(move || {
                gilt::export::run(&config.api_url, &channel, since.as_deref(), format)
            })
            .await
            .wrap_err("export stopped")??;
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        None => run_client(config, cli.demo).await,
    }
}

/// `gilt logout [--forget]`: forget the saved session, telling the server when it can be
/// reached; with `--forget`, delete the local message store kept for this server too.
async fn logout(config: &Config, forget: bool) -> Result<ExitCode> {
    let session_file = paths::session_file()?;
    match auth::logout_saved(&config.api_url, &session_file).await? {
        None => println!("Not logged in."),
        Some(outcome) => match outcome.server_error {
            None => println!("Logged out."),
            Some(e) => println!("Logged out here (the server could not be told: {e})."),
        },
    }
    if forget {
        let root = paths::stores_dir()?;
        let deleted = store::account::forget(&root, &config.api_url)
            .wrap_err_with(|| format!("cannot delete the message store in {}", root.display()))?;
        if deleted {
            println!("Deleted the stored messages of {}.", config.api_url);
        } else {
            println!("No stored messages of {} to delete.", config.api_url);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `gilt demo-server`: serve the demo world until interrupted, announcing where as one JSON line.
async fn run_demo_server(listen: std::net::SocketAddr) -> Result<ExitCode> {
    let config = ServerConfig {
        listen,
        ..ServerConfig::demo()
    };
    // ServerError already names the address and the cause; no extra context layers.
    let server = server::start(config)
        .await
        .map_err(|e| eyre!("demo server: {e}"))?;
    if !listen.ip().is_loopback() {
        // stdout carries the one JSON line scripts read; the warning is for people.
        eprintln!(
            "gilt: warning: the demo server listens on {}, reachable from other \
             machines; its demo password is public (it is printed on stdout and built into \
             gilt), so anyone who can reach this address can log in as the demo user",
            server.addr()
        );
    }
    println!("{}", server.announce_json());
    tracing::info!(addr = %server.addr(), "demo server listening");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        signal = tui::termination_signal() => tracing::info!("received {signal}"),
    }
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn run_client(mut config: Config, demo: bool) -> Result<ExitCode> {
    // Demo mode: an in-process server on a random loopback port; the saved session of the
    // real account is neither used nor overwritten.
    let demo_server = if demo {
        let server = server::start(ServerConfig::demo())
            .await
            .map_err(|e| eyre!("built-in demo server: {e}"))?;
        config.api_url = server.api_url();
        config.gateway_url = server.gateway_url();
        Some(server)
    } else {
        None
    };
    // Every demo is a new world on a new port: its store (for search) is thrown away at the
    // end, and never mixed with a real account's.
    let _demo_store = if demo && config.store {
        DemoStore::create(&mut config)
    } else {
        None
    };
    let session_file = paths::session_file()?;
    let (mut client, mut start) = sign_in(&config, demo_server.as_ref(), &session_file).await?;
    loop {
        let mut tui = tui::Tui::enter(config.mouse).wrap_err("cannot set up the terminal")?;
        if std::env::var_os("GILT_TEST_PANIC").is_some() {
            test_panic(&mut tui)?;
        }
        let outcome = runtime::run(&mut tui, &config, client, start).await;
        drop(tui);
        match outcome? {
            Outcome::Quit => break,
            Outcome::LoggedOut => {
                eprintln!("gilt: the session has expired; log in again (your drafts are kept).");
                (client, start) = sign_in(&config, demo_server.as_ref(), &session_file).await?;
            }
        }
    }
    if let Some(server) = demo_server {
        server.shutdown().await;
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo's message store: a private directory of its own, removed when the demo ends.
struct DemoStore(std::path::PathBuf);

impl DemoStore {
    /// Point the config at a new private directory; without one, the demo runs from memory.
    fn create(config: &mut Config) -> Option<DemoStore> {
        let dir = std::env::temp_dir().join(format!("gilt-demo-{}", uuid::Uuid::new_v4()));
        match gilt::private_fs::create_dir(&dir) {
            Ok(()) => {
                config.store_dir = Some(dir.clone());
                Some(DemoStore(dir))
            }
            Err(e) => {
                tracing::warn!("demo store in {}: {e}; running from memory", dir.display());
                config.store = false;
                None
            }
        }
    }
}

impl Drop for DemoStore {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!("removing the demo store {}: {e}", self.0.display());
        }
    }
}

/// Log in before the terminal is touched: in demo mode with the demo account, otherwise by
/// resuming the saved session or asking for credentials (a wrong password may be retried).
/// When the server cannot be reached but a session and a store are saved, start offline.
async fn sign_in(
    config: &Config,
    demo: Option<&server::ServerHandle>,
    session_file: &std::path::Path,
) -> Result<(ApiClient, Start)> {
    match sign_in_online(config, demo, session_file).await {
        Ok(signed_in) => Ok((signed_in.client, Start::Online(Box::new(signed_in.me)))),
        Err(SignInFailure::Unreachable(e)) => match offline_start(config, demo, session_file) {
            Some(offline) => {
                tracing::warn!(
                    "{} cannot be reached ({e}); starting offline",
                    config.api_url
                );
                Ok(offline)
            }
            None => Err(eyre!("cannot log in to {}: {e}", config.api_url)),
        },
        Err(SignInFailure::Other(e)) => Err(e),
    }
}

/// Why signing in failed: the server could not be reached, or anything else.
enum SignInFailure {
    Unreachable(ApiError),
    Other(color_eyre::Report),
}

impl<E: Into<color_eyre::Report>> From<E> for SignInFailure {
    fn from(e: E) -> Self {
        SignInFailure::Other(e.into())
    }
}

/// An offline start: the saved session of this server, and the user whose store was used
/// last with it. `None` without either (or in demo mode, or with the store off).
fn offline_start(
    config: &Config,
    demo: Option<&server::ServerHandle>,
    session_file: &std::path::Path,
) -> Option<(ApiClient, Start)> {
    if demo.is_some() || !config.store {
        return None;
    }
    let session = SessionCookies::load(session_file).ok().flatten()?;
    let client = ApiClient::new(&config.api_url, session).ok()?;
    if !client.session().is_logged_in_to(client.api_url()) {
        return None;
    }
    let user = store::account::remembered_user(&paths::stores_dir().ok()?, &config.api_url)?;
    Some((client, Start::Offline(user)))
}

async fn sign_in_online(
    config: &Config,
    demo: Option<&server::ServerHandle>,
    session_file: &std::path::Path,
) -> Result<SignedIn, SignInFailure> {
    if let Some(server) = demo {
        let (email, password) = server.credentials();
        let (session, me) = auth::login(&config.api_url, &email, password.into())
            .await
            .wrap_err("cannot log in to the demo server")?;
        let client = ApiClient::new(&config.api_url, session)?;
        return Ok(SignedIn {
            client,
            me,
            resumed: false,
        });
    }
    let env = |key: &str| std::env::var(key).ok();
    let interactive = env(PASSWORD_ENV).is_none() && config.password_command.trim().is_empty();
    let mut attempts = 0;
    loop {
        attempts += 1;
        match auth::sign_in(config, session_file, env, &mut TerminalPrompt).await {
            Ok(signed_in) => {
                tracing::info!(user = %signed_in.me.user.name, resumed = signed_in.resumed, "signed in");
                return Ok(signed_in);
            }
            Err(SignInError::Api(ApiError::BadCredentials(reason)))
                if interactive && attempts < 3 =>
            {
                eprintln!("gilt: {reason}. Try again.");
            }
            Err(SignInError::Api(e @ (ApiError::Network(_) | ApiError::Timeout))) => {
                return Err(SignInFailure::Unreachable(e));
            }
            Err(e) => return Err(eyre!("cannot log in to {}: {e}", config.api_url).into()),
        }
    }
}

/// Test hook (`GILT_TEST_PANIC`): draw once, then panic, so the pty test can prove the
/// terminal is restored and the report shown after a panic.
fn test_panic(tui: &mut tui::Tui) -> Result<()> {
    tui.terminal().draw(|frame| {
        let widget = Paragraph::new("gilt")
            .alignment(Alignment::Center)
            .block(Block::bordered().title(" gilt "));
        frame.render_widget(widget, frame.area());
    })?;
    panic!("GILT_TEST_PANIC was set");
}
