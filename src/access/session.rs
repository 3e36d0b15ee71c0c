//! A session: one user's way into one store, the handle every client holds
//! (the TUI, the CLI, imports and exports). Either this process owns the
//! store's files (`Local`) or the store's server does (`Remote`); the same
//! questions and commands go either way, and are answered by the same code
//! where the files are.

use super::{Query, Read, ReadError};
use crate::ops::remote::NoticeFeed;
use crate::ops::{self, Actor, Applied, Command, OpsError};
use crate::store::remote::{Remote, Served, Spawn, Spawned};
use crate::store::wire::{decode_answer, encode_value};
use crate::store::{Store, StoreConfig, StoreError, socket_path};
use std::path::{Path, PathBuf};

/// `DANGJIAN_SERVE=never`: open the files in this process when no server
/// runs, instead of starting one.
pub const SERVE_VAR: &str = "DANGJIAN_SERVE";

fn locked(path: &Path) -> StoreError {
    StoreError::LockedNoServer {
        socket: socket_path(path),
        store: path.to_path_buf(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ops(#[from] OpsError),
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Nobody serves the store, and this user cannot start its server: the
    /// files are another's (a group member on the owner's store).
    #[error(
        "no dangjian server answers at {socket}, and only the owner of {store} can start \
         one: ask them to run any dangjian command on it, or `dangjian serve`"
    )]
    NotServed { store: PathBuf, socket: PathBuf },
}

impl SessionError {
    pub fn in_lang(&self, zh: bool) -> String {
        match self {
            SessionError::Store(e) => e.in_lang(zh),
            SessionError::Ops(e) => e.in_lang(zh),
            SessionError::Read(e) => e.in_lang(zh),
            SessionError::NotServed { store, socket } if zh => format!(
                "{} 处没有 dangjian 服务进程应答，而只有 {} 的所有者才能启动它：\
                 请其在该数据库上运行任意 dangjian 命令，或运行 `dangjian serve`",
                socket.display(),
                store.display()
            ),
            e @ SessionError::NotServed { .. } => e.to_string(),
        }
    }
}

pub struct Session {
    path: PathBuf,
    backend: Backend,
    /// Who the store took this user for when the session began: what the
    /// interface offers. Every request is decided afresh where the data is.
    actor: Actor,
}

enum Backend {
    Local { store: Store, login: String },
    Remote(Remote),
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("path", &self.path)
            .field("remote", &self.is_remote())
            .field("actor", &self.actor)
            .finish()
    }
}

impl Session {
    /// What every client does: through the store's server, started in the
    /// background when nobody answers (`server::auto`), so any number of
    /// processes work on a store at once. A store whose files another process
    /// holds while serving nobody is `LockedNoServer`; a server that cannot
    /// start (a damaged store, say) leaves this process to open the files, so
    /// it says what they say. `DANGJIAN_SERVE=never`: the files here when no
    /// server runs, as before servers started themselves.
    pub fn open(path: &Path, config: &StoreConfig) -> Result<Session, SessionError> {
        if std::env::var(SERVE_VAR).is_ok_and(|v| v == "never") {
            return Session::open_here(path, config);
        }
        let spawn = crate::server::auto::spawner(path, config.cache_bytes / (1024 * 1024));
        Session::open_with(path, config, spawn)
    }

