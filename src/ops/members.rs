//! Members: created, edited, moved between units, and given a status. A member
//! is never deleted: the ledger and attendance keep pointing at them.

use super::authority::{Need, within_tx};
use super::org::open_unit;
use super::{
    Applied, Command, Ctx, OpResult, address_text, invalid, not_found, optional_text, refuse,
    required_text,
};
use crate::domain::validate::{ValueError, validate_id_number, validate_phone};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::CreateMember { data } => {
            ctx.actor.require(ctx, Need::Manage(data.unit))?;
            let id = MemberId(ctx.tx.next_id("member")?);
            let data = clean(ctx, id, data)?;
            let member = Member { id, data };
            ctx.tx.put_indexed(None, &member)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", member.data.name),
                created: Some(id.0),
                summary: format!("added member {} ({id})", member.data.name),
                inverse: Some(Command::Uncreate {
                    kind: super::Created::Member,
                    id: id.0,
                }),
            })
        }
        Command::UpdateMember { id, data } => {
            let old = load(ctx, *id)?;
            ctx.actor.require(ctx, Need::Manage(old.data.unit))?;
            if data.unit != old.data.unit {
                ctx.actor.require(ctx, Need::Manage(data.unit))?;
            }
            let data = clean(ctx, *id, data)?;
            let new = Member { id: *id, data };
            ctx.tx.put_indexed(Some(&old), &new)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", new.data.name),
                created: None,
                summary: format!("updated member {} ({id})", new.data.name),
                inverse: Some(Command::UpdateMember {
                    id: *id,
                    data: old.data,
                }),
            })
        }
        Command::SetMemberStatus { id, status } => {
            let old = load(ctx, *id)?;
            ctx.actor.require(ctx, Need::Manage(old.data.unit))?;
            if old.data.status == *status {
                return refuse(
                    format!("{} already has that status", old.data.name),
                    format!("{} 已经是这个状态", old.data.name),
                );
            }
            let mut new = old.clone();
            new.data.status = *status;
            ctx.tx.put_indexed(Some(&old), &new)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", old.data.name),
                created: None,
                summary: format!(
                    "set status of {} ({id}) to {}",
                    old.data.name,
                    status.label(Lang::En)
                ),
                inverse: Some(Command::SetMemberStatus {
                    id: *id,
                    status: old.data.status,
                }),
            })
        }
        _ => refuse(
            format!("{} is not a member command", cmd.kind()),
            format!("{} 不是党员命令", cmd.kind()),
        ),
    }
}

/// The member, when the actor may see them; one outside their sight is "not
/// found", word for word as one that does not exist, so a refusal tells
/// nobody what lies outside their scope.
pub(crate) fn load(ctx: &Ctx, id: MemberId) -> OpResult<Member> {
    match ctx.tx.get_id::<Member>(id.0)? {
        Some(m) if ctx.sees(m.data.unit)? => Ok(m),
        _ => not_found(format!("member {id}"), format!("党员 {id}")),
    }
}

/// An active member, the only kind that can be given work or points.
pub(crate) fn active(ctx: &Ctx, id: MemberId) -> OpResult<Member> {
    let m = load(ctx, id)?;
    if m.data.status != MemberStatus::Active {
        return refuse(
            format!("{} ({id}) is no longer an active member here", m.data.name),
            format!("{}（{id}）已不是本社区的在册党员", m.data.name),
        );
    }
    Ok(m)
}

/// Said for an ID number held by a member the actor may not see: nothing
/// about that member (no name, no id, no digits). The import says the same.
pub const ID_ELSEWHERE_EN: &str =
    "this ID number is already registered elsewhere in the community; ask the committee";
pub const ID_ELSEWHERE_ZH: &str = "此身份证号已在本社区其他组织登记；请联系社区党委";

/// The member holding an ID number: the one lookup of the ID index.
fn holder_of(ctx: &Ctx, id_number: &str) -> OpResult<Option<Member>> {
    match ctx.tx.member_by_id_number(id_number)? {
        Some(other) => Ok(ctx.tx.get_id::<Member>(other.0)?),
        None => Ok(None),
    }
}

/// Validates and normalises every field of a member.
fn clean(ctx: &Ctx, id: MemberId, data: &MemberData) -> OpResult<MemberData> {
    let unit = open_unit(ctx, data.unit)?;
    if unit.level == OrgLevel::Committee {
        return refuse(
            "a member belongs to a branch or a building group, not the committee",
            "党员应属于党支部或楼栋党小组，不能直接属于社区党委",
        );
    }
    let id_number = if data.id_number.trim().is_empty() {
        String::new()
    } else {
        match validate_id_number(&data.id_number) {
            Ok(n) => n,
            Err(e) => return invalid("ID number", e),
        }
    };
    if !id_number.is_empty()
        && let Some(other) = holder_of(ctx, &id_number)?
        && other.id != id
    {
        // Only someone who may see that member learns who it is; to anyone
        // else the refusal says nothing about them (no name, id or digits).
        let in_scope = match ctx.actor.scope {
            None => true,
            Some(scope) => within_tx(ctx.tx, other.data.unit, scope)?,
        };
        if !in_scope {
            return refuse(ID_ELSEWHERE_EN, ID_ELSEWHERE_ZH);
        }
        return refuse(
            format!(
                "this ID number already belongs to member {} {}",
                other.id, other.data.name
            ),
            format!("此身份证号已属于党员 {} {}", other.id, other.data.name),
        );
    }
    let phone = if data.phone.trim().is_empty() {
        String::new()
    } else {
        match validate_phone(&data.phone) {
            Ok(p) => p,
            Err(e) => return invalid("phone", e),
        }
    };
    let today = ctx.today();
    for (field, date) in [
        ("birth date", data.birth_date.map(PartialDate::Day)),
        ("reported date", data.reported.map(PartialDate::Day)),
        ("join date", data.joined),
        ("full-membership date", data.full_member),
    ] {
        if let Some(d) = date
            && d.is_future(today)
        {
            return invalid(field, ValueError::FutureDate(d.first_day()));
        }
    }
    if let (Some(j), Some(f)) = (data.joined, data.full_member)
        && f.is_before(j)
    {
        return refuse(
            format!("full-membership date {f} is before the join date {j}"),
            format!("转正日期 {f} 早于入党日期 {j}"),
        );
    }
    let clean_list = |field: &'static str, items: &[String]| -> OpResult<Vec<String>> {
        let mut v: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            let t = optional_text(field, item, 40)?;
            if !t.is_empty() {
                v.push(t);
            }
        }
        v.dedup();
        Ok(v)
    };
    Ok(MemberData {
        name: required_text("name", &data.name, 30)?,
        id_number,
        phone,
        address: Address {
            building: address_text("building", &data.address.building, 20)?,
            unit: address_text("entrance", &data.address.unit, 10)?,
            room: address_text("room", &data.address.room, 10)?,
        },
        home_unit: optional_text("home unit", &data.home_unit, 80)?,
        skills: clean_list("skills", &data.skills)?,
        posts: clean_list("posts", &data.posts)?,
        notes: optional_text("notes", &data.notes, 500)?,
        ..data.clone()
    })
}
