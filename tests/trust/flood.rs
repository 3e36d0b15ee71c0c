//! Floods of connections: by someone in the socket's group who is not a user
//! of the store, by one user, and by many users at once, while the committee
//! admin and others work on.

use crate::raw::{as_user, wait_line};
use crate::served::{cli, served};
use dangjian::server::{ADMIN_RESERVE, MAX_CONNECTIONS, PER_USER};
use std::io::{BufRead, BufReader, Write};
use std::process::Child;

type Lines = Box<dyn Iterator<Item = String>>;

/// Starts a flood of `n` connections as `who`; returns once it holds them,
/// with the child (it holds them until `release`) and what it said.
fn flood(
    s: &crate::served::Served,
    who: &crate::osuser::OsUser,
    n: usize,
    hello: bool,
) -> ((Child, Lines), String) {
    let mut child = as_user(
        who,
        "flood",
        &s.socket(),
        &[
            ("DJ_FLOOD", n.to_string()),
            ("DJ_HELLO", if hello { "1" } else { "0" }.into()),
        ],
    );
    let mut lines: Lines = Box::new(
        BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok),
    );
    let said = wait_line(&mut lines, "held");
    ((child, lines), said)
}

fn release((mut child, lines): (Child, Lines)) {
    let _ = writeln!(child.stdin.take().unwrap(), "go");
    let rest: Vec<String> = lines.collect();
    assert!(rest.iter().any(|l| l == "END"), "{rest:?}");
    assert!(child.wait().unwrap().success());
}

fn admin_works(store: &std::path::Path) {
    let out = cli(store, &["report", "summary"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cli(
        store,
        &[
            "points", "add", "--member", "1", "--rule", "VOL", "--hours", "1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn server_fds(s: &crate::served::Served) -> usize {
    let pid = s.server.as_ref().unwrap().child.id();
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

#[test]
fn a_thousand_connections_by_a_non_user_hold_nothing_and_lock_nobody_out() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&[]);
    let started = std::time::Instant::now();
    let (child, said) = flood(&s, &s.nobody, 1000, false);
    eprintln!(
        "non-user flood: {said} in {:?}; server fds {}",
        started.elapsed(),
        server_fds(&s)
    );
    assert_eq!(said, "held 0 refused 1000");
    assert!(
        server_fds(&s) < 64,
        "the server holds {} descriptors",
        server_fds(&s)
    );
    admin_works(&s.store());
    release(child);
}

#[test]
fn one_user_flooding_gets_their_share_and_others_work_on() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&[]);
    let (child, said) = flood(&s, &s.leader, 1000, true);
    eprintln!("one-user flood: {said}; server fds {}", server_fds(&s));
    assert_eq!(said, format!("held {PER_USER} refused {}", 1000 - PER_USER));
    admin_works(&s.store());
    // Another user is not held up either.
    let (other, said) = flood(&s, &s.secretary, 3, true);
    assert_eq!(said, "held 3 refused 0");
    release(other);
    release(child);
}

#[test]
fn when_the_places_run_out_a_committee_admin_still_gets_in() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let mut s = served(&[]);
    // Enough users flooding at once to fill every place but the admins'.
    let needed = (MAX_CONNECTIONS - ADMIN_RESERVE).div_ceil(PER_USER);
    let flooders: Vec<_> = (0..needed).map(|i| s.users.add(&format!("f{i}"))).collect();
    for f in &flooders {
        let out = cli(&s.store(), &["users", "add", &f.login, "--role", "viewer"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut held = 0;
    let mut children = Vec::new();
    for f in &flooders {
        let (child, said) = flood(&s, f, PER_USER, true);
        held += said
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<usize>()
            .unwrap();
        children.push(child);
    }
    eprintln!(
        "{needed} users flooding: {held} connections held; server fds {}",
        server_fds(&s)
    );
    assert_eq!(held, MAX_CONNECTIONS - ADMIN_RESERVE);
    // No place for anyone else now but a committee admin.
    let (other, said) = flood(&s, &s.secretary, 1, true);
    assert_eq!(said, "held 0 refused 1");
    release(other);
    admin_works(&s.store());
    let (admin, said) = flood(&s, &s.admin, 3, true);
    assert_eq!(said, "held 3 refused 0");
    release(admin);
    for c in children {
        release(c);
    }
}
