//! Message documents: Guilded's Slate-style `{"object":"value","document":…}` ⇄ [`RichText`],
//! and what a user types (plain text with simple markdown) → a document to send.
//!
//! Pure: no IO, no panics on any input; nesting depth is bounded.
//!
//! CONTRACT (shared by protocol, server, app and ui): the types below are the rich-text
//! model the UI renders. Extend them if needed, but keep existing names stable.

/// Implements the visitor methods for every non-container JSON type as "skip, use the
/// default", so a value of an unexpected type never fails the read.
macro_rules! skip_scalars {
    () => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Self::Value::default())
        }
        skip_scalars!(except_str);
    };
    (except_str) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Self::Value::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Self::Value::default())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Self::Value::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Self::Value::default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Self::Value::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Self::Value::default())
        }
    };
}

mod build;
mod encode;
mod leaves;
mod markdown;
mod node_data;
mod wire;

use std::fmt::Write as _;

use serde::de::DeserializeSeed;

use crate::ChannelId;

/// A parsed message body: a list of blocks, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RichText {
    pub blocks: Vec<Block>,
}

/// One block of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// One line of text (`paragraph`; `markdown-plain-text` is parsed into blocks).
    Paragraph(Vec<Inline>),
    /// `heading-large` (large = true) or `heading-small`.
    Heading { large: bool, inlines: Vec<Inline> },
    /// `block-quote-container`: one entry per `block-quote-line`.
    Quote(Vec<Vec<Inline>>),
    /// `code-container`: the language (None for `unformatted`/absent) and the raw lines.
    Code {
        language: Option<String>,
        lines: Vec<String>,
    },
    /// `unordered-list` / `ordered-list`: one entry per `list-item`.
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    /// `divider`.
    Divider,
    /// `image` / `video`, shown as a labelled link.
    Media { kind: MediaKind, url: String },
    /// `webhookMessage` embeds (empty embed lists are dropped while parsing).
    Embeds(Vec<Embed>),
    /// A block type gilt does not know; its plain text is kept so nothing is lost.
    Unknown { kind: String, text: String },
}

/// The kind of a media block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
}

/// An inline run inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text with marks.
    Text { text: String, marks: Marks },
    /// `mention` inline: a person, a role, `@everyone` or `@here`.
    Mention {
        kind: MentionKind,
        id: String,
        label: String,
    },
    /// `channel` inline.
    Channel { id: ChannelId, label: String },
    /// `reaction` inline (an emoji): the custom reaction id and its text (`:tada:`).
    Emoji { id: i64, label: String },
    /// `link` inline.
    Link { href: String, label: String },
}

/// What a mention points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Person,
    Role,
    Everyone,
    Here,
}

/// Text marks as bit flags (a leaf may carry several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Marks(pub u8);

impl Marks {
    pub const NONE: Marks = Marks(0);
    pub const BOLD: Marks = Marks(1);
    pub const ITALIC: Marks = Marks(1 << 1);
    pub const UNDERLINE: Marks = Marks(1 << 2);
    pub const STRIKETHROUGH: Marks = Marks(1 << 3);
    pub const SPOILER: Marks = Marks(1 << 4);
    pub const CODE: Marks = Marks(1 << 5);

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: Marks) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union of both sets.
    #[must_use]
    pub const fn with(self, other: Marks) -> Marks {
        Marks(self.0 | other.0)
    }
}

/// A Discord-like embed from a `webhookMessage` block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embed {
    pub title: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub color: Option<u32>,
    pub author: Option<String>,
    pub footer: Option<String>,
    pub fields: Vec<EmbedField>,
    pub image: Option<String>,
    pub thumbnail: Option<String>,
}

/// One `fields[]` entry of an embed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

