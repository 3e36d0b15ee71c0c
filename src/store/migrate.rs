//! Schema versions and the migration hook run on every open.
//!
//! `meta/schema` holds the version a store was last written by. Opening runs each
//! migration from that version up to `SCHEMA_VERSION`, each in one transaction
//! that also bumps the version, so a crash mid-way resumes at the right step.
//! A store newer than this build is refused rather than misread.

use super::codec::encode_i64;
use super::{SCHEMA_VERSION, Store, StoreError, Tree};

const SCHEMA_KEY: &[u8] = b"schema";

/// A step that brings a store from `from` to `from + 1`.
struct Migration {
    from: i64,
    run: fn(&Store) -> Result<(), StoreError>,
}

/// No migrations yet: version 1 is the first layout. The next layout change adds
/// `Migration { from: 1, run: … }` here.
const MIGRATIONS: &[Migration] = &[];

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
