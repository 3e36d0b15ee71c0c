//! The store: the only code that knows sled and bincode.
//!
//! It owns the trees, the key layout, the versioned record codec, the secondary
//! indexes and balances, transactions, durability and schema migrations. It does
//! not decide what a valid change is (that is `ops`) and never touches the terminal.
//!
//! # Key layout
//!
//! Ids are u64 big-endian (`be`), dates 4 bytes in date order (`date_key`), months
//! `yyyymm` as u32 big-endian (`month_key`). Every value starts with a format-version
//! byte; index values are that byte alone; numbers are version byte + i64 BE.
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
//! | `ix_ledger_member`   | member id ++ date ++ entry id         | —                 |
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
//! | `bal_member_rule`    | member id ++ rule id ++ month          | earned (i64)      |
//! | `cnt_month_served`   | month                                 | members (i64)     |
//!
//! The year totals repeat the month totals so a year's ranking reads one key per
//! member instead of twelve. `cnt_month_served` counts, per month, the active
//! members whose `bal_member_month` is above zero, so the overview's
//! twelve-month trend reads twelve keys instead of every member's month totals. Points are hundredths. "Earned" excludes redemptions: the yearly evaluation
//! score counts service, the redeemable balance counts everything.

mod check;
pub mod codec;
mod damage;
mod derived;
mod mark;
mod migrate;
mod reads;
pub mod remote;
mod snapshot;
mod tx;
mod versions;
pub mod wire;

pub use check::{CheckReport, check};
pub use codec::Record;
pub use damage::{Damage, Where};
pub use derived::{
    attendance_key, is_earned, ledger_date_key, ledger_member_key, member_key_entry,
    member_month_key, member_search_keys,
};
pub use snapshot::{RawLoader, Snap};
pub use tx::{Abort, Tx, TxError};

use crate::domain::MemberId;
use codec::{be, decode, decode_i64, read_u64, show_key};
use sled::IVec;
use std::fs::{self, File};
use std::ops::Bound;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The schema version this build writes; `migrate` brings older stores up to it.
pub const SCHEMA_VERSION: i64 = 4;

/// 32 MiB: enough to keep the indexes of a few thousand members hot, small enough
/// for an old office PC running a browser beside us. sled's own default is 1 GiB.
pub const DEFAULT_CACHE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Tree {
    Meta,
    OrgUnits,
    Partners,
    Members,
    Beneficiaries,
    Pairings,
    Tasks,
    Rules,
    Ledger,
    Rewards,
    Activities,
    Attendance,
    Users,
    Audit,
    IxMemberUnit,
    IxMemberKey,
    IxMemberIdno,
    IxLedgerMember,
    IxLedgerReversed,
    IxLedgerDate,
    IxTaskDue,
    IxPairingMember,
    IxPairingBenef,
    IxRuleCode,
    IxAttendMember,
    BalMember,
    BalMemberMonth,
    BalMemberYear,
    BalUnitMonth,
    BalMemberRule,
    CntMonthServed,
}

