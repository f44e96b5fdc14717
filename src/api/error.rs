//! The one error type of every REST call, with a human message fit for the status bar.
//!
//! Rule: errors are matchable (`Unauthorized` means "log in again") and cheap to clone, so the
//! gateway can hand them to the runtime inside events. No reqwest types leak out.

use crate::protocol::models::ApiErrorBody;

/// Why a REST call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: the session cookie is missing, expired or revoked. The runtime asks the user to
    /// log in again (and keeps whatever they typed).
    #[error("session expired: log in again")]
    Unauthorized,
    /// The login itself was refused (wrong email or password).
    #[error("login refused: {0}")]
    BadCredentials(String),
    /// The login answered 2xx but set no `hmac_signed_session` cookie.
    #[error("the server accepted the login but sent no session cookie")]
    NoSessionCookie,
    /// Any other non-2xx answer, with Guilded's `{code, message}` body when there was one.
    #[error("{message}")]
    Status {
        /// The HTTP status code.
        status: u16,
        /// Guilded's error code (`"ForbiddenError"`…), empty when the body had none.
        code: String,
        /// A message for people: the server's, or the status' reason phrase.
        message: String,
    },
    /// 429 still answered after the bounded number of waits.
    #[error("the server is rate limiting us; try again in a moment")]
    RateLimited,
    /// Could not connect, or the connection broke, after the bounded number of retries.
    #[error("cannot reach the server: {0}")]
    Network(String),
    /// No answer within the request timeout, after the bounded number of retries.
    #[error("the server did not answer in time")]
    Timeout,
    /// A 2xx answer whose body is not what Guilded sends.
    #[error("unexpected answer from the server: {0}")]
    Decode(String),
    /// The configured URL cannot be used.
    #[error("bad server URL: {0}")]
    BadUrl(String),
}

impl ApiError {
    /// True when the session is gone and only a new login helps.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized)
    }

    /// The HTTP status, when the server answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized => Some(401),
            ApiError::RateLimited => Some(429),
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Build the error for a non-2xx answer that is neither 401 nor 429.
pub(crate) fn status_error(status: u16, reason: Option<&str>, body: &[u8]) -> ApiError {
    // Guilded's `{code, message}`; a proxy in between may answer with anything else.
    let parsed: ApiErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let message = if parsed.message.trim().is_empty() {
        match reason {
            Some(reason) => format!("server answered {status} {reason}"),
            None => format!("server answered {status}"),
        }
    } else {
        // The message is shown in the status bar: keep it to one line and a sane length.
        let one_line: String = parsed
            .message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(200)
            .collect();
        one_line.trim().to_owned()
    };
    ApiError::Status {
        status,
        code: parsed.code,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guilded_error_body_becomes_the_message() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/guilded/docs-error.json"
        ))
        .unwrap();
        let err = status_error(400, Some("Bad Request"), &body);
        let ApiError::Status {
            status,
            code,
            message,
        } = &err
        else {
            panic!("not a status error: {err:?}");
        };
        assert_eq!(*status, 400);
        assert!(!code.is_empty());
        assert!(!message.is_empty());
        assert_eq!(err.to_string(), *message);
    }

    #[test]
    fn missing_body_falls_back_to_the_reason_phrase() {
        let err = status_error(503, Some("Service Unavailable"), b"<html>oops</html>");
        assert_eq!(err.to_string(), "server answered 503 Service Unavailable");
        assert_eq!(err.status(), Some(503));
    }

    #[test]
    fn control_characters_in_server_messages_are_flattened() {
        let err = status_error(
            403,
            None,
            br#"{"code":"Forbidden","message":"no\u001b[31m\nway"}"#,
        );
        assert_eq!(err.to_string(), "no [31m way");
    }

    #[test]
    fn unauthorized_is_distinguishable() {
        assert!(ApiError::Unauthorized.is_unauthorized());
        assert!(!ApiError::Timeout.is_unauthorized());
        assert_eq!(
            ApiError::Unauthorized.to_string(),
            "session expired: log in again"
        );
    }
}
