//! The audit log's changed fields as people read them: a field's path
//! (`data.address.room`, as `ops::changes` takes it from the command's serde
//! form) and its values in the interface's language. In English the path and
//! values are shown as stored; in Chinese each part of the path has its word
//! and a value that names a domain enum's variant (`CommitteeAdmin`) reads as
//! its label (党委管理员). Stored text is shown as stored.

use super::*;

/// One part of a field's path in Chinese; `None` for a name this table
/// does not know (it is then shown as stored).
fn part_zh(part: &str) -> Option<&'static str> {
    Some(match part {
        "absence_ceiling" => "缺席限等",
        "absence_rule" => "缺席扣分规则",
        "absences" => "缺席次数",
        "abstain" => "弃权",
        "active" => "启用",
        "activity" => "活动",
        "address" => "住址",
        "against" => "反对",
        "agreed" => "协议日期",
        "assigned" => "分配",
        "assignee" => "负责党员",
        "at" => "时间",
        "at_most" => "不超过",
        "attempts" => "联系记录",
        "award" => "奖励积分",
        "base" => "基础分",
        "basis" => "计分方式",
        "beneficiary" => "帮扶对象",
        "birth_date" => "出生日期",
        "building" => "楼栋",
        "buildings" => "楼栋",
        "by" => "经办人",
        "candidates" => "候选人",
        "cap" => "封顶",
        "cap_cuts" => "超出封顶截取",
        "cast" => "实到",
        "category" => "党员类别",
        "checked_in" => "签到时间",
        "closed" => "撤销日期",
        "code" => "编码",
        "contact" => "联系人",
        "cost" => "所需积分",
        "counterpart" => "对方组织",
        "data" => "资料",
        "date" => "日期",
        "deduct_roles" => "可扣分角色",
        "deduction" => "扣分",
        "direction" => "方向",
        "display_name" => "显示名",
        "done_date" => "完成日期",
        "due" => "截止日期",
        "elected" => "当选",
        "election" => "选举",
        "eligible" => "应到",
        "ended" => "结束",
        "entrance" | "unit_no" => "单元",
        "entry" => "积分记录",
        "established" => "成立日期",
        "excellent" => "优秀分数线",
        "excellent_share_pct" => "优秀比例",
        "exempt_mobile" => "流动党员免评",
        "exempt_retired_from_age" => "离退休免评年龄",
        "follows" => "跟随",
        "from" => "起",
        "full_member" => "转正日期",
        "gender" => "性别",
        "good" => "良好分数线",
        "grade" => "等次",
        "home_unit" => "工作单位",
        "host" => "主办组织",
        "hours_centi" => "小时",
        "id" => "编号",
        "id_number" => "身份证号",
        "ids" => "编号",
        "invitees" => "参加范围",
        "joined" => "入党日期",
        "kind" => "类别",
        "leader" => "负责人",
        "letter" => "介绍信编号",
        "level" => "层级",
        "linked_unit" => "结对组织",
        "login" => "登录名",
        "member" => "党员",
        "minutes" => "会议记录",
        "name" => "名称",
        "name_en" => "英文名称",
        "name_zh" => "中文名称",
        "needs" => "需求",
        "note" => "备注",
        "notes" => "备注",
        "org" => "组织",
        "outcome" => "情况记录",
        "override_reason" => "改分原因",
        "parent" => "上级组织",
        "participation" => "参与方式",
        "partners" => "共建单位",
        "party_org" => "流入地党组织",
        "pass" => "合格分数线",
        "pending_roles" => "需审批角色",
        "pending_rules" => "需审批规则",
        "phone" => "电话",
        "place" => "地点",
        "places" => "名额",
        "points" => "积分",
        "points_override" => "改分",
        "post" => "岗位",
        "posts" => "岗位",
        "presence" => "出席",
        "presenter" => "主持人",
        "quantity_centi" => "数量",
        "reason" => "原因",
        "record" => "记录",
        "recorded_at" => "记录时间",
        "recorded_by" => "记录人",
        "recorder" => "记录人",
        "regained" => "恢复联系",
        "reported" => "报到日期",
        "required" => "要求",
        "resolutions" => "决议",
        "responsibilities" => "岗位职责",
        "reverses" => "冲销",
        "reward" => "奖品",
        "role" => "角色",
        "room" => "房号",
        "rule" => "积分规则",
        "scope" => "工作范围",
        "seats" => "委员",
        "settings" => "设置",
        "since" => "开始日期",
        "skills" => "特长",
        "source" => "来源",
        "started" => "开始",
        "starts" => "开始时间",
        "state" => "状态",
        "status" => "状态",
        "stock" => "库存",
        "text" => "内容",
        "thresholds" => "分数线",
        "title" => "标题",
        "to" => "至",
        "topics" => "议题",
        "unit" => "所属组织",
        "until" => "结束日期",
        "visit_cycle_days" => "走访周期（天）",
        "votes" => "票数",
        "votes_for" => "赞成",
        "what" => "内容",
        "years" => "任期（年）",
        _ => return None,
    })
}

