//! Activation, coverage and workload on a small hand-built community whose
//! every answer is known: who reported when, who served how (points, a task
//! without points, attendance without points), who did nothing all year, which
//! buildings and members a group covers. Also an empty period, a category with
//! no members, and a branch secretary seeing only their branch.

mod common;

use chrono::NaiveDate;
use common::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::report::overview::{
    self, Activation, CategoryRow, Context, Coverage, Workload, activation, coverage, workload,
};
use dangjian::report::period::Period;
use dangjian::report::points::{ReportError, Scope};

struct Town {
    f: Fixture,
    m: [MemberId; 6],
    b: [BeneficiaryId; 3],
}

fn set_unit(f: &Fixture, id: OrgUnitId, name: &str, leader: Option<MemberId>, buildings: &[&str]) {
    f.admin_apply(Command::UpdateOrgUnit {
        id,
        name: name.into(),
        leader,
        buildings: buildings.iter().map(|b| b.to_string()).collect(),
        established: None,
        notes: String::new(),
    })
    .unwrap();
}

fn person(
    f: &Fixture,
    name: &str,
    unit: OrgUnitId,
    category: MemberCategory,
    building: &str,
    reported: Option<NaiveDate>,
) -> MemberId {
    let mut d = member_data(name, unit);
    d.category = category;
    d.address.building = building.into();
    d.reported = reported;
    MemberId(
        f.admin_apply(Command::CreateMember { data: d })
            .unwrap()
            .created
            .unwrap(),
    )
}

fn points(f: &Fixture, member: MemberId, on: NaiveDate, n: u32) {
    let rule = f.rule("VOL");
    let quantity = 100 * n;
    f.admin_apply(Command::RecordPoints {
        member,
        date: on,
        rule: rule.id,
        quantity_centi: quantity,
        points_override: Some((Points::whole(n as i64), "test".into())),
        note: String::new(),
    })
    .unwrap();
}

/// The community of the module doc, as of October 2025.
fn town() -> Town {
    let f = Fixture::new();
    let jia = person(
        &f,
        "甲",
        f.group_a1,
        MemberCategory::OnTheJob,
        "1",
        Some(date(2020, 1, 2)),
    );
    let yi = person(
        &f,
        "乙",
        f.group_a1,
        MemberCategory::Retired,
        "1号楼",
        Some(date(2025, 10, 15)),
    );
    let bing = person(&f, "丙", f.group_a2, MemberCategory::Student, "2", None);
    let ding = person(
        &f,
        "丁",
        f.branch_b,
        MemberCategory::Mobile,
        "9",
        Some(date(2025, 11, 5)),
    );
    let wu = person(
        &f,
        "戊",
        f.group_b1,
        MemberCategory::Retired,
        "３栋",
        Some(date(2019, 3, 1)),
    );
    let ji = person(
        &f,
        "己",
        f.group_b1,
        MemberCategory::Retired,
        "7",
        Some(date(2019, 3, 1)),
    );
    f.admin_apply(Command::SetMemberStatus {
        id: ji,
        status: MemberStatus::TransferredOut,
    })
    .unwrap();
    set_unit(&f, f.group_a1, "1号楼党小组", Some(jia), &["1"]);
    set_unit(&f, f.group_a2, "2号楼党小组", None, &["2"]);
    set_unit(&f, f.group_b1, "3号楼党小组", Some(wu), &["3号楼"]);
    set_unit(&f, f.branch_a, "第一党支部", Some(yi), &[]);

    // 甲 earns points in October; 丁 earned in March and nothing since.
    points(&f, jia, date(2025, 10, 3), 4);
    points(&f, ding, date(2025, 3, 9), 2);
    // 戊 earned only in 2024: nothing in 2025.
    points(&f, wu, date(2024, 6, 1), 5);

    // 乙 completes a task that carries no points.
    let b1 = f.beneficiary("王奶奶", f.group_a1);
    let b2 = f.beneficiary("李爷爷", f.group_b1);
    let mut inactive = beneficiary_data("赵阿姨", f.group_a2);
    inactive.active = false;
    let b3 = BeneficiaryId(
        f.admin_apply(Command::CreateBeneficiary { data: inactive })
            .unwrap()
            .created
            .unwrap(),
    );
    f.admin_apply(Command::CreatePairing {
        member: jia,
        beneficiary: b1,
        since: date(2025, 1, 1),
    })
    .unwrap();
    let p2 = f
        .admin_apply(Command::CreatePairing {
            member: wu,
            beneficiary: b2,
            since: date(2025, 1, 1),
        })
        .unwrap()
        .created
        .unwrap();
    f.admin_apply(Command::EndPairing {
        id: PairingId(p2),
        until: date(2025, 6, 30),
        reason: String::new(),
    })
    .unwrap();
    let task = |kind, b, who, due| {
        TaskId(
            f.admin_apply(Command::CreateTask {
                kind,
                title: "看望".into(),
                beneficiary: b,
                assignee: who,
                due,
            })
            .unwrap()
            .created
            .unwrap(),
        )
    };
    let done = task(TaskKind::Other, b1, yi, date(2025, 10, 10));
    f.admin_apply(Command::CompleteTask {
        id: done,
        date: date(2025, 10, 12),
        hours_centi: 100,
        outcome: "ok".into(),
    })
    .unwrap();
    task(TaskKind::Visit, b1, jia, date(2025, 11, 1));
    task(TaskKind::Visit, b2, wu, date(2025, 12, 1));

    // 丙 attends an activity that carries no points.
    let act = f
        .admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::Study,
                title: "学习".into(),
                host: f.committee,
                starts: date(2025, 10, 20).and_hms_opt(9, 0, 0).unwrap(),
                place: String::new(),
                rule: None,
                invitees: f.committee,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap();
    f.admin_apply(Command::CheckIn {
        activity: ActivityId(act),
        member: bing,
    })
    .unwrap();
    Town {
        f,
        m: [jia, yi, bing, ding, wu, ji],
        b: [b1, b2, b3],
    }
}

