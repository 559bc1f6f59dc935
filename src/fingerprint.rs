//! How a fingerprint takes its parts: each after its length, so that no two
//! different lists of parts run together into the same stream. Items,
//! archive documents and bundles are fingerprinted this way (`proved`,
//! `reuse`, `archive::bundle`) to be taken over unread when nothing that
//! shapes them changed.

use std::fmt::{self, Debug, Write as _};
use std::hash::{Hash, Hasher};

use sha2::{Digest as _, Sha256};

/// `bytes` into `h` after their length.
pub fn part(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// `value` as its `Debug` text (every field of a loaded item, all it is
/// made of), into `h` as one part: the text is hashed as it is formatted,
/// into a hash of its own whose digest is the part, so that an item's
/// kilobytes of text are never gathered into a string (a tenth of a
/// rebuild's CPU at 110,000 items, when they were).
pub fn debug_part(h: &mut Sha256, value: &impl Debug) {
    struct Hashing(Sha256);
    impl fmt::Write for Hashing {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let mut text = Hashing(Sha256::new());
    // Writing into a hash cannot fail; a `Debug` that fails is a bug.
    write!(text, "{value:?}").expect("Debug into a hash");
    part(h, &text.0.finalize());
}

/// The SHA-256 of what `value`'s `Hash` writes: the fields' bytes go into
/// a hash of their own, never gathered. Cheaper than `debug_part` for an
/// item, whose `Debug` escapes every character of its text. What `Hash`
/// writes is this build's own (a length is a `usize` of this machine):
/// every fingerprint holding it is either keyed on the pressroom build or
/// only costs a miss when another build reads it.
pub fn hash_digest(value: &impl Hash) -> [u8; 32] {
    struct Hashing(Sha256);
    impl Hasher for Hashing {
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
        fn finish(&self) -> u64 {
            unreachable!("only its digest is read")
        }
    }
    let mut fields = Hashing(Sha256::new());
    value.hash(&mut fields);
    fields.0.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(parts: &[&[u8]]) -> [u8; 32] {
        let mut h = Sha256::new();
        parts.iter().for_each(|p| part(&mut h, p));
        h.finalize().into()
    }

    #[test]
    fn parts_do_not_run_together() {
        assert_ne!(print(&[b"ab", b"c"]), print(&[b"a", b"bc"]));
        assert_ne!(print(&[b"", b"a"]), print(&[b"a", b""]));
    }

    #[test]
    fn a_debug_part_is_its_text_hashed() {
        let (mut a, mut b) = (Sha256::new(), Sha256::new());
        debug_part(&mut a, &("x", 1));
        part(&mut b, &Sha256::digest(format!("{:?}", ("x", 1)).as_bytes()));
        assert_eq!(a.finalize(), b.finalize());
        let (mut c, mut d) = (Sha256::new(), Sha256::new());
        debug_part(&mut c, &("x", 1));
        debug_part(&mut d, &("x", 2));
        assert_ne!(c.finalize(), d.finalize());
    }

    #[test]
    fn a_hash_digest_tells_fields_apart() {
        let of = |value: &(&str, &str, Vec<u8>)| hash_digest(value);
        assert_eq!(of(&("ab", "c", vec![1])), of(&("ab", "c", vec![1])));
        assert_ne!(of(&("ab", "c", vec![1])), of(&("a", "bc", vec![1])));
        assert_ne!(of(&("ab", "c", vec![1])), of(&("ab", "c", vec![1, 0])));
    }
}
