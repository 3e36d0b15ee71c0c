//! The monthly report of a demo store, read back from the .xlsx: every sheet
//! under a title row naming the organisation and the month, the page setup
//! that prints it (A4 landscape, one page wide, title and header repeated),
//! the filter over the table only, dates as date cells; and the binary's
//! default period, the last complete month.

mod common;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use chrono::{Datelike, NaiveDate};
use common::*;
use dangjian::io::monthly::{self, last_complete_month};
use dangjian::report::period::Period;
use dangjian::report::points::Scope;
use std::io::Read;
use std::path::Path;

const SHEETS_ZH: [&str; 10] = [
    "概况",
    "活跃度",
    "覆盖",
    "工作量",
    "积分排名",
    "出勤",
    "结对帮扶",
    "三会一课",
    "党员变动",
    "联建共建",
];

/// A demo community and its report on the last complete month, in Chinese.
fn demo_report(dir: &Path, top: Option<usize>) -> (std::path::PathBuf, Period) {
    let store = open(&dir.join("store"));
    let admin = dangjian::ops::actor_for_login(&store, "admin").unwrap();
    let mut params = dangjian::demo::DemoParams::new(today());
    params.members = 120;
    params.entries = 1_500;
    dangjian::demo::generate(&store, &admin, &params, &mut |_| {}).unwrap();
    let period = last_complete_month(today()).unwrap();
    let report = monthly::gather(&store, &admin, Scope::Community, &period, top, today()).unwrap();
    let path = dir.join("monthly.xlsx");
    monthly::write_xlsx(&report, true, &path).unwrap();
    (path, period)
}

fn zip_text(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The first `<tag …>` element's attributes, as written.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag} "))?;
    let end = xml[start..].find('>')? + start;
    Some(&xml[start..end])
}

fn attr(element: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = element.find(&key)? + key.len();
    let len = element[at..].find('"')?;
    Some(element[at..at + len].to_string())
}

/// `A`, …, `Z` for a zero-based column (the report's tables are narrower).
fn column_letter(c: usize) -> char {
    (b'A' + c as u8) as char
}

#[test]
fn every_sheet_has_a_title_row_naming_the_organisation_and_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let (path, period) = demo_report(dir.path(), Some(20));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), SHEETS_ZH);
    let month = format!("{}年{}月", period.from.year(), period.from.month());
    for name in SHEETS_ZH {
        let range = book.worksheet_range(name).unwrap();
        assert_eq!(range.start(), Some((0, 0)), "{name}");
        let title = range.get_value((0, 0)).unwrap();
        let want = format!("和平里社区党委 {month} 月报 · {name}");
        assert_eq!(title, &Data::String(want), "{name}");
        // The header row is the second one.
        let header = range.get_value((1, 0)).unwrap();
        assert!(matches!(header, Data::String(s) if !s.is_empty()), "{name}");
    }
}

#[test]
fn each_sheet_prints_a4_landscape_one_page_wide_with_title_and_header_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo_report(dir.path(), Some(20));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let workbook = zip_text(&path, "xl/workbook.xml");
    for (i, name) in SHEETS_ZH.iter().enumerate() {
        let xml = zip_text(&path, &format!("xl/worksheets/sheet{}.xml", i + 1));
        let setup = element(&xml, "pageSetup").unwrap_or_else(|| panic!("{name}: {xml}"));
        assert_eq!(attr(setup, "orientation").as_deref(), Some("landscape"));
        assert_eq!(attr(setup, "paperSize").as_deref(), Some("9"), "A4");
        // fitToWidth's default is 1 (ECMA-376), so writers may leave it out;
        // fitToHeight 0 is "as many pages as it takes".
        assert_eq!(attr(setup, "fitToWidth").as_deref().unwrap_or("1"), "1");
        assert_eq!(attr(setup, "fitToHeight").as_deref(), Some("0"));
        let fit = element(&xml, "pageSetUpPr").unwrap();
        assert_eq!(attr(fit, "fitToPage").as_deref(), Some("1"), "{name}");
        let margins = element(&xml, "pageMargins").unwrap();
        for side in ["left", "right", "top", "bottom"] {
            let m: f64 = attr(margins, side).unwrap().parse().unwrap();
            assert!((0.4..=0.8).contains(&m), "{name}: {side} margin {m}");
        }
        let footer = xml.find("<oddFooter>").map(|at| &xml[at..]).unwrap();
        assert!(footer.contains("&amp;P"), "{name}: page numbers");
        // Title and header rows repeat on every printed page.
        let titles = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">");
        let at = workbook
            .find(&titles)
            .unwrap_or_else(|| panic!("{name}: {workbook}"))
            + titles.len();
        let value = &workbook[at..at + workbook[at..].find('<').unwrap()];
        assert!(value.ends_with("!$1:$2"), "{name}: {value}");
        // The filter covers the table under the title: header row 2 to its last row.
        let range = book.worksheet_range(name).unwrap();
        let filter = element(&xml, "autoFilter").unwrap();
        let width = (0..range.width())
            .filter(|c| {
                range
                    .get_value((1, *c as u32))
                    .is_some_and(|d| *d != Data::Empty)
            })
            .count();
        let rows = (2..range.height())
            .take_while(|r| {
                (0..range.width()).any(|c| {
                    range
                        .get_value((*r as u32, c as u32))
                        .is_some_and(|d| *d != Data::Empty)
                })
            })
            .count();
        let want = format!("A2:{}{}", column_letter(width - 1), 2 + rows);
        assert_eq!(attr(filter, "ref"), Some(want), "{name}");
    }
}

