//! Activities (三会一课, theme party days, volunteer service, study) and
//! attendance. A check-in awards the activity's points in the same transaction;
//! taking it back reverses them.

use super::authority::Need;
use super::award::{Outcome, award_or_wait};
use super::members::active;
use super::org::open_unit;
use super::points::{load_rule, reverse_by_id};
use super::{Applied, Command, Ctx, OpResult, not_found, optional_text, refuse, required_text};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::CreateActivity { data } => {
            ctx.actor.require(ctx, Need::Manage(data.host))?;
            let data = clean(ctx, data)?;
            let id = ActivityId(ctx.tx.next_id("activity")?);
            let summary = format!("created activity {} on {} ({id})", data.title, data.starts);
            let subject = format!("{} ({id})", data.title);
            ctx.tx.put(&Activity { id, data })?;
            Ok(Applied {
                touched: Default::default(),
                subject,
                created: Some(id.0),
                summary,
                inverse: Some(Command::Uncreate {
                    kind: super::Created::Activity,
                    id: id.0,
                }),
            })
        }
        Command::UpdateActivity { id, data } => {
            let old = load(ctx, *id)?;
            ctx.actor.require(ctx, Need::Manage(old.data.host))?;
            ctx.actor.require(ctx, Need::Manage(data.host))?;
            let data = clean(ctx, data)?;
            let summary = format!("updated activity {} ({id})", data.title);
            let subject = format!("{} ({id})", data.title);
            ctx.tx.put(&Activity { id: *id, data })?;
            Ok(Applied {
                touched: Default::default(),
                subject,
                created: None,
                summary,
                inverse: Some(Command::UpdateActivity {
                    id: *id,
                    data: old.data,
                }),
            })
        }
        Command::CheckIn { activity, member } => {
            let act = load(ctx, *activity)?;
            let m = active(ctx, *member)?;
            require_attendance(ctx, &act, &m)?;
            if let Some(existing) = ctx.tx.attendance(*activity, *member)? {
                return match existing.presence {
                    Presence::Present { .. } => refuse(
                        format!(
                            "{} is already checked in to {}",
                            m.data.name, act.data.title
                        ),
                        format!("{} 已签到过“{}”", m.data.name, act.data.title),
                    ),
                    Presence::Absent { .. } | Presence::Unexcused { .. } => refuse(
                        format!(
                            "{} is marked absent from {}; take the absence back first",
                            m.data.name, act.data.title
                        ),
                        format!(
                            "{} 已登记缺席“{}”，请先撤销缺席",
                            m.data.name, act.data.title
                        ),
                    ),
                };
            }
            let outcome = match act.data.rule {
                Some(rule_id) => {
                    let rule = load_rule(ctx, rule_id)?;
                    Some(award_or_wait(
                        ctx,
                        &m,
                        act.data.starts.date(),
                        &rule,
                        100,
                        &format!("activity {activity}: {}", act.data.title),
                        EntrySource::Activity(*activity),
                    )?)
                }
                None => None,
            };
            let award_id = outcome.and_then(Outcome::entry);
            ctx.tx.put_indexed(
                None,
                &Attendance {
                    activity: *activity,
                    member: *member,
                    presence: Presence::Present {
                        checked_in: ctx.now,
                        award: award_id,
                    },
                    recorded_by: ctx.actor.login.clone(),
                },
            )?;
            Ok(Applied {
                touched: Outcome::touched(outcome),
                subject: format!("{} ({})", m.data.name, m.id),
                created: outcome.map(Outcome::created),
                summary: format!(
                    "checked in {} to {}{}",
                    m.data.name,
                    act.data.title,
                    outcome.map(Outcome::waiting_note).unwrap_or_default()
                ),
                inverse: Some(Command::RemoveAttendance {
                    activity: *activity,
                    member: *member,
                }),
            })
        }
        Command::MarkAbsent {
            activity,
            member,
            reason,
        } => {
            let act = load(ctx, *activity)?;
            let m = super::members::load(ctx, *member)?;
            require_attendance(ctx, &act, &m)?;
            if ctx.tx.attendance(*activity, *member)?.is_some() {
                return refuse(
                    format!(
                        "{} already has attendance recorded for {}",
                        m.data.name, act.data.title
                    ),
                    format!("{} 在“{}”已有考勤记录", m.data.name, act.data.title),
                );
            }
            let reason = optional_text("reason", reason, 200)?;
            ctx.tx.put_indexed(
                None,
                &Attendance {
                    activity: *activity,
                    member: *member,
                    presence: Presence::Absent {
                        reason: reason.clone(),
                    },
                    recorded_by: ctx.actor.login.clone(),
                },
            )?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", m.data.name, m.id),
                created: None,
                summary: format!("{} absent from {}: {reason}", m.data.name, act.data.title),
                inverse: Some(Command::RemoveAttendance {
                    activity: *activity,
                    member: *member,
                }),
            })
        }
        Command::RemoveAttendance { activity, member } => {
            let act = load(ctx, *activity)?;
            let m = super::members::load(ctx, *member)?;
            require_attendance(ctx, &act, &m)?;
            let Some(existing) = ctx.tx.attendance(*activity, *member)? else {
                return not_found(
                    format!("attendance of {} at {}", m.data.name, act.data.title),
                    format!("{} 在“{}”的考勤记录", m.data.name, act.data.title),
                );
            };
            match existing.presence {
                Presence::Present {
                    award: Some(entry), ..
                } => reverse_by_id(
                    ctx,
                    entry,
                    &format!("check-in to activity {activity} undone"),
                )?,
                // Taking the absence back takes its deduction back.
                Presence::Unexcused {
                    deduction: Some(entry),
                    ..
                } => {
                    // Taking a deduction back is for those who may deduct.
                    super::absence::require_deducter(ctx)?;
                    reverse_by_id(
                        ctx,
                        entry,
                        &format!("unexcused absence from activity {activity} taken back"),
                    )?
                }
                // What waits for approval is withdrawn with it.
                Presence::Present { award: None, .. }
                | Presence::Unexcused {
                    deduction: None, ..
                } => super::approval::withdraw_for(ctx, *member, EntrySource::Activity(*activity))?,
                _ => {}
            }
            ctx.tx.remove_indexed(&existing)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", m.data.name, m.id),
                created: None,
                summary: format!(
                    "removed attendance of {} at {}",
                    m.data.name, act.data.title
                ),
                inverse: None,
            })
        }
        _ => refuse(
            format!("{} is not an activity command", cmd.kind()),
            format!("{} 不是活动命令", cmd.kind()),
        ),
    }
}

