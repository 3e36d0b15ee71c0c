//! 三会一课 held against due through the command seam and the access layer:
//! known answers over a hand-built year, for a month, a quarter still
//! running, the overview and the monthly report; frequencies set and undone.
//! Meeting records, committees and posts are in tests/orglife_records.rs,
//! members who move in tests/movement.rs.

mod common;

use chrono::NaiveDate;
use common::{Fixture, assert_refused, date};
use dangjian::access::{FrequenciesQ, OrgLifeQ, Query, View};
use dangjian::domain::*;
use dangjian::ops::{Actor, Command};
use dangjian::report::orglife::{DueRow, OrgLifeReport};
use dangjian::report::period::Period;

fn ask<Q: Query>(f: &Fixture, actor: &Actor, q: Q) -> Q::Answer {
    let view = View::new(&f.store, actor).unwrap();
    q.answer(&view).unwrap()
}

fn meeting(
    f: &Fixture,
    kind: ActivityKind,
    host: OrgUnitId,
    invitees: OrgUnitId,
    day: NaiveDate,
) -> ActivityId {
    let a = f
        .admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind,
                title: format!("{} {day}", kind.label(Lang::Zh)),
                host,
                starts: day.and_hms_opt(19, 0, 0).unwrap(),
                place: "党群服务中心".into(),
                rule: None,
                invitees,
                notes: String::new(),
            },
        })
        .unwrap();
    ActivityId(a.created.unwrap())
}

fn row(r: &OrgLifeReport, unit: OrgUnitId, kind: ActivityKind) -> &DueRow {
    r.rows
        .iter()
        .find(|x| x.unit == unit && x.kind == kind)
        .unwrap_or_else(|| panic!("no row for unit {unit} {kind:?}: {r:#?}"))
}

fn numbers(r: &DueRow) -> (u32, u32, u32, Vec<&str>) {
    (
        r.due,
        r.held,
        r.met,
        r.missed.iter().map(String::as_str).collect(),
    )
}

/// The year 2025 built by hand, its answers counted by hand.
fn hand_built_year(f: &Fixture) {
    use ActivityKind::*;
    // Branch A's committee: January to October, twice in March.
    for m in 1..=10 {
        meeting(
            f,
            BranchCommitteeMeeting,
            f.branch_a,
            f.branch_a,
            date(2025, m, 12),
        );
    }
    meeting(
        f,
        BranchCommitteeMeeting,
        f.branch_a,
        f.branch_a,
        date(2025, 3, 26),
    );
    // Its general meetings in Q1 and Q3 only.
    meeting(
        f,
        BranchGeneralMeeting,
        f.branch_a,
        f.branch_a,
        date(2025, 2, 20),
    );
    meeting(
        f,
        BranchGeneralMeeting,
        f.branch_a,
        f.branch_a,
        date(2025, 8, 20),
    );
    // A joint party lecture by the committee each quarter: counts for both branches.
    for m in [3, 6, 9, 12] {
        meeting(f, PartyLecture, f.committee, f.committee, date(2025, m, 5));
    }
    // Theme party days: quarterly for everyone, not required of branch A.
    f.admin_apply(Command::SetFrequency {
        unit: None,
        kind: ThemePartyDay,
        required: Required::Every(Every::Quarter),
    })
    .unwrap();
    f.admin_apply(Command::SetFrequency {
        unit: Some(f.branch_a),
        kind: ThemePartyDay,
        required: Required::Never,
    })
    .unwrap();
    // Group meetings: group A1 every month, A2 quarterly by its own setting
    // and held once, B1 never.
    for m in 1..=12 {
        meeting(f, GroupMeeting, f.group_a1, f.group_a1, date(2025, m, 28));
    }
    f.admin_apply(Command::SetFrequency {
        unit: Some(f.group_a2),
        kind: GroupMeeting,
        required: Required::Every(Every::Quarter),
    })
    .unwrap();
    meeting(f, GroupMeeting, f.group_a2, f.group_a2, date(2025, 2, 14));
    // A volunteer day is no meeting and counts nowhere.
    meeting(
        f,
        VolunteerService,
        f.branch_b,
        f.branch_b,
        date(2025, 4, 1),
    );
}

