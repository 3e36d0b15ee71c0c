//! Shared fixtures: a real sled store in a temp dir with a small org tree.
#![allow(dead_code)]

use chrono::NaiveDate;
use dangjian::domain::*;
use dangjian::ops::{self, Actor, Applied, Command, OpsError};
use dangjian::store::{Store, StoreConfig};
use std::path::Path;
use std::process::{Command as Process, Output};
use tempfile::TempDir;

/// The dangjian binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

/// Runs the binary on a store, its messages in English whatever the
/// machine's locale (the one runner the CLI tests share).
pub fn dangjian(store: &Path, args: &[&str]) -> Output {
    dangjian_lang(store, "C", args)
}

/// Runs the binary on a store under the locale `lang` (`LANG`).
pub fn dangjian_lang(store: &Path, lang: &str, args: &[&str]) -> Output {
    Process::new(BIN)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("the dangjian binary runs")
}

pub struct Fixture {
    pub dir: TempDir,
    pub store: Store,
    pub admin: Actor,
    pub committee: OrgUnitId,
    pub branch_a: OrgUnitId,
    pub branch_b: OrgUnitId,
    pub group_a1: OrgUnitId,
    pub group_a2: OrgUnitId,
    pub group_b1: OrgUnitId,
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn open(dir: &std::path::Path) -> Store {
    Store::open(
        dir,
        &StoreConfig {
            cache_bytes: 4 << 20,
        },
    )
    .unwrap()
}

/// The raw keys of one tree (named as the store's files name it), from the
/// `dump` test hook: for tests that fake an older store or damage one.
pub fn raw_keys(store: &Store, tree: &str) -> Vec<Vec<u8>> {
    store
        .dump()
        .unwrap()
        .into_iter()
        .filter(|(t, _, _)| *t == tree)
        .map(|(_, k, _)| k)
        .collect()
}

/// Makes a valid ID number for a birth date and sequence.
pub fn id_number(birth: &str, seq: u32) -> String {
    let first17 = format!("110105{birth}{seq:03}");
    let c = dangjian::domain::validate::id_check_char(&first17).unwrap();
    format!("{first17}{c}")
}

pub fn member_data(name: &str, unit: OrgUnitId) -> MemberData {
    MemberData {
        name: name.to_string(),
        gender: Some(Gender::Male),
        birth_date: Some(date(1970, 5, 6)),
        id_number: String::new(),
        phone: "13800138000".into(),
        address: Address {
            building: "3".into(),
            unit: "2".into(),
            room: "501".into(),
        },
        unit,
        category: MemberCategory::Retired,
        home_unit: String::new(),
        reported: Some(date(2020, 1, 2)),
        joined: Some(date(1995, 7, 1).into()),
        full_member: Some(date(1996, 7, 1).into()),
        skills: vec![],
        posts: vec![],
        status: MemberStatus::Active,
        notes: String::new(),
    }
}

pub fn beneficiary_data(name: &str, unit: OrgUnitId) -> BeneficiaryData {
    BeneficiaryData {
        name: name.into(),
        address: Address {
            building: "3".into(),
            unit: "1".into(),
            room: "101".into(),
        },
        kind: BeneficiaryKind::ElderlyAlone,
        needs: "买菜".into(),
        contact: String::new(),
        visit_cycle_days: 7,
        unit,
        active: true,
        notes: String::new(),
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::new_as("admin")
    }

    /// As `new`, with `login` as the store's founding committee admin.
    pub fn new_as(login: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        Fixture::build(dir, store, login)
    }

    /// As `new_as`, the store at `path` (its `dir` is an unused temp dir).
    pub fn at(path: &std::path::Path, login: &str) -> Fixture {
        let store = open(path);
        Fixture::build(tempfile::tempdir().unwrap(), store, login)
    }

    fn build(dir: TempDir, store: Store, login: &str) -> Fixture {
        let admin = ops::actor_for_login(&store, login).unwrap();
        let mut f = Fixture {
            dir,
            store,
            admin,
            committee: OrgUnitId(0),
            branch_a: OrgUnitId(0),
            branch_b: OrgUnitId(0),
            group_a1: OrgUnitId(0),
            group_a2: OrgUnitId(0),
            group_b1: OrgUnitId(0),
        };
        f.committee = f.unit(None, OrgLevel::Committee, "和平里社区党委");
        f.branch_a = f.unit(Some(f.committee), OrgLevel::Branch, "第一党支部");
        f.branch_b = f.unit(Some(f.committee), OrgLevel::Branch, "第二党支部");
        f.group_a1 = f.unit(Some(f.branch_a), OrgLevel::Group, "1号楼党小组");
        f.group_a2 = f.unit(Some(f.branch_a), OrgLevel::Group, "2号楼党小组");
        f.group_b1 = f.unit(Some(f.branch_b), OrgLevel::Group, "3号楼党小组");
        f
    }

    fn unit(&self, parent: Option<OrgUnitId>, level: OrgLevel, name: &str) -> OrgUnitId {
        let a = self
            .admin_apply(Command::CreateOrgUnit {
                parent,
                level,
                name: name.into(),
                buildings: vec![],
                established: None,
                notes: String::new(),
            })
            .unwrap();
        OrgUnitId(a.created.unwrap())
    }

    pub fn admin_apply(&self, cmd: Command) -> Result<Applied, OpsError> {
        ops::apply(&self.store, &self.admin, &cmd)
    }

    pub fn apply_as(&self, actor: &Actor, cmd: Command) -> Result<Applied, OpsError> {
        ops::apply(&self.store, actor, &cmd)
    }

    pub fn member(&self, name: &str, unit: OrgUnitId) -> MemberId {
        let a = self
            .admin_apply(Command::CreateMember {
                data: member_data(name, unit),
            })
            .unwrap();
        MemberId(a.created.unwrap())
    }

    pub fn beneficiary(&self, name: &str, unit: OrgUnitId) -> BeneficiaryId {
        let a = self
            .admin_apply(Command::CreateBeneficiary {
                data: beneficiary_data(name, unit),
            })
            .unwrap();
        BeneficiaryId(a.created.unwrap())
    }

    pub fn rule(&self, code: &str) -> PointsRule {
        ops::query::rule_by_code(&self.store, code)
            .unwrap()
            .unwrap()
    }

    /// Adds a user and returns their actor.
    pub fn user(&self, login: &str, role: Role, scope: Option<OrgUnitId>) -> Actor {
        self.admin_apply(Command::AddUser {
            login: login.into(),
            display_name: String::new(),
            role,
            scope,
        })
        .unwrap();
        ops::actor_for_login(&self.store, login).unwrap()
    }

    pub fn assert_check_clean(&self) {
        let report = dangjian::store::check(&self.store).unwrap();
        assert!(report.is_clean(), "check found: {:#?}", report.problems);
    }
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Asserts that a result is a refusal whose message contains `needle`.
pub fn assert_refused<T: std::fmt::Debug>(r: Result<T, OpsError>, needle: &str) {
    match r {
        Ok(v) => panic!("expected a refusal containing {needle:?}, got Ok({v:?})"),
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains(needle),
                "refusal {msg:?} does not contain {needle:?}"
            );
        }
    }
}

