//! The reducer: folds one `Msg` into the `App` and says which `Effect`s the runtime must run.
//!
//! Pure: no IO, no clock reads, never panics on any input (unknown ids, events for channels
//! that are not loaded, deletes before creates are all ignored or counted, never trusted).

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::command::{Command, Scope};
use super::composer::{Composer, Edit};
use super::convert::{chat_event, mentions_user};
use super::model::{Channel, ChannelId, ChannelKind, Delivery, LinkState, Message, Team, User};
use super::msg::{ChatEvent, Effect, InitialData, Msg, PersistedState, TeamData};
use super::navigation::{SidebarEntry, Switcher, arrange_team};
use super::timeline::{Inserted, Timeline};
use super::{App, COMMON_EMOJI, Focus, HISTORY_PAGE, Popup};
use crate::protocol::content::{MentionKind, from_markdown};

/// Fold one message into the model; returns the effects to run, in order.
pub fn update(app: &mut App, msg: Msg, now: Instant) -> Vec<Effect> {
    let mut fx = Vec::new();
    app.last_now = Some(now);
    match msg {
        Msg::Key(key) => {
            if key.kind != KeyEventKind::Release {
                app.dirty = true;
                handle_key(app, key, now, &mut fx);
            }
        }
        Msg::Paste(text) => {
            app.dirty = true;
            paste(app, &text, now, &mut fx);
        }
        Msg::Resize { width, height } => {
            app.dirty = true;
            app.size = (width, height);
        }
        Msg::Tick => tick(app, now),
        Msg::WallClock(ts) => app.wall = Some((now, ts)),
        Msg::Gateway(event) => {
            if let Some(event) = chat_event(&event) {
                app.dirty = true;
                fold_chat(app, event, now, &mut fx);
            }
        }
        Msg::Chat(event) => {
            app.dirty = true;
            fold_chat(app, event, now, &mut fx);
        }
        Msg::Link { group, state } => {
            if app.links.get(&group) != Some(&state) {
                app.dirty = true;
                app.links.insert(group, state);
            }
        }
        Msg::Loaded(data) => {
            app.dirty = true;
            load(app, data, now, &mut fx);
        }
        Msg::TeamLoaded(team) => {
            app.dirty = true;
            apply_team(app, team);
            if app.current.is_none()
                && let Some(id) = app.default_channel()
            {
                open_channel(app, &id, now, &mut fx);
            }
        }
        Msg::RestoreState(state) => {
            app.dirty = true;
            restore(app, state, now, &mut fx);
        }
        Msg::History {
            channel,
            messages,
            has_past,
            older,
        } => {
            app.dirty = true;
            history(app, &channel, messages, has_past, older);
        }
        Msg::HistoryFailed { channel, error } => {
            app.dirty = true;
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.loading_older = false;
                tl.loaded = true;
            }
            app.notify(format!("Could not load history: {error}"), true, now);
        }
        Msg::SendConfirmed {
            channel,
            message_id,
            created_at,
        } => {
            app.dirty = true;
            if let Some(tl) = app.timelines.get_mut(&channel)
                && tl.confirm(&message_id, created_at)
            {
                app.sent_text.remove(&message_id);
            }
        }
        Msg::SendFailed {
            channel,
            message_id,
            error,
        } => {
            app.dirty = true;
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.fail(&message_id, &error);
            }
            let retry = app.keymap.hint(Command::RetryFailed);
            app.notify(
                format!("Message not sent: {error} ({retry} retries)"),
                true,
                now,
            );
        }
        Msg::ApiError { context, error } => {
            app.dirty = true;
            app.notify(format!("{context}: {error}"), true, now);
        }
        Msg::Unauthorized => {
            app.dirty = true;
            app.auth_lost = true;
            fx.push(Effect::SaveState(app.persisted_state()));
        }
    }
    fx
}

fn tick(app: &mut App, now: Instant) {
    if app.typing.expire(now) {
        app.dirty = true;
    }
    if app.notice.as_ref().is_some_and(|n| n.until <= now) {
        app.notice = None;
        app.dirty = true;
    }
    if app
        .links
        .values()
        .any(|s| matches!(s, LinkState::Reconnecting { .. }))
    {
        // The countdown in the status bar changed.
        app.dirty = true;
    }
}

// ---------------------------------------------------------------------------------------------
// Keys

