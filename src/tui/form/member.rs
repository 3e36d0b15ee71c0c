//! The member form: new and edit, every field of a member's record.

use super::{
    Check, Field, FieldId, Form, FormKind, Pick, date_text, options, split_list, unit_options,
};
use crate::domain::*;
use crate::tui::i18n::Lang;
use std::collections::BTreeMap;

const GENDERS: [(Option<Gender>, &str); 3] = [
    (None, "gender.unknown"),
    (Some(Gender::Male), "gender.male"),
    (Some(Gender::Female), "gender.female"),
];

const CATEGORIES: [(MemberCategory, &str); 5] = [
    (MemberCategory::OnTheJob, "category.on_the_job"),
    (MemberCategory::Retired, "category.retired"),
    (MemberCategory::Student, "category.student"),
    (MemberCategory::Mobile, "category.mobile"),
    (MemberCategory::Other, "category.other"),
];

const STATUSES: [(MemberStatus, &str); 3] = [
    (MemberStatus::Active, "status.active"),
    (MemberStatus::TransferredOut, "status.transferred_out"),
    (MemberStatus::Deceased, "status.deceased"),
];

fn partial_text(d: Option<PartialDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn member_fields(
    lang: Lang,
    units: &BTreeMap<OrgUnitId, OrgUnit>,
    scope: Option<OrgUnitId>,
    d: &MemberData,
) -> Vec<Field> {
    use FieldId as F;
    vec![
        Field::required(F::Name, &d.name),
        Field::choice(
            F::Gender,
            options(lang, &GENDERS, Pick::Gender),
            Pick::Gender(d.gender),
        ),
        Field::text(F::Birth, &date_text(d.birth_date), Check::Date),
        Field::text(F::IdNumber, &d.id_number, Check::IdNumber),
        Field::text(F::Phone, &d.phone, Check::Phone),
        Field::free(F::Building, &d.address.building),
        Field::free(F::Entrance, &d.address.unit),
        Field::free(F::Room, &d.address.room),
        Field::ids(F::Unit, unit_options(units, scope), d.unit.0),
        Field::choice(
            F::Category,
            options(lang, &CATEGORIES, Pick::Category),
            Pick::Category(d.category),
        ),
        Field::free(F::HomeUnit, &d.home_unit),
        Field::text(F::Reported, &date_text(d.reported), Check::Date),
        Field::text(F::Joined, &partial_text(d.joined), Check::MonthOrDate),
        Field::text(
            F::FullMember,
            &partial_text(d.full_member),
            Check::MonthOrDate,
        ),
        Field::free(F::Skills, &d.skills.join("，")),
        Field::free(F::Posts, &d.posts.join("，")),
        Field::choice(
            F::Status,
            options(lang, &STATUSES, Pick::Status),
            Pick::Status(d.status),
        ),
        Field::free(F::Notes, &d.notes),
    ]
}

impl Form {
    pub fn new_member(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
        unit: Option<OrgUnitId>,
    ) -> Form {
        let blank = MemberData {
            name: String::new(),
            gender: None,
            birth_date: None,
            id_number: String::new(),
            phone: String::new(),
            address: Address::default(),
            unit: unit.unwrap_or(OrgUnitId(0)),
            category: MemberCategory::OnTheJob,
            home_unit: String::new(),
            reported: None,
            joined: None,
            full_member: None,
            skills: vec![],
            posts: vec![],
            status: MemberStatus::Active,
            notes: String::new(),
        };
        let fields = member_fields(lang, units, scope, &blank);
        Form::with(FormKind::NewMember, "form.new_member", lang, fields)
    }

    pub fn edit_member(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
        m: &Member,
    ) -> Form {
        let fields = member_fields(lang, units, scope, &m.data);
        Form::with(FormKind::EditMember(m.id), "form.edit_member", lang, fields)
    }

    /// The member record the form holds.
    pub(super) fn member_data(&self) -> MemberData {
        use FieldId as F;
        MemberData {
            name: self.text(F::Name),
            gender: self.picked(F::Gender).flatten(),
            birth_date: self.date(F::Birth),
            id_number: self.text(F::IdNumber),
            phone: self.text(F::Phone),
            address: Address {
                building: self.text(F::Building),
                unit: self.text(F::Entrance),
                room: self.text(F::Room),
            },
            unit: OrgUnitId(self.id(F::Unit)),
            category: self.picked(F::Category).unwrap_or(MemberCategory::Other),
            home_unit: self.text(F::HomeUnit),
            reported: self.date(F::Reported),
            joined: self.partial_date(F::Joined),
            full_member: self.partial_date(F::FullMember),
            skills: split_list(&self.text(F::Skills)),
            posts: split_list(&self.text(F::Posts)),
            status: self.picked(F::Status).unwrap_or(MemberStatus::Active),
            notes: self.text(F::Notes),
        }
    }
}
