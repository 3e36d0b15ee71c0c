//! CSV and other text tables, read as a stream: the bytes are decoded a chunk
//! at a time and parsed with `csv-core` into buffers this module grows itself,
//! so a record longer than `MAX_RECORD_BYTES` or wider than `MAX_FIELDS` is
//! refused when it is reached, before it is held. The encoding: a BOM decides;
//! otherwise the file is UTF-8 if it all decodes as UTF-8, else GB18030 (a
//! superset of GBK, which Excel on Chinese Windows writes) — found by reading
//! it as UTF-8 and starting again as GB18030 at the first byte that is not.

use super::limits::{MAX_CELLS, MAX_CSV_BYTES, MAX_FIELDS, MAX_RECORD_BYTES, MAX_ROWS};
use super::{Cell, ReadError, Sheet, SheetRow};
use csv_core::ReadRecordResult;
use encoding_rs::{DecoderResult, Encoding};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

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

/// Bytes to text, by the same rule the stream reader keeps.
pub fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
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

pub fn read_csv_file(path: &Path) -> Result<Sheet, ReadError> {
    let file = std::fs::File::open(path).map_err(|e| ReadError::io(path, e))?;
    let len = file.metadata().map_err(|e| ReadError::io(path, e))?.len();
    if len > MAX_CSV_BYTES {
        return Err(ReadError::refused(
            path,
            format!(
                "the file is {} MB, more than the {} MB a roster could be",
                len >> 20,
                MAX_CSV_BYTES >> 20
            ),
            format!(
                "文件有 {} MB，超过花名册可能的大小（{} MB）",
                len >> 20,
                MAX_CSV_BYTES >> 20
            ),
        ));
    }
    read_csv_stream(path, std::io::BufReader::new(file))
}

pub fn read_csv_bytes(path: &Path, bytes: &[u8]) -> Result<Sheet, ReadError> {
    read_csv_stream(path, std::io::Cursor::new(bytes))
}

/// Why one pass over the file stopped.
enum Stop {
    /// Not UTF-8 after all: read it again as GB18030.
    NotUtf8,
    Failed(ReadError),
}

fn read_csv_stream<R: Read + Seek>(path: &Path, mut input: R) -> Result<Sheet, ReadError> {
    let mut head = [0u8; 4];
    let n = read_full(&mut input, &mut head).map_err(|e| ReadError::io(path, e))?;
    let (encoding, bom_len, kind) = match Encoding::for_bom(&head[..n]) {
        Some((enc, len)) if enc == encoding_rs::UTF_8 => (enc, len, TextEncoding::Utf8Bom),
        Some((enc, len)) => (enc, len, TextEncoding::Utf16),
        None => (encoding_rs::UTF_8, 0, TextEncoding::Utf8),
    };
    let strict = kind == TextEncoding::Utf8;
    match pass(path, &mut input, encoding, bom_len, strict) {
        Ok(rows) => Ok(sheet(rows, kind)),
        Err(Stop::Failed(e)) => Err(e),
        Err(Stop::NotUtf8) => match pass(path, &mut input, encoding_rs::GB18030, 0, false) {
            Ok(rows) => Ok(sheet(rows, TextEncoding::Gb18030)),
            Err(Stop::Failed(e)) => Err(e),
            Err(Stop::NotUtf8) => Err(ReadError::Csv {
                path: path.to_path_buf(),
                line: 0,
                reason: "the text is in no encoding this reads".into(),
            }),
        },
    }
}

fn sheet(rows: Vec<SheetRow>, encoding: TextEncoding) -> Sheet {
    Sheet {
        rows,
        source_en: format!("CSV, {}", encoding.name()),
        source_zh: format!("CSV，{}", encoding.name()),
        name: None,
        sheet_names: Vec::new(),
    }
}

fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Where the parser is, for the row numbers a spreadsheet would show.
struct Lines {
    /// Line breaks read so far.
    breaks: u64,
    /// Line breaks inside quoted cells of the records before this one: a
    /// spreadsheet shows such a record as one row.
    inner: u64,
    /// Whether the current record's first byte has been read (the reader
    /// skips empty lines and the `\n` of a `\r\n` before a record).
    started: bool,
    /// The line the current record starts on.
    start: u64,
}

impl Lines {
    fn scan(&mut self, consumed: &[u8]) {
        for &b in consumed {
            if !self.started {
                if b == b'\r' || b == b'\n' {
                    self.breaks += u64::from(b == b'\n');
                    continue;
                }
                self.started = true;
                self.start = self.breaks + 1;
            } else if b == b'\n' {
                self.breaks += 1;
            }
        }
    }
}

const CHUNK: usize = 64 << 10;

/// One pass: decode and parse the whole stream.
fn pass<R: Read + Seek>(
    path: &Path,
    input: &mut R,
    encoding: &'static Encoding,
    skip: usize,
    strict: bool,
) -> Result<Vec<SheetRow>, Stop> {
    let io = |e: std::io::Error| Stop::Failed(ReadError::io(path, e));
    input.seek(SeekFrom::Start(skip as u64)).map_err(io)?;
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut raw = vec![0u8; CHUNK];
    let mut text = String::new();
    let mut parser: Option<csv_core::Reader> = None;
    let mut out = vec![0u8; 4096];
    let mut ends = vec![0usize; 64];
    let (mut out_len, mut ends_len) = (0usize, 0usize);
    let mut lines = Lines {
        breaks: 0,
        inner: 0,
        started: false,
        start: 1,
    };
    let mut rows = Vec::new();
    let mut cells = 0usize;
    let mut at_end = false;
    loop {
        // The next chunk of text ("" once the bytes are all read).
        text.clear();
        if !at_end {
            let n = read_full(input, &mut raw).map_err(io)?;
            at_end = n == 0;
            let src = &raw[..n];
            // Decode the whole chunk, growing the text when the decoder
            // says it is full (it stops short rather than overrun).
            let mut read = 0;
            loop {
                text.reserve(src.len() * 3 + 16);
                if strict {
                    let (result, k) = decoder.decode_to_string_without_replacement(
                        &src[read..],
                        &mut text,
                        at_end,
                    );
                    read += k;
                    match result {
                        DecoderResult::InputEmpty => break,
                        DecoderResult::OutputFull => continue,
                        DecoderResult::Malformed(..) => return Err(Stop::NotUtf8),
                    }
                } else {
                    let (result, k, _) = decoder.decode_to_string(&src[read..], &mut text, at_end);
                    read += k;
                    if result == encoding_rs::CoderResult::InputEmpty {
                        break;
                    }
                }
            }
        }
        let parser = parser.get_or_insert_with(|| {
            csv_core::ReaderBuilder::new()
                .delimiter(sniff_delimiter(&text))
                .build()
        });
        let mut data = text.as_bytes();
        loop {
            // An empty input tells csv-core the file has ended: give it one
            // only at the end.
            if data.is_empty() && !at_end {
                break;
            }
            let (result, nin, nout, nend) =
                parser.read_record(data, &mut out[out_len..], &mut ends[ends_len..]);
            lines.scan(&data[..nin]);
            data = &data[nin..];
            out_len += nout;
            ends_len += nend;
            match result {
                ReadRecordResult::InputEmpty => break,
                ReadRecordResult::OutputFull => {
                    if out.len() >= MAX_RECORD_BYTES {
                        return Err(Stop::Failed(record_too_long(path, lines.start)));
                    }
                    out.resize((out.len() * 2).min(MAX_RECORD_BYTES), 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if ends.len() >= MAX_FIELDS {
                        return Err(Stop::Failed(too_many_fields(path, lines.start)));
                    }
                    ends.resize((ends.len() * 2).min(MAX_FIELDS), 0);
                }
                ReadRecordResult::Record => {
                    let record = &out[..out_len];
                    let mut row = Vec::with_capacity(ends_len);
                    let mut from = 0;
                    let mut breaks = 0u64;
                    for &end in &ends[..ends_len] {
                        let field = record.get(from..end).unwrap_or_default();
                        from = end;
                        breaks += field.iter().filter(|&&b| b == b'\n').count() as u64;
                        let s = String::from_utf8_lossy(field);
                        row.push(if s.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(s.into_owned())
                        });
                    }
                    while row.last().is_some_and(Cell::is_blank) {
                        row.pop();
                    }
                    let number = lines.start.saturating_sub(lines.inner).max(1);
                    lines.inner += breaks;
                    lines.started = false;
                    out_len = 0;
                    ends_len = 0;
                    if row.is_empty() {
                        continue;
                    }
                    if number > u64::from(MAX_ROWS) {
                        return Err(Stop::Failed(ReadError::refused(
                            path,
                            format!("the file has more than {MAX_ROWS} rows, more than a roster"),
                            format!("文件超过 {MAX_ROWS} 行，超出花名册的规模"),
                        )));
                    }
                    cells += row.len();
                    if cells > MAX_CELLS {
                        return Err(Stop::Failed(super::too_many_cells(path)));
                    }
                    rows.push(SheetRow {
                        number: number as usize,
                        cells: row,
                    });
                }
                ReadRecordResult::End => return Ok(rows),
            }
        }
    }
}

