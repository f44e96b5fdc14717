//! The composer: typing and pasting, typing notices, sending, editing, deleting, reacting,
//! and the server's answers to our sends.

use std::collections::HashMap;
use std::time::Instant;

use jiff::Timestamp;

use super::View;
use super::channels::{current_timeline_mut, set_focus};
use super::popups::switcher_paste;
use crate::app::command::Command;
use crate::app::composer::{Composer, Edit};
use crate::app::model::{ChannelId, ChannelKind, Delivery, EmojiId, Message, MessageId, User};
use crate::app::msg::Effect;
use crate::app::timeline::Timeline;
use crate::app::{App, Focus, Popup, Undo};
use crate::protocol::content::{MentionKind, ResolvedMention, from_markdown};
use crate::sanitize::sanitize;

/// Bracketed paste: into the switcher query when it is open, else into the composer.
pub(super) fn on_paste(app: &mut App, text: &str, now: Instant, fx: &mut Vec<Effect>) -> View {
    paste(app, text, now, fx);
    View::Changed
}

/// The server accepted our message: the echo is confirmed.
pub(super) fn on_send_confirmed(
    app: &mut App,
    channel: &ChannelId,
    message_id: &MessageId,
    created_at: Option<Timestamp>,
) -> View {
    if let Some(tl) = app.timelines.get_mut(channel)
        && tl.confirm(message_id, created_at)
    {
        app.sent_text.remove(message_id);
    }
    View::Changed
}

/// Sending failed: the echo is marked failed and stays retry-able.
pub(super) fn on_send_failed(
    app: &mut App,
    channel: &ChannelId,
    message_id: &MessageId,
    error: &str,
    now: Instant,
) -> View {
    if let Some(tl) = app.timelines.get_mut(channel) {
        tl.fail(message_id, error);
    }
    let retry = app.keymap.hint(Command::RetryFailed);
    app.notify(
        format!("Message not sent: {} ({retry} retries)", sanitize(error)),
        true,
        now,
    );
    View::Changed
}

fn paste(app: &mut App, text: &str, now: Instant, fx: &mut Vec<Effect>) {
    if let Some(Popup::Switcher(_) | Popup::Search(_)) = app.popup {
        switcher_paste(app, text, fx);
        return;
    }
    if let Some(Popup::ReactionPicker(_)) = app.popup {
        super::reactions::picker_edit(app, |q| q.insert_str(&text.replace('\n', " ")));
        return;
    }
    if app.popup.is_some() {
        return;
    }
    set_focus(app, Focus::Composer);
    if app.composer.insert_str(text) == Edit::Changed {
        draft_changed(app, now, fx);
    }
}

