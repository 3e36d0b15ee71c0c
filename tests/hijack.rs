//! No file dangjian writes can be hijacked. For every writer (exports as CSV
//! and Excel, the monthly report, the ledger journal, sealed and plain
//! backups, the import problem report, demo rosters, a restore's staged
//! store), the directory it writes into is booby-trapped first: a symbolic
//! link to a victim file at the temporary name dangjian used to use
//! (`.NAME.PID.tmp`, `.NAME.restoring.PID`), entries named like the temporary
//! names it uses now (a file, and a link to a second victim), and the target
//! itself a link to a third victim. After writing, every victim and planted
//! file is as it was, and the output is a new private file with the right
//! contents. (The writers run in this process, so PID is ours.)

mod common;

use common::*;
use dangjian::io::backup::{self, Passphrase, Sealing};
use dangjian::io::export::{self, ExportKind, ExportOptions, FileFormat};
use dangjian::io::import::{self, ImportKind, ImportOptions};
use dangjian::io::sheet;
use dangjian::store::Store;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

/// A directory with traps beside the target `NAME`, and the victims outside it.
struct Trap {
    _dir: tempfile::TempDir,
    out: PathBuf,
    victims: Vec<PathBuf>,
    planted: PathBuf,
    name: String,
}

const VICTIM: &str = "victim's own file, not to be touched\n";
const PLANTED: &str = "planted beside the target\n";

impl Trap {
    fn new(name: &str) -> Trap {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("victims");
        std::fs::create_dir(&out).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        let victims: Vec<PathBuf> = (0..3).map(|i| elsewhere.join(format!("v{i}"))).collect();
        for v in &victims {
            std::fs::write(v, VICTIM).unwrap();
        }
        let pid = std::process::id();
        // The old, predictable temporary name.
        symlink(&victims[0], out.join(format!(".{name}.{pid}.tmp"))).unwrap();
        // Names of the shape the temporaries have now.
        let planted = out.join(format!(".{name}.AAAAAA.tmp"));
        std::fs::write(&planted, PLANTED).unwrap();
        symlink(&victims[1], out.join(format!(".{name}.BBBBBB.tmp"))).unwrap();
        // The target itself.
        symlink(&victims[2], out.join(name)).unwrap();
        Trap {
            _dir: dir,
            out,
            victims,
            planted,
            name: name.to_string(),
        }
    }

    fn target(&self) -> PathBuf {
        self.out.join(&self.name)
    }

    /// Every victim and planted entry as it was; the target a regular,
    /// private file; nothing else left in the directory.
    fn assert_untouched(&self) {
        for v in &self.victims {
            assert_eq!(
                std::fs::read_to_string(v).unwrap(),
                VICTIM,
                "{}",
                v.display()
            );
        }
        assert_eq!(std::fs::read_to_string(&self.planted).unwrap(), PLANTED);
        let meta = std::fs::symlink_metadata(self.target()).unwrap();
        assert!(meta.file_type().is_file(), "{} is not a file", self.name);
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{}", self.name);
        let mut left: Vec<String> = std::fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let pid = std::process::id();
        let mut expected = vec![
            self.name.clone(),
            format!(".{}.{pid}.tmp", self.name),
            format!(".{}.AAAAAA.tmp", self.name),
            format!(".{}.BBBBBB.tmp", self.name),
        ];
        expected.sort();
        assert_eq!(left, expected, "left in the directory");
    }
}

/// Runs `write` on a trapped directory, checks the traps, then `verify`.
fn trapped(name: &str, write: impl FnOnce(&Path), verify: impl FnOnce(&Path)) {
    let trap = Trap::new(name);
    write(&trap.target());
    trap.assert_untouched();
    verify(&trap.target());
}

fn community() -> Fixture {
    let f = Fixture::new();
    let mut a = member_data("张三", f.group_a1);
    a.id_number = id_number("19700506", 11);
    f.admin_apply(dangjian::ops::Command::CreateMember { data: a })
        .unwrap();
    f.beneficiary("孙奶奶", f.group_a1);
    f
}

fn first_row(path: &Path) -> Vec<String> {
    let sheet = sheet::read(path, None).unwrap();
    sheet.rows[0].cells.iter().map(|c| c.text()).collect()
}

#[test]
fn exports_as_csv_and_xlsx_cannot_be_hijacked() {
    let f = community();
    let options = ExportOptions {
        kind: ExportKind::Members,
        org: None,
        unmasked: true,
        zh: false,
    };
    let table = export::table(&f.store, &f.admin, &options).unwrap();
    let mut expected = Vec::new();
    dangjian::io::csv_cell::write_csv(&table, &mut expected).unwrap();
    trapped(
        "members.csv",
        |p| export::write(&table, FileFormat::Csv, p).unwrap(),
        |p| assert_eq!(std::fs::read(p).unwrap(), expected),
    );
    trapped(
        "members.xlsx",
        |p| export::write(&table, FileFormat::Xlsx, p).unwrap(),
        |p| assert_eq!(first_row(p), table.headers),
    );
}

