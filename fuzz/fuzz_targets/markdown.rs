//! Fuzz the markdown parser (composer input and received `markdown-plain-text` blocks): any
//! text must parse without panicking, and in linear work. The parser counts its own steps
//! (`content::markdown_parse_steps`), so a super-linear input fails here deterministically,
//! before it would trip libFuzzer's `-timeout` (see fuzz/README.md).
#![no_main]

use gilt_protocol::content::{self, MentionKind, ResolvedMention};
use libfuzzer_sys::fuzz_target;

/// Steps per input byte the parser may take (the hostile-input tests hold it to the same;
/// mention lookups, up to 128 bytes per `@`, bound it).
const STEPS_PER_BYTE: u64 = 200;

fn resolve(name: &str) -> Option<ResolvedMention> {
    matches!(name, "a" | "a b" | "nico")
        .then(|| ResolvedMention::new(MentionKind::Person, "u1", format!("@{name}")))
}

fuzz_target!(|data: &str| {
    let rich = content::from_markdown(data, &resolve);
    let _ = rich.plain_text();
    let _ = content::to_document(&rich);
    let steps = content::markdown_parse_steps(data);
    let budget = STEPS_PER_BYTE * (data.len() as u64).max(8);
    assert!(
        steps <= budget,
        "{steps} steps for {} bytes: the parser is not linear on this input",
        data.len()
    );
});
