//! The versioned record codec and key encodings.
//!
//! Every stored value starts with one format-version byte followed by the bincode
//! (serde, standard config) encoding of the record. The current version of each
//! kind decodes straight into the domain type; when a domain type changes in a way
//! bincode cannot read, the old shape is frozen here as `...V1` and the version
//! byte bumped, so old bytes still decode (or a migration rewrites them). Keeping
//! a parallel set of stored types before the first such change would be copies
//! with no reader, so we don't.
//!
//! Stored bytes are not trusted: every decode runs under `MAX_RECORD_BYTES`, so
//! a damaged length prefix (a name "2^40 bytes long") is a `Corrupt` error naming
//! the tree and key, not an attempt to allocate a terabyte that aborts the
//! process on every later start.

use super::{StoreError, Tree};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The most bytes `encode` writes for one record. The largest honest record
/// of the demo community is a member of 157 bytes (audit entries 140, ledger
/// entries 118); the field limits `ops` enforces (a name 30 characters, notes
/// 500, …) keep a member with every text field full under 3 KiB of UTF-8, and
/// only the lists (skills, posts, buildings) have no fixed count. 128 KiB is
/// forty times that.
pub const MAX_RECORD_BYTES: usize = 128 << 10;

/// bincode's limit on decoding. It counts what a decode claims, in memory
/// sizes: a string's length in bytes, and 8 for every u64 however short its
/// varint (16 for a u128), so a record of n bytes claims at most 16 n; at 16
/// times `MAX_RECORD_BYTES` every record `encode` wrote decodes, and a damaged
/// length can ask for at most 2 MiB before it is refused.
const DECODE_LIMIT: usize = 16 * MAX_RECORD_BYTES;

fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<DECODE_LIMIT>()
}

/// Why stored bytes did not decode, in words.
fn decode_reason(e: bincode::error::DecodeError) -> String {
    match e {
        bincode::error::DecodeError::LimitExceeded => format!(
            "a length in it claims more than the {} KiB a record may hold (damaged bytes)",
            DECODE_LIMIT / 1024
        ),
        e => format!("cannot decode: {e}"),
    }
}

/// The Chinese for a `StoreError::Corrupt` reason. The reasons are made
/// here (and by `decode_older`, whose words are its own); bincode's detail
/// beyond them is technical and is left out of the Chinese.
pub(crate) fn corrupt_reason_zh(reason: &str) -> String {
    if reason.starts_with("a length in it claims more") {
        format!(
            "其中的长度超过一条记录可有的 {} KiB（字节已损坏）",
            DECODE_LIMIT / 1024
        )
    } else if let Some(n) = reason.strip_suffix(" stray bytes after the record") {
        format!("记录之后多出 {n} 个字节")
    } else if reason == "empty value" {
        "值为空".to_string()
    } else if reason.starts_with("unknown format version") {
        "格式版本未知（可能由更新的 dangjian 写入）".to_string()
    } else {
        "无法解码（字节已损坏）".to_string()
    }
}

/// A record kind stored in its own tree under a fixed key.
pub trait Record: Serialize + DeserializeOwned {
    const TREE: Tree;
    /// The format version written in front of every value of this kind
    /// (`Member` is at 2: see `MemberV1`).
    const VERSION: u8 = 1;
    fn key(&self) -> Vec<u8>;
    /// A value written by an older format version of this kind, brought up to
    /// the current shape; `None` when the kind never had that version.
    fn decode_older(_version: u8, _bytes: &[u8]) -> Option<Result<Self, String>> {
        None
    }
}

/// The bincode body of a value (after its version byte), all of it.
pub(crate) fn decode_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (value, used) =
        bincode::serde::decode_from_slice(bytes, bincode_config()).map_err(decode_reason)?;
    if used != bytes.len() {
        return Err(format!(
            "{} stray bytes after the record",
            bytes.len() - used
        ));
    }
    Ok(value)
}

pub fn encode<R: Record>(record: &R) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![R::VERSION];
    bincode::serde::encode_into_std_write(record, &mut out, bincode_config()).map_err(|e| {
        StoreError::Encode {
            tree: R::TREE.name(),
            reason: e.to_string(),
        }
    })?;
    // bincode's limit holds decoding only; the same bound here keeps every
    // stored record readable.
    if out.len() - 1 > MAX_RECORD_BYTES {
        return Err(StoreError::Encode {
            tree: R::TREE.name(),
            reason: format!(
                "the record takes {} bytes, more than the {} KiB a record may hold",
                out.len() - 1,
                MAX_RECORD_BYTES / 1024
            ),
        });
    }
    Ok(out)
}

