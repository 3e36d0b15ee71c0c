//! Members who move, through the command seam and the access layer: a
//! transfer out and back in keeping the member's ledger and history; flows
//! and lost contact in the overview and the monthly report's changes sheet;
//! partner organisations added, edited, closed and reopened, and an activity
//! held with one counted in the monthly report.

mod common;

use common::{Fixture, assert_refused, date, member_data};
use dangjian::access::{
    BalanceQ, ChangesQ, FlowsQ, JointQ, LostContactQ, MemberQ, MovementQ, Query, StatementQ, View,
};
use dangjian::domain::*;
use dangjian::ops::{Actor, Command};
use dangjian::report::period::Period;
use dangjian::report::points::Scope;

fn ask<Q: Query>(f: &Fixture, actor: &Actor, q: Q) -> Q::Answer {
    let view = View::new(&f.store, actor).unwrap();
    q.answer(&view).unwrap()
}

fn transfer(
    f: &Fixture,
    member: MemberId,
    direction: Direction,
    day: chrono::NaiveDate,
    to: &str,
) -> Result<dangjian::ops::Applied, dangjian::ops::OpsError> {
    f.admin_apply(Command::RecordTransfer {
        member,
        direction,
        data: TransferData {
            date: day,
            counterpart: to.into(),
            letter: "京组转字2025第118号".into(),
            reason: "工作调动".into(),
        },
    })
}

fn status(f: &Fixture, m: MemberId) -> MemberStatus {
    ask(f, &f.admin, MemberQ(m)).unwrap().data.status
}

#[test]
fn a_transfer_out_and_back_in_keeps_the_members_ledger_and_history() {
    let f = Fixture::new();
    let m = f.member("调动者", f.group_a1);
    for d in [date(2025, 3, 1), date(2025, 4, 1)] {
        f.admin_apply(Command::RecordPoints {
            member: m,
            date: d,
            rule: f.rule("VOL").id,
            quantity_centi: 200,
            points_override: None,
            note: String::new(),
        })
        .unwrap();
    }
    let balance = ask(&f, &f.admin, BalanceQ(m));
    let ledger = ask(&f, &f.admin, StatementQ(m));
    assert!(balance.0 > 0);

    let out = transfer(
        &f,
        m,
        Direction::Out,
        date(2025, 6, 30),
        "朝阳区某街道党工委",
    )
    .unwrap();
    assert_eq!(status(&f, m), MemberStatus::TransferredOut);
    assert_refused(
        transfer(&f, m, Direction::Out, date(2025, 7, 1), "别处"),
        "not an active member",
    );
    // Gone from the active roster's figures, never from the store.
    let o = dangjian::report::overview::overview(
        &f.store,
        Scope::Community,
        &Period::parse("2025").unwrap(),
        date(2025, 12, 1),
    )
    .unwrap();
    assert_eq!(o.activation.rows.last().unwrap().members, 0);
    let back = transfer(&f, m, Direction::In, date(2026, 2, 1), "朝阳区某街道党工委").unwrap();
    assert_eq!(status(&f, m), MemberStatus::Active);
    assert_eq!(ask(&f, &f.admin, BalanceQ(m)), balance);
    assert_eq!(ask(&f, &f.admin, StatementQ(m)), ledger);

    let history = ask(&f, &f.admin, MovementQ(m)).transfers;
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].direction, Direction::Out);
    assert_eq!(history[0].data.letter, "京组转字2025第118号");
    assert_eq!(history[0].status_before, MemberStatus::Active);
    assert_eq!(history[0].unit, f.group_a1);
    assert_eq!(history[1].direction, Direction::In);
    assert_eq!(history[1].status_before, MemberStatus::TransferredOut);
    f.assert_check_clean();

    // The transfer out cannot be taken back while the later one stands.
    let Some(Command::RemoveTransfer { id: out_id, .. }) = out.inverse.clone() else {
        panic!("no inverse: {out:?}")
    };
    assert_refused(
        f.admin_apply(Command::RemoveTransfer {
            member: m,
            id: out_id,
        }),
        "take back the later change first",
    );
    f.admin_apply(back.inverse.unwrap()).unwrap();
    assert_eq!(status(&f, m), MemberStatus::TransferredOut);
    f.admin_apply(out.inverse.unwrap()).unwrap();
    assert_eq!(status(&f, m), MemberStatus::Active);
    assert!(ask(&f, &f.admin, MovementQ(m)).transfers.is_empty());
    assert_eq!(ask(&f, &f.admin, BalanceQ(m)), balance);
    f.assert_check_clean();

    // A secretary of another branch neither sees nor moves this member.
    let other = f.user("zhao", Role::BranchSecretary, Some(f.branch_b));
    assert_refused(
        f.apply_as(
            &other,
            Command::RecordTransfer {
                member: m,
                direction: Direction::Out,
                data: TransferData {
                    date: date(2025, 6, 30),
                    counterpart: "x".into(),
                    letter: String::new(),
                    reason: String::new(),
                },
            },
        ),
        "not found",
    );
}

