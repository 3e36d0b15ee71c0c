//! `dangjian serve`: one process owns the store and every other dangjian talks
//! to it over a Unix socket beside the store (like tmux's server).
//!
//! - One thread per connection reads framed requests (`store::wire`) and
//!   answers them. Reads are typed questions answered as the asking user
//!   (`access`); no raw tree ever leaves. Commands go to one writer thread.
//! - The writer applies whatever commands are waiting, each in its own
//!   transaction, then makes them durable with one `sync` and only then
//!   answers each client (group commit) and broadcasts change notices.
//! - Who a client is comes from the socket's peer credentials (SO_PEERCRED),
//!   checked when the connection is accepted: an OS user who is not a user of
//!   the store is closed at once, before a thread or a place is given. Then
//!   OS user → dangjian user again for every request, so a revoked user gets
//!   nothing more even on an open connection.
//! - Places are bounded: at most `PER_USER` connections a user and
//!   `MAX_CONNECTIONS` in all, of which the last `ADMIN_RESERVE` only for
//!   committee admins, so a flood by one user never locks out another or the
//!   admin; idle connections close after `ServeOptions::idle_timeout`, a
//!   begun request must arrive whole within `read_timeout`, and the
//!   file-descriptor limit is raised to its hard limit at start.
//! - SIGTERM, SIGINT or SIGHUP stop it: no new connections, the requests in
//!   hand are answered, the writer drains, the store is synced.
//!
//! - A server started automatically (`auto`: the first dangjian on a store
//!   starts one) listens for the store's owner only unless the store is
//!   recorded for a group, agrees to leave when its files are wanted and
//!   nobody else is connected, and stops after a quiet while.
//!
//! It never touches the terminal and writes only through `ops`.

pub mod auto;
mod backup;
mod conn;
mod export;
mod writer;

use crate::ops::Actor;
use crate::ops::remote::Notice;
use crate::store::{Store, StoreError, socket_path};
use std::collections::HashMap;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

/// More connections than this are refused (each is a thread).
pub const MAX_CONNECTIONS: usize = 512;

/// One user's connections at most: a TUI holds two (requests and notices),
/// a CLI command one, so a worker's terminals and scripts fit many times
/// over, while one user can never take more than an eighth of the places.
pub const PER_USER: usize = 64;

/// The last places, kept for committee admins.
pub const ADMIN_RESERVE: usize = 32;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The group that may connect: the socket's directory and the socket get it.
    pub group: Option<String>,
    /// A connection that asks nothing for this long is closed (its client
    /// opens a new one when it next asks): an abandoned connection cannot
    /// hold a place for ever.
    pub idle_timeout: Duration,
    /// Once a request has begun, the rest of it must come within this long:
    /// a client trickling bytes cannot hold a thread.
    pub read_timeout: Duration,
    /// Started automatically (not `dangjian serve`): the socket is the
    /// owner's alone unless `group` names one, and a `Leave` is agreed to.
    pub automatic: bool,
    /// How long an automatic server stays with nobody connected.
    pub linger: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            group: None,
            idle_timeout: Duration::from_secs(15 * 60),
            read_timeout: Duration::from_secs(10),
            automatic: false,
            linger: auto::DEFAULT_LINGER,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no group named `{0}` on this system")]
    NoGroup(String),
    #[error("cannot give {path} to group `{group}`: {source}")]
    Chown {
        path: PathBuf,
        group: String,
        source: nix::Error,
    },
    #[error("cannot serve: {0}")]
    Other(String),
}

/// A subscribed connection's mailbox.
struct Subscriber {
    tx: mpsc::Sender<Arc<Notice>>,
}

/// What every thread of the server shares.
pub(crate) struct Shared {
    store: Store,
    jobs: Mutex<Option<mpsc::Sender<writer::Job>>>,
    subscribers: Mutex<Vec<Subscriber>>,
    /// Every open connection and whose it is, to stop reading from them on
    /// shutdown and to count places.
    conns: Mutex<HashMap<u64, (String, UnixStream)>>,
    /// Told whenever a connection comes or goes, or a stop is asked for:
    /// what an automatic server waits on while it lingers.
    changed: Condvar,
    stopping: AtomicBool,
    /// A `Leave` was agreed to (only by an automatic server).
    leave: AtomicBool,
    automatic: bool,
    linger: Duration,
    /// The OS login running the server: the store's files are theirs.
    owner: String,
    /// Connections that asked to `Leave`, closed only once the store is
    /// released, so the asker's end-of-file means the files are free.
    leaving: Arc<Mutex<Vec<UnixStream>>>,
    next_client: AtomicU64,
    idle_timeout: Duration,
    read_timeout: Duration,
}

