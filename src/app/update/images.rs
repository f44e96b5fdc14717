//! Inline images: the UI reports previews it has nothing for, the reducer asks the edge to
//! fetch each once (only from `image_hosts`; others when the user asks, `load_images`), and
//! the answers fill the cache.

use std::sync::Arc;
use std::time::Instant;

use super::View;
use crate::app::images::{ImageState, Preview, host_of, image_urls};
use crate::app::links::is_web;
use crate::app::{App, Effect, Message};

/// The most fetches one report starts (a frame shows only a few previews anyway).
const FETCHES_PER_REPORT: usize = 8;

pub(super) fn on_images_wanted(app: &mut App, urls: Vec<String>, fx: &mut Vec<Effect>) -> View {
    if !app.settings.images {
        return View::Unchanged;
    }
    let mut asked = 0;
    for url in urls {
        if asked == FETCHES_PER_REPORT {
            break;
        }
        // Another host would learn the user's address: that fetch waits for `load_images`.
        if !is_web(&url) || app.images.get(&url).is_some() || !app.settings.image_hosts.allows(&url)
        {
            continue;
        }
        app.images.set(&url, ImageState::Loading);
        fx.push(Effect::FetchImage(url));
        asked += 1;
    }
    if asked == 0 {
        View::Unchanged
    } else {
        View::Changed
    }
}

/// `load_images` on message `m`: fetch its previews from hosts not in `image_hosts` (the user
/// asked, so the host may learn their address).
pub(super) fn load_asked(app: &mut App, m: &Message, now: Instant, fx: &mut Vec<Effect>) {
    if !app.settings.images {
        app.notify("Image previews are off (images = \"off\")", false, now);
        return;
    }
    let waiting: Vec<String> = image_urls(&m.content)
        .into_iter()
        .filter(|url| app.images.get(url).is_none())
        .map(str::to_owned)
        .collect();
    if waiting.is_empty() {
        app.notify("No image to load in this message", false, now);
        return;
    }
    let mut hosts: Vec<String> = waiting.iter().filter_map(|u| host_of(u)).collect();
    hosts.dedup();
    for url in waiting {
        app.images.set(&url, ImageState::Loading);
        fx.push(Effect::FetchImage(url));
    }
    let from = crate::sanitize::sanitize(&hosts.join(", ")).into_owned();
    app.notify(format!("Loading images from {from}"), false, now);
}

pub(super) fn on_image_loaded(
    app: &mut App,
    url: &str,
    result: Result<Arc<Preview>, String>,
) -> View {
    // Only answers to a fetch still waited for (not one evicted meanwhile).
    if app.images.get(url) != Some(&ImageState::Loading) {
        return View::Unchanged;
    }
    let state = match result {
        Ok(preview) => ImageState::Ready(preview),
        Err(reason) => ImageState::Failed(reason),
    };
    app.images.set(url, state);
    View::Changed
}
