//! Streaming reader for Slate documents: serde visitors that turn the JSON (keys in any
//! order, `object` optional, odd types skipped) into a small typed node tree, without an
//! intermediate `serde_json::Value`.
//!
//! Rule: never fails on the document's shape, only on malformed JSON; nesting deeper than
//! [`MAX_DEPTH`] is skipped and flagged, so recursion is bounded. No IO.

use std::cell::Cell;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Marks;
use crate::protocol::models::lenient;

/// Deepest node nesting read (value → document → block → block → inline → text is 5).
pub(super) const MAX_DEPTH: usize = 32;

/// Shared state of one read: whether something was skipped for being too deep.
#[derive(Default)]
pub(super) struct Ctx {
    pub(super) too_deep: Cell<bool>,
}

/// The `object` of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Obj {
    #[default]
    Missing,
    Value,
    Document,
    Block,
    Inline,
    Text,
    Other,
}

/// The `type` of a block or inline node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) enum NodeType {
    #[default]
    Missing,
    Paragraph,
    MarkdownPlainText,
    QuoteContainer,
    QuoteLine,
    CodeContainer,
    CodeLine,
    UnorderedList,
    OrderedList,
    ListItem,
    HeadingLarge,
    HeadingSmall,
    Divider,
    Image,
    Video,
    WebhookMessage,
    Mention,
    Channel,
    Reaction,
    Link,
    Other(String),
}

impl NodeType {
    fn from_name(name: &str) -> NodeType {
        match name {
            "paragraph" => NodeType::Paragraph,
            "markdown-plain-text" => NodeType::MarkdownPlainText,
            "block-quote-container" => NodeType::QuoteContainer,
            "block-quote-line" => NodeType::QuoteLine,
            "code-container" => NodeType::CodeContainer,
            "code-line" => NodeType::CodeLine,
            "unordered-list" => NodeType::UnorderedList,
            "ordered-list" => NodeType::OrderedList,
            "list-item" => NodeType::ListItem,
            "heading-large" => NodeType::HeadingLarge,
            "heading-small" => NodeType::HeadingSmall,
            "divider" => NodeType::Divider,
            "image" => NodeType::Image,
            "video" => NodeType::Video,
            "webhookMessage" => NodeType::WebhookMessage,
            "mention" => NodeType::Mention,
            "channel" => NodeType::Channel,
            "reaction" => NodeType::Reaction,
            "link" => NodeType::Link,
            other => NodeType::Other(other.to_owned()),
        }
    }

    /// Whether this type names an inline node.
    pub(super) fn is_inline(&self) -> bool {
        matches!(
            self,
            NodeType::Mention | NodeType::Channel | NodeType::Reaction | NodeType::Link
        )
    }
}

/// One text leaf.
#[derive(Debug, Default)]
pub(super) struct Leaf {
    pub(super) text: String,
    pub(super) marks: Marks,
}

/// `data.mention`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct MentionData {
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub(super) kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) name: Option<String>,
}

/// `data.channel`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ChannelData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) name: Option<String>,
}

/// `customReaction` inside `data.reaction`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CustomReactionData {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(super) id: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) name: Option<String>,
}

/// `data.reaction`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct ReactionData {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(super) id: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(super) custom_reaction_id: Option<i64>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) custom_reaction: Option<CustomReactionData>,
}

/// A `{url}` or `{name}`/`{text}` sub-object of an embed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmbedPart {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) text: Option<String>,
}

/// One `fields[]` entry of an embed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmbedFieldData {
    #[serde(deserialize_with = "lenient::string")]
    pub(super) name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub(super) value: String,
    #[serde(deserialize_with = "lenient::bool")]
    pub(super) inline: bool,
}

/// One Discord-like embed of a `webhookMessage` block.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmbedData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) title: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) description: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(super) color: Option<i64>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) author: Option<EmbedPart>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) footer: Option<EmbedPart>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub(super) fields: Vec<EmbedFieldData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) image: Option<EmbedPart>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) thumbnail: Option<EmbedPart>,
}