impl Shared {
    fn broadcast(&self, notice: Notice) {
        let notice = Arc::new(notice);
        let mut subs = self.subscribers.lock().unwrap_or_else(|p| p.into_inner());
        subs.retain(|s| s.tx.send(notice.clone()).is_ok());
    }

    /// The actor of an OS login, as of now (a user deactivated a moment ago is
    /// refused from the next request on).
    fn actor(&self, login: &str) -> Result<Actor, crate::ops::OpsError> {
        crate::ops::actor_for_login(&self.store, login)
    }

    fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    fn conns(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (String, UnixStream)>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running server.
pub struct Server {
    shared: Arc<Shared>,
    socket: PathBuf,
    /// The listening socket, to wake the accept loop on shutdown even when
    /// the socket's file is gone (its directory removed under us).
    listening: Option<UnixListener>,
    accept: Option<JoinHandle<()>>,
    writer: Option<JoinHandle<()>>,
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Server {
    /// Takes the store (opened in this process), founds it if it has no users
    /// yet (the OS user running the server becomes its committee admin, as for
    /// any first use), and starts listening.
    pub fn start(store: Store, opts: &ServeOptions) -> Result<Server, ServeError> {
        raise_fd_limit();
        // Every TUI asks for the roster: its rows are kept between them.
        crate::access::keep_answers();
        let owner = crate::identity::os_login().map_err(ServeError::Other)?;
        if store.count_of::<crate::domain::User>() == 0 {
            crate::ops::actor_for_login(&store, &owner)
                .map_err(|e| ServeError::Other(e.to_string()))?;
        }
        let socket = socket_path(store.path());
        let listener = listen(&socket, opts)?;
        let listening = listener.try_clone().ok();
        let (jobs_tx, jobs_rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            store,
            jobs: Mutex::new(Some(jobs_tx)),
            subscribers: Mutex::new(Vec::new()),
            conns: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
            stopping: AtomicBool::new(false),
            leave: AtomicBool::new(false),
            automatic: opts.automatic,
            linger: opts.linger,
            owner,
            leaving: Arc::new(Mutex::new(Vec::new())),
            next_client: AtomicU64::new(1),
            idle_timeout: opts.idle_timeout,
            read_timeout: opts.read_timeout,
        });
        let writer = spawn("dangjian-writer", {
            let shared = shared.clone();
            move || writer::run(&shared, jobs_rx)
        })?;
        let workers = Arc::new(Mutex::new(Vec::new()));
        let accept = spawn("dangjian-accept", {
            let shared = shared.clone();
            let workers = workers.clone();
            move || accept_loop(&shared, listener, &workers)
        })?;
        Ok(Server {
            shared,
            socket,
            listening,
            accept: Some(accept),
            writer: Some(writer),
            workers,
        })
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The store's directory.
    pub fn store_path(&self) -> &Path {
        self.shared.store.path()
    }

    /// Stops: no new connections, every request in hand answered, every
    /// command durable.
    pub fn shutdown(mut self) -> Result<(), ServeError> {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop; it sees `stopping` and drops the listener.
        // A listening socket shut down makes `accept` fail at once on Linux;
        // connecting covers the rest.
        if let Some(l) = &self.listening {
            use std::os::fd::AsRawFd;
            let _ = nix::sys::socket::shutdown(l.as_raw_fd(), nix::sys::socket::Shutdown::Both);
        }
        let _ = UnixStream::connect(&self.socket);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        let _ = std::fs::remove_file(&self.socket);
        // Connections finish the request in hand, then read end-of-file.
        for stream in self
            .shared
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
        {
            let _ = stream.1.shutdown(std::net::Shutdown::Read);
        }
        // Subscribers' mailboxes close, and their threads end.
        self.shared
            .subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        let workers = std::mem::take(&mut *self.workers.lock().unwrap_or_else(|p| p.into_inner()));
        for h in workers {
            let _ = h.join();
        }
        // The writer drains what is queued and stops.
        self.shared
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(h) = self.writer.take() {
            let _ = h.join();
        }
        self.shared.store.sync()?;
        Ok(())
    }
}

/// Runs a server until SIGTERM, SIGINT or SIGHUP, then stops it cleanly.
pub fn serve(store: Store, opts: &ServeOptions) -> Result<(), ServeError> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // Registered before the socket exists, so a signal sent as soon as a
    // client can connect is never the default (instant) death.
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])
        .map_err(|e| ServeError::Other(format!("cannot handle signals: {e}")))?;
    let path = store.path().to_path_buf();
    let server = Server::start(store, opts)?;
    // Said where a supervisor can log it; a closed stderr must not stop us.
    let say = |line: String| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "dangjian: {line}");
    };
    say(format!(
        "serving {} at {}",
        path.display(),
        server.socket().display()
    ));
    let signal = signals.forever().next();
    say(format!(
        "stopping on signal {}",
        signal.map_or_else(|| "?".to_string(), |s| s.to_string())
    ));
    server.shutdown()
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, ServeError> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .map_err(|e| ServeError::Other(format!("cannot start a thread: {e}")))
}

