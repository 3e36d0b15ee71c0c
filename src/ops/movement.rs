//! Members who move: transfers of their organisational relationship out and
//! in (dated records, the member never deleted, their status following the
//! transfer in the same transaction), the flow registers of mobile members
//! (流出 / 流入), and lost contact (失联) with the attempts to reach them.
//! Each command's inverse puts back what was there.

use super::authority::Need;
use super::members::load as load_member;
use super::{Applied, Command, Ctx, OpResult, not_found, optional_text, refuse, required_text};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::RecordTransfer {
            member,
            direction,
            data,
        } => record_transfer(ctx, *member, *direction, data),
        Command::RemoveTransfer { member, id } => remove_transfer(ctx, *member, *id),
        Command::RecordFlow { data } => {
            let m = load_member(ctx, data.member)?;
            ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
            let data = clean_flow(data)?;
            let id = FlowId(ctx.tx.next_id("flow")?);
            ctx.tx.put(&Flow {
                id,
                data: data.clone(),
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", m.data.name, m.id),
                created: Some(id.0),
                summary: format!(
                    "{} {} {} since {} ({id})",
                    m.data.name,
                    data.direction.flow_label(Lang::En),
                    data.place,
                    data.since
                ),
                inverse: Some(Command::RemoveFlow { id }),
            })
        }
        Command::UpdateFlow { id, data } => {
            let old = load_flow(ctx, *id)?;
            let m = load_member(ctx, old.data.member)?;
            ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
            if data.member != old.data.member {
                return refuse(
                    "a flow stays with its member; record a new one for someone else",
                    "流动记录不能改到别的党员名下，请为其另行登记",
                );
            }
            let data = clean_flow(data)?;
            ctx.tx.put(&Flow { id: *id, data })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", m.data.name, m.id),
                created: None,
                summary: format!("updated flow {id} of {}", m.data.name),
                inverse: Some(Command::UpdateFlow {
                    id: *id,
                    data: old.data,
                }),
            })
        }
        Command::RemoveFlow { id } => {
            let old = load_flow(ctx, *id)?;
            let m = load_member(ctx, old.data.member)?;
            ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
            ctx.tx.remove(&old)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", m.data.name, m.id),
                created: None,
                summary: format!("removed flow {id} of {}", m.data.name),
                inverse: Some(Command::RecordFlow { data: old.data }),
            })
        }
        Command::SetLostContact { member, state } => {
            let m = load_member(ctx, *member)?;
            ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
            let old = ctx.tx.lost_contact(*member)?;
            let summary = match state {
                Some(s) => {
                    let s = clean_lost(s)?;
                    let line = match s.regained {
                        Some(d) => format!("{} found again on {d}", m.data.name),
                        None => format!(
                            "{} out of contact since {} ({} attempts)",
                            m.data.name,
                            s.since,
                            s.attempts.len()
                        ),
                    };
                    ctx.tx.put(&LostContactRecord {
                        member: *member,
                        state: s,
                    })?;
                    line
                }
                None => {
                    if let Some(o) = &old {
                        ctx.tx.remove(o)?;
                    }
                    format!("cleared the lost-contact record of {}", m.data.name)
                }
            };
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", m.data.name, m.id),
                created: None,
                summary,
                inverse: Some(Command::SetLostContact {
                    member: *member,
                    state: old.map(|o| o.state),
                }),
            })
        }
        _ => refuse(
            format!("{} is not a movement command", cmd.kind()),
            format!("{} 不是党员流动命令", cmd.kind()),
        ),
    }
}

