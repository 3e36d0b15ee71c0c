//! The real binary on import and export: a dry run prints every problem and
//! writes nothing, a bad row stops the import, --skip-invalid writes the rest
//! and a report, a CSV and an Excel round trip into an empty store, a group
//! leader refused unmasked IDs. (Backup and restore: tests/cli_backup.rs.)

mod common;
use common::{BIN, dangjian};

use common::*;
use dangjian::domain::*;
use dangjian::store::Store;
use std::path::Path;
use std::process::{Command, Output};

/// One test at a time: a store this process has just closed can still look
/// in use to a child forked by a parallel test while it holds the lock file.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn os_login() -> String {
    dangjian::identity::os_login().unwrap()
}

fn dump(path: &Path) -> Vec<dangjian::store::RawEntry> {
    let s: Store = open(path);
    s.dump().unwrap()
}

/// A store founded by the OS user with the fixture's tree and two members,
/// closed again so the binary can open it.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let f = Fixture::new_as(&os_login());
    let mut a = member_data("张三", f.group_a1);
    a.id_number = id_number("19700506", 11);
    let mut b = member_data("李四", f.group_b1);
    b.id_number = id_number("19650101", 22);
    // As the ID number says: an import refuses a birth date or gender against it.
    b.birth_date = Some(date(1965, 1, 1));
    b.gender = Some(Gender::Female);
    b.phone = "010-12345678".into();
    for data in [a, b] {
        f.admin_apply(dangjian::ops::Command::CreateMember { data })
            .unwrap();
    }
    f.user("lijun", Role::GroupLeader, Some(f.group_a1));
    let path = f.dir.path().to_path_buf();
    let Fixture { dir, store, .. } = f;
    drop(store);
    (dir, path)
}

