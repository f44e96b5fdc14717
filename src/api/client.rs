//! `ApiClient`: one reqwest client with the session's cookie jar, the `guilded-client-id`
//! header, per-attempt timeouts, and the retry policy (429 `Retry-After`, bounded backoff on
//! 5xx and transport errors). Typed calls live in `calls.rs`.
//!
//! Rule: bodies are never logged (the login body holds the password); waits use tokio time,
//! so tests can run them under `tokio::time::pause()`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use secrecy::zeroize::Zeroizing;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{ApiError, status_error};
use super::retry::{RetryPolicy, is_retryable_status};
use super::session::SessionCookies;

/// The header Guilded wants on every call (the `guilded_mid` value).
pub const CLIENT_ID_HEADER: &str = "guilded-client-id";

/// A REST client bound to one API base URL and one session. Cheap to clone (an `Arc`).
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    session: SessionCookies,
    policy: RetryPolicy,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base", &self.inner.base.as_str())
            .field("session", &self.inner.session)
            .finish_non_exhaustive()
    }
}

/// A request body, serialised once and resent as-is on every retry (each attempt shares the
/// one buffer: no copy is made here).
pub(crate) enum Body {
    None,
    Json(Bytes),
}

impl Body {
    pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Result<Body, ApiError> {
        serde_json::to_vec(value)
            .map(|json| Body::Json(Bytes::from(json)))
            .map_err(|e| ApiError::Decode(format!("cannot encode the request: {e}")))
    }

    /// A JSON body holding a secret: the attempts share `json` itself, which is zeroed when
    /// the last of them (and this body) is dropped.
    pub(crate) fn secret_json(json: Zeroizing<Vec<u8>>) -> Body {
        Body::Json(Bytes::from_owner(json))
    }
}

impl ApiClient {
    /// A client for `api_url` (e.g. `https://www.guilded.gg/api`) with the default policy.
    pub fn new(api_url: &str, session: SessionCookies) -> Result<ApiClient, ApiError> {
        Self::with_policy(api_url, session, RetryPolicy::default())
    }

    /// A client with explicit timeouts and retry limits.
    pub fn with_policy(
        api_url: &str,
        session: SessionCookies,
        policy: RetryPolicy,
    ) -> Result<ApiClient, ApiError> {
        let base = Url::parse(api_url).map_err(|e| ApiError::BadUrl(format!("{api_url}: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(ApiError::BadUrl(format!(
                "{api_url}: must start with http:// or https://"
            )));
        }
        let http = reqwest::Client::builder()
            .cookie_provider(session.jar())
            .connect_timeout(policy.request_timeout)
            .user_agent(concat!("gilt/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Network(format!("cannot build the HTTP client: {e}")))?;
        Ok(ApiClient {
            inner: Arc::new(Inner {
                http,
                base,
                session,
                policy,
            }),
        })
    }

    /// The session (cookie jar) this client sends.
    pub fn session(&self) -> &SessionCookies {
        &self.inner.session
    }

    /// The API base URL.
    pub fn api_url(&self) -> &Url {
        &self.inner.base
    }

    /// The retry policy.
    pub fn policy(&self) -> &RetryPolicy {
        &self.inner.policy
    }

    /// `{base}/seg/seg…`, each segment percent-encoded (ids from the network cannot add path
    /// components or a query).
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(id) = self.inner.session.client_id()
            && let Ok(value) = HeaderValue::from_str(&id)
        {
            headers.insert(CLIENT_ID_HEADER, value);
        }
        headers
    }

    /// Send a request with retries; returns the 2xx body.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        body: &Body,
    ) -> Result<Vec<u8>, ApiError> {
        self.send_with(method, url, body, &self.inner.policy).await
    }

    pub(crate) async fn send_with(
        &self,
        method: Method,
        url: Url,
        body: &Body,
        policy: &RetryPolicy,
    ) -> Result<Vec<u8>, ApiError> {
        let mut retries = 0u32;
        let mut rate_limit_waits = 0u32;
        loop {
            let mut request = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .headers(self.headers())
                .timeout(policy.request_timeout);
            if let Body::Json(bytes) = body {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(bytes.clone()); // a reference count, not a copy
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    read_body(response)
                        .await
                        .map(|bytes| (status, retry_after, bytes))
                }
                Err(e) => Err(transport_error(&e)),
            };
            let (status, retry_after, bytes) = match outcome {
                Ok(answer) => answer,
                // A body we refuse to read is not a transient failure.
                Err(err @ ApiError::Decode(_)) => return Err(err),
                Err(err) => {
                    let Some(delay) = policy.backoff(retries) else {
                        return Err(err);
                    };
                    retries += 1;
                    tracing::debug!(%method, path = url.path(), %err, ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                    continue;
                }
            };
            tracing::debug!(%method, path = url.path(), status = status.as_u16(), "api call");
            if status.is_success() {
                return Ok(bytes);
            }
            match status {
                StatusCode::UNAUTHORIZED => return Err(ApiError::Unauthorized),
                StatusCode::TOO_MANY_REQUESTS => {
                    let Some(delay) =
                        policy.rate_limit_wait(rate_limit_waits, retry_after.as_deref())
                    else {
                        return Err(ApiError::RateLimited);
                    };
                    rate_limit_waits += 1;
                    tracing::info!(path = url.path(), ?delay, "rate limited; waiting");
                    tokio::time::sleep(delay).await;
                }
                s if is_retryable_status(s.as_u16()) => {
                    let Some(delay) = policy.backoff(retries) else {
                        return Err(status_error(s.as_u16(), s.canonical_reason(), &bytes));
                    };
                    retries += 1;
                    tracing::debug!(path = url.path(), status = s.as_u16(), ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                }
                s => return Err(status_error(s.as_u16(), s.canonical_reason(), &bytes)),
            }
        }
    }

    /// Send and decode a JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: &Body,
    ) -> Result<T, ApiError> {
        let bytes = self.send(method, url, body).await?;
        decode(&bytes)
    }

    /// A single attempt with a short timeout and no retries (logout, where being offline must
    /// not hold the user up).
    pub(crate) fn once_policy(&self, timeout: Duration) -> RetryPolicy {
        RetryPolicy {
            request_timeout: timeout,
            max_retries: 0,
            max_rate_limit_waits: 0,
            ..self.inner.policy.clone()
        }
    }
}

/// Decode a JSON body into `T`, with the serde error (not the body) in the message.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The largest response body accepted; a bigger one is an error, not an out-of-memory.
pub const MAX_RESPONSE_BYTES: usize = 32 << 20;

/// Read a response body chunk by chunk, refusing more than [`MAX_RESPONSE_BYTES`].
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, ApiError> {
    let too_big = || {
        ApiError::Decode(format!(
            "answer larger than {} MiB",
            MAX_RESPONSE_BYTES >> 20
        ))
    };
    if response
        .content_length()
        .is_some_and(|len| len > MAX_RESPONSE_BYTES as u64)
    {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&e))? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport_error(e: &reqwest::Error) -> ApiError {
    if e.is_timeout() {
        return ApiError::Timeout;
    }
    // reqwest's own message is generic ("error sending request"); the root cause says more.
    let mut cause: &dyn std::error::Error = e;
    while let Some(source) = cause.source() {
        cause = source;
    }
    ApiError::Network(cause.to_string())
}
