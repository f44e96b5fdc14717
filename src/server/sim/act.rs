//! Carrying out the simulator's plans through the same actions REST uses, and the demo
//! schedule that calls `step` every few seconds.

use std::sync::Arc;

use jiff::Timestamp;

use super::{Planned, SimAction};
use crate::protocol::content;
use crate::server::Shared;
use crate::server::rng::Rng;
use crate::server::store::{Message, mention_resolver};

/// A stable, fake `guildedClientId` for a simulated member's events.
fn client_id_of(user: &str) -> String {
    let mut rng = Rng::new(user.bytes().fold(0xC11E_u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    }));
    rng.uuid().simple().to_string()
}

/// Perform the next simulated action now, whatever the schedule says.
pub(crate) fn step(shared: &Shared) -> Option<SimAction> {
    let (planned, new_id) = {
        let mut sim = shared.sim();
        let store = shared.store();
        let planned = sim.next(&store)?;
        (planned, sim.rng.uuid().to_string())
    };
    let result = match planned {
        Planned::Typing { user, channel } => shared
            .typing(&user, &channel)
            .map(|()| SimAction::Typing { user, channel }),
        Planned::Post {
            user,
            channel,
            text,
            reply_to,
        } => {
            let content = {
                let store = shared.store();
                let resolve = mention_resolver(&store.users);
                content::to_document(&content::from_markdown(&text, &resolve))
            };
            let m = Message {
                id: new_id.clone(),
                channel_id: channel.clone(),
                author: user.clone(),
                created_at: Timestamp::now(),
                edited_at: None,
                content,
                replies_to: reply_to.iter().cloned().collect(),
                is_silent: false,
                is_private: false,
                reactions: Vec::new(),
                pinned_by: None,
            };
            let cid = client_id_of(&user);
            shared.post_message(m, Some(&cid)).map(|_| {
                shared
                    .sim()
                    .posted
                    .push((channel.clone(), new_id.clone(), user.clone()));
                SimAction::Posted {
                    user,
                    channel,
                    message_id: new_id,
                    reply_to,
                }
            })
        }
        Planned::React {
            user,
            channel,
            message_id,
            emoji,
        } => shared
            .set_reaction(
                &user,
                &channel,
                &message_id,
                emoji,
                true,
                Some(&client_id_of(&user)),
            )
            .map(|_| SimAction::Reacted {
                user,
                channel,
                message_id,
                emoji,
            }),
        Planned::Edit {
            user,
            channel,
            message_id,
            text,
        } => {
            let edited = {
                let store = shared.store();
                let resolve = mention_resolver(&store.users);
                let old = store
                    .message(&channel, &message_id)
                    .map(|m| content::parse_document_value(&m.content));
                let old_text = match old {
                    Some(Ok(rich)) => rich.plain_text(),
                    _ => String::new(),
                };
                content::to_document(&content::from_markdown(
                    &format!("{old_text} {text}"),
                    &resolve,
                ))
            };
            shared
                .edit_message(
                    &user,
                    &channel,
                    &message_id,
                    edited,
                    Some(&client_id_of(&user)),
                )
                .map(|_| SimAction::Edited {
                    user,
                    channel,
                    message_id,
                })
        }
        Planned::Delete {
            user,
            channel,
            message_id,
        } => shared
            .delete_message(&user, &channel, &message_id, Some(&client_id_of(&user)))
            .map(|_| SimAction::Deleted {
                user,
                channel,
                message_id,
            }),
        Planned::Thread {
            user,
            channel,
            message_id,
            name,
        } => shared
            .create_thread(&user, &channel, &name, Some(&message_id))
            .map(|thread| SimAction::ThreadStarted {
                user,
                channel,
                message_id,
                thread: thread["id"].as_str().unwrap_or_default().to_owned(),
            }),
        Planned::Pin {
            user,
            channel,
            message_id,
            pin,
        } => shared
            .set_pin(
                &user,
                &channel,
                &message_id,
                pin,
                Some(&client_id_of(&user)),
            )
            .map(|_| SimAction::Pinned {
                user,
                channel,
                message_id,
                pinned: pin,
            }),
        Planned::Rename {
            user,
            channel,
            name,
        } => shared
            .rename_channel(&channel, &name)
            .map(|()| SimAction::Renamed {
                user,
                channel,
                name,
            }),
        Planned::Presence {
            user,
            status,
            chosen,
        } => if chosen {
            shared.set_presence(&user, status)
        } else {
            shared.drift_presence(&user, status)
        }
        .map(|()| SimAction::PresenceChanged {
            user,
            status,
            chosen,
        }),
        Planned::Content {
            user,
            channel,
            title,
            reply,
        } => shared
            .post_content(&user, &channel, &title, reply)
            .map(|_| SimAction::ContentPosted {
                user,
                channel,
                title,
                reply,
            }),
        Planned::Voice { user, channel } => shared
            .set_voice(&user, channel.as_deref())
            .map(|()| SimAction::Voice { user, channel }),
        Planned::Leave { team, user } => {
            let nickname = shared
                .store()
                .team(&team)
                .and_then(|t| t.members.iter().find(|m| m.user_id == user))
                .and_then(|m| m.nickname.clone());
            shared.remove_member(&team, &user).map(|()| {
                shared
                    .sim()
                    .left
                    .push((team.clone(), user.clone(), nickname));
                SimAction::Left { team, user }
            })
        }
        Planned::Join {
            team,
            user,
            nickname,
        } => shared
            .add_member(&team, &user, nickname)
            .map(|()| SimAction::Joined { team, user }),
    };
    match result {
        Ok(action) => {
            tracing::debug!(?action, "simulated");
            Some(action)
        }
        Err(e) => {
            // The world moved under the plan (a message was deleted); just skip it.
            tracing::debug!("simulated action skipped: {e}");
            None
        }
    }
}

/// The demo schedule: one action every few seconds until the server stops.
pub(crate) async fn run(shared: Arc<Shared>) {
    loop {
        let delay = shared.sim().next_delay();
        tokio::time::sleep(delay).await;
        step(&shared);
    }
}
