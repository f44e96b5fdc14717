//! The login session: Guilded's cookies (`hmac_signed_session`, `guilded_mid`) in a cookie jar
//! shared with reqwest, persisted to a 0600 file written atomically.
//!
//! Rule: the session value is never logged (`Debug` is redacted); the file is replaced by
//! rename, so a crash never leaves a half-written session behind.

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::Url;
use reqwest_cookie_store::{CookieStore, CookieStoreMutex};

/// The session cookie; its value authenticates every call.
pub const SESSION_COOKIE: &str = "hmac_signed_session";
/// The per-client id cookie; its value is the gateway's `guildedClientId` and the
/// `guilded-client-id` header.
pub const CLIENT_ID_COOKIE: &str = "guilded_mid";

/// Why the session file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SessionFileError {
    #[error("cannot read the session file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the session file {path} is damaged ({reason}); log in again")]
    Corrupt { path: PathBuf, reason: String },
    #[error("cannot write the session file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A logged-in (or logging-in) client: the cookie jar, shared by every clone and by reqwest.
#[derive(Clone, Default)]
pub struct SessionCookies {
    jar: Arc<CookieStoreMutex>,
}

impl std::fmt::Debug for SessionCookies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCookies")
            .field("logged_in", &self.is_logged_in())
            .field("client_id", &self.client_id())
            .finish_non_exhaustive()
    }
}

impl SessionCookies {
    /// An empty session (no cookies yet).
    pub fn new() -> Self {
        Self::default()
    }

    /// The jar to hand to `reqwest::ClientBuilder::cookie_provider`.
    pub(crate) fn jar(&self) -> Arc<CookieStoreMutex> {
        Arc::clone(&self.jar)
    }

    fn cookie_value(&self, name: &str) -> Option<String> {
        let store = self.jar.lock().ok()?;
        // Several domains could hold the cookie (www vs api host); any unexpired one will do.
        store
            .iter_unexpired()
            .find(|c| c.name() == name)
            .map(|c| c.value().to_owned())
    }

    /// Whether the jar holds an unexpired session cookie.
    pub fn is_logged_in(&self) -> bool {
        self.cookie_value(SESSION_COOKIE).is_some()
    }

    /// The `guilded_mid` value: the gateway's `guildedClientId`.
    pub fn client_id(&self) -> Option<String> {
        self.cookie_value(CLIENT_ID_COOKIE)
    }

    /// The `Cookie` header for the gateway upgrade to `gateway_url`: exactly the cookies the
    /// jar would send there, as a browser does for a WebSocket (RFC 6455 §4.1: the cookies of
    /// the URL's http equivalent, `ws` → `http`, `wss` → `https`), so domain, path and Secure
    /// rules hold: a session set by one host is not sent to another, and a `Secure` one never
    /// over `ws://` — with one exception for a session set by a sibling host of the same site
    /// over TLS ([`sibling_host_cookies`]). `None` when the jar would send nothing.
    pub fn gateway_cookie_header(&self, gateway_url: &Url) -> Option<String> {
        let mut url = gateway_url.clone();
        let http_scheme = match url.scheme() {
            "ws" => "http",
            "wss" => "https",
            _ => return None,
        };
        url.set_scheme(http_scheme).ok()?;
        let store = self.jar.lock().ok()?;
        let mut cookies: Vec<(&str, &str)> = store.get_request_values(&url).collect();
        if !cookies.iter().any(|(name, _)| *name == SESSION_COOKIE) {
            cookies.extend(sibling_host_cookies(&store, &url));
        }
        // The jar's order is arbitrary: the session first (as documented), then by name.
        cookies.sort_unstable_by_key(|(name, _)| (*name != SESSION_COOKIE, *name));
        let header = cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        (!header.is_empty()).then_some(header)
    }

    /// Whether the jar would send a session cookie to `api_url` (a saved session for another
    /// server, e.g. the demo, does not count).
    pub fn is_logged_in_to(&self, api_url: &Url) -> bool {
        let Ok(store) = self.jar.lock() else {
            return false;
        };
        store
            .get_request_values(api_url)
            .any(|(name, _)| name == SESSION_COOKIE)
    }

    /// Forget every cookie (logout).
    pub fn clear(&self) {
        if let Ok(mut store) = self.jar.lock() {
            store.clear();
        }
    }

