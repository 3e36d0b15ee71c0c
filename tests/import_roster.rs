//! The roster as offices keep it, from files LibreOffice made (tests/fixtures):
//! .xls, .ods and .xlsx alike, a two-row merged header, no 所属党委 column
//! (the committee given with --committee), numbered empty rows, 8-digit and
//! month dates, the ID number deciding gender, a column with no header, and a
//! roster on the second sheet; through the library and the real binary.

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::io::import::{self, ImportError, ImportKind, ImportOptions};
use dangjian::ops::Actor;
use dangjian::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn empty_store() -> (tempfile::TempDir, Store, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let admin = dangjian::ops::actor_for_login(&store, "admin").unwrap();
    (dir, store, admin)
}

fn office_options() -> ImportOptions {
    ImportOptions {
        sheet: Some("花名册".into()),
        create_units: true,
        committee: Some("和平里社区党委".into()),
        ..Default::default()
    }
}

fn month(y: i32, m: u32) -> Option<PartialDate> {
    PartialDate::month(y, m)
}

#[test]
fn the_office_roster_reads_alike_from_xls_ods_and_xlsx_into_an_empty_store() {
    for ext in ["xls", "ods", "xlsx"] {
        let (_dir, store, admin) = empty_store();
        let path = fixture(&format!("roster_office.{ext}"));
        let plan = import::plan(
            &dangjian::access::AsActor(&store, &admin),
            ImportKind::Members,
            &path,
            &office_options(),
        )
        .unwrap_or_else(|e| panic!("{ext}: {e}"));
        assert_eq!(plan.header_row, 2, "{ext}");
        // Rows 7 and 8 hold only their 序号: empty rows, not bad ones.
        assert_eq!(plan.data_rows, 5, "{ext}");
        let lines = plan.problem_lines(false);
        assert_eq!(lines.len(), 2, "{ext}: {lines:#?}");
        assert!(
            lines[0].starts_with("row 9, column 性别: 男 does not match the ID number"),
            "{ext}: {lines:#?}"
        );
        assert!(
            lines[1].starts_with("row 10, column 身份证号: ID number checksum"),
            "{ext}: {lines:#?}"
        );
        let outcome = import::commit(
            &dangjian::access::AsActor(&store, &admin),
            &plan,
            true,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!((outcome.created, outcome.units_created), (3, 6), "{ext}");
        let members: Vec<Member> = store.scan::<Member>().map(Result::unwrap).collect();
        let by = |n: &str| {
            members
                .iter()
                .find(|m| m.data.name == n)
                .unwrap()
                .data
                .clone()
        };
        let zhang = by("张伟");
        assert_eq!(zhang.category, MemberCategory::OnTheJob, "{ext}");
        assert_eq!(zhang.joined, month(1998, 7), "{ext}");
        assert_eq!(zhang.full_member, month(1999, 7), "{ext}");
        assert_eq!(zhang.reported, Some(date(2020, 6, 15)), "{ext}");
        assert_eq!(zhang.birth_date, Some(date(1975, 7, 1)), "{ext}");
        let li = by("李娜");
        assert_eq!(li.category, MemberCategory::Retired, "{ext}");
        assert_eq!(
            (li.joined, li.full_member),
            (month(1980, 7), month(1981, 7))
        );
        assert_eq!(li.reported, Some(date(2021, 1, 2)), "{ext}");
        let wang = by("王强");
        assert_eq!(wang.category, MemberCategory::Student, "{ext}");
        assert_eq!(wang.joined, month(1990, 7), "{ext}");
        // The empty gender cell is the ID number's (17th digit 3: a man).
        assert_eq!(wang.gender, Some(Gender::Male), "{ext}");
        // The branches and groups hang under the committee --committee named.
        let units: Vec<OrgUnit> = store.scan::<OrgUnit>().map(Result::unwrap).collect();
        let committee = units
            .iter()
            .find(|u| u.level == OrgLevel::Committee)
            .unwrap();
        assert_eq!(committee.name, "和平里社区党委");
        assert!(
            units
                .iter()
                .filter(|u| u.level == OrgLevel::Branch)
                .all(|u| u.parent == Some(committee.id))
        );
    }
}

#[test]
fn without_a_committee_the_import_says_once_what_to_do() {
    let (_dir, store, admin) = empty_store();
    let options = ImportOptions {
        committee: None,
        ..office_options()
    };
    let err = import::plan(
        &dangjian::access::AsActor(&store, &admin),
        ImportKind::Members,
        &fixture("roster_office.xls"),
        &options,
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::NoCommittee), "{err}");
    assert!(err.to_string().contains("--create-units --committee NAME"));
}

