//! The yearly evaluation of members (党员积分制 as published schemes score it)
//! and the approval of points entries: the settings a committee keeps in its
//! store, the grades, the states a pending entry goes through, and the steps
//! that say how a member's score and grade were reached.
//!
//! Two figures are never confused: the *evaluation score* of a natural year
//! (base + earned − deductions, floored at 0, optionally capped; redemptions
//! never lower it) and the *redeemable balance* (every entry). Pure: no I/O.

use super::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The settings shipped in `assets/evaluation.json`, until an admin sets others.
const DEFAULTS_JSON: &str = include_str!("../../assets/evaluation.json");

/// Year-end grades, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    /// 优秀
    Excellent,
    /// 良好
    Good,
    /// 合格
    Pass,
    /// 不合格
    Fail,
}

/// The lowest score of each grade; below `pass` is 不合格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub excellent: Points,
    pub good: Points,
    pub pass: Points,
}

impl Thresholds {
    pub fn grade(&self, score: Points) -> Grade {
        if score >= self.excellent {
            Grade::Excellent
        } else if score >= self.good {
            Grade::Good
        } else if score >= self.pass {
            Grade::Pass
        } else {
            Grade::Fail
        }
    }
}

/// After this many unexcused absences in the year, the grade is at most `at_most`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceCeiling {
    pub absences: u32,
    pub at_most: Grade,
}

/// How a community scores, approves and deducts. One record per store; admins
/// change it with `SetEvaluationSettings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationSettings {
    /// What every member starts the year with (often 60 or 70).
    pub base: Points,
    /// The highest score counted, if any.
    pub cap: Option<Points>,
    pub thresholds: Thresholds,
    /// At most this percentage of a branch's evaluated members is 优秀; the
    /// rest of those who reached it are 良好.
    pub excellent_share_pct: Option<u8>,
    pub absence_ceiling: Option<AbsenceCeiling>,
    /// Retired members of this age or more (at the year's end) are exempt.
    pub exempt_retired_from_age: Option<u8>,
    /// Mobile members (流动党员) are exempt: most are away all year.
    pub exempt_mobile: bool,
    /// Entries recorded by these roles wait for approval.
    pub pending_roles: Vec<Role>,
    /// Entries under these rule codes wait for approval, whoever records them.
    pub pending_rules: Vec<String>,
    /// The roles that may record deductions (negative rules).
    pub deduct_roles: Vec<Role>,
    /// An entry past a rule's cap records the remainder up to it (`true`) or
    /// is refused (`false`).
    pub cap_cuts: bool,
    /// The deduction rule an unexcused absence applies, by code.
    pub absence_rule: Option<String>,
}

impl Default for EvaluationSettings {
    /// The shipped settings; should the file ever fail to parse, the usual
    /// scheme written out here (a test keeps the two the same).
    fn default() -> Self {
        serde_json::from_str(DEFAULTS_JSON).unwrap_or_else(|_| EvaluationSettings {
            base: Points::whole(60),
            cap: None,
            thresholds: Thresholds {
                excellent: Points::whole(90),
                good: Points::whole(80),
                pass: Points::whole(60),
            },
            excellent_share_pct: Some(20),
            absence_ceiling: Some(AbsenceCeiling {
                absences: 3,
                at_most: Grade::Pass,
            }),
            exempt_retired_from_age: Some(80),
            exempt_mobile: false,
            pending_roles: vec![Role::GroupLeader],
            pending_rules: Vec::new(),
            deduct_roles: vec![Role::CommitteeAdmin, Role::BranchSecretary],
            cap_cuts: true,
            absence_rule: Some("ABSENT".into()),
        })
    }
}

impl EvaluationSettings {
    /// Whether an entry recorded by `role` under `rule_code` waits for approval.
    pub fn needs_approval(&self, role: Role, rule_code: &str) -> bool {
        self.pending_roles.contains(&role) || self.pending_rules.iter().any(|c| c == rule_code)
    }

