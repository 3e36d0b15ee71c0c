//! Reading a table from a file people made: an Excel / WPS workbook (.xlsx,
//! .xlsm, .xlsb, .xls, .et) or an OpenDocument sheet (.ods), through calamine,
//! or a `.csv` in UTF-8 (with or without BOM), UTF-16 with BOM, or GBK /
//! GB18030 as Excel on Chinese Windows saves it. The result is the non-blank
//! rows with the row numbers the user sees in their spreadsheet; what the
//! cells mean is the importer's business.
//!
//! Files come from outside, so every reader is bounded before it allocates:
//! `limits` holds the caps, `zipcheck` measures a workbook's zip parts by
//! decompressing them into nothing, `prescan` walks an .xls record stream and
//! an .ods content.xml for the extent calamine would allocate. A file over a
//! cap is refused with what was found and where, never half read.

mod prescan;
mod text;
mod workbook;
mod zipcheck;

pub use text::{TextEncoding, decode_text, read_csv_bytes};

use chrono::{Duration, NaiveDate};
use std::path::{Path, PathBuf};

/// The caps every reader keeps to. A roster of a community (a few thousand
/// members; a street office's some tens of thousands) is far inside them.
pub mod limits {
    /// Rows of a sheet: a cell below this row refuses the file.
    pub const MAX_ROWS: u32 = 200_000;
    /// Columns of a sheet: a filled cell right of this column refuses the file.
    pub const MAX_COLUMNS: u32 = 200;
    /// Filled cells of the sheet read (about 130 MB as cells at the most).
    pub const MAX_CELLS: usize = 4_000_000;
    /// What calamine would hold as a dense grid, over every sheet of an .xls
    /// or .ods (it reads them all at once): rows × columns of each sheet's
    /// filled extent, summed. 32 bytes a cell: about 100 MB.
    pub const MAX_GRID_CELLS: u64 = 3_000_000;
    /// One decompressed part of a zipped workbook (a sheet's XML, content.xml).
    pub const MAX_PART_BYTES: u64 = 256 << 20;
    /// The shared strings of an .xlsx / .xlsb, which calamine keeps in memory.
    pub const MAX_STRINGS_BYTES: u64 = 64 << 20;
    /// Decompressed bytes per compressed byte above which a part over
    /// `RATIO_FLOOR` is taken for a zip bomb. Real sheets compress 5–30 times.
    pub const MAX_RATIO: u64 = 100;
    pub const RATIO_FLOOR: u64 = 4 << 20;
    /// One CSV record (a line, or lines inside quotes).
    pub const MAX_RECORD_BYTES: usize = 256 << 10;
    /// Fields of one CSV record.
    pub const MAX_FIELDS: usize = 1_000;
    /// A whole CSV file.
    pub const MAX_CSV_BYTES: u64 = 512 << 20;
}

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
    /// The cell as text. Our own exports' escapes (`'=…`, `="0123"`, see
    /// `csv_cell`) are undone, so a file we wrote reads back as it was.
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
    /// The non-blank rows, top to bottom.
    pub rows: Vec<SheetRow>,
    /// e.g. "CSV, GB18030" or "Excel workbook, sheet 党员名册".
    pub source_en: String,
    pub source_zh: String,
    /// The sheet read, for a workbook.
    pub name: Option<String>,
    /// Every sheet of the workbook, in order (empty for a CSV).
    pub sheet_names: Vec<String>,
}

/// The spreadsheet's name of a 0-based column: 0 is A, 26 is AA.
pub fn column_letter(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a readable workbook: {reason}")]
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
    /// A file over one of the `limits`: too big to be a roster, or built to
    /// exhaust memory. `en` / `zh` say what was found and where.
    #[error("{path} was refused: {en}")]
    Refused {
        path: PathBuf,
        en: String,
        zh: String,
    },
    #[error(
        "{path}: only workbooks (.xlsx, .xls, .xlsb, .et, .ods) and text tables (.csv, .txt, \
         .tsv) can be imported"
    )]
    UnknownType { path: PathBuf },
}

impl ReadError {
    pub fn zh(&self) -> String {
        match self {
            ReadError::Io { path, source } => format!(
                "无法读取 {}：{}",
                path.display(),
                crate::domain::os_words::os_error_zh(source)
            ),
            ReadError::Workbook { path, reason } => {
                format!("{} 不是可读取的工作簿：{reason}", path.display())
            }
            ReadError::NoSuchSheet { path, sheet, names } => format!(
                "{} 中没有名为“{sheet}”的工作表；现有工作表：{names}",
                path.display()
            ),
            ReadError::NoSheets { path } => format!("{} 中没有工作表", path.display()),
            ReadError::Csv { path, line, reason } => {
                format!("{} 第 {line} 行：{reason}", path.display())
            }
            ReadError::Refused { path, zh, .. } => format!("拒绝读取 {}：{zh}", path.display()),
            ReadError::UnknownType { path } => format!(
                "{}：只能导入工作簿（.xlsx、.xls、.xlsb、.et、.ods）和文本表格（.csv、.txt、.tsv）",
                path.display()
            ),
        }
    }

