//! Who may use the store (`U` on the org panel, committee admins only): each
//! user's login, name, role, where they work and whether they are active; `a`
//! adds one, `e` changes one, `r` revokes (a revoked login gets nothing more,
//! even on a connection already open). A layer (`Layer::Users`), its keys
//! `keymap`'s `KeyContext::Users`; the store's owner checks every change.

use super::action::Action;
use super::app::App;
use super::cursor::Cursor;
use super::i18n::t;
use super::text::{fit, truncate};
use crate::access::{Session, UsersQ};
use crate::domain::User;
use crate::tui::views::Clear;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

#[derive(Debug, Clone)]
pub struct Users {
    pub users: Vec<User>,
    pub cursor: Cursor,
    pub error: Option<String>,
    height: usize,
}

impl Users {
    pub fn open(s: &Session, list_height: usize) -> Users {
        let mut u = Users {
            users: Vec::new(),
            cursor: Cursor::default(),
            error: None,
            height: list_height.max(3),
        };
        u.reload(s, list_height);
        u
    }

    /// Reads the users again, keeping the cursor on the same login.
    pub fn reload(&mut self, s: &Session, list_height: usize) {
        let at = self.selected().map(|u| u.login.clone());
        match s.ask(UsersQ) {
            Ok(users) => {
                self.users = users;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        if let Some(pos) = at.and_then(|l| self.users.iter().position(|u| u.login == l)) {
            self.cursor.selected = pos;
        }
        self.height = list_height.max(3);
        self.cursor.keep_visible(self.users.len(), self.height);
    }

    pub fn selected(&self) -> Option<&User> {
        self.users.get(self.cursor.selected)
    }

    /// Moves on a motion action; whether it was one.
    pub fn motion(&mut self, action: &Action) -> bool {
        self.cursor.follow(action, self.users.len(), self.height)
    }

    pub fn draw(&self, frame: &mut Frame, app: &App) {
        let area = frame.area();
        if area.width < 10 || area.height < 5 {
            return;
        }
        let popup = Rect {
            x: area.x + 1,
            y: area.y + 1,
            width: area.width - 2,
            height: area.height - 2,
        };
        let title = format!(
            " {} ({}) · {} ",
            t(app.lang, "users.title"),
            self.users.len(),
            t(app.lang, "users.keys")
        );
        let inner_w = popup.width.saturating_sub(2) as usize;
        let rows = popup.height.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if let Some(e) = &self.error {
            lines.push(Line::styled(truncate(e, inner_w), app.theme.error));
        }
        let offset = self.cursor.offset.min(self.users.len());
        for (i, u) in self.users.iter().enumerate().skip(offset).take(rows) {
            let text = row(app, u);
            let style = if i == self.cursor.selected {
                app.theme.selected
            } else if u.active {
                app.theme.normal
            } else {
                app.theme.dim
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

/// One user's line: login, name, role, where, and a mark when revoked.
fn row(app: &App, u: &User) -> String {
    let lang = app.lang;
    let scope = match u.scope {
        None => t(lang, "users.everywhere").to_string(),
        Some(id) => app
            .units
            .get(&id)
            .map_or_else(|| id.to_string(), |unit| unit.name.clone()),
    };
    let state = if u.active {
        ""
    } else {
        t(lang, "users.revoked")
    };
    format!(
        "{} {} {} {} {state}",
        fit(&u.login, 14),
        fit(&u.display_name, 10),
        fit(u.role.label(lang), 14),
        fit(&scope, 16),
    )
}

/// Whether the actor may manage users here (the store's owner decides again).
pub fn may_manage(app: &App) -> bool {
    app.actor.role == crate::domain::Role::CommitteeAdmin && app.actor.scope.is_none()
}
