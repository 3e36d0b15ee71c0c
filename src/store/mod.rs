//! The store: the only code that knows sled and bincode.
//!
//! It owns the trees, the key layout, the versioned record codec, the secondary
//! indexes and balances, transactions, durability and schema migrations. It does
//! not decide what a valid change is (that is `ops`) and never touches the terminal.
//!
//! Key bytes stay in here: the layers above read through typed functions named
//! by what they mean (`reads`, and `Tx`'s inside a command), never by tree and
//! key; `tree`, `codec` and the byte-level primitives (`raw`) are private.
//! `hooks` are raw writes by tree name for tests that damage a store on purpose.
//!
//! # Key layout
//!
//! Ids are u64 big-endian (`be`), dates 4 bytes in date order (`date_key`), months
//! `yyyymm` as u32 big-endian (`month_key`). Every value starts with a format-version
//! byte; index values are that byte alone (but `ix_ledger_member`'s, which carry
//! what a cap sums); numbers are version byte + i64 BE.
//!
//! | tree                 | key                                   | value             |
//! |----------------------|---------------------------------------|-------------------|
//! | `meta`               | `schema` / `seq/<kind>` / `changes` / | i64               |
//! |                      | `ledger/first_month` / `…/last_month` |                   |
//! | `org_units`          | unit id                               | `OrgUnit`         |
//! | `partners`           | partner id                            | `Partner`         |
//! | `members`            | member id                             | `Member`          |
//! | `beneficiaries`      | beneficiary id                        | `Beneficiary`     |
//! | `pairings`           | pairing id                            | `Pairing`         |
//! | `tasks`              | task id                               | `Task`            |
//! | `rules`              | rule id                               | `PointsRule`      |
//! | `ledger`             | entry id                              | `PointsEntry`     |
//! | `rewards`            | reward id                             | `Reward`          |
//! | `activities`         | activity id                           | `Activity`        |
//! | `attendance`         | activity id ++ member id              | `Attendance`      |
//! | `users`              | login (utf-8)                         | `User`            |
//! | `audit`              | audit id                              | `AuditEntry`      |
//! | `ix_member_unit`     | unit id ++ member id                  | —                 |
//! | `ix_member_key`      | search key (utf-8) ++ 0x00 ++ member  | —                 |
//! | `ix_member_idno`     | ID number (utf-8)                     | member id (i64)   |
//! | `ix_ledger_member`   | member id ++ date ++ entry id         | rule, earned      |
//! | `ix_ledger_reversed` | original entry id                     | reversal id (i64) |
//! | `ix_ledger_date`     | date ++ entry id                      | —                 |
//! | `ix_task_due`        | due date ++ task id                   | —                 |
//! | `ix_pairing_member`  | member id ++ pairing id               | —                 |
//! | `ix_pairing_benef`   | beneficiary id ++ pairing id          | —                 |
//! | `ix_rule_code`       | rule code (utf-8)                     | rule id (i64)     |
//! | `ix_attend_member`   | member id ++ activity id              | —                 |
//! | `bal_member`         | member id                             | redeemable (i64)  |
//! | `bal_member_month`   | month ++ member id                    | earned (i64)      |
//! | `bal_member_year`    | year (u32 BE) ++ member id            | earned (i64)      |
//! | `bal_unit_month`     | month ++ unit id                      | earned (i64)      |
//! | `cnt_month_served`   | month                                 | members (i64)     |
//! | `settings`           | `evaluation`                          | `EvaluationSettings` |
//! | `pending`            | pending id                            | `PendingEntry`    |
//! | `ix_pending_open`    | pending id (still pending)            | —                 |
//! | `ix_approved_entry`  | ledger entry id an approval wrote     | pending id (i64)  |
//! | `ix_pending_for`     | source (kind, id) ++ member, waiting   | pending id (i64)  |
//! | `ix_unexcused`       | year (u32 BE) ++ member ++ activity   | —                 |
//! | `bal_member_year_deducted` | year (u32 BE) ++ member         | deductions (i64)  |
//! | `transfers`          | member id ++ transfer id              | `Transfer`        |
//! | `flows`              | flow id                               | `Flow`            |
//! | `lost_contact`       | member id                             | `LostContactRecord` |
//! | `frequencies`        | unit id (0: the community) ++ kind    | `Frequency`       |
//! | `minutes`            | activity id                           | `Minutes`         |
//! | `activity_partners`  | activity id                           | `ActivityPartners` |
//! | `terms`              | unit id ++ term id                    | `Term`            |
//! | `posts`              | post id                               | `Post`            |
//! | `ix_term_current`    | unit id                               | term id (i64)     |
//!
//! The year totals repeat the month totals so a year's ranking reads one key per
//! member instead of twelve. `cnt_month_served` counts, per month, the active
//! members whose `bal_member_month` is above zero, so the overview's
//! twelve-month trend reads twelve keys instead of every member's month totals.
//! `bal_member_year_deducted` holds the part of `bal_member_year` that is
//! deductions (`evaluation::is_deduction`), so the yearly evaluation splits
//! earned from deducted with one scan. Pending entries are not in the ledger:
//! they count in no balance until approved. Points are hundredths. "Earned" excludes redemptions: the yearly evaluation
//! score counts service, the redeemable balance counts everything.

