//! What to keep in the local store after each message: the reducer says what changed as
//! `Effect::Persist` values; the runtime hands them to the store (or drops them when there is
//! none). Kept generic on purpose: any state that should survive a restart (read markers,
//! drafts) becomes one more `Write` here.
//!
//! Two kinds of write: what a message carries as it came (start-up data, history pages,
//! channel and member events), taken before the message is folded; and messages as the model
//! holds them after folding (an edit, a reaction, a confirmed send: the timeline's copy is the
//! merged, newest one).

use std::time::Instant;

use super::failures::is_unreachable;
use crate::app::App;
use crate::app::model::{ChannelId, Delivery, MessageId, TeamId, UserId};
use crate::app::msg::{ApiOp, ChatEvent, Effect, Msg};
use crate::app::persist::{OutboxEntry, OutboxState, Write};

/// What a message asks to keep, noted before it is folded.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// Kept as they came.
    writes: Vec<Write>,
    /// Messages to keep as the model holds them once folded (with a copy for when the model
    /// does not hold the channel).
    messages: Vec<(ChannelId, MessageId, Option<crate::app::model::Message>)>,
    /// Changes to a message (edit, reaction, pin): the message as the model holds it once
    /// folded, or, when no timeline holds it, the change itself for the stored copy.
    changes: Vec<(ChannelId, MessageId, Write)>,
    /// A member whose name changed: kept as the model holds it.
    member: Option<(TeamId, UserId)>,
    /// Writes that must follow the messages (an outbox entry is removed only once its
    /// message is stored).
    after: Vec<Write>,
    /// Channels whose held stretch may have grown: the complete part goes to the store after
    /// the messages.
    spans: Vec<ChannelId>,
}

/// Note what `msg` changes that the store keeps.
pub(super) fn note(msg: &Msg, me: &UserId) -> Pending {
    let mut p = Pending::default();
    match msg {
        Msg::Loaded(data) => p.writes.push(Write::Loaded(Box::new(data.clone()))),
        Msg::TeamLoaded(team) | Msg::TeamRefreshed(team) => {
            p.writes.push(Write::Team(team.clone()));
        }
        Msg::History {
            messages, channel, ..
        } => {
            if !messages.is_empty() {
                p.writes.push(Write::Messages(messages.clone()));
            }
            p.spans.push(channel.clone());
        }
        Msg::UnreadSince { messages, .. } if !messages.is_empty() => {
            p.writes.push(Write::Messages(messages.clone()));
        }
        Msg::StoredHistory { channel, .. } | Msg::Gap { channel, .. } => {
            p.spans.push(channel.clone());
        }
        Msg::Chat(event) => note_chat(event, me, &mut p),
        Msg::Backfill { channel, messages } => {
            p.messages.extend(
                messages
                    .iter()
                    .map(|m| (m.channel_id.clone(), m.id.clone(), Some(m.clone()))),
            );
            p.spans.push(channel.clone());
        }
        Msg::SendConfirmed {
            channel,
            message_id,
            ..
        } => {
            p.messages.push((channel.clone(), message_id.clone(), None));
            p.after.push(Write::OutboxRemove(message_id.clone()));
        }
        // A send that could not reach the server stays queued (it is sent again later).
        Msg::ApiFailed {
            op: ApiOp::Send { message_id, .. },
            failure,
        } if !is_unreachable(failure.kind) => p.writes.push(Write::OutboxFailed {
            message_id: message_id.clone(),
            error: failure.message.clone(),
        }),
        _ => {}
    }
    p
}

