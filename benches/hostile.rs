//! Hostile content: the worst cases we could construct for each parser and layout path that
//! untrusted content goes through, side by side with a normal message. Target (issue 10):
//! each stays under a few milliseconds per message. Figures and the command to reproduce
//! them are in BENCHMARKS.md.
//!
//! - `markdown`: `markdown-plain-text` blocks and composer input (`content::from_markdown`);
//! - `document`: a received message document, JSON → rich text (`content::parse_document`);
//! - `mentions`: whether a message mentions the user (`app::convert::mentions_user`);
//! - `layout`: rich text → wrapped, sanitised lines (`ui::rich::layout`) at 80 columns;
//! - `frame`: a whole 120×40 frame showing the message, from a cold layout cache.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gilt::app::convert::mentions_user;
use gilt::app::{App, Msg, UserId};
use gilt::protocol::content::{
    self, Block, Content, Inline, Marks, MentionKind, ResolvedMention, RichText,
};
use gilt::testkit::world;
use gilt::ui::Ui;
use gilt::ui::rich::{self, RichStyle};
use gilt::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

/// A normal message: a few lines with marks, a mention, a link, a quote and code.
const NORMAL: &str = "Hey @nico, the **build** is *green* again — see https://example.com/ci/123\n\
> it was the `linker`, ~~not~~ the tests\n\
- bump the cache\n- retry ||twice||\n\
```rust\nfn main() { println!(\"hi\"); }\n```";

/// Markdown built to defeat a naive parser (about 14 KB each).
fn hostile_markdown() -> Vec<(&'static str, String)> {
    vec![
        ("reported", "`x` *a ".repeat(2_000)),
        ("bold_openers", "**a ".repeat(3_500)),
        ("unclosed_code", "\\``".repeat(4_700)),
        ("nested_marks", "**__~~||*a*||~~__** ".repeat(700)),
        ("urls", "http://a.io *".repeat(1_100)),
        ("mentions", "(@".repeat(7_000)),
        ("at_cap", "*a ".repeat(5_500)),
    ]
}

fn resolver(name: &str) -> Option<ResolvedMention> {
    (name == "nico").then(|| ResolvedMention::new(MentionKind::Person, "u1", "@nico"))
}

fn markdown(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile_markdown");
    let mut cases = vec![("normal", NORMAL.to_owned())];
    cases.extend(hostile_markdown());
    for (name, input) in &cases {
        group.bench_with_input(BenchmarkId::from_parameter(name), input, |b, input| {
            b.iter(|| content::from_markdown(black_box(input), &resolver));
        });
    }
    group.finish();
}

fn leaf(text: &str, marks: &[&str]) -> Value {
    let marks: Vec<Value> = marks
        .iter()
        .map(|m| json!({"object": "mark", "type": m, "data": {}}))
        .collect();
    json!({"object": "leaf", "text": text, "marks": marks})
}

fn text_node(leaves: &[Value]) -> Value {
    json!({"object": "text", "leaves": leaves})
}

fn document(blocks: &[Value]) -> String {
    json!({"object": "value", "document": {"object": "document", "data": {}, "nodes": blocks}})
        .to_string()
}

fn paragraph(nodes: &[Value]) -> Value {
    json!({"object": "block", "type": "paragraph", "data": {}, "nodes": nodes})
}

/// Blocks nested `depth` deep (only the first levels are read), with text at the bottom.
fn nested(depth: usize) -> String {
    let mut node = text_node(&[leaf("deep", &[])]);
    for _ in 0..depth {
        node = json!({"object": "block", "type": "block-quote-container", "nodes": [node]});
    }
    document(&[node])
}

/// Documents built to be slow to read: deep, wide, many marked leaves, hostile markdown.
fn hostile_documents() -> Vec<(&'static str, String)> {
    let normal = content::to_document(&content::from_markdown(NORMAL, &resolver)).to_string();
    let marked_leaves: Vec<Value> = (0..5_000)
        .map(|i| {
            let marks: &[&str] = if i % 2 == 0 { &["bold", "italic"] } else { &[] };
            leaf("ab ", marks)
        })
        .collect();
    let many_blocks: Vec<Value> = (0..5_000)
        .map(|_| paragraph(&[text_node(&[leaf("x", &[])])]))
        .collect();
    let markdown_block = json!({
        "object": "block",
        "type": "markdown-plain-text",
        "nodes": [text_node(&[leaf(&"`x` *a ".repeat(2_000), &[])])],
    });
    vec![
        ("normal", normal),
        ("nested_30", nested(30)),
        ("nested_120", nested(120)),
        (
            "marked_leaves_5000",
            document(&[paragraph(&[text_node(&marked_leaves)])]),
        ),
        ("blocks_5000", document(&many_blocks)),
        ("markdown_block_14k", document(&[markdown_block])),
    ]
}