fn handle_key(app: &mut App, key: KeyEvent, now: Instant, fx: &mut Vec<Effect>) {
    if app.keymap.lookup(&key, Scope::Global) == Some(Command::Quit) {
        run_command(app, Command::Quit, now, fx);
        return;
    }
    if app.popup.is_some() {
        popup_key(app, key, now, fx);
        return;
    }
    let scope = match app.focus {
        Focus::Sidebar => Scope::Sidebar,
        Focus::Timeline => Scope::Timeline,
        Focus::Composer => Scope::Composer,
    };
    let plain_char = matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if app.focus == Focus::Composer && plain_char {
        composer_edit(app, key, now, fx);
        return;
    }
    let command = app
        .keymap
        .lookup(&key, scope)
        .or_else(|| app.keymap.lookup(&key, Scope::Global));
    if let Some(command) = command {
        run_command(app, command, now, fx);
        return;
    }
    match app.focus {
        Focus::Composer => {
            if key.code == KeyCode::Up && key.modifiers.is_empty() && app.composer.is_empty() {
                edit_last(app);
            } else {
                composer_edit(app, key, now, fx);
            }
        }
        Focus::Timeline | Focus::Sidebar => {
            if plain_char {
                // Typing anywhere goes to the composer.
                set_focus(app, Focus::Composer);
                composer_edit(app, key, now, fx);
            }
        }
    }
}

fn composer_edit(app: &mut App, key: KeyEvent, now: Instant, fx: &mut Vec<Effect>) {
    if app.composer.handle_key(key) == Edit::Changed {
        draft_changed(app, now, fx);
    }
}

