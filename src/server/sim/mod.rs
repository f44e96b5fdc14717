//! Simulated members for the demo: on a seeded random schedule they type, post, reply,
//! react, edit and now and then delete, at a human pace, and answer when the demo user
//! mentions them. `step` performs exactly one action, so tests drive it deterministically.
//! This file decides what happens next; `act.rs` carries it out.

mod act;
mod presence;

pub(crate) use act::{run, step};

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::Value;

use crate::server::rng::Rng;
use crate::server::store::{Message, Store};
use crate::server::world::World;

/// One thing a simulated member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimAction {
    Typing {
        user: String,
        channel: String,
    },
    Posted {
        user: String,
        channel: String,
        message_id: String,
        reply_to: Option<String>,
    },
    Reacted {
        user: String,
        channel: String,
        message_id: String,
        emoji: i64,
    },
    Edited {
        user: String,
        channel: String,
        message_id: String,
    },
    Deleted {
        user: String,
        channel: String,
        message_id: String,
    },
    /// A thread started from a message of `channel`.
    ThreadStarted {
        user: String,
        channel: String,
        message_id: String,
        thread: String,
    },
    /// A message pinned (or unpinned).
    Pinned {
        user: String,
        channel: String,
        message_id: String,
        pinned: bool,
    },
    /// The team's owner renamed a channel.
    Renamed {
        user: String,
        channel: String,
        name: String,
    },
    /// A member's status changed (1 online … 4 offline), chosen or drifting.
    PresenceChanged {
        user: String,
        status: u8,
        chosen: bool,
    },
    /// A member posted (or replied) in a non-chat channel (a forum, doc, calendar, …).
    ContentPosted {
        user: String,
        channel: String,
        title: String,
        reply: bool,
    },
    /// A member joined a voice channel (`channel`), or left voice (None).
    Voice {
        user: String,
        channel: Option<String>,
    },
    /// A member left a team.
    Left {
        team: String,
        user: String,
    },
    /// A member who left came back.
    Joined {
        team: String,
        user: String,
    },
}

#[derive(Debug, Clone)]
enum Planned {
    Typing {
        user: String,
        channel: String,
    },
    Post {
        user: String,
        channel: String,
        text: String,
        reply_to: Option<String>,
    },
    React {
        user: String,
        channel: String,
        message_id: String,
        emoji: i64,
    },
    Edit {
        user: String,
        channel: String,
        message_id: String,
        text: String,
    },
    Delete {
        user: String,
        channel: String,
        message_id: String,
    },
    Thread {
        user: String,
        channel: String,
        message_id: String,
        name: String,
    },
    Pin {
        user: String,
        channel: String,
        message_id: String,
        pin: bool,
    },
    Rename {
        user: String,
        channel: String,
        name: String,
    },
    Presence {
        user: String,
        status: u8,
        chosen: bool,
    },
    Content {
        user: String,
        channel: String,
        title: String,
        reply: bool,
    },
    Voice {
        user: String,
        channel: Option<String>,
    },
    Leave {
        team: String,
        user: String,
    },
    Join {
        team: String,
        user: String,
        nickname: Option<String>,
    },
}

/// What a renamed channel is called: the name with this suffix, and back again.
const RENAME_SUFFIX: &str = "-talk";

/// How many recent messages a member looks at when replying or reacting.
const RECENT: usize = 12;
/// Mention answers queued at most (a flood of mentions must not grow memory).
const MAX_PENDING: usize = 32;

pub struct Simulator {
    rng: Rng,
    pending: VecDeque<Planned>,
    demo_user: String,
    phrases: Vec<String>,
    replies: Vec<String>,
    mention_answers: Vec<String>,
    edits: Vec<String>,
    emoji: Vec<i64>,
    /// Messages the simulated members posted (channel, id, author), for edits and deletes.
    posted: Vec<(String, String, String)>,
    /// Members who left a team (team, user, nickname), to come back later.
    left: Vec<(String, String, Option<String>)>,
}

impl Simulator {
    pub fn new(seed: u64, world: &World) -> Self {
        let fallback = |v: &Vec<String>, s: &str| {
            if v.is_empty() {
                vec![s.to_owned()]
            } else {
                v.clone()
            }
        };
        let s = &world.simulation;
        Self {
            rng: Rng::new(seed),
            pending: VecDeque::new(),
            demo_user: world.demo_user.clone(),
            phrases: fallback(&s.phrases, "hello"),
            replies: fallback(&s.replies, "agreed"),
            mention_answers: fallback(&s.mention_answers, "@{name} yes?"),
            edits: fallback(&s.edits, "(edited)"),
            emoji: world.emoji.iter().map(|e| e.id).collect(),
            posted: Vec::new(),
            left: Vec::new(),
        }
    }

