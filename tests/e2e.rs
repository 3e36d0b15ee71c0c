//! End to end: the real binary in tmux on a temp demo store. Navigate (the
//! overview too), search, resize to 20×5 and back, quit with `q`; the process exits 0 and the shell's
//! screen is back. Waits poll the pane (bounded), never sleep.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = common::tool("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// Polls the pane until `pred` holds, for at most 20 seconds.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::yield_now();
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Not `run`: a test that failed because tmux is missing must not
        // panic again here.
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn demo(store: &Path) -> dangjian::domain::Member {
    let out = Command::new(BIN)
        .arg("--store")
        .arg(store)
        .args(["demo", "--members", "60", "--entries", "300"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = dangjian::store::Store::open(store, &Default::default()).unwrap();
    s.scan::<dangjian::domain::Member>()
        .map(|m| m.unwrap())
        .find(|m| m.data.phone.len() == 11)
        .unwrap()
}

#[test]
fn navigate_search_resize_and_quit_in_tmux() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let member = demo(&store);
    let tmux = Tmux {
        socket: format!("dangjian-e2e-{}", std::process::id()),
    };
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        "sh",
    ]);
    tmux.wait_for("a shell prompt", |s| s.contains('$') || s.contains('#'));
    let cmd = format!(
        "'{BIN}' --store '{}' --lang en; echo EXIT=$?",
        store.display()
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the organisation panel", |s| s.contains("1Organisation"));
    // The overview, computed in the background since start-up.
    tmux.keys(&["6"]);
    tmux.wait_for("the overview's figures", |s| {
        s.contains("Idle yr") && s.contains("Visits overdue")
    });
    tmux.keys(&["1"]);
    tmux.wait_for("the organisation panel again", |s| {
        !s.contains("Overview ›")
    });
    tmux.keys(&["j", "j", "m"]);
    tmux.wait_for("the roster", |s| s.contains("Bldg-Unit-Rm"));
    // Search by the last four digits of a member's phone.
    let tail = &member.data.phone[7..];
    tmux.keys(&["/"]);
    tmux.keys(&["-l", tail]);
    tmux.wait_for("the member found by phone tail", |s| {
        s.contains(&format!("Search: {tail}")) && s.contains(&member.data.name)
    });
    tmux.keys(&["Enter", "Escape"]);
    tmux.run(&["resize-window", "-t", "e2e", "-x", "20", "-y", "5"]);
    tmux.wait_for("the tiny screen", |s| s.lines().count() <= 5);
    tmux.run(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    tmux.wait_for("the full screen again", |s| s.contains("1Organisation"));
    tmux.keys(&["q"]);
    // The echoed command also holds "EXIT=": wait for the line it prints.
    let printed = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("EXIT="))
            .map(str::to_string)
    };
    let end = tmux.wait_for("the exit code", |s| printed(s).is_some());
    assert_eq!(printed(&end).as_deref(), Some("EXIT=0"), "{end}");
    assert!(
        !end.contains("1Organisation"),
        "the app's screen is gone:\n{end}"
    );
}

/// Whether a process still exists (tmux reaps its panes' processes).
fn alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn a_check_in_shown_before_kill_9_is_there_after_reopening() {
    use dangjian::domain::*;
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store");
    demo(&store_path);
    // Someone invited to the newest activity, not yet present, with a name
    // no other invitee has.
    let (activity, member) = {
        let s = dangjian::store::Store::open(&store_path, &Default::default()).unwrap();
        let activity = s
            .scan::<Activity>()
            .map(|a| a.unwrap())
            .max_by_key(|a| (a.data.starts, a.id))
            .unwrap();
        let invited = dangjian::ops::query::members_in_subtree(&s, activity.data.invitees).unwrap();
        let present: Vec<MemberId> = s
            .attendance_of(activity.id)
            .map(|a| a.unwrap().member)
            .collect();
        let member = invited
            .iter()
            .filter(|m| m.data.status == MemberStatus::Active && !present.contains(&m.id))
            .find(|m| {
                invited
                    .iter()
                    .filter(|o| o.data.name == m.data.name)
                    .count()
                    == 1
            })
            .unwrap()
            .clone();
        (activity, member)
    };
    let tmux = Tmux {
        socket: format!("dangjian-e2e-kill-{}", std::process::id()),
    };
    let cmd = format!("'{BIN}' --store '{}' --lang en", store_path.display());
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        &cmd,
    ]);
    let pid: i32 = tmux
        .run(&["display-message", "-p", "-t", "e2e", "#{pane_pid}"])
        .trim()
        .parse()
        .unwrap();
    tmux.wait_for("the organisation panel", |s| s.contains("1Organisation"));
    tmux.keys(&["5"]);
    tmux.wait_for("the activities list", |s| s.contains("Activities ·"));
    tmux.keys(&["c"]);
    tmux.wait_for("check-in mode", |s| s.contains("Check-in ·"));
    tmux.keys(&["-l", &member.data.name]);
    tmux.wait_for("the member among the matches", |s| {
        s.contains(&format!("> {}", member.data.name))
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the check-in on screen", |s| {
        s.contains(&format!("✓ {}", member.data.name))
    });
    let killed = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    while alive(pid) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "process {pid} did not die"
        );
        std::thread::yield_now();
    }
    let s = dangjian::store::Store::open(&store_path, &Default::default()).unwrap();
    let att = s.attendance(activity.id, member.id).unwrap();
    assert!(
        matches!(
            att,
            Some(Attendance {
                presence: Presence::Present { .. },
                ..
            })
        ),
        "the check-in of {} survived",
        member.data.name
    );
    assert!(dangjian::store::check(&s).unwrap().is_clean());
}

