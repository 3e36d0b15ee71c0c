//! What a group leader records without typing points waits for approval like
//! what they type: a check-in's points and a completed task's points are
//! pending until a secretary approves them; approval writes the entry with
//! its source and links it from the attendance (the task), so taking the
//! check-in (completion) back takes the entry back; taking it back before
//! approval withdraws what waited. `check` stays clean throughout.

mod common;

use common::*;
use dangjian::access::{AsActor, Client, PendingQ};
use dangjian::domain::evaluation::Approval;
use dangjian::domain::*;
use dangjian::ops::{Actor, Command};

struct World {
    f: Fixture,
    zhang: MemberId,
    leader: Actor,
    sec_a: Actor,
}

fn world() -> World {
    let f = Fixture::new();
    let zhang = f.member("张三", f.group_a1);
    let leader = f.user("leader", Role::GroupLeader, Some(f.group_a1));
    let sec_a = f.user("sec_a", Role::BranchSecretary, Some(f.branch_a));
    World {
        f,
        zhang,
        leader,
        sec_a,
    }
}

fn activity(f: &Fixture, host: OrgUnitId) -> ActivityId {
    ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::VolunteerService,
                title: "楼道清扫".into(),
                host,
                starts: today().and_hms_opt(9, 0, 0).unwrap(),
                place: String::new(),
                rule: Some(f.rule("VOL").id),
                invitees: host,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    )
}

fn waiting(f: &Fixture, actor: &Actor) -> Vec<PendingEntry> {
    AsActor(&f.store, actor)
        .ask(PendingQ { org: None })
        .unwrap()
        .into_iter()
        .map(|r| r.entry)
        .collect()
}

fn attendance(f: &Fixture, a: ActivityId, m: MemberId) -> Attendance {
    f.store
        .attendance(a, m)
        .unwrap()
        .expect("attendance recorded")
}

#[test]
fn a_leaders_check_in_waits_and_approval_links_the_entry_to_the_attendance() {
    let World {
        f,
        zhang,
        leader,
        sec_a,
    } = world();
    let act = activity(&f, f.group_a1);
    let check_in = Command::CheckIn {
        activity: act,
        member: zhang,
    };
    let applied = f.apply_as(&leader, check_in.clone()).unwrap();
    // The words say the points wait, in both languages.
    assert!(dangjian::ops::words::points_wait(&check_in, &applied));
    assert!(
        applied.summary.contains("waiting for approval"),
        "{}",
        applied.summary
    );
    assert!(matches!(
        attendance(&f, act, zhang).presence,
        Presence::Present { award: None, .. }
    ));
    assert_eq!(
        f.store.count_of::<PointsEntry>(),
        0,
        "nothing in the ledger"
    );
    assert_eq!(f.store.balance(zhang).unwrap(), Points::ZERO);
    let queue = waiting(&f, &sec_a);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].source, EntrySource::Activity(act));
    f.assert_check_clean();

    f.apply_as(
        &sec_a,
        Command::ApprovePoints {
            ids: vec![queue[0].id],
        },
    )
    .unwrap();
    let entries: Vec<PointsEntry> = f.store.scan().map(Result::unwrap).collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].source, EntrySource::Activity(act));
    assert_eq!(entries[0].recorded_by, "leader");
    let balance = f.store.balance(zhang).unwrap();
    assert!(balance > Points::ZERO, "{balance:?}");
    assert!(matches!(
        attendance(&f, act, zhang).presence,
        Presence::Present { award: Some(e), .. } if e == entries[0].id
    ));
    f.assert_check_clean();

    // Taking the check-in back takes the approved points back.
    f.apply_as(
        &leader,
        Command::RemoveAttendance {
            activity: act,
            member: zhang,
        },
    )
    .unwrap();
    assert_eq!(f.store.balance(zhang).unwrap(), Points::ZERO);
    f.assert_check_clean();
}

