//! The points ledger as a plain-text hledger / ledger journal: one transaction
//! per entry, one account per member (`members:<id>`), balanced against
//! `community:points` for earned points and `community:rewards` for redemptions.
//! `hledger -f FILE balance members` then gives every member's redeemable
//! balance, exactly, because amounts are written as exact two-decimal numbers.
//!
//! The commodity and accounts are declared and the transactions dated in
//! order, so the strict checks of hledger and ledger pass. The file is written
//! beside its target and renamed into place, so a crash never leaves half a
//! journal under the asked-for name.

use crate::domain::*;
use crate::store::{Store, StoreError};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The commodity the amounts carry.
pub const COMMODITY: &str = "pts";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The balancing account of an entry: where its points come from or go to.
pub fn counter_account(entry: &PointsEntry) -> &'static str {
    match entry.source {
        EntrySource::Redemption(_) => "community:rewards",
        _ => "community:points",
    }
}

/// Hundredths as an exact decimal with two places: `150` → `1.50`.
fn amount(centi: i64) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let abs = centi.unsigned_abs();
    format!("{sign}{}.{:02} {COMMODITY}", abs / 100, abs % 100)
}

/// Text safe on one journal line: no line breaks or tabs, and no `;`, which
/// would start a comment and cut the description short.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            c if c.is_control() => ' ',
            ';' => '；',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The header of an entry's transaction: date, `(entry id)` as the code, the
/// rule (or reward) and the note.
fn description(
    entry: &PointsEntry,
    rules: &HashMap<RuleId, String>,
    rewards: &HashMap<RewardId, String>,
) -> String {
    let what = match (entry.source, entry.rule) {
        (EntrySource::Redemption(r), _) => format!(
            "REDEEM {}",
            one_line(rewards.get(&r).map(String::as_str).unwrap_or("?"))
        ),
        (_, Some(rule)) => rules.get(&rule).cloned().unwrap_or_else(|| "?".into()),
        (_, None) => "POINTS".into(),
    };
    let mut description = match entry.reverses {
        Some(original) => format!("{what} reversal of #{original}"),
        None => what,
    };
    let note = one_line(&entry.note);
    if !note.is_empty() {
        description.push_str(" | ");
        description.push_str(&note);
    }
    description
}

/// Writes the journal of every entry whose member is in `members` (all entries
/// when `None`). Returns how many transactions it wrote.
///
/// It passes the strict checks of both tools (`hledger check --strict
/// ordereddates`, `ledger --strict --pedantic`): the commodity and every
/// account posted to are declared at the top, and transactions follow in date
/// order (entry id within a day), a reversal on the date of the entry it
/// reverses.
pub fn write_journal(
    store: &Store,
    members: Option<&HashSet<MemberId>>,
    out: &mut dyn Write,
) -> Result<u64, JournalWriteError> {
    let rules: HashMap<RuleId, String> = store
        .scan::<PointsRule>()
        .map(|r| r.map(|r| (r.id, r.code)))
        .collect::<Result<_, _>>()?;
    let rewards: HashMap<RewardId, String> = store
        .scan::<Reward>()
        .map(|r| r.map(|r| (r.id, r.name)))
        .collect::<Result<_, _>>()?;
    // Each transaction as text, to be written in date order once the accounts
    // it posts to are known and declared.
    let mut transactions: Vec<(chrono::NaiveDate, EntryId, String)> = Vec::new();
    let mut accounts: BTreeSet<MemberId> = BTreeSet::new();
    for entry in store.scan::<PointsEntry>() {
        let entry = entry?;
        if members.is_some_and(|set| !set.contains(&entry.member)) {
            continue;
        }
        accounts.insert(entry.member);
        let text = format!(
            "{} ({}) {}\n    members:{}  {}\n    {}  {}\n",
            entry.date,
            entry.id,
            description(&entry, &rules, &rewards),
            entry.member,
            amount(entry.points.0),
            counter_account(&entry),
            amount(-entry.points.0),
        );
        transactions.push((entry.date, entry.id, text));
    }
    transactions.sort_unstable_by_key(|(date, id, _)| (*date, *id));
    writeln!(
        out,
        "; dangjian points ledger: one transaction per entry, amounts in points\n\
         ; (entry id) after the date; members:<member id> is a member's redeemable balance\n\n\
         commodity {COMMODITY}\n    format 0.00 {COMMODITY}\n\n\
         account community:points\n\
         account community:rewards"
    )?;
    for m in &accounts {
        writeln!(out, "account members:{m}")?;
    }
    for (_, _, text) in &transactions {
        writeln!(out)?;
        write!(out, "{text}")?;
    }
    Ok(transactions.len() as u64)
}

/// A failure while writing to a stream, before it has a path to name.
#[derive(Debug, thiserror::Error)]
pub enum JournalWriteError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes the journal to `path` atomically, through `atomic::write_atomically`.
pub fn export_journal(
    store: &Store,
    members: Option<&HashSet<MemberId>>,
    path: &Path,
) -> Result<u64, JournalError> {
    let io_err = |source| JournalError::Write {
        path: path.to_path_buf(),
        source,
    };
    let written = super::atomic::write_atomically(path, |w| write_journal(store, members, w));
    written.map_err(|e| match e {
        JournalWriteError::Io(source) => io_err(source),
        JournalWriteError::Store(e) => JournalError::Store(e),
    })
}
