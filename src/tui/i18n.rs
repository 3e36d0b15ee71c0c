//! Interface strings in zh-CN and en, from `assets/i18n/*.json` (built into the
//! binary). A key missing from a file shows as the key itself, and a test keeps
//! the two files' keys identical, so that never reaches a user.

use std::collections::HashMap;
use std::sync::OnceLock;

pub use crate::domain::Lang;

/// The interface language: `--lang` wins; otherwise zh-CN when LC_ALL (or
/// LANG) starts with `zh` (`Lang::from_setting`).
pub fn choose(flag: Option<&str>) -> Lang {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    Lang::from_setting(flag, env("LC_ALL").or_else(|| env("LANG")).as_deref())
}

const ZH: &str = include_str!("../../assets/i18n/zh-CN.json");
const EN: &str = include_str!("../../assets/i18n/en.json");

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static ZH_TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN_TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::Zh => (&ZH_TABLE, ZH),
        Lang::En => (&EN_TABLE, EN),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

/// The string for `key` in `lang`.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    table(lang).get(key).map(String::as_str).unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_non_empty_keys() {
        let zh: HashMap<String, String> = serde_json::from_str(ZH).unwrap();
        let en: HashMap<String, String> = serde_json::from_str(EN).unwrap();
        let mut zk: Vec<_> = zh.keys().collect();
        let mut ek: Vec<_> = en.keys().collect();
        zk.sort();
        ek.sort();
        assert_eq!(zk, ek);
        assert!(zh.values().chain(en.values()).all(|v| !v.is_empty()));
    }
}
