//! Inline image previews: which URLs of a message are previewed, and the bounded cache of
//! what is known about each (loading, a decoded preview, or why it failed).
//!
//! The preview itself is decoded and scaled at the edge (`runtime::images`); the model keeps
//! only the small pixel grid the UI draws with half blocks and, where the terminal has an
//! image protocol, the escape sequence drawing the same box (encoded there too), never the
//! fetched bytes; none of it is persisted.

use std::collections::HashMap;
use std::sync::Arc;

use super::links::is_web;
use crate::protocol::content::{Block, MediaKind, RichText};

/// Rows a preview takes under its message (two pixels per row).
pub const PREVIEW_ROWS: u16 = 8;
/// The widest a preview is drawn, in columns (narrower panes scale it down).
pub const PREVIEW_COLS: u16 = 48;
/// Previews shown per message (a message with many images shows the first ones).
pub const MAX_PER_MESSAGE: usize = 2;
/// Entries the cache keeps (previews are a few KiB each); the least recently used go first.
pub const CACHE_ENTRIES: usize = 64;

/// A decoded image scaled to fit `PREVIEW_COLS` × `PREVIEW_ROWS` cells: `width` × `height`
/// pixels, row-major; `None` is a transparent pixel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub width: u16,
    pub height: u16,
    pub pixels: Vec<Option<[u8; 3]>>,
    /// The same image for the terminal's graphics protocol, filling the box the half blocks
    /// take (`width` columns, `height / 2` rows rounded up); None with half blocks.
    pub graphic: Option<Arc<Graphic>>,
}

/// An image as the escape sequences that draw it at the cursor, in `cols` × `rows` cells.
#[derive(Clone, PartialEq, Eq)]
pub struct Graphic {
    pub cols: u16,
    pub rows: u16,
    /// Sent once per screen: the picture itself (kitty: transmitted as image `id`, not shown).
    pub bytes: Vec<u8>,
    /// Kitty: the image's id in the terminal, and the placement that shows it (written each
    /// time it is placed; `bytes` only the first time). None: `bytes` draws it every time.
    pub kitty: Option<(u32, Vec<u8>)>,
}

impl std::fmt::Debug for Graphic {
    // The bytes are tens of KiB of base64 or sixel: their length says enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graphic")
            .field("cols", &self.cols)
            .field("rows", &self.rows)
            .field("bytes", &self.bytes.len())
            .field("kitty", &self.kitty.as_ref().map(|(id, _)| id))
            .finish()
    }
}

impl Preview {
    /// The cells the half-block preview takes at full size: (columns, rows).
    pub fn cells(&self) -> (u16, u16) {
        (self.width, self.height.div_ceil(2))
    }

    /// The pixel at column `x`, row `y` (transparent outside the grid).
    pub fn pixel(&self, x: u16, y: u16) -> Option<[u8; 3]> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = usize::from(y) * usize::from(self.width) + usize::from(x);
        self.pixels.get(i).copied().flatten()
    }
}

/// What is known about one image URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageState {
    /// Asked for; the fetch has not answered yet.
    Loading,
    Ready(Arc<Preview>),
    /// Why it could not be shown (untrusted text: sanitised where drawn).
    Failed(String),
}

/// The image cache: URL → state, bounded by count, least recently asked for or answered
/// evicted first.
#[derive(Debug, Default, Clone)]
pub struct Images {
    entries: HashMap<String, (ImageState, u64)>,
    clock: u64,
}

impl Images {
    /// What is known about `url`, if anything.
    pub fn get(&self, url: &str) -> Option<&ImageState> {
        self.entries.get(url).map(|(s, _)| s)
    }

