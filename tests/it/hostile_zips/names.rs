//! Names that change or forge: a Unicode path field, line breaks and escapes.

use super::*;

#[test]
fn a_unicode_path_field_that_renames_an_entry() {
    // The header says `../evil.pdf`; an Info-ZIP Unicode Path field (0x7075)
    // says `b/data/ok.pdf`, which is what the `zip` crate then calls it.
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut evil = Entry::stored("../evil.pdf", b"%PDF-1.4 evil");
    let mut extra = Vec::new();
    u16le(&mut extra, 0x7075);
    u16le(&mut extra, (5 + "b/data/ok.pdf".len()) as u16);
    extra.push(1);
    u32le(&mut extra, crc32fast::hash(b"../evil.pdf"));
    extra.extend_from_slice(b"b/data/ok.pdf");
    (evil.central_extra, evil.local_extra) = (extra.clone(), extra);
    entries.push(evil);
    assert_refused(
        "unicode-path.zip",
        &zip(&entries),
        &[("b/data/ok.pdf", "UnicodePath (0x7075)"), ("../evil.pdf", "unsafe name in its header")],
    );
    // With a duplicate name too, the `zip` crate cannot compare local and
    // central headers: the header's name is still checked.
    entries.push(Entry::stored("b/data/a.pdf", b"%PDF-1.4 a"));
    assert_refused(
        "unicode-path-and-duplicate.zip",
        &zip(&entries),
        &[("../evil.pdf", "unsafe name in its header"), ("b/data/a.pdf", "appears more than once")],
    );
}

/// Whether `c`, printed raw, could end a line, move the cursor, recolour a
/// terminal or reorder the text around it.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn names_with_line_breaks_or_escapes_forge_no_line() {
    // A line break then a workflow command: GitHub's runner obeys any line of
    // a step's output that starts with `::`, whatever the format asked for.
    let forged = "b/data/x\n::error::forged.pdf";
    let coloured = "b/data/\x1b[2J\x1b[32mall good.pdf";
    let others = ["b/data/cr\r::error::cr.pdf", "b/data/nel\u{85}::error::nel.pdf", "b/data/\u{202e}fdp.exe\u{2028}x"];
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    for name in [forged, coloured].iter().chain(&others) {
        entries.push(Entry::stored(name, b"%PDF-1.4 evil"));
    }
    // Names read from the bag's text files: a manifest (LF written %0A, as
    // RFC 8493 says) and fetch.txt.
    let manifest = format!(
        "{}  data/a.pdf\n{}  data/gone%0A::error::manifest.pdf\n",
        hex(&Sha256::digest(b"%PDF-1.4 a")),
        "0".repeat(64)
    );
    entries[2] = Entry::deflated("b/manifest-sha256.txt", manifest.as_bytes());
    entries.push(Entry::deflated("b/fetch.txt", b"https://example.org/\x1b]0;owned\x07 1 data/later.pdf\n"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("names.zip"), zip(&entries)).unwrap();
    let run = |format: &str| {
        let out =
            pressroom().args(["verify", "names.zip", "--format", format]).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
        for text in [&stdout, &stderr] {
            assert!(
                !text.chars().any(|c| c != '\n' && unsafe_char(c)),
                "{format}: a raw control character in:\n{text}"
            );
        }
        (stdout, stderr)
    };

    // JSON: each name as the real string.
    let (json, _) = run("json");
    let lines: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for name in [forged, coloured, "b/data/gone\n::error::manifest.pdf"].iter().chain(&others) {
        assert!(lines.iter().any(|l| l["entry"] == *name), "{name:?} in:\n{json}");
    }
    assert!(lines.iter().any(|l| l["message"].as_str().unwrap().contains("https://example.org/\x1b]0;owned\x07")));
    // What verify could not check (a file still to fetch) is said on
    // stdout beside the problems.
    let stdout_lines = lines.iter().filter(|l| l["severity"] == "error" || l["severity"] == "unchecked").count();
    let notes = lines.len() - stdout_lines;

    // Human: one line per problem or unchecked file on stdout, one per note
    // and the summary on stderr; no line a command; the names escaped.
    let (stdout, stderr) = run("human");
    assert_eq!((stdout.lines().count(), stderr.lines().count()), (stdout_lines, notes + 1), "{stdout}{stderr}");
    assert!(!stdout.lines().chain(stderr.lines()).any(|l| l.starts_with("::")), "{stdout}{stderr}");
    for shown in [
        r"b/data/x\n::error::forged.pdf: ",
        r"b/data/\u{1b}[2J\u{1b}[32mall good.pdf: ",
        r"b/data/cr\r::error::cr.pdf: ",
        r"b/data/nel\u{85}::error::nel.pdf: ",
        r"b/data/\u{202e}fdp.exe\u{2028}x: ",
        r"b/data/gone\n::error::manifest.pdf: ",
    ] {
        assert!(stdout.lines().any(|l| l.starts_with(shown)), "{shown} in:\n{stdout}");
    }
    assert!(stdout.contains(r"https://example.org/\u{1b}]0;owned\u{7}"), "{stdout}");

    // GitHub: exactly our commands, one per problem and note.
    let (stdout, _) = run("github");
    assert_eq!(stdout.lines().count(), stdout_lines + notes, "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error file=names.zip,title=")).count(),
        stdout_lines,
        "{stdout}"
    );
    assert_eq!(stdout.lines().filter(|l| l.starts_with("::notice file=names.zip,title=")).count(), notes, "{stdout}");
    assert!(stdout.contains(r"title=b/data/x\n%3A%3Aerror%3A%3Aforged.pdf::"), "{stdout}");
}
