//! The org tree export: one row per unit, its parent and leader by id.

use super::*;

/// The org tree, one row per unit in id order, closed units included (with
/// the date they closed).
pub(super) fn org_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    out: &mut dyn Rows,
) -> Result<(), ExportError> {
    out.head(
        if zh { "组织" } else { "Org units" },
        names(
            zh,
            &[
                UNIT_ID,
                ("层级", "Level"),
                ("名称", "Name"),
                ("上级编号", "Parent id"),
                ("负责人编号", "Leader id"),
                ("负责人", "Leader"),
                ("覆盖楼栋", "Buildings"),
                ("成立日期", "Established"),
                ("撤销日期", "Closed"),
            ],
        ),
    )?;
    let mut list: Vec<&OrgUnit> = units.values().filter(|u| inside(u.id)).collect();
    list.sort_by_key(|u| u.id);
    for u in list {
        out.row(vec![
            Value::id(u.id.0),
            Value::text(u.level.label(Lang::of_zh(zh))),
            Value::text(&u.name),
            Value::id_or_empty(u.parent.map(|p| p.0)),
            Value::id_or_empty(u.leader.map(|m| m.0)),
            Value::text(leader_name(store, u.leader)?),
            Value::text(u.buildings.join("、")),
            Value::date(u.established),
            Value::date(u.closed),
        ])?;
    }
    Ok(())
}

/// A unit's leader by name: one read per unit, rather than every member's
/// name held for a few leaders.
fn leader_name(store: &Store, leader: Option<MemberId>) -> Result<String, StoreError> {
    Ok(match leader {
        Some(m) => store
            .get_id::<Member>(m.0)?
            .map(|m| m.data.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}
