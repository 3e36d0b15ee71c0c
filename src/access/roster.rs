//! The roster a TUI holds: a row a member of what it draws and searches, with
//! the member's balance and search keys, a page at a time. The whole record
//! (ID number, birth date, notes…) stays where the data is until one member is
//! asked for (`MemberQ`). The search keys are worked out here, in the process
//! that owns the store, and a name's pinyin once for every client and page
//! (`NAME_KEYS`); only the phone and the address, cut to this actor's sight,
//! are added for each.

use super::{Query, ReadError, View};
use crate::domain::finder::FinderEntry;
use crate::domain::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// Members within sight with an id above `after`, at most `limit`, in id
/// order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterQ {
    pub after: Option<MemberId>,
    pub limit: u32,
}

/// One member as the roster draws and searches them, and their balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterLine {
    /// Shared: a server's kept rows go out as they are, uncopied.
    pub row: Arc<RosterRow>,
    pub balance: Points,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    pub id: MemberId,
    pub name: String,
    pub unit: OrgUnitId,
    pub category: MemberCategory,
    pub status: MemberStatus,
    pub address: Address,
    /// As this actor may see it.
    pub phone: String,
    pub finder: FinderEntry,
}

/// Each name's search keys (its pinyin), worked out once in this process:
/// a server answers every TUI's roster from here. Emptied when it holds more
/// names than a street office has members many times over.
static NAME_KEYS: LazyLock<Mutex<HashMap<Box<str>, FinderEntry>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
const NAME_KEYS_MAX: usize = 1_000_000;

/// A server keeps every member's row, whole, and hands each asker those in
/// their sight (with the phone masked, rows kept apart for that, when their
/// role masks phones): a TUI's first frame then costs no read of the member
/// records. Kept until a write changes member records
/// (`Store::members_stamp`); balances are read fresh each time.
static KEPT: Mutex<Option<Kept>> = Mutex::new(None);
static KEEP: AtomicBool = AtomicBool::new(false);

struct Kept {
    stamp: (u64, u64),
    whole: Vec<Arc<RosterRow>>,
    /// The same rows with the phone as `Sight::phone_shown` masks it; made
    /// when first asked for.
    masked: Option<Vec<Arc<RosterRow>>>,
}

/// Called by the store's server: keep what every client asks alike between
/// questions (rosters here; the overview's figures, `reports::OverviewQ`).
pub fn keep_answers() {
    KEEP.store(true, Ordering::SeqCst);
}

/// Whether answers are kept (this process is a store's server).
pub(super) fn keeping() -> bool {
    KEEP.load(Ordering::SeqCst)
}

impl Query for RosterQ {
    type Answer = Vec<RosterLine>;
    fn answer(self, view: &View) -> Result<Vec<RosterLine>, ReadError> {
        let first = self.after.map_or(0, |a| a.0.saturating_add(1));
        let limit = self.limit as usize;
        let rows: Vec<Arc<RosterRow>> = if keeping() {
            let masked = view.sight.phone() == super::sight::Shown::Masked;
            kept_page(view, first, limit, masked)?
        } else {
            let mut members = Vec::new();
            for m in view.store.members_after(first) {
                if let Some(m) = view.sight.member(m?) {
                    members.push(m);
                    if members.len() >= limit {
                        break;
                    }
                }
            }
            rows_of(members).into_iter().map(Arc::new).collect()
        };
        // The balances from this page's first id on, in one range read,
        // joined in id order (both are).
        let mut balances = view.store.balances_after(first);
        let mut next = balances.next().transpose()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            while let Some((id, _)) = next
                && id < row.id
            {
                next = balances.next().transpose()?;
            }
            let balance = match next {
                Some((id, p)) if id == row.id => p,
                _ => Points(0),
            };
            out.push(RosterLine { row, balance });
        }
        Ok(out)
    }
}

/// A page of the kept rows within `view`'s sight, read again first when a
/// write changed member records since.
fn kept_page(
    view: &View,
    first: u64,
    limit: usize,
    masked: bool,
) -> Result<Vec<Arc<RosterRow>>, ReadError> {
    // Held while reading: TUIs started together wait for one read.
    let mut kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
    let stamp = view.store.members_stamp();
    if kept.as_ref().is_none_or(|k| k.stamp != stamp) {
        *kept = None;
        let members = view.store.members_after(0).collect::<Result<Vec<_>, _>>()?;
        *kept = Some(Kept {
            stamp,
            whole: rows_of(members).into_iter().map(Arc::new).collect(),
            masked: None,
        });
    }
    let Some(k) = kept.as_mut() else {
        return Ok(Vec::new());
    };
    let rows = if masked {
        let whole = &k.whole;
        k.masked.get_or_insert_with(|| {
            whole
                .iter()
                .map(|r| {
                    let phone = super::sight::mask_phone_kept(&r.phone);
                    Arc::new(RosterRow {
                        finder: r.finder.with_contact(&phone, &r.address),
                        phone,
                        ..RosterRow::clone(r)
                    })
                })
                .collect()
        })
    } else {
        &k.whole
    };
    let start = rows.partition_point(|r| r.id.0 < first);
    Ok(rows
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter(|r| view.sight.sees(r.unit))
        .take(limit)
        .cloned()
        .collect())
}

/// Rows of members, as they are to be shown.
fn rows_of(members: Vec<Member>) -> Vec<RosterRow> {
    let keys = name_keys(members.iter().map(|m| m.data.name.as_str()));
    members
        .into_iter()
        .zip(keys)
        .map(|(m, keys)| {
            let finder = keys.with_contact(&m.data.phone, &m.data.address);
            let MemberData {
                name,
                unit,
                category,
                status,
                address,
                phone,
                ..
            } = m.data;
            RosterRow {
                id: m.id,
                name,
                unit,
                category,
                status,
                address,
                phone,
                finder,
            }
        })
        .collect()
}

/// The name parts of the search keys of each of `names`, in order: from
/// `NAME_KEYS`, those not there yet worked out on every core and kept.
fn name_keys<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Vec<FinderEntry> {
    let mut found: HashMap<&str, FinderEntry> = HashMap::new();
    let mut missing: Vec<&str> = Vec::new();
    {
        let known = NAME_KEYS.lock().unwrap_or_else(|p| p.into_inner());
        for name in names.clone() {
            if found.contains_key(name) {
                continue;
            }
            match known.get(name) {
                Some(k) => {
                    found.insert(name, k.clone());
                }
                None => missing.push(name),
            }
        }
    }
    missing.sort_unstable();
    missing.dedup();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = missing.len().div_ceil(threads).max(1);
    type Job<'b> = Box<dyn FnOnce() -> Vec<(&'b str, FinderEntry)> + Send + 'b>;
    let jobs: Vec<Job> = missing
        .chunks(chunk)
        .map(|part| -> Job {
            Box::new(move || part.iter().map(|n| (*n, FinderEntry::of_name(n))).collect())
        })
        .collect();
    let worked: Vec<(&str, FinderEntry)> = crate::report::overview::on_all_cores(jobs)
        .into_iter()
        .flatten()
        .collect();
    let mut known = NAME_KEYS.lock().unwrap_or_else(|p| p.into_inner());
    if known.len() + worked.len() > NAME_KEYS_MAX {
        known.clear();
    }
    for (name, k) in worked {
        known.insert(Box::from(name), k.clone());
        found.insert(name, k);
    }
    drop(known);
    names
        .map(|n| {
            found
                .get(n)
                .cloned()
                .unwrap_or_else(|| FinderEntry::of_name(n))
        })
        .collect()
}
