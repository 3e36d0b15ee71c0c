//! The roll of one activity (`r` on the activities panel): everyone expected
//! — the activity's invitees in scope — with where they stand, those not yet
//! arrived first. Rows are marked in bulk (`tui::marks`) and then checked in
//! (`c`), marked absent with a reason (`a`, asked once for all), marked
//! absent without leave (`A`), or awarded points under one rule (`p`, a form
//! asks the rule and quantity once). A layer over the panel.

use crate::domain::*;
use crate::ops::Command;
use crate::tui::action::{Action, Effect, Handled};
use crate::tui::app::{App, Layer};
use crate::tui::cursor::Cursor;
use crate::tui::form::Form;
use crate::tui::marks::Marks;

/// Where a member stands for the activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Waiting,
    Absent,
    Present,
}

#[derive(Debug, Clone)]
pub struct Roll {
    pub activity: ActivityId,
    /// Indices into the app's members: the invitees.
    pub invitees: Vec<usize>,
    pub cursor: Cursor,
    pub marks: Marks<MemberId>,
}

impl Roll {
    pub fn new(activity: ActivityId, invitees: Vec<usize>) -> Roll {
        Roll {
            activity,
            invitees,
            cursor: Cursor::default(),
            marks: Marks::default(),
        }
    }
}

/// The roll's rows as shown: (member index, standing), not yet arrived
/// first, then absent, then present; by name within each.
pub fn rows(app: &App, activity: ActivityId, invitees: &[usize]) -> Vec<(usize, Standing)> {
    let att = app.activities.attendees(activity);
    let mut rows: Vec<(usize, Standing)> = invitees
        .iter()
        .filter_map(|&i| {
            let id = app.members.get(i)?.id;
            let standing = match att {
                Some(a) if a.present.contains_key(&id) => Standing::Present,
                Some(a) if a.absent.contains_key(&id) => Standing::Absent,
                _ => Standing::Waiting,
            };
            Some((i, standing))
        })
        .collect();
    rows.sort_by(|a, b| (a.1, app.finder[a.0].sort_key()).cmp(&(b.1, app.finder[b.0].sort_key())));
    rows
}

/// Those expected and not yet in: invitees neither checked in nor marked absent.
pub fn waiting(app: &App, activity: ActivityId, invitees: &[usize]) -> Vec<usize> {
    rows(app, activity, invitees)
        .into_iter()
        .filter(|r| r.1 == Standing::Waiting)
        .map(|r| r.0)
        .collect()
}

pub fn height(app: &App) -> usize {
    app.list_height.saturating_sub(3).max(1)
}

/// Opens the roll of the selected activity.
pub(crate) fn open(app: &mut App) -> Handled {
    let Some(a) = app.activities.selected().map(|r| r.activity.clone()) else {
        return Handled::Ignored;
    };
    let invited = super::invitees(&a, &app.members, &app.units);
    app.layers
        .push(Layer::Roll(Box::new(Roll::new(a.id, invited))));
    Handled::effect(Effect::OpenActivity(a.id))
}

/// The roll's keys.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    let h = height(app);
    let Some(Layer::Roll(roll)) = app.layers.last() else {
        return Handled::Ignored;
    };
    let activity = roll.activity;
    let shown = rows(app, activity, &roll.invitees);
    let keys: Vec<MemberId> = shown.iter().map(|r| app.members[r.0].id).collect();
    let standing = |m: MemberId| {
        keys.iter()
            .position(|k| *k == m)
            .map(|p| shown[p].1)
            .unwrap_or(Standing::Waiting)
    };
    let Some(Layer::Roll(roll)) = app.layers.last_mut() else {
        return Handled::Ignored;
    };
    roll.marks.keep(&keys);
    let chosen = roll.marks.chosen(&keys, &roll.cursor);
    let all = |cmds: Vec<Command>| {
        Handled::effect(Effect::ApplyAll {
            cmds,
            via: crate::tui::action::Via::Key,
        })
    };
    match action {
        Action::Back => {
            if roll.marks.is_empty() {
                app.layers.pop();
            } else {
                roll.marks = Marks::default();
            }
        }
        Action::RollCheckIn => {
            let cmds = chosen
                .iter()
                .filter(|m| standing(**m) != Standing::Present)
                .map(|&member| Command::CheckIn { activity, member })
                .collect();
            roll.marks = Marks::default();
            return all(cmds);
        }
        Action::RollUnexcused => {
            let cmds = chosen
                .iter()
                .filter(|m| standing(**m) == Standing::Waiting)
                .map(|&member| Command::MarkUnexcused {
                    activity,
                    member,
                    note: String::new(),
                })
                .collect();
            roll.marks = Marks::default();
            return all(cmds);
        }
        Action::RollAbsent => {
            let members: Vec<MemberId> = chosen
                .into_iter()
                .filter(|m| standing(*m) == Standing::Waiting)
                .collect();
            // The marks stay until the form is saved (`marks::apply_all`):
            // a form cancelled with Esc loses nothing.
            if !members.is_empty() {
                let form = Form::bulk_absence(app.lang, activity, members);
                app.layers.push(Layer::Form(Box::new(form)));
            }
        }
        Action::RollPoints => {
            if !chosen.is_empty() {
                let form = Form::bulk_points(app.lang, &app.rules, chosen, app.today);
                app.layers.push(Layer::Form(Box::new(form)));
            }
        }
        a => {
            if !roll.marks.update(a, &keys, &mut roll.cursor, h) {
                return Handled::Ignored;
            }
        }
    }
    Handled::DONE
}

impl App {
    /// The roll, when open.
    pub fn roll(&self) -> Option<&Roll> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Roll(r) => Some(&**r),
            _ => None,
        })
    }
}
