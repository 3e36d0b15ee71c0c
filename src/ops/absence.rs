//! Unexcused absence (无故缺席) from an activity: recorded with the deduction
//! rule of the evaluation settings applied in the same transaction (so only
//! by the roles that may deduct); taking the absence back
//! (`RemoveAttendance`) reverses the deduction. An excused absence (请假) is
//! `MarkAbsent`, with its reason, and deducts nothing.

use super::activities::{load, require_attendance};
use super::award::{Outcome, award_or_wait};
use super::points::active_rule_by_code;
use super::{Applied, Command, Ctx, OpResult, optional_text, refuse};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    let Command::MarkUnexcused {
        activity,
        member,
        note,
    } = cmd
    else {
        return refuse(
            format!("{} is not an absence command", cmd.kind()),
            format!("{} 不是缺席命令", cmd.kind()),
        );
    };
    let act = load(ctx, *activity)?;
    let m = super::members::active(ctx, *member)?;
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
    let note = optional_text("note", note, 200)?;
    let date = act.data.starts.date();
    let settings = ctx.tx.evaluation_settings()?;
    let rule = match &settings.absence_rule {
        Some(code) => active_rule_by_code(ctx, code)?,
        None => None,
    };
    let why = if note.is_empty() {
        format!(
            "unexcused absence from activity {activity}: {}",
            act.data.title
        )
    } else {
        format!(
            "unexcused absence from activity {activity}: {}: {note}",
            act.data.title
        )
    };
    let outcome = match &rule {
        Some(rule) => Some(award_or_wait(
            ctx,
            &m,
            date,
            rule,
            100,
            &why,
            EntrySource::Activity(*activity),
        )?),
        None => None,
    };
    let deduction = outcome.and_then(Outcome::entry);
    ctx.tx.put_indexed(
        None,
        &Attendance {
            activity: *activity,
            member: *member,
            presence: Presence::Unexcused {
                date,
                deduction,
                note,
            },
            recorded_by: ctx.actor.login.clone(),
        },
    )?;
    let deducted = match (&rule, outcome) {
        (Some(r), Some(Outcome::Entry(e))) => {
            format!(", {} points under {} (entry {e})", r.points, r.code)
        }
        (Some(r), Some(waiting)) => format!(
            ", {} points under {}{}",
            r.points,
            r.code,
            waiting.waiting_note()
        ),
        _ => String::new(),
    };
    Ok(Applied {
        touched: Outcome::touched(outcome),
        subject: format!("{} ({})", m.data.name, m.id),
        created: outcome.map(Outcome::created),
        summary: format!(
            "{} absent without excuse from {}{deducted}",
            m.data.name, act.data.title
        ),
        inverse: Some(Command::RemoveAttendance {
            activity: *activity,
            member: *member,
        }),
    })
}

/// Refuses an actor whose role the settings do not let record deductions.
pub(super) fn require_deducter(ctx: &Ctx) -> OpResult<()> {
    if ctx
        .tx
        .evaluation_settings()?
        .deduct_roles
        .contains(&ctx.actor.role)
    {
        return Ok(());
    }
    Err(super::forbidden(
        format!(
            "`{}` ({}) may not record or take back deductions; ask a branch secretary",
            ctx.actor.login,
            ctx.actor.role.name_en()
        ),
        format!(
            "`{}`（{}）不能扣分或撤销扣分，请由支部书记处理",
            ctx.actor.login,
            ctx.actor.role.name_zh()
        ),
    ))
}
