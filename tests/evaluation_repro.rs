//! The yearly evaluation reproduced from the CSV exports, as
//! `overview_repro` reproduces the overview: a small community holding the
//! cases the evaluation names (earned points cut at a cap, a deduction and a
//! deduction taken back, a reversal of earned points, a redemption, an
//! unexcused and an excused absence, an exempt retired member, an inactive
//! member, an approved entry and one still waiting) is exported through the
//! real binary — members, org tree, ledger (with its deduction flag and
//! approver), attendance — in English and in Chinese; each member's earned,
//! deducted, score and grade are worked out from those rows alone (README:
//! "The yearly evaluation") and compared with `report evaluation --format json`.

mod common;

use chrono::{Datelike, NaiveDate};
use common::*;
use dangjian::domain::evaluation::AbsenceCeiling;
use dangjian::domain::*;
use dangjian::ops::{Actor, Command};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::{Command as Process, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

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

struct Csv {
    zh: bool,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn export(store: &Path, dir: &Path, zh: bool, kind: &str) -> Csv {
        let file = dir.join(format!("{kind}-{zh}.csv"));
        let out = dangjian(
            store,
            zh,
            &[
                "export",
                kind,
                "--format",
                "csv",
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&file).unwrap();
        let text = text.strip_prefix('\u{feff}').unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().iter().map(String::from).collect();
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
        self.get(row, header).parse().unwrap()
    }

    fn date(&self, row: &[String], header: (&str, &str)) -> Option<NaiveDate> {
        let c = self.get(row, header);
        (!c.is_empty()).then(|| NaiveDate::parse_from_str(&c[..10], "%Y-%m-%d").unwrap())
    }

    fn is(&self, row: &[String], header: (&str, &str), word: (&str, &str)) -> bool {
        self.get(row, header) == if self.zh { word.0 } else { word.1 }
    }
}

fn centi(cell: &str) -> i64 {
    let (sign, digits) = match cell.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, cell),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    sign * (int.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}").parse::<i64>().unwrap())
}

/// The community; returns the store's path and the year evaluated.
fn community(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("store");
    let f = Fixture::at(&path, &dangjian::identity::os_login().unwrap());
    let mut s = f.store.evaluation_settings().unwrap();
    s.cap = Some(Points::whole(80));
    s.excellent_share_pct = Some(50);
    s.thresholds.excellent = Points::whole(70);
    s.thresholds.good = Points::whole(65);
    s.absence_ceiling = Some(AbsenceCeiling {
        absences: 1,
        at_most: Grade::Pass,
    });
    f.admin_apply(Command::SetEvaluationSettings { settings: s })
        .unwrap();
    let admin = f.admin.clone();
    let leader = f.user("leader", Role::GroupLeader, Some(f.group_a1));
    let sec = f.user("sec", Role::BranchSecretary, Some(f.branch_a));
    let rec = |actor: &Actor, m: MemberId, code: &str, q: u32, note: &str| {
        f.apply_as(
            actor,
            Command::RecordPoints {
                member: m,
                date: today(),
                rule: f.rule(code).id,
                quantity_centi: q,
                points_override: None,
                note: note.into(),
            },
        )
        .unwrap()
    };
    let on_job = |name: &str, unit| {
        let mut d = member_data(name, unit);
        d.category = MemberCategory::OnTheJob;
        MemberId(
            f.admin_apply(Command::CreateMember { data: d })
                .unwrap()
                .created
                .unwrap(),
        )
    };
    let a = on_job("甲", f.group_a1);
    let b = on_job("乙", f.group_a1);
    let c = on_job("丙", f.group_a2);
    let old = f.member("老", f.group_a2);
    f.admin_apply(Command::UpdateMember {
        id: old,
        data: MemberData {
            birth_date: Some(date(today().year() - 90, 1, 1)),
            ..member_data("老", f.group_a2)
        },
    })
    .unwrap();
    let gone = on_job("走", f.group_b1);
    let d = on_job("丁", f.group_b1);
    // 甲: 25 h VOL cut to 20, a deduction and its reversal, an approved entry.
    rec(&admin, a, "VOL", 2500, "");
    let ded = rec(&sec, a, "ABSENT", 100, "迟到").created.unwrap();
    f.admin_apply(Command::ReversePoints {
        entry: EntryId(ded),
        reason: "弄错了".into(),
    })
    .unwrap();
    let p = rec(&leader, a, "CARE", 300, "").created.unwrap();
    f.apply_as(
        &sec,
        Command::ApprovePoints {
            ids: vec![PendingId(p)],
        },
    )
    .unwrap();
    // 乙: earned, then reversed; one still waiting; an unexcused absence.
    let e = rec(&admin, b, "VOL", 900, "").created.unwrap();
    f.admin_apply(Command::ReversePoints {
        entry: EntryId(e),
        reason: "重复".into(),
    })
    .unwrap();
    rec(&admin, b, "VOL", 800, "");
    rec(&leader, b, "VOL", 500, "");
    let act = ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::GroupMeeting,
                title: "党小组会".into(),
                host: f.branch_a,
                starts: today().and_hms_opt(0, 0, 0).unwrap(),
                place: String::new(),
                rule: None,
                invitees: f.branch_a,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    );
    f.admin_apply(Command::MarkUnexcused {
        activity: act,
        member: b,
        note: String::new(),
    })
    .unwrap();
    f.admin_apply(Command::MarkAbsent {
        activity: act,
        member: c,
        reason: "出差".into(),
    })
    .unwrap();
    // 丙: earned and spent on a reward.
    rec(&admin, c, "VOL", 1200, "");
    let reward = f
        .admin_apply(Command::CreateReward {
            name: "米".into(),
            cost: Points::whole(10),
            stock: None,
        })
        .unwrap()
        .created
        .unwrap();
    f.admin_apply(Command::Redeem {
        member: c,
        reward: RewardId(reward),
        date: today(),
        note: String::new(),
    })
    .unwrap();
    rec(&admin, old, "VOL", 300, "");
    rec(&admin, gone, "VOL", 300, "");
    f.admin_apply(Command::SetMemberStatus {
        id: gone,
        status: MemberStatus::TransferredOut,
    })
    .unwrap();
    rec(&admin, d, "ABSENT", 3000, "三十次缺席");
    drop(f);
    path
}

