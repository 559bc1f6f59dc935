//! The checks of `pressroom verify` on the bag itself (RFC 8493), once the
//! ZIP's entries have been read: `bagit.txt`, `bag-info.txt`'s
//! Payload-Oxum (both optional), every line of every payload and tag
//! manifest (SHA-256, SHA-512, SHA-224, SHA-384, and the weak MD5 and
//! SHA-1; paths percent-decoded, coreutils' `*` and a leading `./` read
//! too), files missing from a manifest or listed but absent, and the files
//! `fetch.txt` says are to be fetched (each under `data/`).

use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::UnicodeNormalization;

use super::bag::decode_path;
use super::digest::hex;
use super::verify::{EXTRA, Entry, Report};

/// The bag's own checks, over its entries by path from the top folder.
pub(super) fn check_bag(top: &str, bag: &BTreeMap<&str, &Entry>, report: &mut Report) {
    check_bagit_txt(top, bag, report);
    // The payload: every file under data/.
    let payload: Vec<(&str, &Entry)> =
        bag.iter().filter(|(rel, _)| rel.starts_with("data/")).map(|(rel, e)| (*rel, *e)).collect();
    report.payload_files = payload.len() as u64;
    report.payload_octets = payload.iter().filter_map(|(_, e)| e.digests.map(|d| d.size)).sum();

    let fetch = read_fetch(top, bag, report);
    check_bag_info(top, bag, &fetch, report);
    check_manifests(top, bag, &payload, &fetch, report);
}

/// The text of the tag file `rel`, if it was read.
fn text<'b>(bag: &'b BTreeMap<&str, &Entry>, rel: &str) -> Option<&'b str> {
    bag.get(rel).and_then(|e| e.text.as_deref())
}

/// bagit.txt: exactly two lines (RFC 8493 §2.1.1).
fn check_bagit_txt(top: &str, bag: &BTreeMap<&str, &Entry>, report: &mut Report) {
    let full = |rel: &str| format!("{top}/{rel}");
    match text(bag, "bagit.txt") {
        None if !bag.contains_key("bagit.txt") => report.problem(full("bagit.txt"), "missing: this is not a bag"),
        None => {}
        Some(t) => {
            let lines: Vec<&str> = t.lines().collect();
            let version_ok = lines.first().and_then(|l| l.strip_prefix("BagIt-Version: ")).is_some_and(|v| {
                v.split_once('.').is_some_and(|(a, b)| {
                    !a.is_empty() && !b.is_empty() && (a.to_owned() + b).bytes().all(|c| c.is_ascii_digit())
                })
            });
            let encoding = lines.get(1).and_then(|l| l.strip_prefix("Tag-File-Character-Encoding: "));
            if lines.len() != 2 || !version_ok || encoding.is_none() {
                report.problem(
                    full("bagit.txt"),
                    "must be two lines: \"BagIt-Version: M.N\" and \"Tag-File-Character-Encoding: ENCODING\"",
                );
            } else if !encoding.is_some_and(|e| e.eq_ignore_ascii_case("UTF-8")) {
                report.problem(full("bagit.txt"), "tag files are not declared UTF-8: cannot check them");
            }
        }
    }
}

/// fetch.txt (RFC 8493 §2.2.3): `URL LENGTH PATH`, files to be fetched into
/// the bag. Those absent are said, not counted as missing. A path that is
/// not under `data/` is damage, and excuses nothing: a tool that fetched it
/// would write outside the payload, or outside the bag.
fn read_fetch(top: &str, bag: &BTreeMap<&str, &Entry>, report: &mut Report) -> BTreeMap<String, String> {
    let full = |rel: &str| format!("{top}/{rel}");
    let mut fetch = BTreeMap::new();
    for (i, line) in text(bag, "fetch.txt").unwrap_or_default().lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, [' ', '\t']);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(url), Some(_length), Some(path)) => {
                let rel = bag_path(path.trim_start_matches([' ', '\t']));
                if let Some(why) = outside_payload(&rel) {
                    report.problem(full("fetch.txt"), format!("line {} names {rel:?}: {why}", i + 1));
                    continue;
                }
                if !bag.contains_key(rel.as_str()) {
                    report.note(full(&rel), format!("to be fetched from {url} (fetch.txt): not in the ZIP"));
                }
                fetch.insert(rel, url.to_owned());
            }
            _ => report.problem(full("fetch.txt"), format!("line {} is not \"URL LENGTH PATH\"", i + 1)),
        }
    }
    fetch
}