fn paste(app: &mut App, text: &str, now: Instant, fx: &mut Vec<Effect>) {
    if let Some(Popup::Switcher(sw)) = &mut app.popup {
        let mut sw = std::mem::take(sw);
        if sw.query.insert_str(&text.replace('\n', " ")) == Edit::Changed {
            sw.selected = 0;
            app.refresh_switcher(&mut sw);
        }
        app.popup = Some(Popup::Switcher(sw));
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

/// The draft changed: typing notices start, continue (throttled) or stop.
fn draft_changed(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
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

fn set_focus(app: &mut App, focus: Focus) {
    if app.focus == Focus::Timeline
        && focus != Focus::Timeline
        && let Some(tl) = current_timeline_mut(app)
    {
        tl.selected = None;
    }
    if focus == Focus::Sidebar {
        app.sidebar_cursor = app.sidebar_row_of_current();
    }
    if focus == Focus::Timeline {
        let rows = app.timeline_rows();
        if let Some(tl) = current_timeline_mut(app)
            && tl.selected.is_none()
        {
            tl.move_selection(0, rows);
        }
    }
    app.focus = focus;
}

fn current_timeline_mut(app: &mut App) -> Option<&mut Timeline> {
    let id = app.current.as_ref()?;
    app.timelines.get_mut(id)
}

fn selected_message(app: &App) -> Option<Message> {
    let tl = app.timeline()?;
    tl.get(tl.selected.as_deref()?).cloned()
}

fn run_command(app: &mut App, command: Command, now: Instant, fx: &mut Vec<Effect>) {
    let rows = app.timeline_rows();
    match command {
        Command::Quit => {
            if let Some(ch) = app.current.clone() {
                app.typing.stop(&ch);
            }
            fx.push(Effect::SaveState(app.persisted_state()));
            fx.push(Effect::Quit);
        }
        Command::Help => {
            app.popup = match app.popup {
                Some(Popup::Help { .. }) => None,
                _ => Some(Popup::Help { scroll: 0 }),
            };
        }
        Command::Switcher => {
            let mut sw = Switcher::default();
            app.refresh_switcher(&mut sw);
            app.popup = Some(Popup::Switcher(sw));
        }
        Command::PrevChannel | Command::NextChannel => {
            let delta = if command == Command::NextChannel {
                1
            } else {
                -1
            };
            let order = app.visible_channel_order();
            if let Some(id) = app.step_channel(&order, delta, |_| true) {
                open_channel(app, &id, now, fx);
            }
        }
        Command::PrevUnread | Command::NextUnread => {
            let delta = if command == Command::NextUnread {
                1
            } else {
                -1
            };
            let order = app.all_channel_order();
            match app.step_channel(&order, delta, |c| c.unread > 0 || c.mentions > 0) {
                Some(id) => open_channel(app, &id, now, fx),
                None => app.notify("No unread channels", false, now),
            }
        }
        Command::Team1
        | Command::Team2
        | Command::Team3
        | Command::Team4
        | Command::Team5
        | Command::Team6
        | Command::Team7
        | Command::Team8
        | Command::Team9 => {
            if let Some(team) = command
                .team_index()
                .and_then(|i| app.teams.get(i))
                .map(|t| t.id.clone())
            {
                select_team(app, &team, now, fx);
            }
        }
        Command::FocusNext | Command::FocusPrev => {
            let order = [Focus::Sidebar, Focus::Timeline, Focus::Composer];
            let i = order.iter().position(|f| *f == app.focus).unwrap_or(2);
            let next = if command == Command::FocusNext {
                (i + 1) % 3
            } else {
                (i + 2) % 3
            };
            set_focus(app, order[next]);
        }
        Command::SelectMode => set_focus(app, Focus::Timeline),
        Command::ScrollUp => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_up((rows / 2).max(1));
            }
            maybe_load_older(app, fx);
        }
        Command::ScrollDown => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_down((rows / 2).max(1));
            }
        }
        Command::ScrollTop => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_to_top();
            }
            maybe_load_older(app, fx);
        }
        Command::ScrollBottom => {
            if let Some(tl) = current_timeline_mut(app) {
                tl.scroll_to_bottom();
                if tl.selected.is_some() {
                    let last = tl.len().saturating_sub(1);
                    tl.selected = tl.get_index(last).map(|m| m.id.clone());
                }
            }
        }
        Command::RetryFailed => retry_failed(app, fx),
        Command::Send => send(app, now, fx),
        Command::Newline => {
            if app.composer.insert_str("\n") == Edit::Changed {
                draft_changed(app, now, fx);
            }
        }
        Command::Cancel => cancel(app),
        Command::SidebarUp | Command::SidebarDown => {
            let entries = app.sidebar_entries();
            let up = command == Command::SidebarUp;
            let mut i = app.sidebar_cursor.min(entries.len().saturating_sub(1));
            loop {
                let next = if up { i.checked_sub(1) } else { Some(i + 1) };
                match next.filter(|n| *n < entries.len()) {
                    Some(n) => {
                        i = n;
                        if entries.get(n).is_some_and(SidebarEntry::selectable) {
                            app.sidebar_cursor = n;
                            break;
                        }
                    }
                    None => break,
                }
            }
        }
        Command::SidebarOpen => {
            let entries = app.sidebar_entries();
            match entries.get(app.sidebar_cursor) {
                Some(SidebarEntry::Team(i)) => {
                    if let Some(team) = app.teams.get(*i).map(|t| t.id.clone()) {
                        select_team(app, &team, now, fx);
                        app.sidebar_cursor = app.sidebar_row_of_current();
                    }
                }
                Some(SidebarEntry::Channel(id) | SidebarEntry::Dm(id)) => {
                    let id = id.clone();
                    open_channel(app, &id, now, fx);
                    set_focus(app, Focus::Composer);
                }
                _ => {}
            }
        }
        Command::SelectUp | Command::SelectDown => {
            let delta = if command == Command::SelectUp { -1 } else { 1 };
            if let Some(tl) = current_timeline_mut(app) {
                tl.move_selection(delta, rows);
            }
            if delta < 0 {
                maybe_load_older(app, fx);
            }
        }
        Command::Reply => {
            if let Some(m) = selected_message(app)
                && m.delivery == Delivery::Confirmed
            {
                app.composer.reply_to = Some(m.id);
                set_focus(app, Focus::Composer);
            }
        }
        Command::Edit => {
            if let Some(m) = selected_message(app) {
                start_edit(app, &m);
            }
        }
        Command::Delete => {
            if let Some(m) = selected_message(app)
                && m.author_id == app.me.id
            {
                app.popup = Some(Popup::ConfirmDelete {
                    channel: m.channel_id,
                    message_id: m.id,
                });
            }
        }
        Command::React => {
            if let Some(m) = selected_message(app)
                && m.delivery == Delivery::Confirmed
            {
                let mut choices: Vec<(i64, String)> = COMMON_EMOJI
                    .iter()
                    .map(|(id, name, _)| (*id, (*name).to_owned()))
                    .collect();
                for r in &m.reactions {
                    if !choices.iter().any(|(id, _)| *id == r.emoji_id) {
                        choices.push((r.emoji_id, r.name.clone()));
                    }
                }
                app.popup = Some(Popup::ReactionPicker {
                    channel: m.channel_id,
                    message_id: m.id,
                    choices,
                    selected: 0,
                });
            }
        }
        Command::Copy => {
            if let Some(m) = selected_message(app) {
                let text = app
                    .sent_text
                    .get(&m.id)
                    .cloned()
                    .unwrap_or_else(|| m.content.plain_text());
                fx.push(Effect::Copy(text));
                app.notify("Copied to the clipboard", false, now);
            }
        }
        Command::RevealSpoilers => {
            if let Some(tl) = current_timeline_mut(app)
                && let Some(id) = tl.selected.clone()
                && !tl.revealed.remove(&id)
            {
                tl.revealed.insert(id);
            }
        }
    }
}

