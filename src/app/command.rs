//! The bindable user intents: every `Command` has a stable name (used in the config's `[keys]`
//! table and the help popup), a scope (where it applies) and a one-line description.
//!
//! Pure data: no IO.

/// Where a command applies. Popups (help, switcher, confirmations) take keys first; then the
/// focused pane's scope; then `Global`. In the composer, plain characters are text first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Sidebar,
    Timeline,
    Composer,
}

impl Scope {
    /// Heading used by the help text.
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Sidebar => "Sidebar",
            Scope::Timeline => "Timeline (selection)",
            Scope::Composer => "Composer",
        }
    }
}

macro_rules! commands {
    ($( $variant:ident => $name:literal, $scope:ident, $chords:literal, $help:literal; )*) => {
        /// A user intent a key can be bound to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command {
            $( $variant, )*
        }

        impl Command {
            /// Every command, in help order.
            pub const ALL: &'static [Command] = &[ $( Command::$variant, )* ];

            /// The name used in the config's `[keys]` table.
            pub fn name(self) -> &'static str {
                match self { $( Command::$variant => $name, )* }
            }

            /// Where the command applies.
            pub fn scope(self) -> Scope {
                match self { $( Command::$variant => Scope::$scope, )* }
            }

            /// The default chords (space-separated).
            pub fn default_chords(self) -> &'static str {
                match self { $( Command::$variant => $chords, )* }
            }

            /// One line for the help popup.
            pub fn help(self) -> &'static str {
                match self { $( Command::$variant => $help, )* }
            }
        }
    };
}

commands! {
    Quit => "quit", Global, "<C-c>", "Quit (drafts are saved)";
    Help => "help", Global, "<F1> ?", "Show or hide this help";
    Switcher => "switcher", Global, "<C-k>", "Jump to a channel or DM (fuzzy)";
    PrevChannel => "prev_channel", Global, "<A-Up>", "Previous channel";
    NextChannel => "next_channel", Global, "<A-Down>", "Next channel";
    PrevUnread => "prev_unread", Global, "<A-S-Up>", "Previous channel with unread messages";
    NextUnread => "next_unread", Global, "<A-S-Down>", "Next channel with unread messages";
    Team1 => "team_1", Global, "<A-1>", "Team 1";
    Team2 => "team_2", Global, "<A-2>", "Team 2";
    Team3 => "team_3", Global, "<A-3>", "Team 3";
    Team4 => "team_4", Global, "<A-4>", "Team 4";
    Team5 => "team_5", Global, "<A-5>", "Team 5";
    Team6 => "team_6", Global, "<A-6>", "Team 6";
    Team7 => "team_7", Global, "<A-7>", "Team 7";
    Team8 => "team_8", Global, "<A-8>", "Team 8";
    Team9 => "team_9", Global, "<A-9>", "Team 9";
    FocusNext => "focus_next", Global, "<Tab>", "Focus the next pane (sidebar, timeline, composer)";
    FocusPrev => "focus_prev", Global, "<BackTab>", "Focus the previous pane";
    SelectMode => "select_mode", Global, "<A-s>", "Pick a message in the timeline";
    ScrollUp => "scroll_up", Global, "<PageUp>", "Scroll the timeline up a page";
    ScrollDown => "scroll_down", Global, "<PageDown>", "Scroll the timeline down a page";
    RetryFailed => "retry_failed", Global, "<C-r>", "Resend failed messages in this channel";
    Send => "send", Composer, "<Enter>", "Send the message (or save the edit)";
    Newline => "newline", Composer, "<A-Enter> <S-Enter>", "Insert a new line";
    Cancel => "cancel", Global, "<Esc>", "Cancel the edit, reply or selection; close popups";
    SidebarUp => "sidebar_up", Sidebar, "<Up> k", "Move up";
    SidebarDown => "sidebar_down", Sidebar, "<Down> j", "Move down";
    SidebarOpen => "sidebar_open", Sidebar, "<Enter> <Right> l", "Open the channel";
    SelectUp => "select_up", Timeline, "<Up> k", "Select the previous message";
    SelectDown => "select_down", Timeline, "<Down> j", "Select the next message";
    ScrollTop => "scroll_top", Timeline, "<Home> g", "Jump to the oldest loaded message";
    ScrollBottom => "scroll_bottom", Timeline, "<End> G", "Jump to the newest message";
    Reply => "reply", Timeline, "r", "Reply to the selected message";
    Edit => "edit", Timeline, "e", "Edit the selected message (yours)";
    Delete => "delete", Timeline, "d", "Delete the selected message (yours, asks first)";
    React => "react", Timeline, "+", "React to the selected message";
    Copy => "copy", Timeline, "y", "Copy the selected message's text";
    RevealSpoilers => "reveal_spoilers", Timeline, "s", "Reveal or hide spoilers in the selected message";
}

impl Command {
    /// Look a command up by its config name.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The team index (0-based) of the `team_N` commands.
    pub fn team_index(self) -> Option<usize> {
        let n = match self {
            Command::Team1 => 0,
            Command::Team2 => 1,
            Command::Team3 => 2,
            Command::Team4 => 3,
            Command::Team5 => 4,
            Command::Team6 => 5,
            Command::Team7 => 6,
            Command::Team8 => 7,
            Command::Team9 => 8,
            _ => return None,
        };
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
        for c in Command::ALL {
            assert_eq!(Command::from_name(c.name()), Some(*c));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Command::ALL.len());
    }
}
