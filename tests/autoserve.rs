//! A store is always served: the real binary starts the store's server in
//! the background, later processes attach to it, it lingers and leaves, a
//! killed one is replaced, and its socket is the owner's alone. Which server
//! answers is told by the socket's peer (its pid), never by timing.

mod common;

use common::*;
use dangjian::access::{Session, SummaryQ};
use dangjian::domain::PointsEntry;
use dangjian::server::auto::spawner_of;
use dangjian::store::remote::{Left, ask_to_leave};
use dangjian::store::{Store, StoreConfig, StoreError, socket_path};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

/// The binary on `store`; its server (if it starts one) lingers `linger`
/// seconds with nobody connected.
fn dangjian(store: &Path, linger: u64, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .env_remove("DANGJIAN_SERVE")
        .env("DANGJIAN_LINGER", linger.to_string())
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

/// A store whose admin is the OS user running the tests, with one member
/// (张三) in group A1, closed again.
fn store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s");
    let f = Fixture::at(&path, &dangjian::identity::os_login().unwrap());
    f.member("张三", f.group_a1);
    drop(f);
    (dir, path)
}

/// The pid of the process listening at the store's socket, if one answers.
fn server_pid(store: &Path) -> Option<i32> {
    use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
    let stream = UnixStream::connect(socket_path(store)).ok()?;
    Some(getsockopt(&stream, PeerCredentials).unwrap().pid())
}

/// Whether `pid` is a live process (a zombie waiting for its reaper is not).
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Waits for `pid` to end: its exit is seen by looking, a bounded number of
/// times (a process that is not our child cannot be waited for).
fn gone(pid: i32) -> bool {
    for _ in 0..500 {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn kill_9(pid: i32) {
    let sent = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Stops the store's lingering server (it serves nobody now) and sees it end.
fn stop(store: &Path) {
    let pid = server_pid(store).expect("a server answers");
    assert_eq!(ask_to_leave(&socket_path(store)).unwrap(), Left::Gone);
    assert!(gone(pid), "the server {pid} did not end after leaving");
}

fn ledger(store: &Path) -> Vec<PointsEntry> {
    let store = open(store);
    store.scan::<PointsEntry>().map(|e| e.unwrap()).collect()
}

fn add_points(store: &Path, linger: u64, note: &str) -> Output {
    dangjian(
        store,
        linger,
        &[
            "points",
            "add",
            "--member",
            "张三",
            "--rule",
            "VOL",
            "--hours",
            "1",
            "--date",
            "2025-06-01",
            "--note",
            note,
        ],
    )
}

#[test]
fn the_first_command_starts_a_server_and_the_next_one_goes_through_it() {
    let (_dir, path) = store();
    assert_eq!(server_pid(&path), None);
    let out = add_points(&path, 60, "first");
    assert!(out.status.success(), "{}", text(&out));
    let pid = server_pid(&path).expect("the first command left a server");
    assert_ne!(pid as u32, std::process::id());
    // The server holds the files: a process that opened them itself could
    // not have, so an answer means it went through the server.
    let out = add_points(&path, 60, "second");
    assert!(out.status.success(), "{}", text(&out));
    let out = dangjian(&path, 60, &["points", "rules"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("VOL"), "{}", text(&out));
    assert_eq!(server_pid(&path), Some(pid), "the same server answered");
    assert!(alive(pid));
    stop(&path);
    let notes: Vec<String> = ledger(&path).into_iter().map(|e| e.note).collect();
    assert_eq!(notes, ["first", "second"]);
}

#[test]
fn processes_started_at_once_all_work_through_one_server() {
    let (_dir, path) = store();
    let runs: Vec<_> = (0..6)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || add_points(&path, 60, &format!("at once {i}")))
        })
        .collect();
    for run in runs {
        let out = run.join().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    let pid = server_pid(&path).expect("a server answers");
    // Every dangjian server on this store: only the one that answers.
    let servers: Vec<i32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                let args: Vec<&[u8]> = c.split(|b| *b == 0).collect();
                args.contains(&b"--auto".as_slice())
                    && args.contains(&path.as_os_str().as_encoded_bytes())
            }) && alive(*pid)
        })
        .collect();
    assert_eq!(servers, [pid]);
    stop(&path);
    assert_eq!(ledger(&path).len(), 6);
}

#[test]
fn a_server_with_linger_0_ends_when_its_last_client_leaves() {
    let (_dir, path) = store();
    let spawn = spawner_of(Path::new(BIN), &path, 8, Duration::ZERO);
    let session = Session::open_with(&path, &StoreConfig::default(), spawn).unwrap();
    assert!(session.is_remote());
    let pid = server_pid(&path).expect("a server answers");
    session.ask(SummaryQ).unwrap();
    assert!(alive(pid), "it stays while a client is connected");
    drop(session);
    assert!(gone(pid), "the server {pid} lingered with linger 0");
    assert_eq!(server_pid(&path), None);
}

#[test]
fn a_server_killed_with_9_is_replaced_by_the_next_command() {
    let (_dir, path) = store();
    let out = add_points(&path, 60, "before");
    assert!(out.status.success(), "{}", text(&out));
    let old = server_pid(&path).expect("a server answers");
    kill_9(old);
    assert!(gone(old));
    // The socket's file is still there, and nobody listens at it.
    assert!(socket_path(&path).exists());
    let out = add_points(&path, 60, "after");
    assert!(out.status.success(), "{}", text(&out));
    let new = server_pid(&path).expect("a new server answers");
    assert_ne!(new, old);
    stop(&path);
    let notes: Vec<String> = ledger(&path).into_iter().map(|e| e.note).collect();
    assert_eq!(notes, ["before", "after"]);
}

