//! The terminal interface: one event loop, event → `Action` → `update(app)` →
//! `draw(app)`, generic over the ratatui `Backend` so tests run it headless.
//! The runner here is the only part that talks to the store (through `ops`):
//! it loads the state, applies the `Command`s that `update` hands it, and
//! refreshes what they changed. Views draw from state alone.

pub mod action;
pub mod app;
pub mod changes;
pub mod cursor;
pub mod exits;
pub mod finder;
pub mod form;
pub mod i18n;
pub mod import;
pub mod input;
pub mod keymap;
pub mod layers;
pub mod live;
pub mod marks;
pub mod panels;
pub mod period;
pub mod reload;
pub mod row;
pub mod text;
pub mod theme;
pub mod users;
pub mod views;
pub mod words;

pub use action::Action;
pub use app::App;
pub use i18n::Lang;
pub use live::{Msg, RosterPage};

use crate::access::{ReadError, RosterQ, RulesQ, Session, VisibleUnitsQ};
use crate::domain::finder::FinderEntry;
use crate::ops::{self, Command};
use action::{Effect, Origin, Panel, Via};
use app::{Layer, MemberRow};
use crossterm::event::{Event, KeyEventKind};
use keymap::KeyContext;
use panels::activities::load::{load_activities, open_activity};
use panels::overview::load::{load_overview, overview_arrived, overview_query};
use panels::pairing::load::load_care;
use panels::points::load::{load_member_points, load_ranking};
use ratatui::Terminal;
use ratatui::backend::Backend;

/// Loads everything the panels show, as the store lets this user see it.
pub fn load(s: &Session, app: &mut App) -> Result<(), ReadError> {
    begin(s, app)?;
    app.roster_load = Some(roster_read(s)?);
    app.roster_whole();
    Ok(())
}

/// The whole roster read at once, as a load that has arrived (the first
/// load; a reload after many members changed, `reload::members_changed`).
pub(crate) fn roster_read(s: &Session) -> Result<app::RosterLoad, ReadError> {
    let mut load = app::RosterLoad::default();
    read_roster(s, |rows| {
        load.add(rows);
        true
    })?;
    Ok(load)
}

/// What the first frame needs (the units, the points rules), with the roster
/// left arriving (`App::roster_load`): `run` reads it in the background.
pub fn begin(s: &Session, app: &mut App) -> Result<(), ReadError> {
    app.roster_load = Some(app::RosterLoad::default());
    app.set_units(s.ask(VisibleUnitsQ)?);
    app.rules = s.ask(RulesQ)?.into_iter().filter(|r| r.active).collect();
    Ok(())
}

/// The roster as this user may see it, a page at a time (what is held while
/// reading is one page's rows), each handed to `page` until it says stop.
pub fn read_roster(
    s: &Session,
    mut page: impl FnMut(Vec<(MemberRow, FinderEntry)>) -> bool,
) -> Result<(), ReadError> {
    const PAGE: u32 = 20_000;
    let mut after = None;
    loop {
        let rows: Vec<_> = s
            .ask(RosterQ { after, limit: PAGE })?
            .into_iter()
            .map(MemberRow::received)
            .collect();
        let full = rows.len() as u32 == PAGE;
        after = rows.last().map(|r| r.0.id);
        if !page(rows) || !full {
            return Ok(());
        }
    }
}

/// A page of the roster arrived from the background (`read_roster`); after
/// the last, the members changed meanwhile are read again and the keys held
/// are handled, in the order typed. A roster that could not be read is said
/// on the status line; the keys are handled all the same.
fn roster_arrived(
    s: &Session,
    app: &mut App,
    page: Result<RosterPage, ReadError>,
) -> std::io::Result<()> {
    let load = match page {
        Ok(RosterPage::Rows(rows)) => {
            app.roster_page(rows);
            return Ok(());
        }
        Ok(RosterPage::Whole) => app.roster_whole(),
        Err(e) => {
            app.status = e.in_lang(app.lang == Lang::Zh);
            app.roster_load.take().map(|mut load| {
                load.changed.clear();
                load
            })
        }
    };
    let Some(load) = load else { return Ok(()) };
    let changed: Vec<_> = load.changed.into_iter().collect();
    if let Err(e) = reload::members_changed(s, app, &changed) {
        app.status = e.in_lang(app.lang == Lang::Zh);
    }
    for ev in load.held {
        handle(s, app, Msg::Term(ev))?;
    }
    Ok(())
}

