//! The app model and its pure reducer: `update(&mut App, Msg, now) -> Vec<Effect>`. No IO.
