//! Application state and `update`: everything the screen shows lives here, and
//! every key becomes an `Action` that `update` applies. `update` never touches
//! the store: a change leaves as an `Effect` (a `Command`) for the runner, which
//! applies it through `ops::apply` and refreshes the state.

use super::action::{Action, Effect, Handled, Panel, Via};
use super::cursor::Cursor;
use super::form::Form;
use super::i18n::{Lang, t};
pub use super::layers::{Confirm, Layer};
use super::theme::Theme;
use crate::domain::finder::{self, FinderEntry, Query};
use crate::domain::*;
use crate::ops::{Actor, Command};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A member as the roster shows it.
#[derive(Debug, Clone)]
pub struct MemberRow {
    /// Shared, so work in the background can hold the roster as it was.
    pub member: std::sync::Arc<Member>,
    pub balance: Points,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Category,
    Address,
    Points,
}

impl SortKey {
    fn next(self) -> SortKey {
        match self {
            SortKey::Name => SortKey::Category,
            SortKey::Category => SortKey::Address,
            SortKey::Address => SortKey::Points,
            SortKey::Points => SortKey::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "col.name",
            SortKey::Category => "col.category",
            SortKey::Address => "col.address",
            SortKey::Points => "col.points",
        }
    }
}

/// A list the roster shows instead of a unit's subtree: the members behind a
/// figure of the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterFilter {
    pub label: String,
    pub ids: std::collections::HashSet<MemberId>,
}

/// One visible line of the org tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub unit: OrgUnitId,
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UndoItem {
    pub inverse: Command,
    pub summary: String,
}

pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub actor: Actor,
    pub store_path: String,
    pub panel: Panel,
    pub units: BTreeMap<OrgUnitId, OrgUnit>,
    pub members: Vec<MemberRow>,
    pub finder: Vec<FinderEntry>,
    pub member_index: HashMap<MemberId, usize>,
    /// Members per unit, whole subtree included.
    pub subtree_counts: HashMap<OrgUnitId, usize>,
    /// Buildings where members live that no open group covers.
    pub uncovered: Vec<String>,
    pub expanded: BTreeSet<OrgUnitId>,
    pub org_rows: Vec<OrgRow>,
    pub org_cursor: Cursor,
    /// The unit whose subtree the roster lists.
    pub roster_unit: Option<OrgUnitId>,
    /// When set, the roster lists these members instead of the unit's subtree.
    pub roster_filter: Option<RosterFilter>,
    pub roster_rows: Vec<usize>,
    pub roster_cursor: Cursor,
    pub sort: SortKey,
    /// The roster's search query; its line has the keys while
    /// `Layer::Search` is on top (after Enter the filter stays, keys don't).
    pub search: Option<tui_input::Input>,
    /// The query the roster rows were last filtered by.
    pub applied_query: Option<Query>,
    pub detail: bool,
    pub revealed: Option<MemberId>,
    pub layers: Vec<Layer>,
    pub status: String,
    pub undo: Vec<UndoItem>,
    /// The day the session treats as today (tests pin it).
    pub today: chrono::NaiveDate,
    /// Active points rules, for the quick-entry line.
    pub rules: Vec<PointsRule>,
    pub points: super::points::PointsPanel,
    pub activities: super::activities::ActivitiesPanel,
    pub pairing: super::care::PairingPanel,
    pub overview: super::overview::OverviewPanel,
    /// Rows available to lists, set by the runner from the terminal size.
    pub list_height: usize,
    /// How many changes to the store this session has seen (its own commands
    /// and imports, other people's notices): figures computed at an earlier
    /// count are out of date.
    pub generation: u64,
    pub quit: bool,
}

impl App {
    pub fn new(actor: Actor, lang: Lang, store_path: String) -> App {
        let today = chrono::Local::now().date_naive();
        App {
            today,
            generation: 0,
            lang,
            theme: Theme::from_env(),
            actor,
            store_path,
            panel: Panel::Org,
            units: BTreeMap::new(),
            members: Vec::new(),
            finder: Vec::new(),
            member_index: HashMap::new(),
            subtree_counts: HashMap::new(),
            uncovered: Vec::new(),
            expanded: BTreeSet::new(),
            org_rows: Vec::new(),
            org_cursor: Cursor::default(),
            roster_unit: None,
            roster_filter: None,
            roster_rows: Vec::new(),
            roster_cursor: Cursor::default(),
            sort: SortKey::Name,
            search: None,
            applied_query: None,
            detail: false,
            revealed: None,
            layers: Vec::new(),
            status: t(lang, "status.hint").to_string(),
            undo: Vec::new(),
            rules: Vec::new(),
            points: super::points::PointsPanel::new(today),
            activities: super::activities::ActivitiesPanel::default(),
            pairing: super::care::PairingPanel::default(),
            overview: super::overview::OverviewPanel::default(),
            list_height: 18,
            quit: false,
        }
    }

