//! Issue #8: every figure of the overview can be reproduced by hand from the
//! exported CSVs. A small community holding every case the definitions name
//! (an empty category, a member who left, a reversal, a deduction, a
//! redemption, a member who moved, tasks done with and without points,
//! attendance at activities with and without a rule, a group without a leader,
//! a branch without a secretary, a closed group, buildings written in several
//! ways and covered by no open group, beneficiaries unpaired, inactive,
//! overdue for a visit or never visited, open and overdue tasks, and the
//! edges of "before today" and "on or before the period's last day") is exported
//! through the real binary, with English and with Chinese headers. The CSVs
//! are read back and each figure is worked out from their rows alone,
//! following README's "Overview figures" and "Reproducing the overview from
//! the exports", then compared with `overview()` for a month and a year, the
//! whole community and one branch.

mod common;

use chrono::{Datelike, Months, NaiveDate};
use common::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::report::overview::{
    self, Activation, CategoryRow, Coverage, Named, Overview, TrendMonth, UnitLoad, Workload,
};
use dangjian::report::period::Period;
use dangjian::report::points::Scope;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

/// One test at a time: a store this process has just closed can still look
/// in use to a child forked by a parallel test while it holds the lock file.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

// ---------------------------------------------------------------------------
// The community

struct Town {
    dir: tempfile::TempDir,
    store: PathBuf,
    branch_a: OrgUnitId,
}

fn created(f: &Fixture, cmd: Command) -> u64 {
    f.admin_apply(cmd).unwrap().created.unwrap()
}

fn run(f: &Fixture, cmd: Command) {
    f.admin_apply(cmd).unwrap();
}