#[test]
fn dates_are_date_cells_and_no_text_cell_is_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let (path, period) = demo_report(dir.path(), None);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let looks_like_a_date = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            || NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok()
    };
    for name in SHEETS_ZH {
        let range = book.worksheet_range(name).unwrap();
        for (r, row) in range.rows().enumerate() {
            for cell in row {
                if let Data::String(s) = cell {
                    assert!(!looks_like_a_date(s), "{name} row {}: text {s:?}", r + 1);
                }
            }
        }
    }
    let date = |d: &Data| d.as_datetime().map(|t| t.date());
    let summary = book.worksheet_range("概况").unwrap();
    let value_of = |item: &str| {
        let row = summary
            .rows()
            .find(|r| r[0] == Data::String(item.into()))
            .unwrap_or_else(|| panic!("no {item}"));
        row[1].clone()
    };
    assert_eq!(date(&value_of("起")), Some(period.from));
    assert_eq!(date(&value_of("止")), Some(period.to));
    assert_eq!(date(&value_of("期间")), Some(period.from));
    assert_eq!(date(&value_of("制表日期")), Some(today()));
    let pairing = book.worksheet_range("结对帮扶").unwrap();
    let done: Vec<NaiveDate> = pairing.rows().skip(2).filter_map(|r| date(&r[0])).collect();
    assert!(!done.is_empty(), "the demo completes tasks every month");
    assert_eq!(
        done.len(),
        pairing.height() - 2,
        "every row's date is a date cell"
    );
    assert!(done.iter().all(|d| period.contains(*d)));
    // The trend under the activation table: twelve months, as date cells.
    let activation = book.worksheet_range("活跃度").unwrap();
    let months: Vec<NaiveDate> = activation.rows().filter_map(|r| date(&r[0])).collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months.last(), Some(&period.from));
}

#[test]
fn the_ranking_shows_the_first_ranks_and_the_summary_says_how_many_earned_points() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = demo_report(dir.path(), Some(5));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let ranking = book.worksheet_range("积分排名").unwrap();
    let ranks: Vec<f64> = ranking
        .rows()
        .skip(2)
        .map(|r| r[0].as_f64().unwrap())
        .collect();
    assert!(
        ranks.len() >= 5 && ranks.iter().all(|r| *r <= 5.0),
        "{ranks:?}"
    );
    let summary = book.worksheet_range("概况").unwrap();
    let line = summary
        .rows()
        .find(|r| r[0] == Data::String("积分排名".into()))
        .map(|r| r[1].to_string())
        .unwrap();
    assert!(line.starts_with("前 5 名（共 "), "{line}");
}

#[test]
fn the_binary_reports_on_the_last_complete_month_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let bin = env!("CARGO_BIN_EXE_dangjian");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .arg("--store")
            .arg(&store)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["demo", "--members", "40", "--entries", "200"]);
    let file = dir.path().join("m.xlsx");
    // Today as the binary saw it lies between these two.
    let before = today();
    run(&["report", "monthly", "-o", file.to_str().unwrap()]);
    let after = today();
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let title = summary.get_value((0, 0)).unwrap().to_string();
    let expected: Vec<String> = [before, after]
        .iter()
        .map(|d| {
            let p = last_complete_month(*d).unwrap();
            format!("monthly report, {} ·", p.from.format("%B %Y"))
        })
        .collect();
    assert!(
        expected.iter().any(|e| title.contains(e)),
        "{title} vs {expected:?}"
    );
}