    pub fn tr(&self, key: &'static str) -> &'static str {
        t(self.lang, key)
    }

    /// Replaces the data (after loading or a change) and recomputes what depends on it.
    pub fn set_data(&mut self, units: Vec<OrgUnit>, members: Vec<MemberRow>) {
        self.units = units.into_iter().map(|u| (u.id, u)).collect();
        self.finder = finder_entries(&members);
        self.members = members;
        self.reindex();
    }

    /// Replaces or adds one member (after a member command).
    pub fn upsert_member(&mut self, row: MemberRow) {
        let entry = FinderEntry::new(&row.member);
        match self.member_index.get(&row.member.id) {
            Some(&i) => {
                self.members[i] = row;
                self.finder[i] = entry;
            }
            None => {
                self.members.push(row);
                self.finder.push(entry);
            }
        }
        self.reindex();
    }

    pub fn set_units(&mut self, units: Vec<OrgUnit>) {
        self.units = units.into_iter().map(|u| (u.id, u)).collect();
        self.reindex();
    }

    fn reindex(&mut self) {
        self.member_index = self
            .members
            .iter()
            .enumerate()
            .map(|(i, r)| (r.member.id, i))
            .collect();
        let mut counts: HashMap<OrgUnitId, usize> = HashMap::new();
        for r in &self.members {
            if r.member.data.status != MemberStatus::Active {
                continue;
            }
            let mut at = Some(r.member.data.unit);
            for _ in 0..8 {
                let Some(u) = at else { break };
                *counts.entry(u).or_default() += 1;
                at = self.units.get(&u).and_then(|x| x.parent);
            }
        }
        self.subtree_counts = counts;
        // Compared as the overview compares them: `3`, `3号楼`, `３栋` are one.
        let covered: BTreeSet<String> = self
            .units
            .values()
            .filter(|u| u.level == OrgLevel::Group && u.closed.is_none())
            .flat_map(|u| u.buildings.iter().map(|b| building_key(b)))
            .collect();
        let mut uncovered: BTreeSet<String> = BTreeSet::new();
        for r in &self.members {
            let b = building_key(&r.member.data.address.building);
            if !b.is_empty() && !covered.contains(&b) {
                uncovered.insert(b);
            }
        }
        let mut uncovered: Vec<String> = uncovered.into_iter().collect();
        uncovered.sort_by_key(|b| (b.parse::<u64>().unwrap_or(u64::MAX), b.clone()));
        self.uncovered = uncovered;
        if self.expanded.is_empty() {
            // Start with the committee and branches open: groups show at once.
            self.expanded = self
                .units
                .values()
                .filter(|u| u.level != OrgLevel::Group)
                .map(|u| u.id)
                .collect();
        }
        self.rebuild_org_rows();
        if self.roster_unit.is_none() {
            self.roster_unit = self.top_unit();
        }
        self.refilter();
    }

    /// The top of what the user may see: their scope, or the committee.
    pub fn top_unit(&self) -> Option<OrgUnitId> {
        self.actor.scope.or_else(|| {
            self.units
                .values()
                .find(|u| u.parent.is_none())
                .map(|u| u.id)
        })
    }

    fn rebuild_org_rows(&mut self) {
        let selected = self.selected_unit();
        let mut rows = Vec::new();
        let mut children: BTreeMap<Option<OrgUnitId>, Vec<&OrgUnit>> = BTreeMap::new();
        for u in self.units.values() {
            children.entry(u.parent).or_default().push(u);
        }
        let roots: Vec<OrgUnitId> = match self.actor.scope {
            Some(s) => vec![s],
            None => children
                .get(&None)
                .map(|v| v.iter().map(|u| u.id).collect())
                .unwrap_or_default(),
        };
        let mut stack: Vec<(OrgUnitId, usize)> = roots.into_iter().rev().map(|u| (u, 0)).collect();
        while let Some((id, depth)) = stack.pop() {
            rows.push(OrgRow { unit: id, depth });
            if self.expanded.contains(&id)
                && let Some(kids) = children.get(&Some(id))
            {
                for k in kids.iter().rev() {
                    stack.push((k.id, depth + 1));
                }
            }
        }
        self.org_rows = rows;
        if let Some(sel) = selected
            && let Some(i) = self.org_rows.iter().position(|r| r.unit == sel)
        {
            self.org_cursor.selected = i;
        }
        self.org_cursor
            .keep_visible(self.org_rows.len(), self.list_height);
    }

    pub fn selected_unit(&self) -> Option<OrgUnitId> {
        self.org_rows.get(self.org_cursor.selected).map(|r| r.unit)
    }

    pub fn selected_member(&self) -> Option<&MemberRow> {
        self.roster_rows
            .get(self.roster_cursor.selected)
            .and_then(|&i| self.members.get(i))
    }

    fn in_subtree(&self, unit: OrgUnitId, root: OrgUnitId) -> bool {
        let mut at = Some(unit);
        for _ in 0..8 {
            match at {
                Some(u) if u == root => return true,
                Some(u) => at = self.units.get(&u).and_then(|x| x.parent),
                None => return false,
            }
        }
        false
    }

    /// Recomputes the roster rows: a search looks across everyone the user may
    /// see, best match first; otherwise the selected unit's subtree, sorted.
    pub fn refilter(&mut self) {
        let query = self
            .search
            .as_ref()
            .map(|i| Query::new(i.value()))
            .filter(|q| !q.is_empty());
        let keep = self.selected_member().map(|r| r.member.id);
        match &query {
            Some(q) => {
                let candidates: Vec<usize> = match &self.applied_query {
                    Some(prev) if prev.narrows_to(q) => self.roster_rows.clone(),
                    _ => (0..self.members.len()).collect(),
                };
                self.roster_rows = finder::search(&self.finder, &candidates, q);
            }
            None => {
                let root = self.roster_unit;
                let filter = self.roster_filter.as_ref();
                let mut rows: Vec<usize> = (0..self.members.len())
                    .filter(|&i| match (filter, root) {
                        (Some(f), _) => f.ids.contains(&self.members[i].member.id),
                        (None, Some(r)) => self.in_subtree(self.members[i].member.data.unit, r),
                        (None, None) => true,
                    })
                    .collect();
                self.sort_rows(&mut rows);
                self.roster_rows = rows;
            }
        }
        self.applied_query = query;
        let pos = keep.and_then(|id| {
            self.roster_rows
                .iter()
                .position(|&i| self.members[i].member.id == id)
        });
        self.roster_cursor.selected = pos.unwrap_or(0);
        if pos.is_none() {
            self.roster_cursor.offset = 0;
        }
        self.roster_cursor
            .keep_visible(self.roster_rows.len(), self.roster_height());
    }

    fn sort_rows(&self, rows: &mut [usize]) {
        let m = &self.members;
        match self.sort {
            SortKey::Name => rows.sort_by(|a, b| {
                let (ka, kb) = (&self.finder[*a], &self.finder[*b]);
                first_key(ka)
                    .cmp(first_key(kb))
                    .then(m[*a].member.id.cmp(&m[*b].member.id))
            }),
            SortKey::Category => {
                rows.sort_by_key(|i| (m[*i].member.data.category, m[*i].member.id))
            }
            SortKey::Address => rows.sort_by_key(|i| {
                let a = &m[*i].member.data.address;
                (
                    a.building.parse::<u64>().unwrap_or(u64::MAX),
                    a.unit.parse::<u64>().unwrap_or(u64::MAX),
                    a.room.parse::<u64>().unwrap_or(u64::MAX),
                    m[*i].member.id,
                )
            }),
            SortKey::Points => {
                rows.sort_by_key(|i| (std::cmp::Reverse(m[*i].balance), m[*i].member.id))
            }
        }
    }

    /// Opens the roster on a list of members (from the overview).
    pub fn show_filtered(&mut self, filter: RosterFilter) {
        self.search = None;
        super::layers::close_search(self);
        self.detail = false;
        self.revealed = None;
        self.roster_cursor = Cursor::default();
        self.status = format!("{} · {}", filter.label, filter.ids.len());
        self.roster_filter = Some(filter);
        self.panel = Panel::Members;
        self.refilter();
    }

    /// The subtree cycle of `o` in the ranking and the overview: the whole of
    /// what the user sees (`None`), then each open branch under it, then around.
    pub fn next_branch(&self, at: Option<OrgUnitId>) -> Option<OrgUnitId> {
        let top = self.top_unit();
        let mut cycle: Vec<Option<OrgUnitId>> = vec![None];
        cycle.extend(
            self.units
                .values()
                .filter(|u| u.level == OrgLevel::Branch && u.parent == top && u.closed.is_none())
                .map(|u| Some(u.id)),
        );
        let i = cycle.iter().position(|u| *u == at).unwrap_or(0);
        cycle[(i + 1) % cycle.len()]
    }

    /// Puts the org tree's cursor on a unit, opening its ancestors.
    pub fn select_unit(&mut self, id: OrgUnitId) {
        let mut at = self.units.get(&id).and_then(|u| u.parent);
        for _ in 0..8 {
            let Some(u) = at else { break };
            self.expanded.insert(u);
            at = self.units.get(&u).and_then(|x| x.parent);
        }
        self.rebuild_org_rows();
        if let Some(i) = self.org_rows.iter().position(|r| r.unit == id) {
            self.org_cursor.selected = i;
            self.org_cursor
                .keep_visible(self.org_rows.len(), self.list_height);
        }
    }

    /// Rows the roster table has: fewer when the detail pane is open.
    pub fn roster_height(&self) -> usize {
        let h = self.list_height.saturating_sub(2);
        if self.detail { h / 2 } else { h }.max(1)
    }

    /// Whether the actor may see full ID numbers and phones of this member.
    pub fn may_reveal(&self, member: &Member) -> bool {
        match self.actor.role {
            Role::CommitteeAdmin => true,
            Role::BranchSecretary => match self.actor.scope {
                Some(s) => self.in_subtree(member.data.unit, s),
                None => true,
            },
            Role::GroupLeader | Role::Viewer => false,
        }
    }

    fn form_open(&self) -> bool {
        matches!(self.layers.last(), Some(Layer::Form(_)))
    }
}

/// Search keys for every member, computed on all cores: pinyin for 100,000
/// names is most of the time to the first frame.
fn finder_entries(rows: &[MemberRow]) -> Vec<FinderEntry> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = rows.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|r| FinderEntry::new(&r.member))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

