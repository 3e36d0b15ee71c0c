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
    /// Index, in the sheet's rows, of the (last) header row: data follow it.
    pub header_index: usize,
    /// The (first) header row's number in the spreadsheet.
    pub header_row: usize,
    /// Rows the header takes: 2 for a group label row above the names.
    pub header_rows: usize,
    /// (column index, field, the header as the file writes it)
    pub found: Vec<(usize, F, String)>,
    /// Headers no field claimed (shown to the user, not an error).
    pub ignored: Vec<String>,
    /// Every header cell of the header row, in order (for reports).
    pub headers: Vec<String>,
    /// The running-number (序号) column, if there is one.
    pub sequence: Option<usize>,
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

    /// Whether a data row holds nothing but a running number (a template's
    /// numbered empty lines): such a row is an empty row.
    pub fn is_blank_row(&self, row: &SheetRow) -> bool {
        row.cells
            .iter()
            .enumerate()
            .all(|(i, c)| c.is_blank() || Some(i) == self.sequence)
    }

    /// Whether column `col` has no header over it.
    pub fn is_unnamed(&self, col: usize) -> bool {
        self.headers.get(col).is_none_or(|h| h.trim().is_empty())
    }
}

fn label_of(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.trim().to_string(),
        other => other.text(),
    }
}

/// Fields found (column, field, label), labels no field claimed, and the
/// running-number column.
type Matched<F> = (Vec<(usize, F, String)>, Vec<String>, Option<usize>);

/// Matches header labels (one per column) to fields.
fn match_labels<F: Copy + PartialEq>(labels: &[String], defs: &[ColumnDef<F>]) -> Matched<F> {
    let mut found: Vec<(usize, F, String)> = Vec::new();
    let mut ignored = Vec::new();
    let mut sequence = None;
    for (col, label) in labels.iter().enumerate() {
        if label.is_empty() {
            continue;
        }
        let key = header_key(label);
        if SEQUENCE.iter().any(|s| header_key(s) == key) {
            sequence.get_or_insert(col);
            continue;
        }
        match defs.iter().find(|d| matches_def(&key, d)) {
            // The first column of a field wins; a second one is left out.
            Some(d) if !found.iter().any(|f| f.1 == d.field) => {
                found.push((col, d.field, label.clone()))
            }
            _ => ignored.push(label.clone()),
        }
    }
    (found, ignored, sequence)
}

/// The first row, among the top ones, that names `anchor` and at least one
/// other known field. A header may take two rows, as offices draw it: group
/// labels (基本信息, 组织关系) over the names in the row below, and the
/// columns without a group merged down, their name in the upper row only.
/// Read as one row, each column's name is the lower cell, or the upper where
/// the lower is empty; the two rows are taken when they name more fields.
pub fn find_header<F: Copy + PartialEq>(
    rows: &[SheetRow],
    defs: &[ColumnDef<F>],
    anchor: F,
) -> Option<Columns<F>> {
    for (index, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let upper: Vec<String> = row.cells.iter().map(label_of).collect();
        let single = match_labels(&upper, defs);
        let below = rows.get(index + 1).filter(|r| r.number == row.number + 1);
        let double = below.map(|b| {
            let width = upper.len().max(b.cells.len());
            let labels: Vec<String> = (0..width)
                .map(|c| {
                    let lower = label_of(b.cell(c));
                    if lower.is_empty() {
                        upper.get(c).cloned().unwrap_or_default()
                    } else {
                        lower
                    }
                })
                .collect();
            (match_labels(&labels, defs), labels)
        });
        let ok = |f: &[(usize, F, String)]| f.len() >= 2 && f.iter().any(|c| c.1 == anchor);
        // Two rows only when the upper adds names the lower alone lacks, or
        // names some itself (merged down, and so copied into the lower): a
        // blank or title row above a header does neither.
        let lower_alone = below.map_or(0, |b| {
            let labels: Vec<String> = b.cells.iter().map(label_of).collect();
            match_labels(&labels, defs).0.len()
        });
        let (chosen, labels, header_rows) = match double {
            Some((d, labels))
                if ok(&d.0)
                    && d.0.len() > single.0.len()
                    && (d.0.len() > lower_alone || !single.0.is_empty()) =>
            {
                (d, labels, 2)
            }
            _ if ok(&single.0) => (single, upper, 1),
            _ => continue,
        };
        let (found, ignored, sequence) = chosen;
        return Some(Columns {
            header_index: index + header_rows - 1,
            header_row: row.number,
            header_rows,
            found,
            ignored,
            headers: labels,
            sequence,
        });
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

    #[test]
    fn a_two_row_header_takes_the_lower_names_and_the_upper_where_merged_down() {
        let rows = vec![
            row(1, &["花名册"]),
            row(2, &["序号", "基本信息", "", "走访周期"]),
            row(3, &["", "姓名", "身份证号", ""]),
            row(4, &["1", "张三", "x", "7"]),
            row(5, &["2"]),
        ];
        let c = find_header(&rows, DEFS, F::Name).unwrap();
        assert_eq!((c.header_row, c.header_rows, c.header_index), (2, 2, 2));
        assert_eq!(c.col(F::Cycle), Some(3));
        assert_eq!(c.col(F::Id), Some(2));
        assert_eq!(c.sequence, Some(0));
        assert!(c.is_blank_row(&rows[4]));
        assert!(!c.is_blank_row(&rows[3]));
        assert!(c.is_unnamed(7));
        assert!(!c.is_unnamed(1));
    }
}