    /// How long until the next action: short when a typed message is about to be sent.
    pub fn next_delay(&mut self) -> Duration {
        if self.pending.is_empty() {
            Duration::from_millis(self.rng.range(4_000, 12_000))
        } else {
            Duration::from_millis(self.rng.range(1_500, 4_000))
        }
    }

    /// Watch posts: a demo-user message that mentions members gets answers queued.
    pub fn notice_post(&mut self, m: &Message, store: &Store) {
        if m.author != self.demo_user {
            return;
        }
        let Some(channel) = store.channel(&m.channel_id) else {
            return;
        };
        let demo_name = store
            .user(&self.demo_user)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        for member in store.audience(channel) {
            if member == self.demo_user || self.pending.len() + 2 > MAX_PENDING {
                continue;
            }
            let Some(user) = store.user(&member) else {
                continue;
            };
            if mentions(&m.content, &user.id, &user.name) {
                let text = self
                    .pick(&self.mention_answers.clone())
                    .replace("{name}", &demo_name);
                self.pending.push_back(Planned::Typing {
                    user: member.clone(),
                    channel: channel.id.clone(),
                });
                self.pending.push_back(Planned::Post {
                    user: member,
                    channel: channel.id.clone(),
                    text,
                    reply_to: Some(m.id.clone()),
                });
            }
        }
    }

    fn pick(&mut self, items: &[String]) -> String {
        self.rng.pick(items).cloned().unwrap_or_default()
    }

    /// Chat channels the demo user can see, where members act.
    fn stages(&self, store: &Store) -> Vec<String> {
        store
            .channels
            .iter()
            .filter(|c| c.is_messageable() && store.can_see(&self.demo_user, c))
            .filter(|c| store.audience(c).iter().any(|u| *u != self.demo_user))
            .map(|c| c.id.clone())
            .collect()
    }

    fn next(&mut self, store: &Store) -> Option<Planned> {
        if let Some(p) = self.pending.pop_front() {
            return Some(p);
        }
        let stages = self.stages(store);
        let channel = self.rng.pick(&stages)?.clone();
        let cast: Vec<String> = store
            .channel(&channel)
            .map(|c| store.audience(c))
            .unwrap_or_default()
            .into_iter()
            .filter(|u| *u != self.demo_user)
            .collect();
        let user = self.rng.pick(&cast)?.clone();
        let recent: Vec<Message> = store
            .channel_messages(&channel)
            .iter()
            .rev()
            .take(RECENT)
            .cloned()
            .collect();
        self.posted
            .retain(|(c, id, _)| store.message(c, id).is_some());
        let roll = self.rng.below(100);
        let mine: Vec<(String, String, String)> =
            self.posted.iter().rev().take(RECENT).cloned().collect();
        if roll >= 95 && !mine.is_empty() {
            let (channel, message_id, user) = self.rng.pick(&mine)?.clone();
            return Some(Planned::Delete {
                user,
                channel,
                message_id,
            });
        }
        if roll >= 85 && !mine.is_empty() {
            let (channel, message_id, user) = self.rng.pick(&mine)?.clone();
            let text = self.pick(&self.edits.clone());
            return Some(Planned::Edit {
                user,
                channel,
                message_id,
                text,
            });
        }
        if (65..85).contains(&roll) && !recent.is_empty() && !self.emoji.is_empty() {
            let target = self.rng.pick(&recent)?.id.clone();
            let emoji = *self.rng.pick(&self.emoji.clone())?;
            return Some(Planned::React {
                user,
                channel,
                message_id: target,
                emoji,
            });
        }
        if let Some(plan) = self.structure_plan(store, roll, &user, &channel, &recent) {
            return Some(plan);
        }
        if let Some(plan) = self.presence_plan(store, roll, &user, &channel) {
            return Some(plan);
        }
        let (text, reply_to) = if (45..65).contains(&roll) && !recent.is_empty() {
            let target = self.rng.pick(&recent)?.clone();
            let name = store
                .user(&target.author)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (
                self.pick(&self.replies.clone()).replace("{name}", &name),
                Some(target.id),
            )
        } else {
            let name = store
                .user(&self.demo_user)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (
                self.pick(&self.phrases.clone()).replace("{name}", &name),
                None,
            )
        };
        // Typing comes first; the message follows a few seconds later.
        self.pending.push_front(Planned::Post {
            user: user.clone(),
            channel: channel.clone(),
            text,
            reply_to,
        });
        Some(Planned::Typing { user, channel })
    }
}

