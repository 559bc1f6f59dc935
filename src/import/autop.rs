//! WordPress's `wpautop`, the core of it: the classic editor stores a post
//! without `<p>` and WordPress adds the paragraphs each time it shows the
//! post. A body imported as stored would run together in every reader, so
//! the same paragraphs are made here once: a blank line ends a paragraph,
//! a single line break is `<br />`, nothing is added inside `<pre>`,
//! `<script>` or `<style>` nor around block elements. The steps follow
//! `wpautop()` of wp-includes/formatting.php in order, with its regular
//! expressions written out by hand.

/// `$allblocks` of `wpautop()`.
const BLOCKS: &[&str] = &[
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "math",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "details",
    "menu",
    "summary",
];

/// The tags before which a `<br />` is dropped (the last step of wpautop).
const NO_BR_BEFORE: &[&str] = &["p", "li", "div", "dl", "dd", "dt", "th", "pre", "td", "ul", "ol"];

/// A tag at the start of `s` (`<name…>` or `</name…>`) whose name is one of
/// `names`, followed by white space, `/` or `>`: its length up to its `>`.
fn tag_at(s: &str, names: &[&str], closing: Option<bool>) -> Option<usize> {
    let rest = s.strip_prefix('<')?;
    let (is_closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if closing.is_some_and(|c| c != is_closing) {
        return None;
    }
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &rest[..name_len];
    if !names.contains(&name) {
        return None;
    }
    let after = rest[name_len..].chars().next()?;
    if !(after.is_whitespace() || after == '/' || after == '>') {
        return None;
    }
    let end = s.find('>')?;
    Some(end + 1)
}

fn is_block_tag_start(s: &str) -> Option<usize> {
    tag_at(s, BLOCKS, None)
}

/// `wpautop($text, true)`.
pub fn autop(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let text = format!("{}\n", text.replace("\r\n", "\n").replace('\r', "\n"));
    // <pre>, <script> and <style> keep their text as written: set aside,
    // put back at the end. WordPress sets aside only <pre> and keeps the
    // line breaks of the others, but splits them at a blank line all the
    // same, which leaves a `</p>` in the code (a script that no longer
    // runs, a style sheet that no longer applies).
    let (mut text, kept) = set_aside(&text);
    // Two <br> in a row are a paragraph break.
    text = replace_double_br(&text);
    // Space around every block tag: blank lines before an opening one,
    // after a closing one.
    let mut spaced = String::with_capacity(text.len() + text.len() / 8);
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with('<') {
            if let Some(len) = tag_at(rest, BLOCKS, Some(false)) {
                spaced.push_str("\n\n");
                spaced.push_str(&rest[..len]);
                i += len;
                continue;
            }
            if let Some(len) = tag_at(rest, BLOCKS, Some(true)) {
                spaced.push_str(&rest[..len]);
                spaced.push_str("\n\n");
                i += len;
                continue;
            }
        }
        let c = rest.chars().next().expect("not at the end");
        spaced.push(c);
        i += c.len_utf8();
    }
    // The paragraphs: what blank lines separate.
    let mut out = String::with_capacity(spaced.len() + spaced.len() / 4);
    for chunk in split_paragraphs(&spaced) {
        let chunk = chunk.trim_matches('\n');
        if chunk.trim().is_empty() {
            continue;
        }
        out.push_str(&paragraph(chunk));
        out.push('\n');
    }
    let out = line_breaks(&out);
    let mut out = out.strip_suffix("\n</p>\n").map(|s| format!("{s}</p>\n")).unwrap_or(out);
    for (n, (name, element)) in kept.iter().enumerate() {
        out = out.replacen(&placeholder(name, n), element, 1);
    }
    out
}

/// The elements whose text is their own.
const KEPT: [&str; 3] = ["pre", "script", "style"];

/// A kept element's stand-in: the same tag, so that it is a block (`pre`,
/// `style`) or inline (`script`) as the element is.
fn placeholder(name: &str, n: usize) -> String {
    format!("<{name} wp-kept-{n}></{name}>")
}

