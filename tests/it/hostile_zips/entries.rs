//! Bombs, climbing and duplicate names, contradicting headers, shared bytes.

use super::*;

#[test]
fn the_hand_made_bag_is_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.zip");
    std::fs::write(&path, zip(&bag(&[("a.pdf", b"%PDF-1.4 a"), ("b.pdf", b"%PDF-1.4 b")]))).unwrap();
    let out = pressroom().arg("verify").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_deflate_bomb_of_a_gigabyte_is_not_inflated() {
    // 1 GiB of zeros in about 1 MiB, sizes and CRC all true.
    let mib = 1024;
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    entries.push(Entry::raw("b/data/zeros.pdf", DEFLATED, zeros_crc(mib), zeros_deflated(mib), (mib << 20) as u32));
    let stdout = assert_refused("bomb.zip", &zip(&entries), &[("b/data/zeros.pdf", "more than 100 to 1")]);
    assert!(stdout.contains("declares 1073741824 bytes"), "{stdout}");
}

#[test]
fn a_bomb_that_declares_a_small_size_stops_there() {
    // 1 GiB of zeros declared as 10 MB (within the ratio): inflating stops
    // past 10 MB, with the entry named.
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    entries.push(Entry::raw("b/data/zeros.pdf", DEFLATED, 0, zeros_deflated(1024), 10_000_000));
    assert_refused(
        "lying-bomb.zip",
        &zip(&entries),
        &[("b/data/zeros.pdf", "larger than its declared uncompressed size")],
    );
}

#[test]
fn a_tiny_entry_that_declares_gigabytes() {
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut deflated = Entry::deflated("b/data/big.pdf", b"%PDF-1.4 tiny");
    deflated.size = 0xFFFF_FFF0;
    let mut stored = Entry::stored("b/data/big2.pdf", b"%PDF-1.4 tiny");
    stored.size = 0xFFFF_FFF0;
    entries.extend([deflated, stored]);
    assert_refused(
        "declared.zip",
        &zip(&entries),
        &[("b/data/big.pdf", "declares 4294967280 bytes from"), ("b/data/big2.pdf", "is stored, yet declares")],
    );
}

#[test]
fn names_that_climb_out_or_are_absolute() {
    for (i, bad) in
        ["b/../../evil.pdf", "../evil.pdf", "/etc/cron.d/evil", "b\\data\\evil.pdf", "C:/evil.pdf", "b/data/./x.pdf"]
            .into_iter()
            .enumerate()
    {
        let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
        entries.push(Entry::stored(bad, b"%PDF-1.4 evil"));
        assert_refused(&format!("names-{i}.zip"), &zip(&entries), &[(bad, "unsafe name")]);
    }
}

#[test]
fn duplicate_names() {
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    entries.push(Entry::stored("b/data/a.pdf", b"%PDF-1.4 another a"));
    assert_refused(
        "duplicate.zip",
        &zip(&entries),
        &[("b/data/a.pdf", "appears more than once in the central directory")],
    );
}

#[test]
fn local_headers_that_contradict_the_central_directory() {
    type Change = fn(&mut Entry);
    let cases: [(&str, Change, &str); 3] = [
        ("name", |e| e.local_name = Some(b"b/data/evil.pdf".to_vec()), "filename mismatch"),
        ("size", |e| e.local_size = Some(e.size + 1), "uncompressed size mismatch"),
        ("crc", |e| e.local_crc = Some(e.crc ^ 1), "CRC32 checksum mismatch"),
    ];
    for (what, change, message) in cases {
        let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
        change(entries.last_mut().unwrap());
        assert_refused(&format!("local-{what}.zip"), &zip(&entries), &[("b/data/a.pdf", message)]);
    }
}

#[test]
fn entries_that_share_their_bytes() {
    // Two central entries over one local header (the overlapping-file bomb).
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut twin = Entry::stored("b/data/twin.pdf", b"%PDF-1.4 a");
    // The twin's central header points at a.pdf's local header.
    let locals_before: usize = entries[..3].iter().map(|e| 30 + e.name.len() + e.data.len()).sum();
    twin.offset = Some(locals_before as u32);
    entries.push(twin);
    assert_refused("overlap.zip", &zip(&entries), &[("b/data/twin.pdf", "overlaps the entry b/data/a.pdf")]);
}
