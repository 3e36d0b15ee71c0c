//! Finding members as a grid worker types: name, pinyin initials or full pinyin
//! (every reading of polyphonic surnames), the last digits of a phone, or a
//! building-room (`3-2-501`, `3栋501`, `3号楼2单元501`). The keys are computed
//! once per member; each keystroke then costs one pass of string comparisons.

use super::search::{KEY_SEP, KeyList, Packed, name_keys, normalize_query, score_keys, sort_key};
use super::{Address, Member};
use serde::{Deserialize, Serialize};

/// What one member can be found by, packed in one string: a roster of
/// 100,000 holds one of these each, so each is one allocation. The parts, in
/// `Part` order, end at `ends`; key lists hold their keys each ended by
/// `KEY_SEP`. A part whose bounds do not fit the text (damaged bytes from a
/// server) reads as empty: nothing here can panic on what was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderEntry {
    text: Box<str>,
    ends: [u32; PARTS],
}

/// The parts of an entry. The name's come first: an entry of them alone is
/// what a name costs to work out (pinyin), shared by every member of that
/// name and completed by `with_contact`.
#[derive(Clone, Copy)]
enum Part {
    Name,
    Sort,
    Initials,
    Full,
    RareInitials,
    RareFull,
    Phone,
    Building,
    Unit,
    Room,
}

const PARTS: usize = 10;
/// The parts that come from the name.
const NAME_PARTS: usize = 6;

impl FinderEntry {
    pub fn new(member: &Member) -> FinderEntry {
        FinderEntry::of_name(&member.data.name)
            .with_contact(&member.data.phone, &member.data.address)
    }

    /// The name's parts only (its pinyin: the costly part), the rest empty.
    pub fn of_name(name: &str) -> FinderEntry {
        let keys = name_keys(name);
        let list = |ks: &[String]| -> String {
            let mut out = String::new();
            for k in ks {
                out.push_str(k);
                out.push(KEY_SEP);
            }
            out
        };
        let parts = [
            normalize_query(name),
            sort_key(name),
            list(&keys.initials),
            list(&keys.full),
            list(&keys.rare_initials),
            list(&keys.rare_full),
        ];
        FinderEntry::packed(&parts.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// This entry's name parts with a phone and an address.
    pub fn with_contact(&self, phone: &str, address: &Address) -> FinderEntry {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let (building, unit, room) = (
            normalize_query(&address.building),
            normalize_query(&address.unit),
            normalize_query(&address.room),
        );
        let mut parts: Vec<&str> = (0..NAME_PARTS).map(|i| self.part_at(i)).collect();
        parts.extend([digits.as_str(), &building, &unit, &room]);
        FinderEntry::packed(&parts)
    }

    /// The entry of `parts` (the first ones, in `Part` order); the rest empty.
    fn packed(parts: &[&str]) -> FinderEntry {
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0; PARTS];
        for (end, part) in ends.iter_mut().zip(parts) {
            text.push_str(part);
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        // Parts not given end where the last one did: empty.
        let last = ends[parts.len().clamp(1, PARTS) - 1];
        for end in ends.iter_mut().skip(parts.len()) {
            *end = last;
        }
        FinderEntry {
            text: text.into_boxed_str(),
            ends,
        }
    }

    fn part_at(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(i).copied().unwrap_or(0);
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    fn part(&self, p: Part) -> &str {
        self.part_at(p as usize)
    }

    /// Sorts a roster the way a Chinese reader expects: by sound, surname first.
    pub fn sort_key(&self) -> &str {
        self.part(Part::Sort)
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
        let unit_ok = parts.len() < 3 || parts[1] == entry.part(Part::Unit);
        if first == entry.part(Part::Building) && last == entry.part(Part::Room) && unit_ok {
            return Some(950);
        }
        return None;
    }
    let keys = |p: Part| Packed(entry.part(p));
    let (full, initials) = (keys(Part::Full), keys(Part::Initials));
    let (rare_full, rare_initials) = (keys(Part::RareFull), keys(Part::RareInitials));
    let by_name = score_keys(
        entry.part(Part::Name),
        [&full as &dyn KeyList, &initials],
        [&rare_full as &dyn KeyList, &rare_initials],
        &q.text,
    );
    let by_phone = q
        .digits
        .as_ref()
        .filter(|d| entry.part(Part::Phone).ends_with(d.as_str()))
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
