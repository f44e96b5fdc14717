//! The scroll path with left/right margins (DECSLRM) in a real terminal: xterm, under a
//! private Xvfb display. vt100 (the emulator of `terminal_wire`) has no left/right margins,
//! so here xterm itself runs the bytes gilt writes, and prints its screen (media copy,
//! `CSI i`, to a `printerCommand`) after every frame; each print must read as a full redraw
//! of the same frame does.

use std::io::{BufRead, BufReader};
use std::num::NonZeroU16;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gilt::app::key::{Key, KeyCode, Mods};
use gilt::app::{App, Msg, update};
use gilt::testkit::wire::{Screen, incoming, world};

use crate::support::tools::required;

/// Whether `name` is an executable on `PATH`.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

/// A private X display; killed when dropped.
struct Display {
    server: Child,
    name: String,
}

impl Display {
    fn start() -> Display {
        // `-displayfd` picks a free display and writes its number on the descriptor.
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "1600x1200x24",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let number = line.trim();
        assert!(!number.is_empty(), "Xvfb named no display");
        Display {
            server,
            name: format!(":{number}"),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// Runs `bytes` in an xterm of `width`×`height` on `display` (raw tty, so line feeds are bare,
/// as under gilt) and returns its prints, `pages` of them, each as text rows (trailing blanks
/// trimmed). xterm starts a printer process per print and they may run at the same time, so
/// each writes a file of its own (appending to one file could interleave their lines).
fn run_in_xterm(
    display: &Display,
    dir: &Path,
    bytes: &[u8],
    (width, height): (u16, u16),
    pages: usize,
) -> Vec<Vec<String>> {
    let input = dir.join("frames.bin");
    let printed = dir.join("printed");
    let done = dir.join("done");
    std::fs::create_dir_all(&printed).unwrap();
    std::fs::write(&input, bytes).unwrap();
    let script = format!(
        "stty raw -echo; cat '{}'; sleep 0.5; touch '{}'; sleep 0.5",
        input.display(),
        done.display()
    );
    // Its own process group: a printer process (a fork of xterm) can hang on its pipe under
    // load, and xterm then never exits; the group is killed once the pages are in.
    #[allow(
        clippy::zombie_processes,
        reason = "reaped on every path: by try_wait when it exits, else by wait after the kill"
    )]
    let mut xterm = Command::new("xterm")
        .process_group(0)
        .env("DISPLAY", &display.name)
        .env("LC_ALL", "C.UTF-8")
        .args([
            "-geometry",
            &format!("{width}x{height}"),
            "-u8",
            "-xrm",
            &format!(
                "XTerm*printerCommand: cat > \"$(mktemp -p '{}')\"",
                printed.display()
            ),
            "-xrm",
            "XTerm*printAttributes: 0",
            // A VT420 at least: left/right margins.
            "-ti",
            "vt420",
            "-e",
            "sh",
            "-c",
            &script,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done.exists() && Instant::now() < deadline {
        if let Ok(Some(status)) = xterm.try_wait() {
            assert!(status.success(), "xterm: {status}");
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if !done.exists() {
        kill_group(&xterm);
        let _ = xterm.wait();
        panic!("xterm did not run the frames");
    }
    // Printer processes may still be writing; wait for every page to be whole.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let read: Vec<Vec<String>> = std::fs::read_dir(&printed)
            .unwrap()
            .map(|entry| {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                // xterm prints U+FFFF for the right half of a double-width character.
                text.lines()
                    .map(|l| l.replace('\u{ffff}', "").trim_end().to_owned())
                    .collect()
            })
            .collect();
        let whole = read.iter().all(|page| page.len() == usize::from(height));
        if (read.len() == pages && whole) || Instant::now() > deadline {
            kill_group(&xterm);
            let _ = xterm.wait();
            return read;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills `xterm` and its printer processes (its process group).
fn kill_group(xterm: &Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", xterm.id())])
        .status();
}

/// The screen a full redraw of `app` leaves, as text rows (trailing blanks trimmed).
fn redrawn_rows(app: &App, width: u16, height: u16) -> Vec<String> {
    let size = |n: u16| NonZeroU16::new(n).unwrap();
    let mut parser = vt100::Parser::new(size(height), size(width), 0);
    parser.process(&Screen::new(width, height).draw(app, true).bytes);
    parser
        .screen()
        .rows(0, width)
        .map(|row| row.trim_end().to_owned())
        .collect()
}

fn margins_path_matches_a_full_redraw_in_xterm(width: u16, height: u16) {
    let test = "terminal_xterm";
    if !required(test, "xterm and Xvfb", on_path("xterm") && on_path("Xvfb")) {
        return;
    }
    let now = Instant::now();
    let mut app = world(now);
    let mut screen = Screen::new(width, height);
    screen.margins = true;
    let mut tape = screen.draw(&app, true).bytes;
    // After each frame, print the screen.
    tape.extend_from_slice(b"\x1b[i");
    let mut expected = vec![redrawn_rows(&app, width, height)];
    let mut margin_scrolls = 0;
    let mut steps: Vec<Msg> = (0..10).map(incoming).collect();
    steps.push(Msg::Key(Key::new(KeyCode::PageUp, Mods::NONE)));
    steps.push(incoming(99));
    steps.push(Msg::Key(Key::new(KeyCode::PageDown, Mods::NONE)));
    steps.push(Msg::Key(Key::new(KeyCode::PageDown, Mods::NONE)));
    steps.extend((10..16).map(incoming));
    for msg in steps {
        let _ = update(&mut app, msg, now);
        let bytes = screen.draw(&app, true).bytes;
        if bytes.windows(6).any(|w| w == b"\x1b[?69h") {
            margin_scrolls += 1;
        }
        tape.extend_from_slice(&bytes);
        tape.extend_from_slice(b"\x1b[i");
        expected.push(redrawn_rows(&app, width, height));
    }
    assert!(
        margin_scrolls >= 14,
        "only {margin_scrolls} frames scrolled within margins"
    );

    let display = Display::start();
    let dir = std::env::temp_dir().join(format!(
        "gilt-xterm-{}-{width}x{height}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut pages = run_in_xterm(&display, &dir, &tape, (width, height), expected.len());
    let _ = std::fs::remove_dir_all(&dir);
    let printed = pages
        .iter()
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n---\n");
    assert_eq!(
        pages.len(),
        expected.len(),
        "one print per frame:\n{printed}"
    );
    // The prints may have finished in any order: each frame's screen must have been printed
    // exactly once. The frames all differ, so a print can only stand for the frame it was
    // taken after.
    for (i, want) in expected.iter().enumerate() {
        assert!(
            !expected[..i].contains(want),
            "frames {i} and an earlier one look the same: the check needs them distinct"
        );
        let Some(at) = pages.iter().position(|page| page == want) else {
            panic!(
                "frame {i}: no print of xterm's screen reads as a full redraw:\n{}\n\nprinted:\n{printed}",
                want.join("\n")
            );
        };
        pages.swap_remove(at);
    }
}

#[test]
fn scrolling_within_left_right_margins_leaves_what_a_full_redraw_leaves_in_xterm_at_120x40() {
    margins_path_matches_a_full_redraw_in_xterm(120, 40);
}

#[test]
fn scrolling_within_left_right_margins_leaves_what_a_full_redraw_leaves_in_xterm_at_80x24() {
    margins_path_matches_a_full_redraw_in_xterm(80, 24);
}
