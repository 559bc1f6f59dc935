//! No source file imports, directly or through others, a file that imports
//! it: a circle of files can only be understood, tested or changed as one.
//!
//! Reads every `.rs` file under `src/` (not `main.rs`, the binary's own
//! crate root, which only the binary imports) and resolves what each names
//! to the file of the module it names: `use` items (a `pub use` re-export
//! too), and `crate::`, `super::`, `self::`, child-module and imported-module
//! paths in code. An item path resolves to the longest prefix of it that is a
//! module file, so `crate::archive::Report` is an edge to `archive/mod.rs`
//! even when `Report` lives in one of its children. A parent declaring its
//! child (`mod x;`) is structure, not an edge. `#[cfg(test)] mod …` items
//! are skipped whole: tests may reach anywhere. Comments and string
//! literals are blanked first, so intra-doc links are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// One file's import of another, with where it is for the report.
struct Edge {
    to: usize,
    line: usize,
    path: String,
}

#[test]
fn no_source_file_imports_itself_through_others() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = Graph::read(&src);
    let cycles = graph.cycles();
    assert!(cycles.is_empty(), "{} import cycles among the files of src/:\n{}", cycles.len(), graph.describe(&cycles));
}

/// The resolver itself, on a small made-up tree, so that a clean result
/// means "no cycles" rather than "nothing resolved".
#[test]
fn the_resolver_finds_a_cycle_through_re_exports_super_and_code_paths() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\npub mod d;\n"),
        ("a/mod.rs", "mod inner;\npub use inner::Thing; // crate::d::Nope\n"),
        ("a/inner.rs", "use super::super::b::x;\npub fn f() -> u8 { x::g() }\npub(in crate::d) fn z() {}\n"),
        ("b/mod.rs", "pub mod x;\n"),
        ("b/x.rs", "pub fn g() -> u8 { for _ in crate::c::all() {} 0 }\n"),
        ("c.rs", "use crate::a::Thing;\nlet s = \"crate::d::Nope\";\n"),
        ("d.rs", "use crate::a;\n#[cfg(test)]\npub(in crate::d) mod tests {\n    use crate::c::{self, Y};\n}\n"),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let graph = Graph::read(dir.path());
    let cycles = graph.cycles();
    let names: Vec<Vec<&str>> = cycles.iter().map(|c| c.iter().map(|&f| graph.names[f].as_str()).collect()).collect();
    assert_eq!(names, vec![vec!["a/inner.rs", "a/mod.rs", "b/x.rs", "c.rs"]], "{}", graph.describe(&cycles));
}

