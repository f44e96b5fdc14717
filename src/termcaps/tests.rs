//! The reply parser, the cell size and the protocol choice.

use super::*;

const KITTY_OK: &[u8] = b"\x1b_Gi=31;OK\x1b\\";
const CELL: &[u8] = b"\x1b[6;20;10t";
const MODE69: &[u8] = b"\x1b[?69;2$y";
const DA1_SIXEL: &[u8] = b"\x1b[?62;4;22c";

fn parse(chunks: &[&[u8]]) -> ReplyParser {
    let mut p = ReplyParser::new();
    for c in chunks {
        p.feed(c);
    }
    p
}

#[test]
fn a_full_answer_in_one_read_gives_every_capability() {
    let all = [KITTY_OK, CELL, MODE69, DA1_SIXEL].concat();
    let p = parse(&[&all]);
    assert!(p.done());
    assert_eq!(
        p.caps(None),
        TermCaps {
            answered: true,
            kitty: true,
            sixel: true,
            cell_px: Some((10, 20)),
            lr_margins: Some(true),
        }
    );
    assert_eq!(p.dropped(), 0);
}

#[test]
fn replies_split_at_every_byte_parse_the_same() {
    let all = [KITTY_OK, CELL, MODE69, DA1_SIXEL].concat();
    let chunks: Vec<&[u8]> = all.chunks(1).collect();
    let p = parse(&chunks);
    assert!(p.done());
    assert_eq!(p.caps(None), parse(&[&all]).caps(None));
    // Before the last byte of DA1, the probe is not done.
    let p = parse(&[&all[..all.len() - 1]]);
    assert!(!p.done());
    assert!(p.caps(None).kitty);
}

#[test]
fn unrelated_bytes_between_replies_are_counted_and_do_not_confuse_the_parser() {
    // A typed "hi", an arrow key, Alt-x and another program's APC string in between.
    let input = [
        b"hi".as_slice(),
        KITTY_OK,
        b"\x1b[A",
        b"\x1bx",
        b"\x1b_Gi=7;OK\x1b\\",
        DA1_SIXEL,
    ]
    .concat();
    let p = parse(&[&input]);
    assert!(p.done());
    let caps = p.caps(None);
    assert!(caps.kitty && caps.sixel);
    assert_eq!(p.dropped(), 2 + 3 + 2 + 11);
}

#[test]
fn the_second_round_ends_with_a_second_da1() {
    let mut p = parse(&[CELL, MODE69, DA1_SIXEL]);
    assert_eq!(p.da1_replies(), 1);
    assert!(!p.caps(None).kitty);
    p.feed(KITTY_OK);
    p.feed(b"\x1b[?62;4;22c");
    assert_eq!(p.da1_replies(), 2);
    let caps = p.caps(None);
    assert!(caps.kitty && caps.sixel);
    assert_eq!(caps.cell_px, Some((10, 20)));
}

#[test]
fn no_reply_at_all_means_no_capabilities() {
    let p = parse(&[]);
    assert!(!p.done());
    assert_eq!(p.caps(Some((80, 24))), TermCaps::default());
}

#[test]
fn left_right_margins_are_usable_only_when_the_mode_can_be_set() {
    let margins = |reply: &[u8]| parse(&[reply, b"\x1b[?1;2c"]).caps(None).lr_margins;
    assert_eq!(margins(b"\x1b[?69;1$y"), Some(true));
    assert_eq!(margins(b"\x1b[?69;2$y"), Some(true));
    assert_eq!(margins(b"\x1b[?69;3$y"), Some(true));
    // Permanently reset: the terminal knows the mode but will not turn it on.
    assert_eq!(margins(b"\x1b[?69;4$y"), Some(false));
    assert_eq!(margins(b"\x1b[?69;0$y"), Some(false));
}

#[test]
fn a_plain_terminal_answers_only_da1() {
    // xterm without sixel: DA1 without attribute 4; the kitty query is ignored, mode 69
    // "not recognised" (0).
    let p = parse(&[b"\x1b[?69;0$y\x1b[?1;2c"]);
    let caps = p.caps(None);
    assert!(caps.answered);
    assert!(!caps.kitty && !caps.sixel);
    assert_eq!(caps.lr_margins, Some(false));
    // "4" must be an attribute, not the device class in front.
    assert!(!parse(&[b"\x1b[?4;1c"]).caps(None).sixel);
}

#[test]
fn a_kitty_error_reply_is_no_kitty() {
    let p = parse(&[b"\x1b_Gi=31;EINVAL:bad\x1b\\\x1b[?62c"]);
    assert!(!p.caps(None).kitty);
}

#[test]
fn the_text_area_gives_the_cell_size_when_csi_16_t_is_not_answered() {
    let p = parse(&[b"\x1b[4;480;800t\x1b[?62c"]);
    assert_eq!(p.caps(Some((80, 24))).cell_px, Some((10, 20)));
    // Without the size in cells, or with a zero size, there is none.
    assert_eq!(p.caps(None).cell_px, None);
    assert_eq!(parse(&[b"\x1b[6;0;0t"]).caps(None).cell_px, None);
}

#[test]
fn a_runaway_sequence_is_dropped_not_kept_forever() {
    let mut p = ReplyParser::new();
    p.feed(b"\x1b_");
    p.feed(&[b'x'; 300]);
    p.feed(DA1_SIXEL);
    // The unterminated APC string is given up on; what comes after it is read again.
    assert_eq!(p.dropped(), 302);
    assert!(p.done());
}

fn env(vars: &[(&str, &str)]) -> TermEnv {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    TermEnv::from_env(&move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

#[test]
fn auto_picks_what_the_terminal_showed_and_half_blocks_in_tmux() {
    let kitty = TermCaps {
        answered: true,
        kitty: true,
        ..TermCaps::default()
    };
    let sixel = TermCaps {
        answered: true,
        sixel: true,
        cell_px: Some((9, 18)),
        ..TermCaps::default()
    };
    let auto = ImageProtocol::Auto;
    let plain = env(&[("TERM", "xterm-256color")]);
    assert_eq!(choose(auto, &kitty, &plain), Graphics::Kitty);
    assert_eq!(choose(auto, &sixel, &plain), Graphics::Sixel);
    assert_eq!(
        choose(auto, &TermCaps::default(), &plain),
        Graphics::HalfBlocks
    );
    // Sixel without a cell size cannot be sized.
    let no_size = TermCaps {
        cell_px: None,
        ..sixel
    };
    assert_eq!(choose(auto, &no_size, &plain), Graphics::HalfBlocks);
    let tmux = env(&[
        ("TMUX", "/tmp/tmux-0/default,1,0"),
        ("TERM", "tmux-256color"),
    ]);
    assert_eq!(choose(auto, &kitty, &tmux), Graphics::HalfBlocks);
    let iterm = env(&[("TERM_PROGRAM", "iTerm.app")]);
    assert_eq!(choose(auto, &TermCaps::default(), &iterm), Graphics::Iterm2);
    let kitty_env = env(&[("TERM", "xterm-kitty")]);
    assert_eq!(
        choose(auto, &TermCaps::default(), &kitty_env),
        Graphics::Kitty
    );
    // An explicit choice wins, also inside tmux.
    assert_eq!(
        choose(ImageProtocol::Sixel, &TermCaps::default(), &tmux),
        Graphics::Sixel
    );
    assert_eq!(
        choose(ImageProtocol::HalfBlocks, &kitty, &plain),
        Graphics::HalfBlocks
    );
}
