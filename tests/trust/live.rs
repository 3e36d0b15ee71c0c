//! What reaches a live connection: change notices only within the
//! listener's sight; nothing at all once their access is revoked; idle and
//! trickling connections closed, and a session that was idle carries on.

use crate::raw::{as_user, wait_line};
use crate::served::{cli, served};
use dangjian::access::{Session, WhoAmIQ};
use dangjian::ops::remote::Notice;
use dangjian::store::wire::{self, Response};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;

#[test]
fn a_secretary_hears_of_their_branch_only() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&[]);
    let mut child = as_user(
        &s.secretary,
        "subscribe",
        &s.socket(),
        &[("DJ_SENTINEL", s.a1.id.0.to_string())],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok);
    wait_line(&mut lines, "subscribed");
    let store = s.store();
    let add = |member: u64, note: &str| {
        let out = cli(
            &store,
            &[
                "points",
                "add",
                "--member",
                &member.to_string(),
                "--rule",
                "VOL",
                "--hours",
                "1",
                "--note",
                note,
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Branch B's changes, then one of branch A's to know the feed is through.
    add(s.b1.id.0, "乙");
    add(s.b1.id.0, "乙");
    add(s.a1.id.0, "甲");
    let mut notices = Vec::new();
    for line in lines.by_ref() {
        if line == "END" {
            break;
        }
        if let Some(hex) = line.strip_prefix("F ") {
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            if let Response::Notice(n) = wire::decode_value::<Response>(&bytes[1..]).unwrap() {
                notices.push(wire::decode_value::<Notice>(&n).unwrap());
            }
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(!notices.is_empty(), "the sentinel's notice came");
    for n in &notices {
        assert!(
            !n.touched.members.contains(&s.b1.id) && !n.touched.units.contains(&s.group_b1),
            "a notice of branch B reached branch A's secretary: {n:?}"
        );
        // Whose change it was is the committee's to know.
        assert_eq!(n.login, None);
    }
}

#[test]
fn a_revoked_user_gets_nothing_more_on_an_open_connection() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&[]);
    let mut child = as_user(&s.secretary, "revoked", &s.socket(), &[]);
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok);
    wait_line(&mut lines, "ready");
    let out = cli(&s.store(), &["users", "revoke", &s.secretary.login]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    writeln!(stdin, "go").unwrap();
    let rest: Vec<String> = lines.collect();
    assert!(child.wait().unwrap().success());
    let frame = rest
        .iter()
        .find_map(|l| l.strip_prefix("F "))
        .expect("an answer to the second question");
    let bytes: Vec<u8> = (0..frame.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&frame[i..i + 2], 16).unwrap())
        .collect();
    match wire::decode_value::<Response>(&bytes[1..]).unwrap() {
        Response::Error(e) => assert!(e.contains("deactivated"), "{e}"),
        other => panic!("a revoked user was answered: {other:?}"),
    }
    assert!(rest.iter().any(|l| l == "closed"), "{rest:?}");
    // And the audit log says who revoked whom.
    let audit = cli(&s.store(), &["audit"]);
    let text = String::from_utf8_lossy(&audit.stdout);
    assert!(
        text.contains("UpdateUser") && text.contains("active: true → false"),
        "{text}"
    );
}

#[test]
fn idle_and_trickling_connections_are_closed_and_an_idle_session_carries_on() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&["--idle-timeout", "1", "--read-timeout", "1"]);
    let session = Session::connect(&s.store()).unwrap().unwrap();
    // A connection that says nothing is closed by the server...
    let mut quiet = UnixStream::connect(s.socket()).unwrap();
    quiet
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(quiet.read(&mut buf).unwrap(), 0, "closed while idle");
    // ...and one that begins a frame and stops is closed too.
    let mut slow = UnixStream::connect(s.socket()).unwrap();
    slow.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    slow.write_all(&[0, 0]).unwrap();
    assert_eq!(slow.read(&mut buf).unwrap(), 0, "closed mid-frame");
    // The session, idle longer than the quiet one, asks again on a new
    // connection without a word.
    assert_eq!(session.ask(WhoAmIQ).unwrap().login, session.actor().login);
}
