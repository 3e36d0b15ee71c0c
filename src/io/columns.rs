//! Finding the header row of a sheet and which column holds which field.
//! Offices name their columns in many ways (身份证号 / 身份证号码 / ID number),
//! put a title row or blank rows above the header, and add a 序号 column;
//! each import kind lists the names it knows and this matches them.

use super::sheet::{Cell, SheetRow};
use crate::domain::validate::normalize_input;

/// A field an import reads, with the names its column may carry. The first
/// Chinese and English names are the ones exports write.
#[derive(Debug, Clone, Copy)]
pub struct ColumnDef<F: 'static> {
    pub field: F,
    pub zh: &'static str,
    pub en: &'static str,
    pub aliases: &'static [&'static str],
}

/// Header names of a running-number column, known and ignored.
const SEQUENCE: &[&str] = &["序号", "序", "no", "no.", "#", "行号", "row"];

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// A header name as compared: full-width made half-width, spaces, `*` marks
/// and trailing colons gone, English lower-cased, and a bracketed note such as
/// （必填） or (天) dropped.
pub fn header_key(s: &str) -> String {
    let n = normalize_input(s).to_lowercase();
    let mut out = String::with_capacity(n.len());
    let mut depth = 0u32;
    for c in n.chars() {
        match c {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '*' | ':' | '_' | '-' | '：') => {}
            c => out.push(c),
        }
    }
    out
}

fn matches_def<F>(key: &str, def: &ColumnDef<F>) -> bool {
    header_key(def.zh) == key
        || header_key(def.en) == key
        || def.aliases.iter().any(|a| header_key(a) == key)
}

/// Which column holds which field.
#[derive(Debug, Clone)]
pub struct Columns<F: 'static> {
    /// Index of the header row in the sheet's rows.
    pub header_index: usize,
    /// The header row's number in the spreadsheet.
    pub header_row: usize,
    /// (column index, field, the header as the file writes it)
    pub found: Vec<(usize, F, String)>,
    /// Headers no field claimed (shown to the user, not an error).
    pub ignored: Vec<String>,
    /// Every header cell of the header row, in order (for reports).
    pub headers: Vec<String>,
}

impl<F: Copy + PartialEq> Columns<F> {
    pub fn col(&self, field: F) -> Option<usize> {
        self.found.iter().find(|c| c.1 == field).map(|c| c.0)
    }

    pub fn has(&self, field: F) -> bool {
        self.col(field).is_some()
    }

    /// The header the file gives a field, or the field's own name.
    pub fn label(&self, field: F, defs: &[ColumnDef<F>], zh: bool) -> String {
        if let Some(c) = self.found.iter().find(|c| c.1 == field) {
            return c.2.clone();
        }
        defs.iter()
            .find(|d| d.field == field)
            .map(|d| if zh { d.zh } else { d.en }.to_string())
            .unwrap_or_default()
    }
}

/// The first row, among the top ones, that names `anchor` and at least one
/// other known field.
pub fn find_header<F: Copy + PartialEq>(
    rows: &[SheetRow],
    defs: &[ColumnDef<F>],
    anchor: F,
) -> Option<Columns<F>> {
    for (index, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let mut found: Vec<(usize, F, String)> = Vec::new();
        let mut ignored = Vec::new();
        let mut headers = Vec::new();
        for (col, cell) in row.cells.iter().enumerate() {
            let label = match cell {
                Cell::Text(s) => s.trim().to_string(),
                other => other.text(),
            };
            headers.push(label.clone());
            if label.is_empty() {
                continue;
            }
            let key = header_key(&label);
            if SEQUENCE.iter().any(|s| header_key(s) == key) {
                continue;
            }
            match defs.iter().find(|d| matches_def(&key, d)) {
                // The first column of a field wins; a second one is left out.
                Some(d) if !found.iter().any(|f| f.1 == d.field) => {
                    found.push((col, d.field, label))
                }
                _ => ignored.push(label),
            }
        }
        if found.len() >= 2 && found.iter().any(|f| f.1 == anchor) {
            return Some(Columns {
                header_index: index,
                header_row: row.number,
                found,
                ignored,
                headers,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum F {
        Name,
        Id,
        Cycle,
    }

    const DEFS: &[ColumnDef<F>] = &[
        ColumnDef {
            field: F::Name,
            zh: "姓名",
            en: "Name",
            aliases: &[],
        },
        ColumnDef {
            field: F::Id,
            zh: "身份证号",
            en: "ID number",
            aliases: &["身份证号码"],
        },
        ColumnDef {
            field: F::Cycle,
            zh: "走访周期（天）",
            en: "Visit cycle (days)",
            aliases: &[],
        },
    ];

    fn row(number: usize, cells: &[&str]) -> SheetRow {
        SheetRow {
            number,
            cells: cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn header_below_a_title_row_with_a_sequence_column() {
        let rows = vec![
            row(1, &["和平里社区党员名册"]),
            row(2, &[]),
            row(3, &["序号", " 身份证号码 ", "姓 名*", "民族", "走访周期"]),
        ];
        let c = find_header(&rows, DEFS, F::Name).unwrap();
        assert_eq!(c.header_row, 3);
        assert_eq!(c.col(F::Name), Some(2));
        assert_eq!(c.col(F::Id), Some(1));
        assert_eq!(c.col(F::Cycle), Some(4));
        assert_eq!(c.ignored, vec!["民族".to_string()]);
        assert_eq!(c.label(F::Id, DEFS, true), "身份证号码");
    }

    #[test]
    fn english_headers_in_any_case() {
        let rows = vec![row(1, &["ID_NUMBER", "name"])];
        let c = find_header(&rows, DEFS, F::Name).unwrap();
        assert_eq!(c.col(F::Id), Some(0));
        assert!(find_header(&[row(1, &["姓名"])], DEFS, F::Name).is_none());
    }
}
