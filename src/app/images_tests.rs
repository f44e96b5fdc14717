//! Inline images in the reducer and the frame: the UI reports a preview it has nothing for,
//! the reducer asks for it once, and the answer (a preview or an error) is drawn.

use std::sync::Arc;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{ImageHosts, ImageState, Preview};
use crate::app::tests::{GENERAL, created, loaded, message};
use crate::app::{App, Effect, Msg, key, update};
use crate::protocol::content::{Block, MediaKind};

const URL: &str = "https://cdn.example/pic.png";
/// An image on a host not in `image_hosts`.
const TRACKER: &str = "https://tracker.example/pixel.png";

/// #general with a message carrying an image node (its host allowed).
fn with_image(t0: Instant, images: bool) -> App {
    with_image_at(t0, images, URL)
}

fn with_image_at(t0: Instant, images: bool, url: &str) -> App {
    let mut app = loaded(t0);
    app.settings.images = images;
    app.settings.image_hosts = ImageHosts::new(&["cdn.example"]);
    let mut m = message("p1", GENERAL, "alice001", 1, "look");
    let mut content = m.content.into_rich();
    content.blocks.push(Block::Media {
        kind: MediaKind::Image,
        url: url.into(),
    });
    m.content = content.into();
    update(&mut app, created(m), t0);
    app
}

fn press(app: &mut App, code: key::KeyCode, mods: key::Mods, t0: Instant) -> Vec<Effect> {
    update(app, Msg::Key(key::Key::new(code, mods)), t0)
}

/// Draw a frame; the screen's text and the image URLs the frame asked for.
fn frame(app: &App) -> (String, Vec<String>) {
    let mut ui = crate::ui::Ui::new();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui.draw(f, app)).unwrap();
    (terminal.backend().to_string(), ui.wanted_images)
}

fn red_square() -> Arc<Preview> {
    Arc::new(Preview {
        width: 4,
        height: 4,
        pixels: vec![Some([200, 0, 0]); 16],
        graphic: None,
    })
}

fn fetches(fx: &[Effect]) -> Vec<&Effect> {
    fx.iter()
        .filter(|e| matches!(e, Effect::FetchImage(_)))
        .collect()
}

#[test]
fn a_visible_image_is_fetched_once_then_drawn() {
    let t0 = Instant::now();
    let mut app = with_image(t0, true);
    let (screen, wanted) = frame(&app);
    assert_eq!(wanted, vec![URL.to_owned()]);
    assert!(screen.contains("loading image"), "{screen}");

    let fx = update(&mut app, Msg::ImagesWanted(wanted.clone()), t0);
    assert_eq!(fx, vec![Effect::FetchImage(URL.into())]);
    // Asked again (a frame drawn before the answer): no second fetch.
    let fx = update(&mut app, Msg::ImagesWanted(wanted), t0);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
    let (screen, wanted) = frame(&app);
    assert!(wanted.is_empty());
    assert!(screen.contains("loading image"), "{screen}");

    update(
        &mut app,
        Msg::ImageLoaded {
            url: URL.into(),
            result: Ok(red_square()),
        },
        t0,
    );
    assert_eq!(app.images.get(URL), Some(&ImageState::Ready(red_square())));
    let (screen, wanted) = frame(&app);
    assert!(wanted.is_empty());
    assert!(!screen.contains("loading image"), "{screen}");
    assert!(screen.contains("▀▀▀▀"), "{screen}");
}

#[test]
fn a_failed_image_shows_one_sanitised_line_and_is_not_fetched_again() {
    let t0 = Instant::now();
    let mut app = with_image(t0, true);
    update(&mut app, Msg::ImagesWanted(vec![URL.into()]), t0);
    update(
        &mut app,
        Msg::ImageLoaded {
            url: URL.into(),
            result: Err("the server answered 404\x1b[31m".into()),
        },
        t0,
    );
    let (screen, wanted) = frame(&app);
    assert!(wanted.is_empty());
    assert!(
        screen.contains("✗ image: the server answered 404 "),
        "{screen}"
    );
    assert!(!screen.contains("[31m"), "{screen}");
    let fx = update(&mut app, Msg::ImagesWanted(vec![URL.into()]), t0);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
}

