//! REST objects of Guilded's user API (see docs/PROTOCOL.md) as serde DTOs: the responses
//! gilt reads and the request bodies it writes.
//!
//! Rule: pure data, no IO. Reading is tolerant — unknown fields are ignored, missing optional
//! fields default, fields of an unexpected type degrade to their default (see `lenient`).
//! Only request bodies are written. The local server writes its responses and events from
//! its own notes instead (`server::shapes`), so a wrong field name here shows up as a
//! disagreement in the server tests rather than agreeing with itself.

mod channel;
pub(crate) mod lenient;
mod message;
mod requests;
mod responses;
mod team;
mod user;

pub use channel::{
    Category, Channel, DmChannel, DmUser, Participant, UserRef, is_messageable_content_type,
};
pub use message::{Message, Reaction, ReactionUser};
pub use team::{Role, Team, TeamMember};
pub(crate) use user::opt_presence;
pub use user::{AboutInfo, CustomReaction, Me, PresenceStatus, User, UserStatus};

pub use requests::{
    ApiErrorBody, CreateThreadRequest, EditMessageRequest, LoginRequest, MembersDetailRequest,
    OpenDmRequest, OpenDmUser, PresenceRequest, SeenRequest, SendMessageRequest,
};
pub use responses::{
    ChannelMessagesResponse, CreateThreadResponse, DmChannelsResponse, MembersDetailResponse,
    MessageResponse, OpenDmResponse, PinsResponse, SendMessageResponse, Slowmode,
    TeamChannelsResponse, TeamMembersResponse, TeamResponse, UnreadBadge, UserResponse,
};

use jiff::Timestamp;

/// Format a timestamp as Guilded expects it everywhere (and requires in `beforeDate` /
/// `afterDate`): UTC, exactly 3 fractional digits, `Z` — `2021-10-15T23:58:44.537Z`.
pub fn format_timestamp(ts: Timestamp) -> String {
    // Truncate to whole milliseconds first so the printer never rounds up a second.
    let ms = ts.as_millisecond();
    let ts = Timestamp::from_millisecond(ms).unwrap_or(ts);
    jiff::fmt::temporal::DateTimePrinter::new()
        .precision(Some(3))
        .timestamp_to_string(&ts)
}

/// Parse a Guilded timestamp (`…Z` or `…+00:00`, any number of fractional digits).
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

/// Display name rule for any member-like object: the nickname if set and non-empty, else the
/// name.
pub fn display_name<'a>(name: &'a str, nickname: Option<&'a str>) -> &'a str {
    match nickname {
        Some(n) if !n.is_empty() => n,
        _ => name,
    }
}

#[cfg(test)]
mod tests;
