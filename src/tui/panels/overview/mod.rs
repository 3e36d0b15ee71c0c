//! The overview panel: activation, coverage and workload of the user's scope
//! on one screen, each figure a line the cursor can rest on and Enter opens
//! the list behind it. Pure state and update; the runner computes the figures
//! (`Effect::LoadOverview`).

pub mod load;
pub mod view;

use crate::domain::*;
use crate::report::overview::Overview;
use crate::tui::action::{Action, Effect, Handled, Panel};
use crate::tui::app::{App, MemberRow, RosterFilter};
use crate::tui::cursor::Cursor;
use crate::tui::period::RankPeriod;

/// A figure of the overview that opens a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Members of a category (all, for `None`) who did not serve in the period.
    Category(Option<MemberCategory>),
    NotReported,
    IdleYear,
    BuildingsUncovered,
    MembersWithoutGroup,
    GroupsWithoutLeader,
    BranchesWithoutSecretary,
    Unpaired,
    TasksOverdue,
    VisitsOverdue,
}

impl Figure {
    pub const ALL: [Figure; 15] = [
        Figure::Category(Some(MemberCategory::OnTheJob)),
        Figure::Category(Some(MemberCategory::Retired)),
        Figure::Category(Some(MemberCategory::Student)),
        Figure::Category(Some(MemberCategory::Mobile)),
        Figure::Category(Some(MemberCategory::Other)),
        Figure::Category(None),
        Figure::NotReported,
        Figure::IdleYear,
        Figure::BuildingsUncovered,
        Figure::MembersWithoutGroup,
        Figure::GroupsWithoutLeader,
        Figure::BranchesWithoutSecretary,
        Figure::Unpaired,
        Figure::TasksOverdue,
        Figure::VisitsOverdue,
    ];
}

#[derive(Debug, Clone)]
pub struct OverviewPanel {
    pub period: RankPeriod,
    /// The subtree shown; `None` is the user's whole scope.
    pub unit: Option<OrgUnitId>,
    pub data: Option<Overview>,
    /// What `data` was computed for.
    pub loaded: Option<OverviewKey>,
    /// What is being computed in the background (at start-up: this month,
    /// quarter and year of the user's scope).
    pub pending: Vec<OverviewKey>,
    /// Computed in the background and not yet asked for.
    pub ready: Vec<(OverviewKey, Overview)>,
    /// The index into `Figure::ALL` of the selected line.
    pub selected: usize,
}

/// What an overview is of: the subtree, the period, and the session's count
/// of store changes when it was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverviewKey {
    pub unit: Option<OrgUnitId>,
    pub period: RankPeriod,
    pub generation: u64,
}

impl Default for OverviewPanel {
    fn default() -> Self {
        OverviewPanel {
            period: RankPeriod::Month,
            unit: None,
            data: None,
            loaded: None,
            pending: Vec::new(),
            ready: Vec::new(),
            selected: 0,
        }
    }
}

impl OverviewPanel {
    pub fn figure(&self) -> Figure {
        Figure::ALL[self.selected.min(Figure::ALL.len() - 1)]
    }
}

/// The overview the panel should show now.
pub fn wanted(app: &App) -> OverviewKey {
    OverviewKey {
        unit: app.overview.unit,
        period: app.overview.period,
        generation: app.generation,
    }
}

/// The scope and period an overview key stands for (`None`: a period that
/// cannot be formed, which shows nothing).
pub fn request(
    app: &App,
    key: OverviewKey,
) -> Option<(crate::report::points::Scope, crate::report::period::Period)> {
    use crate::report::points::Scope;
    let scope = match key.unit.or(app.actor.scope) {
        Some(unit) => Scope::Subtree(unit),
        None => Scope::Community,
    };
    Some((scope, key.period.period(app.today)?))
}

/// The overview's own actions; `None` when the action is not the overview's.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    let n = Figure::ALL.len();
    let p = &mut app.overview;
    // A short list: a page is all of it.
    let mut cursor = Cursor {
        selected: p.selected,
        offset: 0,
    };
    if cursor.follow(action, n, n) {
        p.selected = cursor.selected;
        return Handled::DONE;
    }
    match action {
        Action::RankPeriod => {
            p.period = p.period.next();
            Handled::effect(Effect::LoadOverview)
        }
        Action::RankUnit => {
            app.overview.unit = app.next_branch(app.overview.unit);
            Handled::effect(Effect::LoadOverview)
        }
        Action::Enter => Handled::Consumed(jump(app)),
        _ => Handled::Ignored,
    }
}

/// Opens the list behind the selected figure.
fn jump(app: &mut App) -> Option<Effect> {
    let data = app.overview.data.as_ref()?;
    let a = &data.activation;
    let c = &data.coverage;
    let members = |app: &App, ids: &[MemberId], keep: &dyn Fn(&MemberRow) -> bool| {
        ids.iter()
            .filter(|id| {
                app.member_index
                    .get(id)
                    .is_some_and(|&i| keep(&app.members[i]))
            })
            .copied()
            .collect::<Vec<_>>()
    };
    let figure = app.overview.figure();
    // Every drill-down comes back here with Esc (`exits::back`).
    app.back_to = Some(Panel::Overview);
    let (label, ids) = match figure {
        Figure::Category(cat) => {
            let ids = members(app, &a.not_served, &|m| cat.is_none_or(|c| m.category == c));
            let what = match cat {
                Some(c) => c.label(app.lang),
                None => app.tr("ov.all"),
            };
            (format!("{what} · {}", app.tr("ov.not_served")), ids)
        }
        Figure::NotReported => (
            app.tr("ov.not_reported").to_string(),
            members(app, &a.not_reported, &|_| true),
        ),
        Figure::IdleYear => (
            app.tr("ov.idle_year").to_string(),
            members(app, &a.idle_year, &|_| true),
        ),
        Figure::BuildingsUncovered => (
            app.tr("ov.in_uncovered").to_string(),
            members(app, &c.members_in_uncovered, &|_| true),
        ),
        Figure::MembersWithoutGroup => {
            let ids: Vec<MemberId> = c.members_without_group.iter().map(|n| n.id).collect();
            (
                app.tr("ov.no_group").to_string(),
                members(app, &ids, &|_| true),
            )
        }
        Figure::GroupsWithoutLeader | Figure::BranchesWithoutSecretary => {
            let list = if figure == Figure::GroupsWithoutLeader {
                &c.groups_without_leader
            } else {
                &c.branches_without_secretary
            };
            let first = list.first().map(|n| n.id);
            let names: Vec<String> = list.iter().map(|n| n.name.clone()).collect();
            app.status = names.join("、");
            app.panel = Panel::Org;
            if let Some(id) = first {
                app.select_unit(id);
            }
            return None;
        }
        Figure::Unpaired | Figure::VisitsOverdue => {
            let first = if figure == Figure::Unpaired {
                c.beneficiaries_unpaired.first().map(|n| n.id)
            } else {
                data.workload.visits_overdue.first().map(|n| n.id)
            };
            app.panel = Panel::Pairing;
            app.pairing.my_tasks = false;
            app.pairing.pending_select = first;
            return Some(Effect::LoadCare);
        }
        Figure::TasksOverdue => {
            app.panel = Panel::Pairing;
            app.pairing.my_tasks = true;
            return Some(Effect::LoadCare);
        }
    };
    app.show_filtered(RosterFilter {
        label,
        ids: ids.into_iter().collect(),
    });
    None
}