    /// Remember `state` for `url`, evicting the least recently used entry when full.
    pub fn set(&mut self, url: &str, state: ImageState) {
        self.clock += 1;
        if !self.entries.contains_key(url) && self.entries.len() >= CACHE_ENTRIES {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        self.entries.insert(url.to_owned(), (state, self.clock));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The image hosts Guilded itself serves from: fetched without asking by default.
pub const GUILDED_IMAGE_HOSTS: &[&str] = &[
    "img.guildedcdn.com",
    "cdn.gilcdn.com",
    "s3-us-west-2.amazonaws.com/www.guilded.gg",
    "www.guilded.gg",
];

/// Where previews are fetched from without asking (`image_hosts`): any other host learns
/// the user's address from a fetch (a tracking image), so its images wait for the user.
/// An entry is a host (`img.guildedcdn.com`, the port does not matter), a host and a path
/// prefix (`s3-us-west-2.amazonaws.com/www.guilded.gg`: only under that path) or
/// `*.example.com` (that domain and its subdomains).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageHosts {
    /// (host, path prefix without its leading `/`, subdomains too)
    rules: Vec<(String, String, bool)>,
}

impl ImageHosts {
    pub fn new<S: AsRef<str>>(entries: &[S]) -> ImageHosts {
        let rules = entries
            .iter()
            .filter_map(|e| {
                let e = e.as_ref().trim().trim_end_matches('/');
                let (host, path) = e.split_once('/').unwrap_or((e, ""));
                let (host, wild) = match host.strip_prefix("*.") {
                    Some(domain) => (domain, true),
                    None => (host, false),
                };
                let host = host.to_ascii_lowercase();
                (!host.is_empty()).then(|| (host, path.to_owned(), wild))
            })
            .collect();
        ImageHosts { rules }
    }

    /// Add one entry (the configured server's host).
    pub fn add(&mut self, entry: &str) {
        self.rules.extend(ImageHosts::new(&[entry]).rules);
    }

    /// Whether `url` may be fetched without asking: an http(s) URL whose host (as the HTTP
    /// client reads it, so `user@host` and `\` tricks resolve the same) and path match an
    /// entry.
    pub fn allows(&self, url: &str) -> bool {
        let Ok(parsed) = url::Url::parse(url.trim()) else {
            return false;
        };
        if !matches!(parsed.scheme(), "http" | "https") {
            return false;
        }
        let Some(host) = parsed.host_str().map(str::to_ascii_lowercase) else {
            return false;
        };
        let path = parsed.path();
        self.rules.iter().any(|(rule, prefix, wild)| {
            let host_ok = host == *rule
                || (*wild
                    && host
                        .strip_suffix(rule.as_str())
                        .is_some_and(|sub| sub.ends_with('.')));
            let path_ok = prefix.is_empty()
                || path
                    .strip_prefix('/')
                    .and_then(|p| p.strip_prefix(prefix.as_str()))
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
            host_ok && path_ok
        })
    }
}

/// The host of an http(s) URL, for telling the user where an image would come from.
pub fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    parsed.host_str().map(str::to_owned)
}

/// The web image URLs of a message to preview, in reading order, at most
/// [`MAX_PER_MESSAGE`]: image nodes (attachments are image nodes) and embed images (the
/// thumbnail when an embed has no image).
pub fn image_urls<'a>(content: &'a RichText) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    let mut add = |url: &'a str| {
        let url = url.trim();
        if out.len() < MAX_PER_MESSAGE && is_web(url) && !out.contains(&url) {
            out.push(url);
        }
    };
    for block in &content.blocks {
        match block {
            Block::Media {
                kind: MediaKind::Image,
                url,
            } => add(url),
            Block::Embeds(embeds) => {
                for e in embeds {
                    if let Some(url) = e.image.as_deref().or(e.thumbnail.as_deref()) {
                        add(url);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
#[path = "images_tests.rs"]
mod flow_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::content::Embed;

    fn media(kind: MediaKind, url: &str) -> Block {
        Block::Media {
            kind,
            url: url.into(),
        }
    }

    #[test]
    fn image_nodes_and_embed_images_are_previewed_videos_and_other_schemes_not() {
        let content = RichText {
            blocks: vec![
                media(MediaKind::Video, "https://v.example/a.mp4"),
                media(MediaKind::Image, "file:///etc/passwd"),
                media(MediaKind::Image, " https://i.example/a.png "),
                Block::Embeds(vec![Embed {
                    thumbnail: Some("https://i.example/thumb.png".into()),
                    ..Embed::default()
                }]),
                media(MediaKind::Image, "https://i.example/third.png"),
            ],
        };
        assert_eq!(
            image_urls(&content),
            vec!["https://i.example/a.png", "https://i.example/thumb.png"]
        );
    }

    #[test]
    fn image_hosts_match_hosts_path_prefixes_and_subdomains_as_the_http_client_reads_them() {
        let hosts = ImageHosts::new(GUILDED_IMAGE_HOSTS);
        assert!(hosts.allows("https://img.guildedcdn.com/ContentMediaGenericFiles/a.png"));
        assert!(hosts.allows("HTTPS://IMG.GuildedCDN.com:443/a.png"));
        assert!(hosts.allows(
            "https://s3-us-west-2.amazonaws.com/www.guilded.gg/ContentMedia/0123-Full.webp"
        ));
        // The shared S3 host, outside Guilded's bucket: anyone's.
        assert!(!hosts.allows("https://s3-us-west-2.amazonaws.com/tracker/pixel.png"));
        assert!(!hosts.allows("https://s3-us-west-2.amazonaws.com/www.guilded.gg.evil/x.png"));
        // Tricks that name a Guilded host but go elsewhere.
        assert!(!hosts.allows("https://img.guildedcdn.com@evil.example/a.png"));
        assert!(!hosts.allows("https://img.guildedcdn.com.evil.example/a.png"));
        assert!(!hosts.allows("https://evil.example/img.guildedcdn.com/a.png"));
        assert!(!hosts.allows("ftp://img.guildedcdn.com/a.png"));
        assert!(!hosts.allows("not a url"));
        // Climbing out of the prefix is resolved before matching.
        assert!(
            !hosts.allows("https://s3-us-west-2.amazonaws.com/www.guilded.gg/../tracker/pixel.png")
        );
        let mut hosts = ImageHosts::new(&["*.example.com", "  "]);
        hosts.add("127.0.0.1");
        assert!(hosts.allows("https://example.com/a.png"));
        assert!(hosts.allows("https://cdn.example.com/a.png"));
        assert!(!hosts.allows("https://badexample.com/a.png"));
        assert!(hosts.allows("http://127.0.0.1:4000/media/demo.png"));
        assert_eq!(
            host_of("https://cdn.example.com:8443/x"),
            Some("cdn.example.com".into())
        );
    }

    #[test]
    fn the_cache_is_bounded_and_drops_the_least_recently_used() {
        let mut images = Images::default();
        for i in 0..CACHE_ENTRIES {
            images.set(&format!("https://i.example/{i}"), ImageState::Loading);
        }
        // Answering the first one makes it recent again.
        images.set("https://i.example/0", ImageState::Failed("x".into()));
        images.set("https://i.example/new", ImageState::Loading);
        assert_eq!(images.len(), CACHE_ENTRIES);
        assert!(images.get("https://i.example/0").is_some());
        assert!(images.get("https://i.example/1").is_none());
        assert!(images.get("https://i.example/new").is_some());
    }
}
