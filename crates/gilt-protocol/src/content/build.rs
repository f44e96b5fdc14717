//! Turns the node tree read by `wire` into the [`RichText`] model: block types to blocks,
//! inline types to inlines, leaves to marked text, unknown blocks kept as plain text.
//!
//! Rule: total — every tree gives some rich text (never a panic); the output is normalised
//! (no empty text runs, adjacent runs with equal marks merged). No IO.

use std::cell::Cell;

use super::node_data::NodeData;
use super::wire::{NodeType, Obj, RawNode};
use super::{Block, Embed, EmbedField, Inline, Marks, MediaKind, MentionKind, RichText};

/// The document of a value (`{"object":"value","document":…}`), or the node itself when it
/// already is a document; None when the JSON is no document at all.
pub(super) fn document_of(root: RawNode) -> Option<RawNode> {
    if !root.is_object {
        return None;
    }
    if let Some(doc) = root.document {
        return Some(*doc);
    }
    let looks_like_document = root.object == Obj::Document
        || (root.object == Obj::Missing
            && root.kind == NodeType::Missing
            && !root.nodes.is_empty());
    looks_like_document.then_some(root)
}

/// Convert a document node.
pub(super) fn rich_text(document: RawNode) -> RichText {
    let mut blocks = Vec::with_capacity(document.nodes.len());
    // One markdown budget for the whole message, however many blocks it is split into.
    let markdown_budget = Cell::new(super::markdown::MAX_MARKDOWN_BYTES);
    push_blocks(document.nodes, &mut blocks, &markdown_budget);
    RichText { blocks }
}

/// How a node behaves, from its `object` or, when that is missing, its shape.
#[derive(PartialEq, Eq)]
enum Role {
    Block,
    Inline,
    Text,
    Nothing,
}

fn role(node: &RawNode) -> Role {
    match node.object {
        Obj::Block | Obj::Document | Obj::Value => Role::Block,
        Obj::Inline => Role::Inline,
        Obj::Text => Role::Text,
        Obj::Missing | Obj::Other => {
            if node.kind.is_inline() {
                Role::Inline
            } else if node.kind != NodeType::Missing {
                Role::Block
            } else if !node.leaves.is_empty() || node.text.is_some() {
                Role::Text
            } else if !node.nodes.is_empty() {
                Role::Block
            } else {
                Role::Nothing
            }
        }
    }
}

/// Top-level nodes → blocks. Stray text and inline nodes between blocks are gathered into
/// paragraphs so their text is not lost.
fn push_blocks(nodes: Vec<RawNode>, out: &mut Vec<Block>, markdown_budget: &Cell<usize>) {
    let mut stray: Vec<Inline> = Vec::new();
    let mut has_stray = false;
    for node in nodes {
        match role(&node) {
            Role::Inline | Role::Text => {
                push_inline_node(node, &mut stray);
                has_stray = true;
            }
            Role::Nothing => {}
            Role::Block => {
                if has_stray {
                    out.push(Block::Paragraph(std::mem::take(&mut stray)));
                    has_stray = false;
                }
                push_block(node, out, markdown_budget);
            }
        }
    }
    if has_stray {
        out.push(Block::Paragraph(stray));
    }
}

