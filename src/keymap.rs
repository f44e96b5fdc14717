//! Key chords (`"<C-k>"`) ⇄ commands: the defaults, merged with the user's `[keys]` table.

use std::collections::BTreeMap;

/// The default bindings: command name → chord. CONTRACT: `Config::default().keys` is this map,
/// and `config.example.toml` lists it in full.
pub fn default_bindings() -> BTreeMap<String, String> {
    // TODO(issue 6): the full command set.
    [("quit", "<C-c>")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}
