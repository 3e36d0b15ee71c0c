//! The figures that show whether the organisation reaches its members:
//! activation (who reported, who served), coverage (buildings and members a
//! group covers) and workload (tasks and visits waiting), for a period and an
//! org subtree. The overview panel, `report activation|coverage|workload` and
//! the monthly report all read them from here.
//!
//! Membership is by a member's current unit and only active members count,
//! as in the rankings: the store keeps no history of who belonged where.
//!
//! Speed: the overview of 100,000 members must open at once, so everything is
//! read in as few passes as possible — points from the month and year totals,
//! the pairing records once for all three sections — and the independent
//! scans run on all cores. The TUI passes the members it already holds.

pub mod activation;
pub mod coverage;
pub mod orglife;
pub mod workload;

pub use activation::{Activation, CategoryRow, TrendMonth, activation};
pub use coverage::{Coverage, coverage};
pub use workload::{UnitLoad, Workload, workload};

use super::points::Scope;
use crate::domain::*;
use crate::ops::query;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// What every figure of a scope starts from: the org tree and the active
/// members under the scope's root.
pub struct Context<'a> {
    pub scope: Scope,
    pub units: HashMap<OrgUnitId, OrgUnit>,
    /// The units of the scope: the root and everything below it.
    pub in_scope: HashSet<OrgUnitId>,
    /// Active members of the scope, in id order.
    pub members: Vec<&'a Member>,
    /// A member's position in `members`, by id (`u32::MAX`: not there), so the
    /// per-member figures live in plain arrays.
    slots: Vec<u32>,
}

/// The members of a scope read from the store, for callers that do not hold
/// them already (the CLI); `Context::new` picks the active ones.
pub fn scope_members(store: &Store, scope: Scope) -> Result<Vec<Member>, StoreError> {
    match scope {
        Scope::Community => store.scan::<Member>().collect(),
        Scope::Subtree(root) => {
            let mut members = Vec::new();
            for unit in query::subtree(store, root)? {
                for id in store.member_ids_in_unit(unit)? {
                    if let Some(m) = store.get_id::<Member>(id.0)? {
                        members.push(m);
                    }
                }
            }
            Ok(members)
        }
    }
}

impl<'a> Context<'a> {
    /// The context of `scope` over `members` (any superset of the scope's:
    /// those outside it and those no longer active are left out).
    pub fn new(
        store: &Store,
        scope: Scope,
        members: impl IntoIterator<Item = &'a Member>,
    ) -> Result<Context<'a>, StoreError> {
        let units: HashMap<OrgUnitId, OrgUnit> = query::org_units(store)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let in_scope: HashSet<OrgUnitId> = match scope {
            Scope::Community => units.keys().copied().collect(),
            Scope::Subtree(root) => query::subtree(store, root)?.into_iter().collect(),
        };
        let mut members: Vec<&Member> = members
            .into_iter()
            .filter(|m| {
                m.data.status == MemberStatus::Active
                    && (scope == Scope::Community || in_scope.contains(&m.data.unit))
            })
            .collect();
        members.sort_unstable_by_key(|m| m.id);
        let size = members.last().map_or(0, |m| m.id.0 as usize + 1);
        let mut slots = vec![u32::MAX; size];
        for (i, m) in members.iter().enumerate() {
            slots[m.id.0 as usize] = i as u32;
        }
        Ok(Context {
            scope,
            units,
            in_scope,
            members,
            slots,
        })
    }

    /// The position of an active member of the scope in `members`.
    pub fn slot(&self, member: MemberId) -> Option<usize> {
        let at = *self.slots.get(usize::try_from(member.0).ok()?)?;
        (at != u32::MAX).then_some(at as usize)
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

    /// Whether the scope holds every unit (the community, or the subtree of
    /// the committee at the top): then the community's stored counts and
    /// ordered scans serve it.
    pub fn is_whole_community(&self) -> bool {
        self.scope == Scope::Community || self.in_scope.len() == self.units.len()
    }

    /// The unit the scope is rooted at, if it is a subtree.
    pub fn root(&self) -> Option<OrgUnitId> {
        match self.scope {
            Scope::Community => None,
            Scope::Subtree(u) => Some(u),
        }
    }
}

