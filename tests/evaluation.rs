//! The yearly evaluation on a hand-built community with known answers (base,
//! caps that cut, deductions, the floor at 0, the cap, exempt categories,
//! thresholds, the absence ceiling and the 优秀 share), deductions only under
//! negative rules by the roles allowed, unexcused absence deducting in one
//! transaction and taken back with it, and `check` and the migration
//! re-deriving what is new. Real sled stores in temp directories.

mod common;

use chrono::Datelike;
use common::*;
use dangjian::access::{AsActor, Client, EvaluationQ};
use dangjian::domain::evaluation::{AbsenceCeiling, Exemption, Step};
use dangjian::domain::*;
use dangjian::ops::{Actor, Command, OpsError};
use dangjian::report::evaluation::{EvalLine, Evaluation};

fn year() -> i32 {
    today().year()
}

fn record(
    f: &Fixture,
    actor: &Actor,
    member: MemberId,
    code: &str,
    quantity_centi: u32,
    note: &str,
) -> Result<dangjian::ops::Applied, OpsError> {
    f.apply_as(
        actor,
        Command::RecordPoints {
            member,
            date: today(),
            rule: f.rule(code).id,
            quantity_centi,
            points_override: None,
            note: note.into(),
        },
    )
}

fn settings(f: &Fixture, change: impl FnOnce(&mut EvaluationSettings)) {
    let mut s = f.store.evaluation_settings().unwrap();
    change(&mut s);
    f.admin_apply(Command::SetEvaluationSettings { settings: s })
        .unwrap();
}

fn evaluate(f: &Fixture, org: OrgUnitId) -> Evaluation {
    AsActor(&f.store, &f.admin)
        .ask(EvaluationQ {
            org: Some(org),
            year: year(),
        })
        .unwrap()
}

fn line(e: &Evaluation, m: MemberId) -> &EvalLine {
    e.lines.iter().find(|l| l.member == m).unwrap()
}

fn member_with(
    f: &Fixture,
    name: &str,
    unit: OrgUnitId,
    change: impl FnOnce(&mut MemberData),
) -> MemberId {
    let mut data = member_data(name, unit);
    change(&mut data);
    MemberId(
        f.admin_apply(Command::CreateMember { data })
            .unwrap()
            .created
            .unwrap(),
    )
}

fn activity(f: &Fixture) -> ActivityId {
    ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::BranchGeneralMeeting,
                title: "支部党员大会".into(),
                host: f.branch_a,
                starts: today().and_hms_opt(0, 0, 0).unwrap(),
                place: "党群服务中心".into(),
                rule: None,
                invitees: f.branch_a,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    )
}

