//! Import and export through the library, on real sled stores:
//! rosters as offices make them (title rows, 序号, Chinese or English headers,
//! GB18030, Excel date cells, dates typed five ways, full-width digits),
//! problems by row and column, all or nothing, updates by ID number, round
//! trips through CSV and Excel. (Backups: tests/backup.rs.)

mod common;

use common::*;
use dangjian::demo::roster::{self, RosterEncoding, RosterParams};
use dangjian::domain::*;
use dangjian::io::export::{self, ExportKind, ExportOptions, FileFormat};
use dangjian::io::import::{self, ImportKind, ImportOptions, Plan};
use dangjian::ops::{self, Actor, Command};
use dangjian::store::Store;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn csv_text(rows: &[&[&str]]) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in rows {
        if r.is_empty() {
            w.write_record([""]).unwrap();
        } else {
            w.write_record(*r).unwrap();
        }
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn plan_file(f: &Fixture, kind: ImportKind, path: &Path, create_units: bool) -> Plan {
    let options = ImportOptions {
        sheet: None,
        create_units,
        ..Default::default()
    };
    import::plan(
        &dangjian::access::AsActor(&f.store, &f.admin),
        kind,
        path,
        &options,
    )
    .unwrap()
}

fn commit(store: &Store, actor: &Actor, plan: &Plan, skip: bool) -> import::Outcome {
    import::commit(
        &dangjian::access::AsActor(store, actor),
        plan,
        skip,
        &mut |_, _| {},
    )
    .unwrap()
}

fn lines(plan: &Plan) -> Vec<String> {
    plan.problems.iter().map(|p| p.line(false)).collect()
}

fn member_by_id_number(store: &Store, id: &str) -> Member {
    store
        .scan::<Member>()
        .map(Result::unwrap)
        .find(|m| m.data.id_number == id)
        .unwrap_or_else(|| panic!("no member with ID {id}"))
}

/// A roster the way an office keeps it: title, blank row, 序号, headers in
/// their everyday names and their own order, dates typed every which way.
fn messy_roster() -> (String, [String; 3]) {
    let ids = [
        id_number("19800305", 101),
        id_number("19561120", 202),
        id_number("20010101", 303),
    ];
    let text = csv_text(&[
        &["和平里社区党员花名册"],
        &[],
        &[
            "序号",
            "手机号码",
            "姓 名",
            "身份证号码",
            "党小组",
            "所属支部",
            "入党时间",
            "转正时间",
            "人员类别",
            "报到时间",
            "楼栋",
            "单元",
            "房号",
            "特长",
            "民族",
        ],
        &[
            "1",
            "１３８ ００１３ ８０００",
            " 张 三 ",
            &ids[0],
            "1号楼党小组",
            "第一党支部",
            "2001-03-05",
            "2002/3/5",
            "在职党员",
            "2020.6.1",
            "３",
            "2",
            "501",
            "维修、法律",
            "汉",
        ],
        &[
            "2",
            "+86 139-1234-5678",
            "李四",
            &ids[1].to_lowercase(),
            "",
            "第二党支部",
            "1980年7月1日",
            "19810701",
            "退休",
            "２０２１年１月２日",
            "5",
            "",
            "",
            "",
            "汉",
        ],
        &[],
        &[
            "3",
            "",
            "王五",
            &ids[2],
            "3号楼党小组",
            "",
            "",
            "",
            "学生",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]);
    (text, ids)
}

fn check_messy_import(f: &Fixture, path: &Path, ids: &[String; 3]) {
    let plan = plan_file(f, ImportKind::Members, path, false);
    assert_eq!(lines(&plan), Vec::<String>::new());
    assert_eq!(plan.header_row, 3);
    assert_eq!(plan.data_rows, 3);
    assert_eq!(plan.ignored_columns, vec!["民族".to_string()]);
    let out = commit(&f.store, &f.admin, &plan, false);
    assert_eq!((out.created, out.updated), (3, 0));
    let zhang = member_by_id_number(&f.store, &ids[0]);
    assert_eq!(zhang.data.name, "张 三");
    assert_eq!(zhang.data.phone, "13800138000");
    assert_eq!(zhang.data.unit, f.group_a1);
    assert_eq!(zhang.data.joined, Some(date(2001, 3, 5).into()));
    assert_eq!(zhang.data.full_member, Some(date(2002, 3, 5).into()));
    assert_eq!(zhang.data.reported, Some(date(2020, 6, 1)));
    assert_eq!(zhang.data.category, MemberCategory::OnTheJob);
    assert_eq!(zhang.data.address.short(), "3-2-501");
    assert_eq!(zhang.data.skills, vec!["维修", "法律"]);
    // No birth-date or gender column: both come from the ID number.
    assert_eq!(zhang.data.birth_date, Some(date(1980, 3, 5)));
    assert_eq!(zhang.data.gender, Some(Gender::Male));
    let li = member_by_id_number(&f.store, &ids[1]);
    assert_eq!(li.data.unit, f.branch_b);
    assert_eq!(li.data.phone, "13912345678");
    assert_eq!(li.data.joined, Some(date(1980, 7, 1).into()));
    assert_eq!(li.data.full_member, Some(date(1981, 7, 1).into()));
    assert_eq!(li.data.reported, Some(date(2021, 1, 2)));
    assert_eq!(li.data.category, MemberCategory::Retired);
    assert_eq!(li.data.gender, Some(Gender::Female));
    let wang = member_by_id_number(&f.store, &ids[2]);
    // A group named without its branch is found by its own name.
    assert_eq!(wang.data.unit, f.group_b1);
    assert_eq!(wang.data.category, MemberCategory::Student);
    f.assert_check_clean();
}

#[test]
fn a_messy_roster_imports_alike_from_utf8_bom_and_gb18030() {
    let (text, ids) = messy_roster();
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let gb = encoding_rs::GB18030.encode(&text).0.into_owned();
    assert!(
        std::str::from_utf8(&gb).is_err(),
        "the GB18030 file must not be UTF-8"
    );
    for (name, bytes) in [
        ("utf8.csv", text.as_bytes().to_vec()),
        ("bom.csv", bom),
        ("gbk.csv", gb),
    ] {
        let f = Fixture::new();
        let path = write_file(f.dir.path(), name, &bytes);
        check_messy_import(&f, &path, &ids);
    }
}

#[test]
fn an_xlsx_with_date_cells_english_headers_and_a_named_sheet() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let f = Fixture::new();
    let ok = id_number("19700506", 11);
    let path = f.dir.path().join("roster.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet().set_name("说明").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("名册").unwrap();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(0, 0, "Party members").unwrap();
    for (c, h) in [
        "No.",
        "Name",
        "ID number",
        "Phone",
        "Branch",
        "Group",
        "Joined",
        "Reported",
        "Category",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet.write_number(3, 0, 1).unwrap();
    sheet.write_string(3, 1, "赵六").unwrap();
    sheet.write_string(3, 2, &ok).unwrap();
    sheet.write_number(3, 3, 13800138000.0).unwrap();
    sheet.write_string(3, 4, "第一党支部").unwrap();
    sheet.write_string(3, 5, "2号楼党小组").unwrap();
    let joined = ExcelDateTime::from_ymd(1995, 7, 1).unwrap();
    sheet
        .write_datetime_with_format(3, 6, &joined, &date_format)
        .unwrap();
    sheet.write_string(3, 7, "2020年1月2日").unwrap();
    sheet.write_string(3, 8, "retired").unwrap();
    // The ID number typed into a number cell: Excel keeps only 15 digits.
    sheet.write_number(4, 0, 2).unwrap();
    sheet.write_string(4, 1, "钱七").unwrap();
    sheet.write_number(4, 2, 110105197005061234.0).unwrap();
    sheet.write_string(4, 4, "第一党支部").unwrap();
    book.save(&path).unwrap();

    let options = ImportOptions {
        sheet: Some("名册".into()),
        create_units: false,
        ..Default::default()
    };
    let plan = import::plan(
        &dangjian::access::AsActor(&f.store, &f.admin),
        ImportKind::Members,
        &path,
        &options,
    )
    .unwrap();
    assert_eq!(plan.header_row, 3);
    assert_eq!(
        lines(&plan),
        vec![
            "row 5, column ID number: the ID number is stored as a number, so Excel kept only its \
             first 15 digits; format the column as text and enter the number again"
        ]
    );
    commit(&f.store, &f.admin, &plan, true);
    let m = member_by_id_number(&f.store, &ok);
    assert_eq!(m.data.unit, f.group_a2);
    assert_eq!(m.data.joined, Some(date(1995, 7, 1).into()));
    assert_eq!(m.data.reported, Some(date(2020, 1, 2)));
    assert_eq!(m.data.phone, "13800138000");
    assert_eq!(m.data.category, MemberCategory::Retired);

    let missing = ImportOptions {
        sheet: Some("Sheet9".into()),
        create_units: false,
        ..Default::default()
    };
    let err = import::plan(
        &dangjian::access::AsActor(&f.store, &f.admin),
        ImportKind::Members,
        &path,
        &missing,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} has no sheet named 'Sheet9'; its sheets are: 说明, 名册",
            path.display()
        )
    );
}

#[test]
fn every_problem_is_named_by_row_and_column() {
    let f = Fixture::new();
    let good = id_number("19700506", 1);
    let mut bad_check = id_number("19700506", 2);
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '1' { '2' } else { '1' });
    let future = (today() + chrono::Duration::days(3)).to_string();
    let text = csv_text(&[
        &[
            "姓名",
            "身份证号",
            "联系电话",
            "所属支部",
            "党小组",
            "入党日期",
            "转正日期",
            "党员类别",
        ],
        &[
            "甲",
            &good,
            "13800138000",
            "第一党支部",
            "1号楼党小组",
            "2001-03-05",
            "2002-03-05",
            "在职",
        ],
        &[
            "乙",
            &bad_check,
            "1380013800",
            "第一党支部",
            "",
            "2001-02-30",
            "",
            "退役",
        ],
        &[
            "",
            &id_number("19700506", 3),
            "",
            "第九党支部",
            "",
            &future,
            "",
            "",
        ],
        &[
            "丁",
            &good,
            "",
            "第一党支部",
            "",
            "2001-03-05",
            "2000-01-01",
            "",
        ],
        &["戊", "1101051970050612", "", "", "", "", "", ""],
    ]);
    let path = write_file(f.dir.path(), "bad.csv", text.as_bytes());
    let plan = plan_file(&f, ImportKind::Members, &path, false);
    let expected_check = dangjian::domain::validate::validate_id_number(&bad_check).unwrap_err();
    assert_eq!(
        lines(&plan),
        vec![
            format!("row 3, column 身份证号: {expected_check}"),
            "row 3, column 联系电话: phone must be an 11-digit mobile number (e.g. 13800138000) or a landline with area code (e.g. 010-12345678)".to_string(),
            "row 3, column 党员类别: '退役' is not a member category (在职, 离退休, 学生, 流动, 其他 / on-the-job, retired, student, mobile, other)".to_string(),
            "row 3, column 入党日期: no such date: '2001-02-30' (2001-02 has only 28 days)".to_string(),
            "row 4, column 姓名: a value is required".to_string(),
            "row 4, column 所属支部: there is no party branch named 第九党支部; add it first, or import with --create-units".to_string(),
            format!("row 4, column 入党日期: {future} is in the future"),
            "row 5, column 身份证号: the same ID number as row 2".to_string(),
            "row 5, column 转正日期: full-membership date 2000-01-01 is before the join date 2001-03-05".to_string(),
            "row 6, column 身份证号: ID number must be 18 characters, got 16".to_string(),
            "row 6, column 所属支部: a branch or a group is required".to_string(),
        ]
    );
    assert_eq!(plan.problems[4].line(true), "第 4 行，姓名列：必填");
    assert_eq!(plan.bad_row_numbers(), BTreeSet::from([3, 4, 5, 6]));
    assert_eq!((plan.new_count(), plan.update_count()), (1, 0));
}