fn flow(f: &Fixture, member: MemberId, direction: Direction, since: chrono::NaiveDate) -> FlowId {
    let a = f
        .admin_apply(Command::RecordFlow {
            data: FlowData {
                member,
                direction,
                since,
                until: None,
                place: "广东省深圳市南山区".into(),
                party_org: "南山区流动党员党支部".into(),
                contact: "13900139000".into(),
                participation: "线上参加主题党日".into(),
                notes: String::new(),
            },
        })
        .unwrap();
    FlowId(a.created.unwrap())
}

#[test]
fn flows_and_lost_contact_show_in_the_overview_and_the_monthly_changes() {
    let f = Fixture::new();
    let away = f.member("外出务工", f.group_a1);
    let here = f.member("外地流入", f.group_a2);
    let back = f.member("已返回", f.group_b1);
    let lost = f.member("失联者", f.group_a1);
    let found = f.member("已找回", f.group_b1);
    let leaver = f.member("转出者", f.group_b1);
    let newcomer = f
        .admin_apply(Command::CreateMember {
            data: MemberData {
                reported: Some(date(2025, 10, 15)),
                ..member_data("新报到", f.group_a2)
            },
        })
        .map(|a| MemberId(a.created.unwrap()))
        .unwrap();

    flow(&f, away, Direction::Out, date(2025, 10, 3));
    flow(&f, here, Direction::In, date(2025, 10, 8));
    let ended = flow(&f, back, Direction::Out, date(2025, 5, 1));
    let row = ask(
        &f,
        &f.admin,
        FlowsQ {
            org: None,
            on: date(2025, 11, 5),
            all: true,
        },
    )
    .into_iter()
    .find(|r| r.flow.id == ended)
    .unwrap();
    f.admin_apply(Command::UpdateFlow {
        id: ended,
        data: FlowData {
            until: Some(date(2025, 10, 20)),
            ..row.flow.data.clone()
        },
    })
    .unwrap();
    assert_refused(
        f.admin_apply(Command::UpdateFlow {
            id: ended,
            data: FlowData {
                until: Some(date(2025, 4, 1)),
                ..row.flow.data
            },
        }),
        "before it starts",
    );
    f.admin_apply(Command::SetLostContact {
        member: lost,
        state: Some(LostContact {
            since: date(2025, 10, 10),
            attempts: vec![
                ContactAttempt {
                    date: date(2025, 10, 20),
                    note: "电话停机".into(),
                },
                ContactAttempt {
                    date: date(2025, 10, 12),
                    note: "上门无人".into(),
                },
            ],
            regained: None,
            notes: String::new(),
        }),
    })
    .unwrap();
    f.admin_apply(Command::SetLostContact {
        member: found,
        state: Some(LostContact {
            since: date(2025, 9, 1),
            attempts: vec![],
            regained: Some(date(2025, 10, 25)),
            notes: String::new(),
        }),
    })
    .unwrap();
    transfer(
        &f,
        leaver,
        Direction::Out,
        date(2025, 10, 30),
        "海淀区某社区党委",
    )
    .unwrap();

    // The overview on 5 November: who is away, here from elsewhere, lost.
    let o = dangjian::report::overview::overview(
        &f.store,
        Scope::Community,
        &Period::parse("2025-10").unwrap(),
        date(2025, 11, 5),
    )
    .unwrap()
    .orglife;
    let ids = |v: &[dangjian::report::overview::Named<MemberId>]| {
        v.iter().map(|n| n.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(&o.flowed_out), vec![away]);
    assert_eq!(ids(&o.flowed_in), vec![here]);
    assert_eq!(ids(&o.lost_contact), vec![lost]);
    // Attempts are kept in date order.
    let l = ask(
        &f,
        &f.admin,
        LostContactQ {
            org: None,
            on: date(2025, 11, 5),
        },
    );
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].1.attempts[0].note, "上门无人");
    // A branch secretary sees only their branch's.
    let sec_b = f.user("zhao", Role::BranchSecretary, Some(f.branch_b));
    assert!(
        ask(
            &f,
            &sec_b,
            LostContactQ {
                org: None,
                on: date(2025, 11, 5)
            }
        )
        .is_empty()
    );
    // A viewer gets the register without contact details.
    let viewer = f.user("kan", Role::Viewer, None);
    let seen = ask(
        &f,
        &viewer,
        FlowsQ {
            org: None,
            on: date(2025, 11, 5),
            all: false,
        },
    );
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|r| r.flow.data.contact.is_empty()));

    // The monthly report's changes for October, in date order.
    let m = dangjian::io::monthly::gather(
        &f.store,
        &f.admin,
        Scope::Community,
        &Period::parse("2025-10").unwrap(),
        None,
        date(2025, 11, 5),
    )
    .unwrap();
    let changes: Vec<(ChangeKind, &str)> = m
        .orglife
        .changes
        .iter()
        .map(|c| (c.kind, c.name.as_str()))
        .collect();
    assert_eq!(
        changes,
        vec![
            (ChangeKind::FlowOut, "外出务工"),
            (ChangeKind::FlowIn, "外地流入"),
            (ChangeKind::LostContact, "失联者"),
            (ChangeKind::Reported, "新报到"),
            (ChangeKind::FlowEnded, "已返回"),
            (ChangeKind::Regained, "已找回"),
            (ChangeKind::TransferOut, "转出者"),
        ]
    );
    let leaving = m.orglife.changes.last().unwrap();
    assert_eq!(leaving.unit_name, "3号楼党小组");
    assert!(leaving.detail.contains("海淀区某社区党委"));
    let _ = newcomer;
    let sheets = dangjian::io::monthly::sheets(&m, true);
    let sheet = sheets.iter().find(|s| s.table.name == "党员变动").unwrap();
    assert_eq!(sheet.table.rows.len(), 7);
    assert_eq!(sheet.table.rows[0][1].display(), "流出");
    let out = f.dir.path().join("monthly.xlsx");
    dangjian::io::monthly::write_xlsx(&m, true, &out).unwrap();
    assert!(std::fs::metadata(&out).unwrap().len() > 2000);
    // The same through the query, for branch B's secretary: their two only.
    let theirs = ask(
        &f,
        &sec_b,
        ChangesQ {
            org: None,
            period: Period::parse("2025-10").unwrap(),
        },
    );
    let kinds: Vec<ChangeKind> = theirs.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ChangeKind::FlowEnded,
            ChangeKind::Regained,
            ChangeKind::TransferOut
        ]
    );
    // The registers as a workbook: out and in apart.
    let rows = ask(
        &f,
        &f.admin,
        FlowsQ {
            org: None,
            on: date(2025, 11, 5),
            all: true,
        },
    );
    let tables = dangjian::io::orglife::flow_tables(&rows, true);
    assert_eq!((tables[0].rows.len(), tables[1].rows.len()), (2, 1));
    let file = f.dir.path().join("flows.xlsx");
    std::fs::write(&file, dangjian::io::xlsx::xlsx_book(&tables).unwrap()).unwrap();
    // Read back, every flow is what was written, in either language.
    for zh in [true, false] {
        let tables = dangjian::io::orglife::flow_tables(&rows, zh);
        std::fs::write(&file, dangjian::io::xlsx::xlsx_book(&tables).unwrap()).unwrap();
        let back = dangjian::io::flows_import::read(&file).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let mut got: Vec<(Option<FlowId>, FlowData)> =
            back.lines.into_iter().map(|l| (l.id, l.data)).collect();
        let mut want: Vec<(Option<FlowId>, FlowData)> = rows
            .iter()
            .map(|r| (Some(r.flow.id), r.flow.data.clone()))
            .collect();
        got.sort_by_key(|x| x.0);
        want.sort_by_key(|x| x.0);
        assert_eq!(got, want);
    }
    f.assert_check_clean();
}