#[derive(Debug, PartialEq)]
struct Figures {
    earned: i64,
    deducted: i64,
    score: Option<i64>,
    grade: Option<String>,
}

/// Each active member's figures from the exports and the settings alone.
fn from_exports(
    store: &Path,
    dir: &Path,
    zh: bool,
    s: &EvaluationSettings,
    year: i32,
) -> BTreeMap<u64, Figures> {
    let members = Csv::export(store, dir, zh, "members");
    let org = Csv::export(store, dir, zh, "org");
    let ledger = Csv::export(store, dir, zh, "ledger");
    let attendance = Csv::export(store, dir, zh, "attendance");
    let id = ("党员编号", "Member id");
    // Each unit's parent and whether it is a branch.
    let units: HashMap<u64, (Option<u64>, bool)> = org
        .rows
        .iter()
        .map(|r| {
            let parent = org.get(r, ("上级编号", "Parent id"));
            (
                org.id(r, ("组织编号", "Unit id")),
                (
                    parent.parse().ok(),
                    org.is(r, ("层级", "Level"), ("党支部", "branch")),
                ),
            )
        })
        .collect();
    let branch = |mut u: u64| {
        let start = u;
        while let Some((parent, is_branch)) = units.get(&u) {
            if *is_branch {
                return u;
            }
            match parent {
                Some(p) => u = *p,
                None => break,
            }
        }
        start
    };
    let in_year = |d: Option<NaiveDate>| d.is_some_and(|d| d.year() == year);
    let mut lines: Vec<(u64, u64, Figures)> = Vec::new();
    for r in &members.rows {
        if !members.is(r, ("状态", "Status"), ("正常", "active")) {
            continue;
        }
        let m = members.id(r, id);
        let rows = ledger
            .rows
            .iter()
            .filter(|e| ledger.id(e, id) == m && in_year(ledger.date(e, ("服务日期", "Date"))));
        let (mut net, mut deducted) = (0, 0);
        for e in rows {
            if ledger.get(e, ("来源", "Source")).starts_with(if zh {
                "兑换"
            } else {
                "redemption"
            }) {
                continue;
            }
            let p = centi(ledger.get(e, ("积分", "Points")));
            net += p;
            if ledger.is(e, ("扣分", "Deduction"), ("是", "yes")) {
                deducted -= p;
            }
        }
        let retired = members.is(r, ("党员类别", "Category"), ("离退休", "retired"));
        let born = members.date(r, ("出生日期", "Birth date"));
        let exempt = retired
            && s.exempt_retired_from_age
                .zip(born)
                .is_some_and(|(age, b)| year - b.year() >= i32::from(age));
        let (score, grade) = if exempt {
            (None, None)
        } else {
            let mut score = (s.base.0 + net).max(0);
            if let Some(cap) = s.cap {
                score = score.min(cap.0);
            }
            let mut grade = s.thresholds.grade(Points(score));
            let absences = attendance
                .rows
                .iter()
                .filter(|a| {
                    attendance.id(a, id) == m
                        && attendance.is(a, ("出勤", "Presence"), ("无故缺席", "unexcused"))
                        && in_year(attendance.date(a, ("开始时间", "Starts")))
                })
                .count() as u32;
            if let Some(c) = s.absence_ceiling
                && absences >= c.absences
                && grade < c.at_most
            {
                grade = c.at_most;
            }
            (Some(score), Some(grade))
        };
        let unit = members.id(r, ("组织编号", "Unit id"));
        lines.push((
            branch(unit),
            m,
            Figures {
                earned: net + deducted,
                deducted,
                score,
                grade: grade.map(|g| format!("{g:?}")),
            },
        ));
    }
    // The 优秀 share, branch by branch: the highest scores keep it.
    let mut by_branch: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, (b, _, _)) in lines.iter().enumerate() {
        by_branch.entry(*b).or_default().push(i);
    }
    if let Some(pct) = s.excellent_share_pct {
        for idx in by_branch.values() {
            let graded = idx.iter().filter(|i| lines[**i].2.grade.is_some()).count();
            let places = graded * usize::from(pct) / 100;
            let mut top: Vec<usize> = idx
                .iter()
                .copied()
                .filter(|i| lines[*i].2.grade.as_deref() == Some("Excellent"))
                .collect();
            top.sort_by(|x, y| {
                lines[*y]
                    .2
                    .score
                    .cmp(&lines[*x].2.score)
                    .then(lines[*x].1.cmp(&lines[*y].1))
            });
            for i in top.into_iter().skip(places) {
                lines[i].2.grade = Some("Good".into());
            }
        }
    }
    lines.into_iter().map(|(_, m, f)| (m, f)).collect()
}

