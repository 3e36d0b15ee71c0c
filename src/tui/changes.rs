//! The recent-changes pop-up (`L` on any panel): who changed what, and when,
//! newest first, from the audit log. Through a server it holds what this user
//! may see of the log (a committee admin: everyone's changes; anyone else:
//! their own) and reloads as changes arrive. Its state, keys and drawing are
//! here so the panels' code stays as it was.

use super::app::App;
use super::cursor::Cursor;
use super::keymap::KeyContext;
use super::text::truncate;
use super::{Lang, context};
use crate::access::{AuditQ, Session};
use crate::domain::AuditEntry;
use crossterm::event::{Event, KeyCode, KeyEventKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

/// How many of the newest entries the pop-up holds.
const SHOWN: usize = 200;

pub struct Changes {
    pub entries: Vec<AuditEntry>,
    pub cursor: Cursor,
    pub error: Option<String>,
    height: usize,
}

/// Whether this event opens the pop-up: `L` where keys are commands, not text.
pub fn opens(app: &App, ev: &Event) -> bool {
    matches!(ev, Event::Key(k) if k.kind != KeyEventKind::Release && k.code == KeyCode::Char('L'))
        && matches!(context(app), KeyContext::Panel(_))
}

impl Changes {
    pub fn open(s: &Session, app: &App) -> Changes {
        let mut c = Changes {
            entries: Vec::new(),
            cursor: Cursor::default(),
            error: None,
            height: app.list_height.max(3),
        };
        c.reload(s, app);
        c
    }

    /// Reads the newest entries again, keeping the cursor on the same entry.
    pub fn reload(&mut self, s: &Session, app: &App) {
        let at = self.entries.get(self.cursor.selected).map(|e| e.id);
        let asked = s.ask(AuditQ {
            since: None,
            login: None,
            tail: Some(SHOWN),
        });
        match asked {
            Ok(mut entries) => {
                entries.reverse();
                self.entries = entries;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        if let Some(pos) = at.and_then(|id| self.entries.iter().position(|e| e.id == id)) {
            self.cursor.selected = pos;
        }
        self.height = app.list_height.max(3);
        self.cursor.keep_visible(self.entries.len(), self.height);
    }

    /// Moves on a key; `true` when the key closes the pop-up.
    pub fn key(&mut self, ev: &Event) -> bool {
        let Event::Key(k) = ev else { return false };
        if k.kind == KeyEventKind::Release {
            return false;
        }
        let (len, h) = (self.entries.len(), self.height);
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('L') => return true,
            KeyCode::Down | KeyCode::Char('j') => self.cursor.step(1, len, h),
            KeyCode::Up | KeyCode::Char('k') => self.cursor.step(-1, len, h),
            KeyCode::PageDown => self.cursor.step(h as isize, len, h),
            KeyCode::PageUp => self.cursor.step(-(h as isize), len, h),
            KeyCode::Home | KeyCode::Char('g') => self.cursor.step(-(len as isize), len, h),
            KeyCode::End | KeyCode::Char('G') => self.cursor.step(len as isize, len, h),
            _ => {}
        }
        false
    }

    pub fn draw(&self, frame: &mut Frame, app: &App) {
        let area = frame.area();
        if area.width < 10 || area.height < 5 {
            return;
        }
        // Over the panels, leaving the tab line and the status line.
        let popup = Rect {
            x: area.x + 1,
            y: area.y + 1,
            width: area.width - 2,
            height: area.height - 2,
        };
        let title = match app.lang {
            Lang::Zh => format!(" 最近的更改（{}）· Esc 关闭 ", self.entries.len()),
            Lang::En => format!(" Recent changes ({}) · Esc closes ", self.entries.len()),
        };
        let inner_w = popup.width.saturating_sub(2) as usize;
        let rows = popup.height.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if let Some(e) = &self.error {
            lines.push(Line::styled(truncate(e, inner_w), app.theme.error));
        } else if self.entries.is_empty() {
            let none = match app.lang {
                Lang::Zh => "没有可显示的更改",
                Lang::En => "no changes to show",
            };
            lines.push(Line::styled(none, app.theme.dim));
        }
        let offset = self.cursor.offset.min(self.entries.len());
        for (i, e) in self.entries.iter().enumerate().skip(offset).take(rows) {
            let when = e.at.with_timezone(&chrono::Local).format("%m-%d %H:%M");
            let text = format!("{when}  {:<10} {}", e.login, e.summary);
            let style = if i == self.cursor.selected {
                app.theme.selected
            } else {
                app.theme.normal
            };
            lines.push(Line::styled(truncate(&text, inner_w), style));
        }
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(truncate(&title, inner_w))),
            popup,
        );
    }
}