#[test]
fn held_against_due_over_a_hand_built_year_gives_the_known_answers() {
    use ActivityKind::*;
    let f = Fixture::new();
    hand_built_year(&f);
    let year = ask(
        &f,
        &f.admin,
        OrgLifeQ {
            org: None,
            period: Period::parse("2025").unwrap(),
            today: date(2026, 1, 15),
        },
    );
    let months = |from: u32| {
        (from..=12)
            .map(|m| format!("2025-{m:02}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        numbers(row(&year, f.branch_a, BranchCommitteeMeeting)),
        (12, 11, 10, vec!["2025-11", "2025-12"])
    );
    assert_eq!(
        numbers(row(&year, f.branch_a, BranchGeneralMeeting)),
        (4, 2, 2, vec!["2025-Q2", "2025-Q4"])
    );
    assert_eq!(
        numbers(row(&year, f.branch_a, PartyLecture)),
        (4, 4, 4, vec![])
    );
    assert_eq!(
        numbers(row(&year, f.branch_b, PartyLecture)),
        (4, 4, 4, vec![])
    );
    assert_eq!(
        numbers(row(&year, f.branch_a, ThemePartyDay)),
        (0, 0, 0, vec![])
    );
    assert_eq!(
        numbers(row(&year, f.branch_b, ThemePartyDay)),
        (4, 0, 0, vec!["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
    );
    let b_committee = months(1);
    assert_eq!(
        numbers(row(&year, f.branch_b, BranchCommitteeMeeting)),
        (12, 0, 0, b_committee.iter().map(String::as_str).collect())
    );
    assert_eq!(
        numbers(row(&year, f.group_a1, GroupMeeting)),
        (12, 12, 12, vec![])
    );
    assert_eq!(
        numbers(row(&year, f.group_a2, GroupMeeting)),
        (4, 1, 1, vec!["2025-Q2", "2025-Q3", "2025-Q4"])
    );
    assert_eq!(row(&year, f.group_b1, GroupMeeting).missed.len(), 12);
    // Groups hold group meetings only; branches everything else.
    assert!(
        !year
            .rows
            .iter()
            .any(|r| r.unit == f.group_a1 && r.kind != GroupMeeting)
    );
    assert!(
        !year
            .rows
            .iter()
            .any(|r| r.unit == f.branch_a && r.kind == GroupMeeting)
    );
    assert_eq!(
        numbers(row(&year, f.branch_b, BranchGeneralMeeting))
            .3
            .len(),
        4
    );
    // Branch A: committee 2 + general 2; branch B: committee 12 + general 4
    // + theme days 4; groups: A2 3 + B1 12.
    assert_eq!(year.missed(), (2 + 2) + (12 + 4 + 4) + (3 + 12));

    // March: one monthly window and the quarter's, twice held.
    let march = ask(
        &f,
        &f.admin,
        OrgLifeQ {
            org: Some(f.branch_a),
            period: Period::parse("2025-03").unwrap(),
            today: date(2026, 1, 15),
        },
    );
    assert_eq!(
        numbers(row(&march, f.branch_a, BranchCommitteeMeeting)),
        (1, 2, 1, vec![])
    );
    assert_eq!(
        numbers(row(&march, f.branch_a, BranchGeneralMeeting)),
        (1, 0, 1, vec![])
    );
    assert!(
        march.rows.iter().all(|r| r.unit != f.branch_b),
        "the subtree only"
    );

    // Seen in mid-November, the fourth quarter is not over: only October's
    // window has passed, and it was met; nothing missed yet.
    let q4 = ask(
        &f,
        &f.admin,
        OrgLifeQ {
            org: Some(f.branch_a),
            period: Period::parse("2025-Q4").unwrap(),
            today: date(2025, 11, 15),
        },
    );
    assert_eq!(
        numbers(row(&q4, f.branch_a, BranchCommitteeMeeting)),
        (3, 1, 1, vec![])
    );

    // The overview's figure agrees with the report.
    let o = dangjian::report::overview::overview(
        &f.store,
        dangjian::report::points::Scope::Community,
        &Period::parse("2025").unwrap(),
        date(2026, 1, 15),
    )
    .unwrap();
    assert_eq!(o.orglife.missed.len(), year.missed());
    assert_eq!(o.orglife.due, year.rows.iter().map(|r| r.due).sum::<u32>());
    assert!(
        o.orglife
            .missed
            .iter()
            .any(|(u, k, w)| u.id == f.branch_b && *k == ThemePartyDay && w == "2025-Q3")
    );
    // And so does the monthly report's sheet.
    let m = dangjian::io::monthly::gather(
        &f.store,
        &f.admin,
        dangjian::report::points::Scope::Community,
        &Period::parse("2025-03").unwrap(),
        Some(20),
        date(2026, 1, 15),
    )
    .unwrap();
    let sheets = dangjian::io::monthly::sheets(&m, true);
    let due = sheets.iter().find(|s| s.table.name == "三会一课").unwrap();
    assert!(due.title.contains("三会一课"));
    assert_eq!(due.table.rows.len(), m.orglife.due.rows.len());
    f.assert_check_clean();
}

#[test]
fn frequencies_are_set_by_admins_only_and_undone() {
    let f = Fixture::new();
    let secretary = f.user("wang", Role::BranchSecretary, Some(f.branch_a));
    assert_refused(
        f.apply_as(
            &secretary,
            Command::SetFrequency {
                unit: Some(f.branch_a),
                kind: ActivityKind::PartyLecture,
                required: Required::Every(Every::Month),
            },
        ),
        "admin",
    );
    // A group does not hold a branch's meetings, and study is not one of them.
    assert_refused(
        f.admin_apply(Command::SetFrequency {
            unit: Some(f.group_a1),
            kind: ActivityKind::PartyLecture,
            required: Required::Every(Every::Month),
        }),
        "held by",
    );
    assert_refused(
        f.admin_apply(Command::SetFrequency {
            unit: None,
            kind: ActivityKind::Study,
            required: Required::Every(Every::Month),
        }),
        "not one of",
    );
    let a = f
        .admin_apply(Command::SetFrequency {
            unit: Some(f.branch_a),
            kind: ActivityKind::PartyLecture,
            required: Required::Every(Every::Month),
        })
        .unwrap();
    let shown = ask(&f, &f.admin, FrequenciesQ(Some(f.branch_a)));
    let lecture = shown
        .iter()
        .find(|(k, _, _)| *k == ActivityKind::PartyLecture)
        .unwrap();
    assert_eq!(lecture.1, Required::Every(Every::Month));
    assert_eq!(lecture.2, Some(Every::Month));
    f.admin_apply(a.inverse.unwrap()).unwrap();
    let shown = ask(&f, &f.admin, FrequenciesQ(Some(f.branch_a)));
    let lecture = shown
        .iter()
        .find(|(k, _, _)| *k == ActivityKind::PartyLecture)
        .unwrap();
    assert_eq!(
        (lecture.1, lecture.2),
        (Required::Inherit, Some(Every::Quarter))
    );
}
