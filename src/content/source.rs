//! One Markdown file of the store, read and split into front matter and body.
//! Positions reported later are computed against this text, so it keeps the
//! file's line structure (a UTF-8 BOM is dropped, CRLF becomes LF: neither
//! moves a line).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::markdown::References;

/// Which syntax the front matter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Between `+++` lines (Zola, Hugo).
    Toml,
    /// Between `---` lines (Jekyll, Hugo).
    Yaml,
    /// A JSON object opening the file (Hugo).
    Json,
}

#[derive(Debug)]
pub struct Source {
    /// The path as shown in messages: relative to the content root.
    pub path: PathBuf,
    pub text: String,
    /// The SHA-256 of the file's bytes, where the store loaded it (zero
    /// where only its body is read again).
    pub sha256: [u8; 32],
    pub syntax: Syntax,
    /// Byte range of the front matter inside `text`.
    front: std::ops::Range<usize>,
    /// Byte offset where the body starts.
    body: usize,
    /// The body's links, scanned once for the checks that need them.
    references: OnceLock<References>,
    /// Whether the body holds a character XML forbids: found once, in the
    /// one scan of the file, as most bodies hold none.
    dirty: bool,
    /// Whether the body is HTML (an `.html` file with front matter, as
    /// Jekyll and Hugo read them), not Markdown.
    pub html: bool,
}

