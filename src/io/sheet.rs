//! Reading a table from a file people made: an `.xlsx` workbook (calamine) or
//! a `.csv` in UTF-8 (with or without BOM), UTF-16 with BOM, or GBK / GB18030
//! as Excel on Chinese Windows saves it. The result is rows of cells with the
//! row numbers the user sees in their spreadsheet; what the cells mean is the
//! importer's business.

use chrono::{Duration, NaiveDate};
use std::path::{Path, PathBuf};

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell Excel formats as a date.
    Date(NaiveDate),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers without a fraction print as integers (phone
    /// numbers and ID-number-like digits stored as numbers), dates as ISO.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => super::csv_cell::unescape(s).into_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e17 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// A row of the sheet: `number` is the 1-based row number the user sees.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl SheetRow {
    pub fn cell(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&Cell::Empty)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// A sheet read from a file, with a few words on how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub rows: Vec<SheetRow>,
    /// e.g. "CSV, GB18030" or "Excel workbook, sheet 党员名册".
    pub source_en: String,
    pub source_zh: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a readable Excel workbook: {reason}")]
    Workbook { path: PathBuf, reason: String },
    #[error("{path} has no sheet named '{sheet}'; its sheets are: {names}")]
    NoSuchSheet {
        path: PathBuf,
        sheet: String,
        names: String,
    },
    #[error("{path} has no sheets")]
    NoSheets { path: PathBuf },
    #[error("{path}: line {line}: {reason}")]
    Csv {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error(
        "{path}: only .xlsx (Excel / WPS workbook) and .csv files can be imported; \
         save an .xls or .et file as .xlsx first"
    )]
    UnknownType { path: PathBuf },
}

impl ReadError {
    pub fn zh(&self) -> String {
        match self {
            ReadError::Io { path, source } => format!("无法读取 {}：{source}", path.display()),
            ReadError::Workbook { path, reason } => {
                format!("{} 不是可读取的 Excel 工作簿：{reason}", path.display())
            }
            ReadError::NoSuchSheet { path, sheet, names } => format!(
                "{} 中没有名为“{sheet}”的工作表；现有工作表：{names}",
                path.display()
            ),
            ReadError::NoSheets { path } => format!("{} 中没有工作表", path.display()),
            ReadError::Csv { path, line, reason } => {
                format!("{} 第 {line} 行：{reason}", path.display())
            }
            ReadError::UnknownType { path } => format!(
                "{}：只能导入 .xlsx（Excel / WPS 工作簿）和 .csv 文件；.xls 或 .et 文件请先另存为 .xlsx",
                path.display()
            ),
        }
    }
}

/// Reads the first sheet (or the named one) of an `.xlsx`, or a `.csv`.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(path, sheet),
        "csv" | "txt" | "tsv" => {
            let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            read_csv_bytes(path, &bytes)
        }
        _ => Err(ReadError::UnknownType {
            path: path.to_path_buf(),
        }),
    }
}

fn read_xlsx(path: &Path, wanted: Option<&str>) -> Result<Sheet, ReadError> {
    use calamine::{Data, Reader};
    let bad = |reason: String| ReadError::Workbook {
        path: path.to_path_buf(),
        reason,
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| match e {
        calamine::Error::Io(source) => ReadError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => bad(other.to_string()),
    })?;
    let names = book.sheet_names();
    let name = match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.trim() == w.trim())
            .cloned()
            .ok_or_else(|| ReadError::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: w.to_string(),
                names: names.join(", "),
            })?,
        None => names.first().cloned().ok_or_else(|| ReadError::NoSheets {
            path: path.to_path_buf(),
        })?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| bad(e.to_string()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![Cell::Empty; first_col as usize];
            cells.extend(row.iter().map(|c| {
                match c {
                    Data::Empty => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Int(n) => Cell::Number(*n as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    Data::DateTime(dt) => dt
                        .as_datetime()
                        .map(|t| Cell::Date(t.date()))
                        .unwrap_or_else(|| Cell::Text(dt.to_string())),
                    Data::DateTimeIso(s) => s
                        .get(..10)
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                        .map(Cell::Date)
                        .unwrap_or_else(|| Cell::Text(s.clone())),
                    Data::DurationIso(s) => Cell::Text(s.clone()),
                    Data::Error(e) => Cell::Text(format!("#{e:?}")),
                }
            }));
            SheetRow {
                number: first_row as usize + i + 1,
                cells,
            }
        })
        .collect();
    Ok(Sheet {
        rows,
        source_en: format!("Excel workbook, sheet {name}"),
        source_zh: format!("Excel 工作簿，工作表“{name}”"),
    })
}