#[test]
fn known_answers_on_a_hand_built_branch() {
    let f = Fixture::new();
    settings(&f, |s| {
        s.base = Points::whole(60);
        s.cap = Some(Points::whole(93));
        s.excellent_share_pct = Some(34);
        s.absence_ceiling = Some(AbsenceCeiling {
            absences: 1,
            at_most: Grade::Pass,
        });
        s.exempt_retired_from_age = Some(80);
    });
    let admin = f.admin.clone();
    let on_job = |d: &mut MemberData| d.category = MemberCategory::OnTheJob;
    let a = member_with(&f, "甲", f.group_a1, on_job);
    let b = member_with(&f, "乙", f.group_a1, on_job);
    let c = member_with(&f, "丙", f.group_a2, on_job);
    let d = member_with(&f, "丁", f.group_a2, |d| {
        d.category = MemberCategory::Retired;
        d.birth_date = Some(date(year() - 85, 3, 1));
    });
    let e = member_with(&f, "戊", f.group_a2, on_job);
    let g = member_with(&f, "己", f.group_a1, on_job);

    // 甲: VOL 35 h cut to the month's 20, REPORT 5, STUDY 20 h = 10: 60 + 35 = 95, capped at 93.
    let cut = record(&f, &admin, a, "VOL", 3500, "").unwrap();
    assert!(cut.summary.contains("cut at the cap"), "{}", cut.summary);
    record(&f, &admin, a, "REPORT", 100, "").unwrap();
    record(&f, &admin, a, "STUDY", 2000, "").unwrap();
    // 乙: 20 + 5 + 6 = 31: 91, 优秀 by score, 良好 by the share (one place of 5).
    record(&f, &admin, b, "VOL", 2000, "").unwrap();
    record(&f, &admin, b, "REPORT", 100, "").unwrap();
    record(&f, &admin, b, "STUDY", 1200, "").unwrap();
    // 丙: 40 unexcused-absence deductions of 2: 60 − 80 = −20, floored at 0.
    record(&f, &admin, c, "ABSENT", 4000, "四十次无故缺席").unwrap();
    // 丁: retired and 85: exempt, whatever they earned.
    record(&f, &admin, d, "VOL", 500, "").unwrap();
    // 戊: VOL 10, then a reward for 5: the score stays 70, the balance is 5.
    record(&f, &admin, e, "VOL", 1000, "").unwrap();
    let reward = f
        .admin_apply(Command::CreateReward {
            name: "毛巾".into(),
            cost: Points::whole(5),
            stock: None,
        })
        .unwrap()
        .created
        .unwrap();
    f.admin_apply(Command::Redeem {
        member: e,
        reward: RewardId(reward),
        date: today(),
        note: String::new(),
    })
    .unwrap();
    // 己: 20 + 5 = 85 (良好), one unexcused absence (−2) → 83, at most 合格.
    record(&f, &admin, g, "VOL", 2000, "").unwrap();
    record(&f, &admin, g, "REPORT", 100, "").unwrap();
    let act = activity(&f);
    f.admin_apply(Command::MarkUnexcused {
        activity: act,
        member: g,
        note: String::new(),
    })
    .unwrap();

    let ev = evaluate(&f, f.branch_a);
    assert_eq!(ev.lines.len(), 6);
    let la = line(&ev, a);
    assert_eq!(la.earned, Points::whole(35));
    assert_eq!(la.score, Some(Points::whole(93)));
    assert_eq!(la.grade, Some(Grade::Excellent));
    assert!(la.steps.contains(&Step::Capped {
        sum: Points::whole(95),
        cap: Points::whole(93)
    }));
    let lb = line(&ev, b);
    assert_eq!(lb.score, Some(Points::whole(91)));
    assert_eq!(lb.grade, Some(Grade::Good));
    assert!(lb.steps.contains(&Step::ShareLimit {
        places: 1,
        to: Grade::Good
    }));
    let lc = line(&ev, c);
    assert_eq!(lc.deducted, Points::whole(80));
    assert_eq!(lc.score, Some(Points::ZERO));
    assert_eq!(lc.grade, Some(Grade::Fail));
    assert!(lc.steps.contains(&Step::FlooredAtZero {
        sum: Points::whole(-20)
    }));
    let ld = line(&ev, d);
    assert_eq!(ld.exempt, Some(Exemption::RetiredAged(80)));
    assert_eq!((ld.score, ld.grade), (None, None));
    let le = line(&ev, e);
    assert_eq!(le.score, Some(Points::whole(70)));
    assert_eq!(le.grade, Some(Grade::Pass));
    assert_eq!(f.store.balance(e).unwrap(), Points::whole(5));
    let lg = line(&ev, g);
    assert_eq!(
        (lg.earned, lg.deducted),
        (Points::whole(25), Points::whole(2))
    );
    assert_eq!(lg.score, Some(Points::whole(83)));
    assert_eq!(lg.unexcused, 1);
    assert_eq!(lg.grade, Some(Grade::Pass));
    assert!(lg.steps.contains(&Step::AbsenceCeiling {
        absences: 1,
        from: Grade::Good,
        to: Grade::Pass
    }));
    let nominated: Vec<MemberId> = ev.nominations().iter().map(|l| l.member).collect();
    assert_eq!(nominated, vec![a]);
    // A group leader sees their group's lines, graded as the branch grades
    // them (the share is held over the branch, not the group).
    let leader = f.user("leader", Role::GroupLeader, Some(f.group_a1));
    let own = AsActor(&f.store, &leader)
        .ask(EvaluationQ {
            org: None,
            year: year(),
        })
        .unwrap();
    let seen: Vec<MemberId> = own.lines.iter().map(|l| l.member).collect();
    assert_eq!(seen, vec![a, b, g]);
    for l in &own.lines {
        assert_eq!(l, line(&ev, l.member));
    }
    f.assert_check_clean();
}

