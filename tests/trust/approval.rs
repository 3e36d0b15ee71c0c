//! Approval through a running server, as real OS users: a group leader's
//! entry waits; the leader cannot approve it; the secretary of the member's
//! branch sees it in the queue and approves it; the statement says who
//! recorded and who approved.

use crate::osuser::OsUser;
use crate::served::{BIN, Served, cli, served};
use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

fn as_user(s: &Served, who: &OsUser, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--store")
        .arg(s.store())
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .uid(who.uid)
        .gid(who.gid)
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

#[test]
fn a_leaders_entry_waits_for_the_secretary_through_the_server() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&[]);
    let member = s.a1.id.0.to_string();
    let out = as_user(
        &s,
        &s.leader,
        &[
            "points", "add", "--member", &member, "--rule", "VOL", "--hours", "1",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    let id = said
        .strip_prefix("pending ")
        .and_then(|r| r.split(':').next())
        .unwrap_or_else(|| panic!("{said}"))
        .to_string();
    let out = as_user(&s, &s.leader, &["points", "approve", &id]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("nobody approves their own"),
        "{}",
        text(&out)
    );
    let queue = as_user(&s, &s.secretary, &["points", "pending"]);
    assert!(text(&queue).contains(s.a1.name), "{}", text(&queue));
    let out = as_user(&s, &s.secretary, &["points", "approve", &id]);
    assert!(out.status.success(), "{}", text(&out));
    let statement = cli(&s.store(), &["points", "statement", &member]);
    let st = text(&statement);
    let line = st
        .lines()
        .find(|l| l.contains(&s.leader.login) && l.contains(&s.secretary.login))
        .unwrap_or_else(|| {
            panic!("no entry recorded by the leader and approved by the secretary: {st}")
        });
    assert!(line.contains("VOL"), "{line}");
}
