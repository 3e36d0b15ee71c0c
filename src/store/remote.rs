//! The client side of a store server: a Unix-socket connection that answers the
//! store's reads by asking the server, one request and one answer at a time.
//! The server decides what this user may read; nothing here trusts or claims an
//! identity (the server takes it from the socket's peer credentials).

use super::wire::{self, FrameError, Request, Response};
use super::{CheckReport, RawItem, StoreError, Tree};
use sled::IVec;
use std::collections::VecDeque;
use std::ops::Bound;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;

pub struct Remote {
    stream: Mutex<UnixStream>,
    socket: PathBuf,
    client: u64,
    login: String,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("socket", &self.socket)
            .field("client", &self.client)
            .finish()
    }
}

impl Remote {
    /// Connects and says hello. `Ok(None)`: nobody listens at `socket`.
    pub fn connect(socket: &Path) -> Result<Option<Remote>, StoreError> {
        let Some((stream, client, login)) = open(socket)? else {
            return Ok(None);
        };
        Ok(Some(Remote {
            stream: Mutex::new(stream),
            socket: socket.to_path_buf(),
            client,
            login,
        }))
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The number the server gave this connection (notices of its own changes
    /// carry it).
    pub fn client_id(&self) -> u64 {
        self.client
    }

    /// The OS login the server sees this connection as.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// One request, one answer. An `Error` answer becomes `StoreError::Server`.
    pub fn call(&self, req: &Request) -> Result<Response, StoreError> {
        let mut stream = self.stream.lock().unwrap_or_else(|p| p.into_inner());
        exchange(&mut stream, req)
    }

    pub fn get(&self, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.call(&Request::Get {
            tree,
            key: key.to_vec(),
        })? {
            Response::Value(v) => Ok(v),
            other => Err(unexpected(&other)),
        }
    }

    pub fn count(&self, tree: Tree) -> Result<u64, StoreError> {
        match self.call(&Request::Count { tree })? {
            Response::Count(n) => Ok(n),
            other => Err(unexpected(&other)),
        }
    }

    pub fn check(&self) -> Result<CheckReport, StoreError> {
        match self.call(&Request::Check)? {
            Response::Check(report) => Ok(report),
            other => Err(unexpected(&other)),
        }
    }

    /// A request of the layers above, as they encoded it; their answer.
    pub fn op(&self, payload: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        match self.call(&Request::Op(payload))? {
            Response::Op(answer) => Ok(answer),
            other => Err(unexpected(&other)),
        }
    }

    /// Asks for a backup of the whole store (committee admins only). The
    /// server streams the plaintext backup, read under its writer lock, as
    /// the parts `BackupStream::next_part` hands out in order.
    pub fn backup(&self) -> Result<BackupStream<'_>, StoreError> {
        let mut stream = self.stream.lock().unwrap_or_else(|p| p.into_inner());
        wire::write_frame(&mut *stream, &Request::Backup).map_err(lost)?;
        Ok(BackupStream {
            stream,
            done: false,
        })
    }

    /// A lazily paged scan.
    pub fn scan(
        &self,
        tree: Tree,
        from: Bound<Vec<u8>>,
        to: Bound<Vec<u8>>,
        rev: bool,
    ) -> Scan<'_> {
        Scan {
            remote: self,
            tree,
            from,
            to,
            rev,
            buffer: VecDeque::new(),
            done: false,
        }
    }

    /// Opens a second connection that carries change notices, read by a thread
    /// into the returned channel (each notice as the bytes the layer above
    /// encoded). The thread ends when the server goes away or the receiver is
    /// dropped; a lost server arrives as one `Err`.
    pub fn subscribe(&self) -> Result<mpsc::Receiver<Result<Vec<u8>, StoreError>>, StoreError> {
        let Some((mut stream, _, _)) = open(&self.socket)? else {
            return Err(StoreError::Connection("the server is gone".into()));
        };
        match exchange(&mut stream, &Request::Subscribe)? {
            Response::Welcome { .. } => {}
            other => return Err(unexpected(&other)),
        }
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("dangjian-notices".into())
            .spawn(move || {
                loop {
                    let msg = match wire::read_frame::<Response>(&mut stream) {
                        Ok(Response::Notice(bytes)) => Ok(bytes),
                        Ok(Response::Error(e)) => Err(StoreError::Server(e)),
                        Ok(other) => Err(unexpected(&other)),
                        Err(e) => Err(lost(e)),
                    };
                    let end = msg.is_err();
                    if tx.send(msg).is_err() || end {
                        return;
                    }
                }
            })
            .map_err(|e| StoreError::Connection(format!("cannot start a thread: {e}")))?;
        Ok(rx)
    }
}

