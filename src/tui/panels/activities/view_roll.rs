//! The roll over the activities panel: a mark column, name, building-room,
//! unit and where each stands; the counts and the marked count in the
//! footer. And the "not yet arrived" column check-in mode shows beside its
//! line.

use super::roll::{self, Roll, Standing};
use crate::tui::app::App;
use crate::tui::text::{fit, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

fn standing_key(s: Standing) -> &'static str {
    match s {
        Standing::Waiting => "roll.waiting",
        Standing::Absent => "roll.absent",
        Standing::Present => "roll.present",
    }
}

pub fn draw_roll(frame: &mut Frame, app: &App, r: &Roll, area: Rect) {
    frame.render_widget(Clear, area);
    let rows = roll::rows(app, r.activity, &r.invitees);
    let count = |s: Standing| rows.iter().filter(|x| x.1 == s).count();
    let title = app
        .activities
        .rows
        .iter()
        .find(|x| x.activity.id == r.activity)
        .map(|x| x.activity.data.title.clone())
        .unwrap_or_default();
    let block = Block::bordered().title(format!(
        " {} · {title} · {} {} · {} {} · {} {} ",
        app.tr("roll.title"),
        app.tr("roll.waiting"),
        count(Standing::Waiting),
        app.tr("roll.present"),
        count(Standing::Present),
        app.tr("roll.absent"),
        count(Standing::Absent),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let list_h = (inner.height as usize).saturating_sub(1);
    let mut lines: Vec<Line> = Vec::new();
    for (k, &(i, standing)) in rows.iter().enumerate().skip(r.cursor.offset).take(list_h) {
        let id = app.members[i].id;
        let mark = if r.marks.contains(&id) { "●" } else { " " };
        let text = format!(
            "{mark} {} {}",
            crate::tui::finder::view::match_text(app, i),
            app.tr(standing_key(standing))
        );
        let style = if k == r.cursor.selected {
            app.theme.selected
        } else if standing == Standing::Waiting {
            app.theme.normal
        } else {
            app.theme.dim
        };
        lines.push(Line::styled(truncate(&text, w), style));
    }
    while lines.len() < list_h {
        lines.push(Line::raw(""));
    }
    let range = if r.marks.anchor.is_some() {
        " · V"
    } else {
        ""
    };
    let footer = format!(
        "{} {}{range} · {}",
        app.tr("roll.marked"),
        r.marks.len(),
        app.tr("roll.hint")
    );
    lines.push(Line::styled(truncate(&footer, w), app.theme.dim));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Check-in's right-hand column: who is expected and not yet in.
pub fn draw_waiting(
    frame: &mut Frame,
    app: &App,
    activity: crate::domain::ActivityId,
    invitees: &[usize],
    area: Rect,
) {
    let waiting = roll::waiting(app, activity, invitees);
    let block = Block::bordered().title(format!(" {} {} ", app.tr("roll.waiting"), waiting.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let lines: Vec<Line> = waiting
        .iter()
        .take(inner.height as usize)
        .map(|&i| {
            let d = &app.members[i];
            Line::raw(fit(
                &format!("{} {}", fit(&d.name, 8), d.address_short()),
                w,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
