//! Application state and `update`: everything the screen shows lives here, and
//! every key becomes an `Action` that `update` applies. `update` never touches
//! the store: a change leaves as an `Effect` (a `Command`) for the runner, which
//! applies it through `ops::apply` and refreshes the state.

use super::action::{Action, Effect, Handled, Panel, Via};
use super::cursor::Cursor;
use super::i18n::{Lang, t};
pub use super::layers::{Confirm, Layer};
pub use super::panels::roster::SortKey;
use super::theme::Theme;
use crate::domain::finder::{FinderEntry, Query};
use crate::domain::*;
use crate::ops::{Actor, Command};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use super::row::MemberRow;

/// A list the roster shows instead of a unit's subtree: the members behind a
/// figure of the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterFilter {
    pub label: String,
    pub ids: std::collections::HashSet<MemberId>,
}

/// The roster while it arrives a page at a time (`tui::run` reads it in the
/// background, so the first frame does not wait for 100,000 rows): the rows
/// so far, the members a change was heard about meanwhile (read again once
/// the roster is whole: a page may have been read before the change), and
/// the keys that wait for it.
#[derive(Debug, Default)]
pub struct RosterLoad {
    pub members: Vec<MemberRow>,
    pub finder: Vec<FinderEntry>,
    pub changed: BTreeSet<MemberId>,
    /// Keys typed meanwhile that need the roster, in order: handled once it
    /// is whole (see `tui::hold`), so nothing typed is lost or applied to
    /// a roster not there yet.
    pub held: Vec<crossterm::event::Event>,
}

impl RosterLoad {
    /// Rows that arrived, after those before.
    pub fn add(&mut self, rows: Vec<(MemberRow, FinderEntry)>) {
        self.members.reserve(rows.len());
        self.finder.reserve(rows.len());
        for (row, entry) in rows {
            self.members.push(row);
            self.finder.push(entry);
        }
    }
}

/// One visible line of the org tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub unit: OrgUnitId,
    pub depth: usize,
}

