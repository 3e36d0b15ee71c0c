//! Partner organisations (联建共建) beyond adding and editing them (`org`):
//! closing a partnership and opening it again, and naming the partners an
//! activity was held with, so joint activities can be counted per partner.

use super::authority::Need;
use super::{Applied, Command, Ctx, OpResult, not_found, refuse};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::ClosePartner { id, date } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let p = load(ctx, *id)?;
            if let Some(d) = p.closed {
                return refuse(
                    format!("{} was closed on {d}", p.data.name),
                    format!("{} 已于 {d} 结束共建", p.data.name),
                );
            }
            ctx.tx.put(&Partner {
                closed: Some(*date),
                ..p.clone()
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", p.data.name),
                created: None,
                summary: format!("closed partner organisation {} on {date}", p.data.name),
                inverse: Some(Command::ReopenPartner { id: *id }),
            })
        }
        Command::ReopenPartner { id } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let p = load(ctx, *id)?;
            let Some(date) = p.closed else {
                return refuse(
                    format!("{} is not closed", p.data.name),
                    format!("{} 没有结束共建", p.data.name),
                );
            };
            ctx.tx.put(&Partner {
                closed: None,
                ..p.clone()
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", p.data.name),
                created: None,
                summary: format!("reopened partner organisation {}", p.data.name),
                inverse: Some(Command::ClosePartner { id: *id, date }),
            })
        }
        Command::SetActivityPartners { activity, partners } => {
            let Some(act) = ctx.tx.get_id::<Activity>(activity.0)? else {
                return not_found(format!("activity {activity}"), format!("活动 {activity}"));
            };
            ctx.actor.require(ctx, Need::Manage(act.data.host))?;
            let old = ctx.tx.activity_partners(*activity)?;
            let before = old.as_ref().map(|o| o.partners.clone()).unwrap_or_default();
            let mut list: Vec<PartnerId> = Vec::new();
            let mut names = Vec::new();
            for id in partners {
                let p = load(ctx, *id)?;
                // A partnership that has ended can still be named on the
                // activities held while it lasted, and stay on them.
                if let Some(d) = p.closed
                    && d < act.data.starts.date()
                    && !before.contains(id)
                {
                    return refuse(
                        format!("{} stopped building jointly on {d}", p.data.name),
                        format!("{} 已于 {d} 结束共建", p.data.name),
                    );
                }
                if !list.contains(id) {
                    list.push(*id);
                    names.push(p.data.name);
                }
            }
            let record = ActivityPartners {
                activity: *activity,
                partners: list.clone(),
            };
            if list.is_empty() {
                ctx.tx.remove(&record)?;
            } else {
                ctx.tx.put(&record)?;
            }
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({activity})", act.data.title),
                created: None,
                summary: format!(
                    "partners of {} ({activity}): {}",
                    act.data.title,
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
                inverse: Some(Command::SetActivityPartners {
                    activity: *activity,
                    partners: before,
                }),
            })
        }
        _ => refuse(
            format!("{} is not a partner command", cmd.kind()),
            format!("{} 不是联建单位命令", cmd.kind()),
        ),
    }
}

fn load(ctx: &Ctx, id: PartnerId) -> OpResult<Partner> {
    match ctx.tx.get_id::<Partner>(id.0)? {
        Some(p) => Ok(p),
        None => not_found(
            format!("partner organisation {id}"),
            format!("联建单位 {id}"),
        ),
    }
}
