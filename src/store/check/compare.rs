//! The two ways `check` holds a derived tree against the records: the
//! stored tree's digest (one pass, O(1) memory), and, for a tree whose digest
//! differs, the entry-by-entry comparison of the tree with its expected
//! entries, re-derived from the records for that one tree.

use super::digest::{SetDigest, SumDigest};
use super::{CheckReport, entries, note};
use crate::domain::*;
use crate::store::codec::{Record, decode, decode_i64, encode_i64};
use crate::store::derived::{Indexed, entry_effects};
use crate::store::{Store, StoreError, Tree, show};
use std::collections::BTreeMap;

/// The digest of what an index tree stores, read to its end.
pub(super) fn stored_set(store: &Store, t: Tree) -> Result<SetDigest, StoreError> {
    let mut d = SetDigest::default();
    for item in entries(store, t) {
        let (k, v) = item?;
        d.add(&k, &v);
    }
    Ok(d)
}

/// The digest of what a totals tree stores, and how many entries it has;
/// `each` sees every stored total that is a number.
pub(super) fn stored_sums(
    store: &Store,
    t: Tree,
    mut each: impl FnMut(&[u8], i64),
) -> Result<(SumDigest, u64), StoreError> {
    let mut d = SumDigest::default();
    let mut n = 0u64;
    for item in entries(store, t) {
        let (k, v) = item?;
        n += 1;
        match decode_i64(t, &k, &v) {
            Ok(0) | Err(_) => d.mark_suspect(),
            Ok(total) => {
                d.add(&k, total);
                each(&k, total);
            }
        }
    }
    Ok((d, n))
}

/// Every record of a kind that decodes, without counting or noting anything
/// (the first pass did both).
fn each_record<R: Record>(store: &Store, mut each: impl FnMut(&R)) -> Result<(), StoreError> {
    for item in entries(store, R::TREE) {
        let (k, v) = item?;
        if let Ok(record) = decode::<R>(&k, &v) {
            each(&record);
        }
    }
    Ok(())
}

fn index_of<R: Indexed>(
    store: &Store,
    t: Tree,
    want: &mut BTreeMap<Vec<u8>, Vec<u8>>,
) -> Result<(), StoreError> {
    each_record::<R>(store, |r| {
        for (tree, k, v) in r.index_entries() {
            if tree == t {
                want.insert(k, v);
            }
        }
    })
}

/// The entries an index tree should hold, from the one record kind it
/// indexes.
pub(super) fn derive_index(
    store: &Store,
    t: Tree,
) -> Result<BTreeMap<Vec<u8>, Vec<u8>>, StoreError> {
    let mut want = BTreeMap::new();
    match t {
        Tree::IxMemberUnit | Tree::IxMemberKey | Tree::IxMemberIdno => {
            index_of::<Member>(store, t, &mut want)?
        }
        Tree::IxLedgerMember | Tree::IxLedgerReversed | Tree::IxLedgerDate => {
            index_of::<PointsEntry>(store, t, &mut want)?
        }
        Tree::IxTaskDue => index_of::<Task>(store, t, &mut want)?,
        Tree::IxPairingMember | Tree::IxPairingBenef => index_of::<Pairing>(store, t, &mut want)?,
        Tree::IxRuleCode => index_of::<PointsRule>(store, t, &mut want)?,
        Tree::IxAttendMember | Tree::IxUnexcused => index_of::<Attendance>(store, t, &mut want)?,
        Tree::IxPendingOpen | Tree::IxApprovedEntry | Tree::IxPendingFor => {
            index_of::<PendingEntry>(store, t, &mut want)?
        }
        Tree::IxTermCurrent => each_record::<Term>(store, |term| {
            if term.ended.is_none() {
                let (k, v) = crate::store::orglife::current_term_entry(term);
                want.insert(k, v);
            }
        })?,
        _ => {}
    }
    Ok(want)
}

/// A totals tree's totals by key, summed over the ledger, zeros included.
pub(super) fn derive_totals(store: &Store, t: Tree) -> Result<BTreeMap<Vec<u8>, i64>, StoreError> {
    let mut totals: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    each_record::<PointsEntry>(store, |entry| {
        for (tree, k, delta) in entry_effects(entry) {
            if tree == t {
                let total = totals.entry(k).or_default();
                *total = total.wrapping_add(delta);
            }
        }
    })?;
    Ok(totals)
}

/// The stored values of totals: the non-zero ones, encoded.
pub(super) fn encoded(totals: BTreeMap<Vec<u8>, i64>) -> BTreeMap<Vec<u8>, Vec<u8>> {
    totals
        .into_iter()
        .filter(|(_, v)| *v != 0)
        .map(|(k, v)| (k, encode_i64(v).to_vec()))
        .collect()
}

/// Merges the sorted expected entries with the sorted tree and notes every
/// missing, extra or different entry.
pub(super) fn compare(
    store: &Store,
    t: Tree,
    want: BTreeMap<Vec<u8>, Vec<u8>>,
    report: &mut CheckReport,
) -> Result<(), StoreError> {
    let mut want = want.into_iter().peekable();
    let mut have = entries(store, t);
    let mut next_have = have.next().transpose()?;
    loop {
        match (want.peek(), &next_have) {
            (None, None) => return Ok(()),
            (Some((wk, wv)), Some((hk, hv))) if wk.as_slice() == hk.as_ref() => {
                report.derived += 1;
                if wv.as_slice() != hv.as_ref() {
                    note(
                        report,
                        format!(
                            "`{}` at key {}: stored value differs from the records",
                            t.name(),
                            show(hk)
                        ),
                        format!(
                            "`{}` 中键 {} 处：存的值与记录推出的不同",
                            t.name(),
                            show(hk)
                        ),
                    );
                }
                want.next();
                next_have = have.next().transpose()?;
            }
            (Some((wk, _)), Some((hk, _))) if wk.as_slice() < hk.as_ref() => {
                note(
                    report,
                    format!("`{}` is missing key {}", t.name(), show(wk)),
                    format!("`{}` 缺少键 {}", t.name(), show(wk)),
                );
                want.next();
            }
            (Some((wk, _)), None) => {
                note(
                    report,
                    format!("`{}` is missing key {}", t.name(), show(wk)),
                    format!("`{}` 缺少键 {}", t.name(), show(wk)),
                );
                want.next();
            }
            (_, Some((hk, _))) => {
                note(
                    report,
                    format!(
                        "`{}` has key {} that no record explains",
                        t.name(),
                        show(hk)
                    ),
                    format!("`{}` 中的键 {} 没有记录与之对应", t.name(), show(hk)),
                );
                next_have = have.next().transpose()?;
            }
        }
    }
}