impl Tree {
    pub const ALL: [Tree; 31] = [
        Tree::Meta,
        Tree::OrgUnits,
        Tree::Partners,
        Tree::Members,
        Tree::Beneficiaries,
        Tree::Pairings,
        Tree::Tasks,
        Tree::Rules,
        Tree::Ledger,
        Tree::Rewards,
        Tree::Activities,
        Tree::Attendance,
        Tree::Users,
        Tree::Audit,
        Tree::IxMemberUnit,
        Tree::IxMemberKey,
        Tree::IxMemberIdno,
        Tree::IxLedgerMember,
        Tree::IxLedgerReversed,
        Tree::IxLedgerDate,
        Tree::IxTaskDue,
        Tree::IxPairingMember,
        Tree::IxPairingBenef,
        Tree::IxRuleCode,
        Tree::IxAttendMember,
        Tree::BalMember,
        Tree::BalMemberMonth,
        Tree::BalMemberYear,
        Tree::BalUnitMonth,
        Tree::BalMemberRule,
        Tree::CntMonthServed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tree::Meta => "meta",
            Tree::OrgUnits => "org_units",
            Tree::Partners => "partners",
            Tree::Members => "members",
            Tree::Beneficiaries => "beneficiaries",
            Tree::Pairings => "pairings",
            Tree::Tasks => "tasks",
            Tree::Rules => "rules",
            Tree::Ledger => "ledger",
            Tree::Rewards => "rewards",
            Tree::Activities => "activities",
            Tree::Attendance => "attendance",
            Tree::Users => "users",
            Tree::Audit => "audit",
            Tree::IxMemberUnit => "ix_member_unit",
            Tree::IxMemberKey => "ix_member_key",
            Tree::IxMemberIdno => "ix_member_idno",
            Tree::IxLedgerMember => "ix_ledger_member",
            Tree::IxLedgerReversed => "ix_ledger_reversed",
            Tree::IxLedgerDate => "ix_ledger_date",
            Tree::IxTaskDue => "ix_task_due",
            Tree::IxPairingMember => "ix_pairing_member",
            Tree::IxPairingBenef => "ix_pairing_benef",
            Tree::IxRuleCode => "ix_rule_code",
            Tree::IxAttendMember => "ix_attend_member",
            Tree::BalMember => "bal_member",
            Tree::BalMemberMonth => "bal_member_month",
            Tree::BalMemberYear => "bal_member_year",
            Tree::BalUnitMonth => "bal_unit_month",
            Tree::BalMemberRule => "bal_member_rule",
            Tree::CntMonthServed => "cnt_month_served",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

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
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// One key and value as a raw scan yields them.
pub type RawItem = Result<(IVec, IVec), StoreError>;

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
    /// Opens the store's files in this process (holding its lock).
    pub fn open(path: &Path, config: &StoreConfig) -> Result<Store, StoreError> {
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
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        loop {
            match lock.try_lock() {
                Ok(()) => break,
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
            }),
        };
        migrate::run(&store)?;
        store.restrict_file_modes()?;
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

    pub(crate) fn tree(&self, t: Tree) -> Result<&sled::Tree, StoreError> {
        Ok(&self.local.trees[t.index()])
    }

    /// Runs `f` in one sled transaction over every tree, holding the writer lock.
    /// `f` may run more than once if sled retries, so it must not have side effects
    /// outside the transaction. The result is not yet durable: call `sync`.
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

    /// As `transact`, for a caller that already holds `write_guard`.
    pub fn transact_locked<A, E>(&self, f: &dyn Fn(&Tx) -> Result<A, Abort<E>>) -> Result<A, E>
    where
        E: From<StoreError>,
    {
        use sled::Transactional;
        use sled::transaction::{ConflictableTransactionError, TransactionError};
        let refs: Vec<&sled::Tree> = self.local.trees.iter().collect();
        let result = refs.as_slice().transaction(|views| {
            let tx = Tx::new(views);
            f(&tx)
                .and_then(|a| tx.count_change().map(|()| a).map_err(Abort::from))
                .map_err(|abort| match abort {
                    Abort::Refused(e) => {
                        ConflictableTransactionError::Abort(AbortReason::Refused(e))
                    }
                    Abort::Tx(TxError::Sled(u)) => u.into(),
                    Abort::Tx(TxError::Store(e)) => {
                        ConflictableTransactionError::Abort(AbortReason::Store(e))
                    }
                })
        });
        match result {
            Ok(a) => Ok(a),
            Err(TransactionError::Abort(AbortReason::Refused(e))) => Err(e),
            Err(TransactionError::Abort(AbortReason::Store(e))) => Err(e.into()),
            Err(TransactionError::Storage(e)) => {
                Err(damage::from_sled(Some(&self.path), None, e).into())
            }
        }
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

    // ---- raw reads: the two primitives every typed read is made of ---------

    /// The bytes stored under `key`.
    pub fn raw_get(&self, t: Tree, key: &[u8]) -> Result<Option<IVec>, StoreError> {
        self.local.trees[t.index()]
            .get(key)
            .map_err(|e| damage::from_sled(Some(&self.path), Some(t), e))
    }

    /// Keys and values between two bounds, in key order or (`rev`) last first.
    /// A scan ends after its first error and names damage (`damage::Scan`),
    /// so even a caller that skips errors comes to the end.
    pub fn raw_range(
        &self,
        t: Tree,
        from: Bound<Vec<u8>>,
        to: Bound<Vec<u8>>,
        rev: bool,
    ) -> Box<dyn Iterator<Item = RawItem> + '_> {
        let range = self.local.trees[t.index()].range((from, to));
        if rev {
            Box::new(damage::Scan::new(&self.path, t, true, range.rev()))
        } else {
            Box::new(damage::Scan::new(&self.path, t, false, range))
        }
    }

    fn raw_prefix(
        &self,
        t: Tree,
        prefix: &[u8],
        rev: bool,
    ) -> Box<dyn Iterator<Item = RawItem> + '_> {
        let (from, to) = prefix_bounds(prefix);
        self.raw_range(t, from, to, rev)
    }

