//! New DMs: choosing a person in the switcher opens the DM with them, or asks the server for
//! one (`Effect::OpenDm`) and opens it when it arrives (the answer or `DMChatChannelCreated`).

use std::time::Instant;

use super::channels::{open_channel, set_focus};
use crate::app::model::{ChannelId, ChannelKind, UserId};
use crate::app::msg::Effect;
use crate::app::{App, Focus};
use crate::sanitize::sanitize;

/// Open the 1:1 DM with `user`, creating it if there is none.
pub(super) fn open_dm_with(app: &mut App, user: &UserId, now: Instant, fx: &mut Vec<Effect>) {
    if let Some(id) = one_to_one(app, user) {
        open_channel(app, &id, fx);
        set_focus(app, Focus::Composer);
        return;
    }
    app.dm_pending = Some(user.clone());
    fx.push(Effect::OpenDm {
        me: app.me.id.clone(),
        user: user.clone(),
    });
    let (name, _) = app.person_names(user);
    app.notify(
        format!("Opening a DM with {}…", sanitize(&name)),
        false,
        now,
    );
}

/// A DM arrived: if it is the one we asked for, open it.
pub(super) fn dm_arrived(app: &mut App, id: &ChannelId, fx: &mut Vec<Effect>) {
    let Some(user) = app.dm_pending.clone() else {
        return;
    };
    if one_to_one(app, &user).as_ref() == Some(id) {
        app.dm_pending = None;
        open_channel(app, id, fx);
        set_focus(app, Focus::Composer);
    }
}

/// The 1:1 DM with `user`, if one is known.
fn one_to_one(app: &App, user: &UserId) -> Option<ChannelId> {
    app.dms
        .iter()
        .find(|d| {
            app.channels.get(*d).is_some_and(|c| {
                matches!(&c.kind, ChannelKind::Dm { users } if users.len() == 1 && &users[0] == user)
            })
        })
        .cloned()
}
