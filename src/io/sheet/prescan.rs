//! The grid calamine would allocate, found before it does. calamine reads every
//! sheet of an .xls or .ods at once and holds each as a dense grid over its
//! filled extent (an .xls also reserves what its DIMENSIONS record declares),
//! so two cells at opposite corners make a grid of 17 billion cells. These
//! walks read the records (.xls, through the `cfb` crate) or the XML (.ods,
//! streamed) without keeping cells, and refuse a workbook whose grids exceed
//! `MAX_GRID_CELLS`. They return what the reader needs besides: the merged
//! cells of an .ods, which calamine does not report.

use super::ReadError;
use super::limits::MAX_GRID_CELLS;
use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use super::Merge;

/// The filled extent of one sheet.
#[derive(Default)]
struct Extent {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Extent {
    fn add(&mut self, r0: u64, r1: u64, c0: u64, c1: u64) {
        let grow = |e: &mut Option<(u64, u64)>, a: u64, b: u64| {
            *e = Some(match *e {
                None => (a, b),
                Some((lo, hi)) => (lo.min(a), hi.max(b)),
            })
        };
        grow(&mut self.rows, r0, r1);
        grow(&mut self.cols, c0, c1);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        }
    }
}

fn too_big(path: &Path, sheet: &str, cells: u64) -> ReadError {
    ReadError::refused(
        path,
        format!(
            "sheet {sheet} spans {cells} cells from its first filled cell to its last (more than \
             {MAX_GRID_CELLS}); delete the far-off cells, or save the roster alone in a new workbook"
        ),
        format!(
            "工作表“{sheet}”从第一个到最后一个有内容的单元格共跨 {cells} 个单元格（超过 {MAX_GRID_CELLS}）；请删除远处的内容，或把花名册单独另存为新工作簿"
        ),
    )
}

