//! What can be written to the store, and how each write is applied.
//!
//! A `Write` is plain data in the app's own terms (no SQL, no IO), so it can be produced
//! anywhere, e.g. as the payload of an effect, and applied later on the store's thread.

use std::collections::BTreeSet;

use rusqlite::Connection;

use super::messages::{self, Upserted};
use super::outbox;
use super::rows;
use super::sidebar;
use super::spans;
use super::state;
use crate::app::persist::Write;
use crate::app::timeline::{add_reaction, remove_reaction};

/// What the writes of a batch did that the limits care about.
#[derive(Debug, Default)]
pub struct Tally {
    /// Messages inserted since the limits were last checked.
    pub new_messages: usize,
    /// The channels they went to.
    pub channels: BTreeSet<String>,
}

/// Apply one write.
pub fn apply(conn: &Connection, write: &Write, tally: &mut Tally) -> rusqlite::Result<()> {
    match write {
        Write::Loaded(data) => sidebar::loaded(conn, data),
        Write::Team(team) => sidebar::upsert_team(conn, team, None),
        Write::RemoveTeam(team) => sidebar::remove_team(conn, team.as_str()),
        Write::Channel(channel) => sidebar::upsert_channel(conn, channel),
        Write::RemoveChannel(channel) => sidebar::remove_channel(conn, channel.as_str()),
        Write::Users(users) => users
            .iter()
            .try_for_each(|user| sidebar::upsert_user(conn, user)),
        Write::Member { team, user } => sidebar::upsert_member(conn, team.as_str(), user),
        Write::Messages(list) => {
            for message in list {
                if messages::upsert(conn, message)? == Upserted::Inserted {
                    tally.new_messages += 1;
                    if !tally.channels.contains(message.channel_id.as_str()) {
                        tally
                            .channels
                            .insert(message.channel_id.as_str().to_owned());
                    }
                }
            }
            Ok(())
        }
        Write::Span { channel, from, to } => spans::extend(
            conn,
            channel.as_str(),
            from.map_or(spans::BEGINNING, rows::micros),
            rows::micros(*to),
        ),
        Write::Edit {
            message_id,
            content,
            edited_at,
        } => messages::edit(conn, message_id.as_str(), content, *edited_at),
        Write::Reaction {
            message_id,
            emoji_id,
            emoji_name,
            user,
            me,
            added,
        } => messages::react(conn, message_id.as_str(), |reactions| {
            if *added {
                add_reaction(reactions, *emoji_id, emoji_name.as_deref(), user, me)
            } else {
                remove_reaction(reactions, *emoji_id, user, me)
            }
        }),
        Write::Pin { message_id, pinned } => messages::pin(conn, message_id.as_str(), *pinned),
        Write::DeleteMessage(id) => messages::delete(conn, id.as_str()),
        Write::ReadMarker(marker) => state::set_read_marker(conn, marker),
        Write::Draft { channel, text } => state::set_draft(conn, channel.as_str(), text),
        Write::SaveState(persisted) => state::save(conn, persisted),
        Write::OutboxPut(entry) => outbox::put(conn, entry),
        Write::OutboxAttempt(id) => outbox::attempt(conn, id.as_str()),
        Write::OutboxSent(id) => outbox::mark_sent(conn, id.as_str()),
        Write::OutboxFailed { message_id, error } => {
            outbox::mark_failed(conn, message_id.as_str(), error)
        }
        Write::OutboxRemove(id) => outbox::remove(conn, id.as_str()),
    }
}
