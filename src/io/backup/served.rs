//! A backup of a served store: the server makes the plaintext under its
//! writer lock and streams it (`server::backup`); this copies it into the
//! sealing writer, checking it as it passes — it must end, be as long as the
//! server says, and carry a right checksum and entry count in its trailer —
//! so a stream cut or garbled on the way is never sealed as a good backup.

use super::BackupInfo;
use super::format::{FORMAT_VERSION, MAGIC, StreamError, TRAILER, TRAILER_LEN};
use crate::store::StoreError;
use crate::store::remote::{Part, Remote};
use std::io::Write;

/// The header's length: magic, format version, schema, written at.
const HEADER_LEN: usize = 8 + 2 + 8 + 8;

pub(super) fn copy_from_server(
    remote: &Remote,
    out: &mut dyn Write,
) -> Result<BackupInfo, StreamError> {
    let mut stream = remote.backup()?;
    let mut check = Check::default();
    loop {
        match stream.next_part()? {
            Part::Bytes(bytes) => {
                check.take(&bytes);
                out.write_all(&bytes)?;
            }
            Part::End { entries, bytes } => return check.finish(entries, bytes),
        }
    }
}

/// The running check of a streamed backup: its header, its length, a CRC of
/// all but its last four bytes, and its trailer (the last bytes seen).
#[derive(Default)]
struct Check {
    header: Vec<u8>,
    len: u64,
    crc: crc32fast::Hasher,
    /// The last `TRAILER_LEN` bytes (or fewer, so far), not yet summed.
    tail: Vec<u8>,
}

impl Check {
    fn take(&mut self, bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.header.len() < HEADER_LEN {
            let n = (HEADER_LEN - self.header.len()).min(bytes.len());
            self.header.extend_from_slice(&bytes[..n]);
        }
        if bytes.len() >= TRAILER_LEN {
            self.crc.update(&self.tail);
            let (body, tail) = bytes.split_at(bytes.len() - TRAILER_LEN);
            self.crc.update(body);
            self.tail.clear();
            self.tail.extend_from_slice(tail);
        } else {
            self.tail.extend_from_slice(bytes);
            let over = self.tail.len().saturating_sub(TRAILER_LEN);
            self.crc.update(&self.tail[..over]);
            self.tail.drain(..over);
        }
    }

    fn finish(mut self, entries: u64, bytes: u64) -> Result<BackupInfo, StreamError> {
        let bad = |what: String| {
            StreamError::Store(StoreError::Connection(format!(
                "the backup the server sent is not whole ({what}); nothing was written"
            )))
        };
        if self.header.len() < HEADER_LEN || &self.header[..8] != MAGIC {
            return Err(bad("no backup header".into()));
        }
        let field = |at: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&self.header[at..at + 8]);
            a
        };
        let version = u16::from_be_bytes([self.header[8], self.header[9]]);
        if version != FORMAT_VERSION {
            return Err(bad(format!("format version {version}")));
        }
        if self.len != bytes || self.tail.len() != TRAILER_LEN || self.tail[0] != TRAILER {
            return Err(bad(format!("{} of {bytes} bytes", self.len)));
        }
        // The CRC sums everything but itself, the trailer's tag and count included.
        self.crc.update(&self.tail[..TRAILER_LEN - 4]);
        let mut count = [0u8; 8];
        count.copy_from_slice(&self.tail[1..9]);
        let mut stored = [0u8; 4];
        stored.copy_from_slice(&self.tail[9..]);
        if u32::from_be_bytes(stored) != self.crc.finalize() {
            return Err(bad("its checksum does not match".into()));
        }
        if u64::from_be_bytes(count) != entries {
            return Err(bad(format!(
                "{} entries, not {entries}",
                u64::from_be_bytes(count)
            )));
        }
        Ok(BackupInfo {
            schema: i64::from_be_bytes(field(10)),
            written_at: i64::from_be_bytes(field(18)),
            entries,
            bytes,
        })
    }
}
