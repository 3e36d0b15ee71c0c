//! Everything derived from records: which index entries a record has and which
//! balances a ledger entry moves. Writes and `check` (which re-derives all of it
//! from the records and compares with what is stored) share these functions, so
//! they cannot disagree about the layout.

use super::Tree;
use super::codec::{INDEX_VALUE, Record, be, date_key, encode_i64, key, month_key, year_key};
use crate::domain::search::search_keys;
use crate::domain::*;

macro_rules! record_by_id {
    ($($ty:ty => $tree:expr),* $(,)?) => {$(
        impl Record for $ty {
            const TREE: Tree = $tree;
            fn key(&self) -> Vec<u8> {
                be(self.id.0).to_vec()
            }
        }
    )*};
}

record_by_id!(
    OrgUnit => Tree::OrgUnits,
    Beneficiary => Tree::Beneficiaries,
    Task => Tree::Tasks,
    PointsRule => Tree::Rules,
    PointsEntry => Tree::Ledger,
    Reward => Tree::Rewards,
    Activity => Tree::Activities,
);

/// Version 2: the join and full-membership dates may be months (`MemberV1`
/// in the codec is version 1, which the migration to schema 4 rewrites).
impl Record for Member {
    const TREE: Tree = Tree::Members;
    const VERSION: u8 = 2;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
    /// Version 1 held join dates as whole days (`MemberV1`).
    fn decode_older(version: u8, bytes: &[u8]) -> Option<Result<Member, String>> {
        (version == 1)
            .then(|| super::codec::decode_body::<super::codec::MemberV1>(bytes).map(Into::into))
    }
}

/// Version 2 added `Presence::Unexcused`; a version-1 record is the same
/// bytes (the new variant comes last), read as such. The version is bumped so
/// an older dangjian refuses an unexcused absence rather than misreading it.
impl Record for Attendance {
    const TREE: Tree = Tree::Attendance;
    const VERSION: u8 = 2;
    fn key(&self) -> Vec<u8> {
        attendance_key(self.activity, self.member)
    }
    fn decode_older(version: u8, bytes: &[u8]) -> Option<Result<Attendance, String>> {
        (version == 1).then(|| super::codec::decode_body::<Attendance>(bytes))
    }
}

impl Record for User {
    const TREE: Tree = Tree::Users;
    fn key(&self) -> Vec<u8> {
        self.login.as_bytes().to_vec()
    }
}

pub fn attendance_key(activity: ActivityId, member: MemberId) -> Vec<u8> {
    key(&[&be(activity.0), &be(member.0)])
}

/// One index entry: tree, key, value.
pub type IndexEntry = (Tree, Vec<u8>, Vec<u8>);

/// A record kind with secondary index entries derived from its fields.
pub trait Indexed: Record {
    fn index_entries(&self) -> Vec<IndexEntry>;

    /// For a member record: the member, and whether their month totals count
    /// in `cnt_month_served` (only active members do).
    fn served_counts_member(&self) -> Option<(MemberId, bool)> {
        None
    }
}

fn marker(t: Tree, k: Vec<u8>) -> IndexEntry {
    (t, k, INDEX_VALUE.to_vec())
}

/// The key of a member under one search key: the key, a 0 byte, the id.
pub fn member_key_entry(search_key: &str, member: MemberId) -> Vec<u8> {
    key(&[search_key.as_bytes(), &[0], &be(member.0)])
}

/// Search keys the index holds for a name: its pinyin keys and the name itself.
pub fn member_search_keys(name: &str) -> Vec<String> {
    let mut keys = search_keys(name);
    let lowered = name.trim().to_lowercase();
    if !lowered.is_empty() && !keys.contains(&lowered) {
        keys.push(lowered);
    }
    keys
}

impl Indexed for Member {
    fn index_entries(&self) -> Vec<IndexEntry> {
        let mut out = vec![marker(
            Tree::IxMemberUnit,
            key(&[&be(self.data.unit.0), &be(self.id.0)]),
        )];
        for k in member_search_keys(&self.data.name) {
            out.push(marker(Tree::IxMemberKey, member_key_entry(&k, self.id)));
        }
        if !self.data.id_number.is_empty() {
            out.push((
                Tree::IxMemberIdno,
                self.data.id_number.as_bytes().to_vec(),
                encode_i64(self.id.0 as i64).to_vec(),
            ));
        }
        out
    }

