//! Search keys for people's names, so that 张三 is found by typing `zs` or
//! `zhangsan`, and ranking of a name against what was typed.
//!
//! Keys are plain lowercase ASCII pinyin without tones (ü written `v`). Every
//! reading of a polyphonic character is kept, and surnames get their surname
//! readings, because people type a name the way they say it. A character's
//! *common* readings are its everyday one (the dictionary's first) and, for the
//! first character, its surname readings; the others are *rare* (俊 read shùn):
//! a match through a rare reading ranks below every match through common ones,
//! so `zs` finds 张淑云 before 周俊杰. Pure functions only: no I/O, no store, no
//! terminal.

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
    /// First letters of each syllable's common readings, e.g. `zs`;
    /// deduplicated and sorted.
    pub initials: Vec<String>,
    /// Common readings of whole syllables run together, e.g. `zhangsan`;
    /// deduplicated and sorted.
    pub full: Vec<String>,
    /// Initials only a rare reading gives (none of `initials`).
    pub rare_initials: Vec<String>,
    /// Full keys only a rare reading gives (none of `full`).
    pub rare_full: Vec<String>,
}

/// One syllable of a name: its readings, most common first, of which the
/// first `common` are common (the everyday reading, a surname's readings).
#[derive(Debug, Clone)]
struct Syllable {
    readings: Vec<String>,
    common: usize,
}

impl Syllable {
    fn common(&self) -> Vec<String> {
        self.readings[..self.common].to_vec()
    }
}

/// The name spelt with each syllable's most common reading (a surname's
/// surname reading): the order a Chinese roster is sorted in.
pub fn sort_key(name: &str) -> String {
    syllables(name)
        .iter()
        .filter_map(|syllable| syllable.readings.first())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name's syllables, each as its readings, most common first. A run of Latin
/// letters and digits counts as one syllable whose only reading is itself, so
/// that "John Smith" has the initials `js`.
fn syllables(name: &str) -> Vec<Syllable> {
    let chars: Vec<char> = name.chars().map(half_width).collect();
    let surname = surname_readings(&chars);
    let mut out: Vec<Syllable> = Vec::new();
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
        let mut common = 0;
        let extra = surname.get(i).copied().unwrap_or(&[]);
        let mut generic = multi.into_iter().map(|p| ascii_reading(p.plain()));
        // The surname readings and the everyday one are common; the rest rare.
        let everyday = generic.next();
        let common_ones = extra.iter().map(|r| r.to_string()).chain(everyday);
        for (is_common, r) in common_ones
            .map(|r| (true, r))
            .chain(generic.map(|r| (false, r)))
        {
            if !r.is_empty() && !readings.contains(&r) {
                readings.push(r);
                common += usize::from(is_common);
            }
        }
        if !readings.is_empty() {
            // A character whose everyday reading is empty still has one to type.
            let common = common.max(1);
            out.push(Syllable { readings, common });
        }
    }
    flush_latin(&mut latin, &mut out);
    out
}

