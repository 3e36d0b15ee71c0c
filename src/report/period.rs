//! Report periods: a month, a quarter, a year or a custom date range, as people
//! type them (`2026-11`, `2026-Q4`, `2026`, `2026-10-15..2026-11-14`). Dates are
//! local calendar dates: an entry belongs to the period its service date falls in,
//! whatever the UTC time it was recorded at.

use crate::domain::validate::{ValueError, parse_date, parse_month};
use chrono::{Datelike, Months, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// An inclusive range of calendar dates with the label it was asked for by.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("a period is required (e.g. 2026-11, 2026-Q4, 2026 or 2026-10-01..2026-12-31)")]
    Empty,
    #[error("not a quarter: '{0}' (use Q1 to Q4, e.g. 2026-Q4)")]
    Quarter(String),
    #[error("in the range '{input}': {error}")]
    RangeDate { input: String, error: ValueError },
    #[error("the range '{input}' ends before it starts")]
    Reversed { input: String },
    #[error("no such month or year: '{0}'")]
    OutOfRange(String),
    #[error(
        "not a period: '{0}' (use a month 2026-11, a quarter 2026-Q4, a year 2026, \
         or a range 2026-10-01..2026-12-31)"
    )]
    Unrecognised(String),
}

impl Period {
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        let to = from.checked_add_months(Months::new(1))?.pred_opt()?;
        Some(Period {
            from,
            to,
            label: format!("{year}-{month:02}"),
        })
    }

    pub fn quarter(year: i32, quarter: u32) -> Option<Period> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let from = NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)?;
        let to = from.checked_add_months(Months::new(3))?.pred_opt()?;
        Some(Period {
            from,
            to,
            label: format!("{year}-Q{quarter}"),
        })
    }

    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
            label: year.to_string(),
        })
    }

    /// `from..to`, both inclusive; `None` when `to` is before `from`.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then(|| Period {
            from,
            to,
            label: format!("{from}..{to}"),
        })
    }

    /// The calendar year of a date: the default period of the reports.
    pub fn year_of(date: NaiveDate) -> Period {
        Period::year(date.year()).unwrap_or_else(|| Period {
            from: date,
            to: date,
            label: date.to_string(),
        })
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn parse(input: &str) -> Result<Period, PeriodError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(PeriodError::Empty);
        }
        if let Some((a, b)) = t.split_once("..") {
            let date = |s: &str| {
                parse_date(s).map_err(|error| PeriodError::RangeDate {
                    input: t.to_string(),
                    error,
                })
            };
            let (from, to) = (date(a)?, date(b)?);
            return Period::range(from, to).ok_or_else(|| PeriodError::Reversed {
                input: t.to_string(),
            });
        }
        if let Some((y, q)) = t
            .split_once(['-', ' '])
            .filter(|(_, q)| q.starts_with(['q', 'Q']))
        {
            let year = four_digit_year(y).ok_or_else(|| PeriodError::Unrecognised(t.into()))?;
            let quarter = q[1..]
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=4).contains(n))
                .ok_or_else(|| PeriodError::Quarter(t.into()))?;
            return Period::quarter(year, quarter).ok_or_else(|| PeriodError::OutOfRange(t.into()));
        }
        if let Some(year) = four_digit_year(t) {
            return Period::year(year).ok_or_else(|| PeriodError::OutOfRange(t.into()));
        }
        match parse_month(t) {
            Ok((year, month)) => {
                Period::month(year, month).ok_or_else(|| PeriodError::OutOfRange(t.into()))
            }
            Err(_) => Err(PeriodError::Unrecognised(t.into())),
        }
    }
}

fn four_digit_year(s: &str) -> Option<i32> {
    let s = s.trim().strip_suffix('年').unwrap_or(s.trim());
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Period, PeriodError> {
        Period::parse(s)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_quarter_year_and_range_have_the_right_bounds() {
        let p = Period::parse("2026-11").unwrap();
        assert_eq!((p.from, p.to), (d(2026, 11, 1), d(2026, 11, 30)));
        let p = Period::parse("2024-02").unwrap();
        assert_eq!(p.to, d(2024, 2, 29), "leap February");
        let p = Period::parse("2026-Q4").unwrap();
        assert_eq!((p.from, p.to), (d(2026, 10, 1), d(2026, 12, 31)));
        let p = Period::parse("2026q1").unwrap_err();
        assert!(matches!(p, PeriodError::Unrecognised(_)), "{p}");
        let p = Period::parse("2026-q1").unwrap();
        assert_eq!((p.from, p.to), (d(2026, 1, 1), d(2026, 3, 31)));
        let p = Period::parse("2026").unwrap();
        assert_eq!((p.from, p.to), (d(2026, 1, 1), d(2026, 12, 31)));
        let p = Period::parse("2026-10-15..2026/11/14").unwrap();
        assert_eq!((p.from, p.to), (d(2026, 10, 15), d(2026, 11, 14)));
        assert_eq!(p.label(), "2026-10-15..2026-11-14");
        let p = Period::parse("2026年11月").unwrap();
        assert_eq!(p.label(), "2026-11");
    }

    #[test]
    fn bad_periods_say_what_is_wrong() {
        assert_eq!(Period::parse(" "), Err(PeriodError::Empty));
        assert!(matches!(
            Period::parse("2026-Q5"),
            Err(PeriodError::Quarter(_))
        ));
        assert!(matches!(
            Period::parse("2026-12-01..2026-11-01"),
            Err(PeriodError::Reversed { .. })
        ));
        let e = Period::parse("2026-02-30..2026-03-01").unwrap_err();
        assert!(e.to_string().contains("has only 28 days"), "{e}");
        let e = Period::parse("last week").unwrap_err();
        assert!(e.to_string().contains("2026-Q4"), "{e}");
        assert!(matches!(
            Period::parse("2026-13"),
            Err(PeriodError::Unrecognised(_))
        ));
    }

    #[test]
    fn contains_is_inclusive_at_both_ends() {
        let q = Period::parse("2026-Q3").unwrap();
        assert!(q.contains(d(2026, 9, 30)));
        assert!(q.contains(d(2026, 7, 1)));
        assert!(!q.contains(d(2026, 10, 1)));
        assert!(!q.contains(d(2026, 6, 30)));
    }
}
