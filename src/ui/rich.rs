//! Rich message content ([`RichText`]) → styled, wrapped lines for a given width.
//!
//! Rule: every string from the document is sanitised here before it becomes a span; the
//! result depends only on the content, the width and [`RichStyle`], so it can be cached. At
//! most [`budget::MAX_LAYOUT_COST`] of a body is laid out, so a hostile one stays cheap.

mod budget;
#[cfg(test)]
mod hostile_tests;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use super::emoji;
use super::text::{Wrapper, grapheme_width, width};
use super::theme::Theme;
use crate::protocol::content::{Block, Embed, Inline, Marks, MediaKind, MentionKind, RichText};
use crate::sanitize::{sanitize, sanitize_multiline};

/// What the layout of a message body depends on besides the content and the width.
#[derive(Debug, Clone, Copy)]
pub struct RichStyle<'a> {
    pub theme: &'a Theme,
    /// The user's id: mentions of them stand out.
    pub me: &'a str,
    /// Show spoilers in clear (the user revealed them on this message).
    pub reveal_spoilers: bool,
}

/// A styled piece of inline text, already sanitised; `\n` marks a hard break.
type Piece = (String, Style);

/// Lay out a message body at `width` columns. Leading and trailing blank lines are dropped;
/// an empty body gives no lines. A body too large to show whole ends with a note that the
/// rest is left out.
pub fn layout(text: &RichText, width: usize, st: &RichStyle<'_>) -> Vec<Line<'static>> {
    let width = width.max(1);
    let (text, cut) = budget::capped(text);
    let mut out: Vec<Line<'static>> = Vec::new();
    for block in &text.blocks {
        layout_block(block, width, st, &mut out);
    }
    let is_blank = |l: &Line<'_>| l.spans.iter().all(|s| s.content.trim().is_empty());
    while out.last().is_some_and(is_blank) {
        out.pop();
    }
    let lead = out.iter().take_while(|l| is_blank(l)).count();
    out.drain(..lead);
    if cut {
        let note = "… (message too long: the rest is not shown)";
        let style = st.theme.muted.add_modifier(Modifier::ITALIC);
        out.extend(wrap_pieces(&[(note.to_owned(), style)], width));
    }
    out
}

fn layout_block(block: &Block, width: usize, st: &RichStyle<'_>, out: &mut Vec<Line<'static>>) {
    let t = st.theme;
    match block {
        Block::Paragraph(inlines) => {
            out.extend(wrap_pieces(
                &inline_pieces(inlines, Style::new(), st),
                width,
            ));
        }
        Block::Heading { large, inlines } => {
            let mut style = Style::new().add_modifier(Modifier::BOLD);
            if *large {
                style = style.add_modifier(Modifier::UNDERLINED);
            }
            out.extend(wrap_pieces(&inline_pieces(inlines, style, st), width));
        }
        Block::Quote(lines) => {
            let bar = vec![Span::styled("▎ ", t.muted)];
            for inlines in lines {
                let pieces = inline_pieces(inlines, Style::new(), st);
                out.extend(with_prefix(&pieces, width, &bar, &bar));
            }
        }
        Block::Code { language, lines } => layout_code(language.as_deref(), lines, width, t, out),
        Block::List { ordered, items } => {
            let count = items.len();
            let num_w = count.to_string().len();
            for (i, inlines) in items.iter().enumerate() {
                let marker = if *ordered {
                    format!("{:>num_w$}. ", i + 1)
                } else {
                    "• ".to_owned()
                };
                let indent = " ".repeat(width_of(&marker));
                let first = vec![Span::styled(marker, t.muted)];
                let rest = vec![Span::raw(indent)];
                let pieces = inline_pieces(inlines, Style::new(), st);
                out.extend(with_prefix(&pieces, width, &first, &rest));
            }
        }
        Block::Divider => out.push(Line::from(Span::styled("─".repeat(width.min(48)), t.muted))),
        Block::Media { kind, url } => {
            let label = match kind {
                MediaKind::Image => "[image] ",
                MediaKind::Video => "[video] ",
            };
            let pieces = vec![
                (label.to_owned(), t.muted),
                (sanitize(url).into_owned(), t.link),
            ];
            out.extend(wrap_pieces(&pieces, width));
        }
        Block::Embeds(embeds) => {
            for embed in embeds {
                layout_embed(embed, width, st, out);
            }
        }
        Block::Unknown { text, .. } => {
            let style = t.muted.add_modifier(Modifier::ITALIC);
            let pieces = vec![(sanitize_multiline(text).into_owned(), style)];
            out.extend(wrap_pieces(&pieces, width));
        }
    }
}

/// A code block, framed with its language:
/// ```text
/// ╭─ rust ───────
/// │ fn main() {}
/// ╰──────────────
/// ```
fn layout_code(
    language: Option<&str>,
    lines: &[String],
    width: usize,
    t: &Theme,
    out: &mut Vec<Line<'static>>,
) {
    let bar = vec![Span::styled("│ ", t.border)];
    let mut body = Vec::new();
    for line in lines {
        let clean = sanitize(line);
        body.extend(with_prefix(
            &[(clean.into_owned(), t.code)],
            width,
            &bar,
            &bar,
        ));
    }
    let longest = body.iter().map(super::text::line_width).max().unwrap_or(2);
    let lang = language.map(|l| super::text::truncate(&sanitize(l), 20).into_owned());
    let label_w = lang.as_ref().map_or(0, |l| width_of(l) + 4);
    let frame_w = longest.max(label_w).max(8).min(width);
    let top = match lang {
        Some(lang) if frame_w >= label_w => {
            let fill = frame_w.saturating_sub(label_w);
            Line::from(vec![
                Span::styled("╭─ ", t.border),
                Span::styled(lang, t.muted),
                Span::styled(format!(" {}", "─".repeat(fill)), t.border),
            ])
        }
        _ => Line::from(Span::styled(
            format!("╭{}", "─".repeat(frame_w.saturating_sub(1))),
            t.border,
        )),
    };
    out.push(top);
    out.extend(body);
    out.push(Line::from(Span::styled(
        format!("╰{}", "─".repeat(frame_w.saturating_sub(1))),
        t.border,
    )));
}

/// An embed: a coloured bar down the left, then author, title, description, fields, media,
/// footer.
fn layout_embed(embed: &Embed, width: usize, st: &RichStyle<'_>, out: &mut Vec<Line<'static>>) {
    let t = st.theme;
    let bar_style = embed.color.map_or(t.accent, |c| {
        Style::new().fg(Color::Rgb((c >> 16) as u8, (c >> 8) as u8, c as u8))
    });
    let bar = vec![Span::styled("▌ ", bar_style)];
    let before = out.len();
    let add = |pieces: Vec<Piece>, out: &mut Vec<Line<'static>>| {
        out.extend(with_prefix(&pieces, width, &bar, &bar));
    };
    if let Some(author) = &embed.author {
        add(vec![(sanitize(author).into_owned(), t.title)], out);
    }
    if let Some(title) = &embed.title {
        let title_style = if embed.url.is_some() {
            t.link.add_modifier(Modifier::BOLD)
        } else {
            t.title
        };
        add(vec![(sanitize(title).into_owned(), title_style)], out);
    }
    if let Some(url) = &embed.url {
        add(vec![(sanitize(url).into_owned(), t.muted)], out);
    }
    if let Some(desc) = &embed.description {
        add(
            vec![(sanitize_multiline(desc).into_owned(), Style::new())],
            out,
        );
    }
    for field in &embed.fields {
        add(vec![(sanitize(&field.name).into_owned(), t.title)], out);
        add(
            vec![(sanitize_multiline(&field.value).into_owned(), Style::new())],
            out,
        );
    }
    for (label, url) in [
        ("[image] ", &embed.image),
        ("[thumbnail] ", &embed.thumbnail),
    ] {
        if let Some(url) = url {
            add(
                vec![
                    (label.to_owned(), t.muted),
                    (sanitize(url).into_owned(), t.link),
                ],
                out,
            );
        }
    }
    if let Some(footer) = &embed.footer {
        add(vec![(sanitize(footer).into_owned(), t.muted)], out);
    }
    if out.len() == before {
        add(vec![("(empty embed)".to_owned(), t.muted)], out);
    }
}

