//! Schema versions and the migration hook run on every open.
//!
//! `meta/schema` holds the version a store was last written by. Opening runs each
//! migration from that version up to `SCHEMA_VERSION`, each in one transaction
//! that also bumps the version, so a crash mid-way resumes at the right step.
//! A store newer than this build is refused rather than misread.
//!
//! A record that does not decode is left out of what a step derives, not a
//! reason to refuse the store: an open that fails on it would fail on every
//! start, and `check` names it. A tree sled cannot read still stops the step.

use super::codec::{
    INDEX_VALUE, MemberV1, date_from_key, decode, encode, encode_i64, month_number,
};
use super::derived::{
    FIRST_MONTH_KEY, LAST_MONTH_KEY, entry_effects, ledger_date_key, ledger_member_key,
    ledger_member_value, served_month,
};
use super::{SCHEMA_VERSION, Store, StoreError, Tree};
use crate::domain::{Member, MemberId, MemberStatus, PointsEntry};
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;

use super::reads::SCHEMA_KEY;

/// A step that brings a store from `from` to `from + 1`.
struct Migration {
    from: i64,
    run: fn(&Store) -> Result<(), StoreError>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        from: 1,
        run: derive_date_index_and_year_totals,
    },
    Migration {
        from: 2,
        run: derive_month_served_counts,
    },
    Migration {
        from: 3,
        run: members_to_version_2,
    },
    Migration {
        from: 4,
        run: derive_year_deductions,
    },
    Migration {
        from: 5,
        run: drop_member_rule_totals,
    },
];