fn october() -> Period {
    Period::month(2025, 10).unwrap()
}

fn row(a: &Activation, c: Option<MemberCategory>) -> &CategoryRow {
    a.rows.iter().find(|r| r.category == c).unwrap()
}

/// (members, reported, served, avg, median, idle all year)
fn figures(r: &CategoryRow) -> (u64, u64, u64, Points, Points, u64) {
    (
        r.members,
        r.reported,
        r.served,
        r.avg_points,
        r.median_points,
        r.idle_year,
    )
}

#[test]
fn activation_counts_reported_served_points_and_idle_by_category() {
    let t = town();
    let a = activation(&t.f.store, Scope::Community, &october(), today()).unwrap();
    use MemberCategory::*;
    // 甲: reported, served by points (4).
    assert_eq!(
        figures(row(&a, Some(OnTheJob))),
        (1, 1, 1, Points::whole(4), Points::whole(4), 0)
    );
    // 乙 reported mid-October and served by a task without points; 戊 reported
    // long ago and did nothing in 2025. 己 has left and is not counted.
    assert_eq!(
        figures(row(&a, Some(Retired))),
        (2, 2, 1, Points::ZERO, Points::ZERO, 1)
    );
    // 丙 never reported, served by attending.
    assert_eq!(
        figures(row(&a, Some(Student))),
        (1, 0, 1, Points::ZERO, Points::ZERO, 0)
    );
    // 丁 reported after the period and did nothing in it, but served in March.
    assert_eq!(
        figures(row(&a, Some(Mobile))),
        (1, 0, 0, Points::ZERO, Points::ZERO, 0)
    );
    // A category with nobody in it.
    assert_eq!(
        figures(row(&a, Some(Other))),
        (0, 0, 0, Points::ZERO, Points::ZERO, 0)
    );
    // Five members, 4 points among them: 0.80 on average, median 0.
    assert_eq!(
        figures(row(&a, None)),
        (5, 3, 3, Points(80), Points::ZERO, 1)
    );

    let [jia, yi, bing, ding, wu, _] = t.m;
    assert_eq!(a.not_served, vec![ding, wu]);
    assert_eq!(a.not_reported, vec![bing, ding]);
    assert_eq!(a.idle_year, vec![wu]);
    let _ = (jia, yi);

    // The trend: 12 months to October 2025, 丁's March and October's three.
    assert_eq!(a.trend.len(), 12);
    assert_eq!(a.trend[0].month, date(2024, 11, 1));
    let served: Vec<u64> = a.trend.iter().map(|m| m.served).collect();
    assert_eq!(served, vec![0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3]);
    assert!(a.trend.iter().all(|m| m.members == 5));
}

