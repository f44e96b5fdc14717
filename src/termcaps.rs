//! What the terminal can do, asked once at start-up (in raw mode, before the first frame):
//! kitty graphics, sixel, the cell size in pixels, left/right margins (DECSLRM, through
//! DECRQM mode 69); and which image protocol follows from that, the environment and the
//! config.
//!
//! The queries go out in one write, DA1 (`CSI c`) last: every terminal answers DA1, and in
//! order, so once its reply is in the others have arrived or never will. The wait is short
//! ([`PROBE_WAIT`], longer over SSH) and never blocks past it. The kitty query goes second,
//! only to a terminal that answered the first (see [`probe`]). The reply parser
//! ([`ReplyParser`]) is pure and takes bytes as they come (partial reads, unrelated bytes in
//! between). Bytes that are not a reply (keys typed in that fraction of a second) are dropped
//! and logged by count: the event reader does not exist yet to hand them to.

use std::time::{Duration, Instant};

use crate::config::ImageProtocol;

/// How long the probe waits for the terminal's answers on a local terminal.
pub const PROBE_WAIT: Duration = Duration::from_millis(150);
/// The same over SSH, where a round trip can take longer.
pub const PROBE_WAIT_REMOTE: Duration = Duration::from_millis(400);

/// The image id of the kitty query (any id works; the reply echoes it).
const KITTY_QUERY_ID: &str = "31";

/// The first queries, in one write: cell size (`CSI 16 t`), text area in pixels (`CSI 14 t`,
/// the fallback), DECRQM for mode 69 (DECLRMM), then DA1 as the sentinel.
pub const QUERIES: &[u8] = b"\x1b[16t\x1b[14t\x1b[?69$p\x1b[c";

/// Then, to a terminal that answered: kitty graphics (a 1×1 RGB image, query only: nothing
/// is stored or drawn), and DA1 again as the sentinel.
pub const KITTY_QUERY: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[c";

/// What the terminal said about itself (None: it did not say).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermCaps {
    /// The DA1 reply arrived (the terminal answered at all).
    pub answered: bool,
    /// The kitty graphics query was answered `OK`.
    pub kitty: bool,
    /// DA1 lists attribute 4 (sixel graphics).
    pub sixel: bool,
    /// One cell, `(width, height)` in pixels.
    pub cell_px: Option<(u16, u16)>,
    /// Left/right margins (DECSLRM) usable: DECRQM 69 reports the mode set or reset.
    pub lr_margins: Option<bool>,
}

/// Reads the replies to [`QUERIES`] out of whatever the terminal sends, in pieces.
#[derive(Debug, Default)]
pub struct ReplyParser {
    caps: TermCaps,
    /// The text area in pixels (`CSI 4 ; h ; w t`), for the cell size when `CSI 16 t` is not
    /// answered; the size in cells comes from the caller.
    text_area_px: Option<(u16, u16)>,
    /// Bytes not yet parsed: an incomplete sequence at the end of the last read.
    pending: Vec<u8>,
    /// Bytes that were no reply.
    dropped: usize,
    /// DA1 replies seen (one per round of queries).
    da1: usize,
}

impl ReplyParser {
    pub fn new() -> ReplyParser {
        ReplyParser::default()
    }

    /// Take the next bytes read from the terminal.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        let mut at = 0;
        while at < self.pending.len() {
            match sequence_at(&self.pending[at..]) {
                Seq::Incomplete => break,
                Seq::Other(n) => {
                    self.dropped += n;
                    at += n;
                }
                Seq::Reply(reply, n) => {
                    self.apply(reply);
                    at += n;
                }
            }
        }
        self.pending.drain(..at);
        // A reply is short: a long unfinished sequence is not one of ours.
        if self.pending.len() > 256 {
            self.dropped += self.pending.len();
            self.pending.clear();
        }
    }

    /// The DA1 reply has arrived: nothing more is coming (for the first round).
    pub fn done(&self) -> bool {
        self.caps.answered
    }

    /// DA1 replies seen so far (each round of queries ends with one).
    pub fn da1_replies(&self) -> usize {
        self.da1
    }

    /// Bytes that were not a reply (so far, plus an unfinished tail).
    pub fn dropped(&self) -> usize {
        self.dropped + self.pending.len()
    }

    /// What was learned; `cells` (columns, rows) turns a text area in pixels into a cell size
    /// when the terminal did not report the cell size itself.
    pub fn caps(&self, cells: Option<(u16, u16)>) -> TermCaps {
        let mut caps = self.caps;
        if caps.cell_px.is_none()
            && let (Some((h, w)), Some((cols, rows))) = (self.text_area_px, cells)
        {
            caps.cell_px = cell_size(w, h, cols, rows);
        }
        caps
    }

    fn apply(&mut self, reply: Reply) {
        match reply {
            Reply::Da1 { sixel } => {
                self.caps.answered = true;
                self.caps.sixel |= sixel;
                self.da1 += 1;
            }
            Reply::Kitty { ok } => self.caps.kitty = ok,
            Reply::CellSize { w, h } => self.caps.cell_px = (w > 0 && h > 0).then_some((w, h)),
            Reply::TextArea { w, h } => self.text_area_px = (w > 0 && h > 0).then_some((h, w)),
            // 1 set, 2 reset, 3 permanently set; 4 (permanently reset) cannot be turned on.
            Reply::Mode69(state) => self.caps.lr_margins = Some((1..=3).contains(&state)),
        }
    }
}

