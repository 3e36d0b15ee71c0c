//! Updates never destroy: a blank cell keeps what is stored (unless
//! --clear-blank), a row naming someone else than its ID number's member is a
//! problem (unless --allow-rename), the preview lists each change old → new
//! with phones masked, and an ID number of a member outside a branch
//! secretary's scope reveals nothing about them — in the import and in ops.

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::io::import::{self, ImportKind, ImportOptions, Plan};
use dangjian::ops::{Actor, Command};
use std::path::{Path, PathBuf};

const ELSEWHERE: &str =
    "this ID number is already registered elsewhere in the community; ask the committee";

fn csv(f: &Fixture, name: &str, text: &str) -> PathBuf {
    let p = f.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn plan_as(f: &Fixture, actor: &Actor, path: &Path, options: &ImportOptions) -> Plan {
    import::plan(
        &dangjian::access::AsActor(&f.store, actor),
        ImportKind::Members,
        path,
        options,
    )
    .unwrap()
}

/// 杨芳 in group A1 with a phone, work unit and skills.
fn yang(f: &Fixture) -> (MemberId, String) {
    let mut d = member_data("杨芳", f.group_a1);
    d.id_number = id_number("19700506", 12);
    d.gender = Some(Gender::Female);
    d.home_unit = "区医院".into();
    d.skills = vec!["医疗".into()];
    let a = f
        .admin_apply(Command::CreateMember { data: d.clone() })
        .unwrap();
    (MemberId(a.created.unwrap()), d.id_number)
}

#[test]
fn blank_cells_keep_stored_values_unless_clear_blank() {
    let f = Fixture::new();
    let (id, idno) = yang(&f);
    let path = csv(
        &f,
        "r.csv",
        &format!(
            "姓名,身份证号,联系电话,工作单位,特长,党员类别,所属支部,所属党小组\n\
             杨芳,{idno},,,,在职,第一党支部,1号楼党小组\n"
        ),
    );
    let plan = plan_as(&f, &f.admin, &path, &ImportOptions::default());
    assert_eq!(plan.update_count(), 1);
    assert_eq!(
        plan.rows[0].update_line(false),
        "row 2: updates 杨芳: category retired → on-the-job"
    );
    import::commit(
        &dangjian::access::AsActor(&f.store, &f.admin),
        &plan,
        false,
        &mut |_, _| {},
    )
    .unwrap();
    let m = f.store.get_id::<Member>(id.0).unwrap().unwrap();
    assert_eq!(m.data.phone, "13800138000");
    assert_eq!(m.data.home_unit, "区医院");
    assert_eq!(m.data.skills, ["医疗"]);
    assert_eq!(m.data.category, MemberCategory::OnTheJob);
    let clear = ImportOptions {
        clear_blank: true,
        ..Default::default()
    };
    let plan = plan_as(&f, &f.admin, &path, &clear);
    assert_eq!(
        plan.rows[0].update_line(false),
        "row 2: updates 杨芳: phone 138****8000 → (empty); work unit 区医院 → (empty); \
         skills 医疗 → (empty)"
    );
    import::commit(
        &dangjian::access::AsActor(&f.store, &f.admin),
        &plan,
        false,
        &mut |_, _| {},
    )
    .unwrap();
    let m = f.store.get_id::<Member>(id.0).unwrap().unwrap();
    assert_eq!((m.data.phone.as_str(), m.data.home_unit.as_str()), ("", ""));
}

#[test]
fn a_row_naming_someone_else_than_its_id_numbers_member_is_a_problem_unless_allowed() {
    let f = Fixture::new();
    let (id, idno) = yang(&f);
    let path = csv(
        &f,
        "r.csv",
        &format!("姓名,身份证号,所属支部,所属党小组\n王明,{idno},第二党支部,3号楼党小组\n"),
    );
    let plan = plan_as(&f, &f.admin, &path, &ImportOptions::default());
    let lines = plan.problem_lines(false);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!(
            "row 2, column 姓名: the ID number is that of 杨芳 (member {id}), not 王明"
        )),
        "{lines:#?}"
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
    let m = f.store.get_id::<Member>(id.0).unwrap().unwrap();
    assert_eq!((m.data.name.as_str(), m.data.unit), ("杨芳", f.group_a1));
    let allow = ImportOptions {
        allow_rename: true,
        ..Default::default()
    };
    let plan = plan_as(&f, &f.admin, &path, &allow);
    assert!(!plan.has_problems());
    assert_eq!(
        plan.rows[0].update_line(false),
        "row 2: updates 王明: name 杨芳 → 王明; unit 1号楼党小组 → 3号楼党小组"
    );
}