/// A path as a manifest or `fetch.txt` writes it, as the bag's entries name
/// it: `%25`, `%0D` and `%0A` decoded (RFC 8493 §2.1.3), and a leading `./`
/// dropped (`find . -type f | xargs sha256sum` writes one; bagit-python
/// normalises it away).
fn bag_path(path: &str) -> String {
    let rel = decode_path(path);
    match rel.strip_prefix("./") {
        Some(rest) => rest.to_owned(),
        None => rel,
    }
}

/// Why the fetch.txt path `rel` cannot name a file of the payload, if it
/// cannot: it must be relative to the bag and under `data/` (RFC 8493
/// §2.2.3). bagit-python refuses the paths that leave the bag, `~user` ones
/// included. A control character is refused too: the fetched file would be
/// named with it, and a NUL cuts the path short where a C library reads it.
fn outside_payload(rel: &str) -> Option<&'static str> {
    let bytes = rel.as_bytes();
    if rel.contains(char::is_control) {
        Some("it holds a control character")
    } else if rel.starts_with('/') || bytes.get(1) == Some(&b':') && bytes[0].is_ascii_alphabetic() {
        Some("it is absolute (or starts with a drive letter), outside the bag")
    } else if rel.contains('\\') {
        // Windows takes it for a separator: `data\..\..` climbs there.
        Some("it holds a backslash, a separator on Windows")
    } else if rel.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        Some("it has an empty, `.` or `..` segment, and may lead out of the bag")
    } else if !rel.starts_with("data/") {
        Some("it is not under data/, the payload")
    } else {
        None
    }
}

/// bag-info.txt and its Payload-Oxum. Both are optional (RFC 8493 §2.2.2):
/// a bag without them is valid, and only a Payload-Oxum present is checked.
fn check_bag_info(top: &str, bag: &BTreeMap<&str, &Entry>, fetch: &BTreeMap<String, String>, report: &mut Report) {
    let full = |rel: &str| format!("{top}/{rel}");
    match text(bag, "bag-info.txt") {
        None => {}
        Some(t) => {
            let mut oxum = None;
            for (i, line) in t.lines().enumerate() {
                if line.is_empty() || line.starts_with([' ', '\t']) {
                    continue; // a folded continuation line
                }
                match line.split_once(':') {
                    Some((label, value)) if label.trim() == "Payload-Oxum" => oxum = Some(value.trim().to_owned()),
                    Some(_) => {}
                    None => report.problem(full("bag-info.txt"), format!("line {} is not \"Label: value\"", i + 1)),
                }
            }
            let actual = format!("{}.{}", report.payload_octets, report.payload_files);
            // A payload file not read (said already) has no size to add up.
            let all_read = bag.iter().all(|(rel, e)| !rel.starts_with("data/") || e.digests.is_some());
            match oxum {
                None => {}
                Some(_) if !all_read => {}
                Some(oxum) if oxum != actual && fetch.keys().any(|rel| !bag.contains_key(rel.as_str())) => report.note(
                    full("bag-info.txt"),
                    format!("Payload-Oxum is {oxum}, the payload in the ZIP {actual}: to be checked once fetched"),
                ),
                Some(oxum) if oxum != actual => report.problem(
                    full("bag-info.txt"),
                    format!("Payload-Oxum is {oxum} but the payload is {actual} (octets.files)"),
                ),
                Some(_) => {}
            }
        }
    }
}

