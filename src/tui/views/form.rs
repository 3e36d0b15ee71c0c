//! A form as a centred pop-up: one line per field, label then value, the
//! focused field highlighted with the cursor in it, errors in words below.

use super::super::app::App;
use super::super::form::{FieldValue, Form};
use super::super::text::{fit, truncate, width};
use super::centered;
use crate::tui::views::Clear;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

const LABEL: usize = 14;

pub fn draw(frame: &mut Frame, app: &App, form: &Form, area: Rect) {
    let popup = centered(area, 70, form.fields.len() as u16 + 4);
    frame.render_widget(Clear, popup);
    let block = Block::bordered().title(format!(" {} ", app.tr(form.title)));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let w = inner.width as usize;
    let value_w = w.saturating_sub(LABEL + 1);
    // Room for fields: the rest holds the error line and the hint.
    let rows = (inner.height as usize).saturating_sub(2).max(1);
    let first = form.focus.saturating_sub(rows.saturating_sub(1));
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate().skip(first).take(rows) {
        let focused = i == form.focus;
        let label_style = if field.error.is_some() {
            app.theme.error
        } else {
            app.theme.dim
        };
        // Invalid fields carry a sign, not only a colour (NO_COLOR, 16 colours,
        // colour-blind readers): the style is the theme's, the ✗ is always there.
        let label = match field.error {
            Some(_) => fit(&format!("✗ {}", app.tr(field.label())), LABEL),
            None => fit(app.tr(field.label()), LABEL),
        };
        let (text, cursor_col) = match &field.value {
            FieldValue::Text(input, _) => {
                let scroll = input.visual_scroll(value_w.max(1));
                let shown: String = input.value().chars().skip(scroll).collect();
                (
                    fit(&shown, value_w),
                    input.visual_cursor().saturating_sub(scroll),
                )
            }
            FieldValue::Choice { options, index } => {
                let v = options.get(*index).map(|o| o.0.as_str()).unwrap_or("");
                (fit(&format!("‹ {v} ›"), value_w), 0)
            }
        };
        let value_style = if focused {
            app.theme.selected
        } else {
            app.theme.normal
        };
        if focused && matches!(field.value, FieldValue::Text(..)) {
            cursor = Some((LABEL + 1 + cursor_col, lines.len()));
        }
        lines.push(Line::from(vec![
            Span::styled(label, label_style),
            Span::raw(" "),
            Span::styled(text, value_style),
        ]));
    }
    let focused_error = form.fields.get(form.focus).and_then(|f| f.error.clone());
    let error = form.error.clone().or(focused_error).unwrap_or_default();
    lines.push(Line::styled(truncate(&error, w), app.theme.error));
    let hint = crate::tui::finder::view::form_hint(app, form)
        .unwrap_or_else(|| app.tr("form.hint").to_string());
    lines.push(Line::styled(truncate(&hint, w), app.theme.dim));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((col, row)) = cursor
        && col < w
        && width(app.tr("form.hint")) > 0
    {
        frame.set_cursor_position(Position::new(inner.x + col as u16, inner.y + row as u16));
    }
}
