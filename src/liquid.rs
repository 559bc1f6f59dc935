//! The two Liquid blocks of Jekyll posts that say how text is shown rather
//! than what it is, read for what they mean: `{% highlight lang %}` …
//! `{% endhighlight %}` is a code block (the post `jekyll new` writes holds
//! one), and `{% raw %}` … `{% endraw %}` shows its text as written. Every
//! other Liquid construct stays as written, a warning (W0106): pressroom
//! runs no template.
//!
//! The translation keeps every line where it was, so positions found in
//! the translated body are the file's.

use std::borrow::Cow;
use std::ops::Range;

/// The blocks of `body` read for what they mean: the edits that turn them
/// into Markdown, and the ranges they span (no construct inside is a
/// leftover).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Blocks {
    edits: Vec<(Range<usize>, String)>,
    pub spans: Vec<Range<usize>>,
}

impl Blocks {
    pub fn find(body: &str) -> Blocks {
        let mut blocks = Blocks::default();
        if !body.contains("{%") {
            return blocks;
        }
        let tags = tags(body);
        let mut i = 0;
        while i < tags.len() {
            let (range, name, args) = &tags[i];
            match *name {
                "raw" => {
                    let Some(end) = tags[i + 1..].iter().position(|t| t.1 == "endraw").map(|j| i + 1 + j) else {
                        break;
                    };
                    blocks.edits.push((range.clone(), String::new()));
                    blocks.edits.push((tags[end].0.clone(), String::new()));
                    blocks.spans.push(range.start..tags[end].0.end);
                    // Liquid inside is text: no tag of it is read.
                    i = end + 1;
                }
                "highlight" if alone(body, range) => {
                    let end = tags[i + 1..].iter().position(|t| t.1 == "endhighlight").map(|j| i + 1 + j);
                    let Some(end) = end.filter(|&end| alone(body, &tags[end].0)) else {
                        i += 1;
                        continue;
                    };
                    let code = &body[range.end..tags[end].0.start];
                    let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
                    let lang = args.split_whitespace().next().unwrap_or("");
                    blocks.edits.push((range.clone(), format!("{fence}{lang}")));
                    // Raw blocks inside a highlighted one are read too.
                    for (range, name, _) in &tags[i + 1..end] {
                        if matches!(*name, "raw" | "endraw") {
                            blocks.edits.push((range.clone(), String::new()));
                        }
                    }
                    blocks.edits.push((tags[end].0.clone(), fence));
                    blocks.spans.push(range.start..tags[end].0.end);
                    i = end + 1;
                }
                _ => i += 1,
            }
        }
        blocks.edits.sort_by_key(|(range, _)| range.start);
        blocks
    }

    /// Where `offset` of the translated body (`apply`) is in the body as
    /// written: only the tags are edited, so the text between them moves
    /// by what the edits before it added or took away.
    pub fn written(&self, offset: usize) -> usize {
        let offset = offset as isize;
        // How far the text after the edits so far moved: written minus translated.
        let mut shift = 0isize;
        for (range, with) in &self.edits {
            let start = range.start as isize - shift;
            if offset < start {
                break;
            }
            if offset < start + with.len() as isize {
                return range.start;
            }
            shift += range.len() as isize - with.len() as isize;
        }
        (offset + shift) as usize
    }

    /// `body` with the blocks made Markdown.
    pub fn apply<'b>(&self, body: &'b str) -> Cow<'b, str> {
        if self.edits.is_empty() {
            return Cow::Borrowed(body);
        }
        let mut out = String::with_capacity(body.len());
        let mut at = 0;
        for (range, with) in &self.edits {
            out.push_str(&body[at..range.start]);
            out.push_str(with);
            at = range.end;
        }
        out.push_str(&body[at..]);
        Cow::Owned(out)
    }
}

/// `body` with its Jekyll blocks made Markdown.
pub fn translate(body: &str) -> Cow<'_, str> {
    Blocks::find(body).apply(body)
}

/// Every Liquid tag of `body` (`{% name args %}`, also `{%- … -%}`), with
/// its range, name and arguments, in order.
fn tags(body: &str) -> Vec<(Range<usize>, &str, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = body[from..].find("{%").map(|i| i + from) {
        let Some(len) = body[start..].find("%}").map(|i| i + 2) else { break };
        let inner = body[start + 2..start + len - 2].trim_matches('-').trim();
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        found.push((start..start + len, name, args.trim()));
        from = start + len;
    }
    found
}

/// Whether the tag at `range` is alone on its line, as a fence must be.
fn alone(body: &str, range: &Range<usize>) -> bool {
    let line_start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[range.end..].find('\n').map_or(body.len(), |i| range.end + i);
    body[line_start..range.start].trim().is_empty() && body[range.end..line_end].trim().is_empty()
}

fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_is_a_code_block_and_raw_is_text() {
        let body = "Intro\n\n{% highlight ruby %}\ndef hi\n  puts \"{{ x }}\"\nend\n{% endhighlight %}\n\nSee {% raw %}{{ page.title }}{% endraw %}.\n";
        assert_eq!(
            translate(body),
            "Intro\n\n```ruby\ndef hi\n  puts \"{{ x }}\"\nend\n```\n\nSee {{ page.title }}.\n"
        );
        let blocks = Blocks::find(body);
        assert_eq!(blocks.spans.len(), 2);
        assert!(blocks.spans[1].contains(&body.find("{{ page").unwrap()));
        // Offsets of the translation lead back to the text as written.
        let translated = blocks.apply(body);
        for word in ["Intro", "def hi", "end\n", "See", "{{ page", "."] {
            let at = translated.rfind(word).unwrap();
            assert_eq!(&body[blocks.written(at)..][..word.len()], word, "{word}");
        }
    }

    #[test]
    fn lines_stay_where_they_were_and_fences_outgrow_the_code() {
        let body = "{%- highlight md linenos -%}\n```\ncode\n```\n{% endhighlight %}\nafter\n";
        let out = translate(body);
        assert_eq!(out, "````md\n```\ncode\n```\n````\nafter\n");
        assert_eq!(out.lines().count(), body.lines().count());
    }

    #[test]
    fn what_is_not_a_whole_block_is_left_as_written() {
        for body in [
            "{% highlight ruby %}\nno end\n",
            "text {% highlight ruby %} inline\n{% endhighlight %}\n",
            "{% raw %} never closed\n",
            "{% include note.html %}\n",
            "no tag at all",
        ] {
            assert_eq!(translate(body), body, "{body}");
        }
    }
}
