//! Points reports on real stores: period boundaries, the date (not the time
//! recorded) deciding an entry's period, rankings and balances from the month
//! aggregates equal to a brute-force sum over the ledger, the schema migration
//! that builds the date index, and the journal export read back.

mod common;

use chrono::{Datelike, Months, NaiveDate};
use common::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::report::points::{Period, Scope, balances, members_in_scope, ranking};
use dangjian::store::{Store, is_earned};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A rule without a cap, one point a time, so tests choose any amount by count.
fn plain_rule(f: &Fixture) -> RuleId {
    let a = f
        .admin_apply(Command::CreateRule {
            code: "T1".into(),
            name_zh: "测试".into(),
            name_en: "test".into(),
            basis: RuleBasis::PerTime,
            points: Points::whole(1),
            cap: None,
        })
        .unwrap();
    RuleId(a.created.unwrap())
}

fn record(f: &Fixture, member: MemberId, rule: RuleId, on: NaiveDate, points: u32) -> EntryId {
    let a = f
        .admin_apply(Command::RecordPoints {
            member,
            date: on,
            rule,
            quantity_centi: points * 100,
            points_override: None,
            note: String::new(),
        })
        .unwrap();
    EntryId(a.created.unwrap())
}

fn points_of(store: &Store, scope: Scope, period: &str) -> BTreeMap<MemberId, Points> {
    let period = Period::parse(period).unwrap();
    ranking(store, scope, &period, None)
        .unwrap()
        .into_iter()
        .map(|r| (r.member, r.points))
        .collect()
}

#[test]
fn month_quarter_year_and_a_range_across_a_month_edge_count_the_right_entries() {
    let f = Fixture::new();
    let rule = plain_rule(&f);
    let a = f.member("张三", f.group_a1);
    record(&f, a, rule, date(2025, 9, 30), 1); // last day of Q3
    record(&f, a, rule, date(2025, 10, 1), 2); // first day of Q4
    record(&f, a, rule, date(2025, 10, 31), 4);
    record(&f, a, rule, date(2025, 11, 1), 8);
    record(&f, a, rule, date(2025, 12, 31), 16);
    record(&f, a, rule, date(2024, 12, 31), 32);
    record(&f, a, rule, date(2026, 1, 1), 64);
    let s = Scope::Community;
    let got = |p: &str| {
        points_of(&f.store, s, p)
            .get(&a)
            .copied()
            .unwrap_or_default()
    };
    assert_eq!(got("2025-09"), Points::whole(1));
    assert_eq!(got("2025-10"), Points::whole(6));
    assert_eq!(
        got("2025-Q3"),
        Points::whole(1),
        "Sep 30 is the last day of Q3"
    );
    assert_eq!(got("2025-Q4"), Points::whole(2 + 4 + 8 + 16));
    assert_eq!(got("2025"), Points::whole(1 + 2 + 4 + 8 + 16));
    assert_eq!(got("2024"), Points::whole(32));
    // Ranges crossing month edges: partial months on both sides.
    assert_eq!(got("2025-10-31..2025-11-01"), Points::whole(4 + 8));
    assert_eq!(got("2025-09-30..2025-10-01"), Points::whole(1 + 2));
    assert_eq!(
        got("2025-10-02..2025-10-31"),
        Points::whole(4),
        "most of a month"
    );
    assert_eq!(got("2025-10-02..2025-10-30"), Points::ZERO);
    assert_eq!(got("2024-12-31..2026-01-01"), Points::whole(127));
    // A member with nothing in the period is not ranked.
    assert!(points_of(&f.store, s, "2025-08").is_empty());
    f.assert_check_clean();
}

#[test]
fn the_service_date_and_not_the_utc_time_recorded_decides_the_period() {
    let f = Fixture::new();
    let rule = plain_rule(&f);
    let a = f.member("张三", f.group_a1);
    let id = record(&f, a, rule, date(2025, 10, 31), 3);
    let entry = f.store.get_id::<PointsEntry>(id.0).unwrap().unwrap();
    // Recorded now (UTC), long after the day of service: the two disagree on
    // the month, so the assertions below tell them apart.
    assert_ne!(
        (entry.recorded_at.year(), entry.recorded_at.month()),
        (2025, 10)
    );
    let oct = points_of(&f.store, Scope::Community, "2025-10");
    assert_eq!(oct.get(&a), Some(&Points::whole(3)));
    let recorded = entry.recorded_at.date_naive();
    let recorded_month = format!("{}-{:02}", recorded.year(), recorded.month());
    assert!(points_of(&f.store, Scope::Community, &recorded_month).is_empty());
    // A local calendar date is stored as such: no time zone can move it.
    assert_eq!(entry.date, date(2025, 10, 31));
}

