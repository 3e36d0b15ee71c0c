//! A community served to real OS users: a store founded by the user running
//! the tests (root), three members and two beneficiaries in three groups of
//! two branches, their points, attendance, pairings and tasks, dangjian users
//! for an admin, a secretary of branch A, a leader of group A1 and a viewer,
//! and `dangjian serve --group` running on it.

use crate::common::*;
use crate::osuser::{OsUser, OsUsers};
use dangjian::domain::*;
use dangjian::ops::Command;
use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

/// Who lives where, with what anyone outside may not learn.
pub struct Person {
    pub id: MemberId,
    pub name: &'static str,
    pub id_number: String,
    pub phone: &'static str,
    pub notes: &'static str,
}

pub struct Served {
    pub dir: tempfile::TempDir,
    pub users: OsUsers,
    pub admin: OsUser,
    pub secretary: OsUser,
    pub leader: OsUser,
    pub viewer: OsUser,
    pub nobody: OsUser,
    /// Members of group A1, group A2 (both branch A) and group B1 (branch B).
    pub a1: Person,
    pub a2: Person,
    pub b1: Person,
    pub group_b1: OrgUnitId,
    /// The beneficiary of A1 and of B1: name, contact phone, needs.
    pub care_a1: (&'static str, &'static str, &'static str),
    pub care_b1: (&'static str, &'static str, &'static str),
    pub server: Option<ServerProcess>,
}

pub struct ServerProcess {
    pub child: Child,
    _stderr: std::io::BufReader<std::process::ChildStderr>,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    pub fn socket(&self) -> PathBuf {
        dangjian::store::socket_path(&self.store())
    }

    pub fn person_ids(&self) -> Vec<String> {
        [&self.a1, &self.a2, &self.b1]
            .iter()
            .map(|p| p.id_number.clone())
            .collect()
    }
}

fn person(
    f: &Fixture,
    name: &'static str,
    seq: u32,
    phone: &'static str,
    notes: &'static str,
    unit: OrgUnitId,
) -> Person {
    let mut data = member_data(name, unit);
    data.id_number = id_number("19700101", seq);
    data.phone = phone.into();
    data.notes = notes.into();
    data.gender = Some(if seq % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    });
    data.birth_date = Some(date(1970, 1, 1));
    let id_number = data.id_number.clone();
    let id = MemberId(
        f.admin_apply(Command::CreateMember { data })
            .unwrap()
            .created
            .unwrap(),
    );
    Person {
        id,
        name,
        id_number,
        phone,
        notes,
    }
}

/// Builds the community and serves it (extra `serve` arguments may follow).
pub fn served(serve_args: &[&str]) -> Served {
    let mut users = OsUsers::new();
    let admin = users.add("adm");
    let secretary = users.add("sec");
    let leader = users.add("lead");
    let viewer = users.add("view");
    let nobody = users.add("none");

    let root = dangjian::identity::os_login().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The others must reach the socket beside the store (the store itself
    // stays the owner's alone).
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let f = Fixture::at(&dir.path().join("store"), &root);
    let a1 = person(
        &f,
        "甲一成员",
        11,
        "13911110001",
        "甲一私密备注",
        f.group_a1,
    );
    let a2 = person(
        &f,
        "甲二成员",
        12,
        "13911110002",
        "甲二私密备注",
        f.group_a2,
    );
    let b1 = person(
        &f,
        "乙一成员",
        13,
        "13911110003",
        "乙一私密备注",
        f.group_b1,
    );
    let care_a1 = ("甲一老人", "13922220001", "甲一需求");
    let care_b1 = ("乙一老人", "13922220003", "乙一需求");
    let vol = f.rule("VOL").id;
    for (who, unit, care) in [(&a1, f.group_a1, care_a1), (&b1, f.group_b1, care_b1)] {
        let mut b = beneficiary_data(care.0, unit);
        b.contact = care.1.into();
        b.needs = care.2.into();
        let benef = BeneficiaryId(
            f.admin_apply(Command::CreateBeneficiary { data: b })
                .unwrap()
                .created
                .unwrap(),
        );
        f.admin_apply(Command::CreatePairing {
            member: who.id,
            beneficiary: benef,
            since: date(2026, 1, 5),
        })
        .unwrap();
        let task = TaskId(
            f.admin_apply(Command::CreateTask {
                kind: TaskKind::Visit,
                title: format!("看望{}", care.0),
                beneficiary: benef,
                assignee: who.id,
                due: date(2026, 2, 1),
            })
            .unwrap()
            .created
            .unwrap(),
        );
        f.admin_apply(Command::CompleteTask {
            id: task,
            date: date(2026, 1, 20),
            hours_centi: 100,
            outcome: format!("{}情况良好", care.0),
        })
        .unwrap();
    }
    let activity = ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::ThemePartyDay,
                title: "主题党日".into(),
                host: f.committee,
                starts: date(2026, 1, 10).and_hms_opt(9, 0, 0).unwrap(),
                place: "活动室".into(),
                rule: None,
                invitees: f.committee,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    );
    for who in [&a1, &a2, &b1] {
        f.admin_apply(Command::RecordPoints {
            member: who.id,
            date: date(2026, 1, 15),
            rule: vol,
            quantity_centi: 200,
            points_override: None,
            note: format!("{}的积分备注", who.name),
        })
        .unwrap();
        f.admin_apply(Command::CheckIn {
            activity,
            member: who.id,
        })
        .unwrap();
    }
    // Movement and minutes that name them: a flow whose contact is the
    // member's phone and whose notes are private, a lost-contact record with
    // private notes, a branch meeting's minutes presented by one of them.
    for who in [&a1, &b1] {
        f.admin_apply(Command::RecordFlow {
            data: FlowData {
                member: who.id,
                direction: Direction::Out,
                since: date(2026, 1, 3),
                until: None,
                place: "深圳".into(),
                party_org: String::new(),
                contact: who.phone.to_string(),
                participation: String::new(),
                notes: who.notes.to_string(),
            },
        })
        .unwrap();
        f.admin_apply(Command::SetLostContact {
            member: who.id,
            state: Some(LostContact {
                since: date(2026, 1, 4),
                attempts: vec![],
                regained: None,
                notes: who.notes.to_string(),
            }),
        })
        .unwrap();
    }
    let meeting = ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::BranchGeneralMeeting,
                title: "乙支部党员大会".into(),
                host: f.branch_b,
                starts: date(2026, 1, 12).and_hms_opt(19, 0, 0).unwrap(),
                place: "活动室".into(),
                rule: None,
                invitees: f.branch_b,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    );
    f.admin_apply(Command::SetMeetingRecord {
        activity: meeting,
        record: Some(MeetingRecord {
            presenter: Some(b1.id),
            recorder: None,
            topics: vec![format!("{}的议题", b1.name)],
            minutes: format!("{}发言。\n大家讨论。", b1.name),
            resolutions: vec![],
        }),
    })
    .unwrap();
    f.user(&admin.login, Role::CommitteeAdmin, None);
    f.user(&secretary.login, Role::BranchSecretary, Some(f.branch_a));
    f.user(&leader.login, Role::GroupLeader, Some(f.group_a1));
    f.user(&viewer.login, Role::Viewer, None);
    let group_b1 = f.group_b1;
    drop(f);
    let mut s = Served {
        dir,
        users,
        admin,
        secretary,
        leader,
        viewer,
        nobody,
        a1,
        a2,
        b1,
        group_b1,
        care_a1,
        care_b1,
        server: None,
    };
    s.server = Some(start_server(&s.store(), &s.users.group, serve_args));
    s
}

/// `dangjian serve --group G`, returned once it says it is serving.
pub fn start_server(store: &Path, group: &str, extra: &[&str]) -> ServerProcess {
    let mut child = Process::new(BIN)
        .arg("--store")
        .arg(store)
        .args(["serve", "--group", group])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("serving"), "the server said: {first}");
    ServerProcess {
        child,
        _stderr: stderr,
    }
}

/// The CLI as the user running the tests (the store's founding admin).
pub fn cli(store: &Path, args: &[&str]) -> std::process::Output {
    Process::new(BIN)
        .arg("--store")
        .arg(store)
        .args(args)
        .env("LANG", "C")
        .output()
        .unwrap()
}