mod check;
mod codec;
mod damage;
mod derived;
mod hooks;
mod mark;
mod migrate;
mod orglife;
mod raw;
mod reads;
pub mod remote;
mod snapshot;
mod stats;
mod tree;
mod tx;
mod versions;
pub mod wire;

pub use check::{CheckReport, Problem, check};
pub use damage::{Damage, Where};
pub use derived::is_earned;
pub use hooks::RawEntry;
pub use reads::Dependant;
pub use snapshot::{RawLoader, Snap};
pub use stats::TreeStats;
pub use tx::{Abort, Tx, TxError};

use codec::{Record, be, decode, show_key};
use std::fs::{self, File};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tree::Tree;

/// The schema version this build writes; `migrate` brings older stores up to it.
pub const SCHEMA_VERSION: i64 = 6;

/// 32 MiB: enough to keep the indexes of a few thousand members hot, small enough
/// for an old office PC running a browser beside us. sled's own default is 1 GiB.
pub const DEFAULT_CACHE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "this store is open in another dangjian process: {0}\n\
         Close the other dangjian (or wait for it to finish) and try again."
    )]
    InUse(PathBuf),
    #[error("cannot open the store at {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unreadable record in tree `{tree}` at key {key}: {reason}")]
    Corrupt {
        tree: &'static str,
        key: String,
        reason: String,
    },
    #[error("cannot encode a record for tree `{tree}`: {reason}")]
    Encode { tree: &'static str, reason: String },
    #[error(
        "this store has schema version {found}, newer than this dangjian understands ({known}); \
         use a newer dangjian"
    )]
    TooNew { found: i64, known: i64 },
    #[error("storage error: {0}")]
    Sled(sled::Error),
    /// The store's files are damaged: said in words, with the way out.
    #[error("{}", damage::damaged_message(.path, .damage))]
    Damaged {
        path: Option<PathBuf>,
        damage: Damage,
    },
    #[error("cannot make the store durable: {0}")]
    Sync(std::io::Error),
    #[error(
        "this store is open in another dangjian process: {store}\n\
         and no dangjian server answers at {socket}.\n\
         Close the other dangjian and try again; for several people at once, run \
         `dangjian serve` on the store and every dangjian will go through it."
    )]
    LockedNoServer { store: PathBuf, socket: PathBuf },
    #[error("cannot reach the dangjian server at {socket}: {source}")]
    Connect {
        socket: PathBuf,
        source: std::io::Error,
    },
    #[error("lost the connection to the dangjian server: {0}")]
    Connection(String),
    #[error("the dangjian server says: {0}")]
    Server(String),
    /// A test hook named a tree the store does not have.
    #[error("the store has no tree named `{0}`")]
    NoSuchTree(String),
}