#[test]
fn an_id_number_outside_a_secretarys_scope_reveals_nothing() {
    let f = Fixture::new();
    let (_, idno) = yang(&f);
    let secretary = f.user("wangli", Role::BranchSecretary, Some(f.branch_b));
    let path = csv(
        &f,
        "r.csv",
        &format!("姓名,身份证号,所属支部,所属党小组\n杨芳,{idno},第二党支部,3号楼党小组\n"),
    );
    let plan = plan_as(&f, &secretary, &path, &ImportOptions::default());
    let lines = plan.problem_lines(false);
    assert_eq!(lines, [format!("row 2, column 身份证号: {ELSEWHERE}")]);
    // ops says the same to a secretary adding that ID number by hand.
    let mut d = member_data("杨芳", f.group_b1);
    d.id_number = idno.clone();
    let err = f
        .apply_as(&secretary, Command::CreateMember { data: d.clone() })
        .unwrap_err();
    assert_eq!(err.to_string(), ELSEWHERE);
    let last4 = &idno[14..];
    assert!(!err.to_string().contains(last4));
    // An admin, who may see everyone, is told who holds it.
    let err = f
        .admin_apply(Command::CreateMember { data: d })
        .unwrap_err();
    assert!(
        err.to_string().contains("already belongs to member"),
        "{err}"
    );
}

#[test]
fn a_gender_or_birth_date_against_the_id_number_is_a_problem_and_blanks_come_from_it() {
    let f = Fixture::new();
    let man = id_number("19700506", 11);
    let woman = id_number("19800101", 22);
    let path = csv(
        &f,
        "r.csv",
        &format!(
            "姓名,性别,出生年月,身份证号,所属支部,所属党小组\n\
             张三,,,{man},第一党支部,1号楼党小组\n\
             李四,男,,{woman},第一党支部,1号楼党小组\n\
             王五,,1980.02,{},第一党支部,1号楼党小组\n\
             赵六,,1970.05,{},第一党支部,1号楼党小组\n",
            id_number("19800101", 33),
            id_number("19700506", 44)
        ),
    );
    let plan = plan_as(&f, &f.admin, &path, &ImportOptions::default());
    let lines = plan.problem_lines(false);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].starts_with("row 3, column 性别: 男 does not match"));
    assert!(
        lines[1].starts_with("row 4, column 出生年月: 1980-02 does not match the birth date"),
        "{lines:#?}"
    );
    let zhang = plan
        .rows
        .iter()
        .find(|r| r.record.name() == "张三")
        .unwrap();
    let import::RowRecord::Member { data, .. } = &zhang.record else {
        panic!("not a member row")
    };
    assert_eq!(data.gender, Some(Gender::Male));
    assert_eq!(data.birth_date, Some(date(1970, 5, 6)));
}

#[test]
fn control_characters_in_a_cell_are_a_problem_and_never_stored() {
    let f = Fixture::new();
    let path = csv(
        &f,
        "r.csv",
        &format!(
            "姓名,身份证号,备注,所属支部\n张\u{1b}[31m三,{},\u{202e}abc,第一党支部\n",
            id_number("19700506", 11)
        ),
    );
    let plan = plan_as(&f, &f.admin, &path, &ImportOptions::default());
    let lines = plan.problem_lines(false);
    assert_eq!(
        lines,
        [
            "row 2, column 姓名: holds an invisible control character (U+001B); retype the text",
            "row 2, column 备注: holds an invisible control character (U+202E); retype the text",
        ]
    );
    assert_eq!(plan.rows.len(), 0);
}