#[test]
fn planning_writes_nothing_and_a_bad_row_stops_the_whole_import() {
    let f = Fixture::new();
    let text = csv_text(&[
        &["姓名", "身份证号", "所属支部", "党小组"],
        &["甲", &id_number("19700506", 1), "第一党支部", "新楼党小组"],
        &["乙", "123", "第一党支部", ""],
    ]);
    let path = write_file(f.dir.path(), "one-bad.csv", text.as_bytes());
    let before = f.store.dump().unwrap();
    let plan = plan_file(&f, ImportKind::Members, &path, true);
    assert_eq!(plan.units_to_create().len(), 1);
    assert_eq!(f.store.dump().unwrap(), before, "planning wrote something");
    let err = import::commit(
        &dangjian::access::AsActor(&f.store, &f.admin),
        &plan,
        false,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "1 rows have problems, so nothing was written (import with --skip-invalid to write the valid rows)"
    );
    assert_eq!(
        f.store.dump().unwrap(),
        before,
        "a refused import wrote something"
    );
}

#[test]
fn skip_invalid_writes_the_valid_rows_and_a_report_of_the_rest() {
    let f = Fixture::new();
    let text = csv_text(&[
        &["序号", "姓名", "身份证号", "所属支部", "联系电话"],
        &[
            "1",
            "甲",
            &id_number("19700506", 1),
            "第一党支部",
            "13800138000",
        ],
        &["2", "乙", "123", "第一党支部", "12345"],
        &["3", "丙", &id_number("19700506", 3), "第一党支部", ""],
    ]);
    let path = write_file(f.dir.path(), "skip.csv", text.as_bytes());
    let plan = plan_file(&f, ImportKind::Members, &path, false);
    let out = commit(&f.store, &f.admin, &plan, true);
    assert_eq!(out.created, 2);
    let report = f.dir.path().join("report.csv");
    assert_eq!(
        import::write_report(&plan, &out.late_problems, &report, false).unwrap(),
        1
    );
    let bytes = std::fs::read(&report).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(
        text,
        "row,problems,序号,姓名,身份证号,所属支部,联系电话\n\
         3,\"身份证号: ID number must be 18 characters, got 3; 联系电话: phone must be an 11-digit \
         mobile number (e.g. 13800138000) or a landline with area code (e.g. 010-12345678)\",2,乙,123,第一党支部,12345\n"
    );
    f.assert_check_clean();
}