/// The payload manifests and the tag manifests, and what each must list.
fn check_manifests(
    top: &str,
    bag: &BTreeMap<&str, &Entry>,
    payload: &[(&str, &Entry)],
    fetch: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let full = |rel: &str| format!("{top}/{rel}");
    // The bag's entries by their names in NFC, for manifest paths written
    // in another normalisation.
    let mut normalised: BTreeMap<String, &str> = BTreeMap::new();
    for &rel in bag.keys() {
        normalised.entry(rel.nfc().collect()).or_insert(rel);
    }
    let manifests: Vec<&str> = bag.keys().copied().filter(|r| is_manifest(r, "manifest-")).collect();
    let tag_manifests: Vec<&str> = bag.keys().copied().filter(|r| is_manifest(r, "tagmanifest-")).collect();
    if manifests.is_empty() {
        report.problem(full("manifest-sha256.txt"), "missing: the bag has no payload manifest");
    } else if !manifests.iter().any(|m| known_algorithm(m)) {
        let list: Vec<&str> =
            manifests.iter().map(|m| m.trim_start_matches("manifest-").trim_end_matches(".txt")).collect();
        report.cannot_check(
            full(manifests[0]),
            format!(
                "the payload manifests use only {}, which verify does not know (it knows sha512, sha384, sha256, \
                 sha224, sha1 and md5): the payload's checksums cannot be checked",
                list.join(", ")
            ),
        );
    }
    for &manifest in &manifests {
        let Some(listed) = check_manifest(top, manifest, bag, (fetch, &normalised), report) else { continue };
        for (rel, _) in payload {
            if !listed.contains(*rel) {
                report.problem(full(rel), format!("not listed in {manifest}"));
            }
        }
        for rel in listed.iter().filter(|r| !r.starts_with("data/")) {
            report.problem(full(manifest), format!("lists {rel:?}, which is not under data/"));
        }
    }
    // A tag manifest need not list every tag file (RFC 8493 §2.2.1: a bag
    // may add tag files, `fetch.txt` among them, after its tag manifests
    // were written): what it lists is checked, what it leaves out is fine.
    // A payload manifest left out loses the tag manifest's protection,
    // which is worth a warning, not damage.
    for &manifest in &tag_manifests {
        let Some(listed) = check_manifest(top, manifest, bag, (fetch, &normalised), report) else { continue };
        for rel in &listed {
            if is_manifest(rel, "tagmanifest-") {
                report.problem(full(manifest), format!("lists the tag manifest {rel}"));
            }
        }
        for &payload_manifest in &manifests {
            if !listed.contains(payload_manifest) {
                report.warn(full(payload_manifest), format!("not listed in {manifest}, so not protected by it"));
            }
        }
    }
}

/// Whether verify computes the checksums of the manifest `rel`'s algorithm.
fn known_algorithm(rel: &str) -> bool {
    let alg = rel.split_once('-').map_or("", |(_, r)| r).trim_end_matches(".txt");
    matches!(alg, "sha256" | "sha512") || EXTRA.contains(&alg)
}

fn is_manifest(rel: &str, kind: &str) -> bool {
    rel.strip_prefix(kind).and_then(|r| r.strip_suffix(".txt")).is_some_and(|alg| !alg.is_empty() && !alg.contains('/'))
}

