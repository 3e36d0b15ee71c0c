//! Text measured by display width: CJK characters take two columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cols.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_two_columns() {
        assert_eq!(width("张三"), 4);
        assert_eq!(truncate("欧阳娜娜", 5), "欧阳…");
        assert_eq!(truncate("欧阳娜娜", 8), "欧阳娜娜");
        assert_eq!(fit("张三", 6), "张三  ");
        assert_eq!(fit("abcdef", 3), "ab…");
        assert_eq!(truncate("张三", 0), "");
        // A wide character that would straddle the edge is left out, not split.
        assert_eq!(width(&fit("张三李四", 6)), 6);
    }
}
