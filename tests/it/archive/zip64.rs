//! A PDF past the 4 GiB of plain ZIP.

use super::*;

/// A PDF of 4.1 GiB (sparse: it costs no disk until bundled) makes the
/// bundles ZIP64; Python's zipfile and 7-Zip read them back and check every
/// CRC.
/// Slow: the PDF is copied to `public/publications/` and into two bundles
/// (12 GiB written), hashed, and read back by Python and by `verify`: about
/// 90 s on this 2-core machine, the longest test of the suite. It says
/// SKIPPED where the disk has no room for it.
#[test]
fn a_pdf_over_4_gib_is_bundled_with_zip64() {
    let site = Store::shipped();
    let needed = 14 << 30;
    match free_bytes(site.root()) {
        Some(free) if free >= needed => {}
        free => {
            skipped(&format!("needs 14 GiB free, {free:?} bytes here"));
            return;
        }
    }
    let pdf = site.path("content/publications/pdf/isecg-annual-report-2020.pdf");
    let file = fs::OpenOptions::new().write(true).open(&pdf).unwrap();
    let size = (4.1 * f64::from(1u32 << 30)) as u64;
    file.set_len(size).unwrap();
    drop(file);
    let archive = site.build_archive("public", Some(EPOCH));
    for name in [format!("{PREFIX}-2021.zip"), format!("{PREFIX}-all.zip")] {
        let zip = archive.join(&name);
        assert!(fs::metadata(&zip).unwrap().len() > size);
        let out = Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nbad = z.testzip()\nassert bad is None, bad\n\
                 big = [i for i in z.infolist() if i.file_size > 4 << 30]\nassert len(big) == 1, big\nprint(big[0].filename)",
            ])
            .arg(&zip)
            .output()
            .unwrap();
        assert!(out.status.success(), "python zipfile on {name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).trim().ends_with("isecg-annual-report-2020.pdf"));
    }
    let out = verify(&archive.join(format!("{PREFIX}-2021.zip")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // 7-Zip reads the ZIP64 records and checks every CRC too (`t`: nothing
    // extracted, 3 s of reading).
    seven_zip(&["t".as_ref(), archive.join(format!("{PREFIX}-2021.zip")).as_os_str()]);
}

/// The bytes free on the file system of `path`, as `df` reports them.
fn free_bytes(path: &Path) -> Option<u64> {
    let out = Command::new("df").arg("-Pk").arg(path).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let kib: u64 = text.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib * 1024)
}
