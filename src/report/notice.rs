//! The public notice (公示) of a period: the evaluation of the year the
//! period ends in (score and grade as they stand), with each member's points
//! earned and deducted within the period itself — a month's or a quarter's
//! notice as communities post them, or the whole year's. Pure over the store.

use super::evaluation::{Evaluation, evaluation};
use super::period::Period;
use super::points::Scope;
use crate::domain::evaluation::is_deduction;
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::Datelike;
use std::collections::HashMap;

/// The notice of `period` for `scope`. A period that is a whole natural year
/// is that year's evaluation as it is.
pub fn notice(store: &Store, scope: Scope, period: &Period) -> Result<Evaluation, StoreError> {
    let year = period.to.year();
    let mut e = evaluation(store, scope, year)?;
    let whole_year = period.from.year() == year
        && period.from.ordinal() == 1
        && period.to.month() == 12
        && period.to.day() == 31;
    if whole_year {
        return Ok(e);
    }
    let mut within: HashMap<MemberId, (i64, i64)> = HashMap::new();
    for entry in store.entries_between(period.from, period.to) {
        let entry = entry?;
        if matches!(entry.source, EntrySource::Redemption(_)) {
            continue;
        }
        let sums = within.entry(entry.member).or_default();
        if is_deduction(&entry) {
            sums.1 -= entry.points.0;
        } else {
            sums.0 += entry.points.0;
        }
    }
    for line in &mut e.lines {
        let (earned, deducted) = within.get(&line.member).copied().unwrap_or_default();
        line.earned = Points(earned);
        line.deducted = Points(deducted);
    }
    Ok(e)
}
