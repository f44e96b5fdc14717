//! The typed payload of the non-chat channel events (forum threads and replies, docs, lists,
//! announcements, media, calendar events, reactions on them; see docs/PROTOCOL.md): what
//! happened where, by whom, with what title, and when.
//!
//! None of these shapes was documented: the common places are all read tolerantly (the item
//! nested as `content`, `thread`, `reply`, `event`, `calendarEvent`, `announcement`, `doc`,
//! `listItem`, `media` or `post`; ids of content items as strings or numbers, as forum
//! threads had numeric ids). Pure data, no IO.

use jiff::Timestamp;
use serde::Deserialize;

use super::Complete;
use crate::models::lenient;
use crate::{ChannelId, TeamId, UserId};

/// One content item as an event nests it (partially: only what an activity line shows).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentItem {
    /// The item's id (numbers become text).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// List items carry their text as `message`.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub channel_id: Option<ChannelId>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub created_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub updated_at: Option<Timestamp>,
}

impl ContentItem {
    /// Title, else name, else a list item's text.
    pub fn label(&self) -> Option<&str> {
        [&self.title, &self.name, &self.message]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }
}

/// Any non-chat channel event (`TeamChannelContent*`, `TEAM_CHANNEL_CONTENT_*`,
/// `TeamContentReply*`, `TeamContentReactions*`, `TeamContentDeleted`, `TeamThread*`,
/// `TeamEvent*`). After decoding, `channel_id` and `team_id` are filled from the nested item
/// when only it carried them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentActivity {
    #[serde(deserialize_with = "lenient::opt_id")]
    pub team_id: Option<TeamId>,
    #[serde(deserialize_with = "lenient::id")]
    pub channel_id: ChannelId,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub content_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub content_id: Option<String>,
    /// Who did it, where the payload says so at the top level.
    #[serde(deserialize_with = "lenient::opt_id")]
    pub user_id: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub created_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub updated_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_id")]
    pub deleted_by: Option<UserId>,
    #[serde(deserialize_with = "lenient::opt_timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub content: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub thread: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub reply: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub event: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub calendar_event: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub announcement: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub doc: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub list_item: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub media: Option<ContentItem>,
    #[serde(deserialize_with = "lenient::object_skip_invalid")]
    pub post: Option<ContentItem>,
}

impl ContentActivity {
    /// The items the payload nests, the reply (when there is one) first.
    fn items(&self) -> impl Iterator<Item = &ContentItem> {
        [
            &self.reply,
            &self.content,
            &self.thread,
            &self.event,
            &self.calendar_event,
            &self.announcement,
            &self.doc,
            &self.list_item,
            &self.media,
            &self.post,
        ]
        .into_iter()
        .flatten()
    }

    /// What the activity line names: the first title the payload carries.
    pub fn title(&self) -> Option<&str> {
        self.items().find_map(ContentItem::label)
    }

    /// Who did it: the top-level author fields, else the item's creator.
    pub fn actor(&self) -> Option<&UserId> {
        [
            &self.user_id,
            &self.created_by,
            &self.updated_by,
            &self.deleted_by,
        ]
        .into_iter()
        .flatten()
        .chain(self.items().filter_map(|i| i.created_by.as_ref()))
        .find(|u| !u.is_empty())
    }

    /// When: the top-level time, else the item's update or creation time.
    pub fn at(&self) -> Option<Timestamp> {
        self.created_at
            .or_else(|| self.items().find_map(|i| i.updated_at.or(i.created_at)))
    }
}

impl Complete for ContentActivity {
    /// Needs the channel (top level or in the item).
    fn complete(&mut self) -> bool {
        let nested_channel = self.items().find_map(|i| i.channel_id.clone());
        let nested_team = self.items().find_map(|i| i.team_id.clone());
        if self.channel_id.is_empty()
            && let Some(channel) = nested_channel
        {
            self.channel_id = channel;
        }
        if self.team_id.is_none() {
            self.team_id = nested_team;
        }
        !self.channel_id.is_empty()
    }
}