    fn served_counts_member(&self) -> Option<(MemberId, bool)> {
        Some((self.id, self.data.status == MemberStatus::Active))
    }
}

impl Indexed for Pairing {
    fn index_entries(&self) -> Vec<IndexEntry> {
        vec![
            marker(
                Tree::IxPairingMember,
                key(&[&be(self.member.0), &be(self.id.0)]),
            ),
            marker(
                Tree::IxPairingBenef,
                key(&[&be(self.beneficiary.0), &be(self.id.0)]),
            ),
        ]
    }
}

impl Indexed for Task {
    fn index_entries(&self) -> Vec<IndexEntry> {
        vec![marker(
            Tree::IxTaskDue,
            key(&[&date_key(self.due), &be(self.id.0)]),
        )]
    }
}

impl Indexed for PointsRule {
    fn index_entries(&self) -> Vec<IndexEntry> {
        vec![(
            Tree::IxRuleCode,
            self.code.as_bytes().to_vec(),
            encode_i64(self.id.0 as i64).to_vec(),
        )]
    }
}

impl Indexed for Attendance {
    fn index_entries(&self) -> Vec<IndexEntry> {
        let mut out = vec![marker(
            Tree::IxAttendMember,
            key(&[&be(self.member.0), &be(self.activity.0)]),
        )];
        if let Presence::Unexcused { date, .. } = &self.presence {
            out.push(marker(
                Tree::IxUnexcused,
                key(&[&year_key(*date), &be(self.member.0), &be(self.activity.0)]),
            ));
        }
        out
    }
}

/// The `ix_ledger_member` value of an entry: what a rule's cap sums, so a
/// cap reads one range of the member's keys and no entry. Format 2: the
/// rule id (0: none), then the points it earned (0 for a redemption), both
/// 8 bytes big-endian. (Format 1 was the version byte alone.)
pub fn ledger_member_value(entry: &PointsEntry) -> Vec<u8> {
    let earned = if is_earned(entry) { entry.points.0 } else { 0 };
    let mut v = Vec::with_capacity(17);
    v.push(2);
    v.extend_from_slice(&entry.rule.map_or(0, |r| r.0).to_be_bytes());
    v.extend_from_slice(&earned.to_be_bytes());
    v
}

/// A rule and the points earned under it, from an `ix_ledger_member` value
/// of format 2; `None` for any other bytes.
pub fn read_ledger_member_value(v: &[u8]) -> Option<(u64, i64)> {
    if v.len() != 17 || v[0] != 2 {
        return None;
    }
    let rule = u64::from_be_bytes(v[1..9].try_into().ok()?);
    let earned = i64::from_be_bytes(v[9..17].try_into().ok()?);
    Some((rule, earned))
}

impl Indexed for PointsEntry {
    fn index_entries(&self) -> Vec<IndexEntry> {
        let mut out = vec![
            (
                Tree::IxLedgerMember,
                ledger_member_key(self.member, self.date, self.id),
                ledger_member_value(self),
            ),
            marker(Tree::IxLedgerDate, ledger_date_key(self.date, self.id)),
        ];
        if let Some(original) = self.reverses {
            out.push((
                Tree::IxLedgerReversed,
                be(original.0).to_vec(),
                encode_i64(self.id.0 as i64).to_vec(),
            ));
        }
        out
    }
}

pub fn ledger_member_key(member: MemberId, date: chrono::NaiveDate, id: EntryId) -> Vec<u8> {
    key(&[&be(member.0), &date_key(date), &be(id.0)])
}

/// The `bal_member_month` key of a member's earned total in a month (`month_key`).
pub fn member_month_key(month: [u8; 4], member: MemberId) -> Vec<u8> {
    key(&[&month, &be(member.0)])
}