    /// What is wrong with these settings, if anything, in both languages.
    pub fn problem(&self) -> Option<(String, String)> {
        let t = &self.thresholds;
        if self.base.0 < 0 {
            return Some((
                "the base score cannot be negative".into(),
                "基础分不能为负".into(),
            ));
        }
        if !(t.excellent >= t.good && t.good >= t.pass && t.pass.0 >= 0) {
            return Some((
                "grade thresholds must run 优秀 ≥ 良好 ≥ 合格 ≥ 0".into(),
                "等次分数线须满足 优秀 ≥ 良好 ≥ 合格 ≥ 0".into(),
            ));
        }
        if let Some(cap) = self.cap
            && cap < self.base
        {
            return Some((
                "the cap cannot be below the base score".into(),
                "封顶分不能低于基础分".into(),
            ));
        }
        if self.excellent_share_pct.is_some_and(|p| p > 100) {
            return Some((
                "the 优秀 share is a percentage (0–100)".into(),
                "优秀比例应为 0–100 的百分数".into(),
            ));
        }
        None
    }
}

/// Why a member is not graded this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exemption {
    /// Retired, of at least this age at the year's end.
    RetiredAged(u8),
    Mobile,
}

/// One step of how a score and grade were reached, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Base(Points),
    Earned(Points),
    Deducted(Points),
    /// The sum was below zero and counts as zero.
    FlooredAtZero {
        sum: Points,
    },
    /// The sum was above the cap and counts as the cap.
    Capped {
        sum: Points,
        cap: Points,
    },
    Exempt(Exemption),
    /// The grade the score reaches by the thresholds.
    Graded {
        score: Points,
        grade: Grade,
    },
    /// Lowered after too many unexcused absences.
    AbsenceCeiling {
        absences: u32,
        from: Grade,
        to: Grade,
    },
    /// Lowered because the branch's 优秀 places were taken by higher scores.
    ShareLimit {
        places: usize,
        to: Grade,
    },
}

impl Step {
    /// The step as a line a person reads.
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang.is_zh();
        match self {
            Step::Base(p) if zh => format!("基础分 {p}"),
            Step::Base(p) => format!("base {p}"),
            Step::Earned(p) if zh => format!("+ 获得积分 {p}"),
            Step::Earned(p) => format!("+ earned {p}"),
            Step::Deducted(p) if zh => format!("− 扣分 {p}"),
            Step::Deducted(p) => format!("− deductions {p}"),
            Step::FlooredAtZero { sum } if zh => format!("合计 {sum} 低于 0，按 0 计"),
            Step::FlooredAtZero { sum } => format!("sum {sum} is below 0: counts as 0"),
            Step::Capped { sum, cap } if zh => format!("合计 {sum} 超过封顶 {cap}，按 {cap} 计"),
            Step::Capped { sum, cap } => format!("sum {sum} is above the cap: counts as {cap}"),
            Step::Exempt(e) if zh => format!("免于评议：{}", e.label(lang)),
            Step::Exempt(e) => format!("exempt: {}", e.label(lang)),
            Step::Graded { score, grade } if zh => {
                format!("得分 {score}，按分数线为{}", grade.label(lang))
            }
            Step::Graded { score, grade } => {
                format!("score {score} reaches {}", grade.label(lang))
            }
            Step::AbsenceCeiling { absences, from, to } if zh => format!(
                "无故缺席 {absences} 次，由{}降为{}",
                from.label(lang),
                to.label(lang)
            ),
            Step::AbsenceCeiling { absences, from, to } => format!(
                "{absences} unexcused absences: {} lowered to {}",
                from.label(lang),
                to.label(lang)
            ),
            Step::ShareLimit { places, to } if zh => {
                format!("本支部优秀名额 {places} 个已满，评为{}", to.label(lang))
            }
            Step::ShareLimit { places, to } => format!(
                "the branch's {places} 优秀 places went to higher scores: {}",
                to.label(lang)
            ),
        }
    }
}

/// How a member's entries recorded by someone who needs approval stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Approval {
    Pending,
    Approved {
        by: String,
        at: DateTime<Utc>,
        /// The ledger entry the approval wrote.
        entry: EntryId,
    },
    Rejected {
        by: String,
        at: DateTime<Utc>,
        reason: String,
    },
}

