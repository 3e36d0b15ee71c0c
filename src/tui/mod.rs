//! The terminal interface. For now a single start screen with the store's
//! figures; the panels (organisation, members, pairing, points, activities,
//! overview) grow here. Draws from state only; the store is read before the
//! loop, never from `draw`.

use crate::ops::Actor;
use crate::report::summary::{Summary, summary};
use crate::store::Store;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `--lang` wins; otherwise zh-CN when LANG (or LC_ALL) starts with `zh`.
    pub fn choose(flag: Option<&str>) -> Lang {
        match flag {
            Some("en") => Lang::En,
            Some(_) => Lang::Zh,
            None => {
                let env = std::env::var("LC_ALL")
                    .ok()
                    .filter(|v| !v.is_empty())
                    .or_else(|| std::env::var("LANG").ok())
                    .unwrap_or_default();
                if env.starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                }
            }
        }
    }
}

/// What the start screen shows.
pub struct State {
    pub lang: Lang,
    pub store_path: String,
    pub login: String,
    pub role: String,
    pub summary: Summary,
    pub quit: bool,
}

pub enum Action {
    Quit,
}

pub fn resolve_key(code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
    match code {
        KeyCode::Char('q') | KeyCode::Esc => Some(Action::Quit),
        KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => Some(Action::Quit),
        _ => None,
    }
}

pub fn update(state: &mut State, action: Action) {
    match action {
        Action::Quit => state.quit = true,
    }
}

pub fn draw(frame: &mut Frame, state: &State) {
    let zh = state.lang == Lang::Zh;
    let [body, status] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    let mut lines = vec![Line::styled(
        if zh {
            "党建 · 社区党组织工作台"
        } else {
            "dangjian · community party work"
        },
        Style::default().add_modifier(Modifier::BOLD),
    )];
    lines.push(Line::raw(""));
    let label = |zh_s: &str, en_s: &str| {
        if zh {
            zh_s.to_string()
        } else {
            en_s.to_string()
        }
    };
    for (k, n) in &state.summary.records {
        lines.push(Line::raw(format!("{:<16}{n:>10}", k)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(label(
        "面板即将上线。按 q 退出。",
        "Panels are coming. Press q to quit.",
    )));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(label(" 概览 ", " Overview "))),
        body,
    );
    frame.render_widget(
        Paragraph::new(format!(
            "{} ({}) · {}",
            state.login, state.role, state.store_path
        )),
        status,
    );
}

/// Runs the event loop on any backend until the user quits.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    mut next_event: impl FnMut() -> std::io::Result<Event>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    while !state.quit {
        terminal.draw(|f| draw(f, state))?;
        if let Event::Key(key) = next_event()?
            && key.kind == KeyEventKind::Press
            && let Some(action) = resolve_key(key.code, key.modifiers)
        {
            update(state, action);
        }
    }
    Ok(())
}

/// Opens the TUI on a real terminal; the terminal is restored on every exit,
/// panics included (ratatui's `init` installs a restoring panic hook).
pub fn run(store: &Store, actor: &Actor, lang: Lang) -> anyhow::Result<()> {
    let mut state = State {
        lang,
        store_path: store.path().display().to_string(),
        login: actor.login.clone(),
        role: match lang {
            Lang::Zh => actor.role.name_zh().to_string(),
            Lang::En => actor.role.name_en().to_string(),
        },
        summary: summary(store)?,
        quit: false,
    };
    let mut terminal = ratatui::init();
    let result = run_loop(&mut terminal, &mut state, event::read);
    ratatui::restore();
    result
}