fn roster(dir: &Path, name: &str, rows: &[&[&str]]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(*r).unwrap();
    }
    let p = dir.join(name);
    std::fs::write(&p, w.into_inner().unwrap()).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn dry_run_prints_every_problem_and_writes_nothing_then_skip_invalid_writes_the_rest() {
    let _serial = serial();
    let (dir, store) = setup();
    let file = roster(
        dir.path(),
        "roster.csv",
        &[
            &["序号", "姓名", "身份证号码", "手机", "所属支部", "党小组"],
            &[
                "1",
                "王五",
                &id_number("19800101", 31),
                "13800138000",
                "第一党支部",
                "1号楼党小组",
            ],
            &[
                "2",
                "赵六",
                "110105198001013",
                "1380013800",
                "第一党支部",
                "",
            ],
            &[
                "3",
                "张三",
                &id_number("19700506", 11),
                "13912345678",
                "",
                "",
            ],
        ],
    );
    let before = dump(&store);
    let out = dangjian(&store, &["import", "members", &file, "--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().take(3).collect::<Vec<_>>(),
        vec![
            "row 3, column 身份证号码: ID number must be 18 characters, got 15",
            "row 3, column 手机: phone must be an 11-digit mobile number (e.g. 13800138000) \
             or a landline with area code (e.g. 010-12345678)",
            "row 4: updates 张三: phone 138****8000 → 139****5678",
        ]
    );
    assert!(
        stdout.contains(
            "3 data rows: 1 new, 1 updates, 0 unchanged, 1 with problems; 0 units to create"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("dry run: nothing was written"), "{stdout}");
    assert_eq!(dump(&store), before, "a dry run wrote something");

    // Without --skip-invalid, one bad row writes nothing.
    let out = dangjian(&store, &["import", "members", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("1 rows have problems, so nothing was written"),
        "{}",
        text(&out)
    );
    assert_eq!(dump(&store), before, "a refused import wrote something");

    let report = dir.path().join("left-out.csv");
    let out = dangjian(
        &store,
        &[
            "import",
            "members",
            &file,
            "--skip-invalid",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("imported members: 1 new, 1 updated, 0 units created"),
        "{}",
        text(&out)
    );
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(
        report.contains(
            "3,\"身份证号码: ID number must be 18 characters, got 15; 手机: phone must be"
        ),
        "{report}"
    );
    let s = open(&store);
    let zhang = s
        .scan::<Member>()
        .map(Result::unwrap)
        .find(|m| m.data.name == "张三")
        .unwrap();
    assert_eq!(zhang.data.phone, "13912345678");
    assert_eq!(s.count_of::<dangjian::domain::Member>(), 3);
}

#[test]
fn chinese_messages_under_zh_cn() {
    let _serial = serial();
    let (dir, store) = setup();
    let file = roster(
        dir.path(),
        "bad.csv",
        &[
            &["姓名", "身份证号", "所属支部"],
            &["", &id_number("19800101", 31), "第九党支部"],
        ],
    );
    let out = Command::new(BIN)
        .env_remove("DANGJIAN_STORE")
        .args(["--lang", "zh-CN", "--store"])
        .arg(&store)
        .args(["import", "members", &file, "--dry-run"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("第 2 行，姓名列：必填"), "{stdout}");
    assert!(
        stdout.contains(
            "第 2 行，所属支部列：没有名为“第九党支部”的党支部；请先添加，或导入时加 --create-units"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("试运行：未写入任何内容"), "{stdout}");
}

#[test]
fn members_round_trip_through_csv_and_xlsx_and_a_leader_gets_no_unmasked_ids() {
    let _serial = serial();
    let (dir, store) = setup();
    for ext in ["csv", "xlsx"] {
        let file = dir.path().join(format!("members.{ext}"));
        let file = file.to_str().unwrap();
        let out = dangjian(&store, &["export", "members", "-o", file, "--unmasked"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("wrote 2 rows"), "{}", text(&out));
        let empty = dir.path().join(format!("empty-{ext}"));
        let out = dangjian(&empty, &["import", "members", file, "--create-units"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(
            text(&out).contains("2 new, 0 updated, 5 units created"),
            "{}",
            text(&out)
        );
        let names = |p: &Path| {
            let s = open(p);
            let mut v: Vec<(String, String, String)> = s
                .scan::<Member>()
                .map(Result::unwrap)
                .map(|m| (m.data.id_number, m.data.name, m.data.phone))
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&empty), names(&store));
        let out = dangjian(&empty, &["check"]);
        assert!(out.status.success(), "{}", text(&out));
    }
    // Masked by default.
    let masked = dir.path().join("masked.csv");
    let out = dangjian(
        &store,
        &["export", "members", "-o", masked.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let t = std::fs::read_to_string(&masked).unwrap();
    assert!(
        t.contains("010-****5678") && t.contains("1101**********"),
        "{t}"
    );
    assert!(!t.contains(&id_number("19700506", 11)), "{t}");
    // A group leader may not have them whole (the binary runs as the founder,
    // so ask the library as the leader would be asked).
    let s = open(&store);
    let leader = dangjian::ops::actor_for_login(&s, "lijun").unwrap();
    let options = dangjian::io::export::ExportOptions {
        kind: dangjian::io::export::ExportKind::Members,
        org: None,
        unmasked: true,
        zh: false,
    };
    assert!(dangjian::io::export::table(&s, &leader, &options).is_err());
    // Written here row by row, the refusal comes before any file is opened:
    // it is the answer even into a folder that does not exist.
    let view = dangjian::access::View::new(&s, &leader).unwrap();
    let q = dangjian::access::ExportQ {
        kind: dangjian::io::export::ExportKind::Members,
        org: None,
        unmasked: true,
        zh: false,
    };
    let nowhere = dir.path().join("no-such-folder").join("m.csv");
    let err = q
        .write_here(&view, dangjian::io::export::FileFormat::Csv, &nowhere)
        .unwrap_err()
        .to_string();
    assert!(err.contains("may not export whole ID numbers"), "{err}");
}
