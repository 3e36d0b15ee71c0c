//! The real binary on backup and restore: sealed with `--passphrase-file`,
//! restored with `--yes` and checked; a cut or edited file refused; without a
//! terminal, a passphrase and a confirmation are refused with what to add,
//! after the restore has shown what it would create; `--unencrypted` warns
//! and is needed on both sides; the prompts themselves in tmux (asked twice
//! without echo, a mismatch refused, a restore confirmed or declined).

mod common;
use common::{BIN, dangjian, dangjian_lang};

use common::*;
use dangjian::domain::*;
use dangjian::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// One test at a time: a store this process has just closed can still look
/// in use to a child forked by a parallel test while it holds the lock file.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn dump(path: &Path) -> Vec<dangjian::store::RawEntry> {
    let s: Store = open(path);
    s.dump().unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A store founded by the OS user, with two members and a viewer `mallory`,
/// closed again; and a directory for files, with a passphrase file `pass`.
struct Setup {
    _store_dir: tempfile::TempDir,
    store: PathBuf,
    files: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let f = Fixture::new_as(&dangjian::identity::os_login().unwrap());
        let mut a = member_data("张三", f.group_a1);
        a.id_number = id_number("19700506", 11);
        f.admin_apply(dangjian::ops::Command::CreateMember { data: a })
            .unwrap();
        f.user("mallory", Role::Viewer, None);
        let store = f.dir.path().to_path_buf();
        let Fixture { dir, store: s, .. } = f;
        drop(s);
        let files = tempfile::tempdir().unwrap();
        std::fs::write(files.path().join("pass"), "correct horse\n").unwrap();
        Setup {
            _store_dir: dir,
            store,
            files,
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.files.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.file(name).to_str().unwrap().to_string()
    }
}

