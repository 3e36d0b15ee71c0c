//! The period a ranking or the overview covers (`p` cycles it): shared by
//! the points and overview panels, so it lives in neither.

/// The period the ranking covers, cycled with `p`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankPeriod {
    Month,
    Quarter,
    Year,
}

impl RankPeriod {
    pub fn next(self) -> RankPeriod {
        match self {
            RankPeriod::Month => RankPeriod::Quarter,
            RankPeriod::Quarter => RankPeriod::Year,
            RankPeriod::Year => RankPeriod::Month,
        }
    }

    /// The period of this kind that holds `today`.
    pub fn period(self, today: chrono::NaiveDate) -> Option<crate::report::period::Period> {
        use crate::report::period::Period;
        use chrono::Datelike;
        match self {
            RankPeriod::Month => Period::month(today.year(), today.month()),
            RankPeriod::Quarter => Period::quarter(today.year(), today.month0() / 3 + 1),
            RankPeriod::Year => Period::year(today.year()),
        }
    }
}
