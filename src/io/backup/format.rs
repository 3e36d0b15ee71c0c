//! The plaintext backup format, the same sealed or not (a sealed backup is
//! this stream encrypted whole): one consistent snapshot of every tree of a
//! store, with a versioned header and a CRC-32 over the whole stream.
//!
//! Layout (integers big-endian):
//!
//! ```text
//! "DJBACKUP"  format version u16  schema version i64  written at (unix s) i64
//! per tree:   0x01 name-len u8 name
//!             0x02 key-len u32 key value-len u32 value   (each entry, key order)
//!             0x03 entry count u64
//! trailer:    0x04 total entries u64 CRC-32 (of every byte before it) u32
//! ```
//!
//! `write_to` holds the store's writer lock while it reads (see
//! `Store::snapshot`), so no command lands half in it; the server calls it on
//! the store it has open. `read_into` checks the stream as it loads it. The
//! CRC catches damage; only the seal (`seal`) catches an edit.

use super::{BackupError, BackupInfo};
use crate::store::{SCHEMA_VERSION, Snap, Store, StoreError};
use std::io::{Read, Write};
use std::path::PathBuf;

pub(super) const MAGIC: &[u8; 8] = b"DJBACKUP";
pub const FORMAT_VERSION: u16 = 1;
const TREE: u8 = 0x01;
const ENTRY: u8 = 0x02;
const TREE_END: u8 = 0x03;
pub(super) const TRAILER: u8 = 0x04;
/// The trailer's length: tag, total entries, CRC-32.
pub(super) const TRAILER_LEN: usize = 1 + 8 + 4;

/// What stopped a backup stream: the stream it was written to, or the store.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A writer that keeps the CRC-32 and length of everything written through it.
struct Summing<W: Write> {
    inner: W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Write for Summing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the plaintext backup of a store opened in this process to a
/// stream. Returns what it wrote.
pub fn write_to(store: &Store, out: &mut dyn Write) -> Result<BackupInfo, StreamError> {
    let schema = store.schema_version()?.unwrap_or(SCHEMA_VERSION);
    let written_at = chrono::Utc::now().timestamp();
    let mut w = Summing {
        inner: out,
        crc: crc32fast::Hasher::new(),
        len: 0,
    };
    w.write_all(MAGIC)?;
    w.write_all(&FORMAT_VERSION.to_be_bytes())?;
    w.write_all(&schema.to_be_bytes())?;
    w.write_all(&written_at.to_be_bytes())?;
    let mut total = 0u64;
    let mut in_tree = 0u64;
    store.snapshot(&mut |snap| -> Result<(), StreamError> {
        match snap {
            Snap::Tree(name) => {
                in_tree = 0;
                w.write_all(&[TREE, name.len() as u8])?;
                w.write_all(name.as_bytes())?;
            }
            Snap::Entry(k, v) => {
                w.write_all(&[ENTRY])?;
                w.write_all(&(k.len() as u32).to_be_bytes())?;
                w.write_all(k)?;
                w.write_all(&(v.len() as u32).to_be_bytes())?;
                w.write_all(v)?;
                in_tree += 1;
                total += 1;
            }
            Snap::TreeEnd => {
                w.write_all(&[TREE_END])?;
                w.write_all(&in_tree.to_be_bytes())?;
            }
        }
        Ok(())
    })?;
    w.write_all(&[TRAILER])?;
    w.write_all(&total.to_be_bytes())?;
    let crc = w.crc.clone().finalize();
    w.inner.write_all(&crc.to_be_bytes())?;
    w.flush()?;
    Ok(BackupInfo {
        schema,
        written_at,
        entries: total,
        bytes: w.len + 4,
    })
}

/// Reads the backup's bytes, checking lengths against what the file could
/// hold at most, so a damaged length cannot make it reserve gigabytes.
pub(super) struct Reader<'a> {
    pub inner: Box<dyn Read + 'a>,
    pub crc: crc32fast::Hasher,
    pub pos: u64,
    /// The size of the file: the plaintext is never longer.
    pub size: u64,
    pub path: PathBuf,
    /// Whether `inner` decrypts: its refusals of a chunk are edits, not damage.
    pub sealed: bool,
}

