//! Pairing-assistance reports (`report::care`) on small hand-built stores with
//! known answers: visits due, open and overdue tasks, idle paired members,
//! pairing suggestions, and what a group leader may see and do.

mod common;

use chrono::{Datelike, Duration, NaiveDate};
use common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, OpsError, query};
use dangjian::report::care::{idle_paired_members, suggest_members, tasks, visits};

fn pair(f: &Fixture, member: MemberId, beneficiary: BeneficiaryId) -> PairingId {
    PairingId(
        f.admin_apply(Command::CreatePairing {
            member,
            beneficiary,
            since: date(2025, 1, 1),
        })
        .unwrap()
        .created
        .unwrap(),
    )
}

fn task(
    f: &Fixture,
    kind: TaskKind,
    beneficiary: BeneficiaryId,
    assignee: MemberId,
    due: NaiveDate,
) -> TaskId {
    TaskId(
        f.admin_apply(Command::CreateTask {
            kind,
            title: "上门走访".into(),
            beneficiary,
            assignee,
            due,
        })
        .unwrap()
        .created
        .unwrap(),
    )
}

fn complete(f: &Fixture, id: TaskId, day: NaiveDate) {
    f.admin_apply(Command::CompleteTask {
        id,
        date: day,
        hours_centi: 100,
        outcome: "已走访".into(),
    })
    .unwrap();
}

/// A visit task for `b` by `m`, completed on `day`.
fn visited(f: &Fixture, b: BeneficiaryId, m: MemberId, day: NaiveDate) -> TaskId {
    let t = task(f, TaskKind::Visit, b, m, day);
    complete(f, t, day);
    t
}

fn beneficiary_with(f: &Fixture, name: &str, building: &str, needs: &str) -> BeneficiaryId {
    let mut data = beneficiary_data(name, f.group_a1);
    data.address.building = building.into();
    data.needs = needs.into();
    BeneficiaryId(
        f.admin_apply(Command::CreateBeneficiary { data })
            .unwrap()
            .created
            .unwrap(),
    )
}

fn member_with(f: &Fixture, name: &str, building: &str, skills: &[&str]) -> MemberId {
    let mut data = member_data(name, f.group_a1);
    data.address.building = building.into();
    data.skills = skills.iter().map(|s| s.to_string()).collect();
    MemberId(
        f.admin_apply(Command::CreateMember { data })
            .unwrap()
            .created
            .unwrap(),
    )
}

#[test]
fn ending_a_pairing_removes_it_from_active_lists_and_keeps_its_history() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let b = f.beneficiary("李奶奶", f.group_a1);
    let p = pair(&f, m, b);
    let t = today();

    let rows = visits(&f.store, &f.admin, t).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].active_pairings.len(), 1);
    assert_eq!(rows[0].active_pairings[0].id, p);
    let idle = idle_paired_members(&f.store, &f.admin, t).unwrap();
    assert_eq!(idle.len(), 1);
    assert_eq!((idle[0].0.id, idle[0].1), (m, 1));

    f.admin_apply(Command::EndPairing {
        id: p,
        until: t,
        reason: "moved away".into(),
    })
    .unwrap();
    let rows = visits(&f.store, &f.admin, t).unwrap();
    assert!(rows[0].active_pairings.is_empty());
    assert!(
        idle_paired_members(&f.store, &f.admin, t)
            .unwrap()
            .is_empty()
    );
    // History: the ended pairing is still stored and indexed under the beneficiary.
    let kept = f.store.get_id::<Pairing>(p.0).unwrap().unwrap();
    assert_eq!(kept.until, Some(t));
    assert_eq!(kept.end_reason, "moved away");
    assert_eq!(f.store.pairing_ids_of_beneficiary(b).unwrap(), vec![p]);

    f.admin_apply(Command::ReopenPairing { id: p }).unwrap();
    assert_eq!(
        f.store.get_id::<Pairing>(p.0).unwrap().unwrap().end_reason,
        ""
    );
    let rows = visits(&f.store, &f.admin, t).unwrap();
    assert_eq!(rows[0].active_pairings.len(), 1);
    f.assert_check_clean();
}

