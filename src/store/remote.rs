//! The client side of a store server: a Unix-socket connection that asks the
//! server one request at a time and reads its answer. The server decides what
//! this user may read; nothing here trusts or claims an identity (the server
//! takes it from the socket's peer credentials), and nothing here knows what
//! the requests mean: they are bytes the layers above encoded.
//!
//! It also keeps the rules by which a store comes to be served (as tmux does):
//! whoever finds no server answering takes the store's start lock
//! (`dangjian.start` in the store), looks again, and only then has one
//! started (`Spawn`, given by the layers above), so two processes starting at
//! once end on one server. A server stopping for want of clients holds the
//! same lock until it has let go of the files.

use super::StoreError;
use super::wire::{self, FrameError, MAX_ANSWER, Request, Response};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// Starts the store's server (called holding the start lock, after nobody
/// answered): how is the business of the layers above.
pub type Spawn = Arc<dyn Fn() -> Result<Spawned, StoreError> + Send + Sync>;

/// What became of a `Spawn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spawned {
    /// A server listens at the socket.
    Listening,
    /// The store's files are held by another process that serves nobody.
    Busy,
    /// The server could not start, for this reason (a damaged store, say).
    Failed(String),
}

pub struct Remote {
    stream: Mutex<UnixStream>,
    socket: PathBuf,
    client: AtomicU64,
    login: String,
    /// Starts a server again when the one this talked to is gone.
    spawn: Option<Spawn>,
    /// The connections carrying notices, closed when this goes.
    feeds: Mutex<Vec<UnixStream>>,
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
            spawn: None,
            feeds: Mutex::new(Vec::new()),
        }))
    }

    /// Connects to the server of the store at `store`, having one started
    /// with `spawn` when nobody answers; a server that goes away later is
    /// started again the same way. `Ok(None)` with `Spawned::Busy` or
    /// `Failed`: no server, and none could be started.
    pub fn connect_or_start(store: &Path, spawn: Spawn) -> Result<Served, StoreError> {
        let socket = super::socket_path(store);
        match open_or_start(store, &socket, &spawn)? {
            Ok((stream, client, login)) => Ok(Served::Remote(Remote {
                stream: Mutex::new(stream),
                socket,
                client: AtomicU64::new(client),
                login,
                spawn: Some(spawn),
                feeds: Mutex::new(Vec::new()),
            })),
            Err(why) => Ok(Served::Not(why)),
        }
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
    /// idle fails at the write, before the request left; one whose server
    /// died with the request unread answers the read with a reset (a Unix
    /// socket resets only when its peer closes with data unread). Either way
    /// the request was never taken: a new connection is opened (a new server
    /// started, when there is a way to) and the request sent on it, once. A
    /// request the server may have read is never sent again (it may have
    /// been applied).
    fn send(&self, stream: &mut UnixStream, req: &Request) -> Result<Response, StoreError> {
        let untaken = |e: &FrameError| {
            matches!(e, FrameError::Io(e) if matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ))
        };
        let first = match wire::write_frame(stream, req) {
            Ok(()) => wire::read_frame::<Response>(stream),
            Err(e) => Err(e),
        };
        let answer = match first {
            Err(e) if untaken(&e) => {
                let fresh = match (open(&self.socket)?, &self.spawn) {
                    (Some(conn), _) => Some(conn),
                    (None, Some(spawn)) => {
                        let store = store_of(&self.socket);
                        open_or_start(&store, &self.socket, spawn)?.ok()
                    }
                    (None, None) => None,
                };
                let Some((fresh, client, _)) = fresh else {
                    return Err(StoreError::Connection("the server is gone".into()));
                };
                *stream = fresh;
                self.client.store(client, Ordering::SeqCst);
                wire::write_frame(stream, req).map_err(lost)?;
                wire::read_frame::<Response>(stream)
            }
            other => other,
        };
        match answer.map_err(lost)? {
            Response::Error(e) => Err(StoreError::Server(e)),
            answer => Ok(answer),
        }
    }

    /// Asks for a backup of the whole store (committee admins only). The
    /// server streams the plaintext backup, read under its writer lock, as
    /// the parts `PartStream::next_part` hands out in order.
    pub fn backup(&self) -> Result<PartStream<'_>, StoreError> {
        self.streamed(&Request::Backup)
    }

    /// Asks for an export, as the layers above encoded it: its rows arrive
    /// as they are read, in the parts `PartStream::next_part` hands out.
    pub fn export(&self, payload: Vec<u8>) -> Result<PartStream<'_>, StoreError> {
        self.streamed(&Request::Export(payload))
    }

    fn streamed(&self, req: &Request) -> Result<PartStream<'_>, StoreError> {
        let mut stream = self.stream.lock().unwrap_or_else(|p| p.into_inner());
        wire::write_frame(&mut *stream, req).map_err(lost)?;
        Ok(PartStream {
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
        if let Ok(clone) = stream.try_clone() {
            self.feeds
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(clone);
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

impl Drop for Remote {
    /// Says goodbye: a server that stops with its last client (linger 0)
    /// and has no other stops now, and this waits until it has let go of the
    /// files, so whoever ran this finds them at rest once it has returned.
    fn drop(&mut self) {
        for feed in self
            .feeds
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            let _ = feed.shutdown(std::net::Shutdown::Both);
        }
        let stream = self.stream.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Ok(Response::Leaving) = exchange(stream, &Request::Bye) {
            wait_for_close(stream);
        }
    }
}

/// Reads until the server closes the connection (it does when its files
/// are released), with a bound for a server that hangs on its way out.
fn wait_for_close(stream: &mut UnixStream) -> bool {
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(60)));
    let mut rest = [0u8; 64];
    loop {
        match std::io::Read::read(stream, &mut rest) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return e.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }
}

