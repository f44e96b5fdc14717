//! Key chords ⇄ commands: the defaults from the one command table
//! ([`crate::app::command::Command`]), merged with the user's `[keys]` table, checked, and
//! looked up the way the reducer dispatches keys.
//!
//! Pure: parsing and lookup only, no terminal. A `[keys]` value is one or more chords separated
//! by spaces (`"<F1> ?"`, syntax in [`crate::app::key`]); an empty value unbinds the command.
//!
//! A key is looked up in its [`KeyContext`]'s scopes in order. The keymap is refused (a config
//! error) when a chord would run two commands in one context, or when a chord is a plain
//! character in a scope only reached where plain characters are text.

mod help;

use std::collections::{BTreeMap, HashMap};

pub use self::help::{HelpEntry, HelpKeys, HelpSection};
use crate::app::command::{Command, KeyContext, Scope};
use crate::app::key::Key;

/// The default bindings: command name → chords. CONTRACT: `Config::default().keys` is this map,
/// and `config.example.toml` lists it in full.
pub fn default_bindings() -> BTreeMap<String, String> {
    Command::ALL
        .iter()
        .map(|c| (c.name().to_owned(), c.default_chords().to_owned()))
        .collect()
}

/// Why a `[keys]` table was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("[keys]: unknown command {name:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownCommand {
        name: String,
        suggestion: Option<String>,
    },
    #[error("[keys] {command}: bad chord {reason}")]
    BadChord { command: String, reason: String },
    #[error(
        "[keys] {command}: {chord} is a plain character, typed as text {context}; use a chord with Ctrl or Alt"
    )]
    TextKey {
        command: String,
        chord: String,
        context: &'static str,
    },
    #[error("[keys]: {chord} is bound to both {first} and {second} {context}")]
    Conflict {
        chord: String,
        first: String,
        second: String,
        /// Where both would apply ("in the composer").
        context: &'static str,
    },
}

impl KeymapError {
    /// The commands the error is about, as named in `[keys]` (the first one is the one that
    /// does not exist, has the bad chord, or is bound first).
    pub fn commands(&self) -> Vec<&str> {
        match self {
            KeymapError::UnknownCommand { name, .. } => vec![name],
            KeymapError::BadChord { command, .. } | KeymapError::TextKey { command, .. } => {
                vec![command]
            }
            KeymapError::Conflict { first, second, .. } => vec![first, second],
        }
    }
}

/// The resolved bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    by_scope: HashMap<(Scope, Key), Command>,
    by_command: BTreeMap<Command, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        // The defaults are valid by construction (checked by a test).
        validate(&BTreeMap::new()).unwrap_or_else(|_| Keymap {
            by_scope: HashMap::new(),
            by_command: BTreeMap::new(),
        })
    }
}

/// Merge the user's `[keys]` over [`default_bindings`], resolve every chord and check that no
/// context reaches two commands with one chord.
pub fn validate(user: &BTreeMap<String, String>) -> Result<Keymap, KeymapError> {
    let mut merged: BTreeMap<Command, String> = Command::ALL
        .iter()
        .map(|c| (*c, c.default_chords().to_owned()))
        .collect();
    for (name, chords) in user {
        let Some(cmd) = Command::from_name(name) else {
            return Err(KeymapError::UnknownCommand {
                name: name.clone(),
                suggestion: closest_name(name),
            });
        };
        merged.insert(cmd, chords.clone());
    }
    let mut by_command = BTreeMap::new();
    for (cmd, chords) in &merged {
        let mut keys: Vec<Key> = Vec::new();
        for text in chords.split_whitespace() {
            let key = Key::parse(text).map_err(|reason| KeymapError::BadChord {
                command: cmd.name().to_owned(),
                reason,
            })?;
            if let Some(context) = typed_as_text(key, cmd.scope()) {
                return Err(KeymapError::TextKey {
                    command: cmd.name().to_owned(),
                    chord: key.to_string(),
                    context: context.describe(),
                });
            }
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        by_command.insert(*cmd, keys);
    }
    check_contexts(&by_command)?;
    let by_scope = by_command
        .iter()
        .flat_map(|(cmd, keys)| keys.iter().map(|k| ((cmd.scope(), *k), *cmd)))
        .collect();
    Ok(Keymap {
        by_scope,
        by_command,
    })
}

/// The text-editing context that would swallow `key` as text before it reaches `scope`, when
/// `scope` is reached nowhere else (so the binding could never run).
fn typed_as_text(key: Key, scope: Scope) -> Option<KeyContext> {
    key.text()?;
    let mut reached = KeyContext::ALL
        .iter()
        .filter(|c| c.scopes().contains(&scope));
    let first = *reached.clone().next()?;
    reached.all(|c| c.edits_text()).then_some(first)
}

/// No chord may run two commands in one context (the dispatch would silently pick one).
fn check_contexts(by_command: &BTreeMap<Command, Vec<Key>>) -> Result<(), KeymapError> {
    for context in KeyContext::ALL {
        let mut seen: HashMap<Key, Command> = HashMap::new();
        for scope in context.scopes() {
            for (cmd, keys) in by_command.iter().filter(|(c, _)| c.scope() == *scope) {
                for key in keys {
                    if context.edits_text() && key.text().is_some() {
                        // Typed as text here: never looked up, so it cannot clash.
                        continue;
                    }
                    if let Some(first) = seen.insert(*key, *cmd) {
                        return Err(KeymapError::Conflict {
                            chord: key.to_string(),
                            first: first.name().to_owned(),
                            second: cmd.name().to_owned(),
                            context: context.describe(),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// The valid command name closest to `name` (edit distance ≤ 3), for error messages.
fn closest_name(name: &str) -> Option<String> {
    crate::suggest::closest(name, Command::ALL.iter().map(|c| c.name()), |_| 3).map(str::to_owned)
}

impl Keymap {
    /// The command `key` runs in `context`, exactly as the reducer dispatches: plain
    /// characters are text where text is edited; otherwise the context's scopes in order.
    pub fn resolve(&self, key: Key, context: KeyContext) -> Option<Command> {
        if context.edits_text() && key.text().is_some() {
            return None;
        }
        context
            .scopes()
            .iter()
            .find_map(|scope| self.lookup(key, *scope))
    }

    /// The command of `scope` bound to this key.
    pub fn lookup(&self, key: Key, scope: Scope) -> Option<Command> {
        self.by_scope.get(&(scope, key)).copied()
    }

    /// The chords bound to a command.
    pub fn chords(&self, command: Command) -> &[Key] {
        self.by_command.get(&command).map_or(&[], Vec::as_slice)
    }

    /// The first chord bound to `command` as people read it ("Ctrl-R"), or "unbound".
    pub fn hint(&self, command: Command) -> String {
        self.chords(command)
            .first()
            .map_or_else(|| "unbound".to_owned(), |k| k.label())
    }

    /// The chords of a command in config syntax (`"<F1> ?"`), or "unbound".
    pub fn chords_text(&self, command: Command) -> String {
        let list = self.chords(command);
        if list.is_empty() {
            "unbound".to_owned()
        } else {
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

#[cfg(test)]
mod tests;
