//! Colours and text styles, in one place: restrained, on the terminal's own default fg/bg.
//!
//! Rule: panes never build colours themselves; they ask the theme. Muted text uses the DIM
//! modifier rather than a grey (a fixed grey vanishes on some dark palettes, e.g. Solarized).
//!
//! Built-in themes `dark` (default), `light` and `mono` (no colour: `NO_COLOR` picks it); the
//! config's `[theme]` table picks one (`base = "light"`) and restyles any element by name
//! (`link = "blue underline"`). Colours are brought down to the 16 basic ones when the
//! terminal has no 256/truecolour support ([`ColorDepth`]).

use std::collections::BTreeMap;

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
    /// Authors get their stable colour (off in `mono`).
    pub author_colors: bool,
    /// What the terminal can show; colours beyond it are mapped down.
    pub depth: ColorDepth,
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorDepth {
    /// The 16 basic colours only.
    Basic,
    /// The 256-colour palette (and truecolour).
    #[default]
    Full,
}

impl ColorDepth {
    /// From the environment: `COLORTERM` truecolor/24bit or a `TERM` with 256 colours (or a
    /// terminal known to have them) is full; anything else gets the basic 16.
    pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> ColorDepth {
        let colorterm = env("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        let term = env("TERM").unwrap_or_default();
        if colorterm.contains("truecolor")
            || colorterm.contains("24bit")
            || term.contains("256color")
            || term.contains("direct")
            || ["xterm-kitty", "alacritty", "foot", "wezterm"]
                .iter()
                .any(|t| term.starts_with(t))
        {
            ColorDepth::Full
        } else {
            ColorDepth::Basic
        }
    }
}

/// The built-in themes.
pub const THEMES: &[&str] = &["dark", "light", "mono"];

/// The element names a `[theme]` table may restyle (besides `base`).
pub const ELEMENTS: &[&str] = &[
    "text",
    "muted",
    "accent",
    "border_focused",
    "border",
    "unread",
    "badge",
    "mention",
    "mention_me",
    "link",
    "code",
    "error",
    "warn",
    "ok",
    "selected",
    "title",
];

/// Author colours: mid-luminance 256-palette entries that read on both dark and light
/// backgrounds (no pure blue, no light yellow).
const USER_PALETTE: [u8; 12] = [167, 173, 179, 107, 72, 73, 68, 104, 139, 175, 131, 137];

impl Default for Theme {
    fn default() -> Self {
        Theme::dark()
    }
}

impl Theme {
    /// Colours for a dark background (the default).
    pub fn dark() -> Theme {
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
            author_colors: true,
            depth: ColorDepth::Full,
        }
    }

    /// Colours for a light background: darker accents (cyan and yellow wash out on white).
    pub fn light() -> Theme {
        Theme {
            accent: Style::new().fg(Color::Blue),
            border_focused: Style::new().fg(Color::Blue),
            mention: Style::new().fg(Color::Magenta),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            code: Style::new().fg(Color::Indexed(28)),
            warn: Style::new().fg(Color::Indexed(130)),
            ok: Style::new().fg(Color::Indexed(28)),
            ..Theme::dark()
        }
    }

