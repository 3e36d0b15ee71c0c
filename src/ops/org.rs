//! Org units (committee → branches → groups) and partner organisations.

use super::authority::Need;
use super::{Applied, Command, Ctx, OpResult, not_found, optional_text, refuse, required_text};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::CreateOrgUnit {
            parent,
            level,
            name,
            buildings,
            established,
            notes,
        } => {
            let name = required_text("name", name, 60)?;
            match (parent, level) {
                (None, OrgLevel::Committee) => {
                    ctx.actor.require(ctx, Need::Admin)?;
                }
                (None, _) => {
                    return refuse(
                        "a branch or group needs a parent unit",
                        "党支部或党小组需要上级组织",
                    );
                }
                (Some(_), OrgLevel::Committee) => {
                    return refuse(
                        "a committee is the top of the tree and has no parent",
                        "社区党委是最高一级，没有上级组织",
                    );
                }
                (Some(p), _) => {
                    let parent_unit = open_unit(ctx, *p)?;
                    if parent_unit.level.child() != Some(*level) {
                        return refuse(
                            format!(
                                "a {} cannot sit under a {} ({})",
                                level.name_en(),
                                parent_unit.level.name_en(),
                                parent_unit.name
                            ),
                            format!(
                                "{}不能设在{}（{}）之下",
                                level.name_zh(),
                                parent_unit.level.name_zh(),
                                parent_unit.name
                            ),
                        );
                    }
                    let need = if *level == OrgLevel::Branch {
                        Need::Admin
                    } else {
                        Need::Manage(*p)
                    };
                    ctx.actor.require(ctx, need)?;
                }
            }
            let id = OrgUnitId(ctx.tx.next_id("org_unit")?);
            let unit = OrgUnit {
                id,
                parent: *parent,
                level: *level,
                name,
                leader: None,
                buildings: clean_buildings(*level, buildings)?,
                established: *established,
                closed: None,
                notes: optional_text("notes", notes, 500)?,
            };
            ctx.tx.put(&unit)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", unit.name),
                created: Some(id.0),
                summary: format!("created {} {} ({id})", level.name_en(), unit.name),
                inverse: Some(Command::Uncreate {
                    kind: super::Created::OrgUnit,
                    id: id.0,
                }),
            })
        }
        Command::UpdateOrgUnit {
            id,
            name,
            leader,
            buildings,
            established,
            notes,
        } => {
            let old = load(ctx, *id)?;
            ctx.actor.require(ctx, manage_need(&old))?;
            if let Some(m) = leader {
                let member = match ctx.tx.get_id::<Member>(m.0)? {
                    Some(m) => m,
                    None => return not_found(format!("member {m}"), format!("党员 {m}")),
                };
                if member.data.status != MemberStatus::Active {
                    return refuse(
                        format!("{} is not an active member", member.data.name),
                        format!("{} 不是在册党员", member.data.name),
                    );
                }
            }
            let new = OrgUnit {
                name: required_text("name", name, 60)?,
                leader: *leader,
                buildings: clean_buildings(old.level, buildings)?,
                established: *established,
                notes: optional_text("notes", notes, 500)?,
                ..old.clone()
            };
            ctx.tx.put(&new)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", new.name),
                created: None,
                summary: format!("updated {} {} ({id})", old.level.name_en(), new.name),
                inverse: Some(Command::UpdateOrgUnit {
                    id: *id,
                    name: old.name,
                    leader: old.leader,
                    buildings: old.buildings,
                    established: old.established,
                    notes: old.notes,
                }),
            })
        }
        Command::MoveOrgUnit { id, parent } => {
            let old = load(ctx, *id)?;
            let Some(old_parent) = old.parent else {
                return refuse("the committee cannot be moved", "社区党委不能调整上级");
            };
            let target = open_unit(ctx, *parent)?;
            if target.level.child() != Some(old.level) {
                return refuse(
                    format!(
                        "a {} cannot move under a {} ({})",
                        old.level.name_en(),
                        target.level.name_en(),
                        target.name
                    ),
                    format!(
                        "{}不能调到{}（{}）之下",
                        old.level.name_zh(),
                        target.level.name_zh(),
                        target.name
                    ),
                );
            }
            ctx.actor.require(ctx, Need::Manage(old_parent))?;
            ctx.actor.require(ctx, Need::Manage(*parent))?;
            if old.level == OrgLevel::Branch {
                ctx.actor.require(ctx, Need::Admin)?;
            }
            ctx.tx.put(&OrgUnit {
                parent: Some(*parent),
                ..old.clone()
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", old.name),
                created: None,
                summary: format!("moved {} under {}", old.name, target.name),
                inverse: Some(Command::MoveOrgUnit {
                    id: *id,
                    parent: old_parent,
                }),
            })
        }
        Command::CloseOrgUnit { id, date } => {
            let old = load(ctx, *id)?;
            ctx.actor.require(ctx, close_need(&old))?;
            if old.closed.is_some() {
                return refuse(
                    format!("{} is already closed", old.name),
                    format!("{} 已经撤销", old.name),
                );
            }
            if old.parent.is_none() {
                return refuse("the committee cannot be closed", "社区党委不能撤销");
            }
            ctx.tx.put(&OrgUnit {
                closed: Some(*date),
                ..old.clone()
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", old.name),
                created: None,
                summary: format!("closed {} on {date}", old.name),
                inverse: Some(Command::ReopenOrgUnit { id: *id }),
            })
        }
        Command::ReopenOrgUnit { id } => {
            let old = load(ctx, *id)?;
            ctx.actor.require(ctx, close_need(&old))?;
            let Some(date) = old.closed else {
                return refuse(
                    format!("{} is not closed", old.name),
                    format!("{} 没有撤销", old.name),
                );
            };
            ctx.tx.put(&OrgUnit {
                closed: None,
                ..old.clone()
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", old.name),
                created: None,
                summary: format!("reopened {}", old.name),
                inverse: Some(Command::CloseOrgUnit { id: *id, date }),
            })
        }
        Command::CreatePartner { data } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let data = clean_partner(ctx, data)?;
            let id = PartnerId(ctx.tx.next_id("partner")?);
            let summary = format!("added partner organisation {} ({id})", data.name);
            let subject = format!("{} ({id})", data.name);
            ctx.tx.put(&Partner {
                id,
                data,
                closed: None,
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject,
                created: Some(id.0),
                summary,
                inverse: None,
            })
        }
        Command::UpdatePartner { id, data } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let Some(old) = ctx.tx.get_id::<Partner>(id.0)? else {
                return not_found(
                    format!("partner organisation {id}"),
                    format!("联建单位 {id}"),
                );
            };
            let data = clean_partner(ctx, data)?;
            let summary = format!("updated partner organisation {} ({id})", data.name);
            let subject = format!("{} ({id})", data.name);
            ctx.tx.put(&Partner {
                id: *id,
                data,
                closed: old.closed,
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject,
                created: None,
                summary,
                inverse: Some(Command::UpdatePartner {
                    id: *id,
                    data: old.data,
                }),
            })
        }
        _ => unreachable_command(cmd),
    }
}

