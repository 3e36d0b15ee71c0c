use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, query};

pub(crate) fn record(
    f: &Fixture,
    member: MemberId,
    code: &str,
    quantity_centi: u32,
    d: chrono::NaiveDate,
) -> Result<EntryId, dangjian::ops::OpsError> {
    f.admin_apply(Command::RecordPoints {
        member,
        date: d,
        rule: f.rule(code).id,
        quantity_centi,
        points_override: None,
        note: String::new(),
    })
    .map(|a| EntryId(a.created.unwrap()))
}

fn entry(f: &Fixture, id: EntryId) -> PointsEntry {
    f.store.get_id::<PointsEntry>(id.0).unwrap().unwrap()
}

#[test]
fn create_rule_and_refuse_a_duplicate_code() {
    let f = Fixture::new();
    let cmd = Command::CreateRule {
        code: "clean".into(),
        name_zh: "清洁家园".into(),
        name_en: "Clean-up".into(),
        basis: RuleBasis::PerHour,
        points: Points(150),
        cap: Some((CapPeriod::Month, Points::whole(6))),
    };
    f.admin_apply(cmd.clone()).unwrap();
    assert_eq!(f.rule("CLEAN").points, Points(150));
    assert_refused(f.admin_apply(cmd), "already exists");
    assert_refused(
        f.admin_apply(Command::CreateRule {
            code: "BAD CODE".into(),
            name_zh: "x".into(),
            name_en: String::new(),
            basis: RuleBasis::PerTime,
            points: Points(100),
            cap: None,
        }),
        "must be 1–16",
    );
}

#[test]
fn update_rule_retires_and_a_retired_rule_takes_no_entries() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let vol = f.rule("VOL");
    f.admin_apply(Command::UpdateRule {
        id: vol.id,
        name_zh: vol.name_zh.clone(),
        name_en: vol.name_en.clone(),
        points: vol.points,
        cap: vol.cap,
        active: false,
    })
    .unwrap();
    assert!(!f.rule("VOL").active);
    assert_refused(record(&f, m, "VOL", 100, today()), "retired");
    assert_refused(
        f.admin_apply(Command::UpdateRule {
            id: vol.id,
            name_zh: vol.name_zh.clone(),
            name_en: String::new(),
            points: Points::ZERO,
            cap: None,
            active: true,
        }),
        "not 0",
    );
}

#[test]
fn per_hour_and_per_time_arithmetic() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    // VOL: 1 point per hour; 2.5 hours → 2.5 points.
    let e = record(&f, m, "VOL", 250, today()).unwrap();
    assert_eq!(entry(&f, e).points, Points(250));
    // STUDY: 0.5 per hour; 1.25 hours → 0.625 → 0.63.
    let e = record(&f, m, "STUDY", 125, today()).unwrap();
    assert_eq!(entry(&f, e).points, Points(63));
    // VISIT: 2 per time regardless of count hundredths: count 1.
    let e = record(&f, m, "VISIT", 100, today()).unwrap();
    assert_eq!(entry(&f, e).points, Points(200));
    assert_eq!(query::balance(&f.store, m).unwrap(), Points(513));
    f.assert_check_clean();
}

#[test]
fn caps_allow_up_to_the_limit_and_refuse_past_it() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    // REPORT: 5 per time, at most 5 a year: one is fine, the second is refused.
    let d = date(chrono::Datelike::year(&today()), 1, 15).min(today());
    record(&f, m, "REPORT", 100, d).unwrap();
    assert_refused(record(&f, m, "REPORT", 100, d), "cap reached");
    // VOL: at most 20 a month. 19 + 1 = 20 exactly is allowed; 0.01 more is not.
    record(&f, m, "VOL", 1900, d).unwrap();
    record(&f, m, "VOL", 100, d).unwrap();
    assert_refused(record(&f, m, "VOL", 1, d), "at most 20 points a month");
    f.assert_check_clean();
}

#[test]
fn override_needs_a_reason_and_a_deduction_needs_a_note() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let vol = f.rule("VOL");
    assert_refused(
        f.admin_apply(Command::RecordPoints {
            member: m,
            date: today(),
            rule: vol.id,
            quantity_centi: 100,
            points_override: Some((Points(300), "  ".into())),
            note: String::new(),
        }),
        "override reason",
    );
    let a = f
        .admin_apply(Command::RecordPoints {
            member: m,
            date: today(),
            rule: vol.id,
            quantity_centi: 100,
            points_override: Some((Points(300), "带队组织".into())),
            note: String::new(),
        })
        .unwrap();
    assert_eq!(entry(&f, EntryId(a.created.unwrap())).points, Points(300));
    assert_refused(record(&f, m, "ABSENT", 100, today()), "needs a reason");
}

