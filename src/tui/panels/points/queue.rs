//! The approval queue over the points panel (`a`): entries waiting for
//! approval. A secretary or admin sees those of the members in their scope
//! and approves the row under the cursor with one key, or marks rows (Space,
//! `V` a range, Shift-↓/↑, `U` none, `*` all or none: the bulk marks of
//! `tui::marks`) and approves or rejects every marked one at once; rejecting
//! asks for a reason (a form). A group leader (or anyone who may not
//! approve) sees only the entries they recorded, and may withdraw them.
//! A layer (`Layer::Approvals`); the runner reads it (`load::load_queue`).

use crate::access::PendingRow;
use crate::domain::*;
use crate::ops::Command;
use crate::tui::action::{Action, Effect, Handled, Via};
use crate::tui::app::App;
use crate::tui::cursor::Cursor;
use crate::tui::form::Form;
use crate::tui::layers::Layer;
use crate::tui::marks::Marks;

#[derive(Debug, Clone)]
pub struct Queue {
    pub rows: Vec<PendingRow>,
    pub marked: Marks<PendingId>,
    pub cursor: Cursor,
    /// Only the entries this user recorded: they may not approve.
    pub own_only: bool,
}

/// Whether this role approves entries (a branch secretary or a committee
/// admin, within their scope); `ops` has the last word.
pub fn approves(role: Role) -> bool {
    matches!(role, Role::CommitteeAdmin | Role::BranchSecretary)
}

impl Queue {
    pub fn new(role: Role) -> Queue {
        Queue {
            rows: Vec::new(),
            marked: Marks::default(),
            cursor: Cursor::default(),
            own_only: !approves(role),
        }
    }

    /// New rows: marks on entries no longer waiting go, the cursor stays
    /// on its row number.
    pub fn set_rows(&mut self, rows: Vec<PendingRow>, login: &str, height: usize) {
        self.rows = rows
            .into_iter()
            .filter(|r| !self.own_only || r.entry.recorded_by == login)
            .collect();
        let open: Vec<PendingId> = self.rows.iter().map(|r| r.entry.id).collect();
        self.marked.keep(&open);
        self.cursor.keep_visible(self.rows.len(), height);
    }

    /// The marked entries, or the one under the cursor when none is marked.
    pub fn chosen(&self) -> Vec<PendingId> {
        if !self.marked.is_empty() {
            return self.marked.set.iter().copied().collect();
        }
        self.rows
            .get(self.cursor.selected)
            .map(|r| vec![r.entry.id])
            .unwrap_or_default()
    }
}

pub fn list_height(app: &App) -> usize {
    app.list_height.saturating_sub(3).max(1)
}

/// The queue layer's keys.
pub fn update(app: &mut App, action: &Action) -> Handled {
    let height = list_height(app);
    let lang = app.lang;
    let role = app.actor.role;
    let login = app.actor.login.clone();
    if *action == Action::Back {
        app.layers.pop();
        return Handled::DONE;
    }
    let Some(q) = app.queue_mut() else {
        return Handled::Ignored;
    };
    let apply = |cmd: Command| Handled::effect(Effect::Apply { cmd, via: Via::Key });
    match action {
        Action::MarkAll => {
            let keys: Vec<PendingId> = q.rows.iter().map(|r| r.entry.id).collect();
            if q.marked.len() == q.rows.len() {
                q.marked = Marks::default();
            } else {
                q.marked.update(action, &keys, &mut q.cursor, height);
            }
        }
        Action::Approve => {
            let ids = q.chosen();
            if !approves(role) {
                app.status = app.tr("queue.cannot_approve").to_string();
            } else if !ids.is_empty() {
                return apply(Command::ApprovePoints { ids });
            }
        }
        Action::Reject => {
            let ids = q.chosen();
            if !ids.is_empty() {
                let form = Form::reject_pending(lang, ids);
                app.layers.push(Layer::Form(Box::new(form)));
            }
        }
        Action::Withdraw => {
            let ids: Vec<PendingId> = q
                .chosen()
                .into_iter()
                .filter(|id| {
                    q.rows
                        .iter()
                        .any(|r| r.entry.id == *id && r.entry.recorded_by == login)
                })
                .collect();
            if ids.is_empty() {
                app.status = app.tr("queue.not_yours").to_string();
            } else {
                let reason = app.tr("queue.withdrawn").to_string();
                return apply(Command::RejectPoints { ids, reason });
            }
        }
        a => {
            let keys: Vec<PendingId> = q.rows.iter().map(|r| r.entry.id).collect();
            if !q.marked.update(a, &keys, &mut q.cursor, height) {
                return Handled::Ignored;
            }
        }
    }
    Handled::DONE
}

impl App {
    /// The approval queue, when open.
    pub fn queue(&self) -> Option<&Queue> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Approvals(q) => Some(&**q),
            _ => None,
        })
    }

    pub fn queue_mut(&mut self) -> Option<&mut Queue> {
        self.layers.iter_mut().rev().find_map(|l| match l {
            Layer::Approvals(q) => Some(&mut **q),
            _ => None,
        })
    }
}
