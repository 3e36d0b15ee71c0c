//! Masking ID numbers and phones for display: all but the last four
//! characters starred, whatever the input.

use super::*;

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
