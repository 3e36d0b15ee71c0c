//! The activities panel and check-in mode. The list shows each activity with
//! its attendance; check-in mode is one line where a queue of people is
//! checked in by typing two or three pinyin initials and Enter. Those not yet
//! checked in rank first, so the queue gets easier as it goes, and a second
//! check-in of the same person is refused by `ops` with a visible warning.

pub mod load;
pub mod roll;
pub mod view;
pub mod view_roll;

use crate::domain::finder::FinderEntry;
use crate::domain::*;
use crate::tui::action::{Action, Effect, Handled};
use crate::tui::app::MemberRow;
use crate::tui::app::{App, Layer};
use crate::tui::finder::{Found, Matches, PickFor};
use crate::tui::form::Form;
use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyEvent};
use std::collections::HashMap;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

/// An activity as the list shows it.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub activity: Activity,
    pub present: usize,
    pub absent: usize,
}

/// Attendance of one activity, loaded when it is opened.
#[derive(Debug, Clone, Default)]
pub struct Attendees {
    pub present: HashMap<MemberId, DateTime<Utc>>,
    pub absent: HashMap<MemberId, String>,
}

#[derive(Debug, Clone)]
pub struct CheckIn {
    pub activity: ActivityId,
    /// Indices into the app's members: the activity's invitees.
    pub invitees: Vec<usize>,
    /// Search all members instead of the invitees (Tab).
    pub everyone: bool,
    pub input: Input,
    /// Indices into the app's members, best first, and what Enter takes.
    pub matches: Matches,
    /// The last check-ins, newest first: (member, name).
    pub last: Vec<(MemberId, String)>,
    pub warning: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ActivitiesPanel {
    pub loaded: bool,
    pub rows: Vec<ActivityRow>,
    pub cursor: crate::tui::cursor::Cursor,
    /// The open activity's attendance (detail or check-in).
    pub open: Option<(ActivityId, Attendees)>,
    pub detail: bool,
}

const MATCHES: usize = 8;

impl ActivitiesPanel {
    pub fn selected(&self) -> Option<&ActivityRow> {
        self.rows.get(self.cursor.selected)
    }

    /// Sets an activity's row counts, if the list holds it.
    pub fn set_counts(&mut self, id: ActivityId, present: usize, absent: usize) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.activity.id == id) {
            row.present = present;
            row.absent = absent;
        }
    }

    pub fn attendees(&self, id: ActivityId) -> Option<&Attendees> {
        self.open
            .as_ref()
            .filter(|(a, _)| *a == id)
            .map(|(_, att)| att)
    }
}

impl CheckIn {
    pub fn new(activity: ActivityId, invitees: Vec<usize>) -> CheckIn {
        CheckIn {
            activity,
            invitees,
            everyone: false,
            input: Input::default(),
            matches: Matches::default(),
            last: Vec::new(),
            warning: None,
        }
    }

    pub fn key(
        &mut self,
        key: KeyEvent,
        members: &[MemberRow],
        finder: &[FinderEntry],
        present: &HashMap<MemberId, DateTime<Utc>>,
    ) {
        self.input.handle_event(&Event::Key(key));
        self.warning = None;
        self.refilter(members, finder, present);
    }

    pub fn toggle_everyone(
        &mut self,
        members: &[MemberRow],
        finder: &[FinderEntry],
        present: &HashMap<MemberId, DateTime<Utc>>,
    ) {
        self.everyone = !self.everyone;
        self.refilter(members, finder, present);
    }

    /// Matches best first, those not yet checked in before those who are.
    pub fn refilter(
        &mut self,
        members: &[MemberRow],
        finder: &[FinderEntry],
        present: &HashMap<MemberId, DateTime<Utc>>,
    ) {
        let pool: Vec<usize> = if self.everyone {
            crate::tui::finder::active(members)
        } else {
            self.invitees.clone()
        };
        let waiting = |i: usize| !present.contains_key(&members[i].id);
        let text = self.input.value().to_string();
        self.matches.search(finder, &pool, &text, MATCHES, &waiting);
    }

