//! `check`: re-derives every index entry and balance from the records (with the
//! functions writes use, in `derived`) and compares them with what is stored;
//! reads every record on the way, so corrupt bytes are found.
//!
//! It streams, tree by tree: one pass over the records sums, for every derived
//! tree, an order-free digest of the entries the records imply (`digest`:
//! hashes of index entries; `H(key) × amount` for totals, so ledger entries
//! add up without first totalling them by key); each derived tree is then read
//! once and its digest compared. Only a tree whose digest differs is compared
//! entry by entry, with its expected entries re-derived from its own record
//! kind (`compare`), which says what differs exactly as before. A clean store
//! is checked in memory that does not grow with it (the members who are not
//! active, and the months, aside); a damaged tree costs the map of that one
//! tree. `cnt_month_served` is counted from the stored `bal_member_month` once
//! its digest holds, else from the re-derived totals.
//!
//! It always ends. An unreadable record is a problem on the list and the check
//! goes on; a tree sled cannot read to the end (its bytes fail their checksum,
//! a scan comes back to a key it passed, sled panics) ends the check with
//! `StoreError::Damaged`; and the whole check runs under a watchdog whose budget
//! grows with the store's files, for sled looping inside one call.

mod compare;
mod digest;

use super::codec::{Record, decode, month_number};
use super::damage::{self, Watchdog};
use super::derived::{FIRST_MONTH_KEY, Indexed, LAST_MONTH_KEY, entry_effects, served_month};
use super::{Store, StoreError, Tree};
use crate::domain::*;
use compare::{compare, derive_index, derive_totals, encoded, stored_set, stored_sums};
use digest::{SetDigest, SumDigest};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;

/// What `check` found.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CheckReport {
    /// Records read, all kinds together.
    pub records: u64,
    /// Index entries and balances compared.
    pub derived: u64,
    pub problems: Vec<Problem>,
}

/// One thing `check` found, in both interface languages. Tree names and keys
/// are the store's own identifiers and appear as they are in both.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub en: String,
    pub zh: String,
}

