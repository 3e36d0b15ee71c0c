//! Records of organisational life through the command seam and the access
//! layer: a meeting's minutes and votes round trip and print, a committee's
//! terms across an election (the unit's secretary following), and the posts
//! catalogue members hold. Held against due is in tests/orglife.rs.

mod common;

use chrono::NaiveDate;
use common::{Fixture, assert_refused, date};
use dangjian::access::{MinutesQ, PostHoldersQ, Query, SearchMinutesQ, TermsQ, View};
use dangjian::domain::*;
use dangjian::ops::{Actor, Command};
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

#[test]
fn a_meeting_with_minutes_and_votes_round_trips_and_prints() {
    let f = Fixture::new();
    let zhang = f.member("张主持", f.group_a1);
    let li = f.member("李记录", f.group_a1);
    let wang = f.member("王党员", f.group_a2);
    let act = meeting(
        &f,
        ActivityKind::BranchGeneralMeeting,
        f.branch_a,
        f.branch_a,
        date(2025, 6, 20),
    );
    f.admin_apply(Command::CheckIn {
        activity: act,
        member: wang,
    })
    .unwrap();
    let record = MeetingRecord {
        presenter: Some(zhang),
        recorder: Some(li),
        topics: vec!["学习党章".into(), "讨论加装电梯".into()],
        minutes: "一、学习党章第三章。\r\n二、讨论3号楼加装电梯，\n\t大家同意先征求住户意见。\n"
            .into(),
        resolutions: vec![
            Resolution {
                text: "同意3号楼加装电梯方案".into(),
                votes_for: 18,
                against: 2,
                abstain: 1,
            },
            Resolution {
                text: "增设停车位".into(),
                votes_for: 5,
                against: 10,
                abstain: 6,
            },
        ],
    };
    let a = f
        .admin_apply(Command::SetMeetingRecord {
            activity: act,
            record: Some(record.clone()),
        })
        .unwrap();
    assert_eq!(
        a.inverse,
        Some(Command::SetMeetingRecord {
            activity: act,
            record: None
        })
    );
    let m = ask(&f, &f.admin, MinutesQ(act)).unwrap();
    assert_eq!(m.record.topics, record.topics);
    assert_eq!(m.record.resolutions, record.resolutions);
    assert_eq!(
        m.record.minutes,
        "一、学习党章第三章。\n二、讨论3号楼加装电梯，\n    大家同意先征求住户意见。"
    );
    assert_eq!(
        (m.presenter.as_str(), m.recorder.as_str()),
        ("张主持", "李记录")
    );
    assert_eq!(m.present, vec!["王党员".to_string()]);
    let text = dangjian::io::orglife::minutes_text(&m, true);
    assert!(text.contains("主持人：张主持"), "{text}");
    assert!(
        text.contains("  二、讨论3号楼加装电梯，\n      大家同意先征求住户意见。"),
        "{text}"
    );
    assert!(text.contains("赞成 18 · 反对 2 · 弃权 1 — 通过"), "{text}");
    assert!(
        text.contains("赞成 5 · 反对 10 · 弃权 6 — 未通过"),
        "{text}"
    );
    let table = dangjian::io::orglife::minutes_table(&m, false);
    assert!(dangjian::io::xlsx::xlsx_book(&[table]).unwrap().len() > 1000);

    // Found by topic; others' meetings out of sight are not.
    let found = ask(&f, &f.admin, SearchMinutesQ("电梯".into()));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0.id, act);
    let other = f.user("zhao", Role::BranchSecretary, Some(f.branch_b));
    assert!(ask(&f, &other, SearchMinutesQ("电梯".into())).is_empty());
    let view = View::new(&f.store, &other).unwrap();
    assert!(MinutesQ(act).answer(&view).is_err());

    // A control character other than a line end is refused, and nothing changes.
    let mut bad = record.clone();
    bad.minutes = "ok\n\u{1b}[2Jcleared".into();
    assert_refused(
        f.admin_apply(Command::SetMeetingRecord {
            activity: act,
            record: Some(bad),
        }),
        "minutes",
    );
    assert_eq!(
        ask(&f, &f.admin, MinutesQ(act))
            .unwrap()
            .record
            .resolutions
            .len(),
        2
    );
    // A volunteer day keeps no minutes.
    let volunteer = meeting(
        &f,
        ActivityKind::VolunteerService,
        f.branch_a,
        f.branch_a,
        date(2025, 6, 21),
    );
    assert_refused(
        f.admin_apply(Command::SetMeetingRecord {
            activity: volunteer,
            record: Some(record),
        }),
        "not a meeting",
    );
    // Undone, the meeting has no record again.
    f.admin_apply(a.inverse.unwrap()).unwrap();
    assert!(ask(&f, &f.admin, MinutesQ(act)).is_none());
    f.assert_check_clean();
}

