//! Workbooks through calamine, after the checks that keep a hostile file from
//! making it allocate: an .xlsx / .xlsb sheet is streamed cell by cell (its
//! declared dimension is never used), an .xls and an .ods are walked first for
//! the grid calamine would build (`prescan`), and every zipped part is
//! measured (`zipcheck`).

use super::{Cell, ReadError, RowBuilder, Sheet, prescan, zipcheck};
use calamine::{Data, DataRef, Reader};
use chrono::{Datelike, NaiveDate};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use super::Merge;

fn bad(path: &Path, reason: impl ToString) -> ReadError {
    ReadError::Workbook {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn open(path: &Path) -> Result<BufReader<File>, ReadError> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|e| ReadError::io(path, e))
}

/// The sheet asked for, or the first.
fn choose(path: &Path, names: &[String], wanted: Option<&str>) -> Result<String, ReadError> {
    match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.trim() == w.trim())
            .cloned()
            .ok_or_else(|| ReadError::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: w.to_string(),
                names: names.join(", "),
            }),
        None => names.first().cloned().ok_or_else(|| ReadError::NoSheets {
            path: path.to_path_buf(),
        }),
    }
}

fn sheet(
    rows: RowBuilder,
    kind_en: &str,
    kind_zh: &str,
    name: String,
    names: Vec<String>,
) -> Sheet {
    Sheet {
        rows: rows.finish(),
        source_en: format!("{kind_en}, sheet {name}"),
        source_zh: format!("{kind_zh}，工作表“{name}”"),
        name: Some(name),
        sheet_names: names,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Zipped {
    Xlsx,
    Xlsb,
    Ods,
}

/// An .xlsx, .xlsm, .xlsb or .ods.
pub fn read_zipped(path: &Path, wanted: Option<&str>) -> Result<Sheet, ReadError> {
    let mut zip = zip::ZipArchive::new(open(path)?).map_err(|e| bad(path, e))?;
    let has = |zip: &zip::ZipArchive<_>, n: &str| zip.file_names().any(|f| f.is_ok_and(|f| f == n));
    let kind = if has(&zip, "mimetype") {
        Zipped::Ods
    } else if has(&zip, "xl/workbook.bin") {
        Zipped::Xlsb
    } else {
        Zipped::Xlsx
    };
    zipcheck::check(path, &mut zip)?;
    let ods_merges = if kind == Zipped::Ods {
        Some(prescan::ods(path, &mut zip)?)
    } else {
        None
    };
    drop(zip);
    match kind {
        Zipped::Xlsx => {
            let mut book = calamine::Xlsx::new(open(path)?).map_err(|e| bad(path, e))?;
            let names = book.sheet_names();
            let name = choose(path, &names, wanted)?;
            let mut rows = RowBuilder::new(path);
            {
                let mut cells = book
                    .worksheet_cells_reader(&name)
                    .map_err(|e| bad(path, e))?;
                while let Some(c) = cells.next_cell().map_err(|e| bad(path, e))? {
                    let (r, col) = c.get_position();
                    rows.put(r, col, from_ref(c.get_value()))?;
                }
            }
            let merges: Vec<Merge> = book
                .merge_cells_by_sheet_name(&name)
                .map(|m| m.iter().map(|d| (d.start, d.end)).collect())
                .unwrap_or_default();
            rows.merge(&merges)?;
            Ok(sheet(rows, "Excel workbook", "Excel 工作簿", name, names))
        }
        Zipped::Xlsb => {
            let mut book = calamine::Xlsb::new(open(path)?).map_err(|e| bad(path, e))?;
            let names = book.sheet_names();
            let name = choose(path, &names, wanted)?;
            let mut rows = RowBuilder::new(path);
            {
                let mut cells = book
                    .worksheet_cells_reader(&name)
                    .map_err(|e| bad(path, e))?;
                while let Some(c) = cells.next_cell().map_err(|e| bad(path, e))? {
                    let (r, col) = c.get_position();
                    rows.put(r, col, from_ref(c.get_value()))?;
                }
            }
            Ok(sheet(
                rows,
                "Excel binary workbook",
                "Excel 二进制工作簿",
                name,
                names,
            ))
        }
        Zipped::Ods => {
            let mut book = calamine::Ods::new(open(path)?).map_err(|e| bad(path, e))?;
            let names = book.sheet_names();
            let name = choose(path, &names, wanted)?;
            let range = book.worksheet_range(&name).map_err(|e| bad(path, e))?;
            let mut rows = RowBuilder::new(path);
            put_range(&mut rows, &range)?;
            let merges = ods_merges
                .and_then(|mut m| m.remove(&name))
                .unwrap_or_default();
            rows.merge(&merges)?;
            Ok(sheet(
                rows,
                "OpenDocument spreadsheet",
                "OpenDocument 电子表格",
                name,
                names,
            ))
        }
    }
}

/// An .xls (or a WPS .et, which is one inside).
pub fn read_xls(path: &Path, wanted: Option<&str>) -> Result<Sheet, ReadError> {
    prescan::xls(path)?;
    let mut book = calamine::Xls::new(open(path)?).map_err(|e| bad(path, e))?;
    let names = book.sheet_names();
    let name = choose(path, &names, wanted)?;
    let range = book.worksheet_range(&name).map_err(|e| bad(path, e))?;
    let mut rows = RowBuilder::new(path);
    put_range(&mut rows, &range)?;
    let merges: Vec<Merge> = book
        .merge_cells_by_sheet_name(&name)
        .map(|m| m.iter().map(|d| (d.start, d.end)).collect())
        .unwrap_or_default();
    rows.merge(&merges)?;
    Ok(sheet(
        rows,
        "Excel 97-2003 workbook",
        "Excel 97-2003 工作簿",
        name,
        names,
    ))
}

fn put_range(rows: &mut RowBuilder, range: &calamine::Range<Data>) -> Result<(), ReadError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (i, row) in range.rows().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if matches!(v, Data::Empty) {
                continue;
            }
            rows.put(r0 + i as u32, c0 + j as u32, from_data(v))?;
        }
    }
    Ok(())
}

fn from_ref(d: &DataRef) -> Cell {
    match d {
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(dt) => date_time(dt),
        DataRef::DateTimeIso(s) => iso(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => date_time(dt),
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
        Data::Empty => Cell::Empty,
    }
}

/// A cell formatted as a date. A number such as 19750701 or 198007 typed into
/// a date-formatted column is that number, not a serial in the 56th
/// millennium: anything past the year 2200 is given back as the number.
fn date_time(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() {
        return Cell::Text(dt.to_string());
    }
    match dt.as_datetime() {
        Some(t) if t.year() <= 2200 => Cell::Date(t.date()),
        _ => Cell::Number(dt.as_f64()),
    }
}

fn iso(s: &str) -> Cell {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(Cell::Date)
        .unwrap_or_else(|| Cell::Text(s.to_string()))
}