fn cancel(app: &mut App) {
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

fn maybe_load_older(app: &mut App, fx: &mut Vec<Effect>) {
    let rows = app.timeline_rows();
    let Some(channel) = app.current.clone() else {
        return;
    };
    let Some(tl) = app.timelines.get_mut(&channel) else {
        return;
    };
    if tl.loaded && tl.has_past && !tl.loading_older && tl.near_top(rows) {
        tl.loading_older = true;
        fx.push(Effect::LoadHistory {
            channel,
            before: tl.oldest_time(),
            limit: HISTORY_PAGE,
        });
    }
}

fn popup_key(app: &mut App, key: KeyEvent, now: Instant, fx: &mut Vec<Effect>) {
    let Some(popup) = app.popup.take() else {
        return;
    };
    let code = key.code;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    app.popup = match popup {
        Popup::Help { scroll } => match code {
            KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?' | 'q') | KeyCode::Enter => None,
            KeyCode::Up | KeyCode::Char('k') => Some(Popup::Help {
                scroll: scroll.saturating_sub(1),
            }),
            KeyCode::Down | KeyCode::Char('j') => Some(Popup::Help {
                scroll: scroll.saturating_add(1),
            }),
            KeyCode::PageUp => Some(Popup::Help {
                scroll: scroll.saturating_sub(10),
            }),
            KeyCode::PageDown => Some(Popup::Help {
                scroll: scroll.saturating_add(10),
            }),
            _ => Some(Popup::Help { scroll }),
        },
        Popup::Switcher(mut sw) => match code {
            KeyCode::Esc => None,
            KeyCode::Enter => {
                if let Some(id) = sw.results.get(sw.selected).cloned() {
                    app.popup = None;
                    open_channel(app, &id, now, fx);
                    set_focus(app, Focus::Composer);
                    return;
                }
                None
            }
            KeyCode::Up | KeyCode::BackTab => {
                sw.selected = sw.selected.saturating_sub(1);
                Some(Popup::Switcher(sw))
            }
            KeyCode::Char('p') if ctrl => {
                sw.selected = sw.selected.saturating_sub(1);
                Some(Popup::Switcher(sw))
            }
            KeyCode::Down | KeyCode::Tab => {
                sw.selected = (sw.selected + 1).min(sw.results.len().saturating_sub(1));
                Some(Popup::Switcher(sw))
            }
            KeyCode::Char('n') if ctrl => {
                sw.selected = (sw.selected + 1).min(sw.results.len().saturating_sub(1));
                Some(Popup::Switcher(sw))
            }
            _ => {
                // The query is one line: Enter opens, so no newline can get in.
                if sw.query.handle_key(key) == Edit::Changed {
                    sw.selected = 0;
                    app.refresh_switcher(&mut sw);
                }
                Some(Popup::Switcher(sw))
            }
        },
        Popup::ConfirmDelete {
            channel,
            message_id,
        } => match code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                delete_message(app, &channel, &message_id, fx);
                None
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => None,
            _ => Some(Popup::ConfirmDelete {
                channel,
                message_id,
            }),
        },
        Popup::ReactionPicker {
            channel,
            message_id,
            choices,
            mut selected,
        } => {
            let n = choices.len();
            match code {
                KeyCode::Esc => None,
                KeyCode::Left | KeyCode::Up | KeyCode::Char('h' | 'k') => {
                    selected = selected.saturating_sub(1);
                    Some(Popup::ReactionPicker {
                        channel,
                        message_id,
                        choices,
                        selected,
                    })
                }
                KeyCode::Right | KeyCode::Down | KeyCode::Char('l' | 'j') => {
                    selected = (selected + 1).min(n.saturating_sub(1));
                    Some(Popup::ReactionPicker {
                        channel,
                        message_id,
                        choices,
                        selected,
                    })
                }
                KeyCode::Enter | KeyCode::Char('1'..='9') => {
                    let pick = match code {
                        KeyCode::Char(c) => c.to_digit(10).map_or(0, |d| d as usize - 1),
                        _ => selected,
                    };
                    if let Some((emoji, name)) = choices.get(pick) {
                        toggle_reaction(app, &channel, &message_id, *emoji, name, fx);
                    }
                    None
                }
                _ => Some(Popup::ReactionPicker {
                    channel,
                    message_id,
                    choices,
                    selected,
                }),
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Sending, editing, deleting, reacting

/// `@name` → a person mention, using the channel's team members (or DM users and us).
fn mention_candidates(app: &App, channel: &str) -> Vec<User> {
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

fn send(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let Some(channel) = app.current.clone() else {
        return;
    };
    let text = app.composer.text().trim_end().to_owned();
    if text.trim().is_empty() {
        return;
    }
    let members = mention_candidates(app, &channel);
    let resolve = |name: &str| -> Option<(MentionKind, String, String)> {
        let name = name.strip_prefix('@').unwrap_or(name);
        match name.to_lowercase().as_str() {
            "everyone" => {
                return Some((MentionKind::Everyone, "everyone".into(), "@everyone".into()));
            }
            "here" => return Some((MentionKind::Here, "here".into(), "@here".into())),
            _ => {}
        }
        members
            .iter()
            .find(|u| {
                u.name.eq_ignore_ascii_case(name)
                    || u.nickname
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|u| {
                (
                    MentionKind::Person,
                    u.id.clone(),
                    format!("@{}", u.display_name()),
                )
            })
    };
    let content = from_markdown(&text, &resolve);
    let wall = app.wall_now(now);
    if let Some(message_id) = app.composer.editing.take() {
        if let Some(tl) = app.timelines.get_mut(&channel) {
            tl.update_content(&message_id, content.clone(), Some(wall));
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
    let replies_to: Vec<String> = app.composer.reply_to.take().into_iter().collect();
    let message_id = app.next_message_id();
    let echo = Message {
        id: message_id.clone(),
        channel_id: channel.clone(),
        author_id: app.me.id.clone(),
        created_at: wall,
        edited_at: None,
        content: content.clone(),
        replies_to: replies_to.clone(),
        reactions: Vec::new(),
        delivery: Delivery::Pending,
        is_system: false,
        is_pinned: false,
        mentions_me: false,
    };
    let limit = app.settings.history_limit;
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

fn retry_failed(app: &mut App, fx: &mut Vec<Effect>) {
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
            content: m.content,
            replies_to: m.replies_to,
        });
    }
}

fn edit_last(app: &mut App) {
    let me = app.me.id.clone();
    if let Some(m) = app.timeline().and_then(|tl| tl.last_by(&me)).cloned() {
        start_edit(app, &m);
    }
}

fn start_edit(app: &mut App, m: &Message) {
    if m.author_id != app.me.id {
        return;
    }
    match m.delivery {
        Delivery::Confirmed => {
            if !app.composer.is_empty() {
                app.composer.saved_draft = Some(app.composer.text().to_owned());
            }
            let reply = app.composer.reply_to.take();
            let saved = app.composer.saved_draft.take();
            app.composer.clear();
            app.composer.set_text(&m.content.plain_text());
            app.composer.editing = Some(m.id.clone());
            app.composer.saved_draft = saved;
            app.composer.reply_to = reply.filter(|_| false);
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

fn delete_message(app: &mut App, channel: &ChannelId, message_id: &str, fx: &mut Vec<Effect>) {
    let Some(tl) = app.timelines.get_mut(channel) else {
        return;
    };
    let confirmed = tl
        .get(message_id)
        .is_some_and(|m| m.delivery == Delivery::Confirmed);
    tl.remove(message_id);
    app.sent_text.remove(message_id);
    if confirmed {
        fx.push(Effect::DeleteMessage {
            channel: channel.clone(),
            message_id: message_id.to_owned(),
        });
    }
}

fn toggle_reaction(
    app: &mut App,
    channel: &ChannelId,
    message_id: &str,
    emoji_id: i64,
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
    let (channel, message_id) = (channel.clone(), message_id.to_owned());
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
    }
}

// ---------------------------------------------------------------------------------------------
// Channels

fn select_team(app: &mut App, team: &str, now: Instant, fx: &mut Vec<Effect>) {
    app.selected_team = Some(team.to_owned());
    let target = app
        .team_last_channel(team)
        .or_else(|| app.team_chat_channels(team).into_iter().next());
    if let Some(id) = target {
        open_channel(app, &id, now, fx);
    }
}

/// Open a channel: keep the old draft, bring this one's, mark it read, load its history.
pub(super) fn open_channel(app: &mut App, id: &str, now: Instant, fx: &mut Vec<Effect>) {
    let Some(ch) = app.channels.get(id) else {
        return;
    };
    if !ch.is_chat() {
        app.notify(
            format!(
                "#{} is a {} channel; gilt shows chat only",
                ch.name, ch.content_type
            ),
            false,
            now,
        );
        return;
    }
    let team = ch.team_id().cloned();
    let id = ch.id.clone();
    if app.current.as_ref() != Some(&id) {
        if let Some(old) = app.current.take() {
            app.typing.stop(&old);
            if let Some(tl) = app.timelines.get_mut(&old) {
                tl.selected = None;
            }
            let draft = std::mem::take(&mut app.composer);
            if draft == Composer::default() {
                app.drafts.remove(&old);
            } else {
                app.drafts.insert(old, draft);
            }
        }
        app.composer = app.drafts.remove(&id).unwrap_or_default();
        app.current = Some(id.clone());
        if app.focus == Focus::Timeline {
            app.focus = Focus::Composer;
        }
    }
    if let Some(team) = &team {
        app.selected_team = Some(team.clone());
        app.note_team_last(team, &id);
    }
    app.note_recent(&id);
    if let Some(ch) = app.channels.get_mut(&id)
        && (ch.unread > 0 || ch.mentions > 0)
    {
        ch.unread = 0;
        ch.mentions = 0;
        fx.push(Effect::MarkSeen {
            channel: id.clone(),
        });
    }
    ensure_loaded(app, &id, fx);
    fx.push(Effect::SaveState(app.persisted_state()));
}

/// Make sure the channel's history is loaded and it is the most recently used; drop the least
/// recently used histories beyond `loaded_channels`.
fn ensure_loaded(app: &mut App, id: &ChannelId, fx: &mut Vec<Effect>) {
    let mut changed = false;
    let limit = app.settings.history_limit;
    if !app
        .timelines
        .get(id)
        .is_some_and(|t| t.loaded || !t.is_empty())
    {
        let tl = app
            .timelines
            .entry(id.clone())
            .or_insert_with(|| Timeline::new(limit));
        if !tl.loaded {
            fx.push(Effect::LoadHistory {
                channel: id.clone(),
                before: None,
                limit: HISTORY_PAGE,
            });
        }
    }
    if app.lru.back() != Some(id) {
        let before = app.lru.len();
        app.lru.retain(|c| c != id);
        changed |= app.lru.len() == before;
        app.lru.push_back(id.clone());
    }
    while app.lru.len() > app.settings.loaded_channels {
        let Some(old) = app.lru.pop_front() else {
            break;
        };
        if app.current.as_ref() == Some(&old) {
            app.lru.push_back(old);
            break;
        }
        // A channel with unsent echoes keeps its history (the echoes must not be lost).
        if app
            .timelines
            .get(&old)
            .is_some_and(|t| t.iter().any(|m| m.delivery != Delivery::Confirmed))
        {
            app.lru.push_back(old);
            continue;
        }
        app.timelines.remove(&old);
        changed = true;
    }
    if changed {
        fx.push(Effect::TrackChannels {
            channels: app.lru.iter().cloned().collect(),
        });
    }
}

fn load(app: &mut App, data: InitialData, now: Instant, fx: &mut Vec<Effect>) {
    app.users.insert(data.me.id.clone(), data.me.clone());
    app.me = data.me;
    for u in data.users {
        app.users.insert(u.id.clone(), u);
    }
    for team in data.teams {
        apply_team(app, team);
    }
    let mut dms = data.dms;
    dms.sort_by_key(|d| std::cmp::Reverse(d.last_activity));
    for dm in dms {
        upsert_dm(app, dm);
    }
    app.loaded = true;
    let restore = app.pending_restore.take().unwrap_or_default();
    apply_restore(app, restore, now, fx);
    if app.current.is_none()
        && let Some(id) = app.default_channel()
    {
        open_channel(app, &id, now, fx);
    }
}

fn restore(app: &mut App, state: PersistedState, now: Instant, fx: &mut Vec<Effect>) {
    if app.loaded {
        apply_restore(app, state, now, fx);
    } else {
        app.pending_restore = Some(state);
    }
}

fn apply_restore(app: &mut App, state: PersistedState, now: Instant, fx: &mut Vec<Effect>) {
    for (channel, text) in state.drafts {
        if app.current.as_ref() == Some(&channel) {
            if app.composer.is_empty() {
                app.composer.set_text(&text);
            }
        } else if !app.drafts.contains_key(&channel) && !text.is_empty() {
            app.drafts.insert(channel, Composer::with_text(&text));
        }
    }
    if let Some(last) = state.last_channel
        && app.channels.get(&last).is_some_and(Channel::is_chat)
    {
        open_channel(app, &last, now, fx);
    }
}

fn upsert_dm(app: &mut App, dm: Channel) {
    let id = dm.id.clone();
    match app.channels.get_mut(&id) {
        Some(existing) => {
            existing.name = dm.name;
            existing.kind = dm.kind;
            existing.topic = dm.topic;
        }
        None => {
            app.channels.insert(id.clone(), dm);
        }
    }
    if !app.dms.contains(&id) {
        app.dms.push(id);
    }
}

fn apply_team(app: &mut App, data: TeamData) {
    let idx = if let Some(i) = app.teams.iter().position(|t| t.id == data.id) {
        i
    } else {
        app.teams.push(Team {
            id: data.id.clone(),
            ..Team::default()
        });
        app.teams.len() - 1
    };
    for ch in data.channels {
        match app.channels.get_mut(&ch.id) {
            Some(existing) => {
                let (unread, mentions, last) =
                    (existing.unread, existing.mentions, existing.last_activity);
                *existing = ch;
                existing.unread = unread;
                existing.mentions = mentions;
                existing.last_activity = existing.last_activity.max(last);
            }
            None => {
                app.channels.insert(ch.id.clone(), ch);
            }
        }
    }
    let Some(team) = app.teams.get_mut(idx) else {
        return;
    };
    if !data.name.is_empty() {
        team.name = data.name;
    }
    for m in data.members {
        team.members.insert(m.id.clone(), m);
    }
    team.channels_loaded |= data.channels_loaded;
    let categories = if data.categories.is_empty() {
        std::mem::take(&mut team.categories)
    } else {
        data.categories
    };
    rearrange(app, idx, categories);
}

/// Re-sort one team's channel tree from the channels it owns.
fn rearrange(app: &mut App, idx: usize, categories: Vec<super::model::Category>) {
    let Some(team) = app.teams.get_mut(idx) else {
        return;
    };
    let team_id = team.id.clone();
    let channels: Vec<&Channel> = app
        .channels
        .values()
        .filter(|c| c.team_id() == Some(&team_id))
        .collect();
    arrange_team(team, categories, &channels);
}

fn history(
    app: &mut App,
    channel: &ChannelId,
    messages: Vec<Message>,
    has_past: bool,
    older: bool,
) {
    let me = app.me.id.clone();
    let Some(tl) = app.timelines.get_mut(channel) else {
        return;
    };
    if older {
        tl.loading_older = false;
        tl.has_past = has_past;
    } else if !tl.loaded {
        tl.has_past = has_past;
    }
    tl.loaded = true;
    for mut m in messages {
        m.mentions_me = m.mentions_me || mentions_user(&m.content, &me);
        if tl.insert(m) == Inserted::Confirmed {
            // A backfill can confirm an echo whose gateway event was missed.
        }
    }
    let newest = tl.newest_time();
    if let Some(ch) = app.channels.get_mut(channel) {
        ch.last_activity = ch.last_activity.max(newest);
    }
}

// ---------------------------------------------------------------------------------------------
// Gateway events

fn fold_chat(app: &mut App, event: ChatEvent, now: Instant, fx: &mut Vec<Effect>) {
    let me = app.me.id.clone();
    match event {
        ChatEvent::MessageCreated { mut message, .. } => {
            let channel = message.channel_id.clone();
            let author = message.author_id.clone();
            let from_me = author == me;
            message.mentions_me =
                !from_me && (message.mentions_me || mentions_user(&message.content, &me));
            app.typing.user_stopped(&channel, &author);
            let created = message.created_at;
            let mentions_me = message.mentions_me;
            let message_id = message.id.clone();
            if let Some(tl) = app.timelines.get_mut(&channel) {
                match tl.insert(message) {
                    Inserted::New => {}
                    Inserted::Confirmed => {
                        app.sent_text.remove(&message_id);
                        return;
                    }
                    Inserted::Duplicate | Inserted::Ignored => return,
                }
            }
            let is_dm = match app.channels.get_mut(&channel) {
                Some(ch) => {
                    ch.last_activity = ch.last_activity.max(Some(created));
                    let is_dm = ch.is_dm();
                    if !from_me && app.current.as_ref() != Some(&channel) {
                        ch.unread = ch.unread.saturating_add(1);
                        if mentions_me || is_dm {
                            ch.mentions = ch.mentions.saturating_add(1);
                        }
                    }
                    is_dm
                }
                None => false,
            };
            if is_dm {
                app.bump_dm(&channel);
            }
            if mentions_me && app.settings.bell_on_mention {
                fx.push(Effect::Bell);
            }
        }
        ChatEvent::MessageUpdated {
            channel,
            message_id,
            content,
            edited_at,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.update_content(&message_id, content, edited_at);
            }
        }
        ChatEvent::MessageDeleted {
            channel,
            message_id,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.remove(&message_id);
            }
            app.sent_text.remove(&message_id);
        }
        ChatEvent::Typing { channel, user } => {
            if user != me {
                app.typing.user_typing(&channel, &user, now);
            }
        }
        ChatEvent::ReactionAdded {
            channel,
            message_id,
            emoji_id,
            emoji_name,
            user,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.add_reaction(&message_id, emoji_id, emoji_name.as_deref(), &user, &me);
            }
        }
        ChatEvent::ReactionRemoved {
            channel,
            message_id,
            emoji_id,
            user,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.remove_reaction(&message_id, emoji_id, &user, &me);
            }
        }
        ChatEvent::PinChanged {
            channel,
            message_id,
            pinned,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.set_pinned(&message_id, pinned);
            }
        }
        ChatEvent::DmCreated { mut channel, users } => {
            if let ChannelKind::Dm { users: ids } = &mut channel.kind {
                ids.retain(|u| *u != me);
            }
            if channel.name.is_empty() {
                channel.name = users
                    .iter()
                    .filter(|u| u.id != me)
                    .map(User::display_name)
                    .collect::<Vec<_>>()
                    .join(", ");
            }
            for u in users {
                if u.id != me {
                    app.users.insert(u.id.clone(), u);
                }
            }
            let id = channel.id.clone();
            upsert_dm(app, channel);
            app.bump_dm(&id);
        }
        ChatEvent::ChannelUpserted(channel) => {
            let Some(team_id) = channel.team_id().cloned() else {
                upsert_dm(app, channel);
                return;
            };
            let Some(idx) = app.teams.iter().position(|t| t.id == team_id) else {
                return;
            };
            match app.channels.get_mut(&channel.id) {
                Some(existing) => {
                    let (unread, mentions, last) =
                        (existing.unread, existing.mentions, existing.last_activity);
                    *existing = channel;
                    existing.unread = unread;
                    existing.mentions = mentions;
                    existing.last_activity = last;
                }
                None => {
                    app.channels.insert(channel.id.clone(), channel);
                }
            }
            let categories = app
                .teams
                .get_mut(idx)
                .map(|t| std::mem::take(&mut t.categories))
                .unwrap_or_default();
            rearrange(app, idx, categories);
        }
        ChatEvent::ChannelDeleted { team_id, channel } => {
            remove_channel(app, &channel, now, fx);
            if let Some(idx) = app.teams.iter().position(|t| t.id == team_id) {
                let categories = app
                    .teams
                    .get_mut(idx)
                    .map(|t| std::mem::take(&mut t.categories))
                    .unwrap_or_default();
                rearrange(app, idx, categories);
            }
        }
        ChatEvent::MemberJoined { team_id, user } => {
            if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id) {
                t.members.insert(user.id.clone(), user);
            }
        }
        ChatEvent::MemberRemoved { team_id, user } => {
            if user == me {
                remove_team(app, &team_id, now, fx);
            } else if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id) {
                t.members.remove(&user);
            }
        }
        ChatEvent::MemberUpdated {
            team_id,
            user,
            name,
            nickname,
        } => {
            if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id) {
                let m = t.members.entry(user.clone()).or_insert_with(|| User {
                    id: user.clone(),
                    ..User::default()
                });
                if let Some(name) = name {
                    m.name = name;
                }
                if let Some(nick) = nickname {
                    m.nickname = nick;
                }
            }
        }
        ChatEvent::ChannelSeen { channel } => {
            if let Some(ch) = app.channels.get_mut(&channel) {
                ch.unread = 0;
                ch.mentions = 0;
            }
        }
        ChatEvent::TeamsChanged { team_id, removed } => {
            if removed {
                remove_team(app, &team_id, now, fx);
            } else if !app.teams.iter().any(|t| t.id == team_id) {
                fx.push(Effect::LoadTeam { team: team_id });
            }
        }
    }
}

