//! Nothing can drive a terminal: text with control characters (ESC and an
//! OSC 52 clipboard write, C1, bidi overrides) is refused at every input that
//! takes text, and whatever such text a store already holds (written before
//! the rule, or by hand) is printed escaped by every CLI output.

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, OpsError};
use std::process::Command as Process;

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

/// An OSC 52 write to the clipboard, a screen clear, a C1 CSI and a
/// right-to-left override: each would act on a terminal that printed it.
const EVIL: [&str; 4] = [
    "\u{1b}]52;c;ZXZpbA==\u{7}",
    "\u{1b}[2J",
    "\u{9b}31m",
    "\u{202e}",
];

fn refused_for_controls(r: Result<dangjian::ops::Applied, OpsError>, what: &str) {
    match r {
        Err(e) => assert!(
            e.to_string().contains("control character"),
            "{what}: refused, but for {e}"
        ),
        Ok(_) => panic!("{what}: stored text with a control character"),
    }
}

#[test]
fn every_command_that_takes_text_refuses_control_characters() {
    let f = Fixture::new();
    let member = f.member("张三", f.group_a1);
    let benef = f.beneficiary("李奶奶", f.group_a1);
    let rule = f.rule("VOL").id;
    let before = f.store.dump().unwrap();
    for evil in EVIL {
        let text = format!("正常{evil}文字");
        let mut m = member_data(&text, f.group_a1);
        let mut cases: Vec<(&str, Command)> =
            vec![("member name", Command::CreateMember { data: m.clone() })];
        m.name = "王五".into();
        for field in ["notes", "home_unit", "building", "skills", "posts"] {
            let mut d = m.clone();
            match field {
                "notes" => d.notes = text.clone(),
                "home_unit" => d.home_unit = text.clone(),
                "building" => d.address.building = text.clone(),
                "skills" => d.skills = vec![text.clone()],
                _ => d.posts = vec![text.clone()],
            }
            cases.push((
                field,
                Command::UpdateMember {
                    id: member,
                    data: d,
                },
            ));
        }
        let mut b = beneficiary_data("赵六", f.group_a1);
        b.needs = text.clone();
        cases.push(("needs", Command::UpdateBeneficiary { id: benef, data: b }));
        cases.push((
            "points note",
            Command::RecordPoints {
                member,
                date: today(),
                rule,
                quantity_centi: 100,
                points_override: None,
                note: text.clone(),
            },
        ));
        cases.push((
            "override reason",
            Command::RecordPoints {
                member,
                date: today(),
                rule,
                quantity_centi: 100,
                points_override: Some((Points(300), text.clone())),
                note: String::new(),
            },
        ));
        cases.push((
            "unit name",
            Command::CreateOrgUnit {
                parent: Some(f.branch_a),
                level: OrgLevel::Group,
                name: text.clone(),
                buildings: vec![],
                established: None,
                notes: String::new(),
            },
        ));
        cases.push((
            "a group's buildings",
            Command::CreateOrgUnit {
                parent: Some(f.branch_a),
                level: OrgLevel::Group,
                name: "新小组".into(),
                buildings: vec![text.clone()],
                established: None,
                notes: String::new(),
            },
        ));
        cases.push((
            "activity title",
            Command::CreateActivity {
                data: ActivityData {
                    kind: ActivityKind::Study,
                    title: text.clone(),
                    host: f.committee,
                    starts: today().and_hms_opt(9, 0, 0).unwrap(),
                    place: String::new(),
                    rule: None,
                    invitees: f.committee,
                    notes: String::new(),
                },
            },
        ));
        cases.push((
            "task title",
            Command::CreateTask {
                kind: TaskKind::Visit,
                title: text.clone(),
                beneficiary: benef,
                assignee: member,
                due: today(),
            },
        ));
        cases.push((
            "reward name",
            Command::CreateReward {
                name: text.clone(),
                cost: Points(100),
                stock: None,
            },
        ));
        cases.push((
            "user's display name",
            Command::AddUser {
                login: "wang".into(),
                display_name: text.clone(),
                role: Role::Viewer,
                scope: None,
            },
        ));
        for (what, cmd) in cases {
            refused_for_controls(f.admin_apply(cmd), what);
        }
    }
    assert_eq!(f.store.dump().unwrap(), before);
}

/// Replaces `from` by `to` (the same length in bytes) in a stored value, as
/// a store written before the rule (or edited by hand) would hold it.
fn plant(store: &dangjian::store::Store, tree: &str, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    for (name, key, value) in store.dump().unwrap() {
        if name != tree {
            continue;
        }
        let Some(at) = value.windows(from.len()).position(|w| w == from.as_bytes()) else {
            continue;
        };
        let mut v = value.clone();
        v[at..at + from.len()].copy_from_slice(to.as_bytes());
        store.raw_put(tree, &key, &v).unwrap();
        return;
    }
    panic!("{from} not found in {tree}");
}

#[test]
fn every_cli_output_of_stored_text_escapes_control_characters() {
    let f = Fixture::new_as(&dangjian::identity::os_login().unwrap());
    let mut d = member_data("张三ABCDE", f.group_a1);
    d.notes = "备注VWXYZ".into();
    let member = MemberId(
        f.admin_apply(Command::CreateMember { data: d })
            .unwrap()
            .created
            .unwrap(),
    );
    f.admin_apply(Command::RecordPoints {
        member,
        date: today(),
        rule: f.rule("VOL").id,
        quantity_centi: 100,
        points_override: None,
        note: "记分KLMNO".into(),
    })
    .unwrap();
    // Five bytes each: ESC [ 2 J and a BEL.
    plant(&f.store, "members", "ABCDE", "\u{1b}[2J\u{7}");
    plant(&f.store, "ledger", "KLMNO", "\u{1b}]52\u{7}");
    plant(&f.store, "audit", "张三ABCDE", "张三\u{1b}[2J\u{7}");
    let Fixture { dir, store, .. } = f;
    drop(store);
    let run = |args: &[&str]| {
        let out = Process::new(BIN)
            .arg("--store")
            .arg(dir.path())
            .args(args)
            .env("LANG", "C")
            .output()
            .unwrap();
        [out.stdout, out.stderr].concat()
    };
    let id = member.0.to_string();
    for args in [
        &["points", "statement", id.as_str()][..],
        &["report", "ranking"],
        &["report", "ranking", "--format", "csv"],
        &["report", "balances"],
        &["report", "activation"],
        &["audit"],
        &["audit", "--format", "csv"],
        &["points", "statement", "张三\u{1b}[2J\u{7}"],
        &["checkin", "1", "\u{1b}]52;c;ZXZpbA==\u{7}"],
    ] {
        let out = run(args);
        assert!(
            !out.iter().any(|&b| b == 0x1b || b == 0x07),
            "{args:?} sent a control byte: {}",
            String::from_utf8_lossy(&out)
        );
    }
    let shown = String::from_utf8_lossy(&run(&["points", "statement", &id])).into_owned();
    assert!(shown.contains("张三\\u{1b}[2J\\u{7}"), "{shown}");
    assert!(shown.contains("\\u{1b}]52\\u{7}"), "{shown}");
}
