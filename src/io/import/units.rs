//! Matching the committee, branch and group a row names to the org tree, and
//! planning the units `--create-units` adds. Names compare with full-width
//! characters made half-width and spaces ignored, so "第一党支部 " is 第一党支部.

use crate::access::{Client, OrgUnitsQ, ReadError, VisibleUnitsQ};
use crate::domain::validate::normalize_input;
use crate::domain::*;
use crate::ops::Actor;
use std::collections::HashMap;

/// A unit a row goes to: one in the store, or one the import will create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitRef {
    Existing(OrgUnitId),
    New(usize),
}

/// A unit the import creates, parents before children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub parent: Option<UnitRef>,
    pub level: OrgLevel,
    pub name: String,
}

/// Which of the three org columns a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgColumn {
    Committee,
    Branch,
    Group,
}

/// Why a row's unit could not be found or made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitProblem {
    pub column: OrgColumn,
    pub en: String,
    pub zh: String,
}

fn problem(column: OrgColumn, en: String, zh: String) -> UnitProblem {
    UnitProblem { column, en, zh }
}

pub fn name_key(s: &str) -> String {
    normalize_input(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The org tree as the import sees it, with the units it plans to add.
pub struct OrgIndex {
    units: Vec<OrgUnit>,
    pub new: Vec<NewUnit>,
    create: bool,
    actor: Actor,
    /// Which existing units the actor may change (their scope).
    visible: HashMap<OrgUnitId, bool>,
    cache: HashMap<(String, String, String, bool), Result<UnitRef, UnitProblem>>,
    /// `--committee NAME`: the committee of rows that name none.
    committee: Option<String>,
}

impl OrgIndex {
    /// The import's reads of the org tree: every unit, and which the actor
    /// may change.
    pub fn load(
        client: &impl Client,
        create: bool,
        committee: Option<&str>,
    ) -> Result<OrgIndex, ReadError> {
        let units: Vec<OrgUnit> = client.ask(OrgUnitsQ)?;
        let mine: std::collections::HashSet<OrgUnitId> = client
            .ask(VisibleUnitsQ)?
            .into_iter()
            .map(|u| u.id)
            .collect();
        let visible = units.iter().map(|u| (u.id, mine.contains(&u.id))).collect();
        let actor = client.actor();
        Ok(OrgIndex {
            committee: committee
                .map(crate::domain::validate::tidy_text)
                .filter(|c| !c.is_empty()),
            units,
            new: Vec::new(),
            create,
            actor: actor.clone(),
            visible,
            cache: HashMap::new(),
        })
    }

    /// Whether the store has an open committee for rows that name none.
    pub fn has_open_committee(&self) -> bool {
        self.units
            .iter()
            .any(|u| u.level == OrgLevel::Committee && u.closed.is_none())
    }

    /// Checks `--committee NAME` once, before any row: a problem here would
    /// otherwise be said for every row.
    pub fn check_committee_option(&mut self) -> Result<(), UnitProblem> {
        let Some(name) = self.committee.clone() else {
            return Ok(());
        };
        self.find_or_plan(
            OrgColumn::Committee,
            None,
            OrgLevel::Committee,
            &name_key(&name),
            &name,
        )
        .map(|_| ())
    }

    /// A unit's name for the preview, `(new)` marked.
    pub fn unit_name(&self, r: UnitRef, zh: bool) -> String {
        match r {
            UnitRef::Existing(id) => self
                .units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| id.to_string()),
            UnitRef::New(i) => {
                let name = self.new.get(i).map(|n| n.name.clone()).unwrap_or_default();
                if zh {
                    format!("{name}（新建）")
                } else {
                    format!("{name} (new)")
                }
            }
        }
    }

    fn admin(&self) -> bool {
        self.actor.role == Role::CommitteeAdmin && self.actor.scope.is_none()
    }

    /// The unit for a row's committee, branch and group names (any may be
    /// empty). `committee_ok`: whether the committee itself may be the answer
    /// (beneficiaries yes, members no).
    pub fn resolve(
        &mut self,
        committee: &str,
        branch: &str,
        group: &str,
        committee_ok: bool,
    ) -> Result<UnitRef, UnitProblem> {
        let key = (
            name_key(committee),
            name_key(branch),
            name_key(group),
            committee_ok,
        );
        if let Some(hit) = self.cache.get(&key) {
            return hit.clone();
        }
        let result = self.resolve_uncached(&key.0, &key.1, &key.2, committee, branch, group);
        let result = match result {
            Ok(None) if committee_ok => Err(problem(
                OrgColumn::Branch,
                "a branch, a group or a committee is required".into(),
                "需填写所属党委、支部或党小组".into(),
            )),
            Ok(None) => Err(problem(
                OrgColumn::Branch,
                "a branch or a group is required".into(),
                "需填写所属支部或党小组".into(),
            )),
            Ok(Some((r, level))) if level == OrgLevel::Committee && !committee_ok => {
                let _ = r;
                Err(problem(
                    OrgColumn::Branch,
                    "a member belongs to a branch or a group, not the committee".into(),
                    "党员应属于党支部或楼栋党小组，不能直接属于社区党委".into(),
                ))
            }
            Ok(Some((r, _))) => Ok(r),
            Err(e) => Err(e),
        };
        self.cache.insert(key, result.clone());
        result
    }

    fn resolve_uncached(
        &mut self,
        ck: &str,
        bk: &str,
        gk: &str,
        committee: &str,
        branch: &str,
        group: &str,
    ) -> Result<Option<(UnitRef, OrgLevel)>, UnitProblem> {
        let committee_ref = if ck.is_empty()
            && let Some(name) = self.committee.clone()
        {
            Some(self.find_or_plan(
                OrgColumn::Committee,
                None,
                OrgLevel::Committee,
                &name_key(&name),
                &name,
            )?)
        } else if ck.is_empty() {
            let open: Vec<&OrgUnit> = self
                .units
                .iter()
                .filter(|u| u.level == OrgLevel::Committee && u.closed.is_none())
                .collect();
            match open.as_slice() {
                [only] => Some(UnitRef::Existing(only.id)),
                _ => None,
            }
        } else {
            Some(self.find_or_plan(
                OrgColumn::Committee,
                None,
                OrgLevel::Committee,
                ck,
                committee,
            )?)
        };
        let branch_ref = if bk.is_empty() {
            None
        } else {
            Some(self.find_or_plan(
                OrgColumn::Branch,
                committee_ref,
                OrgLevel::Branch,
                bk,
                branch,
            )?)
        };
        if !gk.is_empty() {
            let group_ref =
                self.find_or_plan(OrgColumn::Group, branch_ref, OrgLevel::Group, gk, group)?;
            return Ok(Some((group_ref, OrgLevel::Group)));
        }
        if let Some(b) = branch_ref {
            return Ok(Some((b, OrgLevel::Branch)));
        }
        if !ck.is_empty() {
            return Ok(committee_ref.map(|c| (c, OrgLevel::Committee)));
        }
        Ok(None)
    }

    /// A unit of `level` named `key` under `parent` (anywhere when the parent
    /// is not known), or a planned new one when allowed.
    fn find_or_plan(
        &mut self,
        column: OrgColumn,
        parent: Option<UnitRef>,
        level: OrgLevel,
        key: &str,
        shown: &str,
    ) -> Result<UnitRef, UnitProblem> {
        let shown = crate::domain::validate::tidy_text(shown);
        let (level_en, level_zh) = (level.name_en(), level.name_zh());
        // Units planned earlier in this import.
        if let Some(i) = self
            .new
            .iter()
            .position(|n| n.level == level && name_key(&n.name) == key && n.parent == parent)
        {
            return Ok(UnitRef::New(i));
        }
        let candidates: Vec<&OrgUnit> = self
            .units
            .iter()
            .filter(|u| u.level == level && name_key(&u.name) == key)
            .filter(|u| match parent {
                Some(UnitRef::Existing(p)) => u.parent == Some(p),
                Some(UnitRef::New(_)) => false,
                None => true,
            })
            .collect();
        let open: Vec<&&OrgUnit> = candidates.iter().filter(|u| u.closed.is_none()).collect();
        match (open.as_slice(), candidates.as_slice()) {
            ([only], _) => {
                let id = only.id;
                if !self.visible.get(&id).copied().unwrap_or(false) {
                    return Err(problem(
                        column,
                        format!(
                            "{level_en} {shown} is outside what `{}` may change",
                            self.actor.login
                        ),
                        format!(
                            "{level_zh}“{shown}”不在 `{}` 可修改的范围内",
                            self.actor.login
                        ),
                    ));
                }
                Ok(UnitRef::Existing(id))
            }
            ([_, _, ..], _) => Err(problem(
                column,
                format!(
                    "several {level_en}s are named {shown}; name the unit above it too (the branch of a group)"
                ),
                format!("有多个名为“{shown}”的{level_zh}，请同时填写上级组织"),
            )),
            ([], [_, ..]) => Err(problem(
                column,
                format!("{level_en} {shown} is closed"),
                format!("{level_zh}“{shown}”已撤销"),
            )),
            ([], []) => self.plan(column, parent, level, &shown),
        }
    }

    fn plan(
        &mut self,
        column: OrgColumn,
        parent: Option<UnitRef>,
        level: OrgLevel,
        shown: &str,
    ) -> Result<UnitRef, UnitProblem> {
        let (level_en, level_zh) = (level.name_en(), level.name_zh());
        if !self.create {
            return Err(problem(
                column,
                format!(
                    "there is no {level_en} named {shown}; add it first, or import with --create-units"
                ),
                format!("没有名为“{shown}”的{level_zh}；请先添加，或导入时加 --create-units"),
            ));
        }
        if level != OrgLevel::Committee && parent.is_none() {
            let above = match level {
                OrgLevel::Group => ("its branch", "所属支部"),
                _ => ("the committee", "所属党委"),
            };
            return Err(problem(
                column,
                format!(
                    "there is no {level_en} named {shown}; to create it, give {} too",
                    above.0
                ),
                format!(
                    "没有名为“{shown}”的{level_zh}；要新建它，请同时填写{}",
                    above.1
                ),
            ));
        }
        let needs_admin = level != OrgLevel::Group;
        let allowed = if needs_admin {
            self.admin()
        } else {
            match parent {
                Some(UnitRef::Existing(p)) => {
                    matches!(
                        self.actor.role,
                        Role::CommitteeAdmin | Role::BranchSecretary
                    ) && self.visible.get(&p).copied().unwrap_or(false)
                }
                _ => self.admin(),
            }
        };
        if !allowed {
            return Err(problem(
                column,
                format!(
                    "there is no {level_en} named {shown}, and `{}` may not create one",
                    self.actor.login
                ),
                format!(
                    "没有名为“{shown}”的{level_zh}，而 `{}` 无权新建",
                    self.actor.login
                ),
            ));
        }
        self.new.push(NewUnit {
            parent,
            level,
            name: shown.to_string(),
        });
        Ok(UnitRef::New(self.new.len() - 1))
    }

    /// Names of a unit and the units above it: (committee, branch, group).
    pub fn path_of(units: &HashMap<OrgUnitId, OrgUnit>, id: OrgUnitId) -> (String, String, String) {
        let mut out = (String::new(), String::new(), String::new());
        let mut at = Some(id);
        for _ in 0..8 {
            let Some(u) = at.and_then(|i| units.get(&i)) else {
                break;
            };
            match u.level {
                OrgLevel::Committee => out.0 = u.name.clone(),
                OrgLevel::Branch => out.1 = u.name.clone(),
                OrgLevel::Group => out.2 = u.name.clone(),
            }
            at = u.parent;
        }
        out
    }
}
