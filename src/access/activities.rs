//! Questions about activities and attendance. Activities are not personal and
//! everyone reads them; who attended is, and only attendance of members within
//! sight leaves (counts included).

use super::{Query, ReadError, View};
use crate::domain::*;
use serde::{Deserialize, Serialize};

/// An activity with how many within sight were present and recorded absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityCounts {
    pub activity: Activity,
    pub present: usize,
    pub absent: usize,
}

/// Every activity, newest first, with attendance counts within sight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivitiesQ;

impl Query for ActivitiesQ {
    type Answer = Vec<ActivityCounts>;
    fn answer(self, view: &View) -> Result<Vec<ActivityCounts>, ReadError> {
        let units = if view.sight.sees_all() {
            None
        } else {
            Some(view.store.member_unit_map()?)
        };
        let mut rows = Vec::new();
        for a in view.store.scan::<Activity>() {
            let activity = a?;
            let (mut present, mut absent) = (0, 0);
            for att in view.store.attendance_of(activity.id) {
                let att = att?;
                let seen = units.as_ref().is_none_or(|u| {
                    u.get(&att.member)
                        .is_some_and(|unit| view.sight.sees(*unit))
                });
                if !seen {
                    continue;
                }
                match att.presence {
                    Presence::Present { .. } => present += 1,
                    Presence::Absent { .. } | Presence::Unexcused { .. } => absent += 1,
                }
            }
            rows.push(ActivityCounts {
                activity,
                present,
                absent,
            });
        }
        rows.sort_by(|a, b| {
            b.activity
                .data
                .starts
                .cmp(&a.activity.data.starts)
                .then(b.activity.id.cmp(&a.activity.id))
        });
        Ok(rows)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityQ(pub ActivityId);

impl Query for ActivityQ {
    type Answer = Option<Activity>;
    fn answer(self, view: &View) -> Result<Option<Activity>, ReadError> {
        Ok(view.store.get_id::<Activity>(self.0.0)?)
    }
}

/// The attendance of one activity, members within sight only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceQ(pub ActivityId);

impl Query for AttendanceQ {
    type Answer = Vec<Attendance>;
    fn answer(self, view: &View) -> Result<Vec<Attendance>, ReadError> {
        let mut out = Vec::new();
        for att in view.store.attendance_of(self.0) {
            let att = att?;
            if view.member(att.member)?.is_some() {
                out.push(att);
            }
        }
        Ok(out)
    }
}
