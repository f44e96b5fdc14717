//! [`RichText`] → the Slate document value the official client writes: one `paragraph` per
//! line, text nodes around every inline (an empty leading leaf before a leading inline, as
//! in the GJS samples), marks as `{"object":"mark","type":…,"data":{}}`.
//!
//! Rule: pure and total; the output parses back to the same rich text (for normalised
//! input). No IO.

use serde_json::{Map, Value, json};

use super::{Block, Embed, Inline, Marks, MediaKind, MentionKind, RichText};

/// Mark bits and their wire names, in the order they are written.
const MARK_NAMES: [(Marks, &str); 6] = [
    (Marks::BOLD, "bold"),
    (Marks::ITALIC, "italic"),
    (Marks::UNDERLINE, "underline"),
    (Marks::STRIKETHROUGH, "strikethrough"),
    (Marks::SPOILER, "spoiler"),
    (Marks::CODE, "inline-code-v2"),
];

/// Encode rich text as a document value.
pub(super) fn document(text: &RichText) -> Value {
    let nodes: Vec<Value> = text.blocks.iter().map(block).collect();
    let mut document = Map::with_capacity(3);
    document.insert("object".to_owned(), Value::from("document"));
    document.insert("data".to_owned(), empty_data());
    document.insert("nodes".to_owned(), Value::Array(nodes));
    let mut value = Map::with_capacity(2);
    value.insert("object".to_owned(), Value::from("value"));
    value.insert("document".to_owned(), Value::Object(document));
    Value::Object(value)
}

fn block_node(kind: &str, data: Value, nodes: Vec<Value>) -> Value {
    // Built by hand so `data` and `nodes` move in (`json!` would clone them).
    let mut m = Map::with_capacity(4);
    m.insert("object".to_owned(), Value::from("block"));
    m.insert("type".to_owned(), Value::from(kind));
    m.insert("data".to_owned(), data);
    m.insert("nodes".to_owned(), Value::Array(nodes));
    Value::Object(m)
}

fn empty_data() -> Value {
    Value::Object(Map::new())
}

fn block(block: &Block) -> Value {
    match block {
        Block::Paragraph(inlines) => block_node("paragraph", empty_data(), inline_nodes(inlines)),
        Block::Heading { large, inlines } => block_node(
            if *large {
                "heading-large"
            } else {
                "heading-small"
            },
            empty_data(),
            inline_nodes(inlines),
        ),
        Block::Quote(lines) => block_node(
            "block-quote-container",
            empty_data(),
            lines
                .iter()
                .map(|line| block_node("block-quote-line", empty_data(), inline_nodes(line)))
                .collect(),
        ),
        Block::Code { language, lines } => block_node(
            "code-container",
            json!({"language": language.as_deref().unwrap_or("unformatted")}),
            lines
                .iter()
                .map(|line| {
                    block_node(
                        "code-line",
                        empty_data(),
                        vec![text_node(&[(line, Marks::NONE)])],
                    )
                })
                .collect(),
        ),
        Block::List { ordered, items } => block_node(
            if *ordered {
                "ordered-list"
            } else {
                "unordered-list"
            },
            empty_data(),
            items
                .iter()
                .map(|item| block_node("list-item", empty_data(), inline_nodes(item)))
                .collect(),
        ),
        Block::Divider => block_node("divider", empty_data(), Vec::new()),
        Block::Media { kind, url } => block_node(
            match kind {
                MediaKind::Image => "image",
                MediaKind::Video => "video",
            },
            json!({"src": url}),
            Vec::new(),
        ),
        Block::Embeds(embeds) => block_node(
            "webhookMessage",
            json!({"embeds": embeds.iter().map(embed).collect::<Vec<_>>()}),
            Vec::new(),
        ),
        Block::Unknown { kind, text } => {
            block_node(kind, empty_data(), vec![text_node(&[(text, Marks::NONE)])])
        }
    }
}

