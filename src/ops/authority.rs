//! Who may do what. Roles: a committee admin does everything; a branch secretary
//! manages their branch's subtree; a group leader or grid worker works in their
//! group (records points, tasks, attendance); a viewer only reads.

use super::{Ctx, OpResult, OpsError};
use crate::domain::{OrgUnit, OrgUnitId, Role, User};
use crate::store::{Abort, Store, StoreError, Tx};

/// The user a command is applied for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Actor {
    pub login: String,
    pub role: Role,
    /// `None`: the whole community.
    pub scope: Option<OrgUnitId>,
}

/// What a command needs of its actor.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Need {
    /// Committee admin only: users, rules, rewards, partners, the top of the tree.
    Admin,
    /// Admin, or a branch secretary whose scope holds the unit.
    Manage(OrgUnitId),
    /// Admin, branch secretary or group leader whose scope holds the unit.
    WorkIn(OrgUnitId),
}

impl Actor {
    pub fn from_user(user: &User) -> Actor {
        Actor {
            login: user.login.clone(),
            role: user.role,
            scope: user.scope,
        }
    }

    /// The OS user creating a store: its first committee admin.
    pub fn founder(login: &str) -> Actor {
        Actor {
            login: login.to_string(),
            role: Role::CommitteeAdmin,
            scope: None,
        }
    }

    pub(crate) fn require_writer(&self) -> OpResult<()> {
        if self.role == Role::Viewer {
            return Err(forbidden(
                format!("`{}` is a viewer and cannot change anything", self.login),
                format!("`{}` 是只读用户，不能修改任何内容", self.login),
            ));
        }
        Ok(())
    }

    pub(crate) fn require(&self, ctx: &Ctx, need: Need) -> OpResult<()> {
        let allowed = match (need, self.role) {
            (_, Role::Viewer) => false,
            (_, Role::CommitteeAdmin) if self.scope.is_none() => true,
            (Need::Admin, _) => false,
            (Need::Manage(_), Role::GroupLeader) => false,
            (Need::Manage(unit) | Need::WorkIn(unit), _) => match self.scope {
                None => true,
                Some(scope) => within_tx(ctx.tx, unit, scope)?,
            },
        };
        if allowed {
            Ok(())
        } else {
            Err(match need {
                Need::Admin => forbidden(
                    format!(
                        "only a committee admin may do this; `{}` is {}",
                        self.login,
                        self.role.name_en()
                    ),
                    format!(
                        "只有党委管理员可以这样做；`{}` 是{}",
                        self.login,
                        self.role.name_zh()
                    ),
                ),
                Need::Manage(unit) | Need::WorkIn(unit) => forbidden(
                    format!(
                        "org unit {unit} is outside what `{}` ({}) may change",
                        self.login,
                        self.role.name_en()
                    ),
                    format!(
                        "组织 {unit} 不在 `{}`（{}）可修改的范围内",
                        self.login,
                        self.role.name_zh()
                    ),
                ),
            })
        }
    }

    /// Whether this actor may see the ID number and phone of a member of
    /// `unit`: committee admins, and a branch secretary within their scope.
    /// (The TUI's `App::may_reveal` is the same rule over its loaded tree.)
    pub fn may_reveal(&self, store: &Store, unit: OrgUnitId) -> Result<bool, StoreError> {
        match self.role {
            Role::CommitteeAdmin => Ok(true),
            Role::BranchSecretary => self.can_see(store, unit),
            Role::GroupLeader | Role::Viewer => Ok(false),
        }
    }

    /// Whether reads of `unit` are within this actor's scope.
    pub fn can_see(&self, store: &Store, unit: OrgUnitId) -> Result<bool, StoreError> {
        match self.scope {
            None => Ok(true),
            Some(scope) => within(store, unit, scope),
        }
    }
}

fn forbidden(en: String, zh: String) -> Abort<OpsError> {
    Abort::Refused(OpsError::Forbidden(super::Said::new(en, zh)))
}

/// The tree is three levels deep; the bound only guards against a damaged cycle.
const MAX_DEPTH: usize = 16;

/// Whether `unit` is `scope` or below it.
pub(crate) fn within_tx(tx: &Tx, unit: OrgUnitId, scope: OrgUnitId) -> OpResult<bool> {
    let mut at = Some(unit);
    for _ in 0..MAX_DEPTH {
        match at {
            None => return Ok(false),
            Some(u) if u == scope => return Ok(true),
            Some(u) => at = tx.get_id::<OrgUnit>(u.0)?.and_then(|o| o.parent),
        }
    }
    Ok(false)
}

pub fn within(store: &Store, unit: OrgUnitId, scope: OrgUnitId) -> Result<bool, StoreError> {
    let mut at = Some(unit);
    for _ in 0..MAX_DEPTH {
        match at {
            None => return Ok(false),
            Some(u) if u == scope => return Ok(true),
            Some(u) => at = store.get_id::<OrgUnit>(u.0)?.and_then(|o| o.parent),
        }
    }
    Ok(false)
}
