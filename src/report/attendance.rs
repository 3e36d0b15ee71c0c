//! Attendance at organisational life: for each member and each branch, how
//! many activities in a date range they were invited to and attended. An
//! activity invites the active members of its invitees' subtree; someone who
//! came without being invited counts as invited too, so a rate is never
//! above one. Membership is taken as it is now: the store keeps no history of
//! who belonged where on a past date.

use crate::domain::*;
use crate::ops::query;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MemberAttendance {
    pub member: MemberId,
    pub name: String,
    pub branch: Option<OrgUnitId>,
    pub invited: u32,
    pub present: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BranchAttendance {
    pub branch: OrgUnitId,
    pub name: String,
    pub invited: u32,
    pub present: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AttendanceReport {
    pub activities: u32,
    pub members: Vec<MemberAttendance>,
    pub branches: Vec<BranchAttendance>,
}

/// `present / invited`, 0 when nobody was invited.
pub fn rate(present: u32, invited: u32) -> f64 {
    if invited == 0 {
        0.0
    } else {
        f64::from(present) / f64::from(invited)
    }
}

/// Attendance for activities starting between `from` and `to` (inclusive),
/// for members under `root` (everyone when `None`).
pub fn attendance(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    root: Option<OrgUnitId>,
) -> Result<AttendanceReport, StoreError> {
    let units: HashMap<OrgUnitId, OrgUnit> = query::org_units(store)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let ancestors = |unit: OrgUnitId| {
        let mut out = Vec::new();
        let mut at = Some(unit);
        while let Some(u) = at {
            if out.len() > 8 {
                break;
            }
            out.push(u);
            at = units.get(&u).and_then(|x| x.parent);
        }
        out
    };
    let members: Vec<Member> = store.scan::<Member>().collect::<Result<_, _>>()?;
    let in_root = |m: &Member| root.is_none_or(|r| ancestors(m.data.unit).contains(&r));
    let mut rows: BTreeMap<MemberId, MemberAttendance> = BTreeMap::new();
    // Active members under each unit, so an activity's invitees are one lookup.
    let mut under: HashMap<OrgUnitId, Vec<MemberId>> = HashMap::new();
    for m in members.iter().filter(|m| in_root(m)) {
        let chain = ancestors(m.data.unit);
        let branch = chain
            .iter()
            .copied()
            .find(|u| units.get(u).is_some_and(|x| x.level == OrgLevel::Branch));
        rows.insert(
            m.id,
            MemberAttendance {
                member: m.id,
                name: m.data.name.clone(),
                branch,
                invited: 0,
                present: 0,
            },
        );
        if m.data.status == MemberStatus::Active {
            for u in chain {
                under.entry(u).or_default().push(m.id);
            }
        }
    }
    let mut activities = 0;
    for a in store.scan::<Activity>() {
        let a = a?;
        let day = a.data.starts.date();
        if day < from || day > to {
            continue;
        }
        activities += 1;
        let present: HashSet<MemberId> = store
            .attendance_of(a.id)
            .filter_map(|r| match r {
                Ok(att) => {
                    matches!(att.presence, Presence::Present { .. }).then_some(Ok(att.member))
                }
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        let invited: HashSet<MemberId> = under
            .get(&a.data.invitees)
            .map(|v| v.iter().copied().collect())
            .unwrap_or_default();
        // Everyone invited, and everyone who came (invited or not, active or not).
        for id in invited.union(&present) {
            if let Some(row) = rows.get_mut(id) {
                row.invited += 1;
                row.present += u32::from(present.contains(id));
            }
        }
    }
    let mut branches: BTreeMap<OrgUnitId, BranchAttendance> = BTreeMap::new();
    for row in rows.values() {
        let Some(b) = row.branch else { continue };
        let entry = branches.entry(b).or_insert_with(|| BranchAttendance {
            branch: b,
            name: units.get(&b).map(|u| u.name.clone()).unwrap_or_default(),
            invited: 0,
            present: 0,
        });
        entry.invited += row.invited;
        entry.present += row.present;
    }
    Ok(AttendanceReport {
        activities,
        members: rows.into_values().filter(|r| r.invited > 0).collect(),
        branches: branches.into_values().collect(),
    })
}