#[test]
fn the_monthly_report_and_the_journal_cannot_be_hijacked() {
    let f = community();
    let period = dangjian::report::period::Period::parse("2026-11").unwrap();
    let report = dangjian::io::monthly::gather(
        &f.store,
        &f.admin,
        dangjian::report::points::Scope::Community,
        &period,
        None,
        today(),
    )
    .unwrap();
    trapped(
        "monthly.xlsx",
        |p| dangjian::io::monthly::write_xlsx(&report, true, p).unwrap(),
        |p| assert!(!first_row(p).is_empty()),
    );
    let mut expected = Vec::new();
    dangjian::io::journal::write_journal(&f.store, None, &mut expected).unwrap();
    trapped(
        "ledger.journal",
        |p| {
            dangjian::io::journal::export_journal(&f.store, None, p).unwrap();
        },
        |p| assert_eq!(std::fs::read(p).unwrap(), expected),
    );
}

fn restores_to(file: &Path, sealing: &Sealing, store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("restored");
    backup::restore(file, &new, sealing).unwrap();
    assert_eq!(open(&new).dump().unwrap(), store.dump().unwrap());
}

#[test]
fn backups_sealed_or_plain_cannot_be_hijacked() {
    let f = community();
    let sealing = || Sealing::Passphrase(Passphrase::new("correct horse".into()).unwrap());
    trapped(
        "sealed.djbak",
        |p| {
            backup::write(backup::Source::Files(&f.store), p, &sealing()).unwrap();
        },
        |p| restores_to(p, &sealing(), &f.store),
    );
    trapped(
        "plain.djbak",
        |p| {
            backup::write(backup::Source::Files(&f.store), p, &Sealing::Unencrypted).unwrap();
        },
        |p| restores_to(p, &Sealing::Unencrypted, &f.store),
    );
}

#[test]
fn the_import_problem_report_and_demo_rosters_cannot_be_hijacked() {
    let f = community();
    let roster = f.dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "姓名,身份证号,所属党小组\n李四,110105197005060000,1号楼党小组\n",
    )
    .unwrap();
    let options = ImportOptions::default();
    let plan = import::plan(
        &dangjian::access::AsActor(&f.store, &f.admin),
        ImportKind::Members,
        &roster,
        &options,
    )
    .unwrap();
    assert!(!plan.problems.is_empty());
    trapped(
        "roster-problems.csv",
        |p| {
            import::write_report(&plan, &[], p, false).unwrap();
        },
        |p| {
            assert_eq!(first_row(p)[..3], ["row", "problems", "姓名"]);
            let text = std::fs::read_to_string(p).unwrap();
            assert!(text.contains("李四"), "{text}");
        },
    );

    let params = dangjian::demo::roster::RosterParams {
        rows: 50,
        bad_every: 0,
        seed: 1,
        today: today(),
        messy: false,
    };
    let r = dangjian::demo::roster::messy_roster(&params);
    for name in ["demo.csv", "demo.xlsx"] {
        trapped(
            name,
            |p| {
                dangjian::demo::roster::write(&r, p, dangjian::demo::roster::RosterEncoding::Utf8)
                    .unwrap()
            },
            |p| assert_eq!(first_row(p), r.rows[0]),
        );
    }
}

#[test]
fn a_restore_builds_its_store_where_nothing_planted_can_stand_in() {
    let f = community();
    let file = f.dir.path().join("sealed.djbak");
    let sealing = Sealing::Passphrase(Passphrase::new("correct horse".into()).unwrap());
    backup::write(backup::Source::Files(&f.store), &file, &sealing).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("precious"), VICTIM).unwrap();
    let pid = std::process::id();
    // The old staging name, and one of the shape of the new ones.
    symlink(
        &victim,
        dir.path().join(format!(".restored.restoring.{pid}")),
    )
    .unwrap();
    let planted = dir.path().join(".restored.restoring.AAAAAA");
    std::fs::create_dir(&planted).unwrap();
    std::fs::write(planted.join("x"), PLANTED).unwrap();

    let new = dir.path().join("restored");
    backup::restore(&file, &new, &sealing).unwrap();
    assert_eq!(open(&new).dump().unwrap(), f.store.dump().unwrap());
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&victim), vec!["precious".to_string()]);
    assert_eq!(
        std::fs::read_to_string(victim.join("precious")).unwrap(),
        VICTIM
    );
    assert_eq!(names(&planted), vec!["x".to_string()]);
    assert_eq!(std::fs::read_to_string(planted.join("x")).unwrap(), PLANTED);
    let mut expected = vec![
        format!(".restored.restoring.{pid}"),
        ".restored.restoring.AAAAAA".to_string(),
        "restored".to_string(),
        "victim".to_string(),
    ];
    expected.sort();
    assert_eq!(names(dir.path()), expected);
}