/// A streamed answer (a backup, an export) being read. Dropped before its
/// end, it closes the connection: the frames still coming could not be told
/// from answers.
pub struct PartStream<'a> {
    stream: std::sync::MutexGuard<'a, UnixStream>,
    done: bool,
}

/// One part of a streamed answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Bytes(Vec<u8>),
    /// The end, with how many entries and bytes the server says it sent.
    End {
        entries: u64,
        bytes: u64,
    },
}

impl PartStream<'_> {
    pub fn next_part(&mut self) -> Result<Part, StoreError> {
        if self.done {
            return Err(StoreError::Connection(
                "the streamed answer has ended".into(),
            ));
        }
        let part = match wire::read_frame::<Response>(&mut *self.stream).map_err(lost) {
            Ok(Response::Chunk(bytes)) => return Ok(Part::Bytes(bytes)),
            Ok(Response::End { entries, bytes }) => Ok(Part::End { entries, bytes }),
            Ok(Response::Error(e)) => Err(StoreError::Server(e)),
            Ok(other) => Err(unexpected(&other)),
            Err(e) => Err(e),
        };
        self.done = true;
        part
    }
}

impl Drop for PartStream<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// What `connect_or_start` found.
#[derive(Debug)]
pub enum Served {
    Remote(Remote),
    /// No server answers and none could be started.
    Not(Spawned),
}

type Conn = (UnixStream, u64, String);

/// A connection to a server that answers, started under the start lock when
/// none did; else why not.
fn open_or_start(
    store: &Path,
    socket: &Path,
    spawn: &Spawn,
) -> Result<Result<Conn, Spawned>, StoreError> {
    if let Some(conn) = open(socket)? {
        return Ok(Ok(conn));
    }
    let start = StartLock::take(store)?;
    // Someone else may have started one while we waited for the lock.
    if let Some(conn) = open(socket)? {
        return Ok(Ok(conn));
    }
    match spawn()? {
        // Connected before the lock goes: a server that may stop as soon as
        // nobody is connected cannot stop in between.
        Spawned::Listening => {
            let conn = open(socket)?;
            drop(start);
            conn.map(Ok).ok_or_else(|| {
                StoreError::Connection("the server that was started does not answer".into())
            })
        }
        // The files' holder may be a server of its own that came up
        // meanwhile (`dangjian serve` started by hand at the same moment).
        Spawned::Busy => Ok(open(socket)?.ok_or(Spawned::Busy)),
        other => Ok(Err(other)),
    }
}

