//! Rows into their file as they come. `Rows` is what the table builders
//! write into; a `Table` collects the rows (the served export, the TUI's),
//! and the sinks here write them: CSV straight through the csv writer, a
//! workbook through rust_xlsxwriter's constant-memory worksheet, which keeps
//! one row in memory and the rest in a temporary file beside the export
//! (strings inline in the cells rather than in a shared table: the same cells,
//! a slightly larger file). The one thing a workbook needs before its rows,
//! the column widths, comes from the header and the first `WIDTH_ROWS` rows
//! (as `xlsx_book` takes them), so those are held until the widths are known.

use super::{ExportError, FileFormat, Table, Value};
use crate::io::atomic::{parent_dir, write_atomically};
use crate::io::csv_cell::{escape_text, field};
use crate::io::xlsx::{Formats, WIDTH_ROWS, Widths, write_value};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::Write;
use std::path::Path;

/// Where an export's rows go, the header first.
pub trait Rows {
    /// The sheet's name and header row, before any row.
    fn head(&mut self, name: &str, headers: Vec<String>) -> Result<(), ExportError>;
    fn row(&mut self, row: Vec<Value>) -> Result<(), ExportError>;
}

impl Rows for Table {
    fn head(&mut self, name: &str, headers: Vec<String>) -> Result<(), ExportError> {
        self.name = name.to_string();
        self.headers = headers;
        Ok(())
    }

    fn row(&mut self, row: Vec<Value>) -> Result<(), ExportError> {
        self.rows.push(row);
        Ok(())
    }
}

/// Writes what `fill` puts into its `Rows` to `path` in `format`, atomically:
/// rows go into a temporary file as they come, and the file takes its name
/// only after `fill` has returned (so whatever it does after its last row, an
/// unmasked export's audit entry, comes before the data is there). Returns
/// what `fill` returned and the number of rows written.
pub fn stream<T, E: From<ExportError>>(
    format: FileFormat,
    path: &Path,
    fill: impl FnOnce(&mut dyn Rows) -> Result<T, E>,
) -> Result<(T, u64), E> {
    let written = write_atomically(path, |w| -> Result<_, Failed<E>> {
        match format {
            FileFormat::Csv => {
                // UTF-8 with a BOM, as `write_csv`.
                w.write_all(b"\xEF\xBB\xBF")?;
                let mut sink = CsvRows {
                    csv: csv::Writer::from_writer(&mut *w),
                    path,
                    rows: 0,
                };
                let value = fill(&mut sink).map_err(Failed::Fill)?;
                sink.csv.flush()?;
                Ok((value, sink.rows))
            }
            FileFormat::Xlsx => {
                let mut book = Workbook::new();
                book.set_tempdir(parent_dir(path))
                    .map_err(|e| Failed::Fill(xlsx_failed(path, &e).into()))?;
                let mut sink = XlsxRows {
                    book,
                    formats: Formats::new(),
                    name: String::new(),
                    headers: Vec::new(),
                    held: Vec::new(),
                    open: false,
                    rows: 0,
                    path,
                };
                let value = fill(&mut sink).map_err(Failed::Fill)?;
                let rows = u64::from(sink.rows);
                sink.finish(w)
                    .map_err(|e| Failed::Fill(xlsx_failed(path, &e).into()))?;
                Ok((value, rows))
            }
        }
    });
    written.map_err(|f| match f {
        Failed::Io(e) => write_failed(path, &e).into(),
        Failed::Fill(e) => e,
    })
}

/// Why a streamed export stopped: writing its file, or making its rows.
enum Failed<E> {
    Io(std::io::Error),
    Fill(E),
}

impl<E> From<std::io::Error> for Failed<E> {
    fn from(e: std::io::Error) -> Self {
        Failed::Io(e)
    }
}

fn write_failed(path: &Path, e: &std::io::Error) -> ExportError {
    ExportError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
        reason_zh: crate::domain::os_words::os_error_zh(e),
    }
}

fn xlsx_failed(path: &Path, e: &XlsxError) -> ExportError {
    ExportError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
        reason_zh: "生成工作簿出错".to_string(),
    }
}

struct CsvRows<'a, W: Write> {
    csv: csv::Writer<W>,
    path: &'a Path,
    rows: u64,
}

impl<W: Write> Rows for CsvRows<'_, W> {
    fn head(&mut self, _name: &str, headers: Vec<String>) -> Result<(), ExportError> {
        self.csv
            .write_record(headers.iter().map(|h| escape_text(h).into_owned()))
            .map_err(|e| write_failed(self.path, &e.into()))
    }

    fn row(&mut self, row: Vec<Value>) -> Result<(), ExportError> {
        self.rows += 1;
        self.csv
            .write_record(row.iter().map(field))
            .map_err(|e| write_failed(self.path, &e.into()))
    }
}

/// A workbook of one export sheet, as `xlsx_book` lays it out.
struct XlsxRows<'a> {
    book: Workbook,
    formats: Formats,
    name: String,
    headers: Vec<String>,
    /// The first rows, until the column widths are known.
    held: Vec<Vec<Value>>,
    /// Whether the sheet exists (and `held` has been written to it).
    open: bool,
    rows: u32,
    path: &'a Path,
}

impl XlsxRows<'_> {
    /// Adds the sheet, sized by the header and the rows held, and writes them.
    fn open_sheet(&mut self) -> Result<(), XlsxError> {
        let mut widths = Widths::default();
        widths.headers(&self.headers);
        for row in &self.held {
            widths.row(row);
        }
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        sheet.set_name(&self.name)?;
        for (c, w) in widths.finish().iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        for (c, h) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &self.formats.head)?;
        }
        self.open = true;
        for row in std::mem::take(&mut self.held) {
            self.write_row(&row)?;
        }
        Ok(())
    }

    fn write_row(&mut self, row: &[Value]) -> Result<(), XlsxError> {
        let sheet = self.book.worksheet_from_index(0)?;
        let r = self.rows + 1;
        for (c, v) in row.iter().enumerate() {
            write_value(sheet, r, c as u16, v, &self.formats, false)?;
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(mut self, w: &mut (dyn Write + Send)) -> Result<(), XlsxError> {
        if !self.open {
            self.open_sheet()?;
        }
        let last_col = (self.headers.len() as u16).saturating_sub(1);
        let sheet = self.book.worksheet_from_index(0)?;
        sheet.set_freeze_panes(1, 0)?;
        if !self.headers.is_empty() {
            sheet.autofilter(0, 0, self.rows, last_col)?;
        }
        self.book.save_to_writer(w)
    }
}

impl Rows for XlsxRows<'_> {
    fn head(&mut self, name: &str, headers: Vec<String>) -> Result<(), ExportError> {
        self.name = name.to_string();
        self.headers = headers;
        Ok(())
    }

    fn row(&mut self, row: Vec<Value>) -> Result<(), ExportError> {
        let written = if self.open {
            self.write_row(&row)
        } else {
            self.held.push(row);
            if self.held.len() >= WIDTH_ROWS {
                self.open_sheet()
            } else {
                Ok(())
            }
        };
        written.map_err(|e| xlsx_failed(self.path, &e))
    }
}