impl Simulator {
    /// Now and then (rolls 36..45): pin or unpin a recent message, start a thread from one,
    /// or (rarely) the team's owner renames the channel.
    fn structure_plan(
        &mut self,
        store: &Store,
        roll: usize,
        user: &str,
        channel: &str,
        recent: &[Message],
    ) -> Option<Planned> {
        let here = store.channel(channel)?;
        let team = here.team_id().and_then(|t| store.team(t));
        let target = self.rng.pick(recent).cloned();
        match roll {
            40..45 => {
                let m = target?;
                Some(Planned::Pin {
                    user: user.to_owned(),
                    channel: channel.to_owned(),
                    pin: m.pinned_by.is_none(),
                    message_id: m.id,
                })
            }
            37..40 if team.is_some() && here.thread.is_none() => {
                let m = target?;
                let has_thread = store.channels.iter().any(|c| {
                    c.thread.as_ref().and_then(|t| t.message.as_deref()) == Some(m.id.as_str())
                });
                if has_thread {
                    return None;
                }
                let topic = self.pick(&self.phrases.clone());
                let name: String = topic
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ");
                Some(Planned::Thread {
                    user: user.to_owned(),
                    channel: channel.to_owned(),
                    message_id: m.id,
                    name: if name.is_empty() {
                        "side talk".into()
                    } else {
                        name
                    },
                })
            }
            36 if here.thread.is_none() => {
                let owner = team?.owner_id.clone();
                // The demo user's own hands are the user's: the simulator never acts as them.
                if owner == self.demo_user {
                    return None;
                }
                let current = here.name.clone().unwrap_or_default();
                let name = match current.strip_suffix(RENAME_SUFFIX) {
                    Some(base) => base.to_owned(),
                    None => format!("{current}{RENAME_SUFFIX}"),
                };
                Some(Planned::Rename {
                    user: owner,
                    channel: channel.to_owned(),
                    name,
                })
            }
            _ => None,
        }
    }
}

fn walk(v: &Value, user_id: &str, needle: &str) -> bool {
    match v {
        Value::Object(map) => {
            let mention_id = map
                .get("mention")
                .and_then(|m| m.get("id"))
                .and_then(Value::as_str);
            if mention_id == Some(user_id) {
                return true;
            }
            if let Some(Value::String(text)) = map.get("text")
                && mentions_word(&text.to_lowercase(), needle)
            {
                return true;
            }
            map.values().any(|v| walk(v, user_id, needle))
        }
        Value::Array(items) => items.iter().any(|v| walk(v, user_id, needle)),
        _ => false,
    }
}

/// Whether `@name` occurs in `text` as a whole word (so `@ada` is not found in `@adam`).
fn mentions_word(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        text.get(at + needle.len()..)
            .and_then(|rest| rest.chars().next())
            .is_none_or(|c| !c.is_alphanumeric() && c != '_')
    })
}

/// Whether a content document mentions the user: a person mention inline with their id,
/// or `@name` written in the text.
fn mentions(content: &Value, user_id: &str, name: &str) -> bool {
    let needle = format!("@{}", name.to_lowercase());
    walk(content, user_id, &needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_is_human() {
        let world = World::demo().unwrap();
        let mut sim = Simulator::new(1, &world);
        for _ in 0..200 {
            let idle = sim.next_delay();
            assert!(
                (Duration::from_secs(4)..=Duration::from_secs(12)).contains(&idle),
                "{idle:?}"
            );
        }
        sim.pending.push_back(Planned::Typing {
            user: "u".into(),
            channel: "c".into(),
        });
        for _ in 0..200 {
            let typed = sim.next_delay();
            assert!(
                (Duration::from_millis(1500)..=Duration::from_secs(4)).contains(&typed),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn mentions_are_found_as_inlines_or_text() {
        let inline = serde_json::json!({"nodes": [{"data": {"mention": {"id": "U1"}}}]});
        assert!(mentions(&inline, "U1", "ada"));
        assert!(!mentions(&inline, "U2", "bob"));
        let text = serde_json::json!({"leaves": [{"text": "hi @Ada!"}]});
        assert!(mentions(&text, "U1", "ada"));
        assert!(!mentions(&text, "U1", "adam"));
        let longer = serde_json::json!({"leaves": [{"text": "hi @adam, and @ada"}]});
        assert!(mentions(&longer, "U1", "ada"));
        let only_longer = serde_json::json!({"leaves": [{"text": "hi @adam"}]});
        assert!(!mentions(&only_longer, "U1", "ada"));
    }
}