/// A pixel size over a number of cells as one cell's size (None when either is zero).
pub fn cell_size(px_w: u16, px_h: u16, cols: u16, rows: u16) -> Option<(u16, u16)> {
    if px_w == 0 || px_h == 0 || cols == 0 || rows == 0 {
        return None;
    }
    let (w, h) = (px_w / cols, px_h / rows);
    (w > 0 && h > 0).then_some((w, h))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    Da1 { sixel: bool },
    Kitty { ok: bool },
    CellSize { w: u16, h: u16 },
    TextArea { w: u16, h: u16 },
    Mode69(u16),
}

#[derive(Debug, PartialEq, Eq)]
enum Seq {
    /// The bytes end inside a sequence that may still become a reply.
    Incomplete,
    /// `n` bytes that are no reply.
    Other(usize),
    Reply(Reply, usize),
}

const ESC: u8 = 0x1b;

/// The sequence at the start of `b`.
fn sequence_at(b: &[u8]) -> Seq {
    if b[0] != ESC {
        // Plain bytes up to the next ESC.
        let n = b.iter().position(|&c| c == ESC).unwrap_or(b.len());
        return Seq::Other(n);
    }
    match b.get(1) {
        None => Seq::Incomplete,
        Some(b'[') => csi(b),
        Some(b'_') => apc(b),
        // ESC and any other byte (Alt-key): not ours.
        Some(_) => Seq::Other(2),
    }
}

/// `ESC [ params intermediates final`.
fn csi(b: &[u8]) -> Seq {
    let mut i = 2;
    while let Some(&c) = b.get(i) {
        match c {
            0x20..=0x3f => i += 1,
            0x40..=0x7e => {
                let body = &b[2..i];
                let n = i + 1;
                return match csi_reply(body, c) {
                    Some(reply) => Seq::Reply(reply, n),
                    None => Seq::Other(n),
                };
            }
            // Not a CSI byte: the sequence is broken; drop what came so far.
            _ => return Seq::Other(i),
        }
    }
    Seq::Incomplete
}

