//! The key help, generated from the command table and the user's bindings: one section per
//! scope heading, numbered commands (`team_1`…`team_9`) folded into one row. The help popup,
//! the README's key tables and the example config are all this text.

use super::Keymap;
use crate::app::command::{Command, Scope};
use crate::app::key::Key;

/// One section of the help: a scope heading and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub title: &'static str,
    pub entries: Vec<HelpEntry>,
}

/// One row of the help: the keys, what they do, and the commands' config names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    pub keys: HelpKeys,
    pub what: String,
    /// One command, or the first and last of a folded run of numbered commands.
    pub commands: Vec<Command>,
}

/// The keys of a help row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpKeys {
    /// Any of these (none: unbound).
    Any(Vec<Key>),
    /// A numbered run, from the first command's keys to the last's ("Alt-1 … Alt-9").
    Run(Vec<Key>, Vec<Key>),
}

impl HelpKeys {
    /// The keys as people read them ("F1 / ?", "Alt-1 … Alt-9"), each key passed through
    /// `show` ("`F1`" in markdown).
    pub fn render(&self, show: impl Fn(String) -> String) -> String {
        let any = |keys: &[Key]| {
            if keys.is_empty() {
                "unbound".to_owned()
            } else {
                keys.iter()
                    .map(|k| show(k.label()))
                    .collect::<Vec<_>>()
                    .join(" / ")
            }
        };
        match self {
            HelpKeys::Any(keys) => any(keys),
            HelpKeys::Run(first, last) => format!("{} … {}", any(first), any(last)),
        }
    }
}

impl Keymap {
    /// The help: every command by scope heading (in [`Scope::ALL`] order, see
    /// [`Command::help_scope`]), with the keys the user has bound.
    pub fn help_sections(&self) -> Vec<HelpSection> {
        let mut sections: Vec<HelpSection> = Vec::new();
        for scope in Scope::ALL {
            let commands: Vec<Command> = Command::ALL
                .iter()
                .copied()
                .filter(|c| c.help_scope() == *scope)
                .collect();
            let entries = self.fold_numbered(&commands);
            match sections.last_mut() {
                Some(last) if last.title == scope.title() => last.entries.extend(entries),
                _ => sections.push(HelpSection {
                    title: scope.title(),
                    entries,
                }),
            }
        }
        sections.retain(|s| !s.entries.is_empty());
        sections
    }

    /// One row per command, except that a run of numbered commands is one row.
    fn fold_numbered(&self, commands: &[Command]) -> Vec<HelpEntry> {
        let mut out: Vec<HelpEntry> = Vec::new();
        let mut run: Vec<Command> = Vec::new();
        for command in commands {
            let continues = match (run.first().and_then(|c| c.numbered()), command.numbered()) {
                (Some((family, _)), Some((this, _))) => family == this,
                (None, Some(_)) => true,
                _ => false,
            };
            if !continues {
                self.flush_run(&mut run, &mut out);
            }
            if command.numbered().is_some() {
                run.push(*command);
            } else {
                out.push(HelpEntry {
                    keys: HelpKeys::Any(self.chords(*command).to_vec()),
                    what: command.help().to_owned(),
                    commands: vec![*command],
                });
            }
        }
        self.flush_run(&mut run, &mut out);
        out
    }

    fn flush_run(&self, run: &mut Vec<Command>, out: &mut Vec<HelpEntry>) {
        match run.as_slice() {
            [] => {}
            [only] => out.push(HelpEntry {
                keys: HelpKeys::Any(self.chords(*only).to_vec()),
                what: only.help().to_owned(),
                commands: vec![*only],
            }),
            [first, .., last] => {
                let (label, from) = first.numbered().unwrap_or_default();
                let (_, to) = last.numbered().unwrap_or_default();
                out.push(HelpEntry {
                    keys: HelpKeys::Run(self.chords(*first).to_vec(), self.chords(*last).to_vec()),
                    what: format!("{label} {from} to {to}"),
                    commands: vec![*first, *last],
                });
            }
        }
        run.clear();
    }
}