    // ---- typed reads -------------------------------------------------------

    pub fn get<R: Record>(&self, key: &[u8]) -> Result<Option<R>, StoreError> {
        match self.raw_get(R::TREE, key)? {
            Some(bytes) => decode(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

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

    pub fn scan_prefix<R: Record>(
        &self,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<R, StoreError>> + '_ {
        self.raw_prefix(R::TREE, prefix, false).map(|item| {
            let (k, v) = item?;
            decode(&k, &v)
        })
    }

    /// Entries in a tree. On a damaged one the count stops at the first
    /// unreadable entry (sled's own `len` would go on for ever); the next read
    /// says what went wrong. `try_count` says it at once.
    pub fn count(&self, t: Tree) -> usize {
        self.raw_range(t, Bound::Unbounded, Bound::Unbounded, false)
            .take_while(Result::is_ok)
            .count()
    }

    /// Entries in a tree, or why they cannot all be read.
    pub fn try_count(&self, t: Tree) -> Result<usize, StoreError> {
        let mut n = 0;
        for item in self.raw_range(t, Bound::Unbounded, Bound::Unbounded, false) {
            item?;
            n += 1;
        }
        Ok(n)
    }

    /// Ids stored at byte `at` of each key of an index under `prefix`.
    pub fn index_ids(&self, t: Tree, prefix: &[u8], at: usize) -> Result<Vec<u64>, StoreError> {
        self.keys(t, prefix).map(|k| read_u64(t, &k?, at)).collect()
    }

    pub fn number(&self, t: Tree, key: &[u8]) -> Result<Option<i64>, StoreError> {
        match self.raw_get(t, key)? {
            Some(v) => decode_i64(t, key, &v).map(Some),
            None => Ok(None),
        }
    }

    /// `(key, value)` of every number under `prefix`.
    pub fn numbers(
        &self,
        t: Tree,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<(IVec, i64), StoreError>> + '_ {
        self.raw_prefix(t, prefix, false).map(move |item| {
            let (k, v) = item?;
            let n = decode_i64(t, &k, &v)?;
            Ok((k, n))
        })
    }

    /// Numbers with keys in `[from, to)`.
    pub fn numbers_range(
        &self,
        t: Tree,
        from: &[u8],
        to: &[u8],
    ) -> impl Iterator<Item = Result<(IVec, i64), StoreError>> + '_ {
        self.raw_range(
            t,
            Bound::Included(from.to_vec()),
            Bound::Excluded(to.to_vec()),
            false,
        )
        .map(move |item| {
            let (k, v) = item?;
            let n = decode_i64(t, &k, &v)?;
            Ok((k, n))
        })
    }

    /// Raw keys of a tree under a prefix (index scans that need more than one id).
    pub fn keys(
        &self,
        t: Tree,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<IVec, StoreError>> + '_ {
        self.raw_prefix(t, prefix, false)
            .map(|item| item.map(|(k, _)| k))
    }

    /// Every member's id and name in id order, decoding only the front of each
    /// record: a ranking of the whole community names 100,000 members, and the
    /// rest of a member record is most of the decoding cost.
    pub fn member_names(
        &self,
    ) -> impl Iterator<Item = Result<(MemberId, String), StoreError>> + '_ {
        self.raw_prefix(Tree::Members, &[], false).map(|item| {
            let (k, v) = item?;
            codec::decode_member_name(&k, &v)
        })
    }

    /// Raw keys of a tree in `[from, to)` (date-ordered index scans).
    pub fn tree_range_keys(
        &self,
        t: Tree,
        from: &[u8],
        to: &[u8],
    ) -> impl Iterator<Item = Result<IVec, StoreError>> + '_ {
        self.raw_range(
            t,
            Bound::Included(from.to_vec()),
            Bound::Excluded(to.to_vec()),
            false,
        )
        .map(|item| item.map(|(k, _)| k))
    }

