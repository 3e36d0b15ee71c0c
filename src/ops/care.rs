//! Pairing assistance (结对帮扶): beneficiaries, member–beneficiary pairings, and
//! the tasks (visits, care, errands) that show the help really happens.

use super::authority::Need;
use super::award::{Outcome, award_or_wait};
use super::members::active;
use super::org::open_unit;
use super::points::{active_rule_by_code, reverse_by_id};
use super::{
    Applied, Command, Ctx, OpResult, address_text, invalid, not_found, optional_text, refuse,
    required_text,
};
use crate::domain::validate::ValueError;
use crate::domain::*;

/// The points rule code a task kind earns when completed, if any.
pub fn rule_code_for(kind: TaskKind) -> Option<&'static str> {
    match kind {
        TaskKind::Visit => Some("VISIT"),
        TaskKind::Care => Some("CARE"),
        TaskKind::Errand => Some("ERRAND"),
        TaskKind::Other => None,
    }
}

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::CreateBeneficiary { data } => {
            ctx.actor.require(ctx, Need::Manage(data.unit))?;
            let data = clean_beneficiary(ctx, data)?;
            let id = BeneficiaryId(ctx.tx.next_id("beneficiary")?);
            let summary = format!("added beneficiary {} ({id})", data.name);
            let subject = format!("{} ({id})", data.name);
            ctx.tx.put(&Beneficiary { id, data })?;
            Ok(Applied {
                touched: Default::default(),
                subject,
                created: Some(id.0),
                summary,
                inverse: Some(Command::Uncreate {
                    kind: super::Created::Beneficiary,
                    id: id.0,
                }),
            })
        }
        Command::UpdateBeneficiary { id, data } => {
            let old = load_beneficiary(ctx, *id)?;
            ctx.actor.require(ctx, Need::Manage(old.data.unit))?;
            ctx.actor.require(ctx, Need::Manage(data.unit))?;
            let data = clean_beneficiary(ctx, data)?;
            let summary = format!("updated beneficiary {} ({id})", data.name);
            let subject = format!("{} ({id})", data.name);
            ctx.tx.put(&Beneficiary { id: *id, data })?;
            Ok(Applied {
                touched: Default::default(),
                subject,
                created: None,
                summary,
                inverse: Some(Command::UpdateBeneficiary {
                    id: *id,
                    data: old.data,
                }),
            })
        }
        Command::CreatePairing {
            member,
            beneficiary,
            since,
        } => {
            let b = load_beneficiary(ctx, *beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            if !b.data.active {
                return refuse(
                    format!("{} is no longer receiving assistance", b.data.name),
                    format!("{} 已结束帮扶", b.data.name),
                );
            }
            let m = active(ctx, *member)?;
            let id = PairingId(ctx.tx.next_id("pairing")?);
            let pairing = Pairing {
                id,
                member: *member,
                beneficiary: *beneficiary,
                since: *since,
                until: None,
                end_reason: String::new(),
            };
            ctx.tx.put_indexed(None, &pairing)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", b.data.name, b.id),
                created: Some(id.0),
                summary: format!("paired {} with {} from {since}", m.data.name, b.data.name),
                inverse: Some(Command::Uncreate {
                    kind: super::Created::Pairing,
                    id: id.0,
                }),
            })
        }
        Command::EndPairing { id, until, reason } => {
            let old = load_pairing(ctx, *id)?;
            let b = load_beneficiary(ctx, old.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            if old.until.is_some() {
                return refuse(
                    format!("pairing {id} has already ended"),
                    format!("结对 {id} 已经结束"),
                );
            }
            if *until < old.since {
                return refuse(
                    format!(
                        "a pairing cannot end ({until}) before it began ({})",
                        old.since
                    ),
                    format!("结对不能在开始（{}）之前结束（{until}）", old.since),
                );
            }
            ctx.tx.put_indexed(
                Some(&old),
                &Pairing {
                    until: Some(*until),
                    end_reason: reason.trim().to_string(),
                    ..old.clone()
                },
            )?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", b.data.name, b.id),
                created: None,
                summary: match reason.trim() {
                    "" => format!("ended pairing {id} with {} on {until}", b.data.name),
                    why => format!("ended pairing {id} with {} on {until}: {why}", b.data.name),
                },
                inverse: Some(Command::ReopenPairing { id: *id }),
            })
        }
        Command::ReopenPairing { id } => {
            let old = load_pairing(ctx, *id)?;
            let b = load_beneficiary(ctx, old.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            let Some(until) = old.until else {
                return refuse(
                    format!("pairing {id} is still active"),
                    format!("结对 {id} 仍在进行"),
                );
            };
            ctx.tx.put_indexed(
                Some(&old),
                &Pairing {
                    until: None,
                    end_reason: String::new(),
                    ..old.clone()
                },
            )?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", b.data.name, b.id),
                created: None,
                summary: format!("reopened pairing {id} with {}", b.data.name),
                inverse: Some(Command::EndPairing {
                    id: *id,
                    until,
                    reason: old.end_reason.clone(),
                }),
            })
        }
        Command::CreateTask {
            kind,
            title,
            beneficiary,
            assignee,
            due,
        } => {
            let b = load_beneficiary(ctx, *beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            let m = active(ctx, *assignee)?;
            let id = TaskId(ctx.tx.next_id("task")?);
            let task = Task {
                id,
                kind: *kind,
                title: required_text("title", title, 80)?,
                beneficiary: *beneficiary,
                assignee: *assignee,
                due: *due,
                status: TaskStatus::Open,
                done_date: None,
                hours_centi: 0,
                outcome: String::new(),
                award: None,
            };
            ctx.tx.put_indexed(None, &task)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", b.data.name, b.id),
                created: Some(id.0),
                summary: format!(
                    "task {id} for {}: {} (due {due}, {})",
                    b.data.name, task.title, m.data.name
                ),
                inverse: Some(Command::Uncreate {
                    kind: super::Created::Task,
                    id: id.0,
                }),
            })
        }
        Command::UpdateTask {
            id,
            title,
            assignee,
            due,
        } => {
            let old = load_task(ctx, *id)?;
            let b = load_beneficiary(ctx, old.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            if old.status != TaskStatus::Open {
                return refuse(
                    format!("task {id} is not open; reopen it first"),
                    format!("任务 {id} 不是待办状态，请先重新打开"),
                );
            }
            let m = active(ctx, *assignee)?;
            let new = Task {
                title: required_text("title", title, 80)?,
                assignee: *assignee,
                due: *due,
                ..old.clone()
            };
            ctx.tx.put_indexed(Some(&old), &new)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", b.data.name, b.id),
                created: None,
                summary: format!("task {id}: {} (due {due}, {})", new.title, m.data.name),
                inverse: Some(Command::UpdateTask {
                    id: *id,
                    title: old.title,
                    assignee: old.assignee,
                    due: old.due,
                }),
            })
        }
        Command::CompleteTask {
            id,
            date,
            hours_centi,
            outcome,
        } => {
            let old = load_task(ctx, *id)?;
            let b = load_beneficiary(ctx, old.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            if old.status != TaskStatus::Open {
                return refuse(
                    format!("task {id} is not open"),
                    format!("任务 {id} 不是待办状态"),
                );
            }
            if *date > ctx.today() {
                return invalid("done date", ValueError::FutureDate(*date));
            }
            let m = active(ctx, old.assignee)?;
            let outcome = optional_text("outcome", outcome, 500)?;
            let mut awarded = None;
            if let Some(code) = rule_code_for(old.kind)
                && let Some(rule) = active_rule_by_code(ctx, code)?
            {
                let quantity = match rule.basis {
                    RuleBasis::PerHour => *hours_centi,
                    RuleBasis::PerTime => 100,
                };
                if quantity > 0 {
                    awarded = Some(award_or_wait(
                        ctx,
                        &m,
                        *date,
                        &rule,
                        quantity,
                        &format!("task {id}: {}", old.title),
                        EntrySource::Task(*id),
                    )?);
                }
            }
            let award_id = awarded.and_then(Outcome::entry);
            let new = Task {
                status: TaskStatus::Done,
                done_date: Some(*date),
                hours_centi: *hours_centi,
                outcome,
                award: award_id,
                ..old.clone()
            };
            ctx.tx.put_indexed(Some(&old), &new)?;
            Ok(Applied {
                touched: Outcome::touched(awarded),
                subject: format!("{} ({})", b.data.name, b.id),
                created: awarded.map(Outcome::created),
                summary: format!(
                    "{} completed task {id} for {} on {date}{}",
                    m.data.name,
                    b.data.name,
                    awarded.map(Outcome::waiting_note).unwrap_or_default()
                ),
                inverse: Some(Command::ReopenTask { id: *id }),
            })
        }
        Command::CancelTask { id } => {
            let old = load_task(ctx, *id)?;
            let b = load_beneficiary(ctx, old.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            if old.status != TaskStatus::Open {
                return refuse(
                    format!("task {id} is not open"),
                    format!("任务 {id} 不是待办状态"),
                );
            }
            ctx.tx.put_indexed(
                Some(&old),
                &Task {
                    status: TaskStatus::Cancelled,
                    ..old.clone()
                },
            )?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", b.data.name, b.id),
                created: None,
                summary: format!("cancelled task {id} for {}", b.data.name),
                inverse: Some(Command::ReopenTask { id: *id }),
            })
        }
        Command::ReopenTask { id } => {
            let old = load_task(ctx, *id)?;
            let b = load_beneficiary(ctx, old.beneficiary)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            if old.status == TaskStatus::Open {
                return refuse(
                    format!("task {id} is already open"),
                    format!("任务 {id} 已经是待办状态"),
                );
            }
            match old.award {
                Some(entry) => reverse_by_id(ctx, entry, &format!("task {id} reopened"))?,
                // What waits for approval is withdrawn with it.
                None => super::approval::withdraw_for(ctx, old.assignee, EntrySource::Task(*id))?,
            }
            let inverse = match old.status {
                TaskStatus::Done => Command::CompleteTask {
                    id: *id,
                    date: old.done_date.unwrap_or(old.due),
                    hours_centi: old.hours_centi,
                    outcome: old.outcome.clone(),
                },
                _ => Command::CancelTask { id: *id },
            };
            ctx.tx.put_indexed(
                Some(&old),
                &Task {
                    status: TaskStatus::Open,
                    done_date: None,
                    award: None,
                    ..old.clone()
                },
            )?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", b.data.name, b.id),
                created: None,
                summary: format!("reopened task {id} for {}", b.data.name),
                inverse: Some(inverse),
            })
        }
        _ => refuse(
            format!("{} is not a pairing-assistance command", cmd.kind()),
            format!("{} 不是结对帮扶命令", cmd.kind()),
        ),
    }
}

