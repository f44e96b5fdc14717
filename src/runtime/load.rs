//! Start-up and team loads over REST, turned into reducer messages.

use std::collections::{BTreeMap, HashMap};

use futures_util::future::join_all;

use crate::api::{ApiClient, ApiError};
use crate::app::{ApiOp, ChatEvent, InitialData, Msg, TeamData, UnreadCount, convert};
use crate::protocol::models::{Me, Team, UnreadBadge};
use crate::protocol::{ChannelId, TeamId, UserId};

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
        custom_reactions: convert::custom_reactions(&me.custom_reactions),
        ..InitialData::default()
    };
    let mut events = Vec::new();
    let mut unread = HashMap::new();
    for t in teams {
        unread.extend(t.unread);
        if let Some(e) = t.error {
            tracing::warn!("loading team {}: {e}", t.data.id);
            failures.push(e);
        }
        data.teams.push(t.data);
        events.extend(t.events);
    }
    let mut presence: Vec<_> = me
        .user
        .user_presence_status
        .map(|p| (my_id.clone(), p))
        .into_iter()
        .collect();
    match api.dm_channels_response(&my_id).await {
        Ok(answer) => {
            unread.extend(listed_counts(
                answer.channels.iter().map(|c| &c.id),
                answer.unread_info_by_channel_id.as_ref(),
            ));
            for dm in &answer.channels {
                let (channel, users) = convert::dm_channel(dm, &my_id);
                data.dms.push(channel);
                data.users
                    .extend(users.into_iter().filter(|u| u.id != my_id));
                presence.extend(dm.users.iter().filter_map(|u| {
                    Some((u.id.clone(), u.user_presence_status?)).filter(|(id, _)| !id.is_empty())
                }));
            }
        }
        Err(e) => {
            tracing::warn!("loading DMs: {e}");
            failures.push(e);
        }
    }
    if !presence.is_empty() {
        events.push(Msg::Chat(ChatEvent::Presence(presence)));
    }
    // The lists just read carry the unread maps: no second round of requests for them.
    data.unread = Some(unread);
    std::iter::once(Msg::Loaded(data))
        .chain(events)
        .chain(failures.iter().map(|e| Msg::ApiFailed {
            op: ApiOp::Start,
            failure: api_failure(e),
        }))
        .collect()
}

/// The server's unread state: each team's channel list and the DM list carry a map of
/// channel id → unread count and mention flag. Channels of an answer with such a map are all
/// listed (zero where the map has no entry); an answer without one (or a failed call) lists
/// none of its channels, so the reducer counts them from its read markers.
pub async fn unread_state(api: &ApiClient, me: &UserId, teams: &[TeamId]) -> Msg {
    let team_lists = join_all(teams.iter().map(|t| api.team_channels(t))).await;
    let mut counts: HashMap<ChannelId, UnreadCount> = HashMap::new();
    for list in team_lists {
        match list {
            Ok(list) => counts.extend(listed_counts(
                list.channels.iter().map(|c| &c.id),
                list.badged_channel_content_by_channel_id.as_ref(),
            )),
            Err(e) => tracing::warn!("unread state of a team: {e}"),
        }
    }
    match api.dm_channels_response(me).await {
        Ok(dms) => counts.extend(listed_counts(
            dms.channels.iter().map(|c| &c.id),
            dms.unread_info_by_channel_id.as_ref(),
        )),
        Err(e) => tracing::warn!("unread state of the DMs: {e}"),
    }
    Msg::UnreadState(counts)
}

/// Each channel of a list answer with its count from the answer's unread map (zero where the
/// map has no entry); nothing when the answer carried no map (the reducer then counts those
/// channels from its read markers).
fn listed_counts<'a>(
    channels: impl Iterator<Item = &'a ChannelId>,
    map: Option<&BTreeMap<String, UnreadBadge>>,
) -> Vec<(ChannelId, UnreadCount)> {
    let Some(map) = map else {
        return Vec::new();
    };
    channels
        .map(|id| {
            let badge = map.get(id.as_str()).copied().unwrap_or_default();
            let count = UnreadCount {
                unread: badge.count,
                mentions: badge.mentions,
            };
            (id.clone(), count)
        })
        .collect()
}

/// One team as loaded: its data (what could be loaded), what to fold after it (its threads,
/// its members' presence and role colours), and why its channels failed to load.
pub struct TeamLoad {
    pub data: TeamData,
    /// Its channels' unread counts, from the channel list's unread map.
    pub unread: Vec<(ChannelId, UnreadCount)>,
    pub events: Vec<Msg>,
    pub error: Option<ApiError>,
}