    pub fn is_empty(&self) -> bool {
        Tree::ALL
            .iter()
            .filter(|t| **t != Tree::Meta)
            .all(|t| self.local.trees[t.index()].is_empty())
    }

    /// Test and repair hook: writes raw bytes, bypassing every rule. Used by tests
    /// that damage a store on purpose; nothing in the product calls it.
    #[doc(hidden)]
    pub fn raw_put(&self, t: Tree, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.tree(t)?.insert(key, value)?;
        Ok(())
    }

    /// Every key and value of every tree, for tests that compare whole stores.
    #[doc(hidden)]
    pub fn dump(&self) -> Result<Vec<RawEntry>, StoreError> {
        let mut out = Vec::new();
        for t in Tree::ALL {
            for item in self.raw_prefix(t, &[], false) {
                let (k, v) = item?;
                out.push((t.name(), k.to_vec(), v.to_vec()));
            }
        }
        Ok(out)
    }

    #[doc(hidden)]
    pub fn raw_remove(&self, t: Tree, key: &[u8]) -> Result<(), StoreError> {
        self.tree(t)?.remove(key)?;
        Ok(())
    }
}

/// The bounds of the keys that start with `prefix`: from the prefix itself up
/// to the first key past all of them (the prefix with its last byte that is not
/// 0xff incremented), or to the end when there is no such key.
pub fn prefix_bounds(prefix: &[u8]) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    if prefix.is_empty() {
        return (Bound::Unbounded, Bound::Unbounded);
    }
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return (Bound::Included(prefix.to_vec()), Bound::Excluded(end));
        }
    }
    (Bound::Included(prefix.to_vec()), Bound::Unbounded)
}

impl Drop for Local {
    fn drop(&mut self) {
        // Best effort on a clean exit; acknowledged writes were already synced.
        let _ = self.db.flush();
        let _ = self.mark.flush();
    }
}

/// One raw key/value of a tree, as `dump` returns it.
pub type RawEntry = (&'static str, Vec<u8>, Vec<u8>);

enum AbortReason<E> {
    Refused(E),
    Store(StoreError),
}

pub(crate) fn show(key: &[u8]) -> String {
    show_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_bounds_cover_exactly_the_prefixed_keys() {
        assert_eq!(
            prefix_bounds(&[1, 2]),
            (Bound::Included(vec![1, 2]), Bound::Excluded(vec![1, 3]))
        );
        assert_eq!(
            prefix_bounds(&[1, 0xff]),
            (Bound::Included(vec![1, 0xff]), Bound::Excluded(vec![2]))
        );
        assert_eq!(
            prefix_bounds(&[0xff, 0xff]),
            (Bound::Included(vec![0xff, 0xff]), Bound::Unbounded)
        );
        assert_eq!(prefix_bounds(&[]), (Bound::Unbounded, Bound::Unbounded));
    }

    #[test]
    fn the_socket_sits_beside_the_store() {
        assert_eq!(
            socket_path(Path::new("/srv/dangjian/store/")),
            PathBuf::from("/srv/dangjian/store.server/socket")
        );
    }
}
