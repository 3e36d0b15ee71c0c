//! The demo's organisation: the tree (a committee, branches, one group per
//! building but the last), the leaders and secretaries it names afterwards,
//! and the community's partners, rewards catalogue and users.

use super::names::*;
use super::{ByUnit, Gen};
use crate::domain::*;
use crate::ops::{Command, OpsError};
use chrono::NaiveDate;

/// The units made, and the buildings they cover.
pub(super) struct Tree {
    pub(super) committee: u64,
    pub(super) branches: Vec<u64>,
    /// One group per building, in building order; the last building has none.
    pub(super) groups: Vec<u64>,
    pub(super) buildings: usize,
}

impl Tree {
    /// The branch a building's group (or its members, when it has none) belongs to.
    pub(super) fn branch_of_building(&self, bld: usize) -> u64 {
        let n = self.branches.len();
        self.branches[(bld * n / self.buildings).min(n - 1)]
    }

    /// The unit of a building's residents: its group, else its branch.
    pub(super) fn unit_of_building(&self, bld: usize) -> OrgUnitId {
        OrgUnitId(
            self.groups
                .get(bld)
                .copied()
                .unwrap_or_else(|| self.branch_of_building(bld)),
        )
    }
}

fn branch_name(i: usize) -> String {
    BRANCH_NAMES
        .get(i)
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("第{}党支部", i + 1))
}

fn branch_established(i: usize) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2005 + (i % 10) as i32, 3, 1)
}

fn group_established() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2012, 5, 1)
}

/// One committee, branches, one group per building but the last.
pub(super) fn tree(g: &mut Gen, n: usize) -> Result<Tree, OpsError> {
    let buildings = (n.div_ceil(15)).max(20);
    let n_branches = (buildings / 5).clamp(3, (buildings / 40).max(5));
    let committee = g.b.create_all(vec![Command::CreateOrgUnit {
        parent: None,
        level: OrgLevel::Committee,
        name: format!("{COMMUNITY}社区党委"),
        buildings: vec![],
        established: NaiveDate::from_ymd_opt(2003, 7, 1),
        notes: String::new(),
    }])?[0];
    let branches: Vec<u64> = g.b.create_all(
        (0..n_branches)
            .map(|i| Command::CreateOrgUnit {
                parent: Some(OrgUnitId(committee)),
                level: OrgLevel::Branch,
                name: branch_name(i),
                buildings: vec![],
                established: branch_established(i),
                notes: String::new(),
            })
            .collect(),
    )?;
    let mut tree = Tree {
        committee,
        branches,
        groups: Vec::new(),
        buildings,
    };
    let covered = buildings - 1;
    tree.groups = g.b.create_all(
        (0..covered)
            .map(|bld| Command::CreateOrgUnit {
                parent: Some(OrgUnitId(tree.branch_of_building(bld))),
                level: OrgLevel::Group,
                name: format!("{}号楼党小组", bld + 1),
                buildings: vec![(bld + 1).to_string()],
                established: group_established(),
                notes: String::new(),
            })
            .collect(),
    )?;
    g.report.org_units = 1 + tree.branches.len() + tree.groups.len();
    Ok(tree)
}

/// Leaders: every group but the third, every branch but the last, so the
/// coverage figures have gaps to show.
pub(super) fn leaders(g: &mut Gen, tree: &Tree, by_unit: &ByUnit) -> Result<(), OpsError> {
    for (i, group) in tree.groups.iter().enumerate() {
        if i == 2 {
            continue;
        }
        if let Some(leader) = by_unit.get(&OrgUnitId(*group)).and_then(|v| v.first()) {
            g.b.push(Command::UpdateOrgUnit {
                id: OrgUnitId(*group),
                name: format!("{}号楼党小组", i + 1),
                leader: Some(*leader),
                buildings: vec![(i + 1).to_string()],
                established: group_established(),
                notes: String::new(),
            })?;
        }
    }
    let n_branches = tree.branches.len();
    for (i, br) in tree.branches.iter().enumerate().take(n_branches - 1) {
        let groups_here: Vec<OrgUnitId> = (0..tree.groups.len())
            .filter(|bld| tree.branch_of_building(*bld) == *br)
            .map(|bld| OrgUnitId(tree.groups[bld]))
            .collect();
        let candidate = groups_here
            .iter()
            .filter_map(|unit| by_unit.get(unit).and_then(|v| v.get(1)))
            .next();
        if let Some(secretary) = candidate {
            g.b.push(Command::UpdateOrgUnit {
                id: OrgUnitId(*br),
                name: branch_name(i),
                leader: Some(*secretary),
                buildings: vec![],
                established: branch_established(i),
                notes: String::new(),
            })?;
        }
    }
    g.b.flush()?;
    Ok(())
}

/// Partner organisations, the rewards catalogue and three users besides the
/// founding one; the ids of the rewards, in catalogue order.
pub(super) fn partners_rewards_users(g: &mut Gen, tree: &Tree) -> Result<Vec<u64>, OpsError> {
    for (name, kind) in [
        ("区教育局机关党委", PartnerKind::Unit),
        ("市第一人民医院党委", PartnerKind::Unit),
        ("和平里商圈联合党支部", PartnerKind::TwoNew),
    ] {
        g.b.push(Command::CreatePartner {
            data: PartnerData {
                name: name.to_string(),
                kind,
                contact: "李主任".into(),
                phone: "010-64211234".into(),
                linked_unit: Some(OrgUnitId(tree.committee)),
                agreed: chrono::NaiveDate::from_ymd_opt(2024, 3, 1),
                notes: String::new(),
            },
        })?;
    }
    let rewards = g.b.create_all(
        [
            ("洗衣液", 10, Some(200)),
            ("大米5公斤", 20, Some(100)),
            ("理发券", 5, None),
            ("电影票", 15, Some(50)),
        ]
        .iter()
        .map(|(name, cost, stock)| Command::CreateReward {
            name: name.to_string(),
            cost: Points::whole(*cost),
            stock: *stock,
        })
        .collect(),
    )?;
    for (login, name, role, scope) in [
        (
            "wangfang",
            "王芳",
            Role::BranchSecretary,
            Some(tree.branches[0]),
        ),
        ("lijun", "李军", Role::GroupLeader, Some(tree.groups[0])),
        ("guest", "访客", Role::Viewer, None),
    ] {
        g.b.push(Command::AddUser {
            login: login.into(),
            display_name: name.into(),
            role,
            scope: scope.map(OrgUnitId),
        })?;
    }
    g.b.flush()?;
    Ok(rewards)
}
