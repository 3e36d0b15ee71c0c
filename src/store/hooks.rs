//! Test hooks: raw bytes in and out of a tree named as the store's files name
//! it (`members`, `ix_member_unit`, `meta` …), bypassing every rule. Tests
//! that damage a store on purpose, or that fake one written by an older
//! dangjian, use them; nothing in the product calls them, and nothing above
//! the store may (the source-tree test in `tests/layers.rs` holds the product
//! to that). Kept `pub` only because integration tests are another crate.

use super::codec::{self, MemberDataV1, MemberV1};
use super::{Store, StoreError, Tree};
use crate::domain::{Member, PartialDate};

/// One raw key/value of a tree, as `dump` returns it.
pub type RawEntry = (&'static str, Vec<u8>, Vec<u8>);

fn named(tree: &str) -> Result<Tree, StoreError> {
    Tree::from_name(tree).ok_or_else(|| StoreError::NoSuchTree(tree.to_string()))
}

impl Store {
    /// Test hook: writes `value` under `key` in the tree named `tree`.
    #[doc(hidden)]
    pub fn raw_put(&self, tree: &str, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.tree(named(tree)?)?.insert(key, value)?;
        self.raw_written();
        Ok(())
    }

    /// Test hook: writes a number (a balance, a count, `meta` `schema`) as the
    /// store keeps numbers.
    #[doc(hidden)]
    pub fn raw_put_number(&self, tree: &str, key: &[u8], n: i64) -> Result<(), StoreError> {
        self.raw_put(tree, key, &codec::encode_i64(n))
    }

    /// Test hook: writes into a tree this build does not keep (one an older
    /// dangjian kept), to fake such a store.
    #[doc(hidden)]
    pub fn raw_put_old_tree(&self, tree: &str, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.local.db.open_tree(tree)?.insert(key, value)?;
        self.raw_written();
        Ok(())
    }

    /// Test hook: the names of every tree in the files, kept or not.
    #[doc(hidden)]
    pub fn raw_tree_names(&self) -> Vec<String> {
        self.local
            .db
            .tree_names()
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect()
    }

    /// Test hook: removes `key` from the tree named `tree`.
    #[doc(hidden)]
    pub fn raw_remove(&self, tree: &str, key: &[u8]) -> Result<(), StoreError> {
        self.tree(named(tree)?)?.remove(key)?;
        self.raw_written();
        Ok(())
    }

    /// Test hook: writes `member` as format version 1 stored members (before
    /// join dates could be months: a month-only date is written as its first
    /// day), to fake a store of an older dangjian. Index entries are left as
    /// they are.
    #[doc(hidden)]
    pub fn raw_put_member_v1(&self, member: &Member) -> Result<(), StoreError> {
        let day = |d: Option<PartialDate>| d.map(PartialDate::first_day);
        let d = member.data.clone();
        let old = MemberV1 {
            id: member.id,
            data: MemberDataV1 {
                name: d.name,
                gender: d.gender,
                birth_date: d.birth_date,
                id_number: d.id_number,
                phone: d.phone,
                address: d.address,
                unit: d.unit,
                category: d.category,
                home_unit: d.home_unit,
                reported: d.reported,
                joined: day(d.joined),
                full_member: day(d.full_member),
                skills: d.skills,
                posts: d.posts,
                status: d.status,
                notes: d.notes,
            },
        };
        let bytes = codec::encode(&old)?;
        self.tree(Tree::Members)?
            .insert(codec::be(member.id.0), bytes)?;
        self.raw_written();
        Ok(())
    }

    /// Test hook: every key and value of every tree, for tests that compare
    /// whole stores.
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
}