fn first_key(e: &FinderEntry) -> &str {
    e.sort_key()
}

/// Applies one action. Returns work for the runner, if any.
pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    if let Action::Resize(_, h) = action {
        app.list_height = (h as usize).saturating_sub(4).max(1);
        app.org_cursor
            .keep_visible(app.org_rows.len(), app.list_height);
        let rh = app.roster_height();
        app.roster_cursor.keep_visible(app.roster_rows.len(), rh);
        return None;
    }
    if action == Action::ForceQuit {
        app.quit = true;
        return None;
    }
    if let Handled::Consumed(effect) = super::layers::update(app, &action) {
        return effect;
    }
    let handled = match app.panel {
        Panel::Points => points_update(app, &action),
        Panel::Activities => activities_update(app, &action),
        Panel::Pairing => care_update(app, &action),
        Panel::Overview => super::overview::overview_update(app, &action),
        Panel::Org | Panel::Members => Handled::Ignored,
    };
    if let Handled::Consumed(effect) = handled {
        return effect;
    }
    match action {
        Action::Back => {
            if app.search.is_some() {
                app.search = None;
                app.refilter();
            } else if app.panel == Panel::Members && app.roster_filter.is_some() {
                app.roster_filter = None;
                app.status.clear();
                app.refilter();
            } else if app.detail {
                app.detail = false;
            } else if app.revealed.is_some() {
                app.revealed = None;
            } else {
                app.quit = true;
            }
        }
        Action::NextPanel => {
            app.panel = Panel::ALL[(app.panel.index() + 1) % Panel::ALL.len()];
            return load_panel(app);
        }
        Action::PrevPanel => {
            app.panel = Panel::ALL[(app.panel.index() + Panel::ALL.len() - 1) % Panel::ALL.len()];
            return load_panel(app);
        }
        Action::GoPanel(n) => {
            if let Some(p) = Panel::ALL.get(n) {
                app.panel = *p;
            }
            return load_panel(app);
        }
        Action::Help => app.layers.push(Layer::Help),
        Action::RecentChanges => return Some(Effect::OpenChanges),
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Home
        | Action::End => move_cursor(app, &action),
        Action::Expand | Action::Collapse | Action::Enter if app.panel == Panel::Org => {
            if let Some(id) = app.selected_unit() {
                let open = app.expanded.contains(&id);
                match (&action, open) {
                    (Action::Collapse, true) | (Action::Enter, true) => {
                        app.expanded.remove(&id);
                    }
                    (Action::Collapse, false) => {
                        if let Some(parent) = app.units.get(&id).and_then(|u| u.parent)
                            && let Some(i) = app.org_rows.iter().position(|r| r.unit == parent)
                        {
                            app.org_cursor.selected = i;
                        }
                    }
                    (Action::Expand | Action::Enter, false) => {
                        app.expanded.insert(id);
                    }
                    _ => {}
                }
                app.rebuild_org_rows();
            }
        }
        Action::Enter if app.panel == Panel::Members => {
            app.detail = !app.detail;
            let rh = app.roster_height();
            app.roster_cursor.keep_visible(app.roster_rows.len(), rh);
        }
        Action::ShowMembers if app.panel == Panel::Org => {
            app.roster_unit = app.selected_unit();
            app.roster_filter = None;
            app.search = None;
            super::layers::close_search(app);
            app.refilter();
            app.panel = Panel::Members;
        }
        Action::StartSearch if app.panel == Panel::Members || app.panel == Panel::Org => {
            app.panel = Panel::Members;
            if app.search.is_none() {
                app.search = Some(tui_input::Input::default());
            }
            super::layers::open_search(app);
            app.status = app.tr("search.hint").to_string();
            app.refilter();
        }
        Action::Sort if app.panel == Panel::Members => {
            app.sort = app.sort.next();
            app.refilter();
        }
        Action::Reveal if app.panel == Panel::Members => {
            if let Some(row) = app.selected_member() {
                let id = row.member.id;
                if app.revealed == Some(id) {
                    app.revealed = None;
                } else if app.may_reveal(&row.member) {
                    // Shown at once; the store's owner writes who saw whose
                    // number into the audit log (and a refusal hides it again).
                    app.revealed = Some(id);
                    return Some(Effect::Apply {
                        cmd: Command::RecordReveal {
                            what: crate::ops::Reveal::Member(id),
                        },
                        via: Via::Key,
                    });
                } else {
                    app.status = app.tr("msg.no_reveal").to_string();
                }
            }
        }
        Action::Undo => match app.undo.last() {
            Some(item) => {
                return Some(Effect::Apply {
                    cmd: item.inverse.clone(),
                    via: Via::Undo,
                });
            }
            None => app.status = app.tr("msg.nothing_to_undo").to_string(),
        },
        Action::NewMember if app.panel == Panel::Members || app.panel == Panel::Org => {
            let unit = match app.panel {
                Panel::Org => app.selected_unit(),
                _ => app.roster_unit,
            };
            let form = Form::new_member(app.lang, &app.units, app.actor.scope, unit);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::Edit if app.panel == Panel::Members => {
            if let Some(row) = app.selected_member() {
                let form = Form::edit_member(app.lang, &app.units, app.actor.scope, &row.member);
                app.layers.push(Layer::Form(Box::new(form)));
            }
        }
        Action::Edit if app.panel == Panel::Org => {
            if let Some(unit) = app.selected_unit().and_then(|u| app.units.get(&u)) {
                let leader = unit
                    .leader
                    .and_then(|m| app.member_index.get(&m))
                    .map(|&i| app.members[i].member.data.name.clone());
                let form = Form::edit_unit(app.lang, unit, leader);
                app.layers.push(Layer::Form(Box::new(form)));
            }
        }
        Action::NewUnit if app.panel == Panel::Org => {
            if let Some(parent) = app.selected_unit().and_then(|u| app.units.get(&u)) {
                match parent.level.child() {
                    Some(level) => {
                        let form = Form::new_unit(app.lang, parent, level);
                        app.layers.push(Layer::Form(Box::new(form)));
                    }
                    None => app.status = app.tr("msg.no_child").to_string(),
                }
            }
        }
        Action::MoveUnit if app.panel == Panel::Org => {
            if let Some(unit) = app.selected_unit().and_then(|u| app.units.get(&u)) {
                if unit.parent.is_none() {
                    app.status = app.tr("msg.only_groups_move").to_string();
                } else {
                    let form = Form::move_unit(app.lang, unit, &app.units);
                    app.layers.push(Layer::Form(Box::new(form)));
                }
            }
        }
        Action::ImportFile if app.panel == Panel::Members => {
            super::import::start_import(app, crate::io::import::ImportKind::Members);
        }
        Action::ImportFile if app.panel == Panel::Pairing => {
            super::import::start_import(app, crate::io::import::ImportKind::Beneficiaries);
        }
        Action::ExportView if app.panel == Panel::Members => super::import::start_export(app),
        Action::CloseUnit if app.panel == Panel::Org => {
            if let Some(id) = app.selected_unit() {
                app.layers.push(Layer::Confirm(Confirm::CloseUnit(id)));
            }
        }
        _ => {}
    }
    None
}

