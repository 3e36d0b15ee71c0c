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

use crate::access::{
    ActivitiesQ, AttendanceQ, BalanceQ, BalancesQ, BeneficiaryTasksQ, EntryQ, IdlePairedQ, MemberQ,
    MonthlyEarnedQ, OverviewQ, RankingQ, ReadError, RulesQ, Session, StatementQ, SuggestQ, TaskQ,
    TasksQ, VisibleUnitsQ, VisitsQ,
};
use crate::domain::*;
use crate::ops::{Applied, Command};
use app::{Effect, Layer, MemberRow};
use crossterm::event::{Event, KeyEventKind};
use keymap::KeyContext;
use ratatui::Terminal;
use ratatui::backend::Backend;

/// Loads everything the panels show, as the store lets this user see it.
pub fn load(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let units = s.ask(VisibleUnitsQ)?;
    let members: Vec<Member> = s.members(None)?;
    let balances: std::collections::HashMap<MemberId, Points> =
        s.ask(BalancesQ)?.into_iter().collect();
    let rows = members
        .into_iter()
        .map(|member| MemberRow {
            balance: balances.get(&member.id).copied().unwrap_or_default(),
            member: std::sync::Arc::new(member),
        })
        .collect();
    app.set_data(units, rows);
    app.rules = s.ask(RulesQ)?.into_iter().filter(|r| r.active).collect();
    Ok(())
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
pub fn step(s: &Session, app: &mut App, action: Action) {
    match app::update(app, action) {
        Some(Effect::Apply { cmd, origin }) => match s.apply(&cmd) {
            Ok(done) => {
                app.generation += 1;
                if let Err(e) = refresh(s, app, &cmd, &done) {
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
                if matches!(cmd, Command::RecordReveal { .. }) {
                    app.revealed = None;
                }
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
            if let Err(e) = load_member_points(s, app, id) {
                app.status = e.to_string();
            }
        }
        Some(Effect::SuggestPairing(b)) => {
            match s.ask(SuggestQ {
                beneficiary: b,
                limit: 12,
            }) {
                Ok(list) => {
                    let options = list
                        .into_iter()
                        .map(|sug| {
                            let why: Vec<String> = sug
                                .reasons
                                .iter()
                                .map(|r| words::suggestion_reason(app.lang, r))
                                .collect();
                            let why = why.join("，");
                            (format!("{} · {why}", sug.member.data.name), sug.member.id.0)
                        })
                        .collect();
                    let form = form::Form::new_pairing(app.lang, b, options, app.today);
                    app.layers.push(app::Layer::Form(Box::new(form)));
                }
                Err(e) => app.status = e.to_string(),
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
        Some(Effect::OpenActivity(id)) => {
            if let Err(e) = open_activity(s, app, id) {
                app.status = e.to_string();
            }
        }
        None => {}
    }
}

/// The pairing panel's figures for the actor's scope.
fn load_care(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let h = app.list_height.saturating_sub(2);
    let today = app.today;
    let p = &mut app.pairing;
    p.visits = s.ask(VisitsQ { today, org: None })?;
    if let Some(b) = p.pending_select.take()
        && let Some(i) = p.visits.iter().position(|v| v.beneficiary.id == b)
    {
        p.cursor.selected = i;
    }
    p.tasks = s.ask(TasksQ {
        today,
        overdue_only: false,
        org: None,
    })?;
    p.idle = s.ask(IdlePairedQ { today })?;
    p.loaded = true;
    p.cursor.keep_visible(p.visits.len(), h);
    p.task_cursor.keep_visible(p.tasks.len(), h);
    p.history = match p.beneficiary() {
        Some(b) => s.ask(BeneficiaryTasksQ(b))?,
        None => Vec::new(),
    };
    Ok(())
}

/// The points panel's ranking, from the monthly aggregates.
fn load_ranking(s: &Session, app: &mut App) -> Result<(), ReadError> {
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

/// The overview's figures for its period and subtree: kept when they are
/// still those, left to the background when it is computing them, else
/// computed here.
fn load_overview(s: &Session, app: &mut App) -> Result<(), ReadError> {
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
    app.overview.data = Some(s.ask(overview_query(scope, period, app.today))?);
    app.overview.loaded = Some(key);
    Ok(())
}

/// A result of the background computation arrived: shown if it is what the
/// panel wants, kept for later if it is still current, else dropped; a panel
/// left waiting for something no longer coming computes it now.
pub(crate) fn overview_arrived(
    s: &Session,
    app: &mut App,
    key: overview::OverviewKey,
    result: Result<crate::report::overview::Overview, ReadError>,
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
        && let Err(e) = load_overview(s, app)
    {
        app.status = e.to_string();
    }
}

/// The question for an overview of `scope` over `period`.
fn overview_query(
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

/// Activities the user may see (hosted in their scope), newest first, with
/// attendance counts.
/// How many were present at an activity and how many recorded absent.
pub(crate) fn attendance_counts(
    s: &Session,
    activity: ActivityId,
) -> Result<(usize, usize), ReadError> {
    let (mut present, mut absent) = (0, 0);
    for att in s.ask(AttendanceQ(activity))? {
        match att.presence {
            Presence::Present { .. } => present += 1,
            Presence::Absent { .. } | Presence::Unexcused { .. } => absent += 1,
        }
    }
    Ok((present, absent))
}

fn load_activities(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let mut rows = Vec::new();
    for c in s.ask(ActivitiesQ)? {
        if !app.units.contains_key(&c.activity.data.host) {
            continue;
        }
        rows.push(activities::ActivityRow {
            activity: c.activity,
            present: c.present,
            absent: c.absent,
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

fn open_activity(s: &Session, app: &mut App, id: ActivityId) -> Result<(), ReadError> {
    let mut att = activities::Attendees::default();
    for a in s.ask(AttendanceQ(id))? {
        match a.presence {
            Presence::Present { checked_in, .. } => {
                att.present.insert(a.member, checked_in);
            }
            Presence::Absent { reason } | Presence::Unexcused { note: reason, .. } => {
                att.absent.insert(a.member, reason);
            }
        }
    }
    app.activities.open = Some((id, att));
    Ok(())
}

/// Keeps the activities panel in step with an attendance change.
fn attendance_changed(s: &Session, app: &mut App, cmd: &Command) -> Result<(), ReadError> {
    let (activity, member) = match cmd {
        Command::CheckIn { activity, member }
        | Command::MarkAbsent {
            activity, member, ..
        }
        | Command::RemoveAttendance { activity, member } => (*activity, *member),
        Command::CreateActivity { .. } | Command::UpdateActivity { .. } => {
            return load_activities(s, app);
        }
        _ => return Ok(()),
    };
    open_activity(s, app, activity)?;
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
    if let Some(m) = s.ask(MemberQ(member))? {
        let balance = s.ask(BalanceQ(member))?;
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
fn refresh(s: &Session, app: &mut App, cmd: &Command, done: &Applied) -> Result<(), ReadError> {
    if done.touched.areas.is_empty() {
        return Ok(());
    }
    if matches!(
        cmd,
        Command::CheckIn { .. }
            | Command::MarkAbsent { .. }
            | Command::RemoveAttendance { .. }
            | Command::CreateActivity { .. }
            | Command::UpdateActivity { .. }
    ) {
        return attendance_changed(s, app, cmd);
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
        load_care(s, app)?;
        if let Some(t) = match cmd {
            Command::CompleteTask { id, .. } | Command::ReopenTask { id } => s.ask(TaskQ(*id))?,
            _ => None,
        } && let Some(m) = s.ask(MemberQ(t.assignee))?
        {
            let balance = s.ask(BalanceQ(m.id))?;
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
            s.ask(EntryQ(*entry))?.map(|e| e.member)
        }
        _ => None,
    };
    let Some(id) = member else {
        let units = s.ask(VisibleUnitsQ)?;
        app.set_units(units);
        return Ok(());
    };
    if let Some(m) = s.ask(MemberQ(id))? {
        let balance = s.ask(BalanceQ(id))?;
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
            .and_then(|e| s.ask(EntryQ(EntryId(e))).ok().flatten())
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
    load_member_points(s, app, id)?;
    if moves_points(cmd) && app.panel == app::Panel::Points {
        load_ranking(s, app)?;
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
fn load_member_points(s: &Session, app: &mut App, id: MemberId) -> Result<(), ReadError> {
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

/// Runs the event loop on any backend until the user quits.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &Session,
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
            step(session, app, action);
        }
    }
    Ok(())
}

/// Opens the TUI on a real terminal; the terminal is restored on every exit,
/// panics included (ratatui's `init` installs a restoring panic hook). Through
/// a server, other people's changes show as they are made (`live`).
pub fn run(session: &Session, lang: Lang) -> anyhow::Result<()> {
    let mut app = App::new(
        session.actor().clone(),
        lang,
        session.path().display().to_string(),
    );
    load(session, &mut app)?;
    let mut live = live::Live::new(session, &mut app);
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
            app.overview.pending = jobs.iter().map(|(k, _)| *k).collect();
            s.spawn(move || {
                for (key, (scope, period)) in jobs {
                    let result = session.ask(overview_query(scope, period, today));
                    // The session may have ended meanwhile: nobody to tell.
                    if tx.send((key, result)).is_err() {
                        break;
                    }
                }
            });
            live.prefetch = Some(rx);
        }
        let mut terminal = ratatui::init();
        let result = live::run_loop(&mut terminal, session, &mut app, &mut live);
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
