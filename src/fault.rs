//! Fault injection for the tests, in one place: `PRESSROOM_FAIL_STAGE`
//! (read once, into `Settings::fail_stage`) makes a stage of the build fail
//! as a full disk would, to prove that a failed build publishes nothing.
//! `archive` fails at the start of the archive stage; `feeds` midway
//! through writing the first feed, after some of it reached the file.
//! Each function takes that value, not the settings: the output's staged
//! files use `Fault`, and the settings must not be below them.

use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, Result};

const MESSAGE: &str = "injected failure (PRESSROOM_FAIL_STAGE)";

/// The failure asked for at the start of `stage`, if any.
pub fn at_stage(fail_stage: Option<&str>, stage: &str, path: &Path) -> Result<()> {
    match fail_stage {
        Some(name) if name == stage => Err(Error::io(path, io::Error::new(io::ErrorKind::StorageFull, MESSAGE))),
        _ => Ok(()),
    }
}

/// A disk that fills up after some bytes of one file.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    left: usize,
}

impl Fault {
    /// The fault of the first feed, when `PRESSROOM_FAIL_STAGE=feeds`.
    pub fn in_first_feed(fail_stage: Option<&str>) -> Option<Fault> {
        (fail_stage == Some("feeds")).then_some(Fault { left: 1000 })
    }

    /// Takes `len` more bytes, or fails as a full disk once they are spent;
    /// what was written before reaches the file first, as before a real
    /// ENOSPC.
    pub fn spend(&mut self, len: usize, out: &mut impl Write) -> io::Result<()> {
        if len > self.left {
            out.flush()?;
            return Err(io::Error::new(io::ErrorKind::StorageFull, MESSAGE));
        }
        self.left -= len;
        Ok(())
    }
}
