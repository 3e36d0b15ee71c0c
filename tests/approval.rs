//! Approval of points entries on real stores: a group leader's entry waits and
//! counts nowhere (balance, year totals, ranking, evaluation, ledger, the
//! months' served counts) until a secretary of that member approves it;
//! several at once; rejection with a reason; nobody approves their own; a
//! secretary elsewhere cannot see the entry at all; the statement says who
//! recorded and who approved; every step audited; `check` stays clean.

mod common;

use chrono::Datelike;
use common::*;
use dangjian::access::{AsActor, Client, EvaluationQ, MemberYearQ, PendingQ, RankingQ};
use dangjian::domain::evaluation::Approval;
use dangjian::domain::*;
use dangjian::ops::{Actor, Area, Command};
use dangjian::report::period::Period;

fn record(f: &Fixture, actor: &Actor, member: MemberId, code: &str, hours: u32) -> PendingId {
    let applied = f
        .apply_as(
            actor,
            Command::RecordPoints {
                member,
                date: today(),
                rule: f.rule(code).id,
                quantity_centi: hours * 100,
                points_override: None,
                note: "清理楼道".into(),
            },
        )
        .unwrap();
    assert!(applied.touched.touches(Area::Approvals), "{applied:?}");
    assert!(!applied.touched.touches(Area::Points), "{applied:?}");
    PendingId(applied.created.unwrap())
}

struct World {
    f: Fixture,
    zhang: MemberId,
    leader: Actor,
    sec_a: Actor,
    sec_b: Actor,
}

fn world() -> World {
    let f = Fixture::new();
    let zhang = f.member("张三", f.group_a1);
    let leader = f.user("leader", Role::GroupLeader, Some(f.group_a1));
    let sec_a = f.user("sec_a", Role::BranchSecretary, Some(f.branch_a));
    let sec_b = f.user("sec_b", Role::BranchSecretary, Some(f.branch_b));
    World {
        f,
        zhang,
        leader,
        sec_a,
        sec_b,
    }
}

fn pending_ids(f: &Fixture, actor: &Actor) -> Vec<PendingId> {
    AsActor(&f.store, actor)
        .ask(PendingQ { org: None })
        .unwrap()
        .into_iter()
        .map(|r| r.entry.id)
        .collect()
}

#[test]
fn a_group_leaders_entry_counts_nowhere_until_a_secretary_approves_it() {
    let World {
        f,
        zhang,
        leader,
        sec_a,
        sec_b,
    } = world();
    let p = record(&f, &leader, zhang, "VOL", 3);
    let year = today().year();
    assert_eq!(
        f.store.count_of::<PointsEntry>(),
        0,
        "nothing in the ledger"
    );
    assert_eq!(f.store.balance(zhang).unwrap(), Points::ZERO);
    assert_eq!(
        f.store.member_year_total(zhang, year).unwrap(),
        Points::ZERO
    );
    assert_eq!(f.store.served_count(today()).unwrap(), 0);
    let ranking = AsActor(&f.store, &f.admin)
        .ask(RankingQ {
            org: None,
            period: Period::year_of(today()),
            limit: None,
        })
        .unwrap();
    assert!(ranking.is_empty(), "{ranking:?}");
    let ev = AsActor(&f.store, &sec_a)
        .ask(EvaluationQ { org: None, year })
        .unwrap();
    let line = ev.lines.iter().find(|l| l.member == zhang).unwrap();
    assert_eq!((line.earned, line.pending), (Points::ZERO, 1));

    // In the queue of the leader and the member's secretary, not elsewhere.
    assert_eq!(pending_ids(&f, &leader), vec![p]);
    assert_eq!(pending_ids(&f, &sec_a), vec![p]);
    assert!(pending_ids(&f, &sec_b).is_empty());
    assert_refused(
        f.apply_as(&leader, Command::ApprovePoints { ids: vec![p] }),
        "nobody approves their own",
    );
    assert_refused(
        f.apply_as(&sec_b, Command::ApprovePoints { ids: vec![p] }),
        "not found",
    );
    f.assert_check_clean();

    let applied = f
        .apply_as(&sec_a, Command::ApprovePoints { ids: vec![p] })
        .unwrap();
    assert!(applied.touched.touches(Area::Points));
    assert_eq!(f.store.balance(zhang).unwrap(), Points::whole(3));
    assert_eq!(
        f.store.member_year_total(zhang, year).unwrap(),
        Points::whole(3)
    );
    let entries: Vec<PointsEntry> = f.store.scan().map(Result::unwrap).collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].recorded_by, "leader");
    let y = AsActor(&f.store, &sec_a)
        .ask(MemberYearQ {
            member: zhang,
            year,
        })
        .unwrap();
    assert_eq!(y.entries.len(), 1);
    assert_eq!(y.entries[0].entry.recorded_by, "leader");
    assert_eq!(
        y.entries[0].approved.as_ref().map(|(by, _)| by.as_str()),
        Some("sec_a")
    );
    assert_eq!(y.balance, Points::whole(3));
    assert_eq!(y.evaluation.unwrap().score, Some(Points::whole(63)));
    assert!(pending_ids(&f, &sec_a).is_empty());
    assert_refused(
        f.apply_as(&sec_a, Command::ApprovePoints { ids: vec![p] }),
        "already approved",
    );
    f.assert_check_clean();
}

