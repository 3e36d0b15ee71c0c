//! `activities list`, `checkin` and `report attendance` through the real binary.

mod common;
use common::dangjian;

use std::process::Output;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn list_check_in_refuse_a_duplicate_and_report_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = dangjian(&store, &["demo", "--members", "80", "--entries", "600"]);
    assert!(out.status.success(), "{}", text(&out));

    let out = dangjian(&store, &["activities", "list", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &list.as_array().unwrap()[0];
    let activity = first["id"].as_u64().unwrap();

    // Someone invited who is not yet there, by id.
    let member = {
        let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
        let a = s
            .get_id::<dangjian::domain::Activity>(activity)
            .unwrap()
            .unwrap();
        let invited = dangjian::ops::query::members_in_subtree(&s, a.data.invitees).unwrap();
        invited
            .into_iter()
            .find(|m| {
                m.data.status == dangjian::domain::MemberStatus::Active
                    && s.attendance(a.id, m.id).unwrap().is_none()
            })
            .unwrap()
    };
    let id = member.id.0.to_string();
    let act = activity.to_string();
    let out = dangjian(&store, &["checkin", &act, &id]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("checked in"), "{}", text(&out));
    let out = dangjian(&store, &["checkin", &act, &id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("already checked in"), "{}", text(&out));

    let out = dangjian(&store, &["activities", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let again = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_u64() == Some(activity))
        .unwrap();
    assert_eq!(
        again["present"].as_u64().unwrap(),
        first["present"].as_u64().unwrap() + 1
    );

    // The report's present counts add up to the check-ins in the ledger of attendance.
    let out = dangjian(
        &store,
        &[
            "report",
            "attendance",
            "--period",
            "2000-01-01..2100-12-31",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let present: u64 = report["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["present"].as_u64().unwrap())
        .sum();
    let branch_present: u64 = report["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["present"].as_u64().unwrap())
        .sum();
    let s = dangjian::store::Store::open(&store, &Default::default()).unwrap();
    let check_ins = s
        .scan::<dangjian::domain::Attendance>()
        .filter(|a| {
            matches!(
                a.as_ref().unwrap().presence,
                dangjian::domain::Presence::Present { .. }
            )
        })
        .count() as u64;
    assert_eq!(present, check_ins);
    // Members directly under the committee have no branch; the demo has none.
    assert_eq!(branch_present, check_ins);
    drop(s);

    let out = dangjian(&store, &["report", "attendance", "--format", "csv"]);
    assert!(
        text(&out).starts_with("level,id,name,invited,present,rate"),
        "{}",
        text(&out)
    );
}
