//! The organisation panel: the tree on the left, the selected unit on the right.

use crate::domain::{OrgLevel, OrgUnit, OrgUnitId};
use crate::tui::app::App;
use crate::tui::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

fn level_key(level: OrgLevel) -> &'static str {
    match level {
        OrgLevel::Committee => "level.committee",
        OrgLevel::Branch => "level.branch",
        OrgLevel::Group => "level.group",
    }
}

/// Warnings a unit carries: no secretary/leader, closed.
fn flags(app: &App, unit: &OrgUnit) -> Vec<&'static str> {
    let mut out = Vec::new();
    if unit.closed.is_some() {
        out.push(app.tr("flag.closed"));
    } else if unit.leader.is_none() {
        out.push(match unit.level {
            OrgLevel::Group => app.tr("flag.no_leader"),
            _ => app.tr("flag.no_secretary"),
        });
    }
    out
}

/// What stands for a figure that needs the roster while it is arriving.
const STILL_READING: &str = "…";

/// A unit's member count (whole subtree), or `…` while the roster arrives.
fn members_of(app: &App, unit: OrgUnitId) -> String {
    match app.roster_arriving() {
        Some(_) => STILL_READING.to_string(),
        None => app
            .subtree_counts
            .get(&unit)
            .copied()
            .unwrap_or(0)
            .to_string(),
    }
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(56), Constraint::Percentage(44)]).areas(area);
    let block = Block::bordered().title(format!(" {} ", app.tr("panel.org")));
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let width = inner.width as usize;
    let rows = app
        .org_rows
        .iter()
        .enumerate()
        .skip(app.org_cursor.offset)
        .take(inner.height as usize);
    let mut lines = Vec::new();
    for (i, row) in rows {
        let Some(unit) = app.units.get(&row.unit) else {
            continue;
        };
        let marker = if unit.level == OrgLevel::Group {
            "  "
        } else if app.expanded.contains(&unit.id) {
            "▾ "
        } else {
            "▸ "
        };
        let count = members_of(app, unit.id);
        let mut text = format!("{}{marker}{} ({count})", "  ".repeat(row.depth), unit.name);
        let warn: Vec<&str> = flags(app, unit);
        let warn_text = if warn.is_empty() {
            String::new()
        } else {
            format!(" ⚠{}", warn.join(" "))
        };
        let room = width.saturating_sub(crate::tui::text::width(&warn_text));
        text = fit(&text, room);
        let selected = i == app.org_cursor.selected;
        let style = if selected {
            app.theme.selected
        } else {
            app.theme.normal
        };
        let warn_style = if selected {
            app.theme.selected
        } else {
            app.theme.warn
        };
        lines.push(Line::from(vec![
            Span::styled(text, style),
            Span::styled(truncate(&warn_text, width), warn_style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    draw_detail(frame, app, right);
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let Some(unit) = app.selected_unit().and_then(|u| app.units.get(&u)) else {
        frame.render_widget(Block::bordered(), area);
        return;
    };
    let label = |k: &'static str| Span::styled(format!("{}：", app.tr(k)), app.theme.dim);
    let arriving = app.roster_arriving().is_some();
    let leader = match unit.leader {
        Some(_) if arriving => STILL_READING.to_string(),
        Some(m) => app
            .member_index
            .get(&m)
            .map(|&i| app.members[i].name.to_string())
            .unwrap_or_else(|| app.tr("org.none").to_string()),
        None => app.tr("org.none").to_string(),
    };
    let mut lines = vec![
        Line::styled(unit.name.clone(), app.theme.title),
        Line::raw(app.tr(level_key(unit.level))),
        Line::from(vec![label("org.leader"), Span::raw(leader)]),
        Line::from(vec![
            label("org.members"),
            Span::raw(members_of(app, unit.id)),
        ]),
    ];
    if unit.level == OrgLevel::Group {
        let b = if unit.buildings.is_empty() {
            app.tr("org.none").to_string()
        } else {
            unit.buildings.join("、")
        };
        lines.push(Line::from(vec![label("org.buildings"), Span::raw(b)]));
    }
    if let Some(d) = unit.established {
        lines.push(Line::from(vec![
            label("org.established"),
            Span::raw(d.to_string()),
        ]));
    }
    for f in flags(app, unit) {
        lines.push(Line::styled(format!("⚠ {f}"), app.theme.warn));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(app.tr("org.uncovered"), app.theme.header));
    let uncovered = if arriving {
        STILL_READING.to_string()
    } else if app.uncovered.is_empty() {
        app.tr("org.none").to_string()
    } else {
        app.uncovered.join("、")
    };
    lines.push(Line::styled(uncovered, app.theme.warn));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered()),
        area,
    );
}