#[test]
fn a_roster_on_the_second_sheet_names_the_sheet_read_and_the_others() {
    let (_dir, store, admin) = empty_store();
    for ext in ["xls", "ods", "xlsx"] {
        let options = ImportOptions {
            sheet: None,
            ..office_options()
        };
        let path = fixture(&format!("roster_office.{ext}"));
        let err = import::plan(
            &dangjian::access::AsActor(&store, &admin),
            ImportKind::Members,
            &path,
            &options,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "no header row found in the first 30 rows of sheet 说明; the workbook's other \
             sheets are 花名册: import one with --sheet NAME",
            "{ext}"
        );
    }
}

#[test]
fn a_column_with_data_and_no_header_is_a_problem_named_by_its_letter() {
    for ext in ["xls", "ods", "xlsx"] {
        let f = Fixture::new();
        let path = fixture(&format!("roster_unnamed_column.{ext}"));
        let plan = import::plan(
            &dangjian::access::AsActor(&f.store, &f.admin),
            ImportKind::Members,
            &path,
            &ImportOptions::default(),
        )
        .unwrap();
        let lines = plan.problem_lines(false);
        assert_eq!(
            lines,
            [
                "row 2, column D: column D has data but no header; give it one of the names \
              the import knows, or delete the column"
            ],
            "{ext}"
        );
        assert!(
            import::commit(
                &dangjian::access::AsActor(&f.store, &f.admin),
                &plan,
                false,
                &mut |_, _| {}
            )
            .is_err()
        );
    }
}

fn dangjian(store: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .arg("--store")
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

#[test]
fn the_cli_imports_the_xls_roster_into_an_empty_store_naming_each_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let xls = fixture("roster_office.xls");
    let xls = xls.to_str().unwrap();
    let args = [
        "import",
        "members",
        xls,
        "--sheet",
        "花名册",
        "--create-units",
        "--committee",
        "和平里社区党委",
    ];
    // A dry run on a path with no store says so and leaves nothing behind.
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let out = dangjian(&store, &dry);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("there is no store at"),
        "{}",
        text(&out)
    );
    assert!(!store.exists(), "a dry run created a store");
    // Bad rows stop the import and are each named.
    let out = dangjian(&store, &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("row 9, column 性别"), "{t}");
    assert!(t.contains("row 10, column 身份证号"), "{t}");
    assert!(
        t.contains("2 rows have problems, so nothing was written"),
        "{t}"
    );
    // --skip-invalid writes the three good ones.
    let mut skip = args.to_vec();
    let report = dir.path().join("problems.csv");
    skip.extend(["--skip-invalid", "--report", report.to_str().unwrap()]);
    let out = dangjian(&store, &skip);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("imported members: 3 new, 0 updated, 6 units created"),
        "{}",
        text(&out)
    );
    let s = open(&store);
    assert_eq!(s.scan::<Member>().count(), 3);
}

#[test]
fn skip_invalid_that_writes_nothing_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "姓名,身份证号,所属支部\n张三,110105197001011234,第一党支部\n",
    )
    .unwrap();
    let out = dangjian(
        &store,
        &[
            "import",
            "members",
            csv.to_str().unwrap(),
            "--create-units",
            "--committee",
            "和平里社区党委",
            "--skip-invalid",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("nothing was written: every row has a problem"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_wps_et_and_a_workbook_under_another_name_are_read_by_what_they_hold() {
    // No WPS here to save a real .et: an .et is an .xls inside (an OLE
    // compound file with a Workbook stream), which is what this checks.
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("roster_office.xls", "roster.et"),
        ("roster_office.xlsx", "roster.xls"),
        ("roster_office.ods", "roster.xlsx"),
    ] {
        let path = dir.path().join(to);
        std::fs::copy(fixture(from), &path).unwrap();
        let (_d, store, admin) = empty_store();
        let plan = import::plan(
            &dangjian::access::AsActor(&store, &admin),
            ImportKind::Members,
            &path,
            &office_options(),
        )
        .unwrap_or_else(|e| panic!("{to}: {e}"));
        assert_eq!(plan.rows.len(), 3, "{to}");
    }
}

#[test]
fn a_problem_every_row_shares_is_said_once_with_its_rows() {
    let f = Fixture::new();
    let mut text = "姓名,身份证号,所属支部\n".to_string();
    for i in 0..8 {
        text.push_str(&format!(
            "党员{i},{},第九党支部\n",
            id_number("19800101", 40 + i)
        ));
    }
    let path = f.dir.path().join("r.csv");
    std::fs::write(&path, text).unwrap();
    let plan = import::plan(
        &dangjian::access::AsActor(&f.store, &f.admin),
        ImportKind::Members,
        &path,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(plan.problems.len(), 8);
    assert_eq!(
        plan.problem_lines(false),
        [
            "rows 2, 3, 4, 5, 6 … 9 (8 rows), column 所属支部: there is no party branch named \
          第九党支部; add it first, or import with --create-units"
        ]
    );
    assert_eq!(
        plan.problem_lines(true),
        [
            "第 2、3、4、5、6…9 行（共 8 行），所属支部列：没有名为“第九党支部”的党支部；请先添加，或导入时加 --create-units"
        ]
    );
}
