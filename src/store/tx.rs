//! `Tx`: typed reads and writes of one command (or one batch), all or nothing.
//! Records go in with their index entries and balance changes, so no caller can
//! write one without the other. What a command reads by meaning (a user by
//! login, a rule by code, a balance…) is in `reads::in_tx`.
//!
//! A `Tx` does not write through sled's transaction layer as it goes: its
//! writes collect in an overlay (a sorted map per tree), its reads look there
//! first and then at the committed tree, and `Store::transact_locked` commits
//! the overlay in one sled transaction over only the trees it touched. That is
//! safe because there is one writer (the writer lock, and one process owning
//! the files), so nothing can change a tree between a read here and the
//! commit; a refused command simply drops its overlay. Reading the committed
//! trees directly is what makes this cheaper: sled's transactional reads were
//! a third of a write's time.

use super::codec::{
    Record, be, decode, decode_i64, encode, encode_i64, month_key, month_number, next_month,
};
use super::derived::{
    FIRST_MONTH_KEY, Indexed, LAST_MONTH_KEY, entry_effects, member_month_key, served_change,
};
use super::{StoreError, Tree};
use crate::domain::{Member, MemberId, MemberStatus, PointsEntry};
use sled::IVec;
use std::cell::RefCell;
use std::collections::BTreeMap;

#[derive(Debug)]
pub enum TxError {
    Sled(sled::Error),
    Store(StoreError),
}

impl From<sled::Error> for TxError {
    fn from(e: sled::Error) -> Self {
        TxError::Sled(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

/// Why a transaction closure stopped: the caller refused the change (`Refused`),
/// or the store failed underneath it.
#[derive(Debug)]
pub enum Abort<E> {
    Refused(E),
    Tx(TxError),
}

impl<E> From<TxError> for Abort<E> {
    fn from(e: TxError) -> Self {
        Abort::Tx(e)
    }
}

impl<E> From<StoreError> for Abort<E> {
    fn from(e: StoreError) -> Self {
        Abort::Tx(TxError::Store(e))
    }
}

impl<E> From<sled::Error> for Abort<E> {
    fn from(e: sled::Error) -> Self {
        Abort::Tx(TxError::Sled(e))
    }
}

/// A tree's pending writes: a value to put, or `None` to remove the key.
pub(super) type Writes = BTreeMap<Vec<u8>, Option<IVec>>;

pub struct Tx<'a> {
    trees: &'a [sled::Tree],
    writes: RefCell<Vec<Writes>>,
}

/// One tree as this transaction sees it: its committed entries under the
/// transaction's own writes.
pub(super) struct View<'t> {
    tree: &'t sled::Tree,
    writes: &'t RefCell<Vec<Writes>>,
    t: usize,
}

impl View<'_> {
    pub(super) fn get(&self, key: &[u8]) -> Result<Option<IVec>, TxError> {
        if let Some(pending) = self.writes.borrow()[self.t].get(key) {
            return Ok(pending.clone());
        }
        Ok(self.tree.get(key)?)
    }

    /// The entries with keys from `lo` up to (not including) `hi`, in key
    /// order: the committed ones under this transaction's own writes.
    pub(super) fn range(&self, lo: &[u8], hi: &[u8]) -> Result<Vec<(Vec<u8>, IVec)>, TxError> {
        let mut out: BTreeMap<Vec<u8>, IVec> = BTreeMap::new();
        for item in self.tree.range(lo..hi) {
            let (k, v) = item?;
            out.insert(k.to_vec(), v);
        }
        for (k, v) in self.writes.borrow()[self.t].range(lo.to_vec()..hi.to_vec()) {
            match v {
                Some(v) => out.insert(k.clone(), v.clone()),
                None => out.remove(k),
            };
        }
        Ok(out.into_iter().collect())
    }

    pub(super) fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl Into<IVec>,
    ) -> Result<(), TxError> {
        let key = key.as_ref().to_vec();
        self.writes.borrow_mut()[self.t].insert(key, Some(value.into()));
        Ok(())
    }

    pub(super) fn remove(&self, key: impl AsRef<[u8]>) -> Result<(), TxError> {
        let key = key.as_ref().to_vec();
        self.writes.borrow_mut()[self.t].insert(key, None);
        Ok(())
    }
}

impl<'a> Tx<'a> {
    pub(super) fn new(trees: &'a [sled::Tree]) -> Tx<'a> {
        Tx {
            trees,
            writes: RefCell::new(vec![Writes::new(); trees.len()]),
        }
    }

    pub(super) fn view(&self, t: Tree) -> View<'_> {
        View {
            tree: &self.trees[t as usize],
            writes: &self.writes,
            t: t as usize,
        }
    }

    /// What the transaction wrote, tree by tree (by `Tree` index), for the commit.
    pub(super) fn into_writes(self) -> Vec<Writes> {
        self.writes.into_inner()
    }

    pub(super) fn get<R: Record>(&self, key: &[u8]) -> Result<Option<R>, TxError> {
        match self.view(R::TREE).get(key)? {
            Some(bytes) => Ok(Some(decode(key, &bytes)?)),
            None => Ok(None),
        }
    }

    pub fn get_id<R: Record>(&self, id: u64) -> Result<Option<R>, TxError> {
        self.get(&be(id))
    }

    /// Writes a record that has no index entries.
    pub fn put<R: Record>(&self, record: &R) -> Result<(), TxError> {
        self.view(R::TREE).insert(record.key(), encode(record)?)?;
        Ok(())
    }

