//! The one reload path: after a change — this session's own or, through a
//! change notice, someone else's — everything shown that it touched is read
//! again, as this user may see it. Keyed on what `ops` says the change touched
//! (`ops::Touched`, worked out by an exhaustive match over `Command`), matched
//! here area by area with no wildcard: a new area does not compile until it
//! says what it reloads. Cursors stay on the record they were on and nothing
//! typed (a form, the points line, a check-in line) is touched; what only one's
//! own changes do (the status line, a cursor jump, the points panel's recent
//! entries) is the short tail in `own`.

use super::action::{Origin, Panel};
use super::app::{App, Layer};
use super::panels::activities::CheckIn;
use super::panels::points::RecentEntry;
use crate::access::{BalanceQ, EntryQ, MemberQ, ReadError, RulesQ, Session, VisibleUnitsQ};
use crate::domain::*;
use crate::ops::{Applied, Area, Command, Touched};

/// Reloads what a change touched.
pub fn reload(s: &Session, app: &mut App, t: &Touched, origin: Origin) -> Result<(), ReadError> {
    reload_all(s, app, &[t], origin)
}

/// Reloads what changes heard together touched, each area once however many
/// of them touched it: an import is heard as a notice a row, and read back
/// one by one it took a TUI minutes (a batch's members are one list, read
/// again whole past `ONE_BY_ONE`).
pub fn reload_all(
    s: &Session,
    app: &mut App,
    ts: &[&Touched],
    origin: Origin,
) -> Result<(), ReadError> {
    let mut areas: Vec<Area> = Vec::new();
    for area in ts.iter().flat_map(|t| &t.areas) {
        if !areas.contains(area) {
            areas.push(*area);
        }
    }
    if areas.is_empty() {
        return Ok(());
    }
    let touches = |area: Area| areas.contains(&area);
    app.generation += 1;
    let keep = Selection::of(app);
    // One's own change is on the panel one is looking at: reload it even
    // when it was never loaded; others' only where it is already shown.
    let own = origin == Origin::Own;
    let mut members = false;
    let mut evaluation = false;
    let mut orglife = false;
    for area in &areas {
        match area {
            Area::Org => {
                let units = s.ask(VisibleUnitsQ)?;
                app.set_units(units);
            }
            Area::Members => members = true,
            Area::Points => {
                members = true;
                evaluation = true;
            }
            Area::Care => {
                members = true;
                if app.pairing.loaded || own {
                    super::panels::pairing::load::load_care(s, app)?;
                }
            }
            Area::Activities => {
                if app.activities.loaded || own {
                    super::panels::activities::load::load_activities(s, app)?;
                }
            }
            Area::Attendance => {
                members = true;
                let mut seen = Vec::new();
                for activity in ts.iter().filter_map(|t| t.activity) {
                    if !seen.contains(&activity) {
                        seen.push(activity);
                        attendance(s, app, activity, own)?;
                    }
                }
            }
            Area::Rules => {
                app.rules = s.ask(RulesQ)?.into_iter().filter(|r| r.active).collect();
            }
            Area::Users => {
                let h = app.list_height;
                for layer in app.layers.iter_mut() {
                    if let Layer::Users(u) = layer {
                        u.reload(s, h);
                    }
                }
            }
            // The queue, when open; the evaluation counts none of it, but
            // settings come under this area too.
            Area::Approvals => {
                super::panels::points::load::load_queue(s, app)?;
                evaluation = true;
            }
            // The 组织生活 panel shows these: its lists, once, however many
            // of them the change touched.
            Area::Partners | Area::Movement | Area::OrgLife | Area::Posts => orglife = true,
            // No panel shows rewards (a redemption's points come with `Points`).
            Area::Rewards => {}
        }
    }
    for entry in ts.iter().filter_map(|t| t.reversed) {
        app.points.reversed(entry);
    }
    if members {
        let mut ids: Vec<MemberId> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for id in ts.iter().flat_map(|t| &t.members) {
            if seen.insert(*id) {
                ids.push(*id);
            }
        }
        members_changed(s, app, &ids)?;
    }
    // Meetings are activities; a member's posts and status are theirs.
    let orglife = orglife
        || touches(Area::Activities)
        || touches(Area::Attendance)
        || (members && app.orglife.view != super::panels::orglife::OrgView::Meetings);
    if orglife && (app.orglife.loaded || (own && app.panel == Panel::OrgLife)) {
        super::panels::orglife::load::load(s, app)?;
        super::panels::orglife::load::reopen(s, app)?;
    }
    if evaluation && app.eval_view().is_some() {
        super::panels::points::load::load_evaluation(s, app)?;
    }
    if touches(Area::Points) && app.panel == Panel::Points {
        super::panels::points::load::load_ranking(s, app)?;
    }
    keep.restore(app);
    Ok(())
}