#[test]
fn answers_nobody_waits_for_and_unsafe_urls_are_ignored() {
    let t0 = Instant::now();
    let mut app = with_image(t0, true);
    update(
        &mut app,
        Msg::ImageLoaded {
            url: URL.into(),
            result: Ok(red_square()),
        },
        t0,
    );
    assert_eq!(app.images.get(URL), None);
    let fx = update(
        &mut app,
        Msg::ImagesWanted(vec!["file:///etc/passwd".into()]),
        t0,
    );
    assert!(fetches(&fx).is_empty(), "{fx:?}");
}

#[test]
fn with_images_off_nothing_is_fetched_and_the_link_stays() {
    let t0 = Instant::now();
    let mut app = with_image(t0, false);
    let (screen, wanted) = frame(&app);
    assert!(wanted.is_empty());
    assert!(
        screen.contains("[image] https://cdn.example/pic.png"),
        "{screen}"
    );
    assert!(!screen.contains("loading image"), "{screen}");
    let fx = update(&mut app, Msg::ImagesWanted(vec![URL.into()]), t0);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
}

/// `o` on the message still opens the full image.
#[test]
fn o_opens_the_full_image() {
    let t0 = Instant::now();
    let mut app = with_image(t0, true);
    update(
        &mut app,
        Msg::Key(key::Key::new(key::KeyCode::Char('s'), key::Mods::ALT)),
        t0,
    );
    let fx = update(
        &mut app,
        Msg::Key(key::Key::new(key::KeyCode::Char('o'), key::Mods::NONE)),
        t0,
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::OpenUrl(u) | Effect::Copy(u) if u == URL)),
        "{fx:?}"
    );
}

#[test]
fn an_image_from_a_host_not_allowed_is_not_fetched_until_asked_for() {
    let t0 = Instant::now();
    let mut app = with_image_at(t0, true, TRACKER);
    let (screen, wanted) = frame(&app);
    // Nothing asked for: the line says where the image is and how to load it.
    assert!(wanted.is_empty(), "{wanted:?}");
    assert!(
        screen.contains("⊘ image from tracker.example · i on the message loads it"),
        "{screen}"
    );
    assert!(!screen.contains("loading image"), "{screen}");
    // Even if the frame did report it, the reducer does not fetch it.
    let fx = update(&mut app, Msg::ImagesWanted(vec![TRACKER.into()]), t0);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
    assert_eq!(app.images.get(TRACKER), None);

    // Select the message and press i: now it is fetched, once.
    press(&mut app, key::KeyCode::Char('s'), key::Mods::ALT, t0);
    let fx = press(&mut app, key::KeyCode::Char('i'), key::Mods::NONE, t0);
    assert_eq!(fx, vec![Effect::FetchImage(TRACKER.into())]);
    assert_eq!(app.images.get(TRACKER), Some(&ImageState::Loading));
    let (screen, _) = frame(&app);
    assert!(screen.contains("loading image"), "{screen}");
    assert!(
        screen.contains("Loading images from tracker.example"),
        "{screen}"
    );
    let fx = press(&mut app, key::KeyCode::Char('i'), key::Mods::NONE, t0);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
    let notice = app.notice.as_ref().map(|n| n.text.as_str());
    assert_eq!(notice, Some("No image to load in this message"));

    update(
        &mut app,
        Msg::ImageLoaded {
            url: TRACKER.into(),
            result: Ok(red_square()),
        },
        t0,
    );
    let (screen, _) = frame(&app);
    assert!(!screen.contains("image from tracker"), "{screen}");
    assert!(screen.contains('▀'), "{screen}");
}

#[test]
fn load_images_with_previews_off_fetches_nothing() {
    let t0 = Instant::now();
    let mut app = with_image_at(t0, false, TRACKER);
    press(&mut app, key::KeyCode::Char('s'), key::Mods::ALT, t0);
    let fx = press(&mut app, key::KeyCode::Char('i'), key::Mods::NONE, t0);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
    assert_eq!(app.images.get(TRACKER), None);
}

#[test]
fn the_default_hosts_are_guildeds_and_the_servers() {
    let config = crate::config::Config {
        api_url: "http://127.0.0.1:4123/api".into(),
        ..crate::config::Config::default()
    };
    let hosts = crate::app::Settings::from_config(&config).image_hosts;
    assert!(hosts.allows("http://127.0.0.1:4123/media/demo.png"));
    assert!(hosts.allows("https://img.guildedcdn.com/ContentMedia/x.png"));
    assert!(!hosts.allows(TRACKER));
}