#[test]
fn ranking_orders_by_points_then_id_and_respects_the_subtree() {
    let f = Fixture::new();
    let rule = plain_rule(&f);
    let a = f.member("张三", f.group_a1);
    let b = f.member("李四", f.group_a2);
    let c = f.member("王五", f.group_b1);
    let d = f.member("赵六", f.group_a1);
    record(&f, a, rule, date(2025, 5, 1), 5);
    record(&f, b, rule, date(2025, 5, 2), 7);
    record(&f, c, rule, date(2025, 5, 3), 9);
    record(&f, d, rule, date(2025, 5, 4), 5);
    let period = Period::parse("2025").unwrap();
    let all = ranking(&f.store, Scope::Community, &period, None).unwrap();
    let order: Vec<(usize, MemberId)> = all.iter().map(|r| (r.rank, r.member)).collect();
    assert_eq!(order, vec![(1, c), (2, b), (3, a), (3, d)]);
    assert_eq!(all[0].unit_name, "3号楼党小组");
    let branch = ranking(&f.store, Scope::Subtree(f.branch_a), &period, None).unwrap();
    let ids: Vec<MemberId> = branch.iter().map(|r| r.member).collect();
    assert_eq!(ids, vec![b, a, d]);
    let top = ranking(&f.store, Scope::Community, &period, Some(2)).unwrap();
    assert_eq!(top.len(), 2);

    // A group leader's scope is their group, whatever org they ask for.
    let leader = f.user("leader", Role::GroupLeader, Some(f.group_a1));
    let scope = Scope::for_actor(&f.store, &leader, None).unwrap();
    assert_eq!(scope, Scope::Subtree(f.group_a1));
    assert!(Scope::for_actor(&f.store, &leader, Some(f.branch_a)).is_err());
}

#[test]
fn redemptions_lower_the_balance_but_not_the_points_earned() {
    let f = Fixture::new();
    let rule = plain_rule(&f);
    let a = f.member("张三", f.group_a1);
    record(&f, a, rule, date(2025, 5, 1), 10);
    let reward = f
        .admin_apply(Command::CreateReward {
            name: "毛巾".into(),
            cost: Points::whole(4),
            stock: None,
        })
        .unwrap();
    f.admin_apply(Command::Redeem {
        member: a,
        reward: RewardId(reward.created.unwrap()),
        date: date(2025, 5, 2),
        note: String::new(),
    })
    .unwrap();
    let rows = balances(
        &f.store,
        Scope::Community,
        &Period::parse("2025-05").unwrap(),
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].points, Points::whole(10));
    assert_eq!(rows[0].balance, Points::whole(6));
}

/// Every period a brute-force check should cover around `today`: each of the
/// last 14 months, quarters, years, and ranges that cut months at both ends,
/// some short (read from the date index) and some long (aggregate minus index),
/// and one holding a whole year between cut months.
fn periods(today: NaiveDate) -> Vec<Period> {
    let mut out = Vec::new();
    for back in 0..14 {
        let d = today.checked_sub_months(Months::new(back)).unwrap();
        out.push(Period::month(d.year(), d.month()).unwrap());
    }
    for y in [today.year() - 1, today.year()] {
        out.push(Period::year(y).unwrap());
        for q in 1..=4 {
            out.push(Period::quarter(y, q).unwrap());
        }
    }
    for (from_back, len) in [
        (40, 10),
        (100, 45),
        (200, 3),
        (300, 120),
        (15, 27),
        (365, 365),
    ] {
        let from = today - chrono::Days::new(from_back);
        out.push(Period::range(from, from + chrono::Days::new(len)).unwrap());
    }
    out
}

fn brute_force(
    store: &Store,
    scope: Scope,
    period: &Period,
) -> (HashMap<MemberId, i64>, HashMap<MemberId, i64>) {
    let members: HashSet<MemberId> = members_in_scope(store, scope)
        .unwrap()
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    let mut earned: HashMap<MemberId, i64> = HashMap::new();
    let mut balance: HashMap<MemberId, i64> = HashMap::new();
    for e in store.scan::<PointsEntry>() {
        let e = e.unwrap();
        if !members.contains(&e.member) {
            continue;
        }
        *balance.entry(e.member).or_default() += e.points.0;
        if is_earned(&e) && period.contains(e.date) {
            *earned.entry(e.member).or_default() += e.points.0;
        }
    }
    earned.retain(|_, v| *v != 0);
    (earned, balance)
}

