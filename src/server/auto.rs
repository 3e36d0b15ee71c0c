//! The server a store gets without anyone asking (as tmux starts its own):
//! the first dangjian on a store finds nobody answering at its socket and
//! has `dangjian serve --auto` started in the background (`spawner`); that
//! process owns the files, says on a pipe that it listens (`run`), serves
//! every later dangjian, and stops after a quiet while with nobody connected
//! (`linger`), or when someone who may (the owner, a committee admin) wants
//! the files while nobody else is connected (`Request::Leave`).
//!
//! The start lock (`store::remote::StartLock`) keeps two starters from
//! racing: whoever starts a server holds it until connected, and a server
//! that stops for want of clients holds it until it has let go of the files.

use super::{ServeError, ServeOptions, Server, Shared};
use crate::ops::Actor;
use crate::store::remote::{Spawn, Spawned, StartLock};
use crate::store::{Store, StoreError};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// How long an automatic server stays with nobody connected, unless
/// `DANGJIAN_LINGER` (seconds) says otherwise: long enough that a worker's
/// next command a few minutes on finds it running.
pub const DEFAULT_LINGER: Duration = Duration::from_secs(5 * 60);

/// The environment variable that sets the linger, in seconds (0: stop as
/// soon as the last client leaves).
pub const LINGER_VAR: &str = "DANGJIAN_LINGER";

/// What the server child writes on its standard output, one line.
const READY: &str = "ready";
const BUSY: &str = "busy";
const FAILED: &str = "error ";

/// The linger this process's environment asks for.
pub fn linger_from_env() -> Duration {
    std::env::var(LINGER_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(DEFAULT_LINGER, Duration::from_secs)
}

/// How a client has the server of the store at `store` started: this very
/// program, `serve --auto`, in a session of its own with no terminal, its
/// answer read from a pipe (no waiting by the clock).
pub fn spawner(store: &Path, cache_mb: u64) -> Spawn {
    let store = store.to_path_buf();
    Arc::new(move || {
        let exe = std::env::current_exe()
            .map_err(|e| StoreError::Connection(format!("cannot start the store's server: {e}")))?;
        spawn(&exe, &store, cache_mb, linger_from_env())
    })
}

/// As `spawner`, with the dangjian program and the linger given (tests: the
/// program running them is not dangjian).
pub fn spawner_of(program: &Path, store: &Path, cache_mb: u64, linger: Duration) -> Spawn {
    let (program, store) = (program.to_path_buf(), store.to_path_buf());
    Arc::new(move || spawn(&program, &store, cache_mb, linger))
}

fn spawn(
    program: &Path,
    store: &Path,
    cache_mb: u64,
    linger: Duration,
) -> Result<Spawned, StoreError> {
    let failed = |what: &str, e: std::io::Error| {
        StoreError::Connection(format!("cannot start the store's server ({what}): {e}"))
    };
    let mut child = Command::new(program)
        .arg("--store")
        .arg(store)
        .arg("--cache-mb")
        .arg(cache_mb.to_string())
        .args(["serve", "--auto", "--linger"])
        .arg(linger.as_secs().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed("spawn", e))?;
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = std::io::BufReader::new(out).read_line(&mut line);
    }
    // Reaped when it ends, so a long-lived client (the TUI) keeps no zombie.
    let _ = std::thread::Builder::new()
        .name("dangjian-server-reaper".into())
        .spawn(move || {
            let _ = child.wait();
        });
    let line = line.trim_end();
    Ok(match line {
        READY => Spawned::Listening,
        BUSY => Spawned::Busy,
        "" => Spawned::Failed("the server ended before it listened".into()),
        other => Spawned::Failed(other.strip_prefix(FAILED).unwrap_or(other).to_string()),
    })
}