#[test]
fn completion_awards_points_once_and_reopening_reverses_them_and_the_visit() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let b = f.beneficiary("李奶奶", f.group_a1);
    pair(&f, m, b);
    let t = today();
    let earlier = t - Duration::days(10);
    let first = visited(&f, b, m, earlier);
    let after_first = query::balance(&f.store, m).unwrap();
    let visit_points = f.rule("VISIT").points;
    assert_eq!(after_first, visit_points);

    let second = task(&f, TaskKind::Visit, b, m, t);
    complete(&f, second, t);
    assert_eq!(
        query::balance(&f.store, m).unwrap(),
        Points(after_first.0 + visit_points.0)
    );
    let row = &visits(&f.store, &f.admin, t).unwrap()[0];
    assert_eq!(row.last_visit, Some(t));
    assert_eq!(row.days_since, Some(0));

    // A second completion is refused and awards nothing.
    assert_refused(
        f.admin_apply(Command::CompleteTask {
            id: second,
            date: t,
            hours_centi: 100,
            outcome: String::new(),
        }),
        "not open",
    );
    assert_eq!(
        query::balance(&f.store, m).unwrap(),
        Points(after_first.0 + visit_points.0)
    );
    let from_second = query::statement(&f.store, m)
        .unwrap()
        .into_iter()
        .filter(|e| e.source == EntrySource::Task(second))
        .count();
    assert_eq!(from_second, 1);

    // Undo: the points are reversed and the last visit moves back.
    f.admin_apply(Command::ReopenTask { id: second }).unwrap();
    assert_eq!(query::balance(&f.store, m).unwrap(), after_first);
    let row = &visits(&f.store, &f.admin, t).unwrap()[0];
    assert_eq!(row.last_visit, Some(earlier));
    assert_eq!(row.days_since, Some(10));
    assert_eq!(
        f.store.get_id::<Task>(first.0).unwrap().unwrap().status,
        TaskStatus::Done
    );
    f.assert_check_clean();
}

#[test]
fn visit_cycle_alert_boundaries_due_today_overdue_by_one_and_never_visited() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let t = today();
    // The fixture's beneficiaries are visited every 7 days.
    let due_today = f.beneficiary("甲", f.group_a1);
    visited(&f, due_today, m, t - Duration::days(7));
    let overdue = f.beneficiary("乙", f.group_a1);
    visited(&f, overdue, m, t - Duration::days(8));
    let fresh = f.beneficiary("丙", f.group_a1);
    visited(&f, fresh, m, t - Duration::days(6));
    let never = f.beneficiary("丁", f.group_a1);

    let rows = visits(&f.store, &f.admin, t).unwrap();
    let row = |id: BeneficiaryId| rows.iter().find(|r| r.beneficiary.id == id).unwrap();

    let r = row(due_today);
    assert_eq!((r.due, r.overdue_days, r.never_visited), (t, 0, false));
    assert!(!r.alert());

    let r = row(overdue);
    assert_eq!(r.overdue_days, 1);
    assert_eq!(r.due, t - Duration::days(1));
    assert!(r.alert());

    let r = row(fresh);
    assert_eq!(r.overdue_days, -1);
    assert!(!r.alert());

    let r = row(never);
    assert_eq!((r.last_visit, r.days_since), (None, None));
    assert_eq!((r.due, r.overdue_days, r.never_visited), (t, 0, true));
    assert!(r.alert());

    // Never visited first, then most overdue, then the rest.
    let order: Vec<BeneficiaryId> = rows.iter().map(|r| r.beneficiary.id).collect();
    assert_eq!(order, vec![never, overdue, due_today, fresh]);
}

#[test]
fn inactive_beneficiaries_are_not_listed_for_visits() {
    let f = Fixture::new();
    let b = f.beneficiary("李奶奶", f.group_a1);
    let mut data = beneficiary_data("李奶奶", f.group_a1);
    data.active = false;
    f.admin_apply(Command::UpdateBeneficiary { id: b, data })
        .unwrap();
    assert!(visits(&f.store, &f.admin, today()).unwrap().is_empty());
}