    /// After a check-in landed: remember it and clear the line for the next person.
    pub fn checked_in(&mut self, member: MemberId, name: String) {
        self.last.insert(0, (member, name));
        self.last.truncate(10);
        self.input.reset();
        self.matches.clear();
        self.warning = None;
    }

    /// After a check-in was taken back (undo).
    pub fn removed(&mut self, member: MemberId) {
        self.last.retain(|(m, _)| *m != member);
        self.input.reset();
        self.matches.clear();
        self.warning = None;
    }
}

/// Enter in check-in mode: the one best match is checked in; an exact tie
/// asks which member first.
pub(crate) fn enter(app: &mut App) -> Handled {
    let Some(ci) = app.checkin() else {
        return Handled::Ignored;
    };
    let activity = ci.activity;
    match ci.matches.found() {
        Found::Nothing => Handled::DONE,
        Found::One(i) => Handled::Consumed(app.members.get(i).map(|r| Effect::Apply {
            cmd: crate::ops::Command::CheckIn {
                activity,
                member: r.id,
            },
            via: crate::tui::action::Via::Key,
        })),
        Found::Tie(all) => {
            crate::tui::finder::ask(app, all, PickFor::CheckIn(activity));
            Handled::DONE
        }
    }
}

/// Members invited to an activity: those in its invitees' subtree, active.
pub fn invitees(
    activity: &Activity,
    members: &[MemberRow],
    units: &std::collections::BTreeMap<OrgUnitId, OrgUnit>,
) -> Vec<usize> {
    let root = activity.data.invitees;
    let within = |mut at: Option<OrgUnitId>| {
        for _ in 0..8 {
            match at {
                Some(u) if u == root => return true,
                Some(u) => at = units.get(&u).and_then(|x| x.parent),
                None => return false,
            }
        }
        false
    };
    (0..members.len())
        .filter(|&i| {
            let d = &members[i];
            d.status == MemberStatus::Active && within(Some(d.unit))
        })
        .collect()
}

/// The activities panel's own actions (check-in is a layer: `layers`).
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    use CheckIn;
    let selected = app.activities.selected().map(|r| r.activity.clone());
    match action {
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Home
        | Action::End => {
            let len = app.activities.rows.len();
            let h = app.list_height.saturating_sub(2);
            app.activities.cursor.follow(action, len, h);
            return Handled::Consumed(selected_activity_effect(app));
        }
        Action::Enter => {
            app.activities.detail = !app.activities.detail;
            return Handled::Consumed(selected_activity_effect(app));
        }
        Action::CheckinStart => {
            let Some(a) = selected else {
                return Handled::Ignored;
            };
            let invited = invitees(&a, &app.members, &app.units);
            app.layers
                .push(Layer::CheckIn(Box::new(CheckIn::new(a.id, invited))));
            return Handled::Consumed(Some(Effect::OpenActivity(a.id)));
        }
        Action::OpenRoll => return roll::open(app),
        Action::NewActivity => {
            let host = app.top_unit();
            let form = Form::new_activity(app.lang, &app.units, &app.rules, host, app.today);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::Edit => {
            let Some(a) = selected else {
                return Handled::Ignored;
            };
            let form = Form::edit_activity(app.lang, &app.units, &app.rules, &a);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::MarkAbsence => {
            let Some(a) = selected else {
                return Handled::Ignored;
            };
            let form = Form::absence(app.lang, a.id);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        // Any activity may be held with partners (联建共建), not only meetings.
        Action::MeetingPartners => {
            let Some(a) = selected else {
                return Handled::Ignored;
            };
            return Handled::effect(Effect::OrgLife(
                crate::tui::action::OrgLifeEffect::EditPartners(a.id),
            ));
        }
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

/// Loads the selected activity's attendance when its detail is showing.
fn selected_activity_effect(app: &App) -> Option<Effect> {
    let id = app.activities.selected()?.activity.id;
    (app.activities.detail && app.activities.attendees(id).is_none())
        .then_some(Effect::OpenActivity(id))
}
