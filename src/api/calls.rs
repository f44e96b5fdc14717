//! The typed REST calls of Guilded's user API (docs/PROTOCOL.md), one method each.
//!
//! Rule: paths are built from percent-encoded segments; dates go out as
//! `format_timestamp` (milliseconds and `Z`), the only form Guilded accepts.

use jiff::Timestamp;
use reqwest::Method;

use super::client::{ApiClient, Body};
use super::error::ApiError;
use crate::protocol::content::RichText;
use crate::protocol::models::{
    Channel, ChannelMessagesResponse, CreateThreadRequest, CreateThreadResponse, DmChannel,
    DmChannelsResponse, EditMessageRequest, Me, Message, OpenDmRequest, OpenDmResponse, OpenDmUser,
    PinsResponse, SeenRequest, SendMessageRequest, SendMessageResponse, Team, TeamChannelsResponse,
    TeamMember, TeamMembersResponse, TeamResponse, format_timestamp,
};
use crate::protocol::{ChannelId, MessageId, TeamId, UserId};

/// Which messages to list (`GET /channels/{id}/messages`); newest first from the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageQuery {
    /// At most this many (Guilded's default is 51).
    pub limit: Option<u32>,
    /// Only messages created before this instant (exclusive).
    pub before: Option<Timestamp>,
    /// Only messages created after this instant.
    pub after: Option<Timestamp>,
}

/// A page cut to the `limit` asked for (a server may send more): the first `limit` messages
/// (newest first), and then there are more to fetch.
fn at_most(mut page: ChannelMessagesResponse, limit: Option<u32>) -> ChannelMessagesResponse {
    let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    if page.messages.len() > limit {
        page.messages.truncate(limit);
        page.has_past_messages = true;
    }
    page
}

/// A message to post. `message_id` is chosen by the client (uuid v4), which makes the send
/// idempotent: a retry after a lost answer cannot post twice.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub message_id: MessageId,
    pub content: RichText,
    pub replies_to_ids: Vec<MessageId>,
    pub is_silent: bool,
    pub is_private: bool,
}

impl NewMessage {
    /// A plain message with a fresh uuid v4 id.
    pub fn new(content: RichText) -> Self {
        NewMessage {
            message_id: uuid::Uuid::new_v4().to_string().into(),
            content,
            replies_to_ids: Vec::new(),
            is_silent: false,
            is_private: false,
        }
    }
}

impl ApiClient {
    async fn discard(
        &self,
        method: Method,
        segments: &[&str],
        body: &Body,
    ) -> Result<(), ApiError> {
        self.send(method, self.url(segments), body)
            .await
            .map(|_| ())
    }

    /// `GET /me`: the user, their teams, custom reactions.
    pub async fn me(&self) -> Result<Me, ApiError> {
        self.json(Method::GET, self.url(&["me"]), &Body::None).await
    }

    /// `GET /teams/{id}`: the team with its members.
    pub async fn team(&self, team_id: &TeamId) -> Result<Team, ApiError> {
        let response: TeamResponse = self
            .json(
                Method::GET,
                self.url(&["teams", team_id.as_str()]),
                &Body::None,
            )
            .await?;
        Ok(response.team)
    }

    /// `GET /teams/{id}/channels`: channels, threads and categories.
    pub async fn team_channels(&self, team_id: &TeamId) -> Result<TeamChannelsResponse, ApiError> {
        self.json(
            Method::GET,
            self.url(&["teams", team_id.as_str(), "channels"]),
            &Body::None,
        )
        .await
    }

    /// `GET /teams/{id}/members`.
    pub async fn team_members(&self, team_id: &TeamId) -> Result<Vec<TeamMember>, ApiError> {
        let response: TeamMembersResponse = self
            .json(
                Method::GET,
                self.url(&["teams", team_id.as_str(), "members"]),
                &Body::None,
            )
            .await?;
        Ok(response.members)
    }

    /// `GET /users/{myUserId}/channels`: the user's DM channels.
    pub async fn dm_channels(&self, my_user_id: &UserId) -> Result<Vec<DmChannel>, ApiError> {
        Ok(self.dm_channels_response(my_user_id).await?.channels)
    }

