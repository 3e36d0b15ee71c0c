//! The client side of a store server: a Unix-socket connection that asks the
//! server one request at a time and reads its answer. The server decides what
//! this user may read; nothing here trusts or claims an identity (the server
//! takes it from the socket's peer credentials), and nothing here knows what
//! the requests mean: they are bytes the layers above encoded.

use super::StoreError;
use super::wire::{self, FrameError, MAX_ANSWER, Request, Response};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

pub struct Remote {
    stream: Mutex<UnixStream>,
    socket: PathBuf,
    client: AtomicU64,
    login: String,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("socket", &self.socket)
            .field("client", &self.client_id())
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
            client: AtomicU64::new(client),
            login,
        }))
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The number the server gave this connection (notices of its own changes
    /// carry it).
    pub fn client_id(&self) -> u64 {
        self.client.load(Ordering::SeqCst)
    }

    /// The OS login the server sees this connection as.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// A request of the layers above, as they encoded it; their answer.
    pub fn op(&self, payload: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        let mut stream = self.stream.lock().unwrap_or_else(|p| p.into_inner());
        match self.send(&mut stream, &Request::Op(payload))? {
            Response::Op(answer) => Ok(answer),
            other => Err(unexpected(&other)),
        }
    }

    /// A typed read, as the layers above encoded it; the whole answer, put
    /// together from its parts (at most `MAX_ANSWER` bytes).
    pub fn read(&self, payload: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        let mut stream = self.stream.lock().unwrap_or_else(|p| p.into_inner());
        let mut answer = Vec::new();
        let mut next = self.send(&mut stream, &Request::Read(payload))?;
        loop {
            match next {
                Response::Read(last) => {
                    if answer.is_empty() {
                        return Ok(last);
                    }
                    answer.extend_from_slice(&last);
                    return Ok(answer);
                }
                Response::ReadPart(part) => {
                    if answer.len() + part.len() > MAX_ANSWER {
                        return Err(StoreError::Connection(format!(
                            "the server's answer is larger than the {MAX_ANSWER} bytes allowed"
                        )));
                    }
                    answer.extend_from_slice(&part);
                }
                other => return Err(unexpected(&other)),
            }
            next = match wire::read_frame::<Response>(&mut *stream).map_err(lost)? {
                Response::Error(e) => return Err(StoreError::Server(e)),
                r => r,
            };
        }
    }

    /// One request, one answer. A connection the server closed while it was
    /// idle fails at the write, before the request left: then a new
    /// connection is opened and the request sent on it, once. A request that
    /// was sent is never sent again (it may have been applied).
    fn send(&self, stream: &mut UnixStream, req: &Request) -> Result<Response, StoreError> {
        match wire::write_frame(stream, req) {
            Ok(()) => {}
            Err(FrameError::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
                ) =>
            {
                let Some((fresh, client, _)) = open(&self.socket)? else {
                    return Err(StoreError::Connection("the server is gone".into()));
                };
                *stream = fresh;
                self.client.store(client, Ordering::SeqCst);
                wire::write_frame(stream, req).map_err(lost)?;
            }
            Err(e) => return Err(lost(e)),
        }
        match wire::read_frame::<Response>(stream).map_err(lost)? {
            Response::Error(e) => Err(StoreError::Server(e)),
            answer => Ok(answer),
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
        Response::Read(_) | Response::ReadPart(_) => "a read's answer",
        Response::Op(_) => "an answer",
        Response::Notice(_) => "a notice",
        Response::BackupChunk(_) | Response::BackupEnd { .. } => "part of a backup",
        Response::Error(_) => "an error",
    };
    StoreError::Connection(format!("the server answered with {what} out of turn"))
}