#[test]
fn a_row_with_a_known_id_number_updates_that_member_and_keeps_what_the_file_lacks() {
    let f = Fixture::new();
    let idn = id_number("19700506", 7);
    let mut data = member_data("张三", f.group_a1);
    data.id_number = idn.clone();
    data.home_unit = "区教育局".into();
    data.skills = vec!["维修".into()];
    let id = MemberId(
        f.admin_apply(Command::CreateMember { data })
            .unwrap()
            .created
            .unwrap(),
    );
    let text = csv_text(&[
        &["姓名", "身份证号", "联系电话", "所属支部", "党小组"],
        &["张三", &idn, "13912345678", "第二党支部", "3号楼党小组"],
        &["张三", &idn.to_lowercase(), "13912345678", "", ""],
    ]);
    let path = write_file(f.dir.path(), "update.csv", text.as_bytes());
    let plan = plan_file(&f, ImportKind::Members, &path, false);
    // The second row repeats the first: a duplicate in the file.
    assert_eq!(
        lines(&plan),
        vec!["row 3, column 身份证号: the same ID number as row 2"]
    );
    assert_eq!((plan.new_count(), plan.update_count()), (0, 1));
    let out = commit(&f.store, &f.admin, &plan, true);
    assert_eq!((out.created, out.updated), (0, 1));
    assert_eq!(f.store.count_of::<dangjian::domain::Member>(), 1);
    let m = f.store.get_id::<Member>(id.0).unwrap().unwrap();
    assert_eq!(m.data.phone, "13912345678");
    assert_eq!(m.data.unit, f.group_b1);
    assert_eq!(m.data.home_unit, "区教育局");
    assert_eq!(m.data.skills, vec!["维修"]);
    // The same file again changes nothing and says so.
    let again = plan_file(&f, ImportKind::Members, &path, false);
    assert_eq!(
        (again.new_count(), again.update_count(), again.unchanged),
        (0, 0, 1)
    );
    f.assert_check_clean();
}