fn documents(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile_document");
    for (name, json) in &hostile_documents() {
        group.bench_with_input(BenchmarkId::from_parameter(name), json, |b, json| {
            b.iter(|| content::parse_document(black_box(json)));
        });
    }
    group.finish();
}

/// Rich text built to be slow to lay out.
fn hostile_rich_text() -> Vec<(&'static str, RichText)> {
    let para = |inlines: Vec<Inline>| RichText {
        blocks: vec![Block::Paragraph(inlines)],
    };
    let text = |s: String, marks: Marks| Inline::Text { text: s, marks };
    let marked: Vec<Inline> = (0..5_000)
        .map(|i| {
            let marks = if i % 2 == 0 {
                Marks::BOLD
            } else {
                Marks::ITALIC
            };
            text("ab ".to_owned(), marks)
        })
        .collect();
    let mentions: Vec<Inline> = (0..5_000)
        .map(|i| Inline::Mention {
            kind: MentionKind::Person,
            id: format!("u{i}"),
            label: format!("@user{i}"),
        })
        .collect();
    vec![
        ("normal", content::from_markdown(NORMAL, &resolver)),
        (
            "word_60k",
            para(vec![text("x".repeat(60_000), Marks::NONE)]),
        ),
        (
            "wide_word_60k",
            para(vec![text("日".repeat(20_000), Marks::NONE)]),
        ),
        (
            "combining_5000",
            para(vec![text(
                format!("e{}", "\u{301}".repeat(5_000)),
                Marks::NONE,
            )]),
        ),
        (
            "combining_words",
            para(vec![text(
                "e\u{301}\u{302}\u{303} ".repeat(3_000),
                Marks::NONE,
            )]),
        ),
        ("marked_leaves_5000", para(marked)),
        ("mentions_5000", para(mentions)),
        (
            "spoiler_60k",
            para(vec![text("x".repeat(60_000), Marks::SPOILER)]),
        ),
        (
            "escapes_60k",
            para(vec![text("\x1b]0;".repeat(15_000), Marks::NONE)]),
        ),
        (
            "code_lines_5000",
            RichText {
                blocks: vec![Block::Code {
                    language: Some("rust".into()),
                    lines: vec!["fn main() {}".into(); 5_000],
                }],
            },
        ),
        (
            "parsed_reported",
            content::from_markdown(&"`x` *a ".repeat(2_000), &resolver),
        ),
    ]
}

fn layout(c: &mut Criterion) {
    let theme = Theme::default();
    let st = RichStyle {
        theme: &theme,
        me: "u1",
        reveal_spoilers: false,
    };
    let mut group = c.benchmark_group("hostile_layout_80");
    for (name, rt) in &hostile_rich_text() {
        group.bench_with_input(BenchmarkId::from_parameter(name), rt, |b, rt| {
            b.iter(|| rich::layout(black_box(rt), 80, &st));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("hostile_mentions");
    let me = UserId::from("u4999");
    for (name, rt) in hostile_rich_text() {
        let content = Content::from(rt);
        group.bench_with_input(BenchmarkId::from_parameter(name), &content, |b, content| {
            b.iter(|| mentions_user(black_box(content), &me));
        });
    }
    group.finish();
}

/// A world whose open channel holds one message with this content, as the last message.
fn app_with(content: RichText) -> App {
    let now = Instant::now();
    let mut app = world::base_app(now);
    let mut messages = world::many_messages(50);
    let mut last = messages.pop().unwrap();
    last.content = content.into();
    messages.push(last);
    world::send(
        &mut app,
        Msg::History {
            channel: world::GENERAL.into(),
            messages,
            has_past: false,
            older: false,
        },
        now,
    );
    app
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile_frame_120x40_cold");
    for (name, rt) in hostile_rich_text() {
        let app = app_with(rt);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(name), &app, |b, app| {
            b.iter(|| {
                let mut ui = Ui::new();
                terminal.draw(|f| ui.draw(f, black_box(app))).unwrap();
            });
        });
    }
    group.finish();
}

criterion_group!(benches, markdown, documents, layout, frame);
criterion_main!(benches);
