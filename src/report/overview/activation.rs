//! Activation: of the active members of a scope, by category, how many
//! reported (报到) to the community by the end of the period, how many served
//! in it, their average and median points, and how many did nothing all year;
//! and the served share month by month for the last twelve months.
//!
//! A member *served* in a span of days when, in it, their earned points add up
//! to more than zero (service entries, activity and task awards; redemptions
//! are not earning, and a reversal cancels what it reverses), or they
//! completed a pairing task, or they were present at an activity. Points are
//! read from the month and year totals, so the figures cost a scan of those,
//! not of the ledger. A task or check-in that awarded points counts through
//! its points (so reversing the award takes the service back); only those
//! that carry no points are looked up one by one.

use super::{CareRecords, Context};
use crate::domain::*;
use crate::report::period::Period;
use crate::report::points::{Scope, earned_in_period};
use crate::store::codec::be;
use crate::store::{Store, StoreError};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRow {
    /// `None` is the total over every category.
    pub category: Option<MemberCategory>,
    pub members: u64,
    /// Reported to the community on or before the period's last day.
    pub reported: u64,
    pub served: u64,
    /// Mean points earned in the period per member (zeros included).
    pub avg_points: Points,
    pub median_points: Points,
    /// Served at no time in the calendar year of the period's end (or today).
    pub idle_year: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendMonth {
    /// The first day of the month.
    pub month: NaiveDate,
    pub members: u64,
    pub served: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activation {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One row per category in `MemberCategory::ALL` order, then the total.
    pub rows: Vec<CategoryRow>,
    /// Twelve months, oldest first, ending with the period's last month (or
    /// this month, when the period runs past today).
    pub trend: Vec<TrendMonth>,
    /// The members behind the figures, in id order, for the lists they open.
    #[serde(skip)]
    pub not_served: Vec<MemberId>,
    #[serde(skip)]
    pub not_reported: Vec<MemberId>,
    #[serde(skip)]
    pub idle_year: Vec<MemberId>,
}

impl Activation {
    pub fn total(&self) -> Option<&CategoryRow> {
        self.rows.iter().find(|r| r.category.is_none())
    }
}

/// Share as a whole percentage, rounded; 0 when there is nobody to count.
pub fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        (part * 200 + whole) / (whole * 2)
    }
}

/// Activation of the scope's members in the period. The trend and the idle
/// year end with the period, or with `today` when the period runs past it.
pub fn activation(
    store: &Store,
    scope: Scope,
    period: &Period,
    today: NaiveDate,
) -> Result<Activation, StoreError> {
    let members = super::scope_members(store, scope)?;
    let cx = Context::new(store, scope, &members)?;
    let care = CareRecords::load(store)?;
    Ok(compute(store, &cx, &care, period, today)?.0)
}

type Sums = HashMap<MemberId, i64>;

/// The activation and the points each member earned in the period.
pub(super) fn compute(
    store: &Store,
    cx: &Context,
    care: &CareRecords,
    period: &Period,
    today: NaiveDate,
) -> Result<(Activation, Sums), StoreError> {
    let end = period.to.min(today).max(period.from);
    let ids: Vec<(MemberId, OrgUnitId)> = cx.members.iter().map(|m| (m.id, m.data.unit)).collect();
    let in_scope: HashSet<MemberId> = ids.iter().map(|(m, _)| *m).collect();
    let year = Period::year_of(end);
    let months = last_twelve_months(end);

    // The period, its year and each month of the trend: independent scans of
    // the month and year totals, run side by side.
    // A month or a year asked for is read once, not again as a trend month
    // or as the year.
    let mut spans: Vec<Period> = months.clone();
    let span_of = |p: &Period, spans: &mut Vec<Period>| match spans.iter().position(|s| s == p) {
        Some(i) => i,
        None => {
            spans.push(p.clone());
            spans.len() - 1
        }
    };
    let period_at = span_of(period, &mut spans);
    let year_at = span_of(&year, &mut spans);
    let scope = cx.scope;
    let ids_ref = &ids;
    let jobs: Vec<Box<dyn FnOnce() -> Result<Sums, StoreError> + Send + '_>> = spans
        .iter()
        .map(|p| {
            Box::new(move || earned_in_period(store, scope, ids_ref, p))
                as Box<dyn FnOnce() -> Result<Sums, StoreError> + Send + '_>
        })
        .collect();
    let mut by_span: Vec<Sums> = super::on_all_cores(jobs)
        .into_iter()
        .collect::<Result<_, _>>()?;
    let sums = by_span.get(period_at).cloned().unwrap_or_default();
    let year_sums = by_span.get(year_at).cloned().unwrap_or_default();
    by_span.truncate(months.len());
    let month_sums = by_span;

    let window_from = months
        .first()
        .map_or(period.from, |m| m.from)
        .min(period.from)
        .min(year.from);
    let window_to = period.to.max(year.to);
    let deeds = deeds(store, care, &in_scope, window_from, window_to)?;

    let served_in = |p: &Period, sums: &Sums| -> HashSet<MemberId> {
        let mut s: HashSet<MemberId> = sums
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(m, _)| *m)
            .collect();
        s.extend(
            deeds
                .iter()
                .filter(|(_, d)| p.contains(*d))
                .map(|(m, _)| *m),
        );
        s.retain(|m| in_scope.contains(m));
        s
    };
    let served = served_in(period, &sums);
    let served_year = served_in(&year, &year_sums);
    // Counted, not collected: a month of the whole community is 100,000 keys.
    let served_count = |p: &Period, sums: &Sums| -> u64 {
        let positive = |m: &MemberId| sums.get(m).is_some_and(|v| *v > 0);
        let by_points = sums
            .iter()
            .filter(|(m, v)| **v > 0 && in_scope.contains(m))
            .count();
        let by_deeds: HashSet<MemberId> = deeds
            .iter()
            .filter(|(m, d)| p.contains(*d) && !positive(m))
            .map(|(m, _)| *m)
            .collect();
        (by_points + by_deeds.len()) as u64
    };
    let trend = months
        .iter()
        .zip(&month_sums)
        .map(|(month, sums)| TrendMonth {
            month: month.from,
            members: ids.len() as u64,
            served: served_count(month, sums),
        })
        .collect();

    let mut rows = Vec::with_capacity(MemberCategory::ALL.len() + 1);
    let categories = MemberCategory::ALL.iter().map(|c| Some(*c)).chain([None]);
    for category in categories {
        let of: Vec<&Member> = cx
            .members
            .iter()
            .copied()
            .filter(|m| category.is_none_or(|c| m.data.category == c))
            .collect();
        let mut points: Vec<i64> = of
            .iter()
            .map(|m| sums.get(&m.id).copied().unwrap_or(0))
            .collect();
        points.sort_unstable();
        rows.push(CategoryRow {
            category,
            members: of.len() as u64,
            reported: of
                .iter()
                .filter(|m| m.data.reported.is_some_and(|d| d <= period.to))
                .count() as u64,
            served: of.iter().filter(|m| served.contains(&m.id)).count() as u64,
            avg_points: Points(mean(&points)),
            median_points: Points(median(&points)),
            idle_year: of.iter().filter(|m| !served_year.contains(&m.id)).count() as u64,
        });
    }

    let pick = |keep: &dyn Fn(&Member) -> bool| -> Vec<MemberId> {
        cx.members
            .iter()
            .filter(|m| keep(m))
            .map(|m| m.id)
            .collect()
    };
    let activation = Activation {
        period: period.label().to_string(),
        from: period.from,
        to: period.to,
        rows,
        trend,
        not_served: pick(&|m| !served.contains(&m.id)),
        not_reported: pick(&|m| m.data.reported.is_none_or(|d| d > period.to)),
        idle_year: pick(&|m| !served_year.contains(&m.id)),
    };
    Ok((activation, sums))
}