#[test]
fn units_are_created_only_on_request_and_only_by_who_may() {
    let f = Fixture::new();
    let text = csv_text(&[
        &["姓名", "身份证号", "所属支部", "党小组"],
        &["甲", &id_number("19700506", 1), "第三党支部", "9号楼党小组"],
        &["乙", &id_number("19700506", 2), "第一党支部", "9号楼党小组"],
    ]);
    let path = write_file(f.dir.path(), "units.csv", text.as_bytes());
    let plan = plan_file(&f, ImportKind::Members, &path, true);
    assert_eq!(lines(&plan), Vec::<String>::new());
    let made: Vec<(OrgLevel, String)> = plan
        .units_to_create()
        .iter()
        .map(|u| (u.level, u.name.clone()))
        .collect();
    assert_eq!(
        made,
        vec![
            (OrgLevel::Branch, "第三党支部".to_string()),
            (OrgLevel::Group, "9号楼党小组".to_string()),
            (OrgLevel::Group, "9号楼党小组".to_string()),
        ]
    );
    let out = commit(&f.store, &f.admin, &plan, false);
    assert_eq!((out.created, out.units_created), (2, 3));
    let units = ops::query::org_units(&f.store).unwrap();
    let third = units.iter().find(|u| u.name == "第三党支部").unwrap();
    assert_eq!(third.parent, Some(f.committee));
    let groups: Vec<&OrgUnit> = units.iter().filter(|u| u.name == "9号楼党小组").collect();
    let parents: BTreeSet<OrgUnitId> = groups.iter().filter_map(|g| g.parent).collect();
    assert_eq!(parents, BTreeSet::from([third.id, f.branch_a]));
    f.assert_check_clean();

    // A branch secretary may add a group in their branch, not a branch.
    let secretary = f.user("wangfang", Role::BranchSecretary, Some(f.branch_b));
    let text = csv_text(&[
        &["姓名", "身份证号", "所属支部", "党小组"],
        &["丙", &id_number("19700506", 3), "第二党支部", "8号楼党小组"],
        &["丁", &id_number("19700506", 4), "第四党支部", ""],
        &["戊", &id_number("19700506", 5), "第一党支部", ""],
    ]);
    let path = write_file(f.dir.path(), "secretary.csv", text.as_bytes());
    let options = ImportOptions {
        sheet: None,
        create_units: true,
        ..Default::default()
    };
    let plan = import::plan(
        &dangjian::access::AsActor(&f.store, &secretary),
        ImportKind::Members,
        &path,
        &options,
    )
    .unwrap();
    assert_eq!(
        lines(&plan),
        vec![
            "row 3, column 所属支部: there is no party branch named 第四党支部, and `wangfang` may not create one",
            "row 4, column 所属支部: party branch 第一党支部 is outside what `wangfang` may change",
        ]
    );
    let leader = f.user("lijun", Role::GroupLeader, Some(f.group_a1));
    let err = import::plan(
        &dangjian::access::AsActor(&f.store, &leader),
        ImportKind::Members,
        &path,
        &options,
    )
    .unwrap_err();
    assert!(err.to_string().contains("may not import members"), "{err}");
}

