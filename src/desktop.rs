//! Desktop notifications (`notify = "desktop"`) over D-Bus, with notify-rust's pure-Rust zbus
//! backend on the runtime's tokio. Only where they reach the user: a session bus is there
//! and gilt does not run over SSH (a notification would pop up on the remote machine);
//! otherwise the terminal notification is used instead (see `osc::Notifier`).

use crate::app::Notification;

/// Whether desktop notifications can reach the user, from environment values handed in.
pub fn usable(env: &dyn Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    cfg!(all(unix, not(target_os = "macos")))
        && set("DBUS_SESSION_BUS_ADDRESS")
        && !set("SSH_CONNECTION")
        && !set("SSH_TTY")
}

/// Show `note` on the desktop, off the event loop; a failure is logged, never shown.
pub fn show(note: Notification) {
    #[cfg(all(unix, not(target_os = "macos")))]
    tokio::task::spawn_blocking(move || {
        let shown = notify_rust::Notification::new()
            .appname("gilt")
            .summary(&note.title)
            .body(&note.body)
            .show();
        if let Err(e) = shown {
            tracing::warn!("desktop notification failed: {e}");
        }
    });
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    drop(note);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn only_with_a_session_bus_and_never_over_ssh() {
        let local = env_of(&[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")]);
        assert_eq!(usable(&local), cfg!(all(unix, not(target_os = "macos"))));
        assert!(!usable(&env_of(&[])));
        assert!(!usable(&env_of(&[("DBUS_SESSION_BUS_ADDRESS", "")])));
        assert!(!usable(&env_of(&[
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"),
            ("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22"),
        ])));
        assert!(!usable(&env_of(&[
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"),
            ("SSH_TTY", "/dev/pts/3"),
        ])));
    }
}