impl RichText {
    /// The text of the message as one plain string (blocks joined by newlines); used for
    /// previews, reply context, search and the clipboard.
    ///
    /// Inlines give their label (`@nico`, `#general`, `:tada:`, a link's text); quote lines
    /// start with `> `; code blocks give their raw lines; list items start with `- ` or
    /// `1. `; a divider is `---`; media is `[image] url` / `[video] url`; an embed gives its
    /// author, title, description, `name: value` fields and footer, one per line; unknown
    /// blocks give their text (nothing when empty).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut first = true;
        let mut line = |out: &mut String, text: &str| {
            if !first {
                out.push('\n');
            }
            first = false;
            out.push_str(text);
        };
        for block in &self.blocks {
            match block {
                Block::Paragraph(inlines) | Block::Heading { inlines, .. } => {
                    line(&mut out, &inlines_text(inlines));
                }
                Block::Quote(lines) => {
                    for l in lines {
                        line(&mut out, &format!("> {}", inlines_text(l)));
                    }
                }
                Block::Code { lines, .. } => {
                    for l in lines {
                        line(&mut out, l);
                    }
                }
                Block::List { ordered, items } => {
                    for (n, item) in items.iter().enumerate() {
                        let mut text = if *ordered {
                            format!("{}. ", n + 1)
                        } else {
                            "- ".to_owned()
                        };
                        text.push_str(&inlines_text(item));
                        line(&mut out, &text);
                    }
                }
                Block::Divider => line(&mut out, "---"),
                Block::Media { kind, url } => {
                    let label = match kind {
                        MediaKind::Image => "image",
                        MediaKind::Video => "video",
                    };
                    line(&mut out, &format!("[{label}] {url}"));
                }
                Block::Embeds(embeds) => {
                    for embed in embeds {
                        for text in embed_lines(embed) {
                            line(&mut out, &text);
                        }
                    }
                }
                Block::Unknown { text, .. } => {
                    if !text.is_empty() {
                        line(&mut out, text);
                    }
                }
            }
        }
        out
    }

    /// Whether the message has no visible content.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// The visible lines of an embed, in reading order.
fn embed_lines(embed: &Embed) -> Vec<String> {
    let mut lines = Vec::new();
    let opts = [&embed.author, &embed.title, &embed.description];
    lines.extend(
        opts.into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .cloned(),
    );
    for field in &embed.fields {
        let mut text = field.name.clone();
        if !field.name.is_empty() && !field.value.is_empty() {
            text.push_str(": ");
        }
        let _ = write!(text, "{}", field.value);
        if !text.is_empty() {
            lines.push(text);
        }
    }
    if let Some(footer) = embed.footer.as_ref().filter(|f| !f.is_empty()) {
        lines.push(footer.clone());
    }
    lines
}

fn inlines_text(inlines: &[Inline]) -> String {
    build::inlines_plain(inlines)
}

/// Why a document could not be parsed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContentError {
    /// Valid JSON, but not a document value (`{"object":"value","document":…}`) or a bare
    /// document.
    #[error("not a message document: {0}")]
    Shape(String),
    /// Not valid JSON.
    #[error("message document is not valid JSON: {0}")]
    Json(String),
    /// Nodes nested deeper than gilt reads.
    #[error("message document is nested too deeply (more than {max} levels)")]
    TooDeep {
        /// The deepest nesting read.
        max: usize,
    },
}

/// Read a document through any serde deserializer: the node tree, whether it was
/// truncated for depth.
fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<(wire::RawNode, bool), D::Error> {
    let ctx = wire::Ctx::default();
    let root = wire::NodeSeed {
        depth: 0,
        ctx: &ctx,
    }
    .deserialize(d)?;
    Ok((root, ctx.too_deep.get()))
}

fn finish(root: wire::RawNode, too_deep: bool) -> Result<RichText, ContentError> {
    if too_deep {
        return Err(ContentError::TooDeep {
            max: wire::MAX_DEPTH,
        });
    }
    build::document_of(root)
        .map(build::rich_text)
        .ok_or_else(|| ContentError::Shape("no `document` object".into()))
}

/// Parse a document value (`{"object":"value","document":…}`) given as JSON text. A bare
/// document (`{"object":"document","nodes":[…]}`) is accepted too.
pub fn parse_document(json: &str) -> Result<RichText, ContentError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let (root, too_deep) = read(&mut de).map_err(|e| ContentError::Json(e.to_string()))?;
    de.end().map_err(|e| ContentError::Json(e.to_string()))?;
    finish(root, too_deep)
}