/// The group a store was set up for (`dangjian serve --group G` records it
/// in `STORE/dangjian.group`): automatic servers open the socket to it.
pub fn recorded_group(store: &Path) -> Option<String> {
    let text = std::fs::read_to_string(group_file(store)).ok()?;
    let name = text.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// Records the group automatic servers of this store open the socket to.
pub fn record_group(store: &Path, group: &str) -> std::io::Result<()> {
    crate::io::atomic::write_bytes(&group_file(store), format!("{group}\n").as_bytes())
}

fn group_file(store: &Path) -> PathBuf {
    store.join("dangjian.group")
}

/// The child's line once it listens.
fn say_ready(out: &mut dyn Write) {
    say(out, READY);
}

/// The child's line when another process holds the files.
pub fn say_busy(out: &mut dyn Write) {
    say(out, BUSY);
}

/// The child's line when it cannot serve, and why.
pub fn say_failed(out: &mut dyn Write, why: &str) {
    say(out, &format!("{FAILED}{}", why.replace('\n', " ")));
}

fn say(out: &mut dyn Write, line: &str) {
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Serves the store, started automatically: says `ready` on `out` once it
/// listens, then lingers (see the module) and stops cleanly.
pub fn run(store: Store, opts: &ServeOptions, out: &mut dyn Write) -> Result<(), ServeError> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])
        .map_err(|e| ServeError::Other(format!("cannot handle signals: {e}")))?;
    let server = Server::start(store, opts)?;
    say_ready(out);
    let shared = server.shared.clone();
    let signals_handle = signals.handle();
    let on_signal = super::spawn("dangjian-signals", {
        let shared = shared.clone();
        move || {
            if signals.forever().next().is_some() {
                shared.leave.store(true, Ordering::SeqCst);
                let _conns = shared.conns();
                shared.changed.notify_all();
            }
        }
    })?;
    let start = wait_for_the_end(&shared, server.store_path().to_path_buf(), opts.linger);
    signals_handle.close();
    let _ = on_signal.join();
    let leaving = shared.leaving.clone();
    drop(shared);
    // The last hold on the store goes with the server. The connections of
    // those waiting for it to go close with the process itself, once every
    // thread of it (sled's own too) has stopped: then the files are at rest.
    let stopped = server.shutdown();
    std::mem::forget(leaving);
    std::mem::forget(start);
    stopped
}

/// Waits until this server should stop: a `Leave` agreed to or a signal, or
/// `linger` with nobody connected (then it stops holding the start lock,
/// which it returns, so nobody starts a server into its stop).
fn wait_for_the_end(shared: &Shared, store: PathBuf, linger: Duration) -> Option<StartLock> {
    let mut conns = shared.conns();
    let mut quiet_since: Option<Instant> = None;
    loop {
        if shared.leave.load(Ordering::SeqCst) {
            shared.stopping.store(true, Ordering::SeqCst);
            // Held when free (a goodbye, a signal); one who asked to `Leave`
            // holds it already, and waits for this server to go.
            return StartLock::try_take(&store);
        }
        if !conns.is_empty() {
            quiet_since = None;
            conns = shared
                .changed
                .wait(conns)
                .unwrap_or_else(|p| p.into_inner());
            continue;
        }
        let due = *quiet_since.get_or_insert_with(Instant::now) + linger;
        let now = Instant::now();
        let wait = if now >= due {
            if let Some(lock) = StartLock::try_take(&store) {
                shared.stopping.store(true, Ordering::SeqCst);
                return Some(lock);
            }
            // Someone holds the start lock: they are about to connect, or to
            // ask this server to leave. Look again in a moment.
            Duration::from_secs(1)
        } else {
            due - now
        };
        conns = shared
            .changed
            .wait_timeout(conns, wait)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
}

/// Whether this server agrees to `Leave` for `login`: it was started
/// automatically, they own the store or are a committee admin, and nobody
/// else is connected. Agreed, it is stopping from here on.
pub(super) fn agree_to_leave(shared: &Shared, actor: &Actor, login: &str) -> Result<(), String> {
    if !shared.automatic {
        return Err(
            "this server was started with `dangjian serve` and stays until it is stopped there"
                .into(),
        );
    }
    if login != shared.owner && actor.role != crate::domain::Role::CommitteeAdmin {
        return Err("only the store's owner or a committee admin may stop its server".into());
    }
    let conns = shared.conns();
    // A client that has just gone may not have been noticed by its thread
    // yet: a connection whose other end is closed is nobody.
    let others = conns
        .values()
        .filter(|(_, s)| !closed(s))
        .count()
        .saturating_sub(1);
    if others > 0 {
        return Err(format!(
            "{others} other connection(s) to the store's server are open: someone is using the store"
        ));
    }
    shared.leave.store(true, Ordering::SeqCst);
    shared.stopping.store(true, Ordering::SeqCst);
    shared.changed.notify_all();
    Ok(())
}

/// Whether the client saying `Bye` is the last one out of a server that
/// stops with its last client (linger 0): then it is stopping from here on.
pub(super) fn last_one_out(shared: &Shared) -> bool {
    if !shared.automatic || !shared.linger.is_zero() {
        return false;
    }
    let conns = shared.conns();
    let others = conns.values().filter(|(_, s)| !closed(s)).count();
    if others > 1 {
        return false;
    }
    shared.leave.store(true, Ordering::SeqCst);
    shared.stopping.store(true, Ordering::SeqCst);
    shared.changed.notify_all();
    true
}

/// Whether the client at the other end has closed the connection (an
/// end-of-file waiting to be read), looked at without reading or waiting.
fn closed(stream: &std::os::unix::net::UnixStream) -> bool {
    use nix::sys::socket::{MsgFlags, recv};
    use std::os::fd::AsRawFd;
    let mut byte = [0u8; 1];
    matches!(
        recv(
            stream.as_raw_fd(),
            &mut byte,
            MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT
        ),
        Ok(0)
    )
}