/// A changed field's path in `lang`: `data.address.room` → 资料·住址·房号.
pub fn field_label(path: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return path.to_string();
    }
    path.split('.')
        // A date's precision (`PartialDate::Day`) says nothing a reader needs.
        .filter(|part| *part != "Day")
        .map(|part| match part.parse::<usize>() {
            // A list's index: the first is 1.
            Ok(i) => format!("第{}项", i + 1),
            Err(_) if part == "Month" => "（到月）".to_string(),
            Err(_) => part_zh(part)
                .or_else(|| value_zh(part))
                .map_or_else(|| part.to_string(), str::to_string),
        })
        .collect::<Vec<_>>()
        .join("·")
}

/// The Chinese label of an enum value as the log stores it (its variant's
/// name), or of `true`/`false`.
fn value_zh(raw: &str) -> Option<&'static str> {
    macro_rules! find {
        ($($ty:ty),*) => {$(
            if let Some(v) = <$ty>::VARIANTS.iter().find(|v| format!("{v:?}") == raw) {
                return Some(v.label(Lang::Zh));
            }
        )*};
    }
    match raw {
        "true" => return Some("是"),
        "false" => return Some("否"),
        _ => {}
    }
    if let Some(c) = MemberCategory::ALL.iter().find(|c| format!("{c:?}") == raw) {
        return Some(c.label(Lang::Zh));
    }
    find!(
        Role,
        MemberStatus,
        OrgLevel,
        PartnerKind,
        Gender,
        BeneficiaryKind,
        TaskKind,
        TaskStatus,
        RuleBasis,
        CapPeriod,
        ActivityKind,
        Grade,
        Direction,
        Every,
        ChangeKind,
        CommitteePost
    );
    None
}

/// A changed field's value in `lang`; in a list or record (a cap's
/// `["Month",1000]`, a resolution's votes), each enum value and field name.
pub fn value_label(raw: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return raw.to_string();
    }
    if let Some(word) = value_zh(raw) {
        return word.to_string();
    }
    if (raw.starts_with('[') || raw.starts_with('{'))
        && let Ok(mut v) = serde_json::from_str::<serde_json::Value>(raw)
    {
        translate(&mut v);
        return v.to_string();
    }
    raw.to_string()
}

fn translate(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if let Some(word) = value_zh(s) {
                *s = word.to_string();
            }
        }
        Value::Bool(b) => *v = Value::String(if *b { "是" } else { "否" }.to_string()),
        Value::Array(items) => items.iter_mut().for_each(translate),
        Value::Object(map) => {
            let fields = std::mem::take(map);
            for (key, mut value) in fields {
                translate(&mut value);
                let key = part_zh(&key).map_or(key, str::to_string);
                map.insert(key, value);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_enum_values_read_in_chinese_and_stay_in_english() {
        assert_eq!(field_label("data.address.room", Lang::Zh), "资料·住址·房号");
        assert_eq!(field_label("data.skills.0", Lang::Zh), "资料·特长·第1项");
        assert_eq!(
            field_label("data.address.room", Lang::En),
            "data.address.room"
        );
        assert_eq!(value_label("CommitteeAdmin", Lang::Zh), "党委管理员");
        assert_eq!(
            value_label("PerTime", Lang::Zh),
            RuleBasis::PerTime.label(Lang::Zh)
        );
        assert_eq!(value_label("true", Lang::Zh), "是");
        assert_eq!(value_label("张三", Lang::Zh), "张三");
        assert_eq!(value_label("CommitteeAdmin", Lang::En), "CommitteeAdmin");
        assert_eq!(value_label(r#"["Month",1000]"#, Lang::Zh), r#"["月",1000]"#);
        assert_eq!(field_label("data.joined.Day", Lang::Zh), "资料·入党日期");
    }
}
