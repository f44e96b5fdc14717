//! Inline images: the UI reports previews it has nothing for, the reducer asks the edge to
//! fetch each once, and the answers fill the cache.

use std::sync::Arc;

use super::View;
use crate::app::images::{ImageState, Preview};
use crate::app::links::is_web;
use crate::app::{App, Effect};

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
        if !is_web(&url) || app.images.get(&url).is_some() {
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
