//! Hostile files, made here, given to the real binary with its memory capped
//! (`prlimit --as`, 256 MiB of address space): each is refused with words
//! naming what is wrong, and the process exits 1 rather than aborting. The
//! files: an .xlsx declaring A1:XFD1048576 with a cell in each corner, a zip
//! bomb, a huge shared string, a million columns (.xlsx and .csv), a 100 MB
//! line, an .xls declaring and using 65536 × 256 cells, an .ods repeating one
//! filled cell over the whole grid.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");
const LIMIT: &str = "--as=268435456";

fn run_capped(store: &Path, file: &Path) -> Output {
    Command::new("prlimit")
        .arg(LIMIT)
        .arg("--")
        .arg(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        // One malloc arena: each thread's own would reserve 64 MiB of address
        // space, and how many there are depends on timing, not on the file.
        .env("MALLOC_ARENA_MAX", "1")
        .arg("--store")
        .arg(store)
        .args(["import", "members"])
        .arg(file)
        .args(["--create-units", "--committee", "和平里社区党委"])
        .output()
        .unwrap()
}

fn assert_refused(name: &str, file: &Path, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = run_capped(&store, file);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: expected a refusal (exit 1), got {:?}: {text}",
        out.status
    );
    assert!(text.contains(needle), "{name}: {text:?} lacks {needle:?}");
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// An .xlsx whose sheet XML (and shared strings) are written by the callers,
/// in pieces, so a part of hundreds of megabytes is never held.
fn xlsx(
    path: &Path,
    sheet: &mut dyn FnMut(&mut dyn Write),
    strings: &mut dyn FnMut(&mut dyn Write),
) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("xl/sharedStrings.xml", opts).unwrap();
    strings(&mut z);
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    sheet(&mut z);
    z.finish().unwrap();
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
const NO_STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#;

fn column_name(mut n: u64) -> String {
    let mut s = Vec::new();
    n += 1;
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

#[test]
fn a_dense_corner_xlsx_is_refused_naming_the_far_cell() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("corner.xlsx");
    xlsx(
        &p,
        &mut |w| {
            write!(
                w,
                "{SHEET_HEAD}<dimension ref=\"A1:XFD1048576\"/><sheetData>\
                 <row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
                 <row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row>\
                 </sheetData></worksheet>"
            )
            .unwrap()
        },
        &mut |w| w.write_all(NO_STRINGS.as_bytes()).unwrap(),
    );
    assert_refused("dense corner", &p, "cell XFD1048576 has something in it");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bomb.xlsx");
    let spaces = vec![b' '; 1 << 20];
    xlsx(
        &p,
        &mut |w| {
            w.write_all(SHEET_HEAD.as_bytes()).unwrap();
            // 600 MB of blanks between two tags: legal XML, nothing in it.
            for _ in 0..600 {
                w.write_all(&spaces).unwrap();
            }
            w.write_all(b"<sheetData></sheetData></worksheet>").unwrap();
        },
        &mut |w| w.write_all(NO_STRINGS.as_bytes()).unwrap(),
    );
    assert!(std::fs::metadata(&p).unwrap().len() < 8 << 20);
    assert_refused("zip bomb", &p, "its part xl/worksheets/sheet1.xml");
}

#[test]
fn a_huge_shared_string_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("string.xlsx");
    let a = vec![b'a'; 1 << 20];
    xlsx(
        &p,
        &mut |w| {
            write!(
                w,
                "{SHEET_HEAD}<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>\
                 </sheetData></worksheet>"
            )
            .unwrap()
        },
        &mut |w| {
            w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#).unwrap();
            for _ in 0..100 {
                w.write_all(&a).unwrap();
            }
            w.write_all(b"</t></si></sst>").unwrap();
        },
    );
    assert_refused("huge shared string", &p, "sharedStrings.xml");
}

#[test]
fn a_million_columns_in_xlsx_is_refused_at_the_first_past_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("wide.xlsx");
    xlsx(
        &p,
        &mut |w| {
            write!(w, "{SHEET_HEAD}<sheetData><row r=\"1\">").unwrap();
            for c in 0..1_000_000u64 {
                write!(w, "<c r=\"{}1\"><v>{c}</v></c>", column_name(c)).unwrap();
            }
            write!(w, "</row></sheetData></worksheet>").unwrap();
        },
        &mut |w| w.write_all(NO_STRINGS.as_bytes()).unwrap(),
    );
    assert_refused("million columns xlsx", &p, "has something in it");
}

#[test]
fn a_million_columns_in_csv_and_a_100_mb_line_are_refused_while_reading() {
    let dir = tempfile::tempdir().unwrap();
    let wide = dir.path().join("wide.csv");
    let mut line = "姓名,身份证号\n".to_string();
    line.push_str(&"x,".repeat(1_000_000));
    line.push('\n');
    std::fs::write(&wide, line).unwrap();
    assert_refused(
        "million columns csv",
        &wide,
        "line 2 has more than 1000 columns",
    );
    let long = dir.path().join("long.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&long).unwrap());
    f.write_all("姓名,身份证号\n".as_bytes()).unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\n").unwrap();
    drop(f);
    assert_refused("100 MB line", &long, "line 2 runs past 256 KB");
}

/// A BIFF8 record.
fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn number_cell(row: u16, col: u16) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&row.to_le_bytes());
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&1.0f64.to_le_bytes());
    d
}

#[test]
fn an_xls_spanning_its_whole_grid_is_refused_before_calamine_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("corner.xls");
    let mut stream = Vec::new();
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    record(&mut stream, 0x0809, &bof(0x0005));
    record(&mut stream, 0x000A, &[]);
    record(&mut stream, 0x0809, &bof(0x0010));
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&65536u32.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&256u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    record(&mut stream, 0x0200, &dims);
    record(&mut stream, 0x0203, &number_cell(0, 0));
    record(&mut stream, 0x0203, &number_cell(65535, 255));
    record(&mut stream, 0x000A, &[]);
    let f = std::fs::File::create(&p).unwrap();
    let mut cfb = cfb::CompoundFile::create(f).unwrap();
    cfb.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    cfb.flush().unwrap();
    drop(cfb);
    assert_refused("xls corner", &p, "spans 16777216 cells");
}

#[test]
fn an_ods_repeating_a_filled_cell_over_the_grid_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("repeat.ods");
    let f = std::fs::File::create(&p).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
    )
    .unwrap();
    z.finish().unwrap();
    assert_refused("ods repeat", &p, "sheet S spans");
}

#[test]
fn the_capped_binary_still_reads_an_honest_roster() {
    // The cap itself is no refusal: a small roster imports under it.
    let dir = tempfile::tempdir().unwrap();
    let p: PathBuf = dir.path().join("ok.csv");
    std::fs::write(
        &p,
        format!(
            "姓名,身份证号,所属支部\n张三,{},第一党支部\n",
            common::id_number("19700506", 11)
        ),
    )
    .unwrap();
    let out = run_capped(&dir.path().join("store"), &p);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