fn person(
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

fn set_unit(f: &Fixture, id: OrgUnitId, name: &str, leader: Option<MemberId>, buildings: &[&str]) {
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
fn points(f: &Fixture, member: MemberId, on: NaiveDate, n: i64) -> EntryId {
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

fn beneficiary(
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

fn task(f: &Fixture, kind: TaskKind, b: BeneficiaryId, who: MemberId, due: NaiveDate) -> TaskId {
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

fn activity(
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
fn town() -> Town {
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

// ---------------------------------------------------------------------------
// The exports, read back

fn dangjian(store: &Path, zh: bool, args: &[&str]) -> Output {
    Process::new(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .args(["--lang", if zh { "zh-CN" } else { "en" }, "--store"])
        .arg(store)
        .args(args)
        .output()
        .unwrap()
}

/// `dangjian export KIND --format csv -o DIR/KIND.csv [--org ID]`.
fn export(town: &Town, zh: bool, kind: &str, org: Option<OrgUnitId>) -> Csv {
    let lang = if zh { "zh" } else { "en" };
    let part = org.map_or("all".to_string(), |o| o.to_string());
    let file = town.dir.path().join(format!("{kind}-{lang}-{part}.csv"));
    let mut args = vec![
        "export",
        kind,
        "--format",
        "csv",
        "-o",
        file.to_str().unwrap(),
    ];
    let org = org.map(|o| o.0.to_string());
    if let Some(o) = &org {
        args.extend(["--org", o]);
    }
    let out = dangjian(&town.store, zh, &args);
    assert!(
        out.status.success(),
        "export {kind}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Csv::read(&file, zh)
}

struct Csv {
    zh: bool,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(path: &Path, zh: bool) -> Csv {
        let text = std::fs::read_to_string(path).unwrap();
        let text = text
            .strip_prefix('\u{feff}')
            .expect("CSV exports start with a BOM");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().iter().map(String::from).collect();
        // Each cell as a spreadsheet shows it: `="05"` is 05 (README: CSV
        // cells a spreadsheet would run or change).
        let rows = reader
            .records()
            .map(|r| {
                r.unwrap()
                    .iter()
                    .map(|c| dangjian::io::csv_cell::unescape(c).into_owned())
                    .collect()
            })
            .collect();
        Csv { zh, headers, rows }
    }

    /// The cell of `row` under the header `(zh, en)`.
    fn get<'r>(&self, row: &'r [String], header: (&str, &str)) -> &'r str {
        let name = if self.zh { header.0 } else { header.1 };
        let i = self
            .headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.headers));
        &row[i]
    }

    fn id(&self, row: &[String], header: (&str, &str)) -> u64 {
        let cell = self.get(row, header);
        cell.parse()
            .unwrap_or_else(|_| panic!("{header:?}: not an id: {cell:?}"))
    }

    fn opt_id(&self, row: &[String], header: (&str, &str)) -> Option<u64> {
        let cell = self.get(row, header);
        (!cell.is_empty()).then(|| self.id(row, header))
    }

    /// A date, or the date of a date and time.
    fn opt_date(&self, row: &[String], header: (&str, &str)) -> Option<NaiveDate> {
        let cell = self.get(row, header);
        (!cell.is_empty()).then(|| {
            NaiveDate::parse_from_str(&cell[..10.min(cell.len())], "%Y-%m-%d")
                .unwrap_or_else(|_| panic!("{header:?}: not a date: {cell:?}"))
        })
    }

    fn date(&self, row: &[String], header: (&str, &str)) -> NaiveDate {
        self.opt_date(row, header)
            .unwrap_or_else(|| panic!("{header:?} is empty"))
    }

    /// Whether the cell is the `(zh, en)` word.
    fn is(&self, row: &[String], header: (&str, &str), word: (&str, &str)) -> bool {
        self.get(row, header) == if self.zh { word.0 } else { word.1 }
    }
}

/// Points as written (`4`, `-2`, `0.5`, `1.25`) in hundredths.
fn centi(cell: &str) -> i64 {
    let (sign, digits) = match cell.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, cell),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    sign * (int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap())
}

const CATEGORIES: [((&str, &str), MemberCategory); 5] = [
    (("在职", "on-the-job"), MemberCategory::OnTheJob),
    (("离退休", "retired"), MemberCategory::Retired),
    (("学生", "student"), MemberCategory::Student),
    (("流动", "mobile"), MemberCategory::Mobile),
    (("其他", "other"), MemberCategory::Other),
];

#[derive(Debug, Clone)]
struct MemberRow {
    id: u64,
    name: String,
    unit: u64,
    category: MemberCategory,
    active: bool,
    reported: Option<NaiveDate>,
    building: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    Committee,
    Branch,
    Group,
}

#[derive(Debug, Clone)]
struct UnitRow {
    id: u64,
    level: Level,
    name: String,
    parent: Option<u64>,
    leader: Option<u64>,
    buildings: Vec<String>,
    open: bool,
}

#[derive(Debug, Clone)]
struct BeneficiaryRow {
    id: u64,
    name: String,
    unit: u64,
    active: bool,
    cycle: i64,
}

#[derive(Debug, Clone)]
struct PairingRow {
    beneficiary: u64,
    ended: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TaskState {
    Open,
    Done,
    Cancelled,
}

#[derive(Debug, Clone)]
struct TaskRow {
    beneficiary: u64,
    assignee: u64,
    due: NaiveDate,
    state: TaskState,
    done: Option<NaiveDate>,
    award: Option<u64>,
}

#[derive(Debug, Clone)]
struct EntryRow {
    member: u64,
    date: NaiveDate,
    points: i64,
    /// Not a redemption (nor the reversal of one).
    earned: bool,
}

#[derive(Debug, Clone)]
struct AttendanceRow {
    member: u64,
    day: NaiveDate,
    present: bool,
    with_rule: bool,
}

/// Every record the overview reads, from the CSVs alone.
struct Exports {
    members: Vec<MemberRow>,
    units: Vec<UnitRow>,
    beneficiaries: Vec<BeneficiaryRow>,
    pairings: Vec<PairingRow>,
    tasks: Vec<TaskRow>,
    ledger: Vec<EntryRow>,
    attendance: Vec<AttendanceRow>,
}

const MEMBER_ID: (&str, &str) = ("党员编号", "Member id");
const UNIT_ID: (&str, &str) = ("组织编号", "Unit id");
const BENEFICIARY_ID: (&str, &str) = ("对象编号", "Beneficiary id");
const STATUS: (&str, &str) = ("状态", "Status");

fn read_exports(town: &Town, zh: bool) -> Exports {
    let c = export(town, zh, "members", None);
    let members = c
        .rows
        .iter()
        .map(|r| {
            let category = c.get(r, ("党员类别", "Category"));
            MemberRow {
                id: c.id(r, MEMBER_ID),
                name: c.get(r, ("姓名", "Name")).to_string(),
                unit: c.id(r, UNIT_ID),
                category: CATEGORIES
                    .iter()
                    .find(|(label, _)| category == if zh { label.0 } else { label.1 })
                    .map(|(_, c)| *c)
                    .unwrap_or_else(|| panic!("category {category:?}")),
                active: c.is(r, STATUS, ("正常", "active")),
                reported: c.opt_date(r, ("报到日期", "Reported")),
                building: c.get(r, ("楼栋", "Building")).to_string(),
            }
        })
        .collect();

    let c = export(town, zh, "org", None);
    let units = c
        .rows
        .iter()
        .map(|r| {
            let level = [
                (("社区党委", "committee"), Level::Committee),
                (("党支部", "branch"), Level::Branch),
                (("楼栋党小组", "group"), Level::Group),
            ]
            .into_iter()
            .find(|(word, _)| c.is(r, ("层级", "Level"), *word))
            .map(|(_, l)| l)
            .unwrap_or_else(|| panic!("level of {r:?}"));
            let buildings = c.get(r, ("覆盖楼栋", "Buildings"));
            UnitRow {
                id: c.id(r, UNIT_ID),
                level,
                name: c.get(r, ("名称", "Name")).to_string(),
                parent: c.opt_id(r, ("上级编号", "Parent id")),
                leader: c.opt_id(r, ("负责人编号", "Leader id")),
                buildings: buildings
                    .split('、')
                    .filter(|b| !b.is_empty())
                    .map(String::from)
                    .collect(),
                open: c.opt_date(r, ("撤销日期", "Closed")).is_none(),
            }
        })
        .collect();

    let c = export(town, zh, "beneficiaries", None);
    let beneficiaries = c
        .rows
        .iter()
        .map(|r| BeneficiaryRow {
            id: c.id(r, BENEFICIARY_ID),
            name: c.get(r, ("姓名", "Name")).to_string(),
            unit: c.id(r, UNIT_ID),
            active: c.is(r, STATUS, ("帮扶中", "active")),
            cycle: c
                .get(r, ("走访周期（天）", "Visit cycle (days)"))
                .parse()
                .unwrap(),
        })
        .collect();

    let c = export(town, zh, "pairings", None);
    let pairings = c
        .rows
        .iter()
        .map(|r| PairingRow {
            beneficiary: c.id(r, BENEFICIARY_ID),
            ended: c.opt_date(r, ("结束日期", "Until")).is_some(),
        })
        .collect();

    let c = export(town, zh, "tasks", None);
    let tasks = c
        .rows
        .iter()
        .map(|r| TaskRow {
            beneficiary: c.id(r, BENEFICIARY_ID),
            assignee: c.id(r, ("负责党员编号", "Assignee id")),
            due: c.date(r, ("截止日期", "Due")),
            state: [
                (("待办", "open"), TaskState::Open),
                (("已完成", "done"), TaskState::Done),
                (("已取消", "cancelled"), TaskState::Cancelled),
            ]
            .into_iter()
            .find(|(word, _)| c.is(r, STATUS, *word))
            .map(|(_, s)| s)
            .unwrap_or_else(|| panic!("status of {r:?}")),
            done: c.opt_date(r, ("完成日期", "Done")),
            award: c.opt_id(r, ("积分条目", "Points entry")),
        })
        .collect();

    let c = export(town, zh, "ledger", None);
    let ledger = c
        .rows
        .iter()
        .map(|r| EntryRow {
            member: c.id(r, MEMBER_ID),
            date: c.date(r, ("服务日期", "Date")),
            points: centi(c.get(r, ("积分", "Points"))),
            earned: !c.get(r, ("来源", "Source")).starts_with(if zh {
                "兑换"
            } else {
                "redemption"
            }),
        })
        .collect();

    let c = export(town, zh, "attendance", None);
    let attendance = c
        .rows
        .iter()
        .map(|r| AttendanceRow {
            member: c.id(r, MEMBER_ID),
            day: c.date(r, ("开始时间", "Starts")),
            present: c.is(r, ("出勤", "Presence"), ("出席", "present")),
            with_rule: !c.get(r, ("规则代码", "Rule code")).is_empty(),
        })
        .collect();

    Exports {
        members,
        units,
        beneficiaries,
        pairings,
        tasks,
        ledger,
        attendance,
    }
}

// ---------------------------------------------------------------------------
// The figures, from the exports alone

impl Exports {
    fn unit(&self, id: u64) -> Option<&UnitRow> {
        self.units.iter().find(|u| u.id == id)
    }

    fn unit_name(&self, id: u64) -> String {
        self.unit(id).map(|u| u.name.clone()).unwrap_or_default()
    }

    /// `root` and every unit below it, by the parent ids; every unit when
    /// there is no root.
    fn subtree(&self, root: Option<u64>) -> HashSet<u64> {
        let Some(root) = root else {
            return self.units.iter().map(|u| u.id).collect();
        };
        let mut out = HashSet::from([root]);
        loop {
            let more: Vec<u64> = self
                .units
                .iter()
                .filter(|u| u.parent.is_some_and(|p| out.contains(&p)) && !out.contains(&u.id))
                .map(|u| u.id)
                .collect();
            if more.is_empty() {
                return out;
            }
            out.extend(more);
        }
    }

    /// The branch above a unit (the unit itself when it is one).
    fn branch_of(&self, unit: u64) -> Option<u64> {
        let mut at = self.unit(unit);
        while let Some(u) = at {
            if u.level == Level::Branch {
                return Some(u.id);
            }
            at = u.parent.and_then(|p| self.unit(p));
        }
        None
    }

    /// Earned points of a member dated `from..=to`: every ledger row that is
    /// not a redemption, reversals included (they cancel what they reverse).
    fn earned(&self, member: u64, from: NaiveDate, to: NaiveDate) -> i64 {
        self.ledger
            .iter()
            .filter(|e| e.member == member && e.earned && from <= e.date && e.date <= to)
            .map(|e| e.points)
            .sum()
    }

    /// Service that carries no points: tasks done with no points entry, and
    /// presence at activities without a rule.
    fn deeds(&self) -> Vec<(u64, NaiveDate)> {
        let tasks = self
            .tasks
            .iter()
            .filter_map(|t| match (t.state, t.done, t.award) {
                (TaskState::Done, Some(d), None) => Some((t.assignee, d)),
                _ => None,
            });
        let present = self
            .attendance
            .iter()
            .filter(|a| a.present && !a.with_rule)
            .map(|a| (a.member, a.day));
        tasks.chain(present).collect()
    }

    fn served(&self, member: u64, from: NaiveDate, to: NaiveDate) -> bool {
        self.earned(member, from, to) > 0
            || self
                .deeds()
                .iter()
                .any(|(m, d)| *m == member && from <= *d && *d <= to)
    }

    fn open_units(&self, level: Level, scope: &HashSet<u64>) -> Vec<&UnitRow> {
        let mut v: Vec<&UnitRow> = self
            .units
            .iter()
            .filter(|u| u.level == level && u.open && scope.contains(&u.id))
            .collect();
        v.sort_by_key(|u| u.id);
        v
    }
}

fn last_day_of_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(Months::new(1))
        .unwrap()
        .pred_opt()
        .unwrap()
}

/// Rounded to the nearest hundredth, halves away from zero.
fn rounded_div(sum: i64, n: i64) -> i64 {
    if n == 0 {
        return 0;
    }
    let q = (2 * sum.abs() + n) / (2 * n);
    if sum < 0 { -q } else { q }
}

fn median(sorted: &[i64]) -> i64 {
    match sorted.len() {
        0 => 0,
        n if n % 2 == 1 => sorted[n / 2],
        n => rounded_div(sorted[n / 2 - 1] + sorted[n / 2], 2),
    }
}

/// Buildings in order: numbers by value, then names.
fn building_order(set: BTreeSet<String>) -> Vec<String> {
    let mut v: Vec<String> = set.into_iter().collect();
    v.sort_by_key(|b| (b.parse::<u64>().unwrap_or(u64::MAX), b.clone()));
    v
}

/// The overview of the subtree at `root` (the community when `None`) worked
/// out from the exports, following the README's definitions.
fn reproduce(x: &Exports, root: Option<u64>, period: &Period, today: NaiveDate) -> Overview {
    let in_scope = x.subtree(root);
    // Only active members count, by their current unit.
    let mut members: Vec<&MemberRow> = x
        .members
        .iter()
        .filter(|m| m.active && (root.is_none() || in_scope.contains(&m.unit)))
        .collect();
    members.sort_by_key(|m| m.id);
    let ids = |keep: &dyn Fn(&MemberRow) -> bool| -> Vec<MemberId> {
        members
            .iter()
            .filter(|m| keep(m))
            .map(|m| MemberId(m.id))
            .collect()
    };

    // Activation. The year and the trend end with the period's end, or today
    // when the period runs past it.
    let end = period.to.min(today);
    let year_from = NaiveDate::from_ymd_opt(end.year(), 1, 1).unwrap();
    let year_to = NaiveDate::from_ymd_opt(end.year(), 12, 31).unwrap();
    let earned = |m: &MemberRow| x.earned(m.id, period.from, period.to);
    let served = |m: &MemberRow| x.served(m.id, period.from, period.to);
    let served_year = |m: &MemberRow| x.served(m.id, year_from, year_to);
    let reported = |m: &MemberRow| m.reported.is_some_and(|d| d <= period.to);
    let categories = MemberCategory::ALL.iter().map(|c| Some(*c)).chain([None]);
    let rows = categories
        .map(|category| {
            let of: Vec<&&MemberRow> = members
                .iter()
                .filter(|m| category.is_none_or(|c| m.category == c))
                .collect();
            let mut pts: Vec<i64> = of.iter().map(|m| earned(m)).collect();
            pts.sort_unstable();
            let count =
                |keep: &dyn Fn(&MemberRow) -> bool| of.iter().filter(|m| keep(m)).count() as u64;
            CategoryRow {
                category,
                members: of.len() as u64,
                reported: count(&reported),
                served: count(&served),
                avg_points: Points(rounded_div(pts.iter().sum(), pts.len() as i64)),
                median_points: Points(median(&pts)),
                idle_year: count(&|m| !served_year(m)),
            }
        })
        .collect();
    let last_month = end.with_day(1).unwrap();
    let trend = (0..12)
        .rev()
        .map(|back| {
            let month = last_month.checked_sub_months(Months::new(back)).unwrap();
            let to = last_day_of_month(month);
            TrendMonth {
                month,
                members: members.len() as u64,
                served: members.iter().filter(|m| x.served(m.id, month, to)).count() as u64,
            }
        })
        .collect();
    let activation = Activation {
        period: period.label().to_string(),
        from: period.from,
        to: period.to,
        rows,
        trend,
        not_served: ids(&|m| !served(m)),
        not_reported: ids(&|m| !reported(m)),
        idle_year: ids(&|m| !served_year(m)),
    };

    // Coverage. A building is covered when an open group anywhere lists it.
    let key = |b: &str| building_key(b);
    let covered_anywhere: HashSet<String> = x
        .units
        .iter()
        .filter(|u| u.level == Level::Group && u.open)
        .flat_map(|u| u.buildings.iter().map(|b| key(b)))
        .filter(|b| !b.is_empty())
        .collect();
    let mut known: BTreeSet<String> = x
        .open_units(Level::Group, &in_scope)
        .iter()
        .flat_map(|u| u.buildings.iter().map(|b| key(b)))
        .filter(|b| !b.is_empty())
        .collect();
    let mut without_group = BTreeSet::new();
    let mut members_in_uncovered = Vec::new();
    for m in &members {
        let b = key(&m.building);
        if b.is_empty() {
            continue;
        }
        if !covered_anywhere.contains(&b) {
            without_group.insert(b.clone());
            members_in_uncovered.push(MemberId(m.id));
        }
        known.insert(b);
    }
    let covered = known
        .iter()
        .filter(|b| covered_anywhere.contains(*b))
        .cloned()
        .collect();
    let named_unit = |u: &&UnitRow| Named {
        id: OrgUnitId(u.id),
        name: u.name.clone(),
        unit: OrgUnitId(u.parent.unwrap_or(u.id)),
        unit_name: u.parent.map(|p| x.unit_name(p)).unwrap_or_default(),
    };
    let leaderless = |level| -> Vec<Named<OrgUnitId>> {
        x.open_units(level, &in_scope)
            .iter()
            .filter(|u| u.leader.is_none())
            .map(named_unit)
            .collect()
    };
    let paired: HashSet<u64> = x
        .pairings
        .iter()
        .filter(|p| !p.ended)
        .map(|p| p.beneficiary)
        .collect();
    let mut beneficiaries: Vec<&BeneficiaryRow> = x
        .beneficiaries
        .iter()
        .filter(|b| b.active && in_scope.contains(&b.unit))
        .collect();
    beneficiaries.sort_by_key(|b| b.id);
    let named_beneficiary = |b: &BeneficiaryRow| Named {
        id: BeneficiaryId(b.id),
        name: b.name.clone(),
        unit: OrgUnitId(b.unit),
        unit_name: x.unit_name(b.unit),
    };
    let coverage = Coverage {
        buildings_known: building_order(known),
        buildings_covered: building_order(covered),
        buildings_without_group: building_order(without_group),
        members_in_uncovered,
        members_without_group: members
            .iter()
            .filter(|m| {
                x.unit(m.unit)
                    .is_none_or(|u| u.level != Level::Group || !u.open)
            })
            .map(|m| Named {
                id: MemberId(m.id),
                name: m.name.clone(),
                unit: OrgUnitId(m.unit),
                unit_name: x.unit_name(m.unit),
            })
            .collect(),
        groups_without_leader: leaderless(Level::Group),
        branches_without_secretary: leaderless(Level::Branch),
        beneficiaries_unpaired: beneficiaries
            .iter()
            .filter(|b| !paired.contains(&b.id))
            .map(|b| named_beneficiary(b))
            .collect(),
    };

    // Workload. A task belongs to its beneficiary's unit; a visit is any
    // completed task.
    let mut units: BTreeMap<u64, UnitLoad> = BTreeMap::new();
    let load = |units: &mut BTreeMap<u64, UnitLoad>, unit: u64| {
        units.entry(unit).or_insert_with(|| UnitLoad {
            unit: OrgUnitId(unit),
            name: x.unit_name(unit),
            branch_name: x
                .branch_of(unit)
                .map(|b| x.unit_name(b))
                .unwrap_or_default(),
            open: 0,
            overdue: 0,
            visits_overdue: 0,
        });
    };
    for g in x.open_units(Level::Group, &in_scope) {
        load(&mut units, g.id);
    }
    let (mut open, mut overdue) = (0, 0);
    for t in x.tasks.iter().filter(|t| t.state == TaskState::Open) {
        let Some(b) = x.beneficiaries.iter().find(|b| b.id == t.beneficiary) else {
            continue;
        };
        if !in_scope.contains(&b.unit) {
            continue;
        }
        load(&mut units, b.unit);
        let u = units.get_mut(&b.unit).unwrap();
        u.open += 1;
        open += 1;
        if t.due < today {
            u.overdue += 1;
            overdue += 1;
        }
    }
    // (never visited, days overdue, beneficiary)
    let mut waiting: Vec<(bool, i64, &BeneficiaryRow)> = Vec::new();
    for b in &beneficiaries {
        let last = x
            .tasks
            .iter()
            .filter(|t| t.beneficiary == b.id && t.state == TaskState::Done)
            .filter_map(|t| t.done)
            .max();
        match last {
            None => waiting.push((true, 0, b)),
            Some(d) => {
                let late = (today - d).num_days() - b.cycle;
                if late > 0 {
                    waiting.push((false, late, b));
                }
            }
        }
    }
    waiting.sort_by(|p, q| q.0.cmp(&p.0).then(q.1.cmp(&p.1)).then(p.2.id.cmp(&q.2.id)));
    for (_, _, b) in &waiting {
        load(&mut units, b.unit);
        units.get_mut(&b.unit).unwrap().visits_overdue += 1;
    }
    let workload = Workload {
        today,
        units: units.into_values().collect(),
        open,
        overdue,
        visits_overdue: waiting
            .iter()
            .map(|(_, _, b)| named_beneficiary(b))
            .collect(),
    };

    // Points by branch: each open branch of the scope, its members' earned
    // points in the period.
    let points_by_branch = x
        .open_units(Level::Branch, &in_scope)
        .iter()
        .map(|b| {
            let sum = members
                .iter()
                .filter(|m| x.branch_of(m.unit) == Some(b.id))
                .map(|m| earned(m))
                .sum();
            (OrgUnitId(b.id), b.name.clone(), Points(sum))
        })
        .collect();

    Overview {
        activation,
        coverage,
        workload,
        points_by_branch,
        // Not reproduced from the exports here: tests/orglife.rs holds the
        // meeting, flow and lost-contact figures against hand-built answers.
        orglife: Default::default(),
    }
}

// ---------------------------------------------------------------------------
// Comparing, figure by figure

/// Each figure of the overview against the same figure from the exports; a
/// line naming every figure that differs.
fn differences(got: &Overview, want: &Overview, case: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut compare = |figure: String, pick: &dyn Fn(&Overview) -> String| {
        let (g, w) = (pick(got), pick(want));
        if g != w {
            out.push(format!(
                "{case}: {figure}: overview {g}, from the exports {w}"
            ));
        }
    };
    macro_rules! figure {
        ($name:expr, |$o:ident| $value:expr) => {
            compare($name.to_string(), &|$o: &Overview| format!("{:?}", $value))
        };
    }

    figure!("activation: period", |o| (
        &o.activation.period,
        o.activation.from,
        o.activation.to
    ));
    figure!("activation: categories", |o| o
        .activation
        .rows
        .iter()
        .map(|r| r.category)
        .collect::<Vec<_>>());
    for (i, r) in want.activation.rows.iter().enumerate() {
        let cat = r.category.map_or("total", |c| c.name_en());
        let row = |o: &Overview| o.activation.rows.get(i).cloned();
        figure!(format!("activation [{cat}]: members"), |o| row(o)
            .map(|r| r.members));
        figure!(format!("activation [{cat}]: reported"), |o| row(o)
            .map(|r| r.reported));
        figure!(format!("activation [{cat}]: served"), |o| row(o)
            .map(|r| r.served));
        figure!(format!("activation [{cat}]: average points"), |o| row(o)
            .map(|r| r.avg_points));
        figure!(format!("activation [{cat}]: median points"), |o| row(o)
            .map(|r| r.median_points));
        figure!(format!("activation [{cat}]: idle all year"), |o| row(o)
            .map(|r| r.idle_year));
    }
    figure!("activation: trend months", |o| o
        .activation
        .trend
        .iter()
        .map(|m| m.month)
        .collect::<Vec<_>>());
    for (i, m) in want.activation.trend.iter().enumerate() {
        let month = m.month.format("%Y-%m");
        let at = |o: &Overview| o.activation.trend.get(i).cloned();
        figure!(format!("trend {month}: members"), |o| at(o)
            .map(|m| m.members));
        figure!(format!("trend {month}: served"), |o| at(o)
            .map(|m| m.served));
    }
    figure!("activation: members not served", |o| &o
        .activation
        .not_served);
    figure!("activation: members not reported", |o| &o
        .activation
        .not_reported);
    figure!("activation: members idle all year", |o| &o
        .activation
        .idle_year);

    figure!("coverage: buildings known", |o| &o.coverage.buildings_known);
    figure!("coverage: buildings covered", |o| &o
        .coverage
        .buildings_covered);
    figure!("coverage: buildings without a group", |o| &o
        .coverage
        .buildings_without_group);
    figure!("coverage: members in uncovered buildings", |o| &o
        .coverage
        .members_in_uncovered);
    figure!("coverage: members without a group", |o| &o
        .coverage
        .members_without_group);
    figure!("coverage: groups without a leader", |o| &o
        .coverage
        .groups_without_leader);
    figure!("coverage: branches without a secretary", |o| &o
        .coverage
        .branches_without_secretary);
    figure!("coverage: beneficiaries unpaired", |o| &o
        .coverage
        .beneficiaries_unpaired);

    figure!("workload: today", |o| o.workload.today);
    figure!("workload: units", |o| o
        .workload
        .units
        .iter()
        .map(|u| (u.unit, &u.name, &u.branch_name))
        .collect::<Vec<_>>());
    for (i, u) in want.workload.units.iter().enumerate() {
        let unit = |o: &Overview| o.workload.units.get(i).cloned();
        let name = &u.name;
        figure!(format!("workload [{name}]: open tasks"), |o| unit(o)
            .map(|u| u.open));
        figure!(format!("workload [{name}]: overdue tasks"), |o| unit(o)
            .map(|u| u.overdue));
        figure!(format!("workload [{name}]: visits overdue"), |o| unit(o)
            .map(|u| u.visits_overdue));
    }
    figure!("workload: open tasks", |o| o.workload.open);
    figure!("workload: overdue tasks", |o| o.workload.overdue);
    figure!("workload: beneficiaries overdue for a visit", |o| &o
        .workload
        .visits_overdue);

    figure!("points by branch", |o| &o.points_by_branch);
    out
}

#[test]
fn every_overview_figure_is_reproduced_from_the_csv_exports() {
    let _serial = serial();
    let town = town();
    let today = date(2025, 11, 10);
    let periods = [
        Period::month(2025, 10).unwrap(),
        Period::year(2025).unwrap(),
    ];
    let scopes = [
        ("community", Scope::Community, None),
        (
            "第一党支部",
            Scope::Subtree(town.branch_a),
            Some(town.branch_a.0),
        ),
    ];
    let mut bad = Vec::new();
    let mut cases = 0;
    let mut october = None;
    for zh in [false, true] {
        let x = read_exports(&town, zh);
        let store = open(&town.store);
        for period in &periods {
            for (scope_name, scope, root) in &scopes {
                let got = overview::overview(&store, *scope, period, today).unwrap();
                let want = reproduce(&x, *root, period, today);
                let case = format!(
                    "{} headers, {}, {scope_name}",
                    if zh { "Chinese" } else { "English" },
                    period.label()
                );
                bad.extend(differences(&got, &want, &case));
                cases += 1;
            }
        }
        drop(store);
        if !zh {
            october = Some(reproduce(&x, None, &periods[0], today));
        }
    }
    assert_eq!(cases, 8);
    assert!(
        bad.is_empty(),
        "figures the exports do not reproduce:\n{}",
        bad.join("\n")
    );

    // Not equal by being empty: the community holds every case the figures
    // tell apart (October 2025, the whole community, from the exports).
    let oct = october.unwrap();
    let total = oct.activation.total().unwrap();
    assert_eq!(
        (total.members, total.reported, total.served),
        (10, 7, 5),
        "己 has left; 丙 and 丑 never reported, 丁 in November; 甲 乙 丙 庚 癸 served"
    );
    assert_eq!(oct.activation.rows[4].members, 0, "nobody in `other`");
    assert_eq!(oct.coverage.buildings_without_group, ["5", "9"]);
    assert_eq!(oct.coverage.members_in_uncovered.len(), 4);
    assert_eq!(oct.coverage.members_without_group.len(), 2, "丁 and 丑");
    assert_eq!(oct.coverage.groups_without_leader.len(), 1);
    assert_eq!(oct.coverage.branches_without_secretary.len(), 1);
    assert_eq!(oct.coverage.beneficiaries_unpaired.len(), 2);
    assert_eq!((oct.workload.open, oct.workload.overdue), (3, 1));
    assert_eq!(oct.workload.visits_overdue.len(), 2);
}

#[test]
fn org_limits_the_new_exports_to_a_subtree_and_they_write_xlsx() {
    let _serial = serial();
    let town = town();
    let all = read_exports(&town, false);
    let branch = Some(town.branch_a);
    let subtree = all.subtree(Some(town.branch_a.0));

    let org = export(&town, false, "org", branch);
    let mut got: Vec<u64> = org.rows.iter().map(|r| org.id(r, UNIT_ID)).collect();
    let mut want: Vec<u64> = subtree.iter().copied().collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "org --org: the branch and its groups");

    let members = export(&town, false, "members", branch);
    let got: BTreeSet<u64> = members
        .rows
        .iter()
        .map(|r| members.id(r, MEMBER_ID))
        .collect();
    let want: BTreeSet<u64> = all
        .members
        .iter()
        .filter(|m| subtree.contains(&m.unit))
        .map(|m| m.id)
        .collect();
    assert_eq!(
        got, want,
        "members --org: those whose unit is in the subtree"
    );

    let pairings = export(&town, false, "pairings", branch);
    let got: BTreeSet<u64> = pairings
        .rows
        .iter()
        .map(|r| pairings.id(r, BENEFICIARY_ID))
        .collect();
    let want: BTreeSet<u64> = all
        .beneficiaries
        .iter()
        .filter(|b| subtree.contains(&b.unit))
        .map(|b| b.id)
        .filter(|b| all.pairings.iter().any(|p| p.beneficiary == *b))
        .collect();
    assert_eq!(got, want, "pairings --org: of the subtree's beneficiaries");
    assert_eq!(all.pairings.len(), 4);

    for kind in ["org", "pairings"] {
        let file = town.dir.path().join(format!("{kind}.xlsx"));
        let out = dangjian(
            &town.store,
            true,
            &["export", kind, "-o", file.to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(b"PK"), "{kind}.xlsx is a zip workbook");
    }
}