#[test]
fn an_empty_period_has_no_service_and_the_trend_stops_at_today() {
    let t = town();
    let a = activation(
        &t.f.store,
        Scope::Community,
        &Period::month(2024, 1).unwrap(),
        today(),
    )
    .unwrap();
    assert!(
        a.rows
            .iter()
            .all(|r| r.served == 0 && r.avg_points == Points::ZERO)
    );
    // By January 2024 only 甲 (2020) and 戊 (2019) had reported.
    assert_eq!(row(&a, None).reported, 2);
    // 2024: only 戊 served (June); the rest are idle that year.
    assert_eq!(row(&a, None).idle_year, 4);

    // A year that runs past "today": the trend ends with today's month.
    let a = activation(
        &t.f.store,
        Scope::Community,
        &Period::year(2025).unwrap(),
        date(2025, 10, 20),
    )
    .unwrap();
    assert_eq!(a.trend.last().unwrap().month, date(2025, 10, 1));
    assert_eq!(
        row(&a, None).served,
        4,
        "甲, 乙, 丙 in October and 丁 in March"
    );
}

#[test]
fn a_reversed_entry_is_not_service() {
    let t = town();
    let [_, _, _, ding, _, _] = t.m;
    let rule = t.f.rule("VOL");
    let e =
        t.f.admin_apply(Command::RecordPoints {
            member: ding,
            date: date(2025, 10, 25),
            rule: rule.id,
            quantity_centi: 100,
            points_override: None,
            note: String::new(),
        })
        .unwrap()
        .created
        .unwrap();
    let served = |t: &Town| {
        row(
            &activation(&t.f.store, Scope::Community, &october(), today()).unwrap(),
            Some(MemberCategory::Mobile),
        )
        .served
    };
    assert_eq!(served(&t), 1);
    t.f.admin_apply(Command::ReversePoints {
        entry: EntryId(e),
        reason: "wrong member".into(),
    })
    .unwrap();
    assert_eq!(served(&t), 0);
}

fn names<T>(v: &[overview::Named<T>]) -> Vec<&str> {
    v.iter().map(|n| n.name.as_str()).collect()
}

#[test]
fn coverage_finds_buildings_members_units_and_beneficiaries_left_out() {
    let t = town();
    let c: Coverage = coverage(&t.f.store, Scope::Community).unwrap();
    // 1, 1号楼 and ３栋 are buildings 1 and 3; 己 (left, building 7) is not counted.
    assert_eq!(c.buildings_known, vec!["1", "2", "3", "9"]);
    assert_eq!(c.buildings_covered, vec!["1", "2", "3"]);
    assert_eq!(c.buildings_without_group, vec!["9"]);
    assert_eq!(c.members_in_uncovered, vec![t.m[3]]);
    assert_eq!(names(&c.members_without_group), vec!["丁"]);
    assert_eq!(names(&c.groups_without_leader), vec!["2号楼党小组"]);
    assert_eq!(names(&c.branches_without_secretary), vec!["第二党支部"]);
    // 李爷爷's pairing ended; 赵阿姨 no longer receives help.
    assert_eq!(names(&c.beneficiaries_unpaired), vec!["李爷爷"]);
    assert_eq!(c.beneficiaries_unpaired[0].id, t.b[1]);
}

