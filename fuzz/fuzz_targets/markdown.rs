//! Markdown to HTML with link rewriting, the default summary (read as
//! Markdown, and off the body's raw HTML where Markdown finds no text) and
//! the search for links to content files, on arbitrary UTF-8: never a
//! panic, and every offset `References::scan` returns is a place in the
//! body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressroom::fuzzing::{References, first_paragraph, summary, to_html};

const BASE: &str = "https://example.org/news/a%20b/";

fuzz_target!(|body: &str| {
    let html = to_html(body, BASE, &|path| {
        path.ends_with("known.md").then(|| "https://example.org/publications/known/".to_owned())
    });
    let _ = html;
    for summary in [first_paragraph(body), summary(body)].into_iter().flatten() {
        assert_eq!(summary.trim(), summary);
    }
    for (offset, path) in References::scan(body).content_links {
        assert!(body.is_char_boundary(offset) && offset < body.len(), "{offset}");
        assert!(path.ends_with(".md"), "{path}");
    }
});
