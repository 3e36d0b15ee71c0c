//! The high-water mark: how many changes the store had made durable when it
//! last acknowledged one, kept in `dangjian.mark` beside sled's files.
//!
//! Every transaction adds one to `meta` `changes` (in the transaction, so the
//! count is exactly as durable as the changes). `Store::sync` reads the count
//! before sled's flush (every change counted is then in what the flush makes
//! durable), and after the flush and fsync writes it here. Opening compares:
//! a store whose count is below its mark lost acknowledged changes. That is
//! what sled 0.34.7 does, silently, when damage sits in the part of its log it
//! replays on open: it keeps the log up to the damaged message, zeroes the
//! rest, and opens as if nothing were wrong.
//!
//! The mark is written after the store's own fsync and never moves back, so a
//! crash at any moment leaves it at or below the store's count: no false alarm.
//! A process that dies leaves the written mark in the page cache, exact. A
//! power cut can lose what was not yet fsynced, leaving the mark behind the
//! store (a later loss of the newest changes then goes unseen, older ones are
//! still caught); so it is fsynced (`fdatasync`, 20 bytes in place) at most once
//! a second and when the store closes. An fdatasync per acknowledged write cost
//! 3 ms here, doubling a single `ops::apply` (4.3 → 7.5 ms median on a loaded
//! 2-core VM); once a second it is lost in the noise.

use super::codec::decode_i64;
use super::damage::Damage;
use super::{StoreError, Tree};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The `meta` key of the count of transactions ever committed.
pub(super) const CHANGES_KEY: &[u8] = b"changes";

const FILE_NAME: &str = "dangjian.mark";
const MAGIC: &[u8; 8] = b"DJMARK1\n";
const LEN: usize = 20;

/// How long a written mark may wait for its fsync.
const SYNC_EVERY: Duration = Duration::from_secs(1);

pub(super) struct Mark {
    file: File,
    path: PathBuf,
    state: Mutex<State>,
}

struct State {
    /// The count last written, so concurrent syncs never move the mark back.
    written: u64,
    /// When the mark was last fsynced, and whether it was written since.
    synced: Instant,
    dirty: bool,
}

impl Mark {
    /// Opens (or creates) the mark of the store at `dir` and holds the store's
    /// `found` count of changes against it.
    pub(super) fn open(dir: &Path, found: u64) -> Result<Mark, StoreError> {
        let path = dir.join(FILE_NAME);
        let io = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(io)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut &file, &mut bytes).map_err(io)?;
        let acknowledged = match read(&bytes) {
            Some(n) => n,
            None => return Err(StoreError::damaged(dir, Damage::BadMark { mark: path })),
        };
        if found < acknowledged {
            return Err(StoreError::damaged(
                dir,
                Damage::LostChanges {
                    acknowledged,
                    found,
                    mark: path,
                },
            ));
        }
        Ok(Mark {
            file,
            path,
            state: Mutex::new(State {
                written: acknowledged,
                synced: Instant::now(),
                dirty: false,
            }),
        })
    }

    /// Records that the store has made `changes` changes durable.
    pub(super) fn advance(&self, changes: u64) -> Result<(), StoreError> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if changes <= state.written {
            return Ok(());
        }
        self.file
            .write_all_at(&write(changes), 0)
            .map_err(|e| self.error(e))?;
        state.written = changes;
        state.dirty = true;
        if state.synced.elapsed() >= SYNC_EVERY {
            self.sync(&mut state)?;
        }
        Ok(())
    }

    /// fsyncs a mark written since the last fsync (the store calls it when it
    /// closes).
    pub(super) fn flush(&self) -> Result<(), StoreError> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.dirty {
            self.sync(&mut state)?;
        }
        Ok(())
    }

    fn sync(&self, state: &mut State) -> Result<(), StoreError> {
        self.file.sync_data().map_err(|e| self.error(e))?;
        state.synced = Instant::now();
        state.dirty = false;
        Ok(())
    }

    fn error(&self, e: std::io::Error) -> StoreError {
        StoreError::Sync(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", self.path.display()),
        ))
    }
}

/// The count of changes the store holds (`meta` `changes`; none yet is 0).
pub(super) fn changes(meta: &sled::Tree) -> Result<u64, StoreError> {
    match meta.get(CHANGES_KEY).map_err(StoreError::from)? {
        Some(v) => Ok(decode_i64(Tree::Meta, CHANGES_KEY, &v)?.max(0) as u64),
        None => Ok(0),
    }
}

/// The bytes of a mark: magic, the count (u64 LE), a CRC-32 of both.
fn write(changes: u64) -> [u8; LEN] {
    let mut out = [0u8; LEN];
    out[..8].copy_from_slice(MAGIC);
    out[8..16].copy_from_slice(&changes.to_le_bytes());
    let crc = crc32fast::hash(&out[..16]);
    out[16..].copy_from_slice(&crc.to_le_bytes());
    out
}

/// The count a mark holds; an empty file (a store that never acknowledged a
/// change, or one from before marks) is 0; anything else malformed is `None`.
fn read(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() {
        return Some(0);
    }
    if bytes.len() != LEN || &bytes[..8] != MAGIC {
        return None;
    }
    let crc = u32::from_le_bytes(bytes[16..20].try_into().ok()?);
    if crc != crc32fast::hash(&bytes[..16]) {
        return None;
    }
    Some(u64::from_le_bytes(bytes[8..16].try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_reads_back_what_was_written_and_refuses_damage() {
        assert_eq!(read(&write(123_456)), Some(123_456));
        assert_eq!(read(&[]), Some(0));
        let mut bad = write(7);
        bad[9] ^= 1;
        assert_eq!(read(&bad), None);
        assert_eq!(read(&write(7)[..19]), None);
    }

    #[test]
    fn a_store_below_its_mark_is_damaged_and_one_at_or_above_it_opens() {
        let dir = tempfile::tempdir().unwrap();
        let mark = Mark::open(dir.path(), 0).unwrap();
        mark.advance(5).unwrap();
        mark.advance(3).unwrap(); // never back
        drop(mark);
        assert!(Mark::open(dir.path(), 5).is_ok());
        assert!(Mark::open(dir.path(), 9).is_ok());
        match Mark::open(dir.path(), 4) {
            Err(StoreError::Damaged {
                damage:
                    Damage::LostChanges {
                        acknowledged: 5,
                        found: 4,
                        ..
                    },
                ..
            }) => {}
            Err(other) => panic!("expected lost changes, got {other:?}"),
            Ok(_) => panic!("a store below its mark opened"),
        }
    }
}