impl Reader<'_> {
    fn bytes(&mut self, n: u64) -> Result<Vec<u8>, BackupError> {
        if n > self.size.saturating_sub(self.pos) {
            // A length that points past the end: a cut file, or a damaged length.
            return Err(BackupError::Truncated {
                path: self.path.clone(),
                bytes: self.size,
            });
        }
        let mut buf = vec![0u8; n as usize];
        if let Err(source) = self.inner.read_exact(&mut buf) {
            return Err(self.read_error(source));
        }
        self.crc.update(&buf);
        self.pos += n;
        Ok(buf)
    }

    fn read_error(&self, source: std::io::Error) -> BackupError {
        let path = self.path.clone();
        match source.kind() {
            std::io::ErrorKind::UnexpectedEof => BackupError::Truncated {
                path,
                bytes: self.size,
            },
            std::io::ErrorKind::InvalidData if self.sealed => BackupError::Tampered { path },
            _ => BackupError::Read { path, source },
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BackupError> {
        let v = self.bytes(N as u64)?;
        let mut a = [0u8; N];
        a.copy_from_slice(&v);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, BackupError> {
        Ok(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Result<u32, BackupError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, BackupError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    fn corrupt(&self, what: impl Into<String>) -> BackupError {
        BackupError::Corrupt {
            path: self.path.clone(),
            what: what.into(),
        }
    }

    /// Reads to the end of the stream (which, sealed, is what authenticates
    /// its last chunk) and says how many bytes were left.
    fn rest(&mut self) -> Result<u64, BackupError> {
        std::io::copy(&mut self.inner, &mut std::io::sink()).map_err(|e| self.read_error(e))
    }
}

/// Loads the plaintext backup `r` reads into `store` (empty, just made).
pub(super) fn read_into(r: &mut Reader, store: &Store) -> Result<BackupInfo, BackupError> {
    if r.size < MAGIC.len() as u64 {
        return Err(BackupError::NotABackup {
            path: r.path.clone(),
        });
    }
    let magic = r.array::<8>()?;
    if &magic != MAGIC {
        return Err(BackupError::NotABackup {
            path: r.path.clone(),
        });
    }
    let version = u16::from_be_bytes(r.array()?);
    if version > FORMAT_VERSION {
        return Err(BackupError::FormatTooNew {
            path: r.path.clone(),
            found: version,
            known: FORMAT_VERSION,
        });
    }
    let schema = i64::from_be_bytes(r.array()?);
    if schema > SCHEMA_VERSION {
        return Err(BackupError::SchemaTooNew {
            path: r.path.clone(),
            found: schema,
            known: SCHEMA_VERSION,
        });
    }
    let written_at = i64::from_be_bytes(r.array()?);
    let mut loader = store.raw_loader();
    let mut total = 0u64;
    let mut tree: Option<(&'static str, u64)> = None;
    loop {
        let tag = r.u8()?;
        match (tag, tree) {
            (TREE, None) => {
                let len = r.u8()?;
                let name = r.bytes(u64::from(len))?;
                let name = String::from_utf8_lossy(&name).into_owned();
                let t = loader
                    .start_tree(&name)
                    .ok_or_else(|| r.corrupt(format!("unknown tree '{name}'")))?;
                tree = Some((t, 0));
            }
            (ENTRY, Some((t, n))) => {
                let klen = r.u32()?;
                let key = r.bytes(u64::from(klen))?;
                let vlen = r.u32()?;
                let value = r.bytes(u64::from(vlen))?;
                loader.put(&key, &value)?;
                tree = Some((t, n + 1));
                total += 1;
            }
            (TREE_END, Some((t, n))) => {
                let count = r.u64()?;
                if count != n {
                    return Err(
                        r.corrupt(format!("tree {t} should have {count} entries, found {n}"))
                    );
                }
                tree = None;
            }
            (TRAILER, None) => {
                let count = r.u64()?;
                let expected = r.crc.clone().finalize();
                let stored = {
                    // The checksum is not part of what it sums.
                    let before = r.crc.clone();
                    let v = r.u32()?;
                    r.crc = before;
                    v
                };
                if stored != expected {
                    return Err(r.corrupt(format!(
                        "checksum {stored:08x} does not match the contents ({expected:08x})"
                    )));
                }
                if count != total {
                    return Err(r.corrupt(format!(
                        "the trailer counts {count} entries, the file holds {total}"
                    )));
                }
                let stray = r.rest()?;
                if stray > 0 {
                    return Err(r.corrupt(format!("{stray} stray bytes after the end")));
                }
                loader.finish()?;
                return Ok(BackupInfo {
                    schema,
                    written_at,
                    entries: total,
                    bytes: r.size,
                });
            }
            (other, _) => {
                return Err(r.corrupt(format!(
                    "unexpected byte {other:#04x} at offset {}",
                    r.pos - 1
                )));
            }
        }
    }
}