fn not_a_workbook(path: &Path, reason: impl ToString) -> ReadError {
    ReadError::Workbook {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Walks an .xls's BIFF records: each worksheet's declared dimension and the
/// extent of its value and formula cells.
pub fn xls(path: &Path) -> Result<(), ReadError> {
    let file = std::fs::File::open(path).map_err(|e| ReadError::io(path, e))?;
    let mut cfb =
        cfb::CompoundFile::open(BufReader::new(file)).map_err(|e| not_a_workbook(path, e))?;
    let stream = cfb
        .open_stream("/Workbook")
        .or_else(|_| cfb.open_stream("/Book"))
        .map_err(|_| not_a_workbook(path, "it has no Workbook stream"))?;
    let mut r = BufReader::new(stream);
    let mut head = [0u8; 4];
    let mut data = vec![0u8; 0xFFFF];
    let mut depth = 0u32;
    let mut sheet = 0usize;
    let (mut values, mut formulas) = (Extent::default(), Extent::default());
    let mut in_sheet = false;
    let mut total = 0u64;
    loop {
        match r.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(not_a_workbook(path, e)),
        }
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let d = &mut data[..len];
        if r.read_exact(d).is_err() {
            // A record cut short: calamine stops there too.
            break;
        }
        let u16_at = |d: &[u8], i: usize| d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let u32_at = |d: &[u8], i: usize| {
            d.get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        match typ {
            // BOF: a substream starts; the ones right under the globals with
            // type 0x0010 are worksheets.
            0x0809 => {
                depth += 1;
                if depth == 1 {
                    let dt = u16_at(d, 2).unwrap_or(0);
                    in_sheet = dt == 0x0010;
                    if in_sheet {
                        sheet += 1;
                    }
                }
            }
            // EOF of a substream.
            0x000A => {
                if depth == 1 && in_sheet {
                    let cells = values.cells().saturating_add(formulas.cells());
                    total = total.saturating_add(cells);
                    if total > MAX_GRID_CELLS {
                        return Err(too_big(path, &format!("{sheet}"), cells));
                    }
                    values = Extent::default();
                    formulas = Extent::default();
                    in_sheet = false;
                }
                depth = depth.saturating_sub(1);
            }
            _ if depth != 1 || !in_sheet => {}
            // DIMENSIONS, read as calamine reads it (it reserves that much).
            0x0200 => {
                let (rf, rl, cf, cl) = match len {
                    10 => (
                        u64::from(u16_at(d, 0).unwrap_or(0)),
                        u64::from(u16_at(d, 2).unwrap_or(0)),
                        u64::from(u16_at(d, 4).unwrap_or(0)),
                        u64::from(u16_at(d, 6).unwrap_or(0)),
                    ),
                    14 | 16 => (
                        u64::from(u32_at(d, 0).unwrap_or(0)),
                        u64::from(u32_at(d, 4).unwrap_or(0)),
                        u64::from(u16_at(d, 8).unwrap_or(0)),
                        u64::from(u16_at(d, 10).unwrap_or(0)),
                    ),
                    _ => continue,
                };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                let (end_r, end_c) = if rl >= 1 && cl >= 1 {
                    (rl - 1, cl - 1)
                } else {
                    (rf, cf)
                };
                if end_r < rf || end_c < cf {
                    return Err(ReadError::refused(
                        path,
                        format!("sheet {sheet} declares an extent that ends before it starts"),
                        format!("第 {sheet} 个工作表声明的范围在开始之前就结束了"),
                    ));
                }
                let declared = (end_r - rf + 1).saturating_mul(end_c - cf + 1);
                if declared > MAX_GRID_CELLS {
                    return Err(too_big(path, &format!("{sheet}"), declared));
                }
            }
            // Cells with a value: Number, Label, RString, BoolErr, RK, LabelSst.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                if let (Some(row), Some(col)) = (u16_at(d, 0), u16_at(d, 2)) {
                    let (row, col) = (u64::from(row), u64::from(col));
                    values.add(row, row, col, col);
                }
            }
            // MulRk: a row of RK values.
            0x00BD if len >= 6 => {
                if let (Some(row), Some(first), Some(last)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, len - 2))
                {
                    let row = u64::from(row);
                    values.add(row, row, u64::from(first), u64::from(last.max(first)));
                }
            }
            // Formula: a value cell and a formula cell.
            0x0006 => {
                if let (Some(row), Some(col)) = (u16_at(d, 0), u16_at(d, 2)) {
                    let (row, col) = (u64::from(row), u64::from(col));
                    values.add(row, row, col, col);
                    formulas.add(row, row, col, col);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn attr_u64(e: &quick_xml::events::BytesStart, name: &str) -> Option<u64> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
}

fn attr_text(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// Streams an .ods's content.xml: each table's filled extent, with repeated
/// rows and columns counted as calamine expands them, and its merged cells.
pub fn ods<R: Read + Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
) -> Result<HashMap<String, Vec<Merge>>, ReadError> {
    use quick_xml::events::Event;
    let content = zip
        .by_name("content.xml")
        .map_err(|_| not_a_workbook(path, "it has no content.xml"))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut merges: HashMap<String, Vec<Merge>> = HashMap::new();
    let mut table: Option<String> = None;
    let mut extent = Extent::default();
    let mut total = 0u64;
    let (mut row, mut col) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    // A cell opened with children: whether it holds anything is known at its end.
    let mut open_cell: Option<(u64, u64, bool)> = None;
    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| not_a_workbook(path, format!("content.xml: {e}")))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    table = Some(attr_text(&e, "table:name").unwrap_or_default());
                    extent = Extent::default();
                    row = 0;
                }
                "table:table-row" => {
                    row_repeat = attr_u64(&e, "table:number-rows-repeated")
                        .unwrap_or(1)
                        .max(1);
                    col = 0;
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeat = attr_u64(&e, "table:number-columns-repeated")
                        .unwrap_or(1)
                        .max(1);
                    let valued = attr_text(&e, "office:value-type").is_some();
                    if let (Some(name), Some(rs), Some(cs)) = (
                        table.as_ref(),
                        attr_u64(&e, "table:number-rows-spanned"),
                        attr_u64(&e, "table:number-columns-spanned"),
                    ) && (rs > 1 || cs > 1)
                        && row < u64::from(u32::MAX)
                        && col < u64::from(u32::MAX)
                    {
                        let end = |a: u64, n: u64| {
                            a.saturating_add(n.max(1) - 1).min(u64::from(u32::MAX)) as u32
                        };
                        merges
                            .entry(name.clone())
                            .or_default()
                            .push(((row as u32, col as u32), (end(row, rs), end(col, cs))));
                    }
                    if empty {
                        if valued {
                            extent.add(
                                row,
                                row.saturating_add(row_repeat - 1),
                                col,
                                col.saturating_add(repeat - 1),
                            );
                        }
                        col = col.saturating_add(repeat);
                    } else {
                        open_cell = Some((col, repeat, valued));
                        col = col.saturating_add(repeat);
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::CData(_) => {
                if let Some(c) = open_cell.as_mut() {
                    c.2 = true;
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((c, repeat, true)) = open_cell.take() {
                        extent.add(
                            row,
                            row.saturating_add(row_repeat - 1),
                            c,
                            c.saturating_add(repeat - 1),
                        );
                    }
                }
                "table:table-row" => row = row.saturating_add(row_repeat),
                "table:table" => {
                    let name = table.take().unwrap_or_default();
                    let cells = extent.cells();
                    total = total.saturating_add(cells);
                    if total > MAX_GRID_CELLS {
                        return Err(too_big(path, &name, cells));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(merges)
}
