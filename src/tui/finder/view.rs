//! The pick list over a tie, and the one line a member match is drawn as
//! everywhere: name, building-room, unit (and whatever the caller adds).

use super::PickMember;
use crate::tui::app::App;
use crate::tui::text::{fit, truncate};
use crate::tui::views::centered;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

/// A member as a match line: name, building-room, unit.
pub fn match_text(app: &App, index: usize) -> String {
    let Some(row) = app.members.get(index) else {
        return String::new();
    };
    let d = &row;
    let unit = app
        .units
        .get(&d.unit)
        .map(|u| u.name.as_str())
        .unwrap_or("");
    format!(
        "{} {} {}",
        fit(&d.name, 8),
        fit(&d.address_short(), 11),
        fit(unit, 14)
    )
}

/// The pick list: numbered rows (1–9 choose at once), ↑↓ and Enter.
pub fn draw(frame: &mut Frame, app: &App, pick: &PickMember, area: Rect) {
    let inner_w: usize = 52;
    let room = (area.height as usize).saturating_sub(4).max(1);
    let first = pick.selected.saturating_sub(room.saturating_sub(1));
    let checkin = match &pick.purpose {
        super::PickFor::CheckIn(a) => app.activities.attendees(*a),
        _ => None,
    };
    let mut lines: Vec<Line> = Vec::new();
    for (k, &i) in pick.candidates.iter().enumerate().skip(first).take(room) {
        let digit = if k < 9 {
            format!("{} ", k + 1)
        } else {
            "  ".to_string()
        };
        let here = checkin.is_some_and(|att| {
            app.members
                .get(i)
                .is_some_and(|r| att.present.contains_key(&r.id))
        });
        let mark = if here { app.tr("act.already") } else { "" };
        let text = format!("{digit}{} {mark}", match_text(app, i));
        let style = if k == pick.selected {
            app.theme.selected
        } else if here {
            app.theme.dim
        } else {
            app.theme.normal
        };
        lines.push(Line::styled(fit(&text, inner_w), style));
    }
    lines.push(Line::styled(
        truncate(app.tr("finder.pick_hint"), inner_w),
        app.theme.dim,
    ));
    let popup = centered(area, inner_w as u16 + 2, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    let title = format!(
        " {} · {} ",
        app.tr("finder.pick_title"),
        pick.candidates.len()
    );
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        popup,
    );
}

/// Under a focused member field, in place of the form's hint: who the text
/// finds (the first few, name and building-room), the member it settled on,
/// or the suggestions it started with.
pub fn form_hint(app: &App, form: &crate::tui::form::Form) -> Option<String> {
    let field = form.focused_member_field()?;
    if let Some(m) = form.chosen_member(field) {
        let shown = app.member_index.get(&m).map(|&i| match_text(app, i))?;
        let others = form
            .suggested
            .iter()
            .find(|s| s.0 == field)
            .map(|s| {
                s.1.iter()
                    .skip(1)
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .filter(|o| !o.is_empty())
            .map(|o| format!(" · {} {o}", app.tr("finder.others")))
            .unwrap_or_default();
        return Some(format!("✓ {}{others}", shown.trim_end()));
    }
    let m = &form.member_matches;
    if m.is_empty() {
        return None;
    }
    let names: Vec<String> = m
        .list
        .iter()
        .filter_map(|&i| app.members.get(i))
        .map(|r| format!("{} {}", r.name, r.address_short()))
        .collect();
    Some(format!("→ {}", names.join(" | ")))
}
