//! Leaves and marks of a Slate text node, read tolerantly: `{"text","marks"}` objects (or
//! bare strings), marks as objects (or bare names) folded into one [`Marks`] set.
//!
//! Rule: never fails on shape, only on malformed JSON; no IO.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Marks;
use super::wire::Key;
use crate::models::lenient;

/// One text leaf.
#[derive(Debug, Default)]
pub(super) struct Leaf {
    pub(super) text: String,
    pub(super) marks: Marks,
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
pub(super) struct MarksValue(pub(super) Marks);

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
pub(super) struct LeavesValue(pub(super) Vec<Leaf>);

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
