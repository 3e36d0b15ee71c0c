//! The store's reads by tree and key bytes: the primitives the typed reads
//! (`reads`), `check`, migrations and snapshots are made of. Private to the
//! store — nothing above it names a tree or builds a key.

use super::codec::{Record, decode, decode_i64, read_u64};
use super::{Store, StoreError, Tree, damage};
use sled::IVec;
use std::ops::Bound;

/// One key and value as a raw scan yields them.
pub(super) type RawItem = Result<(IVec, IVec), StoreError>;

impl Store {
    /// The bytes stored under `key`.
    pub(super) fn raw_get(&self, t: Tree, key: &[u8]) -> Result<Option<IVec>, StoreError> {
        self.local.trees[t.index()]
            .get(key)
            .map_err(|e| damage::from_sled(Some(&self.path), Some(t), e))
    }

    /// Keys and values between two bounds, in key order or (`rev`) last first.
    /// A scan ends after its first error and names damage (`damage::Scan`),
    /// so even a caller that skips errors comes to the end.
    pub(super) fn raw_range(
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

    pub(super) fn raw_prefix(
        &self,
        t: Tree,
        prefix: &[u8],
        rev: bool,
    ) -> Box<dyn Iterator<Item = RawItem> + '_> {
        let (from, to) = prefix_bounds(prefix);
        self.raw_range(t, from, to, rev)
    }

    pub(super) fn get<R: Record>(&self, key: &[u8]) -> Result<Option<R>, StoreError> {
        match self.raw_get(R::TREE, key)? {
            Some(bytes) => decode(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    pub(super) fn scan_prefix<R: Record>(
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
    pub(super) fn count(&self, t: Tree) -> usize {
        self.raw_range(t, Bound::Unbounded, Bound::Unbounded, false)
            .take_while(Result::is_ok)
            .count()
    }

    /// Entries in a tree, or why they cannot all be read.
    pub(super) fn try_count(&self, t: Tree) -> Result<usize, StoreError> {
        let mut n = 0;
        for item in self.raw_range(t, Bound::Unbounded, Bound::Unbounded, false) {
            item?;
            n += 1;
        }
        Ok(n)
    }

    /// Ids stored at byte `at` of each key of an index under `prefix`.
    pub(super) fn index_ids(
        &self,
        t: Tree,
        prefix: &[u8],
        at: usize,
    ) -> Result<Vec<u64>, StoreError> {
        self.keys(t, prefix).map(|k| read_u64(t, &k?, at)).collect()
    }

    pub(super) fn number(&self, t: Tree, key: &[u8]) -> Result<Option<i64>, StoreError> {
        match self.raw_get(t, key)? {
            Some(v) => decode_i64(t, key, &v).map(Some),
            None => Ok(None),
        }
    }

    /// `(key, value)` of every number under `prefix`, in key order.
    pub(super) fn numbers(
        &self,
        t: Tree,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<(IVec, i64), StoreError>> + use<'_> {
        self.raw_prefix(t, prefix, false).map(move |item| {
            let (k, v) = item?;
            let n = decode_i64(t, &k, &v)?;
            Ok((k, n))
        })
    }

    /// Raw keys of a tree under a prefix (index scans that need more than one id).
    pub(super) fn keys(
        &self,
        t: Tree,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<IVec, StoreError>> + use<'_> {
        self.raw_prefix(t, prefix, false)
            .map(|item| item.map(|(k, _)| k))
    }

    /// Raw keys of a tree in `[from, to)` (date-ordered index scans).
    pub(super) fn range_keys(
        &self,
        t: Tree,
        from: &[u8],
        to: &[u8],
    ) -> impl Iterator<Item = Result<IVec, StoreError>> + use<'_> {
        self.raw_range(
            t,
            Bound::Included(from.to_vec()),
            Bound::Excluded(to.to_vec()),
            false,
        )
        .map(|item| item.map(|(k, _)| k))
    }
}

/// The bounds of the keys that start with `prefix`: from the prefix itself up
/// to the first key past all of them (the prefix with its last byte that is not
/// 0xff incremented), or to the end when there is no such key.
pub(super) fn prefix_bounds(prefix: &[u8]) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
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
}
