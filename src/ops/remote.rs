//! The ops half of the store server's protocol: commands sent to the server,
//! its answers and refusals, who-am-I, and the change notices it broadcasts.
//! The server applies every command with the actor it derives itself; a
//! client's own idea of who it is never travels.

use super::{Actor, Applied, Command, OpsError, Said, Touched};
use crate::store::StoreError;
use crate::store::remote::Remote;
use crate::store::wire::{decode_value, encode_value};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::mpsc;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OpRequest {
    /// Apply commands: each on its own (`batch: false`, one command) or all or
    /// nothing (`batch: true`).
    Apply {
        cmds: Vec<Command>,
        batch: bool,
    },
    WhoAmI,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OpAnswer {
    /// Applied and durable.
    Applied(Vec<Applied>),
    Actor(Actor),
    Refused(Refusal),
}

/// An `OpsError` as it travels: every message in both languages, so the client
/// says it exactly as a local `apply` would have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Refusal {
    /// A value was invalid (the whole message, field name included).
    Invalid(Said),
    Refused(Said),
    NotFound(Said),
    Forbidden(Said),
    Store(String),
    Batch {
        index: usize,
        error: Box<Refusal>,
    },
}

impl From<&OpsError> for Refusal {
    fn from(e: &OpsError) -> Refusal {
        match e {
            OpsError::Invalid { .. } => {
                Refusal::Invalid(Said::new(e.in_lang(false), e.in_lang(true)))
            }
            OpsError::Refused(s) => Refusal::Refused(s.clone()),
            OpsError::NotFound(s) => Refusal::NotFound(s.clone()),
            OpsError::Forbidden(s) => Refusal::Forbidden(s.clone()),
            OpsError::Store(s) => Refusal::Store(s.to_string()),
            OpsError::Batch { index, error, .. } => Refusal::Batch {
                index: *index,
                error: Box::new(Refusal::from(error.as_ref())),
            },
        }
    }
}

impl Refusal {
    /// Back to an `OpsError`; `cmds` are the commands that were sent, which
    /// name the kind of a refused batch member.
    pub fn into_error(self, cmds: &[Command]) -> OpsError {
        match self {
            // Displayed as "field: problem" in either language, as the original.
            Refusal::Invalid(s) => OpsError::Refused(s),
            Refusal::Refused(s) => OpsError::Refused(s),
            Refusal::NotFound(s) => OpsError::NotFound(s),
            Refusal::Forbidden(s) => OpsError::Forbidden(s),
            Refusal::Store(s) => OpsError::Store(StoreError::Server(s)),
            Refusal::Batch { index, error } => OpsError::Batch {
                index,
                kind: cmds.get(index).map_or("?", Command::kind),
                error: Box::new(error.into_error(cmds)),
            },
        }
    }
}

/// That someone's command was applied, as broadcast after it was durable. It
/// carries what the change touched (ids, never values: whoever hears of it
/// reloads what they show, through reads scoped to them). A reader hears only
/// of changes within their sight, and of whose change it was only when it
/// was their own or they are a committee admin (`access::notice_for`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// The connection that sent the command (`Remote::client_id`).
    pub client: u64,
    pub login: Option<String>,
    pub at: DateTime<Utc>,
    pub touched: Touched,
}

fn ask(server: &Remote, req: &OpRequest) -> Result<OpAnswer, OpsError> {
    let answer = server.op(encode_value(req)?)?;
    Ok(decode_value(&answer)?)
}

/// Sends commands to the server; the answer comes after they are durable.
pub fn apply(server: &Remote, cmds: &[Command], batch: bool) -> Result<Vec<Applied>, OpsError> {
    let req = OpRequest::Apply {
        cmds: cmds.to_vec(),
        batch,
    };
    match ask(server, &req)? {
        OpAnswer::Applied(done) if done.len() == cmds.len() => Ok(done),
        OpAnswer::Refused(r) => Err(r.into_error(cmds)),
        _ => Err(out_of_turn()),
    }
}

/// Who the server takes this connection's user for.
pub fn whoami(server: &Remote) -> Result<Actor, OpsError> {
    match ask(server, &OpRequest::WhoAmI)? {
        OpAnswer::Actor(a) => Ok(a),
        OpAnswer::Refused(r) => Err(r.into_error(&[])),
        OpAnswer::Applied(_) => Err(out_of_turn()),
    }
}

fn out_of_turn() -> OpsError {
    OpsError::Store(StoreError::Connection(
        "the server answered out of turn".into(),
    ))
}

/// Change notices from the store's server, for a view that stays current.
pub struct NoticeFeed {
    rx: mpsc::Receiver<Result<Vec<u8>, StoreError>>,
    /// This process's own connection: its changes are already on its screen.
    pub own_client: u64,
    lost: bool,
}

impl NoticeFeed {
    /// Subscribes to the notices of the store's server.
    pub fn subscribe(server: &Remote) -> Result<NoticeFeed, StoreError> {
        Ok(NoticeFeed {
            rx: server.subscribe()?,
            own_client: server.client_id(),
            lost: false,
        })
    }

    /// Every notice that has arrived, without waiting. An error once, when the
    /// server goes away.
    pub fn pending(&mut self) -> Result<Vec<Notice>, StoreError> {
        let mut out = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(Ok(bytes)) => out.push(decode_value(&bytes)?),
                Ok(Err(e)) => {
                    self.lost = true;
                    return Err(e);
                }
                Err(_) => return Ok(out),
            }
        }
    }

    /// Whether the server has gone (or the connection was let go): no notice
    /// will come any more.
    pub fn lost(&self) -> bool {
        self.lost
    }

    /// Waits up to `timeout` for the next notice.
    pub fn wait(&mut self, timeout: Duration) -> Result<Option<Notice>, StoreError> {
        if self.lost {
            return Ok(None);
        }
        match self.rx.recv_timeout(timeout) {
            Ok(Ok(bytes)) => Ok(Some(decode_value(&bytes)?)),
            Ok(Err(e)) => {
                self.lost = true;
                Err(e)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Ok(None),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.lost = true;
                Ok(None)
            }
        }
    }
}
