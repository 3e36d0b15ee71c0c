//! The terminal interface: one event loop, event → `Action` → `update(app)` →
//! `draw(app)`, generic over the ratatui `Backend` so tests run it headless.
//! The runner here is the only part that talks to the store (through `ops`):
//! it loads the state, applies the `Command`s that `update` hands it, and
//! refreshes what they changed. Views draw from state alone.

pub mod activities;
pub mod app;
pub mod care;
pub mod changes;
pub mod form;
pub mod i18n;
pub mod import;
pub mod keymap;
pub mod live;
pub mod overview;
pub mod points;
pub mod text;
pub mod theme;
pub mod views;
pub mod words;

pub use app::{Action, App};
pub use i18n::Lang;

use crate::domain::*;
use crate::ops::{self, Actor, Applied, Command, query};
use crate::store::{Store, StoreError};
use app::{Effect, Layer, MemberRow};
use crossterm::event::{Event, KeyEventKind};
use keymap::KeyContext;
use ratatui::Terminal;
use ratatui::backend::Backend;

/// Loads everything the panels show for the actor's scope.
pub fn load(store: &Store, app: &mut App) -> Result<(), StoreError> {
    let units = visible_units(store, &app.actor)?;
    let members: Vec<Member> = match app.actor.scope {
        Some(scope) => query::members_in_subtree(store, scope)?,
        None => store.scan::<Member>().collect::<Result<_, _>>()?,
    };
    let balances = query::all_balances(store)?;
    let rows = members
        .into_iter()
        .map(|member| MemberRow {
            balance: balances.get(&member.id).copied().unwrap_or_default(),
            member: std::sync::Arc::new(member),
        })
        .collect();
    app.set_data(units, rows);
    app.rules = query::rules(store)?
        .into_iter()
        .filter(|r| r.active)
        .collect();
    Ok(())
}

fn visible_units(store: &Store, actor: &Actor) -> Result<Vec<OrgUnit>, StoreError> {
    let all = query::org_units(store)?;
    Ok(match actor.scope {
        Some(scope) => {
            let ids = query::subtree(store, scope)?;
            all.into_iter().filter(|u| ids.contains(&u.id)).collect()
        }
        None => all,
    })
}