#[test]
fn taking_a_waiting_check_in_back_withdraws_what_waited() {
    let World {
        f,
        zhang,
        leader,
        sec_a,
    } = world();
    let act = activity(&f, f.group_a1);
    let check_in = Command::CheckIn {
        activity: act,
        member: zhang,
    };
    f.apply_as(&leader, check_in.clone()).unwrap();
    let id = waiting(&f, &sec_a)[0].id;
    f.apply_as(
        &leader,
        Command::RemoveAttendance {
            activity: act,
            member: zhang,
        },
    )
    .unwrap();
    assert!(waiting(&f, &sec_a).is_empty(), "nothing left to approve");
    let all: Vec<PendingEntry> = f.store.all_pending().map(Result::unwrap).collect();
    assert!(
        matches!(&all[..], [PendingEntry { state: Approval::Rejected { reason, .. }, .. }] if reason.contains("withdrawn")),
        "{all:?}"
    );
    assert_refused(
        f.apply_as(&sec_a, Command::ApprovePoints { ids: vec![id] }),
        "already rejected",
    );
    // Checked in again, it waits again, once.
    f.apply_as(&leader, check_in).unwrap();
    assert_eq!(waiting(&f, &sec_a).len(), 1);
    assert_eq!(f.store.count_of::<PointsEntry>(), 0);
    f.assert_check_clean();
}

#[test]
fn a_leaders_completed_task_waits_and_reopening_it_takes_it_back() {
    let World {
        f,
        zhang,
        leader,
        sec_a,
    } = world();
    let b = f.beneficiary("李奶奶", f.group_a1);
    f.admin_apply(Command::CreatePairing {
        member: zhang,
        beneficiary: b,
        since: today(),
    })
    .unwrap();
    let task = TaskId(
        f.admin_apply(Command::CreateTask {
            kind: TaskKind::Visit,
            title: "上门走访".into(),
            beneficiary: b,
            assignee: zhang,
            due: today(),
        })
        .unwrap()
        .created
        .unwrap(),
    );
    f.apply_as(
        &leader,
        Command::CompleteTask {
            id: task,
            date: today(),
            hours_centi: 100,
            outcome: "已走访".into(),
        },
    )
    .unwrap();
    assert_eq!(f.store.count_of::<PointsEntry>(), 0);
    let queue = waiting(&f, &sec_a);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].source, EntrySource::Task(task));
    f.apply_as(
        &sec_a,
        Command::ApprovePoints {
            ids: vec![queue[0].id],
        },
    )
    .unwrap();
    let stored: Task = f.store.get_id(task.0).unwrap().unwrap();
    let entry = stored.award.expect("the approved entry is the task's");
    let e: PointsEntry = f.store.get_id(entry.0).unwrap().unwrap();
    assert_eq!(e.source, EntrySource::Task(task));
    assert!(f.store.balance(zhang).unwrap() > Points::ZERO);
    f.assert_check_clean();

    f.apply_as(&leader, Command::ReopenTask { id: task })
        .unwrap();
    assert_eq!(f.store.balance(zhang).unwrap(), Points::ZERO);
    f.assert_check_clean();
}

#[test]
fn a_secretarys_check_in_is_recorded_at_once() {
    let World {
        f, zhang, sec_a, ..
    } = world();
    let act = activity(&f, f.group_a1);
    let check_in = Command::CheckIn {
        activity: act,
        member: zhang,
    };
    let applied = f.apply_as(&sec_a, check_in.clone()).unwrap();
    assert!(!dangjian::ops::words::points_wait(&check_in, &applied));
    assert_eq!(f.store.count_of::<PointsEntry>(), 1);
    assert!(waiting(&f, &sec_a).is_empty());
}

#[test]
fn check_rederives_what_waits_for_an_attendance() {
    let World {
        f, zhang, leader, ..
    } = world();
    let act = activity(&f, f.group_a1);
    f.apply_as(
        &leader,
        Command::CheckIn {
            activity: act,
            member: zhang,
        },
    )
    .unwrap();
    f.assert_check_clean();
    let keys = raw_keys(&f.store, "ix_pending_for");
    assert_eq!(keys.len(), 1);
    f.store.raw_remove("ix_pending_for", &keys[0]).unwrap();
    let report = dangjian::store::check(&f.store).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.en.contains("ix_pending_for")),
        "{:#?}",
        report.problems
    );
}
