//! A messy member roster, as an office's spreadsheet really looks: a title row
//! and a blank row above the header, a 序号 column, headers under their
//! everyday names, dates typed five ways, full-width digits, stray spaces, and
//! (when asked) a known set of bad rows, one of each kind in turn. Imports are
//! measured and tested against it; the bad rows are returned so a test can
//! assert that exactly those are reported.

use super::names::*;
use crate::domain::validate::id_check_char;
use chrono::{Datelike, Duration, NaiveDate};
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct RosterParams {
    pub rows: usize,
    /// One bad row in every `bad_every` (0: none).
    pub bad_every: usize,
    pub seed: u64,
    pub today: NaiveDate,
    /// Put a title row and a blank row above the header and a blank row now
    /// and then (false: a plain CSV a database could load).
    pub messy: bool,
}

/// The roster's rows (title and header included) and the spreadsheet row
/// numbers of the bad ones.
#[derive(Debug, Clone)]
pub struct Roster {
    pub rows: Vec<Vec<String>>,
    pub bad: BTreeSet<usize>,
    /// Data rows (not counting blank ones).
    pub data_rows: usize,
}

pub const HEADER: &[&str] = &[
    "序号",
    "姓 名",
    "性别",
    "身份证号码",
    "手机",
    "楼栋",
    "单元",
    "房号",
    "所属党委",
    "所属党支部",
    "党小组",
    "人员类别",
    "工作单位",
    "报到时间",
    "入党时间",
    "转正时间",
    "特长",
    "备注",
];

/// The kinds of bad row, in the order they are used.
const BAD_KINDS: usize = 9;

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A date in one of the forms people type.
fn typed_date(d: NaiveDate, form: u32) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match form % 6 {
        0 => format!("{y}-{m:02}-{day:02}"),
        1 => format!("{y}/{m}/{day}"),
        2 => format!("{y}.{m}.{day}"),
        3 => format!("{y}年{m}月{day}日"),
        4 => format!("{y}{m:02}{day:02}"),
        _ => full_width(&format!("{y}-{m:02}-{day:02}")),
    }
}

fn random_date(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1);
    from + Duration::days(rng.random_range(0..span))
}

