//! The `gilt` binary: parse the command line, load the config, start logging, log in before
//! the terminal is touched, then hand over to the runtime. Errors end here as one clear line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{Result, WrapErr, eyre};
use crossterm::event::{Event, EventStream, KeyCode, KeyEventKind, KeyModifiers};
use futures_util::StreamExt;
use gilt::cli::{Cli, Command};
use gilt::config::{Config, check_url};
use gilt::server::{self, ServerConfig};
use gilt::{logging, paths, tui};
use ratatui::layout::Alignment;
use ratatui::widgets::{Block, Paragraph, Wrap};

fn main() -> ExitCode {
    // The report hook must be in place before the TUI installs its restoring hook on top.
    let _ = color_eyre::install();
    let cli = Cli::parse();
    let config = match load_config(&cli) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("gilt: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
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
    if let Some(level) = &cli.log_level {
        config.log_level.clone_from(level);
    }
    Ok(config)
}

async fn run(cli: Cli, config: Config) -> Result<ExitCode> {
    let log_file: PathBuf = paths::log_file()?;
    logging::init(&log_file, &config.log_level)?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "gilt starting");
    match cli.command {
        Some(Command::Logout) => Err(eyre!("logout is not available yet")),
        Some(Command::DemoServer { listen }) => run_demo_server(listen).await,
        None => run_client(cli.demo).await,
    }
}

/// `gilt demo-server`: serve the demo world until interrupted, announcing where as one JSON line.
async fn run_demo_server(listen: std::net::SocketAddr) -> Result<ExitCode> {
    let config = ServerConfig {
        listen,
        ..ServerConfig::demo()
    };
    let server = server::start(config)
        .await
        .wrap_err_with(|| format!("cannot start the demo server on {listen}"))?;
    println!("{}", server.announce_json());
    tracing::info!(addr = %server.addr(), "demo server listening");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        signal = tui::termination_signal() => tracing::info!("received {signal}"),
    }
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn run_client(demo: bool) -> Result<ExitCode> {
    let mut tui = tui::Tui::enter().wrap_err("cannot set up the terminal")?;
    let outcome = tokio::select! {
        r = placeholder(&mut tui, demo) => r,
        signal = tui::termination_signal() => {
            tracing::info!("received {signal}, quitting");
            Ok(())
        }
    };
    drop(tui);
    outcome.map(|()| ExitCode::SUCCESS)
}

/// Until the chat UI lands: a screen that says so, redraws on resize, and quits on Ctrl-C.
async fn placeholder(tui: &mut tui::Tui, demo: bool) -> Result<()> {
    let text = if demo {
        "gilt — demo mode\n\nThe built-in server and the chat screen are being built.\n\nCtrl-C quits."
    } else {
        "gilt\n\nThe chat screen is being built.\n\nCtrl-C quits."
    };
    let mut events = EventStream::new();
    let panic_armed = std::env::var_os("GILT_TEST_PANIC").is_some();
    loop {
        tui.terminal().draw(|frame| {
            let widget = Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(" gilt "));
            frame.render_widget(widget, frame.area());
        })?;
        // Test hook: lets the pty test prove the terminal is restored after a panic.
        assert!(!panic_armed, "GILT_TEST_PANIC was set");
        match events.next().await {
            Some(Ok(Event::Key(key)))
                if key.kind == KeyEventKind::Press
                    && key.modifiers.contains(KeyModifiers::CONTROL)
                    && key.code == KeyCode::Char('c') =>
            {
                return Ok(());
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => return Ok(()),
        }
    }
}
