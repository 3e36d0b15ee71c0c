//! The minutes editor: a meeting's presenter (主持人), recorder (记录人) and
//! topics on one line each, and the minutes themselves in a real multi-line
//! editor (`ratatui-textarea`): Enter makes a new line there, Tab moves
//! between the parts, Ctrl-S saves the whole record as one `SetMeetingRecord`
//! (its resolutions kept as they are), Esc asks before dropping edits.
//! Validation here is for the typist; `ops` checks again.

use crate::domain::*;
use crate::tui::action::{Action, Effect, Handled, Via};
use crate::tui::app::{App, Confirm, Layer, MemberRow};
use crate::tui::i18n::{Lang, t};
use crate::tui::text::{fit, truncate};
use crate::tui::views::centered;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::TextArea;
use std::collections::HashMap;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

/// The parts of the editor, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Presenter,
    Recorder,
    Topics,
    Minutes,
}

const PARTS: [Part; 4] = [Part::Presenter, Part::Recorder, Part::Topics, Part::Minutes];

#[derive(Debug, Clone)]
pub struct MinutesEditor {
    pub activity: ActivityId,
    pub title: String,
    pub presenter: Input,
    pub recorder: Input,
    /// Topics separated by `；` (or `;`, `、`, `,`).
    pub topics: Input,
    pub minutes: TextArea<'static>,
    /// Kept as stored: the resolution form edits them.
    pub resolutions: Vec<Resolution>,
    pub focus: Part,
    pub dirty: bool,
    pub error: Option<String>,
}

fn name_of(app: &App, id: Option<MemberId>) -> String {
    id.map(|m| crate::tui::reload::member_name(app, m))
        .unwrap_or_default()
}

impl MinutesEditor {
    pub fn open(app: &App, activity: &Activity, record: Option<MeetingRecord>) -> MinutesEditor {
        let record = record.unwrap_or_default();
        let lines: Vec<String> = if record.minutes.is_empty() {
            Vec::new()
        } else {
            record.minutes.lines().map(str::to_string).collect()
        };
        let mut editor = MinutesEditor {
            activity: activity.id,
            title: activity.data.title.clone(),
            presenter: Input::new(name_of(app, record.presenter)),
            recorder: Input::new(name_of(app, record.recorder)),
            topics: Input::new(record.topics.join("；")),
            minutes: TextArea::new(lines),
            resolutions: record.resolutions,
            focus: Part::Presenter,
            dirty: false,
            error: None,
        };
        editor.minutes.set_cursor_line_style(Style::default());
        editor.focus_styles();
        editor
    }

