//! The pairing panel: beneficiaries (or my tasks) on the left with their
//! alerts; the selected person's pairings and task history on the right.

use crate::domain::validate::mask_phone;
use crate::domain::*;
use crate::tui::app::App;
use crate::tui::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

fn member_name(app: &App, m: MemberId) -> String {
    app.member_index
        .get(&m)
        .map(|&i| app.members[i].name.to_string())
        .unwrap_or_else(|| format!("#{m}"))
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(area);
    if app.pairing.my_tasks {
        draw_tasks(frame, app, left);
    } else {
        draw_visits(frame, app, left);
    }
    draw_detail(frame, app, right);
}

fn draw_visits(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.pairing;
    let alerts = p
        .visits
        .iter()
        .filter(|v| v.never_visited || v.overdue_days > 0)
        .count();
    let block = Block::bordered().title(format!(
        " {} · {} · ⚠{alerts} ",
        app.tr("care.beneficiaries"),
        p.visits.len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if p.visits.is_empty() {
        lines.push(Line::styled(app.tr("care.none"), app.theme.dim));
    }
    for (i, v) in p
        .visits
        .iter()
        .enumerate()
        .skip(p.cursor.offset)
        .take(inner.height as usize)
    {
        let alert = v.never_visited || v.overdue_days > 0;
        let state = if v.never_visited {
            app.tr("care.never").to_string()
        } else if v.overdue_days > 0 {
            format!(
                "{}{}{}",
                app.tr("care.overdue"),
                v.overdue_days,
                app.tr("care.days")
            )
        } else {
            format!(
                "{}{}{}",
                app.tr("care.due_in"),
                -v.overdue_days,
                app.tr("care.days")
            )
        };
        let last = v
            .days_since
            .map(|d| format!("{d}{}", app.tr("care.days_ago")))
            .unwrap_or_default();
        let text = format!(
            "{}{} {} {} {}",
            if alert { "⚠" } else { " " },
            fit(&v.beneficiary.data.name, 8),
            fit(&v.beneficiary.data.address.short(), 10),
            fit(&state, 12),
            last
        );
        let style = if i == p.cursor.selected {
            app.theme.selected
        } else if alert {
            app.theme.warn
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(truncate(&text, w), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_tasks(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.pairing;
    let block =
        Block::bordered().title(format!(" {} · {} ", app.tr("care.my_tasks"), p.tasks.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if p.tasks.is_empty() {
        lines.push(Line::styled(app.tr("care.no_tasks"), app.theme.dim));
    }
    for (i, r) in p
        .tasks
        .iter()
        .enumerate()
        .skip(p.task_cursor.offset)
        .take(inner.height as usize)
    {
        let overdue = r.overdue_days > 0;
        let text = format!(
            "{}{} {} {} → {}",
            if overdue { "⚠" } else { " " },
            r.task.due.format("%m-%d"),
            fit(&r.task.title, 12),
            fit(&r.beneficiary_name, 8),
            r.assignee_name
        );
        let style = if i == p.task_cursor.selected {
            app.theme.selected
        } else if overdue {
            app.theme.warn
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(truncate(&text, w), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.pairing;
    let row = p
        .beneficiary()
        .and_then(|b| p.visits.iter().find(|v| v.beneficiary.id == b));
    let Some(row) = row else {
        frame.render_widget(Block::bordered(), area);
        return;
    };
    let b = &row.beneficiary;
    let block = Block::bordered().title(format!(" {} ", b.data.name));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![
        Line::raw(truncate(
            &format!(
                "{} · {} · {}{}{}",
                row.unit_name,
                b.data.address.short(),
                app.tr("care.cycle"),
                b.data.visit_cycle_days,
                app.tr("care.days")
            ),
            w,
        )),
        Line::raw(truncate(
            &format!("{} {}", b.data.needs, mask_phone(&b.data.contact)),
            w,
        )),
        Line::styled(app.tr("care.pairings"), app.theme.header),
    ];
    if row.active_pairings.is_empty() {
        lines.push(Line::styled(app.tr("care.no_pairing"), app.theme.warn));
    }
    for pairing in &row.active_pairings {
        lines.push(Line::raw(truncate(
            &format!("{} ({})", member_name(app, pairing.member), pairing.since),
            w,
        )));
    }
    let ended: Vec<&crate::domain::Pairing> = p
        .pairings
        .iter()
        .filter(|x| x.beneficiary == b.id && !x.active())
        .collect();
    if !ended.is_empty() {
        lines.push(Line::styled(app.tr("care.ended"), app.theme.header));
    }
    for x in ended.iter().take(3) {
        // Months are enough here and leave the reason room in a narrow pane.
        let until = x
            .until
            .map(|d| d.format("%y.%m").to_string())
            .unwrap_or_default();
        let why = match x.end_reason.as_str() {
            "" => app.tr("care.no_reason"),
            r => r,
        };
        lines.push(Line::styled(
            truncate(
                &format!(
                    "{} {}–{until} {why}",
                    member_name(app, x.member),
                    x.since.format("%y.%m")
                ),
                w,
            ),
            app.theme.dim,
        ));
    }
    lines.push(Line::styled(app.tr("care.history"), app.theme.header));
    for t in p
        .history
        .iter()
        .take((inner.height as usize).saturating_sub(lines.len() + 2))
    {
        let day = t.done_date.unwrap_or(t.due);
        lines.push(Line::raw(truncate(
            &format!(
                "{} {} {} {}",
                day.format("%m-%d"),
                fit(t.status.label(app.lang), 6),
                fit(t.kind.label(app.lang), 4),
                member_name(app, t.assignee)
            ),
            w,
        )));
    }
    if !p.idle.is_empty() {
        let names: Vec<&str> = p.idle.iter().map(|(m, _)| m.data.name.as_str()).collect();
        lines.push(Line::styled(
            truncate(
                &format!("⚠ {}：{}", app.tr("care.idle"), names.join("、")),
                w,
            ),
            app.theme.warn,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
