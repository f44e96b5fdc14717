//! Terminal lifecycle: raw mode, alternate screen, bracketed paste and (where the terminal
//! supports it) key disambiguation on entry; all of it undone on normal exit, on error (Drop),
//! on panic (hook) and on SIGTERM/SIGHUP (the caller selects on [`termination_signal`]).
//! With `mouse = true` it captures the mouse too (released with the rest of the restore).
//! Key and mouse events are translated for the app in [`input`].

use std::io::{self, Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};

use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableFocusChange, EnableMouseCapture, KeyboardEnhancementFlags, PopKeyboardEnhancementFlags,
    PushKeyboardEnhancementFlags,
};
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
    enable_raw_mode, supports_keyboard_enhancement,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::{App, Area};
use crate::termcaps::{Graphics, TermCaps};
use crate::ui::image::Placement;
use crate::ui::{Ui, scroll};

mod input;

pub use input::{key, mouse};

/// The terminal type the UI draws on.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is currently in TUI mode (so restoring twice is harmless).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether we pushed keyboard enhancement flags that must be popped on restore.
static ENHANCED: AtomicBool = AtomicBool::new(false);
/// Whether we saved the window title (and set our own) so restore brings the old one back.
static TITLED: AtomicBool = AtomicBool::new(false);
/// Whether the config asks for the mouse (`mouse = true`): captured on every set-up.
static MOUSE_WANTED: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture is on and must be released on restore.
static MOUSE_ON: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();
/// What the terminal answered to the start-up probe (asked once per run).
static CAPS: OnceLock<TermCaps> = OnceLock::new();

/// Whether kitty images may be on the screen (deleted on restore).
static KITTY_SHOWN: AtomicBool = AtomicBool::new(false);

/// What the screen shows of images: the placements last written, and the kitty images the
/// terminal holds (transmitted once, placed by id after that).
#[derive(Debug, Default)]
pub struct ImageScreen {
    pub placed: Vec<Placement>,
    pub kitty_sent: std::collections::HashSet<u32>,
}

impl ImageScreen {
    /// The bytes that free every kitty image sent (forgotten here).
    fn free_kitty(&mut self) -> Vec<u8> {
        self.placed.clear();
        self.kitty_sent
            .drain()
            .flat_map(crate::graphics::kitty_free)
            .collect()
    }
}

/// Owns the terminal while the TUI is up; dropping it restores the terminal.
pub struct Tui {
    terminal: Term,
    /// What the terminal shows (the last presented frame); None: a blank screen.
    shown: Option<Buffer>,
    /// How image previews are drawn (set by the runtime from the probe and the config).
    pub graphics: Graphics,
    /// Whether the terminal has left/right margins (DECSLRM), so that scrolling the timeline
    /// leaves the panes beside it alone (set by the runtime from the probe).
    pub margins: bool,
    /// The images the screen shows.
    images: ImageScreen,
}