/// The socket's directory (0750) and the socket (0660), both given to the
/// group when one is named; for an automatic server without a group, 0700 and
/// 0600: the owner's alone. A socket file left by a server that died is
/// removed: we hold the store's lock, so no other server can be using it.
fn listen(socket: &Path, opts: &ServeOptions) -> Result<UnixListener, ServeError> {
    let (dir_mode, socket_mode) = if opts.automatic && opts.group.is_none() {
        (0o700, 0o600)
    } else {
        (0o750, 0o660)
    };
    let io = |what: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| ServeError::Io { what, path, source }
    };
    let dir = socket.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(dir_mode)
        .create(dir)
        .map_err(io("cannot create", dir))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode))
        .map_err(io("cannot set the mode of", dir))?;
    let group = match &opts.group {
        Some(name) => Some(
            nix::unistd::Group::from_name(name)
                .map_err(|e| ServeError::Other(format!("cannot look up group `{name}`: {e}")))?
                .ok_or_else(|| ServeError::NoGroup(name.clone()))?,
        ),
        None => None,
    };
    let chown = |path: &Path| -> Result<(), ServeError> {
        if let Some(g) = &group {
            nix::unistd::chown(path, None, Some(g.gid)).map_err(|source| ServeError::Chown {
                path: path.to_path_buf(),
                group: g.name.clone(),
                source,
            })?;
        }
        Ok(())
    };
    chown(dir)?;
    match std::fs::remove_file(socket) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io("cannot remove the old socket", socket)(e)),
    }
    let listener = UnixListener::bind(socket).map_err(io("cannot listen at", socket))?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(socket_mode))
        .map_err(io("cannot set the mode of", socket))?;
    chown(socket)?;
    Ok(listener)
}

fn accept_loop(shared: &Arc<Shared>, listener: UnixListener, workers: &Mutex<Vec<JoinHandle<()>>>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let Some(login) = admit(shared, &stream) else {
            continue;
        };
        let client = shared.next_client.fetch_add(1, Ordering::SeqCst);
        {
            let mut conns = shared.conns();
            // Decided under the same lock a lingering server stops under: a
            // connection is either counted before the stop or closed now
            // (its client finds nobody answering and starts a server anew).
            if shared.is_stopping() {
                return;
            }
            match stream.try_clone() {
                Ok(clone) => {
                    conns.insert(client, (login.clone(), clone));
                }
                Err(_) => continue,
            }
            shared.changed.notify_all();
        }
        let handle = std::thread::Builder::new()
            .name(format!("dangjian-conn-{client}"))
            .spawn({
                let shared = shared.clone();
                move || {
                    conn::serve(&shared, stream, client, login);
                    shared.conns().remove(&client);
                    shared.changed.notify_all();
                }
            });
        let mut workers = workers.lock().unwrap_or_else(|p| p.into_inner());
        // Keep the list to threads still running.
        workers.retain(|h| !h.is_finished());
        match handle {
            Ok(h) => workers.push(h),
            Err(_) => {
                shared.conns().remove(&client);
                shared.changed.notify_all();
            }
        }
    }
}

/// Decides at the door: the peer's login when it is a user of the store with
/// a place free for them, else `None` after telling them why and closing.
fn admit(shared: &Shared, stream: &UnixStream) -> Option<String> {
    let close = |why: &str| {
        if let Ok(s) = stream.try_clone() {
            conn::refuse(s, why);
        }
        let _ = stream.shutdown(std::net::Shutdown::Both);
        None
    };
    let login = match conn::peer_login(stream) {
        Ok(login) => login,
        Err(why) => return close(&why),
    };
    let actor = match shared.actor(&login) {
        Ok(actor) => actor,
        Err(e) => return close(&e.to_string()),
    };
    let conns = shared.conns.lock().unwrap_or_else(|p| p.into_inner());
    let theirs = conns.values().filter(|(l, _)| *l == login).count();
    let admin = actor.role == crate::domain::Role::CommitteeAdmin;
    let total = conns.len();
    drop(conns);
    if theirs >= PER_USER {
        return close(&format!(
            "`{login}` already has {theirs} connections to this server; close some and try again"
        ));
    }
    if total >= MAX_CONNECTIONS || (total >= MAX_CONNECTIONS - ADMIN_RESERVE && !admin) {
        return close("the server has too many connections; try again later");
    }
    Some(login)
}

/// Raises the soft limit of open files to the hard one: every connection is
/// a descriptor, and the default soft limit (often 1024) is what a flood of
/// connections would exhaust first.
fn raise_fd_limit() {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE)
        && soft < hard
    {
        let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
    }
}