fn unreachable_command(cmd: &Command) -> OpResult<Applied> {
    refuse(
        format!("{} is not an org command", cmd.kind()),
        format!("{} 不是组织命令", cmd.kind()),
    )
}

pub(crate) fn load(ctx: &Ctx, id: OrgUnitId) -> OpResult<OrgUnit> {
    match ctx.tx.get_id::<OrgUnit>(id.0)? {
        Some(u) => Ok(u),
        None => not_found(format!("org unit {id}"), format!("组织 {id}")),
    }
}

/// A unit that exists and is not closed: the only kind new things may join.
pub(crate) fn open_unit(ctx: &Ctx, id: OrgUnitId) -> OpResult<OrgUnit> {
    let unit = load(ctx, id)?;
    if let Some(date) = unit.closed {
        return refuse(
            format!("{} ({id}) was closed on {date}", unit.name),
            format!("{}（{id}）已于 {date} 撤销", unit.name),
        );
    }
    Ok(unit)
}

/// Editing a unit's own details: its secretary's branch for a branch, the
/// branch above for a group, the admin for the committee.
fn manage_need(unit: &OrgUnit) -> Need {
    match unit.level {
        OrgLevel::Committee => Need::Admin,
        OrgLevel::Branch => Need::Manage(unit.id),
        OrgLevel::Group => Need::Manage(unit.parent.unwrap_or(unit.id)),
    }
}

fn close_need(unit: &OrgUnit) -> Need {
    match unit.level {
        OrgLevel::Group => Need::Manage(unit.parent.unwrap_or(unit.id)),
        _ => Need::Admin,
    }
}

fn clean_buildings(level: OrgLevel, buildings: &[String]) -> OpResult<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(buildings.len());
    for b in buildings {
        let b = super::address_text("buildings", b, 20)?;
        if !b.is_empty() {
            out.push(b);
        }
    }
    out.dedup();
    if !out.is_empty() && level != OrgLevel::Group {
        return refuse(
            "only a building party group covers buildings",
            "只有楼栋党小组才覆盖楼栋",
        );
    }
    Ok(out)
}

fn clean_partner(ctx: &Ctx, data: &PartnerData) -> OpResult<PartnerData> {
    if let Some(u) = data.linked_unit {
        load(ctx, u)?;
    }
    let phone = if data.phone.trim().is_empty() {
        String::new()
    } else {
        match crate::domain::validate::validate_phone(&data.phone) {
            Ok(p) => p,
            Err(e) => return super::invalid("phone", e),
        }
    };
    Ok(PartnerData {
        name: required_text("name", &data.name, 80)?,
        contact: optional_text("contact", &data.contact, 40)?,
        phone,
        notes: optional_text("notes", &data.notes, 500)?,
        ..data.clone()
    })
}
