//! The exports, read back: the CSVs the real binary writes, parsed into
//! rows by their (English or Chinese) headers.

use super::*;

/// The binary in the language asked for (`--lang`), through the shared runner.
pub(crate) fn dangjian_in(store: &Path, zh: bool, args: &[&str]) -> Output {
    let mut all = vec!["--lang", if zh { "zh-CN" } else { "en" }];
    all.extend_from_slice(args);
    dangjian(store, &all)
}

/// `dangjian export KIND --format csv -o DIR/KIND.csv [--org ID]`.
pub(crate) fn export(town: &Town, zh: bool, kind: &str, org: Option<OrgUnitId>) -> Csv {
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
    let out = dangjian_in(&town.store, zh, &args);
    assert!(
        out.status.success(),
        "export {kind}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Csv::read(&file, zh)
}

pub(crate) struct Csv {
    pub(crate) zh: bool,
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Csv {
    pub(crate) fn read(path: &Path, zh: bool) -> Csv {
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
    pub(crate) fn get<'r>(&self, row: &'r [String], header: (&str, &str)) -> &'r str {
        let name = if self.zh { header.0 } else { header.1 };
        let i = self
            .headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.headers));
        &row[i]
    }

    pub(crate) fn id(&self, row: &[String], header: (&str, &str)) -> u64 {
        let cell = self.get(row, header);
        cell.parse()
            .unwrap_or_else(|_| panic!("{header:?}: not an id: {cell:?}"))
    }

    pub(crate) fn opt_id(&self, row: &[String], header: (&str, &str)) -> Option<u64> {
        let cell = self.get(row, header);
        (!cell.is_empty()).then(|| self.id(row, header))
    }

    /// A date, or the date of a date and time.
    pub(crate) fn opt_date(&self, row: &[String], header: (&str, &str)) -> Option<NaiveDate> {
        let cell = self.get(row, header);
        (!cell.is_empty()).then(|| {
            NaiveDate::parse_from_str(&cell[..10.min(cell.len())], "%Y-%m-%d")
                .unwrap_or_else(|_| panic!("{header:?}: not a date: {cell:?}"))
        })
    }

    pub(crate) fn date(&self, row: &[String], header: (&str, &str)) -> NaiveDate {
        self.opt_date(row, header)
            .unwrap_or_else(|| panic!("{header:?} is empty"))
    }

    /// Whether the cell is the `(zh, en)` word.
    pub(crate) fn is(&self, row: &[String], header: (&str, &str), word: (&str, &str)) -> bool {
        self.get(row, header) == if self.zh { word.0 } else { word.1 }
    }
}

/// Points as written (`4`, `-2`, `0.5`, `1.25`) in hundredths.
pub(crate) fn centi(cell: &str) -> i64 {
    let (sign, digits) = match cell.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, cell),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    sign * (int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap())
}

pub(crate) const CATEGORIES: [((&str, &str), MemberCategory); 5] = [
    (("在职", "on-the-job"), MemberCategory::OnTheJob),
    (("离退休", "retired"), MemberCategory::Retired),
    (("学生", "student"), MemberCategory::Student),
    (("流动", "mobile"), MemberCategory::Mobile),
    (("其他", "other"), MemberCategory::Other),
];

#[derive(Debug, Clone)]
pub(crate) struct MemberRow {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) unit: u64,
    pub(crate) category: MemberCategory,
    pub(crate) active: bool,
    pub(crate) reported: Option<NaiveDate>,
    pub(crate) building: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Level {
    Committee,
    Branch,
    Group,
}

#[derive(Debug, Clone)]
pub(crate) struct UnitRow {
    pub(crate) id: u64,
    pub(crate) level: Level,
    pub(crate) name: String,
    pub(crate) parent: Option<u64>,
    pub(crate) leader: Option<u64>,
    pub(crate) buildings: Vec<String>,
    pub(crate) open: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct BeneficiaryRow {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) unit: u64,
    pub(crate) active: bool,
    pub(crate) cycle: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct PairingRow {
    pub(crate) beneficiary: u64,
    pub(crate) ended: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TaskState {
    Open,
    Done,
    Cancelled,
}

#[derive(Debug, Clone)]
pub(crate) struct TaskRow {
    pub(crate) beneficiary: u64,
    pub(crate) assignee: u64,
    pub(crate) due: NaiveDate,
    pub(crate) state: TaskState,
    pub(crate) done: Option<NaiveDate>,
    pub(crate) award: Option<u64>,
}

#[derive(Debug, Clone)]
pub(crate) struct EntryRow {
    pub(crate) member: u64,
    pub(crate) date: NaiveDate,
    pub(crate) points: i64,
    /// Not a redemption (nor the reversal of one).
    pub(crate) earned: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct AttendanceRow {
    pub(crate) member: u64,
    pub(crate) day: NaiveDate,
    pub(crate) present: bool,
    pub(crate) with_rule: bool,
}

/// Every record the overview reads, from the CSVs alone.
pub(crate) struct Exports {
    pub(crate) members: Vec<MemberRow>,
    pub(crate) units: Vec<UnitRow>,
    pub(crate) beneficiaries: Vec<BeneficiaryRow>,
    pub(crate) pairings: Vec<PairingRow>,
    pub(crate) tasks: Vec<TaskRow>,
    pub(crate) ledger: Vec<EntryRow>,
    pub(crate) attendance: Vec<AttendanceRow>,
}

pub(crate) const MEMBER_ID: (&str, &str) = ("党员编号", "Member id");
pub(crate) const UNIT_ID: (&str, &str) = ("组织编号", "Unit id");
pub(crate) const BENEFICIARY_ID: (&str, &str) = ("对象编号", "Beneficiary id");
pub(crate) const STATUS: (&str, &str) = ("状态", "Status");

pub(crate) fn read_exports(town: &Town, zh: bool) -> Exports {
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