fn note_chat(event: &ChatEvent, me: &UserId, p: &mut Pending) {
    match event {
        ChatEvent::MessageCreated { message, .. } => {
            p.messages.push((
                message.channel_id.clone(),
                message.id.clone(),
                Some(message.clone()),
            ));
            p.spans.push(message.channel_id.clone());
        }
        ChatEvent::MessageUpdated {
            channel,
            message_id,
            content,
            edited_at,
        } => p.changes.push((
            channel.clone(),
            message_id.clone(),
            Write::Edit {
                message_id: message_id.clone(),
                content: content.clone(),
                edited_at: *edited_at,
            },
        )),
        ChatEvent::ReactionAdded {
            channel,
            message_id,
            emoji_id,
            emoji_name,
            user,
        } => p.changes.push((
            channel.clone(),
            message_id.clone(),
            Write::Reaction {
                message_id: message_id.clone(),
                emoji_id: *emoji_id,
                emoji_name: emoji_name.clone(),
                user: user.clone(),
                me: me.clone(),
                added: true,
            },
        )),
        ChatEvent::ReactionRemoved {
            channel,
            message_id,
            emoji_id,
            user,
        } => p.changes.push((
            channel.clone(),
            message_id.clone(),
            Write::Reaction {
                message_id: message_id.clone(),
                emoji_id: *emoji_id,
                emoji_name: None,
                user: user.clone(),
                me: me.clone(),
                added: false,
            },
        )),
        ChatEvent::PinChanged {
            channel,
            message_id,
            pinned,
        } => p.changes.push((
            channel.clone(),
            message_id.clone(),
            Write::Pin {
                message_id: message_id.clone(),
                pinned: *pinned,
            },
        )),
        ChatEvent::MessageDeleted { message_id, .. } => {
            p.writes.push(Write::DeleteMessage(message_id.clone()));
        }
        ChatEvent::DmCreated { channel, users } => {
            p.writes.push(Write::Users(users.clone()));
            p.writes.push(Write::Channel(channel.clone()));
        }
        ChatEvent::ChannelUpserted(channel) => p.writes.push(Write::Channel(channel.clone())),
        ChatEvent::ChannelDeleted { channel, .. } => {
            p.writes.push(Write::RemoveChannel(channel.clone()));
        }
        ChatEvent::MemberJoined { team_id, user } => p.writes.push(Write::Member {
            team: team_id.clone(),
            user: user.clone(),
        }),
        ChatEvent::MemberUpdated { team_id, user, .. } => {
            p.member = Some((team_id.clone(), user.clone()));
        }
        ChatEvent::TeamsChanged {
            team_id,
            removed: true,
        } => p.writes.push(Write::RemoveTeam(team_id.clone())),
        ChatEvent::MessagesDeleted { message_ids, .. } => p
            .writes
            .extend(message_ids.iter().cloned().map(Write::DeleteMessage)),
        ChatEvent::ChannelsRemoved { channels, .. } => p
            .writes
            .extend(channels.iter().cloned().map(Write::RemoveChannel)),
        // Kept when the team's lists are refetched (`TeamRefreshed`) or next loaded.
        ChatEvent::MemberMessagesPurged { .. }
        | ChatEvent::CategoryUpserted { .. }
        | ChatEvent::CategoryDeleted { .. }
        | ChatEvent::TeamRenamed { .. }
        | ChatEvent::TeamStale { .. }
        | ChatEvent::ThreadCreated { .. }
        | ChatEvent::Typing { .. }
        | ChatEvent::MemberRemoved { .. }
        | ChatEvent::ChannelSeen { .. }
        | ChatEvent::TeamsChanged { .. }
        | ChatEvent::Presence(_)
        | ChatEvent::RoleColors { .. }
        | ChatEvent::MembersRemoved { .. }
        | ChatEvent::UserRenamed { .. }
        | ChatEvent::NicknameEverywhere { .. }
        | ChatEvent::Activity { .. }
        | ChatEvent::VoiceJoined { .. }
        | ChatEvent::VoiceLeft { .. }
        | ChatEvent::VoiceParticipants { .. } => {}
    }
}

/// After folding: add the `Persist` effects. Every send is written to the outbox before its
/// request goes out, so a send is never only in memory.
pub(super) fn finish(app: &App, p: Pending, now: Instant, fx: &mut Vec<Effect>) {
    let mut writes = p.writes;
    let mut messages = Vec::new();
    for (channel, id, copy) in p.messages {
        let held = app.timelines.get(&channel).and_then(|tl| tl.get(&id));
        // The store keeps only what the server has; our own unconfirmed sends are in the
        // outbox.
        match held.or(copy.as_ref()) {
            Some(m) if m.delivery == Delivery::Confirmed => messages.push(m.clone()),
            _ => {}
        }
    }
    let mut unheld = Vec::new();
    for (channel, id, change) in p.changes {
        match app.timelines.get(&channel).and_then(|tl| tl.get(&id)) {
            Some(m) if m.delivery == Delivery::Confirmed => messages.push(m.clone()),
            // Ours, unconfirmed: the outbox has it.
            Some(_) => {}
            None => unheld.push(change),
        }
    }
    if !messages.is_empty() {
        writes.push(Write::Messages(messages));
    }
    writes.extend(unheld);
    if let Some((team, user)) = p.member
        && let Some(member) = app
            .teams
            .iter()
            .find(|t| t.id == team)
            .and_then(|t| t.members.get(&user))
    {
        writes.push(Write::Member {
            team,
            user: member.clone(),
        });
    }
    writes.extend(p.after);
    for channel in p.spans {
        if let Some((from, to)) = app
            .timelines
            .get(&channel)
            .and_then(crate::app::timeline::Timeline::complete_span)
        {
            writes.push(Write::Span { channel, from, to });
        }
    }
    let sends = fx
        .iter()
        .filter(|e| matches!(e, Effect::SendMessage { .. }));
    if writes.is_empty() && sends.count() == 0 {
        return;
    }
    let mut out = Vec::with_capacity(fx.len() + writes.len());
    for effect in fx.drain(..) {
        if let Effect::SendMessage {
            channel,
            message_id,
            content,
            replies_to,
        } = &effect
        {
            let created_at = app
                .timelines
                .get(channel)
                .and_then(|tl| tl.get(message_id))
                .map_or_else(|| app.wall_now(now), |m| m.created_at);
            out.push(Effect::Persist(Write::OutboxPut(OutboxEntry {
                message_id: message_id.clone(),
                channel: channel.clone(),
                content: content.clone(),
                replies_to: replies_to.clone(),
                created_at,
                attempts: 0,
                state: OutboxState::Queued,
            })));
        }
        out.push(effect);
    }
    out.extend(writes.into_iter().map(Effect::Persist));
    *fx = out;
}
