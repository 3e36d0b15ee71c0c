//! Drawing the layers over the points panel: the yearly evaluation (the
//! list, and the selected member's score, grade, balance and steps) and the
//! approval queue. Both cover the panel's body.

use super::evaluation::EvalView;
use super::queue::Queue;
use crate::domain::Lang;
use crate::report::evaluation::EvalLine;
use crate::tui::app::App;
use crate::tui::text::{fit, truncate};
use crate::tui::views::Clear;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

/// `s` right-aligned in `cols` columns (by display width).
pub(super) fn right(s: &str, cols: usize) -> String {
    let s = truncate(s, cols);
    format!(
        "{}{s}",
        " ".repeat(cols.saturating_sub(crate::tui::text::width(&s)))
    )
}

/// The grade column: the grade, or "exempt", or nothing yet.
pub(super) fn grade_text(app: &App, l: &EvalLine) -> String {
    match (l.grade, l.exempt) {
        (Some(g), _) => g.label(app.lang).to_string(),
        (None, Some(_)) => app.tr("eval.exempt").to_string(),
        (None, None) => String::new(),
    }
}

pub(super) fn scope_name(app: &App, org: Option<crate::domain::OrgUnitId>) -> String {
    org.and_then(|u| app.units.get(&u))
        .map(|u| u.name.clone())
        .unwrap_or_else(|| app.tr("points.all").to_string())
}

pub fn draw_evaluation(frame: &mut Frame, app: &App, v: &EvalView, area: Rect) {
    frame.render_widget(Clear, area);
    if v.table {
        super::view_notice::draw_notice(frame, app, v, area);
        return;
    }
    let [list_area, detail_area] =
        Layout::horizontal([Constraint::Length(44), Constraint::Min(0)]).areas(area);
    let title = match v.nominations {
        true => app.tr("eval.nominations"),
        false => app.tr("eval.title"),
    };
    let block = Block::bordered().title(format!(
        " {} {} · {} ",
        title,
        v.year,
        scope_name(app, v.org)
    ));
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let w = inner.width as usize;
    let mut lines = vec![Line::styled(
        fit(
            &format!(
                "{} {} {} {}",
                fit(app.tr("eval.col_name"), 8),
                fit(app.tr("eval.col_unit"), 14),
                right(app.tr("eval.col_score"), 6),
                app.tr("eval.col_grade")
            ),
            w,
        ),
        app.theme.header,
    )];
    let rows = (inner.height as usize).saturating_sub(2);
    for (i, l) in v.lines.iter().enumerate().skip(v.cursor.offset).take(rows) {
        let score = l.score.map(|s| s.to_string()).unwrap_or_default();
        let text = format!(
            "{} {} {:>6} {}",
            fit(&l.name, 8),
            fit(&l.unit_name, 14),
            score,
            grade_text(app, l)
        );
        let style = if i == v.cursor.selected {
            app.theme.selected
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(fit(&text, w), style));
    }
    if v.loaded && v.lines.is_empty() {
        let none = match v.nominations {
            true => "eval.no_nominations",
            false => "eval.none",
        };
        lines.push(Line::styled(app.tr(none), app.theme.dim));
    }
    while lines.len() < rows + 1 {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        truncate(app.tr("eval.hint"), w),
        app.theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
    draw_detail(frame, app, v, detail_area);
}

/// The selected member: both figures, named apart, then how the score and
/// grade were reached.
fn draw_detail(frame: &mut Frame, app: &App, v: &EvalView, area: Rect) {
    let Some(l) = v.selected() else {
        frame.render_widget(Block::bordered(), area);
        return;
    };
    let block = Block::bordered().title(format!(" {} ", l.name));
    let balance = app
        .member_index
        .get(&l.member)
        .map(|&i| app.members[i].balance.to_string())
        .unwrap_or_default();
    let score = match (l.score, l.exempt) {
        (Some(s), _) => s.to_string(),
        (None, Some(_)) => app.tr("eval.exempt").to_string(),
        (None, None) => String::new(),
    };
    let year_label = match app.lang {
        Lang::Zh => format!("{}（{}年度）", app.tr("eval.score"), v.year),
        Lang::En => format!("{} ({})", app.tr("eval.score"), v.year),
    };
    // A Chinese colon after Chinese words.
    let colon = match app.lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    };
    let mut lines = vec![
        Line::raw(format!("{year_label}{colon}{score}")),
        Line::raw(format!(
            "{}{colon}{}",
            app.tr("eval.grade"),
            grade_text(app, l)
        )),
        Line::styled(
            format!("{}{colon}{balance}", app.tr("eval.balance")),
            app.theme.dim,
        ),
        Line::raw(""),
        Line::styled(app.tr("eval.steps"), app.theme.header),
    ];
    for step in &l.steps {
        lines.push(Line::raw(format!("  {}", step.describe(app.lang))));
    }
    if l.pending > 0 {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("{} {}", l.pending, app.tr("eval.pending")),
            app.theme.warn,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

pub fn draw_queue(frame: &mut Frame, app: &App, q: &Queue, area: Rect) {
    frame.render_widget(Clear, area);
    let title_key = if q.own_only {
        "queue.title_own"
    } else {
        "queue.title"
    };
    let block = Block::bordered().title(format!(
        " {} · {} {} · {} {} ",
        app.tr(title_key),
        q.rows.len(),
        app.tr("queue.count"),
        app.tr("queue.marked"),
        q.marked.len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![Line::styled(
        fit(
            &format!(
                "    {} {} {} {} {} {}",
                fit("#", 5),
                fit(app.tr("queue.col_date"), 5),
                fit(app.tr("eval.col_name"), 8),
                fit(app.tr("queue.col_rule"), 7),
                right(app.tr("queue.col_points"), 6),
                app.tr("queue.col_by")
            ),
            w,
        ),
        app.theme.header,
    )];
    let rows = (inner.height as usize).saturating_sub(2);
    for (i, r) in q.rows.iter().enumerate().skip(q.cursor.offset).take(rows) {
        let e = &r.entry;
        let mark = if q.marked.contains(&e.id) {
            "[x]"
        } else {
            "[ ]"
        };
        let text = format!(
            "{mark} {:<5} {} {} {} {:>6} {}",
            e.id.to_string(),
            e.date.format("%m-%d"),
            fit(&r.name, 8),
            fit(&r.rule_code, 7),
            e.points.to_string(),
            e.recorded_by,
        );
        let note = if e.note.is_empty() {
            String::new()
        } else {
            format!(" · {}", e.note)
        };
        let style = if i == q.cursor.selected {
            app.theme.selected
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(fit(&format!("{text}{note}"), w), style));
    }
    if q.rows.is_empty() {
        lines.push(Line::styled(app.tr("queue.none"), app.theme.dim));
    }
    while lines.len() < rows + 1 {
        lines.push(Line::raw(""));
    }
    let hint = if q.own_only {
        "queue.hint_own"
    } else {
        "queue.hint"
    };
    lines.push(Line::styled(truncate(app.tr(hint), w), app.theme.dim));
    frame.render_widget(Paragraph::new(lines), inner);
}
