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
    Ok(())
}
