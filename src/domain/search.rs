//! Search keys for people's names, so that 张三 is found by typing `zs` or
//! `zhangsan`, and ranking of a name against what was typed.
//!
//! Keys are plain lowercase ASCII pinyin without tones (ü written `v`). Every
//! reading of a polyphonic character is kept, and surnames get their surname
//! readings, because people type a name the way they say it. Pure functions
//! only: no I/O, no store, no terminal.

use pinyin::ToPinyinMulti;

/// More readings than this per name only bloat the index: a name of four
/// polyphonic characters would otherwise give 81 or more.
const MAX_COMBINATIONS: usize = 64;

/// Surname readings of single characters, listed first for the first character
/// of a name. The general dictionary orders readings by everyday use (单 dān),
/// which is the wrong one for a surname (单 Shàn), and may lack it altogether.
const SURNAMES: &[(char, &[&str])] = &[
    ('单', &["shan"]),
    ('曾', &["zeng"]),
    ('解', &["xie"]),
    ('仇', &["qiu"]),
    ('区', &["ou"]),
    ('朴', &["piao"]),
    ('查', &["zha"]),
    ('盖', &["ge", "gai"]),
    ('覃', &["qin", "tan"]),
    ('尉', &["yu", "wei"]),
    ('缪', &["miao"]),
    ('翟', &["zhai"]),
    ('乐', &["yue", "le"]),
    ('长', &["chang"]),
    ('重', &["chong"]),
    ('行', &["xing", "hang"]),
    ('种', &["chong"]),
    ('员', &["yun"]),
    ('召', &["shao"]),
    ('秘', &["bi"]),
    ('句', &["gou"]),
    ('繁', &["po"]),
    ('折', &["she"]),
    ('祭', &["zhai"]),
    ('宓', &["mi", "fu"]),
    ('谌', &["chen", "shen"]),
    ('隗', &["wei"]),
    ('蕃', &["pi"]),
];

/// Two-character surnames, one reading per character, for the same reason.
const COMPOUND_SURNAMES: &[(&str, [&str; 2])] = &[
    ("欧阳", ["ou", "yang"]),
    ("司马", ["si", "ma"]),
    ("诸葛", ["zhu", "ge"]),
    ("尉迟", ["yu", "chi"]),
    ("长孙", ["zhang", "sun"]),
    ("万俟", ["mo", "qi"]),
    ("单于", ["chan", "yu"]),
    ("上官", ["shang", "guan"]),
    ("皇甫", ["huang", "fu"]),
    ("令狐", ["ling", "hu"]),
    ("澹台", ["tan", "tai"]),
    ("宇文", ["yu", "wen"]),
    ("慕容", ["mu", "rong"]),
    ("东方", ["dong", "fang"]),
    ("公孙", ["gong", "sun"]),
    ("夏侯", ["xia", "hou"]),
    ("司徒", ["si", "tu"]),
    ("端木", ["duan", "mu"]),
    ("呼延", ["hu", "yan"]),
    ("乐正", ["yue", "zheng"]),
];

/// The pinyin keys of one name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameKeys {
    /// First letters of each syllable, e.g. `zs`; deduplicated and sorted.
    pub initials: Vec<String>,
    /// Whole syllables run together, e.g. `zhangsan`; deduplicated and sorted.
    pub full: Vec<String>,
}

/// The name spelt with each syllable's most common reading (a surname's
/// surname reading): the order a Chinese roster is sorted in.
pub fn sort_key(name: &str) -> String {
    syllables(name)
        .iter()
        .filter_map(|readings| readings.first())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name's syllables, each as its readings, most common first. A run of Latin
/// letters and digits counts as one syllable whose only reading is itself, so
/// that "John Smith" has the initials `js`.
fn syllables(name: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = name.chars().map(half_width).collect();
    let surname = surname_readings(&chars);
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut latin = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
            continue;
        }
        flush_latin(&mut latin, &mut out);
        let Some(multi) = c.to_pinyin_multi() else {
            // Middle dots, spaces, punctuation and characters with no known
            // reading have nothing to type, so they leave no trace in the keys.
            continue;
        };
        let mut readings: Vec<String> = Vec::new();
        let extra = surname.get(i).copied().unwrap_or(&[]);
        let generic = multi.into_iter().map(|p| ascii_reading(p.plain()));
        for r in extra.iter().map(|r| r.to_string()).chain(generic) {
            if !r.is_empty() && !readings.contains(&r) {
                readings.push(r);
            }
        }
        if !readings.is_empty() {
            out.push(readings);
        }
    }
    flush_latin(&mut latin, &mut out);
    out
}

