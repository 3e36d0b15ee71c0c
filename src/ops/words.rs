//! What each command did, in a few words of either interface language: the
//! status line after a change, a CLI command's answer, a line of the audit
//! log shown in Chinese (the log's own summaries are English). One list, from
//! which both the match on `Command` (no wildcard: a new command does not
//! compile until it has its words) and the lookup by the audit log's command
//! name are made.

use super::Command;
use crate::domain::Lang;

macro_rules! words {
    ($($variant:ident => ($en:expr, $zh:expr)),* $(,)?) => {
        /// What `cmd` did, e.g. "Member added" / "已新增党员".
        pub fn done(cmd: &Command, lang: Lang) -> &'static str {
            let (en, zh) = match cmd {
                $(Command::$variant { .. } => ($en, $zh)),*
            };
            lang.pick(en, zh)
        }

        /// The same words for a command named as `Command::kind` names it
        /// (the audit log's `command`); `None` for a name no command has.
        pub fn done_for_kind(kind: &str, lang: Lang) -> Option<&'static str> {
            let (en, zh) = match kind {
                $(stringify!($variant) => ($en, $zh),)*
                _ => return None,
            };
            Some(lang.pick(en, zh))
        }

        /// Every command's name, as `Command::kind` gives it.
        #[cfg(test)]
        const KINDS: &[&str] = &[$(stringify!($variant)),*];
    };
}

words!(
    CreateOrgUnit => ("Unit added", "已新增组织"),
    UpdateOrgUnit => ("Unit saved", "已保存组织"),
    MoveOrgUnit => ("Unit moved", "已调整上级组织"),
    CloseOrgUnit => ("Unit closed", "已撤销组织"),
    ReopenOrgUnit => ("Unit reopened", "已恢复组织"),
    CreatePartner => ("Partner organisation added", "已新增联建单位"),
    UpdatePartner => ("Partner organisation saved", "已保存联建单位"),
    ClosePartner => ("Partnership closed", "已结束共建"),
    ReopenPartner => ("Partnership reopened", "已恢复共建"),
    SetActivityPartners => ("Activity partners saved", "已保存活动联建单位"),
    RecordTransfer => ("Transfer recorded", "已登记组织关系转接"),
    RemoveTransfer => ("Transfer taken back", "已撤销转接记录"),
    RecordFlow => ("Flow recorded", "已登记流动党员"),
    UpdateFlow => ("Flow saved", "已保存流动记录"),
    RemoveFlow => ("Flow removed", "已删除流动记录"),
    SetLostContact => ("Lost-contact record saved", "已保存失联记录"),
    SetFrequency => ("Meeting frequency set", "已设置会议频次"),
    SetMeetingRecord => ("Minutes saved", "已保存会议记录"),
    RecordTerm => ("Committee recorded", "已登记支委会换届"),
    RemoveTerm => ("Committee taken back", "已撤销换届记录"),
    CreatePost => ("Post added", "已新增岗位"),
    UpdatePost => ("Post saved", "已保存岗位"),
    AssignPost => ("Post assignment changed", "已调整党员岗位"),
    CreateMember => ("Member added", "已新增党员"),
    UpdateMember => ("Member saved", "已保存党员信息"),
    SetMemberStatus => ("Member status changed", "已更改党员状态"),
    CreateBeneficiary => ("Beneficiary added", "已新增帮扶对象"),
    UpdateBeneficiary => ("Beneficiary saved", "已保存帮扶对象"),
    CreatePairing => ("Paired", "已结对"),
    EndPairing => ("Pairing ended", "已结束结对"),
    ReopenPairing => ("Pairing resumed", "已恢复结对"),
    CreateTask => ("Task created", "已新建任务"),
    UpdateTask => ("Task updated", "已改派任务"),
    CompleteTask => ("Task completed", "已完成任务"),
    CancelTask => ("Task cancelled", "已取消任务"),
    ReopenTask => ("Task reopened", "已重新打开任务"),
    CreateRule => ("Points rule added", "已新增积分规则"),
    UpdateRule => ("Points rule saved", "已保存积分规则"),
    RecordPoints => ("Points recorded", "已记积分"),
    ReversePoints => ("Entry reversed", "已冲正"),
    Redeem => ("Reward redeemed", "已兑换奖品"),
    CreateReward => ("Reward added", "已新增奖品"),
    UpdateReward => ("Reward saved", "已保存奖品"),
    CreateActivity => ("Activity created", "已新建活动"),
    UpdateActivity => ("Activity saved", "已保存活动"),
    CheckIn => ("Checked in", "已签到"),
    MarkAbsent => ("Absence recorded", "已登记缺席"),
    RemoveAttendance => ("Attendance removed", "已取消签到"),
    AddUser => ("User added", "已添加用户"),
    UpdateUser => ("User saved", "已保存用户"),
    RecordReveal => ("Shown in full (logged)", "已显示完整号码（已记入日志）"),
    SetEvaluationSettings => ("Evaluation settings saved", "已保存评议设置"),
    ApprovePoints => ("Entries approved", "已审核通过"),
    RejectPoints => ("Entries rejected", "已退回"),
    MarkUnexcused => ("Unexcused absence recorded", "已登记无故缺席"),
    Uncreate => ("Creation undone", "已撤销新建"),
);

/// Whether a check-in, an unexcused absence or a completed task left its
/// points waiting for approval (the handler touched the queue), which the
/// words then say after the subject.
pub fn points_wait(cmd: &Command, applied: &super::Applied) -> bool {
    matches!(
        cmd,
        Command::CheckIn { .. } | Command::MarkUnexcused { .. } | Command::CompleteTask { .. }
    ) && applied.touched.touches(super::Area::Approvals)
}

/// The words after the subject when the points wait.
pub fn points_wait_words(lang: Lang) -> &'static str {
    lang.pick(" (points waiting for approval)", "（积分待审核）")
}

/// A change as a person reads it: the command's words, then whom or what it
/// was about (`Applied::subject`), e.g. `已新增党员：张三 (12)`.
pub fn said(done: &str, subject: &str) -> String {
    if subject.is_empty() {
        done.to_string()
    } else {
        format!("{done}：{subject}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    #[test]
    fn a_command_and_its_audit_name_have_the_same_words_in_both_languages() {
        let cmds = [
            Command::CloseOrgUnit {
                id: OrgUnitId(1),
                date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            },
            Command::ReopenPairing { id: PairingId(1) },
            Command::RecordReveal {
                what: crate::ops::Reveal::Member(MemberId(1)),
            },
        ];
        for cmd in &cmds {
            for lang in Lang::ALL {
                assert_eq!(done_for_kind(cmd.kind(), lang), Some(done(cmd, lang)));
            }
            assert!(!done(cmd, Lang::Zh).chars().any(|c| c.is_ascii_alphabetic()));
            assert!(done(cmd, Lang::En).is_ascii());
        }
        for kind in KINDS {
            let zh = done_for_kind(kind, Lang::Zh).unwrap_or_default();
            assert!(
                !zh.is_empty() && !zh.chars().any(|c| c.is_ascii_alphabetic()),
                "{kind}"
            );
            assert!(
                done_for_kind(kind, Lang::En).is_some_and(str::is_ascii),
                "{kind}"
            );
        }
        assert_eq!(done_for_kind("NoSuchCommand", Lang::Zh), None);
        assert_eq!(said("已签到", ""), "已签到");
        assert_eq!(said("已签到", "张三 (1)"), "已签到：张三 (1)");
    }
}
