//! One client connection: request after request until it closes. Who it is
//! was settled when it was accepted (peer credentials, `admit`); what each
//! request may do is decided afresh for the user as the store has them now.
//! A frame that cannot be read is answered with an error and the connection
//! closed; the server goes on.

use super::Shared;
use super::writer::Job;
use crate::ops::Actor;
use crate::ops::remote::{Notice, OpAnswer, OpRequest, Refusal};
use crate::store::StoreError;
use crate::store::wire::{self, FrameError, PART_BYTES, Request, Response};
use std::io::Read;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// Says why and closes.
pub(super) fn refuse(mut stream: UnixStream, why: &str) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = wire::write_frame(&mut stream, &Response::Error(why.to_string()));
}

/// The OS login of the process at the other end of the socket.
pub(super) fn peer_login(stream: &UnixStream) -> Result<String, String> {
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

pub(super) fn serve(shared: &Arc<Shared>, mut stream: UnixStream, client: u64, login: String) {
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    loop {
        let req = match read_request(shared, &mut stream) {
            Ok(req) => req,
            Err(FrameError::Closed | FrameError::Io(_)) => return,
            Err(bad) => return refuse(stream, &format!("{}: {bad}", wire::REFUSED_FRAME)),
        };
        // Who this is, now: a user revoked a moment ago gets nothing more,
        // even on a connection opened before.
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
                let welcome = Response::Welcome {
                    client,
                    login: login.clone(),
                };
                if wire::write_frame(&mut stream, &welcome).is_err() {
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
            Request::Read(bytes) => match wire::decode_value::<crate::access::Read>(&bytes) {
                Ok(read) => match crate::access::answer_read(&shared.store, &actor, read) {
                    Ok(answer) => {
                        if send_answer(&mut stream, answer).is_err() {
                            return;
                        }
                        continue;
                    }
                    Err(e) => Response::Error(e.to_string()),
                },
                Err(e) => return refuse(stream, &format!("refused a bad request: {e}")),
            },
            Request::Backup => match super::backup::answer(shared, &actor, &mut stream) {
                Ok(()) => continue,
                Err(_) => return,
            },
            Request::Export(bytes) => match wire::decode_value::<crate::access::ExportQ>(&bytes) {
                Ok(q) => match super::export::answer(shared, &actor, &mut stream, q) {
                    Ok(()) => continue,
                    Err(_) => return,
                },
                Err(e) => return refuse(stream, &format!("refused a bad request: {e}")),
            },
            Request::Leave => match super::auto::agree_to_leave(shared, &actor, &login) {
                Ok(()) => {
                    if wire::write_frame(&mut stream, &Response::Leaving).is_ok() {
                        // Closed once the files are released (`auto::run`).
                        shared
                            .leaving
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(stream);
                    }
                    return;
                }
                Err(why) => Response::Error(why),
            },
            Request::Bye => {
                let last = super::auto::last_one_out(shared);
                let answer = if last {
                    Response::Leaving
                } else {
                    Response::Staying
                };
                if wire::write_frame(&mut stream, &answer).is_ok() && last {
                    shared
                        .leaving
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(stream);
                }
                return;
            }
        };
        if wire::write_frame(&mut stream, &answer).is_err() {
            return;
        }
    }
}

/// Waits up to the idle timeout for a request to begin, then reads the rest
/// of it within the read timeout. Stops early when the server is stopping.
fn read_request(shared: &Shared, stream: &mut UnixStream) -> Result<Request, FrameError> {
    let mut first = [0u8; 1];
    let started = std::time::Instant::now();
    // Wake now and then to notice a stop; the idle limit is counted overall.
    stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    loop {
        match stream.read(&mut first) {
            Ok(0) => return Err(FrameError::Closed),
            Ok(_) => break,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if shared.is_stopping() || started.elapsed() >= shared.idle_timeout {
                    return Err(FrameError::Closed);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    stream.set_read_timeout(Some(shared.read_timeout))?;
    wire::read_frame::<Request>(&mut first.as_slice().chain(&mut *stream))
}

/// Sends an encoded answer, in parts when it is larger than one frame.
fn send_answer(stream: &mut UnixStream, answer: Vec<u8>) -> Result<(), FrameError> {
    if answer.len() <= PART_BYTES {
        return wire::write_frame(stream, &Response::Read(answer));
    }
    let mut parts = answer.chunks(PART_BYTES).peekable();
    while let Some(part) = parts.next() {
        let frame = if parts.peek().is_some() {
            Response::ReadPart(part.to_vec())
        } else {
            Response::Read(part.to_vec())
        };
        wire::write_frame(stream, &frame)?;
    }
    Ok(())
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

/// A subscribed connection: every notice this user may hear of, until the
/// client goes away, the user is revoked, or the server stops.
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
        // The listener's rights as of this notice.
        let Ok(actor) = shared.actor(login) else {
            return refuse(stream, "no longer a user of this store");
        };
        let shown = match crate::access::notice_for(&shared.store, &actor, &notice) {
            Ok(Some(n)) => n,
            Ok(None) | Err(_) => continue,
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
