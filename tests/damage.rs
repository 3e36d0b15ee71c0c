//! A damaged store, through the real binary: a record whose length prefix is
//! huge, bytes flipped in sled's log and snapshot, a store that lost changes it
//! had acknowledged. Every run must end by itself (each child runs under a
//! generous `timeout` and must not be the one it kills), with a named error or
//! the whole data, never partial data called clean; allocations are capped
//! with `prlimit`, so an attempt to allocate gigabytes aborts the child and
//! fails the test.

mod common;

use dangjian::domain::*;
use dangjian::ops::{self, Command};
use dangjian::store::{Store, StoreConfig};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

/// Far above any honest run here (a few seconds); reached only by a child that
/// would never end, and then the test fails on the status `timeout` gives.
const BOUND_SECS: &str = "300";

/// The address space a child may use. An honest run of these small stores
/// needs under 1 GiB (sled's threads reserve stacks and malloc arenas); the
/// terabyte a damaged length asked for before is refused, which aborts.
const ADDRESS_SPACE: &str = "--as=2147483648";

fn run(store: &Path, args: &[&str]) -> Output {
    Process::new("timeout")
        .args([
            "--signal=KILL",
            BOUND_SECS,
            "prlimit",
            ADDRESS_SPACE,
            "--",
            BIN,
        ])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
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

/// The child ended by itself with `code` (not killed by `timeout`, not
/// aborted by a signal).
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "{:?}: {}", o.status, text(o));
}

fn demo(store: &Path, members: &str) {
    let out = run(store, &["demo", "--members", members]);
    assert_exit(&out, 0);
}

/// `checked N records …`: the records an honest check read.
fn records_checked(o: &Output) -> u64 {
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out
        .lines()
        .find(|l| l.starts_with("checked "))
        .unwrap_or_else(|| panic!("no summary line: {}", text(o)));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Inverts 64 bytes of `file` at `offset` (or the last 64 when past the end).
fn flip(file: &Path, offset: u64) {
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(file)
        .unwrap();
    let len = f.metadata().unwrap().len();
    let at = offset.min(len.saturating_sub(64));
    let mut bytes = [0u8; 64];
    f.read_exact_at(&mut bytes, at).unwrap();
    for b in &mut bytes {
        *b ^= 0xFF;
    }
    f.write_all_at(&bytes, at).unwrap();
    f.sync_all().unwrap();
}

fn snapshot_file(store: &Path) -> Option<PathBuf> {
    std::fs::read_dir(store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("snap."))
        })
}

/// A member's stored bytes with the name's length prefix made 2^40: version
/// byte, the id's varint, then the length as bincode's varint for a u64
/// (0xFD and eight bytes), then what followed.
fn huge_name(bytes: &[u8]) -> Vec<u8> {
    let id_len = match bytes[1] {
        0..=250 => 1,
        251 => 3,
        252 => 5,
        _ => 9,
    };
    let name_at = 1 + id_len;
    let name_len_len = match bytes[name_at] {
        0..=250 => 1,
        251 => 3,
        252 => 5,
        _ => 9,
    };
    let mut out = bytes[..name_at].to_vec();
    out.push(0xFD);
    out.extend_from_slice(&(1u64 << 40).to_le_bytes());
    out.extend_from_slice(&bytes[name_at + name_len_len..]);
    out
}

