//! The points panel: the quick-entry line with its matches or rule list and
//! the session's entries on the left; the chosen member's monthly points (or
//! whole statement) on the right.

use crate::domain::RuleBasis;
use crate::tui::app::App;
use crate::tui::panels::points::{EntryField, LineError};
use crate::tui::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

const LABEL: usize = 11;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let [entry_area, recent_area] =
        Layout::vertical([Constraint::Length(15), Constraint::Min(0)]).areas(left);
    draw_entry(frame, app, entry_area);
    draw_recent(frame, app, recent_area);
    let [rank_area, member_area] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
    draw_ranking(frame, app, rank_area);
    draw_member(frame, app, member_area);
}

fn draw_ranking(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.points;
    let scope = p
        .rank_unit
        .and_then(|u| app.units.get(&u))
        .map(|u| u.name.as_str())
        .unwrap_or(app.tr("points.all"));
    let block = Block::bordered().title(format!(
        " {} · {} · {scope} ",
        app.tr("points.ranking"),
        p.rank_label
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let lines: Vec<Line> = p
        .ranking
        .iter()
        .take(inner.height as usize)
        .map(|r| {
            Line::raw(truncate(
                &format!(
                    "{:>3} {} {:>6}",
                    r.rank,
                    fit(&r.name, 8),
                    r.points.to_string()
                ),
                w,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_entry(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.points;
    let block = Block::bordered().title(format!(" {} ", app.tr("points.entry")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let value_w = w.saturating_sub(LABEL + 1);
    let mut lines = Vec::new();
    let mut cursor = None;
    for field in EntryField::ALL {
        let focused = p.editing && p.field == field;
        let (text, col) = match field {
            EntryField::Member => {
                let chosen = p
                    .member
                    .and_then(|m| app.member_index.get(&m))
                    .map(|&i| app.members[i].name.to_string());
                match chosen {
                    Some(name) if p.field != EntryField::Member => (name, 0),
                    _ => (
                        p.member_query.value().to_string(),
                        p.member_query.visual_cursor(),
                    ),
                }
            }
            EntryField::Rule => (
                app.rules
                    .get(p.rule)
                    .map(|r| format!("‹ {} {} ›", r.code, rule_name(app, r)))
                    .unwrap_or_default(),
                0,
            ),
            EntryField::Quantity => (p.quantity.value().to_string(), p.quantity.visual_cursor()),
            EntryField::Date => (p.date.value().to_string(), p.date.visual_cursor()),
            EntryField::Note => (p.note.value().to_string(), p.note.visual_cursor()),
        };
        if focused && field != EntryField::Rule {
            cursor = Some((LABEL + 1 + col.min(value_w), lines.len()));
        }
        let style = if focused {
            app.theme.selected
        } else {
            app.theme.normal
        };
        lines.push(Line::from(vec![
            Span::styled(fit(app.tr(field.label()), LABEL), app.theme.dim),
            Span::raw(" "),
            Span::styled(fit(&text, value_w), style),
        ]));
    }
    lines.push(Line::raw(""));
    match p.field {
        EntryField::Rule => {
            // The list scrolls to keep the chosen rule in view.
            let room = (inner.height as usize)
                .saturating_sub(EntryField::ALL.len() + 3)
                .max(1);
            let first = p.rule.saturating_sub(room - 1);
            for (i, r) in app.rules.iter().enumerate().skip(first).take(room) {
                let basis = match r.basis {
                    RuleBasis::PerHour => app.tr("points.per_hour"),
                    RuleBasis::PerTime => app.tr("points.per_time"),
                };
                let text = format!("{:<7} {} {basis} {}", r.code, rule_name(app, r), r.points);
                let style = if i == p.rule {
                    app.theme.selected
                } else {
                    app.theme.normal
                };
                lines.push(Line::styled(fit(&text, w), style));
            }
        }
        _ => {
            for (i, &m) in p.matches.list.iter().enumerate() {
                let Some(row) = app.members.get(m) else {
                    continue;
                };
                let d = &row;
                let unit = app
                    .units
                    .get(&d.unit)
                    .map(|u| u.name.as_str())
                    .unwrap_or("");
                let text = format!(
                    "{} {} {} {}",
                    fit(&d.name, 8),
                    fit(&d.address_short(), 11),
                    fit(unit, 14),
                    row.balance
                );
                let style = if i == p.matches.selected && p.field == EntryField::Member {
                    app.theme.selected
                } else {
                    app.theme.normal
                };
                lines.push(Line::styled(fit(&text, w), style));
            }
        }
    }
    let hint = if p.editing {
        "points.hint_edit"
    } else {
        "points.hint_panel"
    };
    let error = match &p.error {
        Some(LineError::Key(k)) => app.tr(k).to_string(),
        Some(LineError::Text(t)) => t.clone(),
        None => String::new(),
    };
    let body_rows = (inner.height as usize).saturating_sub(2);
    lines.truncate(body_rows);
    while lines.len() < body_rows {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(truncate(&error, w), app.theme.error));
    lines.push(Line::styled(truncate(app.tr(hint), w), app.theme.dim));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((col, row)) = cursor
        && col < w
        && row < inner.height as usize
    {
        frame.set_cursor_position(Position::new(inner.x + col as u16, inner.y + row as u16));
    }
}

/// Above the statement: the year's evaluation score and grade, and what
/// waits for approval — the redeemable balance is in the title, named apart.
fn year_lines(app: &App, y: &crate::access::MemberYear, w: usize) -> Vec<Line<'static>> {
    let score = match y.evaluation.as_ref() {
        Some(l) => match (l.score, l.grade) {
            (Some(s), Some(g)) => format!("{s} {}", g.label(app.lang)),
            _ => app.tr("eval.exempt").to_string(),
        },
        None => "—".to_string(),
    };
    let mut lines = vec![Line::styled(
        truncate(&format!("{} {}: {score}", app.tr("eval.score"), y.year), w),
        app.theme.header,
    )];
    let waiting = y.pending.iter().filter(|p| p.state.is_pending()).count();
    if waiting > 0 {
        lines.push(Line::styled(
            truncate(&format!("{waiting} {}", app.tr("eval.pending")), w),
            app.theme.warn,
        ));
    }
    lines
}

fn rule_name<'a>(app: &App, r: &'a crate::domain::PointsRule) -> &'a str {
    match app.lang {
        crate::tui::Lang::Zh => &r.name_zh,
        crate::tui::Lang::En if !r.name_en.is_empty() => &r.name_en,
        crate::tui::Lang::En => &r.name_zh,
    }
}

fn draw_recent(frame: &mut Frame, app: &App, area: Rect) {
    let block = Block::bordered().title(format!(" {} ", app.tr("points.recent")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = app
        .points
        .recent
        .iter()
        .take(inner.height as usize)
        .map(|r| {
            let mark = if r.reversed {
                app.tr("points.reversed")
            } else if r.pending {
                app.tr("points.pending")
            } else {
                ""
            };
            let text = format!(
                "#{:<6} {} {:<7} {:>6} {mark}",
                r.entry,
                fit(&r.name, 8),
                r.rule,
                r.points.to_string()
            );
            let style = if r.reversed {
                app.theme.dim
            } else {
                app.theme.normal
            };
            Line::styled(truncate(&text, w), style)
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(app.tr("points.none"), app.theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_member(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.points;
    let member = p
        .shown
        .and_then(|m| app.member_index.get(&m))
        .map(|&i| &app.members[i]);
    let title = match member {
        Some(row) => format!(
            " {} · {} {} ",
            row.name,
            app.tr("points.balance"),
            row.balance
        ),
        None => format!(" {} ", app.tr("points.monthly")),
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if p.show_statement {
        let w = inner.width as usize;
        let year = p.year.as_ref().filter(|y| Some(y.member) == p.shown);
        let mut head = year.map(|y| year_lines(app, y, w)).unwrap_or_default();
        let t = super::ledger::totals(&p.statement);
        head.push(Line::styled(
            truncate(
                &format!(
                    "{} {} · {} {} · {} {} · {} {}",
                    app.tr("ledger.earned"),
                    t.earned,
                    app.tr("ledger.deducted"),
                    t.deducted,
                    app.tr("ledger.redeemed"),
                    t.redeemed,
                    app.tr("ledger.balance"),
                    t.balance
                ),
                w,
            ),
            app.theme.dim,
        ));
        let approved: std::collections::HashSet<crate::domain::EntryId> = year
            .map(|y| {
                y.entries
                    .iter()
                    .filter(|l| l.approved.is_some())
                    .map(|l| l.entry.id)
                    .collect()
            })
            .unwrap_or_default();
        let rows = (inner.height as usize).saturating_sub(head.len()).max(1);
        let n = p.statement.len();
        let chosen = n.saturating_sub(1 + p.statement_sel);
        // The newest rows, scrolled back far enough to show the chosen one.
        let skip = n.saturating_sub(rows).min(chosen);
        let body: Vec<Line> = p
            .statement
            .iter()
            .enumerate()
            .skip(skip)
            .take(rows)
            .map(|(i, (e, running))| {
                let code = e
                    .rule
                    .and_then(|id| app.rules.iter().find(|r| r.id == id))
                    .map(|r| r.code.as_str())
                    .unwrap_or("—");
                // ✓: it waited for approval and was approved.
                let mark = if approved.contains(&e.id) { " ✓" } else { "" };
                let style = if i == chosen && n > 0 {
                    app.theme.selected
                } else {
                    app.theme.normal
                };
                Line::styled(
                    truncate(
                        &format!(
                            "{} {:<7}{:>6}{:>7}{mark}",
                            e.date.format("%m-%d"),
                            code,
                            e.points.to_string(),
                            running.to_string()
                        ),
                        w,
                    ),
                    style,
                )
            })
            .collect();
        let lines: Vec<Line> = head.into_iter().chain(body).collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    if p.monthly.is_empty() {
        return;
    }
    // Whole points per month as bars, the month number under each.
    let bars: Vec<Bar> = p
        .monthly
        .iter()
        .map(|(month, pts)| {
            Bar::default()
                .value(pts.0.max(0) as u64 / 100)
                .label(Line::raw(format!("{}", month % 100)))
        })
        .collect();
    let chart = BarChart::default()
        .data(BarGroup::default().bars(&bars))
        .bar_width(2)
        .bar_gap(0)
        .bar_style(app.theme.title)
        .value_style(app.theme.selected);
    frame.render_widget(chart, inner);
}
