//! Messages from the layers below, in the interface language. Validation errors
//! and command kinds come from `domain` and `ops` in English (they also go to
//! the CLI and the audit log); the TUI says them in Chinese under zh-CN.

use super::i18n::Lang;
use crate::domain::MemberCategory;
use crate::domain::validate::ValueError;

/// A validation error as the user reads it.
pub fn value_error(lang: Lang, e: &ValueError) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => e.zh(),
    }
}

/// A reason `report::care::suggest_members` gives, in the interface language.
pub fn suggestion_reason(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    let between = |prefix: &str, suffix: &str| {
        reason
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(suffix))
            .map(str::to_string)
    };
    if reason == "same building" {
        "同楼栋".into()
    } else if reason == "no active pairings" {
        "尚未结对".into()
    } else if reason == "1 active pairing" {
        "已结对1户".into()
    } else if let Some(b) = between("building ", " is next door") {
        format!("{b}号楼相邻")
    } else if let Some(b) = between("building ", " is nearby") {
        format!("{b}号楼邻近")
    } else if let Some(skill) = between("skill ", " matches needs") {
        format!("特长“{skill}”对口")
    } else if let Some(n) = between("", " active pairings") {
        format!("已结对{n}户")
    } else {
        reason.to_string()
    }
}

/// The i18n key of a member category's name.
pub fn category_key(c: MemberCategory) -> &'static str {
    match c {
        MemberCategory::OnTheJob => "category.on_the_job",
        MemberCategory::Retired => "category.retired",
        MemberCategory::Student => "category.student",
        MemberCategory::Mobile => "category.mobile",
        MemberCategory::Other => "category.other",
    }
}