/// Checks each line of one manifest; returns the paths it lists, or `None`
/// when its text could not be read (said already: damaged, too large, not
/// UTF-8, or compressed with a method verify cannot read), so that its
/// files are not all called unlisted.
fn check_manifest(
    top: &str,
    manifest: &str,
    bag: &BTreeMap<&str, &Entry>,
    (fetch, normalised): (&BTreeMap<String, String>, &BTreeMap<String, &str>),
    report: &mut Report,
) -> Option<BTreeSet<String>> {
    let full = |rel: &str| format!("{top}/{rel}");
    let mut listed = BTreeSet::new();
    // Each path listed: its first line, and the checksum there.
    let mut seen: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let text = bag.get(manifest).and_then(|e| e.text.as_deref())?;
    let alg = manifest.split_once('-').map_or("", |(_, r)| r).trim_end_matches(".txt");
    let pick: Option<fn(&Entry) -> Option<String>> = match alg {
        "sha256" => Some(|e| e.digests.map(|d| hex(&d.sha256))),
        "sha512" => Some(|e| e.digests.map(|d| hex(&d.sha512))),
        other if EXTRA.contains(&other) => {
            if matches!(other, "md5" | "sha1") {
                report.note(full(manifest), format!("{alg} is checked, but it is weak: it proves no tampering"));
            }
            None
        }
        // Not damage: RFC 8493 allows any algorithm. The lines are still
        // read (what they list must be there); `check_manifests` says when
        // no payload manifest is left to check the payload with.
        _ => {
            report.warn(
                full(manifest),
                format!("the algorithm {alg:?} is not one verify knows: its checksums are not checked"),
            );
            None
        }
    };
    // Lines `md5sum -b` and `sha256sum -b` wrote: (first line, how many).
    let mut binary: Option<(usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let Some((sum, path)) = line.split_once([' ', '\t']) else {
            report.problem(full(manifest), format!("line {} is not \"CHECKSUM PATH\"", i + 1));
            continue;
        };
        // coreutils' binary mode writes `CHECKSUM *PATH`, one space and a
        // star; RFC 8493 has no star, and a file whose name starts with one
        // is written after two spaces by every tool that writes bags.
        let path = match path.strip_prefix('*') {
            Some(path) => {
                binary = Some(binary.map_or((i + 1, 1), |(first, n)| (first, n + 1)));
                path
            }
            None => path.trim_start_matches([' ', '\t']),
        };
        let rel = bag_path(path);
        // The same line twice (two tools' manifests joined) checks the same
        // thing; two checksums for one file cannot both be right.
        if let Some((first, first_sum)) = seen.get(&rel) {
            if first_sum.eq_ignore_ascii_case(sum) {
                report.warn(full(manifest), format!("line {} lists {rel:?} again, as line {first} does", i + 1));
            } else {
                report.problem(
                    full(manifest),
                    format!("line {} lists {rel:?} again, with another checksum than line {first}", i + 1),
                );
            }
            continue;
        }
        seen.insert(rel.clone(), (i + 1, sum.to_owned()));
        // A bag made on macOS may list `é` decomposed where the ZIP names
        // it composed, or the other way round: bagit-python compares names
        // normalised, and so does verify, with a warning (another tool may
        // call the file missing).
        let rel = if bag.contains_key(rel.as_str()) {
            rel
        } else if let Some(&name) = normalised.get(&rel.nfc().collect::<String>()) {
            report.warn(
                full(name),
                format!("{manifest} line {} names it in another Unicode normalisation, as {rel:?}", i + 1),
            );
            name.to_owned()
        } else {
            rel
        };
        listed.insert(rel.clone());
        let Some(entry) = bag.get(rel.as_str()) else {
            if !fetch.contains_key(&rel) {
                report.problem(full(&rel), format!("listed in {manifest} but missing from the ZIP"));
            }
            continue;
        };
        let actual = match pick {
            Some(pick) => pick(entry),
            None => entry.extra.iter().find(|(a, _)| *a == alg).map(|(_, hex)| hex.clone()),
        };
        if let Some(actual) = actual
            && !actual.eq_ignore_ascii_case(sum)
        {
            report.problem(full(&rel), format!("its {alg} does not match {manifest} (line {})", i + 1));
        }
    }
    if let Some((first, n)) = binary {
        let lines = if n == 1 { format!("line {first}") } else { format!("{n} lines, from line {first},") };
        report.warn(
            full(manifest),
            format!(
                "{lines} written as `{alg}sum -b` writes them, \"CHECKSUM *PATH\": read without the `*`, which \
                 RFC 8493 does not have"
            ),
        );
    }
    Some(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetch_paths_stay_under_data() {
        for ok in ["data/a.pdf", "data/2021/report/a b.pdf", "data/..x/x..", "data/~25.pdf", "data/月.pdf"] {
            assert_eq!(outside_payload(ok), None, "{ok}");
        }
        for bad in [
            "../x",
            "data/../../x",
            "data/./x",
            "data//x",
            "data/",
            "/etc/passwd",
            "C:/x",
            "data\\..\\..\\x",
            "~user/x",
            "bag-info.txt",
            "data/a\0b",
            "data/a\nb",
            "data/a\u{85}b",
        ] {
            assert!(outside_payload(bad).is_some(), "{bad:?}");
        }
    }
}
