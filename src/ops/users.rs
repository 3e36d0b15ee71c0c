//! dangjian users: OS logins with a role and a scope. Only a committee admin
//! manages them; a user is deactivated, never removed, so the audit log's
//! logins always resolve.

use super::authority::Need;
use super::{Applied, Command, Ctx, OpResult, not_found, optional_text, refuse};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::AddUser {
            login,
            display_name,
            role,
            scope,
        } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let login = clean_login(login)?;
            if ctx.tx.user(&login)?.is_some() {
                return refuse(
                    format!("`{login}` is already a dangjian user"),
                    format!("`{login}` 已经是党建用户"),
                );
            }
            let scope = check_scope(ctx, *role, *scope)?;
            let user = User {
                display_name: display(display_name, &login)?,
                login,
                role: *role,
                scope,
                active: true,
            };
            ctx.tx.put(&user)?;
            Ok(Applied {
                touched: Default::default(),
                subject: user.login.clone(),
                created: None,
                summary: format!("added user {} as {}", user.login, role.name_en()),
                inverse: Some(Command::UpdateUser {
                    login: user.login.clone(),
                    display_name: user.display_name.clone(),
                    role: user.role,
                    scope: user.scope,
                    active: false,
                }),
            })
        }
        Command::UpdateUser {
            login,
            display_name,
            role,
            scope,
            active,
        } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let Some(old) = ctx.tx.user(login)? else {
                return not_found(format!("user `{login}`"), format!("用户 `{login}`"));
            };
            if old.login == ctx.actor.login && (!active || *role != Role::CommitteeAdmin) {
                return refuse(
                    "you cannot demote or deactivate yourself; ask another admin",
                    "不能给自己降级或停用自己，请找另一位管理员",
                );
            }
            let scope = check_scope(ctx, *role, *scope)?;
            let new = User {
                login: old.login.clone(),
                display_name: display(display_name, &old.login)?,
                role: *role,
                scope,
                active: *active,
            };
            ctx.tx.put(&new)?;
            Ok(Applied {
                touched: Default::default(),
                subject: new.login.clone(),
                created: None,
                summary: format!(
                    "user {}: {}{}",
                    new.login,
                    new.role.name_en(),
                    if new.active { "" } else { " (deactivated)" }
                ),
                inverse: Some(Command::UpdateUser {
                    login: old.login,
                    display_name: old.display_name,
                    role: old.role,
                    scope: old.scope,
                    active: old.active,
                }),
            })
        }
        _ => refuse(
            format!("{} is not a user command", cmd.kind()),
            format!("{} 不是用户命令", cmd.kind()),
        ),
    }
}

fn clean_login(login: &str) -> OpResult<String> {
    let l = login.trim();
    let ok = !l.is_empty()
        && l.len() <= 32
        && l.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        return refuse(
            format!("`{l}` is not an OS login name (letters, digits, _ - . up to 32)"),
            format!("`{l}` 不是系统登录名（字母、数字、_ - .，最多 32 个）"),
        );
    }
    Ok(l.to_string())
}

fn display(name: &str, login: &str) -> OpResult<String> {
    let d = optional_text("display name", name, 30)?;
    Ok(if d.is_empty() { login.to_string() } else { d })
}

/// Branch secretaries and group leaders need a scope of the right level.
fn check_scope(ctx: &Ctx, role: Role, scope: Option<OrgUnitId>) -> OpResult<Option<OrgUnitId>> {
    let needed = match role {
        Role::BranchSecretary => Some(OrgLevel::Branch),
        Role::GroupLeader => Some(OrgLevel::Group),
        Role::CommitteeAdmin | Role::Viewer => None,
    };
    match (needed, scope) {
        (Some(level), None) => refuse(
            format!(
                "a {} needs a scope: the id of their {}",
                role.name_en(),
                level.name_en()
            ),
            format!(
                "{}需要指定范围：所在{}的编号",
                role.name_zh(),
                level.name_zh()
            ),
        ),
        (Some(level), Some(id)) => {
            let unit = super::org::load(ctx, id)?;
            if unit.level != level {
                return refuse(
                    format!(
                        "the scope of a {} must be a {}, and {} is a {}",
                        role.name_en(),
                        level.name_en(),
                        unit.name,
                        unit.level.name_en()
                    ),
                    format!(
                        "{}的范围必须是{}，而{}是{}",
                        role.name_zh(),
                        level.name_zh(),
                        unit.name,
                        unit.level.name_zh()
                    ),
                );
            }
            Ok(Some(id))
        }
        (None, Some(id)) => {
            super::org::load(ctx, id)?;
            Ok(Some(id))
        }
        (None, None) => Ok(None),
    }
}