    /// No colour at all: bold, underline, reverse and dim only (`NO_COLOR`).
    pub fn mono() -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            base: Style::new(),
            muted: Style::new().add_modifier(Modifier::DIM),
            accent: bold,
            border_focused: bold,
            border: Style::new().add_modifier(Modifier::DIM),
            unread: bold,
            badge: bold.add_modifier(Modifier::REVERSED),
            mention: bold,
            mention_me: bold.add_modifier(Modifier::REVERSED),
            link: Style::new().add_modifier(Modifier::UNDERLINED),
            code: Style::new().add_modifier(Modifier::ITALIC),
            error: bold,
            warn: bold,
            ok: Style::new(),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            title: bold,
            author_colors: false,
            depth: ColorDepth::Full,
        }
    }

    /// The theme the user asked for: `[theme]` (`base` and element overrides), `NO_COLOR`
    /// (set and not empty: mono, whatever the table says about colours) and the terminal's
    /// colour depth. An error names the key at fault.
    pub fn from_config(
        table: &BTreeMap<String, String>,
        no_color: bool,
        depth: ColorDepth,
    ) -> Result<Theme, (String, String)> {
        let base = table.get("base").map_or("dark", String::as_str);
        let mut theme = match base {
            "dark" => Theme::dark(),
            "light" => Theme::light(),
            "mono" => Theme::mono(),
            other => {
                return Err((
                    "base".to_owned(),
                    format!("`{other}` is not one of {}", THEMES.join(", ")),
                ));
            }
        };
        if no_color {
            theme = Theme::mono();
        }
        for (key, spec) in table.iter().filter(|(k, _)| *k != "base") {
            let style = parse_style(spec).map_err(|m| (key.clone(), m))?;
            let style = if no_color {
                without_color(style)
            } else {
                style
            };
            *theme
                .element_mut(key)
                .ok_or_else(|| (key.clone(), "unknown theme element".to_owned()))? = style;
        }
        theme.depth = depth;
        if depth == ColorDepth::Basic {
            theme.degrade();
        }
        Ok(theme)
    }

    fn element_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.base,
            "muted" => &mut self.muted,
            "accent" => &mut self.accent,
            "border_focused" => &mut self.border_focused,
            "border" => &mut self.border,
            "unread" => &mut self.unread,
            "badge" => &mut self.badge,
            "mention" => &mut self.mention,
            "mention_me" => &mut self.mention_me,
            "link" => &mut self.link,
            "code" => &mut self.code,
            "error" => &mut self.error,
            "warn" => &mut self.warn,
            "ok" => &mut self.ok,
            "selected" => &mut self.selected,
            "title" => &mut self.title,
            _ => return None,
        })
    }

    /// Every colour brought down to the basic 16.
    fn degrade(&mut self) {
        for name in ELEMENTS {
            if let Some(style) = self.element_mut(name) {
                style.fg = style.fg.map(basic);
                style.bg = style.bg.map(basic);
            }
        }
    }
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

    /// The style of a name in its role colour (plain in `mono`; brought down to the basic 16
    /// where the terminal has no more).
    pub fn role(&self, color: crate::app::presence::RoleColor) -> Style {
        if !self.author_colors {
            return Style::new();
        }
        let rgb = Color::Rgb(color.0, color.1, color.2);
        Style::new().fg(match self.depth {
            ColorDepth::Full => rgb,
            ColorDepth::Basic => basic(rgb),
        })
    }

    /// An image pixel's colour as this terminal can show it (None in `mono`: no images).
    pub fn pixel(&self, r: u8, g: u8, b: u8) -> Option<Color> {
        let rgb = Color::Rgb(r, g, b);
        match (self.author_colors, self.depth) {
            (false, _) => None,
            (true, ColorDepth::Full) => Some(rgb),
            (true, ColorDepth::Basic) => Some(basic(rgb)),
        }
    }

    /// The style of an author's name.
    pub fn author(&self, user_id: &UserId) -> Style {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if !self.author_colors {
            return bold;
        }
        let color = self.user_color(user_id);
        bold.fg(match self.depth {
            ColorDepth::Full => color,
            ColorDepth::Basic => basic(color),
        })
    }
}

/// A style from the config: words in any order — a colour (`red`, `bright-blue`, `208`,
/// `#ff8800`), `on` and a background colour, and modifiers (`bold`, `dim`, `italic`,
/// `underline`, `reversed`, `crossed`). `"default"` is the terminal's own.
pub fn parse_style(spec: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = spec.split_whitespace();
    while let Some(word) = words.next() {
        let w = word.to_ascii_lowercase();
        let modifier = match w.as_str() {
            "bold" => Some(Modifier::BOLD),
            "dim" => Some(Modifier::DIM),
            "italic" => Some(Modifier::ITALIC),
            "underline" | "underlined" => Some(Modifier::UNDERLINED),
            "reversed" | "reverse" => Some(Modifier::REVERSED),
            "crossed" | "strikethrough" => Some(Modifier::CROSSED_OUT),
            _ => None,
        };
        if let Some(m) = modifier {
            style = style.add_modifier(m);
        } else if w == "on" {
            let bg = words
                .next()
                .ok_or_else(|| format!("`{spec}`: `on` needs a background colour"))?;
            style = style.bg(parse_color(bg).ok_or_else(|| bad_word(spec, bg))?);
        } else if w != "default" {
            style = style.fg(parse_color(word).ok_or_else(|| bad_word(spec, word))?);
        }
    }
    Ok(style)
}

fn bad_word(spec: &str, word: &str) -> String {
    format!(
        "`{spec}`: `{word}` is not a colour (red, bright-blue, 0-255, #rrggbb) or a modifier (bold, dim, italic, underline, reversed, crossed)"
    )
}

fn parse_color(word: &str) -> Option<Color> {
    let w = word.to_ascii_lowercase().replace('_', "-");
    if let Some(hex) = w.strip_prefix('#') {
        if hex.len() != 6 {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
    }
    if let Ok(i) = w.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    Some(match w.as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark-gray" | "dark-grey" | "bright-black" => Color::DarkGray,
        "bright-red" => Color::LightRed,
        "bright-green" => Color::LightGreen,
        "bright-yellow" => Color::LightYellow,
        "bright-blue" => Color::LightBlue,
        "bright-magenta" => Color::LightMagenta,
        "bright-cyan" => Color::LightCyan,
        "white" | "bright-white" => Color::White,
        _ => return None,
    })
}

