//! What the store does when its files are damaged: it says so, in words, and
//! every read of damaged files ends.
//!
//! sled 0.34.7 answers damage in three ways, each met here:
//! - an error (`Read corrupted data at file offset …`), which its iterators then
//!   return again on every later `next()`, for ever: a loop that skips errors
//!   never ends. `Scan` ends a scan after its first error, and after a key that
//!   is not past the one before (damaged pages can lead a scan back to a node it
//!   already read); a tree has finitely many keys, so a scan whose keys only
//!   grow ends.
//! - a panic (`tried to serialize Uninitialized` while opening a log whose first
//!   segments are damaged), caught by `catch_sled` and named.
//! - looping inside one call, which no iterator adapter can stop: `check` runs
//!   under a `Watchdog`.
//!
//! The fourth answer, silently recovering to an earlier state, is the high-water
//! mark's to catch (`mark`).

use super::{StoreError, Tree};
use crate::domain::os_words::os_error_zh;
use sled::IVec;
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Where sled found bytes that fail their checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// At this offset of its log file (`db`).
    Log(u64),
    /// In this blob file (`blobs/`).
    Blob(u64),
    /// It did not say (a snapshot file, or the log's header).
    Unknown,
}

impl Where {
    fn en(self) -> String {
        match self {
            Where::Log(offset) => {
                format!("bytes at offset {offset} of its log fail their checksum")
            }
            Where::Blob(blob) => format!("blob {blob} fails its checksum"),
            Where::Unknown => "bytes fail their checksum".into(),
        }
    }

    fn zh(self) -> String {
        match self {
            Where::Log(offset) => format!("日志文件第 {offset} 字节处的数据校验失败"),
            Where::Blob(blob) => format!("数据块 {blob} 校验失败"),
            Where::Unknown => "数据校验失败".into(),
        }
    }
}

/// What is wrong with a damaged store, for `StoreError::Damaged`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// sled found bytes that fail their checksum.
    Unreadable {
        tree: Option<&'static str>,
        at: Where,
    },
    /// sled gave up (panicked) reading its files.
    EngineFailed { detail: String },
    /// A scan came back to a key it had passed.
    OutOfOrder {
        tree: &'static str,
        after: String,
        got: String,
    },
    /// The store holds fewer changes than it had acknowledged.
    LostChanges {
        acknowledged: u64,
        found: u64,
        mark: PathBuf,
    },
    /// The high-water mark file beside the store cannot be read.
    BadMark { mark: PathBuf },
    /// `check` did not finish within a budget set by the store's size.
    CheckTimedOut { secs: u64, bytes: u64 },
}

