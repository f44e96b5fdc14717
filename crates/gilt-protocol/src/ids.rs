//! Ids of Guilded's objects, one type per kind, so a channel id cannot be passed where a
//! message id is expected.
//!
//! Rule: an id is opaque text. The inner text is never exposed (only `&str` views), so the
//! representation can change without touching users. It is a shared `Arc<str>`: an event's
//! ids are copied into the dedup set, the timeline and the unread marks, and a copy is a
//! count, not an allocation. On the wire an id
//! is a plain JSON string, and only a string: the DTOs' readers refuse an id of another type
//! (see `models::lenient::id`), so a number is never taken for some other object's id.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map keyed by ids. Every incoming message hashes its channel and message ids a dozen
/// times (timeline, unread marks, typing, the gateway's dedup set); std's SipHash takes ~250
/// instructions for a 36-byte id, foldhash a few tens (BENCHMARKS.md, "Ingest"). foldhash
/// is seeded per process, so a server cannot pick ids that collide everywhere.
pub type IdMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A set of ids, hashed as [`IdMap`] does.
pub type IdSet<K> = HashSet<K, foldhash::fast::RandomState>;

/// Declares one id newtype per entry, all with the same surface: `as_str`/`is_empty`,
/// `Display`, `AsRef<str>` and `Borrow<str>` (maps keyed by an id can be read with a `&str`),
/// `From<String>`/`From<&str>`, equality with `str`, and serde as a bare string.
macro_rules! string_ids {
    ($( $(#[$doc:meta])* $name:ident, )*) => { $(
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
        pub struct $name(Arc<str>);

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(IdVisitor).map($name)
            }
        }

        impl $name {
            /// The id's text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the id is empty (a tolerant read of a missing or odd field).
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// Hash and order agree with `str`'s (the derives see only the inner `String`).
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(Arc::from(id))
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(Arc::from(id))
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }
    )* };
}

/// Reads an id from a JSON string (borrowed when it has no escapes: one allocation).
struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = Arc<str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id (a string)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Arc<str>, E> {
        Ok(Arc::from(v))
    }
}

string_ids! {
    /// A user id (an 8-character generic id, e.g. `EdVMVKR4`). Webhook authors use theirs.
    UserId,
    /// A team (server) id (an 8-character generic id).
    TeamId,
    /// A channel id (a UUID), for team channels and DMs alike.
    ChannelId,
    /// A message id (a UUID; gilt chooses it for the messages it sends).
    MessageId,
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn ids_are_bare_json_strings() {
        let id: ChannelId = serde_json::from_str(r#""c-1""#).unwrap();
        assert_eq!(id, "c-1");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""c-1""#);
        let map: HashMap<UserId, u8> = serde_json::from_str(r#"{"u1":1}"#).unwrap();
        assert_eq!(map.get("u1"), Some(&1), "looked up by &str through Borrow");
    }

    #[test]
    fn ids_show_and_compare_as_their_text() {
        let id = MessageId::from("m1");
        assert_eq!(id.to_string(), "m1");
        assert_eq!(id.as_str(), "m1");
        assert_eq!(id, MessageId::from("m1".to_owned()));
        let (a, b) = (MessageId::from("a"), MessageId::from("b"));
        assert!(a < b, "ordered as their text");
        assert!(MessageId::default().is_empty());
    }
}
