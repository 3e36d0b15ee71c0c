//! Schema versions and the migration hook run on every open.
//!
//! `meta/schema` holds the version a store was last written by. Opening runs each
//! migration from that version up to `SCHEMA_VERSION`, each in one transaction
//! that also bumps the version, so a crash mid-way resumes at the right step.
//! A store newer than this build is refused rather than misread.

use super::codec::{INDEX_VALUE, decode, encode_i64};
use super::derived::{entry_effects, ledger_date_key};
use super::{SCHEMA_VERSION, Store, StoreError, Tree};
use crate::domain::PointsEntry;
use std::collections::BTreeMap;

const SCHEMA_KEY: &[u8] = b"schema";

/// A step that brings a store from `from` to `from + 1`.
struct Migration {
    from: i64,
    run: fn(&Store) -> Result<(), StoreError>,
}

const MIGRATIONS: &[Migration] = &[Migration {
    from: 1,
    run: derive_date_index_and_year_totals,
}];

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
    for item in store.tree(Tree::Ledger)?.iter() {
        let (k, v) = item?;
        let entry: PointsEntry = decode(&k, &v)?;
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