/// A community with every member field filled in some member.
fn rich_fixture() -> Fixture {
    let f = Fixture::new();
    let mut a = member_data("张三", f.group_a1);
    a.id_number = id_number("19700506", 11);
    a.home_unit = "市第一人民医院, 内科".into();
    a.skills = vec!["医疗".into(), "法律".into()];
    a.posts = vec!["楼栋长".into()];
    a.notes = "行动不便，\"需要\"上门".into();
    a.category = MemberCategory::OnTheJob;
    let mut b = member_data("欧阳娜", f.branch_b);
    b.id_number = id_number("19491231", 2);
    b.gender = Some(Gender::Female);
    // Birth dates and genders as the ID numbers give them: an import holds
    // any other to be a mistake.
    b.birth_date = Some(date(1949, 12, 31));
    b.phone = "010-12345678".into();
    b.address = Address::default();
    b.reported = None;
    b.joined = PartialDate::month(1980, 7);
    b.full_member = None;
    b.category = MemberCategory::Mobile;
    b.status = MemberStatus::TransferredOut;
    let mut c = member_data("李四", f.group_b1);
    c.id_number = id_number("20000229", 5);
    c.gender = Some(Gender::Male);
    c.birth_date = Some(date(2000, 2, 29));
    c.phone = String::new();
    c.category = MemberCategory::Student;
    c.status = MemberStatus::Deceased;
    for data in [a, b, c] {
        f.admin_apply(Command::CreateMember { data }).unwrap();
    }
    f.beneficiary("孙奶奶", f.group_a1);
    let mut bd = beneficiary_data("周大爷", f.branch_b);
    bd.kind = BeneficiaryKind::Disabled;
    bd.contact = "13912345678".into();
    bd.visit_cycle_days = 30;
    bd.active = false;
    f.admin_apply(Command::CreateBeneficiary { data: bd })
        .unwrap();
    f
}

