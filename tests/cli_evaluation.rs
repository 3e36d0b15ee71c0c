//! The real binary on the evaluation: settings shown and set, an entry that
//! waits for approval (listed, refused to its own recorder, withdrawn), an
//! unexcused absence with its deduction and an excused one that needs a
//! reason, `report evaluation` as CSV and the nomination list, the statement
//! with both figures, and the public notice as a printable .xlsx.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::Datelike;
use common::*;
use dangjian::domain::*;
use dangjian::ops::Command as Cmd;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

fn dangjian(store: &Path, zh: bool, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .args(["--lang", if zh { "zh-CN" } else { "en" }, "--store"])
        .arg(store)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", text(&o));
    text(&o)
}

/// A store founded by the OS user with 张三 and 李四 and one activity.
fn setup(dir: &Path) -> (std::path::PathBuf, ActivityId) {
    let path = dir.join("store");
    let f = Fixture::at(&path, &dangjian::identity::os_login().unwrap());
    f.member("张三", f.group_a1);
    f.member("李四", f.group_a1);
    let act = f
        .admin_apply(Cmd::CreateActivity {
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
        .unwrap();
    drop(f);
    (path, ActivityId(act))
}

#[test]
fn an_entry_waits_its_recorder_cannot_approve_it_and_may_withdraw_it() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = setup(dir.path());
    ok(dangjian(
        &store,
        false,
        &["evaluation", "settings", "set", "--pending-rules", "vol"],
    ));
    let shown = ok(dangjian(&store, false, &["evaluation", "settings", "show"]));
    assert!(shown.contains("rules [VOL]"), "{shown}");
    let out = ok(dangjian(
        &store,
        false,
        &[
            "points", "add", "--member", "张三", "--rule", "VOL", "--hours", "2",
        ],
    ));
    let id = out
        .strip_prefix("pending ")
        .and_then(|r| r.split(':').next())
        .unwrap_or_else(|| panic!("{out}"))
        .to_string();
    let queue = ok(dangjian(&store, false, &["points", "pending"]));
    assert!(queue.contains("张三") && queue.contains("VOL"), "{queue}");
    let refused = dangjian(&store, false, &["points", "approve", &id]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("nobody approves their own"),
        "{}",
        text(&refused)
    );
    let refused = dangjian(&store, true, &["points", "approve", &id]);
    assert!(
        text(&refused).contains("不能审核自己的记录"),
        "{}",
        text(&refused)
    );
    ok(dangjian(
        &store,
        false,
        &["points", "reject", &id, "--reason", "记错了"],
    ));
    let statement = ok(dangjian(&store, false, &["points", "statement", "张三"]));
    assert!(statement.contains("balance 0"), "{statement}");
    assert!(statement.contains("rejected by"), "{statement}");
}

#[test]
fn absences_the_evaluation_report_the_statement_and_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, act) = setup(dir.path());
    let act = act.0.to_string();
    let year = today().year().to_string();
    ok(dangjian(
        &store,
        false,
        &[
            "points", "add", "--member", "张三", "--rule", "VOL", "--hours", "25",
        ],
    ));
    let out = ok(dangjian(
        &store,
        false,
        &["absent", &act, "李四", "--unexcused"],
    ));
    assert!(out.contains("-2 points under ABSENT"), "{out}");
    let refused = dangjian(&store, false, &["absent", &act, "张三"]);
    assert!(
        text(&refused).contains("needs --reason"),
        "{}",
        text(&refused)
    );
    ok(dangjian(
        &store,
        false,
        &["absent", &act, "张三", "--reason", "出差"],
    ));

    let csv = ok(dangjian(
        &store,
        false,
        &["report", "evaluation", "--year", &year, "--format", "csv"],
    ));
    let zhang = csv.lines().find(|l| l.contains("张三")).unwrap();
    // 25 hours cut to the month's 20: 60 + 20 = 80, 良好.
    assert!(zhang.contains(",80,good,"), "{zhang}");
    let li = csv.lines().find(|l| l.contains("李四")).unwrap();
    assert!(li.contains(",2,58,fail,1,"), "{li}");
    let nominations = ok(dangjian(
        &store,
        false,
        &["report", "evaluation", "--year", &year, "--nominations"],
    ));
    assert!(nominations.contains("0 members"), "{nominations}");

    let statement = ok(dangjian(&store, false, &["points", "statement", "张三"]));
    assert!(statement.contains("balance 20"), "{statement}");
    assert!(
        statement.contains("score 80, grade good (redeemable balance 20: a different figure)"),
        "{statement}"
    );
    assert!(statement.contains("cut at the cap"), "{statement}");

    let file = dir.path().join("公示.xlsx");
    ok(dangjian(
        &store,
        true,
        &[
            "report",
            "notice",
            "--year",
            &year,
            "--org",
            "2",
            "--out",
            file.to_str().unwrap(),
        ],
    ));
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let range = book.worksheet_range("公示").unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String(format!(
            "第一党支部 {year} 年度党员积分评议公示"
        )))
    );
    let header: Vec<String> = (0..9)
        .map(|c| range.get_value((1, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "序号",
            "姓名",
            "所在组织",
            "获得积分",
            "扣分",
            "评议得分",
            "等次",
            "审核状态",
            "备注"
        ]
    );
    let row = |name: &str| -> Vec<String> {
        (2..range.height() as u32)
            .map(|r| {
                (0..9)
                    .map(|c| range.get_value((r, c)).unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .find(|r| r[1] == name)
            .unwrap()
    };
    assert_eq!(&row("李四")[3..8], ["0", "2", "58", "不合格", "已审核"]);
    assert_eq!(&row("张三")[5..7], ["80", "良好"]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("orientation=\"landscape\""), "{xml}");
    assert!(xml.contains("paperSize=\"9\""), "A4");
    assert!(xml.contains("fitToPage=\"1\""), "one page wide");
    let mut wb = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut wb)
        .unwrap();
    assert!(wb.contains("_xlnm.Print_Titles"), "title and header repeat");
}

/// A month's notice: the points earned and deducted in that month, beside the
/// score and grade of the year so far.
#[test]
fn a_months_notice_shows_that_months_points_beside_the_years_score() {
    let dir = tempfile::tempdir().unwrap();
    let (store, act) = setup(dir.path());
    let year = today().year();
    let day = |m: u32| format!("{year}-{m:02}-10");
    for (month, hours) in [(1, "5"), (2, "3")] {
        ok(dangjian(
            &store,
            false,
            &[
                "points",
                "add",
                "--member",
                "张三",
                "--rule",
                "VOL",
                "--hours",
                hours,
                "--date",
                &day(month),
            ],
        ));
    }
    ok(dangjian(
        &store,
        false,
        &["absent", &act.0.to_string(), "李四", "--unexcused"],
    ));
    let file = dir.path().join("二月公示.xlsx");
    let period = format!("{year}-02");
    let out = ok(dangjian(
        &store,
        true,
        &[
            "report",
            "notice",
            "--period",
            &period,
            "--org",
            "2",
            "--out",
            file.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("已写入"), "{out}");
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let range = book.worksheet_range("公示").unwrap();
    let title = range.get_value((0, 0)).unwrap().to_string();
    assert!(title.contains(&period), "{title}");
    assert!(title.contains(&format!("{year} 年度截至期末")), "{title}");
    let row = |name: &str| -> Vec<String> {
        (2..range.height() as u32)
            .map(|r| {
                (0..9)
                    .map(|c| range.get_value((r, c)).unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .find(|r| r[1] == name)
            .unwrap()
    };
    // February's 3 points; the year's score counts January's 5 too: 60 + 8.
    assert_eq!(&row("张三")[3..7], ["3", "0", "68", "合格"]);
    // The absence is today's, outside February: nothing deducted in the
    // notice's month, but the year's score has it.
    assert_eq!(&row("李四")[3..7], ["0", "0", "58", "不合格"]);

    let refused = dangjian(
        &store,
        true,
        &["report", "notice", "--period", "2026-13", "--out", "x.xlsx"],
    );
    assert!(!refused.status.success());
    assert!(text(&refused).contains("不是期间"), "{}", text(&refused));
}