impl Damage {
    fn en(&self) -> String {
        match self {
            Damage::Unreadable { tree: Some(t), at } => {
                format!("tree `{t}` cannot be read: {}", at.en())
            }
            Damage::Unreadable { tree: None, at } => {
                format!("its files cannot be read: {}", at.en())
            }
            Damage::EngineFailed { detail } => format!(
                "the storage engine failed reading its files: {detail}; unless this machine is \
                 short of memory, they are damaged"
            ),
            Damage::OutOfOrder { tree, after, got } => format!(
                "reading tree `{tree}` went back from key {after} to key {got}, which damaged pages do"
            ),
            Damage::LostChanges {
                acknowledged,
                found,
                ..
            } => format!(
                "it holds {found} changes, but {acknowledged} were made durable: the storage engine \
                 dropped the rest when it read damaged files"
            ),
            Damage::BadMark { mark } => {
                format!(
                    "its record of acknowledged changes {} is unreadable",
                    mark.display()
                )
            }
            Damage::CheckTimedOut { secs, bytes } => format!(
                "`check` did not finish within {secs} s, the budget for {} MiB of files; reading \
                 damaged pages can go round in circles",
                bytes / (1024 * 1024)
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            Damage::Unreadable { tree: Some(t), at } => format!("无法读取 `{t}`：{}", at.zh()),
            Damage::Unreadable { tree: None, at } => format!("文件无法读取：{}", at.zh()),
            Damage::EngineFailed { detail } => {
                format!("存储引擎读取文件时出错：{detail}；如果不是内存不足，就是文件已损坏")
            }
            Damage::OutOfOrder { tree, after, got } => {
                format!("读取 `{tree}` 时从键 {after} 退回到键 {got}，这是页面损坏的迹象")
            }
            Damage::LostChanges {
                acknowledged,
                found,
                ..
            } => format!(
                "其中只有 {found} 次修改，而已确认保存的有 {acknowledged} 次：存储引擎读到损坏的文件后丢弃了其余部分"
            ),
            Damage::BadMark { mark } => format!("已确认修改的记录 {} 无法读取", mark.display()),
            Damage::CheckTimedOut { secs, bytes } => format!(
                "`check` 未能在 {secs} 秒内完成（{} MiB 文件的时限）；读取损坏的页面可能会陷入循环",
                bytes / (1024 * 1024)
            ),
        }
    }

    /// The file whose removal accepts the store as it now is, when that is a
    /// way out for someone without a backup.
    fn mark(&self) -> Option<&Path> {
        match self {
            Damage::LostChanges { mark, .. } | Damage::BadMark { mark } => Some(mark),
            _ => None,
        }
    }
}

/// `StoreError::Damaged`'s message.
pub(super) fn damaged_message(path: &Option<PathBuf>, damage: &Damage) -> String {
    damaged_in(path, damage, false)
}

fn damaged_in(path: &Option<PathBuf>, damage: &Damage, zh: bool) -> String {
    // A panic inside sled is damage nine times in ten, but running out of
    // memory makes it panic too: that one does not say "damaged" outright.
    let sure = !matches!(damage, Damage::EngineFailed { .. });
    let mut s = match (path, zh, sure) {
        (Some(p), false, true) => {
            format!("the store at {} is damaged ({})", p.display(), damage.en())
        }
        (None, false, true) => format!("the store is damaged ({})", damage.en()),
        (Some(p), false, false) => {
            format!(
                "the store at {} cannot be read ({})",
                p.display(),
                damage.en()
            )
        }
        (None, false, false) => format!("the store cannot be read ({})", damage.en()),
        (Some(p), true, true) => format!("{} 处的存储已损坏（{}）", p.display(), damage.zh()),
        (None, true, true) => format!("存储已损坏（{}）", damage.zh()),
        (Some(p), true, false) => format!("无法读取 {} 处的存储（{}）", p.display(), damage.zh()),
        (None, true, false) => format!("无法读取存储（{}）", damage.zh()),
    };
    if zh {
        s.push_str("；请用 `dangjian restore 备份文件 --store 新目录` 从备份恢复");
    } else {
        s.push_str("; restore it from a backup with `dangjian restore FILE --store NEW`");
    }
    if let Some(mark) = damage.mark() {
        if zh {
            s.push_str(&format!(
                "。没有备份时，删除 {} 即按现状接受这个存储",
                mark.display()
            ));
        } else {
            s.push_str(&format!(
                ". Without a backup, delete {} to accept the store as it now is",
                mark.display()
            ));
        }
    }
    s
}

impl StoreError {
    pub fn damaged(path: &Path, damage: Damage) -> StoreError {
        StoreError::Damaged {
            path: Some(path.to_path_buf()),
            damage,
        }
    }

    /// The message in Chinese (`zh`) or English. Damage and unreadable records
    /// have their own words; the rest are technical and stay in English.
    pub fn in_lang(&self, zh: bool) -> String {
        match (self, zh) {
            (StoreError::Damaged { path, damage }, true) => damaged_in(path, damage, true),
            (StoreError::Corrupt { tree, key, reason }, true) => {
                format!(
                    "`{tree}` 中键 {key} 的记录无法读取：{}",
                    super::codec::corrupt_reason_zh(reason)
                )
            }
            (StoreError::InUse(path), true) => format!(
                "此存储正由另一个 dangjian 进程使用：{}\n请关闭那个 dangjian（或等它完成）后再试。",
                path.display()
            ),
            (StoreError::Open { path, source }, true) => {
                format!(
                    "无法打开 {} 处的存储：{}",
                    path.display(),
                    os_error_zh(source)
                )
            }
            (StoreError::TooNew { found, known }, true) => format!(
                "此存储的数据结构版本为 {found}，比本程序所知的（{known}）新；请使用新版 dangjian"
            ),
            (StoreError::Sync(e), true) => {
                format!("无法把存储写入磁盘：{}", os_error_zh(e))
            }
            (StoreError::LockedNoServer { store, socket }, true) => format!(
                "此存储正由另一个 dangjian 进程使用：{}\n而 {} 处没有 dangjian 服务器应答。\n\
                 请关闭那个 dangjian 后再试；多人同时使用时，在存储上运行 `dangjian serve`，\
                 所有 dangjian 都会经由它。",
                store.display(),
                socket.display()
            ),
            (StoreError::Connect { socket, source }, true) => format!(
                "无法连接 {} 处的 dangjian 服务器：{}",
                socket.display(),
                os_error_zh(source)
            ),
            (StoreError::Connection(_), true) => "与 dangjian 服务器的连接已断开".to_string(),
            (StoreError::Sled(_), true) => "存储引擎出错（用 --lang en 可看详情）".to_string(),
            (e, true) => format!("存储出错：{e}"),
            (e, false) => e.to_string(),
        }
    }
}

/// A sled error as the store reports it: damage when sled says its bytes are
/// corrupt, else sled's own words.
pub(super) fn from_sled(path: Option<&Path>, tree: Option<Tree>, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Corruption { at, .. } => StoreError::Damaged {
            path: path.map(Path::to_path_buf),
            damage: Damage::Unreadable {
                tree: tree.map(Tree::name),
                // sled's own (hidden) type, pinned with sled at 0.34.7.
                at: match at {
                    Some(sled::DiskPtr::Inline(offset)) => Where::Log(offset),
                    Some(sled::DiskPtr::Blob(_, blob)) => Where::Blob(blob as u64),
                    None => Where::Unknown,
                },
            },
        },
        e => StoreError::Sled(e),
    }
}