    /// The minutes' cursor shows only while they have the keys.
    fn focus_styles(&mut self) {
        let style = if self.focus == Part::Minutes {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        self.minutes.set_cursor_style(style);
    }

    fn step(&mut self, delta: isize) {
        let i = PARTS.iter().position(|p| *p == self.focus).unwrap_or(0) as isize;
        self.focus = PARTS[(i + delta).rem_euclid(PARTS.len() as isize) as usize];
        self.focus_styles();
    }

    fn line(&mut self) -> Option<&mut Input> {
        match self.focus {
            Part::Presenter => Some(&mut self.presenter),
            Part::Recorder => Some(&mut self.recorder),
            Part::Topics => Some(&mut self.topics),
            Part::Minutes => None,
        }
    }

    fn key(&mut self, key: crossterm::event::KeyEvent) {
        use crossterm::event::KeyCode;
        let changed = match self.line() {
            // In a one-line part Enter goes on to the next one.
            Some(_) if key.code == KeyCode::Enter => {
                self.step(1);
                false
            }
            Some(input) => input
                .handle_event(&crossterm::event::Event::Key(key))
                .is_some_and(|r| r.value),
            None => self.minutes.input(key),
        };
        if changed {
            self.dirty = true;
            self.error = None;
        }
    }

    /// The minutes as typed, one string with `\n` between lines.
    pub fn minutes_text(&self) -> String {
        self.minutes.lines().join("\n")
    }

    /// The record to save, or what to fix first (the focus goes there).
    pub fn record(
        &mut self,
        lang: Lang,
        members: &[MemberRow],
        index: &HashMap<MemberId, usize>,
    ) -> Result<MeetingRecord, String> {
        let presenter = self.person(Part::Presenter, lang, members, index)?;
        let recorder = self.person(Part::Recorder, lang, members, index)?;
        let topics = self
            .topics
            .value()
            .split(['；', ';', '、', ',', '，'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let minutes =
            crate::domain::orglife::minutes_text(&self.minutes_text(), 20_000).map_err(|e| {
                self.focus = Part::Minutes;
                crate::tui::words::value_error(lang, &e)
            })?;
        Ok(MeetingRecord {
            presenter,
            recorder,
            topics,
            minutes,
            resolutions: self.resolutions.clone(),
        })
    }

    /// A member named in a part by exact name or id; empty for nobody.
    fn person(
        &mut self,
        part: Part,
        lang: Lang,
        members: &[MemberRow],
        index: &HashMap<MemberId, usize>,
    ) -> Result<Option<MemberId>, String> {
        let text = match part {
            Part::Presenter => self.presenter.value(),
            Part::Recorder => self.recorder.value(),
            _ => "",
        }
        .trim()
        .to_string();
        if text.is_empty() {
            return Ok(None);
        }
        if let Some(id) = text.parse::<u64>().ok().map(MemberId)
            && index.contains_key(&id)
        {
            return Ok(Some(id));
        }
        let hits: Vec<MemberId> = members
            .iter()
            .filter(|r| *r.name == *text)
            .map(|r| r.id)
            .collect();
        match hits.as_slice() {
            [one] => Ok(Some(*one)),
            _ => {
                self.focus = part;
                self.focus_styles();
                Err(t(lang, "form.unknown_member").to_string())
            }
        }
    }
}

fn editor(app: &mut App) -> Option<&mut MinutesEditor> {
    match app.layers.last_mut() {
        Some(Layer::OrgLife(l)) => match &mut **l {
            super::OrgLayer::Minutes(e) => Some(e),
            _ => None,
        },
        _ => None,
    }
}

/// An action while the editor is on top.
pub fn update(app: &mut App, action: &Action) -> Handled {
    let lang = app.lang;
    let Some(ed) = editor(app) else {
        return Handled::Ignored;
    };
    match action {
        Action::MinutesKey(k) => ed.key(*k),
        Action::FormNext => ed.step(1),
        Action::FormPrev => ed.step(-1),
        Action::Back => {
            if ed.dirty {
                app.layers.push(Layer::Confirm(Confirm::DiscardForm));
            } else {
                app.layers.pop();
            }
        }
        Action::MinutesSave => {
            let id = ed.activity;
            // The editor is borrowed from the app: take it out for a moment
            // to read the roster it names people from.
            let mut taken = ed.clone();
            let result = taken.record(lang, &app.members, &app.member_index);
            let ed = editor(app);
            if let Some(ed) = ed {
                ed.focus = taken.focus;
                ed.focus_styles();
                match result {
                    Ok(record) => {
                        return Handled::effect(Effect::Apply {
                            cmd: crate::ops::Command::SetMeetingRecord {
                                activity: id,
                                record: Some(record),
                            },
                            via: Via::Form,
                        });
                    }
                    Err(msg) => ed.error = Some(msg),
                }
            }
        }
        // Everything else stays with the editor: it is modal.
        _ => {}
    }
    Handled::DONE
}

/// Draws the editor over the panel's area.
pub fn draw(frame: &mut Frame, app: &App, ed: &MinutesEditor, area: Rect) {
    let popup = centered(area, area.width, area.height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered().title(truncate(
        &format!(" {} · {} ", app.tr("ol.minutes_title"), ed.title),
        popup.width.saturating_sub(2) as usize,
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if inner.height < 6 || inner.width < 10 {
        return;
    }
    let [lines_area, text_area, error_area, hint_area] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(2),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    const LABEL: usize = 10;
    let w = inner.width as usize;
    let value_w = w.saturating_sub(LABEL + 1).max(1);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (row, (part, key, input)) in [
        (Part::Presenter, "ol.presenter", &ed.presenter),
        (Part::Recorder, "ol.recorder", &ed.recorder),
        (Part::Topics, "ol.topics", &ed.topics),
    ]
    .into_iter()
    .enumerate()
    {
        let focused = ed.focus == part;
        let scroll = input.visual_scroll(value_w);
        let shown: String = input.value().chars().skip(scroll).collect();
        if focused {
            let col = LABEL + 1 + input.visual_cursor().saturating_sub(scroll);
            cursor = Some((col, row));
        }
        let style = if focused {
            app.theme.selected
        } else {
            app.theme.normal
        };
        lines.push(Line::from(vec![
            Span::styled(fit(app.tr(key), LABEL), app.theme.dim),
            Span::raw(" "),
            Span::styled(fit(&shown, value_w), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), lines_area);
    let mut text = ed.minutes.clone();
    let title_style = if ed.focus == Part::Minutes {
        app.theme.selected
    } else {
        app.theme.dim
    };
    text.set_block(Block::bordered().title(Span::styled(
        format!(" {} ", app.tr("ol.minutes")),
        title_style,
    )));
    frame.render_widget(&text, text_area);
    let error = ed.error.clone().unwrap_or_default();
    frame.render_widget(
        Paragraph::new(Line::styled(truncate(&error, w), app.theme.error)),
        error_area,
    );
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate(app.tr("ol.minutes_hint"), w),
            app.theme.dim,
        )),
        hint_area,
    );
    if let Some((col, row)) = cursor
        && col < w
    {
        frame.set_cursor_position(Position::new(
            lines_area.x + col as u16,
            lines_area.y + row as u16,
        ));
    }
}
