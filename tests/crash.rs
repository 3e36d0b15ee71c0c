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
            let line = line.unwrap();
            if let Some(id) = line.strip_prefix("member ") {
                members.push(id.parse::<u64>().unwrap());
                seen += 1;
            } else if let Some(id) = line.strip_prefix("entry ") {
                entries.push(id.parse::<u64>().unwrap());
                seen += 1;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever the child printed before dying was acknowledged too.
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("member ") {
                members.push(id.parse().unwrap());
            } else if let Some(id) = line.strip_prefix("entry ") {
                entries.push(id.parse().unwrap());
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
