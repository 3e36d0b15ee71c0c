//! The points journal of a demo store (reversals and redemptions included,
//! entries recorded out of date order) under the strict checks of both
//! accounting tools: `hledger check --strict`, `hledger check ordereddates`,
//! and `ledger --strict --pedantic`, which must pass without a warning and
//! give every member the balance `report balances` gives.

mod common;

use chrono::NaiveDate;
use common::*;
use dangjian::domain::*;
use dangjian::report::points::{Period, Scope, balances};
use dangjian::store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

struct Demo {
    /// Kept so the store's directory lives as long as the test.
    _dir: tempfile::TempDir,
    store: Store,
    journal: PathBuf,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("store"));
    let admin = dangjian::ops::actor_for_login(&store, "admin").unwrap();
    let mut params = dangjian::demo::DemoParams::new(today());
    params.members = 80;
    params.entries = 1_200;
    dangjian::demo::generate(&store, &admin, &params, &mut |_| {}).unwrap();
    let journal = dir.path().join("points.journal");
    dangjian::io::journal::export_journal(&store, None, &journal).unwrap();
    Demo {
        _dir: dir,
        store,
        journal,
    }
}

fn run(cmd: &mut std::process::Command) -> Output {
    cmd.output().unwrap()
}

/// Succeeded, and said nothing on stderr (no warnings).
fn assert_clean(what: &str, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "{what}: {}\n{stderr}",
        out.status
    );
}

fn hledger(journal: &Path, args: &[&str]) -> Output {
    run(tool("hledger").arg("-f").arg(journal).args(args))
}

#[test]
fn the_demo_store_is_what_the_checks_need_to_see() {
    let d = demo();
    let entries: Vec<PointsEntry> = d.store.scan::<PointsEntry>().map(Result::unwrap).collect();
    assert!(entries.iter().any(|e| e.reverses.is_some()), "a reversal");
    assert!(
        entries
            .iter()
            .any(|e| matches!(e.source, EntrySource::Redemption(_))),
        "a redemption"
    );
    assert!(
        entries.windows(2).any(|w| w[1].date < w[0].date),
        "entries recorded out of date order"
    );
}

#[test]
fn hledger_check_strict_passes() {
    let d = demo();
    assert_clean(
        "hledger check --strict",
        &hledger(&d.journal, &["check", "--strict"]),
    );
}

#[test]
fn hledger_check_ordereddates_passes() {
    let d = demo();
    assert_clean(
        "hledger check ordereddates",
        &hledger(&d.journal, &["check", "ordereddates"]),
    );
    // And the transactions are in date order as read here, too.
    let text = std::fs::read_to_string(&d.journal).unwrap();
    let dates: Vec<NaiveDate> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|w| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
        .collect();
    assert_eq!(
        dates.len(),
        d.store.count_of::<dangjian::domain::PointsEntry>()
    );
    assert!(dates.is_sorted());
}

#[test]
fn ledger_strict_pedantic_passes_without_warnings_and_balances_like_the_report() {
    let d = demo();
    let out = run(tool("ledger")
        .arg("-f")
        .arg(&d.journal)
        .args(["--strict", "--pedantic", "bal"]));
    assert_clean("ledger --strict --pedantic bal", &out);
    let out = run(tool("ledger").arg("-f").arg(&d.journal).args([
        "--strict",
        "--pedantic",
        "bal",
        "^members:",
        "--flat",
        "--no-total",
    ]));
    assert_clean("ledger bal members", &out);
    let mut got = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [amount, "pts", account] = parts[..] else {
            panic!("unexpected line {line:?}");
        };
        let centi = dangjian::domain::points::parse_centi(&amount.replace(',', "")).unwrap();
        got.insert(account.to_string(), centi);
    }
    let want: BTreeMap<String, i64> =
        balances(&d.store, Scope::Community, &Period::year_of(today()))
            .unwrap()
            .into_iter()
            .filter(|r| r.balance.0 != 0)
            .map(|r| (format!("members:{}", r.member), r.balance.0))
            .collect();
    assert!(want.len() > 30, "{}", want.len());
    assert_eq!(got, want);
}
