//! Start-up and team loads over REST, turned into reducer messages.

use futures_util::future::join_all;

use crate::api::{ApiClient, ApiError};
use crate::app::{ApiOp, InitialData, Msg, convert};
use crate::protocol::TeamId;
use crate::protocol::models::{Me, Team};

use super::effects::api_failure;

/// Everything the first screen needs: teams (in `/me` order) with channels and members, DMs.
/// A team whose channels fail to load still appears (empty); each failure follows the data
/// (the reducer decides what it means).
pub async fn initial(api: ApiClient, me: Me) -> Vec<Msg> {
    let my_id = me.user.id.clone();
    let mut failures = Vec::new();
    let teams = join_all(me.teams.iter().map(|t| team(&api, t))).await;
    let mut data = InitialData {
        me: convert::user(&me.user),
        ..InitialData::default()
    };
    for t in teams {
        match t {
            Ok(t) => data.teams.push(t),
            Err((t, e)) => {
                tracing::warn!("loading team {}: {e}", t.id);
                failures.push(e);
                data.teams.push(t);
            }
        }
    }
    match api.dm_channels(&my_id).await {
        Ok(dms) => {
            for dm in &dms {
                let (channel, users) = convert::dm_channel(dm, &my_id);
                data.dms.push(channel);
                data.users
                    .extend(users.into_iter().filter(|u| u.id != my_id));
            }
        }
        Err(e) => {
            tracing::warn!("loading DMs: {e}");
            failures.push(e);
        }
    }
    std::iter::once(Msg::Loaded(data))
        .chain(failures.iter().map(|e| Msg::ApiFailed {
            op: ApiOp::Start,
            failure: api_failure(e),
        }))
        .collect()
}

/// One team's channels and members. On failure, the team with what could be loaded.
pub async fn team(
    api: &ApiClient,
    team: &Team,
) -> Result<crate::app::TeamData, (crate::app::TeamData, ApiError)> {
    let (channels, members) = tokio::join!(api.team_channels(&team.id), api.team_members(&team.id));
    let members = members.unwrap_or_default();
    match channels {
        Ok(ch) => Ok(convert::team_data(team, Some(&ch), &members)),
        Err(e) => Err((convert::team_data(team, None, &members), e)),
    }
}

/// A team we just joined (`USER_TEAMS_UPDATED`): fetch it, then its channels and members.
pub async fn joined_team(api: ApiClient, team_id: TeamId) -> Msg {
    match api.team(&team_id).await {
        Ok(t) => match team(&api, &t).await {
            Ok(data) => Msg::TeamLoaded(data),
            Err((data, e)) => {
                tracing::warn!("loading team {team_id}: {e}");
                Msg::TeamLoaded(data)
            }
        },
        Err(e) => {
            tracing::warn!("loading team {team_id}: {e}");
            Msg::ApiFailed {
                op: ApiOp::LoadTeam { team: team_id },
                failure: api_failure(&e),
            }
        }
    }
}