fn push_block(node: RawNode, out: &mut Vec<Block>, markdown_budget: &Cell<usize>) {
    let RawNode {
        kind, data, nodes, ..
    } = node;
    match kind {
        NodeType::Paragraph | NodeType::Missing => out.push(Block::Paragraph(inlines(nodes))),
        NodeType::MarkdownPlainText => push_markdown(nodes, out, markdown_budget),
        NodeType::HeadingLarge | NodeType::HeadingSmall => out.push(Block::Heading {
            large: kind == NodeType::HeadingLarge,
            inlines: inlines(nodes),
        }),
        NodeType::QuoteContainer => out.push(Block::Quote(lines(nodes))),
        NodeType::QuoteLine => out.push(Block::Quote(vec![inlines(nodes)])),
        NodeType::CodeContainer => {
            let language = data
                .and_then(|d| d.language)
                .filter(|l| !l.trim().is_empty() && l != "unformatted");
            let mut code = Vec::new();
            for line in lines(nodes) {
                code.extend(inlines_plain(&line).split('\n').map(str::to_owned));
            }
            out.push(Block::Code {
                language,
                lines: code,
            });
        }
        NodeType::CodeLine => out.push(Block::Code {
            language: None,
            lines: text_of(&nodes).split('\n').map(str::to_owned).collect(),
        }),
        NodeType::UnorderedList | NodeType::OrderedList => out.push(Block::List {
            ordered: kind == NodeType::OrderedList,
            items: lines(nodes),
        }),
        NodeType::ListItem => out.push(Block::List {
            ordered: false,
            items: vec![inlines(nodes)],
        }),
        NodeType::Divider => out.push(Block::Divider),
        NodeType::Image | NodeType::Video => {
            if let Some(url) = data.and_then(|d| d.src) {
                let kind = if kind == NodeType::Image {
                    MediaKind::Image
                } else {
                    MediaKind::Video
                };
                out.push(Block::Media { kind, url });
            }
        }
        NodeType::WebhookMessage => {
            let embeds: Vec<Embed> = data
                .map(|d| d.embeds)
                .unwrap_or_default()
                .into_iter()
                .map(embed)
                .filter(|e| *e != Embed::default())
                .collect();
            if !embeds.is_empty() {
                out.push(Block::Embeds(embeds));
            }
        }
        // An inline type used as a block: keep it as a paragraph holding that inline.
        NodeType::Mention | NodeType::Channel | NodeType::Reaction | NodeType::Link => {
            let mut one = Vec::new();
            push_inline_node(
                RawNode {
                    object: Obj::Inline,
                    kind,
                    data,
                    nodes,
                    ..RawNode::default()
                },
                &mut one,
            );
            out.push(Block::Paragraph(one));
        }
        NodeType::Other(kind) => out.push(Block::Unknown {
            kind,
            text: text_of(&nodes),
        }),
    }
}

/// `markdown-plain-text`: its text is markdown, parsed like user input (without mention
/// lookup). If it holds inline nodes, they are kept as a paragraph instead.
fn push_markdown(nodes: Vec<RawNode>, out: &mut Vec<Block>, budget: &Cell<usize>) {
    if nodes.iter().all(|n| role(n) == Role::Text) {
        let text = text_of(&nodes);
        if !text.is_empty() {
            out.extend(super::markdown::parse_within(&text, &|_| None, budget).blocks);
        }
    } else {
        out.push(Block::Paragraph(inlines(nodes)));
    }
}

fn embed(data: super::node_data::EmbedData) -> Embed {
    Embed {
        title: data.title,
        description: data.description,
        url: data.url,
        color: data.color.and_then(|c| u32::try_from(c).ok()),
        author: data.author.and_then(|a| a.name),
        footer: data.footer.and_then(|f| f.text),
        fields: data
            .fields
            .into_iter()
            .map(|f| EmbedField {
                name: f.name,
                value: f.value,
                inline: f.inline,
            })
            .collect(),
        image: data.image.and_then(|i| i.url),
        thumbnail: data.thumbnail.and_then(|t| t.url),
    }
}

/// Children of a container (quote, list, code): one line per child block; stray text and
/// inline children between them form one line together.
fn lines(nodes: Vec<RawNode>) -> Vec<Vec<Inline>> {
    let mut out = Vec::with_capacity(nodes.len());
    let mut stray: Option<Vec<Inline>> = None;
    for node in nodes {
        match role(&node) {
            Role::Block => {
                if let Some(line) = stray.take() {
                    out.push(line);
                }
                out.push(inlines(node.nodes));
            }
            Role::Inline | Role::Text => push_inline_node(node, stray.get_or_insert_with(Vec::new)),
            Role::Nothing => {}
        }
    }
    if let Some(line) = stray {
        out.push(line);
    }
    out
}

/// The inline content of a block's children; nested blocks are flattened into it.
fn inlines(nodes: Vec<RawNode>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        push_inline_node(node, &mut out);
    }
    out
}

