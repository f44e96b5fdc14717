//! The gateway at `/socket.io/`: checks the Guilded query on upgrade (else HTTP 400) and the
//! session cookie, which must belong to the same login as the `guildedClientId` (else HTTP
//! 401: a client id alone is not a secret, it is sent in the clear in every URL), then
//! runs one task per socket — hello and `40`, a `3` for every `2`, typing relay, and a
//! close when the client stays silent for pingInterval + pingTimeout. A malformed frame
//! from a client is logged (Debug-escaped: client text never reaches a terminal raw) and
//! ignored; an oversized one ends the socket.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::rejection::QueryRejection;
use axum::extract::ws::{
    CloseFrame, Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection,
};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::time::{Instant, sleep_until};

use super::frames::{self, Inbound};
use super::hub::{SocketCmd, SocketInfo, SocketLink};
use super::rest::ApiError;
use super::{Shared, auth};

/// Close code for a frame above the size limit (RFC 6455 "message too big").
const CLOSE_TOO_BIG: u16 = 1009;
const CLOSE_PROTOCOL_ERROR: u16 = 1002;
const CLOSE_NORMAL: u16 = 1000;

fn param<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Check the upgrade's query the way Guilded did, and that `session_token` (the request's
/// `hmac_signed_session` cookie) is the session of that client id; returns who the socket
/// belongs to.
fn authorize(
    shared: &Shared,
    query: &[(String, String)],
    session_token: Option<&str>,
) -> Result<(String, String, Option<String>), ApiError> {
    if param(query, "EIO") != Some("3") {
        return Err(ApiError::bad_request(
            "Unsupported protocol version (EIO=3 required)",
        ));
    }
    if param(query, "transport") != Some("websocket") {
        return Err(ApiError::bad_request(
            "Transport unknown (transport=websocket required)",
        ));
    }
    if param(query, "jwt") != Some("undefined") {
        return Err(ApiError::bad_request(
            "jwt must be the literal string undefined",
        ));
    }
    let client_id = param(query, "guildedClientId")
        .ok_or_else(|| ApiError::bad_request("guildedClientId is required"))?;
    let store = shared.store();
    let session = store
        .session_by_client_id(client_id)
        .ok_or_else(|| ApiError::bad_request("guildedClientId is not a logged-in client"))?;
    let token = session_token.ok_or_else(|| {
        ApiError::unauthorized("You must be logged in (no hmac_signed_session cookie)")
    })?;
    if store
        .session(token)
        .is_none_or(|s| s.client_id != session.client_id)
    {
        return Err(ApiError::unauthorized(
            "The session cookie does not belong to this guildedClientId",
        ));
    }
    let team_id = match param(query, "teamId") {
        None => None,
        Some(t) if store.is_member(t, &session.user_id) => Some(t.to_owned()),
        Some(t) => {
            return Err(ApiError::bad_request(format!(
                "teamId {t} is not a team of this user"
            )));
        }
    };
    Ok((session.user_id.clone(), client_id.to_owned(), team_id))
}

pub async fn upgrade(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return ApiError::bad_request("unreadable query string").into_response();
    };
    let token = auth::cookie_in(&headers, auth::SESSION_COOKIE);
    let (user_id, client_id, team_id) = match authorize(&shared, &query, token.as_deref()) {
        Ok(v) => v,
        Err(e) => {
            tracing::info!(reason = ?e.message, "gateway upgrade refused");
            return e.into_response();
        }
    };
    let Ok(ws) = ws else {
        return ApiError::bad_request("expected a WebSocket upgrade").into_response();
    };
    let sid = uuid::Uuid::new_v4().simple().to_string()[..20].to_owned();
    let info = SocketInfo {
        sid,
        user_id,
        client_id,
        team_id,
        query,
    };
    let max = shared.config.max_frame_bytes;
    ws.max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| run(shared, socket, info))
}

