//! Mouse input: a click on a sidebar row opens it, a click on a message selects it, the wheel
//! over the timeline scrolls it; what is where comes from a hit-map (hand-made here, and one
//! drawn by the real UI).

use std::time::Instant;

use super::tests::{DM, GENERAL, RANDOM, created, loaded, message};
use super::*;

fn area(x: u16, y: u16, width: u16) -> Area {
    Area {
        x,
        y,
        width,
        height: 1,
    }
}

fn mouse(action: MouseAction, column: u16, row: u16, hits: &HitMap) -> Msg {
    Msg::Mouse {
        mouse: Mouse {
            action,
            column,
            row,
        },
        hits: Box::new(hits.clone()),
    }
}

/// Sidebar rows 0.. on the left (20 wide), the timeline right of it.
fn hits_with(messages: &[&str]) -> HitMap {
    HitMap {
        sidebar: vec![
            (area(0, 0, 20), SidebarEntry::Team(0)),
            (
                area(0, 1, 20),
                SidebarEntry::Category {
                    name: "Text".into(),
                },
            ),
            (area(0, 2, 20), SidebarEntry::Channel(GENERAL.into())),
            (area(0, 3, 20), SidebarEntry::Channel(RANDOM.into())),
            (area(0, 4, 20), SidebarEntry::DmHeader),
            (area(0, 5, 20), SidebarEntry::Dm(DM.into())),
        ],
        timeline: Area {
            x: 20,
            y: 0,
            width: 60,
            height: 20,
        },
        messages: messages
            .iter()
            .zip(2u16..)
            .map(|(id, y)| (area(20, y, 60), MessageId::from(*id)))
            .collect(),
        ..HitMap::default()
    }
}

fn with_messages(n: usize, t0: Instant) -> App {
    let mut app = loaded(t0);
    for i in 0..n {
        let id = format!("m{i}");
        let secs = i64::try_from(i).unwrap();
        update(
            &mut app,
            created(message(&id, GENERAL, "alice001", secs, "hi")),
            t0,
        );
    }
    app
}

#[test]
fn a_click_on_a_sidebar_row_opens_that_channel_or_dm() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let hits = hits_with(&[]);
    let fx = update(&mut app, mouse(MouseAction::Click, 5, 3, &hits), t0);
    assert_eq!(app.current, Some(RANDOM.into()));
    assert_eq!(app.focus, Focus::Composer);
    assert!(fx.iter().any(
        |e| matches!(e, Effect::LoadHistory { channel, .. } if channel == &ChannelId::from(RANDOM))
    ));
    update(&mut app, mouse(MouseAction::Click, 19, 5, &hits), t0);
    assert_eq!(app.current, Some(DM.into()));
}

#[test]
fn a_click_on_a_heading_or_empty_space_does_nothing() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let hits = hits_with(&[]);
    for (column, row) in [(3, 1), (3, 4), (3, 15), (20, 3)] {
        let fx = update(&mut app, mouse(MouseAction::Click, column, row, &hits), t0);
        assert!(fx.is_empty(), "click at {column},{row}: {fx:?}");
        assert_eq!(app.current, Some(GENERAL.into()));
    }
}

#[test]
fn a_click_on_a_message_selects_it() {
    let t0 = Instant::now();
    let mut app = with_messages(5, t0);
    assert_eq!(app.focus, Focus::Composer);
    let hits = hits_with(&["m2", "m3", "m4"]);
    update(&mut app, mouse(MouseAction::Click, 40, 3, &hits), t0);
    assert_eq!(app.focus, Focus::Timeline);
    assert_eq!(app.timeline().unwrap().selected, Some("m3".into()));
    update(&mut app, mouse(MouseAction::Click, 21, 2, &hits), t0);
    assert_eq!(app.timeline().unwrap().selected, Some("m2".into()));
    // A message the timeline no longer holds (an old frame) is not selected.
    let stale = hits_with(&["gone"]);
    update(&mut app, mouse(MouseAction::Click, 40, 2, &stale), t0);
    assert_eq!(app.timeline().unwrap().selected, Some("m2".into()));
}

#[test]
fn the_wheel_over_the_timeline_scrolls_it_three_per_notch() {
    let t0 = Instant::now();
    let mut app = with_messages(30, t0);
    let hits = hits_with(&[]);
    update(&mut app, mouse(MouseAction::WheelUp, 40, 10, &hits), t0);
    assert_eq!(app.timeline().unwrap().scroll, 3);
    update(&mut app, mouse(MouseAction::WheelUp, 40, 10, &hits), t0);
    assert_eq!(app.timeline().unwrap().scroll, 6);
    update(&mut app, mouse(MouseAction::WheelDown, 40, 10, &hits), t0);
    assert_eq!(app.timeline().unwrap().scroll, 3);
    // Over the sidebar the wheel does not move the timeline.
    update(&mut app, mouse(MouseAction::WheelUp, 5, 10, &hits), t0);
    assert_eq!(app.timeline().unwrap().scroll, 3);
}

#[test]
fn an_open_popup_takes_no_clicks() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    app.popup = Some(Popup::Help { scroll: 0 });
    let hits = hits_with(&[]);
    update(&mut app, mouse(MouseAction::Click, 5, 3, &hits), t0);
    assert_eq!(app.current, Some(GENERAL.into()));
}

#[test]
fn the_drawn_hit_map_leads_a_click_to_what_is_on_screen() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    let t0 = Instant::now();
    let mut app = with_messages(3, t0);
    update(
        &mut app,
        Msg::Resize {
            width: 100,
            height: 30,
        },
        t0,
    );
    let mut ui = crate::ui::Ui::new();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| ui.draw(f, &app)).unwrap();
    let (random, _) = ui
        .hits
        .sidebar
        .iter()
        .find(|(_, e)| e == &SidebarEntry::Channel(RANDOM.into()))
        .unwrap();
    // The row shows that channel's name.
    let buffer = terminal.backend().buffer();
    let row: String = (random.x..random.x + random.width)
        .map(|x| buffer[(x, random.y)].symbol().to_owned())
        .collect();
    assert!(row.contains("random"), "{row:?}");
    let (m1, _) = ui
        .hits
        .messages
        .iter()
        .find(|(_, id)| id == &MessageId::from("m1"))
        .unwrap();
    let m1 = *m1;
    let random = *random;
    let hits = ui.hits.clone();
    update(
        &mut app,
        mouse(MouseAction::Click, m1.x + 5, m1.y, &hits),
        t0,
    );
    assert_eq!(app.timeline().unwrap().selected, Some("m1".into()));
    update(
        &mut app,
        mouse(MouseAction::Click, random.x + 1, random.y, &hits),
        t0,
    );
    assert_eq!(app.current, Some(RANDOM.into()));
}