#[test]
fn workload_counts_open_and_overdue_tasks_and_visits_per_group() {
    let t = town();
    let w: Workload = workload(&t.f.store, Scope::Community, date(2025, 11, 10)).unwrap();
    let load = |g: OrgUnitId| {
        let u = w.units.iter().find(|u| u.unit == g).unwrap();
        (u.open, u.overdue, u.visits_overdue)
    };
    // 王奶奶: one task open and overdue, visited 12 Oct on a 7-day cycle.
    assert_eq!(load(t.f.group_a1), (1, 1, 1));
    // 李爷爷: one task open, not yet due, never visited.
    assert_eq!(load(t.f.group_b1), (1, 0, 1));
    assert_eq!(load(t.f.group_a2), (0, 0, 0));
    assert_eq!((w.open, w.overdue), (2, 1));
    let mut who = names(&w.visits_overdue);
    who.sort();
    assert_eq!(who, vec!["李爷爷", "王奶奶"]);
}

#[test]
fn a_branch_secretary_sees_only_their_branch() {
    let t = town();
    let f = &t.f;
    let sec = f.user("sec", Role::BranchSecretary, Some(f.branch_a));
    let scope = Scope::for_actor(&f.store, &sec, None).unwrap();
    assert_eq!(scope, Scope::Subtree(f.branch_a));
    let a = activation(&f.store, scope, &october(), today()).unwrap();
    // 甲, 乙, 丙 only.
    assert_eq!(figures(row(&a, None)).0, 3);
    assert_eq!(row(&a, None).served, 3);
    let c = coverage(&f.store, scope).unwrap();
    assert_eq!(c.buildings_known, vec!["1", "2"]);
    assert!(c.members_without_group.is_empty());
    assert!(c.branches_without_secretary.is_empty());
    assert!(c.beneficiaries_unpaired.is_empty(), "李爷爷 is in branch B");
    let w = workload(&f.store, scope, date(2025, 11, 10)).unwrap();
    assert_eq!((w.open, w.overdue), (1, 1));
    assert!(w.units.iter().all(|u| u.unit != f.group_b1));
    // Asking for the other branch is refused, not answered.
    assert!(matches!(
        Scope::for_actor(&f.store, &sec, Some(f.branch_b)),
        Err(ReportError::OutOfScope { .. })
    ));
}

#[test]
fn the_overview_sums_points_by_branch_from_the_same_figures() {
    let t = town();
    let f = &t.f;
    let o = overview::overview(
        &f.store,
        Scope::Community,
        &Period::year(2025).unwrap(),
        date(2025, 11, 10),
    )
    .unwrap();
    let by: Vec<(OrgUnitId, Points)> = o
        .points_by_branch
        .iter()
        .map(|(u, _, p)| (*u, *p))
        .collect();
    // 甲 4 (branch A); 丁 2 (branch B, directly).
    assert_eq!(
        by,
        vec![
            (f.branch_a, Points::whole(4)),
            (f.branch_b, Points::whole(2))
        ]
    );
    let all = overview::scope_members(&f.store, Scope::Community).unwrap();
    assert_eq!(all.len(), 6);
    let cx = Context::new(&f.store, Scope::Community, &all).unwrap();
    assert_eq!(cx.members.len(), 5, "active members only");
}