/// Inline runs → styled pieces (sanitised), on top of `base`.
fn inline_pieces(inlines: &[Inline], base: Style, st: &RichStyle<'_>) -> Vec<Piece> {
    let t = st.theme;
    let mut pieces = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, marks } => {
                let style = base.patch(marks_style(*marks, t));
                let clean = sanitize_multiline(text);
                if marks.contains(Marks::SPOILER) && !st.reveal_spoilers {
                    pieces.push((hide(&clean), style.patch(t.muted)));
                } else if marks.contains(Marks::CODE) {
                    pieces.push((clean.into_owned(), style));
                } else {
                    let text = emoji::shortcodes_to_emoji(&clean);
                    pieces.push((emoji::terminal_safe(&text).into_owned(), style));
                }
            }
            Inline::Mention { kind, id, label } => {
                let mine = match kind {
                    MentionKind::Person => id == st.me,
                    MentionKind::Everyone | MentionKind::Here => true,
                    MentionKind::Role => false,
                };
                let style = base.patch(if mine { t.mention_me } else { t.mention });
                pieces.push((prefixed('@', label), style));
            }
            Inline::Channel { label, .. } => {
                pieces.push((prefixed('#', label), base.patch(t.mention)));
            }
            Inline::Emoji { label, .. } => {
                let label = sanitize(label);
                pieces.push((
                    emoji::terminal_safe(emoji::display(&label)).into_owned(),
                    base,
                ));
            }
            Inline::Link { href, label } => {
                let href = sanitize(href);
                let label = sanitize(label);
                let label = label.trim();
                if label.is_empty() || label == href.trim() {
                    pieces.push((href.into_owned(), base.patch(t.link)));
                } else {
                    pieces.push((label.to_owned(), base.patch(t.link)));
                    pieces.push((" (".to_owned(), base.patch(t.muted)));
                    pieces.push((href.into_owned(), base.patch(t.muted)));
                    pieces.push((")".to_owned(), base.patch(t.muted)));
                }
            }
        }
    }
    pieces
}

