//! The real binary on `report activation|coverage|workload|monthly`: CSV and
//! JSON figures equal to what the store holds, a branch secretary limited to
//! their branch and refused another, and the monthly workbook read back with
//! calamine sheet by sheet.

mod common;
use common::dangjian;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use dangjian::domain::*;
use dangjian::ops::{self, Command as Cmd};
use std::process::Output;

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn os_login() -> String {
    dangjian::identity::os_login().unwrap()
}

struct Setup {
    dir: tempfile::TempDir,
    branch_a: OrgUnitId,
    branch_b: OrgUnitId,
}

/// Two branches: in A, 张三 (on-the-job, 6 points in October 2025) and 李四
/// (retired, nothing); in B, 王五 (student, 2 points), living in building 9
/// where no group is. Founded by `founder`; closed so the binary can open it.
fn setup(founder: &str) -> Setup {
    let f = Fixture::new_as(founder);
    let mut zhang = member_data("张三", f.group_a1);
    zhang.category = MemberCategory::OnTheJob;
    let mut wang = member_data("王五", f.group_b1);
    wang.category = MemberCategory::Student;
    wang.address.building = "9".into();
    wang.reported = None;
    let create = |d: MemberData| {
        MemberId(
            f.admin_apply(Cmd::CreateMember { data: d })
                .unwrap()
                .created
                .unwrap(),
        )
    };
    let zhang = create(zhang);
    f.member("李四", f.group_a2);
    let wang = create(wang);
    f.admin_apply(Cmd::UpdateOrgUnit {
        id: f.group_a1,
        name: "1号楼党小组".into(),
        leader: Some(zhang),
        buildings: vec!["3".into()],
        established: None,
        notes: String::new(),
    })
    .unwrap();
    let vol = f.rule("VOL");
    for (m, n) in [(zhang, 6), (wang, 2)] {
        f.admin_apply(Cmd::RecordPoints {
            member: m,
            date: date(2025, 10, 8),
            rule: vol.id,
            quantity_centi: 100,
            points_override: Some((Points::whole(n), "test".into())),
            note: String::new(),
        })
        .unwrap();
    }
    Setup {
        branch_a: f.branch_a,
        branch_b: f.branch_b,
        dir: f.dir,
    }
}

#[test]
fn activation_as_csv_gives_each_category_and_the_total() {
    let s = setup(&os_login());
    let out = stdout(&dangjian(
        s.dir.path(),
        &[
            "report",
            "activation",
            "--period",
            "2025-10",
            "--format",
            "csv",
        ],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "category,members,reported,reported_pct,served,served_pct,avg_points,median_points,idle_year"
    );
    assert!(lines.contains(&"on-the-job,1,1,100,1,100,6,6,0"), "{out}");
    assert!(lines.contains(&"retired,1,1,100,0,0,0,0,1"), "{out}");
    assert!(lines.contains(&"student,1,0,0,1,100,2,2,0"), "{out}");
    assert!(lines.contains(&"other,0,0,0,0,0,0,0,0"), "{out}");
    // Three members, 8 points: 2.67 on average, median 2.
    assert!(lines.contains(&"total,3,2,67,2,67,2.67,2,1"), "{out}");
}

#[test]
fn coverage_as_json_names_what_is_left_out() {
    let s = setup(&os_login());
    let out = stdout(&dangjian(
        s.dir.path(),
        &["report", "coverage", "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["buildings_known"], serde_json::json!(["3", "9"]));
    assert_eq!(v["buildings_without_group"], serde_json::json!(["9"]));
    let names = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("groups_without_leader"),
        vec!["2号楼党小组", "3号楼党小组"]
    );
    assert_eq!(
        names("branches_without_secretary"),
        vec!["第一党支部", "第二党支部"]
    );
    assert!(names("members_without_group").is_empty());
}

#[test]
fn a_secretary_gets_their_branch_and_is_refused_another() {
    let s = setup("founder");
    {
        let store = open(s.dir.path());
        let admin = ops::actor_for_login(&store, "founder").unwrap();
        ops::apply(
            &store,
            &admin,
            &Cmd::AddUser {
                login: os_login(),
                display_name: String::new(),
                role: Role::BranchSecretary,
                scope: Some(s.branch_a),
            },
        )
        .unwrap();
    }
    let out = stdout(&dangjian(
        s.dir.path(),
        &[
            "report",
            "activation",
            "--period",
            "2025-10",
            "--format",
            "csv",
        ],
    ));
    assert!(out.contains("total,2,2,100,1,50,3,3,1"), "{out}");
    let refused = dangjian(
        s.dir.path(),
        &["report", "coverage", "--org", &s.branch_b.to_string()],
    );
    assert_eq!(refused.status.code(), Some(1));
    // Another branch is not there for them: as for a unit that does not exist.
    let missing = dangjian(s.dir.path(), &["report", "coverage", "--org", "999999"]);
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).replace(&s.branch_b.to_string(), "N"),
        String::from_utf8_lossy(&missing.stderr).replace("999999", "N")
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not found"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn the_monthly_workbook_reads_back_sheet_by_sheet() {
    let s = setup(&os_login());
    let file = s.dir.path().join("monthly.xlsx");
    let out = dangjian(
        s.dir.path(),
        &[
            "--lang",
            "zh-CN",
            "report",
            "monthly",
            "--period",
            "2025-10",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "概况",
            "活跃度",
            "覆盖",
            "工作量",
            "积分排名",
            "出勤",
            "结对帮扶",
            "三会一课",
            "党员变动",
            "联建共建"
        ]
    );
    let rows = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<String>> {
        book.worksheet_range(name)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect()
    };
    // Row 1 is the sheet's title; the table's header is row 2.
    let summary = rows(&mut book, "概况");
    assert_eq!(summary[0][0], "和平里社区党委 2025年10月 月报 · 概况");
    assert_eq!(summary[1], vec!["项目", "内容"]);
    assert!(summary.contains(&vec!["组织".to_string(), "和平里社区党委".to_string()]));

    let activation = rows(&mut book, "活跃度");
    assert_eq!(activation[1][0], "类别");
    let total = activation.iter().find(|r| r[0] == "合计").unwrap();
    assert_eq!(&total[1..7], &["3", "2", "67", "2", "67", "2.67"]);

    let ranking = rows(&mut book, "积分排名");
    assert_eq!(
        ranking[1],
        vec![
            "名次",
            "党员编号",
            "姓名",
            "所在组织",
            "本期积分",
            "可兑换余额"
        ]
    );
    assert_eq!(ranking[2][2], "张三");
    assert_eq!(ranking[2][4], "6");
    assert_eq!(ranking[3][2], "王五");
    assert_eq!(ranking.len(), 4, "only members with points are ranked");

    let coverage = rows(&mut book, "覆盖");
    let uncovered = coverage
        .iter()
        .find(|r| r[0] == "有党员无小组的楼栋")
        .unwrap();
    assert_eq!(&uncovered[1..], &["1", "9"]);
}

#[test]
fn workload_table_has_a_total_line() {
    let s = setup(&os_login());
    let out = stdout(&dangjian(s.dir.path(), &["report", "workload"]));
    assert!(out.lines().any(|l| l.contains("total")), "{out}");
}
