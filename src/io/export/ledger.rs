//! The points ledger export: every entry with its rule, source and who
//! recorded and approved it.

use super::*;

pub(super) fn ledger_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    zh: bool,
    out: &mut dyn Rows,
) -> Result<(), ExportError> {
    out.head(
        if zh { "积分台账" } else { "Ledger" },
        names(
            zh,
            &[
                ("编号", "Entry"),
                ("服务日期", "Date"),
                MEMBER_ID,
                ("姓名", "Name"),
                ("规则代码", "Rule code"),
                ("规则", "Rule"),
                ("小时/次数", "Hours or count"),
                ("积分", "Points"),
                ("来源", "Source"),
                ("冲正条目", "Reverses"),
                ("改分原因", "Override reason"),
                ("备注", "Note"),
                ("记录人", "Recorded by"),
                ("记录时间", "Recorded at"),
                ("扣分", "Deduction"),
                ("审核人", "Approved by"),
            ],
        ),
    )?;
    let members = member_names(store)?;
    let rules: HashMap<RuleId, PointsRule> = store
        .scan::<PointsRule>()
        .map(|r| r.map(|r| (r.id, r)))
        .collect::<Result<_, _>>()?;
    let rewards: HashMap<RewardId, String> = store
        .scan::<Reward>()
        .map(|r| r.map(|r| (r.id, r.name)))
        .collect::<Result<_, _>>()?;
    // Who approved the entries that waited for approval.
    let approved = store.approved_entries()?;
    let mut approvers: HashMap<PendingId, String> = HashMap::new();
    if !approved.is_empty() {
        for p in store.all_pending() {
            let p = p?;
            if let crate::domain::evaluation::Approval::Approved { by, .. } = p.state {
                approvers.insert(p.id, by);
            }
        }
    }
    for e in store.scan::<PointsEntry>() {
        let e = e?;
        let (name, unit) = members
            .get(&e.member)
            .cloned()
            .unwrap_or((String::new(), e.unit));
        if !inside(unit) {
            continue;
        }
        let rule = e.rule.and_then(|r| rules.get(&r));
        let words = e.source.label(Lang::of_zh(zh));
        let source = match e.source {
            EntrySource::Manual => words.to_string(),
            EntrySource::Activity(a) => format!("{words} {a}"),
            EntrySource::Task(t) => format!("{words} {t}"),
            EntrySource::Redemption(r) => {
                format!("{words} {}", rewards.get(&r).cloned().unwrap_or_default())
            }
        };
        out.row(vec![
            Value::Int(e.id.0 as i64),
            Value::Date(e.date),
            Value::Int(e.member.0 as i64),
            Value::text(name),
            Value::text(rule.map(|r| r.code.clone()).unwrap_or_default()),
            Value::text(
                rule.map(|r| {
                    if zh {
                        r.name_zh.clone()
                    } else {
                        r.name_en.clone()
                    }
                })
                .unwrap_or_default(),
            ),
            Value::Centi(i64::from(e.quantity_centi)),
            Value::Centi(e.points.0),
            Value::text(source),
            e.reverses.map_or(Value::Empty, |r| Value::Int(r.0 as i64)),
            Value::text(&e.override_reason),
            Value::text(&e.note),
            Value::text(&e.recorded_by),
            Value::DateTime(e.recorded_at.with_timezone(&chrono::Local).naive_local()),
            Value::text(match (crate::domain::evaluation::is_deduction(&e), zh) {
                (true, true) => "是",
                (true, false) => "yes",
                (false, _) => "",
            }),
            Value::text(
                approved
                    .get(&e.id)
                    .and_then(|p| approvers.get(p))
                    .cloned()
                    .unwrap_or_default(),
            ),
        ])?;
    }
    Ok(())
}
