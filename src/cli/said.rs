//! The CLI's own words in both interface languages. A refusal is a `Said`
//! (`cli::main` prints the half `--lang` picks), so a refusing function
//! needs no language; output lines pick their words with `pick`.

use crate::domain::Lang;
use crate::domain::validate::ValueError;
use crate::ops::{Applied, Command, Said};

/// A refusal in English and Chinese.
pub(super) fn said(en: impl Into<String>, zh: impl Into<String>) -> anyhow::Error {
    anyhow::Error::msg(Said::new(en, zh))
}

/// A flag whose value did not parse: `--date: not a date …` / `--date：……`.
pub(super) fn bad_value(flag: &str, e: &ValueError) -> anyhow::Error {
    said(format!("--{flag}: {e}"), format!("--{flag}：{}", e.zh()))
}

/// A `--period` that did not parse (the report layer says why in English).
pub(super) fn bad_period(text: &str, e: &dyn std::fmt::Display) -> anyhow::Error {
    said(
        format!("--period: {e}"),
        format!(
            "--period：“{}”不是期间（可写月份 2026-11、季度 2026-Q4、年份 2026 \
             或日期范围 2026-10-01..2026-12-31）",
            text.trim()
        ),
    )
}

/// A number flag that is not a number with at most two decimals.
pub(super) fn not_points(flag: &str, text: &str) -> anyhow::Error {
    said(
        format!("--{flag}: '{text}' is not a number with at most two decimals"),
        format!("--{flag}：“{text}”不是最多两位小数的数"),
    )
}

/// English or Chinese words for an output line.
pub(super) fn pick<'a>(zh: bool, en: &'a str, zh_words: &'a str) -> &'a str {
    Lang::of_zh(zh).pick(en, zh_words)
}

/// What a change did: ops' own summary in English (the audit log's line);
/// the command's words and its subject in Chinese.
pub(super) fn done(cmd: &Command, applied: &Applied, zh: bool) -> String {
    if !zh {
        return applied.summary.clone();
    }
    let words = crate::ops::words::done(cmd, Lang::Zh);
    let wait = match crate::ops::words::points_wait(cmd, applied) {
        true => crate::ops::words::points_wait_words(Lang::Zh),
        false => "",
    };
    if applied.subject.is_empty() {
        format!("{words}{wait}")
    } else {
        format!("{words}：{}{wait}", applied.subject)
    }
}

/// A row name of `report summary` (record kinds as the report names them,
/// org levels and member categories in their English words) in Chinese; the
/// name itself in English or when it is none of those.
pub(super) fn summary_row(name: &str, zh: bool) -> String {
    use crate::domain::{MemberCategory, OrgLevel};
    if !zh {
        return name.to_string();
    }
    let kind = match name {
        "org_units" => Some("组织"),
        "partners" => Some("联建单位"),
        "members" => Some("党员"),
        "beneficiaries" => Some("帮扶对象"),
        "pairings" => Some("结对"),
        "tasks" => Some("帮扶任务"),
        "rules" => Some("积分规则"),
        "ledger_entries" => Some("积分流水"),
        "rewards" => Some("兑换品"),
        "activities" => Some("活动"),
        "attendance" => Some("考勤记录"),
        "users" => Some("用户"),
        "audit_entries" => Some("操作日志"),
        _ => None,
    };
    let level = || {
        OrgLevel::VARIANTS
            .iter()
            .find(|l| l.label(Lang::En) == name)
            .map(|l| l.label(Lang::Zh))
    };
    let category = || {
        MemberCategory::ALL
            .iter()
            .find(|c| c.label(Lang::En) == name)
            .map(|c| c.label(Lang::Zh))
    };
    kind.or_else(level)
        .or_else(category)
        .unwrap_or(name)
        .to_string()
}
