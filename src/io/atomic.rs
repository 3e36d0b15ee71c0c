//! The one way dangjian writes a file (exports, the monthly report, the
//! journal, backups, import problem reports, demo rosters): so that a crash
//! never leaves half of it under the asked-for name, and so that nobody else
//! can make it land anywhere but there.
//!
//! The temporary file is created in the target's own directory (a rename
//! across file systems would not be atomic) under a random name, with
//! `O_CREAT|O_EXCL` (`tempfile`), which refuses a name that exists and never
//! follows a symbolic link planted at it, mode 0600 (the files hold ID
//! numbers). It is written, fsynced, renamed over the target, and the
//! directory fsynced so the rename itself survives a power cut. On any error
//! the temporary file is removed and the target left as it was.

use std::fs::{File, Permissions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The directory a path's file lives in ("." for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A prefix for temporaries beside `path`: `.NAME.`, so a directory listing
/// shows whose they are (the random part follows).
pub fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    format!(".{name}.")
}

/// Runs `write` on a buffered, freshly created temporary file beside `path`,
/// then puts it in place. What `write` returns is handed back.
pub fn write_atomically<T, E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T, E>,
) -> Result<T, E> {
    let dir = parent_dir(path);
    let prefix = temp_prefix(path);
    let tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(&dir)?;
    // Dropping `tmp` (on every early return below) removes the file.
    let mut w = BufWriter::with_capacity(1 << 20, tmp);
    let value = write(&mut w)?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    // rename(2): replaces whatever is at `path` (a symbolic link included,
    // which is not followed) in one step.
    tmp.persist(path).map_err(|e| e.error)?;
    File::open(&dir)?.sync_all()?;
    Ok(value)
}

/// `write_atomically` for bytes already in memory.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically(path, |w| w.write_all(bytes))
}
