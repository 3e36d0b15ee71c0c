//! Schema versions and the migration hook run on every open.
//!
//! `meta/schema` holds the version a store was last written by. Opening runs each
//! migration from that version up to `SCHEMA_VERSION`, each in one transaction
//! that also bumps the version, so a crash mid-way resumes at the right step.
//! A store newer than this build is refused rather than misread.

use super::codec::{INDEX_VALUE, decode, encode_i64};
use super::derived::ledger_date_key;
use super::{SCHEMA_VERSION, Store, StoreError, Tree};
use crate::domain::PointsEntry;

const SCHEMA_KEY: &[u8] = b"schema";

/// A step that brings a store from `from` to `from + 1`.
struct Migration {
    from: i64,
    run: fn(&Store) -> Result<(), StoreError>,
}

const MIGRATIONS: &[Migration] = &[Migration {
    from: 1,
    run: index_ledger_by_date,
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
        .tree(Tree::Meta)
        .insert(SCHEMA_KEY, &encode_i64(v)[..])?;
    store.sync()
}

/// Version 2 adds `ix_ledger_date`. Writing a marker twice is harmless, so the
/// step is done in batches rather than one transaction over a million entries:
/// a crash part-way leaves the version at 1 and the next open starts it again.
fn index_ledger_by_date(store: &Store) -> Result<(), StoreError> {
    const CHUNK: usize = 10_000;
    let index = store.tree(Tree::IxLedgerDate);
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for item in store.tree(Tree::Ledger).iter() {
        let (k, v) = item?;
        let entry: PointsEntry = decode(&k, &v)?;
        batch.insert(ledger_date_key(entry.date, entry.id), &INDEX_VALUE[..]);
        pending += 1;
        if pending == CHUNK {
            index.apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    index.apply_batch(batch)?;
    store.sync()
}