/// The `ix_ledger_member` keys of a member's entries dated from `from` up to
/// (not including) `to`: what a rule's cap is held against, summed from the
/// entries themselves (a member has a few a month) rather than kept as a
/// balance per member, rule and month.
pub fn member_dates_range(
    member: MemberId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> (Vec<u8>, Vec<u8>) {
    (
        key(&[&be(member.0), &date_key(from)]),
        key(&[&be(member.0), &date_key(to)]),
    )
}

/// Partial-month sums of a custom period read the entries of a date range here.
pub fn ledger_date_key(date: chrono::NaiveDate, id: EntryId) -> Vec<u8> {
    key(&[&date_key(date), &be(id.0)])
}

/// Whether an entry counts towards earned points (evaluation, rankings), as
/// opposed to spending them on rewards.
pub fn is_earned(entry: &PointsEntry) -> bool {
    !matches!(entry.source, EntrySource::Redemption(_))
}

/// The balances one ledger entry moves, with the amount.
pub fn entry_effects(entry: &PointsEntry) -> Vec<(Tree, Vec<u8>, i64)> {
    let points = entry.points.0;
    let month = month_key(entry.date);
    let mut out = vec![(Tree::BalMember, be(entry.member.0).to_vec(), points)];
    if is_earned(entry) {
        out.push((
            Tree::BalMemberMonth,
            member_month_key(month, entry.member),
            points,
        ));
        out.push((
            Tree::BalMemberYear,
            key(&[&year_key(entry.date), &be(entry.member.0)]),
            points,
        ));
        out.push((
            Tree::BalUnitMonth,
            key(&[&month, &be(entry.unit.0)]),
            points,
        ));
        if evaluation::is_deduction(entry) {
            out.push((
                Tree::BalMemberYearDeducted,
                key(&[&year_key(entry.date), &be(entry.member.0)]),
                points,
            ));
        }
    }
    out
}

/// `meta` keys: the first and last month (`yyyymm`) the ledger has entries in.
pub const FIRST_MONTH_KEY: &[u8] = b"ledger/first_month";
pub const LAST_MONTH_KEY: &[u8] = b"ledger/last_month";

/// How a member's earned month total going from `before` to `after` moves the
/// month's count of members who served: +1 when it rises above zero, -1 when
/// it falls back to zero or below.
pub fn served_change(before: i64, after: i64) -> i64 {
    i64::from(after > 0) - i64::from(before > 0)
}

/// The month whose count of members who served a member's month total adds
/// to (`bal_member_month` keys are month ++ member), if the total is above
/// zero and the member `counts` (is active).
pub fn served_month<'k>(
    month_total_key: &'k [u8],
    total: i64,
    counts: &dyn Fn(MemberId) -> bool,
) -> Option<&'k [u8]> {
    let member = month_total_key
        .get(4..12)
        .and_then(|b| b.try_into().ok())
        .map(|b| MemberId(u64::from_be_bytes(b)))?;
    (total > 0 && counts(member))
        .then(|| month_total_key.get(..4))
        .flatten()
}

/// The one settings record, under its name.
impl Record for EvaluationSettings {
    const TREE: Tree = Tree::Settings;
    fn key(&self) -> Vec<u8> {
        SETTINGS_KEY.to_vec()
    }
}

/// `settings` key of the evaluation settings.
pub const SETTINGS_KEY: &[u8] = b"evaluation";

/// The `ix_pending_for` key of what waits for an activity's attendance or a
/// task of a member; none for manual entries.
pub fn pending_for_key(source: EntrySource, member: MemberId) -> Option<Vec<u8>> {
    let (kind, id) = match source {
        EntrySource::Activity(a) => (b'a', a.0),
        EntrySource::Task(t) => (b't', t.0),
        EntrySource::Manual | EntrySource::Redemption(_) => return None,
    };
    Some(key(&[&[kind], &be(id), &be(member.0)]))
}

/// Open entries are listed by `ix_pending_open`, so the queue reads only
/// those; an approved one is found from its ledger entry (a statement says
/// who approved it) by `ix_approved_entry`.
impl Indexed for PendingEntry {
    fn index_entries(&self) -> Vec<IndexEntry> {
        match &self.state {
            evaluation::Approval::Pending => {
                let mut out = vec![marker(Tree::IxPendingOpen, be(self.id.0).to_vec())];
                if let Some(k) = pending_for_key(self.source, self.member) {
                    out.push((Tree::IxPendingFor, k, encode_i64(self.id.0 as i64).to_vec()));
                }
                out
            }
            evaluation::Approval::Approved { entry, .. } => vec![(
                Tree::IxApprovedEntry,
                be(entry.0).to_vec(),
                encode_i64(self.id.0 as i64).to_vec(),
            )],
            evaluation::Approval::Rejected { .. } => Vec::new(),
        }
    }
}
