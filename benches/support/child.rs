//! gilt's side of the benches that run it in a child process (ingest, catch-up): logged in
//! and loaded as the runtime does it, then the runtime's own loop (`runtime::event_loop`)
//! drawing a 120×40 `TestBackend`, with no terminal input, until stdin closes. What differs
//! between the benches is their observer and their gateway settings.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use gilt::api::{self, ApiClient};
use gilt::app::{self, App, Msg, Settings};
use gilt::config::Config;
use gilt::gateway::{self, GatewayConfig};
use gilt::protocol::models::Me;
use gilt::runtime::effects::Executor;
use gilt::runtime::event_loop::{self, NoInput, Observer, Parts};
use gilt::store::{AccountKey, Limits, Store};
use gilt::ui::Ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::SecretString;
use tokio::sync::mpsc;

/// The screen the benches draw.
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// The child's settings, from `<prefix>_<NAME>` variables.
pub struct Env(pub &'static str);

impl Env {
    pub fn var(&self, name: &str) -> String {
        let name = format!("{}_{name}", self.0);
        std::env::var(&name).unwrap_or_else(|_| panic!("{name} is not set"))
    }
}

/// Run `body` on a runtime as `main.rs` builds it (one thread for the loop and the sockets);
/// `GILT_BENCH_RUNTIME=pool` runs it on tokio's thread pool instead, for side-by-side runs.
pub fn block_on(body: impl Future<Output = ()>) {
    let mut builder = if std::env::var("GILT_BENCH_RUNTIME").as_deref() == Ok("pool") {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder.enable_all().build().unwrap().block_on(body);
}

/// Logged in to the bench's server, logging to `<prefix>_LOG`.
pub struct Session {
    pub api_url: String,
    pub api: ApiClient,
    pub me: Me,
    pub log: PathBuf,
}

pub async fn login(env: &Env) -> Session {
    let log = PathBuf::from(env.var("LOG"));
    gilt::logging::init(&log, "info").unwrap();
    let api_url = env.var("API");
    let (session, me) = api::auth::login(
        &api_url,
        &env.var("EMAIL"),
        SecretString::from(env.var("PASSWORD")),
    )
    .await
    .unwrap();
    let api = ApiClient::new(&api_url, session).unwrap();
    Session {
        api_url,
        api,
        me,
        log,
    }
}

/// The client as the runtime starts it (default config, the bench's screen; the message
/// store under `store_root`, if any), gateway started, first load folded: what the loop runs
/// on.
pub async fn start(session: Session, gateway: GatewayConfig, store_root: Option<&Path>) -> Parts {
    let Session {
        api_url,
        api,
        me,
        log,
    } = session;
    let config = Config::default();
    let store = store_root.map(|root| {
        let account = AccountKey::new(&api_url, &me.user.id);
        Store::open(root, &account, Limits::from_config(&config)).unwrap()
    });
    let mut app = App::new(Settings::from_config(&config), config.keymap.clone(), 7);
    app.settings.store = store.is_some();
    let start = Instant::now();
    app::update(&mut app, Msg::WallClock(jiff::Timestamp::now()), start);
    app::update(
        &mut app,
        Msg::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
        start,
    );
    let (gateway, gateway_rx) = gateway::spawn(gateway, api.clone()).unwrap();
    let (results_tx, results_rx) = mpsc::unbounded_channel::<Msg>();
    let mut exec = Executor::new(
        api.clone(),
        gateway.clone(),
        results_tx,
        None,
        store.as_ref().map(Store::handle),
    );
    for msg in gilt::runtime::load::initial(api, me).await {
        for effect in app::update(&mut app, msg, Instant::now()) {
            exec.run(effect);
        }
    }
    Parts {
        app,
        exec,
        ui: Ui::new(),
        gateway,
        gateway_rx,
        results_rx,
        store,
        // As the client keeps it (never written: there is no panic hook here).
        crash_path: Some(log.with_file_name("state.json")),
    }
}

/// The runtime's loop, headless, until the bench closes stdin (it has read what it measures);
/// then the loop saves, shuts the gateway down and closes the store, as on SIGTERM.
pub async fn run(parts: Parts, observer: &mut impl Observer) {
    let stdin_closed = async {
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().lock().lines().count()).await;
        "stdin closed".to_owned()
    };
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    event_loop::run(parts, &mut terminal, NoInput, observer, stdin_closed)
        .await
        .unwrap();
}

/// A line to the bench, at once.
pub fn say(line: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    out.write_fmt(line).unwrap();
    out.write_all(b"\n").unwrap();
    out.flush().unwrap();
}
