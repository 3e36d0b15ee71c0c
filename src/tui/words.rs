//! Messages from the layers below, in the interface language. Validation errors
//! and command kinds come from `domain` and `ops` in English (they also go to
//! the CLI and the audit log); the TUI says them in Chinese under zh-CN.

use super::i18n::Lang;
use crate::domain::validate::ValueError;
use crate::ops::Command;

/// A validation error as the user reads it.
pub fn value_error(lang: Lang, e: &ValueError) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => e.zh(),
    }
}

/// What a command did, in a few words, for the status line.
pub fn command_done(lang: Lang, cmd: &Command) -> &'static str {
    let zh = lang == Lang::Zh;
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    match cmd {
        Command::CreateOrgUnit { .. } => pick("已新增组织", "Unit added"),
        Command::UpdateOrgUnit { .. } => pick("已保存组织", "Unit saved"),
        Command::MoveOrgUnit { .. } => pick("已调整上级组织", "Unit moved"),
        Command::CloseOrgUnit { .. } => pick("已撤销组织", "Unit closed"),
        Command::ReopenOrgUnit { .. } => pick("已恢复组织", "Unit reopened"),
        Command::CreateMember { .. } => pick("已新增党员", "Member added"),
        Command::UpdateMember { .. } => pick("已保存党员信息", "Member saved"),
        Command::SetMemberStatus { .. } => pick("已更改党员状态", "Member status changed"),
        Command::CheckIn { .. } => pick("已签到", "Checked in"),
        Command::MarkAbsent { .. } => pick("已登记缺席", "Absence recorded"),
        Command::RemoveAttendance { .. } => pick("已取消签到", "Attendance removed"),
        Command::CreateActivity { .. } => pick("已新建活动", "Activity created"),
        Command::UpdateActivity { .. } => pick("已保存活动", "Activity saved"),
        Command::RecordPoints { .. } => pick("已记积分", "Points recorded"),
        Command::ReversePoints { .. } => pick("已冲正", "Entry reversed"),
        Command::CompleteTask { .. } => pick("已记录走访", "Visit recorded"),
        Command::CreateBeneficiary { .. } => pick("已新增帮扶对象", "Beneficiary added"),
        Command::UpdateBeneficiary { .. } => pick("已保存帮扶对象", "Beneficiary saved"),
        Command::CreatePairing { .. } => pick("已结对", "Paired"),
        Command::EndPairing { .. } => pick("已结束结对", "Pairing ended"),
        Command::CreateTask { .. } => pick("已新建任务", "Task created"),
        Command::UpdateTask { .. } => pick("已改派任务", "Task updated"),
        Command::ReopenTask { .. } => pick("已重新打开任务", "Task reopened"),
        Command::RecordReveal { .. } => {
            pick("已显示完整号码（已记入日志）", "Shown in full (logged)")
        }
        _ => pick("已保存", "Saved"),
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