/// Members keyed by ID number, with their unit as a path of names.
fn members_by_path(store: &Store) -> BTreeMap<String, (MemberData, Vec<String>)> {
    let units: HashMap<OrgUnitId, OrgUnit> = ops::query::org_units(store)
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    store
        .scan::<Member>()
        .map(Result::unwrap)
        .map(|m| {
            let mut path = Vec::new();
            let mut at = Some(m.data.unit);
            while let Some(u) = at.and_then(|i| units.get(&i)) {
                path.insert(0, u.name.clone());
                at = u.parent;
            }
            let data = MemberData {
                unit: OrgUnitId(0),
                ..m.data
            };
            (data.id_number.clone(), (data, path))
        })
        .collect()
}

#[test]
fn members_and_beneficiaries_round_trip_through_csv_and_xlsx_into_an_empty_store() {
    let f = rich_fixture();
    for (zh, ext) in [
        (true, "csv"),
        (false, "xlsx"),
        (true, "xlsx"),
        (false, "csv"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let members = dir.path().join(format!("members.{ext}"));
        let benefs = dir.path().join(format!("beneficiaries.{ext}"));
        for (kind, path) in [
            (ExportKind::Members, &members),
            (ExportKind::Beneficiaries, &benefs),
        ] {
            let options = ExportOptions {
                kind,
                org: None,
                unmasked: true,
                zh,
            };
            let table = export::table(&f.store, &f.admin, &options).unwrap();
            export::write(&table, FileFormat::for_path(path), path).unwrap();
        }
        let store = open(&dir.path().join("empty"));
        let admin = ops::actor_for_login(&store, "someone").unwrap();
        let options = ImportOptions {
            sheet: None,
            create_units: true,
            ..Default::default()
        };
        for (kind, path) in [
            (ImportKind::Members, &members),
            (ImportKind::Beneficiaries, &benefs),
        ] {
            let plan = import::plan(
                &dangjian::access::AsActor(&store, &admin),
                kind,
                path,
                &options,
            )
            .unwrap();
            assert_eq!(lines(&plan), Vec::<String>::new(), "{ext} zh={zh}");
            commit(&store, &admin, &plan, false);
        }
        assert_eq!(
            members_by_path(&store),
            members_by_path(&f.store),
            "{ext} zh={zh}"
        );
        let benef = |s: &Store| {
            let mut v: Vec<(String, String, String, String, u32, bool, String)> = s
                .scan::<Beneficiary>()
                .map(Result::unwrap)
                .map(|b| {
                    let d = b.data;
                    (
                        d.name,
                        d.address.short(),
                        format!("{:?}", d.kind),
                        d.contact,
                        d.visit_cycle_days,
                        d.active,
                        d.needs,
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(benef(&store), benef(&f.store), "{ext} zh={zh}");
        // And again: everything matches, nothing changes.
        let again = import::plan(
            &dangjian::access::AsActor(&store, &admin),
            ImportKind::Members,
            &members,
            &options,
        )
        .unwrap();
        assert_eq!(
            (again.new_count(), again.update_count(), again.unchanged),
            (0, 0, 3)
        );
        let report = dangjian::store::check(&store).unwrap();
        assert!(report.is_clean(), "{:?}", report.problems);
    }
}

#[test]
fn exports_mask_id_numbers_and_phones_unless_unmasked_by_who_may() {
    let f = rich_fixture();
    let options = |unmasked| ExportOptions {
        kind: ExportKind::Members,
        org: Some(f.branch_a),
        unmasked,
        zh: true,
    };
    let table = export::table(&f.store, &f.admin, &options(false)).unwrap();
    assert_eq!(
        table.headers[..6],
        [
            "党员编号",
            "姓名",
            "性别",
            "出生日期",
            "身份证号",
            "联系电话"
        ]
    );
    assert_eq!(table.rows.len(), 1, "only the asked-for branch");
    let idn = id_number("19700506", 11);
    assert_eq!(
        table.rows[0][4].display(),
        format!("1101**********{}", &idn[14..])
    );
    assert_eq!(table.rows[0][5].display(), "138****8000");
    let leader = f.user("lijun", Role::GroupLeader, Some(f.group_a1));
    let err = export::table(&f.store, &leader, &options(true)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`lijun` (group-leader) may not export whole ID numbers and phones; leave out --unmasked \
         (a committee admin or branch secretary may use it)"
    );
    let err = export::table(&f.store, &leader, &options(false)).unwrap_err();
    assert!(
        err.to_string().contains("outside what `lijun` may see"),
        "{err}"
    );
    let en = ExportOptions {
        kind: ExportKind::Ledger,
        org: None,
        unmasked: false,
        zh: false,
    };
    assert_eq!(
        export::table(&f.store, &leader, &en).unwrap().headers[0],
        "Entry"
    );
}

#[test]
fn ten_thousand_messy_rows_report_exactly_the_bad_ones_and_import_the_rest() {
    let params = RosterParams {
        rows: 10_000,
        bad_every: 97,
        seed: 3,
        today: today(),
        messy: true,
    };
    let r = roster::messy_roster(&params);
    assert!(r.bad.len() > 100);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.csv");
    roster::write(&r, &path, RosterEncoding::Gb18030).unwrap();
    let store = open(&dir.path().join("store"));
    let admin = ops::actor_for_login(&store, "someone").unwrap();
    let options = ImportOptions {
        sheet: None,
        create_units: true,
        ..Default::default()
    };
    let plan = import::plan(
        &dangjian::access::AsActor(&store, &admin),
        ImportKind::Members,
        &path,
        &options,
    )
    .unwrap();
    assert_eq!(plan.bad_row_numbers(), r.bad);
    assert_eq!(plan.data_rows, 10_000);
    let out = commit(&store, &admin, &plan, true);
    assert_eq!(out.created, 10_000 - r.bad.len());
    assert_eq!(out.units_created, 1 + 5 + 40);
    assert_eq!(
        store.count_of::<dangjian::domain::Member>(),
        10_000 - r.bad.len()
    );
    let report = dangjian::store::check(&store).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
}

#[test]
fn beneficiaries_are_checked_and_matched_by_name_and_address() {
    let f = Fixture::new();
    let existing = f.beneficiary("孙奶奶", f.group_a1);
    let text = csv_text(&[
        &["帮扶对象名单"],
        &[
            "序号",
            "姓名",
            "类型",
            "住址",
            "负责党小组",
            "联系电话",
            "走访周期（天）",
            "需求",
        ],
        // 3-1-101 is where the fixture's 孙奶奶 lives: an update.
        &[
            "1",
            "孙奶奶",
            "独居老人",
            "3栋1单元101室",
            "1号楼党小组",
            "13800138000",
            "10",
            "买药",
        ],
        &[
            "2",
            "周大爷",
            "残疾人",
            "5-2-302",
            "3号楼党小组",
            "",
            "30",
            "",
        ],
        &[
            "3",
            "吴阿姨",
            "退休",
            "5-2-303",
            "3号楼党小组",
            "123",
            "0",
            "",
        ],
        &[
            "4",
            "郑叔叔",
            "困难家庭",
            "和平里",
            "3号楼党小组",
            "",
            "",
            "",
        ],
    ]);
    let path = write_file(f.dir.path(), "benef.csv", text.as_bytes());
    let plan = plan_file(&f, ImportKind::Beneficiaries, &path, false);
    assert_eq!(
        lines(&plan),
        vec![
            "row 5, column 类型: '退休' is not a kind of beneficiary (独居老人, 残疾人, 困难家庭, 留守儿童, 其他)",
            "row 5, column 联系电话: phone must be an 11-digit mobile number (e.g. 13800138000) or a landline with area code (e.g. 010-12345678)",
            "row 5, column 走访周期（天）: visit cycle must be a number of days from 1 to 366, not '0'",
            "row 6, column 住址: cannot tell building, entrance and room in '和平里' (write e.g. 3-2-501)",
        ]
    );
    assert_eq!((plan.new_count(), plan.update_count()), (1, 1));
    let out = commit(&f.store, &f.admin, &plan, true);
    assert_eq!((out.created, out.updated), (1, 1));
    let b = f.store.get_id::<Beneficiary>(existing.0).unwrap().unwrap();
    assert_eq!(b.data.contact, "13800138000");
    assert_eq!(b.data.visit_cycle_days, 10);
    assert_eq!(b.data.needs, "买药");
    let zhou = f
        .store
        .scan::<Beneficiary>()
        .map(Result::unwrap)
        .find(|b| b.data.name == "周大爷")
        .unwrap();
    assert_eq!(zhou.data.kind, BeneficiaryKind::Disabled);
    assert_eq!(zhou.data.unit, f.group_b1);
    assert_eq!(zhou.data.address.short(), "5-2-302");
    f.assert_check_clean();
}

#[test]
fn a_row_refused_at_write_time_writes_nothing_or_is_left_out_with_skip_invalid() {
    let f = Fixture::new();
    let text = csv_text(&[
        &["姓名", "身份证号", "所属支部", "党小组"],
        &["甲", &id_number("19700506", 1), "第一党支部", "1号楼党小组"],
        &["乙", &id_number("19700506", 2), "第一党支部", "2号楼党小组"],
    ]);
    let path = write_file(f.dir.path(), "late.csv", text.as_bytes());
    let plan = plan_file(&f, ImportKind::Members, &path, false);
    assert!(plan.problems.is_empty());
    // The store changes between the preview and the write.
    f.admin_apply(Command::CloseOrgUnit {
        id: f.group_a2,
        date: today(),
    })
    .unwrap();
    let before = f.store.dump().unwrap();
    let err = import::commit(
        &dangjian::access::AsActor(&f.store, &f.admin),
        &plan,
        false,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("row 3 was refused, nothing was written:"),
        "{err}"
    );
    assert_eq!(f.store.dump().unwrap(), before);
    let out = commit(&f.store, &f.admin, &plan, true);
    assert_eq!(out.created, 1);
    assert_eq!(out.late_problems.len(), 1);
    assert_eq!(out.late_problems[0].row, 3);
    f.assert_check_clean();
}
