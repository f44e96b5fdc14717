//! The parts of the configuration the reducer reads.

use crate::config::{Clock, NotifyMode};

/// The parts of the configuration the reducer uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub history_limit: usize,
    pub loaded_channels: usize,
    pub send_typing: bool,
    pub bell_on_mention: bool,
    /// How a DM or mention is announced (`None`: the reducer asks for nothing).
    pub notify: NotifyMode,
    /// Keep the window title showing the unread total.
    pub set_title: bool,
    /// Running over SSH (`$SSH_CONNECTION`, set by the runtime): links are copied (OSC 52)
    /// instead of opened on a machine the user is not sitting at.
    pub remote: bool,
    /// How the UI shows message times.
    pub clock: Clock,
    /// A local store is open (set by the runtime): older history comes back from it cheaply,
    /// so memory keeps only a window ([`Settings::window`]).
    pub store: bool,
    /// Show image previews under messages (`images = "auto"`).
    pub images: bool,
    /// Where previews are fetched from without asking: `image_hosts` and the server's host.
    pub image_hosts: super::images::ImageHosts,
}

/// `image_hosts`, and the server gilt talks to (its own media, and the demo's).
fn image_hosts(config: &crate::config::Config) -> super::images::ImageHosts {
    let mut hosts = super::images::ImageHosts::new(&config.image_hosts);
    if let Some(host) = super::images::host_of(&config.api_url) {
        hosts.add(&host);
    }
    hosts
}

/// The most messages a channel's window holds at the newest message while the store is open
/// (four times that while scrolled up); `history_limit` still applies when it is smaller.
pub const STORE_WINDOW: usize = 200;

impl Default for Settings {
    fn default() -> Self {
        Settings::from_config(&crate::config::Config::default())
    }
}

impl Settings {
    /// The reducer's settings from the user's configuration.
    pub fn from_config(config: &crate::config::Config) -> Settings {
        Settings {
            history_limit: config.history_limit.max(1),
            loaded_channels: config.loaded_channels.max(1),
            send_typing: config.send_typing,
            bell_on_mention: config.bell_on_mention,
            notify: config.notify,
            set_title: config.set_title,
            remote: false,
            clock: config.clock,
            store: false,
            images: config.images == crate::config::ImagesMode::Auto,
            image_hosts: image_hosts(config),
        }
    }

    /// How many messages a channel keeps in memory at its newest message: `history_limit`,
    /// at most [`STORE_WINDOW`] with a store (older ones come back from it on scroll).
    pub fn window(&self) -> usize {
        if self.store {
            self.history_limit.min(STORE_WINDOW)
        } else {
            self.history_limit
        }
    }
}
