//! Drawing the list views of the 组织生活 panel: members who move (flows
//! and lost contact, with the selected member's movement history), partners
//! with their joint activities, and the posts with their responsibilities
//! and holders. Reads the state only.

use super::MoveRow;
use super::view::{first_row, row};
use crate::domain::*;
use crate::tui::app::App;
use crate::tui::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

fn split(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(area)
}

/// What a boxed list shows: its title, header line and rows, where its
/// cursor is, and what it says when it has no rows (an i18n key).
struct List<'a> {
    title: String,
    header: String,
    rows: Vec<String>,
    cursor: &'a crate::tui::cursor::Cursor,
    empty: &'static str,
}

/// A boxed list with a header line; the rows scroll to keep `selected` in sight.
fn list(frame: &mut Frame, app: &App, area: Rect, l: List) {
    let List {
        title,
        header,
        rows,
        cursor,
        empty,
    } = l;
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![Line::styled(truncate(&header, w), app.theme.header)];
    if rows.is_empty() {
        lines.push(Line::styled(app.tr(empty), app.theme.dim));
    }
    let h = (inner.height as usize).saturating_sub(1);
    let first = first_row(cursor, h);
    for (i, text) in rows.into_iter().enumerate().skip(first).take(h) {
        lines.push(row(app, truncate(&text, w), i == cursor.selected));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn detail(frame: &mut Frame, app: &App, area: Rect, title: String, lines: Vec<Line>) {
    let block = Block::bordered().title(title);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
    let _ = app;
}

pub fn draw_movement(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] = split(area);
    let p = &app.orglife;
    let lang = app.lang;
    let rows: Vec<String> = p
        .moves
        .iter()
        .map(|m| match m {
            MoveRow::Flow(f) => {
                let d = &f.flow.data;
                let until = d.until.map(|u| format!("–{u}")).unwrap_or_default();
                format!(
                    "{} {} {} {}{until}",
                    fit(d.direction.flow_label(lang), 10),
                    fit(&f.name, 8),
                    fit(&d.place, 10),
                    d.since
                )
            }
            MoveRow::Lost(l) => format!(
                "{} {} {} {} {}",
                fit(app.tr("ol.lost"), 10),
                fit(&l.0.data.name, 8),
                fit(
                    &format!("{} {}", app.tr("ol.attempts"), l.1.attempts.len()),
                    10
                ),
                l.1.since,
                if l.1.regained.is_some() { "✓" } else { "⚠" }
            ),
        })
        .collect();
    let which = if p.all_flows {
        app.tr("ol.flows_all")
    } else {
        app.tr("ol.flows_now")
    };
    let header = format!(
        "{} {} {} {}",
        fit(app.tr("ol.col.what"), 10),
        fit(app.tr("field.name"), 8),
        fit(app.tr("field.place"), 10),
        app.tr("ol.col.since")
    );
    list(
        frame,
        app,
        left,
        List {
            title: format!(
                " {} · {which} · {} ",
                app.tr("ol.view.movement"),
                rows.len()
            ),
            header,
            rows,
            cursor: &p.cursors[2],
            empty: "ol.no_moves",
        },
    );
    let mut lines = Vec::new();
    let title = match &p.movement {
        Some(m) => format!(" {} · {} ", app.tr("ol.history"), m.member.data.name),
        None => format!(" {} ", app.tr("ol.history")),
    };
    if let Some(m) = &p.movement {
        lines.push(Line::raw(format!(
            "{} {}",
            app.tr("field.status"),
            m.member.data.status.label(lang)
        )));
        for t in &m.transfers {
            let d = &t.data;
            lines.push(Line::raw(format!(
                "{} {} {} {} {}",
                d.date,
                t.direction.label(lang),
                d.counterpart,
                d.letter,
                d.reason
            )));
        }
        for f in &m.flows {
            let d = &f.data;
            let until = d.until.map(|u| format!("–{u}")).unwrap_or_default();
            lines.push(Line::raw(format!(
                "{}{until} {} {} {}",
                d.since,
                d.direction.flow_label(lang),
                d.place,
                d.party_org
            )));
        }
        if let Some(l) = &m.lost_contact {
            let regained = l
                .regained
                .map(|r| format!(" · {} {r}", app.tr("ol.regained")))
                .unwrap_or_default();
            lines.push(Line::styled(
                format!("{} {}{regained}", app.tr("ol.lost"), l.since),
                app.theme.warn,
            ));
            for a in &l.attempts {
                lines.push(Line::raw(format!("  {} {}", a.date, a.note)));
            }
        }
    } else {
        lines.push(Line::styled(app.tr("ol.enter_history"), app.theme.dim));
    }
    detail(frame, app, right, title, lines);
}

pub fn draw_partners(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] = split(area);
    let p = &app.orglife;
    let joint = |id: PartnerId| p.joint.iter().find(|j| j.partner == id);
    let rows: Vec<String> = p
        .partners
        .iter()
        .map(|x| {
            let count = joint(x.id).map_or(0, |j| j.activities);
            let closed = if x.closed.is_some() {
                app.tr("ol.closed")
            } else {
                ""
            };
            format!(
                "{} {} {:>3} {closed}",
                fit(&x.data.name, 18),
                fit(x.data.kind.label(app.lang), 10),
                count
            )
        })
        .collect();
    let header = format!(
        "{} {} {:>3}",
        fit(app.tr("ol.col.name"), 18),
        fit(app.tr("field.kind"), 10),
        app.tr("ol.joint")
    );
    list(
        frame,
        app,
        left,
        List {
            title: format!(" {} · {} ", app.tr("ol.view.partners"), rows.len()),
            header,
            rows,
            cursor: &p.cursors[3],
            empty: "ol.no_partners",
        },
    );
    let mut lines = Vec::new();
    if let Some(x) = p.selected_partner() {
        let d = &x.data;
        let unit = d
            .linked_unit
            .and_then(|u| app.units.get(&u))
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let agreed = d.agreed.map(|a| a.to_string()).unwrap_or_default();
        for (k, v) in [
            (
                "field.ol.contact_person",
                format!("{} {}", d.contact, d.phone),
            ),
            ("ol.linked_unit", unit),
            ("ol.agreed", agreed),
            ("field.notes", d.notes.clone()),
        ] {
            lines.push(Line::raw(format!("{} {v}", app.tr(k))));
        }
        lines.push(Line::styled(app.tr("ol.joint_titles"), app.theme.header));
        for t in joint(x.id).map(|j| j.titles.clone()).unwrap_or_default() {
            lines.push(Line::raw(format!("  {t}")));
        }
    }
    let title = format!(" {} ", app.tr("ol.partner_detail"));
    detail(frame, app, right, title, lines);
}

