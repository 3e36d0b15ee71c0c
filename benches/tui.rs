//! TUI speed at scale: time to first frame and per-keystroke filter time over a
//! large store. Run with:
//!
//!     cargo bench --bench tui -- [STORE] [--members N]
//!
//! STORE defaults to a temp store generated with the demo generator (N members,
//! 10 ledger entries each); pass an existing demo store to skip generating.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dangjian::demo::{DemoParams, generate};
use dangjian::ops;
use dangjian::store::{Store, StoreConfig};
use dangjian::tui::{self, App, Lang, Msg};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let members = args
        .iter()
        .position(|a| a == "--members")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000usize);
    let given = args.first().filter(|a| !a.starts_with("--")).cloned();
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = given
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("store"));
    let store = Store::open(&path, &StoreConfig::default()).expect("store opens");
    let login = dangjian::identity::os_login().expect("login");
    let actor = ops::actor_for_login(&store, &login).expect("actor");
    if store.count_of::<dangjian::domain::Member>() == 0 {
        let mut p = DemoParams::new(chrono::Local::now().date_naive());
        p.members = members;
        p.entries = members * 10;
        let t = Instant::now();
        generate(&store, &actor, &p, &mut |_| {}).expect("demo");
        eprintln!(
            "generated {members} members in {:.1}s",
            t.elapsed().as_secs_f64()
        );
    }

    // Where loading goes: reading members, their balances, their search keys.
    let t = Instant::now();
    let all: Vec<dangjian::domain::Member> = store.scan().map(|m| m.expect("member")).collect();
    let read = t.elapsed();
    let t = Instant::now();
    for m in &all {
        dangjian::ops::query::balance(&store, m.id).expect("balance");
    }
    let balances = t.elapsed();
    let t = Instant::now();
    let entries: Vec<_> = all
        .iter()
        .map(dangjian::domain::finder::FinderEntry::new)
        .collect();
    let keys = t.elapsed();
    println!(
        "read {} members {:.0} ms; balances {:.0} ms; search keys {:.0} ms",
        entries.len(),
        read.as_secs_f64() * 1e3,
        balances.as_secs_f64() * 1e3,
        keys.as_secs_f64() * 1e3
    );
    drop((all, entries));
    let session = dangjian::access::Session::local_as(store, &actor.login).expect("session");

    // Time to first frame: load the state, then the loop draws once.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let t = Instant::now();
    let mut app = App::new(actor, Lang::Zh, path.display().to_string());
    tui::load(&session, &mut app).expect("load");
    let loaded = t.elapsed();
    // The TUI's own loop, handed what was queued: returns when it is all handled.
    let run = |app: &mut App, terminal: &mut Terminal<TestBackend>| {
        tui::run_loop(terminal, &session, app, |_| rx.try_recv().ok()).expect("loop");
    };
    run(&mut app, &mut terminal);
    let first_frame = t.elapsed();
    println!(
        "members loaded: {}; load {:.0} ms; first frame {:.0} ms",
        app.members.len(),
        loaded.as_secs_f64() * 1e3,
        first_frame.as_secs_f64() * 1e3
    );

    // Per keystroke: the loop's handling (filter) + draw, for queries typed a
    // key at a time.
    let key = |code| Msg::Term(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    for query in ["zhang", "zs", "wangf", "8888", "3-2-501"] {
        let mut times: Vec<Duration> = Vec::new();
        // Esc clears the last query, a second Esc closes the search line.
        if app.search.is_some() {
            tx.send(key(KeyCode::Esc)).expect("send");
            tx.send(key(KeyCode::Esc)).expect("send");
        }
        tx.send(key(KeyCode::Char('2'))).expect("send");
        tx.send(key(KeyCode::Char('/'))).expect("send");
        run(&mut app, &mut terminal);
        for c in query.chars() {
            tx.send(key(KeyCode::Char(c))).expect("send");
            let t = Instant::now();
            run(&mut app, &mut terminal);
            times.push(t.elapsed());
        }
        let max = times.iter().max().copied().unwrap_or_default();
        let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
        println!(
            "query {query:>8}: {} matches; per key mean {:.1} ms, max {:.1} ms",
            app.roster_rows.len(),
            mean.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
}
