//! Real OS users for the trust tests: a group (the socket's) and users in it,
//! made with groupadd/useradd and removed when the fixture is dropped. Needs
//! root; without it the tests say so and pass over, unless
//! DANGJIAN_REQUIRE_ROOT_TESTS is set (as .ci/run sets it), when they fail.

use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// useradd and groupadd lock /etc/passwd: one at a time in this process.
static ACCOUNTS: Mutex<()> = Mutex::new(());
static NEXT: AtomicU32 = AtomicU32::new(0);

pub struct OsUsers {
    pub group: String,
    pub gid: u32,
    users: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OsUser {
    pub login: String,
    pub uid: u32,
    pub gid: u32,
}

/// Whether the tests that need OS users can run here; says why not.
pub fn can_make_users() -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    assert!(
        std::env::var_os("DANGJIAN_REQUIRE_ROOT_TESTS").is_none(),
        "these tests make OS users and must run as root"
    );
    eprintln!("skipped: making OS users needs root (run the tests as root to include them)");
    false
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A name no other test or run is using: `djt` + pid + counter + tag.
fn fresh(tag: &str) -> String {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    format!("djt{}x{n}{tag}", std::process::id())
}

impl OsUsers {
    pub fn new() -> OsUsers {
        let group = fresh("g");
        let _one = ACCOUNTS.lock().unwrap_or_else(|p| p.into_inner());
        run(Command::new("groupadd").arg(&group));
        let gid = nix::unistd::Group::from_name(&group)
            .unwrap()
            .expect("the group exists")
            .gid
            .as_raw();
        OsUsers {
            group,
            gid,
            users: Vec::new(),
        }
    }

    /// A user whose primary group is the fixture's.
    pub fn add(&mut self, tag: &str) -> OsUser {
        let login = fresh(tag);
        let _one = ACCOUNTS.lock().unwrap_or_else(|p| p.into_inner());
        run(Command::new("useradd").args([
            "-M",
            "-N",
            "-g",
            &self.group,
            "-s",
            "/usr/sbin/nologin",
            &login,
        ]));
        self.users.push(login.clone());
        let uid = nix::unistd::User::from_name(&login)
            .unwrap()
            .expect("the user exists")
            .uid
            .as_raw();
        OsUser {
            login,
            uid,
            gid: self.gid,
        }
    }
}

impl Drop for OsUsers {
    fn drop(&mut self) {
        let _one = ACCOUNTS.lock().unwrap_or_else(|p| p.into_inner());
        for u in &self.users {
            let _ = Command::new("userdel").arg(u).output();
        }
        let _ = Command::new("groupdel").arg(&self.group).output();
    }
}