/// Two people on one store through a server, in two tmux windows: one checks
/// a member in; the other, with the recent-changes pop-up open, sees it live.
#[test]
fn two_windows_on_one_store_through_a_server_see_each_others_changes() {
    use dangjian::domain::*;
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store");
    demo(&store_path);
    let (activity, member) = {
        let s = dangjian::store::Store::open(&store_path, &Default::default()).unwrap();
        let activity = s
            .scan::<Activity>()
            .map(|a| a.unwrap())
            .max_by_key(|a| (a.data.starts, a.id))
            .unwrap();
        let invited = dangjian::ops::query::members_in_subtree(&s, activity.data.invitees).unwrap();
        let present: Vec<MemberId> = s
            .attendance_of(activity.id)
            .map(|a| a.unwrap().member)
            .collect();
        let member = invited
            .iter()
            .filter(|m| m.data.status == MemberStatus::Active && !present.contains(&m.id))
            .find(|m| {
                invited
                    .iter()
                    .filter(|o| o.data.name == m.data.name)
                    .count()
                    == 1
            })
            .unwrap()
            .clone();
        (activity, member)
    };
    let mut server = Command::new(BIN)
        .arg("--store")
        .arg(&store_path)
        .arg("serve")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(server.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains("serving"), "{first}");

    let tmux = Tmux {
        socket: format!("dangjian-e2e-two-{}", std::process::id()),
    };
    let cmd = format!("'{BIN}' --store '{}' --lang en", store_path.display());
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-n",
        "a",
        "-x",
        "80",
        "-y",
        "24",
        &cmd,
    ]);
    tmux.run(&["new-window", "-d", "-t", "e2e", "-n", "b", &cmd]);
    let screen = |w: &str| tmux.run(&["capture-pane", "-p", "-t", &format!("e2e:{w}")]);
    let wait = |w: &str, what: &str, pred: &dyn Fn(&str) -> bool| {
        let start = Instant::now();
        loop {
            let s = screen(w);
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what} in window {w}; screen:\n{s}"
            );
            std::thread::yield_now();
        }
    };
    let keys = |w: &str, keys: &[&str]| {
        let target = format!("e2e:{w}");
        let mut args = vec!["send-keys", "-t", target.as_str()];
        args.extend_from_slice(keys);
        tmux.run(&args);
    };
    wait("a", "the organisation panel", &|s| {
        s.contains("1Organisation")
    });
    wait("b", "the organisation panel", &|s| {
        s.contains("1Organisation")
    });
    keys("b", &["L"]);
    wait("b", "the recent changes", &|s| s.contains("Recent changes"));
    keys("a", &["5"]);
    wait("a", "the activities list", &|s| s.contains("Activities ·"));
    keys("a", &["c"]);
    wait("a", "check-in mode", &|s| s.contains("Check-in ·"));
    keys("a", &["-l", &member.data.name]);
    wait("a", "the member among the matches", &|s| {
        s.contains(&format!("> {}", member.data.name))
    });
    keys("a", &["Enter"]);
    wait("a", "the check-in on screen", &|s| {
        s.contains(&format!("✓ {}", member.data.name))
    });
    // As much of the audit line as fits beside the time and login.
    let seen: String = format!("checked in {} to {}", member.data.name, activity.data.title)
        .chars()
        .take(30)
        .collect();
    wait("b", "A's check-in among B's recent changes", &|s| {
        s.contains(&seen)
    });
    keys("a", &["Escape", "q"]);
    keys("b", &["Escape", "q"]);
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    assert!(server.wait().unwrap().success());
    let s = dangjian::store::Store::open(&store_path, &Default::default()).unwrap();
    assert!(dangjian::store::check(&s).unwrap().is_clean());
}
