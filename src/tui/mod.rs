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
        let name = if zh { record_name_zh(k) } else { k.as_str() };
        lines.push(Line::raw(format!("{}{n:>10}", pad(name, 16))));
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

fn record_name_zh(kind: &str) -> &str {
    match kind {
        "org_units" => "组织",
        "partners" => "联建单位",
        "members" => "党员",
        "beneficiaries" => "帮扶对象",
        "pairings" => "结对",
        "tasks" => "帮扶任务",
        "rules" => "积分规则",
        "ledger_entries" => "积分记录",
        "rewards" => "奖励",
        "activities" => "活动",
        "attendance" => "考勤",
        "users" => "用户",
        "audit_entries" => "操作日志",
        other => other,
    }
}

/// Pads to a display width: CJK characters take two columns.
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
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
