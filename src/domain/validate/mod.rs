//! Checking and canonicalising the values people type: resident ID numbers,
//! mobile and landline numbers, dates and months, and masking IDs and phones
//! for display.
//!
//! Everything here is a pure function of its input (plus today's date for the
//! ID birth-date check). It does no I/O, knows nothing of the store or the
//! terminal, and never panics on any input.
//!
//! Here: `ValueError` and the tidying of typed text; one file per kind of
//! value (`id_number`, `phone`, `dates`, `mask`).

mod dates;
mod id_number;
mod mask;
mod phone;

pub use dates::*;
pub use id_number::*;
pub use mask::*;
pub use phone::*;

use chrono::{Datelike, NaiveDate};

/// Why a typed value was refused. Each message is meant to be shown as is, so it
/// says what was expected in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("a value is required")]
    Required,
    #[error("too long: at most {max} characters")]
    TooLong { max: usize },
    #[error("{0} is in the future")]
    FutureDate(NaiveDate),
    #[error("must be more than 0")]
    NotPositive,
    #[error("ID number must be 18 characters, got {got}")]
    IdLength { got: usize },
    #[error("ID number must be 17 digits followed by a digit or X")]
    IdCharacters,
    #[error("ID number cannot start with 0: the first six digits are an area code")]
    IdArea,
    #[error("ID number birth date {digits} is not a real date")]
    IdBirthDate { digits: String },
    #[error("ID number birth date {0} is in the future")]
    IdBirthFuture(NaiveDate),
    #[error("ID number birth year {0} is before 1900")]
    IdBirthYear(i32),
    #[error("ID number checksum does not match: last character should be {expected}")]
    IdChecksum { expected: char },
    #[error("mobile number must be 11 digits starting with 1")]
    Mobile,
    #[error(
        "landline must be an area code and a 7-8 digit number not starting with 0, \
         e.g. 010-12345678 or 0755-1234567"
    )]
    Landline,
    #[error(
        "phone must be an 11-digit mobile number (e.g. 13800138000) \
         or a landline with area code (e.g. 010-12345678)"
    )]
    Phone,
    #[error("not a date: '{input}' (use e.g. 2001-03-05)")]
    Date { input: String },
    #[error("no such date: '{input}' ({year}-{month:02} has only {days} days)")]
    NoSuchDay {
        input: String,
        year: i32,
        month: u32,
        days: u32,
    },
    #[error("not a month: '{input}' (use e.g. 2026-11)")]
    Month { input: String },
    #[error("holds an invisible control character ({code}); retype the text")]
    Control { code: String },
    #[error("'{input}' gives only the month; this date needs the day too (e.g. 2020-06-15)")]
    NeedsDay { input: String },
}

/// The first character that must not be stored in a text field: C0 controls
/// other than tab and line breaks (which text fields turn into spaces), DEL,
/// C1 controls (ESC sequences that would drive a terminal included), and the
/// bidirectional overrides and isolates that make text read other than it is
/// stored (U+202A–U+202E, U+2066–U+2069).
pub fn find_control(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// `Err(Control)` when `s` holds a character `find_control` finds.
pub fn check_controls(s: &str) -> Result<(), ValueError> {
    match find_control(s) {
        Some(c) => Err(ValueError::Control {
            code: format!("U+{:04X}", c as u32),
        }),
        None => Ok(()),
    }
}

/// Trims, turns full-width ASCII (as typed with a Chinese IME) into half-width,
/// and collapses runs of whitespace to one space. Internal spaces are kept
/// because names and addresses may legitimately contain them.
pub fn normalize_input(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars().map(half_width) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

impl ValueError {
    /// The same message in Chinese, for the zh-CN interface.
    pub fn zh(&self) -> String {
        match self {
            ValueError::Required => "必填".into(),
            ValueError::TooLong { max } => format!("太长：最多 {max} 个字"),
            ValueError::FutureDate(d) => format!("{d} 是将来的日期"),
            ValueError::NotPositive => "必须大于 0".into(),
            ValueError::IdLength { got } => format!("身份证号应为 18 位，现在是 {got} 位"),
            ValueError::IdCharacters => "身份证号应为 17 位数字加 1 位数字或 X".into(),
            ValueError::IdArea => "身份证号不能以 0 开头（前六位是地区码）".into(),
            ValueError::IdBirthDate { digits } => format!("身份证号中的出生日期 {digits} 不存在"),
            ValueError::IdBirthFuture(d) => format!("身份证号中的出生日期 {d} 在将来"),
            ValueError::IdBirthYear(y) => format!("身份证号中的出生年份 {y} 早于 1900"),
            ValueError::IdChecksum { expected } => {
                format!("身份证号校验位不对：最后一位应为 {expected}")
            }
            ValueError::Mobile => "手机号应为 1 开头的 11 位数字".into(),
            ValueError::Landline => "固定电话应为区号加 7–8 位号码，如 010-12345678".into(),
            ValueError::Phone => {
                "电话应为 11 位手机号，或区号加号码的固定电话（如 010-12345678）".into()
            }
            ValueError::Date { input } => format!("不是日期：“{input}”（例如 2001-03-05）"),
            ValueError::NoSuchDay {
                input,
                year,
                month,
                days,
            } => format!("没有这一天：“{input}”（{year}年{month}月只有 {days} 天）"),
            ValueError::Month { input } => format!("不是月份：“{input}”（例如 2026-11）"),
            ValueError::Control { code } => format!("含有看不见的控制字符（{code}）；请重新输入"),
            ValueError::NeedsDay { input } => {
                format!("“{input}”只有年月；这个日期还需要日（例如 2020-06-15）")
            }
        }
    }
}

/// Trims and collapses runs of whitespace (the ideographic space too) to one
/// space, leaving every other character as typed: titles and notes keep their
/// Chinese punctuation (，：（）), which `normalize_input` would turn into ASCII.
pub fn tidy_text(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Normalised, with every whitespace character removed: the form in which
/// digit strings are checked, since people group digits with spaces.
fn compact(s: &str) -> String {
    normalize_input(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_input_trims_collapses_and_converts_full_width() {
        assert_eq!(normalize_input("  张  三 "), "张 三");
        assert_eq!(normalize_input("１３８００１３８０００"), "13800138000");
        assert_eq!(
            normalize_input("\u{3000}ＡＢ\u{3000}\u{3000}ｃ\u{3000}"),
            "AB c"
        );
        assert_eq!(normalize_input("（０１０）"), "(010)");
        assert_eq!(normalize_input("   "), "");
    }
}
