//! Day one from the command line: an empty store, the committee made with
//! `org add`, the office's own .xls roster (no 所属党委 column) imported under
//! it, then the tree set up: leaders, buildings, a rename, a move, a close.

mod common;
use common::dangjian;

use std::path::{Path, PathBuf};

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

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The id `org add` printed first on its line.
fn created(line: &str) -> String {
    line.split(':').next().unwrap().trim().to_string()
}

#[test]
fn an_empty_store_gets_its_committee_then_its_roster_then_its_tree() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ok(&store, &["report", "summary"]);
    assert!(ok(&store, &["org", "list"]).contains("no org units yet"));
    // A branch before the committee is refused, and says what is needed.
    let out = dangjian(&store, &["org", "add", "第一党支部", "--level", "branch"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --parent"));

    let committee = created(&ok(
        &store,
        &[
            "org",
            "add",
            "和平里社区党委",
            "--level",
            "committee",
            "--established",
            "2015-07-01",
        ],
    ));
    // The office's roster as it is: no 所属党委 column, on its second sheet.
    let xls = fixture("roster_office.xls");
    let out = ok(
        &store,
        &[
            "import",
            "members",
            xls.to_str().unwrap(),
            "--sheet",
            "花名册",
            "--create-units",
            "--skip-invalid",
            "--report",
            dir.path().join("problems.csv").to_str().unwrap(),
        ],
    );
    assert!(out.contains("3 new"), "{out}");
    let tree = ok(&store, &["org", "list", "--format", "json"]);
    let units: serde_json::Value = serde_json::from_str(&tree).unwrap();
    let units = units.as_array().unwrap();
    assert_eq!(units[0]["name"], "和平里社区党委");
    assert_eq!(units[0]["id"].to_string(), committee);
    // Every branch the roster named sits under the committee made first.
    let branches: Vec<&serde_json::Value> = units
        .iter()
        .filter(|u| u["level"] == "party branch")
        .collect();
    assert!(!branches.is_empty(), "{tree}");
    assert!(
        branches
            .iter()
            .all(|b| b["parent"] == committee.parse::<u64>().unwrap())
    );
    let group = units
        .iter()
        .find(|u| u["level"] == "building party group")
        .unwrap();
    let group_id = group["id"].to_string();

    // The tree set up: a leader found by name, buildings, a rename.
    let members = ok(
        &store,
        &[
            "export",
            "members",
            "-o",
            dir.path().join("m.csv").to_str().unwrap(),
        ],
    );
    assert!(members.contains("wrote 3 rows"), "{members}");
    let roster = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    let someone = roster
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .to_string();
    ok(
        &store,
        &[
            "org",
            "set",
            &group_id,
            "--leader",
            &someone,
            "--buildings",
            "1,2号楼",
        ],
    );
    ok(&store, &["org", "rename", &group_id, "一号楼党小组"]);
    let shown = ok(&store, &["org", "list"]);
    assert!(shown.contains("一号楼党小组"), "{shown}");
    assert!(shown.contains(&format!("leader {someone}")), "{shown}");
    assert!(shown.contains("buildings 1,2号楼"), "{shown}");

    // A new empty group, moved under another branch, closed and reopened.
    let branch = branches.last().unwrap()["id"].to_string();
    let spare = created(&ok(
        &store,
        &[
            "org",
            "add",
            "备用小组",
            "--level",
            "group",
            "--parent",
            &branch,
        ],
    ));
    ok(
        &store,
        &[
            "org",
            "move",
            &spare,
            "--to",
            &branches[0]["id"].to_string(),
        ],
    );
    ok(&store, &["org", "close", &spare]);
    assert!(ok(&store, &["org", "list"]).contains("closed "));
    ok(&store, &["org", "reopen", &spare]);
    // Every change is in the audit log, with what changed.
    let audit = ok(&store, &["audit"]);
    for kind in [
        "CreateOrgUnit",
        "UpdateOrgUnit",
        "MoveOrgUnit",
        "CloseOrgUnit",
        "ReopenOrgUnit",
    ] {
        assert!(audit.contains(kind), "{kind}: {audit}");
    }
    assert!(
        audit.contains("name: 1号楼党小组 → 一号楼党小组") || audit.contains("→ 一号楼党小组"),
        "{audit}"
    );
}