#[test]
fn a_huge_length_prefix_is_named_by_check_reports_exports_and_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    demo(&store, "40");
    let honest = records_checked(&run(&store, &["check"]));
    let key = {
        let s = Store::open(&store, &StoreConfig::default()).unwrap();
        let (_, key, bytes) = s
            .dump()
            .unwrap()
            .into_iter()
            .find(|(t, _, _)| *t == "members")
            .unwrap();
        s.raw_put("members", &key, &huge_name(&bytes)).unwrap();
        s.sync().unwrap();
        key.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let named = format!("unreadable record in tree `members` at key {key}");

    // check lists it and reads every other record.
    let out = run(&store, &["check"]);
    assert_exit(&out, 1);
    let all = text(&out);
    assert!(all.contains(&named), "{all}");
    assert!(all.contains("claims more than the 2048 KiB"), "{all}");
    assert!(all.contains("PROBLEMS FOUND"), "{all}");
    assert_eq!(records_checked(&out), honest - 1, "{all}");

    // Reports and exports stop with it; the store still opens for them.
    let csv = dir.path().join("members.csv");
    let csv = csv.to_str().unwrap();
    for args in [
        &["report", "ranking"][..],
        &["report", "summary"],
        &["export", "members", "-o", csv],
    ] {
        let out = run(&store, args);
        assert_exit(&out, 1);
        assert!(text(&out).contains(&named), "{args:?}: {}", text(&out));
    }
    let out = run(&store, &["--lang", "zh-CN", "report", "summary"]);
    assert_exit(&out, 1);
    assert!(
        text(&out).contains(&format!("`members` 中键 {key} 的记录无法读取")),
        "{}",
        text(&out)
    );

    // The server starts on it and answers with the same error.
    let mut server = Process::new("prlimit")
        .args([ADDRESS_SPACE, "--", BIN, "--store"])
        .arg(&store)
        .arg("serve")
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let through_server = run(&store, &["report", "summary"]);
    let _ = server.kill();
    let status = server.wait().unwrap();
    assert!(first.contains("serving"), "the server said: {first}");
    assert_exit(&through_server, 1);
    assert!(
        text(&through_server).contains(&named),
        "{}",
        text(&through_server)
    );
    // It was still up when killed: it did not abort on the record.
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
}

/// Damage at sixteenths of a copy of `base`'s log, one copy each: every check
/// ends by itself, with the whole data (`honest` records) and clean, or with a
/// named error; so does `report summary` with `summary`, whose counts once
/// went round a damaged tree for ever. Returns the damaged checks' messages.
fn damage_log(work: &Path, base: &Path, honest: u64, name: &str, summary: bool) -> Vec<String> {
    let len = std::fs::metadata(base.join("db")).unwrap().len();
    let mut named = Vec::new();
    for k in 0..=16u64 {
        let copy = work.join(format!("{name}-{k}"));
        copy_dir(base, &copy);
        flip(&copy.join("db"), len * k / 16);
        let out = run(&copy, &["check"]);
        let all = text(&out);
        match out.status.code() {
            Some(0) => {
                assert!(all.contains(": clean"), "{name} {k}/16: {all}");
                assert_eq!(
                    records_checked(&out),
                    honest,
                    "{name} {k}/16: partial data: {all}"
                );
            }
            Some(1) => {
                assert!(
                    all.contains(&format!("the store at {} is damaged (", copy.display()))
                        || all
                            .contains(&format!("the store at {} cannot be read (", copy.display())),
                    "{name} {k}/16: {all}"
                );
                assert!(
                    all.contains("restore it from a backup with `dangjian restore"),
                    "{all}"
                );
                named.push(all);
            }
            _ => panic!(
                "{name} {k}/16 did not end by itself: {:?}: {all}",
                out.status
            ),
        }
        if summary {
            let out = run(&copy, &["report", "summary"]);
            let all = text(&out);
            match out.status.code() {
                Some(0) => {}
                Some(1) => assert!(
                    all.contains("is damaged (") || all.contains("unreadable record"),
                    "{name} {k}/16 summary: {all}"
                ),
                _ => panic!(
                    "{name} {k}/16 summary did not end by itself: {:?}: {all}",
                    out.status
                ),
            }
        }
        std::fs::remove_dir_all(&copy).unwrap();
    }
    named
}

#[test]
fn flipped_bytes_in_the_log_or_snapshot_end_check_with_a_named_error_never_partial_data() {
    let dir = tempfile::tempdir().unwrap();
    // Fresh from `demo`: sled replays its whole log on the next open.
    let fresh = dir.path().join("fresh");
    demo(&fresh, "300");
    // The same community, opened once more: sled has written a snapshot and
    // reads pages from the log as it needs them.
    let opened = dir.path().join("opened");
    demo(&opened, "300");
    let honest = records_checked(&run(&opened, &["check"]));
    let snapshot = snapshot_file(&opened).expect("sled wrote a snapshot");

    let replayed = damage_log(dir.path(), &fresh, honest, "replayed", false);
    assert!(
        replayed.iter().any(|m| m.contains("were made durable")),
        "damage in the replayed log is found by the high-water mark: {replayed:#?}"
    );
    let paged = damage_log(dir.path(), &opened, honest, "paged", true);
    assert!(
        paged.iter().any(|m| m.contains("fail their checksum")),
        "damage under pages sled reads later ends the scan that meets it: {paged:#?}"
    );

    let copy = dir.path().join("snap");
    copy_dir(&opened, &copy);
    flip(&copy.join(snapshot.file_name().unwrap()), 1 << 10);
    let out = run(&copy, &["check"]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("is damaged ("), "{}", text(&out));
}

