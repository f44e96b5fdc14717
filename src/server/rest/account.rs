//! Login, logout, the current user, keep-alive pings, teams, members and DM channels.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, parse_body};
use crate::server::auth::{self, Authed, CLIENT_ID_COOKIE, SESSION_COOKIE};
use crate::server::hub::SocketCmd;
use crate::server::store::{Channel, LoginRecord, Store, StoreError, Team};
use crate::server::{Shared, shapes};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginBody {
    email: Option<String>,
    password: Option<String>,
}

/// The `/me` body (docs/PROTOCOL.md): the user with email, and their teams.
fn me_body(store: &Store, user_id: &str) -> Result<Value, ApiError> {
    let user = store
        .user(user_id)
        .ok_or_else(|| ApiError::unauthorized("Your user no longer exists"))?;
    let email = user.email.as_deref();
    let mine = store.teams_of(user_id);
    let teams: Vec<Value> = mine
        .iter()
        .map(|t| shapes::team(store, t, user_id, false))
        .collect();
    // The custom reactions of the user's teams.
    let custom: Vec<Value> = store
        .emoji
        .iter()
        .filter(|e| {
            e.team
                .as_ref()
                .is_some_and(|team| mine.iter().any(|t| &t.id == team))
        })
        .map(shapes::custom_emoji)
        .collect();
    Ok(json!({
        "updateMessage": null,
        "user": shapes::user(user, email),
        "teams": teams,
        "customReactions": custom,
        "reactionUsages": [],
        "landingUrl": false,
        "friends": [],
    }))
}

pub async fn login(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let body: LoginBody = parse_body(&body)?;
    let (Some(email), Some(password)) = (body.email, body.password) else {
        return Err(ApiError::bad_request("email and password are required"));
    };
    let mut store = shared.store();
    let user_id = match store.user_by_email(&email) {
        Some(user) if password == store.password => user.id.clone(),
        _ => return Err(ApiError::bad_request("Incorrect email or password")),
    };
    let token = auth::new_session_token();
    let client_id = auth::new_client_id();
    store.add_session(
        token.clone(),
        LoginRecord {
            user_id: user_id.clone(),
            client_id: client_id.clone(),
        },
    );
    let me = me_body(&store, &user_id)?;
    tracing::info!(user = %user_id, "login");
    let [session_cookie, mid_cookie] = auth::login_cookies(&token, &client_id);
    Ok((
        AppendHeaders([(SET_COOKIE, session_cookie), (SET_COOKIE, mid_cookie)]),
        Json(me),
    ))
}

pub async fn logout(State(shared): State<Arc<Shared>>, authed: Authed) -> impl IntoResponse {
    shared.store().remove_session(&authed.token);
    // The client id dies with the session; its sockets go too.
    let closed = shared.hub.close_client(
        &authed.session.client_id,
        &SocketCmd::Close(1000, "logged out".into()),
    );
    tracing::info!(user = %authed.user(), sockets = closed, "logout");
    let expire = |name: &str| format!("{name}=; Path=/; Max-Age=0");
    (
        AppendHeaders([
            (SET_COOKIE, expire(SESSION_COOKIE)),
            (SET_COOKIE, expire(CLIENT_ID_COOKIE)),
        ]),
        Json(json!({})),
    )
}

pub async fn me(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(me_body(&shared.store(), authed.user())?))
}

/// `PUT /users/me/ping`: the user is around (offline becomes online).
pub async fn ping(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
) -> Result<Json<Value>, ApiError> {
    shared.ping(authed.user())?;
    Ok(Json(json!({})))
}

#[derive(serde::Deserialize)]
struct PresenceBody {
    status: serde_json::Value,
}

/// `POST /users/me/presence` `{"status": 1..4}`: the user's chosen status.
pub async fn set_presence(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: PresenceBody = super::parse_body(&body)?;
    let status = body
        .status
        .as_u64()
        .and_then(|s| u8::try_from(s).ok())
        .ok_or_else(|| ApiError::bad_request("status must be a number from 1 to 4"))?;
    shared.set_presence(authed.user(), status)?;
    Ok(Json(json!({})))
}

