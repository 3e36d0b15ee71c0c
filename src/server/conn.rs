//! One client connection: who it is (peer credentials), then request after
//! request until it closes. A frame that cannot be read is answered with an
//! error and the connection closed; the server goes on.

use super::Shared;
use super::rules::Reader;
use super::writer::Job;
use crate::ops::Actor;
use crate::ops::remote::{Notice, OpAnswer, OpRequest, Refusal};
use crate::store::wire::{self, FrameError, PAGE_BYTES, PAGE_ITEMS, Request, Response};
use crate::store::{StoreError, Tree};
use std::io::Read;
use std::ops::Bound;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// Says why and closes.
pub(super) fn refuse(mut stream: UnixStream, why: &str) {
    let _ = wire::write_frame(&mut stream, &Response::Error(why.to_string()));
}

/// The OS login of the process at the other end of the socket.
fn peer_login(stream: &UnixStream) -> Result<String, String> {
    use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
    let creds =
        getsockopt(stream, PeerCredentials).map_err(|e| format!("no peer credentials: {e}"))?;
    let uid = nix::unistd::Uid::from_raw(creds.uid());
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => Ok(user.name),
        Ok(None) => Err(format!("user id {uid} has no entry in the user database")),
        Err(e) => Err(format!("cannot look up user id {uid}: {e}")),
    }
}

/// A client that stops reading its answers (or notices) is dropped after this
/// long, so it can hold up neither its thread nor a clean stop.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) fn serve(shared: &Arc<Shared>, mut stream: UnixStream, client: u64) {
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let login = match peer_login(&stream) {
        Ok(login) => login,
        Err(why) => return refuse(stream, &why),
    };
    loop {
        let req = match wire::read_frame::<Request>(&mut stream) {
            Ok(req) => req,
            Err(FrameError::Closed | FrameError::Io(_)) => return,
            Err(bad) => return refuse(stream, &format!("refused a bad frame: {bad}")),
        };
        // Who this is, now: every request is authorised for the user as the
        // store has them at this moment.
        let actor = match shared.actor(&login) {
            Ok(actor) => actor,
            Err(e) => return refuse(stream, &e.to_string()),
        };
        let answer = match req {
            Request::Hello => Response::Welcome {
                client,
                login: login.clone(),
            },
            Request::Subscribe => {
                if wire::write_frame(
                    &mut stream,
                    &Response::Welcome {
                        client,
                        login: login.clone(),
                    },
                )
                .is_err()
                {
                    return;
                }
                return feed(shared, stream, &login);
            }
            Request::Op(bytes) => match wire::decode_value::<OpRequest>(&bytes) {
                Ok(op) => match answer_op(shared, &actor, client, op) {
                    Ok(answer) => Response::Op(answer),
                    Err(e) => Response::Error(e.to_string()),
                },
                Err(e) => return refuse(stream, &format!("refused a bad request: {e}")),
            },
            Request::Backup => match super::backup::answer(shared, &actor, &mut stream) {
                Ok(()) => continue,
                Err(_) => return,
            },
            other => read(shared, &actor, other).unwrap_or_else(|e| Response::Error(e.to_string())),
        };
        if wire::write_frame(&mut stream, &answer).is_err() {
            return;
        }
    }
}

fn answer_op(
    shared: &Shared,
    actor: &Actor,
    client: u64,
    op: OpRequest,
) -> Result<Vec<u8>, StoreError> {
    let answer = match op {
        OpRequest::WhoAmI => OpAnswer::Actor(actor.clone()),
        OpRequest::Apply { cmds, batch } if !batch && cmds.len() != 1 => {
            OpAnswer::Refused(Refusal::Refused(crate::ops::Said::new(
                "one command at a time, or a batch",
                "一次一条命令，或作为一批",
            )))
        }
        OpRequest::Apply { cmds, batch } => {
            let (reply, answer) = mpsc::channel();
            let job = Job {
                actor: actor.clone(),
                client,
                cmds,
                batch,
                reply,
            };
            let queued = match &*shared.jobs.lock().unwrap_or_else(|p| p.into_inner()) {
                Some(jobs) => jobs.send(job).is_ok(),
                None => false,
            };
            let stopped = || StoreError::Server("the server is stopping".into());
            if !queued {
                return Err(stopped());
            }
            answer.recv().map_err(|_| stopped())?
        }
    };
    wire::encode_value(&answer)
}