impl Tui {
    /// Enter raw mode and the alternate screen, capturing the mouse when `mouse` is set.
    /// Installs the panic hook the first time.
    pub fn enter(mouse: bool) -> io::Result<Tui> {
        install_panic_hook();
        MOUSE_WANTED.store(mouse, Ordering::SeqCst);
        let entered = set_up().and_then(|()| Terminal::new(CrosstermBackend::new(stdout())));
        match entered {
            Ok(terminal) => Ok(Tui {
                terminal,
                shown: None,
                graphics: Graphics::HalfBlocks,
                margins: false,
                images: ImageScreen::default(),
            }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Hand the terminal to another program (the external editor): as it was before gilt,
    /// but the window title stays ours. Undone by [`Tui::resume`].
    pub fn suspend(&mut self) {
        self.free_images();
        tear_down(false);
    }

    /// Free the kitty images this run sent (the terminal would keep them until its quota).
    fn free_images(&mut self) {
        let bytes = self.images.free_kitty();
        if !bytes.is_empty() && ACTIVE.load(Ordering::SeqCst) {
            let mut out = stdout();
            let _ = out.write_all(&bytes).and_then(|()| out.flush());
        }
    }

    /// Take the terminal back after [`Tui::suspend`] and redraw everything on the next frame.
    pub fn resume(&mut self) -> io::Result<()> {
        // A fresh screen and a fresh terminal (its previous frame empty), so the next draw
        // writes every cell; no cursor query, which some terminals never answer.
        let resumed = set_up()
            .and_then(|()| execute!(stdout(), Clear(ClearType::All)))
            .and_then(|()| Terminal::new(CrosstermBackend::new(stdout())));
        match resumed {
            Ok(terminal) => {
                self.terminal = terminal;
                self.shown = None;
                self.images = ImageScreen::default();
                Ok(())
            }
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// What the terminal answered to the start-up probe.
    pub fn caps(&self) -> TermCaps {
        CAPS.get().copied().unwrap_or_default()
    }

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut Term {
        &mut self.terminal
    }

    /// Draw `app` and show it, scrolling the timeline's rows in the terminal when the frame is
    /// the last one moved up (see [`present`]), and drawing image previews with the terminal's
    /// protocol. While an image is (or was just) on screen the plain diff is used: a scroll
    /// would move the image's cells without the image.
    pub fn draw(&mut self, ui: &mut Ui, app: &App) -> io::Result<()> {
        self.terminal.autoresize()?;
        ui.draw(&mut self.terminal.get_frame(), app);
        let Area {
            x,
            y,
            width,
            height,
        } = ui.hits.timeline;
        let timeline = Rect::new(x, y, width, height);
        let scroll =
            (ui.graphics.is_empty() && self.images.placed.is_empty()).then_some(scroll::Target {
                region: timeline,
                margins: self.margins,
            });
        present(
            &mut self.terminal,
            &mut self.shown,
            scroll,
            ui.cursor,
            Some(Images {
                kind: self.graphics,
                now: &ui.graphics,
                screen: &mut self.images,
            }),
        )
    }
}

/// The bytes that make the terminal do `scroll` and leave the rest of the screen alone:
/// margins over the rows (DECSTBM) and, when it is confined to columns, left/right margins
/// (DECLRMM on, DECSLRM), the cursor to the region's bottom left, `k` line feeds (each scrolls
/// the region at its bottom margin: older than `CSI S`, which not every terminal has), margins
/// reset. (Were the tty to add a carriage return to each, it would change nothing: a carriage
/// return goes to the left margin.)
pub fn scroll_sequence(scroll: &scroll::Scroll) -> String {
    let (top, bottom) = (scroll.rows.start + 1, scroll.rows.end);
    let feeds = "\n".repeat(usize::from(scroll.k));
    match &scroll.columns {
        None => format!("\x1b[{top};{bottom}r\x1b[{bottom};1H{feeds}\x1b[r"),
        // With DECLRMM on, `CSI s` sets the margins (full width without parameters) instead
        // of saving the cursor; turning DECLRMM off resets them too, the `CSI s` is for
        // terminals that forget to.
        Some(columns) => {
            let (left, right) = (columns.start + 1, columns.end);
            format!(
                "\x1b[?69h\x1b[{top};{bottom}r\x1b[{left};{right}s\x1b[{bottom};{left}H{feeds}\
                 \x1b[s\x1b[r\x1b[?69l"
            )
        }
    }
}

/// Show the frame rendered into `terminal`'s current buffer, given that the terminal shows
/// `shown` (None, or another size: blank, as after entering or a resize). With `scroll` (the
/// timeline's area), when the frame is the shown one with those rows moved up by `k` and a
/// scroll is cheaper ([`scroll::plan`]), the terminal scrolls them itself
/// ([`scroll_sequence`]) and only the cells that still differ are written: the
/// new rows, and whatever the whole-line scroll disturbed beside the timeline. Otherwise the
/// plain cell diff, as `Terminal::draw` writes it. `shown` becomes the frame.
///
/// Ratatui's own previous buffer is not used: `shown` is kept here, shifted like the screen.
///
/// With `images`, the frame's image placements are written after the cells (their cells are
/// skipped by the diff) whenever they differ from what the screen shows.
pub fn present<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<W>>,
    shown: &mut Option<Buffer>,
    scroll: Option<scroll::Target>,
    cursor: Option<Position>,
    images: Option<Images<'_>>,
) -> io::Result<()> {
    let next = terminal.current_buffer_mut().clone();
    let (mut screen, blank) = match shown.take() {
        Some(buffer) if buffer.area == next.area => (buffer, false),
        _ => (Buffer::empty(next.area), true),
    };
    if let Some(plan) =
        scroll.and_then(|target| scroll::plan(&screen, &next, target.region, target.margins))
    {
        terminal
            .backend_mut()
            .write_all(scroll_sequence(&plan).as_bytes())?;
        scroll::apply(&mut screen, &plan);
    }
    terminal
        .backend_mut()
        .draw(screen.diff(&next).into_iter())?;
    if let Some(mut images) = images {
        write_images(terminal.backend_mut(), &mut images, blank)?;
    }
    match cursor {
        None => terminal.hide_cursor()?,
        Some(position) => {
            terminal.show_cursor()?;
            terminal.set_cursor_position(position)?;
        }
    }
    terminal.swap_buffers();
    Backend::flush(terminal.backend_mut())?;
    *shown = Some(next);
    Ok(())
}

/// The images of a frame for [`present`]: the protocol, the frame's placements, and what the
/// screen shows (updated).
pub struct Images<'a> {
    pub kind: Graphics,
    pub now: &'a [Placement],
    pub screen: &'a mut ImageScreen,
}

/// Write the frame's images if they are not what the screen shows (`blank`: the screen was
/// cleared, so nothing is). Each goes over its cells, blanked first so nothing of the text
/// before shows around a picture narrower than its box. Kitty's placements are not cells
/// (the cell diff does not remove them): the old ones are deleted first, and an image is
/// transmitted only the first time, then placed by id.
fn write_images<W: Write>(out: &mut W, images: &mut Images<'_>, blank: bool) -> io::Result<()> {
    let screen = &mut *images.screen;
    if images.kind == Graphics::HalfBlocks || (!blank && images.now == screen.placed.as_slice()) {
        return Ok(());
    }
    if images.kind == Graphics::Kitty && (blank || !screen.placed.is_empty()) {
        out.write_all(crate::graphics::KITTY_DELETE_PLACEMENTS)?;
    }
    for p in images.now {
        let Rect {
            x,
            y,
            width,
            height,
        } = p.area;
        for row in y..y + height {
            crossterm::queue!(out, cursor::MoveTo(x, row))?;
            write!(out, "\x1b[0m{}", " ".repeat(usize::from(width)))?;
        }
        crossterm::queue!(out, cursor::MoveTo(x, y))?;
        match &p.graphic.kitty {
            Some((id, place)) => {
                if screen.kitty_sent.insert(*id) {
                    out.write_all(&p.graphic.bytes)?;
                }
                out.write_all(place)?;
                KITTY_SHOWN.store(true, Ordering::SeqCst);
            }
            None => out.write_all(&p.graphic.bytes)?,
        }
    }
    screen.placed = images.now.to_vec();
    // The terminal keeps what was sent until freed: beyond a few dozen, the images not on
    // screen go (one scrolled back into view is sent again).
    if screen.kitty_sent.len() > KITTY_KEPT {
        let shown: Vec<u32> = images
            .now
            .iter()
            .filter_map(|p| p.graphic.kitty.as_ref().map(|(id, _)| *id))
            .collect();
        let gone: Vec<u32> = screen
            .kitty_sent
            .iter()
            .copied()
            .filter(|id| !shown.contains(id))
            .collect();
        for id in gone {
            screen.kitty_sent.remove(&id);
            out.write_all(&crate::graphics::kitty_free(id))?;
        }
    }
    Ok(())
}

/// Kitty images kept in the terminal (sent, not on screen) before they are freed.
const KITTY_KEPT: usize = 32;

impl Drop for Tui {
    fn drop(&mut self) {
        self.free_images();
        restore();
    }
}

/// Raw mode, alternate screen, bracketed paste, focus reports, hidden cursor, and key
/// disambiguation where the terminal has it.
fn set_up() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        // Focus reports (`CSI ?1004h`) let notifications skip the channel being read.
        EnableFocusChange,
        cursor::Hide
    )?;
    // Before anything else reads the terminal (crossterm's keyboard query below): the probe
    // reads the replies itself. On the alternate screen, cleared after it, so a terminal that
    // prints a query it does not know leaves nothing behind.
    if CAPS.get().is_none() {
        let remote = std::env::var_os("SSH_CONNECTION").is_some_and(|v| !v.is_empty());
        let env = crate::termcaps::TermEnv::from_env(&|name| std::env::var(name).ok());
        let wait = if remote {
            crate::termcaps::PROBE_WAIT_REMOTE
        } else {
            crate::termcaps::PROBE_WAIT
        };
        let caps = crate::termcaps::probe(wait, crate::termcaps::asks_kitty(&env));
        let _ = CAPS.set(caps);
        execute!(out, Clear(ClearType::All))?;
    }
    // Lets Shift-Enter and friends be told apart where the terminal can report them.
    if supports_keyboard_enhancement().unwrap_or(false) {
        execute!(
            out,
            PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES)
        )?;
        ENHANCED.store(true, Ordering::SeqCst);
    }
    if MOUSE_WANTED.load(Ordering::SeqCst) {
        // Flag first: a failure half-way still gets the disable on restore.
        MOUSE_ON.store(true, Ordering::SeqCst);
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Put the terminal back as it was. Safe to call any number of times, from any thread.
pub fn restore() {
    tear_down(true);
}

/// Undo [`set_up`] (once); the saved window title comes back only if `title` is set.
fn tear_down(title: bool) {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    if KITTY_SHOWN.swap(false, Ordering::SeqCst) {
        let _ = out.write_all(crate::graphics::KITTY_DELETE_ALL);
    }
    if ENHANCED.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, PopKeyboardEnhancementFlags);
    }
    if MOUSE_ON.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    if title && TITLED.swap(false, Ordering::SeqCst) {
        let _ = out.write_all(crate::osc::POP_TITLE);
    }
    let _ = execute!(
        out,
        DisableFocusChange,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Set the window title (OSC 2, sanitised); the title it replaces is saved the first time
/// and comes back on [`restore`].
pub fn set_title(title: &str) {
    if !ACTIVE.load(Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    if !TITLED.swap(true, Ordering::SeqCst) {
        let _ = out.write_all(crate::osc::PUSH_TITLE);
    }
    let _ = out
        .write_all(&crate::osc::window_title(title))
        .and_then(|()| out.flush());
}

/// Write bytes that are not drawing (notifications) straight to the terminal.
pub fn write_raw(bytes: &[u8]) {
    if bytes.is_empty() || !ACTIVE.load(Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

/// On panic: restore the terminal first, then log the panic and let the previous hook (the
/// color-eyre report) print it on the normal screen. A panic off the main thread would leave
/// a runtime drawing on a restored terminal, so it ends the process.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let main_thread = std::thread::current().id();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            tracing::error!("panic: {info}");
            previous(info);
            if std::thread::current().id() != main_thread {
                std::process::exit(101);
            }
        }));
    });
}

/// Resolves when the process receives SIGTERM or SIGHUP, with the signal's name. The handlers
/// are installed when this is called, not when the future is first polled: a signal that comes
/// while the caller's `select!` is busy with other ready branches is then caught, not fatal.
pub fn termination_signal() -> impl std::future::Future<Output = &'static str> {
    use tokio::signal::unix::{SignalKind, signal};
    let handlers = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    );
    async move {
        let (Ok(mut term), Ok(mut hup)) = handlers else {
            // Without signal handlers we can only wait forever; Drop still restores the terminal.
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = hup.recv() => "SIGHUP",
        }
    }
}
