//! Lying ZIP64 records and a ZIP without its central directory.

use super::*;

/// A ZIP64 extended information extra field (0x0001) with these values.
fn zip64_extra(values: &[u64]) -> Vec<u8> {
    let mut extra = Vec::new();
    u16le(&mut extra, 0x0001);
    u16le(&mut extra, (values.len() * 8) as u16);
    for v in values {
        extra.extend_from_slice(&v.to_le_bytes());
    }
    extra
}

#[test]
fn a_lying_zip64_record() {
    // Sizes of 2^62 bytes in the ZIP64 field, for an entry of 13 bytes.
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut huge = Entry::stored("b/data/huge.pdf", b"%PDF-1.4 huge");
    (huge.size, huge.compressed) = (U32_MAX, U32_MAX);
    huge.central_extra = zip64_extra(&[1 << 62, 1 << 62]);
    huge.local_extra = zip64_extra(&[1 << 62, 1 << 62]);
    // A local header offset of 2^60.
    let mut far = Entry::stored("b/data/far.pdf", b"%PDF-1.4 far");
    far.offset = Some(U32_MAX);
    far.central_extra = zip64_extra(&[1 << 60]);
    // Deflated: 2^40 bytes declared from 20.
    let mut bomb = Entry::deflated("b/data/bomb.pdf", b"%PDF-1.4 bomb");
    let compressed = bomb.data.len() as u64;
    (bomb.size, bomb.compressed) = (U32_MAX, U32_MAX);
    bomb.central_extra = zip64_extra(&[1 << 40, compressed]);
    bomb.local_extra = zip64_extra(&[1 << 40, compressed]);
    entries.extend([huge, far, bomb]);
    assert_refused(
        "zip64.zip",
        &zip(&entries),
        &[
            ("b/data/huge.pdf", "reaches into or past the central directory"),
            ("b/data/far.pdf", "cannot be read"),
            ("b/data/bomb.pdf", "declares 1099511627776 bytes"),
        ],
    );
}

#[test]
fn a_lying_zip64_end_record() {
    // A ZIP64 end record claiming 2^40 entries and a central directory at
    // 2^50, then a ZIP64 locator and an end record that defers to them.
    let entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut bytes = zip(&entries);
    bytes.truncate(bytes.len() - 22);
    let eocd64_at = bytes.len() as u64;
    u32le(&mut bytes, 0x0606_4b50);
    bytes.extend_from_slice(&44u64.to_le_bytes());
    u16le(&mut bytes, 45);
    u16le(&mut bytes, 45);
    u32le(&mut bytes, 0);
    u32le(&mut bytes, 0);
    bytes.extend_from_slice(&(1u64 << 40).to_le_bytes());
    bytes.extend_from_slice(&(1u64 << 40).to_le_bytes());
    bytes.extend_from_slice(&(1u64 << 50).to_le_bytes());
    bytes.extend_from_slice(&(1u64 << 50).to_le_bytes());
    u32le(&mut bytes, 0x0706_4b50);
    u32le(&mut bytes, 0);
    bytes.extend_from_slice(&eocd64_at.to_le_bytes());
    u32le(&mut bytes, 1);
    u32le(&mut bytes, EOCD_SIG);
    bytes.extend_from_slice(&[0xFF; 16]);
    u16le(&mut bytes, 0);
    assert_refused("zip64-end.zip", &bytes, &[("zip64-end.zip", "not a complete ZIP file")]);
}

#[test]
fn a_bomb_in_a_zip_without_its_central_directory() {
    // Only a local header declaring 4 GiB, then 1 GiB of zeros deflated:
    // read from the start as a truncated ZIP, inflating stops at 100 times
    // the file's size. (Sizes deferred to a data descriptor are refused by
    // the `zip` crate for deflated entries read this way.)
    let stream = zeros_deflated(1024);
    let mut bytes = Vec::new();
    u32le(&mut bytes, LOCAL_SIG);
    u16le(&mut bytes, 20);
    u16le(&mut bytes, 1 << 11);
    u16le(&mut bytes, DEFLATED);
    u16le(&mut bytes, 0);
    u16le(&mut bytes, (1 << 5) | 1);
    u32le(&mut bytes, 0); // CRC
    u32le(&mut bytes, stream.len() as u32);
    u32le(&mut bytes, 0xFFFF_FFF0);
    let name = b"b/data/zeros.pdf";
    u16le(&mut bytes, name.len() as u16);
    u16le(&mut bytes, 0);
    bytes.extend_from_slice(name);
    bytes.extend_from_slice(&stream);
    assert_refused(
        "headless-bomb.zip",
        &bytes,
        &[("b/data/zeros.pdf", "inflates to more than"), ("headless-bomb.zip", "not a complete ZIP file")],
    );
}
