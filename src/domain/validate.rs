//! Checking and canonicalising the values people type: resident ID numbers,
//! mobile and landline numbers, dates and months, and masking IDs and phones
//! for display.
//!
//! Everything here is a pure function of its input (plus today's date for the
//! ID birth-date check). It does no I/O, knows nothing of the store or the
//! terminal, and never panics on any input.

use chrono::{Datelike, NaiveDate};

/// Why a typed value was refused. Each message is meant to be shown as is, so it
/// says what was expected in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("a value is required")]
    Required,
    #[error("too long: at most {max} characters")]
    TooLong { max: usize },
    #[error("{0} is in the future")]
    FutureDate(NaiveDate),
    #[error("must be more than 0")]
    NotPositive,
    #[error("ID number must be 18 characters, got {got}")]
    IdLength { got: usize },
    #[error("ID number must be 17 digits followed by a digit or X")]
    IdCharacters,
    #[error("ID number cannot start with 0: the first six digits are an area code")]
    IdArea,
    #[error("ID number birth date {digits} is not a real date")]
    IdBirthDate { digits: String },
    #[error("ID number birth date {0} is in the future")]
    IdBirthFuture(NaiveDate),
    #[error("ID number birth year {0} is before 1900")]
    IdBirthYear(i32),
    #[error("ID number checksum does not match: last character should be {expected}")]
    IdChecksum { expected: char },
    #[error("mobile number must be 11 digits starting with 1")]
    Mobile,
    #[error(
        "landline must be an area code and a 7-8 digit number not starting with 0, \
         e.g. 010-12345678 or 0755-1234567"
    )]
    Landline,
    #[error(
        "phone must be an 11-digit mobile number (e.g. 13800138000) \
         or a landline with area code (e.g. 010-12345678)"
    )]
    Phone,
    #[error("not a date: '{input}' (use e.g. 2001-03-05)")]
    Date { input: String },
    #[error("no such date: '{input}' ({year}-{month:02} has only {days} days)")]
    NoSuchDay {
        input: String,
        year: i32,
        month: u32,
        days: u32,
    },
    #[error("not a month: '{input}' (use e.g. 2026-11)")]
    Month { input: String },
    #[error("holds an invisible control character ({code}); retype the text")]
    Control { code: String },
    #[error("'{input}' gives only the month; this date needs the day too (e.g. 2020-06-15)")]
    NeedsDay { input: String },
}

