//! The form engine's tests: records round-trip, every label has words.

use super::*;

/// A member's record goes into the edit form and comes back out of it
/// unchanged: every field found by its id, every pick list by its type.
#[test]
fn a_member_round_trips_through_the_edit_form() {
    let group = OrgUnit {
        id: OrgUnitId(3),
        parent: Some(OrgUnitId(1)),
        level: OrgLevel::Group,
        name: "3号楼党小组".into(),
        leader: None,
        buildings: vec!["3".into()],
        established: None,
        closed: None,
        notes: String::new(),
    };
    let units: BTreeMap<OrgUnitId, OrgUnit> = [(group.id, group)].into_iter().collect();
    let data = MemberData {
        name: "张三".into(),
        gender: Some(Gender::Female),
        birth_date: chrono::NaiveDate::from_ymd_opt(1960, 5, 1),
        id_number: String::new(),
        phone: String::new(),
        address: Address {
            building: "3".into(),
            unit: "2".into(),
            room: "501".into(),
        },
        unit: OrgUnitId(3),
        category: MemberCategory::Retired,
        home_unit: String::new(),
        reported: None,
        joined: None,
        full_member: None,
        skills: vec!["理发".into(), "修电器".into()],
        posts: vec![],
        status: MemberStatus::TransferredOut,
        notes: "备注".into(),
    };
    let member = Member {
        id: MemberId(7),
        data: data.clone(),
    };
    for lang in Lang::ALL {
        let mut form = Form::edit_member(lang, &units, None, &member);
        let cmd = form.to_command(&[], &HashMap::new());
        assert_eq!(
            cmd,
            Ok(Command::UpdateMember {
                id: MemberId(7),
                data: data.clone()
            })
        );
    }
}

/// Every field of every form has a label in both languages.
#[test]
fn every_forms_fields_have_words_in_both_languages() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let units = BTreeMap::new();
    let unit = OrgUnit {
        id: OrgUnitId(3),
        parent: Some(OrgUnitId(1)),
        level: OrgLevel::Group,
        name: "3号楼党小组".into(),
        leader: None,
        buildings: vec![],
        established: None,
        closed: None,
        notes: String::new(),
    };
    for lang in Lang::ALL {
        let forms = [
            Form::new_member(lang, &units, None, None),
            Form::new_unit(lang, &unit, OrgLevel::Group),
            Form::edit_unit(lang, &unit, None),
            Form::move_unit(lang, &unit, &units),
            Form::new_activity(lang, &units, &[], None, today),
            Form::absence(lang, ActivityId(1)),
            Form::new_beneficiary(lang, &units, None),
            Form::new_pairing(lang, BeneficiaryId(1), vec![], today),
            Form::end_pairing(lang, vec![], today),
            Form::complete_task(lang, TaskId(1), today),
            Form::new_task(lang, BeneficiaryId(1), vec![], today),
        ];
        for form in &forms {
            assert_ne!(t(lang, form.title), form.title);
            for f in &form.fields {
                assert_ne!(t(lang, f.label()), f.label(), "{:?} in {lang:?}", f.id);
            }
        }
    }
}
