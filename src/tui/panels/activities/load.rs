//! What the activities panel reads: the activities in the user's scope with
//! their attendance counts, and one activity's attendance.

use crate::access::{ActivitiesQ, AttendanceQ, ReadError, Session};
use crate::domain::*;
use crate::tui::app::App;

/// Activities the user may see (hosted in their scope), newest first, with
/// attendance counts.
/// How many were present at an activity and how many recorded absent.
pub(crate) fn attendance_counts(
    s: &Session,
    activity: ActivityId,
) -> Result<(usize, usize), ReadError> {
    let (mut present, mut absent) = (0, 0);
    for att in s.ask(AttendanceQ(activity))? {
        match att.presence {
            Presence::Present { .. } => present += 1,
            Presence::Absent { .. } | Presence::Unexcused { .. } => absent += 1,
        }
    }
    Ok((present, absent))
}

pub fn load_activities(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let mut rows = Vec::new();
    for c in s.ask(ActivitiesQ)? {
        if !app.units.contains_key(&c.activity.data.host) {
            continue;
        }
        rows.push(super::ActivityRow {
            activity: c.activity,
            present: c.present,
            absent: c.absent,
        });
    }
    rows.sort_by(|a, b| {
        b.activity
            .data
            .starts
            .cmp(&a.activity.data.starts)
            .then(b.activity.id.cmp(&a.activity.id))
    });
    let panel = &mut app.activities;
    panel.rows = rows;
    panel.loaded = true;
    panel
        .cursor
        .keep_visible(panel.rows.len(), app.list_height.saturating_sub(2));
    Ok(())
}

pub fn open_activity(s: &Session, app: &mut App, id: ActivityId) -> Result<(), ReadError> {
    let mut att = super::Attendees::default();
    for a in s.ask(AttendanceQ(id))? {
        match a.presence {
            Presence::Present { checked_in, .. } => {
                att.present.insert(a.member, checked_in);
            }
            Presence::Absent { reason } | Presence::Unexcused { note: reason, .. } => {
                att.absent.insert(a.member, reason);
            }
        }
    }
    app.activities.open = Some((id, att));
    Ok(())
}
