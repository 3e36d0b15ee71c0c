//! The overview panel: activation by category with the served share as bars,
//! the 12-month trend as a sparkline, coverage and workload lines, and points
//! by branch as bars beside them. Text only, so it reads the same in 16
//! colours, under NO_COLOR and over a slow link.

use crate::report::overview::activation::percent;
use crate::report::overview::{CategoryRow, Overview};
use crate::tui::app::App;
use crate::tui::panels::overview::Figure;
use crate::tui::text::{fit, truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A horizontal bar `cols` wide, filled to `part / whole` in eighths.
pub fn bar(part: u64, whole: u64, cols: usize) -> String {
    const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    if whole == 0 || cols == 0 {
        return " ".repeat(cols);
    }
    let eighths =
        ((part.min(whole) as u128 * cols as u128 * 8 + whole as u128 / 2) / whole as u128) as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(EIGHTHS[eighths % 8 - 1]);
    }
    let used = s.chars().count();
    s.push_str(&" ".repeat(cols.saturating_sub(used)));
    s
}

/// One character per value, 0..=100 as ▁..█.
pub fn sparkline(percents: &[u64]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    percents
        .iter()
        .map(|p| LEVELS[((*p).min(100) as usize * 7 + 50) / 100])
        .collect()
}

fn right(s: &str, cols: usize) -> String {
    let w = width(s);
    if w >= cols {
        truncate(s, cols)
    } else {
        format!("{}{s}", " ".repeat(cols - w))
    }
}

/// Column widths of the activation table: category, members, reported,
/// served, the served bar, average, median, idle all year.
fn columns(total: usize) -> [usize; 8] {
    let fixed = [10, 7, 10, 10, 0, 7, 7, 7];
    let used: usize = fixed.iter().sum::<usize>() + 7;
    let bar = total.saturating_sub(used).min(14);
    [10, 7, 10, 10, bar, 7, 7, 7]
}

fn count_share(part: u64, whole: u64) -> String {
    format!("{part} {:>3}%", percent(part, whole))
}

fn category_line(app: &App, row: &CategoryRow, cols: &[usize; 8]) -> String {
    let name = match row.category {
        Some(c) => c.label(app.lang),
        None => app.tr("ov.all"),
    };
    let mut cells = vec![
        fit(name, cols[0]),
        right(&row.members.to_string(), cols[1]),
        right(&count_share(row.reported, row.members), cols[2]),
        right(&count_share(row.served, row.members), cols[3]),
    ];
    if cols[4] > 0 {
        cells.push(bar(row.served, row.members, cols[4]));
    }
    cells.extend([
        right(&row.avg_points.to_string(), cols[5]),
        right(&row.median_points.to_string(), cols[6]),
        right(&row.idle_year.to_string(), cols[7]),
    ]);
    cells.join(" ")
}

