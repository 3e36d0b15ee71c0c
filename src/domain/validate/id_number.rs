//! Resident ID numbers (身份证号): the check character, the birth date and
//! sex they carry, and the checks a typed one must pass.

use super::*;

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
}