impl Problem {
    pub fn in_lang(&self, zh: bool) -> &str {
        if zh { &self.zh } else { &self.en }
    }
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the store; see the module comment.
pub fn check(store: &Store) -> Result<CheckReport, StoreError> {
    let bytes = damage::files_bytes(store.path());
    let _watchdog = Watchdog::start(store.path(), damage::check_budget(bytes), bytes);
    damage::catch_sled(|| check_files(store)).map_err(|d| StoreError::damaged(store.path(), d))?
}

/// The index trees, in the order they are compared (and their problems listed).
const INDEX_TREES: [Tree; 16] = [
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
    Tree::IxPendingOpen,
    Tree::IxApprovedEntry,
    Tree::IxPendingFor,
    Tree::IxUnexcused,
    Tree::IxTermCurrent,
];

/// The kept totals, in the order they are compared.
const TOTAL_TREES: [Tree; 6] = [
    Tree::BalMember,
    Tree::BalMemberMonth,
    Tree::BalMemberYear,
    Tree::BalUnitMonth,
    Tree::CntMonthServed,
    Tree::BalMemberYearDeducted,
];

/// What the first pass over the records implies, tree by tree.
#[derive(Default)]
struct Expected {
    sets: HashMap<Tree, SetDigest>,
    sums: HashMap<Tree, SumDigest>,
}

impl Expected {
    fn index(&mut self, entries: Vec<super::derived::IndexEntry>) {
        for (t, k, v) in entries {
            self.sets.entry(t).or_default().add(&k, &v);
        }
    }
}

/// What the pass over the records found and implies.
struct Records {
    expected: Expected,
    inactive: HashSet<MemberId>,
    months: Option<(u32, u32)>,
}

/// The pass over the records: reads and counts them all, notes what does not
/// decode, and sums what they imply.
fn read_records(store: &Store, report: &mut CheckReport) -> Result<Records, StoreError> {
    let report = &mut *report;
    let mut expected = Expected::default();

    read_all::<OrgUnit>(store, report, |_| {})?;
    read_all::<Partner>(store, report, |_| {})?;
    read_all::<Beneficiary>(store, report, |_| {})?;
    read_all::<Reward>(store, report, |_| {})?;
    read_all::<Activity>(store, report, |_| {})?;
    read_all::<User>(store, report, |_| {})?;
    // Every command's transaction writes its audit entry under the next id,
    // in the same transaction: a gap in the ids is a transaction the files
    // lost whole (sled can drop one damaged message of its log and replay
    // the ones after it), records, indexes and balances alike, which nothing
    // else here would see.
    let mut last_audit = 0u64;
    let mut gaps: Vec<(u64, u64)> = Vec::new();
    read_all::<AuditEntry>(store, report, |e| {
        if e.id.0 > last_audit + 1 {
            gaps.push((last_audit + 1, e.id.0 - 1));
        }
        last_audit = last_audit.max(e.id.0);
    })?;
    for (from, to) in gaps {
        note(
            report,
            format!("audit entries {from}..={to} are missing: the changes they logged were lost"),
            format!("审计记录 {from}..={to} 缺失：它们所记的修改已丢失"),
        );
    }
    read_all::<Transfer>(store, report, |_| {})?;
    read_all::<Flow>(store, report, |_| {})?;
    read_all::<LostContactRecord>(store, report, |_| {})?;
    read_all::<Frequency>(store, report, |_| {})?;
    read_all::<Minutes>(store, report, |_| {})?;
    read_all::<ActivityPartners>(store, report, |_| {})?;
    read_all::<Post>(store, report, |_| {})?;
    read_all::<Term>(store, report, |t| {
        if t.ended.is_none() {
            let (k, v) = super::orglife::current_term_entry(t);
            expected.index(vec![(Tree::IxTermCurrent, k, v)]);
        }
    })?;
    let mut inactive: HashSet<MemberId> = Default::default();
    read_all::<Member>(store, report, |m| {
        expected.index(m.index_entries());
        if m.data.status != MemberStatus::Active {
            inactive.insert(m.id);
        }
    })?;
    read_indexed::<Pairing>(store, report, &mut expected)?;
    read_indexed::<Task>(store, report, &mut expected)?;
    read_indexed::<PointsRule>(store, report, &mut expected)?;
    read_indexed::<Attendance>(store, report, &mut expected)?;
    read_indexed::<PendingEntry>(store, report, &mut expected)?;
    read_all::<EvaluationSettings>(store, report, |_| {})?;
    let mut months: Option<(u32, u32)> = None;
    read_all::<PointsEntry>(store, report, |entry| {
        let m = month_number(entry.date);
        months = Some(months.map_or((m, m), |(f, l)| (f.min(m), l.max(m))));
        expected.index(entry.index_entries());
        for (t, k, delta) in entry_effects(entry) {
            expected.sums.entry(t).or_default().add(&k, delta);
        }
    })?;
    Ok(Records {
        expected,
        inactive,
        months,
    })
}

/// Checks the records and, at the same time on a second thread, digests the
/// stored derived trees (`STORED_ELSEWHERE`): the two passes read disjoint
/// trees and take about as long each. The helper's results are used in the
/// order the trees are compared, so an error in one is met where a single
/// pass would meet it.
fn check_files(store: &Store) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let (records, stored) = std::thread::scope(|s| {
        let helper = s.spawn(|| {
            let mut digests = StoredDigests::default();
            let done = damage::catch_sled(|| stored_digests(store, &mut digests));
            (digests, done.err())
        });
        let records = read_records(store, &mut report);
        let stored = helper.join().unwrap_or_else(|_| {
            let detail = "a panic".to_string();
            let digests = StoredDigests::default();
            (digests, Some(damage::Damage::EngineFailed { detail }))
        });
        (records, stored)
    });
    let Records {
        expected,
        inactive,
        months,
    } = records?;
    let (digests, stopped) = stored;
    // A digest the helper did not leave: it stopped at damage (sled panicked).
    let lost = |t: Tree| {
        let damage = stopped
            .clone()
            .unwrap_or_else(|| damage::Damage::EngineFailed {
                detail: format!("no digest of `{}`", t.name()),
            });
        StoreError::damaged(store.path(), damage)
    };
    let mut sets = digests.sets.into_iter();
    let mut sums = digests.sums.into_iter();