#[test]
fn a_session_whose_server_was_killed_reconnects_to_a_new_one() {
    let (_dir, path) = store();
    let spawn = spawner_of(Path::new(BIN), &path, 8, Duration::from_secs(60));
    let session = Session::open_with(&path, &StoreConfig::default(), spawn).unwrap();
    let before = session.ask(SummaryQ).unwrap();
    let old = server_pid(&path).expect("a server answers");
    kill_9(old);
    assert!(gone(old));
    assert_eq!(session.ask(SummaryQ).unwrap(), before);
    let new = server_pid(&path).expect("a new server answers");
    assert_ne!(new, old);
    drop(session);
    stop(&path);
}

#[test]
fn an_automatic_server_listens_for_the_owner_only() {
    let (_dir, path) = store();
    let out = dangjian(&path, 60, &["points", "rules"]);
    assert!(out.status.success(), "{}", text(&out));
    let socket = socket_path(&path);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(socket.parent().unwrap()), 0o700);
    assert_eq!(mode(&socket), 0o600);
    stop(&path);
}

#[test]
fn the_files_are_handed_over_only_when_nobody_else_is_connected() {
    let (_dir, path) = store();
    let spawn = spawner_of(Path::new(BIN), &path, 8, Duration::from_secs(60));
    let session = Session::open_with(&path, &StoreConfig::default(), spawn).unwrap();
    let pid = server_pid(&path).expect("a server answers");
    // Someone is connected: the server keeps the store.
    match ask_to_leave(&socket_path(&path)).unwrap() {
        Left::Stays(why) => assert!(why.contains("other connection"), "{why}"),
        other => panic!("the server left with a client connected: {other:?}"),
    }
    assert!(matches!(
        Store::open(&path, &StoreConfig::default()),
        Err(StoreError::InUse(_))
    ));
    assert!(alive(pid));
    drop(session);
    // Nobody now: an open in this process gets the files from it.
    let store = Store::open(&path, &StoreConfig::default()).unwrap();
    assert!(gone(pid));
    drop(store);
}

#[test]
fn demo_force_replaces_a_store_its_lingering_server_held() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo");
    let out = dangjian(&path, 60, &["demo", "--members", "12"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = dangjian(&path, 60, &["report", "summary"]);
    assert!(out.status.success(), "{}", text(&out));
    let pid = server_pid(&path).expect("a server answers");
    let out = dangjian(&path, 60, &["demo", "--members", "10", "--force"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(gone(pid));
    let out = dangjian(&path, 60, &["report", "summary", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    stop(&path);
}

#[test]
fn a_store_set_up_for_a_group_is_served_to_that_group_automatically() {
    use std::io::BufRead;
    use std::os::unix::fs::MetadataExt;
    let (_dir, path) = store();
    // A group this user may give files to: their own primary group.
    let gid = nix::unistd::getgid();
    let group = nix::unistd::Group::from_gid(gid).unwrap().unwrap().name;
    let mut serve = Command::new(BIN)
        .arg("--store")
        .arg(&path)
        .args(["serve", "--group", &group])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
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
    // Recorded in the store; the automatic server later opens to the group.
    let recorded = std::fs::read_to_string(path.join("dangjian.group")).unwrap();
    assert_eq!(recorded.trim(), group);
    let out = dangjian(&path, 60, &["points", "rules"]);
    assert!(out.status.success(), "{}", text(&out));
    let socket = socket_path(&path);
    let meta = |p: &Path| std::fs::metadata(p).unwrap();
    let dir = socket.parent().unwrap();
    assert_eq!(meta(dir).permissions().mode() & 0o777, 0o750);
    assert_eq!(meta(&socket).permissions().mode() & 0o777, 0o660);
    assert_eq!(
        (meta(dir).gid(), meta(&socket).gid()),
        (gid.as_raw(), gid.as_raw())
    );
    stop(&path);
}

#[test]
fn a_command_that_needs_the_files_says_so_while_others_use_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo");
    let out = dangjian(&path, 60, &["demo", "--members", "12"]);
    assert!(out.status.success(), "{}", text(&out));
    let spawn = spawner_of(Path::new(BIN), &path, 8, Duration::from_secs(60));
    let session = Session::open_with(&path, &StoreConfig::default(), spawn).unwrap();
    let pid = server_pid(&path).expect("a server answers");
    let out = dangjian(&path, 60, &["demo", "--members", "10", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("is in use through its dangjian server"),
        "{}",
        text(&out)
    );
    // Nothing was replaced, and the server still serves.
    assert!(alive(pid));
    let summary = session.ask(SummaryQ).unwrap();
    assert!(
        summary
            .records
            .iter()
            .any(|(k, n)| k == "members" && *n == 12),
        "{summary:?}"
    );
    drop(session);
    stop(&path);
}

/// A descriptor the starter left open without close-on-exec (a build tool's
/// jobserver pipe, say) is not kept by the server it started, which outlives
/// the starter.
#[test]
fn the_server_keeps_nothing_its_starter_left_open() {
    use std::os::fd::AsRawFd;
    let (_dir, path) = store();
    // A pipe without close-on-exec, inherited by the client and, through it,
    // by the server the client starts.
    let (read, write) = nix::unistd::pipe().unwrap();
    let inode = |fd: i32| {
        std::fs::read_link(format!("/proc/self/fd/{fd}"))
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let ends = [inode(read.as_raw_fd()), inode(write.as_raw_fd())];
    let out = add_points(&path, 60, "with a pipe open");
    assert!(out.status.success(), "{}", text(&out));
    let pid = server_pid(&path).expect("a server answers");
    let held: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert!(!held.is_empty());
    for end in &ends {
        assert!(!held.contains(end), "the server holds {end}: {held:?}");
    }
    stop(&path);
    drop((read, write));
}
