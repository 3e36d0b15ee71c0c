//! Reading one row's cells as typed values, collecting a problem per bad cell.
//! The checks and limits are those `ops` applies (its handlers check again),
//! here so that every problem is named by row and column before anything is
//! written.

use super::Problem;
use crate::domain::PartialDate;
use crate::domain::date::parse_partial_date;
use crate::domain::validate::{ValueError, check_controls, normalize_input, parse_date, tidy_text};
use crate::io::columns::{ColumnDef, Columns};
use crate::io::sheet::{Cell, SheetRow};
use chrono::NaiveDate;

pub struct RowReader<'a, F: 'static> {
    pub row: &'a SheetRow,
    pub cols: &'a Columns<F>,
    pub defs: &'a [ColumnDef<F>],
    pub today: NaiveDate,
    pub problems: Vec<Problem>,
}

impl<'a, F: Copy + PartialEq> RowReader<'a, F> {
    pub fn new(
        row: &'a SheetRow,
        cols: &'a Columns<F>,
        defs: &'a [ColumnDef<F>],
        today: NaiveDate,
    ) -> Self {
        RowReader {
            row,
            cols,
            defs,
            today,
            problems: Vec::new(),
        }
    }

    pub fn has(&self, f: F) -> bool {
        self.cols.has(f)
    }

    /// A problem at each column the import reads whose cell holds a control
    /// character: such text is never stored.
    pub fn check_controls(&mut self) {
        let found: Vec<(F, ValueError)> = self
            .cols
            .found
            .iter()
            .filter_map(|(c, f, _)| match self.row.cell(*c) {
                Cell::Text(t) => check_controls(t).err().map(|e| (*f, e)),
                _ => None,
            })
            .collect();
        for (f, e) in found {
            self.value_error(f, &e);
        }
    }

    pub fn cell(&self, f: F) -> Option<&'a Cell> {
        self.cols.col(f).map(|c| self.row.cell(c))
    }

    /// The cell as tidy text; `None` when the file has no such column.
    pub fn text(&self, f: F) -> Option<String> {
        self.cell(f).map(|c| tidy_text(&c.text()))
    }

    pub fn bad(&mut self, f: F, en: impl Into<String>, zh: impl Into<String>) {
        // The header as the file writes it; English or Chinese alike.
        let column = Some(self.cols.label(f, self.defs, true));
        self.problems.push(Problem {
            row: self.row.number,
            column,
            en: en.into(),
            zh: zh.into(),
        });
    }

    pub fn value_error(&mut self, f: F, e: &ValueError) {
        self.bad(f, e.to_string(), e.zh());
    }

    /// Required text of at most `max` characters.
    pub fn required(&mut self, f: F, max: usize) -> String {
        let t = self.text(f).unwrap_or_default();
        if t.is_empty() {
            self.value_error(f, &ValueError::Required);
        } else {
            self.check_len(f, &t, max);
        }
        t
    }

    /// Optional text; `None` when the column is absent.
    pub fn optional(&mut self, f: F, max: usize) -> Option<String> {
        let t = self.text(f)?;
        self.check_len(f, &t, max);
        Some(t)
    }

    /// An address part, with full-width digits made ASCII as `ops` does.
    pub fn address_part(&mut self, f: F, max: usize) -> Option<String> {
        let t = tidy_text(&normalize_input(&self.cell(f)?.text()));
        self.check_len(f, &t, max);
        Some(t)
    }

    pub fn check_len(&mut self, f: F, t: &str, max: usize) {
        if t.chars().count() > max {
            self.value_error(f, &ValueError::TooLong { max });
        }
    }

    /// A date that needs its day: as `partial`, a month alone refused.
    pub fn date(&mut self, f: F) -> Option<Option<NaiveDate>> {
        let d = self.partial(f)?;
        match d {
            Some(PartialDate::Month { .. }) => {
                let input = self.cell(f).map(Cell::text).unwrap_or_default();
                self.value_error(f, &ValueError::NeedsDay { input });
                Some(None)
            }
            Some(PartialDate::Day(d)) => Some(Some(d)),
            None => Some(None),
        }
    }

    /// A date, to the day or the month: an Excel date cell, a number
    /// (19750701, 198007, 1980.07) or text in a form people type; an empty
    /// cell is `Some(None)`, an absent column `None`. Future dates are refused.
    pub fn partial(&mut self, f: F) -> Option<Option<PartialDate>> {
        let cell = self.cell(f)?;
        let d = match cell {
            Cell::Empty => return Some(None),
            Cell::Date(d) => PartialDate::Day(*d),
            Cell::Number(n) => match number_date(*n) {
                Ok(d) => d,
                Err(e) => {
                    self.value_error(f, &e);
                    return Some(None);
                }
            },
            other => {
                let text = other.text();
                if text.trim().is_empty() {
                    return Some(None);
                }
                match parse_date_text(&text) {
                    Ok(d) => PartialDate::Day(d),
                    Err(e) => match parse_partial_date(&text) {
                        Ok(m) => m,
                        Err(_) => {
                            self.value_error(f, &e);
                            return Some(None);
                        }
                    },
                }
            }
        };
        if d.is_future(self.today) {
            self.value_error(f, &ValueError::FutureDate(d.first_day()));
            return Some(None);
        }
        Some(Some(d))
    }
}

