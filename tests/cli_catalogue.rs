//! `rules add|set` and `rewards list|add|set|redeem` through the real binary.

mod common;
use common::dangjian;

use std::process::Output;

fn ok(o: &Output) -> String {
    let t = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{t}");
    t
}

#[test]
fn rules_are_added_changed_and_retired_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    ok(&dangjian(
        &store,
        &[
            "rules",
            "add",
            "clean",
            "--name-zh",
            "清洁家园",
            "--basis",
            "hour",
            "--points",
            "1.5",
            "--cap",
            "month:6",
        ],
    ));
    let rules = ok(&dangjian(&store, &["points", "rules", "--format", "json"]));
    assert!(
        rules.contains("CLEAN") && rules.contains("清洁家园"),
        "{rules}"
    );
    ok(&dangjian(
        &store,
        &["rules", "set", "CLEAN", "--points", "2", "--no-cap"],
    ));
    let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
    let rule = dangjian::ops::query::rule_by_code(&s, "CLEAN")
        .unwrap()
        .unwrap();
    assert_eq!(rule.points, dangjian::domain::Points::whole(2));
    assert_eq!(rule.cap, None);
    drop(s);
    ok(&dangjian(&store, &["rules", "set", "CLEAN", "--retire"]));
    let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
    let rule = dangjian::ops::query::rule_by_code(&s, "CLEAN")
        .unwrap()
        .unwrap();
    assert!(!rule.active, "retired, still there");
    drop(s);
    let bad = dangjian(
        &store,
        &[
            "rules",
            "add",
            "X",
            "--name-zh",
            "x",
            "--basis",
            "time",
            "--points",
            "1",
            "--cap",
            "week:3",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn rewards_catalogue_and_redemption_never_below_zero() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    ok(&dangjian(
        &store,
        &["demo", "--members", "30", "--entries", "200"],
    ));
    ok(&dangjian(
        &store,
        &["rewards", "add", "雨伞", "--cost", "8", "--stock", "1"],
    ));
    let list = ok(&dangjian(&store, &["rewards", "list", "--format", "json"]));
    let items: serde_json::Value = serde_json::from_str(list.trim()).unwrap();
    let umbrella = items
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "雨伞")
        .unwrap();
    let id = umbrella["id"].as_u64().unwrap().to_string();
    // A member with enough points, and one with none.
    let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
    let balances = dangjian::ops::query::all_balances(&s).unwrap();
    let rich = balances
        .iter()
        .find(|(_, p)| p.0 >= 800)
        .map(|(m, _)| *m)
        .unwrap();
    let members: Vec<dangjian::domain::Member> = s.scan().map(|m| m.unwrap()).collect();
    let poor = members
        .iter()
        .find(|m| {
            m.data.status == dangjian::domain::MemberStatus::Active && !balances.contains_key(&m.id)
        })
        .map(|m| m.id);
    drop(s);
    if let Some(poor) = poor {
        let out = dangjian(
            &store,
            &[
                "rewards",
                "redeem",
                "--member",
                &poor.0.to_string(),
                "--reward",
                &id,
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("has 0 points"));
    }
    ok(&dangjian(
        &store,
        &[
            "rewards",
            "redeem",
            "--member",
            &rich.0.to_string(),
            "--reward",
            &id,
        ],
    ));
    let out = dangjian(
        &store,
        &[
            "rewards",
            "redeem",
            "--member",
            &rich.0.to_string(),
            "--reward",
            &id,
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("out of stock"));
    ok(&dangjian(
        &store,
        &["rewards", "set", &id, "--stock", "5", "--cost", "9"],
    ));
    let list = ok(&dangjian(&store, &["rewards", "list"]));
    assert!(list.contains("雨伞") && list.contains("9 pts"), "{list}");
    ok(&dangjian(&store, &["check"]));
}

#[test]
fn the_cli_says_refusals_in_chinese_under_zh_cn() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    ok(&dangjian(
        &store,
        &["rewards", "add", "雨伞", "--cost", "8"],
    ));
    let out = dangjian(
        &store,
        &["--lang", "zh-CN", "rewards", "add", "免费", "--cost", "0"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("奖品所需积分必须大于 0"), "{err}");
}