#[test]
fn mobile_members_are_exempt_only_when_the_setting_says_so() {
    let f = Fixture::new();
    let m = member_with(&f, "流动", f.group_a1, |d| {
        d.category = MemberCategory::Mobile
    });
    assert_eq!(line(&evaluate(&f, f.branch_a), m).exempt, None);
    settings(&f, |s| s.exempt_mobile = true);
    let ev = evaluate(&f, f.branch_a);
    assert_eq!(line(&ev, m).exempt, Some(Exemption::Mobile));
    assert_eq!(line(&ev, m).grade, None);
}

#[test]
fn a_cap_cuts_to_the_remainder_refuses_when_nothing_remains_or_when_set_to_refuse() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let admin = f.admin.clone();
    record(&f, &admin, m, "VOL", 1500, "").unwrap();
    let cut = record(&f, &admin, m, "VOL", 1000, "").unwrap();
    let entry: PointsEntry = f.store.get_id(cut.created.unwrap()).unwrap().unwrap();
    assert_eq!(entry.points, Points::whole(5));
    assert!(entry.override_reason.contains("cut at the cap"));
    assert_refused(record(&f, &admin, m, "VOL", 100, ""), "cap reached");
    let other = f.member("李四", f.group_a1);
    settings(&f, |s| s.cap_cuts = false);
    record(&f, &admin, other, "VOL", 1500, "").unwrap();
    assert_refused(record(&f, &admin, other, "VOL", 1000, ""), "cap reached");
    assert_eq!(f.store.balance(other).unwrap(), Points::whole(15));
}

#[test]
fn deductions_only_under_negative_rules_by_the_roles_allowed_and_with_a_reason() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let leader = f.user("leader", Role::GroupLeader, Some(f.group_a1));
    let secretary = f.user("sec", Role::BranchSecretary, Some(f.branch_a));
    assert_refused(
        f.admin_apply(Command::RecordPoints {
            member: m,
            date: today(),
            rule: f.rule("VOL").id,
            quantity_centi: 100,
            points_override: Some((Points::whole(-5), "态度差".into())),
            note: String::new(),
        }),
        "keeps the rule's sign",
    );
    assert_refused(
        record(&f, &leader, m, "ABSENT", 100, "无故缺席"),
        "may not record or take back deductions",
    );
    assert_refused(
        record(&f, &secretary, m, "ABSENT", 100, ""),
        "needs a reason",
    );
    record(&f, &secretary, m, "ABSENT", 100, "无故缺席支部党员大会").unwrap();
    assert_eq!(f.store.balance(m).unwrap(), Points::whole(-2));
    assert_eq!(
        f.store.member_year_deductions(m, year()).unwrap(),
        Points::whole(-2)
    );
}

