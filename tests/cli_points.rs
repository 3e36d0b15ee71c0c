//! The real binary on points: recording by name, an ambiguous name refused with
//! its candidates, reversal, the ranking as CSV, a group leader's ranking
//! limited to their group, and the journal export.

mod common;
use common::dangjian;

use common::*;
use dangjian::domain::*;
use dangjian::ops::{self, Command as Cmd};
use std::path::Path;
use std::process::Output;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

struct Setup {
    dir: tempfile::TempDir,
    zhang: MemberId,
    li: MemberId,
    wang_a: MemberId,
    wang_b: MemberId,
    group_a1: OrgUnitId,
}

/// A store whose founder is `founder` (the OS user, unless a test says
/// otherwise), closed again so the binary can open it.
fn setup(founder: &str) -> Setup {
    let f = Fixture::new_as(founder);
    let mut wang_b_data = member_data("王芳", f.group_b1);
    wang_b_data.phone = "13912345678".into();
    wang_b_data.address.building = "7".into();
    let zhang = f.member("张三", f.group_a1);
    let li = f.member("李四", f.group_a2);
    let wang_a = f.member("王芳", f.group_a1);
    let wang_b = f
        .admin_apply(Cmd::CreateMember { data: wang_b_data })
        .unwrap()
        .created
        .unwrap();
    let group_a1 = f.group_a1;
    let Fixture { dir, store, .. } = f;
    drop(store);
    Setup {
        dir,
        zhang,
        li,
        wang_a,
        wang_b: MemberId(wang_b),
        group_a1,
    }
}

fn store_path(s: &Setup) -> &Path {
    s.dir.path()
}

fn os_login() -> String {
    dangjian::identity::os_login().unwrap()
}

fn ledger(path: &Path) -> Vec<PointsEntry> {
    let store = open(path);
    store.scan::<PointsEntry>().map(|e| e.unwrap()).collect()
}