/// Whether the file at `path` holds an HTML body below its front matter.
pub fn is_html(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

impl Source {
    /// Splits `raw` (the file's bytes); `path` is the name shown in messages.
    pub fn parse(path: &Path, raw: Vec<u8>) -> Result<Source, Diagnostic> {
        let text = String::from_utf8(raw).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            Diagnostic::new(Code::NotUtf8, path, Pos::of_offset(&text, text.len()), "the file is not valid UTF-8")
                .with_hint("save it as UTF-8")
        })?;
        // The file's own buffer is kept where nothing changes (no copy).
        let mut text = text;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        // A lone CR (old Mac files) is a line end too, for Markdown as for
        // XML, which would read it as LF where JSON keeps it: LF it is.
        if text.contains('\r') {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        // Blank lines before the opening fence are skipped, as Hugo does.
        let lead = leading_blank_lines(&text);
        let opening = &text[lead..];
        let (syntax, fence) = if opening.starts_with("+++\n") || opening == "+++" {
            (Syntax::Toml, "+++")
        } else if opening.starts_with("---\n") || opening == "---" {
            (Syntax::Yaml, "---")
        } else if opening.starts_with('{') {
            return Source::json(path, text, lead);
        } else {
            return Err(Diagnostic::new(
                Code::FrontMatterMissing,
                path,
                Pos::new(1, 1),
                "the file does not start with front matter",
            )
            .with_hint("start it with a line `+++`, then `title = \"…\"` and the other keys, then `+++`"));
        };
        let start = lead + fence.len() + 1;
        let mut offset = start.min(text.len());
        let mut close = None;
        for line in text[offset..].split_inclusive('\n') {
            let trimmed = line.trim_end();
            if trimmed == fence || (syntax == Syntax::Yaml && trimmed == "...") {
                close = Some((offset, offset + line.len()));
                break;
            }
            offset += line.len();
        }
        let Some((front_end, body)) = close else {
            return Err(Diagnostic::new(
                Code::FrontMatterUnclosed,
                path,
                Pos::new(1, 1),
                "the front matter opened here is never closed",
            )
            .with_hint(format!("add a line `{fence}` after the last key")));
        };
        let front = start.min(front_end)..front_end;
        let dirty =
            crate::xml_chars::maybe_forbidden(&text[body..]) && text[body..].chars().any(crate::xml_chars::forbidden);
        Ok(Source {
            path: path.to_owned(),
            text,
            sha256: [0; 32],
            syntax,
            front,
            body,
            references: OnceLock::new(),
            dirty,
            html: is_html(path),
        })
    }

    /// A file opening with a JSON object (at `lead`), as Hugo reads one:
    /// the object is the front matter, the body starts on the line after
    /// its closing brace.
    fn json(path: &Path, text: String, lead: usize) -> Result<Source, Diagnostic> {
        let Some(end) = json_object_end(&text[lead..]).map(|end| lead + end) else {
            return Err(Diagnostic::new(
                Code::FrontMatterUnclosed,
                path,
                Pos::of_offset(&text, lead),
                "the JSON front matter opened here is never closed",
            )
            .with_hint("close the object with `}` after the last key"));
        };
        let body = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        let dirty =
            crate::xml_chars::maybe_forbidden(&text[body..]) && text[body..].chars().any(crate::xml_chars::forbidden);
        Ok(Source {
            path: path.to_owned(),
            sha256: [0; 32],
            syntax: Syntax::Json,
            front: lead..end,
            body,
            references: OnceLock::new(),
            dirty,
            html: is_html(path),
            text,
        })
    }

    /// `key` set to `value` as the file's own syntax writes it:
    /// `title = "…"` in TOML, `title: …` in YAML. `value` is written as in
    /// TOML; YAML drops the quotes of a plain string.
    pub fn example(&self, key: &str, value: &str) -> String {
        match self.syntax {
            Syntax::Toml => format!("{key} = {value}"),
            Syntax::Yaml => {
                let plain = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).filter(|v| !v.contains('"'));
                let value = plain.unwrap_or(value).to_owned();
                let value = if value.starts_with('[') { value.replace('"', "") } else { value };
                format!("{key}: {value}")
            }
            Syntax::Json => {
                let json =
                    value.starts_with(['"', '[', '{']) || serde_json::from_str::<serde_json::Value>(value).is_ok();
                if json { format!("\"{key}\": {value}") } else { format!("\"{key}\": \"{value}\"") }
            }
        }
    }

    pub fn front_matter(&self) -> &str {
        &self.text[self.front.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body..]
    }

    /// The body's links to content files and references to other files
    /// (one Markdown parse for both, and none for most bodies).
    /// Found in the body as the outputs have it (`clean_body`), at their
    /// offsets in the body as written. An HTML body's references are raw
    /// HTML's: made absolute, never followed (README, "Trust").
    pub fn references(&self) -> &References {
        self.references.get_or_init(|| {
            if self.html {
                return References::default();
            }
            let clean = self.clean_body();
            let mut found = References::scan(&clean);
            if let std::borrow::Cow::Owned(_) = clean {
                let dropped: Vec<(usize, usize)> = self
                    .body()
                    .char_indices()
                    .filter(|&(_, c)| crate::xml_chars::forbidden(c))
                    .map(|(i, c)| (i, c.len_utf8()))
                    .collect();
                let written =
                    |offset: usize| dropped.iter().fold(offset, |at, &(i, len)| if i <= at { at + len } else { at });
                for (offset, _) in
                    found.content_links.iter_mut().chain(found.files.iter_mut()).chain(found.html_files.iter_mut())
                {
                    *offset = written(*offset);
                }
            }
            found
        })
    }

    /// The position of a byte offset inside the front matter.
    pub fn front_pos(&self, offset: usize) -> Pos {
        Pos::of_offset(&self.text, self.front.start + offset)
    }

    /// Where the front matter opens (its fence, or a JSON object's brace),
    /// below any blank lines before it.
    pub fn opening_pos(&self) -> Pos {
        Pos::of_offset(&self.text, leading_blank_lines(&self.text))
    }

    /// Where the closing fence of the front matter is (below it the body goes).
    pub fn closing_pos(&self) -> Pos {
        Pos::of_offset(&self.text, self.front.end)
    }

    /// The position of a byte offset inside the body.
    pub fn body_pos(&self, offset: usize) -> Pos {
        Pos::of_offset(&self.text, self.body + offset)
    }

    /// Where the top-level key `key` is written, or the opening fence when
    /// it is absent (the place to add it): `find_key` tells the two apart.
    pub fn key_pos(&self, key: &str) -> Pos {
        self.find_key(key).unwrap_or_else(|| self.opening_pos())
    }

    /// Where the top-level key `key` is written; `None` when it is absent.
    pub fn find_key(&self, key: &str) -> Option<Pos> {
        let mut offset = 0;
        for line in self.front_matter().split_inclusive('\n') {
            // JSON's keys are indented inside their object; elsewhere an
            // indented key is a nested one.
            let indent = if self.syntax == Syntax::Json { line.len() - line.trim_start().len() } else { 0 };
            let line = &line[indent..];
            // Asked for several keys of each of 110,000 files: no
            // allocation per line.
            let quoted = |q: char| line.strip_prefix(q)?.strip_prefix(key)?.strip_prefix(q);
            let rest = line.strip_prefix(key).or_else(|| quoted('"')).or_else(|| quoted('\''));
            if let Some(rest) = rest
                && matches!(rest.trim_start().chars().next(), Some('=' | ':'))
            {
                return Some(self.front_pos(offset + indent));
            }
            offset += indent + line.len();
        }
        None
    }

    /// Where the value of `key` starts (for errors about the value itself).
    pub fn value_pos(&self, key: &str) -> Pos {
        // The opening line is no key's: its `:` (`{"a": 1`) is not this value's.
        let Some(pos) = self.find_key(key) else { return self.opening_pos() };
        let line = self.text.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
        match line.find(['=', ':']) {
            Some(i) => {
                let after = &line[i + 1..];
                let skipped = after.len() - after.trim_start().len();
                Pos::new(pos.line, line[..i + 1 + skipped].chars().count() + 1)
            }
            None => pos,
        }
    }

    /// The first place above the body (front matter and fences) where the
    /// text holds a character XML 1.0 forbids. Values reach the feeds as
    /// written, so there it is an error; the body's are dropped
    /// (`body_forbidden`).
    pub fn forbidden_char(&self) -> Option<(Pos, char)> {
        self.text[..self.body]
            .char_indices()
            .find(|&(_, c)| crate::xml_chars::forbidden(c))
            .map(|(i, c)| (Pos::of_offset(&self.text, i), c))
    }

    /// Every character of the body XML 1.0 forbids, where it is: what
    /// `clean_body` drops.
    pub fn body_forbidden(&self) -> Vec<(Pos, char)> {
        if !self.dirty {
            return Vec::new();
        }
        self.body()
            .char_indices()
            .filter(|&(_, c)| crate::xml_chars::forbidden(c))
            .map(|(i, c)| (self.body_pos(i), c))
            .collect()
    }

    /// The body without the characters XML 1.0 forbids: what every output
    /// is made from. A form feed pasted from a word processor would
    /// otherwise make the whole feed unreadable to a strict reader, and
    /// dropping it changes nothing a reader sees.
    pub fn clean_body(&self) -> std::borrow::Cow<'_, str> {
        match self.dirty {
            true => self.body().chars().filter(|&c| !crate::xml_chars::forbidden(c)).collect::<String>().into(),
            false => self.body().into(),
        }
    }
}

