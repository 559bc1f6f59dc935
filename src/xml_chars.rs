//! The characters XML 1.0 forbids (§2.2 Char). No XML writer we use drops or
//! rejects them, and one of them makes a whole feed unreadable for a strict
//! reader, so content is checked against this list where it is loaded.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Pos};

/// How every problem names a forbidden character.
pub fn named(c: char) -> String {
    format!("the control character U+{:04X}", c as u32)
}

/// Why content may not carry a forbidden character, as its problems say.
pub const CANNOT_CARRY: &str = "XML feeds cannot carry it";

/// What every problem about a forbidden character advises.
pub const HINT: &str = "delete it; it is often pasted in invisibly from another program";

/// A forbidden character in the setting `key` of a TOML file (`site.toml`,
/// a feed definition).
pub fn in_setting(path: &Path, pos: Pos, key: &str, c: char) -> Diagnostic {
    Diagnostic::new(Code::ForbiddenChar, path, pos, format!("{key} contains {}, which XML forbids", named(c)))
}

/// True for a character that may not appear in an XML 1.0 document.
pub fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// False when `text` certainly holds no character XML forbids: no C0
/// control but tab, LF and CR, and no byte 0xEF (U+FFFE and U+FFFF start
/// with it in UTF-8). A byte scan, so the exact search by character runs
/// only on the rare text that may need it.
pub fn maybe_forbidden(text: &str) -> bool {
    text.bytes().any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF)
}

/// The first forbidden character of `text`, with its character index.
pub fn first_forbidden(text: &str) -> Option<(usize, char)> {
    text.chars().enumerate().find(|&(_, c)| forbidden(c))
}

/// `text` without the characters XML 1.0 forbids: for what is made from
/// checked input (a body's HTML, a template's output), which must not
/// carry one whatever made it.
pub fn without_forbidden(mut text: String) -> String {
    if maybe_forbidden(&text) {
        text.retain(|c| !forbidden(c));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_tab_newline_and_everything_printable() {
        assert!(first_forbidden("a\tb\nc\rd é 😀 \u{85} \u{fffd}").is_none());
        assert_eq!(first_forbidden("ab\u{1}"), Some((2, '\u{1}')));
        assert!(forbidden('\u{ffff}'));
        assert!(forbidden('\u{b}'));
        assert_eq!(without_forbidden("a\u{1}b\u{fffe}\u{c}\té".to_owned()), "ab\té");
    }
}
