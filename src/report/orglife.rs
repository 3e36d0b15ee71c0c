//! 三会一课 held against what was due: for every open branch (and group) of
//! a scope, each kind of meeting it must hold, how often (its own setting,
//! else the community's, else the default shipped in `assets/orglife.json`),
//! and, over a period, how many were due, how many held, and which were
//! missed. A requirement is due in the period its window (month, quarter,
//! year) ends in: a year holds 12 monthly and 4 quarterly ones, a month one
//! monthly one and, in March, June, September and December, the quarter's.
//! A meeting counts for the unit that hosts it and, when it was held for a
//! subtree above (a joint 党课 of the committee), for every unit below.

use super::overview::Context;
use super::period::Period;
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const DEFAULTS_JSON: &str = include_str!("../../assets/orglife.json");

#[derive(Deserialize)]
struct DefaultSpec {
    kind: ActivityKind,
    every: Option<Every>,
}

/// The shipped default for a kind (`Never` for kinds that are not meetings).
/// The file is part of the binary and checked by a test.
pub fn default_required(kind: ActivityKind) -> Required {
    // Read once: the report asks for every unit and kind.
    static SPECS: std::sync::OnceLock<Vec<DefaultSpec>> = std::sync::OnceLock::new();
    let specs = SPECS.get_or_init(|| serde_json::from_str(DEFAULTS_JSON).unwrap_or_default());
    match specs.iter().find(|s| s.kind == kind) {
        Some(DefaultSpec { every: Some(e), .. }) => Required::Every(*e),
        _ => Required::Never,
    }
}

/// How often `unit` must hold `kind`, and where that comes from.
pub fn required_of(
    store: &Store,
    unit: OrgUnitId,
    kind: ActivityKind,
) -> Result<(Option<Every>, Source), StoreError> {
    let own = store.frequency(Some(unit), kind)?.map(|f| f.required);
    let community = store.frequency(None, kind)?.map(|f| f.required);
    let (required, source) = match (own, community) {
        (Some(r), _) if r != Required::Inherit => (r, Source::Unit),
        (_, Some(r)) if r != Required::Inherit => (r, Source::Community),
        _ => (default_required(kind), Source::Default),
    };
    Ok((
        match required {
            Required::Every(e) => Some(e),
            Required::Never | Required::Inherit => None,
        },
        source,
    ))
}

/// Where a unit's frequency comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Unit,
    Community,
    Default,
}

/// One unit and kind over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRow {
    pub unit: OrgUnitId,
    pub unit_name: String,
    pub level: OrgLevel,
    pub kind: ActivityKind,
    pub every: Option<Every>,
    /// Windows ending in the period.
    pub due: u32,
    /// Meetings held in the period (on or before today).
    pub held: u32,
    /// Windows ending in the period with at least one meeting held in them.
    pub met: u32,
    /// Windows that have ended, before today, with none: the window's label
    /// (`2026-03`, `2026-Q1`, `2026`).
    pub missed: Vec<String>,
}

/// Held vs due for a scope and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgLifeReport {
    pub period: Period,
    pub rows: Vec<DueRow>,
}

impl OrgLifeReport {
    pub fn missed(&self) -> usize {
        self.rows.iter().map(|r| r.missed.len()).sum()
    }
}

/// A requirement's window: first and last day, and its label.
fn windows(every: Every, period: &Period) -> Vec<(NaiveDate, NaiveDate, String)> {
    let months = match every {
        Every::Month => 1,
        Every::Quarter => 3,
        Every::Year => 12,
    };
    let mut out = Vec::new();
    let Some(mut start) = NaiveDate::from_ymd_opt(period.from.year(), 1, 1) else {
        return out;
    };
    while start <= period.to {
        let Some(next) = start.checked_add_months(Months::new(months)) else {
            break;
        };
        let Some(end) = next.pred_opt() else { break };
        if end >= period.from && end <= period.to {
            let label = match every {
                Every::Month => format!("{}-{:02}", start.year(), start.month()),
                Every::Quarter => format!("{}-Q{}", start.year(), start.month() / 3 + 1),
                Every::Year => start.year().to_string(),
            };
            out.push((start, end, label));
        }
        start = next;
    }
    out
}

