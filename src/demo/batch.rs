//! Group-committed batches of commands: the generator's one way to write,
//! through `ops::apply_batch`, reporting progress as each batch lands.

use crate::ops::{self, Actor, Applied, Command, OpsError};

/// Commands per transaction: large enough that fsyncs don't dominate, small
/// enough that one transaction's write set stays a few megabytes.
pub(super) const BATCH: usize = 2_000;

pub(super) struct Batcher<'a> {
    pub(super) store: &'a crate::store::Store,
    pub(super) actor: &'a Actor,
    pub(super) pending: Vec<Command>,
    pub(super) done: u64,
    pub(super) progress: &'a mut dyn FnMut(u64),
}

impl Batcher<'_> {
    pub(super) fn push(&mut self, cmd: Command) -> Result<(), OpsError> {
        self.pending.push(cmd);
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    pub(super) fn flush(&mut self) -> Result<Vec<Applied>, OpsError> {
        if self.pending.is_empty() {
            return Ok(Vec::new());
        }
        let cmds = std::mem::take(&mut self.pending);
        let applied = ops::apply_batch(self.store, self.actor, &cmds)?;
        self.done += cmds.len() as u64;
        (self.progress)(self.done);
        Ok(applied)
    }

    /// Applies `cmds` now and returns the ids they created, in order.
    pub(super) fn create_all(&mut self, cmds: Vec<Command>) -> Result<Vec<u64>, OpsError> {
        self.flush()?;
        let mut ids = Vec::with_capacity(cmds.len());
        for chunk in cmds.chunks(BATCH) {
            self.pending = chunk.to_vec();
            for a in self.flush()? {
                ids.push(a.created.unwrap_or(0));
            }
        }
        Ok(ids)
    }
}
