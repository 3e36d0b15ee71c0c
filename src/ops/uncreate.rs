//! Taking back a creation: the inverse of every create command, so undo of
//! "add member" leaves no record behind (no 已转出 member in search, the ID
//! number free for the corrected entry). It removes the record and its index
//! entries and is audited like any command, so the audit ids stay without
//! gaps and the log says what was removed. It is refused once anything refers
//! to the record (points, attendance, a pairing, a task, a sub-unit …): then
//! the record stays and the way out is a status, closing or ending it. The
//! record's id number is not given out again (ids are never reused).

use super::authority::Need;
use super::command::Created;
use super::{Applied, Ctx, OpResult, Touched, refuse};
use crate::domain::*;
use crate::store::{Dependant, Store, StoreError};

pub(super) fn apply(ctx: &Ctx, kind: Created, id: u64) -> OpResult<Applied> {
    let (subject, what, touched) = match kind {
        Created::Member => {
            let m = super::members::load(ctx, MemberId(id))?;
            ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
            let subject = format!("{} ({})", m.data.name, m.id);
            blocked(ctx, &subject)?;
            ctx.tx.remove_indexed(&m)?;
            let touched = Touched {
                areas: vec![super::Area::Members],
                members: vec![m.id],
                units: vec![m.data.unit],
                ..Touched::default()
            };
            (subject, "member", touched)
        }
        Created::OrgUnit => {
            let u = super::org::load(ctx, OrgUnitId(id))?;
            let need = match u.parent {
                Some(parent) => Need::Manage(parent),
                None => Need::Admin,
            };
            ctx.actor.require(ctx, need)?;
            let subject = format!("{} ({})", u.name, u.id);
            blocked(ctx, &subject)?;
            ctx.tx.remove(&u)?;
            let touched = Touched {
                areas: vec![super::Area::Org],
                ..Touched::default()
            };
            (subject, "org unit", touched)
        }
        Created::Activity => {
            let a = super::activities::load(ctx, ActivityId(id))?;
            ctx.actor.require(ctx, Need::Manage(a.data.host))?;
            let subject = format!("{} ({})", a.data.title, a.id);
            blocked(ctx, &subject)?;
            ctx.tx.remove(&a)?;
            let touched = Touched {
                areas: vec![super::Area::Activities],
                units: vec![a.data.host, a.data.invitees],
                ..Touched::default()
            };
            (subject, "activity", touched)
        }
        Created::Beneficiary => {
            let b = super::care::load_beneficiary(ctx, BeneficiaryId(id))?;
            ctx.actor.require(ctx, Need::Manage(b.data.unit))?;
            let subject = format!("{} ({})", b.data.name, b.id);
            blocked(ctx, &subject)?;
            ctx.tx.remove(&b)?;
            let touched = Touched {
                areas: vec![super::Area::Care],
                units: vec![b.data.unit],
                ..Touched::default()
            };
            (subject, "beneficiary", touched)
        }
        Created::Pairing => {
            let p = super::care::load_pairing(ctx, PairingId(id))?;
            let b = super::care::load_beneficiary(ctx, p.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            let subject = format!("{} ({})", b.data.name, p.id);
            blocked(ctx, &subject)?;
            ctx.tx.remove_indexed(&p)?;
            let touched = Touched {
                areas: vec![super::Area::Care],
                members: vec![p.member],
                units: vec![b.data.unit],
                ..Touched::default()
            };
            (subject, "pairing", touched)
        }
        Created::Task => {
            let t = super::care::load_task(ctx, TaskId(id))?;
            let b = super::care::load_beneficiary(ctx, t.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            let subject = format!("{} ({})", t.title, t.id);
            // A task done has awarded points: those refer to it.
            blocked(ctx, &subject)?;
            if t.status != TaskStatus::Open || t.award.is_some() {
                refuse_with(&subject, &[Dependant::PointsEntries])?;
            }
            ctx.tx.remove_indexed(&t)?;
            let touched = Touched {
                areas: vec![super::Area::Care],
                members: vec![t.assignee],
                units: vec![b.data.unit],
                ..Touched::default()
            };
            (subject, "task", touched)
        }
    };
    Ok(Applied {
        created: None,
        summary: format!("took back the creation of {what} {subject}"),
        subject,
        inverse: None,
        touched,
    })
}

/// What refers to the record, read from the committed store before the
/// transaction (see `apply_pending`). Pairings and tasks have none a scan
/// must find (a task's award is on the task).
pub(super) fn dependants(
    store: &Store,
    kind: Created,
    id: u64,
) -> Result<Vec<Dependant>, StoreError> {
    match kind {
        Created::Member => store.member_dependants(MemberId(id)),
        Created::OrgUnit => store.unit_dependants(OrgUnitId(id)),
        Created::Activity => store.activity_dependants(ActivityId(id)),
        Created::Beneficiary => store.beneficiary_dependants(BeneficiaryId(id)),
        Created::Pairing | Created::Task => Ok(Vec::new()),
    }
}

/// Refuses when anything refers to the record (saying what), or when the
/// check could not be made (an uncreate inside a batch). Called once the
/// record is known to be within the actor's sight, so a refusal reveals
/// nothing of records out of scope.
fn blocked(ctx: &Ctx, subject: &str) -> OpResult<()> {
    match ctx.dependants {
        Some(found) => refuse_with(subject, found),
        None => refuse(
            "taking back a creation is applied on its own, not in a batch",
            "撤销新建只能单独执行，不能成批执行",
        ),
    }
}

fn refuse_with(subject: &str, dependants: &[Dependant]) -> OpResult<()> {
    if dependants.is_empty() {
        return Ok(());
    }
    let en: Vec<&str> = dependants.iter().map(|d| words(*d).0).collect();
    let zh: Vec<&str> = dependants.iter().map(|d| words(*d).1).collect();
    refuse(
        format!(
            "{subject} cannot be taken back: {} refer to it (change its status, close or end it instead)",
            en.join(", ")
        ),
        format!(
            "{subject} 已有{}，不能撤销新建（可改状态、撤销或结束）",
            zh.join("、")
        ),
    )
}

fn words(d: Dependant) -> (&'static str, &'static str) {
    match d {
        Dependant::PointsEntries => ("points entries", "积分记录"),
        Dependant::PendingEntries => ("entries waiting for approval", "待审核的积分"),
        Dependant::Attendance => ("attendance records", "签到或缺席记录"),
        Dependant::Pairings => ("pairings", "结对"),
        Dependant::Tasks => ("tasks", "帮扶任务"),
        Dependant::Movement => ("transfer or flow records", "组织关系转接或流动记录"),
        Dependant::LeadsUnit => ("units they lead", "担任负责人的组织"),
        Dependant::Committee => ("committee terms", "支委会任期"),
        Dependant::Minutes => ("meeting minutes", "会议记录"),
        Dependant::Members => ("members", "党员"),
        Dependant::SubUnits => ("sub-units", "下级组织"),
        Dependant::Beneficiaries => ("beneficiaries", "帮扶对象"),
        Dependant::Activities => ("activities", "活动"),
        Dependant::Users => ("users", "用户"),
        Dependant::Partners => ("partner organisations", "联建单位"),
        Dependant::OrgLife => ("organisational-life records", "组织生活记录"),
    }
}