/// What one's own applied change does beyond the reload: the roster's and the
/// points panel's cursor go to the member it was about, a points entry joins
/// the recent ones, the check-in line lists who was checked in.
pub fn own(s: &Session, app: &mut App, cmd: &Command, done: &Applied) -> Result<(), ReadError> {
    let t = &done.touched;
    if let Some(activity) = t.activity
        && app.checkin().is_some_and(|ci| ci.activity == activity)
    {
        let name = checkin_name(app, cmd);
        if let Some(ci) = app.checkin_mut() {
            checkin_line(ci, cmd, name);
        }
    }
    if let Command::RejectPoints { ids, .. } = cmd {
        for id in ids {
            app.points.withdrawn(*id);
        }
    }
    if let Command::RecordPoints { member, rule, .. } = cmd
        && t.touches(Area::Approvals)
        && !t.touches(Area::Points)
    {
        return recorded_pending(s, app, *member, *rule, done.created);
    }
    // A change about one member and nothing else: that member's row and points.
    let about_one = !t.touches(Area::Care) && !t.touches(Area::Attendance);
    let [id] = t.members[..] else {
        return Ok(());
    };
    if !about_one {
        return Ok(());
    }
    if let Some(pos) = app
        .roster_rows
        .iter()
        .position(|&i| app.members[i].id == id)
    {
        app.roster_cursor.selected = pos;
        let h = app.roster_height();
        app.roster_cursor.keep_visible(app.roster_rows.len(), h);
    }
    if let Command::RecordPoints { rule, .. } = cmd
        && let Some(entry) = done
            .created
            .and_then(|e| s.ask(EntryQ(EntryId(e))).ok().flatten())
    {
        let code = app
            .rules
            .iter()
            .find(|r| r.id == *rule)
            .map(|r| r.code.clone())
            .unwrap_or_default();
        app.points.recorded(RecentEntry {
            entry: entry.id,
            member: id,
            name: member_name(app, id),
            rule: code,
            points: entry.points,
            reversed: false,
            pending: false,
        });
    }
    super::panels::points::load::load_member_points(s, app, id)
}

/// An entry of one's own that waits for approval: the points line lists it
/// as waiting and clears for the next person; no figure changed.
fn recorded_pending(
    s: &Session,
    app: &mut App,
    member: MemberId,
    rule: RuleId,
    created: Option<u64>,
) -> Result<(), ReadError> {
    let Some(id) = created.map(PendingId) else {
        return Ok(());
    };
    let points = s
        .ask(crate::access::PendingQ { org: None })?
        .into_iter()
        .find(|r| r.entry.id == id)
        .map(|r| r.entry.points)
        .unwrap_or_default();
    let code = app
        .rules
        .iter()
        .find(|r| r.id == rule)
        .map(|r| r.code.clone())
        .unwrap_or_default();
    app.points.recorded(RecentEntry {
        entry: EntryId(id.0),
        member,
        name: member_name(app, member),
        rule: code,
        points,
        reversed: false,
        pending: true,
    });
    Ok(())
}

/// Who a check-in was for, as the check-in line lists them.
fn checkin_name(app: &App, cmd: &Command) -> String {
    match cmd {
        Command::CheckIn { member, .. } => member_name(app, *member),
        _ => String::new(),
    }
}

/// The check-in line's list of the last check-ins, after one's own check-in
/// or its undoing.
fn checkin_line(ci: &mut CheckIn, cmd: &Command, name: String) {
    match cmd {
        Command::CheckIn { member, .. } => ci.checked_in(*member, name),
        Command::RemoveAttendance { member, .. } => ci.removed(*member),
        _ => {}
    }
}

