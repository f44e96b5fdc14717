//! The bindable user intents: every `Command` has a stable name (used in the config's `[keys]`
//! table and the help popup), a scope (where it applies), default chords and a one-line
//! description. Every key that does something is in this one table, popups and text editing
//! included; only plain characters typed as text are not bindings.
//!
//! Pure data: no IO.

/// Where a command applies: a pane, the text editor, or one popup. Which scopes a key is looked
/// up in, and in which order, is the [`KeyContext`]'s business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Reached in every context, popups included, before anything else.
    Always,
    /// Reached from every pane (not while a popup is open).
    Global,
    Sidebar,
    Timeline,
    Composer,
    /// Editing a line of text: the composer and the switcher's query.
    Editor,
    Switcher,
    /// The search popup (`Ctrl-F`): a prompt over every stored message.
    Search,
    /// The composer's completion popup (`@`, `#`, `:`).
    Completion,
    ReactionPicker,
    /// Who reacted to a message.
    ReactionsPopup,
    LinkPicker,
    ConfirmDelete,
    HelpPopup,
    PinsPopup,
    StatusPopup,
    ActivityPopup,
}

impl Scope {
    /// Every scope, in help order.
    pub const ALL: &'static [Scope] = &[
        Scope::Always,
        Scope::Global,
        Scope::Sidebar,
        Scope::Timeline,
        Scope::Composer,
        Scope::Editor,
        Scope::Switcher,
        Scope::Search,
        Scope::Completion,
        Scope::ReactionPicker,
        Scope::ReactionsPopup,
        Scope::LinkPicker,
        Scope::ConfirmDelete,
        Scope::HelpPopup,
        Scope::PinsPopup,
        Scope::StatusPopup,
        Scope::ActivityPopup,
    ];

    /// Heading used by the help popup, the README and the example config. `Always` and
    /// `Global` share one: the difference (popups let only the former through) is shown by
    /// the popups' own sections.
    pub fn title(self) -> &'static str {
        match self {
            Scope::Always | Scope::Global => "Everywhere",
            Scope::Sidebar => "Sidebar",
            Scope::Timeline => "Timeline (selection)",
            Scope::Composer => "Composer",
            Scope::Editor => "Editing text (composer, switcher, search, reaction picker)",
            Scope::Switcher => "Channel switcher",
            Scope::Search => "Search (every stored message)",
            Scope::Completion => "Completion (@ members, # channels, : emoji)",
            Scope::ReactionPicker => "Reaction picker",
            Scope::ReactionsPopup => "Who reacted",
            Scope::LinkPicker => "Link picker",
            Scope::ConfirmDelete => "Delete confirmation",
            Scope::HelpPopup => "Help popup",
            Scope::PinsPopup => "Pinned messages",
            Scope::StatusPopup => "Your status",
            Scope::ActivityPopup => "Activity of a forum, doc, list or calendar channel",
        }
    }
}

/// Where a key goes: the open popup, else the focused pane. A key is looked up in the
/// context's scopes in order and the first binding wins; the keymap refuses any chord bound
/// twice within one context, so the order never hides a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyContext {
    Sidebar,
    Timeline,
    Composer,
    /// The composer with the completion popup open.
    Completion,
    Switcher,
    Search,
    ReactionPicker,
    ReactionsPopup,
    LinkPicker,
    ConfirmDelete,
    HelpPopup,
    PinsPopup,
    StatusPopup,
    ActivityPopup,
}