#[test]
fn partners_are_added_edited_closed_and_counted_for_their_joint_activities() {
    let f = Fixture::new();
    let data = PartnerData {
        name: "区卫健委机关党委".into(),
        kind: PartnerKind::Unit,
        contact: "孙主任".into(),
        phone: "010-64211234".into(),
        linked_unit: Some(f.branch_a),
        agreed: Some(date(2024, 3, 1)),
        notes: String::new(),
    };
    let p = PartnerId(
        f.admin_apply(Command::CreatePartner { data: data.clone() })
            .unwrap()
            .created
            .unwrap(),
    );
    let other = PartnerId(
        f.admin_apply(Command::CreatePartner {
            data: PartnerData {
                name: "快递小哥联合党支部".into(),
                kind: PartnerKind::TwoNew,
                ..data.clone()
            },
        })
        .unwrap()
        .created
        .unwrap(),
    );
    f.admin_apply(Command::UpdatePartner {
        id: p,
        data: PartnerData {
            contact: "钱主任".into(),
            ..data.clone()
        },
    })
    .unwrap();
    let stored = f.store.get_id::<Partner>(p.0).unwrap().unwrap();
    assert_eq!(stored.data.contact, "钱主任");
    assert_eq!(stored.data.agreed, Some(date(2024, 3, 1)));
    let secretary = f.user("wang", Role::BranchSecretary, Some(f.branch_a));
    assert_refused(
        f.apply_as(
            &secretary,
            Command::ClosePartner {
                id: p,
                date: date(2025, 12, 31),
            },
        ),
        "admin",
    );

    let act = f
        .admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::ThemePartyDay,
                title: "联建义诊".into(),
                host: f.branch_a,
                starts: date(2025, 10, 18).and_hms_opt(9, 0, 0).unwrap(),
                place: "社区广场".into(),
                rule: None,
                invitees: f.branch_a,
                notes: String::new(),
            },
        })
        .unwrap();
    let act = ActivityId(act.created.unwrap());
    let set = f
        .apply_as(
            &secretary,
            Command::SetActivityPartners {
                activity: act,
                partners: vec![p, p],
            },
        )
        .unwrap();
    assert_eq!(
        ask(&f, &f.admin, dangjian::access::ActivityPartnersQ(act)),
        vec![p],
        "named once"
    );
    let joint = ask(
        &f,
        &f.admin,
        JointQ {
            org: None,
            period: Period::parse("2025-10").unwrap(),
        },
    );
    let row = joint.iter().find(|r| r.partner == p).unwrap();
    assert_eq!(
        (row.activities, row.titles.clone()),
        (1, vec!["联建义诊".to_string()])
    );
    assert_eq!(
        joint
            .iter()
            .find(|r| r.partner == other)
            .unwrap()
            .activities,
        0
    );
    let m = dangjian::io::monthly::gather(
        &f.store,
        &f.admin,
        Scope::Community,
        &Period::parse("2025-10").unwrap(),
        None,
        date(2025, 11, 5),
    )
    .unwrap();
    let sheets = dangjian::io::monthly::sheets(&m, false);
    let sheet = sheets
        .iter()
        .find(|s| s.table.name == "Joint building")
        .unwrap();
    assert_eq!(sheet.table.rows.len(), 2);

    // Closed after the activity: it stays on it, and a later one cannot name it.
    let close = f
        .admin_apply(Command::ClosePartner {
            id: p,
            date: date(2025, 11, 30),
        })
        .unwrap();
    assert_refused(
        f.admin_apply(Command::ClosePartner {
            id: p,
            date: date(2025, 12, 1),
        }),
        "was closed",
    );
    let later = f
        .admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::VolunteerService,
                title: "冬季送温暖".into(),
                host: f.branch_a,
                starts: date(2025, 12, 20).and_hms_opt(9, 0, 0).unwrap(),
                place: String::new(),
                rule: None,
                invitees: f.branch_a,
                notes: String::new(),
            },
        })
        .unwrap();
    let later = ActivityId(later.created.unwrap());
    assert_refused(
        f.admin_apply(Command::SetActivityPartners {
            activity: later,
            partners: vec![p],
        }),
        "stopped building jointly",
    );
    f.admin_apply(Command::SetActivityPartners {
        activity: act,
        partners: vec![p, other],
    })
    .unwrap();
    f.admin_apply(close.inverse.unwrap()).unwrap();
    assert_eq!(
        f.store.get_id::<Partner>(p.0).unwrap().unwrap().closed,
        None
    );
    f.admin_apply(Command::SetActivityPartners {
        activity: later,
        partners: vec![p],
    })
    .unwrap();
    // Undoing the first naming puts back what was before it: nothing.
    f.admin_apply(set.inverse.unwrap()).unwrap();
    assert!(ask(&f, &f.admin, dangjian::access::ActivityPartnersQ(act)).is_empty());
    f.assert_check_clean();
}