#[test]
fn points_add_by_name_records_an_entry_and_reverse_undoes_it() {
    let s = setup(&os_login());
    let p = store_path(&s);
    let out = dangjian(
        p,
        &[
            "points",
            "add",
            "--member",
            "张三",
            "--rule",
            "VOL",
            "--hours",
            "2.5",
            "--date",
            "2025-06-01",
            "--note",
            "义诊",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("recorded 2.5 points for 张三"),
        "{}",
        text(&out)
    );
    let entries = ledger(p);
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (e.member, e.date, e.points, e.note.as_str()),
        (s.zhang, date(2025, 6, 1), Points(250), "义诊")
    );
    assert_eq!(e.recorded_by, os_login());

    let id = e.id.to_string();
    let out = dangjian(p, &["points", "reverse", &id, "--reason", "录错了"]);
    assert!(out.status.success(), "{}", text(&out));
    let entries = ledger(p);
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].reverses, Some(entries[0].id));
    assert_eq!(entries[1].points, Points(-250));
    // A second reversal is refused with the reason, exit code 1.
    let out = dangjian(p, &["points", "reverse", &id, "--reason", "again"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("already reversed"), "{}", text(&out));

    let out = dangjian(p, &["points", "statement", "张三"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("reverses #"), "{}", text(&out));
}

#[test]
fn an_ambiguous_name_is_refused_with_the_candidates_listed() {
    let s = setup(&os_login());
    let p = store_path(&s);
    let out = dangjian(
        p,
        &[
            "points",
            "add",
            "--member",
            "王芳",
            "--rule",
            "ORGLIFE",
            "--date",
            "2025-06-01",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("matches 2 members"), "{t}");
    for id in [s.wang_a, s.wang_b] {
        assert!(t.contains(&format!(" {id} ")), "{t}");
    }
    assert!(
        t.contains("139****5678") && t.contains("138****8000"),
        "{t}"
    );
    assert!(t.contains("7-2-501") && t.contains("3-2-501"), "{t}");
    assert!(
        t.contains("1号楼党小组") && t.contains("3号楼党小组"),
        "{t}"
    );
    assert!(!t.contains("13912345678"), "phones are masked: {t}");
    assert!(ledger(p).is_empty(), "nothing recorded");
    // In Chinese, in Chinese: no English words around the candidates.
    let zh = dangjian(
        p,
        &[
            "--lang",
            "zh-CN",
            "points",
            "add",
            "--member",
            "王芳",
            "--rule",
            "ORGLIFE",
            "--date",
            "2025-06-01",
        ],
    );
    assert_eq!(zh.status.code(), Some(1), "{}", text(&zh));
    let t = text(&zh);
    assert!(t.contains("与2名党员相符"), "{t}");
    let said = t.trim_start().trim_start_matches("dangjian:");
    assert!(!said.chars().any(|c| c.is_ascii_alphabetic()), "{t}");

    // By id it goes through.
    let id = s.wang_b.to_string();
    let out = dangjian(
        p,
        &[
            "points",
            "add",
            "--member",
            &id,
            "--rule",
            "ORGLIFE",
            "--date",
            "2025-06-01",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(ledger(p)[0].member, s.wang_b);
}

#[test]
fn report_ranking_as_csv_lists_members_by_points() {
    let s = setup(&os_login());
    let p = store_path(&s);
    for (member, count) in [("张三", "2"), ("李四", "3")] {
        let out = dangjian(
            p,
            &[
                "points",
                "add",
                "--member",
                member,
                "--rule",
                "ORGLIFE",
                "--count",
                count,
                "--date",
                "2025-03-31",
            ],
        );
        assert!(out.status.success(), "{}", text(&out));
    }
    let out = dangjian(
        p,
        &[
            "report", "ranking", "--period", "2025-Q1", "--format", "csv",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = rows.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "rank",
            "member",
            "name",
            "unit",
            "unit_name",
            "points",
            "balance"
        ]
    );
    let got: Vec<Vec<String>> = rows
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0][..3], ["1", &s.li.to_string(), "李四"]);
    assert_eq!(got[0][5], "6");
    assert_eq!(got[1][..3], ["2", &s.zhang.to_string(), "张三"]);
    assert_eq!(got[1][5], "4");
    // The next quarter has nothing.
    let out = dangjian(
        p,
        &[
            "report", "ranking", "--period", "2025-Q2", "--format", "csv",
        ],
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    let out = dangjian(p, &["report", "ranking", "--period", "2025-Q5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("Q1 to Q4"), "{}", text(&out));
}

#[test]
fn a_group_leaders_ranking_covers_only_their_group() {
    // The store belongs to someone else; the OS user is a leader of group A1.
    let s = setup("founder");
    let p = store_path(&s);
    {
        let store = open(p);
        let admin = ops::actor_for_login(&store, "founder").unwrap();
        ops::apply(
            &store,
            &admin,
            &Cmd::AddUser {
                login: os_login(),
                display_name: String::new(),
                role: Role::GroupLeader,
                scope: Some(s.group_a1),
            },
        )
        .unwrap();
        let orglife = dangjian::ops::query::rule_by_code(&store, "ORGLIFE")
            .unwrap()
            .unwrap();
        for m in [s.zhang, s.li, s.wang_a] {
            ops::apply(
                &store,
                &admin,
                &Cmd::RecordPoints {
                    member: m,
                    date: date(2025, 5, 5),
                    rule: orglife.id,
                    quantity_centi: 100,
                    points_override: None,
                    note: String::new(),
                },
            )
            .unwrap();
        }
    }
    let out = dangjian(
        p,
        &["report", "ranking", "--period", "2025", "--format", "json"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<u64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["member"].as_u64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, vec![s.zhang.0, s.wang_a.0], "李四 is in another group");
    let out = dangjian(p, &["report", "balances", "--org", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("not found: org unit 1"),
        "{}",
        text(&out)
    );
}

#[test]
fn export_ledger_writes_a_journal_that_balances() {
    let s = setup(&os_login());
    let p = store_path(&s);
    let out = dangjian(
        p,
        &[
            "points",
            "add",
            "--member",
            "张三",
            "--rule",
            "STUDY",
            "--hours",
            "1.25",
            "--date",
            "2025-01-02",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let journal = s.dir.path().join("out.journal");
    let out = dangjian(
        p,
        &[
            "export",
            "ledger",
            "--format",
            "journal",
            "-o",
            journal.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let t = std::fs::read_to_string(&journal).unwrap();
    // 0.5 a hour for 1.25 hours: 0.625, rounded half away from zero.
    assert!(t.contains(&format!("members:{}  0.63 pts", s.zhang)), "{t}");
    assert!(t.contains("community:points  -0.63 pts"), "{t}");
    let out = dangjian(
        p,
        &["report", "balances", "--period", "2025", "--format", "csv"],
    );
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        csv.contains(&format!("{},张三,0.63,0.63", s.zhang)),
        "{csv}"
    );
}
