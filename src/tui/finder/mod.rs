//! The one member finder every place that takes a member uses: check-in, the
//! points line, the absence form, a unit's leader, a pairing, a task's
//! assignee. `Matches` ranks what was typed with `domain::finder` (the same
//! pinyin rules everywhere) and says what a bare Enter means: one clear best
//! match is taken; two or more members equally top-ranked are an exact tie,
//! which is never settled by guessing but opens `PickMember`, a pick list
//! showing name, unit and building-room (↑↓ or a digit, Enter; Esc goes back
//! to the text). The pick list is a layer; what a choice does depends on who
//! asked (`PickFor`).

mod form;
pub mod view;

use crate::domain::finder::{FinderEntry, Query, ranked};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::action::{Action, Effect, Handled, Via};
use crate::tui::app::{App, Layer, MemberRow};
use crate::tui::form::FieldId;
use std::collections::HashMap;

/// More members than this in a tie are listed no further: the worker types
/// another letter instead.
const TIE_MAX: usize = 30;

/// What typing found, best first, and which of it a bare Enter may take.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    /// Indices into the app's members, best first, at most the caller's limit.
    pub list: Vec<usize>,
    /// Every member sharing the top score, in the order shown (capped).
    tied: Vec<usize>,
    pub selected: usize,
    /// The selection was moved by hand (↑↓): Enter takes it as chosen.
    moved: bool,
}

/// What a bare Enter on the matches means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Nothing,
    /// Indices into the app's members.
    One(usize),
    /// An exact tie: the worker must say which (indices, as shown).
    Tie(Vec<usize>),
}

impl Matches {
    /// Ranks `pool` (indices into the app's members) for `text`. Within one
    /// score, members for whom `first` holds come first (check-in lists those
    /// not yet in before those who are) — never across scores, so the top row
    /// is always a best match.
    pub fn search(
        &mut self,
        finder: &[FinderEntry],
        pool: &[usize],
        text: &str,
        limit: usize,
        first: &dyn Fn(usize) -> bool,
    ) {
        let q = Query::new(text);
        self.selected = 0;
        self.moved = false;
        if q.is_empty() {
            self.list.clear();
            self.tied.clear();
            return;
        }
        let mut hits = ranked(finder, pool, &q);
        // Stable: the finder's order stays within each (score, first) group.
        hits.sort_by_key(|&(score, i)| (std::cmp::Reverse(score), !first(i)));
        let top = hits.first().map(|h| h.0);
        self.tied = hits
            .iter()
            .take_while(|h| Some(h.0) == top)
            .take(TIE_MAX)
            .map(|h| h.1)
            .collect();
        self.list = hits.into_iter().take(limit).map(|h| h.1).collect();
    }

    pub fn clear(&mut self) {
        *self = Matches::default();
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// ↑/↓ among the matches: a choice by hand.
    pub fn pick(&mut self, delta: isize) {
        if !self.list.is_empty() {
            let n = self.list.len() as isize;
            self.selected = (self.selected as isize + delta).clamp(0, n - 1) as usize;
            self.moved = true;
        }
    }

    /// What a bare Enter takes.
    pub fn found(&self) -> Found {
        match (self.list.get(self.selected), self.moved, self.tied.len()) {
            (None, ..) => Found::Nothing,
            (Some(&i), true, _) | (Some(&i), false, 0 | 1) => Found::One(i),
            (Some(_), false, _) => Found::Tie(self.tied.clone()),
        }
    }
}

/// Who asked for the pick list, and so what a choice does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickFor {
    /// Check the chosen member in.
    CheckIn(ActivityId),
    /// The points line's member field.
    PointsLine,
    /// A member field of the form under the pick list; the form saves again.
    Form(FieldId),
}

/// The pick list over a tie.
#[derive(Debug, Clone)]
pub struct PickMember {
    /// Indices into the app's members, as shown.
    pub candidates: Vec<usize>,
    pub selected: usize,
    pub purpose: PickFor,
}

impl PickMember {
    pub fn new(candidates: Vec<usize>, purpose: PickFor) -> PickMember {
        PickMember {
            candidates,
            selected: 0,
            purpose,
        }
    }
}

/// Opens the pick list over a tie.
pub fn ask(app: &mut App, candidates: Vec<usize>, purpose: PickFor) {
    app.status = app.tr("finder.tie").to_string();
    let pick = PickMember::new(candidates, purpose);
    app.layers.push(Layer::PickMember(Box::new(pick)));
}

/// The pick list's keys: ↑↓ move, a digit or Enter chooses, Esc goes back to
/// what was typed.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    let Some(Layer::PickMember(pick)) = app.layers.last_mut() else {
        return Handled::Ignored;
    };
    let n = pick.candidates.len();
    let chosen = match action {
        Action::Up => {
            pick.selected = pick.selected.saturating_sub(1);
            None
        }
        Action::Down => {
            pick.selected = (pick.selected + 1).min(n.saturating_sub(1));
            None
        }
        Action::Enter => pick.candidates.get(pick.selected).copied(),
        Action::PickNth(k) => pick.candidates.get(*k).copied(),
        Action::Back => {
            app.layers.pop();
            app.status.clear();
            return Handled::DONE;
        }
        _ => return Handled::DONE,
    };
    let Some(index) = chosen else {
        return Handled::DONE;
    };
    let purpose = pick.purpose.clone();
    app.layers.pop();
    app.status.clear();
    let Some(member) = app.members.get(index).map(|r| r.id) else {
        return Handled::DONE;
    };
    Handled::Consumed(chosen_effect(app, purpose, member))
}

/// What choosing `member` from the pick list does for whoever asked.
fn chosen_effect(app: &mut App, purpose: PickFor, member: MemberId) -> Option<Effect> {
    match purpose {
        PickFor::CheckIn(activity) => Some(Effect::Apply {
            cmd: Command::CheckIn { activity, member },
            via: Via::Key,
        }),
        PickFor::PointsLine => app.points.member_chosen(member),
        PickFor::Form(field) => {
            let Some(Layer::Form(form)) = app.layers.last_mut() else {
                return None;
            };
            form.choose_member(field, member);
            crate::tui::layers::save_form(app)
        }
    }
}

/// A member field of a form typed as text: an id, an exact name, or anything
/// the finder takes. `Ok(None)` when the text names no one (the form says
/// so); `Err` with the tie when it names several equally well.
pub fn resolve_text(
    text: &str,
    members: &[MemberRow],
    finder: &[FinderEntry],
    member_index: &HashMap<MemberId, usize>,
) -> Result<Option<MemberId>, Vec<usize>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(id) = text
        .trim_start_matches('#')
        .parse::<u64>()
        .ok()
        .map(MemberId)
        && member_index.contains_key(&id)
    {
        return Ok(Some(id));
    }
    let pool = active(members);
    let mut m = Matches::default();
    m.search(finder, &pool, text, 8, &|_| true);
    match m.found() {
        Found::Nothing => Ok(None),
        Found::One(i) => Ok(members.get(i).map(|r| r.id)),
        Found::Tie(all) => Err(all),
    }
}

/// Indices of the active members: those a member field offers.
pub fn active(members: &[MemberRow]) -> Vec<usize> {
    (0..members.len())
        .filter(|&i| members[i].status == MemberStatus::Active)
        .collect()
}

#[cfg(test)]
mod tests;
