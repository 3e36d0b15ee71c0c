//! Questions of the yearly evaluation and of approval: the evaluation of a
//! scope (also the nomination list and the public notice), the settings, the
//! queue of entries waiting for approval, and one member's year — both
//! figures, every entry with who recorded and who approved it, and what still
//! waits. Each is cut to the asking actor's sight.

use super::{Query, ReadError, View};
use crate::domain::evaluation::Approval;
use crate::domain::*;
use crate::ops::query;
use crate::report::evaluation::{EvalLine, Evaluation};
use crate::report::points::Scope;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The evaluation of `org`'s subtree (the actor's scope when `None`) for a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationQ {
    pub org: Option<OrgUnitId>,
    pub year: i32,
}

impl Query for EvaluationQ {
    type Answer = Evaluation;
    fn answer(self, view: &View) -> Result<Evaluation, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::report::evaluation::evaluation(
            view.store, scope, self.year,
        )?)
    }
}

/// The public notice of a period: the evaluation of the year it ends in,
/// with each member's points earned and deducted within the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeQ {
    pub org: Option<OrgUnitId>,
    pub period: crate::report::period::Period,
}

impl Query for NoticeQ {
    type Answer = Evaluation;
    fn answer(self, view: &View) -> Result<Evaluation, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::report::notice::notice(
            view.store,
            scope,
            &self.period,
        )?)
    }
}

/// The evaluation settings in force (no one's personal data: everyone reads them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSettingsQ;

impl Query for EvaluationSettingsQ {
    type Answer = EvaluationSettings;
    fn answer(self, view: &View) -> Result<EvaluationSettings, ReadError> {
        Ok(view.store.evaluation_settings()?)
    }
}

/// One entry of the approval queue, with what a person needs to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRow {
    pub entry: PendingEntry,
    pub name: String,
    pub rule_code: String,
}

/// The entries waiting for approval of members within sight (of `org`'s
/// subtree when given), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingQ {
    pub org: Option<OrgUnitId>,
}

impl Query for PendingQ {
    type Answer = Vec<PendingRow>;
    fn answer(self, view: &View) -> Result<Vec<PendingRow>, ReadError> {
        let within = match view.scope(self.org)? {
            Scope::Community => None,
            Scope::Subtree(u) => Some(
                query::subtree(view.store, u)?
                    .into_iter()
                    .collect::<std::collections::HashSet<_>>(),
            ),
        };
        let codes: std::collections::HashMap<RuleId, String> = query::rules(view.store)?
            .into_iter()
            .map(|r| (r.id, r.code))
            .collect();
        let mut out = Vec::new();
        for p in view.store.open_pending()? {
            let Some(m) = view.member(p.member)? else {
                continue;
            };
            if within.as_ref().is_some_and(|w| !w.contains(&m.data.unit)) {
                continue;
            }
            out.push(PendingRow {
                name: m.data.name,
                rule_code: codes.get(&p.rule).cloned().unwrap_or_default(),
                entry: p,
            });
        }
        Ok(out)
    }
}

/// One ledger entry of a member's statement: who recorded it and, when it
/// waited for approval, who approved it and when; whether it is a deduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub entry: PointsEntry,
    pub approved: Option<(String, DateTime<Utc>)>,
    pub deduction: bool,
}

/// A member's year: the evaluation score and grade (with how they were
/// reached) beside the redeemable balance, never one for the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberYear {
    pub member: MemberId,
    pub name: String,
    pub year: i32,
    /// `None` for a member who is not evaluated (not active).
    pub evaluation: Option<EvalLine>,
    /// Every entry, redemptions included: what the member may spend.
    pub balance: Points,
    /// All the member's ledger entries, in date order.
    pub entries: Vec<StatementLine>,
    /// Entries recorded for them that wait for approval or were rejected.
    pub pending: Vec<PendingEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberYearQ {
    pub member: MemberId,
    pub year: i32,
}

impl Query for MemberYearQ {
    type Answer = MemberYear;
    fn answer(self, view: &View) -> Result<MemberYear, ReadError> {
        let m = view.member_or_not_found(self.member)?;
        // The member's unit's evaluation is their branch's, cut to the unit
        // (the 优秀 share is held over the branch).
        let eval = crate::report::evaluation::evaluation(
            view.store,
            Scope::Subtree(m.data.unit),
            self.year,
        )?;
        let evaluation = eval.lines.into_iter().find(|l| l.member == m.id);
        let mut entries = Vec::new();
        for e in query::statement(view.store, m.id)? {
            let approved = match view.store.approval_of(e.id)? {
                Some(PendingEntry {
                    state: Approval::Approved { by, at, .. },
                    ..
                }) => Some((by, at)),
                _ => None,
            };
            entries.push(StatementLine {
                deduction: crate::domain::evaluation::is_deduction(&e),
                entry: e,
                approved,
            });
        }
        let mut pending = Vec::new();
        for p in view.store.all_pending() {
            let p = p?;
            if p.member == m.id && !matches!(p.state, Approval::Approved { .. }) {
                pending.push(p);
            }
        }
        Ok(MemberYear {
            member: m.id,
            name: m.data.name,
            year: self.year,
            evaluation,
            balance: view.store.balance(m.id)?,
            entries,
            pending,
        })
    }
}
