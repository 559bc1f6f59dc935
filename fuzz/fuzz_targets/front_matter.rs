//! The front matter splitter and parser on arbitrary bytes: a clean
//! diagnostic or a parse, never a panic. Every line reported must lie
//! inside the file (or name the end of it).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pressroom::fuzzing::Source;
use pressroom::fuzzing::front_matter::{self, Matter, PublicationMatter};

fuzz_target!(|data: &[u8]| {
    let source = match Source::parse(Path::new("fuzz.md"), data.to_vec()) {
        Ok(source) => source,
        Err(d) => {
            assert!(d.line >= 1, "{d}");
            return;
        }
    };
    // A position may name the line after the last one (the end of the file), no further.
    let lines = source.text.lines().count() + 1;
    let _ = (source.front_matter(), source.body(), source.closing_pos(), source.forbidden_char());
    // A publication takes the most keys; the other kinds parse the same way.
    match front_matter::parse::<PublicationMatter>(&source) {
        Ok(fm) => {
            let _ = fm;
            for key in PublicationMatter::keys() {
                let (k, v) = (source.key_pos(key), source.value_pos(key));
                assert!(k.line >= 1 && k.line <= lines && v.line == k.line);
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for d in problems {
                assert!(d.line >= 1 && d.line <= lines, "{d}");
            }
        }
    }
});