// Outside the actor's sight is "not found", as for the members' loader.

pub(crate) fn load_beneficiary(ctx: &Ctx, id: BeneficiaryId) -> OpResult<Beneficiary> {
    match ctx.tx.get_id::<Beneficiary>(id.0)? {
        Some(b) if ctx.sees(b.data.unit)? => Ok(b),
        _ => not_found(format!("beneficiary {id}"), format!("帮扶对象 {id}")),
    }
}

pub(super) fn load_pairing(ctx: &Ctx, id: PairingId) -> OpResult<Pairing> {
    match ctx.tx.get_id::<Pairing>(id.0)? {
        Some(p) if sees_member_or_beneficiary(ctx, p.member, p.beneficiary)? => Ok(p),
        _ => not_found(format!("pairing {id}"), format!("结对 {id}")),
    }
}

pub(super) fn load_task(ctx: &Ctx, id: TaskId) -> OpResult<Task> {
    match ctx.tx.get_id::<Task>(id.0)? {
        Some(t) if sees_member_or_beneficiary(ctx, t.assignee, t.beneficiary)? => Ok(t),
        _ => not_found(format!("task {id}"), format!("任务 {id}")),
    }
}

fn sees_member_or_beneficiary(
    ctx: &Ctx,
    member: MemberId,
    beneficiary: BeneficiaryId,
) -> OpResult<bool> {
    if let Some(m) = ctx.tx.get_id::<Member>(member.0)?
        && ctx.sees(m.data.unit)?
    {
        return Ok(true);
    }
    match ctx.tx.get_id::<Beneficiary>(beneficiary.0)? {
        Some(b) => ctx.sees(b.data.unit),
        None => Ok(false),
    }
}

fn clean_beneficiary(ctx: &Ctx, data: &BeneficiaryData) -> OpResult<BeneficiaryData> {
    open_unit(ctx, data.unit)?;
    if data.visit_cycle_days == 0 || data.visit_cycle_days > 366 {
        return refuse(
            "visit cycle must be between 1 and 366 days",
            "走访周期应在 1 到 366 天之间",
        );
    }
    let contact = data.contact.trim();
    let contact = if contact.is_empty() {
        String::new()
    } else {
        match crate::domain::validate::validate_phone(contact) {
            Ok(p) => p,
            Err(e) => return invalid("contact phone", e),
        }
    };
    Ok(BeneficiaryData {
        name: required_text("name", &data.name, 30)?,
        address: Address {
            building: address_text("building", &data.address.building, 20)?,
            unit: address_text("entrance", &data.address.unit, 10)?,
            room: address_text("room", &data.address.room, 10)?,
        },
        needs: optional_text("needs", &data.needs, 200)?,
        contact,
        notes: optional_text("notes", &data.notes, 500)?,
        ..data.clone()
    })
}
