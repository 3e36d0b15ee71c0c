//! The community the overview is reproduced on: every case the
//! definitions name, as of November 2025.

use super::*;

pub(crate) struct Town {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) store: PathBuf,
    pub(crate) branch_a: OrgUnitId,
}

pub(crate) fn created(f: &Fixture, cmd: Command) -> u64 {
    f.admin_apply(cmd).unwrap().created.unwrap()
}

pub(crate) fn run(f: &Fixture, cmd: Command) {
    f.admin_apply(cmd).unwrap();
}

pub(crate) fn person(
    f: &Fixture,
    name: &str,
    unit: OrgUnitId,
    category: MemberCategory,
    building: &str,
    reported: Option<NaiveDate>,
) -> (MemberId, MemberData) {
    let mut d = member_data(name, unit);
    d.category = category;
    d.address.building = building.into();
    d.reported = reported;
    let id = MemberId(created(f, Command::CreateMember { data: d.clone() }));
    (id, d)
}

pub(crate) fn set_unit(
    f: &Fixture,
    id: OrgUnitId,
    name: &str,
    leader: Option<MemberId>,
    buildings: &[&str],
) {
    run(
        f,
        Command::UpdateOrgUnit {
            id,
            name: name.into(),
            leader,
            buildings: buildings.iter().map(|b| b.to_string()).collect(),
            established: Some(date(2018, 3, 1)),
            notes: String::new(),
        },
    );
}

/// `n` whole points of volunteer service on a day; the entry's id.
pub(crate) fn points(f: &Fixture, member: MemberId, on: NaiveDate, n: i64) -> EntryId {
    EntryId(created(
        f,
        Command::RecordPoints {
            member,
            date: on,
            rule: f.rule("VOL").id,
            quantity_centi: 100,
            points_override: Some((Points::whole(n), "test".into())),
            note: String::new(),
        },
    ))
}

pub(crate) fn beneficiary(
    f: &Fixture,
    name: &str,
    unit: OrgUnitId,
    cycle: u32,
    active: bool,
) -> BeneficiaryId {
    let mut d = beneficiary_data(name, unit);
    d.visit_cycle_days = cycle;
    d.active = active;
    BeneficiaryId(created(f, Command::CreateBeneficiary { data: d }))
}

pub(crate) fn task(
    f: &Fixture,
    kind: TaskKind,
    b: BeneficiaryId,
    who: MemberId,
    due: NaiveDate,
) -> TaskId {
    TaskId(created(
        f,
        Command::CreateTask {
            kind,
            title: "看望".into(),
            beneficiary: b,
            assignee: who,
            due,
        },
    ))
}

pub(crate) fn activity(
    f: &Fixture,
    kind: ActivityKind,
    host: OrgUnitId,
    on: NaiveDate,
    rule: Option<&str>,
) -> ActivityId {
    ActivityId(created(
        f,
        Command::CreateActivity {
            data: ActivityData {
                kind,
                title: "活动".into(),
                host,
                starts: on.and_hms_opt(9, 30, 0).unwrap(),
                place: String::new(),
                rule: rule.map(|code| f.rule(code).id),
                invitees: host,
                notes: String::new(),
            },
        },
    ))
}

