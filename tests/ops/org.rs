use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, query};

fn get(f: &Fixture, id: OrgUnitId) -> OrgUnit {
    f.store.get_id::<OrgUnit>(id.0).unwrap().unwrap()
}

#[test]
fn create_org_unit_builds_the_three_levels() {
    let f = Fixture::new();
    let units = query::org_units(&f.store).unwrap();
    assert_eq!(units.len(), 6);
    assert_eq!(get(&f, f.group_a1).parent, Some(f.branch_a));
    assert_eq!(get(&f, f.group_a1).level, OrgLevel::Group);
    assert_eq!(query::subtree(&f.store, f.branch_a).unwrap().len(), 3);
}

#[test]
fn create_org_unit_refuses_a_group_under_the_committee() {
    let f = Fixture::new();
    let r = f.admin_apply(Command::CreateOrgUnit {
        parent: Some(f.committee),
        level: OrgLevel::Group,
        name: "错位小组".into(),
        buildings: vec![],
        established: None,
        notes: String::new(),
    });
    assert_refused(r, "cannot sit under");
}

#[test]
fn create_org_unit_refuses_buildings_on_a_branch_and_an_empty_name() {
    let f = Fixture::new();
    assert_refused(
        f.admin_apply(Command::CreateOrgUnit {
            parent: Some(f.committee),
            level: OrgLevel::Branch,
            name: "第三党支部".into(),
            buildings: vec!["5".into()],
            established: None,
            notes: String::new(),
        }),
        "only a building party group covers buildings",
    );
    assert_refused(
        f.admin_apply(Command::CreateOrgUnit {
            parent: Some(f.committee),
            level: OrgLevel::Branch,
            name: "  ".into(),
            buildings: vec![],
            established: None,
            notes: String::new(),
        }),
        "name",
    );
}

#[test]
fn update_org_unit_sets_leader_and_buildings_and_inverse_restores() {
    let f = Fixture::new();
    let leader = f.member("张三", f.group_a1);
    let applied = f
        .admin_apply(Command::UpdateOrgUnit {
            id: f.group_a1,
            name: "1号楼党小组".into(),
            leader: Some(leader),
            buildings: vec!["1".into(), "1A".into()],
            established: Some(date(2012, 5, 1)),
            notes: String::new(),
        })
        .unwrap();
    let u = get(&f, f.group_a1);
    assert_eq!(u.leader, Some(leader));
    assert_eq!(u.buildings, vec!["1".to_string(), "1A".to_string()]);
    f.admin_apply(applied.inverse.unwrap()).unwrap();
    let u = get(&f, f.group_a1);
    assert_eq!(u.leader, None);
    assert!(u.buildings.is_empty());
}

#[test]
fn update_org_unit_refuses_an_unknown_leader() {
    let f = Fixture::new();
    assert_refused(
        f.admin_apply(Command::UpdateOrgUnit {
            id: f.group_a1,
            name: "1号楼党小组".into(),
            leader: Some(MemberId(999)),
            buildings: vec![],
            established: None,
            notes: String::new(),
        }),
        "member 999",
    );
}

#[test]
fn move_org_unit_moves_a_group_to_another_branch() {
    let f = Fixture::new();
    f.admin_apply(Command::MoveOrgUnit {
        id: f.group_a2,
        parent: f.branch_b,
    })
    .unwrap();
    assert_eq!(get(&f, f.group_a2).parent, Some(f.branch_b));
}

#[test]
fn move_org_unit_refuses_a_group_under_a_group() {
    let f = Fixture::new();
    assert_refused(
        f.admin_apply(Command::MoveOrgUnit {
            id: f.group_a2,
            parent: f.group_b1,
        }),
        "cannot move under",
    );
}

#[test]
fn close_and_reopen_org_unit() {
    let f = Fixture::new();
    f.admin_apply(Command::CloseOrgUnit {
        id: f.group_a2,
        date: date(2026, 1, 1),
    })
    .unwrap();
    assert_eq!(get(&f, f.group_a2).closed, Some(date(2026, 1, 1)));
    // A closed unit takes no new members.
    assert_refused(
        f.admin_apply(Command::CreateMember {
            data: member_data("李四", f.group_a2),
        }),
        "was closed",
    );
    assert_refused(
        f.admin_apply(Command::CloseOrgUnit {
            id: f.group_a2,
            date: date(2026, 1, 2),
        }),
        "already closed",
    );
    f.admin_apply(Command::ReopenOrgUnit { id: f.group_a2 })
        .unwrap();
    assert_eq!(get(&f, f.group_a2).closed, None);
    assert_refused(
        f.admin_apply(Command::ReopenOrgUnit { id: f.group_a2 }),
        "is not closed",
    );
}

#[test]
fn partner_create_and_update() {
    let f = Fixture::new();
    let data = PartnerData {
        name: "区教育局机关党委".into(),
        kind: PartnerKind::Unit,
        contact: "李主任".into(),
        phone: "010-64211234".into(),
        linked_unit: Some(f.committee),
        agreed: None,
        notes: String::new(),
    };
    let id = PartnerId(
        f.admin_apply(Command::CreatePartner { data: data.clone() })
            .unwrap()
            .created
            .unwrap(),
    );
    f.admin_apply(Command::UpdatePartner {
        id,
        data: PartnerData {
            kind: PartnerKind::TwoNew,
            ..data.clone()
        },
    })
    .unwrap();
    let p = f.store.get_id::<Partner>(id.0).unwrap().unwrap();
    assert_eq!(p.data.kind, PartnerKind::TwoNew);
    assert_refused(
        f.admin_apply(Command::CreatePartner {
            data: PartnerData {
                phone: "12345".into(),
                ..data
            },
        }),
        "phone",
    );
}
