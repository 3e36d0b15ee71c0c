//! The cell model every export and report sheet is built from: a `Table` of
//! typed `Value`s. Builders (exports, the monthly report) say what a cell is —
//! text, a date, a whole number, points — and the writers (`csv_cell` for CSV,
//! `xlsx` for workbooks) decide how each kind must be written for the file to
//! survive a spreadsheet.

use crate::domain::Points;
use crate::domain::points::format_centi;
use chrono::{NaiveDate, NaiveDateTime};

/// One cell of an export.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// A calendar month, held as its first day (a date cell shown `yyyy-mm`).
    Month(NaiveDate),
    Int(i64),
    /// Hundredths, written as an exact two-place decimal.
    Centi(i64),
    Empty,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s)
        }
    }

    pub fn date(d: Option<NaiveDate>) -> Value {
        d.map_or(Value::Empty, Value::Date)
    }

    /// A day as a date cell; a month as the text `1980-07`, which the import
    /// reads back as that month.
    pub fn partial(d: Option<crate::domain::PartialDate>) -> Value {
        match d {
            None => Value::Empty,
            Some(crate::domain::PartialDate::Day(d)) => Value::Date(d),
            Some(m) => Value::Text(m.to_string()),
        }
    }

    /// A record id; ids are small counters, far below `i64::MAX`.
    pub fn id(n: u64) -> Value {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    pub fn id_or_empty(n: Option<u64>) -> Value {
        n.map_or(Value::Empty, Value::id)
    }

    /// The cell as plain text, as a person reads it (no spreadsheet escapes).
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Date(d) => d.to_string(),
            Value::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            Value::Month(d) => d.format("%Y-%m").to_string(),
            Value::Int(n) => n.to_string(),
            Value::Centi(c) => format_centi(*c),
            Value::Empty => String::new(),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::id(n)
    }
}

impl From<Points> for Value {
    fn from(p: Points) -> Value {
        Value::Centi(p.0)
    }
}

impl From<NaiveDate> for Value {
    fn from(d: NaiveDate) -> Value {
        Value::Date(d)
    }
}

/// A sheet to write: a name, headers, rows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}