#[test]
fn several_approved_at_once_or_none_rejection_needs_a_reason_and_writes_nothing() {
    let World {
        f,
        zhang,
        leader,
        sec_a,
        ..
    } = world();
    let li = f.member("李四", f.group_a1);
    let p1 = record(&f, &leader, zhang, "VOL", 1);
    let p2 = record(&f, &leader, li, "VOL", 2);
    let p3 = record(&f, &leader, li, "CARE", 1);
    // One of them unknown: all or nothing.
    let before = f.store.dump().unwrap();
    assert_refused(
        f.apply_as(
            &sec_a,
            Command::ApprovePoints {
                ids: vec![p1, PendingId(99)],
            },
        ),
        "not found",
    );
    assert_eq!(f.store.dump().unwrap(), before);
    f.apply_as(&sec_a, Command::ApprovePoints { ids: vec![p1, p2] })
        .unwrap();
    assert_eq!(f.store.balance(zhang).unwrap(), Points::whole(1));
    assert_eq!(f.store.balance(li).unwrap(), Points::whole(2));

    assert_refused(
        f.apply_as(
            &sec_a,
            Command::RejectPoints {
                ids: vec![p3],
                reason: "  ".into(),
            },
        ),
        "reason",
    );
    f.apply_as(
        &sec_a,
        Command::RejectPoints {
            ids: vec![p3],
            reason: "没有照片".into(),
        },
    )
    .unwrap();
    assert_eq!(f.store.balance(li).unwrap(), Points::whole(2));
    let y = AsActor(&f.store, &sec_a)
        .ask(MemberYearQ {
            member: li,
            year: today().year(),
        })
        .unwrap();
    assert!(matches!(
        &y.pending[..],
        [PendingEntry { state: Approval::Rejected { by, reason, .. }, .. }]
            if by == "sec_a" && reason == "没有照片"
    ));
    assert_refused(
        f.apply_as(&sec_a, Command::ApprovePoints { ids: vec![p3] }),
        "already rejected",
    );
    // Every step is in the audit log.
    let kinds: Vec<String> = f
        .store
        .scan::<AuditEntry>()
        .map(|a| a.unwrap().command)
        .collect();
    for k in ["RecordPoints", "ApprovePoints", "RejectPoints"] {
        assert!(kinds.iter().any(|c| c == k), "{k}: {kinds:?}");
    }
    f.assert_check_clean();
}

#[test]
fn a_rule_set_to_wait_makes_a_secretarys_own_entry_wait_for_someone_else() {
    let World {
        f, zhang, sec_a, ..
    } = world();
    let mut s = f.store.evaluation_settings().unwrap();
    s.pending_rules = vec!["ADVICE".into()];
    f.admin_apply(Command::SetEvaluationSettings { settings: s })
        .unwrap();
    let p = record(&f, &sec_a, zhang, "ADVICE", 1);
    assert_refused(
        f.apply_as(&sec_a, Command::ApprovePoints { ids: vec![p] }),
        "nobody approves their own",
    );
    f.admin_apply(Command::ApprovePoints { ids: vec![p] })
        .unwrap();
    assert_eq!(f.store.balance(zhang).unwrap(), Points::whole(1));
    // Other rules recorded by a secretary go straight in.
    let direct = f
        .apply_as(
            &sec_a,
            Command::RecordPoints {
                member: zhang,
                date: today(),
                rule: f.rule("VOL").id,
                quantity_centi: 100,
                points_override: None,
                note: String::new(),
            },
        )
        .unwrap();
    assert!(direct.touched.touches(Area::Points));
    assert_eq!(f.store.balance(zhang).unwrap(), Points::whole(2));
}

#[test]
fn check_rederives_the_queue_and_the_approvals() {
    let World {
        f,
        zhang,
        leader,
        sec_a,
        ..
    } = world();
    let waiting = record(&f, &leader, zhang, "VOL", 1);
    let approved = record(&f, &leader, zhang, "VOL", 1);
    f.apply_as(
        &sec_a,
        Command::ApprovePoints {
            ids: vec![approved],
        },
    )
    .unwrap();
    f.assert_check_clean();
    for tree in ["ix_pending_open", "ix_approved_entry"] {
        let keys = raw_keys(&f.store, tree);
        assert_eq!(keys.len(), 1, "{tree}");
        f.store.raw_remove(tree, &keys[0]).unwrap();
    }
    let report = dangjian::store::check(&f.store).unwrap();
    for tree in ["ix_pending_open", "ix_approved_entry"] {
        assert!(
            report.problems.iter().any(|p| p.en.contains(tree)),
            "{tree}: {:#?}",
            report.problems
        );
    }
    assert_eq!(waiting, PendingId(1));
}

#[test]
fn the_recorder_may_withdraw_a_waiting_entry_and_undo_does_so() {
    let World {
        f, zhang, leader, ..
    } = world();
    let applied = f
        .apply_as(
            &leader,
            Command::RecordPoints {
                member: zhang,
                date: today(),
                rule: f.rule("VOL").id,
                quantity_centi: 100,
                points_override: None,
                note: String::new(),
            },
        )
        .unwrap();
    f.apply_as(&leader, applied.inverse.unwrap()).unwrap();
    assert!(pending_ids(&f, &leader).is_empty());
    assert_eq!(f.store.count_of::<PointsEntry>(), 0);
}

#[test]
fn approval_settings_are_for_committee_admins() {
    let World { f, sec_a, .. } = world();
    let s = f.store.evaluation_settings().unwrap();
    assert_refused(
        f.apply_as(
            &sec_a,
            Command::SetEvaluationSettings {
                settings: s.clone(),
            },
        ),
        "only a committee admin",
    );
    let bad = EvaluationSettings {
        thresholds: dangjian::domain::evaluation::Thresholds {
            excellent: Points::whole(50),
            good: Points::whole(80),
            pass: Points::whole(60),
        },
        ..s
    };
    assert_refused(
        f.admin_apply(Command::SetEvaluationSettings { settings: bad }),
        "grade thresholds",
    );
}
