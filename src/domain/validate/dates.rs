//! Dates and months as people write them (`2001-03-05`, `2001年3月5日`,
//! `20010305`, …), refused with the input named when they are not dates.

use super::*;

/// Parses a date as people write it: `2001-03-05`, `2001/3/5`, `2001.3.5`,
/// `2001年3月5日` (or `号`), `20010305`, with full-width digits or stray spaces.
pub fn parse_date(s: &str) -> Result<NaiveDate, ValueError> {
    let t = compact(s);
    let not_a_date = || ValueError::Date {
        input: s.trim().to_string(),
    };
    let (year, month, day) = date_parts(&t).ok_or_else(not_a_date)?;
    if !(1..=12).contains(&month) || day == 0 {
        return Err(not_a_date());
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| ValueError::NoSuchDay {
        input: s.trim().to_string(),
        year,
        month,
        days: days_in_month(year, month),
    })
}

fn date_parts(t: &str) -> Option<(i32, u32, u32)> {
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            t[..4].parse().ok()?,
            t[4..6].parse().ok()?,
            t[6..].parse().ok()?,
        ));
    }
    if let Some((y, rest)) = t.split_once('年') {
        let (m, d) = rest.split_once('月')?;
        let d = d
            .strip_suffix('日')
            .or_else(|| d.strip_suffix('号'))
            .unwrap_or(d);
        return Some((year_part(y)?, small_part(m)?, small_part(d)?));
    }
    let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = t.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((year_part(y)?, small_part(m)?, small_part(d)?))
}

fn year_part(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn small_part(s: &str) -> Option<u32> {
    ((1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(28)
}

/// Parses a month: `2026-11`, `2026/11`, `2026.11`, `202611`, `2026年11月`.
pub fn parse_month(s: &str) -> Result<(i32, u32), ValueError> {
    let t = compact(s);
    let parts = if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        year_part(&t[..4]).zip(small_part(&t[4..]))
    } else if let Some((y, m)) = t.split_once('年') {
        year_part(y).zip(small_part(m.strip_suffix('月').unwrap_or(m)))
    } else {
        t.split_once(['-', '/', '.'])
            .and_then(|(y, m)| year_part(y).zip(small_part(m)))
    };
    match parts {
        Some((y, m)) if (1..=12).contains(&m) => Ok((y, m)),
        _ => Err(ValueError::Month {
            input: s.trim().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let d = date(2001, 3, 5);
        for s in [
            "2001-03-05",
            "2001-3-5",
            "2001/3/5",
            "2001/03/05",
            "2001.3.5",
            "2001年3月5日",
            "2001年03月05号",
            "2001年3月5",
            "20010305",
            "２００１－０３－０５",
            "２００１年３月５日",
            "  2001-03-05 ",
            "2001 年 3 月 5 日",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        assert_eq!(parse_date("2000-02-29"), Ok(date(2000, 2, 29)));
    }

    #[test]
    fn malformed_and_impossible_dates_are_refused_naming_the_input() {
        for s in [
            "2001年3月",
            "2001-03",
            "01-03-05",
            "2001-3/5",
            "2001-03-05-01",
            "2001-003-05",
            "200135",
            "march 5",
            "",
        ] {
            assert_eq!(
                parse_date(s),
                Err(ValueError::Date { input: s.into() }),
                "{s}"
            );
        }
        assert_eq!(
            parse_date("2001-13-05").unwrap_err().to_string(),
            "not a date: '2001-13-05' (use e.g. 2001-03-05)"
        );
        assert!(matches!(
            parse_date("2001-03-00"),
            Err(ValueError::Date { .. })
        ));
        let feb30 = parse_date(" 2001-02-30 ").unwrap_err();
        assert_eq!(
            feb30,
            ValueError::NoSuchDay {
                input: "2001-02-30".into(),
                year: 2001,
                month: 2,
                days: 28
            }
        );
        assert!(feb30.to_string().contains("'2001-02-30'"));
        assert!(matches!(
            parse_date("2001-04-31"),
            Err(ValueError::NoSuchDay { days: 30, .. })
        ));
        assert!(matches!(
            parse_date("1900-02-29"),
            Err(ValueError::NoSuchDay { days: 28, .. })
        ));
    }

    #[test]
    fn months_in_every_accepted_form() {
        for s in [
            "2026-11",
            "2026/11",
            "2026.11",
            "202611",
            "2026年11月",
            "２０２６年１１月",
        ] {
            assert_eq!(parse_month(s), Ok((2026, 11)), "{s}");
        }
        assert_eq!(parse_month("2026-1"), Ok((2026, 1)));
        for s in [
            "2026-13",
            "2026-00",
            "20261",
            "2026",
            "26-11",
            "2026-11-01",
            "x",
        ] {
            assert_eq!(
                parse_month(s),
                Err(ValueError::Month { input: s.into() }),
                "{s}"
            );
        }
    }
}