/// The store a socket serves (`socket_path` backwards).
fn store_of(socket: &Path) -> PathBuf {
    let dir = socket.parent().unwrap_or(Path::new("."));
    let name = dir.as_os_str().to_string_lossy();
    PathBuf::from(name.strip_suffix(".server").unwrap_or(&name))
}

/// The store's start lock, held while a server is being started for it, while
/// a lingering server stops, and while a process takes the files from one:
/// so no two servers start at once and none is started into a stop.
pub struct StartLock {
    _file: std::fs::File,
}

impl StartLock {
    fn file(store: &Path) -> Result<std::fs::File, StoreError> {
        use std::os::unix::fs::DirBuilderExt;
        let io = |source| StoreError::Open {
            path: store.to_path_buf(),
            source,
        };
        // The store's directory is private, as `Store::open` makes it.
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(store)
            .map_err(io)?;
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(store.join("dangjian.start"))
            .map_err(io)
    }

    /// Waits for the lock (its holders keep it for moments: a start, a stop).
    pub fn take(store: &Path) -> Result<StartLock, StoreError> {
        let file = StartLock::file(store)?;
        file.lock().map_err(|source| StoreError::Open {
            path: store.to_path_buf(),
            source,
        })?;
        Ok(StartLock { _file: file })
    }

    /// The lock if nobody holds it now.
    pub fn try_take(store: &Path) -> Option<StartLock> {
        let file = StartLock::file(store).ok()?;
        file.try_lock().ok()?;
        Some(StartLock { _file: file })
    }
}

/// What became of asking a server to leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Left {
    /// Nobody answers at the socket.
    NoServer,
    /// The server has stopped and let go of the files.
    Gone,
    /// The server stays, for this reason.
    Stays(String),
}

/// Asks the server at `socket`, if one answers, to stop so that this process
/// can open the files (`Request::Leave`); returns once it has let go of them.
pub fn ask_to_leave(socket: &Path) -> Result<Left, StoreError> {
    let Some((mut stream, _, _)) = open(socket)? else {
        return Ok(Left::NoServer);
    };
    match exchange(&mut stream, &Request::Leave) {
        Ok(Response::Leaving) => {}
        Ok(other) => return Err(unexpected(&other)),
        Err(StoreError::Server(why)) => return Ok(Left::Stays(why)),
        Err(e) => return Err(e),
    }
    // The server closes the connection once the store is released.
    if wait_for_close(&mut stream) {
        Ok(Left::Gone)
    } else {
        Err(StoreError::Connection(
            "the server agreed to leave and did not".into(),
        ))
    }
}

/// Connects and says hello: the stream, the client number and the login.
/// A server that closes the connection before it answers the hello is
/// stopping: nobody answers, as when nobody listens.
fn open(socket: &Path) -> Result<Option<Conn>, StoreError> {
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
    let hello = wire::write_frame(&mut stream, &Request::Hello)
        .and_then(|()| wire::read_frame::<Response>(&mut stream));
    match hello {
        Ok(Response::Welcome { client, login }) => Ok(Some((stream, client, login))),
        Ok(Response::Error(e)) => Err(StoreError::Server(e)),
        Ok(other) => Err(unexpected(&other)),
        Err(FrameError::Closed) => Ok(None),
        Err(FrameError::Io(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(lost(e)),
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
        Response::Chunk(_) | Response::End { .. } => "part of a streamed answer",
        Response::Leaving | Response::Staying => "a farewell",
        Response::Error(_) => "an error",
    };
    StoreError::Connection(format!("the server answered with {what} out of turn"))
}
