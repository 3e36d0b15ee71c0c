//! Drawing. Reads the app state and nothing else: no store, no validation.
//! Every width is a display width; every area may be tiny (down to 1×1).

mod clear;
mod form;
mod import;
mod status;

pub use clear::Clear;

use super::action::Panel;
use super::app::{App, Confirm, Layer};
use super::keymap::help_keys;
use super::panels;
use super::text::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < 4 || area.height < 3 {
        frame.render_widget(Paragraph::new("…"), area);
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, tabs);
    match app.panel {
        Panel::Org => panels::org::view::draw(frame, app, body),
        Panel::Members => panels::roster::view::draw(frame, app, body),
        Panel::Points => panels::points::view::draw(frame, app, body),
        Panel::Activities => panels::activities::view::draw(frame, app, body),
        Panel::Pairing => panels::pairing::view::draw(frame, app, body),
        Panel::Overview => panels::overview::view::draw(frame, app, body),
        Panel::OrgLife => panels::orglife::view::draw(frame, app, body),
    }
    status::draw_status(frame, app, status);
    // Check-in covers the panel and the tab line, leaving the status line.
    let full = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    for layer in &app.layers {
        match layer {
            Layer::Help => draw_help(frame, app, body),
            Layer::Form(f) => form::draw(frame, app, f, body),
            Layer::Confirm(c) => draw_confirm(frame, app, c, body),
            Layer::Io(s) => import::draw(frame, app, s, body),
            Layer::Changes(c) => c.draw(frame, app),
            Layer::Users(u) => u.draw(frame, app),
            Layer::CheckIn(ci) => panels::activities::view::draw_checkin(frame, app, ci, full),
            Layer::Evaluation(v) => panels::points::view_eval::draw_evaluation(frame, app, v, body),
            Layer::Approvals(q) => panels::points::view_eval::draw_queue(frame, app, q, body),
            Layer::OrgLife(l) => panels::orglife::view::draw_layer(frame, app, l, body),
            Layer::PickMember(p) => super::finder::view::draw(frame, app, p, full),
            Layer::Roll(r) => panels::activities::view_roll::draw_roll(frame, app, r, full),
            // Modes drawn by their panel: the line shows its cursor.
            Layer::Search | Layer::PointsLine => {}
        }
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = Vec::new();
    for (i, p) in Panel::ALL.iter().enumerate() {
        let label = format!(" {}{} ", i + 1, app.tr(p.key()));
        let style = if *p == app.panel {
            app.theme.tab_active
        } else {
            app.theme.normal
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A box centred in `area`, at most `w`×`h`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_help(frame: &mut Frame, app: &App, area: Rect) {
    let keys = help_keys(app.panel);
    let inner_w = 56usize;
    let all: Vec<Line> = keys
        .iter()
        .map(|k| Line::raw(fit(app.tr(k), inner_w)))
        .collect();
    // Taller than the screen: a window on the lines that ↑↓ move (the
    // scroll is held to the last full window), and the hint says so.
    let room = (area.height as usize).saturating_sub(3).max(1);
    let (mut lines, hint) = if all.len() > room {
        let first = app.help_scroll.min(all.len() - room);
        (
            all[first..first + room].to_vec(),
            format!(
                "{} {}-{}/{}",
                app.tr("help.scroll"),
                first + 1,
                first + room,
                all.len()
            ),
        )
    } else {
        (all, app.tr("help.close").to_string())
    };
    lines.push(Line::styled(hint, app.theme.dim));
    let popup = centered(area, inner_w as u16 + 2, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(
            " {} · {} ",
            app.tr("help.title"),
            app.tr(app.panel.key())
        ))),
        popup,
    );
}

fn draw_confirm(frame: &mut Frame, app: &App, c: &Confirm, area: Rect) {
    let key = match c {
        Confirm::DiscardForm => "confirm.discard",
        Confirm::Quit => "confirm.quit",
        Confirm::CloseUnit(_) => "confirm.close_unit",
        Confirm::RevokeUser(_) => "confirm.revoke_user",
    };
    let text = app.tr(key);
    let w = (super::text::width(text) as u16 + 4).min(area.width);
    let popup = centered(area, w, 3);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(Line::styled(text, app.theme.warn)).block(Block::bordered()),
        popup,
    );
}
