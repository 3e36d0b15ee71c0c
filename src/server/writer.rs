//! The one writer: group commit. It takes every command waiting, applies each
//! in its own transaction (so one refusal spoils nothing else), makes them all
//! durable with one `sync`, and only then answers each client and broadcasts
//! the changes. Twenty clients waiting on one fsync get their answers together.

use super::Shared;
use crate::ops::remote::{Notice, OpAnswer, Refusal};
use crate::ops::{self, Actor, Applied, Command, OpsError};
use std::sync::mpsc;

/// Commands applied before one sync, at most: bounds how long the first
/// client of a group waits behind the others.
const MAX_GROUP: usize = 256;

pub(super) struct Job {
    pub actor: Actor,
    pub client: u64,
    pub cmds: Vec<Command>,
    pub batch: bool,
    pub reply: mpsc::Sender<OpAnswer>,
}

pub(super) fn run(shared: &Shared, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let results: Vec<Result<Vec<Applied>, OpsError>> = group
            .iter()
            .map(|job| {
                if job.batch {
                    ops::apply_batch_pending(&shared.store, &job.actor, &job.cmds)
                } else {
                    job.cmds
                        .iter()
                        .map(|cmd| ops::apply_pending(&shared.store, &job.actor, cmd))
                        .collect()
                }
            })
            .collect();
        let synced = shared.store.sync();
        let at = chrono::Utc::now();
        for (job, result) in group.into_iter().zip(results) {
            let answer = match (&synced, result) {
                (Err(e), _) => OpAnswer::Refused(Refusal::Store(format!(
                    "the change could not be made durable: {e}"
                ))),
                (Ok(()), Err(e)) => OpAnswer::Refused(Refusal::from(&e)),
                (Ok(()), Ok(done)) => {
                    for applied in &done {
                        shared.broadcast(Notice {
                            client: job.client,
                            login: Some(job.actor.login.clone()),
                            at,
                            touched: applied.touched.clone(),
                        });
                    }
                    OpAnswer::Applied(done)
                }
            };
            // A client that went away meanwhile has nobody to tell.
            let _ = job.reply.send(answer);
        }
    }
}
