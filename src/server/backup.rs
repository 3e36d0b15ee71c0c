//! `Request::Backup`: the server's side of `dangjian backup` on a served
//! store. Only a committee admin of the whole community may have one (a
//! backup holds every ID number); anyone else is told so. The plaintext backup
//! is written by `io::backup::write_to` on the server's own store, under its
//! writer lock as a local backup is, and sent as it is made in
//! `Chunk` frames of `CHUNK` bytes, then `End`. The client
//! seals it and writes the file; nothing of it is kept here.

use super::Shared;
use crate::domain::Role;
use crate::ops::Actor;
use crate::store::wire::{self, CHUNK, FrameError, Response};
use std::io::Write;
use std::os::unix::net::UnixStream;

/// Answers one backup request. `Err`: the connection is unusable (the client
/// went away mid-stream), so the caller closes it.
pub(super) fn answer(
    shared: &Shared,
    actor: &Actor,
    stream: &mut UnixStream,
) -> Result<(), FrameError> {
    if actor.role != Role::CommitteeAdmin || actor.scope.is_some() {
        let why = format!(
            "only a committee admin may back up the whole store; `{}` is {} / \
             只有党委管理员可以备份整个数据库；`{}` 是{}",
            actor.login,
            actor.role.name_en(),
            actor.login,
            actor.role.name_zh()
        );
        return wire::write_frame(stream, &Response::Error(why));
    }
    let mut frames = Frames {
        stream,
        buf: Vec::with_capacity(CHUNK),
        broken: None,
    };
    match crate::io::backup::write_to(&shared.store, &mut frames) {
        Ok(info) => {
            frames.send()?;
            wire::write_frame(
                frames.stream,
                &Response::End {
                    entries: info.entries,
                    bytes: info.bytes,
                },
            )
        }
        Err(e) => match frames.broken.take() {
            Some(broken) => Err(broken),
            // The store failed: say so, and the connection goes on.
            None => wire::write_frame(frames.stream, &Response::Error(e.to_string())),
        },
    }
}

/// A writer that sends what it is given as `Chunk` frames.
struct Frames<'a> {
    stream: &'a mut UnixStream,
    buf: Vec<u8>,
    /// Why sending failed, to tell a gone client from a failing store.
    broken: Option<FrameError>,
}

impl Frames<'_> {
    fn send(&mut self) -> Result<(), FrameError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Response::Chunk(std::mem::take(&mut self.buf));
        let sent = wire::write_frame(self.stream, &chunk);
        if let Response::Chunk(mut buf) = chunk {
            // The same allocation, for the next chunk.
            buf.clear();
            self.buf = buf;
        }
        sent
    }
}

impl Write for Frames<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let room = CHUNK - self.buf.len();
        let n = bytes.len().min(room);
        self.buf.extend_from_slice(&bytes[..n]);
        if self.buf.len() >= CHUNK
            && let Err(e) = self.send()
        {
            let io = std::io::Error::other(e.to_string());
            self.broken = Some(e);
            return Err(io);
        }
        Ok(n)
    }

    /// Chunks go when full and at the end, not on every flush.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
