//! Mobile and landline numbers as people type them, checked and returned
//! in one canonical form.

use super::*;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