#[test]
fn a_terms_history_across_an_election_and_the_secretary_follows() {
    let f = Fixture::new();
    let m1 = f.member("陈书记", f.group_a1);
    let m2 = f.member("刘委员", f.group_a1);
    let m3 = f.member("周委员", f.group_a2);
    let m4 = f.member("吴落选", f.group_a2);
    let first = f
        .admin_apply(Command::RecordTerm {
            data: TermData {
                unit: f.branch_a,
                started: date(2020, 1, 10),
                years: 3,
                seats: vec![
                    Seat {
                        member: m1,
                        post: CommitteePost::Secretary,
                    },
                    Seat {
                        member: m2,
                        post: CommitteePost::Organisation,
                    },
                ],
                election: None,
                notes: String::new(),
            },
        })
        .unwrap();
    let leader = |f: &Fixture| {
        f.store
            .get_id::<OrgUnit>(f.branch_a.0)
            .unwrap()
            .unwrap()
            .leader
    };
    assert_eq!(leader(&f), Some(m1));

    let election = Election {
        date: date(2023, 1, 8),
        eligible: 45,
        cast: 43,
        candidates: vec![
            Candidate {
                member: m2,
                votes: 41,
                elected: true,
            },
            Candidate {
                member: m3,
                votes: 39,
                elected: true,
            },
            Candidate {
                member: m4,
                votes: 12,
                elected: false,
            },
        ],
    };
    let term = |seats: Vec<Seat>, election: Election| TermData {
        unit: f.branch_a,
        started: date(2023, 1, 8),
        years: 3,
        seats,
        election: Some(election),
        notes: "第五届".into(),
    };
    let seats = vec![
        Seat {
            member: m2,
            post: CommitteePost::Secretary,
        },
        Seat {
            member: m3,
            post: CommitteePost::Propaganda,
        },
    ];
    // A seat for someone not elected, more ballots than voters: refused.
    let mut unelected = seats.clone();
    unelected.push(Seat {
        member: m4,
        post: CommitteePost::Discipline,
    });
    assert_refused(
        f.admin_apply(Command::RecordTerm {
            data: term(unelected, election.clone()),
        }),
        "not elected",
    );
    assert_refused(
        f.admin_apply(Command::RecordTerm {
            data: term(
                seats.clone(),
                Election {
                    cast: 46,
                    ..election.clone()
                },
            ),
        }),
        "ballots cast",
    );
    let second = f
        .admin_apply(Command::RecordTerm {
            data: term(seats.clone(), election.clone()),
        })
        .unwrap();
    // A committee older than the current one is refused.
    assert_refused(
        f.admin_apply(Command::RecordTerm {
            data: TermData {
                started: date(2022, 1, 1),
                ..term(seats.clone(), election.clone())
            },
        }),
        "must begin later",
    );

    let history = ask(&f, &f.admin, TermsQ(f.branch_a));
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].id.0, first.created.unwrap());
    assert_eq!(history[0].ended, Some(date(2023, 1, 8)));
    assert_eq!(history[0].secretary(), Some(m1));
    assert_eq!(history[1].ended, None);
    assert_eq!(history[1].data.election.as_ref().unwrap().cast, 43);
    assert_eq!(history[1].due(), date(2026, 1, 8));
    assert_eq!(leader(&f), Some(m2));
    f.assert_check_clean();

    // The reminder: within 90 days of 2026-01-08, and not before.
    let figure = |today| {
        dangjian::report::overview::overview(
            &f.store,
            dangjian::report::points::Scope::Community,
            &Period::parse("2025").unwrap(),
            today,
        )
        .unwrap()
        .orglife
        .terms_due
    };
    assert!(figure(date(2025, 9, 1)).is_empty());
    let due = figure(date(2025, 11, 1));
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].0.id, due[0].1), (f.branch_a, date(2026, 1, 8)));

    // Undone, the first committee is current again with its secretary.
    f.admin_apply(second.inverse.unwrap()).unwrap();
    let history = ask(&f, &f.admin, TermsQ(f.branch_a));
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].ended, None);
    assert_eq!(leader(&f), Some(m1));
    f.assert_check_clean();
    // Groups have no committee.
    assert_refused(
        f.admin_apply(Command::RecordTerm {
            data: TermData {
                unit: f.group_a1,
                ..term(seats, election)
            },
        }),
        "group",
    );
}

#[test]
fn posts_are_a_catalogue_members_hold_and_the_roster_filters_by() {
    let f = Fixture::new();
    let a = f.member("楼栋长甲", f.group_a1);
    let b = f.member("普通党员", f.group_a1);
    let c = f.member("另一支部", f.group_b1);
    let post = f
        .admin_apply(Command::CreatePost {
            data: PostData {
                name: "政策宣传岗".into(),
                responsibilities: "宣传政策，收集意见".into(),
                active: true,
            },
        })
        .unwrap();
    let id = PostId(post.created.unwrap());
    for m in [a, c] {
        f.admin_apply(Command::AssignPost {
            member: m,
            post: id,
            assigned: true,
        })
        .unwrap();
    }
    assert_refused(
        f.admin_apply(Command::AssignPost {
            member: a,
            post: id,
            assigned: true,
        }),
        "already holds",
    );
    let holders = |actor: &Actor, org| {
        ask(
            &f,
            actor,
            PostHoldersQ {
                post: "政策宣传岗".into(),
                org,
            },
        )
        .into_iter()
        .map(|m| m.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(holders(&f.admin, None), vec![a, c]);
    let secretary = f.user("wang", Role::BranchSecretary, Some(f.branch_a));
    assert_eq!(holders(&secretary, None), vec![a], "within sight only");
    assert!(!holders(&f.admin, Some(f.branch_a)).contains(&b));
    // A post keeps its name; a retired one takes no one new.
    assert_refused(
        f.admin_apply(Command::UpdatePost {
            id,
            data: PostData {
                name: "改名".into(),
                responsibilities: String::new(),
                active: true,
            },
        }),
        "keeps its name",
    );
    f.admin_apply(Command::UpdatePost {
        id,
        data: PostData {
            name: "政策宣传岗".into(),
            responsibilities: String::new(),
            active: false,
        },
    })
    .unwrap();
    assert_refused(
        f.admin_apply(Command::AssignPost {
            member: b,
            post: id,
            assigned: true,
        }),
        "retired",
    );
    let undo = f
        .admin_apply(Command::AssignPost {
            member: c,
            post: id,
            assigned: false,
        })
        .unwrap();
    assert_eq!(holders(&f.admin, None), vec![a]);
    f.admin_apply(undo.inverse.unwrap()).unwrap_err();
    f.assert_check_clean();
}
