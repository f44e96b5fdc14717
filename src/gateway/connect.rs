//! Opening one gateway WebSocket: the URL, the `Cookie` header, size limits, and telling a
//! refused session (HTTP 400/401 on the upgrade) apart from a network failure.
//!
//! Rule: the cookie value never appears in an error or a log line.

use std::time::Duration;

use reqwest::Url;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Why a socket could not be opened.
#[derive(Debug)]
pub(crate) enum ConnectError {
    /// The server answered the upgrade with this HTTP status (400/401/403 = bad session).
    Refused(u16),
    /// Anything else: DNS, TCP, TLS, timeout, a non-WebSocket answer.
    Failed(String),
}

impl ConnectError {
    /// A status that means "your session or client id is not accepted": retrying is futile.
    pub(crate) fn is_session_refusal(&self) -> bool {
        matches!(self, ConnectError::Refused(400 | 401 | 403))
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Refused(status) => {
                write!(f, "the gateway refused the upgrade (HTTP {status})")
            }
            ConnectError::Failed(reason) => f.write_str(reason),
        }
    }
}

/// Open `url` with the session `cookie`, accepting messages and frames up to `max_size`.
pub(crate) async fn open(
    url: &Url,
    cookie: Option<&str>,
    max_size: usize,
    timeout: Duration,
) -> Result<Socket, ConnectError> {
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| ConnectError::Failed(format!("bad gateway request: {e}")))?;
    if let Some(cookie) = cookie
        && let Ok(value) = HeaderValue::from_str(cookie)
    {
        request.headers_mut().insert("cookie", value);
    }
    let config = WebSocketConfig::default()
        .max_message_size(Some(max_size))
        .max_frame_size(Some(max_size));
    let connect =
        tokio_tungstenite::connect_async_tls_with_config(request, Some(config), true, None);
    match tokio::time::timeout(timeout, connect).await {
        Err(_) => Err(ConnectError::Failed(format!(
            "no answer from the gateway within {} s",
            timeout.as_secs()
        ))),
        Ok(Ok((socket, _response))) => Ok(socket),
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response))) => {
            Err(ConnectError::Refused(response.status().as_u16()))
        }
        Ok(Err(e)) => Err(ConnectError::Failed(e.to_string())),
    }
}