pub(super) fn load(ctx: &Ctx, id: ActivityId) -> OpResult<Activity> {
    match ctx.tx.get_id::<Activity>(id.0)? {
        Some(a) => Ok(a),
        None => not_found(format!("activity {id}"), format!("活动 {id}")),
    }
}

/// Attendance may be recorded by whoever works in the host unit or the member's.
pub(super) fn require_attendance(ctx: &Ctx, act: &Activity, m: &Member) -> OpResult<()> {
    match ctx.actor.require(ctx, Need::WorkIn(act.data.host)) {
        Ok(()) => Ok(()),
        Err(_) => ctx.actor.require(ctx, Need::WorkIn(m.data.unit)),
    }
}

fn clean(ctx: &Ctx, data: &ActivityData) -> OpResult<ActivityData> {
    open_unit(ctx, data.host)?;
    super::org::load(ctx, data.invitees)?;
    if let Some(rule) = data.rule {
        let r = load_rule(ctx, rule)?;
        if !r.active {
            return refuse(
                format!("rule {} is retired", r.code),
                format!("积分项目 {} 已停用", r.code),
            );
        }
    }
    Ok(ActivityData {
        title: required_text("title", &data.title, 80)?,
        place: optional_text("place", &data.place, 80)?,
        notes: optional_text("notes", &data.notes, 500)?,
        ..data.clone()
    })
}
