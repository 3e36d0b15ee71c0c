//! Backups: every tree of a store in one file, consistent (read under the
//! writer lock), sealed with a passphrase so that nobody without it can read
//! it and nobody can change it unseen, and restores that put nothing in place
//! unless the whole file was read and authenticated.
//!
//! - `format`: the plaintext stream, versioned, with a CRC-32.
//! - `seal`: the passphrase, and age's scrypt mode around that stream.
//! - `served`: the plaintext of a served store, streamed by its server.
//! - `preview`: what a staged restore holds, to show before it is placed.
//!
//! A backup is written through `atomic::write_atomically`. A restore is built
//! in a fresh temporary directory beside the target (`stage`), checked, and
//! renamed into place only when asked (`Staged::place`); dropped, it leaves
//! nothing.

mod error;
mod format;
mod preview;
mod seal;
mod served;

pub use error::BackupError;
pub use format::{FORMAT_VERSION, StreamError, write_to};
pub use preview::{Preview, PreviewUser};
pub use seal::{Passphrase, Sealing};

use super::atomic::{parent_dir, temp_prefix, write_atomically};
use crate::store::{Store, StoreConfig};
use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// What a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupInfo {
    pub schema: i64,
    pub written_at: i64,
    pub entries: u64,
    /// Of the plaintext stream (the sealed file is a little longer) when
    /// written; of the file when restored.
    pub bytes: u64,
}

/// Where a backup's bytes come from: the store's files, when this process
/// owns them (and has checked that its user may back them up), or its
/// server, which checks that itself.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Files(&'a Store),
    Server(&'a crate::store::remote::Remote),
}

/// The plaintext backup into `out`. The one read of the store a backup makes.
fn plaintext(source: Source, out: &mut dyn Write) -> Result<BackupInfo, StreamError> {
    match source {
        Source::Server(remote) => served::copy_from_server(remote, out),
        Source::Files(store) => write_to(store, out),
    }
}

/// Writes a backup to `path`, sealed or (only when asked) not.
pub fn write(source: Source, path: &Path, sealing: &Sealing) -> Result<BackupInfo, BackupError> {
    let written = write_atomically(path, |w| match sealing {
        Sealing::Unencrypted => plaintext(source, w),
        Sealing::Passphrase(passphrase) => {
            let mut sealed = std::io::BufWriter::with_capacity(1 << 16, seal::seal(passphrase, w)?);
            let info = plaintext(source, &mut sealed)?;
            sealed.into_inner().map_err(|e| e.into_error())?.finish()?;
            Ok(info)
        }
    });
    written.map_err(|e| match e {
        StreamError::Io(source) => BackupError::Write {
            path: path.to_path_buf(),
            source,
        },
        StreamError::Store(e) => BackupError::Store(e),
    })
}

/// What a file is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Sealed,
    Plain,
}

/// Tells a sealed backup from a plain one (anything else is `NotABackup`).
pub fn kind_of(file: &Path) -> Result<FileKind, BackupError> {
    let read_err = |source| BackupError::Read {
        path: file.to_path_buf(),
        source,
    };
    let mut start = Vec::with_capacity(seal::AGE_MAGIC.len());
    File::open(file)
        .map_err(read_err)?
        .take(seal::AGE_MAGIC.len() as u64)
        .read_to_end(&mut start)
        .map_err(read_err)?;
    if start.starts_with(seal::AGE_MAGIC) {
        Ok(FileKind::Sealed)
    } else if start.starts_with(format::MAGIC) {
        Ok(FileKind::Plain)
    } else {
        Err(BackupError::NotABackup {
            path: file.to_path_buf(),
        })
    }
}

/// Refuses a restore target that holds anything (absent or empty is free).
pub fn check_target(target: &Path) -> Result<(), BackupError> {
    let free = match fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    };
    if free {
        Ok(())
    } else {
        Err(BackupError::TargetNotEmpty {
            path: target.to_path_buf(),
        })
    }
}

/// A store rebuilt from a backup in a temporary directory beside its target,
/// whole and authenticated, not yet in place. Dropped, it is removed.
#[derive(Debug)]
pub struct Staged {
    dir: tempfile::TempDir,
    target: PathBuf,
    pub info: BackupInfo,
}

/// Reads a whole backup into a new store beside `target` (absent or an empty
/// directory), refusing a file that is not sealed as `sealing` says, fails
/// authentication, or is damaged; then nothing is left behind.
pub fn stage(file: &Path, target: &Path, sealing: &Sealing) -> Result<Staged, BackupError> {
    check_target(target)?;
    let path = file.to_path_buf();
    match (kind_of(file)?, sealing) {
        (FileKind::Plain, Sealing::Passphrase(_)) => return Err(BackupError::NotSealed { path }),
        (FileKind::Sealed, Sealing::Unencrypted) => {
            return Err(BackupError::SealedNotPlain { path });
        }
        _ => {}
    }
    let read_err = |source| BackupError::Read {
        path: file.to_path_buf(),
        source,
    };
    let f = File::open(file).map_err(read_err)?;
    let size = f.metadata().map_err(read_err)?.len();
    let input = BufReader::with_capacity(1 << 20, f);
    let inner: Box<dyn Read> = match sealing {
        Sealing::Unencrypted => Box::new(input),
        Sealing::Passphrase(p) => seal::open(p, input, file, size)?,
    };
    // A fresh directory of a random name (mode 0700): nothing planted beside
    // the target can stand in for it. Removed when dropped, until placed.
    let dir = tempfile::Builder::new()
        .prefix(&format!("{}restoring.", temp_prefix(target)))
        .tempdir_in(parent_dir(target))
        .map_err(|source| BackupError::Write {
            path: target.to_path_buf(),
            source,
        })?;
    let store = Store::open(dir.path(), &StoreConfig::default())?;
    let mut r = format::Reader {
        inner,
        crc: crc32fast::Hasher::new(),
        pos: 0,
        size,
        path: file.to_path_buf(),
        sealed: matches!(sealing, Sealing::Passphrase(_)),
    };
    let info = format::read_into(&mut r, &store)?;
    drop(store);
    Ok(Staged {
        dir,
        target: target.to_path_buf(),
        info,
    })
}

impl Staged {
    /// What the store will hold: counts per record kind and the users.
    pub fn preview(&self) -> Result<Preview, BackupError> {
        let store = Store::open(self.dir.path(), &StoreConfig::default())?;
        Ok(preview::preview_of(&store)?)
    }

    /// Renames the staged store into place (the target must still be free).
    pub fn place(self) -> Result<BackupInfo, BackupError> {
        let target = &self.target;
        let fail = |source| BackupError::Write {
            path: target.clone(),
            source,
        };
        check_target(target)?;
        if target.exists() {
            fs::remove_dir(target).map_err(fail)?;
        }
        fs::rename(self.dir.path(), target).map_err(fail)?;
        // Placed: nothing of the temporary directory is left to remove.
        let _ = self.dir.keep();
        File::open(parent_dir(target))
            .and_then(|d| d.sync_all())
            .map_err(fail)?;
        // Opening runs any migration an older backup needs.
        drop(Store::open(target, &StoreConfig::default())?);
        Ok(self.info)
    }
}

/// Rebuilds a store at `target` (absent or an empty directory) from a backup,
/// without asking: `stage`, then `place`.
pub fn restore(file: &Path, target: &Path, sealing: &Sealing) -> Result<BackupInfo, BackupError> {
    stage(file, target, sealing)?.place()
}
