//! What the points panel reads: the ranking for its period and subtree, and
//! the statement and monthly figures of the member it shows.

use crate::access::{MonthlyEarnedQ, RankingQ, ReadError, Session, StatementQ};
use crate::domain::*;
use crate::tui::app::App;

/// The points panel's ranking, from the monthly aggregates.
pub fn load_ranking(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let Some(period) = app.points.rank_period.period(app.today) else {
        return Ok(());
    };
    app.points.ranking = s.ask(RankingQ {
        org: app.points.rank_unit.or(app.actor.scope),
        period: period.clone(),
        limit: Some(20),
    })?;
    app.points.rank_label = period.label().to_string();
    Ok(())
}

/// The statement and monthly figures the points panel shows for a member.
pub fn load_member_points(s: &Session, app: &mut App, id: MemberId) -> Result<(), ReadError> {
    if app.points.shown != Some(id) {
        app.points.statement_sel = 0;
    }
    app.points.shown = Some(id);
    let mut running = Points::ZERO;
    app.points.statement = s
        .ask(StatementQ(id))?
        .into_iter()
        .map(|e| {
            running += e.points;
            (e, running)
        })
        .collect();
    app.points.monthly = s.ask(MonthlyEarnedQ {
        member: id,
        today: app.today,
        months: 12,
    })?;
    // The evaluation is worked out over the member's branch: only while
    // the statement shows it, not after every quick entry.
    app.points.year = match app.points.show_statement {
        true => Some(s.ask(crate::access::MemberYearQ {
            member: id,
            year: chrono::Datelike::year(&app.today),
        })?),
        false => None,
    };
    Ok(())
}

/// The open evaluation layer's lines, for its year and scope.
pub fn load_evaluation(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let height = super::evaluation::list_height(app);
    let Some(v) = app.eval_view() else {
        return Ok(());
    };
    let q = crate::access::EvaluationQ {
        org: v.org.or(app.actor.scope),
        year: v.year,
    };
    let evaluation = s.ask(q)?;
    if let Some(v) = app.eval_view_mut() {
        v.set_lines(evaluation, height);
    }
    Ok(())
}

/// The open approval queue's rows: the entries waiting within sight.
pub fn load_queue(s: &Session, app: &mut App) -> Result<(), ReadError> {
    if app.queue().is_none() {
        return Ok(());
    }
    let height = super::queue::list_height(app);
    let rows = s.ask(crate::access::PendingQ { org: None })?;
    let login = app.actor.login.clone();
    if let Some(q) = app.queue_mut() {
        q.set_rows(rows, &login, height);
    }
    Ok(())
}

/// The evaluation settings form, filled with the settings in force.
pub fn open_settings(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let settings = s.ask(crate::access::EvaluationSettingsQ)?;
    let form = crate::tui::form::Form::evaluation_settings(app.lang, settings);
    app.layers
        .push(crate::tui::layers::Layer::Form(Box::new(form)));
    Ok(())
}

/// Writes the public notice (公示) of `year` for `org` (the user's scope when
/// `None`) as a printable workbook; what to tell the user, or why not.
pub fn write_notice(
    s: &Session,
    app: &App,
    file: &std::path::Path,
    org: Option<OrgUnitId>,
    year: i32,
) -> Result<String, String> {
    let zh = app.lang == crate::tui::Lang::Zh;
    let unit = org.or(app.actor.scope).or_else(|| app.top_unit());
    let e = s
        .ask(crate::access::EvaluationQ { org: unit, year })
        .map_err(|e| e.to_string())?;
    let name = unit
        .and_then(|u| app.units.get(&u))
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let bytes =
        crate::io::notice::notice_xlsx(&e, &name, None, app.lang).map_err(|e| e.to_string())?;
    crate::io::atomic::write_bytes(file, &bytes).map_err(|e| e.to_string())?;
    let shown = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let waiting: u32 = e.lines.iter().map(|l| l.pending).sum();
    Ok(match zh {
        true => format!(
            "已写出公示 {}（{} 名党员，{waiting} 条待审核）",
            shown.display(),
            e.lines.len()
        ),
        false => format!(
            "wrote the notice {} ({} members, {waiting} entries waiting for approval)",
            shown.display(),
            e.lines.len()
        ),
    })
}
