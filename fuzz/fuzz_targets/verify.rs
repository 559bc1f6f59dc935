//! `pressroom verify` on arbitrary bytes as a ZIP: a report, never a panic,
//! a hang or an allocation without bound. Reading from memory cannot fail,
//! so an `Err` would be damage misreported as an I/O failure (exit 3).
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pressroom::fuzzing::verify_reader(Cursor::new(data), "fuzz.zip")
        .expect("damage is a problem in the report, not an I/O error");
});