fn record_too_long(path: &Path, line: u64) -> ReadError {
    ReadError::refused(
        path,
        format!(
            "line {line} runs past {} KB without ending (a roster's row is a few hundred bytes; \
             a quote left open swallows the lines after it)",
            MAX_RECORD_BYTES >> 10
        ),
        format!(
            "第 {line} 行超过 {} KB 仍未结束（花名册的一行只有几百字节；未闭合的引号会吞掉其后的各行）",
            MAX_RECORD_BYTES >> 10
        ),
    )
}

fn too_many_fields(path: &Path, line: u64) -> ReadError {
    ReadError::refused(
        path,
        format!("line {line} has more than {MAX_FIELDS} columns, more than any roster"),
        format!("第 {line} 行超过 {MAX_FIELDS} 列，超出任何花名册"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let s = read_csv_bytes(Path::new("x.csv"), &gbk).unwrap();
        assert_eq!(s.rows[0].cell(1), &Cell::Text("身份证号".into()));
        assert_eq!(s.source_en, "CSV, GBK/GB18030");
    }

    #[test]
    fn gb18030_found_after_a_long_ascii_start_reads_from_the_beginning() {
        let mut bytes = "a,b\n".repeat(40_000).into_bytes();
        let (gbk, _, _) = encoding_rs::GB18030.encode("张三,李四\n");
        bytes.extend_from_slice(&gbk);
        let s = read_csv_bytes(Path::new("x.csv"), &bytes).unwrap();
        assert_eq!(s.rows.len(), 40_001);
        assert_eq!(s.rows[40_000].cell(0), &Cell::Text("张三".into()));
        assert_eq!(s.rows[40_000].number, 40_001);
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
        let s = read_csv_bytes(Path::new("x.csv"), b"a,b\r\n\r\nc,d\r\ne\r\n").unwrap();
        let numbers: Vec<usize> = s.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3, 4]);
    }

    #[test]
    fn a_long_line_and_a_wide_line_are_refused_while_reading() {
        let long = format!("a,{}\n", "x".repeat(MAX_RECORD_BYTES + 10));
        let e = read_csv_bytes(Path::new("x.csv"), long.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("line 1 runs past"), "{e}");
        let wide = format!("h\n{}\n", ",".repeat(MAX_FIELDS + 5));
        let e = read_csv_bytes(Path::new("x.csv"), wide.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("line 2 has more than"), "{e}");
    }
}
