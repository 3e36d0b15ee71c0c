//! The yearly evaluation over the points panel (`v`): every evaluated member
//! of the scope with score and grade, and for the one under the cursor how
//! they were reached, step by step, beside the redeemable balance — the two
//! figures labelled apart. A layer (`Layer::Evaluation`): `[`/`]` change the
//! year, `o` the scope, `n` narrows the list to the 优秀党员 nominations
//! (those graded 优秀, highest first); the runner computes it
//! (`load::load_evaluation`).

use crate::domain::*;
use crate::report::evaluation::{EvalLine, Evaluation};
use crate::tui::action::{Action, Effect, Handled};
use crate::tui::app::App;
use crate::tui::cursor::Cursor;
use chrono::Datelike;

#[derive(Debug, Clone)]
pub struct EvalView {
    pub year: i32,
    /// The subtree evaluated; `None` is everything the user sees.
    pub org: Option<OrgUnitId>,
    /// The member to put the cursor on once the lines arrive.
    pub focus: Option<MemberId>,
    /// What the list shows: every line, or the nominations.
    pub lines: Vec<EvalLine>,
    /// The whole evaluation, as the report gives it.
    pub all: Option<Evaluation>,
    pub nominations: bool,
    /// Drawn as the notice's table (`t`) rather than list and detail.
    pub table: bool,
    pub cursor: Cursor,
    /// Whether `lines` holds the answer for `year` and `org` yet.
    pub loaded: bool,
}

impl EvalView {
    pub fn new(today: chrono::NaiveDate, org: Option<OrgUnitId>, focus: Option<MemberId>) -> Self {
        EvalView {
            year: today.year(),
            org,
            focus,
            lines: Vec::new(),
            all: None,
            nominations: false,
            table: false,
            cursor: Cursor::default(),
            loaded: false,
        }
    }

    pub fn selected(&self) -> Option<&EvalLine> {
        self.lines.get(self.cursor.selected)
    }

    /// New lines: the cursor stays on the member it was on (or goes to the
    /// one asked for), else on the same row.
    pub fn set_lines(&mut self, evaluation: Evaluation, height: usize) {
        self.all = Some(evaluation);
        self.loaded = true;
        self.relist(height);
    }

    /// The list from the evaluation: every line, or the nominations (the
    /// report's own list, so the two never differ).
    fn relist(&mut self, height: usize) {
        let keep = self.focus.take().or(self.selected().map(|l| l.member));
        self.lines = match (&self.all, self.nominations) {
            (None, _) => Vec::new(),
            (Some(e), false) => e.lines.clone(),
            (Some(e), true) => e.nominations().into_iter().cloned().collect(),
        };
        if let Some(pos) = keep.and_then(|m| self.lines.iter().position(|l| l.member == m)) {
            self.cursor.selected = pos;
        }
        self.cursor.keep_visible(self.lines.len(), height);
    }
}

/// Rows of the list the layer shows, at this terminal height.
pub fn list_height(app: &App) -> usize {
    app.list_height.saturating_sub(2).max(1)
}

/// The evaluation layer's keys.
pub fn update(app: &mut App, action: &Action) -> Handled {
    let height = list_height(app);
    let next_org = {
        let org = app.eval_view().and_then(|v| v.org);
        app.next_branch(org)
    };
    if *action == Action::Back {
        app.layers.pop();
        return Handled::DONE;
    }
    let Some(v) = app.eval_view_mut() else {
        return Handled::Ignored;
    };
    match action {
        Action::EvalYear(d) => {
            v.year += d;
            v.loaded = false;
            return Handled::effect(Effect::LoadEvaluation);
        }
        Action::ExportView => {
            let (org, year) = (v.org, v.year);
            crate::tui::import::start_notice(app, org, year);
        }
        Action::Nominations => {
            v.nominations = !v.nominations;
            v.cursor = Cursor::default();
            v.relist(height);
        }
        Action::NoticeTable => v.table = !v.table,
        Action::RankUnit => {
            v.org = next_org;
            v.loaded = false;
            return Handled::effect(Effect::LoadEvaluation);
        }
        a => {
            if !v.cursor.follow(a, v.lines.len(), height) {
                return Handled::Ignored;
            }
        }
    }
    Handled::DONE
}

impl App {
    /// The evaluation layer, when open.
    pub fn eval_view(&self) -> Option<&EvalView> {
        self.layers.iter().rev().find_map(|l| match l {
            crate::tui::layers::Layer::Evaluation(v) => Some(&**v),
            _ => None,
        })
    }

    pub fn eval_view_mut(&mut self) -> Option<&mut EvalView> {
        self.layers.iter_mut().rev().find_map(|l| match l {
            crate::tui::layers::Layer::Evaluation(v) => Some(&mut **v),
            _ => None,
        })
    }
}