/// Whether a terminal event waits for the roster (it is still arriving):
/// then it is kept to be handled once the roster is whole. Quitting, the
/// help and moving about the organisation tree (its first frame) do not
/// wait, unless keys typed before them do: the order typed is kept. Ctrl-C
/// never waits.
fn hold(app: &mut App, ev: &Event) -> bool {
    let Some(load) = app.roster_load.as_ref() else {
        return false;
    };
    let action = match ev {
        Event::Paste(_) => None,
        _ => action_for(app, ev),
    };
    if action == Some(Action::ForceQuit) {
        return false;
    }
    let moves = |a: &Action| {
        matches!(
            a,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End
        )
    };
    let free = load.held.is_empty()
        && !matches!(ev, Event::Paste(_))
        && match &action {
            None => true,
            Some(Action::Quit | Action::Help | Action::Resize(..)) => true,
            // The help scrolls and closes; nothing else it could do.
            Some(a) if matches!(app.layers.last(), Some(Layer::Help)) => {
                moves(a) || *a == Action::Back
            }
            Some(a) if app.panel == Panel::Org && app.layers.is_empty() => {
                moves(a) || matches!(a, Action::Expand | Action::Collapse)
            }
            Some(_) => false,
        };
    if !free && let Some(load) = app.roster_load.as_mut() {
        load.held.push(ev.clone());
    }
    !free
}

/// Reads the selected member's whole record when something on screen needs
/// it (the detail pane) and it is not held yet.
pub fn full_record(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let wanted = match app.panel {
        Panel::Members if app.detail => app.selected_member().map(|r| r.id),
        _ => None,
    };
    if wanted.is_none() || app.full.as_ref().map(|f| f.id) == wanted {
        return Ok(());
    }
    app.full = match wanted {
        Some(id) => s.ask(crate::access::MemberQ(id))?.map(Box::new),
        None => None,
    };
    Ok(())
}

/// The first load, and on a store with no organisation yet the form that
/// sets up its committee (see `panels::org::first_start`).
pub fn start(s: &Session, app: &mut App) -> Result<(), ReadError> {
    load(s, app)?;
    panels::org::first_start(app);
    Ok(())
}

/// `start` with the roster left to arrive (`begin`): what `run` does.
fn start_begun(s: &Session, app: &mut App) -> Result<(), ReadError> {
    begin(s, app)?;
    panels::org::first_start(app);
    Ok(())
}

fn context(app: &App) -> KeyContext {
    layers::context(app)
}

/// Turns one terminal event into an action for the current context.
pub fn action_for(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => keymap::resolve(*k, context(app)),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        _ => None,
    }
}