/// Parse a document value that is already a `serde_json::Value`.
pub fn parse_document_value(value: &serde_json::Value) -> Result<RichText, ContentError> {
    let (root, too_deep) = read(value).map_err(|e| ContentError::Json(e.to_string()))?;
    finish(root, too_deep)
}

impl serde::Serialize for RichText {
    /// Writes the document value (`{"object":"value","document":…}`), as [`to_document`].
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&to_document(self), s)
    }
}

impl<'de> serde::Deserialize<'de> for RichText {
    /// Reads a document value straight from the deserializer (no intermediate
    /// `serde_json::Value`). Tolerant, so one odd message body never loses the enclosing
    /// message: `null`, a non-document, or too-deep parts give what could be read (possibly
    /// empty text). Only malformed JSON fails.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (root, _too_deep) = read(d)?;
        Ok(build::document_of(root)
            .map(build::rich_text)
            .unwrap_or_default())
    }
}

/// A message body as it came from the server: the document's JSON text, read into
/// [`RichText`] the first time something looks inside (drawn, searched, copied, or checked
/// for mentions when [`Content::may_mention`] cannot rule them out). Most messages of a
/// busy channel are never drawn, and building the tree was most of the cost of taking one in
/// (BENCHMARKS.md, "Ingest"). Dereferences to the [`RichText`]; equal when the texts are.
///
/// Read from JSON only (serde_json's deserializers, including `serde_json::Value`): it
/// keeps the value's text as it is. Written as the document [`RichText`] writes.
#[derive(Clone, Default)]
pub struct Content {
    raw: Option<Box<str>>,
    /// What the decoder's scan of `raw` saw, when it came that way.
    facts: Option<BodyFacts>,
    parsed: std::sync::OnceLock<RichText>,
}

/// What one scan of a body's JSON text saw (its string values; keys never make a node a
/// mention), so that [`Content::may_mention`] needs no second pass over it. A mention node
/// needs the value `mention` (its type), `everyone`/`here` or the user's id; a
/// `markdown-plain-text` block can make `@everyone` from its text; only a `\u` escape can
/// spell any of these otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BodyFacts {
    mention: bool,
    everyone_or_here: bool,
    markdown: bool,
    unicode_escape: bool,
}

impl crate::json_scan::Tokens for BodyFacts {
    #[allow(
        clippy::inline_always,
        reason = "called for every string value of every body"
    )]
    #[inline(always)]
    fn string(&mut self, raw: &[u8], unicode_escape: bool) {
        self.unicode_escape |= unicode_escape;
        match raw {
            b"mention" => self.mention = true,
            b"everyone" | b"here" => self.everyone_or_here = true,
            b"markdown-plain-text" => self.markdown = true,
            _ => {}
        }
    }
}

impl Content {
    /// A body kept as JSON text (a document value, a bare document, or anything else, read
    /// as [`RichText`]'s deserializer reads it).
    pub fn from_json(raw: Box<str>) -> Content {
        Content {
            raw: Some(raw),
            facts: None,
            parsed: std::sync::OnceLock::new(),
        }
    }

    /// A body whose JSON text the decoder has checked and scanned.
    pub(crate) fn scanned(raw: Box<str>, facts: BodyFacts) -> Content {
        Content {
            raw: Some(raw),
            facts: Some(facts),
            parsed: std::sync::OnceLock::new(),
        }
    }

    /// The rich text, read now if it was not yet.
    pub fn rich(&self) -> &RichText {
        self.parsed.get_or_init(|| match &self.raw {
            // The text was valid JSON when it was kept, and the reader never fails on shape.
            Some(raw) => serde_json::from_str(raw).unwrap_or_default(),
            None => RichText::default(),
        })
    }

    /// The rich text, taken.
    pub fn into_rich(self) -> RichText {
        self.rich();
        self.parsed.into_inner().unwrap_or_default()
    }