    /// `GET /users/{me}/channels`, the whole answer (with the unread map).
    pub async fn dm_channels_response(
        &self,
        my_user_id: &UserId,
    ) -> Result<DmChannelsResponse, ApiError> {
        self.json(
            Method::GET,
            self.url(&["users", my_user_id.as_str(), "channels"]),
            &Body::None,
        )
        .await
    }

    /// `GET /channels/{id}/messages?limit&beforeDate&afterDate` (newest first).
    pub async fn messages(
        &self,
        channel_id: &ChannelId,
        query: &MessageQuery,
    ) -> Result<ChannelMessagesResponse, ApiError> {
        let mut url = self.url(&["channels", channel_id.as_str(), "messages"]);
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(limit) = query.limit {
                pairs.append_pair("limit", &limit.to_string());
            }
            if let Some(before) = query.before {
                pairs.append_pair("beforeDate", &format_timestamp(before));
            }
            if let Some(after) = query.after {
                pairs.append_pair("afterDate", &format_timestamp(after));
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let page = self.json(Method::GET, url, &Body::None).await?;
        Ok(at_most(page, query.limit))
    }

    /// `POST /channels/{id}/messages`. Retries resend the same `messageId`, so the server
    /// stores the message once.
    pub async fn send_message(
        &self,
        channel_id: &ChannelId,
        message: &NewMessage,
    ) -> Result<Message, ApiError> {
        let request = SendMessageRequest {
            message_id: message.message_id.clone(),
            content: message.content.clone(),
            replies_to_ids: message.replies_to_ids.clone(),
            is_silent: message.is_silent,
            is_private: message.is_private,
        };
        let response: SendMessageResponse = self
            .json(
                Method::POST,
                self.url(&["channels", channel_id.as_str(), "messages"]),
                &Body::json(&request)?,
            )
            .await?;
        let mut sent = response.message;
        // The send response may omit these; the caller knows them.
        if sent.channel_id.is_empty() {
            sent.channel_id.clone_from(channel_id);
        }
        if sent.id.is_empty() {
            sent.id.clone_from(&message.message_id);
        }
        Ok(sent)
    }

    /// `PUT /channels/{id}/messages/{messageId}`: replace the document.
    pub async fn edit_message(
        &self,
        channel_id: &ChannelId,
        message_id: &MessageId,
        content: &RichText,
    ) -> Result<(), ApiError> {
        let body = Body::json(&EditMessageRequest {
            content: content.clone(),
        })?;
        self.discard(
            Method::PUT,
            &[
                "channels",
                channel_id.as_str(),
                "messages",
                message_id.as_str(),
            ],
            &body,
        )
        .await
    }

    /// `DELETE /channels/{id}/messages/{messageId}`.
    pub async fn delete_message(
        &self,
        channel_id: &ChannelId,
        message_id: &MessageId,
    ) -> Result<(), ApiError> {
        self.discard(
            Method::DELETE,
            &[
                "channels",
                channel_id.as_str(),
                "messages",
                message_id.as_str(),
            ],
            &Body::None,
        )
        .await
    }

    /// `POST /channels/{id}/messages/{messageId}/reactions/{customReactionId}`.
    pub async fn add_reaction(
        &self,
        channel_id: &ChannelId,
        message_id: &MessageId,
        custom_reaction_id: i64,
    ) -> Result<(), ApiError> {
        self.reaction(Method::POST, channel_id, message_id, custom_reaction_id)
            .await
    }

    /// `DELETE /channels/{id}/messages/{messageId}/reactions/{customReactionId}` (own reaction).
    pub async fn remove_reaction(
        &self,
        channel_id: &ChannelId,
        message_id: &MessageId,
        custom_reaction_id: i64,
    ) -> Result<(), ApiError> {
        self.reaction(Method::DELETE, channel_id, message_id, custom_reaction_id)
            .await
    }

    async fn reaction(
        &self,
        method: Method,
        channel_id: &ChannelId,
        message_id: &MessageId,
        custom_reaction_id: i64,
    ) -> Result<(), ApiError> {
        let reaction = custom_reaction_id.to_string();
        let path = [
            "channels",
            channel_id.as_str(),
            "messages",
            message_id.as_str(),
            "reactions",
            &reaction,
        ];
        self.discard(method, &path, &Body::None).await
    }

    /// `PUT /channels/{id}/seen` with `{"clearAllBadges":false}`.
    pub async fn mark_seen(&self, channel_id: &ChannelId) -> Result<(), ApiError> {
        let body = Body::json(&SeenRequest {
            clear_all_badges: false,
        })?;
        self.discard(
            Method::PUT,
            &["channels", channel_id.as_str(), "seen"],
            &body,
        )
        .await
    }

    /// `POST /channels/{id}/threads`: start a thread, from a message when one is given;
    /// returns the new thread channel (None when the answer carried none).
    pub async fn create_thread(
        &self,
        channel_id: &ChannelId,
        name: &str,
        from_message: Option<&MessageId>,
    ) -> Result<Option<Channel>, ApiError> {
        let body = Body::json(&CreateThreadRequest {
            name: name.to_owned(),
            content_type: "chat".to_owned(),
            thread_message_id: from_message.cloned(),
        })?;
        let response: CreateThreadResponse = self
            .json(
                Method::POST,
                self.url(&["channels", channel_id.as_str(), "threads"]),
                &body,
            )
            .await?;
        Ok(response.into_thread())
    }

    /// `POST /channels/{id}/pins` `{messageId}` (pin), or `DELETE /channels/{id}/pins/{messageId}`.
    pub async fn set_pin(
        &self,
        channel_id: &ChannelId,
        message_id: &MessageId,
        pin: bool,
    ) -> Result<(), ApiError> {
        if pin {
            let body = Body::json(&serde_json::json!({ "messageId": message_id }))?;
            self.discard(
                Method::POST,
                &["channels", channel_id.as_str(), "pins"],
                &body,
            )
            .await
        } else {
            self.discard(
                Method::DELETE,
                &["channels", channel_id.as_str(), "pins", message_id.as_str()],
                &Body::None,
            )
            .await
        }
    }

    /// `POST /users/{me}/channels` `{"users":[{"id": user}]}`: open (or find) the DM with
    /// `user`; the answer's `channel` or `channels[0]`.
    pub async fn open_dm(&self, me: &UserId, user: &UserId) -> Result<Option<DmChannel>, ApiError> {
        let body = Body::json(&OpenDmRequest {
            users: vec![OpenDmUser { id: user.clone() }],
        })?;
        let response: OpenDmResponse = self
            .json(
                Method::POST,
                self.url(&["users", me.as_str(), "channels"]),
                &body,
            )
            .await?;
        Ok(response.into_channel())
    }

    /// `GET /channels/{id}/pins`: the pinned messages, newest first.
    pub async fn pins(&self, channel_id: &ChannelId) -> Result<Vec<Message>, ApiError> {
        let response: PinsResponse = self
            .json(
                Method::GET,
                self.url(&["channels", channel_id.as_str(), "pins"]),
                &Body::None,
            )
            .await?;
        Ok(response.messages)
    }

    /// `POST /users/me/presence` `{"status": n}` (1 online, 2 idle, 3 do not disturb,
    /// 4 invisible): sets the account's own status.
    pub async fn set_presence(&self, status: i64) -> Result<(), ApiError> {
        let body = Body::json(&serde_json::json!({ "status": status }))?;
        self.discard(Method::POST, &["users", "me", "presence"], &body)
            .await
    }

    /// `PUT /users/me/ping`: keeps the presence online.
    pub async fn ping(&self) -> Result<(), ApiError> {
        self.discard(Method::PUT, &["users", "me", "ping"], &Body::None)
            .await
    }

    /// `POST /logout`, one short attempt (never retried, so being offline is quick).
    pub async fn logout_request(&self, timeout: std::time::Duration) -> Result<(), ApiError> {
        let policy = self.once_policy(timeout);
        self.send_with(Method::POST, self.url(&["logout"]), &Body::None, &policy)
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_longer_than_its_limit_is_cut_and_says_there_is_more() {
        let page: ChannelMessagesResponse = serde_json::from_str(
            r#"{"messages":[{"id":"m3","channelId":"c"},{"id":"m2","channelId":"c"},
                {"id":"m1","channelId":"c"}],"hasPastMessages":false}"#,
        )
        .unwrap();
        let cut = at_most(page.clone(), Some(2));
        let ids: Vec<&str> = cut.messages.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m3", "m2"]);
        assert!(cut.has_past_messages);
        assert_eq!(at_most(page.clone(), Some(3)), page);
        assert_eq!(at_most(page.clone(), None), page);
    }
}