/// A label shown with its sigil (`@name`, `#channel`), whether or not the document had it.
fn prefixed(sigil: char, label: &str) -> String {
    let clean = sanitize(label);
    if clean.starts_with(sigil) {
        clean.into_owned()
    } else {
        format!("{sigil}{clean}")
    }
}

fn marks_style(marks: Marks, t: &Theme) -> Style {
    let mut s = Style::new();
    for (mark, modifier) in [
        (Marks::BOLD, Modifier::BOLD),
        (Marks::ITALIC, Modifier::ITALIC),
        (Marks::UNDERLINE, Modifier::UNDERLINED),
        (Marks::STRIKETHROUGH, Modifier::CROSSED_OUT),
    ] {
        if marks.contains(mark) {
            s = s.add_modifier(modifier);
        }
    }
    if marks.contains(Marks::CODE) {
        s = s.patch(t.code);
    }
    s
}

/// A spoiler, hidden: every visible grapheme becomes `▒` cells of the same width, so revealing
/// it does not reflow the message much; spaces and line breaks stay.
fn hide(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text
        .bytes()
        .all(|b| b == b' ' || b == b'\n' || b.is_ascii_graphic())
    {
        // Printable ASCII: one cell per byte, no grapheme clusters to find.
        out.extend(
            text.chars()
                .map(|c| if c == ' ' || c == '\n' { c } else { '▒' }),
        );
        return out;
    }
    for g in text.graphemes(true) {
        match g {
            " " | "\n" => out.push_str(g),
            g => out.extend(std::iter::repeat_n('▒', grapheme_width(g))),
        }
    }
    out
}

fn width_of(s: &str) -> usize {
    width(s)
}

/// Wrap pieces (with `\n` hard breaks) at `width`.
fn wrap_pieces(pieces: &[Piece], width: usize) -> Vec<Line<'static>> {
    let mut w = Wrapper::new(width);
    for (text, style) in pieces {
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                w.hard_break();
            }
            w.push(part, *style);
        }
    }
    w.finish()
}