/// The left-hand lines and, for each, the figure it selects.
fn lines(app: &App, data: &Overview, w: usize) -> Vec<(String, Option<Figure>, Style)> {
    let a = &data.activation;
    let c = &data.coverage;
    let wl = &data.workload;
    let t = &app.theme;
    let cols = columns(w);
    let mut out: Vec<(String, Option<Figure>, Style)> = Vec::new();
    let mut head = vec![
        fit(app.tr("ov.col.category"), cols[0]),
        right(app.tr("ov.col.members"), cols[1]),
        right(app.tr("ov.col.reported"), cols[2]),
        right(app.tr("ov.col.served"), cols[3]),
    ];
    if cols[4] > 0 {
        head.push(" ".repeat(cols[4]));
    }
    head.extend([
        right(app.tr("ov.col.avg"), cols[5]),
        right(app.tr("ov.col.median"), cols[6]),
        right(app.tr("ov.col.idle"), cols[7]),
    ]);
    out.push((head.join(" "), None, t.header));
    for (row, figure) in a.rows.iter().zip(Figure::ALL.iter()) {
        out.push((category_line(app, row, &cols), Some(*figure), t.normal));
    }
    let shares: Vec<u64> = a
        .trend
        .iter()
        .map(|m| percent(m.served, m.members))
        .collect();
    let last = shares.last().copied().unwrap_or(0);
    out.push((
        format!(
            "{} {} {last}%",
            fit(app.tr("ov.trend"), 18),
            sparkline(&shares)
        ),
        None,
        t.normal,
    ));
    let total = a.total();
    let (not_reported, idle) = (a.not_reported.len(), total.map_or(0, |r| r.idle_year));
    out.push((
        format!("{} {not_reported:>6}", fit(app.tr("ov.not_reported"), 18)),
        Some(Figure::NotReported),
        t.normal,
    ));
    out.push((
        format!("{} {idle:>6}", fit(app.tr("ov.idle_year"), 18)),
        Some(Figure::IdleYear),
        t.normal,
    ));
    out.push((app.tr("ov.coverage").to_string(), None, t.title));
    let known = c.buildings_known.len() as u64;
    let covered = c.buildings_covered.len() as u64;
    let mut uncovered = c.buildings_without_group.join(",");
    if !uncovered.is_empty() {
        uncovered = format!(": {uncovered}");
    }
    out.push((
        format!(
            "{} {covered}/{known} {}% · {} {}{uncovered}",
            app.tr("ov.buildings"),
            percent(covered, known),
            app.tr("ov.without_group"),
            c.buildings_without_group.len(),
        ),
        Some(Figure::BuildingsUncovered),
        t.normal,
    ));
    let counted = [
        (
            "ov.no_group",
            c.members_without_group.len(),
            Figure::MembersWithoutGroup,
        ),
        (
            "ov.no_leader",
            c.groups_without_leader.len(),
            Figure::GroupsWithoutLeader,
        ),
        (
            "ov.no_secretary",
            c.branches_without_secretary.len(),
            Figure::BranchesWithoutSecretary,
        ),
        (
            "ov.unpaired",
            c.beneficiaries_unpaired.len(),
            Figure::Unpaired,
        ),
    ];
    for (key, n, figure) in counted {
        let style = if n > 0 { t.warn } else { t.normal };
        out.push((
            format!("{} {n:>6}", fit(app.tr(key), 28)),
            Some(figure),
            style,
        ));
    }
    out.push((app.tr("ov.workload").to_string(), None, t.title));
    out.push((
        format!(
            "{} {:>6} · {} {}",
            fit(app.tr("ov.tasks"), 28),
            wl.open,
            app.tr("ov.overdue"),
            wl.overdue
        ),
        Some(Figure::TasksOverdue),
        if wl.overdue > 0 { t.warn } else { t.normal },
    ));
    let visits = wl.visits_overdue.len();
    out.push((
        format!("{} {visits:>6}", fit(app.tr("ov.visits"), 28)),
        Some(Figure::VisitsOverdue),
        if visits > 0 { t.warn } else { t.normal },
    ));
    out
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let w = area.width as usize;
    let p = &app.overview;
    let scope = p
        .unit
        .or(app.actor.scope)
        .or_else(|| app.top_unit())
        .and_then(|u| app.units.get(&u))
        .map(|u| u.name.as_str())
        .unwrap_or("");
    // While the figures are computed, the period they will be for.
    let label = match &p.data {
        Some(d) => d.activation.period.clone(),
        None => p
            .period
            .period(app.today)
            .map(|x| x.label().to_string())
            .unwrap_or_default(),
    };
    let title = format!("{} · {label} · {scope}", app.tr("ov.title"));
    let hint = app.tr("ov.hint");
    let gap = w.saturating_sub(width(&title) + width(hint));
    let mut top = vec![Span::styled(truncate(&title, w), app.theme.title)];
    if gap >= 2 {
        top.push(Span::raw(" ".repeat(gap)));
        top.push(Span::styled(hint, app.theme.dim));
    }
    let Some(data) = &p.data else {
        let text = vec![
            Line::from(top),
            Line::styled(app.tr("ov.loading"), app.theme.dim),
        ];
        frame.render_widget(Paragraph::new(text), area);
        return;
    };
    let body_h = (area.height as usize).saturating_sub(1);
    let all = lines(app, data, w);
    let selected_line = all
        .iter()
        .position(|(_, f, _)| *f == Some(p.figure()))
        .unwrap_or(0);
    let offset = (selected_line + 1).saturating_sub(body_h);
    // Points by branch, beside the coverage and workload lines when they fit.
    let split = all
        .iter()
        .position(|(_, f, _)| *f == Some(Figure::BuildingsUncovered))
        .unwrap_or(all.len());
    let right_w = if w >= 72 { 30 } else { 0 };
    let left_w = w - right_w;
    let mut text = vec![Line::from(top)];
    let branch_lines = branch_bars(app, data, right_w);
    for (i, (s, figure, style)) in all.iter().enumerate().skip(offset).take(body_h) {
        let style = if figure.is_some() && *figure == Some(p.figure()) {
            app.theme.selected
        } else {
            *style
        };
        let mut spans = Vec::new();
        if i + 1 >= split && right_w > 0 {
            spans.push(Span::styled(fit(s, left_w), style));
            if let Some(b) = branch_lines.get(i + 1 - split) {
                spans.push(b.clone());
            }
        } else {
            spans.push(Span::styled(truncate(s, w), style));
        }
        text.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(text), area);
}

/// `cols`-wide lines: a title, then each branch's points as a bar.
fn branch_bars<'a>(app: &App, data: &Overview, cols: usize) -> Vec<Span<'a>> {
    if cols == 0 {
        return Vec::new();
    }
    let max = data
        .points_by_branch
        .iter()
        .map(|(_, _, p)| p.0.max(0) as u64)
        .max()
        .unwrap_or(0);
    let mut out = vec![Span::styled(
        fit(&format!("  {}", app.tr("ov.by_branch")), cols),
        app.theme.title,
    )];
    for (_, name, points) in &data.points_by_branch {
        let value = format!("{:.0}", points.0 as f64 / 100.0);
        let bar_w = cols.saturating_sub(2 + 10 + 1 + 7);
        out.push(Span::styled(
            format!(
                "  {} {}{}",
                fit(name, 10),
                bar(points.0.max(0) as u64, max, bar_w),
                right(&value, 7)
            ),
            app.theme.normal,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_eighths_and_keep_their_width() {
        assert_eq!(bar(0, 10, 4), "    ");
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██  ");
        assert_eq!(bar(1, 16, 2), "▏ ");
        assert_eq!(bar(3, 0, 3), "   ");
        assert_eq!(bar(20, 10, 2), "██");
    }

    #[test]
    fn sparkline_maps_shares_to_eight_levels() {
        assert_eq!(sparkline(&[0, 50, 100]), "▁▅█");
        assert_eq!(sparkline(&[]), "");
    }
}
