//! The start screen on a TestBackend: it draws the store's figures and `q` quits.

mod common;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dangjian::tui::{self, Lang, State};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn state(f: &Fixture, lang: Lang) -> State {
    State {
        lang,
        store_path: "/tmp/store".into(),
        login: "admin".into(),
        role: "党委管理员".into(),
        summary: dangjian::report::summary::summary(&f.store).unwrap(),
        quit: false,
    }
}

#[test]
fn start_screen_shows_figures_and_q_quits() {
    let f = Fixture::new();
    f.member("张三", f.group_a1);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut s = state(&f, Lang::Zh);
    let mut keys = vec![Event::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
    ))]
    .into_iter();
    tui::run_loop(&mut terminal, &mut s, || Ok(keys.next().unwrap())).unwrap();
    assert!(s.quit);
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("党员"), "{screen}");
    assert!(screen.contains("按 q 退出"), "{screen}");
    assert!(screen.contains("admin (党委管理员)"), "{screen}");
}

#[test]
fn start_screen_survives_a_tiny_terminal() {
    let f = Fixture::new();
    let mut terminal = Terminal::new(TestBackend::new(20, 5)).unwrap();
    let s = state(&f, Lang::En);
    terminal.draw(|frame| tui::draw(frame, &s)).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(1, 1)).unwrap();
    terminal.draw(|frame| tui::draw(frame, &s)).unwrap();
}
