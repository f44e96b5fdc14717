//! The demo world as data: the schema of `assets/demo-world.json`, loaded with `include_str!`
//! so the binary is self-contained, and checked for dangling references so a broken asset
//! is a clear error at start-up instead of a panic later.

use std::collections::HashSet;

use serde::Deserialize;

/// The asset compiled into the binary.
pub const DEMO_WORLD_JSON: &str = include_str!("../../assets/demo-world.json");

/// The origin the asset's media links are written with; replaced by the server's own
/// address at start (the port is only known then).
pub const MEDIA_ORIGIN: &str = "http://media.demo.invalid";

/// Why the world asset could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("demo world asset is not valid JSON for the schema: {0}")]
    Json(#[from] serde_json::Error),
    #[error("demo world asset is inconsistent: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct World {
    /// Id of the user the demo client logs in as, and their email.
    pub demo_user: String,
    pub email: String,
    /// The password of every user that can log in.
    pub password: String,
    pub emoji: Vec<EmojiDef>,
    pub users: Vec<UserDef>,
    pub teams: Vec<TeamDef>,
    #[serde(default)]
    pub dms: Vec<DmDef>,
    pub messages: Vec<MessageDef>,
    #[serde(default)]
    pub simulation: SimulationDef,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmojiDef {
    pub id: i64,
    pub name: String,
    /// The team a custom reaction belongs to (stock emoji have none).
    #[serde(default)]
    pub team: Option<String>,
    /// Who uploaded a custom reaction.
    #[serde(default)]
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserDef {
    pub id: String,
    pub name: String,
    /// 1 online, 2 idle, 3 do not disturb, 4 offline.
    pub presence: u8,
    #[serde(default)]
    pub tag_line: Option<String>,
    #[serde(default)]
    pub bot: bool,
    /// Members with an email can log in too (with the world's password), so tests can
    /// run two real clients against each other.
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamDef {
    pub id: String,
    pub name: String,
    pub subdomain: String,
    pub owner_id: String,
    #[serde(default)]
    pub description: Option<String>,
    pub base_group_id: String,
    pub members: Vec<MemberDef>,
    pub categories: Vec<CategoryDef>,
    pub channels: Vec<ChannelDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberDef {
    pub user: String,
    #[serde(default)]
    pub nickname: Option<String>,
    /// `member` or `admin`.
    #[serde(default = "default_role")]
    pub role: String,
}

fn default_role() -> String {
    "member".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CategoryDef {
    pub id: i64,
    pub name: String,
    pub priority: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelDef {
    pub id: String,
    pub name: String,
    pub content_type: String,
    #[serde(default)]
    pub category: Option<i64>,
    pub priority: i64,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DmDef {
    pub id: String,
    pub users: Vec<String>,
    pub owner: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageDef {
    /// Optional fixed id (needed when another message replies to this one).
    #[serde(default)]
    pub id: Option<String>,
    pub channel: String,
    pub author: String,
    /// How long before server start the message was posted.
    pub minutes_ago: u64,
    /// Markdown-ish text, converted with `protocol::content::from_markdown`.
    #[serde(default)]
    pub text: Option<String>,
    /// A literal content document (used for the embed), instead of `text`.
    #[serde(default)]
    pub document: Option<serde_json::Value>,
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(default)]
    pub edited_minutes_ago: Option<u64>,
    #[serde(default)]
    pub reactions: Vec<ReactionDef>,
    #[serde(default)]
    pub pinned_by: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReactionDef {
    pub emoji: i64,
    pub users: Vec<String>,
}

/// Lines the simulated members say; `{name}` is replaced by the addressee's name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SimulationDef {
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub replies: Vec<String>,
    #[serde(default)]
    pub mention_answers: Vec<String>,
    #[serde(default)]
    pub edits: Vec<String>,
}

impl World {
    /// The world compiled into the binary (media links left at [`MEDIA_ORIGIN`]).
    #[cfg(test)]
    pub fn demo() -> Result<World, WorldError> {
        Self::parse(DEMO_WORLD_JSON)
    }

    /// The world compiled into the binary, its media links ([`MEDIA_ORIGIN`]) pointing at the
    /// server at `origin` (`http://127.0.0.1:port`).
    pub fn demo_at(origin: &str) -> Result<World, WorldError> {
        Self::parse(&DEMO_WORLD_JSON.replace(MEDIA_ORIGIN, origin))
    }

    /// Parse and validate a world from JSON text.
    pub fn parse(json: &str) -> Result<World, WorldError> {
        let world: World = serde_json::from_str(json)?;
        world.validate()?;
        Ok(world)
    }

    fn validate(&self) -> Result<(), WorldError> {
        let bad = |m: String| Err(WorldError::Invalid(m));
        let users: HashSet<&str> = self.users.iter().map(|u| u.id.as_str()).collect();
        if users.len() != self.users.len() {
            return bad("duplicate user id".into());
        }
        if !users.contains(self.demo_user.as_str()) {
            return bad(format!("demoUser {} is not a user", self.demo_user));
        }
        let emoji: HashSet<i64> = self.emoji.iter().map(|e| e.id).collect();
        let mut channels: HashSet<&str> = HashSet::new();
        for team in &self.teams {
            if !users.contains(team.owner_id.as_str()) {
                return bad(format!("team {}: owner {} unknown", team.id, team.owner_id));
            }
            for m in &team.members {
                if !users.contains(m.user.as_str()) {
                    return bad(format!("team {}: member {} unknown", team.id, m.user));
                }
            }
            let cats: HashSet<i64> = team.categories.iter().map(|c| c.id).collect();
            for c in &team.channels {
                if uuid::Uuid::parse_str(&c.id).is_err() {
                    return bad(format!("channel id {} is not a uuid", c.id));
                }
                if !channels.insert(c.id.as_str()) {
                    return bad(format!("duplicate channel id {}", c.id));
                }
                if let Some(cat) = c.category
                    && !cats.contains(&cat)
                {
                    return bad(format!("channel {}: category {cat} unknown", c.name));
                }
            }
        }
        for dm in &self.dms {
            if !channels.insert(dm.id.as_str()) {
                return bad(format!("duplicate channel id {}", dm.id));
            }
            if let Some(u) = dm.users.iter().find(|u| !users.contains(u.as_str())) {
                return bad(format!("dm {}: user {u} unknown", dm.id));
            }
        }
        let mut message_ids: HashSet<&str> = HashSet::new();
        for (i, m) in self.messages.iter().enumerate() {
            let at = format!("message #{i}");
            if !channels.contains(m.channel.as_str()) {
                return bad(format!("{at}: channel {} unknown", m.channel));
            }
            if !users.contains(m.author.as_str()) {
                return bad(format!("{at}: author {} unknown", m.author));
            }
            if m.text.is_some() == m.document.is_some() {
                return bad(format!("{at}: needs exactly one of text or document"));
            }
            if let Some(id) = &m.id
                && !message_ids.insert(id.as_str())
            {
                return bad(format!("{at}: duplicate id {id}"));
            }
            if let Some(r) = &m.reply_to
                && !message_ids.contains(r.as_str())
            {
                return bad(format!("{at}: replyTo {r} is not an earlier message"));
            }
            for r in &m.reactions {
                if !emoji.contains(&r.emoji) {
                    return bad(format!("{at}: emoji {} unknown", r.emoji));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_world_loads() {
        let w = World::demo().unwrap();
        assert!(w.teams.len() >= 3);
        assert!(w.users.len() >= 12);
        assert!(w.messages.len() >= 200);
    }

    #[test]
    fn malformed_worlds_are_errors() {
        assert!(matches!(World::parse("{"), Err(WorldError::Json(_))));
        let mut v: serde_json::Value = serde_json::from_str(DEMO_WORLD_JSON).unwrap();
        v["demoUser"] = "nobody".into();
        let err = World::parse(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("nobody"), "{err}");
    }
}
