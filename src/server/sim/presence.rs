//! The simulated members' comings and goings: now and then one changes status (chosen, or
//! drifting idle and offline and back), and rarely one leaves a team and later comes back.

use super::{Planned, Simulator};
use crate::server::store::Store;

/// Statuses a member chooses by hand, and how they drift on their own.
const CHOSEN: [u8; 3] = [1, 2, 3];
const DRIFT: [u8; 3] = [1, 2, 4];

impl Simulator {
    /// Rolls 30..36: a status change; roll 29: a member leaves the team (never its owner or
    /// the demo user), or one who left comes back.
    pub(super) fn presence_plan(
        &mut self,
        store: &Store,
        roll: usize,
        user: &str,
        channel: &str,
    ) -> Option<Planned> {
        match roll {
            30..33 => Some(Planned::Presence {
                user: user.to_owned(),
                status: *self.rng.pick(&CHOSEN)?,
                chosen: true,
            }),
            33..36 => Some(Planned::Presence {
                user: user.to_owned(),
                status: *self.rng.pick(&DRIFT)?,
                chosen: false,
            }),
            29 => {
                if let Some((team, who, nickname)) = self.left.pop() {
                    return Some(Planned::Join {
                        team,
                        user: who,
                        nickname,
                    });
                }
                let team = store.team(store.channel(channel)?.team_id()?)?;
                if user == team.owner_id || user == self.demo_user {
                    return None;
                }
                Some(Planned::Leave {
                    team: team.id.clone(),
                    user: user.to_owned(),
                })
            }
            _ => None,
        }
    }
}