    /// Load a saved session. `Ok(None)` when there is no file.
    pub fn load(path: &Path) -> Result<Option<SessionCookies>, SessionFileError> {
        let file = match fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(SessionFileError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let store = cookie_store::serde::json::load(BufReader::new(file)).map_err(|e| {
            SessionFileError::Corrupt {
                path: path.to_owned(),
                reason: e.to_string(),
            }
        })?;
        Ok(Some(SessionCookies {
            jar: Arc::new(CookieStoreMutex::new(store)),
        }))
    }

    /// Save the session: a temp file in the same directory (mode 0600 from creation), then
    /// rename over `path`. Creates the directory (0700) if needed.
    pub fn save(&self, path: &Path) -> Result<(), SessionFileError> {
        let write_err = |source| SessionFileError::Write {
            path: path.to_owned(),
            source,
        };
        let mut json = Vec::new();
        {
            let store = self
                .jar
                .lock()
                .map_err(|_| write_err(std::io::Error::other("cookie jar poisoned")))?;
            // Plain `save` skips non-persistent cookies, and Guilded's session cookie has no
            // Expires: it would never reach the file.
            cookie_store::serde::json::save_incl_expired_and_nonpersistent(&store, &mut json)
                .map_err(|e| write_err(std::io::Error::other(e.to_string())))?;
        }
        crate::private_fs::write_atomically(path, &json).map_err(write_err)
    }

    /// Build a session from raw `Set-Cookie`-style cookies for `url` (tests, demo mode).
    pub fn from_cookies(url: &Url, cookies: &[(&str, &str)]) -> SessionCookies {
        let mut store = CookieStore::default();
        for (name, value) in cookies {
            let raw = format!("{name}={value}; Path=/; HttpOnly");
            // A malformed pair is simply not stored; the caller sees it as "not logged in".
            let _ = store.parse(&raw, url);
        }
        SessionCookies {
            jar: Arc::new(CookieStoreMutex::new(store)),
        }
    }
}

/// Remove the session file; a missing file is not an error.
pub fn remove_session_file(path: &Path) -> Result<(), SessionFileError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(SessionFileError::Write {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Host-only cookies set by a sibling of the gateway's host, for a TLS gateway only. The
/// official service answers REST on `www.guilded.gg` and the gateway on `api.guilded.gg`,
/// and its cookies' Domain attribute is not documented: if the session was set host-only by
/// `www`, a strict jar would never send it to `api`, and gilt could not connect at all. Every
/// known Guilded client sends the session to the gateway, so gilt does too, but only between
/// two named hosts of one parent domain with at least two labels (`www.guilded.gg` and
/// `api.guilded.gg`, never `a.gg` and `b.gg`, never IP addresses), and never in the clear.
fn sibling_host_cookies<'a>(
    store: &'a CookieStore,
    https_url: &Url,
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let parent = |host: &str| {
        host.split_once('.')
            .map(|(_, rest)| rest.to_ascii_lowercase())
            .filter(|rest| rest.contains('.'))
    };
    let gateway_parent = https_url
        .domain()
        .filter(|_| https_url.scheme() == "https")
        .and_then(parent);
    store.iter_unexpired().filter_map(move |cookie| {
        let gateway_parent = gateway_parent.as_deref()?;
        let cookie_store::CookieDomain::HostOnly(host) = &cookie.domain else {
            return None;
        };
        let is_ip = host.parse::<std::net::IpAddr>().is_ok();
        (!is_ip && parent(host).as_deref() == Some(gateway_parent))
            .then(|| (cookie.name(), cookie.value()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gilt-session-{}", uuid::Uuid::new_v4()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn url() -> Url {
        Url::parse("http://127.0.0.1:4000/api").unwrap()
    }

    #[test]
    fn saved_session_reloads_with_its_cookies() {
        let dir = temp_dir();
        let path = dir.join("nested").join("session.json");
        let session = SessionCookies::from_cookies(
            &url(),
            &[(SESSION_COOKIE, "s3cr3t"), (CLIENT_ID_COOKIE, "0123abcd")],
        );
        session.save(&path).unwrap();
        let loaded = SessionCookies::load(&path).unwrap().unwrap();
        assert!(loaded.is_logged_in());
        assert!(loaded.is_logged_in_to(&url()));
        assert!(!loaded.is_logged_in_to(&Url::parse("https://www.guilded.gg/api").unwrap()));
        assert_eq!(loaded.client_id().as_deref(), Some("0123abcd"));
        // The cookie store keeps no order between cookies of the same path.
        let header = loaded
            .gateway_cookie_header(&Url::parse("ws://127.0.0.1:4000").unwrap())
            .unwrap();
        let mut pairs: Vec<&str> = header.split("; ").collect();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            ["guilded_mid=0123abcd", "hmac_signed_session=s3cr3t"]
        );
        // No temp files left behind.
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("session.json")]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_gateway_gets_only_the_cookies_the_jar_would_send_there() {
        let header = |session: &SessionCookies, url: &str| {
            session.gateway_cookie_header(&Url::parse(url).unwrap())
        };
        // Host-only cookies from 127.0.0.1: that host only, any port, ws or wss.
        let local = SessionCookies::from_cookies(&url(), &[(SESSION_COOKIE, "s")]);
        assert_eq!(
            header(&local, "ws://127.0.0.1:9/").as_deref(),
            Some("hmac_signed_session=s")
        );
        assert_eq!(header(&local, "ws://10.0.0.7:4000/"), None);
        assert_eq!(header(&local, "wss://api.guilded.gg/"), None);
        assert_eq!(header(&local, "https://127.0.0.1:4000/"), None);

        // A Secure session for the whole domain, as a browser would hold it.
        let session = SessionCookies::new();
        {
            let mut store = session.jar.lock().unwrap();
            let www = Url::parse("https://www.guilded.gg/api/login").unwrap();
            store
                .parse(
                    "hmac_signed_session=s; Domain=guilded.gg; Path=/; Secure; HttpOnly",
                    &www,
                )
                .unwrap();
            store
                .parse("guilded_mid=m; Domain=guilded.gg; Path=/", &www)
                .unwrap();
        }
        assert_eq!(
            header(&session, "wss://api.guilded.gg/socket.io/?EIO=3").as_deref(),
            Some("hmac_signed_session=s; guilded_mid=m")
        );
        // In the clear, the Secure session stays home.
        assert_eq!(
            header(&session, "ws://api.guilded.gg/").as_deref(),
            Some("guilded_mid=m")
        );
        // Another domain gets nothing.
        assert_eq!(header(&session, "wss://guilded.gg.evil.example/"), None);
    }

    #[test]
    fn a_host_only_session_reaches_the_sibling_gateway_over_tls_only() {
        let header = |session: &SessionCookies, url: &str| {
            session.gateway_cookie_header(&Url::parse(url).unwrap())
        };
        // Set host-only by www (its Domain attribute is undocumented), as the official REST does.
        let www = Url::parse("https://www.guilded.gg/api").unwrap();
        let session = SessionCookies::from_cookies(&www, &[(SESSION_COOKIE, "s")]);
        assert_eq!(
            header(&session, "wss://api.guilded.gg/socket.io/").as_deref(),
            Some("hmac_signed_session=s")
        );
        assert_eq!(
            header(&session, "ws://api.guilded.gg/"),
            None,
            "never in clear"
        );
        assert_eq!(header(&session, "wss://api.other.gg/"), None);
        assert_eq!(
            header(&session, "wss://guilded.gg/"),
            None,
            "not the parent itself"
        );
        // Two labels only: `a.gg` and `b.gg` are not siblings of one site.
        let short = SessionCookies::from_cookies(
            &Url::parse("https://a.gg/api").unwrap(),
            &[(SESSION_COOKIE, "s")],
        );
        assert_eq!(header(&short, "wss://b.gg/"), None);
        // Addresses are never siblings.
        let ip = SessionCookies::from_cookies(
            &Url::parse("https://10.0.0.1/api").unwrap(),
            &[(SESSION_COOKIE, "s")],
        );
        assert_eq!(header(&ip, "wss://10.0.0.2/"), None);
    }

    #[cfg(unix)]
    #[test]
    fn session_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir();
        let path = dir.join("session.json");
        SessionCookies::from_cookies(&url(), &[(SESSION_COOKIE, "x")])
            .save(&path)
            .unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Overwriting keeps the mode (a new file is renamed over the old one).
        SessionCookies::from_cookies(&url(), &[(SESSION_COOKIE, "y")])
            .save(&path)
            .unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn missing_file_is_no_session_and_garbage_is_a_clear_error() {
        let dir = temp_dir();
        let path = dir.join("session.json");
        assert!(SessionCookies::load(&path).unwrap().is_none());
        fs::write(&path, b"{not json").unwrap();
        let err = SessionCookies::load(&path).unwrap_err();
        assert!(err.to_string().contains("log in again"), "{err}");
        remove_session_file(&path).unwrap();
        remove_session_file(&path).unwrap();
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn debug_never_shows_the_session_value() {
        let session = SessionCookies::from_cookies(&url(), &[(SESSION_COOKIE, "TOPSECRET")]);
        assert!(!format!("{session:?}").contains("TOPSECRET"));
        session.clear();
        assert!(!session.is_logged_in());
    }
}
