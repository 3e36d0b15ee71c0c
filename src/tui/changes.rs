//! The recent-changes pop-up (`L` on any panel): who changed what, and when,
//! newest first, from the audit log. Through a server it holds what this user
//! may see of the log (a committee admin: everyone's changes; anyone else:
//! their own) and reloads as changes arrive. A layer (`Layer::Changes`): its
//! keys are `keymap`'s `KeyContext::Changes`, its update is the app's.

use super::Lang;
use super::action::Action;
use super::app::App;
use super::cursor::Cursor;
use super::text::truncate;
use crate::access::{AuditQ, Session};
use crate::domain::AuditEntry;
use crate::tui::views::Clear;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

/// How many of the newest entries the pop-up holds.
const SHOWN: usize = 200;

#[derive(Debug, Clone)]
pub struct Changes {
    pub entries: Vec<AuditEntry>,
    pub cursor: Cursor,
    pub error: Option<String>,
    height: usize,
}

impl Changes {
    /// Opens on the newest entries; `list_height` is the app's.
    pub fn open(s: &Session, list_height: usize) -> Changes {
        let mut c = Changes {
            entries: Vec::new(),
            cursor: Cursor::default(),
            error: None,
            height: list_height.max(3),
        };
        c.reload(s, list_height);
        c
    }

    /// Reads the newest entries again, keeping the cursor on the same entry.
    pub fn reload(&mut self, s: &Session, list_height: usize) {
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
        self.height = list_height.max(3);
        self.cursor.keep_visible(self.entries.len(), self.height);
    }

    /// Moves on a motion action; whether it was one.
    pub fn motion(&mut self, action: &Action) -> bool {
        self.cursor.follow(action, self.entries.len(), self.height)
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
            let text = format!("{when}  {:<10} {}", e.login, said(e, app.lang));
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

/// What an entry of the log says, in the interface's language: the log's own
/// summary is English, so in Chinese it is the command's words and whom it
/// was about (the summary only for a command no words are known for).
fn said(e: &AuditEntry, lang: Lang) -> String {
    match (lang, crate::ops::words::done_for_kind(&e.command, lang)) {
        (Lang::Zh, Some(done)) => crate::ops::words::said(done, &e.subject),
        _ => e.summary.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_in_chinese_has_no_english() {
        let e = AuditEntry {
            id: crate::domain::AuditId(1),
            at: chrono::Utc::now(),
            login: "admin".into(),
            command: "RecordPoints".into(),
            summary: "recorded 2 points for 成员1 (5) under VOL on 2026-11-01".into(),
            subject: "成员1 (5)".into(),
            changes: vec![],
        };
        assert_eq!(said(&e, Lang::Zh), "已记积分：成员1 (5)");
        assert_eq!(said(&e, Lang::En), e.summary);
    }
}