/// `text` with each element of `KEPT` replaced by its `placeholder`, and
/// the elements, in order. Whichever opens first is set aside whole, so
/// that a `<pre>` written inside a script's string stays in the script.
fn set_aside(text: &str) -> (String, Vec<(&'static str, String)>) {
    let mut out = String::with_capacity(text.len());
    let mut kept = Vec::new();
    let mut rest = text;
    loop {
        let first = KEPT.iter().filter_map(|name| Some((find_tag(rest, name)?, *name))).min();
        let Some((at, name)) = first else { break };
        let close = format!("</{name}>");
        // Unclosed: WordPress leaves it to the paragraphs too.
        let Some(len) = rest[at..].find(&close) else { break };
        let end = at + len + close.len();
        out.push_str(&rest[..at]);
        out.push_str(&placeholder(name, kept.len()));
        kept.push((name, rest[at..end].to_owned()));
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, kept)
}

/// Where the first `<name` tag (followed by white space or `>`) starts.
fn find_tag(s: &str, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(at) = s[from..].find(&open) {
        let at = from + at;
        match s[at + open.len()..].chars().next() {
            Some(c) if c.is_whitespace() || c == '>' => return Some(at),
            _ => from = at + open.len(),
        }
    }
    None
}

fn replace_double_br(text: &str) -> String {
    if !text.contains("<br") {
        return text.to_owned();
    }
    let br_len = |s: &str| -> Option<usize> {
        let rest = s.strip_prefix("<br")?;
        let spaces = rest.len() - rest.trim_start().len();
        let rest = &rest[spaces..];
        let slash = usize::from(rest.starts_with('/'));
        rest[slash..].starts_with('>').then_some(3 + spaces + slash + 1)
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if let Some(first) = br_len(rest) {
            let after = &rest[first..];
            let ws = after.len() - after.trim_start().len();
            if let Some(second) = br_len(&after[ws..]) {
                out.push_str("\n\n");
                i += first + ws + second;
                continue;
            }
        }
        let c = rest.chars().next().expect("not at the end");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// `preg_split('/\n\s*\n/', …)`.
fn split_paragraphs(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() && bytes[j] != b'\n' {
                j += 1;
            }
            // `\s*` takes further line breaks too.
            let mut k = j;
            while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                k += 1;
            }
            if text[i + 1..k].contains('\n') {
                let last_newline = i + 1 + text[i + 1..k].rfind('\n').expect("holds one");
                parts.push(&text[start..i]);
                start = last_newline + 1;
                i = start;
                continue;
            }
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// One paragraph wrapped in `<p>`, as wpautop's clean-ups leave it.
fn paragraph(chunk: &str) -> String {
    let trimmed = chunk.trim_start();
    // `<!--more-->` alone: WordPress takes it out before wpautop runs (it
    // becomes a `<span>`), so it is in no paragraph.
    if trimmed.starts_with("<!--") && trimmed.trim_end().ends_with("-->") && trimmed.matches("-->").count() == 1 {
        return chunk.trim().to_owned();
    }
    // `<p>(<li.+?)</p>` → `$1`.
    if trimmed.starts_with("<li") {
        return chunk.to_owned();
    }
    // `<p>([^<]+)</(div|address|form)>` → `<p>$1</p></$2>`.
    for tag in ["div", "address", "form"] {
        let close = format!("</{tag}>");
        if let Some(text) = chunk.strip_suffix(&close)
            && !text.contains('<')
        {
            return format!("<p>{text}</p>{close}");
        }
    }
    let mut body = chunk.to_owned();
    let mut open = "<p>".to_owned();
    let mut close = "</p>".to_owned();
    // `<p><blockquote…>` → `<blockquote…><p>`, and the reverse at the end.
    if let Some(len) = tag_at(trimmed, &["blockquote"], Some(false)) {
        open = format!("{}<p>", &trimmed[..len]);
        body = trimmed[len..].to_owned();
    }
    if let Some(text) = body.strip_suffix("</blockquote>") {
        close = "</p></blockquote>".to_owned();
        body = text.to_owned();
    }
    // `<p>\s*(</?block…>)` → `$1`; `(</?block…>)\s*</p>` → `$1`.
    if open == "<p>" && is_block_tag_start(body.trim_start()).is_some() {
        open.clear();
        body = body.trim_start().to_owned();
    }
    if close == "</p>" && ends_with_block_tag(body.trim_end()) {
        close.clear();
        body = body.trim_end().to_owned();
    }
    format!("{open}{body}{close}")
}

fn ends_with_block_tag(s: &str) -> bool {
    if !s.ends_with('>') {
        return false;
    }
    s.rfind('<').is_some_and(|at| is_block_tag_start(&s[at..]).is_some_and(|len| at + len == s.len()))
}

/// Single line breaks become `<br />`, but not after or before a block tag,
/// nor inside `<script>`, `<style>`, `<svg>` or `<math>`.
fn line_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if let Some(len) = preserved(rest) {
            out.push_str(&rest[..len]);
            i += len;
            continue;
        }
        if let Some(after) = rest.strip_prefix('\n') {
            let before = out.trim_end_matches([' ', '\t']);
            let keep_plain = before.ends_with("<br />")
                || before.ends_with("<br>")
                || before.ends_with("<br/>")
                || before.is_empty()
                || ends_with_block_tag(before);
            let next = after.trim_start();
            let before_block = next.starts_with('<') && tag_at(next, NO_BR_BEFORE, None).is_some();
            let trimmed_len = before.len();
            out.truncate(trimmed_len);
            if !(keep_plain || before_block || next.is_empty()) {
                out.push_str("<br />");
            }
            out.push('\n');
            i += 1;
            continue;
        }
        let c = rest.chars().next().expect("not at the end");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The length of a `<script>`, `<style>`, `<svg>` or `<math>` element at the
/// start of `s`, whose line breaks are its own.
fn preserved(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('<')?;
    for (name, close) in [("script", "</script>"), ("style", "</style>"), ("svg", "</svg>"), ("math", "</math>")] {
        if rest.strip_prefix(name).is_some_and(|after| after.starts_with(|c: char| c.is_whitespace() || c == '>')) {
            return s.find(close).map(|at| at + close.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::autop;

    #[test]
    fn blank_lines_are_paragraphs_and_single_breaks_br() {
        assert_eq!(autop("One\ntwo\n\nThree"), "<p>One<br />\ntwo</p>\n<p>Three</p>\n");
        assert_eq!(autop("  \n"), "");
        assert_eq!(autop("A\r\n\r\nB"), "<p>A</p>\n<p>B</p>\n");
    }

    #[test]
    fn block_elements_are_not_wrapped() {
        assert_eq!(autop("<h2>Title</h2>\nText"), "<h2>Title</h2>\n<p>Text</p>\n");
        assert_eq!(autop("<ul>\n<li>a</li>\n<li>b</li>\n</ul>"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
        assert_eq!(autop("<div>text</div>"), "<div>text</div>\n");
        assert_eq!(autop("<blockquote>Quote</blockquote>"), "<blockquote><p>Quote</p></blockquote>\n");
    }

    #[test]
    fn the_more_mark_stays_out_of_paragraphs() {
        assert_eq!(autop("Intro\n\n<!--more-->\n\nRest"), "<p>Intro</p>\n<!--more-->\n<p>Rest</p>\n");
    }

    #[test]
    fn pre_is_left_as_written() {
        let text = "Code:\n\n<pre>a\n\nb\n</pre>\n\nAfter";
        assert_eq!(autop(text), "<p>Code:</p>\n<pre>a\n\nb\n</pre>\n<p>After</p>\n");
    }

    #[test]
    fn inline_markup_stays_inside_its_paragraph() {
        assert_eq!(
            autop("Some <em>emphasis</em> and <a href=\"x\">a link</a>.\n\n<img src=\"a.jpg\" />"),
            "<p>Some <em>emphasis</em> and <a href=\"x\">a link</a>.</p>\n<p><img src=\"a.jpg\" /></p>\n"
        );
        assert_eq!(autop("a<br><br>b"), "<p>a</p>\n<p>b</p>\n");
    }

    #[test]
    fn scripts_keep_their_line_breaks() {
        assert_eq!(autop("<script>\nvar a;\nvar b;\n</script>"), "<p><script>\nvar a;\nvar b;\n</script></p>\n");
    }

    #[test]
    fn scripts_and_styles_keep_their_blank_lines() {
        let text = "Before.\n\n<script>\nvar a = 1;\n\nvar b = 2;\n</script>\n\n<style>\np { color: red }\n\n</style>\n\nAfter.";
        assert_eq!(
            autop(text),
            "<p>Before.</p>\n<p><script>\nvar a = 1;\n\nvar b = 2;\n</script></p>\n<style>\np { color: red }\n\n</style>\n<p>After.</p>\n"
        );
        // A script inline in its paragraph stays there; one that writes
        // `<pre>` keeps it.
        assert_eq!(
            autop("Text <script>\nw(\"<pre>\");\n\nx();\n</script> more"),
            "<p>Text <script>\nw(\"<pre>\");\n\nx();\n</script> more</p>\n"
        );
    }
}