fn push_inline_node(node: RawNode, out: &mut Vec<Inline>) {
    match role(&node) {
        Role::Text => {
            for leaf in node.leaves {
                push_text(out, leaf.text, leaf.marks);
            }
            if let Some(text) = node.text {
                push_text(out, text, node.marks);
            }
        }
        Role::Inline => push_inline(node, out),
        Role::Block => {
            for child in node.nodes {
                push_inline_node(child, out);
            }
        }
        Role::Nothing => {}
    }
}

/// An inline node (`mention`, `channel`, `reaction`, `link`); an unknown type or one
/// without the data it needs keeps its text.
fn push_inline(node: RawNode, out: &mut Vec<Inline>) {
    let label = text_of(&node.nodes);
    let data = node.data.unwrap_or_default();
    let inline = match node.kind {
        NodeType::Mention => mention(*data, &label),
        NodeType::Channel => data.channel.and_then(|c| {
            let id = c.id?;
            let label = non_empty(label.clone())
                .or_else(|| c.name.map(|n| format!("#{n}")))
                .unwrap_or_else(|| format!("#{id}"));
            Some(Inline::Channel {
                id: id.into(),
                label,
            })
        }),
        NodeType::Reaction => data.reaction.and_then(|r| {
            let named = r.custom_reaction;
            let id =
                r.id.or(r.custom_reaction_id)
                    .or_else(|| named.as_ref().and_then(|c| c.id))?;
            let label = non_empty(label.clone())
                .or_else(|| named.and_then(|c| c.name).map(|n| format!(":{n}:")))
                .unwrap_or_else(|| format!(":{id}:"));
            Some(Inline::Emoji { id, label })
        }),
        NodeType::Link => data.href.map(|href| Inline::Link {
            label: non_empty(label.clone()).unwrap_or_else(|| href.clone()),
            href,
        }),
        _ => None,
    };
    match inline {
        Some(inline) => out.push(inline),
        // Keep the visible text, with its marks.
        None => {
            for child in node.nodes {
                push_inline_node(child, out);
            }
        }
    }
}

fn mention(data: NodeData, label: &str) -> Option<Inline> {
    let m = data.mention?;
    let kind = match m.kind.as_deref() {
        Some("role") => MentionKind::Role,
        Some("everyone") => MentionKind::Everyone,
        Some("here") => MentionKind::Here,
        _ => MentionKind::Person,
    };
    let id = match (m.id, kind) {
        (Some(id), _) => id,
        (None, MentionKind::Everyone) => "everyone".to_owned(),
        (None, MentionKind::Here) => "here".to_owned(),
        (None, _) => return None,
    };
    let label = non_empty(label.to_owned())
        .or_else(|| m.name.map(|n| format!("@{n}")))
        .unwrap_or_else(|| format!("@{id}"));
    Some(Inline::Mention { kind, id, label })
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Append text, merging with the previous run when the marks are equal; empty runs vanish.
pub(super) fn push_text(out: &mut Vec<Inline>, text: String, marks: Marks) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text {
        text: prev,
        marks: prev_marks,
    }) = out.last_mut()
        && *prev_marks == marks
    {
        prev.push_str(&text);
        return;
    }
    out.push(Inline::Text { text, marks });
}

/// All leaf text under these nodes, concatenated.
fn text_of(nodes: &[RawNode]) -> String {
    let mut out = String::new();
    collect_text(nodes, &mut out);
    out
}

fn collect_text(nodes: &[RawNode], out: &mut String) {
    for node in nodes {
        for leaf in &node.leaves {
            out.push_str(&leaf.text);
        }
        if let Some(text) = &node.text {
            out.push_str(text);
        }
        collect_text(&node.nodes, out);
    }
}

/// The visible text of inlines.
pub(super) fn inlines_plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        out.push_str(match inline {
            Inline::Text { text, .. } => text,
            Inline::Mention { label, .. }
            | Inline::Channel { label, .. }
            | Inline::Emoji { label, .. }
            | Inline::Link { label, .. } => label,
        });
    }
    out
}