fn member_team<'a>(store: &'a Store, team_id: &str, user: &str) -> Result<&'a Team, ApiError> {
    let team = store
        .team(team_id)
        .ok_or_else(|| StoreError::NotFound(format!("team {team_id} not found")))?;
    if store.is_member(team_id, user) {
        Ok(team)
    } else {
        Err(ApiError::forbidden("you are not a member of this team"))
    }
}

pub async fn team(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(team_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = shared.store();
    let team = member_team(&store, &team_id, authed.user())?;
    Ok(Json(
        json!({ "team": shapes::team(&store, team, authed.user(), true) }),
    ))
}

pub async fn team_channels(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(team_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = shared.store();
    let team = member_team(&store, &team_id, authed.user())?;
    let (threads, channels): (Vec<_>, Vec<_>) = store
        .channels
        .iter()
        .filter(|c| c.team_id() == Some(team.id.as_str()))
        .partition(|c| c.thread.is_some());
    let channels: Vec<Value> = channels
        .into_iter()
        .map(|c| shapes::team_channel(c, team))
        .collect();
    let threads: Vec<Value> = threads
        .into_iter()
        .map(|c| shapes::team_channel(c, team))
        .collect();
    let categories: Vec<Value> = team
        .categories
        .iter()
        .map(|c| shapes::category(c, team))
        .collect();
    let badges = unread_map(
        &store,
        authed.user(),
        store
            .channels
            .iter()
            .filter(|c| c.team_id() == Some(team.id.as_str())),
    );
    Ok(Json(json!({
        "channels": channels,
        "temporalChannels": threads,
        "categories": categories,
        "badgedChannelContentByChannelId": badges,
    })))
}

pub async fn team_members(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(team_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = shared.store();
    let team = member_team(&store, &team_id, authed.user())?;
    Ok(Json(
        json!({ "members": shapes::members(&store, team), "bots": [], "webhooks": [] }),
    ))
}

pub async fn dm_channels(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(user_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if user_id != authed.user() && user_id != "me" {
        return Err(ApiError::forbidden(
            "you can only list your own DM channels",
        ));
    }
    let store = shared.store();
    let dms = store.dms_of(authed.user());
    let mut user_ids: Vec<&str> = Vec::new();
    for c in &dms {
        for u in store.audience(c) {
            if let Some(user) = store.user(&u)
                && !user_ids.contains(&user.id.as_str())
            {
                user_ids.push(user.id.as_str());
            }
        }
    }
    let users: Vec<Value> = user_ids
        .iter()
        .filter_map(|id| store.user(id))
        .map(|u| shapes::user(u, None))
        .collect();
    let channels: Vec<Value> = dms.iter().map(|c| shapes::dm_channel(&store, c)).collect();
    let unread = unread_map(&store, authed.user(), dms.iter().copied());
    Ok(Json(
        json!({ "channels": channels, "unreadInfoByChannelId": unread, "users": users }),
    ))
}

/// The unread map of a channel list (undocumented shape, see docs/PROTOCOL.md): channel id
/// → `{"unreadCount": n, "mentionCount": m, "hasMention": bool}`, only channels with unread
/// messages.
fn unread_map<'a>(store: &Store, user: &str, channels: impl Iterator<Item = &'a Channel>) -> Value {
    let mut map = serde_json::Map::new();
    for c in channels {
        if let Some((unread, mentions)) = store.unread(user, &c.id) {
            map.insert(
                c.id.clone(),
                json!({"unreadCount": unread, "mentionCount": mentions, "hasMention": mentions > 0}),
            );
        }
    }
    Value::Object(map)
}

#[derive(serde::Deserialize)]
struct OpenDmBody {
    #[serde(default)]
    users: Vec<OpenDmUser>,
}

#[derive(serde::Deserialize)]
struct OpenDmUser {
    id: String,
}

/// `POST /users/{me}/channels` `{"users":[{"id"}]}`: open (or find) a 1:1 DM; answers
/// `{channel}`.
pub async fn open_dm(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(user_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    if user_id != authed.user() && user_id != "me" {
        return Err(ApiError::forbidden("you can only open your own DMs"));
    }
    let body: OpenDmBody = super::parse_body(&body)?;
    let [other] = &body.users[..] else {
        return Err(ApiError::bad_request(
            "users must name exactly one other user",
        ));
    };
    let channel = shared.open_dm(authed.user(), &other.id)?;
    Ok(Json(json!({ "channel": channel })))
}
