//! The backup file: one consistent snapshot of every tree of a store, with a
//! versioned header and a CRC-32 over the whole file, written atomically.
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
//! `write` holds the store's writer lock while it reads (see
//! `Store::snapshot`), so no command lands half in it; the server can call it
//! on the store it has open. `restore` checks the whole file as it reads it
//! into a new store built under a temporary name, and only renames that into
//! place when the file was whole and its checksum right: a truncated or
//! damaged backup leaves nothing behind.

use super::atomic::{parent_dir, put_in_place, temp_path};
use crate::store::{SCHEMA_VERSION, Snap, Store, StoreConfig, StoreError, Tree};
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"DJBACKUP";
pub const FORMAT_VERSION: u16 = 1;
const TREE: u8 = 0x01;
const ENTRY: u8 = 0x02;
const TREE_END: u8 = 0x03;
const TRAILER: u8 = 0x04;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a dangjian backup")]
    NotABackup { path: PathBuf },
    #[error(
        "{path} is a backup format version {found}, newer than this dangjian reads ({known}); \
         use a newer dangjian"
    )]
    FormatTooNew {
        path: PathBuf,
        found: u16,
        known: u16,
    },
    #[error(
        "{path} holds a store of schema version {found}, newer than this dangjian knows \
         ({known}); use a newer dangjian"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path} is truncated: it ends after {bytes} bytes, before the backup is complete; \
         nothing was restored"
    )]
    Truncated { path: PathBuf, bytes: u64 },
    #[error("{path} is damaged ({what}); nothing was restored")]
    Corrupt { path: PathBuf, what: String },
    #[error(
        "{path} already holds data; restore into a new, empty store directory \
         (nothing was changed)"
    )]
    TargetNotEmpty { path: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BackupError {
    pub fn in_lang(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            BackupError::Write { path, source } => format!("无法写入 {}：{source}", path.display()),
            BackupError::Read { path, source } => format!("无法读取 {}：{source}", path.display()),
            BackupError::NotABackup { path } => {
                format!("{} 不是 dangjian 备份文件", path.display())
            }
            BackupError::FormatTooNew { path, found, known } => format!(
                "{} 的备份格式版本为 {found}，比本程序能读的（{known}）新；请使用新版 dangjian",
                path.display()
            ),
            BackupError::SchemaTooNew { path, found, known } => format!(
                "{} 中的数据结构版本为 {found}，比本程序所知的（{known}）新；请使用新版 dangjian",
                path.display()
            ),
            BackupError::Truncated { path, bytes } => format!(
                "{} 不完整：文件在第 {bytes} 字节处提前结束；未恢复任何内容",
                path.display()
            ),
            BackupError::Corrupt { path, what } => {
                format!("{} 已损坏（{what}）；未恢复任何内容", path.display())
            }
            BackupError::TargetNotEmpty { path } => format!(
                "{} 中已有数据；请恢复到一个新的空目录（未做任何改动）",
                path.display()
            ),
            BackupError::Store(e) => format!("存储出错：{e}"),
        }
    }
}

/// What a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupInfo {
    pub schema: i64,
    pub written_at: i64,
    pub entries: u64,
    pub bytes: u64,
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

/// An error while snapshotting into a stream.
#[derive(Debug)]
enum SnapError {
    Io(std::io::Error),
    Store(StoreError),
}

impl From<StoreError> for SnapError {
    fn from(e: StoreError) -> Self {
        SnapError::Store(e)
    }
}

