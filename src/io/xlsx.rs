//! Tables as Excel workbooks (rust_xlsxwriter). Two layouts:
//!
//! - an export sheet: one styled, frozen, filterable header row, then the
//!   rows, columns sized for CJK text;
//! - a report sheet (the monthly report): a title row naming the organisation
//!   and period, the table with its filter, optionally more tables below it,
//!   and a page setup that prints: A4 landscape, one page wide, the title and
//!   header rows on every page, page numbers in the footer.
//!
//! Text is always written as a string cell (never a formula, whatever it
//! begins with); dates and times are date cells with a date format; points
//! are numbers with two places.

use super::table::{Table, Value};
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

/// The widest a column gets, in Excel's units; longer text wraps in reports.
const MAX_WIDTH: f64 = 50.0;

pub fn xlsx_bytes(table: &Table) -> Result<Vec<u8>, XlsxError> {
    xlsx_book(std::slice::from_ref(table))
}

/// A workbook with one export sheet per table.
pub fn xlsx_book(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(&table.name)?;
        let widths = column_widths([table]);
        write_table(sheet, 0, table, &f, &[])?;
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        if !table.headers.is_empty() {
            sheet.autofilter(0, 0, table.rows.len() as u32, last_col(table))?;
        }
    }
    book.save_to_buffer()
}

/// A sheet of a printed report: its title, its table (the sheet's name, and
/// the filtered one), and tables below it (e.g. a trend), each under its own
/// header row after a blank row.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSheet {
    pub title: String,
    pub table: Table,
    pub below: Vec<Table>,
}

/// A workbook of report sheets; `footer` is Excel's header/footer code for
/// the page footer (e.g. `&CPage &P of &N`).
pub fn report_book(sheets: &[ReportSheet], footer: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    for rs in sheets {
        let sheet = book.add_worksheet();
        add_report_sheet(sheet, rs, footer, &f)?;
    }
    book.save_to_buffer()
}

/// Rows 0 (title) and 1 (header) are the print titles; the table starts at 2.
fn add_report_sheet(
    sheet: &mut Worksheet,
    rs: &ReportSheet,
    footer: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(&rs.table.name)?;
    let mut widths = column_widths(std::iter::once(&rs.table).chain(&rs.below));
    // The title spans the table's columns: widen the last one if the title
    // (in a larger font) would not fit.
    let title_width = rs.title.width() as f64 * 1.4 + 2.0;
    let total: f64 = widths.iter().sum();
    if let Some(last) = widths.last_mut()
        && total < title_width
    {
        *last += title_width - total;
    }
    // Text wraps in the columns at the widest; elsewhere the column fits it.
    let wrap: Vec<Option<f64>> = widths
        .iter()
        .map(|w| (*w >= MAX_WIDTH).then_some(*w))
        .collect();
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    let cols = widths.len().max(1) as u16;
    if cols > 1 {
        sheet.merge_range(0, 0, 0, cols - 1, &rs.title, &f.title)?;
    } else {
        sheet.write_string_with_format(0, 0, &rs.title, &f.title)?;
    }
    sheet.set_row_height(0, 24)?;
    let mut next = write_table(sheet, 1, &rs.table, f, &wrap)?;
    for t in &rs.below {
        next = write_table(sheet, next + 1, t, f, &wrap)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    if !rs.table.headers.is_empty() {
        sheet.autofilter(1, 0, 1 + rs.table.rows.len() as u32, last_col(&rs.table))?;
    }
    sheet.set_repeat_rows(0, 1)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    // Inches: half an inch at the sides, a little more for the footer.
    sheet.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
    sheet.set_footer(footer);
    Ok(())
}

fn last_col(table: &Table) -> u16 {
    (table.headers.len() as u16).saturating_sub(1)
}

pub(crate) struct Formats {
    title: Format,
    pub(crate) head: Format,
    date: Format,
    datetime: Format,
    month: Format,
    centi: Format,
    wrap: Format,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            head: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xC0_0000))
                .set_font_color(Color::White)
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            month: Format::new().set_num_format("yyyy-mm"),
            centi: Format::new().set_num_format("0.00"),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// The height of one line of text in points, at the default 11-point font.
