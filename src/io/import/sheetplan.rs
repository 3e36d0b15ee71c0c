//! What every import kind does with a sheet before its rows: find the header
//! (saying which sheet was read, and which others there are, when none is
//! found), start an empty plan, name the columns that hold data under no
//! header, and check once what every row would otherwise fail on alike (no
//! committee to put branches under).

use super::units::OrgIndex;
use super::{ImportError, ImportKind, ImportOptions, Plan, Problem};
use crate::io::columns::{ColumnDef, Columns, find_header};
use crate::io::sheet::{Sheet, SheetRow, column_letter};
use std::collections::BTreeMap;

pub fn header<F: Copy + PartialEq>(
    sheet: &Sheet,
    defs: &[ColumnDef<F>],
    anchor: F,
    expected: &str,
    expected_zh: &str,
) -> Result<Columns<F>, ImportError> {
    if let Some(c) = find_header(&sheet.rows, defs, anchor) {
        return Ok(c);
    }
    match &sheet.name {
        Some(name) if sheet.sheet_names.len() > 1 => {
            let others: Vec<&str> = sheet
                .sheet_names
                .iter()
                .filter(|n| *n != name)
                .map(String::as_str)
                .collect();
            Err(ImportError::NoHeaderOnSheet {
                sheet: name.clone(),
                others: others.join(", "),
            })
        }
        _ => Err(ImportError::NoHeader {
            expected: expected.into(),
            expected_zh: expected_zh.into(),
        }),
    }
}

pub fn new_plan<F>(kind: ImportKind, sheet: &Sheet, cols: &Columns<F>) -> Plan {
    Plan {
        kind,
        source_en: sheet.source_en.clone(),
        source_zh: sheet.source_zh.clone(),
        header_row: cols.header_row,
        data_rows: 0,
        units: Vec::new(),
        rows: Vec::new(),
        unchanged: 0,
        problems: Vec::new(),
        file_problems: Vec::new(),
        headers: cols.headers.clone(),
        bad_rows: Vec::new(),
        ignored_columns: cols.ignored.clone(),
    }
}

/// The data rows below the header that hold more than a running number.
pub fn data_rows<'s, F: Copy + PartialEq>(
    sheet: &'s Sheet,
    cols: &'s Columns<F>,
) -> impl Iterator<Item = &'s SheetRow> {
    sheet
        .rows
        .iter()
        .skip(cols.header_index + 1)
        .filter(|r| !cols.is_blank_row(r))
}

/// A problem for each column that holds data under an empty header: its data
/// would otherwise be dropped without a word.
pub fn unnamed_columns<F: Copy + PartialEq>(sheet: &Sheet, cols: &Columns<F>) -> Vec<Problem> {
    let mut first: BTreeMap<usize, usize> = BTreeMap::new();
    for row in data_rows(sheet, cols) {
        for (c, cell) in row.cells.iter().enumerate() {
            if !cell.is_blank() && cols.is_unnamed(c) {
                first.entry(c).or_insert(row.number);
            }
        }
    }
    first
        .into_iter()
        .map(|(c, row)| {
            let letter = column_letter(c);
            Problem {
                row,
                column: Some(letter.clone()),
                en: format!(
                    "column {letter} has data but no header; give it one of the names the \
                     import knows, or delete the column"
                ),
                zh: format!("第 {letter} 列有数据但没有列名；请填上导入认得的列名，或删除该列"),
            }
        })
        .collect()
}

/// Refuses up front an import every row of which would fail alike for want
/// of a committee: the store has none, the file names none, and
/// `--committee` was not given (or names one that cannot be found or made).
pub fn check_committee(
    org: &mut OrgIndex,
    options: &ImportOptions,
    file_names_one: bool,
) -> Result<(), ImportError> {
    if options.committee.is_some() {
        return org
            .check_committee_option()
            .map_err(|p| ImportError::Committee {
                en: format!("--committee: {}", p.en),
                zh: format!("--committee：{}", p.zh),
            });
    }
    if !file_names_one && !org.has_open_committee() {
        return Err(ImportError::NoCommittee);
    }
    Ok(())
}