fn record_transfer(
    ctx: &Ctx,
    member: MemberId,
    direction: Direction,
    data: &TransferData,
) -> OpResult<Applied> {
    let old = load_member(ctx, member)?;
    ctx.actor.require(ctx, Need::Manage(old.data.unit))?;
    let data = TransferData {
        date: data.date,
        counterpart: required_text("counterpart", &data.counterpart, 80)?,
        letter: optional_text("letter number", &data.letter, 40)?,
        reason: optional_text("reason", &data.reason, 200)?,
    };
    let status = status_after(direction);
    match (direction, old.data.status) {
        (Direction::Out, MemberStatus::Active) | (Direction::In, _) => {}
        (Direction::Out, s) => {
            return refuse(
                format!(
                    "{} ({member}) is {}, not an active member to transfer out",
                    old.data.name,
                    s.label(Lang::En)
                ),
                format!(
                    "{}（{member}）状态为{}，不能转出",
                    old.data.name,
                    s.label(Lang::Zh)
                ),
            );
        }
    }
    if direction == Direction::In && old.data.status == MemberStatus::Deceased {
        return refuse(
            format!("{} ({member}) is recorded as deceased", old.data.name),
            format!("{}（{member}）已登记为已故", old.data.name),
        );
    }
    let id = TransferId(ctx.tx.next_id("transfer")?);
    ctx.tx.put(&Transfer {
        id,
        member,
        direction,
        data: data.clone(),
        status_before: old.data.status,
        unit: old.data.unit,
        recorded_by: ctx.actor.login.clone(),
    })?;
    if old.data.status != status {
        let mut new = old.clone();
        new.data.status = status;
        ctx.tx.put_indexed(Some(&old), &new)?;
    }
    let way = match direction {
        Direction::Out => "to",
        Direction::In => "from",
    };
    Ok(Applied {
        touched: Default::default(),
        subject: format!("{} ({member})", old.data.name),
        created: Some(id.0),
        summary: format!(
            "transferred {} ({member}) {} {way} {} on {}",
            old.data.name,
            direction.label(Lang::En),
            data.counterpart,
            data.date
        ),
        inverse: Some(Command::RemoveTransfer { member, id }),
    })
}

/// Takes back a transfer recorded by mistake: the record goes and the
/// member's status is what it was before it.
fn remove_transfer(ctx: &Ctx, member: MemberId, id: TransferId) -> OpResult<Applied> {
    let m = load_member(ctx, member)?;
    ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
    let Some(t) = ctx.tx.transfer(member, id)? else {
        return not_found(format!("transfer {id}"), format!("转接记录 {id}"));
    };
    if m.data.status != status_after(t.direction) {
        return refuse(
            format!(
                "{}'s status changed after transfer {id}; take back the later change first",
                m.data.name
            ),
            format!(
                "{} 在转接记录 {id} 之后状态又有变化，请先撤销后来的变化",
                m.data.name
            ),
        );
    }
    ctx.tx.remove(&t)?;
    if m.data.status != t.status_before {
        let mut new = m.clone();
        new.data.status = t.status_before;
        ctx.tx.put_indexed(Some(&m), &new)?;
    }
    Ok(Applied {
        touched: Default::default(),
        subject: format!("{} ({member})", m.data.name),
        created: None,
        summary: format!("took back transfer {id} of {}", m.data.name),
        inverse: Some(Command::RecordTransfer {
            member,
            direction: t.direction,
            data: t.data,
        }),
    })
}

/// The status a transfer leaves its member in.
fn status_after(direction: Direction) -> MemberStatus {
    match direction {
        Direction::Out => MemberStatus::TransferredOut,
        Direction::In => MemberStatus::Active,
    }
}

fn load_flow(ctx: &Ctx, id: FlowId) -> OpResult<Flow> {
    match ctx.tx.get_id::<Flow>(id.0)? {
        Some(f) => Ok(f),
        None => not_found(format!("flow {id}"), format!("流动记录 {id}")),
    }
}

fn clean_flow(data: &FlowData) -> OpResult<FlowData> {
    if let Some(until) = data.until
        && until < data.since
    {
        return refuse(
            format!("the flow ends ({until}) before it starts ({})", data.since),
            format!("结束日期（{until}）早于开始日期（{}）", data.since),
        );
    }
    Ok(FlowData {
        member: data.member,
        direction: data.direction,
        since: data.since,
        until: data.until,
        place: required_text("place", &data.place, 80)?,
        party_org: optional_text("party organisation", &data.party_org, 80)?,
        contact: optional_text("contact", &data.contact, 80)?,
        participation: optional_text("participation", &data.participation, 200)?,
        notes: optional_text("notes", &data.notes, 500)?,
    })
}

fn clean_lost(s: &LostContact) -> OpResult<LostContact> {
    if let Some(r) = s.regained
        && r < s.since
    {
        return refuse(
            format!("contact found again ({r}) before it was lost ({})", s.since),
            format!("恢复联系日期（{r}）早于失联日期（{}）", s.since),
        );
    }
    let mut attempts = Vec::with_capacity(s.attempts.len());
    for a in &s.attempts {
        attempts.push(ContactAttempt {
            date: a.date,
            note: optional_text("note", &a.note, 200)?,
        });
    }
    attempts.sort_by_key(|a| a.date);
    Ok(LostContact {
        since: s.since,
        attempts,
        regained: s.regained,
        notes: optional_text("notes", &s.notes, 500)?,
    })
}
