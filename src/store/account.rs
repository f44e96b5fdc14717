//! Which file holds whose messages: one store per server (the API URL) and user, so the demo
//! server's messages never mix with a real account's.
//!
//! Layout: `<stores dir>/<server key>/<user key>/store.sqlite3`, SQLite's `-wal` and `-shm`
//! files beside it. Each key is 16 hex digits of a stable hash (64-bit FNV-1a) of the API URL
//! and of the user id: URLs and ids come from outside and never become path components
//! themselves. One directory per server makes `gilt logout --forget` a single removal (a saved
//! session does not say which user it belongs to without asking the server). The full key is
//! also written into the file (`meta.account`) and checked on open, so a hash collision can
//! never mix two accounts.
//!
//! Permissions are set explicitly, whatever the umask: directories 0700, the file 0600
//! (SQLite gives its `-wal` and `-shm` files the database file's mode).

use std::fs;
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::app::model::UserId;

/// The store's file name inside its account directory.
pub const STORE_FILE: &str = "store.sqlite3";

/// Whose store: the server (REST base URL) and the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountKey {
    api_url: String,
    user_id: UserId,
}

impl AccountKey {
    /// The key of `user_id` on the server at `api_url` (trailing slashes do not matter).
    pub fn new(api_url: &str, user_id: &UserId) -> AccountKey {
        AccountKey {
            api_url: normalize_url(api_url),
            user_id: user_id.clone(),
        }
    }

    /// The key as written into the store's `meta` table (`<api url> <user id>`).
    pub fn as_text(&self) -> String {
        format!("{} {}", self.api_url, self.user_id)
    }

    /// The user's id.
    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    /// `<root>/<server key>/<user key>/store.sqlite3`.
    pub fn store_file(&self, root: &Path) -> PathBuf {
        self.account_dir(root).join(STORE_FILE)
    }

    fn account_dir(&self, root: &Path) -> PathBuf {
        server_dir(root, &self.api_url).join(hash_hex(self.user_id.as_str()))
    }

    /// Create the store's directories (0700) and its empty file (0600) if missing, and fix
    /// the modes of existing ones. Returns the file's path.
    pub fn prepare(&self, root: &Path) -> io::Result<PathBuf> {
        let dir = self.account_dir(root);
        fs::create_dir_all(&dir)?;
        // Every level that is ours: the stores root, the server's and the account's.
        for level in [root.to_path_buf(), server_dir(root, &self.api_url), dir] {
            fs::set_permissions(&level, fs::Permissions::from_mode(0o700))?;
        }
        let file = self.store_file(root);
        fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&file)?;
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
}

/// The directory of every store kept for the server at `api_url`.
pub fn server_dir(root: &Path, api_url: &str) -> PathBuf {
    root.join(hash_hex(&normalize_url(api_url)))
}

/// `gilt logout --forget`: delete every store kept for the server at `api_url` (its
/// messages, drafts and outbox). Returns whether there was anything to delete. The store must
/// not be open (the command runs without the client).
pub fn forget(root: &Path, api_url: &str) -> io::Result<bool> {
    match fs::remove_dir_all(server_dir(root, api_url)) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The file in a server's directory naming the user whose store was opened last.
const LAST_USER_FILE: &str = "last-user";

/// Note that `user` is the one signed in to the server at `api_url`: an offline start (no
/// server to say whose the saved session is) opens that user's store.
pub fn remember_user(root: &Path, api_url: &str, user: &UserId) -> io::Result<()> {
    use std::io::Write as _;
    let path = server_dir(root, api_url).join(LAST_USER_FILE);
    let mut file = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)?;
    file.write_all(user.as_str().as_bytes())
}

/// The user [`remember_user`] noted for the server at `api_url`, if any (a damaged note is
/// none: the start then needs the server).
pub fn remembered_user(root: &Path, api_url: &str) -> Option<UserId> {
    let text = fs::read_to_string(server_dir(root, api_url).join(LAST_USER_FILE)).ok()?;
    let id = text.trim();
    let plausible = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plausible.then(|| UserId::from(id.to_owned()))
}

fn normalize_url(url: &str) -> String {
    url.trim().trim_end_matches('/').to_owned()
}

/// 64-bit FNV-1a as 16 hex digits: stable across Rust versions and platforms (unlike std's
/// hasher), which a file name must be.
fn hash_hex(text: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let hash = text
        .bytes()
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv1a_64() {
        assert_eq!(hash_hex(""), "cbf29ce484222325");
        assert_eq!(hash_hex("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn server_and_user_both_choose_the_file() {
        let root = Path::new("/s");
        let real = AccountKey::new("https://www.guilded.gg/api", &"u1".into());
        let demo = AccountKey::new("http://127.0.0.1:4000/api", &"u1".into());
        let other_user = AccountKey::new("https://www.guilded.gg/api/", &"u2".into());
        assert_ne!(real.store_file(root), demo.store_file(root));
        assert_ne!(real.store_file(root), other_user.store_file(root));
        assert_eq!(
            real.store_file(root).parent().and_then(Path::parent),
            Some(server_dir(root, "https://www.guilded.gg/api/").as_path()),
            "a trailing slash names the same server"
        );
        assert_eq!(
            AccountKey::new("https://www.guilded.gg/api/", &"u1".into()),
            real,
            "keys compare normalised"
        );
        assert!(real.store_file(root).ends_with(STORE_FILE));
        assert_eq!(real.as_text(), "https://www.guilded.gg/api u1");
    }

    #[test]
    fn the_last_user_of_a_server_is_remembered_per_server() {
        let root = std::env::temp_dir().join(format!("gilt-last-user-{}", std::process::id()));
        let real = AccountKey::new("http://real/api", &"u1".into());
        real.prepare(&root).unwrap();
        assert_eq!(remembered_user(&root, "http://real/api"), None);
        remember_user(&root, "http://real/api/", &"u1".into()).unwrap();
        assert_eq!(remembered_user(&root, "http://real/api"), Some("u1".into()));
        assert_eq!(remembered_user(&root, "http://other/api"), None);
        // A damaged note names no one.
        let note = server_dir(&root, "http://real/api").join(LAST_USER_FILE);
        fs::write(&note, "../\u{1b}[2J").unwrap();
        assert_eq!(remembered_user(&root, "http://real/api"), None);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn hostile_ids_never_become_path_components() {
        let key = AccountKey::new("http://x/api", &"../../etc".into());
        let file = key.store_file(Path::new("/s"));
        assert!(!file.to_string_lossy().contains(".."), "{}", file.display());
    }
}
