//! Reveals: whole ID numbers and phones shown on screen or exported. Nothing
//! changes but the audit log, which says who saw whose. Allowed only to those
//! the rule table gives whole values (`access::sight`): a viewer has nothing
//! whole to reveal.

use super::authority::Need;
use super::{Applied, Ctx, OpResult, Reveal, refuse};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, what: &Reveal) -> OpResult<Applied> {
    if ctx.actor.role == Role::Viewer {
        return refuse(
            format!(
                "`{}` is a viewer and sees ID numbers and phones masked",
                ctx.actor.login
            ),
            format!(
                "`{}` 是只读用户，身份证号和电话只能看到打码",
                ctx.actor.login
            ),
        );
    }
    let (summary, subject) = match what {
        Reveal::Member(id) => {
            let m = super::members::load(ctx, *id)?;
            ctx.actor.require(ctx, Need::WorkIn(m.data.unit))?;
            (
                format!("revealed the ID number and phone of {} ({id})", m.data.name),
                format!("{} ({id})", m.data.name),
            )
        }
        Reveal::Beneficiary(id) => {
            let b = super::care::load_beneficiary(ctx, *id)?;
            ctx.actor.require(ctx, Need::WorkIn(b.data.unit))?;
            (
                format!("revealed the phone of {} ({id})", b.data.name),
                format!("{} ({id})", b.data.name),
            )
        }
        Reveal::Export { kind, org, rows } => {
            if ctx.actor.role == Role::GroupLeader {
                return refuse(
                    "a group leader may not export whole ID numbers and phones",
                    "小组长不能导出完整的身份证号和电话",
                );
            }
            let summary = match org {
                Some(u) => {
                    format!("exported {rows} {kind} of unit {u} with whole ID numbers and phones")
                }
                None => format!("exported {rows} {kind} with whole ID numbers and phones"),
            };
            (summary, String::new())
        }
    };
    Ok(Applied {
        summary,
        subject,
        ..Applied::default()
    })
}