/// The length of the JSON object `text` opens with, through its closing
/// brace (braces inside strings not counted); `None` when it never closes.
fn json_object_end(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text.char_indices() {
        match (in_string, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '{') => depth += 1,
            (false, '}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The length of the lines holding only spaces and tabs at the start of
/// `text` (line ends already LF).
fn leading_blank_lines(text: &str) -> usize {
    let mut lead = 0;
    for line in text.split_inclusive('\n') {
        if !line.ends_with('\n') || !line.trim_matches([' ', '\t', '\n']).is_empty() {
            break;
        }
        lead += line.len();
    }
    lead
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Result<Source, Diagnostic> {
        Source::parse(Path::new("x.md"), text.as_bytes().to_vec())
    }

    #[test]
    fn splits_toml_and_yaml_front_matter() {
        let s = split("+++\ntitle = \"A\"\n+++\nBody\n").unwrap();
        assert_eq!(s.syntax, Syntax::Toml);
        assert_eq!(s.front_matter(), "title = \"A\"\n");
        assert_eq!(s.body(), "Body\n");
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.syntax, Syntax::Yaml);
        assert_eq!(s.front_matter(), "title: A\n");
        assert_eq!(s.body(), "Body\n");
        assert_eq!(s.key_pos("title"), Pos::new(2, 1));
        assert_eq!(s.value_pos("title"), Pos::new(2, 8));
        // Found by the property tests: a lone CR in a body reached the feeds
        // as CR in JSON and as LF through every XML parser.
        let s = split("+++\rtitle = \"A\"\r+++\r<!--\r").unwrap();
        assert_eq!((s.front_matter(), s.body()), ("title = \"A\"\n", "<!--\n"));
    }

    #[test]
    fn blank_lines_and_a_bom_may_come_before_the_front_matter() {
        let s = split("\u{feff}\n  \n+++\ntitle = \"A\"\n+++\nBody\n").unwrap();
        assert_eq!((s.syntax, s.front_matter(), s.body()), (Syntax::Toml, "title = \"A\"\n", "Body\n"));
        assert_eq!(s.key_pos("title"), Pos::new(4, 1));
        // An absent key is placed at the opening fence, where it goes.
        assert_eq!(s.find_key("slug"), None);
        assert_eq!((s.key_pos("slug"), s.value_pos("slug")), (Pos::new(3, 1), Pos::new(3, 1)));
        let s = split("\n{\n  \"title\": \"A\"\n}\nBody\n").unwrap();
        assert_eq!((s.find_key("title"), s.value_pos("slug")), (Some(Pos::new(3, 3)), Pos::new(2, 1)));
        let s = split("\r\n---\r\ntitle: A\r\n---\r\n").unwrap();
        assert_eq!((s.syntax, s.front_matter()), (Syntax::Yaml, "title: A\n"));
        assert_eq!(split("\n\n# Title\n").unwrap_err().code, Code::FrontMatterMissing);
    }

    #[test]
    fn forbidden_characters_of_the_body_are_found_and_dropped() {
        let s = split("+++\ntitle = \"A\"\n+++\nPage\u{c}one\n\u{c}two \u{1}\n").unwrap();
        assert_eq!(s.forbidden_char(), None, "the front matter is clean");
        assert_eq!(
            s.body_forbidden(),
            vec![(Pos::new(4, 5), '\u{c}'), (Pos::new(5, 1), '\u{c}'), (Pos::new(5, 6), '\u{1}')]
        );
        assert_eq!(s.clean_body(), "Pageone\ntwo \n");
        let s = split("+++\ntitle = \"\u{c}\"\n+++\nBody\n").unwrap();
        assert_eq!(s.forbidden_char(), Some((Pos::new(2, 10), '\u{c}')));
        assert!(s.body_forbidden().is_empty());
        assert!(matches!(s.clean_body(), std::borrow::Cow::Borrowed("Body\n")));
        // A link is found as the feeds will have it, where it is written.
        let s = split("+++\n+++\n\u{c}\u{c}[a](x\u{c}.png) ![b](y.png)\n").unwrap();
        assert_eq!(s.references().files, vec![(2, "x.png".to_owned()), (14, "y.png".to_owned())]);
        assert_eq!(s.body_pos(14), Pos::new(3, 15));
    }

    #[test]
    fn empty_front_matter_and_body() {
        let s = split("+++\n+++\n").unwrap();
        assert_eq!(s.front_matter(), "");
        assert_eq!(s.body(), "");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(split("# Title\n").unwrap_err().code, Code::FrontMatterMissing);
        assert_eq!(split("+++\ntitle = \"A\"\n").unwrap_err().code, Code::FrontMatterUnclosed);
        let err = Source::parse(Path::new("x.md"), b"+++\ntitle = \"\xff\"\n+++\n".to_vec()).unwrap_err();
        assert_eq!((err.code, err.line), (Code::NotUtf8, 2));
    }
}
