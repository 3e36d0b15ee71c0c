//! The org tree export: one row per unit, its parent and leader by id.

use super::*;

/// The org tree, one row per unit in id order, closed units included (with
/// the date they closed).
pub(super) fn org_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
) -> Result<Table, ExportError> {
    let members = member_names(store)?;
    let mut list: Vec<&OrgUnit> = units.values().filter(|u| inside(u.id)).collect();
    list.sort_by_key(|u| u.id);
    let rows = list
        .into_iter()
        .map(|u| {
            vec![
                Value::id(u.id.0),
                Value::text(u.level.label(Lang::of_zh(zh))),
                Value::text(&u.name),
                Value::id_or_empty(u.parent.map(|p| p.0)),
                Value::id_or_empty(u.leader.map(|m| m.0)),
                Value::text(
                    u.leader
                        .and_then(|m| members.get(&m))
                        .map(|m| m.0.clone())
                        .unwrap_or_default(),
                ),
                Value::text(u.buildings.join("、")),
                Value::date(u.established),
                Value::date(u.closed),
            ]
        })
        .collect();
    Ok(Table {
        name: if zh { "组织" } else { "Org units" }.into(),
        headers: names(
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
        rows,
    })
}
