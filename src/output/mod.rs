//! The only code that touches the output folder. Its rule: pressroom
//! deletes, moves, replaces or hides only files it wrote itself (listed in
//! the folder's record, `record.rs`), and never writes where its inputs live.
//!
//! A build settles its `Target` before any work (refusals, symbolic link,
//! lock, record), writes every file into a `Staging` folder, and `commit`s
//! it: swapped in whole where it can be, else moved in file by file in an
//! order that never breaks a link. A build that fails, is interrupted or is
//! killed leaves the previous output as it was. A publish holds the same
//! lock while it reads the folder, so that it never sends half of one
//! build and half of the next.

mod commit;
mod lock;
mod out_dir;
mod record;
mod staged_file;
mod staging;
mod target;

pub use commit::{Committed, Expected, check_fit};
pub use record::WrittenFile;
#[cfg(any(feature = "publish", test))]
pub use record::hash_reader;
pub use staging::Staging;
pub use target::{OWN_NAMES, Target, TargetOptions, cache_dir};
// What `publish` reads of a finished output folder.
#[cfg(feature = "publish")]
pub use {
    commit::publish_rank,
    out_dir::OutDir,
    record::{RECORD, Record},
    target::{lock_to_read, resolve_missing},
};