/// One team's channels, threads and members. On failure, the team with what could be loaded.
pub async fn team(api: &ApiClient, team: &Team) -> TeamLoad {
    let (channels, members) = tokio::join!(api.team_channels(&team.id), api.team_members(&team.id));
    let members = members.unwrap_or_default();
    let details = convert::member_details(team, &members);
    match channels {
        Ok(ch) => TeamLoad {
            data: convert::team_data(team, Some(&ch), &members),
            unread: listed_counts(
                ch.channels.iter().map(|c| &c.id),
                ch.badged_channel_content_by_channel_id.as_ref(),
            ),
            events: convert::team_threads(&team.id, &ch)
                .into_iter()
                .chain(convert::team_voice(&ch))
                .chain(details)
                .map(Msg::Chat)
                .collect(),
            error: None,
        },
        Err(e) => TeamLoad {
            data: convert::team_data(team, None, &members),
            unread: Vec::new(),
            events: details.into_iter().map(Msg::Chat).collect(),
            error: Some(e),
        },
    }
}

/// The messages of a team load: the data (wrapped by `wrap`), its threads, then any failure.
fn team_msgs(
    load: TeamLoad,
    wrap: fn(TeamData) -> Msg,
    failed: impl Fn(&ApiError) -> Msg,
) -> Vec<Msg> {
    let mut out = vec![wrap(load.data)];
    out.extend(load.events);
    out.extend(load.error.as_ref().map(failed));
    out
}

/// A team we just joined (`USER_TEAMS_UPDATED`): fetch it, then its channels and members. As
/// at start-up, a failure follows whatever did load (the reducer decides what it means: an
/// unauthorized answer ends the session).
pub async fn joined_team(api: ApiClient, team_id: TeamId) -> Vec<Msg> {
    let loaded = match api.team(&team_id).await {
        Ok(t) => team(&api, &t).await,
        Err(e) => return vec![team_failed(team_id, &e)],
    };
    team_msgs(loaded, Msg::TeamLoaded, |e| team_failed(team_id.clone(), e))
}

/// A team whose structure changed (`Effect::RefreshTeam`): the same three calls as a joined
/// team, answered as `Msg::TeamRefreshed` (whose channel list replaces the one held).
pub async fn refreshed_team(api: ApiClient, team_id: TeamId) -> Vec<Msg> {
    let failed = |team: TeamId, error: &ApiError| {
        tracing::warn!("refreshing team {team}: {error}");
        Msg::ApiFailed {
            op: ApiOp::RefreshTeam { team },
            failure: api_failure(error),
        }
    };
    let loaded = match api.team(&team_id).await {
        Ok(t) => team(&api, &t).await,
        Err(e) => return vec![failed(team_id, &e)],
    };
    team_msgs(loaded, Msg::TeamRefreshed, |e| failed(team_id.clone(), e))
}

fn team_failed(team: TeamId, error: &ApiError) -> Msg {
    tracing::warn!("loading team {team}: {error}");
    Msg::ApiFailed {
        op: ApiOp::LoadTeam { team },
        failure: api_failure(error),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use axum::routing::get;

    use super::*;
    use crate::api::SessionCookies;
    use crate::app::FailureKind;

    /// A server that knows team t1 but refuses its channels with 401.
    async fn channels_refused() -> ApiClient {
        let app = axum::Router::new()
            .route(
                "/api/teams/t1",
                get(|| async { r#"{"team":{"id":"t1","name":"New team"}}"# }),
            )
            .route(
                "/api/teams/t1/channels",
                get(|| async { StatusCode::UNAUTHORIZED }),
            )
            .route(
                "/api/teams/t1/members",
                get(|| async { r#"{"members":[]}"# }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/api", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        ApiClient::new(&url, SessionCookies::new()).unwrap()
    }

    #[tokio::test]
    async fn a_joined_team_whose_channels_fail_arrives_followed_by_the_failure() {
        let api = channels_refused().await;
        let msgs = joined_team(api, "t1".into()).await;
        let [Msg::TeamLoaded(data), Msg::ApiFailed { op, failure }] = &msgs[..] else {
            panic!("{msgs:?}");
        };
        assert_eq!(data.name, "New team");
        assert!(!data.channels_loaded);
        assert_eq!(op, &ApiOp::LoadTeam { team: "t1".into() });
        // The reducer's one rule for it: log in again.
        assert_eq!(failure.kind, FailureKind::Unauthorized);
    }
}