/// Answers a read through the read rules.
fn read(shared: &Shared, actor: &Actor, req: Request) -> Result<Response, StoreError> {
    let store = &shared.store;
    let mut reader = Reader::new(store, actor);
    Ok(match req {
        Request::Get { tree, key } => match store.raw_get(tree, &key)? {
            Some(v) => Response::Value(reader.value(tree, &key, &v)?),
            None => Response::Value(None),
        },
        Request::Count { tree } => Response::Count(store.count(tree) as u64),
        Request::Scan {
            tree,
            from,
            to,
            rev,
        } => page(&mut reader, store, tree, from, to, rev)?,
        Request::Check => {
            if actor.role != crate::domain::Role::CommitteeAdmin {
                return Err(StoreError::Server(format!(
                    "only a committee admin may check the store; `{}` is {}",
                    actor.login,
                    actor.role.name_en()
                )));
            }
            // Writers wait: a check that reads the ledger before a commit and
            // its indexes after it would report problems that are not there.
            let _writers_wait = store.write_guard();
            Response::Check(crate::store::check(store)?)
        }
        Request::Hello | Request::Subscribe | Request::Op(_) | Request::Backup => {
            return Err(StoreError::Server("not a read".into()));
        }
    })
}

/// One page of a scan: entries the reader may see, until the page is full.
fn page(
    reader: &mut Reader,
    store: &crate::store::Store,
    tree: Tree,
    from: Bound<Vec<u8>>,
    to: Bound<Vec<u8>>,
    rev: bool,
) -> Result<Response, StoreError> {
    let mut items = Vec::new();
    if is_empty_range(&from, &to) {
        return Ok(Response::Page {
            items,
            resume: None,
        });
    }
    let mut bytes = 0;
    let mut looked = 0;
    for item in store.raw_range(tree, from, to, rev) {
        let (k, v) = item?;
        bytes += k.len() + v.len();
        looked += 1;
        if let Some(v) = reader.value(tree, &k, &v)? {
            items.push((k.to_vec(), v));
        }
        // Entries withheld count too, so a page never scans without end.
        if bytes >= PAGE_BYTES || looked >= PAGE_ITEMS {
            return Ok(Response::Page {
                items,
                resume: Some(k.to_vec()),
            });
        }
    }
    Ok(Response::Page {
        items,
        resume: None,
    })
}

/// Whether no key can lie between the bounds (asked of sled, such a range is
/// not something to rely on).
fn is_empty_range(from: &Bound<Vec<u8>>, to: &Bound<Vec<u8>>) -> bool {
    match (from, to) {
        (Bound::Included(a), Bound::Included(b)) => a > b,
        (Bound::Included(a) | Bound::Excluded(a), Bound::Excluded(b))
        | (Bound::Excluded(a), Bound::Included(b)) => a >= b,
        _ => false,
    }
}

/// A subscribed connection: every notice, as this user may see it, until the
/// client goes away or the server stops.
fn feed(shared: &Arc<Shared>, mut stream: UnixStream, login: &str) {
    let (tx, rx) = mpsc::channel::<Arc<Notice>>();
    shared
        .subscribers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(super::Subscriber { tx });
    loop {
        let notice = match rx.recv_timeout(Duration::from_secs(2)) {
            Ok(n) => n,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if closed(&mut stream) {
                    return;
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        // The reader's rights as of this notice.
        let Ok(actor) = shared.actor(login) else {
            return refuse(stream, "no longer a user of this store");
        };
        let shown = match Reader::new(&shared.store, &actor).notice(&notice) {
            Ok(Some(n)) => n,
            Ok(None) => continue,
            Err(_) => continue,
        };
        let Ok(bytes) = wire::encode_value(&shown) else {
            continue;
        };
        if wire::write_frame(&mut stream, &Response::Notice(bytes)).is_err() {
            return;
        }
    }
}

/// Whether the client of a quiet subscribed connection has gone (it sends
/// nothing after subscribing, so end-of-file is the only thing to read).
fn closed(stream: &mut UnixStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut byte = [0u8; 1];
    let gone =
        !matches!(stream.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    let _ = stream.set_nonblocking(false);
    gone
}