impl Approval {
    pub fn is_pending(&self) -> bool {
        matches!(self, Approval::Pending)
    }
}

/// A points entry waiting for (or past) approval. It counts nowhere — no
/// balance, ranking, evaluation, journal or overview — until approved, when
/// it becomes an ordinary ledger entry (`Approval::Approved::entry`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEntry {
    pub id: PendingId,
    pub member: MemberId,
    pub unit: OrgUnitId,
    pub date: NaiveDate,
    pub rule: RuleId,
    pub quantity_centi: u32,
    pub points: Points,
    pub override_reason: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub state: Approval,
    /// What the entry is for: a manual entry, a check-in or an unexcused
    /// absence (the activity), a completed task. Approval writes the ledger
    /// entry with this source and links it from the attendance or the task.
    pub source: EntrySource,
}

/// Whether an entry is a deduction: its original's points were negative (a
/// reversal of a deduction takes it back; a reversal of earned points lowers
/// what was earned). Redemptions are spending, neither.
pub fn is_deduction(entry: &PointsEntry) -> bool {
    if matches!(entry.source, EntrySource::Redemption(_)) {
        return false;
    }
    match entry.reverses {
        Some(_) => entry.points.0 > 0,
        None => entry.points.0 < 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_settings_parse_and_are_the_written_out_ones() {
        let shipped: EvaluationSettings = serde_json::from_str(DEFAULTS_JSON).unwrap();
        assert_eq!(shipped.base, Points::whole(60));
        assert_eq!(shipped.problem(), None);
        assert!(shipped.needs_approval(Role::GroupLeader, "VOL"));
        assert!(!shipped.needs_approval(Role::BranchSecretary, "VOL"));
    }

    #[test]
    fn thresholds_grade_at_their_lowest_scores() {
        let t = EvaluationSettings::default().thresholds;
        assert_eq!(t.grade(Points::whole(90)), Grade::Excellent);
        assert_eq!(t.grade(Points(8999)), Grade::Good);
        assert_eq!(t.grade(Points::whole(60)), Grade::Pass);
        assert_eq!(t.grade(Points(5999)), Grade::Fail);
    }

    #[test]
    fn a_reversal_of_a_deduction_is_a_deduction_taken_back() {
        let e = PointsEntry {
            id: EntryId(1),
            member: MemberId(1),
            unit: OrgUnitId(1),
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            rule: None,
            quantity_centi: 100,
            points: Points(-200),
            override_reason: String::new(),
            note: String::new(),
            source: EntrySource::Manual,
            recorded_by: "a".into(),
            recorded_at: DateTime::from_timestamp(0, 0).unwrap(),
            reverses: None,
        };
        assert!(is_deduction(&e));
        let back = PointsEntry {
            points: Points(200),
            reverses: Some(EntryId(1)),
            ..e.clone()
        };
        assert!(is_deduction(&back));
        let undo_earned = PointsEntry {
            points: Points(-200),
            reverses: Some(EntryId(1)),
            ..e.clone()
        };
        assert!(!is_deduction(&undo_earned));
    }

    #[test]
    fn every_step_reads_in_both_languages() {
        let steps = [
            Step::Base(Points(6000)),
            Step::Earned(Points(100)),
            Step::Deducted(Points(200)),
            Step::FlooredAtZero { sum: Points(-5) },
            Step::Capped {
                sum: Points(12000),
                cap: Points(10000),
            },
            Step::Exempt(Exemption::Mobile),
            Step::Graded {
                score: Points(6000),
                grade: Grade::Pass,
            },
            Step::AbsenceCeiling {
                absences: 3,
                from: Grade::Good,
                to: Grade::Pass,
            },
            Step::ShareLimit {
                places: 2,
                to: Grade::Good,
            },
        ];
        for s in &steps {
            assert!(!s.describe(Lang::En).is_empty());
            assert!(!s.describe(Lang::Zh).is_ascii());
        }
    }
}