impl From<sled::Error> for StoreError {
    /// Corrupt bytes are damage even where the store's path is not at hand.
    fn from(e: sled::Error) -> Self {
        damage::from_sled(None, None, e)
    }
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub cache_bytes: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            cache_bytes: DEFAULT_CACHE_BYTES,
        }
    }
}

/// An open store: the sled files themselves, owned by this process (held by a
/// lock file). Only the owner of the files reads them: a process that reaches
/// a store through its server holds an `access::Session`, never a `Store`, and
/// asks the server typed questions it answers within the asker's authority.
pub struct Store {
    path: PathBuf,
    local: Box<Local>,
}

struct Local {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    /// sled's log file, fsynced after each flush (sled itself stops at
    /// `sync_file_range`, which does not persist file metadata).
    data_file: File,
    _lock: File,
    /// The count of changes last made durable, held against sled's on open.
    mark: mark::Mark,
    /// Serialises writers, so the validation reads of one command and its
    /// transaction see the same state.
    write_lock: Mutex<()>,
    /// This open's number among every store this process opened.
    id: u64,
    /// How many writes changed member records since the open (`members_stamp`).
    member_writes: std::sync::atomic::AtomicU64,
    /// How many writes changed anything since the open (`writes_stamp`).
    writes: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// A number for each store this process opens (`Store::members_stamp`).
fn next_open_id() -> u64 {
    static OPENS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    OPENS.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
}

/// Where the server of the store at `store` listens: a socket in a directory
/// beside the store (the store's own directory is private to its owner; the
/// socket's directory is opened to a group).
pub fn socket_path(store: &Path) -> PathBuf {
    let tidy: PathBuf = store.components().collect();
    let mut dir = tidy.into_os_string();
    dir.push(".server");
    PathBuf::from(dir).join("socket")
}

impl Store {
    /// Opens the store's files in this process (holding its lock). A server
    /// that was started automatically and serves nobody else is asked to
    /// leave first (`remote::ask_to_leave`), so what needs the files (tests,
    /// `demo`, `restore`, `dangjian serve`) gets them from a lingering server.
    pub fn open(path: &Path, config: &StoreConfig) -> Result<Store, StoreError> {
        Store::open_as(path, config, true)
    }

    /// As `open`, for the automatic server itself: its starter holds the
    /// start lock, and nobody is to be asked to leave.
    pub fn open_for_server(path: &Path, config: &StoreConfig) -> Result<Store, StoreError> {
        Store::open_as(path, config, false)
    }

