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
//! not of the ledger; the whole community's trend reads the count of active
//! members above zero in each month that the store keeps (`cnt_month_served`). A task or check-in that awarded points
//! counts through its points (so reversing the award takes the service back);
//! only those that carry no points are looked up one by one.

use super::{CareRecords, Context};
use crate::domain::*;
use crate::report::period::Period;
use crate::report::points::{Scope, earned_each};
use crate::store::{Store, StoreError};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
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
    /// Served at no time in the calendar year of the period's end (or of
    /// today, when the period runs past it; a period wholly in the future
    /// uses its first day).
    pub idle_year: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TrendMonth {
    /// The first day of the month.
    pub month: NaiveDate,
    pub members: u64,
    pub served: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Activation {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One row per category in `MemberCategory::ALL` order, then the total.
    pub rows: Vec<CategoryRow>,
    /// Twelve months, oldest first, ending with the period's last month (or
    /// this month, when the period runs past today; a period wholly in the
    /// future ends it with its first month).
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
/// year end with the period, or with `today` when the period runs past it
/// (never before the period starts).
pub fn activation(
    store: &Store,
    scope: Scope,
    period: &Period,
    today: NaiveDate,
) -> Result<Activation, StoreError> {
    let members = super::scope_members(store, scope)?;
    let cx = Context::new(store, scope, &members)?;
    let care = CareRecords::load(store)?;
    let spans = read_spans(store, &cx, period, today)?;
    Ok(compute(store, &cx, &care, period, spans)?.0)
}

/// Points earned in the period, one per member of `Context::members`, in its order.
pub(super) type Sums = Vec<i64>;

/// The per-member totals the activation needs, read before the rest.
pub(super) struct Spans {
    year: Period,
    months: Vec<Period>,
    by_span: Vec<Sums>,
    period_at: usize,
    year_at: usize,
    /// For a subtree, where each trend month is in `by_span`.
    month_at: Vec<usize>,
}

/// Reads the totals of the period, its year and (for a subtree) each month of
/// the trend, side by side. The trend and the idle year end with the period,
/// or with `today` when the period runs past it (never before the period
/// starts).
pub(super) fn read_spans(
    store: &Store,
    cx: &Context,
    period: &Period,
    today: NaiveDate,
) -> Result<Spans, StoreError> {
    let end = period.to.min(today).max(period.from);
    let ids: Vec<(MemberId, OrgUnitId)> = cx.members.iter().map(|m| (m.id, m.data.unit)).collect();
    let year = Period::year_of(end);
    let months = last_twelve_months(end);

    // The whole community's trend reads the stored month counts instead of
    // every member's totals. A span is read once however often it is asked for.
    let mut spans: Vec<Period> = Vec::new();
    let span_of = |p: &Period, spans: &mut Vec<Period>| match spans.iter().position(|s| s == p) {
        Some(i) => i,
        None => {
            spans.push(p.clone());
            spans.len() - 1
        }
    };
    let period_at = span_of(period, &mut spans);
    let year_at = span_of(&year, &mut spans);
    let read_scope = if cx.is_whole_community() {
        Scope::Community
    } else {
        cx.scope
    };
    let month_at: Vec<usize> = match read_scope {
        Scope::Community => Vec::new(),
        Scope::Subtree(_) => months.iter().map(|m| span_of(m, &mut spans)).collect(),
    };
    let ids_ref = &ids;
    let jobs: Vec<Box<dyn FnOnce() -> Result<Sums, StoreError> + Send + '_>> = spans
        .iter()
        .map(|p| {
            Box::new(move || {
                let mut sums = vec![0; ids_ref.len()];
                earned_each(store, read_scope, ids_ref, p, &mut |m, n| {
                    if let Some(i) = cx.slot(m) {
                        sums[i] += n;
                    }
                })?;
                Ok(sums)
            }) as Box<dyn FnOnce() -> Result<Sums, StoreError> + Send + '_>
        })
        .collect();
    let by_span: Vec<Sums> = super::on_all_cores(jobs)
        .into_iter()
        .collect::<Result<_, _>>()?;
    Ok(Spans {
        year,
        months,
        by_span,
        period_at,
        year_at,
        month_at,
    })
}

/// The activation and the points each member earned in the period.
pub(super) fn compute(
    store: &Store,
    cx: &Context,
    care: &CareRecords,
    period: &Period,
    spans: Spans,
) -> Result<(Activation, Sums), StoreError> {
    let Spans {
        year,
        months,
        by_span,
        period_at,
        year_at,
        month_at,
    } = spans;
    let empty = vec![0; cx.members.len()];
    let sums = by_span.get(period_at).unwrap_or(&empty);
    let year_sums = by_span.get(year_at).unwrap_or(&empty);

    let window_from = months
        .first()
        .map_or(period.from, |m| m.from)
        .min(period.from)
        .min(year.from);
    let window_to = period.to.max(year.to);
    let deeds = deeds(store, cx, care, window_from, window_to)?;

    let served_in = |p: &Period, sums: &[i64]| -> Vec<bool> {
        let mut served: Vec<bool> = sums.iter().map(|v| *v > 0).collect();
        for (i, d) in &deeds {
            if p.contains(*d) {
                served[*i] = true;
            }
        }
        served
    };
    let served = served_in(period, sums);
    let served_year = served_in(&year, year_sums);

    let mut trend = Vec::with_capacity(months.len());
    for (n, month) in months.iter().enumerate() {
        let by_points = match month_at.get(n).and_then(|i| by_span.get(*i)) {
            Some(sums) => sums.iter().filter(|v| **v > 0).count() as u64,
            None => served_by_points_in_community(store, month.from)?,
        };
        // Deeds of members whose points did not count them already.
        let mut by_deeds: Vec<usize> = Vec::new();
        for (i, d) in &deeds {
            if month.contains(*d) && earned_in_month(store, cx.members[*i].id, month.from)? <= 0 {
                by_deeds.push(*i);
            }
        }
        by_deeds.sort_unstable();
        by_deeds.dedup();
        trend.push(TrendMonth {
            month: month.from,
            members: cx.members.len() as u64,
            served: by_points + by_deeds.len() as u64,
        });
    }

    // One pass over the members, each adding to its category's row; the
    // total row is the rows together.
    #[derive(Default)]
    struct Tally {
        members: u64,
        reported: u64,
        served: u64,
        idle_year: u64,
        points: Vec<i64>,
    }
    let mut tallies: Vec<Tally> = MemberCategory::ALL
        .iter()
        .map(|_| Tally::default())
        .collect();
    let mut not_served = Vec::new();
    let mut not_reported = Vec::new();
    let mut idle_year = Vec::new();
    for (i, m) in cx.members.iter().enumerate() {
        let reported = m.data.reported.is_some_and(|d| d <= period.to);
        let at = MemberCategory::ALL
            .iter()
            .position(|c| *c == m.data.category);
        if let Some(t) = at.and_then(|at| tallies.get_mut(at)) {
            t.members += 1;
            t.reported += u64::from(reported);
            t.served += u64::from(served[i]);
            t.idle_year += u64::from(!served_year[i]);
            t.points.push(sums[i]);
        }
        if !served[i] {
            not_served.push(m.id);
        }
        if !reported {
            not_reported.push(m.id);
        }
        if !served_year[i] {
            idle_year.push(m.id);
        }
    }
    let mut total = Tally::default();
    for t in &tallies {
        total.members += t.members;
        total.reported += t.reported;
        total.served += t.served;
        total.idle_year += t.idle_year;
        total.points.extend_from_slice(&t.points);
    }
    let categories = MemberCategory::ALL.iter().map(|c| Some(*c)).chain([None]);
    let rows = categories
        .zip(tallies.into_iter().chain([total]))
        .map(|(category, mut t)| {
            t.points.sort_unstable();
            CategoryRow {
                category,
                members: t.members,
                reported: t.reported,
                served: t.served,
                avg_points: Points(mean(&t.points)),
                median_points: Points(median(&t.points)),
                idle_year: t.idle_year,
            }
        })
        .collect();

    let activation = Activation {
        period: period.label().to_string(),
        from: period.from,
        to: period.to,
        rows,
        trend,
        not_served,
        not_reported,
        idle_year,
    };
    let sums = by_span.into_iter().nth(period_at).unwrap_or(empty);
    Ok((activation, sums))
}

/// How many active members of the whole community earned more than zero in
/// the month: the count the store keeps as points are written.
fn served_by_points_in_community(store: &Store, month: NaiveDate) -> Result<u64, StoreError> {
    store.served_count(month)
}

/// A member's earned total in the month of `month`.
fn earned_in_month(store: &Store, member: MemberId, month: NaiveDate) -> Result<i64, StoreError> {
    Ok(store.member_month_total(member, month)?.0)
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

/// Service that carries no points, dated `from..=to`, by active members of
/// the scope (their position in `Context::members`): tasks completed without
/// an award and attendance at activities without a points rule. (A task or
/// check-in that awarded points is already counted by its points.)
fn deeds(
    store: &Store,
    cx: &Context,
    care: &CareRecords,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(usize, NaiveDate)>, StoreError> {
    let mut out = Vec::new();
    for t in &care.tasks {
        if let (TaskStatus::Done, Some(d), None) = (t.status, t.done_date, t.award)
            && (from..=to).contains(&d)
            && let Some(i) = cx.slot(t.assignee)
        {
            out.push((i, d));
        }
    }
    for a in store.scan::<Activity>() {
        let a = a?;
        let day = a.data.starts.date();
        if a.data.rule.is_some() || !(from..=to).contains(&day) {
            continue;
        }
        for att in store.attendance_of(a.id) {
            let att = att?;
            if matches!(att.presence, Presence::Present { .. })
                && let Some(i) = cx.slot(att.member)
            {
                out.push((i, day));
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