fn without_color(style: Style) -> Style {
    Style {
        fg: None,
        bg: None,
        ..style
    }
}

/// The basic colour nearest to `color` (basic ones unchanged).
fn basic(color: Color) -> Color {
    let (r, g, b) = match color {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) if i < 16 => return BASIC[usize::from(i)].0,
        Color::Indexed(i) if i >= 232 => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
        Color::Indexed(i) => {
            let i = i - 16;
            let level = |n: u8| if n == 0 { 0 } else { 55 + n * 40 };
            (level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        other => return other,
    };
    let distance = |(_, (br, bg, bb)): &(Color, (u8, u8, u8))| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(r, *br) + d(g, *bg) + d(b, *bb)
    };
    BASIC
        .iter()
        .min_by_key(|c| distance(c))
        .map_or(Color::Reset, |c| c.0)
}

/// The 16 basic colours with their usual (xterm) values.
const BASIC: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

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

    fn table(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn styles_parse_from_words() {
        assert_eq!(
            parse_style("black on yellow bold").unwrap(),
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(
            parse_style("#ff8800 underline").unwrap(),
            Style::new()
                .fg(Color::Rgb(255, 136, 0))
                .add_modifier(Modifier::UNDERLINED)
        );
        assert_eq!(
            parse_style("208").unwrap(),
            Style::new().fg(Color::Indexed(208))
        );
        assert_eq!(parse_style("default").unwrap(), Style::new());
        assert!(
            parse_style("blurple")
                .unwrap_err()
                .contains("`blurple` is not a colour")
        );
        assert!(parse_style("red on").is_err());
        assert!(parse_style("#12345").is_err());
    }

    #[test]
    fn the_table_picks_a_base_and_restyles_elements() {
        let t = Theme::from_config(
            &table(&[("base", "light"), ("link", "red")]),
            false,
            ColorDepth::Full,
        )
        .unwrap();
        assert_eq!(t.link, Style::new().fg(Color::Red));
        assert_eq!(t.accent, Theme::light().accent);
        assert_ne!(Theme::light().accent, Theme::dark().accent);
        let err =
            Theme::from_config(&table(&[("base", "neon")]), false, ColorDepth::Full).unwrap_err();
        assert_eq!(err.0, "base");
        let err =
            Theme::from_config(&table(&[("lnk", "red")]), false, ColorDepth::Full).unwrap_err();
        assert_eq!(err, ("lnk".to_owned(), "unknown theme element".to_owned()));
        assert_eq!(
            Theme::from_config(&BTreeMap::new(), false, ColorDepth::Full).unwrap(),
            Theme::dark()
        );
    }

    #[test]
    fn no_color_means_mono_and_overrides_lose_their_colours() {
        let t = Theme::from_config(
            &table(&[("base", "dark"), ("link", "red underline")]),
            true,
            ColorDepth::Full,
        )
        .unwrap();
        assert_eq!(t.link, Style::new().add_modifier(Modifier::UNDERLINED));
        assert_eq!(t.accent, Theme::mono().accent);
        assert_eq!(t.author(&"someone".into()).fg, None);
        for name in ELEMENTS {
            let mut t = t.clone();
            let s = *t.element_mut(name).unwrap();
            assert!(s.fg.is_none() && s.bg.is_none(), "{name}: {s:?}");
        }
    }

    #[test]
    fn sixteen_colour_terminals_get_the_nearest_basic_colours() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            ColorDepth::detect(&env(&[("TERM", "xterm")])),
            ColorDepth::Basic
        );
        assert_eq!(
            ColorDepth::detect(&env(&[("TERM", "linux")])),
            ColorDepth::Basic
        );
        assert_eq!(
            ColorDepth::detect(&env(&[("TERM", "xterm-256color")])),
            ColorDepth::Full
        );
        assert_eq!(
            ColorDepth::detect(&env(&[("TERM", "xterm"), ("COLORTERM", "truecolor")])),
            ColorDepth::Full
        );
        let t = Theme::from_config(
            &table(&[("base", "light"), ("link", "#ff8800 on 17")]),
            false,
            ColorDepth::Basic,
        )
        .unwrap();
        assert_eq!(t.link.fg, Some(Color::Yellow));
        assert_eq!(t.link.bg, Some(Color::Black));
        assert_eq!(t.code.fg, Some(Color::Green));
        assert!(matches!(
            t.author(&"x".into()).fg,
            Some(c) if BASIC.iter().any(|(b, _)| *b == c)
        ));
    }
}