#[test]
fn reversal_nets_to_zero_and_cannot_be_reversed_or_repeated() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let e = record(&f, m, "VOL", 300, today()).unwrap();
    let r = EntryId(
        f.admin_apply(Command::ReversePoints {
            entry: e,
            reason: "录错了".into(),
        })
        .unwrap()
        .created
        .unwrap(),
    );
    assert_eq!(entry(&f, r).reverses, Some(e));
    assert_eq!(entry(&f, r).points, Points(-300));
    assert_eq!(query::balance(&f.store, m).unwrap(), Points::ZERO);
    assert_refused(
        f.admin_apply(Command::ReversePoints {
            entry: r,
            reason: "x".into(),
        }),
        "itself a reversal",
    );
    assert_refused(
        f.admin_apply(Command::ReversePoints {
            entry: e,
            reason: "x".into(),
        }),
        "already reversed",
    );
    assert_refused(
        f.admin_apply(Command::ReversePoints {
            entry: EntryId(999),
            reason: "x".into(),
        }),
        "points entry 999",
    );
    f.assert_check_clean();
}

#[test]
fn redemption_cannot_take_a_balance_below_zero() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let reward = RewardId(
        f.admin_apply(Command::CreateReward {
            name: "洗衣液".into(),
            cost: Points::whole(5),
            stock: Some(1),
        })
        .unwrap()
        .created
        .unwrap(),
    );
    record(&f, m, "VOL", 400, today()).unwrap();
    let redeem = Command::Redeem {
        member: m,
        reward,
        date: today(),
        note: String::new(),
    };
    assert_refused(f.admin_apply(redeem.clone()), "has 4 points");
    record(&f, m, "VOL", 100, today()).unwrap();
    f.admin_apply(redeem.clone()).unwrap();
    assert_eq!(query::balance(&f.store, m).unwrap(), Points::ZERO);
    let item = f.store.get_id::<Reward>(reward.0).unwrap().unwrap();
    assert_eq!(item.stock, Some(0));
    record(&f, m, "VOL", 600, today()).unwrap();
    assert_refused(f.admin_apply(redeem), "out of stock");
    f.assert_check_clean();
}

#[test]
fn reward_update_and_refusal() {
    let f = Fixture::new();
    let id = RewardId(
        f.admin_apply(Command::CreateReward {
            name: "理发券".into(),
            cost: Points::whole(5),
            stock: None,
        })
        .unwrap()
        .created
        .unwrap(),
    );
    f.admin_apply(Command::UpdateReward {
        id,
        name: "理发券".into(),
        cost: Points::whole(6),
        stock: Some(10),
        active: true,
    })
    .unwrap();
    assert_eq!(
        f.store.get_id::<Reward>(id.0).unwrap().unwrap().cost,
        Points::whole(6)
    );
    assert_refused(
        f.admin_apply(Command::CreateReward {
            name: "免费".into(),
            cost: Points::ZERO,
            stock: None,
        }),
        "more than 0",
    );
}

#[test]
fn redemptions_do_not_count_as_earned_points() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let reward = RewardId(
        f.admin_apply(Command::CreateReward {
            name: "理发券".into(),
            cost: Points::whole(2),
            stock: None,
        })
        .unwrap()
        .created
        .unwrap(),
    );
    record(&f, m, "VOL", 500, today()).unwrap();
    f.admin_apply(Command::Redeem {
        member: m,
        reward,
        date: today(),
        note: String::new(),
    })
    .unwrap();
    assert_eq!(query::balance(&f.store, m).unwrap(), Points::whole(3));
    let month: i64 = f.store.month_totals(today()).map(|r| r.unwrap().1.0).sum();
    assert_eq!(month, 500, "earned this month stays 5 points");
}

fn vol(f: &Fixture, member: MemberId, quantity_centi: u32, d: chrono::NaiveDate) -> Command {
    Command::RecordPoints {
        member,
        date: d,
        rule: f.rule("VOL").id,
        quantity_centi,
        points_override: None,
        note: String::new(),
    }
}

#[test]
fn a_monthly_cap_counts_the_same_batch_the_month_only_and_what_a_reversal_took_back() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let year = chrono::Datelike::year(&today());
    let d = date(year, 11, 10).min(today());
    let month_before = date(year, 10, 31).min(d.pred_opt().unwrap());
    // The month before is its own month: 20 there leave this month's 20 whole.
    f.admin_apply(vol(&f, m, 2000, month_before)).unwrap();
    // One batch: 19 + 1 reach the cap; the third entry sees the first two.
    let refused = dangjian::ops::apply_batch(
        &f.store,
        &f.admin,
        &[vol(&f, m, 1900, d), vol(&f, m, 100, d), vol(&f, m, 1, d)],
    );
    assert_refused(refused, "at most 20 points a month");
    let done = dangjian::ops::apply_batch(
        &f.store,
        &f.admin,
        &[vol(&f, m, 1900, d), vol(&f, m, 100, d)],
    )
    .unwrap();
    assert_refused(f.admin_apply(vol(&f, m, 1, d)), "at most 20 points a month");
    // Reversing the 1-point entry gives its room back.
    f.admin_apply(Command::ReversePoints {
        entry: EntryId(done[1].created.unwrap()),
        reason: "录错了".into(),
    })
    .unwrap();
    f.admin_apply(vol(&f, m, 100, d)).unwrap();
    assert_refused(f.admin_apply(vol(&f, m, 1, d)), "at most 20 points a month");
    f.assert_check_clean();
}
