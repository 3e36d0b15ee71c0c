//! The partner form (联建共建): name, kind (resident unit, two-new
//! organisation, other), contact and phone, the org unit it builds with,
//! the agreement's date and notes. Closing and reopening are a key on the
//! panel, not a field.

use super::{Check, Field, FieldId, Form, FormKind, Pick, split_list};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::i18n::{Lang, t};
use std::collections::BTreeMap;

fn partner_fields(lang: Lang, units: &BTreeMap<OrgUnitId, OrgUnit>, d: &PartnerData) -> Vec<Field> {
    use FieldId as F;
    let kinds = PartnerKind::VARIANTS
        .iter()
        .map(|k| (k.label(lang).to_string(), Pick::PartnerKind(*k)))
        .collect();
    let mut linked = vec![(t(lang, "ol.no_unit").to_string(), 0)];
    linked.extend(
        units
            .values()
            .filter(|u| u.closed.is_none())
            .map(|u| (u.name.clone(), u.id.0)),
    );
    let agreed = d.agreed.map(|a| a.to_string()).unwrap_or_default();
    vec![
        Field::required(F::UnitName, &d.name),
        Field::choice(F::Kind, kinds, Pick::PartnerKind(d.kind)),
        Field::free(F::ContactPerson, &d.contact),
        Field::text(F::Phone, &d.phone, Check::Phone),
        Field::ids(F::LinkedUnit, linked, d.linked_unit.map_or(0, |u| u.0)),
        Field::text(F::Agreed, &agreed, Check::Date),
        Field::free(F::Notes, &d.notes),
    ]
}

impl Form {
    pub fn new_partner(lang: Lang, units: &BTreeMap<OrgUnitId, OrgUnit>) -> Form {
        let d = PartnerData {
            name: String::new(),
            kind: PartnerKind::Unit,
            contact: String::new(),
            phone: String::new(),
            linked_unit: None,
            agreed: None,
            notes: String::new(),
        };
        let fields = partner_fields(lang, units, &d);
        Form::with(FormKind::NewPartner, "form.new_partner", lang, fields)
    }

    pub fn edit_partner(lang: Lang, units: &BTreeMap<OrgUnitId, OrgUnit>, p: &Partner) -> Form {
        let fields = partner_fields(lang, units, &p.data);
        Form::with(
            FormKind::EditPartner(p.id),
            "form.edit_partner",
            lang,
            fields,
        )
    }

    pub(super) fn partner_data(&self) -> PartnerData {
        use FieldId as F;
        let linked = self.id(F::LinkedUnit);
        PartnerData {
            name: self.text(F::UnitName),
            kind: self.picked(F::Kind).unwrap_or(PartnerKind::Other),
            contact: self.text(F::ContactPerson),
            phone: self.text(F::Phone),
            linked_unit: (linked != 0).then_some(OrgUnitId(linked)),
            agreed: self.date(F::Agreed),
            notes: self.text(F::Notes),
        }
    }
}

impl Form {
    /// The partners an activity was held with, typed by name (`、` between).
    pub fn activity_partners(
        lang: Lang,
        activity: ActivityId,
        partners: &[Partner],
        named: &[PartnerId],
    ) -> Form {
        let known: Vec<(String, PartnerId)> = partners
            .iter()
            .filter(|p| p.closed.is_none() || named.contains(&p.id))
            .map(|p| (p.data.name.clone(), p.id))
            .collect();
        let now: Vec<&str> = named
            .iter()
            .filter_map(|id| known.iter().find(|k| k.1 == *id).map(|k| k.0.as_str()))
            .collect();
        let fields = vec![Field::free(FieldId::Partners, &now.join("、"))];
        let kind = FormKind::ActivityPartners { activity, known };
        Form::with(kind, "form.activity_partners", lang, fields)
    }

    pub(super) fn activity_partners_command(
        &mut self,
        activity: ActivityId,
        known: &[(String, PartnerId)],
    ) -> Result<Command, String> {
        let mut partners = Vec::new();
        for name in split_list(&self.text(FieldId::Partners)) {
            match known.iter().find(|k| k.0 == name) {
                Some(k) if !partners.contains(&k.1) => partners.push(k.1),
                Some(_) => {}
                None => {
                    let names: Vec<&str> = known.iter().map(|k| k.0.as_str()).collect();
                    return Err(format!(
                        "{}: {name} ({})",
                        t(self.lang, "form.unknown_partner"),
                        names.join("、")
                    ));
                }
            }
        }
        Ok(Command::SetActivityPartners { activity, partners })
    }
}
