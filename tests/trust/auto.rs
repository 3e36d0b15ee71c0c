//! A store set up for a group, served by the server that starts by itself:
//! a group member cannot start it (the files are the owner's) and is told
//! whom to ask; once the owner's dangjian has started it, the member works
//! through it.

use crate::common::*;
use crate::osuser::{OsUsers, can_make_users};
use dangjian::domain::Role;
use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

fn cli(store: &Path, uid: Option<(u32, u32)>, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--store")
        .arg(store)
        .args(args)
        .env("LANG", "C")
        .env("DANGJIAN_LINGER", "60")
        .env_remove("DANGJIAN_SERVE");
    if let Some((uid, gid)) = uid {
        cmd.uid(uid).gid(gid);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_group_member_attaches_to_the_owners_automatic_server_and_cannot_start_one() {
    if !can_make_users() {
        return;
    }
    let mut users = OsUsers::new();
    let member = users.add("auto");
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let store = dir.path().join("store");
    let f = Fixture::at(&store, &dangjian::identity::os_login().unwrap());
    f.user(&member.login, Role::Viewer, None);
    drop(f);
    // Set up for the group once, by `dangjian serve --group`.
    let mut serve = Command::new(BIN)
        .arg("--store")
        .arg(&store)
        .args(["serve", "--group", &users.group])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    std::io::BufReader::new(serve.stderr.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    assert!(said.contains("serving"), "{said}");
    let sent = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert!(serve.wait().unwrap().success());

    let as_member = Some((member.uid, member.gid));
    let out = cli(&store, as_member, &["report", "summary"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("only the owner of"), "{}", text(&out));
    // The owner's dangjian starts the server; the member then goes through it.
    let out = cli(&store, None, &["points", "rules"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = cli(&store, as_member, &["report", "summary"]);
    assert!(out.status.success(), "{}", text(&out));
    let socket = dangjian::store::socket_path(&store);
    assert_eq!(
        dangjian::store::remote::ask_to_leave(&socket).unwrap(),
        dangjian::store::remote::Left::Gone
    );
}