#[test]
fn unexcused_absence_deducts_in_one_transaction_and_taking_it_back_restores() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let excused = f.member("李四", f.group_a1);
    let act = activity(&f);
    let leader = f.user("leader", Role::GroupLeader, Some(f.group_a1));
    // A group leader may not deduct: refused, and nothing written.
    let before = f.store.dump().unwrap();
    assert_refused(
        f.apply_as(
            &leader,
            Command::MarkUnexcused {
                activity: act,
                member: m,
                note: String::new(),
            },
        ),
        "may not record or take back deductions",
    );
    assert_eq!(f.store.dump().unwrap(), before);

    let applied = f
        .admin_apply(Command::MarkUnexcused {
            activity: act,
            member: m,
            note: "未请假".into(),
        })
        .unwrap();
    let att = f.store.attendance(act, m).unwrap().unwrap();
    let Presence::Unexcused {
        deduction: Some(entry),
        ..
    } = att.presence
    else {
        panic!("not an unexcused absence with its deduction: {att:?}");
    };
    assert_eq!(applied.created, Some(entry.0));
    assert_eq!(f.store.balance(m).unwrap(), Points::whole(-2));
    assert_eq!(f.store.unexcused_counts(year()).unwrap().get(&m), Some(&1));
    // Excused (请假): no deduction.
    f.admin_apply(Command::MarkAbsent {
        activity: act,
        member: excused,
        reason: "出差".into(),
    })
    .unwrap();
    assert_eq!(f.store.balance(excused).unwrap(), Points::ZERO);
    f.assert_check_clean();

    // A group leader may not take the deduction back, by either way.
    let before = f.store.dump().unwrap();
    assert_refused(
        f.apply_as(&leader, applied.inverse.clone().unwrap()),
        "may not record or take back deductions",
    );
    assert_refused(
        f.apply_as(
            &leader,
            Command::ReversePoints {
                entry,
                reason: "算了".into(),
            },
        ),
        "may not record or take back deductions",
    );
    assert_eq!(f.store.dump().unwrap(), before);
    // The undo of the absence (its inverse) takes the deduction back.
    f.admin_apply(applied.inverse.unwrap()).unwrap();
    assert_eq!(f.store.attendance(act, m).unwrap(), None);
    assert_eq!(f.store.balance(m).unwrap(), Points::ZERO);
    assert_eq!(
        f.store.member_year_deductions(m, year()).unwrap(),
        Points::ZERO
    );
    assert!(f.store.unexcused_counts(year()).unwrap().is_empty());
    f.assert_check_clean();
}

#[test]
fn check_finds_damage_to_the_deductions_and_the_absence_index() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let act = activity(&f);
    f.admin_apply(Command::MarkUnexcused {
        activity: act,
        member: m,
        note: String::new(),
    })
    .unwrap();
    f.assert_check_clean();
    for tree in ["bal_member_year_deducted", "ix_unexcused"] {
        let keys = raw_keys(&f.store, tree);
        assert_eq!(keys.len(), 1, "{tree}");
        f.store.raw_remove(tree, &keys[0]).unwrap();
    }
    let report = dangjian::store::check(&f.store).unwrap();
    for tree in ["bal_member_year_deducted", "ix_unexcused"] {
        assert!(
            report.problems.iter().any(|p| p.en.contains(tree)),
            "{tree}: {:#?}",
            report.problems
        );
    }
}

#[test]
fn a_schema_4_store_has_its_year_deductions_derived_when_opened() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let admin = f.admin.clone();
    record(&f, &admin, m, "ABSENT", 300, "三次无故缺席").unwrap();
    record(&f, &admin, m, "VOL", 200, "").unwrap();
    for k in raw_keys(&f.store, "bal_member_year_deducted") {
        f.store.raw_remove("bal_member_year_deducted", &k).unwrap();
    }
    f.store.raw_put_number("meta", b"schema", 4).unwrap();
    f.store.sync().unwrap();
    let Fixture { dir, store, .. } = f;
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store.schema_version().unwrap(),
        Some(dangjian::store::SCHEMA_VERSION)
    );
    assert_eq!(
        store.member_year_deductions(m, year()).unwrap(),
        Points::whole(-6)
    );
    assert!(dangjian::store::check(&store).unwrap().is_clean());
}
