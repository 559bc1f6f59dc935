//! One file being written into the staging folder, streamed: the one way a
//! stage writes a file it does not hold whole (a feed of 200 MB, a bundle
//! of gigabytes). It keeps the first I/O error with the file's path, so a
//! full disk is reported as one, not as a renderer's failure; it stops at
//! once after a signal (`interrupt`); and `finish` keeps the previous
//! output's file instead when the bytes are the same, like `Staging::write`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use super::record::WrittenFile;
use crate::error::{Error, Result};
use crate::fault::Fault;
use crate::interrupt;

/// The staging folder as a staged file sees it: where the file notes what
/// it wrote, and which may keep the previous output's copy instead.
/// `Staging` is the only one; a trait so that this file need not name it.
pub(super) trait Folder: Sync {
    /// Notes what was staged at `rel`, for the record.
    fn note(&self, rel: &str, entry: WrittenFile);
    /// After a file was streamed to `rel`: if the previous output holds the
    /// same bytes, keep that file instead (its inode and time).
    fn settle(&self, rel: &str) -> Result<()>;
}

pub struct StagedFile<'s> {
    staging: &'s dyn Folder,
    rel: String,
    path: PathBuf,
    out: BufWriter<Hashed>,
    /// The first error met, for `finish` (writers may swallow it).
    error: Option<io::Error>,
    /// Fault injection (tests): the disk fills after this many bytes.
    fault: Option<Fault>,
}

/// The file, and the hash of what reached it, for the record. Hashed below
/// the buffer, so that the hash takes 64 KiB at a time (the width its SIMD
/// code needs) however small the renderer's writes.
struct Hashed {
    file: File,
    hasher: blake3::Hasher,
}

impl Write for Hashed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl<'s> StagedFile<'s> {
    pub(super) fn new(staging: &'s dyn Folder, rel: &str, path: PathBuf, file: File) -> StagedFile<'s> {
        let out = BufWriter::with_capacity(1 << 16, Hashed { file, hasher: blake3::Hasher::new() });
        StagedFile { staging, rel: rel.to_owned(), path, out, error: None, fault: None }
    }

    /// Where it is staged, for messages and for reading it back.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The disk "fills up" after `fault`'s bytes (`PRESSROOM_FAIL_STAGE`).
    pub fn with_fault(mut self, fault: Option<Fault>) -> StagedFile<'s> {
        self.fault = fault;
        self
    }

    /// The error of a writer that failed on this file: the I/O error it met,
    /// with the path, if that is why; else `other`.
    pub fn failed(&mut self, other: Error) -> Error {
        match self.error.take() {
            Some(e) => Error::io(&self.path, e),
            None => other,
        }
    }

    /// Closes the file; the previous output's copy is kept instead when its
    /// bytes are the same (its inode and time).
    pub fn finish(self) -> Result<()> {
        let (staging, rel) = (self.staging, self.rel.clone());
        self.close(false)?;
        staging.settle(&rel)
    }

    /// Closes the file, synced to disk, and leaves it as written: for a
    /// caller that decides itself whether the previous copy is the same
    /// (the archive, from its checksums). Returns its path.
    pub fn finish_as_written(self) -> Result<PathBuf> {
        self.close(true)
    }

    fn close(mut self, sync: bool) -> Result<PathBuf> {
        if let Some(e) = self.error.take() {
            return Err(Error::io(&self.path, e));
        }
        let Hashed { file, hasher } = self.out.into_inner().map_err(|e| Error::io(&self.path, e.into_error()))?;
        if sync {
            file.sync_all().map_err(|e| Error::io(&self.path, e))?;
        }
        self.staging.note(&self.rel, WrittenFile::hashed(&hasher));
        Ok(self.path)
    }

    fn keep(&mut self, e: &io::Error) {
        if self.error.is_none() {
            self.error = Some(io::Error::new(e.kind(), e.to_string()));
        }
    }
}

impl Write for StagedFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = interrupt::check().and_then(|()| match self.fault.as_mut() {
            Some(fault) => fault.spend(buf.len(), &mut self.out),
            None => Ok(()),
        });
        written.and_then(|()| self.out.write(buf)).inspect_err(|e| self.keep(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush().inspect_err(|e| self.keep(e))
    }
}