fn context(app: &App) -> KeyContext {
    match app.layers.last() {
        Some(Layer::Help) => KeyContext::Help,
        Some(Layer::Confirm(_)) => KeyContext::Confirm,
        Some(Layer::Form(_)) => KeyContext::Form,
        Some(Layer::Io(_)) => KeyContext::Io,
        None if app.search.is_some() && app.searching => KeyContext::Search,
        None if app.panel == app::Panel::Points && app.points.editing => KeyContext::PointsLine,
        None if app.panel == app::Panel::Activities && app.activities.checkin.is_some() => {
            KeyContext::CheckIn
        }
        None => KeyContext::Panel(app.panel),
    }
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
pub fn step(store: &Store, app: &mut App, action: Action) {
    match app::update(app, action) {
        Some(Effect::Apply { cmd, origin }) => match ops::apply(store, &app.actor, &cmd) {
            Ok(done) => {
                app.generation += 1;
                if let Err(e) = refresh(store, app, &cmd, &done) {
                    app.status = e.to_string();
                }
                let what = match origin {
                    app::Origin::Undo => app.tr("msg.undone"),
                    _ => words::command_done(app.lang, &cmd),
                };
                let message = match subject(&done.summary) {
                    who if who.is_empty() => what.to_string(),
                    who => format!("{what}：{who}"),
                };
                app::applied(app, origin, message, done.inverse);
            }
            Err(e) => {
                // Refusals come in both languages; say them in the interface's.
                let said = e.in_lang(app.lang == Lang::Zh);
                if origin == app::Origin::PointsLine {
                    app.points.error = Some(points::LineError::Text(said.clone()));
                }
                if let Command::CheckIn { activity, member } = &cmd {
                    let again = app
                        .activities
                        .attendees(*activity)
                        .is_some_and(|a| a.present.contains_key(member));
                    let name = app
                        .member_index
                        .get(member)
                        .map(|&i| app.members[i].member.data.name.clone())
                        .unwrap_or_default();
                    let warning = if again {
                        format!("{name} {}", app.tr("act.duplicate"))
                    } else {
                        said.clone()
                    };
                    if let Some(ci) = app.activities.checkin.as_mut() {
                        ci.warning = Some(warning);
                    }
                }
                app::refused(app, origin, said)
            }
        },
        Some(Effect::ShowMember(id)) => {
            if let Err(e) = load_member_points(store, app, id) {
                app.status = e.to_string();
            }
        }
        Some(Effect::SuggestPairing(b)) => {
            match crate::report::care::suggest_members(store, &app.actor, b, 12) {
                Ok(list) => {
                    let options = list
                        .into_iter()
                        .map(|s| {
                            let why: Vec<String> = s
                                .reasons
                                .iter()
                                .map(|r| words::suggestion_reason(app.lang, r))
                                .collect();
                            let why = why.join("，");
                            (format!("{} · {why}", s.member.data.name), s.member.id.0)
                        })
                        .collect();
                    let form = form::Form::new_pairing(app.lang, b, options, app.today);
                    app.layers.push(app::Layer::Form(Box::new(form)));
                }
                Err(e) => app.status = e.to_string(),
            }
        }
        Some(Effect::LoadCare) => {
            if let Err(e) = load_care(store, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadRanking) => {
            if let Err(e) = load_ranking(store, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadActivities) => {
            if let Err(e) = load_activities(store, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::LoadOverview) => {
            if let Err(e) = load_overview(store, app) {
                app.status = e.to_string();
            }
        }
        Some(Effect::Io(effect)) => import::run(store, app, effect),
        Some(Effect::OpenActivity(id)) => {
            if let Err(e) = open_activity(store, app, id) {
                app.status = e.to_string();
            }
        }
        None => {}
    }
}

/// The pairing panel's figures for the actor's scope.
fn load_care(store: &Store, app: &mut App) -> Result<(), StoreError> {
    use crate::report::care::{idle_paired_members, tasks, visits};
    let h = app.list_height.saturating_sub(2);
    let p = &mut app.pairing;
    p.visits = visits(store, &app.actor, app.today)?;
    if let Some(b) = p.pending_select.take()
        && let Some(i) = p.visits.iter().position(|v| v.beneficiary.id == b)
    {
        p.cursor.selected = i;
    }
    p.tasks = tasks(store, &app.actor, app.today, false, None)?;
    p.idle = idle_paired_members(store, &app.actor, app.today)?;
    p.loaded = true;
    p.cursor.keep_visible(p.visits.len(), h);
    p.task_cursor.keep_visible(p.tasks.len(), h);
    p.history = match p.beneficiary() {
        Some(b) => {
            let mut all: Vec<Task> = store
                .scan::<Task>()
                .filter_map(|t| t.ok())
                .filter(|t| t.beneficiary == b)
                .collect();
            all.sort_by(|a, b| b.due.cmp(&a.due).then(b.id.cmp(&a.id)));
            all
        }
        None => Vec::new(),
    };
    Ok(())
}

/// The points panel's ranking, from the monthly aggregates.
fn load_ranking(store: &Store, app: &mut App) -> Result<(), StoreError> {
    use crate::report::points::{Scope, ranking};
    let scope = match app.points.rank_unit.or(app.actor.scope) {
        Some(unit) => Scope::Subtree(unit),
        None => Scope::Community,
    };
    let Some(period) = app.points.rank_period.period(app.today) else {
        return Ok(());
    };
    app.points.ranking = ranking(store, scope, &period, Some(20))?;
    app.points.rank_label = period.label().to_string();
    Ok(())
}

/// The overview's figures for its period and subtree: kept when they are
/// still those, left to the background when it is computing them, else
/// computed here.
fn load_overview(store: &Store, app: &mut App) -> Result<(), StoreError> {
    let key = overview::wanted(app);
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
    let Some((scope, period)) = overview::request(app, key) else {
        return Ok(());
    };
    // The members are in memory already: the overview reads only the rest.
    let members = app.members.iter().map(|r| &*r.member);
    app.overview.data = Some(crate::report::overview::overview_of(
        store, scope, members, &period, app.today,
    )?);
    app.overview.loaded = Some(key);
    Ok(())
}

/// A result of the background computation arrived: shown if it is what the
/// panel wants, kept for later if it is still current, else dropped; a panel
/// left waiting for something no longer coming computes it now.
pub(crate) fn overview_arrived(
    store: &Store,
    app: &mut App,
    key: overview::OverviewKey,
    result: Result<crate::report::overview::Overview, StoreError>,
) {
    app.overview.pending.retain(|k| *k != key);
    app.overview
        .ready
        .retain(|(k, _)| k.generation == app.generation);
    match result {
        Ok(data) if key == overview::wanted(app) => {
            app.overview.data = Some(data);
            app.overview.loaded = Some(key);
        }
        Ok(data) if key.generation == app.generation => app.overview.ready.push((key, data)),
        Ok(_) => {}
        Err(e) => app.status = e.to_string(),
    }
    let waiting = app.panel == app::Panel::Overview && app.overview.data.is_none();
    if waiting
        && !app.overview.pending.contains(&overview::wanted(app))
        && let Err(e) = load_overview(store, app)
    {
        app.status = e.to_string();
    }
}

/// Activities the user may see (hosted in their scope), newest first, with
/// attendance counts.
/// How many were present at an activity and how many recorded absent.
pub(crate) fn attendance_counts(
    store: &Store,
    activity: ActivityId,
) -> Result<(usize, usize), StoreError> {
    let (mut present, mut absent) = (0, 0);
    for att in store.scan_prefix::<Attendance>(&crate::store::codec::be(activity.0)) {
        match att?.presence {
            Presence::Present { .. } => present += 1,
            Presence::Absent { .. } => absent += 1,
        }
    }
    Ok((present, absent))
}

fn load_activities(store: &Store, app: &mut App) -> Result<(), StoreError> {
    let mut rows = Vec::new();
    for a in store.scan::<Activity>() {
        let activity = a?;
        if !app.units.contains_key(&activity.data.host) {
            continue;
        }
        let (present, absent) = attendance_counts(store, activity.id)?;
        rows.push(activities::ActivityRow {
            activity,
            present,
            absent,
        });
    }
    rows.sort_by(|a, b| {
        b.activity
            .data
            .starts
            .cmp(&a.activity.data.starts)
            .then(b.activity.id.cmp(&a.activity.id))
    });
    let panel = &mut app.activities;
    panel.rows = rows;
    panel.loaded = true;
    panel
        .cursor
        .keep_visible(panel.rows.len(), app.list_height.saturating_sub(2));
    Ok(())
}

fn open_activity(store: &Store, app: &mut App, id: ActivityId) -> Result<(), StoreError> {
    let mut att = activities::Attendees::default();
    for a in store.scan_prefix::<Attendance>(&crate::store::codec::be(id.0)) {
        let a = a?;
        match a.presence {
            Presence::Present { checked_in, .. } => {
                att.present.insert(a.member, checked_in);
            }
            Presence::Absent { reason } => {
                att.absent.insert(a.member, reason);
            }
        }
    }
    app.activities.open = Some((id, att));
    Ok(())
}

/// Keeps the activities panel in step with an attendance change.
fn attendance_changed(store: &Store, app: &mut App, cmd: &Command) -> Result<(), StoreError> {
    let (activity, member) = match cmd {
        Command::CheckIn { activity, member }
        | Command::MarkAbsent {
            activity, member, ..
        }
        | Command::RemoveAttendance { activity, member } => (*activity, *member),
        Command::CreateActivity { .. } | Command::UpdateActivity { .. } => {
            return load_activities(store, app);
        }
        _ => return Ok(()),
    };
    open_activity(store, app, activity)?;
    let (present, absent) = app
        .activities
        .attendees(activity)
        .map(|a| (a.present.len(), a.absent.len()))
        .unwrap_or_default();
    app.activities.set_counts(activity, present, absent);
    let name = app
        .member_index
        .get(&member)
        .map(|&i| app.members[i].member.data.name.clone())
        .unwrap_or_default();
    if let Some(ci) = app
        .activities
        .checkin
        .as_mut()
        .filter(|c| c.activity == activity)
    {
        match cmd {
            Command::CheckIn { .. } => ci.checked_in(member, name),
            Command::RemoveAttendance { .. } => ci.removed(member),
            _ => {}
        }
    }
    if let Some(m) = query::member(store, member)? {
        let balance = query::balance(store, member)?;
        app.upsert_member(MemberRow {
            member: std::sync::Arc::new(m),
            balance,
        });
    }
    Ok(())
}

/// The record a summary names, as "name (id)": "updated member 张三 (12)" gives
/// "张三 (12)". Summaries are English (they are the audit log's), so anything
/// else in them stays out of the interface; without that shape, nothing.
fn subject(summary: &str) -> String {
    let Some(open) = summary.rfind(" (") else {
        return String::new();
    };
    let Some(close) = summary[open..].find(')').map(|c| open + c) else {
        return String::new();
    };
    let head = &summary[..open];
    let start = head.rfind(' ').map_or(0, |i| i + 1);
    summary[start..=close].to_string()
}

/// Reloads what a command changed, keeping cursors where they were.
fn refresh(store: &Store, app: &mut App, cmd: &Command, done: &Applied) -> Result<(), StoreError> {
    if matches!(
        cmd,
        Command::CheckIn { .. }
            | Command::MarkAbsent { .. }
            | Command::RemoveAttendance { .. }
            | Command::CreateActivity { .. }
            | Command::UpdateActivity { .. }
    ) {
        return attendance_changed(store, app, cmd);
    }
    if matches!(
        cmd,
        Command::CreateTask { .. }
            | Command::UpdateTask { .. }
            | Command::CompleteTask { .. }
            | Command::CancelTask { .. }
            | Command::ReopenTask { .. }
            | Command::CreatePairing { .. }
            | Command::EndPairing { .. }
            | Command::CreateBeneficiary { .. }
            | Command::UpdateBeneficiary { .. }
    ) {
        load_care(store, app)?;
        if let Some(t) = match cmd {
            Command::CompleteTask { id, .. } | Command::ReopenTask { id } => {
                store.get_id::<Task>(id.0)?
            }
            _ => None,
        } && let Some(m) = query::member(store, t.assignee)?
        {
            let balance = query::balance(store, m.id)?;
            app.upsert_member(MemberRow {
                member: std::sync::Arc::new(m),
                balance,
            });
        }
        return Ok(());
    }
    let member = match cmd {
        Command::CreateMember { .. } => done.created.map(MemberId),
        Command::UpdateMember { id, .. } | Command::SetMemberStatus { id, .. } => Some(*id),
        Command::RecordPoints { member, .. } | Command::Redeem { member, .. } => Some(*member),
        Command::ReversePoints { entry, .. } => {
            app.points.reversed(*entry);
            store.get_id::<PointsEntry>(entry.0)?.map(|e| e.member)
        }
        _ => None,
    };
    let Some(id) = member else {
        let units = visible_units(store, &app.actor)?;
        app.set_units(units);
        return Ok(());
    };
    if let Some(m) = query::member(store, id)? {
        let balance = query::balance(store, id)?;
        app.upsert_member(MemberRow {
            member: std::sync::Arc::new(m),
            balance,
        });
        if let Some(pos) = app
            .roster_rows
            .iter()
            .position(|&i| app.members[i].member.id == id)
        {
            app.roster_cursor.selected = pos;
            let h = app.roster_height();
            app.roster_cursor.keep_visible(app.roster_rows.len(), h);
        }
    }
    if let Command::RecordPoints { rule, .. } = cmd
        && let Some(entry) = done
            .created
            .and_then(|e| store.get_id::<PointsEntry>(e).ok().flatten())
    {
        let name = app
            .member_index
            .get(&id)
            .map(|&i| app.members[i].member.data.name.clone())
            .unwrap_or_default();
        let code = app
            .rules
            .iter()
            .find(|r| r.id == *rule)
            .map(|r| r.code.clone())
            .unwrap_or_default();
        app.points.recorded(points::RecentEntry {
            entry: entry.id,
            member: id,
            name,
            rule: code,
            points: entry.points,
            reversed: false,
        });
    }
    load_member_points(store, app, id)?;
    if moves_points(cmd) && app.panel == app::Panel::Points {
        load_ranking(store, app)?;
    }
    Ok(())
}

/// Whether a command moves someone's earned points, and so the ranking: an
/// entry, its reversal, a redemption, or a check-in or task completion (and
/// their undoing) that awards points.
pub(crate) fn moves_points(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::RecordPoints { .. }
            | Command::ReversePoints { .. }
            | Command::Redeem { .. }
            | Command::CheckIn { .. }
            | Command::RemoveAttendance { .. }
            | Command::CompleteTask { .. }
            | Command::ReopenTask { .. }
    )
}

/// The statement and monthly figures the points panel shows for a member.
fn load_member_points(store: &Store, app: &mut App, id: MemberId) -> Result<(), StoreError> {
    app.points.shown = Some(id);
    let mut running = Points::ZERO;
    app.points.statement = query::statement(store, id)?
        .into_iter()
        .map(|e| {
            running += e.points;
            (e, running)
        })
        .collect();
    app.points.monthly = query::monthly_earned(store, id, app.today, 12)?;
    Ok(())
}

/// Runs the event loop on any backend until the user quits.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    store: &Store,
    app: &mut App,
    mut next_event: impl FnMut() -> std::io::Result<Event>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app::update(app, Action::Resize(size.width, size.height));
    while !app.quit {
        terminal.draw(|f| views::draw(f, app))?;
        let ev = next_event()?;
        if let Some(action) = action_for(app, &ev) {
            step(store, app, action);
        }
    }
    Ok(())
}

/// Opens the TUI on a real terminal; the terminal is restored on every exit,
/// panics included (ratatui's `init` installs a restoring panic hook). Through
/// a server, other people's changes show as they are made (`live`).
pub fn run(store: &Store, actor: &Actor, lang: Lang) -> anyhow::Result<()> {
    let mut app = App::new(actor.clone(), lang, store.path().display().to_string());
    load(store, &mut app)?;
    let mut live = live::Live::new(store, &mut app);
    std::thread::scope(|s| {
        // The overview sums the whole store: this month's, quarter's and
        // year's are computed while the user looks at the first panel, so `6`
        // and `p` show them at once.
        let month = overview::wanted(&app);
        use points::RankPeriod;
        let keys: Vec<overview::OverviewKey> =
            [RankPeriod::Month, RankPeriod::Quarter, RankPeriod::Year]
                .into_iter()
                .map(|period| overview::OverviewKey { period, ..month })
                .collect();
        let jobs: Vec<_> = keys
            .iter()
            .filter_map(|k| Some((*k, overview::request(&app, *k)?)))
            .collect();
        if !jobs.is_empty() {
            let (tx, rx) = std::sync::mpsc::channel();
            let today = app.today;
            // The roster as loaded: shared, not copied.
            let held: Vec<std::sync::Arc<Member>> =
                app.members.iter().map(|r| r.member.clone()).collect();
            app.overview.pending = jobs.iter().map(|(k, _)| *k).collect();
            s.spawn(move || {
                for (key, (scope, period)) in jobs {
                    let members = held.iter().map(|m| &**m);
                    let result =
                        crate::report::overview::overview_of(store, scope, members, &period, today);
                    // The session may have ended meanwhile: nobody to tell.
                    if tx.send((key, result)).is_err() {
                        break;
                    }
                }
            });
            live.prefetch = Some(rx);
        }
        let mut terminal = ratatui::init();
        let result = live::run_loop(&mut terminal, store, &mut app, &mut live);
        // Restored before the scope waits for a computation still running;
        // with nobody listening, it stops after the overview in hand.
        ratatui::restore();
        live.prefetch = None;
        result
    })
}

#[cfg(test)]
mod tests {
    use super::subject;

    #[test]
    fn subject_is_the_name_and_id_and_nothing_english() {
        assert_eq!(subject("updated member 张三 (12)"), "张三 (12)");
        assert_eq!(
            subject("recorded 2 points for 李四 (5) under VOL on 2026-11-01"),
            "李四 (5)"
        );
        assert_eq!(subject("checked in 张三 to 社区大扫除"), "");
    }
}