thread_local! {
    /// Set while a `catch_sled` call runs on this thread: its panics are
    /// reported as damage, so the default hook's message is not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, which calls into sled, turning a panic into `EngineFailed`. The
/// panic hook stays quiet for panics caught here (and only those: it hands every
/// other panic to the hook it replaced, which may be ratatui's, restoring the
/// terminal). Used where a panic cannot leave a terminal half-restored: opening
/// a store, and `check`.
pub(super) fn catch_sled<T>(f: impl FnOnce() -> T) -> Result<T, Damage> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        Damage::EngineFailed { detail }
    })
}

/// A scan of one tree that always ends: after sled's first error (which it
/// would repeat for ever) and at a key that is not past the previous one. An
/// honest sled scan never goes back, even beside concurrent writes: each step
/// asks a (sorted) leaf for the first key past the last one returned, and a
/// split or merge only sends it to another node with the same bound. Only
/// leaves whose bytes are damaged answer otherwise.
pub(super) struct Scan<I> {
    inner: I,
    path: PathBuf,
    tree: Tree,
    rev: bool,
    last: Option<IVec>,
    done: bool,
}

impl<I> Scan<I> {
    pub(super) fn new(path: &Path, tree: Tree, rev: bool, inner: I) -> Scan<I> {
        Scan {
            inner,
            path: path.to_path_buf(),
            tree,
            rev,
            last: None,
            done: false,
        }
    }
}

impl<I: Iterator<Item = sled::Result<(IVec, IVec)>>> Iterator for Scan<I> {
    type Item = Result<(IVec, IVec), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = match self.inner.next() {
            None => {
                self.done = true;
                return None;
            }
            Some(Err(e)) => {
                self.done = true;
                return Some(Err(from_sled(Some(&self.path), Some(self.tree), e)));
            }
            Some(Ok(item)) => item,
        };
        if let Some(last) = &self.last {
            let onward = if self.rev {
                item.0 < *last
            } else {
                item.0 > *last
            };
            if !onward {
                self.done = true;
                return Some(Err(StoreError::damaged(
                    &self.path,
                    Damage::OutOfOrder {
                        tree: self.tree.name(),
                        after: super::show(last),
                        got: super::show(&item.0),
                    },
                )));
            }
        }
        self.last = Some(item.0.clone());
        Some(Ok(item))
    }
}