/// The date of an Excel serial number (days since 1899-12-30, or since
/// 1904-01-01 in the Mac date system). Serials below 61 step around Excel's
/// pretend 1900-02-29.
pub fn excel_serial_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else if days < 61 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    base.checked_add_signed(Duration::days(days))
}

/// Which text encoding a CSV turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16,
    Gb18030,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16 => "UTF-16",
            TextEncoding::Gb18030 => "GBK/GB18030",
        }
    }
}

/// Bytes to text: a BOM decides; otherwise valid UTF-8 is UTF-8, and anything
/// else is taken as GB18030 (a superset of GBK, which Excel on Chinese Windows
/// writes), which decodes every byte sequence.
pub fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, _) = enc.decode_without_bom_handling(body);
        let kind = if enc == encoding_rs::UTF_8 {
            TextEncoding::Utf8Bom
        } else {
            TextEncoding::Utf16
        };
        return (text.into_owned(), kind);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            (text.into_owned(), TextEncoding::Gb18030)
        }
    }
}

/// The field separator: whichever of comma, tab and semicolon the first
/// non-empty lines use most.
fn sniff_delimiter(text: &str) -> u8 {
    let sample: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    let count = |c: char| sample.iter().map(|l| l.matches(c).count()).sum::<usize>();
    let (comma, tab, semi) = (count(','), count('\t'), count(';'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma && semi > tab {
        b';'
    } else {
        b','
    }
}

pub fn read_csv_bytes(path: &Path, bytes: &[u8]) -> Result<Sheet, ReadError> {
    let (text, encoding) = decode_text(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The line a record starts on, counted from its byte offset (the reader
    // skips empty lines without counting them, and a spreadsheet shows each
    // as an empty row), less the line breaks inside quoted cells before it:
    // a spreadsheet shows such a record as one row.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line, mut inner_breaks) = (0usize, 1u64, 0u64);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut at = record
                    .position()
                    .map_or(counted_to, |p| p.byte() as usize)
                    .clamp(counted_to, bytes.len());
                // The position can be that of the empty lines skipped before it.
                while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
                    at += 1;
                }
                line += bytes[counted_to..at]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64;
                counted_to = at;
                let number = line.saturating_sub(inner_breaks).max(1) as usize;
                inner_breaks += record
                    .iter()
                    .map(|f| f.matches('\n').count() as u64)
                    .sum::<u64>();
                let cells = record
                    .iter()
                    .map(|s| {
                        if s.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(s.to_string())
                        }
                    })
                    .collect();
                rows.push(SheetRow { number, cells });
            }
            Err(e) => {
                return Err(ReadError::Csv {
                    path: path.to_path_buf(),
                    line: e.position().map_or(0, |p| p.line()),
                    reason: e.to_string(),
                });
            }
        }
    }
    Ok(Sheet {
        rows,
        source_en: format!("CSV, {}", encoding.name()),
        source_zh: format!("CSV，{}", encoding.name()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_dates() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(excel_serial_date(36955.0, false), d(2001, 3, 5));
        assert_eq!(excel_serial_date(1.0, false), d(1900, 1, 1));
        assert_eq!(excel_serial_date(61.0, false), d(1900, 3, 1));
        assert_eq!(excel_serial_date(35493.0, true), d(2001, 3, 5));
        assert_eq!(excel_serial_date(f64::NAN, false), None);
    }

    #[test]
    fn encodings_are_told_apart() {
        let (t, e) = decode_text("姓名,电话".as_bytes());
        assert_eq!((t.as_str(), e), ("姓名,电话", TextEncoding::Utf8));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("姓名".as_bytes());
        assert_eq!(
            decode_text(&bom),
            ("姓名".to_string(), TextEncoding::Utf8Bom)
        );
        let (gbk, _, _) = encoding_rs::GB18030.encode("姓名,身份证号");
        assert_eq!(
            decode_text(&gbk),
            ("姓名,身份证号".to_string(), TextEncoding::Gb18030)
        );
    }

    #[test]
    fn csv_rows_keep_spreadsheet_numbers_and_delimiters_are_sniffed() {
        let s = read_csv_bytes(Path::new("x.csv"), "a\tb\n\n1\t\"2\n3\"\n".as_bytes()).unwrap();
        let last = s.rows.last().unwrap();
        assert_eq!(last.number, 3);
        assert_eq!(last.cell(1), &Cell::Text("2\n3".into()));
        assert_eq!(last.cell(5), &Cell::Empty);
        let s = read_csv_bytes(Path::new("x.csv"), "\"x\ny\",1\nz,2\n".as_bytes()).unwrap();
        assert_eq!(s.rows[1].number, 2);
    }
}