/// The pairing-assistance records, read once for all three sections.
pub struct CareRecords {
    pub tasks: Vec<Task>,
    pub beneficiaries: Vec<Beneficiary>,
    /// Beneficiaries with at least one active pairing.
    pub paired: HashSet<BeneficiaryId>,
}

impl CareRecords {
    pub fn load(store: &Store) -> Result<CareRecords, StoreError> {
        let mut paired = HashSet::new();
        for p in store.scan::<Pairing>() {
            let p = p?;
            if p.active() {
                paired.insert(p.beneficiary);
            }
        }
        Ok(CareRecords {
            tasks: store.scan::<Task>().collect::<Result<_, _>>()?,
            beneficiaries: store.scan::<Beneficiary>().collect::<Result<_, _>>()?,
            paired,
        })
    }
}

/// A record a figure counts, named so a list behind the figure can be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Named<Id> {
    pub id: Id,
    pub name: String,
    pub unit: OrgUnitId,
    pub unit_name: String,
}

/// Everything the overview panel shows, computed from one load of the scope.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Overview {
    pub activation: Activation,
    pub coverage: Coverage,
    pub workload: Workload,
    /// Points earned in the period by the members of each open branch of the scope.
    pub points_by_branch: Vec<(OrgUnitId, String, Points)>,
    /// Meetings missed, flows, lost contact and committees due (`orglife`).
    pub orglife: orglife::OrgLife,
}

/// The overview of `scope`, reading its members from the store.
pub fn overview(
    store: &Store,
    scope: Scope,
    period: &super::period::Period,
    today: NaiveDate,
) -> Result<Overview, StoreError> {
    let members = scope_members(store, scope)?;
    overview_of(store, scope, &members, period, today)
}

/// The overview of `scope` over members the caller already holds.
pub fn overview_of<'a>(
    store: &Store,
    scope: Scope,
    members: impl IntoIterator<Item = &'a Member>,
    period: &super::period::Period,
    today: NaiveDate,
) -> Result<Overview, StoreError> {
    let cx = Context::new(store, scope, members)?;
    // The pairing records load on one core while the points totals are read.
    let (care, spans) = std::thread::scope(|s| {
        let care = s.spawn(|| CareRecords::load(store));
        let spans = activation::read_spans(store, &cx, period, today);
        let care = care
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (care, spans)
    });
    let care = care?;
    let (activation, sums) = activation::compute(store, &cx, &care, period, spans?)?;
    let coverage = coverage::compute(&cx, &care);
    let workload = workload::compute(&cx, &care, today);
    let mut by_unit: HashMap<OrgUnitId, i64> = HashMap::new();
    for (m, p) in cx.members.iter().zip(&sums) {
        *by_unit.entry(m.data.unit).or_default() += p;
    }
    let mut by_branch: HashMap<OrgUnitId, i64> = HashMap::new();
    for (unit, p) in by_unit {
        if let Some(b) = cx.branch_of(unit) {
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
    let orglife = orglife::compute(store, &cx, period, today)?;
    Ok(Overview {
        activation,
        coverage,
        workload,
        points_by_branch,
        orglife,
    })
}

/// Runs independent jobs on all cores; the results in the jobs' order.
pub(crate) fn on_all_cores<'a, T: Send>(jobs: Vec<Box<dyn FnOnce() -> T + Send + 'a>>) -> Vec<T> {
    let n = jobs.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |c| c.get())
        .min(n);
    let queue = Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    let work = || {
        loop {
            let next = match queue.lock() {
                Ok(mut q) => q.pop(),
                Err(_) => None,
            };
            let Some((i, job)) = next else { break };
            let out = job();
            if let Ok(mut r) = results.lock() {
                r[i] = Some(out);
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}