    fn open_as(path: &Path, config: &StoreConfig, evict: bool) -> Result<Store, StoreError> {
        let io = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
            .map_err(io)?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o700)).map_err(io)?;

        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path.join("dangjian.lock"))
            .map_err(io)?;
        // A lock can outlive its owner by a moment: a process that just closed
        // the store may have a child between fork and exec still holding the
        // lock file. Wait a second before calling the store busy.
        let mut deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        // Held to the end of the open once taken: no server starts meanwhile.
        let mut start: Option<remote::StartLock> = None;
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if evict && start.is_none() => {
                    // Waits out a server starting or stopping, then asks one
                    // that serves nobody to go; what it answers is seen in
                    // whether the lock comes free.
                    start = Some(remote::StartLock::take(path)?);
                    let _ = remote::ask_to_leave(&socket_path(path));
                    deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
                }
                Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::InUse(path.to_path_buf()));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
        }

        // sled keeps a lock of its own on its files, released when its last
        // background thread lets go, which can be a moment after the process
        // that owned the store dropped it: the same grace as above.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        let damaged = |d| StoreError::damaged(path, d);
        let db = loop {
            // sled panics on some damaged logs instead of answering an error.
            let opened = damage::catch_sled(|| {
                sled::Config::new()
                    .path(path)
                    .cache_capacity(config.cache_bytes)
                    .mode(sled::Mode::LowSpace)
                    .open()
            })
            .map_err(damaged)?;
            match opened {
                Ok(db) => break db,
                Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                    if std::time::Instant::now() >= deadline {
                        return Err(StoreError::InUse(path.to_path_buf()));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(damage::from_sled(Some(path), None, e)),
            }
        };
        let trees = damage::catch_sled(|| {
            Tree::ALL
                .iter()
                .map(|t| db.open_tree(t.name()))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(damaged)?
        .map_err(|e| damage::from_sled(Some(path), None, e))?;
        let data_file = File::open(path.join("db")).map_err(io)?;
        let found =
            damage::catch_sled(|| mark::changes(&trees[Tree::Meta.index()])).map_err(damaged)??;
        let mark = mark::Mark::open(path, found)?;
        let store = Store {
            path: path.to_path_buf(),
            local: Box::new(Local {
                db,
                trees,
                data_file,
                _lock: lock,
                mark,
                write_lock: Mutex::new(()),
                id: next_open_id(),
                member_writes: std::sync::atomic::AtomicU64::new(0),
                writes: std::sync::atomic::AtomicU64::new(0),
            }),
        };
        migrate::run(&store)?;
        store.restrict_file_modes()?;
        drop(start);
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Files of the store are private to its owner: they hold ID numbers.
    fn restrict_file_modes(&self) -> Result<(), StoreError> {
        fn walk(dir: &Path) -> std::io::Result<()> {
            for entry in fs::read_dir(dir)? {
                let entry = entry?;
                let p = entry.path();
                if entry.file_type()?.is_dir() {
                    fs::set_permissions(&p, fs::Permissions::from_mode(0o700))?;
                    walk(&p)?;
                } else {
                    fs::set_permissions(&p, fs::Permissions::from_mode(0o600))?;
                }
            }
            Ok(())
        }
        walk(&self.path).map_err(|source| StoreError::Open {
            path: self.path.clone(),
            source,
        })
    }

    fn tree(&self, t: Tree) -> Result<&sled::Tree, StoreError> {
        Ok(&self.local.trees[t.index()])
    }

    /// Runs `f` as one transaction, holding the writer lock: everything it
    /// writes is committed together, or nothing if it refuses. `f` runs once.
    /// The result is not yet durable: call `sync`.
    pub fn transact<A, E>(&self, f: impl Fn(&Tx) -> Result<A, Abort<E>>) -> Result<A, E>
    where
        E: From<StoreError>,
    {
        let _guard = self
            .local
            .write_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        self.transact_locked(&f)
    }

    /// Holds the writer lock for a read-validate-write sequence.
    pub fn write_guard(&self) -> std::sync::MutexGuard<'_, ()> {
        self.local
            .write_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// As `transact`, for a caller that already holds `write_guard`. `f` runs
    /// once over an overlay (see `tx`); what it wrote is then committed in one
    /// sled transaction over the trees it touched, or dropped if it refused.
    pub fn transact_locked<A, E>(&self, f: &dyn Fn(&Tx) -> Result<A, Abort<E>>) -> Result<A, E>
    where
        E: From<StoreError>,
    {
        let tx = Tx::new(&self.local.trees);
        let outcome = f(&tx).and_then(|a| tx.count_change().map(|()| a).map_err(Abort::from));
        let a = match outcome {
            Ok(a) => a,
            Err(Abort::Refused(e)) => return Err(e),
            Err(Abort::Tx(TxError::Store(e))) => return Err(e.into()),
            Err(Abort::Tx(TxError::Sled(e))) => {
                return Err(damage::from_sled(Some(&self.path), None, e).into());
            }
        };
        self.commit(tx.into_writes())?;
        Ok(a)
    }

    /// Writes an overlay's changes in one sled transaction (all or nothing, on
    /// disk as in memory) over the trees that have any.
    fn commit(&self, writes: Vec<tx::Writes>) -> Result<(), StoreError> {
        use sled::Transactional;
        use sled::transaction::TransactionError;
        let members = writes
            .get(Tree::Members.index())
            .is_some_and(|w| !w.is_empty());
        let touched: Vec<(&sled::Tree, tx::Writes)> = self
            .local
            .trees
            .iter()
            .zip(writes)
            .filter(|(_, w)| !w.is_empty())
            .collect();
        if touched.is_empty() {
            return Ok(());
        }
        let trees: Vec<&sled::Tree> = touched.iter().map(|(t, _)| *t).collect();
        let result: Result<(), TransactionError<()>> = trees.as_slice().transaction(|views| {
            for (view, (_, writes)) in views.iter().zip(&touched) {
                for (key, value) in writes {
                    match value {
                        Some(v) => view.insert(key.as_slice(), v.clone())?,
                        None => view.remove(key.as_slice())?,
                    };
                }
            }
            Ok(())
        });
        // Counted whatever the outcome: a stamp read after it only makes a
        // cache read the records again.
        if members {
            self.raw_written();
        } else {
            self.local
                .writes
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(())) => Ok(()),
            Err(TransactionError::Storage(e)) => Err(damage::from_sled(Some(&self.path), None, e)),
        }
    }

    /// What a cache of member records is valid for: this open of the store
    /// and the count of writes that changed members since. Two equal stamps
    /// saw the same member records (another process cannot write while this
    /// one holds the files).
    pub fn members_stamp(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering;
        (
            self.local.id,
            self.local.member_writes.load(Ordering::SeqCst),
        )
    }

    /// As `members_stamp`, for a cache of anything the store holds (the
    /// overview's figures): the count of every write since the open.
    pub fn writes_stamp(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering;
        (self.local.id, self.local.writes.load(Ordering::SeqCst))
    }

    /// A write outside `commit` (migrations, restores, test hooks), or one
    /// of `commit`'s that changed member records: any cache of them, or of
    /// anything, is read again.
    pub(crate) fn raw_written(&self) {
        use std::sync::atomic::Ordering;
        self.local.member_writes.fetch_add(1, Ordering::SeqCst);
        self.local.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// Makes every finished transaction durable: sled's flush, then a full fsync of
    /// its data file, then the high-water mark (`mark`). A write is acknowledged
    /// only after this returns.
    pub fn sync(&self) -> Result<(), StoreError> {
        let l = &self.local;
        // Counted before the flush: every change it counts is then durable.
        let changes = mark::changes(&l.trees[Tree::Meta.index()])?;
        l.db.flush()?;
        l.data_file.sync_all().map_err(StoreError::Sync)?;
        l.mark.advance(changes)
    }

    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.local.db.size_on_disk()?)
    }

    // ---- reads of whole records; the rest are in `reads` -----------------

    pub fn get_id<R: Record>(&self, id: u64) -> Result<Option<R>, StoreError> {
        self.get(&be(id))
    }

    /// Every record of a kind, in key order. Stops at the first unreadable record
    /// with an error naming it.
    pub fn scan<R: Record>(&self) -> impl Iterator<Item = Result<R, StoreError>> + '_ {
        self.scan_prefix(&[])
    }

    /// Every record of a kind, last key first (newest audit entries, say).
    pub fn scan_rev<R: Record>(&self) -> impl Iterator<Item = Result<R, StoreError>> + '_ {
        self.raw_prefix(R::TREE, &[], true).map(|item| {
            let (k, v) = item?;
            decode(&k, &v)
        })
    }

    pub fn is_empty(&self) -> bool {
        Tree::ALL
            .iter()
            .filter(|t| **t != Tree::Meta)
            .all(|t| self.local.trees[t.index()].is_empty())
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        // Best effort on a clean exit; acknowledged writes were already synced.
        let _ = self.db.flush();
        let _ = self.mark.flush();
    }
}

pub(crate) fn show(key: &[u8]) -> String {
    show_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_sits_beside_the_store() {
        assert_eq!(
            socket_path(Path::new("/srv/dangjian/store/")),
            PathBuf::from("/srv/dangjian/store.server/socket")
        );
    }
}
