//! The members panel: the roster of the selected unit's subtree (or of a
//! search across everyone the user may see), with a detail pane. ID numbers and
//! phones are masked unless the user reveals one record and may see it.

use crate::domain::validate::{mask_id_number, mask_phone};
use crate::domain::*;
use crate::tui::app::{App, MemberRow};
use crate::tui::text::{fit, truncate, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Column widths for the table's inner width: name, category (as wide as the
/// longest category name in the interface language), address, phone, points,
/// unit (the rest).
fn columns(app: &App, w: usize) -> [usize; 7] {
    let category = MemberCategory::ALL
        .iter()
        .map(|c| width(c.label(app.lang)))
        .max()
        .unwrap_or(6);
    let status = STATUSES
        .iter()
        .map(|(_, k)| width(app.tr(k)))
        .chain(std::iter::once(width(app.tr("col.status"))))
        .max()
        .unwrap_or(6);
    let fixed = [10, category, status, 12, 12, 7];
    let used: usize = fixed.iter().sum::<usize>() + 6;
    [
        fixed[0],
        fixed[1],
        fixed[2],
        fixed[3],
        fixed[4],
        fixed[5],
        w.saturating_sub(used),
    ]
}

/// A member's status as the status column says it: blank for the active,
/// so those who left stand out.
const STATUSES: [(MemberStatus, &str); 2] = [
    (MemberStatus::TransferredOut, "roster.st_out"),
    (MemberStatus::Deceased, "roster.st_deceased"),
];

fn status_text(app: &App, s: MemberStatus) -> &'static str {
    STATUSES
        .iter()
        .find(|(x, _)| *x == s)
        .map(|(_, k)| app.tr(k))
        .unwrap_or("")
}

