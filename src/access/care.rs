//! Questions about pairing assistance: beneficiaries, visits due, tasks,
//! idle paired members, whom to pair with someone, a beneficiary's history.
//! The reports already cut their lists to the actor's scope; what leaves here
//! is masked on top (contacts and needs for viewers, members as the table says).

use super::{Query, ReadError, View};
use crate::domain::*;
use crate::report::care::{Suggestion, TaskRow, VisitRow};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Beneficiaries within sight (of `unit`'s subtree when given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeneficiariesQ {
    pub unit: Option<OrgUnitId>,
}

impl Query for BeneficiariesQ {
    type Answer = Vec<Beneficiary>;
    fn answer(self, view: &View) -> Result<Vec<Beneficiary>, ReadError> {
        let within = match self.unit {
            Some(u) => match view.scope(Some(u))? {
                crate::report::points::Scope::Subtree(root) => Some(
                    crate::ops::query::subtree(view.store, root)?
                        .into_iter()
                        .collect::<std::collections::HashSet<_>>(),
                ),
                crate::report::points::Scope::Community => None,
            },
            None => None,
        };
        let mut out = Vec::new();
        for b in view.store.scan::<Beneficiary>() {
            let b = b?;
            if within.as_ref().is_some_and(|w| !w.contains(&b.data.unit)) {
                continue;
            }
            if let Some(b) = view.sight.beneficiary(b) {
                out.push(b);
            }
        }
        Ok(out)
    }
}

/// Active beneficiaries within sight with their last visit and next due,
/// never visited first (of `org`'s subtree when given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitsQ {
    pub today: NaiveDate,
    pub org: Option<OrgUnitId>,
}

impl Query for VisitsQ {
    type Answer = Vec<VisitRow>;
    fn answer(self, view: &View) -> Result<Vec<VisitRow>, ReadError> {
        let within = within(view, self.org)?;
        Ok(
            crate::report::care::visits(view.store, view.actor, self.today)?
                .into_iter()
                .filter(|v| {
                    within
                        .as_ref()
                        .is_none_or(|w| w.contains(&v.beneficiary.data.unit))
                })
                .filter_map(|mut v| {
                    v.beneficiary = view.sight.beneficiary(v.beneficiary)?;
                    Some(v)
                })
                .collect(),
        )
    }
}

/// Open tasks of beneficiaries within sight (only overdue ones when asked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TasksQ {
    pub today: NaiveDate,
    pub overdue_only: bool,
    pub org: Option<OrgUnitId>,
}

impl Query for TasksQ {
    type Answer = Vec<TaskRow>;
    fn answer(self, view: &View) -> Result<Vec<TaskRow>, ReadError> {
        if let Some(u) = self.org {
            view.scope(Some(u))?;
        }
        let mut rows = crate::report::care::tasks(
            view.store,
            view.actor,
            self.today,
            self.overdue_only,
            self.org,
        )?;
        // A task of a beneficiary in sight may be someone's from another
        // branch: the task shows, whose it is does not.
        for r in &mut rows {
            if view.member(r.task.assignee)?.is_none() {
                r.assignee_name.clear();
            }
        }
        Ok(rows)
    }
}

/// Every task of one beneficiary within sight, latest due first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeneficiaryTasksQ(pub BeneficiaryId);

impl Query for BeneficiaryTasksQ {
    type Answer = Vec<Task>;
    fn answer(self, view: &View) -> Result<Vec<Task>, ReadError> {
        let seen = view
            .store
            .get_id::<Beneficiary>(self.0.0)?
            .is_some_and(|b| view.sight.sees(b.data.unit));
        if !seen {
            return Ok(Vec::new());
        }
        let mut all: Vec<Task> = Vec::new();
        for t in view.store.scan::<Task>() {
            let t = t?;
            if t.beneficiary == self.0 {
                all.push(t);
            }
        }
        all.sort_by(|a, b| b.due.cmp(&a.due).then(b.id.cmp(&a.id)));
        Ok(all)
    }
}

/// Every pairing of one beneficiary within sight, ended ones too, the most
/// recent first: the pairing's history with why each ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeneficiaryPairingsQ(pub BeneficiaryId);

impl Query for BeneficiaryPairingsQ {
    type Answer = Vec<Pairing>;
    fn answer(self, view: &View) -> Result<Vec<Pairing>, ReadError> {
        let seen = view
            .store
            .get_id::<Beneficiary>(self.0.0)?
            .is_some_and(|b| view.sight.sees(b.data.unit));
        if !seen {
            return Ok(Vec::new());
        }
        let mut all: Vec<Pairing> = Vec::new();
        for id in view.store.pairing_ids_of_beneficiary(self.0)? {
            if let Some(p) = view.store.get_id::<Pairing>(id.0)? {
                all.push(p);
            }
        }
        all.sort_by(|a, b| b.since.cmp(&a.since).then(b.id.cmp(&a.id)));
        Ok(all)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskQ(pub TaskId);

impl Query for TaskQ {
    type Answer = Option<Task>;
    fn answer(self, view: &View) -> Result<Option<Task>, ReadError> {
        let Some(t) = view.store.get_id::<Task>(self.0.0)? else {
            return Ok(None);
        };
        let benef_seen = view
            .store
            .get_id::<Beneficiary>(t.beneficiary.0)?
            .is_some_and(|b| view.sight.sees(b.data.unit));
        Ok((benef_seen || view.member(t.assignee)?.is_some()).then_some(t))
    }
}

/// Paired members within sight who did nothing this month, with how many
/// pairings they hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdlePairedQ {
    pub today: NaiveDate,
}

impl Query for IdlePairedQ {
    type Answer = Vec<(Member, usize)>;
    fn answer(self, view: &View) -> Result<Vec<(Member, usize)>, ReadError> {
        Ok(
            crate::report::care::idle_paired_members(view.store, view.actor, self.today)?
                .into_iter()
                .filter_map(|(m, n)| Some((view.sight.member(m)?, n)))
                .collect(),
        )
    }
}

/// Members to pair with a beneficiary, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestQ {
    pub beneficiary: BeneficiaryId,
    pub limit: usize,
}

impl Query for SuggestQ {
    type Answer = Vec<Suggestion>;
    fn answer(self, view: &View) -> Result<Vec<Suggestion>, ReadError> {
        Ok(crate::report::care::suggest_members(
            view.store,
            view.actor,
            self.beneficiary,
            self.limit.min(200),
        )?
        .into_iter()
        .filter_map(|mut s| {
            s.member = view.sight.member(s.member)?;
            Some(s)
        })
        .collect())
    }
}

/// The units of `org`'s subtree, when one is asked for and within sight.
fn within(
    view: &View,
    org: Option<OrgUnitId>,
) -> Result<Option<std::collections::HashSet<OrgUnitId>>, ReadError> {
    Ok(match org {
        None => None,
        Some(u) => match view.scope(Some(u))? {
            crate::report::points::Scope::Subtree(root) => Some(
                crate::ops::query::subtree(view.store, root)?
                    .into_iter()
                    .collect(),
            ),
            crate::report::points::Scope::Community => None,
        },
    })
}
