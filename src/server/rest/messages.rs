//! Channel messages: history pages, sending (idempotent on the client's `messageId`),
//! editing and deleting one's own, reactions, pins and marking read.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiError, parse_body};
use crate::server::auth::Authed;
use crate::server::store::Message;
use crate::server::{Shared, shapes};

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 100;
/// A serialized content document larger than this is refused.
const MAX_CONTENT_BYTES: usize = 64 * 1024;

fn date_param(q: &HashMap<String, String>, key: &str) -> Result<Option<Timestamp>, ApiError> {
    q.get(key)
        .map(|s| {
            shapes::parse_iso_millis(s).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "{key} must look like 2021-10-15T23:58:44.537Z (got {s:?})"
                ))
            })
        })
        .transpose()
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(channel_id): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_request(format!("bad query: {e}")))?;
    let limit = match q.get("limit") {
        None => DEFAULT_LIMIT,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n > 0 => n.min(MAX_LIMIT),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "limit must be a positive integer (got {s:?})"
                )));
            }
        },
    };
    let before = date_param(&q, "beforeDate")?;
    let after = date_param(&q, "afterDate")?;
    let store = shared.store();
    store.visible_channel(authed.user(), &channel_id)?;
    let page = store.page(&channel_id, limit, before, after);
    let messages: Vec<Value> = page
        .messages
        .iter()
        .map(|m| shapes::message(&store, m))
        .collect();
    Ok(Json(
        json!({ "messages": messages, "hasPastMessages": page.has_past_messages }),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SendBody {
    message_id: Option<String>,
    content: Option<Value>,
    #[serde(default)]
    replies_to_ids: Vec<String>,
    #[serde(default)]
    is_silent: bool,
    #[serde(default)]
    is_private: bool,
}

/// Accept only `{"object":"value","document":{…"nodes":[…]}}` of sane size.
fn check_content(content: Option<Value>) -> Result<Value, ApiError> {
    let content = content.ok_or_else(|| ApiError::bad_request("content is required"))?;
    let has_nodes = content
        .get("document")
        .and_then(|d| d.get("nodes"))
        .is_some_and(Value::is_array);
    if !has_nodes {
        return Err(ApiError::bad_request(
            "content must be a document value with document.nodes",
        ));
    }
    if content.to_string().len() > MAX_CONTENT_BYTES {
        return Err(ApiError::bad_request("content is too large"));
    }
    Ok(content)
}

pub async fn send(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(channel_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: SendBody = parse_body(&body)?;
    let id = body
        .message_id
        .ok_or_else(|| ApiError::bad_request("messageId is required"))?;
    let id = uuid::Uuid::parse_str(&id)
        .map_err(|_| ApiError::bad_request(format!("messageId must be a UUID (got {id:?})")))?
        .to_string();
    let content = check_content(body.content)?;
    let message = Message {
        id,
        channel_id,
        author: authed.user().to_owned(),
        created_at: Timestamp::now(),
        edited_at: None,
        content,
        replies_to: body.replies_to_ids,
        is_silent: body.is_silent,
        is_private: body.is_private,
        reactions: Vec::new(),
        pinned_by: None,
    };
    let (m, _created) = shared.post_message(message, Some(authed.client_id()))?;
    let store = shared.store();
    Ok(Json(
        json!({ "message": shapes::message(&store, &m), "slowmode": {} }),
    ))
}

#[derive(Deserialize)]
struct EditBody {
    content: Option<Value>,
}

pub async fn edit(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path((channel_id, message_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: EditBody = parse_body(&body)?;
    let content = check_content(body.content)?;
    let m = shared.edit_message(
        authed.user(),
        &channel_id,
        &message_id,
        content,
        Some(authed.client_id()),
    )?;
    let store = shared.store();
    Ok(Json(json!({ "message": shapes::message(&store, &m) })))
}

pub async fn delete(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    shared.delete_message(
        authed.user(),
        &channel_id,
        &message_id,
        Some(authed.client_id()),
    )?;
    Ok(Json(json!({})))
}

fn emote(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request(format!("emote id must be a positive integer (got {id:?})"))
    })
}

pub async fn react(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path((channel_id, message_id, emote_id)): Path<(String, String, String)>,
) -> Result<Json<Value>, ApiError> {
    let emoji = emote(&emote_id)?;
    shared.set_reaction(
        authed.user(),
        &channel_id,
        &message_id,
        emoji,
        true,
        Some(authed.client_id()),
    )?;
    Ok(Json(json!([null, [], []])))
}

pub async fn unreact(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path((channel_id, message_id, emote_id)): Path<(String, String, String)>,
) -> Result<Json<Value>, ApiError> {
    let emoji = emote(&emote_id)?;
    shared.set_reaction(
        authed.user(),
        &channel_id,
        &message_id,
        emoji,
        false,
        Some(authed.client_id()),
    )?;
    Ok(Json(json!([[], []])))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeenBody {
    #[serde(default)]
    clear_all_badges: bool,
}

pub async fn seen(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(channel_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: SeenBody = parse_body(&body)?;
    shared.mark_seen(
        authed.user(),
        &channel_id,
        body.clear_all_badges,
        Some(authed.client_id()),
    )?;
    Ok(Json(json!({})))
}

pub async fn pins(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(channel_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = shared.store();
    store.visible_channel(authed.user(), &channel_id)?;
    let pinned: Vec<Value> = store
        .channel_messages(&channel_id)
        .iter()
        .rev()
        .filter(|m| m.pinned_by.is_some())
        .map(|m| shapes::message(&store, m))
        .collect();
    Ok(Json(json!({ "messages": pinned })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PinBody {
    message_id: Option<String>,
}

pub async fn pin(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(channel_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: PinBody = parse_body(&body)?;
    let message_id = body
        .message_id
        .ok_or_else(|| ApiError::bad_request("messageId is required"))?;
    shared.set_pin(
        authed.user(),
        &channel_id,
        &message_id,
        true,
        Some(authed.client_id()),
    )?;
    Ok(Json(json!({})))
}

pub async fn unpin(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    shared.set_pin(
        authed.user(),
        &channel_id,
        &message_id,
        false,
        Some(authed.client_id()),
    )?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ThreadBody {
    name: Option<String>,
    thread_message_id: Option<String>,
}

/// `POST /channels/{id}/threads`: start a thread; answers `{thread}`.
pub async fn create_thread(
    State(shared): State<Arc<Shared>>,
    authed: Authed,
    Path(channel_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: ThreadBody = parse_body(&body)?;
    let name = body
        .name
        .ok_or_else(|| ApiError::bad_request("name is required"))?;
    let thread = shared.create_thread(
        authed.user(),
        &channel_id,
        &name,
        body.thread_message_id.as_deref(),
    )?;
    Ok(Json(json!({ "thread": thread })))
}
