//! Leaving, one level at a time. Esc never quits: on a line with text it
//! clears the text, on a layer it closes it, on a panel it goes back where
//! the user came from (the attendance list to the activities, an overview
//! drill-down to the overview). Only `q` on a panel quits, and it and Ctrl-C
//! ask first when anything typed would be lost. This module owns those rules
//! and the question of what counts as unsaved; the layers call `clear_or_close`
//! style helpers of their own.

use super::action::{Effect, Panel};
use super::app::{App, Confirm, Layer};

/// Whether quitting now would lose something typed: a changed form, text in
/// the check-in, search, points or file-name line.
pub fn unsaved(app: &App) -> bool {
    let layers = app.layers.iter().any(|l| match l {
        Layer::Form(f) => f.dirty,
        Layer::CheckIn(ci) => !ci.input.value().is_empty(),
        Layer::Search => app.search.as_ref().is_some_and(|s| !s.value().is_empty()),
        Layer::Io(s) => super::import::typed(s),
        _ => false,
    });
    layers || app.points.typed()
}

/// `q` on a panel: quit, or ask first when something would be lost.
pub fn quit(app: &mut App) {
    if unsaved(app) {
        app.layers.push(Layer::Confirm(Confirm::Quit));
    } else {
        app.quit = true;
    }
}

/// Ctrl-C anywhere: as `q`, and a second Ctrl-C on the question quits.
pub fn force_quit(app: &mut App) {
    if matches!(app.layers.last(), Some(Layer::Confirm(Confirm::Quit))) {
        app.quit = true;
    } else {
        quit(app);
    }
}

/// Esc on a panel (no layer took it): back one level, never out.
pub fn back(app: &mut App) -> Option<Effect> {
    if app.search.is_some() {
        app.search = None;
        app.refilter();
    } else if app.panel == Panel::Members && app.roster_filter.is_some() {
        app.roster_filter = None;
        app.status.clear();
        app.refilter();
        return return_to(app);
    } else if app.detail {
        app.detail = false;
    } else if app.revealed.is_some() {
        app.revealed = None;
    } else if app.panel == Panel::Activities && app.activities.detail {
        app.activities.detail = false;
    } else if app.back_to.is_some() {
        return return_to(app);
    } else {
        app.status = app.tr("msg.q_quits").to_string();
    }
    None
}

/// Back to the panel a drill-down came from, if it came from one.
fn return_to(app: &mut App) -> Option<Effect> {
    let panel = app.back_to.take()?;
    app.panel = panel;
    super::app::load_panel(app)
}