#[test]
fn ranking_and_balances_from_aggregates_equal_a_brute_force_sum_over_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let admin = dangjian::ops::actor_for_login(&store, "admin").unwrap();
    let today = today();
    let mut params = dangjian::demo::DemoParams::new(today);
    params.members = 150;
    params.entries = 3_000;
    dangjian::demo::generate(&store, &admin, &params, &mut |_| {}).unwrap();
    assert!(store.count_of::<dangjian::domain::PointsEntry>() >= 2_000);

    let units = dangjian::ops::query::org_units(&store).unwrap();
    let branch = units.iter().find(|u| u.level == OrgLevel::Branch).unwrap();
    let group = units.iter().find(|u| u.level == OrgLevel::Group).unwrap();
    let mut compared = 0;
    for scope in [
        Scope::Community,
        Scope::Subtree(branch.id),
        Scope::Subtree(group.id),
    ] {
        for period in periods(today) {
            let (earned, balance) = brute_force(&store, scope, &period);
            let rows = ranking(&store, scope, &period, None).unwrap();
            let got: HashMap<MemberId, i64> = rows.iter().map(|r| (r.member, r.points.0)).collect();
            assert_eq!(got, earned, "ranking {period} {scope:?}");
            for w in rows.windows(2) {
                assert!(
                    (w[0].points, std::cmp::Reverse(w[0].member))
                        > (w[1].points, std::cmp::Reverse(w[1].member)),
                    "order"
                );
            }
            for r in &rows {
                assert_eq!(r.balance.0, balance.get(&r.member).copied().unwrap_or(0));
            }
            for r in balances(&store, scope, &period).unwrap() {
                assert_eq!(r.points.0, earned.get(&r.member).copied().unwrap_or(0));
                assert_eq!(r.balance.0, balance.get(&r.member).copied().unwrap_or(0));
            }
            compared += earned.len();
        }
    }
    assert!(compared > 1_000, "the periods hold data: {compared}");
}

#[test]
fn opening_a_version_1_store_derives_the_date_index_and_year_totals() {
    let f = Fixture::new();
    let rule = plain_rule(&f);
    let a = f.member("张三", f.group_a1);
    for day in 1..=5 {
        record(&f, a, rule, date(2025, 3, day), day);
    }
    let keys = raw_keys(&f.store, "ix_ledger_date");
    assert_eq!(keys.len(), 5);
    let years = raw_keys(&f.store, "bal_member_year");
    assert_eq!(years.len(), 1);
    // Make it look like a store written before the index and year totals existed.
    for k in &keys {
        f.store.raw_remove("ix_ledger_date", k).unwrap();
    }
    for k in &years {
        f.store.raw_remove("bal_member_year", k).unwrap();
    }
    f.store.raw_put_number("meta", b"schema", 1).unwrap();
    f.store.sync().unwrap();
    let report = dangjian::store::check(&f.store).unwrap();
    assert!(!report.is_clean(), "check notices the missing index");

    let Fixture { dir, store, .. } = f;
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store.schema_version().unwrap(),
        Some(dangjian::store::SCHEMA_VERSION)
    );
    assert_eq!(raw_keys(&store, "ix_ledger_date").len(), 5);
    let report = dangjian::store::check(&store).unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
    let got = points_of(&store, Scope::Community, "2025-03-02..2025-03-03");
    assert_eq!(got.get(&a), Some(&Points::whole(5)));
    let got = points_of(&store, Scope::Community, "2025");
    assert_eq!(got.get(&a), Some(&Points::whole(15)));
}

#[test]
fn opening_a_version_2_store_counts_the_members_who_served_each_month() {
    let f = Fixture::new();
    let rule = plain_rule(&f);
    let a = f.member("张三", f.group_a1);
    let b = f.member("李四", f.group_a1);
    record(&f, a, rule, date(2025, 3, 1), 2);
    record(&f, b, rule, date(2025, 3, 2), 3);
    record(&f, b, rule, date(2025, 4, 2), 1);
    let (march, april) = (date(2025, 3, 1), date(2025, 4, 1));
    assert_eq!(f.store.served_count(march).unwrap(), 2);
    assert_eq!(f.store.served_count(april).unwrap(), 1);
    // A store written before the counts existed has none (months as `yyyymm`).
    for k in [202503u32.to_be_bytes(), 202504u32.to_be_bytes()] {
        f.store.raw_remove("cnt_month_served", &k).unwrap();
    }
    for k in [&b"ledger/first_month"[..], b"ledger/last_month"] {
        f.store.raw_remove("meta", k).unwrap();
    }
    assert_eq!(f.store.served_count(march).unwrap(), 0);
    assert_eq!(f.store.ledger_months().unwrap(), None);
    f.store.raw_put_number("meta", b"schema", 2).unwrap();
    f.store.sync().unwrap();
    let report = dangjian::store::check(&f.store).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.en.contains("cnt_month_served")),
        "check notices the missing counts: {:?}",
        report.problems
    );

    let Fixture { dir, store, .. } = f;
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store.schema_version().unwrap(),
        Some(dangjian::store::SCHEMA_VERSION)
    );
    assert_eq!(store.served_count(march).unwrap(), 2);
    assert_eq!(store.served_count(april).unwrap(), 1);
    assert_eq!(store.ledger_months().unwrap(), Some((202503, 202504)));
    let report = dangjian::store::check(&store).unwrap();
    assert!(report.is_clean(), "{:#?}", report.problems);
}