/// A unique, valid ID number for row `i`: the row index is spread over the
/// area code and the sequence number, so a million rows never repeat one.
fn id_number(i: usize, birth: NaiveDate, male: bool) -> String {
    let area = 110_000 + (i / 500) % 10_000;
    let mut seq = (i % 500) * 2;
    if male {
        seq += 1;
    }
    let first17 = format!("{area}{}{seq:03}", birth.format("%Y%m%d"));
    let check = id_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

pub fn messy_roster(p: &RosterParams) -> Roster {
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let mut rows: Vec<Vec<String>> = Vec::new();
    if p.messy {
        rows.push(vec![format!(
            "{COMMUNITY}社区党员花名册（{}年）",
            p.today.year()
        )]);
        rows.push(vec![]);
    }
    rows.push(HEADER.iter().map(|s| s.to_string()).collect());
    let mut bad = BTreeSet::new();
    let mut previous_id = String::new();
    let mut bad_seen = 0usize;
    let surnames: Vec<&str> = SURNAMES.iter().map(|s| s.0).collect();
    for i in 0..p.rows {
        if p.messy && i > 0 && i % 997 == 0 {
            rows.push(vec![]);
        }
        let male = rng.random_bool(0.5);
        let birth = random_date(
            &mut rng,
            NaiveDate::from_ymd_opt(1935, 1, 1).unwrap_or(p.today),
            NaiveDate::from_ymd_opt(2004, 12, 31).unwrap_or(p.today),
        );
        let given = if male {
            GIVEN_CHARS_MALE
        } else {
            GIVEN_CHARS_FEMALE
        };
        let mut name = format!(
            "{}{}{}",
            surnames[rng.random_range(0..surnames.len())],
            given[rng.random_range(0..given.len())],
            if rng.random_bool(0.6) {
                given[rng.random_range(0..given.len())]
            } else {
                ""
            }
        );
        if p.messy && i % 7 == 3 {
            name = format!(" {name}  ");
        }
        let mut id = id_number(i, birth, male);
        if p.messy && i % 11 == 5 && id.ends_with('X') {
            id = id.to_lowercase();
        }
        let mut phone = format!(
            "1{}{:09}",
            [3, 5, 8, 9][i % 4],
            rng.random_range(0..1_000_000_000u64)
        );
        if p.messy {
            phone = match i % 5 {
                1 => format!("{}-{}-{}", &phone[..3], &phone[3..7], &phone[7..]),
                2 => full_width(&phone),
                3 => format!("+86 {phone}"),
                _ => phone,
            };
        }
        let building = 1 + i % 40;
        let branch = BRANCH_NAMES[(building - 1) / 8 % BRANCH_NAMES.len()];
        let group = format!("{building}号楼党小组");
        let category =
            ["在职党员", "离退休", "学生党员", "流动党员", "其他", "退休"][rng.random_range(0..6)];
        let home_unit = if category == "在职党员" {
            HOME_UNITS[rng.random_range(0..HOME_UNITS.len())].to_string()
        } else {
            String::new()
        };
        let join_from = birth + Duration::days(18 * 366);
        let joined = random_date(&mut rng, join_from, join_from + Duration::days(20 * 365))
            .min(p.today - Duration::days(400));
        let full = joined + Duration::days(365);
        let reported = random_date(
            &mut rng,
            p.today - Duration::days(2000),
            p.today - Duration::days(1),
        );
        let form = if p.messy { rng.random_range(0..6) } else { 0 };
        let mut joined_text = typed_date(joined, form);
        let mut full_text = typed_date(full, form + 1);
        let mut category_text = category.to_string();
        let mut phone_text = phone;
        let number = rows.len() + 1;
        let is_bad = p.bad_every > 0 && i % p.bad_every == p.bad_every / 2 && i > 0;
        if is_bad {
            bad.insert(number);
            match bad_seen % BAD_KINDS {
                0 => {
                    // Wrong check character.
                    let last = id.pop().unwrap_or('0');
                    id.push(if last == '1' { '2' } else { '1' });
                }
                1 => phone_text = "1380013800".into(),
                2 => joined_text = format!("{}-02-30", joined.year()),
                3 => category_text = "退役军人".into(),
                4 => name = String::new(),
                5 => id = previous_id.clone(),
                6 => joined_text = typed_date(p.today + Duration::days(30), 0),
                7 => full_text = typed_date(joined - Duration::days(10), 0),
                _ => {
                    id.pop();
                }
            }
            bad_seen += 1;
        } else {
            previous_id = id.clone();
        }
        let skills = if i % 3 == 0 {
            SKILLS[rng.random_range(0..SKILLS.len())].to_string()
        } else {
            String::new()
        };
        rows.push(vec![
            (i + 1).to_string(),
            name,
            if male { "男" } else { "女" }.to_string(),
            id,
            phone_text,
            building.to_string(),
            (1 + i % 4).to_string(),
            format!("{}{:02}", 1 + i % 18, 1 + i % 4),
            format!("{COMMUNITY}社区党委"),
            branch.to_string(),
            group,
            category_text,
            home_unit,
            typed_date(reported, form + 2),
            joined_text,
            full_text,
            skills,
            String::new(),
        ]);
    }
    Roster {
        rows,
        bad,
        data_rows: p.rows,
    }
}

/// Which encoding a CSV roster is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterEncoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

/// Writes the roster as CSV or, for a `.xlsx` path, as a workbook.
pub fn write(roster: &Roster, path: &Path, encoding: RosterEncoding) -> std::io::Result<()> {
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        return write_xlsx(roster, path);
    }
    let mut out = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        for row in &roster.rows {
            if row.is_empty() {
                w.write_record([""])?;
            } else {
                w.write_record(row)?;
            }
        }
        w.flush()?;
    }
    let bytes = match encoding {
        RosterEncoding::Utf8 => out,
        RosterEncoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), &out].concat(),
        RosterEncoding::Gb18030 => {
            let text = String::from_utf8_lossy(&out);
            encoding_rs::GB18030.encode(&text).0.into_owned()
        }
    };
    crate::io::atomic::write_bytes(path, &bytes)
}

fn write_xlsx(roster: &Roster, path: &Path) -> std::io::Result<()> {
    use rust_xlsxwriter::Workbook;
    let err = std::io::Error::other;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in roster.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, v).map_err(err)?;
            }
        }
    }
    let bytes = book.save_to_buffer().map_err(err)?;
    crate::io::atomic::write_bytes(path, &bytes)
}
