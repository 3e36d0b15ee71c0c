//! The pairing panel's state: beneficiaries with their last visit and alert,
//! their pairings and task history, and "my tasks" (open tasks in the user's
//! scope, overdue first). Loaded by the runner from `report::care`; `v`
//! completes the beneficiary's (or the selected) open task with hours and a
//! note, awarding its points in the same transaction.

pub mod load;
pub mod view;

use crate::domain::*;
use crate::report::care::{TaskRow, VisitRow};
use crate::tui::action::{Action, Effect, Handled};
use crate::tui::app::{App, Layer};
use crate::tui::cursor::Cursor;
use crate::tui::form::Form;

#[derive(Default)]
pub struct PairingPanel {
    pub loaded: bool,
    pub visits: Vec<VisitRow>,
    pub cursor: Cursor,
    /// Show "my tasks" instead of the beneficiaries.
    pub my_tasks: bool,
    pub tasks: Vec<TaskRow>,
    pub task_cursor: Cursor,
    /// Every task of the selected beneficiary, newest due first.
    pub history: Vec<Task>,
    /// Every pairing of the selected beneficiary, ended ones with why.
    pub pairings: Vec<Pairing>,
    /// Paired members with no task completed this month, with their pairings.
    pub idle: Vec<(Member, usize)>,
    /// A beneficiary to select once the list is loaded (a jump from the overview).
    pub pending_select: Option<BeneficiaryId>,
}

impl PairingPanel {
    pub fn selected(&self) -> Option<&VisitRow> {
        self.visits.get(self.cursor.selected)
    }

    pub fn selected_task(&self) -> Option<&TaskRow> {
        self.tasks.get(self.task_cursor.selected)
    }

    /// The open task a visit completes: the selected one in "my tasks", or the
    /// selected beneficiary's earliest-due open task.
    pub fn task_to_complete(&self) -> Option<Task> {
        if self.my_tasks {
            return self.selected_task().map(|r| r.task.clone());
        }
        let b = self.selected()?.beneficiary.id;
        self.tasks
            .iter()
            .filter(|r| r.task.beneficiary == b && r.task.status == TaskStatus::Open)
            .min_by_key(|r| (r.task.due, r.task.id))
            .map(|r| r.task.clone())
    }

    /// The beneficiary the panel is about: the selected row, or the selected
    /// task's beneficiary in "my tasks".
    pub fn beneficiary(&self) -> Option<BeneficiaryId> {
        if self.my_tasks {
            self.selected_task().map(|r| r.task.beneficiary)
        } else {
            self.selected().map(|r| r.beneficiary.id)
        }
    }
}

/// The pairing panel's own actions.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    let p = &mut app.pairing;
    match action {
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Home
        | Action::End => {
            let (cursor, len) = if p.my_tasks {
                (&mut p.task_cursor, p.tasks.len())
            } else {
                (&mut p.cursor, p.visits.len())
            };
            cursor.follow(action, len, app.list_height.saturating_sub(2));
            // The selection's task history comes with the next load.
            return Handled::Consumed(Some(Effect::LoadCare));
        }
        Action::ToggleMine => {
            p.my_tasks = !p.my_tasks;
            return Handled::Consumed(Some(Effect::LoadCare));
        }
        Action::RecordVisit => match p.task_to_complete() {
            Some(task) => {
                let form = Form::complete_task(app.lang, task.id, app.today);
                app.layers.push(Layer::Form(Box::new(form)));
            }
            None => app.status = app.tr("care.no_open_task").to_string(),
        },
        Action::NewTask => {
            let Some(b) = p.beneficiary() else {
                return Handled::Ignored;
            };
            let form = Form::new_task(app.lang, b, assignees(app, b), app.today);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::Reassign => {
            let Some(task) = p.task_to_complete() else {
                return Handled::Ignored;
            };
            let form = Form::edit_task(app.lang, &task, assignees(app, task.beneficiary));
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::NewBeneficiary => {
            let form = Form::new_beneficiary(app.lang, &app.units, app.actor.scope);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::Edit => {
            let Some(b) = p.selected().map(|r| r.beneficiary.clone()) else {
                return Handled::Ignored;
            };
            let form = Form::edit_beneficiary(app.lang, &app.units, app.actor.scope, &b);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::NewPairing => {
            let Some(b) = p.beneficiary() else {
                return Handled::Ignored;
            };
            return Handled::Consumed(Some(Effect::SuggestPairing(b)));
        }
        Action::EndPairing => {
            let Some(row) = p.selected() else {
                return Handled::Ignored;
            };
            let pairings: Vec<(String, u64)> = row
                .active_pairings
                .iter()
                .map(|pr| {
                    let name = app
                        .member_index
                        .get(&pr.member)
                        .map(|&i| app.members[i].name.to_string())
                        .unwrap_or_default();
                    (format!("{name} ({})", pr.since), pr.id.0)
                })
                .collect();
            if pairings.is_empty() {
                app.status = app.tr("care.no_pairing").to_string();
            } else {
                let form = Form::end_pairing(app.lang, pairings, app.today);
                app.layers.push(Layer::Form(Box::new(form)));
            }
        }
        Action::ImportFile => {
            crate::tui::import::start_import(app, crate::io::import::ImportKind::Beneficiaries);
        }
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

/// Members a task can go to: those paired with the beneficiary first, then
/// the active members of the beneficiary's unit.
fn assignees(app: &App, beneficiary: BeneficiaryId) -> Vec<(String, u64)> {
    let row = app
        .pairing
        .visits
        .iter()
        .find(|v| v.beneficiary.id == beneficiary);
    let mut out: Vec<(String, u64)> = Vec::new();
    let mut push = |id: MemberId| {
        if let Some(&i) = app.member_index.get(&id)
            && !out.iter().any(|o| o.1 == id.0)
        {
            out.push((app.members[i].name.to_string(), id.0));
        }
    };
    if let Some(row) = row {
        for p in &row.active_pairings {
            push(p.member);
        }
        let unit = row.beneficiary.data.unit;
        for r in app
            .members
            .iter()
            .filter(|r| r.unit == unit && r.status == MemberStatus::Active)
        {
            push(r.id);
        }
    }
    out
}
