//! Drawing the 组织生活 panel: the line of views, then the view — 三会一课
//! held vs due per unit above the meetings list, or the committee with its
//! election and history. The other views are in `view_lists`; a meeting's
//! record (a layer) is drawn here too. Reads the state only.

use super::layer::MeetingShown;
use super::{OrgView, focus_unit};
use crate::domain::*;
use crate::report::orglife::DueRow;
use crate::tui::app::App;
use crate::tui::cursor::Cursor;
use crate::tui::text::{fit, truncate, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// Rows around a view's list that are not list rows (the line of views,
/// the box, the header): the cursor's page is the rest.
pub const LIST_CHROME: usize = 4;

/// The first row to show so the selection is in sight, whatever height the
/// list got on this frame.
pub fn first_row(c: &Cursor, height: usize) -> usize {
    let h = height.max(1);
    if c.selected < c.offset {
        c.selected
    } else if c.selected >= c.offset + h {
        c.selected + 1 - h
    } else {
        c.offset
    }
}

pub fn member_name(app: &App, id: Option<MemberId>) -> String {
    id.map(|m| crate::tui::reload::member_name(app, m))
        .unwrap_or_default()
}

/// A line in a list, selected or not.
pub fn row<'a>(app: &App, text: String, selected: bool) -> Line<'a> {
    let style = if selected {
        app.theme.selected
    } else {
        app.theme.normal
    };
    Line::styled(text, style)
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    draw_views(frame, app, tabs);
    match app.orglife.view {
        OrgView::Meetings => draw_meetings(frame, app, body),
        OrgView::Committee => draw_committee(frame, app, body),
        OrgView::Movement => super::view_lists::draw_movement(frame, app, body),
        OrgView::Partners => super::view_lists::draw_partners(frame, app, body),
        OrgView::Posts => super::view_lists::draw_posts(frame, app, body),
    }
}

/// `‹ 三会一课 · 委员会 · … ›  2026 · 一支部  ⚠3`: the views, the period and
/// unit, and how many required meetings were missed.
fn draw_views(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.orglife;
    let mut spans = vec![Span::styled("‹", app.theme.dim)];
    for v in OrgView::ALL {
        let style = if v == p.view {
            app.theme.tab_active
        } else {
            app.theme.dim
        };
        spans.push(Span::styled(format!(" {} ", app.tr(v.key())), style));
    }
    spans.push(Span::styled("›  ", app.theme.dim));
    let period = p
        .due
        .as_ref()
        .map(|d| d.period.label().to_string())
        .unwrap_or_default();
    let unit = match p.unit.and_then(|u| app.units.get(&u)) {
        Some(u) => u.name.clone(),
        None => app.tr("ol.all_units").to_string(),
    };
    spans.push(Span::raw(format!("{period} · {unit} ")));
    let missed = p.due.as_ref().map_or(0, |d| d.missed());
    if missed > 0 {
        spans.push(Span::styled(
            format!("⚠{} {missed}", app.tr("ol.missed")),
            app.theme.warn,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Short names for the due table's columns.
fn kind_short(app: &App, kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::BranchGeneralMeeting => app.tr("ol.k.general"),
        ActivityKind::BranchCommitteeMeeting => app.tr("ol.k.committee"),
        ActivityKind::GroupMeeting => app.tr("ol.k.group"),
        ActivityKind::PartyLecture => app.tr("ol.k.lecture"),
        ActivityKind::ThemePartyDay => app.tr("ol.k.theme"),
        _ => "",
    }
}

fn right(s: &str, w: usize) -> String {
    let pad = w.saturating_sub(width(s));
    format!("{}{}", " ".repeat(pad), truncate(s, w))
}

/// One cell of the due table: `held/due`, `!` when a window was missed.
fn due_cell(r: Option<&DueRow>) -> (String, bool) {
    match r {
        Some(r) if r.every.is_some() => {
            let missed = !r.missed.is_empty();
            let mark = if missed { "!" } else { " " };
            (format!("{}/{}{mark}", r.held, r.due), missed)
        }
        _ => ("—  ".to_string(), false),
    }
}

fn draw_due(frame: &mut Frame, app: &App, area: Rect) {
    let block = Block::bordered().title(format!(" {} ", app.tr("ol.due_title")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(due) = &app.orglife.due else {
        return;
    };
    let cell = 9usize;
    let name_w = (inner.width as usize).saturating_sub(cell * 5 + 1).max(4);
    let mut head = vec![Span::styled(
        fit(app.tr("ol.unit"), name_w),
        app.theme.header,
    )];
    for k in ActivityKind::MEETINGS {
        head.push(Span::styled(
            format!(" {}", right(kind_short(app, k), cell - 1)),
            app.theme.header,
        ));
    }
    let mut lines = vec![Line::from(head)];
    // Units in the order the report gives them, each once.
    let mut units: Vec<(OrgUnitId, &str)> = Vec::new();
    for r in &due.rows {
        if !units.iter().any(|u| u.0 == r.unit) {
            units.push((r.unit, &r.unit_name));
        }
    }
    for (unit, name) in units.iter().take(inner.height.saturating_sub(1) as usize) {
        let mut spans = vec![Span::raw(fit(name, name_w))];
        for k in ActivityKind::MEETINGS {
            let r = due.rows.iter().find(|r| r.unit == *unit && r.kind == k);
            let (text, missed) = due_cell(r);
            let style = if missed {
                app.theme.warn
            } else {
                app.theme.normal
            };
            spans.push(Span::styled(format!(" {}", right(&text, cell - 1)), style));
        }
        lines.push(Line::from(spans));
    }
    if units.is_empty() {
        lines.push(Line::styled(app.tr("ol.no_units"), app.theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_meetings(frame: &mut Frame, app: &App, area: Rect) {
    let p = &app.orglife;
    let units = p.due.as_ref().map_or(0, |d| {
        let mut u: Vec<OrgUnitId> = d.rows.iter().map(|r| r.unit).collect();
        u.dedup();
        u.len()
    });
    // The due table takes what it needs, up to half the height.
    let due_h = ((units.max(1) + 3) as u16).min(area.height / 2).max(3);
    let [due_area, list_area] =
        Layout::vertical([Constraint::Length(due_h), Constraint::Min(3)]).areas(area);
    draw_due(frame, app, due_area);
    let shown = p.shown_meetings();
    let search = match (&p.search, &p.found) {
        (Some(s), Some(_)) => format!(" · /{}", s.value()),
        _ => String::new(),
    };
    let block = Block::bordered().title(format!(
        " {} · {}{search} ",
        app.tr("ol.meetings"),
        shown.len()
    ));
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let w = inner.width as usize;
    let (date_w, kind_w, who_w) = (10usize, 10usize, 8usize);
    let title_w = w.saturating_sub(date_w + kind_w + who_w + 5);
    let header = format!(
        "{} {} {} {}  ",
        fit(app.tr("ol.col.date"), date_w),
        fit(app.tr("ol.col.kind"), kind_w),
        fit(app.tr("ol.col.title"), title_w),
        fit(app.tr("ol.presenter"), who_w),
    );
    let mut lines = vec![Line::styled(truncate(&header, w), app.theme.header)];
    if shown.is_empty() {
        lines.push(Line::styled(app.tr("ol.no_meetings"), app.theme.dim));
    }
    let h = (inner.height as usize).saturating_sub(1);
    let first = first_row(&p.cursors[0], h);
    for (i, m) in shown.iter().enumerate().skip(first).take(h) {
        let d = &m.activity.data;
        let presenter = member_name(app, m.record.as_ref().and_then(|r| r.presenter));
        // ✎: the meeting has a record (minutes, topics or resolutions).
        let mark = if m.record.is_some() { "✎" } else { " " };
        let text = format!(
            "{} {} {} {} {mark}",
            d.starts.format("%Y-%m-%d"),
            fit(kind_short(app, d.kind), kind_w),
            fit(&d.title, title_w),
            fit(&presenter, who_w),
        );
        lines.push(row(app, truncate(&text, w), i == p.cursors[0].selected));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// How near a term's 换届 is: over, within half a year, or not yet.
fn term_reminder(app: &App, t: &Term) -> (String, Style) {
    let days = (t.due() - app.today).num_days();
    if days < 0 {
        (
            format!("⚠ {} {}", app.tr("ol.term_over"), -days),
            app.theme.error,
        )
    } else if days <= 180 {
        (
            format!("⚠ {} {days}", app.tr("ol.term_near")),
            app.theme.warn,
        )
    } else {
        (format!("{} {days}", app.tr("ol.term_left")), app.theme.dim)
    }
}

fn draw_committee(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right_area] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let p = &app.orglife;
    let unit = focus_unit(app)
        .and_then(|u| app.units.get(&u))
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let block = Block::bordered().title(format!(" {} · {unit} ", app.tr("ol.current")));
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    match p.terms.iter().rev().find(|t| t.ended.is_none()) {
        None => lines.push(Line::styled(app.tr("ol.no_committee"), app.theme.dim)),
        Some(t) => {
            lines.push(Line::raw(truncate(
                &format!(
                    "{} {} · {} {} · {} {}",
                    app.tr("ol.term_start"),
                    t.data.started,
                    t.data.years,
                    app.tr("ol.years"),
                    app.tr("ol.term_due"),
                    t.due()
                ),
                w,
            )));
            let (text, style) = term_reminder(app, t);
            lines.push(Line::styled(truncate(&text, w), style));
            let post_w = t
                .data
                .seats
                .iter()
                .map(|s| width(s.post.label(app.lang)))
                .max()
                .unwrap_or(4);
            for seat in &t.data.seats {
                lines.push(Line::raw(truncate(
                    &format!(
                        "  {} {}",
                        fit(seat.post.label(app.lang), post_w),
                        member_name(app, Some(seat.member))
                    ),
                    w,
                )));
            }
            match &t.data.election {
                None => lines.push(Line::styled(app.tr("ol.no_election"), app.theme.dim)),
                Some(e) => {
                    lines.push(Line::styled(
                        truncate(
                            &format!(
                                "{} {} · {} {} · {} {}",
                                app.tr("ol.election"),
                                e.date,
                                app.tr("ol.eligible"),
                                e.eligible,
                                app.tr("ol.cast"),
                                e.cast
                            ),
                            w,
                        ),
                        app.theme.header,
                    ));
                    for c in &e.candidates {
                        let elected = if c.elected { app.tr("ol.elected") } else { "" };
                        lines.push(Line::raw(truncate(
                            &format!(
                                "  {} {:>4} {elected}",
                                fit(&member_name(app, Some(c.member)), 10),
                                c.votes
                            ),
                            w,
                        )));
                    }
                }
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let block = Block::bordered().title(format!(" {} ", app.tr("ol.history")));
    let inner = block.inner(right_area);
    frame.render_widget(block, right_area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    for t in p.terms.iter().rev() {
        let until = t
            .ended
            .map(|d| d.to_string())
            .unwrap_or_else(|| app.tr("ol.now").to_string());
        lines.push(Line::raw(truncate(
            &format!(
                "{}–{until} {}",
                t.data.started,
                member_name(app, t.secretary())
            ),
            w,
        )));
    }
    if lines.is_empty() {
        lines.push(Line::styled(app.tr("ol.no_committee"), app.theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A meeting's record over the panel, scrolled with ↑/↓.
pub fn draw_meeting(frame: &mut Frame, app: &App, m: &MeetingShown, area: Rect) {
    let popup = crate::tui::views::centered(area, area.width, area.height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered().title(truncate(
        &format!(" {} ", m.title),
        popup.width.saturating_sub(2) as usize,
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [text_area, hint] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let lines = meeting_lines(app, m);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((m.scroll.min(u16::MAX as usize) as u16, 0)),
        text_area,
    );
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate(app.tr("ol.meeting_hint"), inner.width as usize),
            app.theme.dim,
        )),
        hint,
    );
}

fn meeting_lines<'a>(app: &App, m: &MeetingShown) -> Vec<Line<'a>> {
    let label = |k: &'static str| Span::styled(format!("{} ", app.tr(k)), app.theme.dim);
    let Some(p) = &m.printed else {
        return vec![Line::styled(app.tr("ol.no_record"), app.theme.dim)];
    };
    let d = &p.activity.data;
    let mut lines = vec![
        Line::raw(format!(
            "{} · {} · {}",
            d.kind.label(app.lang),
            d.starts.format("%Y-%m-%d %H:%M"),
            p.host_name
        )),
        Line::from(vec![
            label("ol.presenter"),
            Span::raw(format!("{}   ", p.presenter)),
            label("ol.recorder"),
            Span::raw(p.recorder.clone()),
        ]),
        Line::from(vec![
            label("ol.topics"),
            Span::raw(p.record.topics.join("；")),
        ]),
        Line::styled(app.tr("ol.minutes"), app.theme.header),
    ];
    for l in p.record.minutes.lines() {
        lines.push(Line::raw(format!("  {l}")));
    }
    lines.push(Line::styled(app.tr("ol.resolutions"), app.theme.header));
    if p.record.resolutions.is_empty() {
        lines.push(Line::styled(
            format!("  {}", app.tr("ol.none")),
            app.theme.dim,
        ));
    }
    for (i, r) in p.record.resolutions.iter().enumerate() {
        let outcome = if r.carried() {
            app.tr("ol.carried")
        } else {
            app.tr("ol.not_carried")
        };
        lines.push(Line::raw(format!(
            "  {}. {} — {} {} · {} {} · {} {} · {outcome}",
            i + 1,
            r.text,
            app.tr("ol.for"),
            r.votes_for,
            app.tr("ol.against"),
            r.against,
            app.tr("ol.abstain"),
            r.abstain
        )));
    }
    lines.push(Line::from(vec![
        label("ol.present"),
        Span::raw(format!("{} · {}", p.present.len(), p.present.join("、"))),
    ]));
    lines.push(Line::from(vec![
        label("ol.absent"),
        Span::raw(format!("{} · {}", p.absent.len(), p.absent.join("、"))),
    ]));
    lines
}

/// A 组织生活 layer over the panel.
pub fn draw_layer(frame: &mut Frame, app: &App, layer: &super::OrgLayer, area: Rect) {
    match layer {
        super::OrgLayer::Meeting(m) => draw_meeting(frame, app, m, area),
        super::OrgLayer::Minutes(ed) => super::minutes::draw(frame, app, ed, area),
        super::OrgLayer::Search(input) => draw_search(frame, app, input, area),
    }
}

/// The search line, over the bottom row of the panel, with its cursor.
fn draw_search(frame: &mut Frame, app: &App, input: &tui_input::Input, area: Rect) {
    if area.height == 0 {
        return;
    }
    let line = Rect {
        y: area.y + area.height - 1,
        height: 1,
        ..area
    };
    let prompt = format!("{} /", app.tr("ol.search"));
    let w = line.width as usize;
    let room = w.saturating_sub(width(&prompt)).max(1);
    let scroll = input.visual_scroll(room);
    let shown: String = input.value().chars().skip(scroll).collect();
    frame.render_widget(Clear, line);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt.clone(), app.theme.header),
            Span::raw(truncate(&shown, room)),
        ])),
        line,
    );
    let col = width(&prompt) + input.visual_cursor().saturating_sub(scroll);
    if col < w {
        frame.set_cursor_position(ratatui::layout::Position::new(line.x + col as u16, line.y));
    }
}
