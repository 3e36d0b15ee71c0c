//! `users add|set|revoke|list`: who may use the store, with what role and
//! scope. Only a committee admin changes them (the store's owner checks);
//! a revoked user gets nothing more, even on a connection already open.

use super::said::{done, pick, said};
use crate::access::{Session, UsersQ};
use crate::domain::{OrgUnitId, Role};
use crate::ops::Command;
use clap::{Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum UsersCmd {
    /// Add an OS login as a dangjian user.
    Add {
        login: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Org unit id the user works in (a branch for secretaries, a group for leaders).
        #[arg(long)]
        scope: Option<u64>,
        /// Display name (default: the login).
        #[arg(long)]
        name: Option<String>,
    },
    /// Change a user's role, scope or display name (unchanged ones kept).
    Set {
        login: String,
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        /// Org unit id the user works in; `--scope all` for the whole community.
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// Make a revoked user active again.
        #[arg(long)]
        activate: bool,
    },
    /// Take a user's access away at once (their open connections get nothing
    /// more); the user stays in the audit log.
    Revoke { login: String },
    /// List users.
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Secretary,
    Leader,
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::CommitteeAdmin,
            RoleArg::Secretary => Role::BranchSecretary,
            RoleArg::Leader => Role::GroupLeader,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

pub fn run(session: &Session, what: &UsersCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let lang = crate::domain::Lang::of_zh(zh);
    match what {
        UsersCmd::Add {
            login,
            role,
            scope,
            name,
        } => {
            let cmd = Command::AddUser {
                login: login.clone(),
                display_name: name.clone().unwrap_or_default(),
                role: (*role).into(),
                scope: scope.map(OrgUnitId),
            };
            let applied = session.apply(&cmd)?;
            outln!("{}", done(&cmd, &applied, zh))?;
        }
        UsersCmd::Set {
            login,
            role,
            scope,
            name,
            activate,
        } => {
            let old = user_arg(session, login)?;
            let scope = match scope.as_deref() {
                None => old.scope,
                Some("all") => None,
                Some(id) => Some(OrgUnitId(id.parse().map_err(|_| {
                    said(
                        format!("--scope: '{id}' is not an org unit id (or `all`)"),
                        format!("--scope：“{id}”不是组织编号（也可写 `all`）"),
                    )
                })?)),
            };
            let cmd = Command::UpdateUser {
                login: old.login.clone(),
                display_name: name.clone().unwrap_or(old.display_name),
                role: role.map_or(old.role, Role::from),
                scope,
                active: old.active || *activate,
            };
            let applied = session.apply(&cmd)?;
            outln!("{}", done(&cmd, &applied, zh))?;
        }
        UsersCmd::Revoke { login } => {
            let old = user_arg(session, login)?;
            let cmd = Command::UpdateUser {
                login: old.login,
                display_name: old.display_name,
                role: old.role,
                scope: old.scope,
                active: false,
            };
            let applied = session.apply(&cmd)?;
            outln!("{}", done(&cmd, &applied, zh))?;
        }
        UsersCmd::List => {
            for u in session.ask(UsersQ)? {
                outln!(
                    "{:<16} {:<12} {} {:<8} {}",
                    u.login,
                    u.display_name,
                    super::points::pad(u.role.label(lang), 18),
                    u.scope
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| pick(zh, "all", "全部").into()),
                    if u.active {
                        pick(zh, "active", "在用")
                    } else {
                        pick(zh, "inactive", "已停用")
                    }
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A user of the store by login (committee admins see them all).
fn user_arg(session: &Session, login: &str) -> anyhow::Result<crate::domain::User> {
    session
        .ask(UsersQ)?
        .into_iter()
        .find(|u| u.login == login.trim())
        .ok_or_else(|| {
            said(
                format!(
                    "no dangjian user `{}`; `dangjian users list` shows them",
                    login.trim()
                ),
                format!(
                    "没有 dangjian 用户 `{}`；`dangjian users list` 列出全部用户",
                    login.trim()
                ),
            )
        })
}