/// Ends the process with a named error if `check` has not finished within its
/// budget. sled 0.34.7 can loop inside a single `next()` over damaged pages (its
/// traversal retries up to 10^6 times, each retry up to 10^6 more), where no
/// check between items can stop it, and a thread cannot be stopped from outside;
/// so the watchdog tells the user, in both languages as it cannot know which
/// one they read, and exits. The budget is generous (see `check_budget`): an
/// honest check finishes well inside it, and dropping the watchdog stops it.
pub(super) struct Watchdog {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    pub(super) fn start(path: &Path, budget: Duration, bytes: u64) -> Watchdog {
        let (stop, stopped) = mpsc::channel::<()>();
        let error = StoreError::damaged(
            path,
            Damage::CheckTimedOut {
                secs: budget.as_secs(),
                bytes,
            },
        );
        let thread = std::thread::Builder::new()
            .name("check watchdog".into())
            .spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(budget) {
                    eprintln!("dangjian: {}", error.in_lang(false));
                    eprintln!("dangjian: {}", error.in_lang(true));
                    std::process::exit(1);
                }
            })
            .ok();
        Watchdog {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// How long `check` may take: a minute, and two seconds per MiB of the store's
/// files on top. An honest check read 4.6 MiB/s here in a debug build (a 5,000-
/// member demo store, 58 MiB, in 12.5 s on 2 shared cores), so the budget is
/// nine times that, more for small stores and for a release build.
pub(super) fn check_budget(bytes: u64) -> Duration {
    Duration::from_secs(60 + 2 * (bytes / (1024 * 1024)))
}

/// The bytes of the store's files: sled's log, snapshots and blobs.
pub(super) fn files_bytes(path: &Path) -> u64 {
    fn walk(dir: &Path) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| match e.metadata() {
                Ok(m) if m.is_dir() => walk(&e.path()),
                Ok(m) => m.len(),
                Err(_) => 0,
            })
            .sum()
    }
    walk(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn item(k: &[u8]) -> sled::Result<(IVec, IVec)> {
        Ok((IVec::from(k), IVec::from(&b"v"[..])))
    }

    #[test]
    fn a_scan_ends_at_a_key_that_goes_back_and_names_it() {
        for (rev, keys) in [
            (false, [b"a", b"c", b"b", b"d"]),
            (true, [b"d", b"b", b"c", b"a"]),
        ] {
            let got: Vec<_> = Scan::new(
                Path::new("/s"),
                Tree::Members,
                rev,
                keys.map(|k| item(k)).into_iter(),
            )
            .collect();
            assert_eq!(got.len(), 3, "rev {rev}");
            assert!(got[0].is_ok() && got[1].is_ok());
            match &got[2] {
                Err(StoreError::Damaged {
                    path: Some(p),
                    damage:
                        Damage::OutOfOrder {
                            tree: "members", ..
                        },
                }) => assert_eq!(p, Path::new("/s")),
                other => panic!("expected out of order, got {other:?}"),
            }
        }
        // The same key twice is going back too.
        let twice = [item(b"a"), item(b"a")];
        assert!(
            Scan::new(Path::new("/s"), Tree::Members, false, twice.into_iter())
                .nth(1)
                .is_some_and(|r| r.is_err())
        );
    }

    #[test]
    fn a_scan_ends_after_an_error_that_sled_would_repeat_for_ever() {
        let for_ever = std::iter::once(item(b"a")).chain(std::iter::repeat_with(|| {
            Err(sled::Error::Corruption {
                at: Some(sled::DiskPtr::Inline(4096)),
                bt: (),
            })
        }));
        let got: Vec<_> = Scan::new(Path::new("/s"), Tree::Ledger, false, for_ever)
            .take(10)
            .collect();
        assert_eq!(got.len(), 2);
        match &got[1] {
            Err(e @ StoreError::Damaged { .. }) => {
                let en = e.to_string();
                assert!(en.contains("the store at /s is damaged"), "{en}");
                assert!(
                    en.contains("tree `ledger`") && en.contains("offset 4096"),
                    "{en}"
                );
                assert!(en.contains("dangjian restore"), "{en}");
                let zh = e.in_lang(true);
                assert!(zh.contains("已损坏") && zh.contains("从备份恢复"), "{zh}");
            }
            other => panic!("expected damage, got {other:?}"),
        }
    }

    #[test]
    fn a_panic_inside_sled_is_named_and_quiet() {
        let caught = catch_sled(|| -> u32 { panic!("tried to serialize Uninitialized") });
        assert_eq!(
            caught,
            Err(Damage::EngineFailed {
                detail: "tried to serialize Uninitialized".into()
            })
        );
        assert_eq!(catch_sled(|| 7), Ok(7));
        // Outside a catch, panics still reach the hook and unwind as before.
        assert!(std::panic::catch_unwind(|| panic!("elsewhere")).is_err());
    }

    /// Runs only as the child of the test below: a watchdog with no budget,
    /// and a main thread that waits on a stdin the parent keeps open.
    #[test]
    fn watchdog_child() {
        let Ok(dir) = std::env::var("DANGJIAN_WATCHDOG_CHILD") else {
            return;
        };
        let _watchdog = Watchdog::start(Path::new(&dir), Duration::ZERO, 3 << 20);
        let _ = std::io::stdin().read(&mut [0u8; 1]);
        panic!("the watchdog let the process go on");
    }

    #[test]
    fn a_check_past_its_budget_ends_the_process_with_a_named_error() {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "store::damage::tests::watchdog_child",
                "--nocapture",
            ])
            .env("DANGJIAN_WATCHDOG_CHILD", "/srv/store")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let _stdin = child.stdin.take();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("the store at /srv/store is damaged (`check` did not finish within 0 s, the budget for 3 MiB"),
            "{stderr}"
        );
        assert!(stderr.contains("未能在 0 秒内完成"), "{stderr}");
    }

    #[test]
    fn the_check_budget_grows_with_the_files() {
        assert_eq!(check_budget(0), Duration::from_secs(60));
        assert_eq!(check_budget(1600 << 20), Duration::from_secs(60 + 3200));
    }
}
