//! Rendering: `render(frame, &App)` draws the model; it never changes it.