/// Reads a journal the way a ledger tool does, for the postings this export
/// writes: `account  amount pts` lines under a dated header.
fn parse_journal(text: &str) -> (usize, BTreeMap<String, i64>) {
    let mut transactions = 0;
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    let mut in_tx = false;
    let mut tx_sum = 0;
    let mut in_directive = false;
    for line in text.lines() {
        // `commodity` and `account` declarations, with their indented lines.
        if line.starts_with("commodity") || line.starts_with("account") {
            in_directive = true;
            continue;
        }
        if in_directive && line.starts_with(' ') {
            continue;
        }
        in_directive = false;
        if line.trim().is_empty() || line.starts_with(';') {
            if in_tx {
                assert_eq!(tx_sum, 0, "a transaction does not balance");
            }
            in_tx = false;
            continue;
        }
        if !line.starts_with(' ') {
            let date = line.split_whitespace().next().unwrap();
            NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            transactions += 1;
            in_tx = true;
            tx_sum = 0;
            continue;
        }
        let (account, amount) = line.trim().split_once("  ").unwrap();
        let amount = amount.trim().strip_suffix(" pts").unwrap();
        let centi = dangjian::domain::points::parse_centi(amount).unwrap();
        tx_sum += centi;
        *totals.entry(account.to_string()).or_default() += centi;
    }
    (transactions, totals)
}

fn nonzero_member_balances(store: &Store) -> BTreeMap<String, i64> {
    let year = Period::year_of(today());
    balances(store, Scope::Community, &year)
        .unwrap()
        .into_iter()
        .filter(|r| r.balance.0 != 0)
        .map(|r| (format!("members:{}", r.member), r.balance.0))
        .collect()
}

fn demo_store(dir: &std::path::Path) -> Store {
    let store = open(dir);
    let admin = dangjian::ops::actor_for_login(&store, "admin").unwrap();
    let mut params = dangjian::demo::DemoParams::new(today());
    params.members = 120;
    params.entries = 2_000;
    dangjian::demo::generate(&store, &admin, &params, &mut |_| {}).unwrap();
    store
}

#[test]
fn the_journal_export_read_back_equals_the_balances_report() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir.path().join("store"));
    let path = dir.path().join("points.journal");
    let n = dangjian::io::journal::export_journal(&store, None, &path).unwrap();
    assert_eq!(
        n as usize,
        store.count_of::<dangjian::domain::PointsEntry>()
    );
    let (transactions, totals) = parse_journal(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        transactions,
        store.count_of::<dangjian::domain::PointsEntry>()
    );
    let members: BTreeMap<String, i64> = totals
        .iter()
        .filter(|(k, v)| k.starts_with("members:") && **v != 0)
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    assert_eq!(members, nonzero_member_balances(&store));
    let community: i64 = totals
        .iter()
        .filter(|(k, _)| k.starts_with("community:"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(community, -members.values().sum::<i64>());
    // Written through a temporary file that is gone afterwards.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn hledger_balances_the_exported_journal_exactly_as_the_balances_report() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir.path().join("store"));
    let path = dir.path().join("points.journal");
    dangjian::io::journal::export_journal(&store, None, &path).unwrap();
    let out = tool("hledger")
        .arg("-f")
        .arg(&path)
        .args(["balance", "members", "--flat", "--no-total"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.split_whitespace();
        let (amount, commodity, account) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        assert_eq!(commodity, "pts", "{line}");
        let amount = amount.replace(',', "");
        got.insert(
            account.to_string(),
            dangjian::domain::points::parse_centi(&amount).unwrap(),
        );
    }
    let want = nonzero_member_balances(&store);
    assert!(want.len() > 50);
    assert_eq!(got, want);
}
