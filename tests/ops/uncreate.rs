//! `Command::Uncreate`, the inverse of every create: the record and its
//! indexes go, the audit log says so without a gap, `check` stays clean; a
//! record something refers to stays; the inverse of a create is an uncreate.

use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, Created, query};

fn inverse_of(f: &Fixture, cmd: Command) -> (u64, Command) {
    let a = f.admin_apply(cmd).unwrap();
    (a.created.unwrap(), a.inverse.unwrap())
}

#[test]
fn taking_back_a_member_removes_the_record_and_frees_the_id_number() {
    let f = Fixture::new();
    let mut data = member_data("王五", f.group_a1);
    data.id_number = id_number("19700506", 123);
    let (id, inverse) = inverse_of(&f, Command::CreateMember { data: data.clone() });
    assert_eq!(
        inverse,
        Command::Uncreate {
            kind: Created::Member,
            id
        }
    );
    f.admin_apply(inverse).unwrap();
    assert!(query::member(&f.store, MemberId(id)).unwrap().is_none());
    assert!(
        query::find_members(&f.store, &f.admin, "ww", 10)
            .unwrap()
            .is_empty()
    );
    let last = query::audit_since(&f.store, None, None, Some(1)).unwrap();
    assert_eq!(last[0].command, "Uncreate");
    f.assert_check_clean();
    // The same ID number is free again.
    f.admin_apply(Command::CreateMember { data }).unwrap();
    f.assert_check_clean();
}

#[test]
fn a_member_with_a_pairing_is_not_taken_back() {
    let f = Fixture::new();
    let (id, inverse) = inverse_of(
        &f,
        Command::CreateMember {
            data: member_data("赵六", f.group_a1),
        },
    );
    let b = f.beneficiary("孙奶奶", f.group_a1);
    f.admin_apply(Command::CreatePairing {
        member: MemberId(id),
        beneficiary: b,
        since: today(),
    })
    .unwrap();
    assert_refused(f.admin_apply(inverse), "pairings");
    assert!(query::member(&f.store, MemberId(id)).unwrap().is_some());
    f.assert_check_clean();
}

#[test]
fn units_activities_beneficiaries_pairings_and_tasks_are_taken_back() {
    let f = Fixture::new();
    // A unit with a member in it stays; an empty one goes.
    let (_, group_inverse) = inverse_of(
        &f,
        Command::CreateOrgUnit {
            parent: Some(f.branch_b),
            level: OrgLevel::Group,
            name: "9号楼党小组".into(),
            buildings: vec!["9".into()],
            established: None,
            notes: String::new(),
        },
    );
    let m = f.member("钱七", f.group_b1);
    let b = f.beneficiary("李爷爷", f.group_b1);
    let (_, task_inverse) = inverse_of(
        &f,
        Command::CreateTask {
            kind: TaskKind::Visit,
            title: "探访".into(),
            beneficiary: b,
            assignee: m,
            due: today(),
        },
    );
    let (_, pairing_inverse) = inverse_of(
        &f,
        Command::CreatePairing {
            member: m,
            beneficiary: b,
            since: today(),
        },
    );
    for inverse in [task_inverse, pairing_inverse, group_inverse] {
        f.admin_apply(inverse).unwrap();
    }
    assert_eq!(f.store.count_of::<Task>(), 0);
    assert_eq!(f.store.count_of::<Pairing>(), 0);
    f.assert_check_clean();
    // A unit with members, a beneficiary with nothing left: one stays, one goes.
    assert_refused(
        f.admin_apply(Command::Uncreate {
            kind: Created::OrgUnit,
            id: f.group_b1.0,
        }),
        "members",
    );
    f.admin_apply(Command::Uncreate {
        kind: Created::Beneficiary,
        id: b.0,
    })
    .unwrap();
    f.assert_check_clean();
}

#[test]
fn an_uncreate_in_a_batch_is_refused() {
    let f = Fixture::new();
    let m = f.member("周八", f.group_a1);
    let r = dangjian::ops::apply_batch(
        &f.store,
        &f.admin,
        &[Command::Uncreate {
            kind: Created::Member,
            id: m.0,
        }],
    );
    assert_refused(r, "on its own");
    assert!(query::member(&f.store, m).unwrap().is_some());
}