/// The twelve calendar months ending with the month of `last`, oldest first.
fn last_twelve_months(last: NaiveDate) -> Vec<Period> {
    let Some(first) = last
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
    else {
        return Vec::new();
    };
    (0..12)
        .filter_map(|i| {
            let d = first.checked_add_months(Months::new(i))?;
            Period::month(d.year(), d.month())
        })
        .collect()
}

/// Service that carries no points, dated `from..=to`: tasks completed without
/// an award and attendance at activities without a points rule. (A task or
/// check-in that awarded points is already counted by its points.)
fn deeds(
    store: &Store,
    care: &CareRecords,
    members: &HashSet<MemberId>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(MemberId, NaiveDate)>, StoreError> {
    let mut out = Vec::new();
    for t in &care.tasks {
        if let (TaskStatus::Done, Some(d), None) = (t.status, t.done_date, t.award)
            && (from..=to).contains(&d)
            && members.contains(&t.assignee)
        {
            out.push((t.assignee, d));
        }
    }
    for a in store.scan::<Activity>() {
        let a = a?;
        let day = a.data.starts.date();
        if a.data.rule.is_some() || !(from..=to).contains(&day) {
            continue;
        }
        for att in store.scan_prefix::<Attendance>(&be(a.id.0)) {
            let att = att?;
            if matches!(att.presence, Presence::Present { .. }) && members.contains(&att.member) {
                out.push((att.member, day));
            }
        }
    }
    Ok(out)
}

/// Rounded to the nearest hundredth, halves away from zero.
fn halve_rounded(sum: i64, n: i64) -> i64 {
    if n == 0 {
        return 0;
    }
    let q = sum / n;
    let r = sum % n;
    if r.abs() * 2 >= n {
        q + sum.signum()
    } else {
        q
    }
}

fn mean(sorted: &[i64]) -> i64 {
    halve_rounded(sorted.iter().sum(), sorted.len() as i64)
}

fn median(sorted: &[i64]) -> i64 {
    let n = sorted.len();
    match n {
        0 => 0,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => halve_rounded(sorted[n / 2 - 1] + sorted[n / 2], 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median_round_halves_away_from_zero() {
        assert_eq!(mean(&[]), 0);
        assert_eq!(mean(&[0, 0, 1]), 0);
        assert_eq!(mean(&[0, 1]), 1);
        assert_eq!(mean(&[-1, 0]), -1);
        assert_eq!(median(&[]), 0);
        assert_eq!(median(&[5]), 5);
        assert_eq!(median(&[1, 2]), 2);
        assert_eq!(median(&[0, 100, 200, 1000]), 150);
    }

    #[test]
    fn percent_rounds_and_survives_an_empty_whole() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 2), 50);
        assert_eq!(percent(5, 5), 100);
    }

    #[test]
    fn twelve_months_end_with_the_period_month() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap_or_default();
        let m = last_twelve_months(d);
        assert_eq!(m.len(), 12);
        assert_eq!(m[0].label(), "2025-03");
        assert_eq!(m[11].label(), "2026-02");
    }
}
