//! The store server through its socket: the real `dangjian serve` binary, and
//! clients in other processes (this test binary run again as a child, as in
//! tests/crash.rs) or in this one. Identity comes from the socket, so every
//! test makes the OS user running it a dangjian user with the role it needs.
//! Waits read what the server and clients print, never sleep.

mod common;

use common::*;
use dangjian::access::{BalanceQ, CheckQ, EntryQ, Session, SummaryQ};
use dangjian::domain::*;
use dangjian::ops::{Area, Command};
use dangjian::store::Store;
use dangjian::store::wire::{self, Request, Response};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

fn os_login() -> String {
    dangjian::identity::os_login().unwrap()
}

/// A running `dangjian serve`, killed (SIGKILL) if the test ends with it up.
struct Server {
    child: Child,
    store: PathBuf,
    /// Kept open so the server can still write to its stderr.
    _stderr: BufReader<std::process::ChildStderr>,
}

impl Server {
    /// Starts the server and returns once it says it is serving.
    fn start(store: &Path) -> Server {
        let mut child = Process::new(BIN)
            .arg("--store")
            .arg(store)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        stderr.read_line(&mut first).unwrap();
        assert!(first.contains("serving"), "the server said: {first}");
        Server {
            child,
            store: store.to_path_buf(),
            _stderr: stderr,
        }
    }

    fn connect(&self) -> Session {
        Session::connect(&self.store)
            .unwrap()
            .expect("the server answers")
    }

    fn socket(&self) -> PathBuf {
        dangjian::store::socket_path(&self.store)
    }