/// A change of this session's that `u` can take back: the command that
/// undoes it, the command that made it (for redo), and what the status line
/// said of it.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoItem {
    pub inverse: Command,
    pub redo: Command,
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
    /// Set while the roster is still arriving: `members` is empty until it
    /// is whole, and what counts members says it is still reading.
    pub roster_load: Option<RosterLoad>,
    /// The selected member's whole record, when the detail pane or an edit
    /// needs it: read by the runner (`tui::full_record`) as the selection
    /// moves, never held for the whole roster.
    pub full: Option<Box<Member>>,
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
    /// The roster sorted the other way round (`S`).
    pub sort_reverse: bool,
    /// Which members the roster lists by status (`f` cycles).
    pub roster_status: super::panels::roster::StatusFilter,
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
    /// The first help line shown, when the help is taller than the screen.
    pub help_scroll: usize,
    /// What was undone, newest last: Ctrl-R applies its command again. A new
    /// change empties it.
    pub redo: Vec<UndoItem>,
    /// The day the session treats as today (tests pin it).
    pub today: chrono::NaiveDate,
    /// Active points rules, for the quick-entry line.
    pub rules: Vec<PointsRule>,
    pub points: super::panels::points::PointsPanel,
    pub activities: super::panels::activities::ActivitiesPanel,
    pub pairing: super::panels::pairing::PairingPanel,
    pub overview: super::panels::overview::OverviewPanel,
    pub orglife: super::panels::orglife::OrgLifePanel,
    /// Rows available to lists, set by the runner from the terminal size.
    pub list_height: usize,
    /// How many changes to the store this session has seen (its own commands
    /// and imports, other people's notices): figures computed at an earlier
    /// count are out of date.
    pub generation: u64,
    pub quit: bool,
    /// The panel a drill-down left (the overview): Esc goes back to it.
    pub back_to: Option<Panel>,
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
            roster_load: None,
            full: None,
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
            sort_reverse: false,
            roster_status: Default::default(),
            search: None,
            applied_query: None,
            detail: false,
            revealed: None,
            layers: Vec::new(),
            status: t(lang, "status.hint").to_string(),
            undo: Vec::new(),
            help_scroll: 0,
            redo: Vec::new(),
            rules: Vec::new(),
            points: super::panels::points::PointsPanel::new(today),
            activities: super::panels::activities::ActivitiesPanel::default(),
            pairing: super::panels::pairing::PairingPanel::default(),
            overview: super::panels::overview::OverviewPanel::default(),
            orglife: super::panels::orglife::OrgLifePanel::default(),
            list_height: 18,
            quit: false,
            back_to: None,
        }
    }

    pub fn tr(&self, key: &'static str) -> &'static str {
        t(self.lang, key)
    }

    /// Replaces the data (after loading or a change) and recomputes what
    /// depends on it: the members with their search keys, one each.
    pub fn set_data(&mut self, units: Vec<OrgUnit>, members: Vec<(MemberRow, FinderEntry)>) {
        self.units = units.into_iter().map(|u| (u.id, u)).collect();
        (self.members, self.finder) = members.into_iter().unzip();
        self.full = None;
        self.reindex();
    }

    /// How many rows of the roster have arrived, while it is arriving.
    pub fn roster_arriving(&self) -> Option<usize> {
        self.roster_load.as_ref().map(|l| l.members.len())
    }

    /// A page of the roster arrived (see `RosterLoad`).
    pub fn roster_page(&mut self, rows: Vec<(MemberRow, FinderEntry)>) {
        if let Some(load) = self.roster_load.as_mut() {
            load.add(rows);
        }
    }

    /// The last page arrived: the roster is shown; what waited for it (the
    /// members changed meanwhile, to be read again; the keys held) is
    /// returned.
    pub fn roster_whole(&mut self) -> Option<RosterLoad> {
        let mut load = self.roster_load.take()?;
        self.members = std::mem::take(&mut load.members);
        self.finder = std::mem::take(&mut load.finder);
        self.reindex();
        Some(load)
    }

    /// Replaces or adds one member (after a member command).
    pub fn upsert_member(&mut self, member: &Member, balance: Points) {
        let entry = FinderEntry::new(member);
        let row = MemberRow::of(member, balance);
        if self.full.as_ref().is_some_and(|f| f.id == member.id) {
            self.full = Some(Box::new(member.clone()));
        }
        match self.member_index.get(&member.id) {
            Some(&i) => {
                // Where they count is unchanged (a balance, a name, a phone:
                // what every points entry changes): the index, the counts and
                // the buildings stand, the roster is filtered again. At
                // 100,000 members that is a sort, not a rebuild.
                let old = &self.members[i];
                let counted_alike = old.unit == row.unit
                    && old.status == row.status
                    && old.building() == row.building();
                self.members[i] = row;
                self.finder[i] = entry;
                if counted_alike {
                    self.refilter();
                    return;
                }
            }
            None => {
                self.members.push(row);
                self.finder.push(entry);
            }
        }
        self.reindex();
    }

    /// Drops a member whose creation was taken back (undo).
    pub fn remove_member(&mut self, id: MemberId) {
        if self.full.as_ref().is_some_and(|f| f.id == id) {
            self.full = None;
        }
        if let Some(&i) = self.member_index.get(&id) {
            self.members.remove(i);
            self.finder.remove(i);
            // Lists of indices into the members shift past `i`.
            let shift = |list: &mut Vec<usize>| {
                list.retain(|&j| j != i);
                list.iter_mut().filter(|j| **j > i).for_each(|j| *j -= 1);
            };
            // What was found is found again at the next key.
            self.points.matches.clear();
            if let Some(ci) = self.checkin_mut() {
                shift(&mut ci.invitees);
                ci.matches.clear();
            }
            self.reindex();
        }
    }

    /// After the roster was read again whole (`reload::members_changed`),
    /// its rows may stand at other places: the lists of places into it are
    /// made again (an open check-in's or roll's invitees), and what was
    /// found is found again at the next key.
    pub fn members_reread(&mut self) {
        self.points.matches.clear();
        let (members, units) = (&self.members, &self.units);
        let invited = |id: ActivityId| -> Vec<usize> {
            let row = self.activities.rows.iter().find(|r| r.activity.id == id);
            row.map(|r| super::panels::activities::invitees(&r.activity, members, units))
                .unwrap_or_default()
        };
        for layer in self.layers.iter_mut() {
            match layer {
                Layer::CheckIn(ci) => {
                    ci.matches.clear();
                    ci.invitees = invited(ci.activity);
                }
                Layer::Roll(roll) => roll.invitees = invited(roll.activity),
                Layer::Form(form) => form.member_matches.clear(),
                _ => {}
            }
        }
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
            .map(|(i, r)| (r.id, i))
            .collect();
        let mut counts: HashMap<OrgUnitId, usize> = HashMap::new();
        for r in &self.members {
            if r.status != MemberStatus::Active {
                continue;
            }
            let mut at = Some(r.unit);
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
            let b = building_key(r.building());
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

    fn form_open(&self) -> bool {
        match self.layers.last() {
            Some(Layer::Form(_)) => true,
            Some(Layer::OrgLife(l)) => l.is_editor(),
            _ => false,
        }
    }
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
        super::exits::force_quit(app);
        return None;
    }
    if let Handled::Consumed(effect) = super::layers::update(app, &action) {
        return effect;
    }
    let handled = match app.panel {
        Panel::Org => super::panels::org::update(app, &action),
        Panel::Members => super::panels::roster::update(app, &action),
        Panel::Points => super::panels::points::update(app, &action),
        Panel::Activities => super::panels::activities::update(app, &action),
        Panel::Pairing => super::panels::pairing::update(app, &action),
        Panel::Overview => super::panels::overview::update(app, &action),
        Panel::OrgLife => super::panels::orglife::update(app, &action),
    };
    if let Handled::Consumed(effect) = handled {
        return effect;
    }
    match action {
        Action::Back => return super::exits::back(app),
        Action::Quit => super::exits::quit(app),
        Action::NextPanel => {
            app.back_to = None;
            app.panel = Panel::ALL[(app.panel.index() + 1) % Panel::ALL.len()];
            return load_panel(app);
        }
        Action::PrevPanel => {
            app.back_to = None;
            app.panel = Panel::ALL[(app.panel.index() + Panel::ALL.len() - 1) % Panel::ALL.len()];
            return load_panel(app);
        }
        Action::GoPanel(n) => {
            app.back_to = None;
            if let Some(p) = Panel::ALL.get(n) {
                app.panel = *p;
            }
            return load_panel(app);
        }
        Action::Help => {
            app.help_scroll = 0;
            app.layers.push(Layer::Help);
        }
        Action::RecentChanges => return Some(Effect::OpenChanges),
        Action::Undo => match app.undo.last() {
            Some(item) => {
                return Some(Effect::Apply {
                    cmd: item.inverse.clone(),
                    via: Via::Undo,
                });
            }
            None => app.status = app.tr("msg.nothing_to_undo").to_string(),
        },
        Action::Redo => match app.redo.last() {
            Some(item) => {
                return Some(Effect::Apply {
                    cmd: item.redo.clone(),
                    via: Via::Redo,
                });
            }
            None => app.status = app.tr("msg.nothing_to_redo").to_string(),
        },
        _ => {}
    }
    None
}

/// Data a panel needs the first time it is shown.
pub(crate) fn load_panel(app: &mut App) -> Option<Effect> {
    super::layers::on_panel_shown(app);
    match app.panel {
        Panel::Activities if !app.activities.loaded => Some(Effect::LoadActivities),
        Panel::Points => Some(Effect::LoadRanking),
        Panel::Pairing => Some(Effect::LoadCare),
        Panel::Overview => Some(Effect::LoadOverview),
        Panel::OrgLife => Some(Effect::OrgLife(super::action::OrgLifeEffect::Load)),
        _ => None,
    }
}

/// What the runner does after a command it applied for the app succeeded:
/// `cmd` is what was applied, `summary` what the status line says of it.
pub fn applied(app: &mut App, via: Via, cmd: &Command, summary: String, inverse: Option<Command>) {
    let said = |app: &App, key, what: &str| crate::ops::words::said(app.tr(key), what);
    match via {
        // The status line names what was undone: the change as it was said.
        Via::Undo => {
            if let Some(item) = app.undo.pop() {
                app.status = said(app, "msg.undone", &item.summary);
                app.redo.push(item);
            } else {
                app.status = summary;
            }
        }
        Via::Redo => {
            app.redo.pop();
            if let Some(inverse) = inverse {
                app.undo.push(UndoItem {
                    inverse,
                    redo: cmd.clone(),
                    summary: summary.clone(),
                });
            }
            app.status = said(app, "msg.redone", &summary);
        }
        Via::Form | Via::Key | Via::PointsLine => {
            if via == Via::Form && app.form_open() {
                app.layers.pop();
            }
            app.redo.clear();
            if let Some(inverse) = inverse {
                app.undo.push(UndoItem {
                    inverse,
                    redo: cmd.clone(),
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