pub fn decode<R: Record>(key: &[u8], bytes: &[u8]) -> Result<R, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        tree: R::TREE.name(),
        key: show_key(key),
        reason,
    };
    match bytes.split_first() {
        None => Err(corrupt("empty value".into())),
        Some((&version, rest)) if version == R::VERSION => {
            let (record, used) = bincode::serde::decode_from_slice(rest, bincode_config())
                .map_err(|e| corrupt(decode_reason(e)))?;
            if used != rest.len() {
                return Err(corrupt(format!(
                    "{} stray bytes after the record",
                    rest.len() - used
                )));
            }
            Ok(record)
        }
        Some((&version, rest)) if let Some(older) = R::decode_older(version, rest) => {
            older.map_err(corrupt)
        }
        Some((&version, _)) => Err(corrupt(format!(
            "unknown format version {version} (this dangjian reads version {})",
            R::VERSION
        ))),
    }
}

/// The id and name of a stored `Member` without decoding the rest. bincode
/// writes struct fields in order with nothing between them, and a member's
/// first fields are its id and then its name, so the front of the record is an
/// `(u64, String)`. A test holds this against the full decode.
pub fn decode_member_name(
    key: &[u8],
    bytes: &[u8],
) -> Result<(crate::domain::MemberId, String), StoreError> {
    use crate::domain::Member;
    let corrupt = |reason: String| StoreError::Corrupt {
        tree: Member::TREE.name(),
        key: show_key(key),
        reason,
    };
    match bytes.split_first() {
        // Version 1 starts the same way.
        Some((&version, rest)) if version == Member::VERSION || version == 1 => {
            let ((id, name), _): ((u64, String), usize) =
                bincode::serde::decode_from_slice(rest, bincode_config())
                    .map_err(|e| corrupt(decode_reason(e)))?;
            Ok((crate::domain::MemberId(id), name))
        }
        Some((&version, _)) => Err(corrupt(format!(
            "unknown format version {version} (this dangjian reads version {})",
            Member::VERSION
        ))),
        None => Err(corrupt("empty value".into())),
    }
}

/// A member as format version 1 stored it, when the dates of joining and of
/// full membership were whole days (version 2 keeps them as `PartialDate`, to
/// the month where the records give no day). Frozen: only the migration to
/// schema 4 reads it, to rewrite old members in the current shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MemberV1 {
    pub id: crate::domain::MemberId,
    pub data: MemberDataV1,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MemberDataV1 {
    pub name: String,
    pub gender: Option<crate::domain::Gender>,
    pub birth_date: Option<NaiveDate>,
    pub id_number: String,
    pub phone: String,
    pub address: crate::domain::Address,
    pub unit: crate::domain::OrgUnitId,
    pub category: crate::domain::MemberCategory,
    pub home_unit: String,
    pub reported: Option<NaiveDate>,
    pub joined: Option<NaiveDate>,
    pub full_member: Option<NaiveDate>,
    pub skills: Vec<String>,
    pub posts: Vec<String>,
    pub status: crate::domain::MemberStatus,
    pub notes: String,
}

impl Record for MemberV1 {
    const TREE: Tree = Tree::Members;
    const VERSION: u8 = 1;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
}

impl From<MemberV1> for crate::domain::Member {
    fn from(m: MemberV1) -> Self {
        use crate::domain::PartialDate;
        let d = m.data;
        crate::domain::Member {
            id: m.id,
            data: crate::domain::MemberData {
                name: d.name,
                gender: d.gender,
                birth_date: d.birth_date,
                id_number: d.id_number,
                phone: d.phone,
                address: d.address,
                unit: d.unit,
                category: d.category,
                home_unit: d.home_unit,
                reported: d.reported,
                joined: d.joined.map(PartialDate::Day),
                full_member: d.full_member.map(PartialDate::Day),
                skills: d.skills,
                posts: d.posts,
                status: d.status,
                notes: d.notes,
            },
        }
    }
}

/// Values of index trees: only the version byte; the key says everything.
pub const INDEX_VALUE: [u8; 1] = [1];

/// Counters and balances: version byte + i64 big-endian.
pub fn encode_i64(v: i64) -> [u8; 9] {
    let mut out = [0u8; 9];
    out[0] = 1;
    out[1..].copy_from_slice(&v.to_be_bytes());
    out
}

pub fn decode_i64(tree: Tree, key: &[u8], bytes: &[u8]) -> Result<i64, StoreError> {
    match bytes {
        [1, rest @ ..] if rest.len() == 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(rest);
            Ok(i64::from_be_bytes(b))
        }
        _ => Err(StoreError::Corrupt {
            tree: tree.name(),
            key: show_key(key),
            reason: format!("expected a version-1 number, found {} bytes", bytes.len()),
        }),
    }
}