/// A date typed as a number: 8 digits are a day (19750701), 6 a month
/// (198007), a number with a fraction a year and month as Excel keeps a
/// typed 1980.07, and a five-digit whole number a date serial in a cell
/// that lost its date format.
fn number_date(n: f64) -> Result<PartialDate, ValueError> {
    let not = || ValueError::Date {
        input: crate::io::sheet::Cell::Number(n).text(),
    };
    if !n.is_finite() || n <= 0.0 {
        return Err(not());
    }
    if n.fract() == 0.0 {
        let digits = format!("{}", n as u64);
        return match digits.len() {
            8 => parse_date(&digits).map(PartialDate::Day),
            6 => parse_partial_date(&digits),
            5 => crate::io::sheet::excel_serial_date(n, false)
                .map(PartialDate::Day)
                .ok_or_else(not),
            _ => Err(not()),
        };
    }
    // 1980.07 → July; 1980.1 was typed 1980.1 or 1980.10, which Excel keeps
    // alike: January or October cannot be told.
    let year = n.trunc();
    let frac = format!("{:.6}", n - year);
    let digits = frac.trim_start_matches("0.").trim_end_matches('0');
    let month = match digits.len() {
        2 => digits.parse::<u32>().ok(),
        1 if digits == "1" => {
            return Err(ValueError::Date {
                input: format!(
                    "{} (January or October? format the column as text and type {}.01 or {}.10)",
                    crate::io::sheet::Cell::Number(n).text(),
                    year,
                    year
                ),
            });
        }
        1 => digits.parse::<u32>().ok(),
        _ => None,
    };
    match month {
        Some(m) if (1900.0..=2200.0).contains(&year) => {
            PartialDate::month(year as i32, m).ok_or_else(not)
        }
        _ => Err(not()),
    }
}

/// `parse_date`, also taking a date followed by a midnight time, as some
/// systems export dates ("2001-03-05 00:00:00").
pub fn parse_date_text(text: &str) -> Result<NaiveDate, ValueError> {
    match parse_date(text) {
        Ok(d) => Ok(d),
        Err(e) => {
            let t = text.trim();
            if let Some((day, time)) = t.split_once([' ', 'T'])
                && !time.is_empty()
                && time
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
                && let Ok(d) = parse_date(day)
            {
                return Ok(d);
            }
            Err(e)
        }
    }
}

/// Splits a list cell (skills, posts) at 、 , ， ; ； / and line breaks.
pub fn split_list(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    v.dedup();
    v
}

/// Splits an address written in one cell into building, entrance and room:
/// `3-2-501`, `3栋2单元501室`, `3号楼2单元501`. `None` when it has no such shape.
pub fn split_address(s: &str) -> Option<(String, String, String)> {
    let t: String = normalize_input(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    let parts: Vec<&str> = t.split('-').collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty()) {
        return Some((parts[0].into(), parts[1].into(), parts[2].into()));
    }
    let (building, rest) = if let Some(i) = t.find("号楼") {
        (&t[..i], &t[i + "号楼".len()..])
    } else if let Some(i) = t.find('栋') {
        (&t[..i], &t[i + '栋'.len_utf8()..])
    } else if let Some(i) = t.find('幢') {
        (&t[..i], &t[i + '幢'.len_utf8()..])
    } else {
        return None;
    };
    let (unit, room) = match rest.find("单元") {
        Some(i) => (&rest[..i], &rest[i + "单元".len()..]),
        None => ("", rest),
    };
    let room = room
        .strip_suffix('室')
        .or_else(|| room.strip_suffix('号'))
        .unwrap_or(room);
    if building.is_empty() {
        return None;
    }
    Some((building.into(), unit.into(), room.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_one_cell() {
        let s = |a: &str, b: &str, c: &str| Some((a.to_string(), b.to_string(), c.to_string()));
        assert_eq!(split_address("3-2-501"), s("3", "2", "501"));
        assert_eq!(split_address("３栋２单元５０１室"), s("3", "2", "501"));
        assert_eq!(split_address("12号楼1单元302"), s("12", "1", "302"));
        assert_eq!(split_address("5幢101"), s("5", "", "101"));
        assert_eq!(split_address("和平里小区"), None);
    }

    #[test]
    fn lists_and_dates_with_times() {
        assert_eq!(
            split_list("维修、 法律，维修;教学"),
            ["维修", "法律", "维修", "教学"]
        );
        assert_eq!(
            parse_date_text("2001-03-05 00:00:00").unwrap().to_string(),
            "2001-03-05"
        );
        assert!(parse_date_text("2001-03-05 x").is_err());
    }
}
