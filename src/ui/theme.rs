//! Colours and text styles, in one place: restrained, on the terminal's own default fg/bg.
//!
//! Rule: panes never build colours themselves; they ask the theme. Muted text uses the DIM
//! modifier rather than a grey (a fixed grey vanishes on some dark palettes, e.g. Solarized).

use ratatui::style::{Color, Modifier, Style};

use crate::app::UserId;

/// The styles every pane draws with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Default text: the terminal's own colours.
    pub base: Style,
    /// Secondary text: times, hints, separators.
    pub muted: Style,
    /// Focus, selection bar, the open channel.
    pub accent: Style,
    /// The focused pane's border.
    pub border_focused: Style,
    /// Unfocused borders and frames.
    pub border: Style,
    /// A channel with unread messages.
    pub unread: Style,
    /// The mention-count badge.
    pub badge: Style,
    /// A mention of someone else, a role, a channel link.
    pub mention: Style,
    /// A mention of the user (or @everyone/@here): it must stand out.
    pub mention_me: Style,
    /// Links.
    pub link: Style,
    /// Inline code and code blocks.
    pub code: Style,
    /// Errors, failed sends, offline.
    pub error: Style,
    /// Warnings: reconnecting.
    pub warn: Style,
    /// Good news: connected.
    pub ok: Style,
    /// The selected row of a list (sidebar cursor, switcher).
    pub selected: Style,
    /// Section titles (sidebar headings, popup titles).
    pub title: Style,
}

/// Author colours: mid-luminance 256-palette entries that read on both dark and light
/// backgrounds (no pure blue, no light yellow).
const USER_PALETTE: [u8; 12] = [167, 173, 179, 107, 72, 73, 68, 104, 139, 175, 131, 137];

impl Default for Theme {
    fn default() -> Self {
        Theme {
            base: Style::new(),
            muted: Style::new().add_modifier(Modifier::DIM),
            accent: Style::new().fg(Color::Cyan),
            border_focused: Style::new().fg(Color::Cyan),
            border: Style::new().add_modifier(Modifier::DIM),
            unread: Style::new().add_modifier(Modifier::BOLD),
            badge: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            mention: Style::new().fg(Color::Magenta),
            mention_me: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            link: Style::new()
                .fg(Color::Cyan)
                .add_modifier(Modifier::UNDERLINED),
            code: Style::new().fg(Color::Green),
            error: Style::new().fg(Color::Red),
            warn: Style::new().fg(Color::Yellow),
            ok: Style::new().fg(Color::Green),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            title: Style::new().add_modifier(Modifier::BOLD),
        }
    }
}

impl Theme {
    /// The stable colour of a user: a hash of the user id into [`USER_PALETTE`].
    pub fn user_color(&self, user_id: &UserId) -> Color {
        // FNV-1a: stable across runs and versions (std's hasher is not promised to be).
        let mut h: u32 = 0x811c_9dc5;
        for b in user_id.as_str().bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
        let i = (h as usize) % USER_PALETTE.len();
        Color::Indexed(USER_PALETTE.get(i).copied().unwrap_or(USER_PALETTE[0]))
    }

    /// The style of an author's name.
    pub fn author(&self, user_id: &UserId) -> Style {
        Style::new()
            .fg(self.user_color(user_id))
            .add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_colours_are_stable_and_spread() {
        let t = Theme::default();
        assert_eq!(
            t.user_color(&"4WNdoPld".into()),
            t.user_color(&"4WNdoPld".into())
        );
        let distinct: std::collections::HashSet<_> = ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .map(|id| t.user_color(&UserId::from(*id)))
            .collect();
        assert!(distinct.len() >= 4, "{distinct:?}");
    }
}