#[test]
fn a_store_that_lost_acknowledged_changes_says_so_until_its_mark_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    demo(&store, "20");
    let earlier = dir.path().join("earlier");
    copy_dir(&store, &earlier);
    {
        let s = common::open(&store);
        let login = dangjian::identity::os_login().unwrap();
        let actor = ops::actor_for_login(&s, &login).unwrap();
        let group = s
            .scan::<OrgUnit>()
            .map(Result::unwrap)
            .find(|u| u.level == OrgLevel::Group)
            .unwrap()
            .id;
        ops::apply(
            &s,
            &actor,
            &Command::CreateMember {
                data: common::member_data("王五", group),
            },
        )
        .unwrap();
    }
    // What sled does on opening a log damaged in the part it replays: it keeps
    // the log up to the damage. Here, the files as they were a change ago.
    for entry in std::fs::read_dir(&store).unwrap() {
        let p = entry.unwrap().path();
        if p.file_name()
            .is_some_and(|n| n == "db" || n.to_string_lossy().starts_with("snap."))
        {
            std::fs::remove_file(p).unwrap();
        }
    }
    for name in ["db", "conf"] {
        std::fs::copy(earlier.join(name), store.join(name)).unwrap();
    }
    if let Some(snap) = snapshot_file(&earlier) {
        std::fs::copy(&snap, store.join(snap.file_name().unwrap())).unwrap();
    }

    let mark = store.join("dangjian.mark");
    let out = run(&store, &["check"]);
    assert_exit(&out, 1);
    let all = text(&out);
    assert!(
        all.contains(&format!("the store at {} is damaged (", store.display())),
        "{all}"
    );
    assert!(
        all.contains("changes, but") && all.contains("were made durable"),
        "{all}"
    );
    assert!(all.contains("dangjian restore"), "{all}");
    assert!(all.contains(&format!("delete {}", mark.display())), "{all}");
    let out = run(&store, &["--lang", "zh-CN", "report", "summary"]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("处的存储已损坏"), "{}", text(&out));
    assert!(text(&out).contains("从备份恢复"), "{}", text(&out));

    // Without a backup, removing the mark accepts the store as it is.
    std::fs::remove_file(&mark).unwrap();
    assert_exit(&run(&store, &["check"]), 0);
}

#[test]
fn an_old_store_with_an_unreadable_record_still_opens_and_migrates() {
    let f = common::Fixture::new();
    let m = f.member("张三", f.group_a1);
    let key = m.0.to_be_bytes();
    let (_, _, bytes) = f
        .store
        .dump()
        .unwrap()
        .into_iter()
        .find(|(t, k, _)| *t == "members" && k.as_slice() == key)
        .unwrap();
    f.store
        .raw_put("members", &key, &huge_name(&bytes))
        .unwrap();
    // A ledger entry that does not decode either.
    f.store
        .raw_put("ledger", &99u64.to_be_bytes(), &[1, 0xFF])
        .unwrap();
    f.store.raw_put_number("meta", b"schema", 1).unwrap();
    f.store.sync().unwrap();
    let common::Fixture { dir, store, .. } = f;
    drop(store);

    let store = common::open(dir.path());
    assert_eq!(
        store.schema_version().unwrap(),
        Some(dangjian::store::SCHEMA_VERSION)
    );
    let report = dangjian::store::check(&store).unwrap();
    let all = report
        .problems
        .iter()
        .map(|p| p.en.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("unreadable record in tree `members`"), "{all}");
    assert!(all.contains("unreadable record in tree `ledger`"), "{all}");
}