#[test]
fn idle_paired_members_count_only_completions_in_this_calendar_month() {
    let f = Fixture::new();
    let t = today();
    let last_month = t.with_day(1).unwrap() - Duration::days(1);
    let b = f.beneficiary("李奶奶", f.group_a1);
    let b2 = f.beneficiary("王爷爷", f.group_a1);
    let idle = f.member("张三", f.group_a1);
    let busy = f.member("李四", f.group_a1);
    // A member without pairings is never idle, whatever they did.
    f.member("王五", f.group_a1);
    pair(&f, idle, b);
    pair(&f, idle, b2);
    pair(&f, busy, b);
    visited(&f, b, idle, last_month);
    visited(&f, b, busy, t.with_day(1).unwrap());
    // Open tasks are not completions.
    task(&f, TaskKind::Visit, b2, idle, t);

    let rows = idle_paired_members(&f.store, &f.admin, t).unwrap();
    let got: Vec<(MemberId, usize)> = rows.iter().map(|(m, n)| (m.id, *n)).collect();
    assert_eq!(got, vec![(idle, 2)]);

    // An inactive member is not listed even while their pairings stand.
    f.admin_apply(Command::SetMemberStatus {
        id: idle,
        status: MemberStatus::TransferredOut,
    })
    .unwrap();
    assert!(
        idle_paired_members(&f.store, &f.admin, t)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn suggestions_rank_same_building_then_nearby_then_skills_then_load() {
    let f = Fixture::new();
    let b = beneficiary_with(&f, "李奶奶", "10", "陪同就医");
    let other = beneficiary_with(&f, "王爷爷", "40", "买菜");
    let other2 = beneficiary_with(&f, "赵奶奶", "40", "买菜");
    let same = member_with(&f, "同楼", "10号楼", &[]);
    let near = member_with(&f, "邻楼", "11", &[]);
    let skilled = member_with(&f, "医生", "20", &["医疗"]);
    let free = member_with(&f, "空闲", "30", &[]);
    let busy = member_with(&f, "忙碌", "30", &[]);
    let already = member_with(&f, "已结对", "10", &["医疗"]);
    let gone = member_with(&f, "迁出", "10", &["医疗"]);
    // Load that must not outweigh a better building or a matching skill.
    pair(&f, same, other);
    pair(&f, same, other2);
    pair(&f, near, other);
    pair(&f, skilled, other);
    pair(&f, busy, other);
    pair(&f, already, b);
    f.admin_apply(Command::SetMemberStatus {
        id: gone,
        status: MemberStatus::TransferredOut,
    })
    .unwrap();

    let s = suggest_members(&f.store, &f.admin, b, 10).unwrap();
    let order: Vec<MemberId> = s.iter().map(|x| x.member.id).collect();
    assert_eq!(order, vec![same, near, skilled, free, busy]);
    assert!(s.windows(2).all(|w| w[0].score > w[1].score));
    assert!(s[0].reasons.contains(&"same building".to_string()));
    assert!(s[0].reasons.contains(&"2 active pairings".to_string()));
    assert!(
        s[1].reasons
            .contains(&"building 11 is next door".to_string())
    );
    assert!(
        s[2].reasons
            .contains(&"skill 医疗 matches needs".to_string())
    );
    assert!(s[3].reasons.contains(&"no active pairings".to_string()));

    assert_eq!(suggest_members(&f.store, &f.admin, b, 2).unwrap().len(), 2);
}

#[test]
fn nearby_means_building_numbers_one_or_two_apart() {
    let f = Fixture::new();
    let b = beneficiary_with(&f, "李奶奶", "5", "");
    let two = member_with(&f, "二", "7", &[]);
    let three = member_with(&f, "三", "8", &[]);
    let s = suggest_members(&f.store, &f.admin, b, 10).unwrap();
    assert_eq!(s[0].member.id, two);
    assert!(s[0].reasons.contains(&"building 7 is nearby".to_string()));
    assert_eq!(s[1].member.id, three);
    assert_eq!(s[1].reasons, vec!["no active pairings".to_string()]);
}

#[test]
fn group_leader_sees_and_completes_only_tasks_of_their_group() {
    let f = Fixture::new();
    let t = today();
    let m1 = f.member("张三", f.group_a1);
    let m2 = f.member("李四", f.group_a2);
    let b1 = f.beneficiary("李奶奶", f.group_a1);
    let b2 = f.beneficiary("王爷爷", f.group_a2);
    let t1 = task(&f, TaskKind::Visit, b1, m1, t);
    let t2 = task(&f, TaskKind::Visit, b2, m2, t);
    let lijun = f.user("lijun", Role::GroupLeader, Some(f.group_a1));

    let seen: Vec<TaskId> = tasks(&f.store, &lijun, t, false, None)
        .unwrap()
        .iter()
        .map(|r| r.task.id)
        .collect();
    assert_eq!(seen, vec![t1]);
    let all: Vec<TaskId> = tasks(&f.store, &f.admin, t, false, None)
        .unwrap()
        .iter()
        .map(|r| r.task.id)
        .collect();
    assert_eq!(all, vec![t1, t2]);

    let refused = f.apply_as(
        &lijun,
        Command::CompleteTask {
            id: t2,
            date: t,
            hours_centi: 100,
            outcome: String::new(),
        },
    );
    // A task of another group is not there for them at all.
    assert!(matches!(refused, Err(OpsError::NotFound(_))), "{refused:?}");
    assert_eq!(
        f.store.get_id::<Task>(t2.0).unwrap().unwrap().status,
        TaskStatus::Open
    );
    f.apply_as(
        &lijun,
        Command::CompleteTask {
            id: t1,
            date: t,
            hours_centi: 100,
            outcome: String::new(),
        },
    )
    .unwrap();
    assert!(tasks(&f.store, &lijun, t, false, None).unwrap().is_empty());
}

#[test]
fn task_list_filters_overdue_and_org_and_sorts_most_overdue_first() {
    let f = Fixture::new();
    let t = today();
    let m1 = f.member("张三", f.group_a1);
    let m3 = f.member("王五", f.group_b1);
    let b1 = f.beneficiary("李奶奶", f.group_a1);
    let b3 = f.beneficiary("赵爷爷", f.group_b1);
    let due_today = task(&f, TaskKind::Visit, b1, m1, t);
    let late1 = task(&f, TaskKind::Errand, b1, m1, t - Duration::days(1));
    let late5 = task(&f, TaskKind::Care, b3, m3, t - Duration::days(5));
    let later = task(&f, TaskKind::Visit, b3, m3, t + Duration::days(3));
    let done = task(&f, TaskKind::Visit, b1, m1, t - Duration::days(9));
    complete(&f, done, t);
    let cancelled = task(&f, TaskKind::Visit, b1, m1, t - Duration::days(9));
    f.admin_apply(Command::CancelTask { id: cancelled })
        .unwrap();

    let rows = tasks(&f.store, &f.admin, t, false, None).unwrap();
    let got: Vec<(TaskId, i64)> = rows.iter().map(|r| (r.task.id, r.overdue_days)).collect();
    assert_eq!(
        got,
        vec![(late5, 5), (late1, 1), (due_today, 0), (later, -3)]
    );
    assert_eq!(rows[0].beneficiary_name, "赵爷爷");
    assert_eq!(rows[0].assignee_name, "王五");
    assert_eq!(rows[0].unit, f.group_b1);

    let overdue: Vec<TaskId> = tasks(&f.store, &f.admin, t, true, None)
        .unwrap()
        .iter()
        .map(|r| r.task.id)
        .collect();
    assert_eq!(overdue, vec![late5, late1]);

    let in_branch_a: Vec<TaskId> = tasks(&f.store, &f.admin, t, false, Some(f.branch_a))
        .unwrap()
        .iter()
        .map(|r| r.task.id)
        .collect();
    assert_eq!(in_branch_a, vec![late1, due_today]);
}

#[test]
fn group_leader_reads_only_their_groups_beneficiaries_members_and_suggestions() {
    let f = Fixture::new();
    let t = today();
    let m1 = f.member("张三", f.group_a1);
    let m2 = f.member("李四", f.group_a2);
    let b1 = f.beneficiary("李奶奶", f.group_a1);
    let b2 = f.beneficiary("王爷爷", f.group_a2);
    pair(&f, m1, b1);
    pair(&f, m2, b2);
    let lijun = f.user("lijun", Role::GroupLeader, Some(f.group_a1));

    let seen: Vec<BeneficiaryId> = visits(&f.store, &lijun, t)
        .unwrap()
        .iter()
        .map(|r| r.beneficiary.id)
        .collect();
    assert_eq!(seen, vec![b1]);
    let idle: Vec<MemberId> = idle_paired_members(&f.store, &lijun, t)
        .unwrap()
        .iter()
        .map(|(m, _)| m.id)
        .collect();
    assert_eq!(idle, vec![m1]);
    // m1 is already paired with b1, and m2 is outside the leader's group.
    assert!(
        suggest_members(&f.store, &lijun, b1, 10)
            .unwrap()
            .is_empty()
    );
    assert!(
        suggest_members(&f.store, &lijun, b2, 10)
            .unwrap()
            .is_empty()
    );
    let for_admin: Vec<MemberId> = suggest_members(&f.store, &f.admin, b1, 10)
        .unwrap()
        .iter()
        .map(|s| s.member.id)
        .collect();
    assert_eq!(for_admin, vec![m2]);
}

/// A pairing stored before the end reason was kept (format version 1)
/// reads with an empty reason, and `check` finds nothing wrong.
#[test]
fn a_version_1_pairing_reads_with_no_end_reason() {
    let f = common::Fixture::new();
    let t = date(2026, 3, 1);
    let m = f.member("张三", f.group_a1);
    let b = f.beneficiary("李奶奶", f.group_a1);
    let p = PairingId(
        f.admin_apply(Command::CreatePairing {
            member: m,
            beneficiary: b,
            since: t,
        })
        .unwrap()
        .created
        .unwrap(),
    );
    let until = Some(date(2026, 4, 1));
    let body =
        bincode::serde::encode_to_vec((p, m, b, t, until), bincode::config::standard()).unwrap();
    let mut v1 = vec![1u8];
    v1.extend(body);
    f.store
        .raw_put("pairings", &p.0.to_be_bytes(), &v1)
        .unwrap();
    let read = f.store.get_id::<Pairing>(p.0).unwrap().unwrap();
    assert_eq!(read.until, until);
    assert_eq!(read.end_reason, "");
    assert_eq!((read.member, read.beneficiary, read.since), (m, b, t));
}
