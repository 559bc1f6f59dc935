//! The TOML files a person writes besides front matter (`site.toml`, the
//! feed definitions): a parser error made into a problem with its line and a
//! "did you mean" hint, and the line where a key is written.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::keys::nearest;

/// The problem `err` describes in `text` (the file at `path`, whose keys are `keys`).
pub fn problem(path: &Path, text: &str, err: &toml::de::Error, keys: &[&str]) -> Diagnostic {
    let pos = err.span().map_or(Pos::new(1, 1), |s| Pos::of_offset(text, s.start));
    let message = err.message().trim();
    if let Some(key) = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) {
        return unknown_key(path, pos, key, keys);
    }
    let code = if message.starts_with("missing field") {
        Code::MissingField
    } else if message.contains("invalid type") {
        Code::WrongType
    } else {
        Code::FrontMatterSyntax
    };
    Diagnostic::new(code, path, pos, message)
}

/// `key` is not one of `keys`: the problem, with the nearest key as a hint.
pub fn unknown_key(path: &Path, pos: Pos, key: &str, keys: &[&str]) -> Diagnostic {
    let d = Diagnostic::new(Code::UnknownKey, path, pos, format!("unknown key \"{key}\""));
    match nearest(key, keys) {
        Some(near) => d.with_hint(format!("did you mean \"{near}\"?")),
        None => d.with_hint(format!("the keys are: {}", keys.join(", "))),
    }
}

/// Where the top-level `key = …` is written in `text`, or line 1.
pub fn key_pos(text: &str, key: &str) -> Pos {
    text.lines()
        .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        .map_or(Pos::new(1, 1), |i| Pos::new(i + 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_hint_and_their_line() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Raw {
            title: String,
        }
        let text = "title = \"A\"\ntilte = \"B\"\n";
        let err = toml::from_str::<Raw>(text).unwrap_err();
        let d = problem(Path::new("x.toml"), text, &err, &["title"]);
        assert_eq!((d.code, d.line), (Code::UnknownKey, 2));
        assert_eq!(d.hint.as_deref(), Some("did you mean \"title\"?"));
        assert_eq!(key_pos(text, "tilte"), Pos::new(2, 1));
        assert_eq!(key_pos(text, "nothing"), Pos::new(1, 1));
    }
}