/// Data a panel needs the first time it is shown.
fn load_panel(app: &mut App) -> Option<Effect> {
    super::layers::on_panel_shown(app);
    match app.panel {
        Panel::Activities if !app.activities.loaded => Some(Effect::LoadActivities),
        Panel::Points => Some(Effect::LoadRanking),
        Panel::Pairing => Some(Effect::LoadCare),
        Panel::Overview => Some(Effect::LoadOverview),
        _ => None,
    }
}

/// The activities panel's own actions, as `points_update`.
fn activities_update(app: &mut App, action: &Action) -> Handled {
    use super::activities::CheckIn;
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
            let invited = super::activities::invitees(&a, &app.members, &app.units);
            app.layers
                .push(Layer::CheckIn(Box::new(CheckIn::new(a.id, invited))));
            return Handled::Consumed(Some(Effect::OpenActivity(a.id)));
        }
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
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

/// The pairing panel's own actions, as `points_update`.
fn care_update(app: &mut App, action: &Action) -> Handled {
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
                        .map(|&i| app.members[i].member.data.name.clone())
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
            out.push((app.members[i].member.data.name.clone(), id.0));
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
            .filter(|r| r.member.data.unit == unit && r.member.data.status == MemberStatus::Active)
        {
            push(r.member.id);
        }
    }
    out
}

