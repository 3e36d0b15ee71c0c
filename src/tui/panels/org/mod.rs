//! The org panel: the tree of units with their member counts and warnings.
//! Its rows and cursor live on the `App` (the roster and the overview jump
//! into the tree); this is how they are built and what the panel's keys do.

pub mod view;

use crate::domain::*;
use crate::tui::action::{Action, Handled, Panel};
use crate::tui::app::{App, Confirm, Layer, OrgRow};
use crate::tui::form::Form;
use std::collections::BTreeMap;

/// The org panel's own actions; `Ignored` leaves them to the global keys.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    match action {
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Home
        | Action::End => {
            let (len, h) = (app.org_rows.len(), app.list_height);
            app.org_cursor.follow(action, len, h);
        }
        Action::Expand | Action::Collapse | Action::Enter => {
            if let Some(id) = app.selected_unit() {
                let open = app.expanded.contains(&id);
                match (action, open) {
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
        Action::ShowMembers => {
            app.roster_unit = app.selected_unit();
            app.roster_filter = None;
            app.search = None;
            crate::tui::layers::close_search(app);
            app.refilter();
            app.panel = Panel::Members;
        }
        Action::StartSearch => crate::tui::layers::start_search(app),
        Action::NewMember => {
            let unit = app.selected_unit();
            let form = Form::new_member(app.lang, &app.units, app.actor.scope, unit);
            app.layers.push(Layer::Form(Box::new(form)));
        }
        Action::Edit => {
            if let Some(unit) = app.selected_unit().and_then(|u| app.units.get(&u)) {
                let leader = unit
                    .leader
                    .and_then(|m| app.member_index.get(&m))
                    .map(|&i| app.members[i].name.to_string());
                let form = Form::edit_unit(app.lang, unit, leader);
                app.layers.push(Layer::Form(Box::new(form)));
            }
        }
        Action::OpenUsers => {
            if crate::tui::users::may_manage(app) {
                return Handled::effect(crate::tui::action::Effect::OpenUsers);
            }
            app.status = app.tr("msg.users_admins_only").to_string();
        }
        Action::NewUnit if app.units.is_empty() => first_start(app),
        Action::NewUnit => {
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
        Action::MoveUnit => {
            if let Some(unit) = app.selected_unit().and_then(|u| app.units.get(&u)) {
                if unit.parent.is_none() {
                    app.status = app.tr("msg.only_groups_move").to_string();
                } else {
                    let form = Form::move_unit(app.lang, unit, &app.units);
                    app.layers.push(Layer::Form(Box::new(form)));
                }
            }
        }
        Action::CloseUnit => {
            if let Some(id) = app.selected_unit() {
                app.layers.push(Layer::Confirm(Confirm::CloseUnit(id)));
            }
        }
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

/// A store with no organisation yet: a committee admin gets the form that
/// sets up the community committee (the first step of a new office); anyone
/// else is told who can. Nothing happens once a unit exists.
pub fn first_start(app: &mut App) {
    if !app.units.is_empty() {
        return;
    }
    if crate::tui::users::may_manage(app) {
        let form = Form::new_committee(app.lang);
        app.layers.push(Layer::Form(Box::new(form)));
        app.status = app.tr("msg.first_start").to_string();
    } else {
        app.status = app.tr("msg.no_committee_ask").to_string();
    }
}

impl App {
    pub(crate) fn rebuild_org_rows(&mut self) {
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
}