    /// As `open`, with the way a server is started given (`server::auto`).
    pub fn open_with(
        path: &Path,
        config: &StoreConfig,
        spawn: Spawn,
    ) -> Result<Session, SessionError> {
        let served = match Remote::connect_or_start(path, spawn) {
            Err(StoreError::Open { source, .. })
                if source.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                return Err(SessionError::NotServed {
                    store: path.to_path_buf(),
                    socket: socket_path(path),
                });
            }
            other => other?,
        };
        match served {
            Served::Remote(remote) => Session::on(path, remote),
            Served::Not(Spawned::Busy) => Err(locked(path).into()),
            Served::Not(_) => Session::open_here(path, config),
        }
    }

    /// Through the store's server when one is running, else its files.
    fn open_here(path: &Path, config: &StoreConfig) -> Result<Session, SessionError> {
        if let Some(s) = Session::connect(path)? {
            return Ok(s);
        }
        match Store::open(path, config) {
            Ok(store) => Session::local(store),
            Err(StoreError::InUse(_)) => match Session::connect(path)? {
                // A server that came up while we waited for the lock.
                Some(s) => Ok(s),
                None => Err(locked(path).into()),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// A session on the store's server, if one answers. A server that answers
    /// and refuses this user is an error, not a reason to open the files.
    pub fn connect(path: &Path) -> Result<Option<Session>, SessionError> {
        let Some(remote) = Remote::connect(&socket_path(path))? else {
            return Ok(None);
        };
        Session::on(path, remote).map(Some)
    }

    fn on(path: &Path, remote: Remote) -> Result<Session, SessionError> {
        let mut session = Session {
            path: path.to_path_buf(),
            actor: Actor::founder(remote.login()),
            backend: Backend::Remote(remote),
        };
        session.actor = session.ask(super::WhoAmIQ)?;
        Ok(session)
    }

    /// A session on files this process opened, as the OS user running it (the
    /// first user of a store with none becomes its committee admin).
    pub fn local(store: Store) -> Result<Session, SessionError> {
        let login = crate::identity::os_login().map_err(|e| {
            OpsError::Refused(ops::Said::new(e.clone(), format!("无法确定登录用户：{e}")))
        })?;
        Session::local_as(store, &login)
    }

    /// As `local`, for a given login (tests, and the demo generator).
    pub fn local_as(store: Store, login: &str) -> Result<Session, SessionError> {
        let actor = ops::actor_for_login(&store, login)?;
        Ok(Session {
            path: store.path().to_path_buf(),
            backend: Backend::Local {
                store,
                login: login.to_string(),
            },
            actor,
        })
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_remote(&self) -> bool {
        matches!(self.backend, Backend::Remote(_))
    }

    /// The store's files, when this process owns them.
    pub fn store(&self) -> Option<&Store> {
        match &self.backend {
            Backend::Local { store, .. } => Some(store),
            Backend::Remote(_) => None,
        }
    }

    /// The server connection, when the store is served.
    pub fn remote(&self) -> Option<&Remote> {
        match &self.backend {
            Backend::Remote(r) => Some(r),
            Backend::Local { .. } => None,
        }
    }

    /// The actor as the store has them now (a user deactivated a moment ago is
    /// refused from the next request on).
    fn current(&self, store: &Store, login: &str) -> Result<Actor, OpsError> {
        ops::actor_for_login(store, login)
    }

    /// Asks a question; the answer comes from where the files are.
    pub fn ask<Q: Query>(&self, q: Q) -> Result<Q::Answer, ReadError> {
        match &self.backend {
            Backend::Local { store, login } => {
                let actor = self.current(store, login)?;
                let view = super::View::new(store, &actor)?;
                q.answer(&view)
            }
            Backend::Remote(remote) => {
                let read: Read = q.into();
                let bytes = remote.read(encode_value(&read)?)?;
                decode_answer::<Result<Q::Answer, ReadError>>(&bytes)?
            }
        }
    }

    /// An export written into `path` as its rows are read: where the files
    /// are (`ExportQ::write_here`) or as the server sends them
    /// (`ExportQ::write_served`). Only a server from before streamed exports
    /// (one started before an upgrade) answers with the whole table, as it
    /// always did. Returns the rows written.
    pub fn export(
        &self,
        q: super::ExportQ,
        format: crate::io::export::FileFormat,
        path: &Path,
    ) -> Result<u64, ReadError> {
        match &self.backend {
            Backend::Local { store, login } => {
                let actor = self.current(store, login)?;
                q.write_here(&super::View::new(store, &actor)?, format, path)
            }
            Backend::Remote(remote) => match q.write_served(remote, format, path)? {
                Some(rows) => Ok(rows),
                None => {
                    let table = self.ask(q)?;
                    crate::io::export::write(&table, format, path)?;
                    Ok(table.rows.len() as u64)
                }
            },
        }
    }

    /// Applies a command and makes it durable.
    pub fn apply(&self, cmd: &Command) -> Result<Applied, OpsError> {
        match &self.backend {
            Backend::Local { store, login } => ops::apply(store, &self.current(store, login)?, cmd),
            Backend::Remote(remote) => {
                ops::remote::apply(remote, std::slice::from_ref(cmd), false)?
                    .pop()
                    .ok_or_else(|| {
                        OpsError::Store(StoreError::Connection("an empty answer".into()))
                    })
            }
        }
    }

    /// Applies commands all or nothing, in one transaction and one fsync.
    pub fn apply_batch(&self, cmds: &[Command]) -> Result<Vec<Applied>, OpsError> {
        match &self.backend {
            Backend::Local { store, login } => {
                ops::apply_batch(store, &self.current(store, login)?, cmds)
            }
            Backend::Remote(remote) => ops::remote::apply(remote, cmds, true),
        }
    }

    /// As `ops::apply_batch_with`. Through a server a closure cannot travel:
    /// each group `next` returns is sent as one batch of its own (all or
    /// nothing per group, not across them).
    pub fn apply_batch_with(
        &self,
        next: &dyn Fn(&[Applied]) -> Option<Vec<Command>>,
    ) -> Result<Vec<Applied>, OpsError> {
        match &self.backend {
            Backend::Local { store, login } => {
                ops::apply_batch_with(store, &self.current(store, login)?, next)
            }
            Backend::Remote(remote) => {
                let mut out: Vec<Applied> = Vec::new();
                while let Some(cmds) = next(&out) {
                    if cmds.is_empty() {
                        break;
                    }
                    out.extend(ops::remote::apply(remote, &cmds, true)?);
                }
                Ok(out)
            }
        }
    }

    /// Every member within sight (of `unit`'s subtree when given), a page at
    /// a time.
    pub fn members(
        &self,
        unit: Option<crate::domain::OrgUnitId>,
    ) -> Result<Vec<crate::domain::Member>, ReadError> {
        const PAGE: u32 = 20_000;
        let mut out: Vec<crate::domain::Member> = Vec::new();
        loop {
            let page = self.ask(super::MembersQ {
                unit,
                after: out.last().map(|m| m.id),
                limit: PAGE,
            })?;
            let full = page.len() as u32 == PAGE;
            out.extend(page);
            if !full {
                return Ok(out);
            }
        }
    }

    /// Change notices from the store's server, when it is served (`None` for
    /// files this process owns: nobody else can change them).
    pub fn subscribe(&self) -> Result<Option<NoticeFeed>, StoreError> {
        match &self.backend {
            Backend::Remote(remote) => Ok(Some(NoticeFeed::subscribe(remote)?)),
            Backend::Local { .. } => Ok(None),
        }
    }
}

/// What asks questions and applies commands as one actor: a `Session`, or
/// the owner of a store's files acting for an actor it names (`AsActor`: the
/// demo generator, tests). Code that works on either — an import's plan and
/// commit — is written against this.
pub trait Client {
    /// Who the store takes the asker for.
    fn actor(&self) -> &Actor;
    fn ask<Q: Query>(&self, q: Q) -> Result<Q::Answer, ReadError>;
    fn apply_batch(&self, cmds: &[Command]) -> Result<Vec<Applied>, OpsError>;
    fn apply_batch_with(
        &self,
        next: &dyn Fn(&[Applied]) -> Option<Vec<Command>>,
    ) -> Result<Vec<Applied>, OpsError>;
}

impl Client for Session {
    fn actor(&self) -> &Actor {
        Session::actor(self)
    }
    fn ask<Q: Query>(&self, q: Q) -> Result<Q::Answer, ReadError> {
        Session::ask(self, q)
    }
    fn apply_batch(&self, cmds: &[Command]) -> Result<Vec<Applied>, OpsError> {
        Session::apply_batch(self, cmds)
    }
    fn apply_batch_with(
        &self,
        next: &dyn Fn(&[Applied]) -> Option<Vec<Command>>,
    ) -> Result<Vec<Applied>, OpsError> {
        Session::apply_batch_with(self, next)
    }
}

/// A store this process owns, asked and changed as `actor`: the same
/// answers (`View`) and the same `ops::apply` a session would reach.
pub struct AsActor<'a>(pub &'a Store, pub &'a Actor);

impl Client for AsActor<'_> {
    fn actor(&self) -> &Actor {
        self.1
    }
    fn ask<Q: Query>(&self, q: Q) -> Result<Q::Answer, ReadError> {
        q.answer(&super::View::new(self.0, self.1)?)
    }
    fn apply_batch(&self, cmds: &[Command]) -> Result<Vec<Applied>, OpsError> {
        ops::apply_batch(self.0, self.1, cmds)
    }
    fn apply_batch_with(
        &self,
        next: &dyn Fn(&[Applied]) -> Option<Vec<Command>>,
    ) -> Result<Vec<Applied>, OpsError> {
        ops::apply_batch_with(self.0, self.1, next)
    }
}
