//! The pairing panel's state: beneficiaries with their last visit and alert,
//! their pairings and task history, and "my tasks" (open tasks in the user's
//! scope, overdue first). Loaded by the runner from `report::care`; `v`
//! completes the beneficiary's (or the selected) open task with hours and a
//! note, awarding its points in the same transaction.

use super::cursor::Cursor;
use crate::domain::*;
use crate::report::care::{TaskRow, VisitRow};

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