    pub(crate) fn refused(path: &Path, en: impl Into<String>, zh: impl Into<String>) -> Self {
        ReadError::Refused {
            path: path.to_path_buf(),
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        ReadError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What a file is, told by its first bytes (a WPS .et is an .xls inside, and
/// offices rename files), then by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A zip: .xlsx, .xlsm, .xlsb or .ods, told apart by its parts.
    Zip,
    /// An OLE compound file: .xls, .et.
    Ole,
    Text,
}

fn kind_of(path: &Path) -> Result<Kind, ReadError> {
    use std::io::Read;
    let mut head = [0u8; 8];
    let mut f = std::fs::File::open(path).map_err(|e| ReadError::io(path, e))?;
    let n = f.read(&mut head).map_err(|e| ReadError::io(path, e))?;
    let head = &head[..n];
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Kind::Zip);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Kind::Ole);
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => Ok(Kind::Text),
        // Some systems save an HTML page or a text table under a workbook's
        // name; a text table reads as one, an HTML page does not.
        "xls" | "et" if !head.starts_with(b"<") => Ok(Kind::Text),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "et" | "ods" => Err(ReadError::Workbook {
            path: path.to_path_buf(),
            reason: "it is not a workbook inside (perhaps a web page saved under that name); \
                     open it in Excel or WPS and save it as .xlsx"
                .into(),
        }),
        _ => Err(ReadError::UnknownType {
            path: path.to_path_buf(),
        }),
    }
}

/// Reads the first sheet (or the named one) of a workbook, or a text table.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    match kind_of(path)? {
        Kind::Zip => workbook::read_zipped(path, sheet),
        Kind::Ole => workbook::read_xls(path, sheet),
        Kind::Text => text::read_csv_file(path),
    }
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

/// Builds the sheet's rows from filled cells given in any order, keeping to
/// the caps; `merges` (top-left and bottom-right, 0-based) spread the value of
/// a merged cell over every cell it covers, as the user sees it.
/// A merged region: its top-left and bottom-right cells, 0-based (row, col).
pub(crate) type Merge = ((u32, u32), (u32, u32));

pub(crate) struct RowBuilder<'p> {
    path: &'p Path,
    rows: std::collections::BTreeMap<u32, Vec<Cell>>,
    cells: usize,
}

impl<'p> RowBuilder<'p> {
    pub fn new(path: &'p Path) -> Self {
        RowBuilder {
            path,
            rows: Default::default(),
            cells: 0,
        }
    }

    /// A filled cell at 0-based `(row, col)`; blank ones are not kept.
    pub fn put(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), ReadError> {
        if cell.is_blank() {
            return Ok(());
        }
        if row >= limits::MAX_ROWS || col >= limits::MAX_COLUMNS {
            let at = format!("{}{}", column_letter(col as usize), row as u64 + 1);
            return Err(ReadError::refused(
                self.path,
                format!(
                    "cell {at} has something in it, but a roster is read only up to row {} and \
                     column {}; delete what is there (or save the roster on a sheet of its own)",
                    limits::MAX_ROWS,
                    column_letter(limits::MAX_COLUMNS as usize - 1)
                ),
                format!(
                    "单元格 {at} 有内容，而花名册只读到第 {} 行、第 {} 列；请删除该处内容（或把花名册单独存为一个工作表）",
                    limits::MAX_ROWS,
                    column_letter(limits::MAX_COLUMNS as usize - 1)
                ),
            ));
        }
        self.cells += 1;
        if self.cells > limits::MAX_CELLS {
            return Err(too_many_cells(self.path));
        }
        let cells = self.rows.entry(row).or_default();
        let col = col as usize;
        if cells.len() <= col {
            cells.resize(col + 1, Cell::Empty);
        }
        cells[col] = cell;
        Ok(())
    }

    /// Spreads merged cells' values (only over rows that hold something, so
    /// a merge down a whole column does not make a million rows).
    pub fn merge(&mut self, merges: &[Merge]) -> Result<(), ReadError> {
        for &((r0, c0), (r1, c1)) in merges {
            let Some(value) = self
                .rows
                .get(&r0)
                .and_then(|r| r.get(c0 as usize))
                .filter(|c| !c.is_blank())
                .cloned()
            else {
                continue;
            };
            let c1 = c1.min(limits::MAX_COLUMNS - 1);
            let covered: Vec<u32> = self.rows.range(r0..=r1).map(|(r, _)| *r).collect();
            for r in covered {
                for c in c0..=c1 {
                    if (r, c) == (r0, c0) {
                        continue;
                    }
                    let blank = self
                        .rows
                        .get(&r)
                        .and_then(|cells| cells.get(c as usize))
                        .is_none_or(Cell::is_blank);
                    if blank {
                        self.put(r, c, value.clone())?;
                    }
                }
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Vec<SheetRow> {
        self.rows
            .into_iter()
            .map(|(r, cells)| SheetRow {
                number: r as usize + 1,
                cells,
            })
            .collect()
    }
}

pub(crate) fn too_many_cells(path: &Path) -> ReadError {
    ReadError::refused(
        path,
        format!(
            "the sheet has more than {} filled cells, more than any roster",
            limits::MAX_CELLS
        ),
        format!(
            "工作表中有内容的单元格超过 {} 个，远超任何花名册",
            limits::MAX_CELLS
        ),
    )
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
    fn column_letters_are_the_spreadsheets() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(5), "F");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn merged_cells_spread_over_the_rows_that_exist_and_caps_hold() {
        let p = Path::new("x.xlsx");
        let mut b = RowBuilder::new(p);
        b.put(0, 0, Cell::Text("第一党支部".into())).unwrap();
        b.put(0, 1, Cell::Text("a".into())).unwrap();
        b.put(2, 1, Cell::Text("b".into())).unwrap();
        b.merge(&[((0, 0), (1_048_575, 0))]).unwrap();
        let rows = b.finish();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].number, 3);
        assert_eq!(rows[1].cell(0), &Cell::Text("第一党支部".into()));
        let mut b = RowBuilder::new(p);
        assert!(matches!(
            b.put(1_048_575, 16_383, Cell::Number(1.0)),
            Err(ReadError::Refused { .. })
        ));
    }
}
