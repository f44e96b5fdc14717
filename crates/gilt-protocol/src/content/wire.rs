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
use super::leaves::{Leaf, LeavesValue, MarksValue};
use super::node_data::NodeData;
use crate::models::lenient;

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

/// Any node of the document tree (value, document, block, inline or text).
#[derive(Debug, Default)]
pub(super) struct RawNode {
    pub(super) object: Obj,
    pub(super) kind: NodeType,
    /// Boxed, and None for the usual empty `{}`, to keep nodes small.
    pub(super) data: Option<Box<NodeData>>,
    pub(super) nodes: Vec<RawNode>,
    pub(super) leaves: Vec<Leaf>,
    /// Slate's later text-node form: `{"object":"text","text":"…","marks":[…]}`.
    pub(super) text: Option<String>,
    pub(super) marks: Marks,
    pub(super) document: Option<Box<RawNode>>,
    /// Whether the JSON value was an object at all.
    pub(super) is_object: bool,
}

/// Keys of a node object (and of leaves and marks).
pub(super) enum Key {
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
    type Value = Option<Box<NodeData>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Ok(lenient::object::<D, NodeData>(d)?
            .filter(|data| !data.is_empty())
            .map(Box::new))
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
        let mut nodes = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(64));
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