/// The first character that must not be stored in a text field: C0 controls
/// other than tab and line breaks (which text fields turn into spaces), DEL,
/// C1 controls (ESC sequences that would drive a terminal included), and the
/// bidirectional overrides and isolates that make text read other than it is
/// stored (U+202A–U+202E, U+2066–U+2069).
pub fn find_control(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// `Err(Control)` when `s` holds a character `find_control` finds.
pub fn check_controls(s: &str) -> Result<(), ValueError> {
    match find_control(s) {
        Some(c) => Err(ValueError::Control {
            code: format!("U+{:04X}", c as u32),
        }),
        None => Ok(()),
    }
}

/// Trims, turns full-width ASCII (as typed with a Chinese IME) into half-width,
/// and collapses runs of whitespace to one space. Internal spaces are kept
/// because names and addresses may legitimately contain them.
pub fn normalize_input(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars().map(half_width) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

impl ValueError {
    /// The same message in Chinese, for the zh-CN interface.
    pub fn zh(&self) -> String {
        match self {
            ValueError::Required => "必填".into(),
            ValueError::TooLong { max } => format!("太长：最多 {max} 个字"),
            ValueError::FutureDate(d) => format!("{d} 是将来的日期"),
            ValueError::NotPositive => "必须大于 0".into(),
            ValueError::IdLength { got } => format!("身份证号应为 18 位，现在是 {got} 位"),
            ValueError::IdCharacters => "身份证号应为 17 位数字加 1 位数字或 X".into(),
            ValueError::IdArea => "身份证号不能以 0 开头（前六位是地区码）".into(),
            ValueError::IdBirthDate { digits } => format!("身份证号中的出生日期 {digits} 不存在"),
            ValueError::IdBirthFuture(d) => format!("身份证号中的出生日期 {d} 在将来"),
            ValueError::IdBirthYear(y) => format!("身份证号中的出生年份 {y} 早于 1900"),
            ValueError::IdChecksum { expected } => {
                format!("身份证号校验位不对：最后一位应为 {expected}")
            }
            ValueError::Mobile => "手机号应为 1 开头的 11 位数字".into(),
            ValueError::Landline => "固定电话应为区号加 7–8 位号码，如 010-12345678".into(),
            ValueError::Phone => {
                "电话应为 11 位手机号，或区号加号码的固定电话（如 010-12345678）".into()
            }
            ValueError::Date { input } => format!("不是日期：“{input}”（例如 2001-03-05）"),
            ValueError::NoSuchDay {
                input,
                year,
                month,
                days,
            } => format!("没有这一天：“{input}”（{year}年{month}月只有 {days} 天）"),
            ValueError::Month { input } => format!("不是月份：“{input}”（例如 2026-11）"),
            ValueError::Control { code } => format!("含有看不见的控制字符（{code}）；请重新输入"),
            ValueError::NeedsDay { input } => {
                format!("“{input}”只有年月；这个日期还需要日（例如 2020-06-15）")
            }
        }
    }
}

/// Trims and collapses runs of whitespace (the ideographic space too) to one
/// space, leaving every other character as typed: titles and notes keep their
/// Chinese punctuation (，：（）), which `normalize_input` would turn into ASCII.
pub fn tidy_text(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Normalised, with every whitespace character removed: the form in which
/// digit strings are checked, since people group digits with spaces.
fn compact(s: &str) -> String {
    normalize_input(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits of a resident
/// ID, or `None` unless given exactly 17 ASCII digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK_CHARS.get((sum % 11) as usize).copied()
}

/// Checks a resident ID number (GB 11643-1999) and returns it canonical:
/// no spaces, upper-case X.
pub fn validate_id_number(s: &str) -> Result<String, ValueError> {
    validate_id_number_on(s, chrono::Local::now().date_naive())
}

fn validate_id_number_on(s: &str, today: NaiveDate) -> Result<String, ValueError> {
    let id = compact(s).to_uppercase();
    let len = id.chars().count();
    if len != 18 {
        return Err(ValueError::IdLength { got: len });
    }
    // Checked ASCII first so that the byte slicing below cannot split a char.
    if !id.is_ascii() {
        return Err(ValueError::IdCharacters);
    }
    let (first17, last) = id.split_at(17);
    if !first17.bytes().all(|b| b.is_ascii_digit())
        || !last.bytes().all(|b| b.is_ascii_digit() || b == b'X')
    {
        return Err(ValueError::IdCharacters);
    }
    if id.starts_with('0') {
        return Err(ValueError::IdArea);
    }
    let digits = &id[6..14];
    let birth = yyyymmdd(digits).ok_or_else(|| ValueError::IdBirthDate {
        digits: digits.to_string(),
    })?;
    if birth.year() < 1900 {
        return Err(ValueError::IdBirthYear(birth.year()));
    }
    if birth > today {
        return Err(ValueError::IdBirthFuture(birth));
    }
    let expected = id_check_char(first17).ok_or(ValueError::IdCharacters)?;
    if !last.starts_with(expected) {
        return Err(ValueError::IdChecksum { expected });
    }
    Ok(id)
}

fn yyyymmdd(digits: &str) -> Option<NaiveDate> {
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = digits[..4].parse().ok()?;
    let month = digits[4..6].parse().ok()?;
    let day = digits[6..].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The 17 body digits of an ID, if it is shaped like one; the checksum is not
/// verified so that these helpers also work on stored legacy values.
fn id_body(id: &str) -> Option<String> {
    let id = compact(id);
    let body: String = id.chars().take(17).collect();
    (id.chars().count() == 18 && body.bytes().all(|b| b.is_ascii_digit())).then_some(body)
}

/// The birth date encoded in an 18-character ID number.
pub fn id_number_birth_date(id: &str) -> Option<NaiveDate> {
    yyyymmdd(&id_body(id)?[6..14])
}

/// Whether an ID number belongs to a man: the 17th digit is odd for men.
pub fn id_number_is_male(id: &str) -> Option<bool> {
    let body = id_body(id)?;
    let digit = *body.as_bytes().get(16)?;
    Some((digit - b'0') % 2 == 1)
}

/// Checks a mainland mobile number and returns its bare 11 digits. Accepts a
/// +86 / 86 / 0086 country prefix, space and hyphen separators, and
/// full-width digits.
pub fn validate_mobile(s: &str) -> Result<String, ValueError> {
    let t: String = compact(s).chars().filter(|&c| c != '-').collect();
    let bare = if let Some(rest) = t.strip_prefix("+86") {
        rest
    } else if t.len() == 15 && t.starts_with("0086") {
        &t[4..]
    } else if t.len() == 13 && t.starts_with("86") {
        &t[2..]
    } else {
        &t
    };
    let b = bare.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    if ok {
        Ok(bare.to_string())
    } else {
        Err(ValueError::Mobile)
    }
}

/// Checks a mainland landline and returns it as `010-12345678`, with `-123`
/// appended for an extension. Accepts `(010)`, a space or a hyphen after the
/// area code, no separator at all, and an extension after `-` or `转`.
pub fn validate_landline(s: &str) -> Result<String, ValueError> {
    parse_landline(&normalize_input(s)).ok_or(ValueError::Landline)
}

fn parse_landline(s: &str) -> Option<String> {
    let (area, rest) = if let Some(inner) = s.strip_prefix('(') {
        let (area, rest) = inner.split_once(')')?;
        (area.trim().to_string(), rest.to_string())
    } else {
        let lead_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let lead = &s[..lead_len];
        if lead_len <= 4 {
            (lead.to_string(), s[lead_len..].to_string())
        } else {
            // Written without a separator: the area code's own shape says
            // where it ends (010 and 02x are three digits, the rest four).
            let n = if lead.starts_with("01") || lead.starts_with("02") {
                3
            } else {
                4
            };
            (lead[..n].to_string(), s[n..].to_string())
        }
    };
    if !area_code_ok(&area) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('-').unwrap_or(rest).trim_start();
    let (local, ext) = match rest.split_once('转').or_else(|| rest.split_once('-')) {
        Some((local, ext)) => (local, Some(ext.trim())),
        None => (rest, None),
    };
    // Local numbers are often grouped as "8888 6666".
    let local: String = local.chars().filter(|c| !c.is_whitespace()).collect();
    let lb = local.as_bytes();
    // Local numbers never start with 0 (that would be a second area code).
    // Real ones do not start with 1 either, but 010-12345678 is the example
    // everyone writes and tests with, so refusing it would only confuse.
    let local_ok =
        (7..=8).contains(&lb.len()) && lb.iter().all(u8::is_ascii_digit) && lb[0] != b'0';
    if !local_ok {
        return None;
    }
    match ext {
        None => Some(format!("{area}-{local}")),
        Some(ext) => {
            let eb = ext.as_bytes();
            ((1..=6).contains(&eb.len()) && eb.iter().all(u8::is_ascii_digit))
                .then(|| format!("{area}-{local}-{ext}"))
        }
    }
}

fn area_code_ok(area: &str) -> bool {
    let b = area.as_bytes();
    if !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    match b.len() {
        3 => area == "010" || area.starts_with("02"),
        4 => b[0] == b'0' && (b'3'..=b'9').contains(&b[1]),
        _ => false,
    }
}

/// A mobile or landline number, canonical as its own validator returns it.
pub fn validate_phone(s: &str) -> Result<String, ValueError> {
    validate_mobile(s)
        .or_else(|_| validate_landline(s))
        .map_err(|_| ValueError::Phone)
}

/// Parses a date as people write it: `2001-03-05`, `2001/3/5`, `2001.3.5`,
/// `2001年3月5日` (or `号`), `20010305`, with full-width digits or stray spaces.
pub fn parse_date(s: &str) -> Result<NaiveDate, ValueError> {
    let t = compact(s);
    let not_a_date = || ValueError::Date {
        input: s.trim().to_string(),
    };
    let (year, month, day) = date_parts(&t).ok_or_else(not_a_date)?;
    if !(1..=12).contains(&month) || day == 0 {
        return Err(not_a_date());
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| ValueError::NoSuchDay {
        input: s.trim().to_string(),
        year,
        month,
        days: days_in_month(year, month),
    })
}

fn date_parts(t: &str) -> Option<(i32, u32, u32)> {
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            t[..4].parse().ok()?,
            t[4..6].parse().ok()?,
            t[6..].parse().ok()?,
        ));
    }
    if let Some((y, rest)) = t.split_once('年') {
        let (m, d) = rest.split_once('月')?;
        let d = d
            .strip_suffix('日')
            .or_else(|| d.strip_suffix('号'))
            .unwrap_or(d);
        return Some((year_part(y)?, small_part(m)?, small_part(d)?));
    }
    let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = t.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((year_part(y)?, small_part(m)?, small_part(d)?))
}

fn year_part(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn small_part(s: &str) -> Option<u32> {
    ((1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(28)
}

/// Parses a month: `2026-11`, `2026/11`, `2026.11`, `202611`, `2026年11月`.
pub fn parse_month(s: &str) -> Result<(i32, u32), ValueError> {
    let t = compact(s);
    let parts = if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        year_part(&t[..4]).zip(small_part(&t[4..]))
    } else if let Some((y, m)) = t.split_once('年') {
        year_part(y).zip(small_part(m.strip_suffix('月').unwrap_or(m)))
    } else {
        t.split_once(['-', '/', '.'])
            .and_then(|(y, m)| year_part(y).zip(small_part(m)))
    };
    match parts {
        Some((y, m)) if (1..=12).contains(&m) => Ok((y, m)),
        _ => Err(ValueError::Month {
            input: s.trim().to_string(),
        }),
    }
}

/// All but the last four characters as stars; a value of four characters or
/// fewer is starred whole, since showing it would reveal everything.
fn mask_all_but_last4(chars: &[char]) -> String {
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let keep = chars.len() - 4;
    "*".repeat(keep) + &chars[keep..].iter().collect::<String>()
}

/// An ID number for display: first 4 and last 4 characters, stars between.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    // At least four stars must remain, or the mask hides too little to matter.
    if chars.len() >= 12 {
        let n = chars.len();
        let head: String = chars[..4].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}{}{tail}", "*".repeat(n - 8))
    } else {
        mask_all_but_last4(&chars)
    }
}

/// A phone number for display: `138****8000`, `010-****5678`, or otherwise
/// only its last four characters.
pub fn mask_phone(p: &str) -> String {
    if let Ok(canonical) = validate_phone(p) {
        if !canonical.contains('-') {
            return format!("{}****{}", &canonical[..3], &canonical[7..]);
        }
        let mut parts = canonical.splitn(3, '-');
        if let (Some(area), Some(local)) = (parts.next(), parts.next()) {
            let local: Vec<char> = local.chars().collect();
            let mut out = format!("{area}-{}", mask_all_but_last4(&local));
            if let Some(ext) = parts.next() {
                out.push('-');
                out.push_str(ext);
            }
            return out;
        }
    }
    let chars: Vec<char> = p.trim().chars().collect();
    mask_all_but_last4(&chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", id_check_char(first17).unwrap())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn normalize_input_trims_collapses_and_converts_full_width() {
        assert_eq!(normalize_input("  张  三 "), "张 三");
        assert_eq!(normalize_input("１３８００１３８０００"), "13800138000");
        assert_eq!(
            normalize_input("\u{3000}ＡＢ\u{3000}\u{3000}ｃ\u{3000}"),
            "AB c"
        );
        assert_eq!(normalize_input("（０１０）"), "(010)");
        assert_eq!(normalize_input("   "), "");
    }

    #[test]
    fn check_char_of_known_valid_ids() {
        // Both worked by hand: weighted sums 167 and 203, mod 11 give 2 and 5,
        // which index "10X98765432" at X and 7.
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert_eq!(id_check_char("44030419990101001"), Some('7'));
        assert_eq!(id_check_char("1101051949123100"), None);
        assert_eq!(id_check_char("1101051949123100a"), None);
        assert_eq!(id_check_char("１1010519491231002"), None);
    }

    #[test]
    fn valid_ids_are_returned_canonical() {
        let today = date(2026, 5, 1);
        for id in [
            "11010519491231002X".to_string(),
            "440304199901010017".to_string(),
            with_check("11010519900101123"),
            with_check("32010220000229456"),
            with_check("65010119001231987"),
        ] {
            assert_eq!(validate_id_number_on(&id, today), Ok(id.clone()), "{id}");
        }
        assert_eq!(
            validate_id_number(" 110105 19491231 002x "),
            Ok("11010519491231002X".to_string())
        );
        assert_eq!(
            validate_id_number("１１０１０５１９４９１２３１００２ｘ"),
            Ok("11010519491231002X".to_string())
        );
    }

    #[test]
    fn invalid_ids_say_what_is_wrong() {
        let today = date(2026, 5, 1);
        let check = |s: &str| validate_id_number_on(s, today);
        assert_eq!(
            check("11010519491231002"),
            Err(ValueError::IdLength { got: 17 })
        );
        assert_eq!(
            ValueError::IdLength { got: 17 }.to_string(),
            "ID number must be 18 characters, got 17"
        );
        assert_eq!(check("1101051949123100AX"), Err(ValueError::IdCharacters));
        assert_eq!(check("11010519491231002Y"), Err(ValueError::IdCharacters));
        assert_eq!(check("1101051949123100二X"), Err(ValueError::IdCharacters));
        assert_eq!(check("X10105194912310021"), Err(ValueError::IdCharacters));
        assert_eq!(
            check(&with_check("01010519900101123")),
            Err(ValueError::IdArea)
        );
        assert_eq!(
            check("110105194912310021"),
            Err(ValueError::IdChecksum { expected: 'X' })
        );
        assert_eq!(
            ValueError::IdChecksum { expected: '7' }.to_string(),
            "ID number checksum does not match: last character should be 7"
        );
        let feb30 = with_check("11010520010230123");
        assert_eq!(
            check(&feb30),
            Err(ValueError::IdBirthDate {
                digits: "20010230".into()
            })
        );
        assert_eq!(
            check(&with_check("11010519991345123"))
                .unwrap_err()
                .to_string(),
            "ID number birth date 19991345 is not a real date"
        );
        assert_eq!(
            check(&with_check("11010520260502123")),
            Err(ValueError::IdBirthFuture(date(2026, 5, 2)))
        );
        assert_eq!(
            check(&with_check("11010518991231123")),
            Err(ValueError::IdBirthYear(1899))
        );
    }

    #[test]
    fn future_birth_date_is_refused_against_the_real_clock() {
        let next_year = chrono::Local::now().date_naive().year() + 1;
        let id = with_check(&format!("110105{next_year}0101123"));
        assert!(matches!(
            validate_id_number(&id),
            Err(ValueError::IdBirthFuture(_))
        ));
    }

    #[test]
    fn birth_date_and_gender_come_from_the_id() {
        assert_eq!(
            id_number_birth_date("11010519491231002X"),
            Some(date(1949, 12, 31))
        );
        assert_eq!(id_number_birth_date("1101051949123100"), None);
        assert_eq!(id_number_birth_date("张三"), None);
        // 17th digit 2: even, a woman; 3: odd, a man.
        assert_eq!(id_number_is_male("11010519491231002X"), Some(false));
        assert_eq!(
            id_number_is_male(&with_check("11010519900101123")),
            Some(true)
        );
        assert_eq!(id_number_is_male("abc"), None);
    }

    #[test]
    fn mobiles_in_common_forms() {
        for s in [
            "13800138000",
            "138-0013-8000",
            "138 0013 8000",
            "+86 138 0013 8000",
            "+8613800138000",
            "8613800138000",
            "008613800138000",
            "１３８００１３８０００",
            " 13800138000 ",
        ] {
            assert_eq!(validate_mobile(s), Ok("13800138000".to_string()), "{s}");
        }
        assert_eq!(
            validate_mobile("19912345678"),
            Ok("19912345678".to_string())
        );
    }

    #[test]
    fn bad_mobiles_are_refused() {
        for s in [
            "138001380001",
            "1380013800",
            "12800138000",
            "23800138000",
            "1380013800a",
            "+87 138 0013 8000",
            "",
        ] {
            assert_eq!(validate_mobile(s), Err(ValueError::Mobile), "{s}");
        }
        assert_eq!(
            ValueError::Mobile.to_string(),
            "mobile number must be 11 digits starting with 1"
        );
    }

    #[test]
    fn landlines_in_common_forms() {
        for (input, canonical) in [
            ("010-12345678", "010-12345678"),
            ("0755 1234567", "0755-1234567"),
            ("(021)87654321", "021-87654321"),
            ("(021) 8765 4321", "021-87654321"),
            ("（０２１）８７６５４３２１", "021-87654321"),
            ("01012345678", "010-12345678"),
            ("07551234567", "0755-1234567"),
            ("010-12345678-123", "010-12345678-123"),
            ("010-12345678转123", "010-12345678-123"),
            ("010 12345678 转 8", "010-12345678-8"),
        ] {
            assert_eq!(
                validate_landline(input),
                Ok(canonical.to_string()),
                "{input}"
            );
        }
    }

    #[test]
    fn bad_landlines_are_refused() {
        for s in [
            "010-0123456",
            "0755-0123456",
            "010-123456",
            "010-123456789",
            "10-12345678",
            "011-12345678",
            "07-12345678",
            "075512-1234567",
            "(010-12345678",
            "010-12345678-",
            "010-12345678-1234567",
            "13800138000",
        ] {
            assert_eq!(validate_landline(s), Err(ValueError::Landline), "{s}");
        }
    }

    #[test]
    fn phone_takes_either_form_and_names_both_when_neither_fits() {
        assert_eq!(validate_phone("138-0013-8000"), Ok("13800138000".into()));
        assert_eq!(validate_phone("(010)12345678"), Ok("010-12345678".into()));
        let err = validate_phone("12345").unwrap_err();
        assert_eq!(err, ValueError::Phone);
        let msg = err.to_string();
        assert!(msg.contains("mobile") && msg.contains("landline"), "{msg}");
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let d = date(2001, 3, 5);
        for s in [
            "2001-03-05",
            "2001-3-5",
            "2001/3/5",
            "2001/03/05",
            "2001.3.5",
            "2001年3月5日",
            "2001年03月05号",
            "2001年3月5",
            "20010305",
            "２００１－０３－０５",
            "２００１年３月５日",
            "  2001-03-05 ",
            "2001 年 3 月 5 日",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        assert_eq!(parse_date("2000-02-29"), Ok(date(2000, 2, 29)));
    }

    #[test]
    fn malformed_and_impossible_dates_are_refused_naming_the_input() {
        for s in [
            "2001年3月",
            "2001-03",
            "01-03-05",
            "2001-3/5",
            "2001-03-05-01",
            "2001-003-05",
            "200135",
            "march 5",
            "",
        ] {
            assert_eq!(
                parse_date(s),
                Err(ValueError::Date { input: s.into() }),
                "{s}"
            );
        }
        assert_eq!(
            parse_date("2001-13-05").unwrap_err().to_string(),
            "not a date: '2001-13-05' (use e.g. 2001-03-05)"
        );
        assert!(matches!(
            parse_date("2001-03-00"),
            Err(ValueError::Date { .. })
        ));
        let feb30 = parse_date(" 2001-02-30 ").unwrap_err();
        assert_eq!(
            feb30,
            ValueError::NoSuchDay {
                input: "2001-02-30".into(),
                year: 2001,
                month: 2,
                days: 28
            }
        );
        assert!(feb30.to_string().contains("'2001-02-30'"));
        assert!(matches!(
            parse_date("2001-04-31"),
            Err(ValueError::NoSuchDay { days: 30, .. })
        ));
        assert!(matches!(
            parse_date("1900-02-29"),
            Err(ValueError::NoSuchDay { days: 28, .. })
        ));
    }

    #[test]
    fn months_in_every_accepted_form() {
        for s in [
            "2026-11",
            "2026/11",
            "2026.11",
            "202611",
            "2026年11月",
            "２０２６年１１月",
        ] {
            assert_eq!(parse_month(s), Ok((2026, 11)), "{s}");
        }
        assert_eq!(parse_month("2026-1"), Ok((2026, 1)));
        for s in [
            "2026-13",
            "2026-00",
            "20261",
            "2026",
            "26-11",
            "2026-11-01",
            "x",
        ] {
            assert_eq!(
                parse_month(s),
                Err(ValueError::Month { input: s.into() }),
                "{s}"
            );
        }
    }

    #[test]
    fn id_mask_keeps_first_and_last_four() {
        assert_eq!(mask_id_number("110105199001011234"), "1101**********1234");
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
        assert_eq!(mask_id_number("110105900101123"), "1101*******1123");
    }

    #[test]
    fn id_mask_of_short_or_odd_input_never_panics() {
        assert_eq!(mask_id_number("12345678"), "****5678");
        assert_eq!(mask_id_number("12345"), "*2345");
        assert_eq!(mask_id_number("1234"), "****");
        assert_eq!(mask_id_number(""), "");
        assert_eq!(mask_id_number("张三李四王五"), "**李四王五");
        assert_eq!(
            mask_id_number("身份证号码一二三四五六七八"),
            "身份证号*****五六七八"
        );
    }

    #[test]
    fn phone_mask_by_kind() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("+86 138-0013-8000"), "138****8000");
        assert_eq!(mask_phone("010-12345678"), "010-****5678");
        assert_eq!(mask_phone("0755-1234567"), "0755-***4567");
        assert_eq!(mask_phone("010-12345678-123"), "010-****5678-123");
        assert_eq!(mask_phone("12345"), "*2345");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(mask_phone("请联系王五12"), "***王五12");
        assert_eq!(mask_phone(""), "");
    }
}