    /// Writes a record and brings its index entries from `old`'s to its own
    /// (and, for a member who becomes active or stops being so, the months'
    /// counts of members who served).
    pub fn put_indexed<R: Indexed>(&self, old: Option<&R>, new: &R) -> Result<(), TxError> {
        if let Some((member, counts)) = new.served_counts_member() {
            let counted = old
                .and_then(|o| o.served_counts_member())
                .is_some_and(|(_, c)| c);
            if counts != counted {
                self.recount_member(member, if counts { 1 } else { -1 })?;
            }
        }
        let before = old.map(|o| o.index_entries()).unwrap_or_default();
        let after = new.index_entries();
        for entry in &before {
            if !after.contains(entry) {
                self.view(entry.0).remove(entry.1.as_slice())?;
            }
        }
        for entry in &after {
            if !before.contains(entry) {
                self.view(entry.0)
                    .insert(entry.1.as_slice(), entry.2.as_slice())?;
            }
        }
        self.put(new)
    }

    /// Removes a record that has no index entries.
    pub fn remove<R: Record>(&self, record: &R) -> Result<(), TxError> {
        self.view(R::TREE).remove(record.key())?;
        Ok(())
    }

    /// Removes a record and its index entries.
    pub fn remove_indexed<R: Indexed>(&self, record: &R) -> Result<(), TxError> {
        for (t, k, _) in record.index_entries() {
            self.view(t).remove(k)?;
        }
        self.view(R::TREE).remove(record.key())?;
        Ok(())
    }

    /// Appends a ledger entry with its index entries and every balance it
    /// moves, and the month's count of members who served when an active
    /// member's month total crosses zero.
    pub fn append_entry(&self, entry: &PointsEntry) -> Result<(), TxError> {
        self.put_indexed(None, entry)?;
        self.widen_ledger_months(month_number(entry.date))?;
        for (t, key, delta) in entry_effects(entry) {
            if t == Tree::BalMemberMonth {
                let month = month_key(entry.date);
                let before = self.number(t, &key)?.unwrap_or(0);
                let after = self.add(t, &key, delta)?;
                let change = served_change(before, after);
                if change != 0 && self.is_active(entry.member)? {
                    self.add(Tree::CntMonthServed, &month, change)?;
                }
            } else {
                self.add(t, &key, delta)?;
            }
        }
        Ok(())
    }

    fn is_active(&self, member: MemberId) -> Result<bool, TxError> {
        Ok(self
            .get_id::<Member>(member.0)?
            .is_some_and(|m| m.data.status == MemberStatus::Active))
    }

    /// Keeps `meta` `ledger/first_month` and `ledger/last_month` around every
    /// month the ledger has entries in.
    fn widen_ledger_months(&self, month: u32) -> Result<(), TxError> {
        let m = i64::from(month);
        if self
            .number(Tree::Meta, FIRST_MONTH_KEY)?
            .is_none_or(|f| m < f)
        {
            self.set_number(Tree::Meta, FIRST_MONTH_KEY, m)?;
        }
        if self
            .number(Tree::Meta, LAST_MONTH_KEY)?
            .is_none_or(|l| m > l)
        {
            self.set_number(Tree::Meta, LAST_MONTH_KEY, m)?;
        }
        Ok(())
    }

    /// Adds `sign` to the count of every month in which the member's earned
    /// total is above zero: one lookup per month the ledger spans (a
    /// transaction reads single keys only), for a member who joins or leaves
    /// the active roster, which is rare.
    fn recount_member(&self, member: MemberId, sign: i64) -> Result<(), TxError> {
        let first = self.number(Tree::Meta, FIRST_MONTH_KEY)?;
        let last = self.number(Tree::Meta, LAST_MONTH_KEY)?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(());
        };
        let (Ok(mut month), Ok(last)) = (u32::try_from(first), u32::try_from(last)) else {
            return Ok(());
        };
        while month <= last {
            let key = member_month_key(month.to_be_bytes(), member);
            if self.number(Tree::BalMemberMonth, &key)?.unwrap_or(0) > 0 {
                self.add(Tree::CntMonthServed, &month.to_be_bytes(), sign)?;
            }
            month = next_month(month);
        }
        Ok(())
    }

    pub(super) fn number(&self, t: Tree, key: &[u8]) -> Result<Option<i64>, TxError> {
        match self.view(t).get(key)? {
            Some(v) => Ok(Some(decode_i64(t, key, &v)?)),
            None => Ok(None),
        }
    }

    /// Adds `delta` to a number (absent = 0) and returns the new value. A number
    /// that comes back to zero is removed, so sums and scans only see live ones.
    fn add(&self, t: Tree, key: &[u8], delta: i64) -> Result<i64, TxError> {
        let now = self.number(t, key)?.unwrap_or(0).saturating_add(delta);
        if now == 0 {
            self.view(t).remove(key)?;
        } else {
            self.view(t).insert(key, &encode_i64(now)[..])?;
        }
        Ok(now)
    }

    pub(super) fn set_number(&self, t: Tree, key: &[u8], v: i64) -> Result<(), TxError> {
        self.view(t).insert(key, &encode_i64(v)[..])?;
        Ok(())
    }

    /// Counts this transaction in `meta` `changes`, the count the high-water
    /// mark is held against (`mark`). `Store::transact_locked` calls it once per
    /// committed transaction.
    pub(super) fn count_change(&self) -> Result<(), TxError> {
        self.add(Tree::Meta, super::mark::CHANGES_KEY, 1)?;
        Ok(())
    }

    /// The next id of a kind: 1, 2, 3 … never reused, even after a refused command
    /// (a refused command rolls the counter back with everything else).
    pub fn next_id(&self, kind: &str) -> Result<u64, TxError> {
        let key = format!("seq/{kind}");
        let n = self.add(Tree::Meta, key.as_bytes(), 1)?;
        Ok(n as u64)
    }
}
