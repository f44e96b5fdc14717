//! The `data` object of document nodes: what mentions, channels, emoji, links, media, code
//! blocks and embeds keep there, read tolerantly.
//!
//! Rule: every field optional and lenient (a wrong-typed value is skipped); pure data.

use serde::Deserialize;

use crate::models::lenient;

/// `data.mention`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MentionData {
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub(crate) kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) name: Option<String>,
}

/// `data.channel`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ChannelData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) name: Option<String>,
}

/// `customReaction` inside `data.reaction`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CustomReactionData {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(crate) id: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) name: Option<String>,
}

/// `data.reaction`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct ReactionData {
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(crate) id: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(crate) custom_reaction_id: Option<i64>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) custom_reaction: Option<CustomReactionData>,
}

/// A `{url}` or `{name}`/`{text}` sub-object of an embed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct EmbedPart {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) text: Option<String>,
}

/// One `fields[]` entry of an embed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct EmbedFieldData {
    #[serde(deserialize_with = "lenient::string")]
    pub(crate) name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub(crate) value: String,
    #[serde(deserialize_with = "lenient::bool")]
    pub(crate) inline: bool,
}

/// One Discord-like embed of a `webhookMessage` block.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct EmbedData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) title: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) description: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub(crate) color: Option<i64>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) author: Option<EmbedPart>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) footer: Option<EmbedPart>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub(crate) fields: Vec<EmbedFieldData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) image: Option<EmbedPart>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) thumbnail: Option<EmbedPart>,
}

/// A node's `data`: the union of what any block or inline type keeps there, since `data`
/// may come before `type`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NodeData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) language: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) src: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub(crate) href: Option<String>,
    #[serde(deserialize_with = "lenient::vec_skip_invalid")]
    pub(crate) embeds: Vec<EmbedData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) mention: Option<MentionData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) channel: Option<ChannelData>,
    #[serde(deserialize_with = "lenient::object")]
    pub(crate) reaction: Option<ReactionData>,
}

impl NodeData {
    /// Whether nothing gilt reads was there (the usual `"data":{}`).
    pub(crate) fn is_empty(&self) -> bool {
        self.language.is_none()
            && self.src.is_none()
            && self.href.is_none()
            && self.embeds.is_empty()
            && self.mention.is_none()
            && self.channel.is_none()
            && self.reaction.is_none()
    }
}
