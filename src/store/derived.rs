//! Everything derived from records: which index entries a record has, which
//! balances a ledger entry moves, and `check`, which re-derives all of it from
//! the records and compares with what is stored. Writes and `check` share these
//! functions, so they cannot disagree about the layout.

use super::codec::{
    INDEX_VALUE, Record, be, date_key, decode, encode_i64, key, month_key, month_number, year_key,
};
use super::{Store, StoreError, Tree};
use crate::domain::search::search_keys;
use crate::domain::*;
use std::collections::BTreeMap;

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
    Partner => Tree::Partners,
    Beneficiary => Tree::Beneficiaries,
    Pairing => Tree::Pairings,
    Task => Tree::Tasks,
    PointsRule => Tree::Rules,
    PointsEntry => Tree::Ledger,
    Reward => Tree::Rewards,
    Activity => Tree::Activities,
    AuditEntry => Tree::Audit,
);

/// Version 2: the join and full-membership dates may be months (`MemberV1`
/// in the codec is version 1, which the migration to schema 4 rewrites).
impl Record for Member {
    const TREE: Tree = Tree::Members;
    const VERSION: u8 = 2;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
}

impl Record for Attendance {
    const TREE: Tree = Tree::Attendance;
    fn key(&self) -> Vec<u8> {
        attendance_key(self.activity, self.member)
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
        vec![marker(
            Tree::IxAttendMember,
            key(&[&be(self.member.0), &be(self.activity.0)]),
        )]
    }
}

