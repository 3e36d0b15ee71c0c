//! Finding members as a grid worker types: name, pinyin initials or full pinyin
//! (every reading of polyphonic surnames), the last digits of a phone, or a
//! building-room (`3-2-501`, `3栋501`, `3号楼2单元501`). The keys are computed
//! once per member; each keystroke then costs one pass of string comparisons.

use super::search::{NameKeys, name_keys, normalize_query, score_normalized, sort_key};
use super::{Address, Member};

/// What one member can be found by.
#[derive(Debug, Clone)]
pub struct FinderEntry {
    name: String,
    keys: NameKeys,
    sort: String,
    phone: String,
    building: String,
    unit: String,
    room: String,
}

impl FinderEntry {
    pub fn new(member: &Member) -> FinderEntry {
        let Address {
            building,
            unit,
            room,
        } = &member.data.address;
        FinderEntry {
            name: normalize_query(&member.data.name),
            keys: name_keys(&member.data.name),
            sort: sort_key(&member.data.name),
            phone: member
                .data
                .phone
                .chars()
                .filter(char::is_ascii_digit)
                .collect(),
            building: normalize_query(building),
            unit: normalize_query(unit),
            room: normalize_query(room),
        }
    }
}

impl FinderEntry {
    /// Sorts a roster the way a Chinese reader expects: by sound, surname first.
    pub fn sort_key(&self) -> &str {
        &self.sort
    }
}

/// A query prepared once per keystroke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    /// Numbers in an address-like query: `3-2-501` → [3, 2, 501].
    address: Option<Vec<String>>,
    /// A run of 3 or more digits: a phone tail.
    digits: Option<String>,
}

impl Query {
    pub fn new(raw: &str) -> Query {
        let text = normalize_query(raw);
        let digits =
            (text.len() >= 3 && text.chars().all(|c| c.is_ascii_digit())).then(|| text.clone());
        let has_marker = ["-", "栋", "号楼", "幢", "单元", "室", "号"]
            .iter()
            .any(|m| text.contains(m));
        let address = has_marker.then(|| {
            text.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        });
        Query {
            text,
            address: address.filter(|parts| parts.len() >= 2),
            digits,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether every match of `self` must also match `next` narrows: the
    /// caller may filter the previous results instead of the whole roster.
    pub fn narrows_to(&self, next: &Query) -> bool {
        // A phone tail is matched at the end, so "715" → "7156" can find
        // members "715" did not: only name and pinyin queries narrow.
        !self.is_empty()
            && next.text.starts_with(&self.text)
            && next.address.is_none()
            && self.address.is_none()
            && next.digits.is_none()
    }
}

/// How well `q` finds the entry: higher is better, `None` for no match.
pub fn score(entry: &FinderEntry, q: &Query) -> Option<u32> {
    if q.is_empty() {
        return None;
    }
    if let Some(parts) = &q.address {
        let (first, last) = (parts.first()?, parts.last()?);
        let unit_ok = parts.len() < 3 || parts[1] == entry.unit;
        if *first == entry.building && *last == entry.room && unit_ok {
            return Some(950);
        }
        return None;
    }
    let by_name = score_normalized(&entry.name, &entry.keys, &q.text);
    let by_phone = q
        .digits
        .as_ref()
        .filter(|d| entry.phone.ends_with(d.as_str()))
        .map(|_| 400);
    by_name.max(by_phone)
}

/// The indices of matching entries among `candidates`, best first (ties keep
/// the candidates' order).
pub fn search(entries: &[FinderEntry], candidates: &[usize], q: &Query) -> Vec<usize> {
    ranked(entries, candidates, q)
        .into_iter()
        .map(|(_, i)| i)
        .collect()
}

/// The matching entries among `candidates` with their scores, best first
/// (ties keep the candidates' order): equal scores are an exact tie, which a
/// caller must not settle by guessing.
pub fn ranked(entries: &[FinderEntry], candidates: &[usize], q: &Query) -> Vec<(u32, usize)> {
    let mut hits: Vec<(u32, usize)> = candidates
        .iter()
        .filter_map(|&i| entries.get(i).and_then(|e| score(e, q)).map(|s| (s, i)))
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    fn member(name: &str, phone: &str, b: &str, u: &str, r: &str) -> Member {
        Member {
            id: MemberId(1),
            data: MemberData {
                name: name.into(),
                gender: None,
                birth_date: None,
                id_number: String::new(),
                phone: phone.into(),
                address: Address {
                    building: b.into(),
                    unit: u.into(),
                    room: r.into(),
                },
                unit: OrgUnitId(1),
                category: MemberCategory::Retired,
                home_unit: String::new(),
                reported: None,
                joined: None,
                full_member: None,
                skills: vec![],
                posts: vec![],
                status: MemberStatus::Active,
                notes: String::new(),
            },
        }
    }

    fn found(entries: &[FinderEntry], q: &str) -> Vec<usize> {
        let all: Vec<usize> = (0..entries.len()).collect();
        search(entries, &all, &Query::new(q))
    }

    #[test]
    fn finds_by_initials_full_pinyin_surname_reading_phone_and_address() {
        let entries = vec![
            FinderEntry::new(&member("张三", "13800138000", "3", "2", "501")),
            FinderEntry::new(&member("单伟", "13912345678", "12", "1", "1802")),
            FinderEntry::new(&member("曾丽", "13700001111", "3", "1", "501")),
        ];
        assert_eq!(found(&entries, "zs"), vec![0]);
        assert_eq!(found(&entries, "zhangsan"), vec![0]);
        assert_eq!(found(&entries, "shanwei"), vec![1]);
        assert_eq!(found(&entries, "zengli"), vec![2]);
        assert_eq!(found(&entries, "5678"), vec![1]);
        assert_eq!(found(&entries, "3-2-501"), vec![0]);
        assert_eq!(found(&entries, "3栋501"), vec![0, 2]);
        assert_eq!(found(&entries, "12号楼1单元1802"), vec![1]);
        assert!(found(&entries, "xyz").is_empty());
    }

    #[test]
    fn exact_name_ranks_above_a_pinyin_prefix() {
        let entries = vec![
            FinderEntry::new(&member("张三丰", "", "", "", "")),
            FinderEntry::new(&member("张三", "", "", "", "")),
        ];
        assert_eq!(found(&entries, "张三"), vec![1, 0]);
    }

    #[test]
    fn a_common_reading_is_listed_before_a_rare_one() {
        // 俊 is rarely read shùn: 周俊杰 matches `zs` only through it.
        let entries = vec![
            FinderEntry::new(&member("周俊杰", "", "", "", "")),
            FinderEntry::new(&member("张淑云", "", "", "", "")),
        ];
        assert_eq!(found(&entries, "zs"), vec![1, 0]);
        assert_eq!(found(&entries, "zsy"), vec![1]);
        assert_eq!(found(&entries, "zsj"), vec![0]);
    }

    #[test]
    fn a_longer_query_narrows_a_shorter_one() {
        assert!(Query::new("zh").narrows_to(&Query::new("zha")));
        assert!(!Query::new("zha").narrows_to(&Query::new("zh")));
        assert!(!Query::new("").narrows_to(&Query::new("z")));
        assert!(!Query::new("71").narrows_to(&Query::new("715")));
        assert!(!Query::new("715").narrows_to(&Query::new("7156")));
    }
}
