//! Sessions: issuing the `hmac_signed_session` + `guilded_mid` cookies at login, and
//! recognising them on later requests (cookie) and on the gateway (`guildedClientId`).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::http::request::Parts;

use super::Shared;
use super::rest::ApiError;
use super::store::LoginRecord;

pub const SESSION_COOKIE: &str = "hmac_signed_session";
pub const CLIENT_ID_COOKIE: &str = "guilded_mid";

/// A fresh session token: three dot-separated hex segments, like the real cookie.
pub fn new_session_token() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    let c = uuid::Uuid::new_v4().simple().to_string();
    format!("{a}.{b}.{}", &c[..16])
}

/// A fresh `guilded_mid`: 32 lowercase hex characters.
pub fn new_client_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// `Set-Cookie` values in the order clients rely on: the session first.
pub fn login_cookies(token: &str, client_id: &str) -> [String; 2] {
    [
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000"),
        format!("{CLIENT_ID_COOKIE}={client_id}; Path=/; SameSite=Lax; Max-Age=31536000"),
    ]
}

/// A cookie's value from every `Cookie` header of a request.
pub fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    cookie_in(&parts.headers, name)
}

/// A cookie's value from every `Cookie` header in `headers`.
pub fn cookie_in(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// A request made with a valid session cookie.
pub struct Authed {
    pub token: String,
    pub session: LoginRecord,
}

impl Authed {
    pub fn user(&self) -> &str {
        &self.session.user_id
    }

    pub fn client_id(&self) -> &str {
        &self.session.client_id
    }
}

impl FromRequestParts<Arc<Shared>> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, ApiError> {
        let token = cookie_value(parts, SESSION_COOKIE).ok_or_else(|| {
            ApiError::unauthorized("You must be logged in (no hmac_signed_session cookie)")
        })?;
        let session = shared
            .store()
            .session(&token)
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("Your session has expired; log in again"))?;
        Ok(Authed { token, session })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_real_shapes() {
        let mid = new_client_id();
        assert_eq!(mid.len(), 32);
        assert!(
            mid.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(new_session_token().split('.').count(), 3);
        let [first, second] = login_cookies("t", "m");
        assert!(first.starts_with("hmac_signed_session=t;"));
        assert!(second.starts_with("guilded_mid=m;"));
    }

    #[test]
    fn cookie_values_are_found_among_others() {
        let req = axum::http::Request::builder()
            .header(
                COOKIE,
                "a=1; hmac_signed_session=abc.def; authenticated=true",
            )
            .body(())
            .unwrap();
        let (parts, ()) = req.into_parts();
        assert_eq!(
            cookie_value(&parts, SESSION_COOKIE).as_deref(),
            Some("abc.def")
        );
        assert_eq!(cookie_value(&parts, "missing"), None);
    }
}
