//! A date that knows its precision. Party records often give only the month a
//! member joined or became a full member (入党时间 1980年7月, 1980.07): such a
//! date is kept as that month, shown as `1980-07`, and never padded into a
//! day nobody recorded.

use super::validate::{ValueError, parse_date, parse_month};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartialDate {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
}

impl PartialDate {
    /// A month, if it is one (1–12, in chrono's range of years).
    pub fn month(year: i32, month: u32) -> Option<PartialDate> {
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(PartialDate::Month { year, month })
    }

    pub fn first_day(self) -> NaiveDate {
        match self {
            PartialDate::Day(d) => d,
            PartialDate::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
            }
        }
    }

    pub fn year_month(self) -> (i32, u32) {
        match self {
            PartialDate::Day(d) => (d.year(), d.month()),
            PartialDate::Month { year, month } => (year, month),
        }
    }

    /// The day, when the date has one.
    pub fn day(self) -> Option<NaiveDate> {
        match self {
            PartialDate::Day(d) => Some(d),
            PartialDate::Month { .. } => None,
        }
    }

    /// Whether all of it lies after `today` (a month is future from its first day).
    pub fn is_future(self, today: NaiveDate) -> bool {
        self.first_day() > today
    }

    /// Whether this is surely before `other`, at the precision both know.
    pub fn is_before(self, other: PartialDate) -> bool {
        match (self, other) {
            (PartialDate::Day(a), PartialDate::Day(b)) => a < b,
            _ => self.year_month() < other.year_month(),
        }
    }

    /// Whether `day` falls on this date (in this month, for a month).
    pub fn holds(self, day: NaiveDate) -> bool {
        match self {
            PartialDate::Day(d) => d == day,
            PartialDate::Month { .. } => self.year_month() == (day.year(), day.month()),
        }
    }

    /// For sorting: a month sorts before the days in it.
    fn key(self) -> (i32, u32, u32) {
        match self {
            PartialDate::Day(d) => (d.year(), d.month(), d.day()),
            PartialDate::Month { year, month } => (year, month, 0),
        }
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl From<NaiveDate> for PartialDate {
    fn from(d: NaiveDate) -> Self {
        PartialDate::Day(d)
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartialDate::Day(d) => write!(f, "{d}"),
            PartialDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

/// A day in any form `parse_date` takes, or a month in any form `parse_month`
/// takes (1980-07, 1980/7, 1980.07, 198007, 1980年7月).
pub fn parse_partial_date(s: &str) -> Result<PartialDate, ValueError> {
    match parse_date(s) {
        Ok(d) => Ok(PartialDate::Day(d)),
        Err(day_error) => match parse_month(s) {
            Ok((y, m)) => PartialDate::month(y, m).ok_or(day_error),
            // A real date's own complaint (no 2 月 30 日) says more.
            Err(_) => Err(day_error),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> PartialDate {
        PartialDate::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn months_in_the_forms_party_records_use() {
        let july = PartialDate::month(1980, 7).unwrap();
        for s in [
            "1980年7月",
            "1980.07",
            "1980-07",
            "1980/7",
            "198007",
            "１９８０．０７",
        ] {
            assert_eq!(parse_partial_date(s), Ok(july), "{s}");
        }
        assert_eq!(parse_partial_date("1980-07-01"), Ok(day(1980, 7, 1)));
        assert_eq!(parse_partial_date("19800701"), Ok(day(1980, 7, 1)));
        assert!(parse_partial_date("1980-13").is_err());
        assert!(matches!(
            parse_partial_date("1980-02-30"),
            Err(ValueError::NoSuchDay { .. })
        ));
        assert_eq!(july.to_string(), "1980-07");
        assert_eq!(day(1980, 7, 1).to_string(), "1980-07-01");
    }

    #[test]
    fn order_and_comparison_keep_to_the_known_precision() {
        let july = PartialDate::month(1980, 7).unwrap();
        assert!(!july.is_before(day(1980, 7, 1)));
        assert!(!day(1980, 7, 20).is_before(july));
        assert!(july.is_before(day(1980, 8, 1)));
        assert!(july < day(1980, 7, 1));
        assert!(july.holds(NaiveDate::from_ymd_opt(1980, 7, 31).unwrap()));
        let today = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        assert!(!PartialDate::month(2026, 7).unwrap().is_future(today));
        assert!(PartialDate::month(2026, 8).unwrap().is_future(today));
    }
}
