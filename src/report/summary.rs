//! `report summary`: how many records of each kind, org units per level,
//! members per category. Counts come from tree lengths where they can.

use crate::domain::*;
use crate::store::{Store, StoreError, Tree};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// (record kind, count), in a fixed order.
    pub records: Vec<(String, u64)>,
    pub units_by_level: Vec<(String, u64)>,
    pub members_by_category: Vec<(String, u64)>,
    pub active_members: u64,
}

pub fn summary(store: &Store) -> Result<Summary, StoreError> {
    let kinds = [
        ("org_units", Tree::OrgUnits),
        ("partners", Tree::Partners),
        ("members", Tree::Members),
        ("beneficiaries", Tree::Beneficiaries),
        ("pairings", Tree::Pairings),
        ("tasks", Tree::Tasks),
        ("rules", Tree::Rules),
        ("ledger_entries", Tree::Ledger),
        ("rewards", Tree::Rewards),
        ("activities", Tree::Activities),
        ("attendance", Tree::Attendance),
        ("users", Tree::Users),
        ("audit_entries", Tree::Audit),
    ];
    // `try_count`: a tree that cannot be read to its end is an error, not a
    // smaller number.
    let records = kinds
        .iter()
        .map(|(name, t)| Ok((name.to_string(), store.try_count(*t)? as u64)))
        .collect::<Result<_, StoreError>>()?;

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
