//! `report summary`: how many records of each kind, org units per level,
//! members per category. Counts come from tree lengths where they can.

use crate::domain::*;
use crate::store::{Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Summary {
    /// (record kind, count), in a fixed order.
    pub records: Vec<(String, u64)>,
    pub units_by_level: Vec<(String, u64)>,
    pub members_by_category: Vec<(String, u64)>,
    pub active_members: u64,
}

pub fn summary(store: &Store) -> Result<Summary, StoreError> {
    // `try_count_of`: records that cannot be read to the end are an error,
    // not a smaller number.
    let kinds = [
        ("org_units", store.try_count_of::<OrgUnit>()?),
        ("partners", store.try_count_of::<Partner>()?),
        ("members", store.try_count_of::<Member>()?),
        ("beneficiaries", store.try_count_of::<Beneficiary>()?),
        ("pairings", store.try_count_of::<Pairing>()?),
        ("tasks", store.try_count_of::<Task>()?),
        ("rules", store.try_count_of::<PointsRule>()?),
        ("ledger_entries", store.try_count_of::<PointsEntry>()?),
        ("rewards", store.try_count_of::<Reward>()?),
        ("activities", store.try_count_of::<Activity>()?),
        ("attendance", store.try_count_of::<Attendance>()?),
        ("users", store.try_count_of::<User>()?),
        ("audit_entries", store.try_count_of::<AuditEntry>()?),
    ];
    let records = kinds
        .iter()
        .map(|(name, n)| (name.to_string(), *n as u64))
        .collect();

    let mut levels = [0u64; 3];
    for unit in store.scan::<OrgUnit>() {
        let unit = unit?;
        levels[match unit.level {
            OrgLevel::Committee => 0,
            OrgLevel::Branch => 1,
            OrgLevel::Group => 2,
        }] += 1;
    }
    let units_by_level = [OrgLevel::Committee, OrgLevel::Branch, OrgLevel::Group]
        .iter()
        .zip(levels)
        .map(|(l, n)| (format!("{l:?}").to_lowercase(), n))
        .collect();

    let mut categories = [0u64; 5];
    let mut active_members = 0;
    for m in store.scan::<Member>() {
        let m = m?;
        let i = MemberCategory::ALL
            .iter()
            .position(|c| *c == m.data.category)
            .unwrap_or(4);
        categories[i] += 1;
        if m.data.status == MemberStatus::Active {
            active_members += 1;
        }
    }
    let members_by_category = MemberCategory::ALL
        .iter()
        .zip(categories)
        .map(|(c, n)| (c.name_en().to_string(), n))
        .collect();
    Ok(Summary {
        records,
        units_by_level,
        members_by_category,
        active_members,
    })
}

/// The counts of what lies within sight (`sees` a unit): members and
/// beneficiaries of those units, and the ledger, attendance, pairings and
/// tasks of those members; the catalogues and activities whole; the org units
/// in sight; of the users and the audit log, `login`'s own.
pub fn summary_within(
    store: &Store,
    sees: &dyn Fn(OrgUnitId) -> bool,
    login: &str,
) -> Result<Summary, StoreError> {
    let mut levels = [0u64; 3];
    let mut units = 0;
    for unit in store.scan::<OrgUnit>() {
        let unit = unit?;
        if !sees(unit.id) {
            continue;
        }
        units += 1;
        levels[match unit.level {
            OrgLevel::Committee => 0,
            OrgLevel::Branch => 1,
            OrgLevel::Group => 2,
        }] += 1;
    }
    let mut categories = [0u64; 5];
    let mut active_members = 0;
    let mut seen = std::collections::HashSet::new();
    for m in store.scan::<Member>() {
        let m = m?;
        if !sees(m.data.unit) {
            continue;
        }
        seen.insert(m.id);
        let i = MemberCategory::ALL
            .iter()
            .position(|c| *c == m.data.category)
            .unwrap_or(4);
        categories[i] += 1;
        if m.data.status == MemberStatus::Active {
            active_members += 1;
        }
    }
    let mut beneficiaries = 0;
    let mut benefs = std::collections::HashSet::new();
    for b in store.scan::<Beneficiary>() {
        let b = b?;
        if sees(b.data.unit) {
            beneficiaries += 1;
            benefs.insert(b.id);
        }
    }
    let count = |n: usize| n as u64;
    let mut pairings = 0;
    for p in store.scan::<Pairing>() {
        let p = p?;
        if seen.contains(&p.member) || benefs.contains(&p.beneficiary) {
            pairings += 1;
        }
    }
    let mut tasks = 0;
    for t in store.scan::<Task>() {
        let t = t?;
        if seen.contains(&t.assignee) || benefs.contains(&t.beneficiary) {
            tasks += 1;
        }
    }
    let mut ledger = 0;
    for e in store.scan::<PointsEntry>() {
        if seen.contains(&e?.member) {
            ledger += 1;
        }
    }
    let mut attendance = 0;
    for a in store.scan::<Attendance>() {
        if seen.contains(&a?.member) {
            attendance += 1;
        }
    }
    let mut audit = 0;
    for e in store.scan::<AuditEntry>() {
        if e?.login == login {
            audit += 1;
        }
    }
    let records = vec![
        ("org_units".to_string(), units),
        ("partners".to_string(), count(store.count_of::<Partner>())),
        ("members".to_string(), seen.len() as u64),
        ("beneficiaries".to_string(), beneficiaries),
        ("pairings".to_string(), pairings),
        ("tasks".to_string(), tasks),
        ("rules".to_string(), count(store.count_of::<PointsRule>())),
        ("ledger_entries".to_string(), ledger),
        ("rewards".to_string(), count(store.count_of::<Reward>())),
        (
            "activities".to_string(),
            count(store.count_of::<Activity>()),
        ),
        ("attendance".to_string(), attendance),
        ("users".to_string(), 1),
        ("audit_entries".to_string(), audit),
    ];
    Ok(Summary {
        records,
        units_by_level: [OrgLevel::Committee, OrgLevel::Branch, OrgLevel::Group]
            .iter()
            .zip(levels)
            .map(|(l, n)| (format!("{l:?}").to_lowercase(), n))
            .collect(),
        members_by_category: MemberCategory::ALL
            .iter()
            .zip(categories)
            .map(|(c, n)| (c.name_en().to_string(), n))
            .collect(),
        active_members,
    })
}
