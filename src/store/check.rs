//! `check`: re-derives every index entry and balance from the records (with the
//! functions writes use, in `derived`) and compares them with what is stored;
//! reads every record on the way, so corrupt bytes are found.
//!
//! It always ends. An unreadable record is a problem on the list and the check
//! goes on; a tree sled cannot read to the end (its bytes fail their checksum,
//! a scan comes back to a key it passed, sled panics) ends the check with
//! `StoreError::Damaged`; and the whole check runs under a watchdog whose budget
//! grows with the store's files, for sled looping inside one call.

use super::codec::{Record, decode, encode_i64, month_number};
use super::damage::{self, Watchdog};
use super::derived::{FIRST_MONTH_KEY, Indexed, LAST_MONTH_KEY, entry_effects, served_month};
use super::{Store, StoreError, Tree};
use crate::domain::*;
use std::collections::BTreeMap;
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

type Expected = BTreeMap<Tree, BTreeMap<Vec<u8>, Vec<u8>>>;

/// Checks the store; see the module comment.
pub fn check(store: &Store) -> Result<CheckReport, StoreError> {
    let bytes = damage::files_bytes(store.path());
    let _watchdog = Watchdog::start(store.path(), damage::check_budget(bytes), bytes);
    damage::catch_sled(|| check_files(store)).map_err(|d| StoreError::damaged(store.path(), d))?
}

fn check_files(store: &Store) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let mut expected: Expected = BTreeMap::new();
    let mut balances: BTreeMap<Tree, BTreeMap<Vec<u8>, i64>> = BTreeMap::new();

    read_all::<OrgUnit>(store, &mut report, |_| {})?;
    read_all::<Partner>(store, &mut report, |_| {})?;
    read_all::<Beneficiary>(store, &mut report, |_| {})?;
    read_all::<Reward>(store, &mut report, |_| {})?;
    read_all::<Activity>(store, &mut report, |_| {})?;
    read_all::<User>(store, &mut report, |_| {})?;
    // Every command's transaction writes its audit entry under the next id,
    // in the same transaction: a gap in the ids is a transaction the files
    // lost whole (sled can drop one damaged message of its log and replay
    // the ones after it), records, indexes and balances alike, which nothing
    // else here would see.
    let mut last_audit = 0u64;
    let mut gaps: Vec<(u64, u64)> = Vec::new();
    read_all::<AuditEntry>(store, &mut report, |e| {
        if e.id.0 > last_audit + 1 {
            gaps.push((last_audit + 1, e.id.0 - 1));
        }
        last_audit = last_audit.max(e.id.0);
    })?;
    for (from, to) in gaps {
        note(
            &mut report,
            format!("audit entries {from}..={to} are missing: the changes they logged were lost"),
            format!("审计记录 {from}..={to} 缺失：它们所记的修改已丢失"),
        );
    }
    read_all::<Transfer>(store, &mut report, |_| {})?;
    read_all::<Flow>(store, &mut report, |_| {})?;
    read_all::<LostContactRecord>(store, &mut report, |_| {})?;
    read_all::<Frequency>(store, &mut report, |_| {})?;
    read_all::<Minutes>(store, &mut report, |_| {})?;
    read_all::<ActivityPartners>(store, &mut report, |_| {})?;
    read_all::<Post>(store, &mut report, |_| {})?;
    read_all::<Term>(store, &mut report, |t| {
        if t.ended.is_none() {
            let (k, v) = super::orglife::current_term_entry(t);
            expected
                .entry(Tree::IxTermCurrent)
                .or_default()
                .insert(k, v);
        }
    })?;
    let mut inactive: std::collections::HashSet<MemberId> = Default::default();
    read_all::<Member>(store, &mut report, |m| {
        for (t, k, v) in m.index_entries() {
            expected.entry(t).or_default().insert(k, v);
        }
        if m.data.status != MemberStatus::Active {
            inactive.insert(m.id);
        }
    })?;
    read_indexed::<Pairing>(store, &mut report, &mut expected)?;
    read_indexed::<Task>(store, &mut report, &mut expected)?;
    read_indexed::<PointsRule>(store, &mut report, &mut expected)?;
    read_indexed::<Attendance>(store, &mut report, &mut expected)?;
    read_indexed::<PendingEntry>(store, &mut report, &mut expected)?;
    read_all::<EvaluationSettings>(store, &mut report, |_| {})?;
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
    })?;

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
        Tree::IxPendingOpen,
        Tree::IxApprovedEntry,
        Tree::IxPendingFor,
        Tree::IxUnexcused,
        Tree::IxTermCurrent,
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
            format!("`meta` 中的流水月份 {stored_months:?} 与流水本身的 {derived_months:?} 不一致"),
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
        Tree::CntMonthServed,
        Tree::BalMemberYearDeducted,
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

fn read_indexed<R: Indexed>(
    store: &Store,
    report: &mut CheckReport,
    expected: &mut Expected,
) -> Result<(), StoreError> {
    read_all::<R>(store, report, |record| {
        for (t, k, v) in record.index_entries() {
            expected.entry(t).or_default().insert(k, v);
        }
    })
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
    let mut have = entries(store, t);
    let mut next_have = have.next().transpose()?;
    loop {
        match (want.peek(), &next_have) {
            (None, None) => return Ok(()),
            (Some((wk, wv)), Some((hk, hv))) if wk.as_slice() == hk.as_ref() => {
                report.derived += 1;
                if wv.as_slice() != hv.as_ref() {
                    note(
                        report,
                        format!(
                            "`{}` at key {}: stored value differs from the records",
                            t.name(),
                            super::show(hk)
                        ),
                        format!(
                            "`{}` 中键 {} 处：存的值与记录推出的不同",
                            t.name(),
                            super::show(hk)
                        ),
                    );
                }
                want.next();
                next_have = have.next().transpose()?;
            }
            (Some((wk, _)), Some((hk, _))) if wk.as_slice() < hk.as_ref() => {
                note(
                    report,
                    format!("`{}` is missing key {}", t.name(), super::show(wk)),
                    format!("`{}` 缺少键 {}", t.name(), super::show(wk)),
                );
                want.next();
            }
            (Some((wk, _)), None) => {
                note(
                    report,
                    format!("`{}` is missing key {}", t.name(), super::show(wk)),
                    format!("`{}` 缺少键 {}", t.name(), super::show(wk)),
                );
                want.next();
            }
            (_, Some((hk, _))) => {
                note(
                    report,
                    format!(
                        "`{}` has key {} that no record explains",
                        t.name(),
                        super::show(hk)
                    ),
                    format!("`{}` 中的键 {} 没有记录与之对应", t.name(), super::show(hk)),
                );
                next_have = have.next().transpose()?;
            }
        }
    }
}
