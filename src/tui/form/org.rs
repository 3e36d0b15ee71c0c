//! The org-unit forms: a new sub-unit, editing a unit (name, leader,
//! buildings), moving it under another parent.

use super::{Check, Field, FieldId, Form, FormKind, date_text, split_list};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::app::MemberRow;
use crate::tui::i18n::Lang;
use std::collections::{BTreeMap, HashMap};

impl Form {
    pub fn new_unit(lang: Lang, parent: &OrgUnit, level: OrgLevel) -> Form {
        let mut fields = vec![Field::required(FieldId::UnitName, "")];
        if level == OrgLevel::Group {
            fields.push(Field::free(FieldId::Buildings, ""));
        }
        fields.push(Field::text(FieldId::Established, "", Check::Date));
        fields.push(Field::free(FieldId::Notes, ""));
        Form::with(
            FormKind::NewUnit {
                parent: Some(parent.id),
                level,
            },
            "form.new_unit",
            lang,
            fields,
        )
    }

    /// The community party committee, on a store that has no organisation
    /// yet: the first thing a new office does.
    pub fn new_committee(lang: Lang) -> Form {
        let fields = vec![
            Field::required(FieldId::UnitName, ""),
            Field::text(FieldId::Established, "", Check::Date),
            Field::free(FieldId::Notes, ""),
        ];
        Form::with(
            FormKind::NewUnit {
                parent: None,
                level: OrgLevel::Committee,
            },
            "form.new_committee",
            lang,
            fields,
        )
    }

    pub fn edit_unit(lang: Lang, unit: &OrgUnit, leader: Option<String>) -> Form {
        let mut fields = vec![
            Field::required(FieldId::UnitName, &unit.name),
            Field::text(FieldId::Leader, &leader.unwrap_or_default(), Check::Member),
        ];
        if unit.level == OrgLevel::Group {
            fields.push(Field::free(FieldId::Buildings, &unit.buildings.join("，")));
        }
        fields.push(Field::text(
            FieldId::Established,
            &date_text(unit.established),
            Check::Date,
        ));
        fields.push(Field::free(FieldId::Notes, &unit.notes));
        Form::with(FormKind::EditUnit(unit.id), "form.edit_unit", lang, fields)
    }

    pub fn move_unit(lang: Lang, unit: &OrgUnit, units: &BTreeMap<OrgUnitId, OrgUnit>) -> Form {
        let parent_level = match unit.level {
            OrgLevel::Group => OrgLevel::Branch,
            _ => OrgLevel::Committee,
        };
        let options = units
            .values()
            .filter(|u| u.level == parent_level && u.closed.is_none())
            .map(|u| (u.name.clone(), u.id.0))
            .collect();
        let fields = vec![Field::ids(
            FieldId::Parent,
            options,
            unit.parent.map(|p| p.0).unwrap_or(0),
        )];
        Form::with(FormKind::MoveUnit(unit.id), "form.move_unit", lang, fields)
    }

    pub(super) fn new_unit_command(&self, parent: Option<OrgUnitId>, level: OrgLevel) -> Command {
        Command::CreateOrgUnit {
            parent,
            level,
            name: self.text(FieldId::UnitName),
            buildings: split_list(&self.text(FieldId::Buildings)),
            established: self.date(FieldId::Established),
            notes: self.text(FieldId::Notes),
        }
    }

    /// Saving a unit; the leader is typed by member id or exact name, and
    /// may be left empty.
    pub(super) fn edit_unit_command(
        &mut self,
        id: OrgUnitId,
        members: &[MemberRow],
        member_index: &HashMap<MemberId, usize>,
    ) -> Result<Command, String> {
        let leader = match self.text(FieldId::Leader).is_empty() {
            true => None,
            false => Some(self.member(FieldId::Leader, members, member_index)?),
        };
        Ok(Command::UpdateOrgUnit {
            id,
            name: self.text(FieldId::UnitName),
            leader,
            buildings: split_list(&self.text(FieldId::Buildings)),
            established: self.date(FieldId::Established),
            notes: self.text(FieldId::Notes),
        })
    }
}