#[test]
fn a_sealed_backup_restores_with_a_passphrase_file_and_a_damaged_one_is_refused() {
    let _serial = serial();
    let s = Setup::new();
    let (bak, pass) = (s.arg("store.djbak"), s.arg("pass"));
    let out = dangjian(&s.store, &["backup", &bak, "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}", text(&out));
    let schema = format!("schema version {}", dangjian::store::SCHEMA_VERSION);
    assert!(text(&out).contains(&schema), "{}", text(&out));
    assert!(
        text(&out).contains("sealed with a passphrase"),
        "{}",
        text(&out)
    );

    let new = s.file("restored");
    let args = ["restore", &bak, "--passphrase-file", &pass, "--yes"];
    let out = dangjian(&new, &args);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("members: 1"), "{t}");
    assert!(t.contains("mallory (viewer, whole community)"), "{t}");
    assert!(t.contains("check: clean"), "{t}");
    assert_eq!(dump(&new), dump(&s.store));
    // Into a store that holds data: refused before any passphrase is read.
    let out = dangjian(&new, &["restore", &bak, "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("already holds data"), "{}", text(&out));

    // A byte changed in the middle, a cut file, another passphrase: refused,
    // nothing made.
    let bytes = std::fs::read(s.file("store.djbak")).unwrap();
    let mut edited = bytes.clone();
    edited[bytes.len() / 2] ^= 1;
    std::fs::write(s.file("edited.djbak"), &edited).unwrap();
    std::fs::write(s.file("cut.djbak"), &bytes[..bytes.len() - 10]).unwrap();
    std::fs::write(s.file("other-pass"), "Correct horse\n").unwrap();
    let other = s.file("other");
    for (file, pass, says) in [
        ("edited.djbak", "pass", "was changed after it was sealed"),
        ("cut.djbak", "pass", "was changed after it was sealed"),
        (
            "store.djbak",
            "other-pass",
            "cannot be opened with this passphrase",
        ),
    ] {
        let out = dangjian(
            &other,
            &[
                "restore",
                &s.arg(file),
                "--passphrase-file",
                &s.arg(pass),
                "--yes",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{file}");
        assert!(text(&out).contains(says), "{file}: {}", text(&out));
        assert!(!other.exists(), "{file}");
    }
    let mut left = listing(s.files.path());
    left.retain(|n| n.starts_with('.'));
    assert_eq!(left, Vec::<String>::new(), "temporaries left");
    // In Chinese too.
    let out = dangjian_lang(
        &other,
        "zh_CN.UTF-8",
        &[
            "restore",
            &s.arg("edited.djbak"),
            "--passphrase-file",
            &pass,
            "--yes",
        ],
    );
    assert!(text(&out).contains("在加密后被改动过"), "{}", text(&out));
}

#[test]
fn without_a_terminal_a_passphrase_and_a_confirmation_are_refused_with_what_to_add() {
    let _serial = serial();
    let s = Setup::new();
    let bak = s.arg("store.djbak");
    let out = dangjian(&s.store, &["backup", &bak]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("--passphrase-file"), "{}", text(&out));
    assert!(!s.file("store.djbak").exists());
    let out = dangjian_lang(&s.store, "zh_CN.UTF-8", &["backup", &bak]);
    assert!(
        text(&out).contains("没有终端可以输入口令"),
        "{}",
        text(&out)
    );

    let pass = s.arg("pass");
    let out = dangjian(&s.store, &["backup", &bak, "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}", text(&out));
    let new = s.file("restored");
    let out = dangjian(&new, &["restore", &bak, "--passphrase-file", &pass]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    // What it would have made is shown first, then the refusal.
    assert!(t.contains("mallory (viewer, whole community)"), "{t}");
    assert!(t.contains("add --yes"), "{t}");
    assert!(!new.exists());
    assert_eq!(listing(s.files.path()), vec!["pass", "store.djbak"]);
    // Without a passphrase file either: the passphrase is what it lacks.
    let out = dangjian(&new, &["restore", &bak, "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("--passphrase-file"), "{}", text(&out));

    std::fs::write(s.file("empty"), "\n").unwrap();
    let out = dangjian(
        &s.store,
        &["backup", &bak, "--passphrase-file", &s.arg("empty")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("is empty"), "{}", text(&out));
}

#[test]
fn an_unencrypted_backup_warns_and_is_restored_only_with_unencrypted() {
    let _serial = serial();
    let s = Setup::new();
    let bak = s.arg("plain.djbak");
    let out = dangjian(&s.store, &["backup", &bak, "--unencrypted"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: ")
            && text(&out).contains("will not be encrypted"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("NOT encrypted"), "{}", text(&out));
    let new = s.file("restored");
    let out = dangjian(
        &new,
        &[
            "restore",
            &bak,
            "--passphrase-file",
            &s.arg("pass"),
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("is not sealed"), "{}", text(&out));
    assert!(!new.exists());
    let out = dangjian(&new, &["restore", &bak, "--unencrypted", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("warning: "), "{}", text(&out));
    assert_eq!(dump(&new), dump(&s.store));
}

/// A tmux server of its own, killed when the test ends.
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

    /// Starts `command` in a pane that stays open when it ends, on a tmux
    /// server of its own (`n` tells them apart: a server just told to stop
    /// may still answer on its socket for a moment).
    fn start(n: usize, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("dangjian-backup-{}-{n}", std::process::id()),
        };
        let shell = format!("{command}; echo \"EXIT=$?\"; read keep");
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "bk",
            "-x",
            "120",
            "-y",
            "40",
            &shell,
        ]);
        tmux
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "bk"])
            .output()
            .expect("tmux runs");
        if !out.status.success() {
            // Said in the timeout's message, should the pane have gone.
            return format!("(no pane: {})", String::from_utf8_lossy(&out.stderr));
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the pane until it shows `what`, for at most 60 seconds (scrypt
    /// takes a second or so, more on a busy machine).
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "timed out waiting for {what:?}; screen:\n{s}"
            );
            std::thread::yield_now();
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "bk"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Waits until the program has turned echo off on the pane's terminal
    /// (as a passphrase prompt does once it is shown), so nothing typed
    /// after it can be echoed by a race.
    fn wait_for_no_echo(&self) {
        let tty = self.run(&["display-message", "-p", "-t", "bk", "#{pane_tty}"]);
        let start = Instant::now();
        loop {
            let out = Command::new("stty")
                .args(["-a", "-F", tty.trim()])
                .output()
                .expect("stty runs");
            if String::from_utf8_lossy(&out.stdout).contains(" -echo ") {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "echo never went off on {tty}"
            );
            std::thread::yield_now();
        }
    }

    /// Types a passphrase at a prompt, once echo is off.
    fn type_secret(&self, prompt: &str, secret: &str) {
        self.wait_for(prompt);
        self.wait_for_no_echo();
        self.type_line(secret);
    }

    fn type_line(&self, line: &str) {
        self.keys(&["-l", line]);
        self.keys(&["Enter"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

#[test]
fn on_a_terminal_the_passphrase_is_asked_twice_without_echo_and_a_restore_confirmed() {
    let _serial = serial();
    let s = Setup::new();
    let cmd = |store: &Path, args: &str| {
        format!(
            "env -u LC_ALL LANG=C '{BIN}' --store '{}' {args}",
            store.display()
        )
    };
    let bak = s.arg("store.djbak");

    // Two passphrases that differ: nothing written.
    let tmux = Tmux::start(1, &cmd(&s.store, &format!("backup '{bak}'")));
    tmux.type_secret("Passphrase for the backup:", "correct horse");
    tmux.type_secret("The same again:", "correct hose");
    let screen = tmux.wait_for("EXIT=1");
    assert!(screen.contains("the two passphrases differ"), "{screen}");
    assert!(!s.file("store.djbak").exists());

    // The same twice: sealed; what was typed never shows.
    let tmux = Tmux::start(2, &cmd(&s.store, &format!("backup '{bak}'")));
    tmux.type_secret("Passphrase for the backup:", "correct horse");
    tmux.type_secret("The same again:", "correct horse");
    let screen = tmux.wait_for("EXIT=0");
    assert!(screen.contains("sealed with a passphrase"), "{screen}");
    assert!(!screen.contains("correct horse"), "{screen}");

    // A restore asks for the passphrase once, shows what it would make, and
    // asks; "n" makes nothing.
    let new = s.file("restored");
    let tmux = Tmux::start(3, &cmd(&new, &format!("restore '{bak}'")));
    tmux.type_secret("Passphrase of the backup:", "correct horse");
    let screen = tmux.wait_for("[y/N]");
    assert!(
        screen.contains("mallory (viewer, whole community)"),
        "{screen}"
    );
    tmux.type_line("n");
    let screen = tmux.wait_for("EXIT=1");
    assert!(screen.contains("nothing was restored"), "{screen}");
    assert!(!new.exists());
    assert_eq!(listing(s.files.path()), vec!["pass", "store.djbak"]);

    // "y" restores it.
    let tmux = Tmux::start(4, &cmd(&new, &format!("restore '{bak}'")));
    tmux.type_secret("Passphrase of the backup:", "correct horse");
    tmux.wait_for("[y/N]");
    tmux.type_line("y");
    let screen = tmux.wait_for("EXIT=0");
    assert!(screen.contains("check: clean"), "{screen}");
    assert_eq!(dump(&new), dump(&s.store));
}