/// Wrap pieces in `width - prefix` columns and put `first` before the first line, `rest`
/// before the others (both the same width: a hanging indent).
fn with_prefix(
    pieces: &[Piece],
    width: usize,
    first: &[Span<'static>],
    rest: &[Span<'static>],
) -> Vec<Line<'static>> {
    let prefix_w: usize = first.iter().map(|s| width_of(&s.content)).sum();
    if prefix_w >= width {
        return wrap_pieces(pieces, width);
    }
    wrap_pieces(pieces, width - prefix_w)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let mut spans = if i == 0 {
                first.to_vec()
            } else {
                rest.to_vec()
            };
            spans.extend(line.spans);
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::content::EmbedField;

    fn text(s: &str) -> Inline {
        Inline::Text {
            text: s.to_owned(),
            marks: Marks::NONE,
        }
    }

    fn render(rt: &RichText, width: usize) -> Vec<String> {
        let theme = Theme::default();
        let st = RichStyle {
            theme: &theme,
            me: "me",
            reveal_spoilers: false,
        };
        layout(rt, width, &st)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn paragraphs_links_mentions_and_spoilers() {
        let rt = RichText {
            blocks: vec![Block::Paragraph(vec![
                text("hi "),
                Inline::Mention {
                    kind: MentionKind::Person,
                    id: "me".into(),
                    label: "nico".into(),
                },
                text(" see "),
                Inline::Link {
                    href: "https://a.example".into(),
                    label: "docs".into(),
                },
                text(" "),
                Inline::Text {
                    text: "secret".into(),
                    marks: Marks::SPOILER,
                },
            ])],
        };
        assert_eq!(
            render(&rt, 80),
            ["hi @nico see docs (https://a.example) ▒▒▒▒▒▒"]
        );
    }

    #[test]
    fn mention_of_me_stands_out() {
        let theme = Theme::default();
        let st = RichStyle {
            theme: &theme,
            me: "me",
            reveal_spoilers: true,
        };
        let mention = |id: &str| {
            let rt = RichText {
                blocks: vec![Block::Paragraph(vec![Inline::Mention {
                    kind: MentionKind::Person,
                    id: id.into(),
                    label: "@x".into(),
                }])],
            };
            layout(&rt, 20, &st)[0].spans[0].style
        };
        assert_eq!(mention("me"), theme.mention_me);
        assert_eq!(mention("other"), theme.mention);
    }

    #[test]
    fn code_quote_list_embed() {
        let rt = RichText {
            blocks: vec![
                Block::Code {
                    language: Some("rust".into()),
                    lines: vec!["fn main() {}".into()],
                },
                Block::Quote(vec![vec![text("quoted")]]),
                Block::List {
                    ordered: true,
                    items: vec![vec![text("one two three")], vec![text("b")]],
                },
                Block::Embeds(vec![Embed {
                    title: Some("Title".into()),
                    fields: vec![EmbedField {
                        name: "k".into(),
                        value: "v".into(),
                        inline: false,
                    }],
                    ..Embed::default()
                }]),
            ],
        };
        assert_eq!(
            render(&rt, 12),
            [
                "╭─ rust ───",
                "│ fn main()",
                "│ {}",
                "╰──────────",
                "▎ quoted",
                "1. one two",
                "   three",
                "2. b",
                "▌ Title",
                "▌ k",
                "▌ v",
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn no_line_is_wider_than_the_width(
            s in proptest::prelude::any::<String>(),
            lang in "[a-z\u{1b}\u{202e}]{0,30}",
            width in 1usize..60,
        ) {
            let rt = RichText {
                blocks: vec![
                    Block::Paragraph(vec![text(&s), Inline::Link { href: s.clone(), label: "x".into() }]),
                    Block::Code { language: Some(lang), lines: vec![s.clone()] },
                    Block::Quote(vec![vec![text(&s)]]),
                    Block::List { ordered: true, items: vec![vec![text(&s)]; 12] },
                    Block::Embeds(vec![Embed { title: Some(s.clone()), description: Some(s.clone()), ..Embed::default() }]),
                    Block::Divider,
                ],
            };
            let theme = Theme::default();
            let st = RichStyle { theme: &theme, me: "me", reveal_spoilers: false };
            for line in layout(&rt, width, &st) {
                let w = super::super::text::line_width(&line);
                proptest::prop_assert!(w <= width, "{line:?} is {w} > {width}");
                for span in &line.spans {
                    proptest::prop_assert!(!span.content.chars().any(crate::sanitize::is_forbidden));
                }
            }
        }
    }

    #[test]
    fn hostile_text_is_sanitised() {
        let rt = RichText {
            blocks: vec![Block::Paragraph(vec![text(
                "a\x1b[31mb\x1b]0;t\x07c\u{202e}d",
            )])],
        };
        assert_eq!(render(&rt, 20), ["abcd"]);
    }
}