    fn kill_9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and the exit status.
    fn terminate(&mut self) -> std::process::ExitStatus {
        let sent = Process::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A store whose admin is the OS user running the tests, with `n` members in
/// group A1 and a points rule without a cap, closed again.
struct Community {
    fixture_dir: tempfile::TempDir,
    members: Vec<MemberId>,
    rule: RuleId,
}

impl Community {
    fn path(&self) -> &Path {
        self.fixture_dir.path()
    }
}

fn community(n: usize) -> Community {
    let f = Fixture::new_as(&os_login());
    let members = (0..n)
        .map(|i| f.member(&format!("成员{i}"), f.group_a1))
        .collect();
    let rule = RuleId(
        f.admin_apply(Command::CreateRule {
            code: "SRV".into(),
            name_zh: "服务".into(),
            name_en: "Service".into(),
            basis: RuleBasis::PerTime,
            points: Points(100),
            cap: None,
        })
        .unwrap()
        .created
        .unwrap(),
    );
    let Fixture { dir, store, .. } = f;
    drop(store);
    Community {
        fixture_dir: dir,
        members,
        rule,
    }
}

fn record(member: MemberId, rule: RuleId, note: &str) -> Command {
    Command::RecordPoints {
        member,
        date: today(),
        rule,
        quantity_centi: 100,
        points_override: None,
        note: note.into(),
    }
}

/// A client process: connects to the server of `DANGJIAN_CLIENT_STORE` and
/// records `DANGJIAN_CLIENT_COUNT` entries for `DANGJIAN_CLIENT_MEMBER`, in
/// batches of `DANGJIAN_CLIENT_BATCH`, printing `ack ID` for each entry as
/// soon as the server has acknowledged it. Stops quietly at the first error
/// (the server gone). Runs only as a child of the tests below.
#[test]
#[ignore = "run by the server tests as a client process"]
fn server_child_client() {
    let Ok(path) = std::env::var("DANGJIAN_CLIENT_STORE") else {
        return;
    };
    let var = |name: &str| -> u64 { std::env::var(name).unwrap().parse().unwrap() };
    let member = MemberId(var("DANGJIAN_CLIENT_MEMBER"));
    let rule = RuleId(var("DANGJIAN_CLIENT_RULE"));
    let count = var("DANGJIAN_CLIENT_COUNT");
    let batch = var("DANGJIAN_CLIENT_BATCH") as usize;
    let Ok(Some(session)) = Session::connect(Path::new(&path)) else {
        println!("no server");
        return;
    };
    let mut out = std::io::stdout().lock();
    // The test harness has printed "test … " without a newline.
    writeln!(out).unwrap();
    let mut done = 0;
    while done < count {
        let cmds: Vec<Command> = (0..batch.min((count - done) as usize))
            .map(|i| record(member, rule, &format!("{}", done + i as u64)))
            .collect();
        match session.apply_batch(&cmds) {
            Ok(applied) => {
                for a in applied {
                    writeln!(out, "ack {}", a.created.unwrap()).unwrap();
                }
                out.flush().unwrap();
            }
            Err(e) => {
                writeln!(out, "error {e}").unwrap();
                return;
            }
        }
        done += cmds.len() as u64;
    }
    writeln!(out, "done").unwrap();
}

fn client(store: &Path, member: MemberId, rule: RuleId, count: u64, batch: usize) -> Child {
    Process::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "server_child_client",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("DANGJIAN_CLIENT_STORE", store)
        .env("DANGJIAN_CLIENT_MEMBER", member.0.to_string())
        .env("DANGJIAN_CLIENT_RULE", rule.0.to_string())
        .env("DANGJIAN_CLIENT_COUNT", count.to_string())
        .env("DANGJIAN_CLIENT_BATCH", batch.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Entry ids a client printed as acknowledged, read to its end; an error is
/// a failure unless the server was stopped under it (`stopped`).
fn acks_of(child: &mut Child, stopped: bool) -> Vec<u64> {
    let out = BufReader::new(child.stdout.take().unwrap());
    let ids = out
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| match l.strip_prefix("ack ") {
            Some(id) => Some(id.parse().unwrap()),
            None => {
                assert!(stopped || !l.starts_with("error"), "client: {l}");
                None
            }
        })
        .collect();
    child.wait().unwrap();
    ids
}

fn acks(child: &mut Child) -> Vec<u64> {
    acks_of(child, false)
}

/// `check` of a served store, asked of its server.
fn assert_clean(session: &Session) {
    let report = session.ask(CheckQ).unwrap();
    assert!(report.is_clean(), "check found: {:#?}", report.problems);
}

fn assert_files_clean(store: &Store) {
    let report = dangjian::store::check(store).unwrap();
    assert!(report.is_clean(), "check found: {:#?}", report.problems);
}

/// How many ledger entries the store holds, as its server counts them.
fn ledger_entries(session: &Session) -> u64 {
    session
        .ask(SummaryQ)
        .unwrap()
        .records
        .into_iter()
        .find(|(k, _)| k == "ledger_entries")
        .map(|(_, n)| n)
        .unwrap()
}

fn has_entry(session: &Session, id: u64) -> bool {
    session.ask(EntryQ(EntryId(id))).unwrap().is_some()
}

#[test]
fn twenty_clients_record_4000_entries_at_once() {
    let c = community(20);
    let server = Server::start(c.path());
    let mut clients: Vec<Child> = c
        .members
        .iter()
        .map(|m| client(c.path(), *m, c.rule, 200, 1))
        .collect();
    let acked: Vec<Vec<u64>> = clients.iter_mut().map(acks).collect();
    for (i, a) in acked.iter().enumerate() {
        assert_eq!(a.len(), 200, "client {i} had {} acknowledged", a.len());
    }
    let store = server.connect();
    assert_eq!(ledger_entries(&store), 4000);
    for m in &c.members {
        assert_eq!(store.ask(BalanceQ(*m)).unwrap(), Points(200 * 100));
    }
    let mut all: Vec<u64> = acked.into_iter().flatten().collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(
        all.len(),
        4000,
        "every acknowledged id is a different entry"
    );
    assert_clean(&store);
}

#[test]
fn a_client_killed_mid_request_leaves_nothing_half_done() {
    let c = community(1);
    let server = Server::start(c.path());
    // Half a frame, then gone.
    {
        let mut s = UnixStream::connect(server.socket()).unwrap();
        s.write_all(&1000u32.to_be_bytes()).unwrap();
        s.write_all(&[wire::PROTOCOL_VERSION, 0, 1, 2]).unwrap();
    }
    // Batches of 50 entries, all or nothing, killed after the first ack.
    let mut child = client(c.path(), c.members[0], c.rule, 100_000, 50);
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines
        .map_while(Result::ok)
        .find(|l| l.starts_with("ack ") || l.starts_with("error"));
    assert!(
        first.as_deref().is_some_and(|l| l.starts_with("ack ")),
        "{first:?}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    // The killed client's last batch may still be in the server's hands:
    // stop it (a clean stop answers what is in hand), then read the files.
    let mut server = server;
    assert!(server.terminate().success());
    let store = open(c.path());
    let entries = store.count_of::<dangjian::domain::PointsEntry>() as u64;
    assert!(entries >= 50);
    assert_eq!(entries % 50, 0, "a batch was cut: {entries} entries");
    assert_eq!(
        dangjian::ops::query::balance(&store, c.members[0]).unwrap(),
        Points(entries as i64 * 100)
    );
    assert_files_clean(&store);
}

#[test]
fn acknowledged_entries_survive_kill_9_of_the_server_mid_storm() {
    let c = community(5);
    let mut acked = Vec::new();
    for round in 0..2 {
        let mut server = Server::start(c.path());
        let mut clients: Vec<Child> = c
            .members
            .iter()
            .map(|m| client(c.path(), *m, c.rule, 100_000, 1))
            .collect();
        // Kill the server once the first client has had 40 acknowledgements.
        let mut first = BufReader::new(clients[0].stdout.take().unwrap()).lines();
        let mut seen = 0;
        while seen < 40 {
            let line = first.next().unwrap().unwrap();
            if let Some(id) = line.strip_prefix("ack ") {
                acked.push(id.parse::<u64>().unwrap());
                seen += 1;
            }
        }
        server.kill_9();
        // Every client stops at its first error; whatever it printed before
        // was acknowledged.
        acked.extend(
            first
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ack ").map(|id| id.parse::<u64>().unwrap())),
        );
        clients[0].wait().unwrap();
        for child in &mut clients[1..] {
            acked.extend(acks_of(child, true));
        }
        let server = Server::start(c.path());
        let store = server.connect();
        for id in &acked {
            assert!(
                has_entry(&store, *id),
                "round {round}: acknowledged entry {id} lost"
            );
        }
        assert_clean(&store);
    }
}

#[test]
fn sigterm_answers_what_is_in_hand_and_leaves_the_store_clean() {
    let c = community(4);
    let mut server = Server::start(c.path());
    let mut clients: Vec<Child> = c
        .members
        .iter()
        .map(|m| client(c.path(), *m, c.rule, 100_000, 1))
        .collect();
    let mut first = BufReader::new(clients[0].stdout.take().unwrap()).lines();
    let mut acked = Vec::new();
    while acked.len() < 20 {
        if let Some(id) = first.next().unwrap().unwrap().strip_prefix("ack ") {
            acked.push(id.parse::<u64>().unwrap());
        }
    }
    let status = server.terminate();
    assert!(status.success(), "the server exited with {status}");
    acked.extend(
        first
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix("ack ").map(|id| id.parse::<u64>().unwrap())),
    );
    clients[0].wait().unwrap();
    for child in &mut clients[1..] {
        acked.extend(acks_of(child, true));
    }
    assert!(
        !server.socket().exists(),
        "the socket is removed on a clean stop"
    );
    // No server now: the files directly.
    let store = open(c.path());
    for id in &acked {
        assert!(store.get_id::<PointsEntry>(*id).unwrap().is_some());
    }
    assert_files_clean(&store);
}

/// Sends raw bytes and expects an error frame, then the connection closed.
fn refused_then_closed(socket: &Path, bytes: &[u8]) -> String {
    let mut s = UnixStream::connect(socket).unwrap();
    s.write_all(bytes).unwrap();
    let said = match wire::read_frame::<Response>(&mut s).unwrap() {
        Response::Error(e) => e,
        other => panic!("expected an error frame, got {other:?}"),
    };
    let mut rest = Vec::new();
    assert_eq!(s.read_to_end(&mut rest).unwrap(), 0, "then closed");
    said
}

#[test]
fn malformed_and_oversized_frames_are_refused_and_the_server_goes_on() {
    let c = community(1);
    let server = Server::start(c.path());
    let socket = server.socket();
    let said = refused_then_closed(
        &socket,
        &[0, 0, 0, 5, wire::PROTOCOL_VERSION, 0xff, 0xff, 0xff, 0xff],
    );
    assert!(said.contains("malformed"), "{said}");
    let said = refused_then_closed(&socket, &u32::MAX.to_be_bytes());
    assert!(said.contains("larger than"), "{said}");
    let said = refused_then_closed(&socket, &[0, 0, 0, 1, 99]);
    assert!(said.contains("version"), "{said}");
    // A well-formed frame carrying a request of the layers above that is not one.
    let mut frame = Vec::new();
    wire::write_frame(&mut frame, &Request::Op(vec![0xff; 8])).unwrap();
    let said = refused_then_closed(&socket, &frame);
    assert!(said.contains("bad request"), "{said}");
    // Still serving, reads and writes.
    let store = server.connect();
    let done = store
        .apply(&record(c.members[0], c.rule, "after the garbage"))
        .unwrap();
    assert!(has_entry(&store, done.created.unwrap()));
    assert_clean(&store);
}

#[test]
fn clients_use_the_files_when_no_server_runs_and_say_so_when_locked() {
    let c = community(1);
    let cli = |args: &[&str]| {
        Process::new(BIN)
            .arg("--store")
            .arg(c.path())
            .args(args)
            .env("LANG", "C")
            .output()
            .unwrap()
    };
    // No server: straight to the files.
    assert!(cli(&["report", "summary"]).status.success());
    // Held by another process, no server: exit 2 and a message that says so.
    let held = open(c.path());
    let out = cli(&["report", "summary"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no dangjian server answers"), "{err}");
    drop(held);
    // With a server: through it.
    let server = Server::start(c.path());
    let out = cli(&[
        "points",
        "add",
        "--member",
        &c.members[0].0.to_string(),
        "--rule",
        "SRV",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = server.connect();
    assert_eq!(ledger_entries(&store), 1);
    let audit = cli(&["audit", "--format", "csv"]);
    let text = String::from_utf8_lossy(&audit.stdout);
    assert!(
        text.lines().last().unwrap().contains("RecordPoints"),
        "{text}"
    );
}

#[test]
fn every_change_is_broadcast_to_subscribers() {
    let c = community(2);
    let server = Server::start(c.path());
    let watcher = server.connect();
    let mut feed = watcher.subscribe().unwrap().unwrap();
    let worker = server.connect();
    let done = worker.apply(&record(c.members[1], c.rule, "")).unwrap();
    assert!(done.created.is_some());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let notice = loop {
        if let Some(n) = feed.wait(std::time::Duration::from_millis(200)).unwrap() {
            break n;
        }
        assert!(std::time::Instant::now() < deadline, "no notice came");
    };
    assert_eq!(notice.login.as_deref(), Some(os_login().as_str()));
    assert_eq!(notice.client, worker.remote().unwrap().client_id());
    assert_eq!(notice.touched.members, vec![c.members[1]]);
    assert!(notice.touched.touches(Area::Points));
}

/// A TUI on a store, run by the TUI's own loop (`tui::run_loop`) on a
/// TestBackend: keys go into its channel beside the server's notices.
struct Tui {
    session: Session,
    app: dangjian::tui::App,
    terminal: ratatui::Terminal<ratatui::backend::TestBackend>,
    tx: std::sync::mpsc::Sender<dangjian::tui::Msg>,
    rx: std::sync::mpsc::Receiver<dangjian::tui::Msg>,
}

impl Tui {
    fn new(session: Session) -> Tui {
        use dangjian::tui::{self, App, Lang};
        let actor = session.actor().clone();
        let mut app = App::new(actor, Lang::En, session.path().display().to_string());
        app.theme = tui::theme::Theme::mono();
        tui::load(&session, &mut app).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        tui::live::subscribe(&session, tx.clone()).unwrap();
        let mut t = Tui {
            session,
            app,
            terminal: ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap(),
            tx,
            rx,
        };
        t.event(crossterm::event::Event::Resize(80, 24));
        t
    }

    fn event(&mut self, ev: crossterm::event::Event) {
        self.tx.send(dangjian::tui::Msg::Term(ev)).unwrap();
        let rx = &self.rx;
        dangjian::tui::run_loop(&mut self.terminal, &self.session, &mut self.app, |_| {
            rx.try_recv().ok()
        })
        .unwrap();
    }

    /// Plain characters, `<Enter>`, `<Esc>` or `<BS>`.
    fn keys(&mut self, keys: &str) {
        use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
        let mut rest = keys;
        while let Some(c) = rest.chars().next() {
            let (code, used) = match rest.find('>') {
                Some(end) if c == '<' => (
                    match &rest[1..end] {
                        "Enter" => KeyCode::Enter,
                        "Esc" => KeyCode::Esc,
                        "BS" => KeyCode::Backspace,
                        other => panic!("unknown key <{other}>"),
                    },
                    end + 1,
                ),
                _ => (KeyCode::Char(c), c.len_utf8()),
            };
            self.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
            rest = &rest[used..];
        }
    }

    /// Runs the loop on what arrives until `pred` holds, for at most ten
    /// seconds.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&dangjian::tui::App) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let rx = &self.rx;
        dangjian::tui::run_loop(&mut self.terminal, &self.session, &mut self.app, |app| {
            if pred(app) {
                return None;
            }
            rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
                .ok()
        })
        .unwrap();
        assert!(pred(&self.app), "timed out waiting for {what}");
    }

    /// The screen as text, drawn afresh, wide characters read once.
    fn screen(&self) -> String {
        let mut fresh = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        let app = &self.app;
        fresh.draw(|f| dangjian::tui::views::draw(f, app)).unwrap();
        let buf = fresh.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                out.push_str(sym);
            }
            out.push('\n');
        }
        out
    }
}

fn ranked(app: &dangjian::tui::App, member: MemberId) -> Option<Points> {
    app.points
        .ranking
        .iter()
        .find(|r| r.member == member)
        .map(|r| r.points)
}

#[test]
fn two_tuis_through_one_server_see_each_others_entries() {
    let c = community(3);
    let server = Server::start(c.path());
    let mut a = Tui::new(server.connect());
    let mut b = Tui::new(server.connect());
    a.keys("4<Enter>");
    b.keys("4<Enter>");
    // B has half typed a name when A records two volunteer hours for 成员1.
    b.keys("成员");
    a.keys("成员1<Enter>V<Enter><BS>2<Enter><Enter><Enter>");
    assert_eq!(ranked(&a.app, c.members[1]), Some(Points::whole(2)));
    b.wait_for("A's entry in B's ranking", |app| {
        ranked(app, c.members[1]) == Some(Points::whole(2))
    });
    assert_eq!(
        b.app.points.member_query.value(),
        "成员",
        "B's typing is kept"
    );
    assert!(b.screen().contains("成员1"), "{}", b.screen());
    // And back: B finishes an entry for 成员2; A sees it.
    b.keys("2<Enter>V<Enter><BS>3<Enter><Enter><Enter>");
    assert_eq!(ranked(&b.app, c.members[2]), Some(Points::whole(3)));
    a.wait_for("B's entry in A's ranking", |app| {
        ranked(app, c.members[2]) == Some(Points::whole(3))
    });
    // The recent-changes pop-up lists both, who and what.
    a.keys("<Esc>L");
    let screen = a.screen();
    assert!(screen.contains("Recent changes"), "{screen}");
    assert!(screen.contains(&os_login()), "{screen}");
    assert!(
        screen.contains("成员2 (") && screen.contains("成员1 ("),
        "{screen}"
    );
    a.keys("<Esc>");
    assert!(!a.screen().contains("Recent changes"));
}
