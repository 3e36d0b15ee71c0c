//! The user forms, for committee admins: a new user (an OS login, a role,
//! where they work) and changing one (role, scope, name, active). The store's
//! owner checks again that only an admin may.

use super::{Field, FieldId, Form, FormKind, Pick};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::i18n::{Lang, t};
use std::collections::BTreeMap;

const ROLES: [Role; 4] = [
    Role::CommitteeAdmin,
    Role::BranchSecretary,
    Role::GroupLeader,
    Role::Viewer,
];

/// The pick list of roles, in the interface's words.
fn roles(lang: Lang, chosen: Role) -> Field {
    let options = ROLES
        .iter()
        .map(|r| (r.label(lang).to_string(), Pick::Role(*r)))
        .collect();
    Field::choice(FieldId::Role, options, Pick::Role(chosen))
}

/// Where the user works: the whole community (0) or one open unit.
fn scopes(lang: Lang, units: &BTreeMap<OrgUnitId, OrgUnit>, chosen: Option<OrgUnitId>) -> Field {
    let mut options = vec![(t(lang, "users.everywhere").to_string(), 0)];
    options.extend(
        units
            .values()
            .filter(|u| u.closed.is_none())
            .map(|u| (u.name.clone(), u.id.0)),
    );
    Field::ids(FieldId::Scope, options, chosen.map_or(0, |u| u.0))
}

impl Form {
    pub fn new_user(lang: Lang, units: &BTreeMap<OrgUnitId, OrgUnit>) -> Form {
        let fields = vec![
            Field::required(FieldId::Login, ""),
            Field::free(FieldId::Name, ""),
            roles(lang, Role::GroupLeader),
            scopes(lang, units, None),
        ];
        Form::with(FormKind::NewUser, "form.new_user", lang, fields)
    }

    pub fn edit_user(lang: Lang, user: &User, units: &BTreeMap<OrgUnitId, OrgUnit>) -> Form {
        let active = vec![
            (t(lang, "users.active").to_string(), Pick::Yes(true)),
            (t(lang, "users.revoked").to_string(), Pick::Yes(false)),
        ];
        let fields = vec![
            Field::free(FieldId::Name, &user.display_name),
            roles(lang, user.role),
            scopes(lang, units, user.scope),
            Field::choice(FieldId::Active, active, Pick::Yes(user.active)),
        ];
        let kind = FormKind::EditUser(Box::new(user.clone()));
        Form::with(kind, "form.edit_user", lang, fields)
    }

    fn scope(&self) -> Option<OrgUnitId> {
        Some(self.id(FieldId::Scope))
            .filter(|&u| u != 0)
            .map(OrgUnitId)
    }

    pub(super) fn new_user_command(&self) -> Command {
        Command::AddUser {
            login: self.text(FieldId::Login),
            display_name: self.text(FieldId::Name),
            role: self.picked(FieldId::Role).unwrap_or(Role::Viewer),
            scope: self.scope(),
        }
    }

    pub(super) fn edit_user_command(&self, old: &User) -> Command {
        Command::UpdateUser {
            login: old.login.clone(),
            display_name: self.text(FieldId::Name),
            role: self.picked(FieldId::Role).unwrap_or(old.role),
            scope: self.scope(),
            active: self.picked(FieldId::Active).unwrap_or(old.active),
        }
    }
}
