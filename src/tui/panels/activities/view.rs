//! The activities panel (list, detail) and full-screen check-in mode.

use crate::tui::app::App;
use crate::tui::panels::activities::CheckIn;
use crate::tui::text::{fit, truncate, width};
use crate::tui::views::Clear;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let panel = &app.activities;
    let (list_area, detail_area) = if panel.detail {
        let [l, d] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        (l, Some(d))
    } else {
        (area, None)
    };
    let block = Block::bordered().title(format!(
        " {} · {} · {}/{} ",
        app.tr("panel.activities"),
        panel.rows.len(),
        app.tr("act.present"),
        app.tr("act.absent"),
    ));
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if panel.rows.is_empty() {
        lines.push(Line::styled(app.tr("act.none"), app.theme.dim));
    }
    for (i, row) in panel
        .rows
        .iter()
        .enumerate()
        .skip(panel.cursor.offset)
        .take(inner.height as usize)
    {
        let d = &row.activity.data;
        let host = app
            .units
            .get(&d.host)
            .map(|u| u.name.as_str())
            .unwrap_or("");
        let text = format!(
            "{} {} {} {} {:>4} {:>4}",
            d.starts.format("%Y-%m-%d %H:%M"),
            fit(d.kind.label(app.lang), 12),
            fit(&d.title, 22),
            fit(host, 12),
            row.present,
            row.absent,
        );
        let style = if i == panel.cursor.selected {
            app.theme.selected
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(truncate(&text, w), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(area) = detail_area {
        draw_detail(frame, app, area);
    }
}

fn name(app: &App, m: &crate::domain::MemberId) -> String {
    app.member_index
        .get(m)
        .map(|&i| app.members[i].name.to_string())
        .unwrap_or_else(|| format!("#{m}"))
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let Some(row) = app.activities.selected() else {
        frame.render_widget(Block::bordered(), area);
        return;
    };
    let block = Block::bordered().title(format!(" {} ", row.activity.data.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(att) = app.activities.attendees(row.activity.id) else {
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let mut present: Vec<(String, String)> = att
        .present
        .iter()
        .map(|(m, at)| {
            let local = at.with_timezone(&chrono::Local);
            (name(app, m), local.format("%H:%M").to_string())
        })
        .collect();
    present.sort();
    let mut lines = vec![Line::styled(
        format!("{} {}", app.tr("act.present"), present.len()),
        app.theme.header,
    )];
    lines.extend(
        present
            .iter()
            .map(|(n, t)| Line::raw(truncate(&format!("{} {t}", fit(n, 8)), left.width as usize))),
    );
    frame.render_widget(Paragraph::new(lines), left);
    let mut absent: Vec<(String, String)> = att
        .absent
        .iter()
        .map(|(m, reason)| (name(app, m), reason.clone()))
        .collect();
    absent.sort();
    let mut lines = vec![Line::styled(
        format!("{} {}", app.tr("act.absent"), absent.len()),
        app.theme.header,
    )];
    lines.extend(absent.iter().map(|(n, r)| {
        Line::raw(truncate(
            &format!("{} {r}", fit(n, 8)),
            right.width as usize,
        ))
    }));
    frame.render_widget(Paragraph::new(lines), right);
}

/// Check-in mode over the whole screen but the status line.
pub fn draw_checkin(frame: &mut Frame, app: &App, ci: &CheckIn, area: Rect) {
    frame.render_widget(Clear, area);
    // Beside the line, when there is room: who is expected and not yet in.
    let area = if area.width >= 60 {
        let [line, waiting] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(24)]).areas(area);
        super::view_roll::draw_waiting(frame, app, ci.activity, &ci.invitees, waiting);
        line
    } else {
        area
    };
    let title = app
        .activities
        .rows
        .iter()
        .find(|r| r.activity.id == ci.activity)
        .map(|r| r.activity.data.title.clone())
        .unwrap_or_default();
    let present = app
        .activities
        .attendees(ci.activity)
        .map(|a| a.present.len())
        .unwrap_or(0);
    let block = Block::bordered().title(format!(" {} · {title} ", app.tr("act.checkin")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let scope = if ci.everyone {
        "act.scope_all"
    } else {
        "act.scope_invited"
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!(
                    "{} {present} / {} {}",
                    app.tr("act.present"),
                    app.tr("act.invited"),
                    ci.invitees.len()
                ),
                app.theme.title,
            ),
            Span::styled(format!("   [{}]", app.tr(scope)), app.theme.dim),
        ]),
        Line::from(vec![
            Span::styled("> ", app.theme.title),
            Span::raw(ci.input.value().to_string()),
        ]),
    ];
    let here = app.activities.attendees(ci.activity);
    for (i, &m) in ci.matches.list.iter().enumerate() {
        let Some(row) = app.members.get(m) else {
            continue;
        };
        let d = &row;
        let unit = app
            .units
            .get(&d.unit)
            .map(|u| u.name.as_str())
            .unwrap_or("");
        let done = here.is_some_and(|a| a.present.contains_key(&row.id));
        let mark = if done { app.tr("act.already") } else { "" };
        let text = format!(
            "{} {} {} {mark}",
            fit(&d.name, 8),
            fit(&d.address_short(), 11),
            fit(unit, 14)
        );
        let style = if i == ci.matches.selected {
            app.theme.selected
        } else if done {
            app.theme.dim
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(truncate(&text, w), style));
    }
    lines.push(Line::styled(
        truncate(ci.warning.as_deref().unwrap_or(""), w),
        app.theme.error,
    ));
    lines.push(Line::styled(app.tr("act.last"), app.theme.header));
    for (_, n) in &ci.last {
        lines.push(Line::raw(truncate(&format!("✓ {n}"), w)));
    }
    let hint_row = inner.height.saturating_sub(1) as usize;
    lines.truncate(hint_row);
    while lines.len() < hint_row {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        truncate(app.tr("act.checkin_hint"), w),
        app.theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x as usize + 2 + width(ci.input.value());
    if inner.height > 1 && x < (inner.x + inner.width) as usize {
        frame.set_cursor_position(Position::new(x as u16, inner.y + 1));
    }
}