/// The units above `unit`, nearest first.
fn ancestors(units: &HashMap<OrgUnitId, OrgUnit>, unit: OrgUnitId) -> Vec<OrgUnitId> {
    let mut out = Vec::new();
    let mut at = units.get(&unit).and_then(|u| u.parent);
    while let Some(id) = at {
        if out.contains(&id) || out.len() > 8 {
            break;
        }
        out.push(id);
        at = units.get(&id).and_then(|u| u.parent);
    }
    out
}

/// Held vs due for every open branch and group of the context's scope.
pub fn held_vs_due(
    store: &Store,
    cx: &Context,
    period: &Period,
    today: NaiveDate,
) -> Result<OrgLifeReport, StoreError> {
    // The meetings of each kind, by date: activities are few beside members.
    let mut meetings: Vec<Activity> = Vec::new();
    for a in store.scan::<Activity>() {
        let a = a?;
        if a.data.kind.is_meeting() && a.data.starts.date() <= today {
            meetings.push(a);
        }
    }
    let mut rows = Vec::new();
    for level in [OrgLevel::Branch, OrgLevel::Group] {
        for unit in cx.open_units(level) {
            let above = ancestors(&cx.units, unit.id);
            let counts = |a: &Activity| a.data.host == unit.id || above.contains(&a.data.invitees);
            for kind in ActivityKind::MEETINGS {
                if kind.held_by() != level {
                    continue;
                }
                let (every, _) = required_of(store, unit.id, kind)?;
                let dates: Vec<NaiveDate> = meetings
                    .iter()
                    .filter(|a| a.data.kind == kind && counts(a))
                    .map(|a| a.data.starts.date())
                    .collect();
                let held = dates.iter().filter(|d| period.contains(**d)).count() as u32;
                let (mut due, mut met, mut missed) = (0, 0, Vec::new());
                for (from, to, label) in every.map(|e| windows(e, period)).unwrap_or_default() {
                    // A unit set up within a window owes nothing for it.
                    if unit.established.is_some_and(|e| e > from) {
                        continue;
                    }
                    due += 1;
                    if dates.iter().any(|d| *d >= from && *d <= to) {
                        met += 1;
                    } else if to < today {
                        missed.push(label);
                    }
                }
                rows.push(DueRow {
                    unit: unit.id,
                    unit_name: unit.name.clone(),
                    level,
                    kind,
                    every,
                    due,
                    held,
                    met,
                    missed,
                });
            }
        }
    }
    Ok(OrgLifeReport {
        period: period.clone(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_meeting_kind_has_a_shipped_default() {
        let specs: Vec<DefaultSpec> = serde_json::from_str(DEFAULTS_JSON).unwrap();
        assert_eq!(specs.len(), ActivityKind::MEETINGS.len());
        assert_eq!(
            default_required(ActivityKind::BranchGeneralMeeting),
            Required::Every(Every::Quarter)
        );
        assert_eq!(
            default_required(ActivityKind::GroupMeeting),
            Required::Every(Every::Month)
        );
        assert_eq!(default_required(ActivityKind::Study), Required::Never);
    }

    #[test]
    fn windows_are_due_in_the_period_they_end_in() {
        let p = |s: &str| Period::parse(s).unwrap();
        assert_eq!(windows(Every::Month, &p("2026")).len(), 12);
        assert_eq!(windows(Every::Quarter, &p("2026")).len(), 4);
        assert_eq!(windows(Every::Year, &p("2026")).len(), 1);
        assert_eq!(windows(Every::Quarter, &p("2026-02")).len(), 0);
        let q = windows(Every::Quarter, &p("2026-03"));
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].2, "2026-Q1");
        assert_eq!(windows(Every::Month, &p("2026-Q2")).len(), 3);
    }
}