fn row_text(app: &App, row: &MemberRow, cols: &[usize; 7]) -> String {
    let d = row;
    let phone = if app.revealed == Some(row.id) {
        d.phone.to_string()
    } else {
        mask_phone(&d.phone)
    };
    let unit = app
        .units
        .get(&d.unit)
        .map(|u| u.name.as_str())
        .unwrap_or("");
    let points = format!("{:>w$}", row.balance.to_string(), w = cols[5]);
    [
        fit(&d.name, cols[0]),
        fit(d.category.label(app.lang), cols[1]),
        fit(status_text(app, d.status), cols[2]),
        fit(&d.address_short(), cols[3]),
        fit(&phone, cols[4]),
        fit(&points, cols[5]),
        fit(unit, cols[6]),
    ]
    .join(" ")
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let title = match app.roster_unit.and_then(|u| app.units.get(&u)) {
        _ if app.search.is_none() && app.roster_filter.is_some() => format!(
            " {} · {} {} ",
            app.roster_filter.as_ref().map_or("", |f| f.label.as_str()),
            app.roster_rows.len(),
            app.tr("roster.count"),
        ),
        Some(u) if app.search.is_none() => format!(
            " {} · {} {} · {} {}{}{} ",
            u.name,
            app.roster_rows.len(),
            app.tr("roster.count"),
            app.tr("roster.sorted"),
            app.tr(app.sort.label()),
            if app.sort_reverse { " ↑" } else { "" },
            match app.roster_status {
                crate::tui::panels::roster::StatusFilter::All => String::new(),
                f => format!(" · {}", app.tr(f.label())),
            },
        ),
        _ => format!(" {} · {} ", app.tr("panel.members"), app.roster_rows.len()),
    };
    let (table_area, detail_area) = if app.detail {
        let [t, d] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        (t, Some(d))
    } else {
        (area, None)
    };
    let block = Block::bordered().title(title);
    let mut inner = block.inner(table_area);
    frame.render_widget(block, table_area);
    if let Some(input) = &app.search {
        let prompt = format!("{}: ", app.tr("search.prompt"));
        let line = Rect {
            height: 1.min(inner.height),
            ..inner
        };
        let avail = (inner.width as usize).saturating_sub(width(&prompt) + 1);
        let scroll = input.visual_scroll(avail);
        let shown: String = input.value().chars().skip(scroll).collect();
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(prompt.clone(), app.theme.title),
                Span::raw(truncate(&shown, avail)),
            ])),
            line,
        );
        let x = inner.x as usize + width(&prompt) + input.visual_cursor().saturating_sub(scroll);
        if app.searching() && line.height > 0 && x < (inner.x + inner.width) as usize {
            frame.set_cursor_position(Position::new(x as u16, line.y));
        }
        inner.y += line.height;
        inner.height = inner.height.saturating_sub(line.height);
    }
    let w = inner.width as usize;
    let cols = columns(app, w);
    let header = [
        fit(app.tr("col.name"), cols[0]),
        fit(app.tr("col.category"), cols[1]),
        fit(app.tr("col.status"), cols[2]),
        fit(app.tr("col.address"), cols[3]),
        fit(app.tr("col.phone"), cols[4]),
        {
            let label = app.tr("col.points");
            format!(
                "{}{label}",
                " ".repeat(cols[5].saturating_sub(width(label)))
            )
        },
        fit(app.tr("col.unit"), cols[6]),
    ]
    .join(" ");
    let mut lines = vec![Line::styled(truncate(&header, w), app.theme.header)];
    if app.roster_rows.is_empty() {
        let key = if app.search.is_some() {
            "roster.nomatch"
        } else {
            "roster.empty"
        };
        lines.push(Line::styled(app.tr(key), app.theme.dim));
    }
    let visible = (inner.height as usize).saturating_sub(1);
    for (pos, &i) in app
        .roster_rows
        .iter()
        .enumerate()
        .skip(app.roster_cursor.offset)
        .take(visible)
    {
        let Some(row) = app.members.get(i) else {
            continue;
        };
        let style = if pos == app.roster_cursor.selected {
            app.theme.selected
        } else if row.status != MemberStatus::Active {
            app.theme.dim
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(truncate(&row_text(app, row, &cols), w), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(d) = detail_area {
        draw_detail(frame, app, d);
    }
}

fn draw_detail(frame: &mut Frame, app: &App, area: Rect) {
    let block = Block::bordered().title(format!(" {} ", app.tr("detail.title")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(row) = app.selected_member() else {
        return;
    };
    // The whole record, read by the runner as the selection moved.
    let Some(full) = app.full.as_ref().filter(|f| f.id == row.id) else {
        return;
    };
    let d = &full.data;
    let revealed = app.revealed == Some(row.id);
    let date = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    let gender = match d.gender {
        Some(g) => g.label(app.lang),
        None => app.tr("gender.unknown"),
    };
    let unit = app
        .units
        .get(&d.unit)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let fields: Vec<(&'static str, String)> = vec![
        ("field.name", format!("{} (#{})", d.name, row.id)),
        ("field.gender", gender.to_string()),
        ("field.birth", date(d.birth_date)),
        (
            "field.id_number",
            if revealed {
                d.id_number.clone()
            } else {
                mask_id_number(&d.id_number)
            },
        ),
        (
            "field.phone",
            if revealed {
                d.phone.clone()
            } else {
                mask_phone(&d.phone)
            },
        ),
        ("col.address", d.address.short()),
        ("field.unit", unit),
        ("field.category", d.category.label(app.lang).to_string()),
        ("field.home_unit", d.home_unit.clone()),
        ("field.reported", date(d.reported)),
        (
            "field.joined",
            d.joined.map(|j| j.to_string()).unwrap_or_default(),
        ),
        (
            "field.full_member",
            d.full_member.map(|f| f.to_string()).unwrap_or_default(),
        ),
        ("field.skills", d.skills.join("、")),
        ("field.posts", d.posts.join("、")),
        ("field.status", d.status.label(app.lang).to_string()),
        ("field.points", row.balance.to_string()),
        ("field.notes", d.notes.clone()),
    ];
    // Two columns when there is room, one otherwise.
    let two = inner.width >= 60;
    let col_w = if two {
        inner.width as usize / 2
    } else {
        inner.width as usize
    };
    let per_col = if two {
        fields.len().div_ceil(2)
    } else {
        fields.len()
    };
    let cell = |(k, v): &(&'static str, String)| {
        let label = fit(app.tr(k), 10);
        fit(&format!("{label} {v}"), col_w)
    };
    let lines: Vec<Line> = (0..per_col)
        .map(|r| {
            let left = fields.get(r).map(cell).unwrap_or_default();
            let right = if two {
                fields.get(r + per_col).map(cell).unwrap_or_default()
            } else {
                String::new()
            };
            Line::raw(format!("{left}{right}"))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