fn flush_latin(latin: &mut String, out: &mut Vec<Syllable>) {
    if !latin.is_empty() {
        out.push(Syllable {
            readings: vec![std::mem::take(latin)],
            common: 1,
        });
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

/// The initials and full-pinyin keys of a name, common and rare apart.
pub fn name_keys(name: &str) -> NameKeys {
    let syllables = syllables(name);
    let all: Vec<Vec<String>> = syllables.iter().map(|s| s.readings.clone()).collect();
    let common: Vec<Vec<String>> = syllables.iter().map(Syllable::common).collect();
    let letters =
        |of: &[Vec<String>]| -> Vec<Vec<String>> { of.iter().map(|r| first_letters(r)).collect() };
    let initials = combine(&letters(&common));
    let full = combine(&common);
    let rare = |every: Vec<String>, common: &[String]| -> Vec<String> {
        every.into_iter().filter(|k| !common.contains(k)).collect()
    };
    NameKeys {
        rare_initials: rare(combine(&letters(&all)), &initials),
        rare_full: rare(combine(&all), &full),
        initials,
        full,
    }
}

/// Every key of a name, common and rare, deduplicated and sorted: what the
/// store indexes for a name.
pub fn search_keys(name: &str) -> Vec<String> {
    let NameKeys {
        mut initials,
        full,
        rare_initials,
        rare_full,
    } = name_keys(name);
    initials.extend(full);
    initials.extend(rare_initials);
    initials.extend(rare_full);
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

/// Scores below this are matches through a rare reading only: every one
/// ranks below every match through the name or its common readings.
pub const RARE_BELOW: u32 = 100;

/// `match_score` for a name and query already passed through `normalize_query`:
/// the per-keystroke path over a whole roster normalises each only once.
pub fn score_normalized(name: &str, keys: &NameKeys, q: &str) -> Option<u32> {
    score_keys(
        name,
        [&keys.full, &keys.initials],
        [&keys.rare_full, &keys.rare_initials],
        q,
    )
}

/// A list of keys: as `NameKeys` holds them, or packed in one string.
pub trait KeyList {
    fn any_key(&self, f: &dyn Fn(&str) -> bool) -> bool;
}

impl KeyList for Vec<String> {
    fn any_key(&self, f: &dyn Fn(&str) -> bool) -> bool {
        self.iter().any(|k| f(k))
    }
}

/// Keys packed in one string, each ended by `KEY_SEP` (what a finder entry
/// holds: one allocation instead of one a key).
pub struct Packed<'a>(pub &'a str);

/// What ends each key in a `Packed` list: no key holds it (they are letters
/// and digits).
pub const KEY_SEP: char = '\u{1f}';

impl KeyList for Packed<'_> {
    fn any_key(&self, f: &dyn Fn(&str) -> bool) -> bool {
        self.0.split_terminator(KEY_SEP).any(f)
    }
}

/// As `score_normalized`, over the common `[full, initials]` and the rare.
pub fn score_keys(
    name: &str,
    common: [&dyn KeyList; 2],
    rare: [&dyn KeyList; 2],
    q: &str,
) -> Option<u32> {
    if q.is_empty() {
        return None;
    }
    let found = pinyin_score(name, common[0], common[1], q);
    // Only when no common reading matches: a tenth of the same tier.
    found.or_else(|| pinyin_score("", rare[0], rare[1], q).map(|s| s / 10))
}

/// The tiers of a match on the name itself (when given) and on one set of
/// full and initial keys.
fn pinyin_score(name: &str, full: &dyn KeyList, initials: &dyn KeyList, q: &str) -> Option<u32> {
    let exact = |k: &str| k == q;
    let prefix = |k: &str| k.starts_with(q);
    let inside = |k: &str| k.contains(q);
    let named = !name.is_empty();
    // Checked best first and lazily: this runs for every member on each keystroke.
    let ranked: [(u32, &dyn Fn() -> bool); 9] = [
        (1000, &|| named && name == q),
        (900, &|| named && name.starts_with(q)),
        (850, &|| full.any_key(&exact)),
        (800, &|| initials.any_key(&exact)),
        (700, &|| full.any_key(&prefix)),
        (600, &|| initials.any_key(&prefix)),
        (500, &|| named && name.contains(q)),
        (300, &|| full.any_key(&inside)),
        (200, &|| initials.any_key(&inside)),
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
            // The surname reading is common: it ranks with everyday readings.
            assert!(has(&k.full, wanted[0]), "{name} lacks {}: {k:?}", wanted[0]);
            for w in wanted {
                let found = has(&k.full, w) || has(&k.rare_full, w);
                assert!(found, "{name} lacks {w}: {k:?}");
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
        let every = k.full.len() + k.rare_full.len();
        assert!(every <= MAX_COMBINATIONS, "{every}");
        assert!(every > 27, "cap cut more than needed: {every}");
        assert!(has(&k.full, "shanxingpucha"), "{k:?}");
        assert!(k.initials.len() + k.rare_initials.len() <= MAX_COMBINATIONS);
    }

    #[test]
    fn rare_readings_are_kept_apart_from_common_ones() {
        // 俊 is jùn every day; shùn is a rare reading.
        let k = name_keys("周俊杰");
        assert_eq!(k.initials, vec!["zjj"]);
        assert_eq!(k.full, vec!["zhoujunjie"]);
        assert!(has(&k.rare_initials, "zsj"), "{k:?}");
        assert!(has(&k.rare_full, "zhoushunjie"), "{k:?}");
        assert!(k.rare_initials.iter().all(|r| !has(&k.initials, r)));
        // A surname's readings and the everyday one are both common.
        let k = name_keys("单伟");
        assert!(has(&k.initials, "sw") && has(&k.initials, "dw"), "{k:?}");
    }

    #[test]
    fn a_rare_reading_ranks_below_every_common_match() {
        let zhou = name_keys("周俊杰");
        let zhang = name_keys("张淑云");
        let rare = match_score("周俊杰", &zhou, "zs").unwrap();
        let common = match_score("张淑云", &zhang, "zs").unwrap();
        assert!(rare < RARE_BELOW, "{rare}");
        assert_eq!(common, 600);
        // Even an exact rare match is below a common match anywhere inside.
        let exact_rare = match_score("周俊杰", &zhou, "zhoushunjie").unwrap();
        assert!(exact_rare < 200, "{exact_rare}");
        // And found at all only through the rare reading: it still is.
        assert!(match_score("周俊杰", &zhou, "zsj").is_some());
        assert_eq!(match_score("周俊杰", &zhou, "zjj"), Some(800));
    }

    #[test]
    fn search_keys_is_the_sorted_union() {
        let keys = search_keys("单伟");
        let k = name_keys("单伟");
        let every = [&k.initials, &k.full, &k.rare_initials, &k.rare_full];
        for x in every.iter().flat_map(|l| l.iter()) {
            assert!(has(&keys, x), "{x}");
        }
        assert_eq!(keys.len(), every.iter().map(|l| l.len()).sum::<usize>());
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