fn csi_reply(body: &[u8], fin: u8) -> Option<Reply> {
    let text = std::str::from_utf8(body).ok()?;
    match fin {
        b'c' => {
            let attrs = text.strip_prefix('?')?;
            let sixel = attrs.split(';').skip(1).any(|a| a == "4");
            Some(Reply::Da1 { sixel })
        }
        b't' => {
            let nums = numbers(text)?;
            match nums.as_slice() {
                [6, h, w] => Some(Reply::CellSize { w: *w, h: *h }),
                [4, h, w] => Some(Reply::TextArea { w: *w, h: *h }),
                _ => None,
            }
        }
        b'y' => {
            let rest = text.strip_prefix('?')?.strip_suffix('$')?;
            match numbers(rest)?.as_slice() {
                [69, state] => Some(Reply::Mode69(*state)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn numbers(text: &str) -> Option<Vec<u16>> {
    text.split(';').map(|n| n.parse().ok()).collect()
}

/// `ESC _ … ESC \` (an APC string): a kitty graphics reply is `G<keys>;<message>`.
fn apc(b: &[u8]) -> Seq {
    let Some(end) = b.windows(2).position(|w| w == b"\x1b\\") else {
        return Seq::Incomplete;
    };
    let n = end + 2;
    let body = &b[2..end];
    let Some(rest) = body.strip_prefix(b"G") else {
        return Seq::Other(n);
    };
    let text = String::from_utf8_lossy(rest);
    let (keys, message) = text.split_once(';').unwrap_or((&text, ""));
    let ours = keys
        .split(',')
        .any(|kv| kv.split_once('=') == Some(("i", KITTY_QUERY_ID)));
    if !ours {
        return Seq::Other(n);
    }
    Seq::Reply(
        Reply::Kitty {
            ok: message == "OK",
        },
        n,
    )
}

/// The terminal as the environment describes it (for what queries cannot tell).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    /// `$TMUX` is set: graphics do not pass through by default.
    pub tmux: bool,
    /// `TERM_PROGRAM` is iTerm.app or WezTerm (the iTerm2 image protocol).
    pub iterm2: bool,
    /// `KITTY_WINDOW_ID` is set, or `TERM` is xterm-kitty.
    pub kitty: bool,
}

impl TermEnv {
    /// Read from `env`, a lookup of environment variables.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> TermEnv {
        let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
        let term = env("TERM").unwrap_or_default();
        let program = env("TERM_PROGRAM").unwrap_or_default();
        TermEnv {
            tmux: set("TMUX") || term.starts_with("tmux"),
            iterm2: matches!(program.as_str(), "iTerm.app" | "WezTerm"),
            kitty: set("KITTY_WINDOW_ID") || term == "xterm-kitty",
        }
    }
}

/// Whether the probe sends the kitty graphics query: not inside tmux, where the answer would
/// not be used ([`choose`] never picks a graphics protocol there on its own) and the query
/// itself, an APC string, becomes the pane's title (left behind after gilt quits).
pub fn asks_kitty(env: &TermEnv) -> bool {
    !env.tmux
}

/// How images are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graphics {
    Kitty,
    Sixel,
    Iterm2,
    /// Coloured half-block characters: any terminal with colour, also over SSH and in tmux.
    HalfBlocks,
}

/// The protocol for `config`, given what the terminal answered and the environment. `auto`
/// picks a graphics protocol only where the terminal shows it has one, and never inside tmux
/// (which does not pass graphics through unless configured to); sixel also needs the cell
/// size, to size the picture in pixels.
pub fn choose(config: ImageProtocol, caps: &TermCaps, env: &TermEnv) -> Graphics {
    match config {
        ImageProtocol::Kitty => Graphics::Kitty,
        ImageProtocol::Sixel => Graphics::Sixel,
        ImageProtocol::Iterm2 => Graphics::Iterm2,
        ImageProtocol::Auto if !env.tmux && (caps.kitty || env.kitty) => Graphics::Kitty,
        ImageProtocol::Auto if !env.tmux && env.iterm2 => Graphics::Iterm2,
        ImageProtocol::Auto if !env.tmux && caps.sixel && caps.cell_px.is_some() => Graphics::Sixel,
        ImageProtocol::Auto | ImageProtocol::HalfBlocks => Graphics::HalfBlocks,
    }
}

/// Ask the terminal (already in raw mode) and wait at most `wait` for the answers; the kitty
/// graphics query only when `ask_kitty` (not inside tmux, which takes an APC string for a
/// pane title and never passes graphics through by default: see [`asks_kitty`]).
/// Never fails: a terminal that cannot be asked or does not answer has no capabilities.
pub fn probe(wait: Duration, ask_kitty: bool) -> TermCaps {
    use std::io::{IsTerminal, Write};
    use std::os::fd::AsFd;

    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stdout().is_terminal() {
        return TermCaps::default();
    }
    let mut out = std::io::stdout();
    let mut send = |bytes: &[u8]| {
        out.write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(|e| tracing::info!("terminal probe not sent: {e}"))
            .is_ok()
    };
    let fd = stdin.as_fd();
    let start = Instant::now();
    let mut parser = ReplyParser::new();
    if send(QUERIES) {
        read_replies(fd, &mut parser, 1, start + wait);
    }
    // The kitty query only to a terminal that has answered: its reply is an APC string, which
    // the event reader would take for keys (Alt-_, "Gi=31;OK") if it came after the probe.
    // Given the round trip just measured (twice, for slack) even when that passes the budget.
    if ask_kitty && parser.done() {
        let round_trip = start.elapsed();
        let until = (start + wait).max(Instant::now() + round_trip * 2 + MIN_SLACK);
        if send(KITTY_QUERY) {
            read_replies(fd, &mut parser, 2, until.min(start + MAX_PROBE));
        }
    }
    let cells = crossterm::terminal::size().ok();
    let mut caps = parser.caps(cells);
    if caps.cell_px.is_none()
        && let Ok(size) = crossterm::terminal::window_size()
    {
        caps.cell_px = cell_size(size.width, size.height, size.columns, size.rows);
    }
    if parser.dropped() > 0 {
        tracing::info!(
            "terminal probe: {} bytes of input were not replies and were dropped",
            parser.dropped()
        );
    }
    tracing::info!(
        "terminal probe ({} ms): {caps:?}",
        start.elapsed().as_millis()
    );
    caps
}

/// Slack added to the measured round trip for the kitty query.
const MIN_SLACK: Duration = Duration::from_millis(30);
/// The probe never takes longer than this, however slow the link.
const MAX_PROBE: Duration = Duration::from_secs(1);

/// Read from `fd` into `parser` until it has seen `da1` DA1 replies or `deadline` passes.
fn read_replies(
    fd: std::os::fd::BorrowedFd<'_>,
    parser: &mut ReplyParser,
    da1: usize,
    deadline: Instant,
) {
    let mut buf = [0u8; 1024];
    while parser.da1_replies() < da1 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let timeout = rustix::event::Timespec {
            tv_sec: left.as_secs() as i64,
            tv_nsec: i64::from(left.subsec_nanos()),
        };
        let mut fds = [rustix::event::PollFd::new(
            &fd,
            rustix::event::PollFlags::IN,
        )];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) => break,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => {
                tracing::info!("terminal probe: poll failed: {e}");
                break;
            }
        }
        // Read straight from the descriptor (not through std's buffered stdin), so nothing
        // after the replies is held back from the event reader.
        match rustix::io::read(fd, &mut buf) {
            Ok(0) => break,
            Ok(n) => parser.feed(&buf[..n]),
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
            Err(e) => {
                tracing::info!("terminal probe: read failed: {e}");
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests;
