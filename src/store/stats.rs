//! What each tree holds: its entries and their key and value bytes, for
//! finding where a store's size goes (`cargo bench --bench store_size`).
//! Reads only; the bytes sled keeps beside them (pages, the log, space not
//! yet reclaimed) are the files' size less these sums.

use super::{Store, StoreError, Tree};

/// One tree's entries and bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeStats {
    pub tree: &'static str,
    pub entries: u64,
    pub key_bytes: u64,
    pub value_bytes: u64,
}

impl Store {
    /// Every tree's entries and bytes, in the store's tree order.
    pub fn tree_stats(&self) -> Result<Vec<TreeStats>, StoreError> {
        let mut out = Vec::with_capacity(Tree::ALL.len());
        for t in Tree::ALL {
            let mut s = TreeStats {
                tree: t.name(),
                ..TreeStats::default()
            };
            for item in self.raw_prefix(t, &[], false) {
                let (k, v) = item?;
                s.entries += 1;
                s.key_bytes += k.len() as u64;
                s.value_bytes += v.len() as u64;
            }
            out.push(s);
        }
        Ok(out)
    }
}