/// A node's `data`: the union of what any block or inline type keeps there, since `data`
/// may come before `type`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NodeData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) language: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) src: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(super) href: Option<String>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub(super) embeds: Vec<EmbedData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) mention: Option<MentionData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) channel: Option<ChannelData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(super) reaction: Option<ReactionData>,
}

/// Any node of the document tree (value, document, block, inline or text).
#[derive(Debug, Default)]
pub(super) struct RawNode {
    pub(super) object: Obj,
    pub(super) kind: NodeType,
    pub(super) data: Option<NodeData>,
    pub(super) nodes: Vec<RawNode>,
    pub(super) leaves: Vec<Leaf>,
    /// Slate's later text-node form: `{"object":"text","text":"…","marks":[…]}`.
    pub(super) text: Option<String>,
    pub(super) marks: Marks,
    pub(super) document: Option<Box<RawNode>>,
    /// Whether the JSON value was an object at all.
    pub(super) is_object: bool,
}

/// Keys of a node object.
enum Key {
    Object,
    Type,
    Data,
    Nodes,
    Leaves,
    Text,
    Marks,
    Document,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "object" => Key::Object,
                    "type" => Key::Type,
                    "data" => Key::Data,
                    "nodes" => Key::Nodes,
                    "leaves" => Key::Leaves,
                    "text" => Key::Text,
                    "marks" => Key::Marks,
                    "document" => Key::Document,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

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

/// `object`'s value.
struct ObjValue(Obj);

impl<'de> Deserialize<'de> for ObjValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Obj;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object kind")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Obj, E> {
                Ok(match v {
                    "value" => Obj::Value,
                    "document" => Obj::Document,
                    "block" => Obj::Block,
                    "inline" => Obj::Inline,
                    "text" => Obj::Text,
                    _ => Obj::Other,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Obj, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Obj, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Obj::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Obj, E> {
                Ok(Obj::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Obj, E> {
                Ok(Obj::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Obj, E> {
                Ok(Obj::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Obj, E> {
                Ok(Obj::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Obj, E> {
                Ok(Obj::Missing)
            }
        }
        d.deserialize_any(V).map(ObjValue)
    }
}

/// `type`'s value (non-strings count as missing).
struct TypeValue(NodeType);

impl<'de> Deserialize<'de> for TypeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(TypeValue(match lenient::Scalar::deserialize(d)? {
            lenient::Scalar::Str(s) => NodeType::from_name(&s),
            _ => NodeType::Missing,
        }))
    }
}

/// The mark bit of a mark type name; unknown marks are ignored.
pub(super) fn mark_bit(name: &str) -> Marks {
    match name {
        "bold" => Marks::BOLD,
        "italic" => Marks::ITALIC,
        "underline" => Marks::UNDERLINE,
        "strikethrough" => Marks::STRIKETHROUGH,
        "spoiler" => Marks::SPOILER,
        "inline-code-v2" | "inline-code" => Marks::CODE,
        _ => Marks::NONE,
    }
}

/// One mark: `{"object":"mark","type":"bold","data":{}}`, or just `"bold"`.
struct MarkValue(Marks);

impl<'de> Deserialize<'de> for MarkValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Marks;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mark")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Marks, E> {
                Ok(mark_bit(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Marks, A::Error> {
                let mut marks = Marks::NONE;
                while let Some(key) = map.next_key::<Key>()? {
                    if let Key::Type = key {
                        if let lenient::Scalar::Str(s) = map.next_value::<lenient::Scalar>()? {
                            marks = mark_bit(&s);
                        }
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(marks)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Marks, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Marks::NONE)
            }
            skip_scalars!(except_str);
        }
        d.deserialize_any(V).map(MarkValue)
    }
}

/// A list of marks, folded into one set.
struct MarksValue(Marks);

impl<'de> Deserialize<'de> for MarksValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Marks;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of marks")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Marks, A::Error> {
                let mut marks = Marks::NONE;
                while let Some(MarkValue(m)) = seq.next_element()? {
                    marks = marks.with(m);
                }
                Ok(marks)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Marks, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Marks::NONE)
            }
            skip_scalars!();
        }
        d.deserialize_any(V).map(MarksValue)
    }
}

/// One leaf: `{"object":"leaf","text":"…","marks":[…]}` (a bare string is a plain leaf).
impl<'de> Deserialize<'de> for Leaf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Leaf;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a leaf")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Leaf, A::Error> {
                let mut leaf = Leaf::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Text => {
                            leaf.text = map
                                .next_value::<lenient::Scalar>()?
                                .into_string()
                                .unwrap_or_default();
                        }
                        Key::Marks => leaf.marks = map.next_value::<MarksValue>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(leaf)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Leaf, E> {
                Ok(Leaf {
                    text: v.to_owned(),
                    marks: Marks::NONE,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Leaf, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Leaf::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Leaf, E> {
                Ok(Leaf::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Leaf, E> {
                Ok(Leaf::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Leaf, E> {
                Ok(Leaf::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Leaf, E> {
                Ok(Leaf::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Leaf, E> {
                Ok(Leaf::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// A list of leaves.
struct LeavesValue(Vec<Leaf>);

impl<'de> Deserialize<'de> for LeavesValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<Leaf>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of leaves")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Leaf>, A::Error> {
                let mut leaves = Vec::with_capacity(seq.size_hint().unwrap_or(1).min(64));
                while let Some(leaf) = seq.next_element()? {
                    leaves.push(leaf);
                }
                Ok(leaves)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Leaf>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Vec::new())
            }
            skip_scalars!();
        }
        d.deserialize_any(V).map(LeavesValue)
    }
}

/// Reads one node at a given depth.
#[derive(Clone, Copy)]
pub(super) struct NodeSeed<'c> {
    pub(super) depth: usize,
    pub(super) ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = RawNode;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        if self.depth > MAX_DEPTH {
            self.ctx.too_deep.set(true);
            d.deserialize_ignored_any(IgnoredAny)?;
            return Ok(RawNode::default());
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a document node")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut node = RawNode {
            is_object: true,
            ..RawNode::default()
        };
        let child = NodeSeed {
            depth: self.depth + 1,
            ctx: self.ctx,
        };
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Object => node.object = map.next_value::<ObjValue>()?.0,
                Key::Type => node.kind = map.next_value::<TypeValue>()?.0,
                Key::Data => node.data = map.next_value_seed(DataSeed)?,
                Key::Nodes => node.nodes = map.next_value_seed(NodesSeed(child))?,
                Key::Leaves => node.leaves = map.next_value::<LeavesValue>()?.0,
                Key::Text => node.text = map.next_value::<lenient::Scalar>()?.into_string(),
                Key::Marks => node.marks = map.next_value::<MarksValue>()?.0,
                Key::Document => node.document = Some(Box::new(map.next_value_seed(child)?)),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(node)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RawNode::default())
    }

    skip_scalars!();
}

/// `data`, streamed when it is an object, skipped otherwise.
struct DataSeed;

impl<'de> DeserializeSeed<'de> for DataSeed {
    type Value = Option<NodeData>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        lenient::object(d)
    }
}

/// A list of child nodes.
struct NodesSeed<'c>(NodeSeed<'c>);

impl<'de> DeserializeSeed<'de> for NodesSeed<'_> {
    type Value = Vec<RawNode>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodesSeed<'_> {
    type Value = Vec<RawNode>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of nodes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<RawNode>, A::Error> {
        let mut nodes = Vec::with_capacity(seq.size_hint().unwrap_or(1).min(64));
        while let Some(node) = seq.next_element_seed(self.0)? {
            nodes.push(node);
        }
        Ok(nodes)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<RawNode>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }

    skip_scalars!();
}
