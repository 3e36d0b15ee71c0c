//! The evaluation drawn as the public notice (公示) reads, across the width:
//! for each member of the scope, points earned and deducted in the year, the
//! evaluation score, the grade, and how many of their entries still wait for
//! approval (counted nowhere until approved). The printable workbook (`x`)
//! holds the same columns.

use super::evaluation::EvalView;
use super::view_eval::{grade_text, right, scope_name};
use crate::tui::app::App;
use crate::tui::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

pub fn draw_notice(frame: &mut Frame, app: &App, v: &EvalView, area: Rect) {
    let block = Block::bordered().title(format!(
        " {} {} · {} ",
        app.tr("eval.notice_title"),
        v.year,
        scope_name(app, v.org)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let row = |name: &str, unit: &str, figures: [&str; 3], grade: &str, waiting: &str| {
        format!(
            "{} {} {} {} {}  {} {}",
            fit(name, 8),
            fit(unit, 14),
            right(figures[0], 7),
            right(figures[1], 7),
            right(figures[2], 7),
            fit(grade, 6),
            waiting
        )
    };
    let mut lines = vec![Line::styled(
        fit(
            &row(
                app.tr("eval.col_name"),
                app.tr("eval.col_unit"),
                [
                    app.tr("eval.col_earned"),
                    app.tr("eval.col_deducted"),
                    app.tr("eval.col_score"),
                ],
                app.tr("eval.col_grade"),
                app.tr("eval.col_pending"),
            ),
            w,
        ),
        app.theme.header,
    )];
    let rows = (inner.height as usize).saturating_sub(2);
    for (i, l) in v.lines.iter().enumerate().skip(v.cursor.offset).take(rows) {
        let score = l.score.map(|s| s.to_string()).unwrap_or_default();
        let waiting = match l.pending {
            0 => app.tr("eval.approved_all").to_string(),
            n => n.to_string(),
        };
        let text = row(
            &l.name,
            &l.unit_name,
            [&l.earned.to_string(), &l.deducted.to_string(), &score],
            &grade_text(app, l),
            &waiting,
        );
        let style = if i == v.cursor.selected {
            app.theme.selected
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(fit(&text, w), style));
    }
    if v.loaded && v.lines.is_empty() {
        lines.push(Line::styled(app.tr("eval.none"), app.theme.dim));
    }
    while lines.len() < rows + 1 {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        truncate(app.tr("eval.hint"), w),
        app.theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
