//! How the CLI reaches a store: through its server, which the first dangjian
//! on a store starts in the background (`server::auto`), and `dangjian
//! serve` itself — in the foreground (systemd), or `--auto` as that
//! background server.

use crate::access::Session;
use crate::server::ServeOptions;
use crate::store::{self, Store, StoreConfig, StoreError};
use std::path::Path;
use std::process::ExitCode;

/// The store through its server (started when none runs), as the OS user
/// running this.
pub fn open_session(path: &Path, config: &StoreConfig) -> anyhow::Result<Session> {
    Ok(Session::open(path, config)?)
}

/// The store's files in this process, for what must own them (`demo` writes
/// through `Store`): a lingering automatic server is asked to leave first
/// (`Store::open`); one that others use keeps the store, and this says so
/// (still "in use": exit code 2).
pub fn open_store(path: &Path, config: &StoreConfig, zh: bool) -> anyhow::Result<Store> {
    match Store::open(path, config) {
        Ok(store) => Ok(store),
        Err(e @ StoreError::InUse(_)) if Session::connect(path)?.is_some() => {
            let socket = store::socket_path(path);
            let why = if zh {
                format!(
                    "{} 正通过其 dangjian 服务进程（{}）被他人使用，而此操作需要独占数据库：\
                     请待他人用完后再试",
                    path.display(),
                    socket.display()
                )
            } else {
                format!(
                    "{} is in use through its dangjian server (at {}), and this needs the \
                     store to itself: try again when the others have finished",
                    path.display(),
                    socket.display()
                )
            };
            Err(anyhow::Error::new(e).context(why))
        }
        Err(e) => Err(e.into()),
    }
}

/// As `open_store`, as a session of the OS user running this.
pub fn open_files(path: &Path, config: &StoreConfig, zh: bool) -> anyhow::Result<Session> {
    Ok(Session::local(open_store(path, config, zh)?)?)
}

/// `dangjian serve` in the foreground, until a signal. `--group G` is
/// recorded in the store, so the servers started automatically later open
/// the socket to the same group.
pub fn serve(path: &Path, config: &StoreConfig, opts: &ServeOptions) -> anyhow::Result<ExitCode> {
    let store = match Store::open(path, config) {
        Err(StoreError::InUse(_)) if Session::connect(path)?.is_some() => {
            anyhow::bail!(
                "a dangjian server is already running for {} (at {})",
                path.display(),
                store::socket_path(path).display()
            )
        }
        other => other?,
    };
    if let Some(group) = &opts.group {
        crate::server::auto::record_group(path, group)
            .map_err(|e| anyhow::anyhow!("cannot record the group in {}: {e}", path.display()))?;
    }
    crate::server::serve(store, opts)?;
    Ok(ExitCode::SUCCESS)
}

/// Closes every descriptor past standard error that the starter left open
/// without close-on-exec (a build tool's jobserver pipe, a terminal, another
/// program's socket): the server lives on long after its starter and holds
/// nothing of theirs.
fn close_inherited() {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    let fds: Vec<i32> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|fd| *fd > 2)
        .collect();
    for fd in fds {
        // The directory's own descriptor is among them, already closed.
        let _ = nix::unistd::close(fd);
    }
}

/// `dangjian serve --auto`: the background server another dangjian started.
/// Its one line on standard output (a pipe to that dangjian) says whether it
/// listens; another process holding the files makes it leave quietly.
pub fn serve_auto(
    path: &Path,
    config: &StoreConfig,
    mut opts: ServeOptions,
) -> anyhow::Result<ExitCode> {
    use crate::server::auto;
    // A session of its own: no terminal, and no signal meant for the
    // terminal's foreground job (the starter's ^C) reaches it.
    let _ = nix::unistd::setsid();
    close_inherited();
    let mut out = std::io::stdout();
    let store = match Store::open_for_server(path, config) {
        Ok(store) => store,
        Err(StoreError::InUse(_)) => {
            auto::say_busy(&mut out);
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => {
            auto::say_failed(&mut out, &e.to_string());
            return Ok(ExitCode::from(1));
        }
    };
    opts.group = opts.group.or_else(|| auto::recorded_group(path));
    if let Err(e) = auto::run(store, &opts, &mut out) {
        auto::say_failed(&mut out, &e.to_string());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
