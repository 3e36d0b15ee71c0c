//! Workload: pairing tasks still open and overdue, per group, and the
//! beneficiaries waiting longer than their visit cycle. A task belongs to the
//! unit of its beneficiary (normally the group covering their building), as in
//! the pairing panel.

use super::{Context, Named};
use crate::domain::*;
use crate::ops::Actor;
use crate::report::care;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub today: NaiveDate,
    /// Every open group of the scope, and any other unit holding work; by id.
    pub units: Vec<UnitLoad>,
    pub open: u64,
    pub overdue: u64,
    /// Beneficiaries overdue for a visit, never visited and most overdue first.
    pub visits_overdue: Vec<Named<BeneficiaryId>>,
}

pub fn workload(
    store: &Store,
    actor: &Actor,
    scope: crate::report::points::Scope,
    today: NaiveDate,
) -> Result<Workload, StoreError> {
    let cx = Context::load(store, scope)?;
    compute(store, actor, &cx, today)
}

pub(super) fn compute(
    store: &Store,
    actor: &Actor,
    cx: &Context,
    today: NaiveDate,
) -> Result<Workload, StoreError> {
    let mut units: BTreeMap<OrgUnitId, UnitLoad> = BTreeMap::new();
    let load_of = |units: &mut BTreeMap<OrgUnitId, UnitLoad>, unit: OrgUnitId| {
        let branch_name = cx
            .branch_of(unit)
            .map(|b| cx.unit_name(b))
            .unwrap_or_default();
        units.entry(unit).or_insert_with(|| UnitLoad {
            unit,
            name: cx.unit_name(unit),
            branch_name,
            open: 0,
            overdue: 0,
            visits_overdue: 0,
        });
    };
    for g in cx.open_units(OrgLevel::Group) {
        load_of(&mut units, g.id);
    }
    let (mut open, mut overdue) = (0, 0);
    for row in care::tasks(store, actor, today, false, cx.root())? {
        if !cx.in_scope.contains(&row.unit) {
            continue;
        }
        load_of(&mut units, row.unit);
        if let Some(u) = units.get_mut(&row.unit) {
            u.open += 1;
            open += 1;
            if row.task.due < today {
                u.overdue += 1;
                overdue += 1;
            }
        }
    }
    let mut visits_overdue = Vec::new();
    for row in care::visits(store, actor, today)? {
        let unit = row.beneficiary.data.unit;
        if !row.alert() || !cx.in_scope.contains(&unit) {
            continue;
        }
        load_of(&mut units, unit);
        if let Some(u) = units.get_mut(&unit) {
            u.visits_overdue += 1;
        }
        visits_overdue.push(Named {
            id: row.beneficiary.id,
            name: row.beneficiary.data.name.clone(),
            unit,
            unit_name: row.unit_name.clone(),
        });
    }
    Ok(Workload {
        today,
        units: units.into_values().collect(),
        open,
        overdue,
        visits_overdue,
    })
}