#[test]
fn the_evaluation_is_reproduced_from_the_csv_exports_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let store = community(dir.path());
    let year = today().year();
    let out = dangjian(&store, false, &["evaluation", "settings", "show", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let settings: EvaluationSettings = serde_json::from_slice(&out.stdout).unwrap();
    let out = dangjian(
        &store,
        false,
        &[
            "report",
            "evaluation",
            "--year",
            &year.to_string(),
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: dangjian::report::evaluation::Evaluation =
        serde_json::from_slice(&out.stdout).unwrap();
    let reported: BTreeMap<u64, Figures> = report
        .lines
        .iter()
        .map(|l| {
            (
                l.member.0,
                Figures {
                    earned: l.earned.0,
                    deducted: l.deducted.0,
                    score: l.score.map(|p| p.0),
                    grade: l.grade.map(|g| format!("{g:?}")),
                },
            )
        })
        .collect();
    // The cases are there: a cut, an exemption, the ceiling, the share.
    assert_eq!(
        reported.len(),
        5,
        "the one who left is not evaluated: {reported:#?}"
    );
    assert!(report.lines.iter().any(|l| l.exempt.is_some()));
    assert!(
        reported
            .values()
            .any(|f| f.grade.as_deref() == Some("Fail"))
    );
    for zh in [false, true] {
        let worked = from_exports(&store, dir.path(), zh, &settings, year);
        assert_eq!(worked, reported, "zh: {zh}");
    }
}
