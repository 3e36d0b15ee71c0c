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

/// An event at the desk, on the real binary: ten people checked in by their
/// initials — one of them arriving twice (refused, not counted twice), one
/// an exact tie (two members named 贺晓彤: the pick list asks which) — the
/// last undone with Ctrl-Z, then the nine present marked in the roll and
/// awarded points in one go, and `q`. The store afterwards holds exactly that.
#[test]
fn an_event_check_in_by_initials_with_a_duplicate_a_tie_undo_and_bulk_points() {
    use dangjian::domain::finder::{FinderEntry, Query, ranked};
    use dangjian::domain::*;
    use dangjian::ops::{self, Command as Cmd, query};
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store");
    demo(&store_path);
    let (activity, clear, twins, before) = {
        let s = dangjian::store::Store::open(&store_path, &Default::default()).unwrap();
        let login = s
            .scan::<User>()
            .map(|u| u.unwrap())
            .find(|u| u.role == Role::CommitteeAdmin && u.active)
            .unwrap()
            .login;
        let admin = ops::actor_for_login(&s, &login).unwrap();
        let committee = query::org_units(&s)
            .unwrap()
            .into_iter()
            .find(|u| u.parent.is_none())
            .unwrap();
        let group = query::org_units(&s)
            .unwrap()
            .into_iter()
            .find(|u| u.level == OrgLevel::Group && u.closed.is_none())
            .unwrap();
        let mut twins = Vec::new();
        for room in ["101", "102"] {
            let mut data = query::members_in_subtree(&s, group.id).unwrap()[0]
                .data
                .clone();
            data.name = "贺晓彤".into();
            data.id_number = String::new();
            data.phone = String::new();
            data.address = Address {
                building: "3".into(),
                unit: "1".into(),
                room: room.into(),
            };
            data.status = MemberStatus::Active;
            let done = ops::apply(&s, &admin, &Cmd::CreateMember { data }).unwrap();
            twins.push(MemberId(done.created.unwrap()));
        }
        let today = chrono::Local::now().date_naive();
        let done = ops::apply(
            &s,
            &admin,
            &Cmd::CreateActivity {
                data: ActivityData {
                    kind: ActivityKind::VolunteerService,
                    title: "E2E event".into(),
                    host: committee.id,
                    starts: today.and_hms_opt(23, 59, 0).unwrap(),
                    place: "square".into(),
                    rule: None,
                    invitees: committee.id,
                    notes: String::new(),
                },
            },
        )
        .unwrap();
        // Nine people whose initials find them alone at the top.
        let invited: Vec<Member> = query::members_in_subtree(&s, committee.id)
            .unwrap()
            .into_iter()
            .filter(|m| m.data.status == MemberStatus::Active)
            .collect();
        let entries: Vec<FinderEntry> = invited.iter().map(FinderEntry::new).collect();
        let all: Vec<usize> = (0..invited.len()).collect();
        let initials = |name: &str| -> String {
            dangjian::domain::search::sort_key(name)
                .split(' ')
                .filter_map(|p| p.chars().next())
                .collect()
        };
        let clear: Vec<(Member, String)> = (0..invited.len())
            .filter_map(|i| {
                let typed = initials(&invited[i].data.name);
                let hits = ranked(&entries, &all, &Query::new(&typed));
                let alone = hits.len() == 1 || hits.get(1).is_some_and(|h| h.0 < hits[0].0);
                (alone && hits[0].1 == i).then(|| (invited[i].clone(), typed))
            })
            .take(9)
            .collect();
        assert_eq!(clear.len(), 9, "nine members with initials of their own");
        let before: Vec<Points> = clear
            .iter()
            .map(|(m, _)| query::balance(&s, m.id).unwrap())
            .collect();
        (ActivityId(done.created.unwrap()), clear, twins, before)
    };
    let tmux = Tmux {
        socket: format!("dangjian-e2e-event-{}", std::process::id()),
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
        store_path.display()
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the organisation panel", |s| s.contains("1Organisation"));
    tmux.keys(&["5"]);
    tmux.wait_for("the event listed", |s| s.contains("E2E event"));
    tmux.keys(&["g", "c"]);
    tmux.wait_for("check-in mode", |s| s.contains("Check-in · E2E event"));
    let keys = std::cell::Cell::new(0usize);
    let check_in = |who: &(Member, String), n: usize| {
        tmux.keys(&["-l", &who.1]);
        tmux.keys(&["Enter"]);
        keys.set(keys.get() + who.1.chars().count() + 1);
        tmux.wait_for("the check-in on screen", |s| {
            s.contains(&format!("✓ {}", who.0.data.name)) && s.contains(&format!("present {n} "))
        });
    };
    for (n, who) in clear.iter().take(8).enumerate() {
        check_in(who, n + 1);
    }
    // The first arrives again: refused, and not counted twice.
    tmux.keys(&["-l", &clear[0].1]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the duplicate warning", |s| {
        s.contains("already checked in")
    });
    tmux.keys(&["C-u"]);
    // A tie: both 贺晓彤 are listed with their rooms; the second by its digit.
    tmux.keys(&["-l", "贺晓彤"]);
    tmux.keys(&["Enter"]);
    let pick = tmux.wait_for("the pick list", |s| s.contains("Which one?"));
    assert!(
        !pick.contains("✓ 贺晓彤"),
        "nobody checked in on a tie:\n{pick}"
    );
    let digit = pick
        .lines()
        .filter(|l| l.contains("3-1-102"))
        .find_map(|l| {
            let at = l.find("贺晓彤")?;
            l[..at]
                .trim_end()
                .chars()
                .last()
                .filter(char::is_ascii_digit)
        })
        .unwrap_or_else(|| panic!("the row of 3-1-102:\n{pick}"));
    tmux.keys(&[&digit.to_string()]);
    // The tie: its three letters, Enter and the digit (the full name was
    // typed here to make the tie certain).
    keys.set(keys.get() + 5);
    tmux.wait_for("the chosen twin checked in", |s| {
        s.contains("✓ 贺晓彤") && s.contains("present 9 ")
    });
    check_in(&clear[8], 10);
    // Undo takes the last check-in back.
    tmux.keys(&["C-z"]);
    tmux.wait_for("nine present again", |s| s.contains("present 9 "));
    // The roll: the nine present are listed last; mark them and award points.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the activities panel", |s| s.contains("Activities ·"));
    tmux.keys(&["r"]);
    tmux.wait_for("the roll", |s| s.contains("Roll · E2E event"));
    tmux.keys(&["G", "V", "k", "k", "k", "k", "k", "k", "k", "k", "V"]);
    tmux.wait_for("nine marked", |s| s.contains("marked 9"));
    tmux.keys(&["p"]);
    tmux.wait_for("the points form", |s| {
        s.contains("Award points (all marked)")
    });
    tmux.keys(&["Enter"]);
    let done = tmux.wait_for("all nine awarded", |s| s.contains("Done 9/9"));
    assert!(done.contains("marked 0"), "{done}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the activities panel", |s| s.contains("Activities ·"));
    tmux.keys(&["q"]);
    let end = tmux.wait_for("the exit code", |s| {
        s.lines().any(|l| l.starts_with("EXIT="))
    });
    assert!(end.lines().any(|l| l == "EXIT=0"), "{end}");
    println!(
        "keys per check-in over 10 people (initials + Enter, a digit on the tie): {:.1}",
        keys.get() as f64 / 10.0
    );

    let s = dangjian::store::Store::open(&store_path, &Default::default()).unwrap();
    let mut present: Vec<MemberId> = s
        .attendance_of(activity)
        .map(|a| a.unwrap())
        .filter(|a| matches!(a.presence, Presence::Present { .. }))
        .map(|a| a.member)
        .collect();
    present.sort();
    let mut want: Vec<MemberId> = clear.iter().take(8).map(|c| c.0.id).collect();
    let chosen_twin = twins
        .iter()
        .copied()
        .find(|t| query::member(&s, *t).unwrap().unwrap().data.address.room == "102")
        .unwrap();
    want.push(chosen_twin);
    want.sort();
    assert_eq!(
        present, want,
        "eight by initials, the chosen twin; the undone one gone"
    );
    for (i, (m, _)) in clear.iter().enumerate() {
        let now = query::balance(&s, m.id).unwrap();
        if i < 8 {
            assert!(now > before[i], "{} was awarded points", m.data.name);
        } else {
            assert_eq!(now, before[i], "{}: undone, not awarded", m.data.name);
        }
    }
    assert!(query::balance(&s, chosen_twin).unwrap() > Points::ZERO);
    assert!(dangjian::store::check(&s).unwrap().is_clean());
}