/// The external programs some tests drive, each with the Debian package that
/// has it; `scripts/test` installs the missing ones.
const TOOLS: &[(&str, &str)] = &[
    ("tmux", "tmux"),
    ("hledger", "hledger"),
    ("ledger", "ledger"),
    ("soffice", "libreoffice-calc-nogui"),
];

/// A command for the external program `name`. When it is not on PATH the test
/// fails at once with one line saying what to install and how, instead of an
/// error from deep inside the test.
pub fn tool(name: &str) -> std::process::Command {
    let on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(name)).is_ok_and(|m| {
                use std::os::unix::fs::PermissionsExt;
                m.is_file() && m.permissions().mode() & 0o111 != 0
            })
        })
    });
    if !on_path {
        let package = TOOLS
            .iter()
            .find(|(t, _)| *t == name)
            .map_or(name, |(_, p)| *p);
        panic!(
            "{name} is not installed: run scripts/test, which installs what the tests need \
             (or install the `{package}` package yourself)"
        );
    }
    std::process::Command::new(name)
}

/// Runs LibreOffice headless with a profile of its own in `dir` (two at once
/// on one profile would wait for each other), converting `input` to `to`
/// (e.g. `xlsx`, `pdf`) into `dir`; `infilter` gives the import filter's
/// options. Returns the converted file.
pub fn soffice_convert(
    dir: &std::path::Path,
    input: &std::path::Path,
    to: &str,
    infilter: Option<&str>,
) -> std::path::PathBuf {
    let profile = dir.join("lo-profile");
    let mut cmd = tool("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .arg("--headless");
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    let out = cmd
        .args(["--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(input)
        .output()
        .unwrap();
    let converted = dir.join(input.with_extension(to).file_name().unwrap());
    assert!(
        out.status.success() && converted.exists(),
        "soffice did not convert {}: {}{}",
        input.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    converted
}