/// The whole community's trend reads the stored count of active members above
/// zero each month (so does the committee's subtree, which is all of it); a
/// branch's reads its members' month totals. With members who earned points
/// and then left (one of them back again), and reversals, both must equal a
/// count made member by member from the records.
#[test]
fn the_community_trend_from_stored_month_counts_equals_a_member_by_member_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let admin = dangjian::ops::actor_for_login(&store, "admin").unwrap();
    let today = chrono::Local::now().date_naive();
    let mut params = dangjian::demo::DemoParams::new(today);
    params.members = 150;
    params.entries = 3_000;
    dangjian::demo::generate(&store, &admin, &params, &mut |_| {}).unwrap();
    // Members with points this year leave: the stored counts still hold them.
    let mut left = 0;
    for m in store.scan::<Member>().map(Result::unwrap).step_by(7) {
        if m.data.status == MemberStatus::Active
            && dangjian::ops::apply(
                &store,
                &admin,
                &Command::SetMemberStatus {
                    id: m.id,
                    status: MemberStatus::TransferredOut,
                },
            )
            .is_ok()
        {
            left += 1;
        }
    }
    assert!(left > 10, "{left} members left");
    // One comes back.
    let back = store
        .scan::<Member>()
        .map(Result::unwrap)
        .find(|m| m.data.status == MemberStatus::TransferredOut)
        .unwrap();
    dangjian::ops::apply(
        &store,
        &admin,
        &Command::SetMemberStatus {
            id: back.id,
            status: MemberStatus::Active,
        },
    )
    .unwrap();
    let report = dangjian::store::check(&store).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);

    let units = dangjian::ops::query::org_units(&store).unwrap();
    let committee = units
        .iter()
        .find(|u| u.level == OrgLevel::Committee)
        .unwrap();
    let branch = units.iter().find(|u| u.level == OrgLevel::Branch).unwrap();
    let in_branch: std::collections::HashSet<OrgUnitId> =
        dangjian::ops::query::subtree(&store, branch.id)
            .unwrap()
            .into_iter()
            .collect();
    let members: Vec<Member> = store.scan::<Member>().map(Result::unwrap).collect();
    let active = |within: &dyn Fn(&Member) -> bool| -> std::collections::HashSet<MemberId> {
        members
            .iter()
            .filter(|m| m.data.status == MemberStatus::Active && within(m))
            .map(|m| m.id)
            .collect()
    };
    let everyone = active(&|_| true);
    let of_branch = active(&|m| in_branch.contains(&m.data.unit));
    let ledger: Vec<PointsEntry> = store.scan::<PointsEntry>().map(Result::unwrap).collect();
    let tasks: Vec<Task> = store.scan::<Task>().map(Result::unwrap).collect();
    let activities: Vec<Activity> = store.scan::<Activity>().map(Result::unwrap).collect();
    let attendance: Vec<Attendance> = store.scan::<Attendance>().map(Result::unwrap).collect();
    use chrono::Datelike;
    let same_month = |d: NaiveDate, m: NaiveDate| (d.year(), d.month()) == (m.year(), m.month());
    // Who of `among` served in the month, member by member from the records.
    let served_in = |month: NaiveDate, among: &std::collections::HashSet<MemberId>| -> u64 {
        let mut sums: std::collections::HashMap<MemberId, i64> = Default::default();
        for e in &ledger {
            if same_month(e.date, month) && !matches!(e.source, EntrySource::Redemption(_)) {
                *sums.entry(e.member).or_default() += e.points.0;
            }
        }
        let mut served: std::collections::HashSet<MemberId> = sums
            .into_iter()
            .filter(|(_, v)| *v > 0)
            .map(|(m, _)| m)
            .collect();
        for t in &tasks {
            if let (TaskStatus::Done, Some(d), None) = (t.status, t.done_date, t.award)
                && same_month(d, month)
            {
                served.insert(t.assignee);
            }
        }
        for a in &activities {
            if a.data.rule.is_none() && same_month(a.data.starts.date(), month) {
                for att in attendance.iter().filter(|x| x.activity == a.id) {
                    if matches!(att.presence, Presence::Present { .. }) {
                        served.insert(att.member);
                    }
                }
            }
        }
        served.retain(|m| among.contains(m));
        served.len() as u64
    };
    for period in [
        Period::month(today.year(), today.month()).unwrap(),
        Period::year(today.year()).unwrap(),
    ] {
        let community = overview::overview(&store, Scope::Community, &period, today).unwrap();
        // The committee's subtree is the whole community: the same figures.
        let whole =
            overview::overview(&store, Scope::Subtree(committee.id), &period, today).unwrap();
        assert_eq!(community.activation, whole.activation, "{period}");
        // A branch reads its members' month totals one by one.
        let one_branch =
            overview::overview(&store, Scope::Subtree(branch.id), &period, today).unwrap();
        let mut served_in_months = 0;
        for (month, in_branch) in community
            .activation
            .trend
            .iter()
            .zip(&one_branch.activation.trend)
        {
            assert_eq!(
                month.served,
                served_in(month.month, &everyone),
                "{}",
                month.month
            );
            assert_eq!(month.members, everyone.len() as u64);
            assert_eq!(
                in_branch.served,
                served_in(month.month, &of_branch),
                "branch {}",
                month.month
            );
            assert_eq!(in_branch.members, of_branch.len() as u64);
            served_in_months += month.served;
        }
        assert!(served_in_months > 100, "the months hold service");
    }
}
