//! Failed REST calls and failed edge actions: what each failure does to the model, and the one
//! place that decides what an unauthorized answer means (log in again, drafts saved).

use std::time::Instant;

use super::View;
use super::compose::on_send_failed;
use crate::app::model::{ChannelId, MessageId};
use crate::app::msg::{ApiFailure, ApiOp, Effect, FailureKind};
use crate::app::{App, Undo};
use crate::sanitize::sanitize;

/// A REST call failed: the echo, the timeline or a notice says so; an unauthorized answer
/// also ends the session.
pub(super) fn on_api_failed(
    app: &mut App,
    op: &ApiOp,
    failure: &ApiFailure,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> View {
    let unauthorized = failure.kind == FailureKind::Unauthorized;
    match op {
        ApiOp::Send {
            channel,
            message_id,
        } if is_unreachable(failure.kind) => wait_for_link(app, channel, message_id, now),
        ApiOp::Send {
            channel,
            message_id,
        } => {
            let _ = on_send_failed(app, channel, message_id, &failure.message, now);
        }
        ApiOp::History { channel } => history_failed(app, channel, &failure.message, now),
        ApiOp::Edit {
            channel,
            message_id,
        }
        | ApiOp::Delete {
            channel,
            message_id,
        } => {
            let undone = roll_back(app, channel, message_id);
            let what = if undone { " (undone)" } else { "" };
            if !unauthorized {
                app.notify(
                    format!("{}{what}: {}", doing(op), sanitize(&failure.message)),
                    true,
                    now,
                );
            }
        }
        ApiOp::SetPresence { previous } => {
            app.presence.mine = *previous;
            if !unauthorized {
                app.notify(
                    format!("{}: {}", doing(op), sanitize(&failure.message)),
                    true,
                    now,
                );
            }
        }
        // "Log in again" says it all; the start-up load's other failures are only logged
        // (the first screen shows whatever did load).
        _ if unauthorized => {}
        ApiOp::Start => return View::Unchanged,
        _ => app.notify(
            format!("{}: {}", doing(op), sanitize(&failure.message)),
            true,
            now,
        ),
    }
    if unauthorized {
        let _ = on_unauthorized(app, fx);
    }
    View::Changed
}

/// Whether the failure says only that the server could not be reached (try again later).
pub(super) fn is_unreachable(kind: FailureKind) -> bool {
    matches!(kind, FailureKind::Network | FailureKind::Timeout)
}

/// A send that could not reach the server waits (shown failed, its text kept) and goes out
/// again, in the order written, when the link is back ([`resend_waiting`]).
fn wait_for_link(app: &mut App, channel: &ChannelId, message_id: &MessageId, now: Instant) {
    if let Some(tl) = app.timelines.get_mut(channel) {
        tl.fail(message_id, "waiting for the connection");
    }
    let entry = (channel.clone(), message_id.clone());
    if !app.waiting_sends.contains(&entry) {
        app.waiting_sends.push(entry);
    }
    app.notify(
        "Offline: messages are sent when the connection is back",
        false,
        now,
    );
}

/// The link is back: every send waiting for it goes out again, in the order written (the
/// runtime sends one at a time; the server ignores a message id it already has).
pub(super) fn resend_waiting(app: &mut App, fx: &mut Vec<Effect>) {
    for (channel, message_id) in std::mem::take(&mut app.waiting_sends) {
        let Some(m) = app
            .timelines
            .get_mut(&channel)
            .and_then(|tl| tl.retry(&message_id))
        else {
            continue;
        };
        fx.push(Effect::SendMessage {
            channel,
            message_id,
            content: m.content.into_rich(),
            replies_to: m.replies_to,
        });
    }
}

/// The session is no longer valid: "log in again", and the drafts are saved.
pub(super) fn on_unauthorized(app: &mut App, fx: &mut Vec<Effect>) -> View {
    app.auth_lost = true;
    fx.push(Effect::SaveState(app.persisted_state()));
    View::Changed
}

/// The server refused an edit or delete we applied at once: put back what it replaced.
/// Returns whether the timeline changed.
fn roll_back(app: &mut App, channel: &ChannelId, message_id: &MessageId) -> bool {
    let Some(undo) = app.take_undo(message_id) else {
        return false;
    };
    let Some(tl) = app.timelines.get_mut(channel) else {
        return false;
    };
    match undo {
        Undo::Edit { content, edited_at } => tl.undo_local_edit(message_id, content, edited_at),
        Undo::Delete(message) => tl.undo_delete(*message),
    }
}

/// Loading history failed: the timeline stops waiting for it.
fn history_failed(app: &mut App, channel: &ChannelId, error: &str, now: Instant) {
    if let Some(tl) = app.timelines.get_mut(channel) {
        tl.loading_older = false;
        tl.loaded = true;
    }
    app.notify(
        format!("Could not load history: {}", sanitize(error)),
        true,
        now,
    );
}

/// What the user was doing, for the notice ("Editing the message: …").
fn doing(op: &ApiOp) -> String {
    match op {
        ApiOp::Start => "Loading teams and channels".to_owned(),
        ApiOp::Send { .. } => "Sending the message".to_owned(),
        ApiOp::Edit { .. } => "Editing the message".to_owned(),
        ApiOp::Delete { .. } => "Deleting the message".to_owned(),
        ApiOp::AddReaction { .. } => "Adding the reaction".to_owned(),
        ApiOp::RemoveReaction { .. } => "Removing the reaction".to_owned(),
        ApiOp::MarkSeen { .. } => "Marking the channel read".to_owned(),
        ApiOp::History { .. } => "Loading history".to_owned(),
        ApiOp::LoadTeam { .. } => "Loading a new team".to_owned(),
        ApiOp::RefreshTeam { .. } => "Refreshing the team's channels".to_owned(),
        ApiOp::CreateThread { .. } => "Starting the thread".to_owned(),
        ApiOp::Pin { .. } => "Pinning the message".to_owned(),
        ApiOp::OpenDm { .. } => "Opening the DM".to_owned(),
        ApiOp::Pins { .. } => "Loading the pinned messages".to_owned(),
        ApiOp::SetPresence { .. } => "Setting your status".to_owned(),
        ApiOp::Backfill { channel } => {
            format!("Catching up on a channel ({})", sanitize(channel.as_str()))
        }
    }
}

/// Something the edge did for the user failed: say why.
pub(super) fn on_action_failed(app: &mut App, reason: String, now: Instant) -> View {
    app.notify(reason, true, now);
    View::Changed
}