impl Indexed for PointsEntry {
    fn index_entries(&self) -> Vec<IndexEntry> {
        let mut out = vec![
            marker(
                Tree::IxLedgerMember,
                ledger_member_key(self.member, self.date, self.id),
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
        if let Some(rule) = entry.rule {
            out.push((
                Tree::BalMemberRule,
                key(&[&be(entry.member.0), &be(rule.0), &month]),
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

/// What `check` found.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CheckReport {
    /// Records read, all kinds together.
    pub records: u64,
    /// Index entries and balances compared.
    pub derived: u64,
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Re-derives every index entry and balance from the records and compares them
/// with the stored ones; also reads every record, so corrupt bytes are found.
pub fn check(store: &Store) -> Result<CheckReport, StoreError> {
    // Through a server, the server checks its own files.
    if let Some(remote) = store.remote() {
        return remote.check();
    }
    let mut report = CheckReport::default();
    let mut expected: BTreeMap<Tree, BTreeMap<Vec<u8>, Vec<u8>>> = BTreeMap::new();
    let mut balances: BTreeMap<Tree, BTreeMap<Vec<u8>, i64>> = BTreeMap::new();

    read_all::<OrgUnit>(store, &mut report, |_| {});
    read_all::<Partner>(store, &mut report, |_| {});
    read_all::<Beneficiary>(store, &mut report, |_| {});
    read_all::<Reward>(store, &mut report, |_| {});
    read_all::<Activity>(store, &mut report, |_| {});
    read_all::<User>(store, &mut report, |_| {});
    read_all::<AuditEntry>(store, &mut report, |_| {});
    let mut inactive: std::collections::HashSet<MemberId> = Default::default();
    read_all::<Member>(store, &mut report, |m| {
        for (t, k, v) in m.index_entries() {
            expected.entry(t).or_default().insert(k, v);
        }
        if m.data.status != MemberStatus::Active {
            inactive.insert(m.id);
        }
    });
    read_indexed::<Pairing>(store, &mut report, &mut expected);
    read_indexed::<Task>(store, &mut report, &mut expected);
    read_indexed::<PointsRule>(store, &mut report, &mut expected);
    read_indexed::<Attendance>(store, &mut report, &mut expected);
    let mut months: Option<(u32, u32)> = None;
    read_all::<PointsEntry>(store, &mut report, |entry| {
        let m = month_number(entry.date);
        months = Some(months.map_or((m, m), |(f, l)| (f.min(m), l.max(m))));
        for (t, k, v) in entry.index_entries() {
            expected.entry(t).or_default().insert(k, v);
        }
        for (t, k, delta) in entry_effects(entry) {
            *balances.entry(t).or_default().entry(k).or_default() += delta;
        }
    });

    for t in [
        Tree::IxMemberUnit,
        Tree::IxMemberKey,
        Tree::IxMemberIdno,
        Tree::IxLedgerMember,
        Tree::IxLedgerReversed,
        Tree::IxLedgerDate,
        Tree::IxTaskDue,
        Tree::IxPairingMember,
        Tree::IxPairingBenef,
        Tree::IxRuleCode,
        Tree::IxAttendMember,
    ] {
        let want = expected.remove(&t).unwrap_or_default();
        compare(store, t, want, &mut report)?;
    }
    let stored_months = (
        store.number(Tree::Meta, FIRST_MONTH_KEY)?,
        store.number(Tree::Meta, LAST_MONTH_KEY)?,
    );
    let derived_months = match months {
        Some((f, l)) => (Some(i64::from(f)), Some(i64::from(l))),
        None => (None, None),
    };
    report.derived += 2;
    if stored_months != derived_months {
        note(
            &mut report,
            format!(
                "`meta` ledger months {stored_months:?} differ from the ledger's {derived_months:?}"
            ),
        );
    }
    let mut served: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    for (key, total) in balances.get(&Tree::BalMemberMonth).into_iter().flatten() {
        if let Some(month) = served_month(key, *total, &|m| !inactive.contains(&m)) {
            *served.entry(month.to_vec()).or_default() += 1;
        }
    }
    balances.insert(Tree::CntMonthServed, served);
    for t in [
        Tree::BalMember,
        Tree::BalMemberMonth,
        Tree::BalMemberYear,
        Tree::BalUnitMonth,
        Tree::BalMemberRule,
        Tree::CntMonthServed,
    ] {
        let want: BTreeMap<Vec<u8>, Vec<u8>> = balances
            .remove(&t)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, v)| *v != 0)
            .map(|(k, v)| (k, encode_i64(v).to_vec()))
            .collect();
        compare(store, t, want, &mut report)?;
    }
    Ok(report)
}

const MAX_LISTED: usize = 200;

fn note(report: &mut CheckReport, problem: String) {
    if report.problems.len() < MAX_LISTED {
        report.problems.push(problem);
    } else if report.problems.len() == MAX_LISTED {
        report
            .problems
            .push("… more problems not listed".to_string());
    }
}

fn read_all<R: Record>(store: &Store, report: &mut CheckReport, mut each: impl FnMut(&R)) {
    let tree = match store.tree(R::TREE) {
        Ok(tree) => tree,
        Err(e) => return note(report, e.to_string()),
    };
    for item in tree.iter() {
        match item {
            Ok((k, v)) => match decode::<R>(&k, &v) {
                Ok(record) => {
                    report.records += 1;
                    if record.key() != k.as_ref() {
                        note(
                            report,
                            format!(
                                "record in tree `{}` at key {} says its key is {}",
                                R::TREE.name(),
                                super::show(&k),
                                super::show(&record.key())
                            ),
                        );
                    }
                    each(&record);
                }
                Err(e) => note(report, e.to_string()),
            },
            Err(e) => note(
                report,
                format!("cannot read tree `{}`: {e}", R::TREE.name()),
            ),
        }
    }
}

fn read_indexed<R: Indexed>(
    store: &Store,
    report: &mut CheckReport,
    expected: &mut BTreeMap<Tree, BTreeMap<Vec<u8>, Vec<u8>>>,
) {
    read_all::<R>(store, report, |record| {
        for (t, k, v) in record.index_entries() {
            expected.entry(t).or_default().insert(k, v);
        }
    });
}

/// Merges the sorted expected entries with the sorted tree and notes every
/// missing, extra or different entry.
fn compare(
    store: &Store,
    t: Tree,
    want: BTreeMap<Vec<u8>, Vec<u8>>,
    report: &mut CheckReport,
) -> Result<(), StoreError> {
    let mut want = want.into_iter().peekable();
    let mut have = store.tree(t)?.iter().peekable();
    loop {
        let next_have = match have.peek() {
            Some(Ok((k, v))) => Some((k.to_vec(), v.to_vec())),
            Some(Err(_)) => {
                if let Some(Err(e)) = have.next() {
                    return Err(e.into());
                }
                continue;
            }
            None => None,
        };
        match (want.peek(), next_have) {
            (None, None) => return Ok(()),
            (Some((wk, wv)), Some((hk, hv))) if *wk == hk => {
                report.derived += 1;
                if *wv != hv {
                    note(
                        report,
                        format!(
                            "`{}` at key {}: stored value differs from the records",
                            t.name(),
                            super::show(&hk)
                        ),
                    );
                }
                want.next();
                have.next();
            }
            (Some((wk, _)), Some((hk, _))) if *wk < hk => {
                note(
                    report,
                    format!("`{}` is missing key {}", t.name(), super::show(wk)),
                );
                want.next();
            }
            (Some((wk, _)), None) => {
                note(
                    report,
                    format!("`{}` is missing key {}", t.name(), super::show(wk)),
                );
                want.next();
            }
            (_, Some((hk, _))) => {
                note(
                    report,
                    format!(
                        "`{}` has key {} that no record explains",
                        t.name(),
                        super::show(&hk)
                    ),
                );
                have.next();
            }
        }
    }
}
