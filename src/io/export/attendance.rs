//! The attendance export: one row per member and activity recorded.

use super::*;

pub(super) fn attendance_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    out: &mut dyn Rows,
) -> Result<(), ExportError> {
    out.head(
        if zh { "出勤" } else { "Attendance" },
        names(
            zh,
            &[
                ("活动编号", "Activity"),
                ("活动", "Title"),
                ("开始时间", "Starts"),
                ("主办组织", "Host"),
                ("规则代码", "Rule code"),
                MEMBER_ID,
                ("姓名", "Name"),
                ("所属组织", "Unit"),
                ("出勤", "Presence"),
                ("签到时间", "Checked in"),
                ("积分条目", "Points entry"),
                ("缺席原因", "Absence reason"),
                ("记录人", "Recorded by"),
            ],
        ),
    )?;
    let members = member_names(store)?;
    let activities: HashMap<ActivityId, Activity> = store
        .scan::<Activity>()
        .map(|a| a.map(|a| (a.id, a)))
        .collect::<Result<_, _>>()?;
    let rule_codes: HashMap<RuleId, String> = store
        .scan::<PointsRule>()
        .map(|r| r.map(|r| (r.id, r.code)))
        .collect::<Result<_, _>>()?;
    for a in store.scan::<Attendance>() {
        let a = a?;
        let Some((name, unit)) = members.get(&a.member).cloned() else {
            continue;
        };
        if !inside(unit) {
            continue;
        }
        let activity = activities.get(&a.activity);
        let (present, at, award, reason) = match &a.presence {
            Presence::Present { checked_in, award } => (
                if zh { "出席" } else { "present" },
                Value::DateTime(checked_in.with_timezone(&chrono::Local).naive_local()),
                Value::id_or_empty(award.map(|e| e.0)),
                Value::Empty,
            ),
            Presence::Absent { reason } => (
                if zh { "缺席" } else { "absent" },
                Value::Empty,
                Value::Empty,
                Value::text(reason),
            ),
            // The deduction entry goes where a check-in's award goes.
            Presence::Unexcused {
                deduction, note, ..
            } => (
                if zh { "无故缺席" } else { "unexcused" },
                Value::Empty,
                Value::id_or_empty(deduction.map(|e| e.0)),
                Value::text(note),
            ),
        };
        out.row(vec![
            Value::Int(a.activity.0 as i64),
            Value::text(activity.map(|x| x.data.title.clone()).unwrap_or_default()),
            activity.map_or(Value::Empty, |x| Value::DateTime(x.data.starts)),
            Value::text(
                activity
                    .and_then(|x| units.get(&x.data.host))
                    .map(|u| u.name.clone())
                    .unwrap_or_default(),
            ),
            Value::text(
                activity
                    .and_then(|x| x.data.rule)
                    .and_then(|r| rule_codes.get(&r).cloned())
                    .unwrap_or_default(),
            ),
            Value::Int(a.member.0 as i64),
            Value::text(name),
            Value::text(units.get(&unit).map(|u| u.name.clone()).unwrap_or_default()),
            Value::text(present),
            at,
            award,
            reason,
            Value::text(&a.recorded_by),
        ])?;
    }
    Ok(())
}