async fn run(shared: Arc<Shared>, socket: WebSocket, info: SocketInfo) {
    tracing::info!(sid = %info.sid, user = %info.user_id, team = ?info.team_id, "socket open");
    let link = shared.hub.register(info.clone());
    let reason = drive(&shared, socket, &info, link).await;
    shared.hub.unregister(&info.sid);
    tracing::info!(sid = %info.sid, reason, "socket closed");
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// Runs the socket until it ends; returns why, for the log.
async fn drive(
    shared: &Shared,
    socket: WebSocket,
    info: &SocketInfo,
    mut link: SocketLink,
) -> &'static str {
    let (mut sink, mut stream) = socket.split();
    let cfg = &shared.config;
    let hello = frames::open(&info.sid, cfg.ping_interval, cfg.ping_timeout);
    if sink.send(Message::Text(hello.into())).await.is_err()
        || sink
            .send(Message::Text(frames::connect().into()))
            .await
            .is_err()
    {
        return "write failed";
    }
    if shared.faults.drop_on_connect() {
        return "dropped on connect (fault injection)";
    }
    let silence_limit = cfg.ping_interval + cfg.ping_timeout;
    let mut deadline = Instant::now() + silence_limit;
    loop {
        tokio::select! {
            // In this order: what was queued for the socket is written before the next client
            // frame is read, so a ping's pong follows everything sent to the socket before it
            // (tests use that to check that nothing else is on its way).
            biased;
            () = sleep_until(deadline) => {
                let _ = sink.send(close(CLOSE_NORMAL, "ping timeout")).await;
                return "ping timeout";
            }
            () = link.kill.notified() => return "dropped",
            cmd = link.rx.recv() => match cmd {
                Some(SocketCmd::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        return "write failed";
                    }
                }
                Some(SocketCmd::Close(code, reason)) => {
                    let _ = sink.send(close(code, &reason)).await;
                    return "closed by server";
                }
                Some(SocketCmd::Drop) | None => return "dropped",
            },
            msg = stream.next() => match msg {
                None => return "client went away",
                Some(Err(e)) => {
                    let text = e.to_string();
                    tracing::warn!(sid = %info.sid, error = ?text, "socket read error");
                    let code = if text.contains("too long") || text.contains("Space limit") { CLOSE_TOO_BIG } else { CLOSE_PROTOCOL_ERROR };
                    let _ = sink.send(close(code, "bad frame")).await;
                    return "read error";
                }
                Some(Ok(Message::Close(_))) => return "client closed",
                Some(Ok(Message::Text(text))) => {
                    deadline = Instant::now() + silence_limit;
                    match handle_text(shared, info, &link, text.as_str()) {
                        Reply::Nothing => {}
                        Reply::Send(out) => {
                            if sink.send(Message::Text(out.into())).await.is_err() {
                                return "write failed";
                            }
                        }
                        Reply::Close => {
                            let _ = sink.send(close(CLOSE_NORMAL, "client closed")).await;
                            return "engine.io close";
                        }
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    deadline = Instant::now() + silence_limit;
                    tracing::warn!(sid = %info.sid, "ignoring a binary frame");
                }
                // WebSocket-level ping/pong are answered by the library.
                Some(Ok(_)) => {}
            },
        }
    }
}

enum Reply {
    Nothing,
    Send(String),
    Close,
}

fn handle_text(shared: &Shared, info: &SocketInfo, link: &SocketLink, text: &str) -> Reply {
    match frames::decode(text) {
        Err(e) => {
            tracing::warn!(sid = %info.sid, error = ?e.to_string(), "ignoring a malformed frame");
            Reply::Nothing
        }
        Ok(Inbound::Ping(payload)) => {
            if link.mute_pongs.load(Ordering::SeqCst) || shared.faults.pongs_muted() {
                tracing::debug!(sid = %info.sid, "pong withheld by fault injection");
                Reply::Nothing
            } else {
                Reply::Send(frames::pong(&payload))
            }
        }
        Ok(Inbound::Close) => Reply::Close,
        Ok(Inbound::Event(name, payload)) => {
            match name.as_str() {
                "ChatChannelTyping" => {
                    let channel = payload
                        .as_ref()
                        .and_then(|p| p.get("channelId"))
                        .and_then(Value::as_str);
                    if let Some(channel) = channel {
                        if let Err(e) = shared.typing(&info.user_id, channel) {
                            tracing::debug!(sid = %info.sid, error = ?e.to_string(), "typing ignored");
                        }
                    } else {
                        tracing::warn!(sid = %info.sid, "typing without a channelId");
                    }
                }
                "logout" => tracing::info!(sid = %info.sid, "client says logout"),
                other => tracing::debug!(sid = %info.sid, event = ?other, "ignoring client event"),
            }
            Reply::Nothing
        }
        Ok(Inbound::Ignored) => Reply::Nothing,
    }
}
