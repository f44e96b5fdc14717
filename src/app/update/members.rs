//! Members and presence: presence, role colours, pruned members, renamed users and nicknames
//! folded into the model; the member pane (`Alt-m`, scrolled with `Alt-PageUp/PageDown`) and
//! the session user's own status (`Alt-o`, a small popup, `POST /users/me/presence`).

use std::time::Instant;

use super::channels::remove_team;
use crate::app::command::Command;
use crate::app::convert::dm_title;
use crate::app::model::{ChannelKind, User, UserId};
use crate::app::msg::{ChatEvent, Effect};
use crate::app::presence::{MEMBER_PANE_MIN_WIDTH, OwnStatus};
use crate::app::{App, Popup};

/// Fold a members-and-presence event.
pub(super) fn fold_members(app: &mut App, event: ChatEvent, fx: &mut Vec<Effect>) {
    match event {
        ChatEvent::Presence(list) => {
            for (user, status) in list {
                app.presence.set(&user, status);
            }
        }
        ChatEvent::RoleColors { team_id, colors } if app.teams.iter().any(|t| t.id == team_id) => {
            app.presence.set_role_colors(&team_id, colors);
        }
        ChatEvent::MembersRemoved { team_id, users } => {
            if users.contains(&app.me.id) {
                remove_team(app, &team_id, fx);
                app.presence.forget_team(&team_id);
            } else if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id) {
                for u in &users {
                    t.members.remove(u);
                }
            }
        }
        ChatEvent::UserRenamed { user, name } => rename_user(app, &user, &name),
        // Only channels we know: a hostile server cannot grow this with made-up ids.
        ChatEvent::VoiceJoined { channel, user } if app.channels.contains_key(&channel) => {
            app.presence.join_voice(&channel, &user);
        }
        ChatEvent::VoiceLeft { channel, user } => {
            app.presence.leave_voice(channel.as_ref(), &user);
        }
        ChatEvent::VoiceParticipants { channel, users } if app.channels.contains_key(&channel) => {
            app.presence.set_voice(&channel, users);
        }
        ChatEvent::NicknameEverywhere { user, nickname } => {
            for t in &mut app.teams {
                if let Some(m) = t.members.get_mut(&user) {
                    m.nickname.clone_from(&nickname);
                }
            }
        }
        _ => {}
    }
    clamp_scroll(app);
}

/// A user's account name changed: members, DM partners, the session user, and the titles of
/// unnamed DMs (those whose title was built from their users' names).
fn rename_user(app: &mut App, user: &UserId, name: &str) {
    let me = app.me.id.clone();
    let dm_users = |app: &App, users: &[UserId]| -> Vec<User> {
        users
            .iter()
            .filter_map(|u| app.users.get(u).cloned())
            .collect()
    };
    // Which DMs show a title built from names, before the rename changes them.
    let derived: Vec<_> = app
        .dms
        .iter()
        .filter_map(|id| {
            let ch = app.channels.get(id)?;
            let ChannelKind::Dm { users } = &ch.kind else {
                return None;
            };
            (users.contains(user) && ch.name == dm_title(&dm_users(app, users), &me))
                .then(|| (id.clone(), users.clone()))
        })
        .collect();
    if let Some(u) = app.users.get_mut(user) {
        name.clone_into(&mut u.name);
    }
    for t in &mut app.teams {
        if let Some(m) = t.members.get_mut(user) {
            name.clone_into(&mut m.name);
        }
    }
    if *user == me {
        name.clone_into(&mut app.me.name);
    }
    for (id, users) in derived {
        let title = dm_title(&dm_users(app, &users), &me);
        if let Some(ch) = app.channels.get_mut(&id) {
            ch.name = title;
        }
    }
}

/// `Alt-m`: show or hide the member pane (starting at the top). On a narrow terminal it is
/// kept hidden until there is room, and the status bar says why.
pub(super) fn toggle_pane(app: &mut App, now: Instant) {
    app.member_pane.shown = !app.member_pane.shown;
    app.member_pane.scroll = 0;
    if app.member_pane.shown && app.size.0 < MEMBER_PANE_MIN_WIDTH {
        app.notify(
            format!("The member pane shows from {MEMBER_PANE_MIN_WIDTH} columns up"),
            false,
            now,
        );
    }
}

/// Scroll the member pane by half a screen.
pub(super) fn scroll_pane(app: &mut App, down: bool) {
    if !app.member_pane.shown {
        return;
    }
    let step = usize::from(app.size.1 / 2).max(1);
    app.member_pane.scroll = if down {
        app.member_pane.scroll.saturating_add(step)
    } else {
        app.member_pane.scroll.saturating_sub(step)
    };
    clamp_scroll(app);
}

/// Keep the pane's scroll inside its list (members leave, channels change).
fn clamp_scroll(app: &mut App) {
    if app.member_pane.scroll > 0 {
        let last = app.member_rows().saturating_sub(1);
        app.member_pane.scroll = app.member_pane.scroll.min(last);
    }
}

/// The open channel changed: the member pane starts at the top of its list.
pub(super) fn channel_changed(app: &mut App) {
    app.member_pane.scroll = 0;
}

/// `Alt-o`: choose one's own status, the current one selected.
pub(super) fn open_status(app: &mut App) {
    let current = app.my_presence();
    let selected = OwnStatus::ALL
        .iter()
        .position(|s| *s == current)
        .unwrap_or(0);
    app.popup = Some(Popup::Status { selected });
}

/// A key in the status popup: move, set the selected status, or close.
pub(super) fn status_command(
    app: &mut App,
    selected: usize,
    command: Command,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> Option<Popup> {
    let last = OwnStatus::ALL.len() - 1;
    let selected = match command {
        Command::StatusClose => return None,
        Command::StatusUp => selected.saturating_sub(1),
        Command::StatusDown => (selected + 1).min(last),
        Command::StatusPick => {
            let status = OwnStatus::ALL[selected.min(last)];
            set_status(app, status, now, fx);
            return None;
        }
        _ => selected,
    };
    Some(Popup::Status { selected })
}

/// Set our own status: shown at once, sent to the server (a failure puts the old one back).
fn set_status(app: &mut App, status: OwnStatus, now: Instant, fx: &mut Vec<Effect>) {
    let previous = app.presence.mine;
    app.presence.mine = Some(status);
    fx.push(Effect::SetPresence { status, previous });
    app.notify(format!("Status: {}", status.label()), false, now);
}
