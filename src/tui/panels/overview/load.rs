//! What the overview panel reads: its figures, computed here or taken from
//! the background computation that started with the TUI.

use crate::access::{OverviewQ, ReadError, Session};
use crate::tui::action::Panel;
use crate::tui::app::App;

/// The overview's figures for its period and subtree: kept when they are
/// still those, left to the background when it is computing them, else
/// computed here.
pub fn load_overview(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let key = super::wanted(app);
    if app.overview.data.is_some() && app.overview.loaded == Some(key) {
        return Ok(());
    }
    if let Some(at) = app.overview.ready.iter().position(|(k, _)| *k == key) {
        let (_, data) = app.overview.ready.swap_remove(at);
        app.overview.data = Some(data);
        app.overview.loaded = Some(key);
        return Ok(());
    }
    if app.overview.pending.contains(&key) {
        app.overview.data = None;
        return Ok(());
    }
    let Some((scope, period)) = super::request(app, key) else {
        return Ok(());
    };
    app.overview.data = Some(s.ask(overview_query(scope, period, app.today))?);
    app.overview.loaded = Some(key);
    Ok(())
}

/// A result of the background computation arrived: shown if it is what the
/// panel wants, kept for later if it is still current, else dropped; a panel
/// left waiting for something no longer coming computes it now.
pub fn overview_arrived(
    s: &Session,
    app: &mut App,
    key: super::OverviewKey,
    result: Result<crate::report::overview::Overview, ReadError>,
) {
    app.overview.pending.retain(|k| *k != key);
    app.overview
        .ready
        .retain(|(k, _)| k.generation == app.generation);
    match result {
        Ok(data) if key == super::wanted(app) => {
            app.overview.data = Some(data);
            app.overview.loaded = Some(key);
        }
        Ok(data) if key.generation == app.generation => app.overview.ready.push((key, data)),
        Ok(_) => {}
        Err(e) => app.status = e.to_string(),
    }
    let waiting = app.panel == Panel::Overview && app.overview.data.is_none();
    if waiting
        && !app.overview.pending.contains(&super::wanted(app))
        && let Err(e) = load_overview(s, app)
    {
        app.status = e.to_string();
    }
}

/// The question for an overview of `scope` over `period`.
pub fn overview_query(
    scope: crate::report::points::Scope,
    period: crate::report::period::Period,
    today: chrono::NaiveDate,
) -> OverviewQ {
    use crate::report::points::Scope;
    OverviewQ {
        org: match scope {
            Scope::Community => None,
            Scope::Subtree(u) => Some(u),
        },
        period,
        today,
    }
}