impl KeyContext {
    /// Every context.
    pub const ALL: &'static [KeyContext] = &[
        KeyContext::Sidebar,
        KeyContext::Timeline,
        KeyContext::Composer,
        KeyContext::Completion,
        KeyContext::Switcher,
        KeyContext::Search,
        KeyContext::ReactionPicker,
        KeyContext::ReactionsPopup,
        KeyContext::LinkPicker,
        KeyContext::ConfirmDelete,
        KeyContext::HelpPopup,
        KeyContext::PinsPopup,
        KeyContext::StatusPopup,
        KeyContext::ActivityPopup,
    ];

    /// The scopes a key is looked up in, in order. A popup takes every key but `Always`'s.
    pub fn scopes(self) -> &'static [Scope] {
        match self {
            KeyContext::Sidebar => &[Scope::Always, Scope::Sidebar, Scope::Global],
            KeyContext::Timeline => &[Scope::Always, Scope::Timeline, Scope::Global],
            KeyContext::Composer => &[Scope::Always, Scope::Composer, Scope::Global, Scope::Editor],
            KeyContext::Completion => &[Scope::Always, Scope::Completion, Scope::Editor],
            KeyContext::Switcher => &[Scope::Always, Scope::Switcher, Scope::Editor],
            KeyContext::Search => &[Scope::Always, Scope::Search, Scope::Editor],
            KeyContext::ReactionPicker => &[Scope::Always, Scope::ReactionPicker, Scope::Editor],
            KeyContext::ReactionsPopup => &[Scope::Always, Scope::ReactionsPopup],
            KeyContext::LinkPicker => &[Scope::Always, Scope::LinkPicker],
            KeyContext::ConfirmDelete => &[Scope::Always, Scope::ConfirmDelete],
            KeyContext::HelpPopup => &[Scope::Always, Scope::HelpPopup],
            KeyContext::PinsPopup => &[Scope::Always, Scope::PinsPopup],
            KeyContext::StatusPopup => &[Scope::Always, Scope::StatusPopup],
            KeyContext::ActivityPopup => &[Scope::Always, Scope::ActivityPopup],
        }
    }

    /// Whether text is edited here: plain characters (no Ctrl, no Alt) are then text, typed
    /// before any binding is looked up.
    pub fn edits_text(self) -> bool {
        matches!(
            self,
            KeyContext::Composer
                | KeyContext::Completion
                | KeyContext::Switcher
                | KeyContext::Search
                | KeyContext::ReactionPicker
        )
    }

    /// Where people meet this context, for messages ("in the composer").
    pub fn describe(self) -> &'static str {
        match self {
            KeyContext::Sidebar => "in the sidebar",
            KeyContext::Timeline => "in the timeline",
            KeyContext::Composer => "in the composer",
            KeyContext::Completion => "in the completion popup",
            KeyContext::Switcher => "in the channel switcher",
            KeyContext::Search => "in the search",
            KeyContext::ReactionPicker => "in the reaction picker",
            KeyContext::ReactionsPopup => "in the list of who reacted",
            KeyContext::LinkPicker => "in the link picker",
            KeyContext::ConfirmDelete => "in the delete confirmation",
            KeyContext::HelpPopup => "in the help",
            KeyContext::PinsPopup => "in the pinned messages",
            KeyContext::StatusPopup => "in the status choice",
            KeyContext::ActivityPopup => "in the activity view",
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

// Two chords the composer used to claim are gone, because a global binding always won:
// - Ctrl-K stays the switcher (the binding people know from other chat clients), so deleting
//   to the end of the line moved to Alt-K;
// - Tab stays focus_next (the only way around the panes without Alt), so the composer no
//   longer offers to insert a tab character;
// - Ctrl-F is search (as in most chat clients and browsers), so forward-a-character keeps
//   only Right.
commands! {
    Quit => "quit", Always, "<C-c>", "Quit (drafts are saved)";
    Help => "help", Global, "<F1> ?", "Show or hide this help";
    Switcher => "switcher", Global, "<C-k>", "Jump to a channel or DM (fuzzy)";
    Search => "search", Global, "<C-f>", "Search stored messages (in:#channel from:name before:/after:DATE)";
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
    Reconnect => "reconnect", Global, "<F5>", "Reconnect now (the network is back)";
    Cancel => "cancel", Global, "<Esc>", "Cancel the edit, reply or selection";
    Pins => "pins", Global, "<A-p>", "List this channel's pinned messages";
    Members => "members", Global, "<A-m>", "Show or hide the member pane (who is online)";
    MembersUp => "members_up", Global, "<A-PageUp>", "Scroll the member pane up";
    MembersDown => "members_down", Global, "<A-PageDown>", "Scroll the member pane down";
    Status => "status", Global, "<A-o>", "Set your status (online, idle, do not disturb, invisible)";
    Mute => "mute", Global, "<A-n>", "Mute or unmute this channel (no notifications, unread count dim)";
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
    Reactions => "reactions", Timeline, "w", "Who reacted to the selected message";
    Copy => "copy", Timeline, "y", "Copy the selected message's text";
    OpenLink => "open_link", Timeline, "o", "Open a link of the selected message";
    LoadImages => "load_images", Timeline, "i", "Load the selected message's images from hosts not in image_hosts";
    RevealSpoilers => "reveal_spoilers", Timeline, "s", "Reveal or hide spoilers in the selected message";
    Thread => "thread", Timeline, "t", "Start a thread from the selected message (or open its thread)";
    Pin => "pin", Timeline, "p", "Pin or unpin the selected message";
    Send => "send", Composer, "<Enter>", "Send the message (or save the edit)";
    Newline => "newline", Composer, "<A-Enter> <S-Enter>", "Insert a new line";
    ExternalEditor => "external_editor", Composer, "<A-e>", "Write the draft in $VISUAL / $EDITOR";
    LineUp => "line_up", Composer, "<Up>", "Up a line; when empty, edit your last message";
    LineDown => "line_down", Composer, "<Down>", "Down a line";
    LineStart => "line_start", Editor, "<Home> <C-a>", "Start of the line";
    LineEnd => "line_end", Editor, "<End> <C-e>", "End of the line";
    CharLeft => "char_left", Editor, "<Left> <C-b>", "Back a character";
    CharRight => "char_right", Editor, "<Right>", "Forward a character";
    WordLeft => "word_left", Editor, "<A-b> <C-Left> <A-Left>", "Back a word";
    WordRight => "word_right", Editor, "<A-f> <C-Right> <A-Right>", "Forward a word";
    DeleteBack => "delete_back", Editor, "<Backspace> <C-h>", "Delete the character before the cursor";
    DeleteForward => "delete_forward", Editor, "<Delete> <C-d>", "Delete the character at the cursor";
    DeleteWordBack => "delete_word_back", Editor, "<C-w> <C-Backspace> <A-Backspace>", "Delete the word before the cursor";
    DeleteWordForward => "delete_word_forward", Editor, "<A-d>", "Delete the word after the cursor";
    DeleteToStart => "delete_to_start", Editor, "<C-u>", "Delete to the start of the line";
    DeleteToEnd => "delete_to_end", Editor, "<A-k>", "Delete to the end of the line";
    CompletionAccept => "completion_accept", Completion, "<Tab> <Enter>", "Take the selected completion";
    CompletionPrev => "completion_prev", Completion, "<Up> <C-p>", "Select the previous completion";
    CompletionNext => "completion_next", Completion, "<Down> <C-n>", "Select the next completion";
    CompletionClose => "completion_close", Completion, "<Esc>", "Close the completion popup";
    SwitcherOpen => "switcher_open", Switcher, "<Enter>", "Open the selected channel";
    SwitcherUp => "switcher_up", Switcher, "<Up> <BackTab> <C-p>", "Select the previous match";
    SwitcherDown => "switcher_down", Switcher, "<Down> <Tab> <C-n>", "Select the next match";
    SwitcherClose => "switcher_close", Switcher, "<Esc>", "Close the switcher";
    SearchOpen => "search_open", Search, "<Enter>", "Open the channel at the selected message";
    SearchUp => "search_up", Search, "<Up> <BackTab> <C-p>", "Select the previous result";
    SearchDown => "search_down", Search, "<Down> <Tab> <C-n>", "Select the next result";
    SearchClose => "search_close", Search, "<Esc>", "Close the search (back where you were)";
    ReactionPrev => "reaction_prev", ReactionPicker, "<Up> <BackTab> <C-p>", "Select the previous emoji";
    ReactionNext => "reaction_next", ReactionPicker, "<Down> <Tab> <C-n>", "Select the next emoji";
    ReactionPageUp => "reaction_page_up", ReactionPicker, "<PageUp>", "Up a page of emoji";
    ReactionPageDown => "reaction_page_down", ReactionPicker, "<PageDown>", "Down a page of emoji";
    ReactionPick => "reaction_pick", ReactionPicker, "<Enter>", "React with the selected emoji (or take it back)";
    Reaction1 => "reaction_1", ReactionPicker, "<A-1>", "Pick emoji 1";
    Reaction2 => "reaction_2", ReactionPicker, "<A-2>", "Pick emoji 2";
    Reaction3 => "reaction_3", ReactionPicker, "<A-3>", "Pick emoji 3";
    Reaction4 => "reaction_4", ReactionPicker, "<A-4>", "Pick emoji 4";
    Reaction5 => "reaction_5", ReactionPicker, "<A-5>", "Pick emoji 5";
    Reaction6 => "reaction_6", ReactionPicker, "<A-6>", "Pick emoji 6";
    Reaction7 => "reaction_7", ReactionPicker, "<A-7>", "Pick emoji 7";
    Reaction8 => "reaction_8", ReactionPicker, "<A-8>", "Pick emoji 8";
    Reaction9 => "reaction_9", ReactionPicker, "<A-9>", "Pick emoji 9";
    ReactionClose => "reaction_close", ReactionPicker, "<Esc>", "Close the picker";
    ReactionsUp => "reactions_up", ReactionsPopup, "<Up> k", "Scroll up";
    ReactionsDown => "reactions_down", ReactionsPopup, "<Down> j", "Scroll down";
    ReactionsClose => "reactions_close", ReactionsPopup, "<Esc> q w", "Close the list";
    LinkPrev => "link_prev", LinkPicker, "<Up> k", "Select the previous link";
    LinkNext => "link_next", LinkPicker, "<Down> j", "Select the next link";
    LinkOpen => "link_open", LinkPicker, "<Enter>", "Open the selected link";
    LinkClose => "link_close", LinkPicker, "<Esc> q", "Close the list";
    ConfirmYes => "confirm_yes", ConfirmDelete, "y Y <Enter>", "Delete the message";
    ConfirmNo => "confirm_no", ConfirmDelete, "n N <Esc>", "Keep the message";
    HelpUp => "help_up", HelpPopup, "<Up> k", "Scroll up";
    HelpDown => "help_down", HelpPopup, "<Down> j", "Scroll down";
    HelpPageUp => "help_page_up", HelpPopup, "<PageUp>", "Scroll up 10 lines";
    HelpPageDown => "help_page_down", HelpPopup, "<PageDown>", "Scroll down 10 lines";
    HelpClose => "help_close", HelpPopup, "<Esc> <F1> ? q <Enter>", "Close the help";
    PinsUp => "pins_up", PinsPopup, "<Up> k", "Select the previous pinned message";
    PinsDown => "pins_down", PinsPopup, "<Down> j", "Select the next pinned message";
    PinsOpen => "pins_open", PinsPopup, "<Enter>", "Jump to the pinned message";
    PinsClose => "pins_close", PinsPopup, "<Esc> q <A-p>", "Close the list";
    StatusUp => "status_up", StatusPopup, "<Up> k", "Select the previous status";
    StatusDown => "status_down", StatusPopup, "<Down> j", "Select the next status";
    StatusPick => "status_pick", StatusPopup, "<Enter>", "Set the selected status";
    StatusClose => "status_close", StatusPopup, "<Esc> q <A-o>", "Close without changing it";
    ActivityUp => "activity_up", ActivityPopup, "<Up> k", "Scroll up";
    ActivityDown => "activity_down", ActivityPopup, "<Down> j", "Scroll down";
    ActivityClose => "activity_close", ActivityPopup, "<Esc> q <Enter>", "Close the activity view";
}

impl Command {
    /// The scope whose heading lists the command in the help. Its own scope, except the key
    /// that opens the search, which works everywhere but is found with the search's keys.
    pub fn help_scope(self) -> Scope {
        match self {
            Command::Search => Scope::Search,
            c => c.scope(),
        }
    }

    /// Look a command up by its config name.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The numbered commands (`team_N`, `reaction_N`), which help shows as one row: the row's
    /// label ("Teams", for "Teams 1 to 9") and N, from 1.
    pub fn numbered(self) -> Option<(&'static str, usize)> {
        use Command::{
            Reaction1, Reaction2, Reaction3, Reaction4, Reaction5, Reaction6, Reaction7, Reaction8,
            Reaction9, Team1, Team2, Team3, Team4, Team5, Team6, Team7, Team8, Team9,
        };
        const TEAMS: [Command; 9] = [
            Team1, Team2, Team3, Team4, Team5, Team6, Team7, Team8, Team9,
        ];
        const REACTIONS: [Command; 9] = [
            Reaction1, Reaction2, Reaction3, Reaction4, Reaction5, Reaction6, Reaction7, Reaction8,
            Reaction9,
        ];
        if let Some(i) = TEAMS.iter().position(|c| *c == self) {
            return Some(("Teams", i + 1));
        }
        REACTIONS
            .iter()
            .position(|c| *c == self)
            .map(|i| ("Pick emoji", i + 1))
    }

    /// The team index (0-based) of the `team_N` commands.
    pub fn team_index(self) -> Option<usize> {
        match self.numbered() {
            Some(("Teams", n)) => Some(n - 1),
            _ => None,
        }
    }

    /// The choice index (0-based) of the `reaction_N` commands.
    pub fn reaction_index(self) -> Option<usize> {
        match self.numbered() {
            Some(("Pick emoji", n)) => Some(n - 1),
            _ => None,
        }
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

    #[test]
    fn numbered_commands_count_from_one_in_order() {
        assert_eq!(Command::Team1.team_index(), Some(0));
        assert_eq!(Command::Team9.team_index(), Some(8));
        assert_eq!(Command::Reaction3.reaction_index(), Some(2));
        assert_eq!(Command::Reaction3.team_index(), None);
        assert_eq!(Command::Quit.numbered(), None);
        for c in Command::ALL {
            if let Some((_, n)) = c.numbered() {
                assert!(c.help().ends_with(&format!(" {n}")), "{}", c.name());
                assert!(c.name().ends_with(&format!("_{n}")), "{}", c.name());
            }
        }
    }

    #[test]
    fn every_scope_is_reached_from_some_context() {
        for scope in Scope::ALL {
            assert!(
                KeyContext::ALL.iter().any(|c| c.scopes().contains(scope)),
                "{scope:?}"
            );
        }
        for c in Command::ALL {
            assert!(Scope::ALL.contains(&c.scope()));
        }
    }
}
