//! Approval of points entries. Where the evaluation settings say so (by the
//! recorder's role or by the rule), `RecordPoints` writes a `PendingEntry`
//! instead of a ledger entry: it counts nowhere until a branch secretary (or
//! committee admin) of that member approves it, which writes the ledger entry
//! (held to the rule's cap as it stands then) under the recorder's name. A
//! rejection records who and why and writes nothing else. Nobody approves
//! their own entry; the recorder may withdraw it (reject it) while it waits.

use super::authority::Need;
use super::award::{hold_to_cap, price};
use super::members::active;
use super::points::{NewEntry, append, load_rule};
use super::{Applied, Command, Ctx, OpResult, Touched, not_found, refuse, required_text};
use crate::domain::evaluation::Approval;
use crate::domain::*;
use chrono::NaiveDate;

/// Writes a pending entry (validated as the entry itself would be, except
/// the cap, which is held at approval).
#[allow(clippy::too_many_arguments)]
pub(super) fn write_pending(
    ctx: &Ctx,
    member: &Member,
    date: NaiveDate,
    rule: &PointsRule,
    quantity_centi: u32,
    points_override: Option<&(Points, String)>,
    note: &str,
    source: EntrySource,
) -> OpResult<PendingEntry> {
    let priced = price(ctx, date, rule, quantity_centi, points_override, note)?;
    let id = PendingId(ctx.tx.next_id("pending")?);
    let pending = PendingEntry {
        id,
        member: member.id,
        unit: member.data.unit,
        date,
        rule: rule.id,
        quantity_centi,
        points: priced.points,
        override_reason: priced.override_reason,
        note: priced.note,
        recorded_by: ctx.actor.login.clone(),
        recorded_at: ctx.now,
        state: Approval::Pending,
        source,
    };
    ctx.tx.put_indexed(None, &pending)?;
    Ok(pending)
}

/// `RecordPoints` by someone whose entries wait: the pending entry.
pub(super) fn propose(
    ctx: &Ctx,
    member: &Member,
    date: NaiveDate,
    rule: &PointsRule,
    quantity_centi: u32,
    points_override: Option<&(Points, String)>,
    note: &str,
) -> OpResult<Applied> {
    let pending = write_pending(
        ctx,
        member,
        date,
        rule,
        quantity_centi,
        points_override,
        note,
        EntrySource::Manual,
    )?;
    let id = pending.id;
    Ok(Applied {
        touched: Touched {
            areas: vec![super::Area::Approvals],
            ..Touched::default()
        },
        subject: format!("{} ({})", member.data.name, member.id),
        created: Some(id.0),
        summary: format!(
            "recorded {} points for {} ({}) under {} on {date}, waiting for approval as pending \
             entry {id}",
            pending.points, member.data.name, member.id, rule.code
        ),
        inverse: Some(Command::RejectPoints {
            ids: vec![id],
            reason: "undo".into(),
        }),
    })
}

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::ApprovePoints { ids } => approve(ctx, ids),
        Command::RejectPoints { ids, reason } => reject(ctx, ids, reason),
        _ => refuse(
            format!("{} is not an approval command", cmd.kind()),
            format!("{} 不是审核命令", cmd.kind()),
        ),
    }
}

/// A pending entry of a member the actor may see, still waiting.
fn load_open(ctx: &Ctx, id: PendingId) -> OpResult<(PendingEntry, Member)> {
    let seen = match ctx.tx.get_id::<PendingEntry>(id.0)? {
        Some(p) => match ctx.tx.get_id::<Member>(p.member.0)? {
            Some(m) if ctx.sees(m.data.unit)? => Some((p, m)),
            _ => None,
        },
        None => None,
    };
    let Some((p, m)) = seen else {
        return not_found(format!("pending entry {id}"), format!("待审核记录 {id}"));
    };
    match &p.state {
        Approval::Pending => Ok((p, m)),
        Approval::Approved { by, entry, .. } => refuse(
            format!("pending entry {id} was already approved by {by} (entry {entry})"),
            format!("待审核记录 {id} 已由 {by} 审核通过（记录 {entry}）"),
        ),
        Approval::Rejected { by, .. } => refuse(
            format!("pending entry {id} was already rejected by {by}"),
            format!("待审核记录 {id} 已被 {by} 退回"),
        ),
    }
}

fn no_ids<T>() -> OpResult<T> {
    refuse(
        "name at least one pending entry",
        "请至少指定一条待审核记录",
    )
}