/// Version 6 no longer keeps `bal_member_rule` (a member's earned total per
/// rule and month, one entry per ledger entry nearly): a cap now sums the
/// member's `ix_ledger_member` range, whose values now carry each entry's
/// rule and earned points (`ledger_member_value`). The index values are
/// derived from the ledger and written in batches, so a crash part-way
/// leaves the version at 5 and the next open does it again.
fn drop_member_rule_totals(store: &Store) -> Result<(), StoreError> {
    const CHUNK: usize = 10_000;
    let index = store.tree(Tree::IxLedgerMember)?;
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for item in store.raw_range(Tree::Ledger, Bound::Unbounded, Bound::Unbounded, false) {
        let (k, v) = item?;
        let Some(entry) = readable(decode::<PointsEntry>(&k, &v))? else {
            continue;
        };
        batch.insert(
            ledger_member_key(entry.member, entry.date, entry.id),
            ledger_member_value(&entry),
        );
        pending += 1;
        if pending == CHUNK {
            index.apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    index.apply_batch(batch)?;
    store.local.db.drop_tree("bal_member_rule")?;
    Ok(())
}

/// Version 5 adds `bal_member_year_deducted`, the deductions part of each
/// member's year total, derived from the whole ledger. The tree is cleared
/// and written whole, so a crash part-way is repaired by the next open.
/// (The other trees of version 5 — settings, pending entries, unexcused
/// absences — start empty in an older store, which is what they hold.)
fn derive_year_deductions(store: &Store) -> Result<(), StoreError> {
    let mut years: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    for item in store.raw_range(Tree::Ledger, Bound::Unbounded, Bound::Unbounded, false) {
        let (k, v) = item?;
        let Some(entry) = readable(decode::<PointsEntry>(&k, &v))? else {
            continue;
        };
        for (t, key, delta) in entry_effects(&entry) {
            if t == Tree::BalMemberYearDeducted {
                *years.entry(key).or_default() += delta;
            }
        }
    }
    let tree = store.tree(Tree::BalMemberYearDeducted)?;
    tree.clear()?;
    let mut batch = sled::Batch::default();
    for (key, total) in years.into_iter().filter(|(_, v)| *v != 0) {
        batch.insert(key, &encode_i64(total)[..]);
    }
    tree.apply_batch(batch)?;
    store.sync()
}

/// Version 4 stores members in format version 2 (join and full-membership
/// dates as `PartialDate`). Each version-1 member is read in the frozen shape
/// and written again; members already at version 2 are left alone, so a
/// crash part-way is finished by the next open. No index changes: none is
/// derived from those dates.
fn members_to_version_2(store: &Store) -> Result<(), StoreError> {
    const CHUNK: usize = 5_000;
    let tree = store.tree(Tree::Members)?;
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for item in tree.iter() {
        let (k, v) = item?;
        if v.first() != Some(&<MemberV1 as super::codec::Record>::VERSION) {
            continue;
        }
        let member: Member = decode::<MemberV1>(&k, &v)?.into();
        batch.insert(k, encode(&member)?);
        pending += 1;
        if pending == CHUNK {
            tree.apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    tree.apply_batch(batch)?;
    store.sync()
}

pub fn run(store: &Store) -> Result<(), StoreError> {
    let stored = store.number(Tree::Meta, SCHEMA_KEY)?;
    let mut version = match stored {
        Some(v) => v,
        None if store.is_empty() => {
            set_version(store, SCHEMA_VERSION)?;
            return Ok(());
        }
        // Data without a version predates versioning: treat it as version 1.
        None => 1,
    };
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    while version < SCHEMA_VERSION {
        if let Some(m) = MIGRATIONS.iter().find(|m| m.from == version) {
            (m.run)(store)?;
        }
        version += 1;
        set_version(store, version)?;
    }
    if stored != Some(version) {
        set_version(store, version)?;
    }
    Ok(())
}

fn set_version(store: &Store, v: i64) -> Result<(), StoreError> {
    store
        .tree(Tree::Meta)?
        .insert(SCHEMA_KEY, &encode_i64(v)[..])?;
    store.sync()
}

/// Version 2 adds `ix_ledger_date` and `bal_member_year`. Both are written as
/// values derived from the whole ledger (never added to), so running the step
/// twice is harmless; that lets it go in batches rather than one transaction
/// over a million entries: a crash part-way leaves the version at 1 and the
/// next open starts it again.
fn derive_date_index_and_year_totals(store: &Store) -> Result<(), StoreError> {
    const CHUNK: usize = 10_000;
    let index = store.tree(Tree::IxLedgerDate)?;
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    let mut years: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    for item in store.raw_range(Tree::Ledger, Bound::Unbounded, Bound::Unbounded, false) {
        let (k, v) = item?;
        let Some(entry) = readable(decode::<PointsEntry>(&k, &v))? else {
            continue;
        };
        for (t, key, delta) in entry_effects(&entry) {
            if t == Tree::BalMemberYear {
                *years.entry(key).or_default() += delta;
            }
        }
        batch.insert(ledger_date_key(entry.date, entry.id), &INDEX_VALUE[..]);
        pending += 1;
        if pending == CHUNK {
            index.apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    index.apply_batch(batch)?;
    let mut batch = sled::Batch::default();
    for (key, total) in years.into_iter().filter(|(_, v)| *v != 0) {
        batch.insert(key, &encode_i64(total)[..]);
    }
    store.tree(Tree::BalMemberYear)?.apply_batch(batch)?;
    store.sync()
}

/// Version 3 adds `cnt_month_served`, counted from the month totals of the
/// active members. The tree is cleared and written whole, so a crash part-way
/// is repaired by the next open running the step again.
fn derive_month_served_counts(store: &Store) -> Result<(), StoreError> {
    let mut inactive: HashSet<MemberId> = HashSet::new();
    for m in store.scan::<Member>() {
        let Some(m) = readable(m)? else {
            continue;
        };
        if m.data.status != MemberStatus::Active {
            inactive.insert(m.id);
        }
    }
    let mut counts: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    for item in store.numbers(Tree::BalMemberMonth, &[]) {
        let Some((key, total)) = readable(item)? else {
            continue;
        };
        if let Some(month) = served_month(&key, total, &|m| !inactive.contains(&m)) {
            *counts.entry(month.to_vec()).or_default() += 1;
        }
    }
    let mut months = store.keys(Tree::IxLedgerDate, &[]);
    let first = months.next().transpose()?;
    let last = store.tree(Tree::IxLedgerDate)?.last()?.map(|(k, _)| k);
    let month_of = |k: &[u8]| {
        k.get(..4)
            .and_then(|b| b.try_into().ok())
            .and_then(date_from_key)
            .map(|d| i64::from(month_number(d)))
    };
    let meta = store.tree(Tree::Meta)?;
    for (key, k) in [(FIRST_MONTH_KEY, first), (LAST_MONTH_KEY, last)] {
        match k.as_deref().and_then(month_of) {
            Some(m) => meta.insert(key, &encode_i64(m)[..])?,
            None => meta.remove(key)?,
        };
    }
    let tree = store.tree(Tree::CntMonthServed)?;
    tree.clear()?;
    let mut batch = sled::Batch::default();
    for (month, count) in counts {
        batch.insert(month, &encode_i64(count)[..]);
    }
    tree.apply_batch(batch)?;
    store.sync()
}

/// A record for a migration step to use: `None` for one that does not decode
/// (left for `check` to name), the error for anything else.
fn readable<T>(decoded: Result<T, StoreError>) -> Result<Option<T>, StoreError> {
    match decoded {
        Ok(t) => Ok(Some(t)),
        Err(StoreError::Corrupt { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