const LINE_HEIGHT: f64 = 15.0;

/// Writes the header row at `first` and the rows under it; returns the row
/// after the last one written. Text wraps in the columns `wrap` gives a width
/// for, and its row is made tall enough for the lines (spreadsheets do not all
/// work that out themselves when they open a file).
fn write_table(
    sheet: &mut Worksheet,
    first: u32,
    table: &Table,
    f: &Formats,
    wrap: &[Option<f64>],
) -> Result<u32, XlsxError> {
    for (c, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(first, c as u16, h, &f.head)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = first + 1 + r as u32;
        let mut lines = 1usize;
        for (c, v) in row.iter().enumerate() {
            let width = wrap.get(c).copied().flatten();
            if let (Some(w), Value::Text(s)) = (width, v) {
                // A little less than the column, for the cell's padding.
                let per_line = (w - 2.0).max(1.0) as usize;
                lines = lines.max(s.width().div_ceil(per_line));
            }
            write_value(sheet, r, c as u16, v, f, width.is_some())?;
        }
        if lines > 1 {
            sheet.set_row_height(r, lines as f64 * LINE_HEIGHT)?;
        }
    }
    Ok(first + 1 + table.rows.len() as u32)
}

pub(crate) fn write_value(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    v: &Value,
    f: &Formats,
    wraps: bool,
) -> Result<(), XlsxError> {
    use chrono::{Datelike, Timelike};
    let ymd = |d: &chrono::NaiveDate| {
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
    };
    match v {
        Value::Empty => {}
        // write_string: a string cell whatever the text begins with.
        Value::Text(s) if wraps => {
            sheet.write_string_with_format(r, c, s, &f.wrap)?;
        }
        Value::Text(s) => {
            sheet.write_string(r, c, s)?;
        }
        Value::Int(n) => {
            sheet.write_number(r, c, *n as f64)?;
        }
        Value::Centi(n) => {
            sheet.write_number_with_format(r, c, *n as f64 / 100.0, &f.centi)?;
        }
        Value::Date(d) => {
            sheet.write_datetime_with_format(r, c, &ymd(d)?, &f.date)?;
        }
        Value::Month(d) => {
            sheet.write_datetime_with_format(r, c, &ymd(d)?, &f.month)?;
        }
        Value::DateTime(t) => {
            let dt =
                ymd(&t.date())?.and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64)?;
            sheet.write_datetime_with_format(r, c, &dt, &f.datetime)?;
        }
    }
    Ok(())
}

/// Column widths in Excel's units (about one per ASCII character; CJK counts
/// two), from the widest of the headers and the first thousand rows of every
/// table, between 6 and `MAX_WIDTH`.
fn column_widths<'a>(tables: impl IntoIterator<Item = &'a Table>) -> Vec<f64> {
    let mut widths = Widths::default();
    for table in tables {
        widths.headers(&table.headers);
        for row in table.rows.iter().take(WIDTH_ROWS) {
            widths.row(row);
        }
    }
    widths.finish()
}

/// How many rows of a table its column widths are taken from.
pub(crate) const WIDTH_ROWS: usize = 1000;

/// Column widths being measured (`column_widths`), header and row by row.
#[derive(Default)]
pub(crate) struct Widths(Vec<usize>);

impl Widths {
    fn widen(&mut self, i: usize, w: usize) {
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        self.0[i] = self.0[i].max(w);
    }

    pub(crate) fn headers(&mut self, headers: &[String]) {
        for (i, h) in headers.iter().enumerate() {
            self.widen(i, h.width());
        }
    }

    pub(crate) fn row(&mut self, row: &[Value]) {
        for (i, v) in row.iter().enumerate() {
            let w = match v {
                Value::Date(_) => 10,
                Value::Month(_) => 7,
                Value::DateTime(_) => 16,
                other => other.display().width(),
            };
            self.widen(i, w);
        }
    }

    pub(crate) fn finish(self) -> Vec<f64> {
        self.0
            .into_iter()
            .map(|w| (w as f64 + 2.0).clamp(6.0, MAX_WIDTH))
            .collect()
    }
}
