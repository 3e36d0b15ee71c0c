use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, query};

struct Setup {
    f: Fixture,
    member: MemberId,
    beneficiary: BeneficiaryId,
}

fn setup() -> Setup {
    let f = Fixture::new();
    let member = f.member("张三", f.group_a1);
    let beneficiary = f.beneficiary("李奶奶", f.group_a1);
    Setup {
        f,
        member,
        beneficiary,
    }
}

fn task(s: &Setup, kind: TaskKind) -> TaskId {
    TaskId(
        s.f.admin_apply(Command::CreateTask {
            kind,
            title: "上门走访".into(),
            beneficiary: s.beneficiary,
            assignee: s.member,
            due: today(),
        })
        .unwrap()
        .created
        .unwrap(),
    )
}

#[test]
fn beneficiary_create_update_and_refusals() {
    let s = setup();
    let mut data = beneficiary_data("李奶奶", s.f.group_a1);
    data.visit_cycle_days = 14;
    s.f.admin_apply(Command::UpdateBeneficiary {
        id: s.beneficiary,
        data: data.clone(),
    })
    .unwrap();
    let b =
        s.f.store
            .get_id::<Beneficiary>(s.beneficiary.0)
            .unwrap()
            .unwrap();
    assert_eq!(b.data.visit_cycle_days, 14);
    data.visit_cycle_days = 0;
    assert_refused(
        s.f.admin_apply(Command::CreateBeneficiary { data: data.clone() }),
        "visit cycle",
    );
    data.visit_cycle_days = 7;
    data.contact = "12".into();
    assert_refused(
        s.f.admin_apply(Command::UpdateBeneficiary {
            id: s.beneficiary,
            data,
        }),
        "contact phone",
    );
}

#[test]
fn pairing_lifecycle_keeps_history() {
    let s = setup();
    let id = PairingId(
        s.f.admin_apply(Command::CreatePairing {
            member: s.member,
            beneficiary: s.beneficiary,
            since: date(2025, 1, 1),
        })
        .unwrap()
        .created
        .unwrap(),
    );
    assert_refused(
        s.f.admin_apply(Command::EndPairing {
            id,
            until: date(2024, 1, 1),
            reason: String::new(),
        }),
        "before it began",
    );
    s.f.admin_apply(Command::EndPairing {
        id,
        until: date(2026, 1, 1),
        reason: String::new(),
    })
    .unwrap();
    let p = s.f.store.get_id::<Pairing>(id.0).unwrap().unwrap();
    assert!(!p.active());
    assert_refused(
        s.f.admin_apply(Command::EndPairing {
            id,
            until: date(2026, 2, 1),
            reason: String::new(),
        }),
        "already ended",
    );
    s.f.admin_apply(Command::ReopenPairing { id }).unwrap();
    assert!(s.f.store.get_id::<Pairing>(id.0).unwrap().unwrap().active());
    assert_refused(
        s.f.admin_apply(Command::ReopenPairing { id }),
        "still active",
    );
    s.f.assert_check_clean();
}

#[test]
fn create_pairing_refuses_an_inactive_member() {
    let s = setup();
    s.f.admin_apply(Command::SetMemberStatus {
        id: s.member,
        status: MemberStatus::TransferredOut,
    })
    .unwrap();
    assert_refused(
        s.f.admin_apply(Command::CreatePairing {
            member: s.member,
            beneficiary: s.beneficiary,
            since: date(2025, 1, 1),
        }),
        "no longer an active member",
    );
}

#[test]
fn task_completion_awards_points_once_and_reopen_reverses_them() {
    let s = setup();
    let t = task(&s, TaskKind::Visit);
    let visit = s.f.rule("VISIT");
    s.f.admin_apply(Command::CompleteTask {
        id: t,
        date: today(),
        hours_centi: 150,
        outcome: "老人身体好".into(),
    })
    .unwrap();
    assert_eq!(query::balance(&s.f.store, s.member).unwrap(), visit.points);
    assert_refused(
        s.f.admin_apply(Command::CompleteTask {
            id: t,
            date: today(),
            hours_centi: 100,
            outcome: String::new(),
        }),
        "not open",
    );
    assert_eq!(query::balance(&s.f.store, s.member).unwrap(), visit.points);
    s.f.admin_apply(Command::ReopenTask { id: t }).unwrap();
    assert_eq!(query::balance(&s.f.store, s.member).unwrap(), Points::ZERO);
    let task = s.f.store.get_id::<Task>(t.0).unwrap().unwrap();
    assert_eq!(task.status, TaskStatus::Open);
    assert_eq!(task.award, None);
    assert_eq!(
        s.f.store.count_of::<dangjian::domain::PointsEntry>(),
        2,
        "entry and its reversal"
    );
    s.f.assert_check_clean();
}

#[test]
fn task_of_kind_other_awards_nothing() {
    let s = setup();
    let t = task(&s, TaskKind::Other);
    s.f.admin_apply(Command::CompleteTask {
        id: t,
        date: today(),
        hours_centi: 100,
        outcome: String::new(),
    })
    .unwrap();
    assert_eq!(s.f.store.count_of::<dangjian::domain::PointsEntry>(), 0);
}

#[test]
fn update_task_reassigns_and_cancel_then_reopen() {
    let s = setup();
    let other = s.f.member("王五", s.f.group_a1);
    let t = task(&s, TaskKind::Errand);
    s.f.admin_apply(Command::UpdateTask {
        id: t,
        title: "代缴水费".into(),
        assignee: other,
        due: today(),
    })
    .unwrap();
    assert_eq!(
        s.f.store.get_id::<Task>(t.0).unwrap().unwrap().assignee,
        other
    );
    s.f.admin_apply(Command::CancelTask { id: t }).unwrap();
    assert_refused(s.f.admin_apply(Command::CancelTask { id: t }), "not open");
    assert_refused(
        s.f.admin_apply(Command::UpdateTask {
            id: t,
            title: "x".into(),
            assignee: other,
            due: today(),
        }),
        "not open",
    );
    s.f.admin_apply(Command::ReopenTask { id: t }).unwrap();
    assert_refused(
        s.f.admin_apply(Command::ReopenTask { id: t }),
        "already open",
    );
}

#[test]
fn create_task_refuses_an_unknown_beneficiary_and_future_completion() {
    let s = setup();
    assert_refused(
        s.f.admin_apply(Command::CreateTask {
            kind: TaskKind::Visit,
            title: "走访".into(),
            beneficiary: BeneficiaryId(99),
            assignee: s.member,
            due: today(),
        }),
        "beneficiary 99",
    );
    let t = task(&s, TaskKind::Visit);
    assert_refused(
        s.f.admin_apply(Command::CompleteTask {
            id: t,
            date: today() + chrono::Duration::days(2),
            hours_centi: 100,
            outcome: String::new(),
        }),
        "future",
    );
}
