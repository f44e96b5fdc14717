//! REST under `/api` (docs/PROTOCOL.md): routing, the `{code, message}` error shape,
//! rate limiting and injected REST faults. Handlers only translate HTTP to store actions.

mod account;
mod messages;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use serde::de::DeserializeOwned;

use super::faults::RestFault;
use super::store::StoreError;
use super::{Shared, gateway, relock, shapes};

/// Largest request body accepted.
const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// An error answer: a status and the `{code, message}` body, plus `Retry-After` for 429.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "You are being rate limited")
        }
    }

    fn code(&self) -> &'static str {
        match self.status.as_u16() {
            400 => "BadRequestError",
            401 => "UnauthorizedError",
            403 => "ForbiddenError",
            404 => "NotFoundError",
            405 => "MethodNotAllowedError",
            413 => "PayloadTooLargeError",
            429 => "TooManyRequestsError",
            502 => "BadGatewayError",
            503 => "ServiceUnavailableError",
            500..=599 => "InternalServerError",
            _ => "Error",
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::BadRequest(m) => Self::bad_request(m),
            StoreError::Forbidden(m) => Self::forbidden(m),
            StoreError::NotFound(m) => Self::new(StatusCode::NOT_FOUND, m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = shapes::error(self.code(), &self.message);
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            resp.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// Parse a JSON body into `T`, with a `{code, message}` 400 on any mistake. An empty
/// body counts as `{}` so routes whose body is optional accept none.
pub fn parse_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(text)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
}

/// Requests counted in the current one-second window.
#[derive(Debug)]
pub(crate) struct RateWindow {
    started: Instant,
    count: u32,
}

impl Default for RateWindow {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            count: 0,
        }
    }
}

/// Runs before every `/api` request: injected delay/failure, then the rate limit.
async fn faults_and_limits(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(delay) = shared.faults.rest_delay() {
        tokio::time::sleep(delay).await;
    }
    if let Some(fault) = shared.faults.next_rest_fault() {
        tracing::debug!(?fault, path = %req.uri().path(), "injected REST fault");
        return match fault {
            RestFault::Status(code) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                ApiError::new(status, "Injected failure").into_response()
            }
            RestFault::RateLimited { retry_after_secs } => {
                ApiError::rate_limited(retry_after_secs).into_response()
            }
        };
    }
    if let Some(limit) = shared.config.rate_limit_per_sec {
        let mut w = relock(&shared.rate);
        if w.started.elapsed() >= Duration::from_secs(1) {
            *w = RateWindow::default();
        }
        w.count += 1;
        if w.count > limit {
            let left = Duration::from_secs(1).saturating_sub(w.started.elapsed());
            drop(w);
            // Retry-After is in whole seconds; round up so a client that obeys it succeeds.
            return ApiError::rate_limited(left.as_secs() + u64::from(left.subsec_nanos() > 0))
                .into_response();
        }
    }
    next.run(req).await
}

/// axum's own rejections (body too large, bad path, wrong content) answer in plain text;
/// rewrite every error answer that is not already JSON into the `{code, message}` shape.
async fn ensure_error_shape(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let retry_after = resp.headers().get(RETRY_AFTER).cloned();
    let text = axum::body::to_bytes(resp.into_body(), 4096)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&text).trim().to_owned();
    let message = if message.is_empty() {
        status.canonical_reason().unwrap_or("Error").to_owned()
    } else {
        message
    };
    let mut fixed = ApiError::new(status, message).into_response();
    if let Some(v) = retry_after {
        fixed.headers_mut().insert(RETRY_AFTER, v);
    }
    fixed
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "No such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed on this route",
    )
}

pub fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/login", post(account::login))
        .route("/logout", post(account::logout))
        .route("/me", get(account::me))
        .route("/users/me/ping", put(account::ping).post(account::ping))
        .route("/users/me/presence", post(account::set_presence))
        .route(
            "/users/{user_id}/channels",
            get(account::dm_channels).post(account::open_dm),
        )
        .route("/teams/{team_id}", get(account::team))
        .route("/teams/{team_id}/channels", get(account::team_channels))
        .route("/teams/{team_id}/members", get(account::team_members))
        .route(
            "/channels/{channel_id}/messages",
            get(messages::list).post(messages::send),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}",
            put(messages::edit).delete(messages::delete),
        )
        .route(
            "/channels/{channel_id}/messages/{message_id}/reactions/{emote_id}",
            post(messages::react).delete(messages::unreact),
        )
        .route("/channels/{channel_id}/seen", put(messages::seen))
        .route(
            "/channels/{channel_id}/threads",
            post(messages::create_thread),
        )
        .route(
            "/channels/{channel_id}/pins",
            get(messages::pins).post(messages::pin),
        )
        .route(
            "/channels/{channel_id}/pins/{message_id}",
            delete(messages::unpin),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults_and_limits,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(middleware::map_response(ensure_error_shape));
    Router::new()
        .nest("/api", api)
        .route("/socket.io/", get(gateway::upgrade))
        .route("/socket.io", get(gateway::upgrade))
        .route(
            super::media::DEMO_PNG_PATH,
            get(super::media::serve_demo_png),
        )
        .fallback(not_found)
        .layer(middleware::map_response(ensure_error_shape))
        .with_state(shared)
}