/// The community, as of November 2025, founded by the OS user running the
/// test (the binary acts as them), closed so the binary can open it.
pub(crate) fn town() -> Town {
    use MemberCategory::*;
    let f = Fixture::new_as(&dangjian::identity::os_login().unwrap());
    // A group that closes in June with a member still in it.
    let a3 = OrgUnitId(created(
        &f,
        Command::CreateOrgUnit {
            parent: Some(f.branch_a),
            level: OrgLevel::Group,
            name: "5号楼党小组".into(),
            buildings: vec!["5".into()],
            established: Some(date(2018, 3, 1)),
            notes: String::new(),
        },
    ));
    let (jia, _) = person(&f, "甲", f.group_a1, OnTheJob, "1", Some(date(2020, 1, 2)));
    let (yi, _) = person(
        &f,
        "乙",
        f.group_a1,
        Retired,
        "1号楼",
        Some(date(2025, 10, 15)),
    );
    let (bing, _) = person(&f, "丙", f.group_a2, Student, "2", None);
    // Directly in branch B, in a building no group covers.
    let (ding, _) = person(&f, "丁", f.branch_b, Mobile, "9", Some(date(2025, 11, 5)));
    let (wu, _) = person(
        &f,
        "戊",
        f.group_b1,
        Retired,
        "３栋",
        Some(date(2019, 3, 1)),
    );
    let (ji, _) = person(&f, "己", f.group_b1, Retired, "7", Some(date(2019, 3, 1)));
    let (geng, geng_data) = person(
        &f,
        "庚",
        f.group_b1,
        OnTheJob,
        "3栋",
        Some(date(2025, 1, 10)),
    );
    let (xin, _) = person(&f, "辛", f.group_b1, OnTheJob, "3", Some(date(2024, 5, 1)));
    // Reported on the last day of October: reported in October.
    let (ren, _) = person(
        &f,
        "壬",
        f.group_a1,
        Student,
        "5号楼",
        Some(date(2025, 10, 31)),
    );
    let (gui, _) = person(&f, "癸", f.group_b1, Mobile, "05", Some(date(2023, 9, 9)));
    let (chou, _) = person(&f, "丑", a3, Retired, "5", None);
    run(
        &f,
        Command::CloseOrgUnit {
            id: a3,
            date: date(2025, 6, 30),
        },
    );
    set_unit(&f, f.group_a1, "1号楼党小组", Some(jia), &["1"]);
    set_unit(&f, f.group_a2, "2号楼党小组", None, &["2"]);
    set_unit(&f, f.group_b1, "3号楼党小组", Some(wu), &["3号楼", "8"]);
    set_unit(&f, f.branch_a, "第一党支部", Some(yi), &[]);

    // Points. 甲 earns 4 in October and 1 in November, and spends 2 on a
    // reward in October (a redemption is not earning).
    points(&f, jia, date(2025, 10, 3), 4);
    points(&f, jia, date(2025, 11, 3), 1);
    let towel = RewardId(created(
        &f,
        Command::CreateReward {
            name: "毛巾".into(),
            cost: Points::whole(2),
            stock: Some(5),
        },
    ));
    run(
        &f,
        Command::Redeem {
            member: jia,
            reward: towel,
            date: date(2025, 10, 28),
            note: String::new(),
        },
    );
    points(&f, ding, date(2025, 3, 9), 2);
    // 戊 earned only in 2024.
    points(&f, wu, date(2024, 6, 1), 5);
    points(&f, wu, date(2024, 12, 15), 1);
    points(&f, ji, date(2025, 10, 6), 3);
    // 庚 earns 3 in group B1 (branch B) and then moves to group A2.
    points(&f, geng, date(2025, 10, 8), 3);
    // 辛's 2 points are reversed.
    let wrong = points(&f, xin, date(2025, 10, 5), 2);
    run(
        &f,
        Command::ReversePoints {
            entry: wrong,
            reason: "记错了人".into(),
        },
    );
    // 壬 is docked 2 for an unexcused absence.
    run(
        &f,
        Command::RecordPoints {
            member: ren,
            date: date(2025, 10, 22),
            rule: f.rule("ABSENT").id,
            quantity_centi: 100,
            points_override: None,
            note: "无故缺席".into(),
        },
    );

    // Activities: a study session and a volunteer day carry no points, a
    // theme party day carries the ORGLIFE rule.
    let study = activity(
        &f,
        ActivityKind::Study,
        f.committee,
        date(2025, 10, 20),
        None,
    );
    run(
        &f,
        Command::CheckIn {
            activity: study,
            member: bing,
        },
    );
    run(
        &f,
        Command::CheckIn {
            activity: study,
            member: ji,
        },
    );
    run(
        &f,
        Command::MarkAbsent {
            activity: study,
            member: ding,
            reason: "出差".into(),
        },
    );
    let volunteer = activity(
        &f,
        ActivityKind::VolunteerService,
        f.branch_a,
        date(2025, 8, 9),
        None,
    );
    run(
        &f,
        Command::CheckIn {
            activity: volunteer,
            member: bing,
        },
    );
    let theme = activity(
        &f,
        ActivityKind::ThemePartyDay,
        f.branch_b,
        date(2025, 10, 18),
        Some("ORGLIFE"),
    );
    run(
        &f,
        Command::CheckIn {
            activity: theme,
            member: gui,
        },
    );
    // 戊 was there, but the points were taken back: no service.
    let award = EntryId(created(
        &f,
        Command::CheckIn {
            activity: theme,
            member: wu,
        },
    ));
    run(
        &f,
        Command::ReversePoints {
            entry: award,
            reason: "代签".into(),
        },
    );

    // Pairing assistance.
    let wang = beneficiary(&f, "王奶奶", f.group_a1, 7, true);
    let li = beneficiary(&f, "李爷爷", f.group_b1, 30, true);
    beneficiary(&f, "赵阿姨", f.group_a2, 7, false);
    let sun = beneficiary(&f, "孙大爷", f.branch_b, 14, true);
    let zhou = beneficiary(&f, "周阿姨", f.group_a2, 14, true);
    run(
        &f,
        Command::CreatePairing {
            member: jia,
            beneficiary: wang,
            since: date(2025, 1, 1),
        },
    );
    let ended = PairingId(created(
        &f,
        Command::CreatePairing {
            member: wu,
            beneficiary: li,
            since: date(2025, 1, 1),
        },
    ));
    run(
        &f,
        Command::EndPairing {
            id: ended,
            until: date(2025, 6, 30),
            reason: String::new(),
        },
    );
    run(
        &f,
        Command::CreatePairing {
            member: bing,
            beneficiary: zhou,
            since: date(2025, 9, 1),
        },
    );
    // 乙 does a task that carries no points.
    let t = task(&f, TaskKind::Other, wang, yi, date(2025, 10, 10));
    run(
        &f,
        Command::CompleteTask {
            id: t,
            date: date(2025, 10, 12),
            hours_centi: 100,
            outcome: "ok".into(),
        },
    );
    // Open: overdue on 10 November, and not yet due.
    task(&f, TaskKind::Visit, wang, jia, date(2025, 11, 1));
    task(&f, TaskKind::Visit, li, wu, date(2025, 12, 1));
    // 癸 visits 李爷爷 and earns the VISIT points.
    let t = task(&f, TaskKind::Visit, li, gui, date(2025, 10, 30));
    run(
        &f,
        Command::CompleteTask {
            id: t,
            date: date(2025, 10, 25),
            hours_centi: 100,
            outcome: "ok".into(),
        },
    );
    // 丙's care took no recorded hours, so it awarded nothing.
    let t = task(&f, TaskKind::Care, zhou, bing, date(2025, 11, 15));
    run(
        &f,
        Command::CompleteTask {
            id: t,
            date: date(2025, 11, 8),
            hours_centi: 0,
            outcome: "ok".into(),
        },
    );
    // Due on "today": open, not yet overdue.
    task(&f, TaskKind::Errand, zhou, bing, date(2025, 11, 10));
    // Visited exactly one cycle before "today": not yet overdue.
    let qian = beneficiary(&f, "钱奶奶", f.group_b1, 16, true);
    run(
        &f,
        Command::CreatePairing {
            member: gui,
            beneficiary: qian,
            since: date(2025, 2, 1),
        },
    );
    let t = task(&f, TaskKind::Other, qian, gui, date(2025, 10, 31));
    run(
        &f,
        Command::CompleteTask {
            id: t,
            date: date(2025, 10, 25),
            hours_centi: 50,
            outcome: "ok".into(),
        },
    );
    let t = task(&f, TaskKind::Errand, sun, xin, date(2025, 10, 1));
    run(&f, Command::CancelTask { id: t });

    // 己 leaves; 庚 moves to group A2.
    run(
        &f,
        Command::SetMemberStatus {
            id: ji,
            status: MemberStatus::TransferredOut,
        },
    );
    run(
        &f,
        Command::UpdateMember {
            id: geng,
            data: MemberData {
                unit: f.group_a2,
                ..geng_data
            },
        },
    );
    let _ = chou;
    f.assert_check_clean();

    let store = f.dir.path().to_path_buf();
    let branch_a = f.branch_a;
    let Fixture { dir, store: s, .. } = f;
    drop(s);
    Town {
        dir,
        store,
        branch_a,
    }
}
