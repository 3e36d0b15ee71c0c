//! End to end: the real binary in tmux on a temp demo store. Navigate, search,
//! resize to 20×5 and back, quit with `q`; the process exits 0 and the shell's
//! screen is back. Waits poll the pane (bounded), never sleep.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
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
        self.run(&["kill-server"]);
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
    let end = tmux.wait_for("the exit code", |s| s.contains("EXIT="));
    assert!(end.contains("EXIT=0"), "{end}");
    assert!(
        !end.contains("1Organisation"),
        "the app's screen is gone:\n{end}"
    );
}
