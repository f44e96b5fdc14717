//! Render benchmark: one 120×40 frame of the whole screen with 1,000 and with 1,000,000
//! messages in the open channel. The timeline lays out only what is visible, so the two
//! should cost the same (target: the second ≤ 1.5× the first). See BENCHMARKS.md.
//!
//! - `warm`: a redraw with the layout cache filled (the common case: an event arrived);
//! - `cold`: a fresh renderer each frame (first frame, or after a resize: every visible
//!   message is wrapped again).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gilt::app::{App, Msg};
use gilt::testkit::world;
use gilt::ui::Ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app_with(count: usize) -> App {
    let now = Instant::now();
    let mut app = world::base_app(now);
    world::send(
        &mut app,
        Msg::History {
            channel: world::GENERAL.into(),
            messages: world::many_messages(count),
            has_past: false,
            older: false,
        },
        now,
    );
    assert_eq!(
        app.timeline().map(gilt::app::timeline::Timeline::len),
        Some(count)
    );
    app
}

fn render(c: &mut Criterion) {
    // Both worlds exist before anything is measured, so both runs see the same heap.
    let apps: Vec<(usize, App)> = [1_000usize, 1_000_000]
        .into_iter()
        .map(|n| (n, app_with(n)))
        .collect();
    let mut group = c.benchmark_group("render_120x40");
    for (count, app) in &apps {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut ui = Ui::new();
        // Fill the layout cache first: `warm` measures the redraw after an event.
        terminal.draw(|f| ui.draw(f, app)).unwrap();
        group.bench_with_input(BenchmarkId::new("warm", count), app, |b, app| {
            b.iter(|| {
                terminal.draw(|f| ui.draw(f, black_box(app))).unwrap();
            });
        });
        group.bench_with_input(BenchmarkId::new("cold", count), app, |b, app| {
            b.iter(|| {
                let mut fresh = Ui::new();
                terminal.draw(|f| fresh.draw(f, black_box(app))).unwrap();
            });
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
