//! The bytes gilt writes to the terminal: a screen that presents frames through the real
//! [`crate::tui::present`] path into a tape instead of stdout, and a stream of incoming
//! messages to feed the model. Shared by the wire benchmark and the scroll-path tests.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::Instant;

use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::world::{self, GENERAL, TEAM};
use crate::app::{App, ChatEvent, Msg};
use crate::protocol::content::{Marks, RichText};
use crate::ui::{Ui, scroll};

/// A `Write` that keeps what is written, shared with whoever reads it back.
#[derive(Clone, Debug, Default)]
pub struct Tape(Rc<RefCell<Vec<u8>>>);

impl Tape {
    /// Everything written since the last take.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl Write for Tape {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A `width`×`height` terminal drawn by one [`Ui`] through the real present path.
pub struct Screen {
    terminal: Terminal<CrosstermBackend<Tape>>,
    tape: Tape,
    shown: Option<Buffer>,
    /// The renderer (its hit map says where the timeline was drawn).
    pub ui: Ui,
    /// How images are drawn (half blocks unless a test picks a protocol).
    pub graphics: crate::termcaps::Graphics,
    /// Whether the terminal has left/right margins (scrolls confined to the timeline).
    pub margins: bool,
    images: crate::tui::ImageScreen,
}

/// One presented frame: the bytes written, and the floor for it.
pub struct Presented {
    pub bytes: Vec<u8>,
    /// What a scroll confined to the timeline's columns would write (DECSLRM-style margins:
    /// the sidebar untouched): the scroll sequence plus only the cells still differing. None
    /// when the frame is not a scroll of the previous one.
    pub floor: Option<usize>,
}

impl Screen {
    pub fn new(width: u16, height: u16) -> Screen {
        let tape = Tape::default();
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        };
        let terminal = Terminal::with_options(CrosstermBackend::new(tape.clone()), options)
            .expect("a terminal on a tape");
        Screen {
            terminal,
            tape,
            shown: None,
            ui: Ui::new(),
            graphics: crate::termcaps::Graphics::HalfBlocks,
            margins: false,
            images: crate::tui::ImageScreen::default(),
        }
    }

    /// Draw `app` and present it, with the scroll path (`scroll`) or the plain diff.
    pub fn draw(&mut self, app: &App, scroll: bool) -> Presented {
        self.ui.draw(&mut self.terminal.get_frame(), app);
        let timeline = self.timeline();
        let floor = self
            .shown
            .as_ref()
            .and_then(|shown| floor(shown, self.terminal.current_buffer_mut(), timeline));
        crate::tui::present(
            &mut self.terminal,
            &mut self.shown,
            scroll.then_some(scroll::Target {
                region: timeline,
                margins: self.margins,
            }),
            self.ui.cursor,
            Some(crate::tui::Images {
                kind: self.graphics,
                now: &self.ui.graphics,
                screen: &mut self.images,
            }),
        )
        .expect("a tape takes every byte");
        Presented {
            bytes: self.tape.take(),
            floor,
        }
    }

    /// The timeline's area in the last frame.
    pub fn timeline(&self) -> Rect {
        let area = self.ui.hits.timeline;
        Rect::new(area.x, area.y, area.width, area.height)
    }
}

/// The floor for showing `next` over `shown`: see [`Presented::floor`]. Counted with the
/// whole-line scroll sequence (the shortest), as the figures before left/right margins were.
fn floor(shown: &Buffer, next: &Buffer, timeline: Rect) -> Option<usize> {
    let plan = scroll::plan(shown, next, timeline, false)?;
    let sequence = crate::tui::scroll_sequence(&plan);
    // Only the timeline's columns move, as with left/right margins.
    let mut moved = shown.clone();
    scroll::shift_up_within(
        &mut moved,
        plan.rows,
        timeline.left()..timeline.right(),
        plan.k,
    );
    let tape = Tape::default();
    let mut backend = CrosstermBackend::new(tape.clone());
    backend
        .draw(moved.diff(next).into_iter())
        .expect("a tape takes every byte");
    Some(sequence.len() + tape.take().len())
}

/// The `i`th incoming message in `#general`: authors take turns in runs of two, every third
/// is long enough to wrap, one minute apart.
pub fn incoming(i: usize) -> Msg {
    let authors = ["alice001", "bob00001", "carol001"];
    let body = if i % 3 == 2 {
        format!(
            "message {i}: a longer one that goes on about the release, the build, the \
             benchmarks and what is left to do before the end of the day"
        )
    } else {
        format!("message {i}: short and to the point")
    };
    let at = world::ts("2026-11-25T10:31:00Z").as_second() + 60 * i as i64;
    let at = jiff::Timestamp::from_second(at).expect("a valid time");
    let mut message = world::message(
        &format!("wire{i:08}"),
        GENERAL,
        authors[(i / 2) % authors.len()],
        "2026-11-25T10:31:00Z",
        RichText {
            blocks: vec![world::para(vec![
                world::text(&body),
                world::marked(" ok", Marks::BOLD),
            ])],
        },
    );
    message.created_at = at;
    Msg::Chat(ChatEvent::MessageCreated {
        message,
        team_id: Some(TEAM.into()),
    })
}

/// The demo world (sidebar, the conversation, someone typing, a draft), at the bottom of
/// `#general`.
pub fn world(now: Instant) -> App {
    let mut app = world::base_app(now);
    world::send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: world::conversation(),
            has_past: false,
            older: false,
        },
        now,
    );
    world::send(
        &mut app,
        Msg::Chat(ChatEvent::Typing {
            channel: GENERAL.into(),
            user: "dave0001".into(),
        }),
        now,
    );
    world::type_text(&mut app, "a draft in progress", now);
    app
}
