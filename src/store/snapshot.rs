//! Raw copies of every tree, for backups: a snapshot read under the writer
//! lock (no command can write between its first and last key, so it is
//! consistent), and loading such a copy into an empty store. The file format
//! a backup is written in belongs to `io::backup`; this is the sled side.

use super::{Store, StoreError, Tree};

/// What a snapshot hands its visitor, tree by tree, in key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snap<'a> {
    Tree(&'static str),
    Entry(&'a [u8], &'a [u8]),
    TreeEnd,
}

impl Tree {
    pub fn from_name(name: &str) -> Option<Tree> {
        Tree::ALL.iter().copied().find(|t| t.name() == name)
    }
}

/// Entries loaded per sled batch.
const LOAD_BATCH: usize = 10_000;

impl Store {
    /// Visits every tree and every key/value while holding the writer lock.
    pub fn snapshot<E: From<StoreError>>(
        &self,
        visit: &mut dyn FnMut(Snap<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let _guard = self.write_guard();
        for t in Tree::ALL {
            visit(Snap::Tree(t.name()))?;
            for item in self.tree(t).iter() {
                let (k, v) = item.map_err(StoreError::from)?;
                visit(Snap::Entry(&k, &v))?;
            }
            visit(Snap::TreeEnd)?;
        }
        Ok(())
    }

    /// A loader of raw entries into this store, which must hold no records yet.
    pub fn raw_loader(&self) -> RawLoader<'_> {
        RawLoader {
            store: self,
            tree: None,
            batch: sled::Batch::default(),
            pending: 0,
        }
    }
}

/// Writes raw entries tree by tree in sled batches; `finish` makes them durable.
pub struct RawLoader<'a> {
    store: &'a Store,
    tree: Option<Tree>,
    batch: sled::Batch,
    pending: usize,
}

impl RawLoader<'_> {
    pub fn start_tree(&mut self, tree: Tree) -> Result<(), StoreError> {
        self.flush()?;
        self.tree = Some(tree);
        Ok(())
    }

    pub fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.batch.insert(key, value);
        self.pending += 1;
        if self.pending >= LOAD_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.pending > 0
            && let Some(t) = self.tree
        {
            self.store
                .tree(t)
                .apply_batch(std::mem::take(&mut self.batch))?;
        }
        self.pending = 0;
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), StoreError> {
        self.flush()?;
        self.store.sync()
    }
}