fn flush_latin(latin: &mut String, out: &mut Vec<Vec<String>>) {
    if !latin.is_empty() {
        out.push(vec![std::mem::take(latin)]);
    }
}

fn first_letters(readings: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in readings {
        let first: String = r.chars().take(1).collect();
        if !first.is_empty() && !out.contains(&first) {
            out.push(first);
        }
    }
    out
}

/// Extra readings for the leading characters when the name starts with a
/// known surname, indexed like the name's characters.
fn surname_readings(chars: &[char]) -> Vec<&'static [&'static str]> {
    for (surname, readings) in COMPOUND_SURNAMES {
        if surname.chars().eq(chars.iter().take(2).copied()) {
            return readings.iter().map(std::slice::from_ref).collect();
        }
    }
    match chars.first() {
        Some(first) => SURNAMES
            .iter()
            .find(|(c, _)| c == first)
            .map(|(_, r)| vec![*r])
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// The dictionary's plain style keeps ü and ê; keys are typed on a plain
/// keyboard, where ü is conventionally `v`.
fn ascii_reading(plain: &str) -> String {
    plain
        .chars()
        .filter_map(|c| match c {
            'ü' => Some('v'),
            'ê' => Some('e'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Every way of picking one option per position, concatenated. Once the cap
/// would be passed, later positions contribute fewer options, always starting
/// with their first (most common), so the all-most-common key is never lost.
fn combine(options: &[Vec<String>]) -> Vec<String> {
    let mut acc = vec![String::new()];
    for opts in options {
        let room = (MAX_COMBINATIONS / acc.len()).max(1);
        let take = opts.len().min(room);
        acc = acc
            .iter()
            .flat_map(|prefix| opts[..take].iter().map(move |o| format!("{prefix}{o}")))
            .collect();
    }
    acc.sort();
    acc.dedup();
    acc.retain(|k| !k.is_empty());
    acc
}

/// The initials and full-pinyin keys of a name.
pub fn name_keys(name: &str) -> NameKeys {
    let full = syllables(name);
    let initials: Vec<Vec<String>> = full.iter().map(|r| first_letters(r)).collect();
    NameKeys {
        initials: combine(&initials),
        full: combine(&full),
    }
}

/// Initials and full keys together, deduplicated and sorted: what the store
/// indexes for a name.
pub fn search_keys(name: &str) -> Vec<String> {
    let NameKeys { mut initials, full } = name_keys(name);
    initials.extend(full);
    initials.sort();
    initials.dedup();
    initials
}

/// A query as keys are compared: lowercase, half-width, with the spaces and
/// apostrophes people put between syllables removed (`xi'an` → `xian`).
pub fn normalize_query(q: &str) -> String {
    q.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '‘' | '’'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How well `query` finds `name`, higher being better, or `None` when it does
/// not. A match on the name itself beats one on its pinyin, and an exact match
/// beats a prefix, which beats a match anywhere inside.
pub fn match_score(name: &str, keys: &NameKeys, query: &str) -> Option<u32> {
    let q = normalize_query(query);
    if q.is_empty() {
        return None;
    }
    score_normalized(&normalize_query(name), keys, &q)
}

/// `match_score` for a name and query already passed through `normalize_query`:
/// the per-keystroke path over a whole roster normalises each only once.
pub fn score_normalized(name: &str, keys: &NameKeys, q: &str) -> Option<u32> {
    if q.is_empty() {
        return None;
    }
    let any = |ks: &[String], f: &dyn Fn(&str) -> bool| ks.iter().any(|k| f(k));
    let exact = |k: &str| k == q;
    let prefix = |k: &str| k.starts_with(q);
    let inside = |k: &str| k.contains(q);
    // Checked best first and lazily: this runs for every member on each keystroke.
    let ranked: [(u32, &dyn Fn() -> bool); 9] = [
        (1000, &|| name == q),
        (900, &|| name.starts_with(q)),
        (850, &|| any(&keys.full, &exact)),
        (800, &|| any(&keys.initials, &exact)),
        (700, &|| any(&keys.full, &prefix)),
        (600, &|| any(&keys.initials, &prefix)),
        (500, &|| name.contains(q)),
        (300, &|| any(&keys.full, &inside)),
        (200, &|| any(&keys.initials, &inside)),
    ];
    ranked
        .into_iter()
        .find(|(_, hit)| hit())
        .map(|(score, _)| score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(keys: &[String], k: &str) -> bool {
        keys.iter().any(|x| x == k)
    }

    #[test]
    fn zhang_san_has_initials_and_full_keys() {
        let k = name_keys("张三");
        assert_eq!(k.initials, vec!["zs"]);
        assert_eq!(k.full, vec!["zhangsan"]);
    }

    #[test]
    fn surname_shan_and_everyday_dan_both_present() {
        let k = name_keys("单伟");
        assert!(has(&k.full, "shanwei"), "{k:?}");
        assert!(has(&k.full, "danwei"), "{k:?}");
        assert!(has(&k.initials, "sw") && has(&k.initials, "dw"), "{k:?}");
    }

    #[test]
    fn polyphonic_surnames_get_every_reading() {
        for (name, wanted) in [
            ("曾明", &["zengming", "cengming"][..]),
            ("解放", &["xiefang", "jiefang"]),
            ("仇敏", &["qiumin", "choumin"]),
            ("区华", &["ouhua", "quhua"]),
            ("朴正", &["piaozheng", "puzheng"]),
            ("查理", &["zhali", "chali"]),
            ("盖伦", &["gelun", "gailun"]),
            ("覃静", &["qinjing", "tanjing"]),
            ("尉平", &["yuping", "weiping"]),
            ("缪斯", &["miaosi", "mousi"]),
            ("翟亮", &["zhailiang", "diliang"]),
            ("乐平", &["yueping", "leping"]),
            ("长青", &["changqing", "zhangqing"]),
            ("重阳", &["chongyang", "zhongyang"]),
            ("行云", &["xingyun", "hangyun"]),
            // The dictionary has only chén for 谌; shèn comes from the table.
            ("谌容", &["chenrong", "shenrong"]),
        ] {
            let k = name_keys(name);
            for w in wanted {
                assert!(has(&k.full, w), "{name} lacks {w}: {k:?}");
            }
        }
    }

    #[test]
    fn compound_surname_ouyang() {
        let k = name_keys("欧阳娜娜");
        assert!(has(&k.initials, "oynn"), "{k:?}");
        assert!(has(&k.full, "ouyangnana"), "{k:?}");
        let k = name_keys("尉迟恭");
        assert!(has(&k.full, "yuchigong"), "{k:?}");
        let k = name_keys("万俟卨");
        assert!(has(&k.full, "moqixie"), "{k:?}");
    }

    #[test]
    fn latin_letters_and_digits_pass_through_lowercased() {
        let k = name_keys("王A");
        assert!(has(&k.full, "wanga"), "{k:?}");
        assert!(has(&k.initials, "wa"), "{k:?}");
        let k = name_keys("ＬＩ Ming 2");
        assert_eq!(k.full, vec!["liming2"]);
        assert_eq!(k.initials, vec!["lm2"]);
    }

    #[test]
    fn middle_dot_of_minority_names_is_dropped() {
        let k = name_keys("阿依古丽·买买提");
        assert!(has(&k.full, "ayigulimaimaiti"), "{k:?}");
        assert!(has(&k.initials, "ayglmmt"), "{k:?}");
        assert!(search_keys("阿依古丽·买买提").iter().all(|s| s.is_ascii()));
    }

    #[test]
    fn v_stands_for_u_umlaut() {
        let k = name_keys("吕女");
        assert!(has(&k.full, "lvnv"), "{k:?}");
        assert!(k.full.iter().all(|s| s.is_ascii()));
    }

    #[test]
    fn keys_are_sorted_deduplicated_ascii() {
        for name in ["单行朴查", "张三", "欧阳娜娜", "Ünal王"] {
            let k = name_keys(name);
            for list in [&k.initials, &k.full] {
                let mut sorted = list.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(list, &sorted, "{name}");
                assert!(list.iter().all(|s| {
                    s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                }));
            }
        }
    }

    #[test]
    fn combinations_are_capped_and_keep_the_commonest() {
        // 3 × 3 × 3 × 3 readings = 81 uncapped.
        let k = name_keys("单行朴查");
        assert!(k.full.len() <= MAX_COMBINATIONS, "{}", k.full.len());
        assert!(
            k.full.len() > 27,
            "cap cut more than needed: {}",
            k.full.len()
        );
        assert!(has(&k.full, "shanxingpucha"), "{k:?}");
        assert!(k.initials.len() <= MAX_COMBINATIONS);
    }

    #[test]
    fn search_keys_is_the_sorted_union() {
        let keys = search_keys("单伟");
        let k = name_keys("单伟");
        for x in k.initials.iter().chain(&k.full) {
            assert!(has(&keys, x), "{x}");
        }
        assert_eq!(keys.len(), k.initials.len() + k.full.len());
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert!(search_keys("").is_empty());
        assert!(search_keys("·").is_empty());
    }

    #[test]
    fn normalize_query_forms() {
        assert_eq!(normalize_query("Zhang San"), "zhangsan");
        assert_eq!(normalize_query("ｚｓ"), "zs");
        assert_eq!(normalize_query("xi'an"), "xian");
        assert_eq!(normalize_query(" Xi’an\u{3000}"), "xian");
        assert_eq!(normalize_query("张 三"), "张三");
    }

    #[test]
    fn exact_name_beats_everything() {
        let k = name_keys("张三");
        assert_eq!(match_score("张三", &k, "张三"), Some(1000));
        assert_eq!(match_score("张三", &k, "张"), Some(900));
        assert_eq!(match_score("张三", &k, "zhangsan"), Some(850));
        assert_eq!(match_score("张三", &k, "zs"), Some(800));
        assert_eq!(match_score("张三", &k, "zhangs"), Some(700));
        assert_eq!(match_score("张三", &k, "z"), Some(700));
        assert_eq!(match_score("张三", &k, "三"), Some(500));
        assert_eq!(match_score("张三", &k, "san"), Some(300));
    }

    #[test]
    fn initials_exact_beats_full_pinyin_contains() {
        let li = name_keys("李明");
        let wang = name_keys("王立明");
        let exact = match_score("李明", &li, "lm");
        let inside = match_score("王立明", &wang, "liming");
        assert_eq!(exact, Some(800));
        assert_eq!(inside, Some(300));
        assert!(exact > inside);
        // Initials prefix and contains.
        assert_eq!(match_score("王立明", &wang, "wl"), Some(600));
        assert_eq!(match_score("王立明", &wang, "lm"), Some(200));
    }

    #[test]
    fn no_match_and_empty_query_are_none() {
        let k = name_keys("张三");
        assert_eq!(match_score("张三", &k, "lisi"), None);
        assert_eq!(match_score("张三", &k, "李"), None);
        assert_eq!(match_score("张三", &k, "  "), None);
    }

    #[test]
    fn score_uses_the_normalised_query() {
        let k = name_keys("张三");
        assert_eq!(match_score("张三", &k, "Zhang San"), Some(850));
        assert_eq!(match_score("张三", &k, "ＺＳ"), Some(800));
        let k = name_keys("王A");
        assert_eq!(match_score("王A", &k, "王a"), Some(1000));
    }
}