/// Writes a backup of `store` to a stream. Returns what it wrote.
pub fn write_to(store: &Store, out: &mut dyn Write) -> Result<BackupInfo, std::io::Error> {
    let schema = store
        .number(Tree::Meta, b"schema")
        .map_err(std::io::Error::other)?
        .unwrap_or(SCHEMA_VERSION);
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
    let result = store.snapshot(&mut |snap| -> Result<(), SnapError> {
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
    });
    match result {
        Ok(()) => {}
        Err(SnapError::Io(e)) => return Err(e),
        Err(SnapError::Store(e)) => return Err(std::io::Error::other(e)),
    }
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

impl From<std::io::Error> for SnapError {
    fn from(e: std::io::Error) -> Self {
        SnapError::Io(e)
    }
}

/// Writes a backup of `store` to `path`: a temporary file beside it, fsynced,
/// then renamed into place. The server (issue #9) calls this on its open store.
pub fn write(store: &Store, path: &Path) -> Result<BackupInfo, BackupError> {
    let fail = |source| BackupError::Write {
        path: path.to_path_buf(),
        source,
    };
    let tmp = temp_path(path);
    let result = (|| {
        let file = File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        let info = write_to(store, &mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        put_in_place(&tmp, path)?;
        Ok(info)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

/// Reads the backup's bytes, checking lengths against what is left of the file.
struct Reader<R: Read> {
    inner: R,
    crc: crc32fast::Hasher,
    pos: u64,
    size: u64,
    path: PathBuf,
}

impl<R: Read> Reader<R> {
    fn bytes(&mut self, n: u64) -> Result<Vec<u8>, BackupError> {
        if n > self.size.saturating_sub(self.pos) {
            // A length that points past the end: a cut file, or a damaged length.
            return Err(BackupError::Truncated {
                path: self.path.clone(),
                bytes: self.size,
            });
        }
        let mut buf = vec![0u8; n as usize];
        self.inner
            .read_exact(&mut buf)
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::UnexpectedEof => BackupError::Truncated {
                    path: self.path.clone(),
                    bytes: self.size,
                },
                _ => BackupError::Read {
                    path: self.path.clone(),
                    source,
                },
            })?;
        self.crc.update(&buf);
        self.pos += n;
        Ok(buf)
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
}

/// Whether a directory can take a restore: absent, or empty.
fn target_is_free(path: &Path) -> bool {
    match fs::read_dir(path) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// Rebuilds a store at `target` (absent or an empty directory) from a backup.
pub fn restore(file: &Path, target: &Path) -> Result<BackupInfo, BackupError> {
    if !target_is_free(target) {
        return Err(BackupError::TargetNotEmpty {
            path: target.to_path_buf(),
        });
    }
    let read_err = |source| BackupError::Read {
        path: file.to_path_buf(),
        source,
    };
    let f = File::open(file).map_err(read_err)?;
    let size = f.metadata().map_err(read_err)?.len();
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    let building = parent_dir(target).join(format!(".{name}.restoring.{}", std::process::id()));
    let _ = fs::remove_dir_all(&building);
    let result = (|| {
        let store = Store::open(&building, &StoreConfig::default())?;
        let mut r = Reader {
            inner: BufReader::with_capacity(1 << 20, f),
            crc: crc32fast::Hasher::new(),
            pos: 0,
            size,
            path: file.to_path_buf(),
        };
        let info = read_into(&mut r, &store)?;
        drop(store);
        Ok::<_, BackupError>(info)
    })();
    let info = match result {
        Ok(info) => info,
        Err(e) => {
            let _ = fs::remove_dir_all(&building);
            return Err(e);
        }
    };
    let placed = (|| {
        if target.exists() {
            fs::remove_dir(target)?;
        }
        fs::rename(&building, target)?;
        File::open(parent_dir(target))?.sync_all()
    })();
    if let Err(source) = placed {
        let _ = fs::remove_dir_all(&building);
        return Err(BackupError::Write {
            path: target.to_path_buf(),
            source,
        });
    }
    // Opening runs any migration an older backup needs.
    drop(Store::open(target, &StoreConfig::default())?);
    Ok(info)
}

fn read_into<R: Read>(r: &mut Reader<R>, store: &Store) -> Result<BackupInfo, BackupError> {
    if size_too_small(r) {
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
    let mut tree: Option<(Tree, u64)> = None;
    loop {
        let tag = r.u8()?;
        match (tag, tree) {
            (TREE, None) => {
                let len = r.u8()?;
                let name = r.bytes(u64::from(len))?;
                let name = String::from_utf8_lossy(&name).into_owned();
                let t = Tree::from_name(&name)
                    .ok_or_else(|| r.corrupt(format!("unknown tree '{name}'")))?;
                loader.start_tree(t)?;
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
                    return Err(r.corrupt(format!(
                        "tree {} should have {count} entries, found {n}",
                        t.name()
                    )));
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
                if r.pos != r.size {
                    return Err(r.corrupt(format!("{} stray bytes after the end", r.size - r.pos)));
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

fn size_too_small<R: Read>(r: &Reader<R>) -> bool {
    r.size < 8
}