pub(crate) fn member_name(app: &App, id: MemberId) -> String {
    app.member_index
        .get(&id)
        .map(|&i| app.members[i].name.to_string())
        .unwrap_or_default()
}

/// More members than this changed at once (an import, a batch): the roster is
/// read again whole rather than member by member.
const ONE_BY_ONE: usize = 64;

/// The rows of members a change was about. One by one a row costs two
/// questions and, for a new member, rebuilding the roster's index: an
/// import of 5,000 rows heard by a TUI of 30,000 took it minutes. Many at
/// once, the roster is read again whole, as at the start (at 100,000 members
/// about half a second), and the points panel's member with it.
pub(crate) fn members_changed(
    s: &Session,
    app: &mut App,
    ids: &[MemberId],
) -> Result<(), ReadError> {
    if ids.len() <= ONE_BY_ONE {
        for id in ids {
            member_changed(s, app, *id)?;
        }
        return Ok(());
    }
    if let Some(load) = app.roster_load.as_mut() {
        // Arriving: the pages still to come are read after the change; those
        // that came are read again when it is whole (`tui::roster_arrived`).
        load.changed.extend(ids);
        return Ok(());
    }
    app.roster_load = Some(super::roster_read(s)?);
    app.roster_whole();
    app.members_reread();
    if app.full.as_ref().is_some_and(|f| ids.contains(&f.id)) {
        app.full = None;
    }
    if let Some(shown) = app.points.shown
        && ids.contains(&shown)
    {
        super::panels::points::load::load_member_points(s, app, shown)?;
    }
    Ok(())
}

/// A member's row and, when the points panel shows them, their statement.
/// While the roster is still arriving, the row is read once it is whole.
pub(crate) fn member_changed(s: &Session, app: &mut App, id: MemberId) -> Result<(), ReadError> {
    if let Some(load) = app.roster_load.as_mut() {
        load.changed.insert(id);
        if app.points.shown == Some(id) {
            super::panels::points::load::load_member_points(s, app, id)?;
        }
        return Ok(());
    }
    let Some(member) = s.ask(MemberQ(id))? else {
        // Gone: its creation was taken back.
        app.remove_member(id);
        return Ok(());
    };
    // Only members within what this user's panels hold.
    if app.actor.scope.is_some() && !app.units.contains_key(&member.data.unit) {
        return Ok(());
    }
    let balance = s.ask(BalanceQ(id))?;
    app.upsert_member(&member, balance);
    if app.points.shown == Some(id) {
        super::panels::points::load::load_member_points(s, app, id)?;
    }
    Ok(())
}

/// The activities panel's counts, and the open activity's attendance (one's
/// own change opens the activity it was about).
fn attendance(
    s: &Session,
    app: &mut App,
    activity: ActivityId,
    own: bool,
) -> Result<(), ReadError> {
    let open = app
        .activities
        .open
        .as_ref()
        .is_some_and(|(id, _)| *id == activity);
    if !open && !own && !app.activities.loaded {
        return Ok(());
    }
    let (present, absent) = super::panels::activities::load::attendance_counts(s, activity)?;
    app.activities.set_counts(activity, present, absent);
    if open || own {
        super::panels::activities::load::open_activity(s, app, activity)?;
    }
    Ok(())
}

/// The roster's selected member, to put the cursor back on after rows move.
struct Selection(Option<MemberId>);

impl Selection {
    fn of(app: &App) -> Selection {
        Selection(
            app.roster_rows
                .get(app.roster_cursor.selected)
                .and_then(|&i| app.members.get(i))
                .map(|r| r.id),
        )
    }

    fn restore(self, app: &mut App) {
        let Some(id) = self.0 else { return };
        if let Some(pos) = app
            .roster_rows
            .iter()
            .position(|&i| app.members.get(i).is_some_and(|r| r.id == id))
        {
            app.roster_cursor.selected = pos;
            let h = app.roster_height();
            app.roster_cursor.keep_visible(app.roster_rows.len(), h);
        }
    }
}
