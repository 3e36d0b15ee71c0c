//! Coverage (全覆盖): every building with a group, every member in a group,
//! every group with a leader, every branch with a secretary, every
//! beneficiary with a member paired to them.
//!
//! Buildings are compared by `building_key`, so `3`, `3号楼` and `３栋` are one
//! building. The buildings known to a scope are those its open groups cover
//! and those its active members live in; a building counts as covered when an
//! open group anywhere in the community covers it.

use super::{CareRecords, Context, Named};
use crate::domain::*;
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Coverage {
    /// Every building known to the scope, in building order.
    pub buildings_known: Vec<String>,
    pub buildings_covered: Vec<String>,
    /// Buildings where members of the scope live that no open group covers.
    pub buildings_without_group: Vec<String>,
    /// Members living in those buildings, in id order.
    pub members_in_uncovered: Vec<MemberId>,
    /// Active members whose unit is not an open group.
    pub members_without_group: Vec<Named<MemberId>>,
    pub groups_without_leader: Vec<Named<OrgUnitId>>,
    pub branches_without_secretary: Vec<Named<OrgUnitId>>,
    /// Active beneficiaries of the scope with no active pairing.
    pub beneficiaries_unpaired: Vec<Named<BeneficiaryId>>,
}

/// One line of the coverage figures, as every report writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageLine {
    /// A stable key (CSV column values, tests).
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub count: usize,
    /// Share of the known buildings, where that means something.
    pub share: Option<u64>,
    /// The buildings or the names behind the count.
    pub items: Vec<String>,
}

impl CoverageLine {
    pub fn label(&self, zh: bool) -> &'static str {
        if zh { self.zh } else { self.en }
    }
}

impl Coverage {
    /// The figures in the order reports list them.
    pub fn lines(&self) -> Vec<CoverageLine> {
        fn names<T>(v: &[Named<T>]) -> Vec<String> {
            v.iter().map(|n| n.name.clone()).collect()
        }
        let known = self.buildings_known.len();
        let line = |key, en, zh, items: Vec<String>| CoverageLine {
            key,
            en,
            zh,
            count: items.len(),
            share: None,
            items,
        };
        vec![
            line(
                "buildings_known",
                "buildings known",
                "已知楼栋",
                self.buildings_known.clone(),
            ),
            CoverageLine {
                share: Some(super::activation::percent(
                    self.buildings_covered.len() as u64,
                    known as u64,
                )),
                ..line(
                    "buildings_covered",
                    "buildings covered by a group",
                    "有党小组覆盖的楼栋",
                    self.buildings_covered.clone(),
                )
            },
            line(
                "buildings_without_group",
                "buildings with members, no group",
                "有党员无小组的楼栋",
                self.buildings_without_group.clone(),
            ),
            line(
                "members_without_group",
                "members without a group",
                "未编入党小组的党员",
                names(&self.members_without_group),
            ),
            line(
                "groups_without_leader",
                "groups without a leader",
                "无组长的党小组",
                names(&self.groups_without_leader),
            ),
            line(
                "branches_without_secretary",
                "branches without a secretary",
                "无书记的党支部",
                names(&self.branches_without_secretary),
            ),
            line(
                "beneficiaries_unpaired",
                "beneficiaries without a pairing",
                "无结对党员的帮扶对象",
                names(&self.beneficiaries_unpaired),
            ),
        ]
    }
}

/// Coverage of the scope.
pub fn coverage(
    store: &Store,
    scope: crate::report::points::Scope,
) -> Result<Coverage, StoreError> {
    let members = super::scope_members(store, scope)?;
    let cx = Context::new(store, scope, &members)?;
    Ok(compute(&cx, &CareRecords::load(store)?))
}

fn sorted(set: BTreeSet<String>) -> Vec<String> {
    let mut v: Vec<String> = set.into_iter().collect();
    v.sort_by_key(|b| (b.parse::<u64>().unwrap_or(u64::MAX), b.clone()));
    v
}

pub(super) fn compute(cx: &Context, care: &CareRecords) -> Coverage {
    let covered_anywhere: HashSet<String> = cx
        .units
        .values()
        .filter(|u| u.level == OrgLevel::Group && u.closed.is_none())
        .flat_map(|u| u.buildings.iter().map(|b| building_key(b)))
        .filter(|b| !b.is_empty())
        .collect();
    let mut known: BTreeSet<String> = cx
        .open_units(OrgLevel::Group)
        .iter()
        .flat_map(|u| u.buildings.iter().map(|b| building_key(b)))
        .filter(|b| !b.is_empty())
        .collect();
    // A community has a few hundred ways of writing its buildings and many
    // thousands of members: each way is normalised once.
    let mut ways: HashMap<&str, (String, bool)> = HashMap::new();
    let mut members_in_uncovered = Vec::new();
    for m in &cx.members {
        let written = m.data.address.building.as_str();
        let (b, covered) = ways.entry(written).or_insert_with(|| {
            let b = building_key(written);
            let covered = covered_anywhere.contains(&b);
            (b, covered)
        });
        if !b.is_empty() && !*covered {
            members_in_uncovered.push(m.id);
        }
    }
    let mut without_group: BTreeSet<String> = BTreeSet::new();
    for (b, covered) in ways.into_values().filter(|(b, _)| !b.is_empty()) {
        if !covered {
            without_group.insert(b.clone());
        }
        known.insert(b);
    }
    let covered: BTreeSet<String> = known
        .iter()
        .filter(|b| covered_anywhere.contains(*b))
        .cloned()
        .collect();

    let named_unit = |u: &OrgUnit| Named {
        id: u.id,
        name: u.name.clone(),
        unit: u.parent.unwrap_or(u.id),
        unit_name: u.parent.map(|p| cx.unit_name(p)).unwrap_or_default(),
    };
    let members_without_group = cx
        .members
        .iter()
        .filter(|m| {
            cx.units
                .get(&m.data.unit)
                .is_none_or(|u| u.level != OrgLevel::Group || u.closed.is_some())
        })
        .map(|m| Named {
            id: m.id,
            name: m.data.name.clone(),
            unit: m.data.unit,
            unit_name: cx.unit_name(m.data.unit),
        })
        .collect();
    let leaderless = |level| -> Vec<Named<OrgUnitId>> {
        cx.open_units(level)
            .into_iter()
            .filter(|u| u.leader.is_none())
            .map(named_unit)
            .collect()
    };

    let mut unpaired: BTreeMap<BeneficiaryId, Named<BeneficiaryId>> = BTreeMap::new();
    for b in &care.beneficiaries {
        if b.data.active && cx.in_scope.contains(&b.data.unit) && !care.paired.contains(&b.id) {
            unpaired.insert(
                b.id,
                Named {
                    id: b.id,
                    name: b.data.name.clone(),
                    unit: b.data.unit,
                    unit_name: cx.unit_name(b.data.unit),
                },
            );
        }
    }

    Coverage {
        buildings_known: sorted(known),
        buildings_covered: sorted(covered),
        buildings_without_group: sorted(without_group),
        members_in_uncovered,
        members_without_group,
        groups_without_leader: leaderless(OrgLevel::Group),
        branches_without_secretary: leaderless(OrgLevel::Branch),
        beneficiaries_unpaired: unpaired.into_values().collect(),
    }
}