pub fn draw_posts(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] = split(area);
    let p = &app.orglife;
    let rows: Vec<String> = p
        .posts
        .iter()
        .map(|x| {
            let retired = if x.data.active {
                ""
            } else {
                app.tr("ol.retired")
            };
            format!("{} {retired}", fit(&x.data.name, 20))
        })
        .collect();
    list(
        frame,
        app,
        left,
        List {
            title: format!(" {} · {} ", app.tr("ol.view.posts"), rows.len()),
            header: app.tr("ol.post_label").to_string(),
            rows,
            cursor: &p.cursors[4],
            empty: "ol.no_posts",
        },
    );
    let mut lines = Vec::new();
    if let Some(x) = p.selected_post() {
        lines.push(Line::styled(app.tr("ol.duties"), app.theme.header));
        for l in x.data.responsibilities.lines() {
            lines.push(Line::raw(format!("  {l}")));
        }
        lines.push(Line::styled(
            format!("{} · {}", app.tr("ol.holders"), p.holders.len()),
            app.theme.header,
        ));
        let names: Vec<&str> = p.holders.iter().map(|m| m.data.name.as_str()).collect();
        lines.push(Line::raw(format!("  {}", names.join("、"))));
    }
    detail(
        frame,
        app,
        right,
        format!(" {} ", app.tr("ol.post_detail")),
        lines,
    );
}
