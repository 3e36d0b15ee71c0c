//! Drives the real event loop (`tui::run_loop`) on a TestBackend: typed keys
//! and other messages go into its channel, and the loop runs until it has
//! handled all of them.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dangjian::access::Session;
use dangjian::demo::{DemoParams, generate};
use dangjian::ops::{self, Actor};
use dangjian::store::Store;
use dangjian::tui::{self, App, Lang, Msg};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::mpsc::{Receiver, Sender};
use tempfile::TempDir;

pub struct Harness {
    pub _dir: TempDir,
    /// The session the TUI runs on: this process owns the store's files.
    pub session: Session,
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    /// The loop's channel: what a test sends here is handled by the next `run`.
    pub tx: Sender<Msg>,
    rx: Receiver<Msg>,
}

/// The sample community as of a fixed day, so every screen is the same each run.
pub fn demo_store() -> (TempDir, Store, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::common::open(dir.path());
    let actor = ops::actor_for_login(&store, "admin").unwrap();
    let mut params = DemoParams::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    params.members = 120;
    params.entries = 600;
    generate(&store, &actor, &params, &mut |_| {}).unwrap();
    (dir, store, actor)
}

impl Harness {
    pub fn new(lang: Lang) -> Harness {
        let (dir, store, actor) = demo_store();
        Harness::with(dir, store, actor, lang)
    }

    pub fn with(dir: TempDir, store: Store, actor: Actor, lang: Lang) -> Harness {
        Harness::started(dir, store, actor, lang, tui::start)
    }

    /// The sample community as `tui::run` starts it: the first frame up, the
    /// roster still to arrive (a test sends its pages as `Msg::Roster`).
    pub fn arriving(lang: Lang) -> Harness {
        let (dir, store, actor) = demo_store();
        Harness::started(dir, store, actor, lang, tui::begin)
    }

    fn started(
        dir: TempDir,
        store: Store,
        actor: Actor,
        lang: Lang,
        start: fn(&Session, &mut App) -> Result<(), dangjian::access::ReadError>,
    ) -> Harness {
        let mut app = App::new(actor, lang, "/srv/dangjian/store".into());
        app.theme = dangjian::tui::theme::Theme::mono();
        // The session's today is the demo's day, so screens do not age.
        app.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        app.points = dangjian::tui::panels::points::PointsPanel::new(app.today);
        let session = Session::local_as(store, &actor_login(&app)).unwrap();
        start(&session, &mut app).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let mut h = Harness {
            _dir: dir,
            session,
            app,
            terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
            tx,
            rx,
        };
        h.event(Event::Resize(80, 24));
        h
    }

    /// Changes someone else made, heard together as the server's notices
    /// (one a change), and handled by the loop.
    pub fn hear(&mut self, changes: Vec<dangjian::ops::Touched>) {
        let notices = changes
            .into_iter()
            .map(|touched| dangjian::ops::remote::Notice {
                client: 7,
                login: None,
                at: chrono::Utc::now(),
                touched,
            })
            .collect();
        self.tx
            .send(Msg::Notices {
                notices,
                own_client: 1,
            })
            .unwrap();
        self.run();
    }

    pub fn event(&mut self, ev: Event) {
        if let Event::Resize(w, h) = ev {
            self.terminal.backend_mut().resize(w, h);
        }
        self.tx.send(Msg::Term(ev)).unwrap();
        self.run();
    }

    /// Runs the loop until every message sent has been handled (or the user
    /// quit); whether any was.
    pub fn run(&mut self) -> bool {
        let mut any = false;
        let rx = &self.rx;
        tui::run_loop(&mut self.terminal, &self.session, &mut self.app, |_| {
            let msg = rx.try_recv().ok();
            any |= msg.is_some();
            msg
        })
        .unwrap();
        any
    }

    /// The whole record of the member at `i` of the app's members (the TUI
    /// holds only what it draws).
    pub fn member_at(&self, i: usize) -> dangjian::domain::Member {
        let id = self.app.members[i].id;
        self.session
            .ask(dangjian::access::MemberQ(id))
            .unwrap()
            .expect("a member in sight")
    }

    /// The store's files, for tests that look behind the screen.
    pub fn store(&self) -> &Store {
        self.session.store().expect("a local session")
    }

    pub fn draw(&mut self) {
        let app = &self.app;
        self.terminal.draw(|f| tui::views::draw(f, app)).unwrap();
    }

    /// Types keys: plain characters, or `<Enter>`, `<Esc>`, `<Tab>`, `<S-Tab>`,
    /// `<Up>`, `<Down>`, `<Left>`, `<Right>`, `<Home>`, `<End>`, `<BS>`, `<C-z>`,
    /// `<C-u>`, `<C-c>`, `<C-r>`.
    pub fn keys(&mut self, keys: &str) {
        let mut rest = keys;
        while let Some(c) = rest.chars().next() {
            let (key, used) = if c == '<' {
                let end = rest.find('>').expect("unclosed <");
                let name = &rest[1..end];
                let key = match name {
                    "Enter" => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                    "Esc" => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                    "Tab" => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
                    "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                    "Up" => KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
                    "Down" => KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
                    "Left" => KeyEvent::new(KeyCode::Left, KeyModifiers::NONE),
                    "Right" => KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
                    "BS" => KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
                    "C-z" => KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL),
                    "C-u" => KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
                    "C-s" => KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
                    "C-c" => KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                    "C-r" => KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
                    "Home" => KeyEvent::new(KeyCode::Home, KeyModifiers::NONE),
                    "End" => KeyEvent::new(KeyCode::End, KeyModifiers::NONE),
                    "PgDn" => KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE),
                    "PgUp" => KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE),
                    other => panic!("unknown key <{other}>"),
                };
                (key, end + 1)
            } else {
                (
                    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
                    c.len_utf8(),
                )
            };
            self.event(Event::Key(key));
            rest = &rest[used..];
        }
    }

    /// The current screen as text, drawn afresh: TestBackend does not blank the
    /// cell a wide character covers, so reading its diff-updated buffer would
    /// show leftovers a real terminal never shows.
    pub fn screen(&self) -> String {
        let area = self.terminal.backend().buffer().area;
        let mut fresh = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
        let app = &self.app;
        fresh.draw(|f| tui::views::draw(f, app)).unwrap();
        text(fresh.backend().buffer())
    }

    /// What the loop itself last drew on its terminal (exact until a frame
    /// with wide characters has been redrawn over: see `screen`).
    pub fn drawn(&self) -> String {
        text(self.terminal.backend().buffer())
    }
}

/// A buffer as lines of text, each wide character read once.
fn text(buf: &ratatui::buffer::Buffer) -> String {
    {
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                line.push_str(sym);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

fn actor_login(app: &App) -> String {
    app.actor.login.clone()
}