struct Graph {
    /// Each file's path under src/, `/`-separated.
    names: Vec<String>,
    edges: Vec<Vec<Edge>>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let mut files = Vec::new();
        walk(src, &mut files);
        files.sort();
        let mut names = Vec::new();
        let mut modules: BTreeMap<Module, usize> = BTreeMap::new();
        let mut module_of = Vec::new();
        for file in &files {
            let rel = file.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
            if rel == "main.rs" {
                continue;
            }
            let mut module: Module = rel.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            modules.insert(module.clone(), names.len());
            module_of.push(module);
            names.push(rel);
        }
        let mut edges = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let text = std::fs::read_to_string(src.join(name)).unwrap();
            edges.push(file_edges(i, &module_of[i], &text, &modules));
        }
        Graph { names, edges }
    }

    /// Strongly connected components of more than one file (Tarjan), each
    /// sorted by file name, in order of their first file.
    fn cycles(&self) -> Vec<Vec<usize>> {
        struct State<'g> {
            g: &'g Graph,
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            on_stack: Vec<bool>,
            stack: Vec<usize>,
            next: usize,
            out: Vec<Vec<usize>>,
        }
        fn visit(s: &mut State, v: usize) {
            s.index[v] = Some(s.next);
            s.low[v] = s.next;
            s.next += 1;
            s.stack.push(v);
            s.on_stack[v] = true;
            for e in &s.g.edges[v] {
                match s.index[e.to] {
                    None => {
                        visit(s, e.to);
                        s.low[v] = s.low[v].min(s.low[e.to]);
                    }
                    Some(i) if s.on_stack[e.to] => s.low[v] = s.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(s.low[v]) == s.index[v] {
                let mut component = Vec::new();
                loop {
                    let w = s.stack.pop().unwrap();
                    s.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    s.out.push(component);
                }
            }
        }
        let n = self.names.len();
        let mut s = State {
            g: self,
            index: vec![None; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            next: 0,
            out: Vec::new(),
        };
        for v in 0..n {
            if s.index[v].is_none() {
                visit(&mut s, v);
            }
        }
        s.out.sort();
        s.out
    }

    /// Each cycle's files and the imports that hold it together.
    fn describe(&self, cycles: &[Vec<usize>]) -> String {
        let mut out = String::new();
        for c in cycles {
            let members: BTreeSet<usize> = c.iter().copied().collect();
            let files: Vec<&str> = c.iter().map(|&f| self.names[f].as_str()).collect();
            writeln!(out, "cycle of {} files: {}", c.len(), files.join(", ")).unwrap();
            for &from in c {
                for e in self.edges[from].iter().filter(|e| members.contains(&e.to)) {
                    writeln!(out, "    {}:{} -> {}  ({})", self.names[from], e.line, self.names[e.to], e.path).unwrap();
                }
            }
        }
        out
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The files one file imports, the first place each import is made.
fn file_edges(this: usize, module: &Module, text: &str, modules: &BTreeMap<Module, usize>) -> Vec<Edge> {
    let code = without_tests(&blank_comments_and_strings(text));
    let tokens = tokenize(&code);
    let children: BTreeSet<&str> =
        tokens.windows(3).filter(|w| w[0].text == "mod" && w[2].text == ";").map(|w| w[1].text).collect();
    let mut aliases: BTreeMap<String, Module> = BTreeMap::new();
    let mut found: BTreeMap<usize, (usize, String)> = BTreeMap::new();
    let add = |segments: &[String], line: usize, found: &mut BTreeMap<usize, (usize, String)>| {
        if let Some(target) = longest_module(segments, modules)
            && target != this
        {
            found.entry(target).or_insert_with(|| (line, format!("crate::{}", segments.join("::"))));
        }
    };
    // `use` items first: what they bring in as module names is then
    // followed in code paths.
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].text == "use" {
            let end = (i..tokens.len()).find(|&j| tokens[j].text == ";").unwrap_or(tokens.len());
            let mut paths = Vec::new();
            use_tree(&tokens[i + 1..end], &mut Vec::new(), &mut paths);
            for (path, name) in paths {
                let Some(abs) = absolute(module, &path, &children, &aliases) else {
                    continue;
                };
                add(&abs, tokens[i].line, &mut found);
                if modules.contains_key(&abs)
                    && let Some(name) = name
                {
                    aliases.insert(name, abs);
                }
            }
            i = end;
        }
        i += 1;
    }
    // Paths in code: a run `a::b::c` not itself the tail of a longer path.
    let mut i = 0;
    while i < tokens.len() {
        // Not a visibility (`pub(in crate::a)`), which names no dependency.
        let visibility = i >= 3 && [tokens[i - 3].text, tokens[i - 2].text, tokens[i - 1].text] == ["pub", "(", "in"];
        let starts = is_ident(tokens[i].text) && (i == 0 || tokens[i - 1].text != "::") && !visibility;
        if !starts {
            i += 1;
            continue;
        }
        let mut path = vec![tokens[i].text.to_owned()];
        let mut j = i + 1;
        while j + 1 < tokens.len() && tokens[j].text == "::" && is_ident(tokens[j + 1].text) {
            path.push(tokens[j + 1].text.to_owned());
            j += 2;
        }
        if path.len() > 1
            && let Some(abs) = absolute(module, &path, &children, &aliases)
        {
            add(&abs, tokens[i].line, &mut found);
        }
        i = j;
    }
    found.into_iter().map(|(to, (line, path))| Edge { to, line, path }).collect()
}

/// A path as written in `module`, made absolute from the crate root; `None`
/// for a path into another crate or to a local item.
fn absolute(
    module: &Module,
    path: &[String],
    children: &BTreeSet<&str>,
    aliases: &BTreeMap<String, Module>,
) -> Option<Module> {
    let first = path.first()?.as_str();
    let (mut base, rest) = match first {
        "crate" | "$crate" => (Vec::new(), &path[1..]),
        "self" => (module.clone(), &path[1..]),
        "super" => {
            let mut base = module.clone();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
            (base, rest)
        }
        _ if children.contains(first) => (module.clone(), path),
        _ => (aliases.get(first)?.clone(), &path[1..]),
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The file of the longest prefix of `segments` that is a module.
fn longest_module(segments: &[String], modules: &BTreeMap<Module, usize>) -> Option<usize> {
    (0..=segments.len()).rev().find_map(|n| modules.get(&segments[..n])).copied()
}

/// A `use` tree flattened into paths, each with the name it binds (`None`
/// for a glob or `_`).
fn use_tree(tokens: &[Token], prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let mut i = 0;
    let depth = prefix.len();
    while i < tokens.len() {
        let t = tokens[i].text;
        match t {
            "::" => {}
            "{" => {
                let close = matching(tokens, i);
                // Split the group at its top-level commas.
                let inner = &tokens[i + 1..close];
                let mut start = 0;
                let mut level = 0;
                for k in 0..=inner.len() {
                    let at_end = k == inner.len();
                    if !at_end {
                        match inner[k].text {
                            "{" => level += 1,
                            "}" => level -= 1,
                            _ => {}
                        }
                    }
                    if at_end || (level == 0 && inner[k].text == ",") {
                        if k > start {
                            use_tree(&inner[start..k], prefix, out);
                        }
                        start = k + 1;
                    }
                }
                prefix.truncate(depth);
                return;
            }
            "*" => {
                out.push((prefix.clone(), None));
                prefix.truncate(depth);
                return;
            }
            "as" => {
                let name = tokens.get(i + 1).map(|t| t.text).filter(|n| *n != "_").map(str::to_owned);
                out.push((prefix.clone(), name));
                prefix.truncate(depth);
                return;
            }
            "self" if i > 0 || depth > 0 => {}
            _ if is_ident(t) || t == "$crate" => prefix.push(t.to_owned()),
            _ => {}
        }
        i += 1;
    }
    let name = prefix.last().cloned();
    out.push((prefix.clone(), name));
    prefix.truncate(depth);
}

fn matching(tokens: &[Token], open: usize) -> usize {
    let mut level = 0;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match t.text {
            "{" => level += 1,
            "}" => {
                level -= 1;
                if level == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

struct Token<'a> {
    text: &'a str,
    line: usize,
}

fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_') && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Identifiers (with `$crate`), `::` and single punctuation characters.
fn tokenize(code: &str) -> Vec<Token<'_>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric()
            || c == b'_'
            || c >= 0x80
            || (c == b'$' && code[i + 1..].starts_with("crate"))
        {
            let start = i;
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80) {
                i += 1;
            }
            out.push(Token { text: &code[start..i], line });
        } else if code[i..].starts_with("::") {
            out.push(Token { text: "::", line });
            i += 2;
        } else {
            out.push(Token { text: &code[i..i + 1], line });
            i += 1;
        }
    }
    out
}

/// The text with every `#[cfg(test)]` module (inline or declared) blanked,
/// newlines kept.
fn without_tests(code: &str) -> String {
    let mut out = code.to_owned();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]").map(|p| p + from) {
        from = at + 1;
        let mut rest = &code[at + "#[cfg(test)]".len()..];
        // Further attributes on the same item.
        loop {
            rest = rest.trim_start();
            if rest.starts_with("#[") {
                rest = &rest[rest.find(']').map_or(rest.len(), |p| p + 1)..];
            } else {
                break;
            }
        }
        // Any visibility: `pub`, `pub(crate)`, `pub(super)`, `pub(in …)`.
        let item = match rest.strip_prefix("pub") {
            Some(vis) if vis.starts_with('(') => vis[vis.find(')').map_or(0, |p| p + 1)..].trim_start(),
            Some(vis) => vis.trim_start(),
            None => rest,
        };
        if !item.starts_with("mod ") {
            continue;
        }
        let start = code.len() - item.len();
        let end = match (item.find('{'), item.find(';')) {
            (Some(open), semi) if semi.is_none_or(|s| open < s) => {
                let mut level = 0;
                let mut end = code.len();
                for (k, ch) in code[start + open..].char_indices() {
                    match ch {
                        '{' => level += 1,
                        '}' => {
                            level -= 1;
                            if level == 0 {
                                end = start + open + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => start + semi + 1,
            _ => code.len(),
        };
        let blank: String = code[at..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
        out.replace_range(at..end, &blank);
        from = end;
    }
    out
}

/// The text with comments, string and character literals blanked to spaces
/// (newlines kept, so lines still count), lifetimes left alone.
fn blank_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut level = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    level += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    level -= 1;
                    out.push_str("  ");
                    i += 2;
                    if level == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if c == 'r'
            && (i == 0 || !ident(chars[i - 1]) || (chars[i - 1] == 'b' && (i < 2 || !ident(chars[i - 2]))))
            && matches!(next, Some('"' | '#'))
            && {
                let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                chars.get(i + 1 + hashes) == Some(&'"')
            }
        {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            let open = i + 1 + hashes;
            let mut end = open + 1;
            while end < chars.len()
                && !(chars[end] == '"' && chars[end + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes)
            {
                end += 1;
            }
            let end = (end + 1 + hashes).min(chars.len());
            for &ch in &chars[i..end] {
                blank(&mut out, ch);
            }
            i = end;
        } else if c == '"' {
            blank(&mut out, c);
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
            if i < chars.len() {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal, not a lifetime.
            let mut end = i + 1;
            if next == Some('\\') {
                end += 2;
            }
            while end < chars.len() && chars[end] != '\'' {
                end += 1;
            }
            let end = (end + 1).min(chars.len());
            for &ch in &chars[i..end] {
                blank(&mut out, ch);
            }
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}
