//! The pairing-assistance exports: tasks with the ids that join them to
//! their beneficiary, assignee and points entry; pairings, ended ones too.

use super::*;

pub(super) fn tasks_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    zh: bool,
    out: &mut dyn Rows,
) -> Result<(), ExportError> {
    out.head(
        if zh { "帮扶任务" } else { "Tasks" },
        names(
            zh,
            &[
                ("编号", "Task"),
                ("类型", "Kind"),
                ("标题", "Title"),
                BENEFICIARY_ID,
                ("帮扶对象", "Beneficiary"),
                ("负责党员编号", "Assignee id"),
                ("负责党员", "Assignee"),
                ("截止日期", "Due"),
                ("状态", "Status"),
                ("完成日期", "Done"),
                ("小时", "Hours"),
                ("积分条目", "Points entry"),
                ("情况记录", "Outcome"),
            ],
        ),
    )?;
    let members = member_names(store)?;
    let benefs: HashMap<BeneficiaryId, Beneficiary> = store
        .scan::<Beneficiary>()
        .map(|b| b.map(|b| (b.id, b)))
        .collect::<Result<_, _>>()?;
    for t in store.scan::<Task>() {
        let t = t?;
        let Some(b) = benefs.get(&t.beneficiary) else {
            continue;
        };
        if !inside(b.data.unit) {
            continue;
        }
        let lang = Lang::of_zh(zh);
        let (kind, status) = (t.kind.label(lang), t.status.label(lang));
        out.row(vec![
            Value::Int(t.id.0 as i64),
            Value::text(kind),
            Value::text(&t.title),
            Value::id(t.beneficiary.0),
            Value::text(&b.data.name),
            Value::id(t.assignee.0),
            Value::text(
                members
                    .get(&t.assignee)
                    .map(|m| m.0.clone())
                    .unwrap_or_default(),
            ),
            Value::Date(t.due),
            Value::text(status),
            Value::date(t.done_date),
            if t.hours_centi > 0 {
                Value::Centi(i64::from(t.hours_centi))
            } else {
                Value::Empty
            },
            Value::id_or_empty(t.award.map(|e| e.0)),
            Value::text(&t.outcome),
        ])?;
    }
    Ok(())
}

/// Pairings, ended ones included (with the day they ended). A pairing belongs
/// to its beneficiary's unit, as the tasks do.
pub(super) fn pairings_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    zh: bool,
    out: &mut dyn Rows,
) -> Result<(), ExportError> {
    out.head(
        if zh { "结对关系" } else { "Pairings" },
        names(
            zh,
            &[
                ("编号", "Pairing"),
                MEMBER_ID,
                ("党员", "Member"),
                BENEFICIARY_ID,
                ("帮扶对象", "Beneficiary"),
                ("结对日期", "Since"),
                ("结束日期", "Until"),
            ],
        ),
    )?;
    let members = member_names(store)?;
    let benefs: HashMap<BeneficiaryId, Beneficiary> = store
        .scan::<Beneficiary>()
        .map(|b| b.map(|b| (b.id, b)))
        .collect::<Result<_, _>>()?;
    for p in store.scan::<Pairing>() {
        let p = p?;
        let Some(b) = benefs.get(&p.beneficiary) else {
            continue;
        };
        if !inside(b.data.unit) {
            continue;
        }
        out.row(vec![
            Value::id(p.id.0),
            Value::id(p.member.0),
            Value::text(
                members
                    .get(&p.member)
                    .map(|m| m.0.clone())
                    .unwrap_or_default(),
            ),
            Value::id(p.beneficiary.0),
            Value::text(&b.data.name),
            Value::Date(p.since),
            Value::date(p.until),
        ])?;
    }
    Ok(())
}