/// Loads the selected activity's attendance when its detail is showing.
fn selected_activity_effect(app: &App) -> Option<Effect> {
    let id = app.activities.selected()?.activity.id;
    (app.activities.detail && app.activities.attendees(id).is_none())
        .then_some(Effect::OpenActivity(id))
}

/// The points panel's own actions (its entry line is a layer: `layers`);
/// `Ignored` lets the common panel keys handle it.
fn points_update(app: &mut App, action: &Action) -> Handled {
    let p = &mut app.points;
    match action {
        Action::PointsEdit => {
            p.editing = true;
            app.layers.push(Layer::PointsLine);
        }
        Action::Statement => p.show_statement = !p.show_statement,
        Action::RankPeriod => {
            p.rank_period = p.rank_period.next();
            return Handled::Consumed(Some(Effect::LoadRanking));
        }
        Action::RankUnit => {
            app.points.rank_unit = app.next_branch(app.points.rank_unit);
            return Handled::Consumed(Some(Effect::LoadRanking));
        }
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

fn move_cursor(app: &mut App, action: &Action) {
    let (cursor, len, height) = match app.panel {
        Panel::Org => (&mut app.org_cursor, app.org_rows.len(), app.list_height),
        Panel::Members => {
            let h = app.roster_height();
            (&mut app.roster_cursor, app.roster_rows.len(), h)
        }
        _ => return,
    };
    cursor.follow(action, len, height);
    if app.panel == Panel::Members {
        app.revealed = None;
    }
}

/// What the runner does after a command it applied for the app succeeded.
pub fn applied(app: &mut App, via: Via, summary: String, inverse: Option<Command>) {
    match via {
        Via::Undo => {
            app.undo.pop();
            app.status = summary;
        }
        Via::Form | Via::Key | Via::PointsLine => {
            if via == Via::Form && app.form_open() {
                app.layers.pop();
            }
            if let Some(inverse) = inverse {
                app.undo.push(UndoItem {
                    inverse,
                    summary: summary.clone(),
                });
            }
            app.status = summary;
        }
    }
}

/// What the runner does when a command was refused.
pub fn refused(app: &mut App, via: Via, message: String) {
    if via == Via::Form
        && let Some(Layer::Form(form)) = app.layers.last_mut()
    {
        form.error = Some(message.clone());
    }
    app.status = message;
}
