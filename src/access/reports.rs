//! Questions answered by a report: rankings, balances, attendance, the
//! overview and its parts, the monthly report's figures. Each runs over the
//! scope the actor may see (`View::scope`): a unit outside it is "not found".

use super::{Query, ReadError, View};
use crate::domain::*;
use crate::io::monthly::MonthlyReport;
use crate::report::attendance::AttendanceReport;
use crate::report::overview::{Activation, Coverage, Overview, Workload};
use crate::report::period::Period;
use crate::report::points::{BalanceRow, RankRow, Scope};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
    pub limit: Option<usize>,
}

impl Query for RankingQ {
    type Answer = Vec<RankRow>;
    fn answer(self, view: &View) -> Result<Vec<RankRow>, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::report::points::ranking(
            view.store,
            scope,
            &self.period,
            self.limit,
        )?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceRowsQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
}

impl Query for BalanceRowsQ {
    type Answer = Vec<BalanceRow>;
    fn answer(self, view: &View) -> Result<Vec<BalanceRow>, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::report::points::balances(
            view.store,
            scope,
            &self.period,
        )?)
    }
}

/// Attendance per member and branch for activities between two dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceReportQ {
    pub org: Option<OrgUnitId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Query for AttendanceReportQ {
    type Answer = AttendanceReport;
    fn answer(self, view: &View) -> Result<AttendanceReport, ReadError> {
        let root = match view.scope(self.org)? {
            Scope::Community => None,
            Scope::Subtree(u) => Some(u),
        };
        Ok(crate::report::attendance::attendance(
            view.store, self.from, self.to, root,
        )?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
    pub today: NaiveDate,
}

impl Query for OverviewQ {
    type Answer = Overview;
    fn answer(self, view: &View) -> Result<Overview, ReadError> {
        let scope = view.scope(self.org)?;
        let figures =
            || crate::report::overview::overview(view.store, scope, &self.period, self.today);
        if !super::roster::keeping() {
            return Ok(figures()?);
        }
        let key = (scope, self.period.clone(), self.today);
        let slot = kept_overview(view.store.writes_stamp(), key);
        // Whoever asks first works it out; the others asking meanwhile wait
        // for it here rather than working it out again.
        let mut held = slot.value.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(kept) = held.as_ref() {
            return Ok(Overview::clone(kept));
        }
        let worked = figures()?;
        *held = Some(Arc::new(worked.clone()));
        Ok(worked)
    }
}

/// A server keeps the overview's figures between questions: every TUI asks
/// for this month's, quarter's and year's when it starts, and ten started
/// together would work out the same sums ten times. Kept for what the store
/// held when they were asked (`Store::writes_stamp`); any write makes them
/// worked out again. The figures are of a scope, not of the asker: who may
/// ask for a scope is decided before (`View::scope`).
type OverviewKey = (Scope, Period, NaiveDate);

struct OverviewSlot {
    stamp: (u64, u64),
    key: OverviewKey,
    value: Mutex<Option<Arc<Overview>>>,
}

static OVERVIEWS: Mutex<Vec<Arc<OverviewSlot>>> = Mutex::new(Vec::new());

/// At most this many kept (scopes × periods asked since the last write).
const OVERVIEWS_KEPT: usize = 32;

fn kept_overview(stamp: (u64, u64), key: OverviewKey) -> Arc<OverviewSlot> {
    let mut kept = OVERVIEWS.lock().unwrap_or_else(|p| p.into_inner());
    kept.retain(|s| s.stamp == stamp);
    if let Some(slot) = kept.iter().find(|s| s.key == key) {
        return slot.clone();
    }
    if kept.len() >= OVERVIEWS_KEPT {
        kept.remove(0);
    }
    let slot = Arc::new(OverviewSlot {
        stamp,
        key,
        value: Mutex::new(None),
    });
    kept.push(slot.clone());
    slot
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivationQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
    pub today: NaiveDate,
}

impl Query for ActivationQ {
    type Answer = Activation;
    fn answer(self, view: &View) -> Result<Activation, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::report::overview::activation(
            view.store,
            scope,
            &self.period,
            self.today,
        )?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageQ {
    pub org: Option<OrgUnitId>,
}

impl Query for CoverageQ {
    type Answer = Coverage;
    fn answer(self, view: &View) -> Result<Coverage, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::report::overview::coverage(view.store, scope)?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadQ {
    pub org: Option<OrgUnitId>,
    pub today: NaiveDate,
}

impl Query for WorkloadQ {
    type Answer = Workload;
    fn answer(self, view: &View) -> Result<Workload, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::report::overview::workload(
            view.store, scope, self.today,
        )?)
    }
}

/// The figures of the monthly report for the superior organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
    /// Rank only this many (and those tied with the last), `None`: everyone.
    pub top: Option<usize>,
    pub today: NaiveDate,
}

impl Query for MonthlyQ {
    type Answer = MonthlyReport;
    fn answer(self, view: &View) -> Result<MonthlyReport, ReadError> {
        let scope = view.scope(self.org)?;
        Ok(crate::io::monthly::gather(
            view.store,
            view.actor,
            scope,
            &self.period,
            self.top,
            self.today,
        )?)
    }
}
