//! Placeholder until the pairing-assistance reports land (same signatures).
#![allow(unused_variables)]

use crate::domain::*;
use crate::ops::Actor;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

pub struct VisitRow {
    pub beneficiary: Beneficiary,
    pub unit_name: String,
    pub last_visit: Option<NaiveDate>,
    pub days_since: Option<i64>,
    pub due: NaiveDate,
    pub overdue_days: i64,
    pub never_visited: bool,
    pub active_pairings: Vec<Pairing>,
}

pub fn visits(store: &Store, actor: &Actor, today: NaiveDate) -> Result<Vec<VisitRow>, StoreError> {
    Ok(Vec::new())
}

pub struct TaskRow {
    pub task: Task,
    pub beneficiary_name: String,
    pub assignee_name: String,
    pub unit: OrgUnitId,
    pub overdue_days: i64,
}

pub fn tasks(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
    overdue_only: bool,
    org: Option<OrgUnitId>,
) -> Result<Vec<TaskRow>, StoreError> {
    Ok(Vec::new())
}

pub fn idle_paired_members(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<(Member, usize)>, StoreError> {
    Ok(Vec::new())
}
