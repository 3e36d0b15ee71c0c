//! `tasks list`, `tasks done` and `report visits` through the real binary on a
//! demo store.

mod common;
use common::dangjian;

use chrono::Datelike;
use dangjian::domain::{
    Beneficiary, CapPeriod, Points, PointsEntry, RuleBasis, Task, TaskId, TaskStatus,
};
use dangjian::ops::{query, rule_code_for};
use std::process::Output;

/// These tests open the store in this process between runs of the binary. The
/// store's lock is an flock, and a child forked by a test running in parallel
/// holds a copy of every open descriptor until it execs, so a store just
/// closed here could still look in use. One test at a time avoids that race.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = dangjian(&store, &["demo", "--members", "80", "--entries", "600"]);
    assert!(out.status.success(), "{}", text(&out));
    (dir, store)
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Every task in the store, read after the binary has exited.
fn all_tasks(store: &std::path::Path) -> Vec<Task> {
    let s = dangjian::store::Store::open(store, &Default::default()).unwrap();
    s.scan::<Task>().collect::<Result<_, _>>().unwrap()
}

#[test]
fn tasks_list_overdue_lists_exactly_the_overdue_open_tasks() {
    let _serial = serial();
    let (_dir, store) = demo();
    let out = dangjian(&store, &["tasks", "list", "--overdue", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut listed: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect();
    for t in list.as_array().unwrap() {
        assert!(t["overdue_days"].as_i64().unwrap() > 0, "{t}");
    }
    let today = today();
    let mut expected: Vec<u64> = all_tasks(&store)
        .into_iter()
        .filter(|t| t.status == TaskStatus::Open && t.due < today)
        .map(|t| t.id.0)
        .collect();
    assert!(!expected.is_empty(), "the demo store has overdue tasks");
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);

    // Without --overdue, open tasks not yet due are listed too.
    let out = dangjian(&store, &["tasks", "list", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let open = all_tasks(&store)
        .into_iter()
        .filter(|t| t.status == TaskStatus::Open)
        .count();
    assert_eq!(all.as_array().unwrap().len(), open);
    assert!(open > expected.len());
}

/// An open task whose completion today with 1.5 hours stays within its rule's
/// monthly cap (the demo fills some members' caps, and a capped award refuses).
fn task_with_headroom(store: &std::path::Path) -> Task {
    let s = dangjian::store::Store::open(store, &Default::default()).unwrap();
    let today = today();
    let month = |d: chrono::NaiveDate| (d.year(), d.month());
    s.scan::<Task>()
        .map(|t| t.unwrap())
        .filter(|t| t.status == TaskStatus::Open)
        .find(|t| {
            let rule = query::rule_by_code(&s, rule_code_for(t.kind).unwrap())
                .unwrap()
                .unwrap();
            let quantity = match rule.basis {
                RuleBasis::PerHour => 150,
                RuleBasis::PerTime => 100,
            };
            let so_far: i64 = query::statement(&s, t.assignee)
                .unwrap()
                .iter()
                .filter(|e| e.rule == Some(rule.id) && month(e.date) == month(today))
                .map(|e| e.points.0)
                .sum();
            match rule.cap {
                Some((CapPeriod::Month, max)) => {
                    Points(so_far) + rule.points.times_centi(quantity) <= max
                }
                _ => true,
            }
        })
        .unwrap()
}

#[test]
fn tasks_done_completes_once_and_refuses_a_second_time() {
    let _serial = serial();
    let (_dir, store) = demo();
    let id = task_with_headroom(&store).id.0;
    let arg = id.to_string();

    let out = dangjian(
        &store,
        &["tasks", "done", &arg, "--hours", "1.5", "--note", "已走访"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("completed task {id}")),
        "{}",
        text(&out)
    );
    let task = all_tasks(&store)
        .into_iter()
        .find(|t| t.id == TaskId(id))
        .unwrap();
    assert_eq!(task.status, TaskStatus::Done);
    assert_eq!(task.done_date, Some(today()));
    assert_eq!(task.hours_centi, 150);
    assert_eq!(task.outcome, "已走访");
    if let Some(entry) = task.award {
        assert!(
            text(&out).contains(&format!("(entry {entry})")),
            "{}",
            text(&out)
        );
        let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
        assert!(s.get_id::<PointsEntry>(entry.0).unwrap().is_some());
    }

    let out = dangjian(&store, &["tasks", "done", &arg, "--hours", "1.5"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("not open"), "{}", text(&out));
    let again = all_tasks(&store)
        .into_iter()
        .find(|t| t.id == TaskId(id))
        .unwrap();
    assert_eq!(again, task);

    let out = dangjian(&store, &["tasks", "done", "999999"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn report_visits_csv_has_a_header_and_one_row_per_active_beneficiary() {
    let _serial = serial();
    let (_dir, store) = demo();
    let out = dangjian(&store, &["report", "visits", "--format", "csv"]);
    assert!(out.status.success(), "{}", text(&out));
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "name",
            "address",
            "unit",
            "last_visit",
            "days_since",
            "due",
            "status",
            "pairings"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().unwrap();
    let active = {
        let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
        s.scan::<Beneficiary>()
            .filter(|b| b.as_ref().unwrap().data.active)
            .count()
    };
    assert!(active > 0);
    assert_eq!(rows.len(), active);
    for row in &rows {
        assert!(
            ["never", "overdue", "due", "ok"].contains(&&row[7]),
            "{row:?}"
        );
    }
}
