//! The figures that show whether the organisation reaches its members:
//! activation (who reported, who served), coverage (buildings and members a
//! group covers) and workload (tasks and visits waiting), for a period and an
//! org subtree. The overview panel, `report activation|coverage|workload` and
//! the monthly report all read them from here.
//!
//! Membership is by a member's current unit and only active members count,
//! as in the rankings: the store keeps no history of who belonged where.

pub mod activation;
pub mod coverage;
pub mod workload;

pub use activation::{Activation, CategoryRow, TrendMonth, activation};
pub use coverage::{Coverage, coverage};
pub use workload::{UnitLoad, Workload, workload};

use super::points::Scope;
use crate::domain::*;
use crate::ops::query;
use crate::store::codec::be;
use crate::store::{Store, StoreError, Tree};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What every figure of a scope starts from: the org tree and the active
/// members under the scope's root.
pub struct Context {
    pub scope: Scope,
    pub units: HashMap<OrgUnitId, OrgUnit>,
    /// The units of the scope: the root and everything below it.
    pub in_scope: HashSet<OrgUnitId>,
    /// Active members of the scope, in id order.
    pub members: Vec<Member>,
}

impl Context {
    pub fn load(store: &Store, scope: Scope) -> Result<Context, StoreError> {
        let units: HashMap<OrgUnitId, OrgUnit> = query::org_units(store)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let (in_scope, mut members) = match scope {
            Scope::Community => {
                let all: Vec<Member> = store.scan::<Member>().collect::<Result<_, _>>()?;
                (units.keys().copied().collect::<HashSet<_>>(), all)
            }
            Scope::Subtree(root) => {
                let ids = query::subtree(store, root)?;
                let mut members = Vec::new();
                for unit in &ids {
                    for id in store.index_ids(Tree::IxMemberUnit, &be(unit.0), 8)? {
                        if let Some(m) = store.get_id::<Member>(id)? {
                            members.push(m);
                        }
                    }
                }
                (ids.into_iter().collect(), members)
            }
        };
        members.retain(|m| m.data.status == MemberStatus::Active);
        members.sort_unstable_by_key(|m| m.id);
        Ok(Context {
            scope,
            units,
            in_scope,
            members,
        })
    }

    /// The branch a unit belongs to (itself when it is one); `None` for the
    /// committee.
    pub fn branch_of(&self, unit: OrgUnitId) -> Option<OrgUnitId> {
        let mut at = Some(unit);
        for _ in 0..8 {
            let u = self.units.get(&at?)?;
            if u.level == OrgLevel::Branch {
                return Some(u.id);
            }
            at = u.parent;
        }
        None
    }

    pub fn unit_name(&self, unit: OrgUnitId) -> String {
        self.units
            .get(&unit)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    }

    /// The open units of the scope at one level, by id.
    pub fn open_units(&self, level: OrgLevel) -> Vec<&OrgUnit> {
        let mut out: Vec<&OrgUnit> = self
            .units
            .values()
            .filter(|u| u.level == level && u.closed.is_none() && self.in_scope.contains(&u.id))
            .collect();
        out.sort_by_key(|u| u.id);
        out
    }

    /// The unit the scope is rooted at, if it is a subtree.
    pub fn root(&self) -> Option<OrgUnitId> {
        match self.scope {
            Scope::Community => None,
            Scope::Subtree(u) => Some(u),
        }
    }
}

/// A record a figure counts, named so a list behind the figure can be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named<Id> {
    pub id: Id,
    pub name: String,
    pub unit: OrgUnitId,
    pub unit_name: String,
}

/// Everything the overview panel shows, computed from one load of the scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    pub activation: Activation,
    pub coverage: Coverage,
    pub workload: Workload,
    /// Points earned in the period by the members of each open branch of the scope.
    pub points_by_branch: Vec<(OrgUnitId, String, Points)>,
}

pub fn overview(
    store: &Store,
    actor: &crate::ops::Actor,
    scope: Scope,
    period: &super::period::Period,
    today: NaiveDate,
) -> Result<Overview, StoreError> {
    let cx = Context::load(store, scope)?;
    let (activation, sums) = activation::compute(store, &cx, period, today)?;
    let coverage = coverage::compute(store, &cx)?;
    let workload = workload::compute(store, actor, &cx, today)?;
    let mut by_branch: HashMap<OrgUnitId, i64> = HashMap::new();
    for m in &cx.members {
        if let (Some(b), Some(p)) = (cx.branch_of(m.data.unit), sums.get(&m.id)) {
            *by_branch.entry(b).or_default() += p;
        }
    }
    let points_by_branch = cx
        .open_units(OrgLevel::Branch)
        .into_iter()
        .map(|b| {
            (
                b.id,
                b.name.clone(),
                Points(by_branch.get(&b.id).copied().unwrap_or(0)),
            )
        })
        .collect();
    Ok(Overview {
        activation,
        coverage,
        workload,
        points_by_branch,
    })
}
