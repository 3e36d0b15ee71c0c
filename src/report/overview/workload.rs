//! Workload: pairing tasks still open and overdue, per group, and the
//! beneficiaries waiting longer than their visit cycle. A task belongs to the
//! unit of its beneficiary (normally the group covering their building), as in
//! the pairing panel; a visit is any completed task, as in the visit log.

use super::{CareRecords, Context, Named};
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct UnitLoad {
    pub unit: OrgUnitId,
    pub name: String,
    pub branch_name: String,
    pub open: u64,
    /// Open and due before today.
    pub overdue: u64,
    /// Active beneficiaries of the unit overdue for a visit (or never visited).
    pub visits_overdue: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Workload {
    pub today: NaiveDate,
    /// Every open group of the scope, and any other unit holding work; by id.
    pub units: Vec<UnitLoad>,
    pub open: u64,
    pub overdue: u64,
    /// Active beneficiaries not visited within their cycle: never visited
    /// first, then the most overdue, then by id.
    pub visits_overdue: Vec<Named<BeneficiaryId>>,
}

pub fn workload(
    store: &Store,
    scope: crate::report::points::Scope,
    today: NaiveDate,
) -> Result<Workload, StoreError> {
    let cx = Context::new(store, scope, std::iter::empty())?;
    Ok(compute(&cx, &CareRecords::load(store)?, today))
}

pub(super) fn compute(cx: &Context, care: &CareRecords, today: NaiveDate) -> Workload {
    let mut units: BTreeMap<OrgUnitId, UnitLoad> = BTreeMap::new();
    let load_of = |units: &mut BTreeMap<OrgUnitId, UnitLoad>, unit: OrgUnitId| {
        units.entry(unit).or_insert_with(|| UnitLoad {
            unit,
            name: cx.unit_name(unit),
            branch_name: cx
                .branch_of(unit)
                .map(|b| cx.unit_name(b))
                .unwrap_or_default(),
            open: 0,
            overdue: 0,
            visits_overdue: 0,
        });
    };
    for g in cx.open_units(OrgLevel::Group) {
        load_of(&mut units, g.id);
    }
    let unit_of: HashMap<BeneficiaryId, OrgUnitId> = care
        .beneficiaries
        .iter()
        .map(|b| (b.id, b.data.unit))
        .collect();
    let mut last_visit: HashMap<BeneficiaryId, NaiveDate> = HashMap::new();
    let (mut open, mut overdue) = (0, 0);
    for t in &care.tasks {
        if let (TaskStatus::Done, Some(d)) = (t.status, t.done_date) {
            let e = last_visit.entry(t.beneficiary).or_insert(d);
            *e = (*e).max(d);
        }
        // A task whose beneficiary record is missing has no unit to count in.
        let Some(&unit) = unit_of.get(&t.beneficiary) else {
            continue;
        };
        if t.status != TaskStatus::Open || !cx.in_scope.contains(&unit) {
            continue;
        }
        load_of(&mut units, unit);
        if let Some(u) = units.get_mut(&unit) {
            u.open += 1;
            open += 1;
            if t.due < today {
                u.overdue += 1;
                overdue += 1;
            }
        }
    }
    // (never visited, days overdue, id) for the order of the list.
    let mut waiting: Vec<(bool, i64, &Beneficiary)> = Vec::new();
    for b in &care.beneficiaries {
        if !b.data.active || !cx.in_scope.contains(&b.data.unit) {
            continue;
        }
        let (never, days) = match last_visit.get(&b.id) {
            None => (true, 0),
            Some(d) => {
                let due = *d + Duration::days(i64::from(b.data.visit_cycle_days));
                (false, (today - due).num_days())
            }
        };
        if never || days > 0 {
            waiting.push((never, days, b));
        }
    }
    waiting.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.cmp(&x.1)).then(x.2.id.cmp(&y.2.id)));
    let mut visits_overdue = Vec::with_capacity(waiting.len());
    for (_, _, b) in waiting {
        load_of(&mut units, b.data.unit);
        if let Some(u) = units.get_mut(&b.data.unit) {
            u.visits_overdue += 1;
        }
        visits_overdue.push(Named {
            id: b.id,
            name: b.data.name.clone(),
            unit: b.data.unit,
            unit_name: cx.unit_name(b.data.unit),
        });
    }
    Workload {
        today,
        units: units.into_values().collect(),
        open,
        overdue,
        visits_overdue,
    }
}
