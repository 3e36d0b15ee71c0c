//! The roster panel: the members of a unit's subtree, a search across
//! everyone the user may see, or a list opened from the overview. Its rows,
//! cursor and query live on the `App` (the org panel and the overview open
//! it); this is how they are computed and what the panel's keys do.

pub mod view;

use crate::domain::finder::{self, FinderEntry, Query};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::action::{Action, Effect, Handled, Panel, Via};
use crate::tui::app::{App, Layer, MemberRow, RosterFilter};
use crate::tui::cursor::Cursor;
use crate::tui::form::Form;

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

/// The roster's own actions; `Ignored` leaves them to the global keys.
/// Which members the roster lists by status: everyone (each non-active one
/// marked so), only the active, or only those transferred out or deceased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    Active,
    Inactive,
}

impl StatusFilter {
    fn next(self) -> StatusFilter {
        match self {
            StatusFilter::All => StatusFilter::Active,
            StatusFilter::Active => StatusFilter::Inactive,
            StatusFilter::Inactive => StatusFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "roster.status_all",
            StatusFilter::Active => "roster.status_active",
            StatusFilter::Inactive => "roster.status_inactive",
        }
    }

    pub fn admits(self, status: MemberStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Active => status == MemberStatus::Active,
            StatusFilter::Inactive => status != MemberStatus::Active,
        }
    }
}

pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    match action {
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Home
        | Action::End => {
            let (len, h) = (app.roster_rows.len(), app.roster_height());
            app.roster_cursor.follow(action, len, h);
            app.revealed = None;
        }
        Action::Enter => {
            app.detail = !app.detail;
            let rh = app.roster_height();
            app.roster_cursor.keep_visible(app.roster_rows.len(), rh);
        }
        Action::StartSearch => crate::tui::layers::start_search(app),
        Action::Sort => {
            app.sort = app.sort.next();
            app.refilter();
        }
        Action::SortReverse => {
            app.sort_reverse = !app.sort_reverse;
            app.refilter();
        }
        Action::StatusFilter => {
            app.roster_status = app.roster_status.next();
            app.refilter();
        }
        Action::Reveal => {
            if let Some(row) = app.selected_member() {
                let id = row.id;
                if app.revealed == Some(id) {
                    app.revealed = None;
                } else if app.may_reveal(row.unit) {
                    // Shown at once; the store's owner writes who saw whose
                    // number into the audit log (and a refusal hides it again).
                    app.revealed = Some(id);
                    return Handled::effect(Effect::Apply {
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
        Action::NewMember => {
            let unit = app.roster_unit;
            let form = Form::new_member(app.lang, &app.units, app.actor.scope, unit);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        // The form needs the whole record: the runner reads it.
        Action::Edit => {
            if let Some(row) = app.selected_member() {
                return Handled::effect(Effect::EditMember(row.id));
            }
        }
        Action::ImportFile => {
            crate::tui::import::start_import(app, crate::io::import::ImportKind::Members);
        }
        Action::ExportView => crate::tui::import::start_export(app),
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

impl App {
    pub fn selected_member(&self) -> Option<&MemberRow> {
        self.roster_rows
            .get(self.roster_cursor.selected)
            .and_then(|&i| self.members.get(i))
    }

    pub(crate) fn in_subtree(&self, unit: OrgUnitId, root: OrgUnitId) -> bool {
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
        let keep = self.selected_member().map(|r| r.id);
        match &query {
            Some(q) => {
                let candidates: Vec<usize> = match &self.applied_query {
                    Some(prev) if prev.narrows_to(q) => self.roster_rows.clone(),
                    _ => (0..self.members.len()).collect(),
                };
                let mut rows = finder::search(&self.finder, &candidates, q);
                rows.retain(|&i| self.roster_status.admits(self.members[i].status));
                self.roster_rows = rows;
            }
            None => {
                let root = self.roster_unit;
                let filter = self.roster_filter.as_ref();
                let mut rows: Vec<usize> = (0..self.members.len())
                    .filter(|&i| match (filter, root) {
                        (Some(f), _) => f.ids.contains(&self.members[i].id),
                        (None, Some(r)) => self.in_subtree(self.members[i].unit, r),
                        (None, None) => true,
                    })
                    .filter(|&i| self.roster_status.admits(self.members[i].status))
                    .collect();
                self.sort_rows(&mut rows);
                if self.sort_reverse {
                    rows.reverse();
                }
                self.roster_rows = rows;
            }
        }
        self.applied_query = query;
        let pos = keep.and_then(|id| {
            self.roster_rows
                .iter()
                .position(|&i| self.members[i].id == id)
        });
        self.roster_cursor.selected = pos.unwrap_or(0);
        if pos.is_none() {
            self.roster_cursor.offset = 0;
        }
        self.roster_cursor
            .keep_visible(self.roster_rows.len(), self.roster_height());
    }

    /// Every order ends on the member id: an unstable sort gives the one
    /// order a stable sort would, faster.
    fn sort_rows(&self, rows: &mut [usize]) {
        let m = &self.members;
        match self.sort {
            SortKey::Name => {
                // The key's first 8 bytes decide most comparisons without
                // reading the key itself (100,000 of them miss the cache):
                // the same order as comparing whole keys.
                let head = |i: usize| {
                    let key = self.finder.get(i).map_or("", first_key).as_bytes();
                    let mut b = [0u8; 8];
                    let n = key.len().min(8);
                    b[..n].copy_from_slice(&key[..n]);
                    u64::from_be_bytes(b)
                };
                let mut keyed: Vec<(u64, usize)> = rows.iter().map(|&i| (head(i), i)).collect();
                keyed.sort_unstable_by(|(ha, a), (hb, b)| {
                    ha.cmp(hb)
                        .then_with(|| first_key(&self.finder[*a]).cmp(first_key(&self.finder[*b])))
                        .then(m[*a].id.cmp(&m[*b].id))
                });
                for (slot, (_, i)) in rows.iter_mut().zip(keyed) {
                    *slot = i;
                }
            }
            SortKey::Category => rows.sort_unstable_by_key(|i| (m[*i].category, m[*i].id)),
            SortKey::Address => rows.sort_unstable_by_key(|i| {
                let a = &m[*i];
                (
                    a.building().parse::<u64>().unwrap_or(u64::MAX),
                    a.entrance().parse::<u64>().unwrap_or(u64::MAX),
                    a.room().parse::<u64>().unwrap_or(u64::MAX),
                    m[*i].id,
                )
            }),
            SortKey::Points => {
                rows.sort_unstable_by_key(|i| (std::cmp::Reverse(m[*i].balance), m[*i].id))
            }
        }
    }

    /// Opens the roster on a list of members (from the overview).
    pub fn show_filtered(&mut self, filter: RosterFilter) {
        self.search = None;
        crate::tui::layers::close_search(self);
        self.detail = false;
        self.revealed = None;
        self.roster_cursor = Cursor::default();
        self.status = format!("{} · {}", filter.label, filter.ids.len());
        self.roster_filter = Some(filter);
        self.panel = Panel::Members;
        self.refilter();
    }

    /// Rows the roster table has: fewer when the detail pane is open.
    pub fn roster_height(&self) -> usize {
        let h = self.list_height.saturating_sub(2);
        if self.detail { h / 2 } else { h }.max(1)
    }

    /// Whether the actor may see full ID numbers and phones of this member.
    pub fn may_reveal(&self, unit: OrgUnitId) -> bool {
        match self.actor.role {
            Role::CommitteeAdmin => true,
            Role::BranchSecretary => match self.actor.scope {
                Some(s) => self.in_subtree(unit, s),
                None => true,
            },
            Role::GroupLeader | Role::Viewer => false,
        }
    }
}

fn first_key(e: &FinderEntry) -> &str {
    e.sort_key()
}