/// A key for messages: printable text as is, anything else as hex.
pub fn show_key(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => s.to_string(),
        _ => key.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

pub fn be(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

/// Concatenates key parts.
pub fn key(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// A date as 4 bytes that sort in date order (days from CE, sign bit flipped).
pub fn date_key(d: NaiveDate) -> [u8; 4] {
    ((d.num_days_from_ce() as u32) ^ 0x8000_0000).to_be_bytes()
}

/// The date `date_key` wrote.
pub fn date_from_key(key: [u8; 4]) -> Option<NaiveDate> {
    let days = u32::from_be_bytes(key) ^ 0x8000_0000;
    NaiveDate::from_num_days_from_ce_opt(days as i32)
}

/// A month as `yyyymm` in 4 big-endian bytes: sorts in order, reads in hex dumps.
pub fn month_key(d: NaiveDate) -> [u8; 4] {
    month_number(d).to_be_bytes()
}

/// A calendar year as a u32 big-endian.
pub fn year_key(d: NaiveDate) -> [u8; 4] {
    year_number_key(d.year())
}

/// The key `year_key` writes for any date in `year`.
pub fn year_number_key(year: i32) -> [u8; 4] {
    (year.max(0) as u32).to_be_bytes()
}

pub fn month_number(d: NaiveDate) -> u32 {
    (d.year().max(0) as u32) * 100 + d.month()
}

/// The `yyyymm` after `yyyymm`.
pub fn next_month(month: u32) -> u32 {
    if month % 100 >= 12 {
        (month / 100 + 1) * 100 + 1
    } else {
        month + 1
    }
}

pub fn read_u64(tree: Tree, key: &[u8], at: usize) -> Result<u64, StoreError> {
    key.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map(u64::from_be_bytes)
        .ok_or_else(|| StoreError::Corrupt {
            tree: tree.name(),
            key: show_key(key),
            reason: format!("key too short for an id at byte {at}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_sort_in_date_order() {
        let a = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        let b = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let c = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert!(date_key(a) < date_key(b));
        assert!(date_key(b) < date_key(c));
        assert_eq!(month_number(c), 202611);
        for d in [a, b, c] {
            assert_eq!(date_from_key(date_key(d)), Some(d));
        }
        assert_eq!(next_month(202611), 202612);
        assert_eq!(next_month(202612), 202701);
    }

    fn member() -> crate::domain::Member {
        use crate::domain::*;
        Member {
            id: MemberId(123_456),
            data: MemberData {
                name: "欧阳娜娜".into(),
                gender: Some(Gender::Female),
                birth_date: NaiveDate::from_ymd_opt(1990, 1, 2),
                id_number: "110105199001020021".into(),
                phone: "13800138000".into(),
                address: Address::default(),
                unit: OrgUnitId(7),
                category: MemberCategory::Retired,
                home_unit: String::new(),
                reported: None,
                joined: None,
                full_member: None,
                skills: vec!["legal".into()],
                posts: vec![],
                status: MemberStatus::Active,
                notes: "x".into(),
            },
        }
    }

    #[test]
    fn the_name_read_from_the_front_of_a_member_is_the_full_decodes() {
        use crate::domain::*;
        let m = member();
        let bytes = encode(&m).unwrap();
        let (id, name) = decode_member_name(&m.key(), &bytes).unwrap();
        let full: Member = decode(&m.key(), &bytes).unwrap();
        assert_eq!((id, name), (full.id, full.data.name));
        assert!(decode_member_name(b"k", &[9, 1, 2]).is_err());
    }

    #[test]
    fn i64_values_round_trip_and_reject_garbage() {
        let v = encode_i64(-1234);
        assert_eq!(decode_i64(Tree::Meta, b"k", &v).unwrap(), -1234);
        assert!(decode_i64(Tree::Meta, b"k", &[2, 0, 0]).is_err());
    }

    #[test]
    fn a_length_past_the_limit_is_corrupt_and_a_record_past_it_is_not_written() {
        use crate::domain::Member;
        // Version 1, id 1, then a name whose varint length (0xFD: a u64 follows)
        // says 2^40 bytes.
        let mut bytes = vec![1, 1, 0xFD];
        bytes.extend_from_slice(&(1u64 << 40).to_le_bytes());
        bytes.extend_from_slice("张三".as_bytes());
        let limit = |r: Result<(), StoreError>| match r {
            Err(StoreError::Corrupt { tree, key, reason }) => {
                assert_eq!((tree, key.as_str()), ("members", "k"));
                assert!(reason.contains("more than the 2048 KiB"), "{reason}");
            }
            other => panic!("expected Corrupt, got {other:?}"),
        };
        limit(decode::<Member>(b"k", &bytes).map(|_| ()));
        limit(decode_member_name(b"k", &bytes).map(|_| ()));

        // Empty skills: one byte each written, eight claimed reading (the
        // length as a usize), the most any of our fields claims per byte.
        let mut big = member();
        big.data.skills = vec![String::new(); MAX_RECORD_BYTES];
        match encode(&big) {
            Err(StoreError::Encode { tree, reason }) => {
                assert_eq!(tree, "members");
                assert!(reason.contains("more than the 128 KiB"), "{reason}");
            }
            other => panic!("expected Encode, got {other:?}"),
        }
        big.data.skills.truncate(MAX_RECORD_BYTES - 200);
        let bytes = encode(&big).unwrap();
        assert!(bytes.len() > MAX_RECORD_BYTES - 200);
        assert_eq!(decode::<Member>(&big.key(), &bytes).unwrap(), big);
    }
}
