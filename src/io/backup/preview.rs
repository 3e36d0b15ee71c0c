//! What a restore is about to create, shown before it is put in place: how
//! many records of each kind, and every user with their role and scope (a
//! forged backup would show itself here by a user with a role they should not
//! have). Read from the staged store, which nobody else can see yet.

use crate::domain::*;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// (English name, Chinese name, count), in a fixed order.
    pub counts: Vec<(&'static str, &'static str, u64)>,
    pub users: Vec<PreviewUser>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewUser {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// The unit the user works in, by id and name; `None`: the whole community.
    pub scope: Option<(u64, String)>,
}

/// Reads the preview from a store (the one a restore has staged).
pub fn preview_of(store: &Store) -> Result<Preview, StoreError> {
    // Record kinds with their names in English and Chinese.
    let counts = [
        ("org units", "组织", store.count_of::<OrgUnit>()),
        (
            "partner organisations",
            "联建单位",
            store.count_of::<Partner>(),
        ),
        ("members", "党员", store.count_of::<Member>()),
        ("beneficiaries", "帮扶对象", store.count_of::<Beneficiary>()),
        ("pairings", "结对关系", store.count_of::<Pairing>()),
        ("tasks", "帮扶任务", store.count_of::<Task>()),
        ("points rules", "积分规则", store.count_of::<PointsRule>()),
        (
            "ledger entries",
            "积分条目",
            store.count_of::<PointsEntry>(),
        ),
        ("rewards", "奖品", store.count_of::<Reward>()),
        ("activities", "活动", store.count_of::<Activity>()),
        (
            "attendance records",
            "出勤记录",
            store.count_of::<Attendance>(),
        ),
        ("users", "用户", store.count_of::<User>()),
        ("audit entries", "审计记录", store.count_of::<AuditEntry>()),
    ]
    .into_iter()
    .map(|(en, zh, n)| (en, zh, n as u64))
    .collect();
    let mut users = Vec::new();
    for user in store.scan::<User>() {
        let user = user?;
        let scope = match user.scope {
            None => None,
            Some(id) => {
                let name = store
                    .get_id::<OrgUnit>(id.0)?
                    .map(|u| u.name)
                    .unwrap_or_default();
                Some((id.0, name))
            }
        };
        users.push(PreviewUser {
            login: user.login,
            display_name: user.display_name,
            role: user.role,
            active: user.active,
            scope,
        });
    }
    Ok(Preview { counts, users })
}

impl Preview {
    /// The lines to print, in one language.
    pub fn lines(&self, zh: bool) -> Vec<String> {
        let mut out = Vec::new();
        for (en, name_zh, n) in &self.counts {
            out.push(if zh {
                format!("  {name_zh} {n}")
            } else {
                format!("  {en}: {n}")
            });
        }
        out.push(if zh {
            "用户（角色，范围）：".into()
        } else {
            "users (role, scope):".into()
        });
        for u in &self.users {
            let role = if zh {
                u.role.name_zh()
            } else {
                u.role.name_en()
            };
            let scope = match (&u.scope, zh) {
                (None, false) => "whole community".to_string(),
                (None, true) => "整个社区".to_string(),
                (Some((id, name)), _) => format!("{name} (#{id})"),
            };
            let inactive = match (u.active, zh) {
                (true, _) => "",
                (false, false) => ", inactive",
                (false, true) => "，已停用",
            };
            let name = if u.display_name.is_empty() || u.display_name == u.login {
                String::new()
            } else {
                format!(" {}", u.display_name)
            };
            out.push(if zh {
                format!("  {}{name}（{role}，{scope}{inactive}）", u.login)
            } else {
                format!("  {}{name} ({role}, {scope}{inactive})", u.login)
            });
        }
        out
    }
}
