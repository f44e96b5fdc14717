//! Rendering: `render(frame, &App)` draws the model; it never changes it.

pub mod cache;
pub mod emoji;
pub mod rich;
pub mod text;
pub mod theme;
pub mod time;
