//! Organisational life and movement through the real binary, on the demo
//! community: a meeting recorded and printed, held vs due, a transfer out and
//! its history, a flow register as a workbook, lost contact, a partner and
//! a committee elected; `check` clean after it all.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

fn dangjian(store: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap()
}

fn ok(store: &Path, args: &[&str]) -> String {
    let out = dangjian(store, args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{args:?}: {text}");
    text
}

/// The count a list ends with (`3 flows`, `1 out of contact`).
fn last_count(out: &str) -> usize {
    out.lines()
        .last()
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count at the end of {out}"))
}

#[test]
fn a_secretary_prepares_for_an_inspection_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    ok(&store, &["demo", "--members", "60", "--entries", "100"]);
    // A general meeting of the demo and two of its members, by id.
    let (meeting, a, b, branch) = {
        let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
        let act = s
            .scan::<dangjian::domain::Activity>()
            .map(Result::unwrap)
            .find(|a| a.data.kind == dangjian::domain::ActivityKind::BranchGeneralMeeting)
            .unwrap();
        let members: Vec<_> = dangjian::ops::query::members_in_subtree(&s, act.data.host)
            .unwrap()
            .into_iter()
            .filter(|m| m.data.status == dangjian::domain::MemberStatus::Active)
            .collect();
        (act.id.0, members[0].id.0, members[1].id.0, act.data.host.0)
    };
    let (meeting, a, b, branch) = (
        meeting.to_string(),
        a.to_string(),
        b.to_string(),
        branch.to_string(),
    );
    let minutes = dir.path().join("minutes.txt");
    std::fs::write(&minutes, "一、学习党章\r\n二、讨论加装电梯\n").unwrap();
    ok(
        &store,
        &[
            "meetings",
            "record",
            &meeting,
            "--presenter",
            &a,
            "--recorder",
            &b,
            "--topic",
            "楼道照明改造",
            "--minutes-file",
            minutes.to_str().unwrap(),
            "--resolution",
            "同意加装=12/1/2",
        ],
    );
    let shown = ok(&store, &["--lang", "zh-CN", "meetings", "show", &meeting]);
    assert!(shown.contains("议题\n  1. 楼道照明改造"), "{shown}");
    assert!(
        shown.contains("  一、学习党章\n  二、讨论加装电梯"),
        "{shown}"
    );
    assert!(
        shown.contains("赞成 12 · 反对 1 · 弃权 2 — 通过"),
        "{shown}"
    );
    let xlsx = dir.path().join("minutes.xlsx");
    ok(
        &store,
        &[
            "meetings",
            "show",
            &meeting,
            "--format",
            "xlsx",
            "-o",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    assert!(ok(&store, &["meetings", "search", "照明"]).contains("1 meetings"));
    // The demo keeps minutes of its general meetings too.
    let demo = ok(&store, &["meetings", "search", "电梯"]);
    assert!(last_count(&demo) >= 2, "{demo}");
    // A bad resolution says how to write it.
    let out = dangjian(
        &store,
        &["meetings", "record", &meeting, "--resolution", "通过"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TEXT=FOR/AGAINST/ABSTAIN"));

    let report = ok(
        &store,
        &["report", "orglife", "--period", "2026", "--format", "json"],
    );
    let r: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert!(!r["rows"].as_array().unwrap().is_empty());
    let table = ok(&store, &["report", "orglife", "--org", &branch]);
    assert!(table.contains("branch general meeting"), "{table}");
    // The demo's first branch has a committee whose term ends in two months.
    assert!(table.contains("committee term due: "), "{table}");
    assert!(table.contains("flowed out "), "{table}");

    ok(
        &store,
        &[
            "transfer",
            "out",
            &b,
            "--to",
            "朝阳区某街道党工委",
            "--letter",
            "118",
            "--date",
            "2026-11-03",
        ],
    );
    let history = ok(&store, &["transfer", "history", &b]);
    assert!(history.contains("transferred out"), "{history}");
    assert!(history.contains("朝阳区某街道党工委"), "{history}");

    let flows_before = last_count(&ok(&store, &["flows", "list"]));
    let lost_before = last_count(&ok(&store, &["lost", "list"]));
    ok(
        &store,
        &[
            "flows",
            "out",
            &a,
            "--place",
            "深圳",
            "--party-org",
            "南山区流动党员党支部",
        ],
    );
    let register = dir.path().join("flows.xlsx");
    ok(
        &store,
        &["flows", "export", "-o", register.to_str().unwrap()],
    );
    assert!(std::fs::metadata(&register).unwrap().len() > 1000);
    // Imported again unchanged, it changes nothing.
    let again = ok(&store, &["flows", "import", register.to_str().unwrap()]);
    assert!(again.contains("0 new · 0 changed · "), "{again}");
    let flows = ok(&store, &["flows", "list"]);
    assert_eq!(last_count(&flows), flows_before + 1, "{flows}");
    assert!(flows.contains("深圳"), "{flows}");

    ok(&store, &["lost", "mark", &a, "--since", "2026-10-05"]);
    ok(&store, &["lost", "attempt", &a, "--note", "电话停机"]);
    let lost = ok(&store, &["lost", "list"]);
    assert_eq!(last_count(&lost), lost_before + 1, "{lost}");
    assert!(lost.contains("2026-10-05  1 attempts"), "{lost}");
    ok(&store, &["lost", "found", &a]);
    assert_eq!(last_count(&ok(&store, &["lost", "list"])), lost_before);

    let added = ok(
        &store,
        &[
            "partners",
            "add",
            "快递小哥联合党支部",
            "--kind",
            "two-new",
            "--agreed",
            "2025-01-01",
        ],
    );
    let partner = added.split(':').next().unwrap().trim().to_string();
    ok(&store, &["meetings", "partners", &meeting, &partner]);
    ok(&store, &["partners", "close", &partner]);
    assert!(!ok(&store, &["partners", "list"]).contains("快递小哥"));
    assert!(ok(&store, &["partners", "list", "--all"]).contains("快递小哥"));

    let seat = format!("{a}=secretary");
    let vote = format!("{a}=18*");
    ok(
        &store,
        &[
            "committee",
            "elect",
            &branch,
            "--date",
            "2024-06-01",
            "--seat",
            &seat,
            "--eligible",
            "20",
            "--cast",
            "19",
            "--candidate",
            &vote,
        ],
    );
    let committee = ok(&store, &["committee", "show", &branch]);
    assert!(committee.contains("current"), "{committee}");
    assert!(committee.contains("ballots cast 19"), "{committee}");

    let monthly = dir.path().join("monthly.xlsx");
    ok(
        &store,
        &[
            "report",
            "monthly",
            "--period",
            "2026-11",
            "-o",
            monthly.to_str().unwrap(),
        ],
    );
    assert!(ok(&store, &["check"]).contains("clean"));
}