/// A character typed into the composer; a changed draft may send a typing notice.
/// The draft came back from the external editor: it replaces the draft (control characters
/// dropped, as for a paste), in whatever channel it was written for.
pub(super) fn on_edited_externally(
    app: &mut App,
    channel: ChannelId,
    text: &str,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> View {
    // Editors end the file with a newline the user did not mean to send.
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if app.current.as_ref() == Some(&channel) {
        app.composer.set_text("");
        let _ = app.composer.insert_str(text);
        set_focus(app, Focus::Composer);
        draft_changed(app, now, fx);
    } else {
        let draft = app.drafts.entry(channel).or_default();
        draft.set_text("");
        let _ = draft.insert_str(text);
    }
    View::Changed
}

pub(super) fn type_char(app: &mut App, c: char, now: Instant, fx: &mut Vec<Effect>) {
    if app.composer.insert_char(c) == Edit::Changed {
        draft_changed(app, now, fx);
    }
}

/// An editing command on the composer; a changed draft may send a typing notice.
pub(super) fn edit_composer(app: &mut App, command: Command, now: Instant, fx: &mut Vec<Effect>) {
    if app.composer.apply(command) == Edit::Changed {
        draft_changed(app, now, fx);
    }
}

/// The draft changed: typing notices start, continue (throttled) or stop.
pub(super) fn draft_changed(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let Some(channel) = app.current.clone() else {
        return;
    };
    if app.composer.text().trim().is_empty() {
        app.typing.stop(&channel);
        return;
    }
    if app.settings.send_typing
        && app.composer.editing.is_none()
        && app.typing.should_send(&channel, now)
    {
        fx.push(Effect::SendTyping { channel });
    }
}

/// Esc: cancel an edit (the saved draft returns), else a reply, else go back to the composer,
/// else jump to the newest message.
pub(super) fn cancel(app: &mut App) {
    if app.composer.editing.is_some() {
        let saved = app.composer.saved_draft.take().unwrap_or_default();
        let reply = app.composer.reply_to.take();
        app.composer.clear();
        app.composer.set_text(&saved);
        app.composer.reply_to = reply;
    } else if app.composer.reply_to.is_some() {
        app.composer.reply_to = None;
    } else if app.focus != Focus::Composer {
        set_focus(app, Focus::Composer);
    } else if let Some(tl) = current_timeline_mut(app) {
        tl.scroll_to_bottom();
    }
}

/// `@name` → a person mention, using the channel's team members (or DM users and us).
fn mention_candidates(app: &App, channel: &ChannelId) -> Vec<User> {
    let mut out: Vec<User> = Vec::new();
    match app.channels.get(channel).map(|c| &c.kind) {
        Some(ChannelKind::Team { team_id, .. }) => {
            if let Some(t) = app.teams.iter().find(|t| &t.id == team_id) {
                out.extend(t.members.values().cloned());
            }
        }
        Some(ChannelKind::Dm { users }) => {
            out.extend(users.iter().filter_map(|u| app.users.get(u)).cloned());
        }
        None => {}
    }
    out.push(app.me.clone());
    out
}

/// Enter: send the draft (a pending local echo until confirmed), or save the edit in progress.
pub(super) fn send(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let Some(channel) = app.current.clone() else {
        return;
    };
    let text = app.composer.text().trim_end().to_owned();
    if text.trim().is_empty() {
        return;
    }
    let members = mention_candidates(app, &channel);
    // Indexed once (a pasted message can ask for thousands of names): each name and nickname,
    // ASCII case folded, to the first member that has it.
    let mut by_name: HashMap<String, &User> = HashMap::new();
    for u in &members {
        for name in std::iter::once(&u.name).chain(&u.nickname) {
            by_name.entry(name.to_ascii_lowercase()).or_insert(u);
        }
    }
    // People only: the markdown parser itself knows `@everyone` and `@here`.
    let resolve = |name: &str| -> Option<ResolvedMention> {
        let name = name.strip_prefix('@').unwrap_or(name);
        by_name.get(&name.to_ascii_lowercase()).map(|u| {
            ResolvedMention::new(
                MentionKind::Person,
                u.id.as_str(),
                format!("@{}", u.display_name()),
            )
        })
    };
    let content = from_markdown(&text, &resolve);
    let wall = app.wall_now(now);
    if let Some(message_id) = app.composer.editing.take() {
        if let Some(tl) = app.timelines.get_mut(&channel)
            && let Some((content, edited_at)) =
                tl.apply_local_edit(&message_id, content.clone(), wall)
        {
            app.remember_undo(message_id.clone(), Undo::Edit { content, edited_at });
        }
        fx.push(Effect::EditMessage {
            channel,
            message_id,
            content,
        });
        let saved = app.composer.saved_draft.take().unwrap_or_default();
        app.composer.clear();
        app.composer.set_text(&saved);
        return;
    }
    let replies_to: Vec<MessageId> = app.composer.reply_to.take().into_iter().collect();
    let message_id = app.next_message_id();
    let echo = Message {
        id: message_id.clone(),
        channel_id: channel.clone(),
        author_id: app.me.id.clone(),
        created_at: wall,
        edited_at: None,
        content: content.clone().into(),
        replies_to: replies_to.clone(),
        reactions: Vec::new(),
        delivery: Delivery::Pending,
        is_system: false,
        is_pinned: false,
        mentions_me: false,
    };
    let limit = app.settings.window();
    app.timelines
        .entry(channel.clone())
        .or_insert_with(|| Timeline::new(limit))
        .push_pending(echo);
    app.sent_text.insert(message_id.clone(), text);
    app.composer.clear();
    app.typing.stop(&channel);
    fx.push(Effect::SendMessage {
        channel,
        message_id,
        content,
        replies_to,
    });
}

/// Send every failed message of the open channel again.
pub(super) fn retry_failed(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(channel) = app.current.clone() else {
        return;
    };
    let Some(tl) = app.timelines.get_mut(&channel) else {
        return;
    };
    for m in tl.retry_failed() {
        fx.push(Effect::SendMessage {
            channel: channel.clone(),
            message_id: m.id,
            content: m.content.into_rich(),
            replies_to: m.replies_to,
        });
    }
}

/// Up in an empty composer: edit our last message.
pub(super) fn edit_last(app: &mut App) {
    let me = app.me.id.clone();
    if let Some(m) = app.timeline().and_then(|tl| tl.last_by(&me)).cloned() {
        start_edit(app, &m);
    }
}

/// Edit one of our messages; a failed send comes back as a plain draft instead.
pub(super) fn start_edit(app: &mut App, m: &Message) {
    if m.author_id != app.me.id {
        return;
    }
    match m.delivery {
        Delivery::Confirmed => {
            if !app.composer.is_empty() {
                app.composer.saved_draft = Some(app.composer.text().to_owned());
            }
            // An edit is never a reply: `clear` drops the reply target.
            let saved = app.composer.saved_draft.take();
            app.composer.clear();
            app.composer.set_text(&m.content.plain_text());
            app.composer.editing = Some(m.id.clone());
            app.composer.saved_draft = saved;
        }
        Delivery::Failed { .. } => {
            // A failed send goes back into the composer as a draft.
            let text = app
                .sent_text
                .remove(&m.id)
                .unwrap_or_else(|| m.content.plain_text());
            if let Some(tl) = app.timelines.get_mut(&m.channel_id) {
                tl.remove(&m.id);
            }
            let mut composer = Composer::with_text(&text);
            composer.reply_to = m.replies_to.first().cloned();
            app.composer = composer;
        }
        Delivery::Pending => return,
    }
    set_focus(app, Focus::Composer);
}

/// Remove a message locally; ask the server only if it ever got it.
pub(super) fn delete_message(
    app: &mut App,
    channel: &ChannelId,
    message_id: &MessageId,
    fx: &mut Vec<Effect>,
) {
    let Some(tl) = app.timelines.get_mut(channel) else {
        return;
    };
    let confirmed = tl
        .get(message_id)
        .filter(|m| m.delivery == Delivery::Confirmed)
        .cloned();
    tl.remove(message_id);
    app.sent_text.remove(message_id);
    if let Some(message) = confirmed {
        app.remember_undo(message_id.clone(), Undo::Delete(Box::new(message)));
        fx.push(Effect::DeleteMessage {
            channel: channel.clone(),
            message_id: message_id.clone(),
        });
    }
}

/// Add our reaction, or remove it if we already reacted with this emoji.
pub(super) fn toggle_reaction(
    app: &mut App,
    channel: &ChannelId,
    message_id: &MessageId,
    emoji_id: EmojiId,
    name: &str,
    fx: &mut Vec<Effect>,
) {
    let me = app.me.id.clone();
    let Some(tl) = app.timelines.get_mut(channel) else {
        return;
    };
    let mine = tl
        .get(message_id)
        .is_some_and(|m| m.reactions.iter().any(|r| r.emoji_id == emoji_id && r.mine));
    let (channel, message_id) = (channel.clone(), message_id.clone());
    if mine {
        tl.remove_reaction(&message_id, emoji_id, &me, &me);
        fx.push(Effect::RemoveReaction {
            channel,
            message_id,
            emoji_id,
        });
    } else {
        tl.add_reaction(&message_id, emoji_id, Some(name), &me, &me);
        fx.push(Effect::AddReaction {
            channel,
            message_id,
            emoji_id,
        });
        app.reactions.used(emoji_id, name);
    }
}
