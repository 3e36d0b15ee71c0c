//! Durability under kill -9: a child process applies commands and prints the id
//! of each one as soon as `apply` returns; the test kills it at varied moments,
//! reopens the store and expects every acknowledged id there and `check` clean.

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::ops::{self, Command};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};

/// The writer. Runs only when `DANGJIAN_CRASH_STORE` is set (by the test below).
#[test]
#[ignore = "run by the crash test as the writer it kills"]
fn crash_child_writer() {
    let Ok(path) = std::env::var("DANGJIAN_CRASH_STORE") else {
        return;
    };
    let store = open(path.as_ref());
    let actor = ops::actor_for_login(&store, "admin").unwrap();
    let group = OrgUnitId(
        std::env::var("DANGJIAN_CRASH_GROUP")
            .unwrap()
            .parse()
            .unwrap(),
    );
    let vol = ops::query::rule_by_code(&store, "STUDY")
        .unwrap()
        .unwrap()
        .id;
    let mut out = std::io::stdout().lock();
    for i in 0..100_000u32 {
        let a = ops::apply(
            &store,
            &actor,
            &Command::CreateMember {
                data: member_data(&format!("成员{i}"), group),
            },
        )
        .unwrap();
        let member = a.created.unwrap();
        writeln!(out, "member {member}").unwrap();
        out.flush().unwrap();
        let a = ops::apply(
            &store,
            &actor,
            &Command::RecordPoints {
                member: MemberId(member),
                date: today(),
                rule: vol,
                quantity_centi: 100,
                points_override: None,
                note: String::new(),
            },
        )
        .unwrap();
        writeln!(out, "entry {}", a.created.unwrap()).unwrap();
        out.flush().unwrap();
    }
}

enum Ack {
    Member(u64),
    Entry(u64),
}

/// An acknowledgement the child printed. The first shares its line with the
/// test harness's `test crash_child_writer ... `, so the line is read from
/// after that.
fn ack(line: &str) -> Option<Ack> {
    let said = line.rsplit("... ").next().unwrap_or(line);
    if let Some(id) = said.strip_prefix("member ") {
        return id.trim().parse().ok().map(Ack::Member);
    }
    let id = said.strip_prefix("entry ")?;
    id.trim().parse().ok().map(Ack::Entry)
}

#[test]
fn the_first_acknowledgement_is_read_from_behind_the_harness_prefix() {
    assert!(matches!(
        ack("test crash_child_writer ... member 7"),
        Some(Ack::Member(7))
    ));
    assert!(matches!(ack("entry 12"), Some(Ack::Entry(12))));
    assert!(ack("running 1 test").is_none());
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let f = Fixture::new();
    let group = f.group_a1;
    let Fixture { dir, store, .. } = f;
    drop(store);

    let mut members = Vec::new();
    let mut entries = Vec::new();
    // Kill after varied numbers of acknowledgements, the last one mid-stream.
    for (round, acks_before_kill) in [3usize, 17, 1, 40, 9, 25].into_iter().enumerate() {
        let mut child = Process::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_child_writer",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("DANGJIAN_CRASH_STORE", dir.path())
            .env("DANGJIAN_CRASH_GROUP", group.0.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        while seen < acks_before_kill {
            let Some(line) = lines.next() else { break };
            match ack(&line.unwrap()) {
                Some(Ack::Member(id)) => members.push(id),
                Some(Ack::Entry(id)) => entries.push(id),
                None => continue,
            }
            seen += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever the child printed before dying was acknowledged too.
        for line in lines.map_while(Result::ok) {
            match ack(&line) {
                Some(Ack::Member(id)) => members.push(id),
                Some(Ack::Entry(id)) => entries.push(id),
                None => {}
            }
        }
        assert!(seen > 0, "round {round}: the child acknowledged nothing");

        let store = open(dir.path());
        for id in &members {
            assert!(
                store.get_id::<Member>(*id).unwrap().is_some(),
                "round {round}: acknowledged member {id} lost"
            );
        }
        for id in &entries {
            assert!(
                store.get_id::<PointsEntry>(*id).unwrap().is_some(),
                "round {round}: acknowledged entry {id} lost"
            );
        }
        let report = dangjian::store::check(&store).unwrap();
        assert!(report.is_clean(), "round {round}: {:#?}", report.problems);
    }
}