    /// False only when the body cannot mention `user_id` (a person mention of that id,
    /// `@everyone` or `@here`), decided from the JSON text without reading the document when
    /// it can be: a body with no mention node, or whose mention nodes name neither that id nor
    /// everyone/here. Conservative (true) when the text has a `\u` escape (it could spell
    /// anything) or a `markdown-plain-text` block (its markdown can make `@everyone`), and for
    /// text not kept as JSON.
    pub fn may_mention(&self, user_id: &str) -> bool {
        let Some(raw) = self.raw.as_deref().filter(|_| self.parsed.get().is_none()) else {
            return true;
        };
        // Scanned by the decoder: one search (for the id) at most.
        if let Some(facts) = self.facts {
            if facts.unicode_escape || facts.markdown {
                return true;
            }
            return facts.mention
                && (user_id.is_empty() || facts.everyone_or_here || raw.contains(user_id));
        }
        if raw.contains("\\u") || raw.contains("markdown") {
            return true;
        }
        raw.contains("mention")
            && (user_id.is_empty()
                || raw.contains(user_id)
                || raw.contains("\"everyone\"")
                || raw.contains("\"here\""))
    }

    /// The JSON text the body came as, when it was kept as text.
    pub fn raw_text(&self) -> Option<&str> {
        self.raw.as_deref()
    }

    /// Whether the body is still unread JSON text (for tests and benches).
    pub fn is_unread(&self) -> bool {
        self.parsed.get().is_none()
    }
}

impl From<RichText> for Content {
    fn from(text: RichText) -> Content {
        Content {
            raw: None,
            facts: None,
            parsed: std::sync::OnceLock::from(text),
        }
    }
}

impl std::ops::Deref for Content {
    type Target = RichText;
    fn deref(&self) -> &RichText {
        self.rich()
    }
}

impl PartialEq for Content {
    fn eq(&self, other: &Content) -> bool {
        self.rich() == other.rich()
    }
}

impl Eq for Content {}

impl PartialEq<RichText> for Content {
    fn eq(&self, other: &RichText) -> bool {
        self.rich() == other
    }
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.rich(), f)
    }
}

impl serde::Serialize for Content {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(self.rich(), s)
    }
}

impl<'de> serde::Deserialize<'de> for Content {
    /// Keeps the value's JSON text (serde_json checks that it is valid JSON, nothing more).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        Ok(Content::from_json(raw.into()))
    }
}

/// Encode rich text as a document value the official client would accept: one block per
/// block (one `paragraph` per line), text nodes around every inline, marks as mark objects.
pub fn to_document(text: &RichText) -> serde_json::Value {
    encode::document(text)
}

/// What a mention resolver returns for `@name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedMention {
    pub kind: MentionKind,
    /// The user or role id (`everyone` / `here` for those two).
    pub id: String,
    /// The text to show, conventionally `@name`.
    pub label: String,
}

impl ResolvedMention {
    pub fn new(kind: MentionKind, id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
            label: label.into(),
        }
    }
}

/// What a user typed (plain text with simple markdown) → rich text; see the `markdown`
/// module docs for the dialect. `resolve_mention` maps the text after `@` (up to four
/// words, longest tried first) to a mention, or None to leave it as typed; `@everyone` and
/// `@here` become mentions when it declines them.
pub fn from_markdown(
    input: &str,
    resolve_mention: &dyn Fn(&str) -> Option<ResolvedMention>,
) -> RichText {
    markdown::parse(input, resolve_mention)
}

/// How many steps the markdown parser takes on `input` (without mention lookup): loop
/// iterations, table entries and lookups, counted by the parser itself. Linear in the input
/// length up to a log factor on any input; the `markdown` fuzz target checks that without a
/// clock.
pub fn markdown_parse_steps(input: &str) -> u64 {
    let meter = markdown::Meter::default();
    markdown::parse_metered(input, &|_| None, &meter);
    meter.steps()
}

#[cfg(test)]
pub(crate) mod proptests;
#[cfg(test)]
mod tests;
