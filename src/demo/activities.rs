//! The demo's activities: each branch meets monthly for six months, and its
//! members come (a check-in awards the ORGLIFE points), ask for leave, or
//! stay away.

use super::ledger::Caps;
use super::names::*;
use super::org::Tree;
use super::{ByUnit, Gen};
use crate::domain::*;
use crate::ops::{Command, OpsError};
use chrono::{Duration, NaiveDate, NaiveTime};
use rand::prelude::*;
use std::collections::BTreeMap;

/// An activity made: its id, the branch that held it, and its day.
pub(super) struct Held {
    pub(super) id: ActivityId,
    branch: u64,
    day: NaiveDate,
    pub(super) data: ActivityData,
}

/// Six activities per branch, a month apart, alternating theme party days
/// and branch general meetings.
pub(super) fn activities(g: &mut Gen, tree: &Tree, caps: &Caps) -> Result<Vec<Held>, OpsError> {
    let mut act_cmds = Vec::new();
    let mut act_branch = Vec::new();
    let mut days = Vec::new();
    for br in &tree.branches {
        for month_back in 0..6 {
            let day = g.today - Duration::days(30 * month_back + g.rng.random_range(1..25));
            let title = ACTIVITY_TITLES[g.rng.random_range(0..ACTIVITY_TITLES.len())];
            act_branch.push(*br);
            days.push(day);
            act_cmds.push(Command::CreateActivity {
                data: ActivityData {
                    kind: if month_back % 2 == 0 {
                        ActivityKind::ThemePartyDay
                    } else {
                        ActivityKind::BranchGeneralMeeting
                    },
                    title: title.to_string(),
                    host: OrgUnitId(*br),
                    starts: day.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default()),
                    place: "社区党群服务中心".into(),
                    rule: caps.rules.get("ORGLIFE").map(|r| r.id),
                    invitees: OrgUnitId(*br),
                    notes: String::new(),
                },
            });
        }
    }
    let datas: Vec<ActivityData> = act_cmds
        .iter()
        .filter_map(|cmd| match cmd {
            Command::CreateActivity { data } => Some(data.clone()),
            _ => None,
        })
        .collect();
    let act_ids = g.b.create_all(act_cmds)?;
    g.report.activities = act_ids.len();
    Ok(act_ids
        .into_iter()
        .zip(act_branch)
        .zip(days)
        .zip(datas)
        .map(|(((id, branch), day), data)| Held {
            id: ActivityId(id),
            branch,
            day,
            data,
        })
        .collect())
}

/// Attendance spread over every activity: about 60% come, fewer when the
/// `budget` of entries would not cover that; some of the rest ask for leave.
pub(super) fn attendance(
    g: &mut Gen,
    tree: &Tree,
    by_unit: &ByUnit,
    held: &[Held],
    caps: &mut Caps,
    budget: usize,
) -> Result<(), OpsError> {
    let mut members_of_branch: BTreeMap<u64, Vec<MemberId>> = BTreeMap::new();
    for (bld, group) in tree.groups.iter().enumerate() {
        if let Some(ms) = by_unit.get(&OrgUnitId(*group)) {
            members_of_branch
                .entry(tree.branch_of_building(bld))
                .or_default()
                .extend(ms);
        }
    }
    for br in &tree.branches {
        if let Some(ms) = by_unit.get(&OrgUnitId(*br)) {
            members_of_branch.entry(*br).or_default().extend(ms);
        }
    }
    let invitations: usize = held
        .iter()
        .map(|a| members_of_branch.get(&a.branch).map_or(0, Vec::len))
        .sum();
    let rate = (budget as f64 / invitations.max(1) as f64).min(0.6);
    for a in held {
        for m in members_of_branch
            .get(&a.branch)
            .cloned()
            .unwrap_or_default()
        {
            let roll: f64 = g.rng.random();
            if roll < rate {
                if caps.take(m, "ORGLIFE", a.day, 100) {
                    g.entries += 1;
                    g.report.attendance += 1;
                    g.b.push(Command::CheckIn {
                        activity: a.id,
                        member: m,
                    })?;
                }
            } else if roll < rate * 1.15 {
                g.report.attendance += 1;
                g.b.push(Command::MarkAbsent {
                    activity: a.id,
                    member: m,
                    reason: "外出，已请假".into(),
                })?;
            }
        }
    }
    g.b.flush()?;
    Ok(())
}
