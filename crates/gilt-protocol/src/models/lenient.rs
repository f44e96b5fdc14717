//! Tolerant serde helpers for Guilded's loosely typed JSON: a field of an unexpected type
//! degrades to its default instead of failing the whole object.
//!
//! Rule: every helper consumes exactly one JSON value of any shape and never fails on type;
//! only malformed JSON (or a deserializer error) propagates. No IO, no panics.

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One JSON value reduced to what a scalar field can use; containers are skipped.
pub(crate) enum Scalar<'de> {
    Str(Cow<'de, str>),
    I64(i64),
    U64(u64),
    F64(f64),
    Bool(bool),
    /// `null` or an absent value.
    Null,
    /// An object or array (already skipped).
    Container,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::I64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::U64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::F64(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Container)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Container)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

impl Scalar<'_> {
    /// The value as text: strings as they are, numbers in decimal.
    pub(crate) fn into_string(self) -> Option<String> {
        match self {
            Scalar::Str(s) => Some(s.into_owned()),
            Scalar::I64(n) => Some(n.to_string()),
            Scalar::U64(n) => Some(n.to_string()),
            Scalar::F64(n) if n.is_finite() => Some(n.to_string()),
            _ => None,
        }
    }

    /// The value as an integer: integral numbers and numeric strings.
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self {
            Scalar::I64(n) => Some(*n),
            Scalar::U64(n) => i64::try_from(*n).ok(),
            Scalar::F64(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as a boolean: `true`/`false`, `"true"`/`"false"`, or a non-zero number.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            Scalar::I64(n) => Some(*n != 0),
            Scalar::U64(n) => Some(*n != 0),
            Scalar::Str(s) => match s.as_ref() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A string (or an id read as one, hence generic); a number becomes its decimal text;
/// anything else becomes `""`.
pub(crate) fn string<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(Scalar::deserialize(d)?
        .into_string()
        .unwrap_or_default()
        .into())
}

/// An optional string (or id); a number becomes its decimal text; `null`, `""` or any other
/// type is None.
pub(crate) fn opt_string<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(Scalar::deserialize(d)?
        .into_string()
        .filter(|s| !s.is_empty())
        .map(T::from))
}

/// The error text of an id of the wrong type; `events::decode_event` recognises it to drop
/// the event with a protocol error instead of keeping it as `Other`.
pub(crate) const WRONG_ID_TYPE: &str = "an id of the wrong type";

/// An id: a string (`""` when absent or `null`). Guilded's ids are always strings, so any
/// other type (`"teamId": 7`) is an error: the object holding it is dropped (skipped in a
/// list, or the whole event with a logged protocol error), never read as some other id.
pub(crate) fn id<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    Ok(opt_id::<D, T>(d)?.unwrap_or_else(|| T::from("")))
}

/// An optional id: a string, `null`/absent/`""` is None, any other type an error (see [`id`]).
pub(crate) fn opt_id<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    match Scalar::deserialize(d)? {
        Scalar::Str(s) if s.is_empty() => Ok(None),
        Scalar::Str(s) => Ok(Some(T::from(&s))),
        Scalar::Null => Ok(None),
        _ => Err(de::Error::custom(WRONG_ID_TYPE)),
    }
}

/// A list of ids; `null` or a non-list is empty, and entries that are not strings are
/// dropped (a list of ids may hold one bad entry without losing the others).
pub(crate) fn vec_id<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    Ok(scalar_list(d)?
        .into_iter()
        .filter_map(|s| match s {
            Scalar::Str(s) if !s.is_empty() => Some(T::from(&s)),
            _ => None,
        })
        .collect())
}

/// A boolean; `null` or another type is `false`.
pub(crate) fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Scalar::deserialize(d)?.as_bool().unwrap_or(false))
}

/// An optional integer given as a number or a numeric string.
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Scalar::deserialize(d)?.as_i64())
}

/// An integer given as a number or a numeric string; a required id, so other types fail.
pub(crate) fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Scalar::deserialize(d)?
        .as_i64()
        .ok_or_else(|| de::Error::custom("expected an integer or a numeric string"))
}

/// A non-negative count given as a number or a numeric string (`memberCount` is a string).
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Scalar::deserialize(d)?
        .as_i64()
        .and_then(|n| u64::try_from(n).ok()))
}

/// An optional timestamp (`…Z` or `…+00:00`); an unparsable or non-string value is None.
pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Timestamp>, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Str(s) => s.parse::<Timestamp>().ok(),
        _ => None,
    })
}

/// A timestamp; an absent or unparsable value is the Unix epoch (see the field docs).
pub(crate) fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    Ok(opt_timestamp(d)?.unwrap_or_default())
}

/// Any JSON value as a list of scalars: `null` or a non-list is empty; nested containers
/// inside the list become [`Scalar::Container`].
fn scalar_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Scalar<'de>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<Scalar<'de>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<Scalar>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

/// A list of strings (or ids); `null` or a non-list is empty, and non-string entries are
/// skipped (numbers become their decimal text).
pub(crate) fn vec_string<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(scalar_list(d)?
        .into_iter()
        .filter_map(Scalar::into_string)
        .map(T::from)
        .collect())
}

/// A list of integers (ids as numbers or numeric strings); other entries are skipped.
pub(crate) fn vec_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    Ok(scalar_list(d)?.iter().filter_map(Scalar::as_i64).collect())
}

/// A list of `T`, where `null` is empty. Entries must be `T`.
pub(crate) fn vec_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A list of `T` where entries that are not a valid `T` are dropped (one bad reaction or
/// member must not lose the whole page); `null` or a non-list is empty. Entries are buffered
/// as `serde_json::Value`, so use this for lists that are usually short or not hot.
pub(crate) fn vec_skip_invalid<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let serde_json::Value::Array(items) = serde_json::Value::deserialize(d)? else {
        return Ok(Vec::new());
    };
    Ok(items
        .into_iter()
        .filter_map(|item| T::deserialize(item).ok())
        .collect())
}

/// An optional object read as `T`; a value of another type, or an object that is not a valid
/// `T` (a custom emoji without its id), is None. Buffered as `serde_json::Value` like
/// [`vec_skip_invalid`]; where every object is a valid `T`, [`object`] streams instead.
pub(crate) fn object_skip_invalid<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(d)?;
    Ok(if value.is_object() {
        T::deserialize(value).ok()
    } else {
        None
    })
}

/// A map of `T` where entries that are not a valid `T` are dropped; a non-map is empty.
pub(crate) fn map_skip_invalid<'de, D, T>(
    d: D,
) -> Result<std::collections::BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let serde_json::Value::Object(entries) = serde_json::Value::deserialize(d)? else {
        return Ok(std::collections::BTreeMap::new());
    };
    Ok(entries
        .into_iter()
        .filter_map(|(k, v)| T::deserialize(v).ok().map(|t| (k, t)))
        .collect())
}

/// An object read as `T`; any other JSON type is skipped and gives None. Streams (no
/// buffering), so a wrong-typed `data`/`mention` never fails the enclosing document.
pub(crate) fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}