fn approve(ctx: &Ctx, ids: &[PendingId]) -> OpResult<Applied> {
    if ids.is_empty() {
        return no_ids();
    }
    let mut touched = Touched {
        areas: vec![super::Area::Points, super::Area::Approvals],
        ..Touched::default()
    };
    let mut lines = Vec::new();
    let mut subjects = Vec::new();
    for id in ids {
        let (p, m) = load_open(ctx, *id)?;
        if p.recorded_by == ctx.actor.login {
            return refuse(
                format!(
                    "pending entry {id} was recorded by you ({}); nobody approves their own entry",
                    p.recorded_by
                ),
                format!(
                    "待审核记录 {id} 是您（{}）记录的，不能审核自己的记录",
                    p.recorded_by
                ),
            );
        }
        ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
        let member = active(ctx, p.member)?;
        let rule = load_rule(ctx, p.rule)?;
        let held = hold_to_cap(
            ctx,
            &member,
            p.date,
            &rule,
            p.points,
            p.override_reason.clone(),
        )?;
        let entry = append(
            ctx,
            NewEntry {
                member: &member,
                date: p.date,
                rule: Some(rule.id),
                quantity_centi: p.quantity_centi,
                points: held.points,
                override_reason: held.override_reason,
                note: p.note.clone(),
                source: p.source,
                reverses: None,
                recorded: Some((p.recorded_by.clone(), p.recorded_at)),
            },
        )?;
        link(ctx, &p, entry)?;
        let done = PendingEntry {
            state: Approval::Approved {
                by: ctx.actor.login.clone(),
                at: ctx.now,
                entry,
            },
            ..p.clone()
        };
        ctx.tx.put_indexed(Some(&p), &done)?;
        lines.push(format!(
            "{id} → entry {entry} ({} points for {} under {})",
            held.points, member.data.name, rule.code
        ));
        subjects.push(format!("{} ({})", member.data.name, member.id));
        touched.members.push(member.id);
        if !touched.units.contains(&member.data.unit) {
            touched.units.push(member.data.unit);
        }
    }
    Ok(Applied {
        touched,
        subject: subjects.join(", "),
        created: None,
        summary: format!("approved pending {}", lines.join("; ")),
        inverse: None,
    })
}

/// Links an approved check-in's, absence's or task's entry from its record,
/// so taking the check-in (absence, completion) back takes the entry back.
fn link(ctx: &Ctx, p: &PendingEntry, entry: EntryId) -> OpResult<()> {
    match p.source {
        EntrySource::Activity(activity) => {
            if let Some(old) = ctx.tx.attendance(activity, p.member)? {
                let presence = match old.presence.clone() {
                    Presence::Present {
                        checked_in,
                        award: None,
                    } => Presence::Present {
                        checked_in,
                        award: Some(entry),
                    },
                    Presence::Unexcused {
                        date,
                        deduction: None,
                        note,
                    } => Presence::Unexcused {
                        date,
                        deduction: Some(entry),
                        note,
                    },
                    other => other,
                };
                ctx.tx.put_indexed(
                    Some(&old),
                    &Attendance {
                        presence,
                        ..old.clone()
                    },
                )?;
            }
        }
        EntrySource::Task(task) => {
            if let Some(old) = ctx.tx.get_id::<Task>(task.0)?
                && old.award.is_none()
            {
                ctx.tx.put_indexed(
                    Some(&old),
                    &Task {
                        award: Some(entry),
                        ..old.clone()
                    },
                )?;
            }
        }
        EntrySource::Manual | EntrySource::Redemption(_) => {}
    }
    Ok(())
}

/// Withdraws what waits for an activity's attendance (or a task) of a
/// member when the attendance (the completion) is taken back: nothing of it
/// is to be approved any more.
pub(super) fn withdraw_for(ctx: &Ctx, member: MemberId, source: EntrySource) -> OpResult<()> {
    if let Some(p) = ctx.tx.pending_for(source, member)? {
        let done = PendingEntry {
            state: Approval::Rejected {
                by: ctx.actor.login.clone(),
                at: ctx.now,
                reason: "withdrawn: what it was for was taken back".into(),
            },
            ..p.clone()
        };
        ctx.tx.put_indexed(Some(&p), &done)?;
    }
    Ok(())
}

fn reject(ctx: &Ctx, ids: &[PendingId], reason: &str) -> OpResult<Applied> {
    if ids.is_empty() {
        return no_ids();
    }
    let reason = required_text("reason", reason, 200)?;
    let mut touched = Touched {
        areas: vec![super::Area::Approvals],
        ..Touched::default()
    };
    let mut subjects = Vec::new();
    for id in ids {
        let (p, m) = load_open(ctx, *id)?;
        // The recorder may withdraw their own entry; anyone else must be
        // able to approve it.
        if p.recorded_by != ctx.actor.login {
            ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
        }
        let done = PendingEntry {
            state: Approval::Rejected {
                by: ctx.actor.login.clone(),
                at: ctx.now,
                reason: reason.clone(),
            },
            ..p.clone()
        };
        ctx.tx.put_indexed(Some(&p), &done)?;
        subjects.push(format!("{} ({})", m.data.name, m.id));
        touched.members.push(m.id);
        if !touched.units.contains(&m.data.unit) {
            touched.units.push(m.data.unit);
        }
    }
    let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    Ok(Applied {
        touched,
        subject: subjects.join(", "),
        created: None,
        summary: format!("rejected pending {}: {reason}", list.join(", ")),
        inverse: None,
    })
}