/// A backup being streamed. Dropped before its end, it closes the
/// connection: the frames still coming could not be told from answers.
pub struct BackupStream<'a> {
    stream: std::sync::MutexGuard<'a, UnixStream>,
    done: bool,
}

/// One part of a streamed backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupPart {
    Bytes(Vec<u8>),
    /// The end, with how many entries and bytes the server says it sent.
    End {
        entries: u64,
        bytes: u64,
    },
}

impl BackupStream<'_> {
    pub fn next_part(&mut self) -> Result<BackupPart, StoreError> {
        if self.done {
            return Err(StoreError::Connection("the backup has ended".into()));
        }
        let part = match wire::read_frame::<Response>(&mut *self.stream).map_err(lost) {
            Ok(Response::BackupChunk(bytes)) => return Ok(BackupPart::Bytes(bytes)),
            Ok(Response::BackupEnd { entries, bytes }) => Ok(BackupPart::End { entries, bytes }),
            Ok(Response::Error(e)) => Err(StoreError::Server(e)),
            Ok(other) => Err(unexpected(&other)),
            Err(e) => Err(e),
        };
        self.done = true;
        part
    }
}

impl Drop for BackupStream<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Connects and says hello: the stream, the client number and the login.
fn open(socket: &Path) -> Result<Option<(UnixStream, u64, String)>, StoreError> {
    let mut stream = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(None);
        }
        Err(source) => {
            return Err(StoreError::Connect {
                socket: socket.to_path_buf(),
                source,
            });
        }
    };
    match exchange(&mut stream, &Request::Hello)? {
        Response::Welcome { client, login } => Ok(Some((stream, client, login))),
        other => Err(unexpected(&other)),
    }
}

fn exchange(stream: &mut UnixStream, req: &Request) -> Result<Response, StoreError> {
    wire::write_frame(stream, req).map_err(lost)?;
    match wire::read_frame::<Response>(stream).map_err(lost)? {
        Response::Error(e) => Err(StoreError::Server(e)),
        answer => Ok(answer),
    }
}

fn lost(e: FrameError) -> StoreError {
    match e {
        FrameError::Closed => StoreError::Connection("the server closed the connection".into()),
        other => StoreError::Connection(other.to_string()),
    }
}

fn unexpected(r: &Response) -> StoreError {
    let what = match r {
        Response::Welcome { .. } => "a welcome",
        Response::Value(_) => "a value",
        Response::Page { .. } => "a scan page",
        Response::Count(_) => "a count",
        Response::Check(_) => "a check report",
        Response::Op(_) => "an answer",
        Response::Notice(_) => "a notice",
        Response::BackupChunk(_) | Response::BackupEnd { .. } => "part of a backup",
        Response::Error(_) => "an error",
    };
    StoreError::Connection(format!("the server answered with {what} out of turn"))
}

/// The iterator behind `Store::raw_range` on a remote store.
pub struct Scan<'a> {
    remote: &'a Remote,
    tree: Tree,
    from: Bound<Vec<u8>>,
    to: Bound<Vec<u8>>,
    rev: bool,
    buffer: VecDeque<(Vec<u8>, Vec<u8>)>,
    done: bool,
}

impl Iterator for Scan<'_> {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        while self.buffer.is_empty() && !self.done {
            let req = Request::Scan {
                tree: self.tree,
                from: self.from.clone(),
                to: self.to.clone(),
                rev: self.rev,
            };
            match self.remote.call(&req) {
                Ok(Response::Page { items, resume }) => {
                    self.buffer.extend(items);
                    match resume {
                        // The next page starts after the last key looked at.
                        Some(k) if self.rev => self.to = Bound::Excluded(k),
                        Some(k) => self.from = Bound::Excluded(k),
                        None => self.done = true,
                    }
                }
                Ok(other) => {
                    self.done = true;
                    return Some(Err(unexpected(&other)));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        self.buffer
            .pop_front()
            .map(|(k, v)| Ok((IVec::from(k), IVec::from(v))))
    }
}