/// Applies an action and any command it asks for.
pub fn step(s: &Session, app: &mut App, action: Action) {
    match app::update(app, action) {
        Some(Effect::Apply { cmd, via }) => match s.apply(&cmd) {
            Ok(done) => {
                let reloaded = reload::reload(s, app, &done.touched, Origin::Own)
                    .and_then(|()| reload::own(s, app, &cmd, &done));
                if let Err(e) = reloaded {
                    app.status = e.to_string();
                }
                let waits = matches!(cmd, Command::RecordPoints { .. })
                    && done.touched.touches(crate::ops::Area::Approvals)
                    && !done.touched.touches(crate::ops::Area::Points);
                let what = match via {
                    Via::Undo => app.tr("msg.undone"),
                    _ if waits => app.tr("points.pending_recorded"),
                    _ => crate::ops::words::done(&cmd, app.lang),
                };
                let mut message = crate::ops::words::said(what, &done.subject);
                if via != Via::Undo && crate::ops::words::points_wait(&cmd, &done) {
                    message.push_str(crate::ops::words::points_wait_words(app.lang));
                }
                app::applied(app, via, &cmd, message, done.inverse);
            }
            Err(e) => {
                // Refusals come in both languages; say them in the interface's.
                let said = e.in_lang(app.lang == Lang::Zh);
                if matches!(cmd, Command::RecordReveal { .. }) {
                    app.revealed = None;
                }
                if via == Via::PointsLine {
                    app.points.error = Some(panels::points::LineError::Text(said.clone()));
                }
                if let Command::CheckIn { activity, member } = &cmd {
                    let again = app
                        .activities
                        .attendees(*activity)
                        .is_some_and(|a| a.present.contains_key(member));
                    let name = reload::member_name(app, *member);
                    let warning = if again {
                        format!("{name} {}", app.tr("act.duplicate"))
                    } else {
                        said.clone()
                    };
                    // The line is cleared for the next person, the warning kept.
                    if let Some(ci) = app.checkin_mut() {
                        ci.input.reset();
                        ci.matches.clear();
                        ci.warning = Some(warning);
                    }
                }
                app::refused(app, via, said)
            }
        },
        Some(Effect::EditMember(id)) => match s.ask(crate::access::MemberQ(id)) {
            Ok(Some(member)) => {
                let form = form::Form::edit_member(app.lang, &app.units, app.actor.scope, &member);
                app.full = Some(Box::new(member));
                app.layers.push(Layer::Form(Box::new(form)));
            }
            Ok(None) => app.status = app.tr("msg.member_gone").to_string(),
            Err(e) => app.status = e.in_lang(app.lang == Lang::Zh),
        },
        Some(Effect::ShowMember(id)) => {
            if let Err(e) = load_member_points(s, app, id) {
                app.status = e.to_string();
            }
        }
        Some(Effect::SuggestPairing(b)) => {
            if let Err(e) = panels::pairing::load::suggest(s, app, b) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadCare) => {
            if let Err(e) = load_care(s, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadRanking) => {
            if let Err(e) = load_ranking(s, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadActivities) => {
            if let Err(e) = load_activities(s, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadOverview) => {
            if let Err(e) = load_overview(s, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::Io(effect)) => import::run(s, app, effect),
        Some(Effect::OpenUsers) => {
            let users = users::Users::open(s, app.list_height);
            app.layers.push(Layer::Users(Box::new(users)));
        }
        Some(Effect::OpenChanges) => {
            let changes = changes::Changes::open(s, app.list_height);
            app.layers.push(Layer::Changes(Box::new(changes)));
        }
        Some(Effect::LoadEvaluation) => {
            if let Err(e) = panels::points::load::load_evaluation(s, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadApprovals) => {
            if let Err(e) = panels::points::load::load_queue(s, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::OpenEvalSettings) => {
            if let Err(e) = panels::points::load::open_settings(s, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::OrgLife(effect)) => panels::orglife::load::run(s, app, effect),
        Some(Effect::ApplyAll { cmds, via }) => marks::apply_all(s, app, cmds, via),
        Some(Effect::OpenRedeem(member)) => match s.ask(crate::access::RewardsQ) {
            Ok(rewards) => panels::points::ledger::open_redeem(app, rewards, member),
            Err(e) => app.status = e.to_string(),
        },
        Some(Effect::OpenActivity(id)) => {
            if let Err(e) = open_activity(s, app, id) {
                app.status = e.to_string();
            }
        }
        None => {}
    }
}

/// The one event loop, on any backend: draws, takes the next message from
/// `next`, handles it, until the user quits or `next` has nothing more (the
/// real terminal blocks on the channel; tests and the benchmark hand it what
/// they queued and get the screen back).
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &Session,
    app: &mut App,
    mut next: impl FnMut(&App) -> Option<Msg>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app::update(app, Action::Resize(size.width, size.height));
    loop {
        terminal.draw(|f| views::draw(f, app))?;
        if app.quit {
            return Ok(());
        }
        let Some(msg) = next(app) else {
            return Ok(());
        };
        handle(session, app, msg)?;
    }
}

/// One message: a key becomes an action for the current context, notices
/// reload what they touched, a background result is shown or kept.
pub fn handle(s: &Session, app: &mut App, msg: Msg) -> std::io::Result<()> {
    match msg {
        Msg::Term(ev) if hold(app, &ev) => {}
        Msg::Term(crossterm::event::Event::Paste(text)) => {
            // A paste is typed into whatever has the keys, character by
            // character; its line breaks are not Enter (nothing saves by itself).
            for c in text.chars().filter(|c| !c.is_control()) {
                let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
                if let Some(action) = action_for(app, &crossterm::event::Event::Key(key)) {
                    step(s, app, action);
                }
            }
        }
        Msg::Term(ev) => {
            if let Some(action) = action_for(app, &ev) {
                step(s, app, action);
            }
        }
        Msg::TermFailed(e) => return Err(e),
        Msg::Notices {
            notices,
            own_client,
        } => {
            let heard: Vec<&ops::Touched> = notices
                .iter()
                .filter(|n| n.client != own_client)
                .map(|n| &n.touched)
                .collect();
            let others = !heard.is_empty();
            if let Err(e) = reload::reload_all(s, app, &heard, Origin::Other) {
                app.status = e.to_string();
            }
            // The overview sums everything: once per batch, not per notice.
            if others
                && app.panel == Panel::Overview
                && let Err(e) = load_overview(s, app)
            {
                app.status = e.to_string();
            }
            let height = app.list_height;
            for layer in app.layers.iter_mut() {
                if let Layer::Changes(c) = layer {
                    c.reload(s, height);
                }
            }
        }
        Msg::FeedLost(e) => {
            app.status = match app.lang {
                Lang::Zh => format!("与服务器的连接已断开：{}", e.in_lang(true)),
                Lang::En => format!("lost the server: {e}"),
            };
        }
        Msg::Overview(key, result) => overview_arrived(s, app, key, result),
        Msg::OverviewDone => app.overview.pending.clear(),
        Msg::Roster(page) => roster_arrived(s, app, page)?,
    }
    // Whatever moved the selection, the detail pane shows the record.
    if let Err(e) = full_record(s, app) {
        app.status = e.in_lang(app.lang == Lang::Zh);
    }
    Ok(())
}

/// Opens the TUI on a real terminal; the terminal is restored on every exit,
/// panics included (ratatui's `init` installs a restoring panic hook). Through
/// a server, other people's changes show as they are made.
pub fn run(session: &Session, lang: Lang) -> anyhow::Result<()> {
    let mut app = App::new(
        session.actor().clone(),
        lang,
        session.path().display().to_string(),
    );
    start_begun(session, &mut app)?;
    let (tx, rx) = std::sync::mpsc::channel();
    if let Err(e) = live::subscribe(session, tx.clone()) {
        app.status = e;
    }
    std::thread::scope(|s| {
        // The roster arrives while the first frame is up; then the overview
        // (it sums the whole store): this month's, quarter's and year's are
        // computed while the user looks at the first panel, so `6` and `p`
        // show them at once.
        let month = panels::overview::wanted(&app);
        use period::RankPeriod;
        let keys: Vec<panels::overview::OverviewKey> =
            [RankPeriod::Month, RankPeriod::Quarter, RankPeriod::Year]
                .into_iter()
                .map(|period| panels::overview::OverviewKey { period, ..month })
                .collect();
        let jobs: Vec<_> = keys
            .iter()
            .filter_map(|k| Some((*k, panels::overview::request(&app, *k)?)))
            .collect();
        let today = app.today;
        app.overview.pending = jobs.iter().map(|(k, _)| *k).collect();
        let background = tx.clone();
        s.spawn(move || {
            // Nobody listening any more (the user quit): stop.
            let tx = background;
            let read = read_roster(session, |rows| {
                tx.send(Msg::Roster(Ok(RosterPage::Rows(rows)))).is_ok()
            });
            let sent = match read {
                Ok(()) => tx.send(Msg::Roster(Ok(RosterPage::Whole))),
                Err(e) => tx.send(Msg::Roster(Err(e))),
            };
            if sent.is_err() || jobs.is_empty() {
                return;
            }
            for (key, (scope, period)) in jobs {
                let result = session.ask(overview_query(scope, period, today));
                // The session may have ended meanwhile: nobody to tell.
                if tx.send(Msg::Overview(key, result)).is_err() {
                    return;
                }
            }
            let _ = tx.send(Msg::OverviewDone);
        });
        let mut terminal = ratatui::init();
        live::read_terminal(tx);
        let mut held = None;
        let result = run_loop(&mut terminal, session, &mut app, |_| {
            let first = held.take().or_else(|| rx.recv().ok())?;
            Some(live::gathered(first, &rx, &mut held))
        });
        // Restored before the scope waits for a computation still running;
        // with nobody listening, it stops after the overview in hand.
        ratatui::restore();
        drop(rx);
        result
    })
}
