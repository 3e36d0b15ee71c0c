//! Points as exact fixed-point numbers (hundredths), so sums over a million
//! entries never drift the way floats would, and a journal export balances to
//! the cent.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// Points in hundredths: `Points(150)` is 1.5 points.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    pub fn whole(n: i64) -> Points {
        Points(n * 100)
    }

    /// Points for `quantity_centi` hundredths of an hour or time at `self` per unit,
    /// rounded half away from zero to the hundredth.
    pub fn times_centi(self, quantity_centi: u32) -> Points {
        let product = i128::from(self.0) * i128::from(quantity_centi);
        let rounded = if product >= 0 {
            (product + 50) / 100
        } else {
            (product - 50) / 100
        };
        Points(i64::try_from(rounded).unwrap_or(i64::MAX))
    }

    /// Parses `12`, `1.5`, `-2`, `0.25`; at most two decimals.
    pub fn parse(s: &str) -> Option<Points> {
        parse_centi(s).map(Points)
    }
}

/// Parses a decimal with at most two fractional digits into hundredths.
pub fn parse_centi(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let int_value: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_value: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let value = int_value.checked_mul(100)?.checked_add(frac_value)?;
    Some(if neg { -value } else { value })
}

/// Formats hundredths the short way: `150` → `1.5`, `200` → `2`, `-25` → `-0.25`.
pub fn format_centi(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    let (int, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
        f => format!("{sign}{int}.{f:02}"),
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format_centi(self.0))
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0.saturating_add(o.0))
    }
}

impl AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        *self = *self + o;
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0.saturating_sub(o.0))
    }
}

impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(self.0.saturating_neg())
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format_round_trip() {
        for (text, centi) in [
            ("12", 1200),
            ("1.5", 150),
            ("0.25", 25),
            ("-2", -200),
            (".5", 50),
        ] {
            assert_eq!(parse_centi(text), Some(centi), "{text}");
        }
        assert_eq!(format_centi(150), "1.5");
        assert_eq!(format_centi(-25), "-0.25");
        assert_eq!(format_centi(1200), "12");
    }

    #[test]
    fn parse_rejects_garbage_and_three_decimals() {
        for bad in ["", "-", "1.234", "abc", "1,5", "1.5.2"] {
            assert_eq!(parse_centi(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_centi_rounds_half_away_from_zero() {
        // 0.5 points per hour for 1.25 hours = 0.625 → 0.63
        assert_eq!(Points(50).times_centi(125), Points(63));
        assert_eq!(Points(-50).times_centi(125), Points(-63));
        assert_eq!(Points(200).times_centi(150), Points(300));
    }
}
