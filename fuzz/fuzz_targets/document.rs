//! Fuzz the message-document parser: arbitrary text must give a document or an error, and a
//! parsed document must render and re-encode without panicking.
#![no_main]

use gilt_protocol::content;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(rich) = content::parse_document(data) {
        let _ = rich.plain_text();
        let _ = content::to_document(&rich);
    }
});
