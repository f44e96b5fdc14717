//! Message documents: Guilded's Slate-style `{"object":"value","document":…}` ⇄ [`RichText`],
//! and what a user types (plain text with simple markdown) → a document to send.
//!
//! Pure: no IO, no panics on any input.
//!
//! CONTRACT (shared by protocol, server, app and ui): the types below are the rich-text
//! model the UI renders. Extend them if needed, but keep existing names stable.

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
    Channel { id: String, label: String },
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
    pub fn plain_text(&self) -> String {
        // TODO(issue 3): complete rendering for every block kind.
        let mut out = Vec::new();
        for block in &self.blocks {
            if let Block::Paragraph(inlines) = block {
                out.push(inlines_text(inlines));
            }
        }
        out.join("\n")
    }
}

fn inlines_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text, .. } => text.as_str(),
            Inline::Mention { label, .. }
            | Inline::Channel { label, .. }
            | Inline::Emoji { label, .. }
            | Inline::Link { label, .. } => label.as_str(),
        })
        .collect()
}

/// Why a document could not be parsed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContentError {
    #[error("not a message document: {0}")]
    Shape(String),
}

/// Parse a document value (`{"object":"value","document":…}`) given as JSON text.
pub fn parse_document(json: &str) -> Result<RichText, ContentError> {
    // TODO(issue 3): real parser.
    let _ = json;
    Err(ContentError::Shape("not implemented".into()))
}

impl serde::Serialize for RichText {
    /// Writes the document value (`{"object":"value","document":…}`), as [`to_document`].
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&to_document(self), s)
    }
}

impl<'de> serde::Deserialize<'de> for RichText {
    /// Reads a document value; `null` is empty text. A document that cannot be understood
    /// degrades to empty text rather than failing the enclosing message.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
        if value.is_null() {
            return Ok(RichText::default());
        }
        Ok(parse_document_value(&value).unwrap_or_default())
    }
}

/// Parse a document value that is already a `serde_json::Value`.
pub fn parse_document_value(value: &serde_json::Value) -> Result<RichText, ContentError> {
    parse_document(&value.to_string())
}

/// Encode rich text as a document value the official client would accept.
pub fn to_document(text: &RichText) -> serde_json::Value {
    // TODO(issue 3): real encoder.
    let _ = text;
    serde_json::json!({"object":"value","document":{"object":"document","data":{},"nodes":[]}})
}

/// What a mention resolver returns for `@name`: the kind, the id and the label to show.
pub type ResolvedMention = (MentionKind, String, String);

/// What a user typed (plain text with simple markdown) → rich text. `resolve_mention` maps
/// `@name` to a mention (kind, id, label), or None to leave the text as typed.
#[allow(clippy::type_complexity)] // skeleton signature; content owns it
pub fn from_markdown(
    input: &str,
    resolve_mention: &dyn Fn(&str) -> Option<ResolvedMention>,
) -> RichText {
    // TODO(issue 3): markdown parser. Placeholder: one paragraph per line.
    let _ = resolve_mention;
    RichText {
        blocks: input
            .split('\n')
            .map(|line| {
                Block::Paragraph(vec![Inline::Text {
                    text: line.to_owned(),
                    marks: Marks::NONE,
                }])
            })
            .collect(),
    }
}
