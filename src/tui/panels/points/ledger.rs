//! A member's ledger on the points panel, beyond quick entry: the
//! statement's totals named apart (earned, deducted, redeemed, balance — the
//! evaluation score is shown above them, never mixed in), choosing an older
//! entry (↑↓ while the statement shows) and reversing it with a reason (`R`),
//! and redeeming a reward (`$`) for the member shown.

use crate::domain::*;
use crate::tui::action::{Action, Effect, Handled};
use crate::tui::app::{App, Layer};
use crate::tui::form::Form;

/// A statement's sums. Reversals count with their sign where they fall
/// (a reversed award shows as a deduction of the same size), so the four
/// always add up: balance = earned − deducted − redeemed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub earned: Points,
    pub deducted: Points,
    pub redeemed: Points,
    pub balance: Points,
}

pub fn totals(statement: &[(PointsEntry, Points)]) -> Totals {
    let mut t = Totals::default();
    for (e, _) in statement {
        match e.source {
            EntrySource::Redemption(_) => t.redeemed += Points(-e.points.0),
            _ if e.points.0 >= 0 => t.earned += e.points,
            _ => t.deducted += Points(-e.points.0),
        }
        t.balance += e.points;
    }
    t
}

/// The statement entry chosen (↑↓), counted from the newest.
pub fn selected(p: &super::PointsPanel) -> Option<&PointsEntry> {
    let n = p.statement.len();
    n.checked_sub(1 + p.statement_sel)
        .and_then(|i| p.statement.get(i))
        .map(|(e, _)| e)
}

/// Whether an entry may still be reversed: not a reversal itself, and not
/// reversed already.
pub fn reversible(p: &super::PointsPanel, e: &PointsEntry) -> bool {
    e.reverses.is_none() && !p.statement.iter().any(|(x, _)| x.reverses == Some(e.id))
}

/// The ledger's keys on the points panel; `Ignored` for any other action.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    let p = &mut app.points;
    match action {
        Action::Up | Action::Down if p.show_statement => {
            let n = p.statement.len();
            let delta: isize = if *action == Action::Up { 1 } else { -1 };
            let max = n.saturating_sub(1) as isize;
            p.statement_sel = (p.statement_sel as isize + delta).clamp(0, max) as usize;
        }
        Action::ReverseEntry => {
            let Some(e) = selected(p).filter(|_| p.show_statement).cloned() else {
                app.status = app.tr("ledger.pick_entry").to_string();
                return Handled::DONE;
            };
            if !reversible(p, &e) {
                app.status = app.tr("ledger.not_reversible").to_string();
                return Handled::DONE;
            }
            let what = format!("#{} {} {}", e.id, e.date, e.points);
            let form = Form::reverse_entry(app.lang, e.id, what);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::Redeem => return Handled::effect(Effect::OpenRedeem(p.shown)),
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

/// Opens the redeem form on the active rewards (the runner read them).
pub fn open_redeem(app: &mut App, rewards: Vec<Reward>, member: Option<MemberId>) {
    let rewards: Vec<Reward> = rewards.into_iter().filter(|r| r.active).collect();
    if rewards.is_empty() {
        app.status = app.tr("ledger.no_rewards").to_string();
        return;
    }
    let name = member
        .and_then(|m| app.member_index.get(&m))
        .map(|&i| app.members[i].name.to_string());
    let form = Form::redeem(app.lang, &rewards, member.zip(name), app.today);
    app.layers.push(Layer::Form(Box::new(form)));
}