fn remove_channel(app: &mut App, channel: &str, now: Instant, fx: &mut Vec<Effect>) {
    if !app.channels.contains_key(channel) {
        return;
    }
    app.channels.remove(channel);
    app.timelines.remove(channel);
    app.drafts.remove(channel);
    app.lru.retain(|c| c != channel);
    app.dms.retain(|c| c != channel);
    if app.current.as_deref() == Some(channel) {
        app.current = None;
        app.composer = Composer::default();
        if let Some(id) = app.default_channel() {
            open_channel(app, &id, now, fx);
        }
    }
    // The sidebar lost a row: keep the cursor on one.
    let rows = app.sidebar_entries().len();
    app.sidebar_cursor = app.sidebar_cursor.min(rows.saturating_sub(1));
}

fn remove_team(app: &mut App, team: &str, now: Instant, fx: &mut Vec<Effect>) {
    let channels: Vec<ChannelId> = app
        .channels
        .values()
        .filter(|c| c.team_id().map(String::as_str) == Some(team))
        .map(|c| c.id.clone())
        .collect();
    app.teams.retain(|t| t.id != team);
    if app.selected_team.as_deref() == Some(team) {
        app.selected_team = None;
    }
    for c in channels {
        remove_channel(app, &c, now, fx);
    }
    let rows = app.sidebar_entries().len();
    app.sidebar_cursor = app.sidebar_cursor.min(rows.saturating_sub(1));
}

/// How long before a reconnect attempt the countdown ticks again (see `App::next_deadline`).
pub(super) const COUNTDOWN_TICK: Duration = Duration::from_secs(1);