fn embed(e: &Embed) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_owned(), v);
    };
    if let Some(t) = &e.title {
        put("title", json!(t));
    }
    if let Some(d) = &e.description {
        put("description", json!(d));
    }
    if let Some(u) = &e.url {
        put("url", json!(u));
    }
    if let Some(c) = e.color {
        put("color", json!(c));
    }
    if let Some(a) = &e.author {
        put("author", json!({"name": a}));
    }
    if let Some(f) = &e.footer {
        put("footer", json!({"text": f}));
    }
    put(
        "fields",
        Value::Array(
            e.fields
                .iter()
                .map(|f| json!({"name": f.name, "value": f.value, "inline": f.inline}))
                .collect(),
        ),
    );
    if let Some(i) = &e.image {
        put("image", json!({"url": i}));
    }
    if let Some(t) = &e.thumbnail {
        put("thumbnail", json!({"url": t}));
    }
    Value::Object(m)
}

/// Slate's shape for inline content: text nodes (one leaf per run) alternating with inline
/// nodes, starting and ending with a text node (empty where nothing is there).
fn inline_nodes(inlines: &[Inline]) -> Vec<Value> {
    let mut nodes = Vec::with_capacity(inlines.len() + 2);
    let mut run: Vec<(&str, Marks)> = Vec::new();
    for inline in inlines {
        if let Inline::Text { text, marks } = inline {
            run.push((text, *marks));
            continue;
        }
        nodes.push(text_node(&run));
        run.clear();
        nodes.push(inline_node(inline));
    }
    nodes.push(text_node(&run));
    nodes
}

fn text_node(run: &[(&str, Marks)]) -> Value {
    let leaves: Vec<Value> = if run.is_empty() {
        vec![leaf("", Marks::NONE)]
    } else {
        run.iter().map(|(t, m)| leaf(t, *m)).collect()
    };
    json!({"object": "text", "leaves": leaves})
}

fn leaf(text: &str, marks: Marks) -> Value {
    let marks: Vec<Value> = MARK_NAMES
        .iter()
        .filter(|(bit, _)| marks.contains(*bit))
        .map(|(_, name)| json!({"object": "mark", "type": name, "data": {}}))
        .collect();
    json!({"object": "leaf", "text": text, "marks": marks})
}

fn inline_node(inline: &Inline) -> Value {
    let (kind, data, label) = match inline {
        Inline::Text { .. } => unreachable_text(),
        Inline::Mention { kind, id, label } => {
            let name = label.strip_prefix('@').unwrap_or(label);
            let (kind_name, id_value) = match kind {
                MentionKind::Person => ("person", json!(id)),
                // Role ids are integers on the wire.
                MentionKind::Role => ("role", integer_or_string(id)),
                MentionKind::Everyone => ("everyone", json!(id)),
                MentionKind::Here => ("here", json!(id)),
            };
            (
                "mention",
                json!({"mention": {"type": kind_name, "matcher": format!("@{}", name.to_lowercase()), "name": name, "id": id_value}}),
                label.as_str(),
            )
        }
        Inline::Channel { id, label } => {
            let name = label.strip_prefix('#').unwrap_or(label);
            (
                "channel",
                json!({"channel": {"matcher": format!("#{name}"), "name": name, "id": id}}),
                label.as_str(),
            )
        }
        Inline::Emoji { id, label } => (
            "reaction",
            json!({"reaction": {"id": id, "customReactionId": id}}),
            label.as_str(),
        ),
        Inline::Link { href, label } => ("link", json!({"href": href}), label.as_str()),
    };
    json!({
        "object": "inline",
        "type": kind,
        "data": data,
        "nodes": [text_node(&[(label, Marks::NONE)])],
    })
}

/// Text inlines never reach `inline_node` (`inline_nodes` keeps them in text runs); this
/// keeps the match total without a panic.
fn unreachable_text() -> (&'static str, Value, &'static str) {
    ("text", empty_data(), "")
}

/// A canonical decimal integer as a JSON number, anything else as a string.
fn integer_or_string(id: &str) -> Value {
    match id.parse::<i64>() {
        Ok(n) if n.to_string() == id => json!(n),
        _ => json!(id),
    }
}