    for t in INDEX_TREES {
        let want = expected.sets.get(&t).copied().unwrap_or_default();
        let have = match sets.next() {
            Some((tree, have)) if tree == t => have?,
            _ => return Err(lost(t)),
        };
        if have == want {
            report.derived += have.count;
        } else {
            compare(store, t, derive_index(store, t)?, &mut report)?;
        }
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
            format!("`meta` 中的流水月份 {stored_months:?} 与流水本身的 {derived_months:?} 不一致"),
        );
    }
    // Members who served, by month: counted from the month totals, which
    // come before `cnt_month_served` in `TOTAL_TREES`.
    let counts = |m: MemberId| !inactive.contains(&m);
    let mut served: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    for t in TOTAL_TREES {
        if t == Tree::CntMonthServed {
            compare(store, t, encoded(std::mem::take(&mut served)), &mut report)?;
            continue;
        }
        let month_totals = t == Tree::BalMemberMonth;
        let mut served_here: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
        let (have, n) = if month_totals {
            stored_sums(store, t, |k, total| {
                if let Some(month) = served_month(k, total, &counts) {
                    *served_here.entry(month.to_vec()).or_default() += 1;
                }
            })?
        } else {
            match sums.next() {
                Some((tree, have)) if tree == t => have?,
                _ => return Err(lost(t)),
            }
        };
        let want = expected.sums.get(&t).copied().unwrap_or_default();
        if want.matches(&have) {
            report.derived += n;
            if month_totals {
                served = served_here;
            }
        } else {
            let totals = derive_totals(store, t)?;
            if month_totals {
                served.clear();
                for (k, total) in &totals {
                    if let Some(month) = served_month(k, *total, &counts) {
                        *served.entry(month.to_vec()).or_default() += 1;
                    }
                }
            }
            compare(store, t, encoded(totals), &mut report)?;
        }
    }
    Ok(report)
}

/// The stored trees' digests as the helper thread leaves them, each tree's
/// or the error that ended its scan, in the order they are compared.
#[derive(Default)]
struct StoredDigests {
    sets: Vec<(Tree, Result<SetDigest, StoreError>)>,
    sums: Vec<(Tree, Result<StoredSums, StoreError>)>,
}

/// A totals tree's digest and how many entries it holds.
type StoredSums = (SumDigest, u64);

/// The derived trees the helper digests: all but `bal_member_month`, whose
/// pass also counts who served and needs the members who are not active
/// (the record pass finds them), and `cnt_month_served`, made from it.
fn stored_elsewhere(t: &Tree) -> bool {
    !matches!(t, Tree::BalMemberMonth | Tree::CntMonthServed)
}

/// Digests the stored derived trees in the order they are compared; one that
/// cannot be read to its end leaves its error and the next is read.
fn stored_digests(store: &Store, out: &mut StoredDigests) {
    for t in INDEX_TREES {
        out.sets.push((t, stored_set(store, t)));
    }
    for t in TOTAL_TREES.iter().filter(|t| stored_elsewhere(t)) {
        out.sums.push((*t, stored_sums(store, *t, |_, _| {})));
    }
}

fn read_indexed<R: Indexed>(
    store: &Store,
    report: &mut CheckReport,
    expected: &mut Expected,
) -> Result<(), StoreError> {
    read_all::<R>(store, report, |record| {
        expected.index(record.index_entries())
    })
}

const MAX_LISTED: usize = 200;

fn note(report: &mut CheckReport, en: String, zh: String) {
    if report.problems.len() < MAX_LISTED {
        report.problems.push(Problem { en, zh });
    } else if report.problems.len() == MAX_LISTED {
        report.problems.push(Problem {
            en: "… more problems not listed".to_string(),
            zh: "……其余问题未列出".to_string(),
        });
    }
}

/// Every entry of a tree, in key order, ending at damage (`damage::Scan`).
fn entries(store: &Store, t: Tree) -> impl Iterator<Item = super::raw::RawItem> + '_ {
    store.raw_range(t, Bound::Unbounded, Bound::Unbounded, false)
}

/// Decodes every record of a kind: one that does not decode is a problem on
/// the list; a tree that cannot be read to its end is the error.
fn read_all<R: Record>(
    store: &Store,
    report: &mut CheckReport,
    mut each: impl FnMut(&R),
) -> Result<(), StoreError> {
    for item in entries(store, R::TREE) {
        let (k, v) = item?;
        match decode::<R>(&k, &v) {
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
                        format!(
                            "`{}` 中键 {} 处的记录自称键为 {}",
                            R::TREE.name(),
                            super::show(&k),
                            super::show(&record.key())
                        ),
                    );
                }
                each(&record);
            }
            Err(e) => note(report, e.to_string(), e.in_lang(true)),
        }
    }
    Ok(())
}
