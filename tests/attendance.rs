//! Attendance rates on a small hand-built store with known answers.

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::report::attendance::{attendance, rate};

fn activity(f: &Fixture, host: OrgUnitId, day: chrono::NaiveDate) -> ActivityId {
    ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::BranchGeneralMeeting,
                title: "支部党员大会".into(),
                host,
                starts: day.and_hms_opt(9, 0, 0).unwrap(),
                place: String::new(),
                rule: Some(f.rule("ORGLIFE").id),
                invitees: host,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    )
}

#[test]
fn rates_per_member_and_per_branch() {
    let f = Fixture::new();
    // Branch A: three members (two groups); branch B: one member.
    let a1 = f.member("张三", f.group_a1);
    let a2 = f.member("李四", f.group_a1);
    let a3 = f.member("王五", f.group_a2);
    let b1 = f.member("赵六", f.group_b1);
    let d1 = date(2026, 3, 10);
    let d2 = date(2026, 4, 10);
    let m1 = activity(&f, f.branch_a, d1);
    let m2 = activity(&f, f.branch_a, d2);
    let mb = activity(&f, f.branch_b, d1);
    for (act, member) in [(m1, a1), (m1, a2), (m2, a1), (mb, b1)] {
        f.admin_apply(Command::CheckIn {
            activity: act,
            member,
        })
        .unwrap();
    }
    f.admin_apply(Command::MarkAbsent {
        activity: m2,
        member: a3,
        reason: "出差".into(),
    })
    .unwrap();

    let r = attendance(&f.store, date(2026, 1, 1), date(2026, 12, 31), None).unwrap();
    assert_eq!(r.activities, 3);
    let by = |m: MemberId| r.members.iter().find(|x| x.member == m).unwrap();
    assert_eq!((by(a1).invited, by(a1).present), (2, 2));
    assert_eq!((by(a2).invited, by(a2).present), (2, 1));
    assert_eq!((by(a3).invited, by(a3).present), (2, 0));
    assert_eq!((by(b1).invited, by(b1).present), (1, 1));
    let branch = |u: OrgUnitId| r.branches.iter().find(|x| x.branch == u).unwrap();
    assert_eq!(
        (branch(f.branch_a).invited, branch(f.branch_a).present),
        (6, 3)
    );
    assert_eq!(
        (branch(f.branch_b).invited, branch(f.branch_b).present),
        (1, 1)
    );
    assert_eq!(rate(3, 6), 0.5);

    // A range holding only March, and a subtree holding only branch B.
    let march = attendance(&f.store, date(2026, 3, 1), date(2026, 3, 31), None).unwrap();
    assert_eq!(march.activities, 2);
    assert_eq!(
        march
            .branches
            .iter()
            .find(|x| x.branch == f.branch_a)
            .map(|b| (b.invited, b.present)),
        Some((3, 2))
    );
    let only_b = attendance(
        &f.store,
        date(2026, 1, 1),
        date(2026, 12, 31),
        Some(f.branch_b),
    )
    .unwrap();
    assert_eq!(only_b.members.len(), 1);
    assert_eq!(only_b.branches.len(), 1);
}

#[test]
fn an_empty_period_has_no_rows_and_a_zero_rate() {
    let f = Fixture::new();
    f.member("张三", f.group_a1);
    let r = attendance(&f.store, date(2020, 1, 1), date(2020, 12, 31), None).unwrap();
    assert_eq!(r.activities, 0);
    assert!(r.members.is_empty());
    assert_eq!(rate(0, 0), 0.0);
}

#[test]
fn someone_who_came_uninvited_counts_as_invited() {
    let f = Fixture::new();
    let guest = f.member("钱七", f.group_b1);
    let m = activity(&f, f.branch_a, date(2026, 5, 1));
    f.admin_apply(Command::CheckIn {
        activity: m,
        member: guest,
    })
    .unwrap();
    let r = attendance(&f.store, date(2026, 1, 1), date(2026, 12, 31), None).unwrap();
    let row = r.members.iter().find(|x| x.member == guest).unwrap();
    assert_eq!((row.invited, row.present), (1, 1));
}
