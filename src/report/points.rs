//! Points rankings and balances for any period and org subtree, read from the
//! month aggregates (`bal_member_month`) that every ledger write keeps in step,
//! never by rescanning the ledger. Only the edge months of a custom range that
//! does not align with whole months read entries, from `ix_ledger_date`.
//!
//! Membership is by a member's current unit: a group's ranking lists the members
//! in the group now, with everything they earned in the period.

pub use super::period::{Period, PeriodError};
use crate::domain::*;
use crate::ops::Actor;
use crate::ops::query;
use crate::store::{Store, StoreError, is_earned};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("org unit {0} does not exist")]
    NoSuchUnit(OrgUnitId),
    #[error("org unit {unit} is outside what `{login}` may see")]
    OutOfScope { unit: OrgUnitId, login: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which members a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Community,
    Subtree(OrgUnitId),
}

impl Scope {
    /// The org subtree asked for, within what the actor may see; without one,
    /// the actor's own scope.
    pub fn for_actor(
        store: &Store,
        actor: &Actor,
        org: Option<OrgUnitId>,
    ) -> Result<Scope, ReportError> {
        match org {
            None => Ok(actor.scope.map_or(Scope::Community, Scope::Subtree)),
            Some(unit) => {
                if store.get_id::<OrgUnit>(unit.0)?.is_none() {
                    return Err(ReportError::NoSuchUnit(unit));
                }
                if !actor.can_see(store, unit)? {
                    return Err(ReportError::OutOfScope {
                        unit,
                        login: actor.login.clone(),
                    });
                }
                Ok(Scope::Subtree(unit))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RankRow {
    /// 1-based; members with equal points share a rank (1, 1, 3).
    pub rank: usize,
    pub member: MemberId,
    pub name: String,
    pub unit: OrgUnitId,
    pub unit_name: String,
    /// Earned in the period (redemptions do not lower it).
    pub points: Points,
    /// Redeemable balance now, over all time.
    pub balance: Points,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BalanceRow {
    pub member: MemberId,
    pub name: String,
    pub points: Points,
    pub balance: Points,
}

/// Every member in the scope with the unit they belong to, in member id order.
pub fn members_in_scope(
    store: &Store,
    scope: Scope,
) -> Result<Vec<(MemberId, OrgUnitId)>, StoreError> {
    let mut out = match scope {
        Scope::Community => store.member_units()?,
        Scope::Subtree(root) => {
            let mut out = Vec::new();
            for unit in query::subtree(store, root)? {
                out.extend(
                    store
                        .member_ids_in_unit(unit)?
                        .into_iter()
                        .map(|m| (m, unit)),
                );
            }
            out
        }
    };
    out.sort_unstable();
    Ok(out)
}

/// How a period is read: whole years from `bal_member_year`, whole months from
/// `bal_member_month`, and the days of a cut month from the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Year(i32),
    Month(NaiveDate),
    Days(NaiveDate, NaiveDate),
}

fn pieces(period: &Period) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut d = period.from;
    while d <= period.to {
        let year_end = NaiveDate::from_ymd_opt(d.year(), 12, 31);
        let next = if d.ordinal() == 1 && year_end.is_some_and(|e| e <= period.to) {
            out.push(Piece::Year(d.year()));
            year_end
        } else {
            let month_end = last_day_of_month(d);
            let end = month_end.min(period.to);
            out.push(if d.day() == 1 && end == month_end {
                Piece::Month(d)
            } else {
                Piece::Days(d, end)
            });
            Some(end)
        };
        match next.and_then(|e| e.succ_opt()) {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// Earned points in the period of every member in `members` (sorted by id) that
/// has any; members without points are absent.
pub fn earned_in_period(
    store: &Store,
    scope: Scope,
    members: &[(MemberId, OrgUnitId)],
    period: &Period,
) -> Result<HashMap<MemberId, i64>, StoreError> {
    let mut sums: HashMap<MemberId, i64> = HashMap::with_capacity(members.len());
    earned_each(store, scope, members, period, &mut |m, n| {
        *sums.entry(m).or_default() += n
    })?;
    sums.retain(|_, v| *v != 0);
    Ok(sums)
}

/// Hands each part of the earned points in the period to `add`, member by
/// member: a member may come more than once (a year and a cut month), and for
/// the whole community, members outside `members` come too (the totals are
/// scanned, not looked up), so `add` sums and picks.
pub fn earned_each(
    store: &Store,
    scope: Scope,
    members: &[(MemberId, OrgUnitId)],
    period: &Period,
    add: &mut dyn FnMut(MemberId, i64),
) -> Result<(), StoreError> {
    for piece in pieces(period) {
        match (scope, piece) {
            (_, Piece::Days(start, end)) => add_partial_month(store, members, start, end, add)?,
            // One ordered scan: the totals of a year or month are stored
            // together, in member order.
            (Scope::Community, Piece::Year(y)) => add_all(store.year_totals(y), add)?,
            (Scope::Community, Piece::Month(m)) => add_all(store.month_totals(m), add)?,
            // A subtree is usually small: a lookup per member beats scanning
            // the whole community's totals.
            (Scope::Subtree(_), Piece::Year(y)) => {
                add_each(members, &|m| store.member_year_total(m, y), add)?
            }
            (Scope::Subtree(_), Piece::Month(month)) => {
                add_each(members, &|m| store.member_month_total(m, month), add)?
            }
        }
    }
    Ok(())
}

/// Hands each member's total, as `total` looks it up, to `add`.
fn add_each(
    members: &[(MemberId, OrgUnitId)],
    total: &dyn Fn(MemberId) -> Result<Points, StoreError>,
    add: &mut dyn FnMut(MemberId, i64),
) -> Result<(), StoreError> {
    for (member, _) in members {
        let n = total(*member)?;
        // An absent total reads as zero, which would add nothing.
        if n != Points::ZERO {
            add(*member, n.0);
        }
    }
    Ok(())
}

/// Hands every `(member, points)` of a scan of totals to `add`.
fn add_all(
    totals: impl Iterator<Item = Result<(MemberId, Points), StoreError>>,
    add: &mut dyn FnMut(MemberId, i64),
) -> Result<(), StoreError> {
    for item in totals {
        let (member, n) = item?;
        add(member, n.0);
    }
    Ok(())
}

/// `start..=end` within one month: the earned entries dated in it, from the
/// date index. Reading the smaller side keeps the cost to at most half a month:
/// when the span covers most of the month, take the month's aggregate and
/// subtract the entries outside the span.
fn add_partial_month(
    store: &Store,
    members: &[(MemberId, OrgUnitId)],
    start: NaiveDate,
    end: NaiveDate,
    add: &mut dyn FnMut(MemberId, i64),
) -> Result<(), StoreError> {
    let month_start = start.with_day(1).unwrap_or(start);
    let month_end = last_day_of_month(start);
    let inside = (end - start).num_days() + 1;
    let month_days = (month_end - month_start).num_days() + 1;
    let in_scope = |m: MemberId| members.binary_search_by_key(&m, |(id, _)| *id).is_ok();
    if inside * 2 <= month_days {
        return add_entries(store, start, end, 1, &in_scope, add);
    }
    for item in store.month_totals(start) {
        let (member, n) = item?;
        if in_scope(member) {
            add(member, n.0);
        }
    }
    if let Some(before) = start.pred_opt().filter(|d| *d >= month_start) {
        add_entries(store, month_start, before, -1, &in_scope, add)?;
    }
    if let Some(after) = end.succ_opt().filter(|d| *d <= month_end) {
        add_entries(store, after, month_end, -1, &in_scope, add)?;
    }
    Ok(())
}

/// Adds `sign` × the earned points of every entry dated `from..=to`.
fn add_entries(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    sign: i64,
    in_scope: &dyn Fn(MemberId) -> bool,
    add: &mut dyn FnMut(MemberId, i64),
) -> Result<(), StoreError> {
    for entry in store.entries_between(from, to) {
        let entry = entry?;
        if is_earned(&entry) && in_scope(entry.member) {
            add(entry.member, sign * entry.points.0);
        }
    }
    Ok(())
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .and_then(|next| next.pred_opt())
        .unwrap_or(d)
}

/// Members of the scope with points earned in the period, most points first
/// (ties by member id), at most `limit` rows.
pub fn ranking(
    store: &Store,
    scope: Scope,
    period: &Period,
    limit: Option<usize>,
) -> Result<Vec<RankRow>, StoreError> {
    let members = members_in_scope(store, scope)?;
    let sums = earned_in_period(store, scope, &members, period)?;
    let mut ranked: Vec<(MemberId, OrgUnitId, i64)> = members
        .iter()
        .filter_map(|(m, u)| sums.get(m).map(|p| (*m, *u, *p)))
        .collect();
    ranked.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));

    let unit_names: HashMap<OrgUnitId, String> = query::org_units(store)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let shown = &ranked[..limit.unwrap_or(ranked.len()).min(ranked.len())];
    let ids: Vec<MemberId> = shown.iter().map(|(m, _, _)| *m).collect();
    let (mut names, balances) = names_and_balances(store, &ids)?;
    let mut rows = Vec::with_capacity(shown.len());
    let mut rank = 0;
    for (i, (member, unit, points)) in shown.iter().enumerate() {
        if i == 0 || shown[i - 1].2 != *points {
            rank = i + 1;
        }
        rows.push(RankRow {
            rank,
            member: *member,
            name: names.remove(member).unwrap_or_default(),
            unit: *unit,
            unit_name: unit_names.get(unit).cloned().unwrap_or_default(),
            points: Points(*points),
            balance: Points(balances.get(member).copied().unwrap_or(0)),
        });
    }
    Ok(rows)
}

/// Every member of the scope, in id order: points earned in the period and the
/// redeemable balance now.
pub fn balances(
    store: &Store,
    scope: Scope,
    period: &Period,
) -> Result<Vec<BalanceRow>, StoreError> {
    let members = members_in_scope(store, scope)?;
    let sums = earned_in_period(store, scope, &members, period)?;
    let ids: Vec<MemberId> = members.iter().map(|(m, _)| *m).collect();
    let (mut names, balances) = names_and_balances(store, &ids)?;
    Ok(ids
        .iter()
        .map(|m| BalanceRow {
            member: *m,
            name: names.remove(m).unwrap_or_default(),
            points: Points(sums.get(m).copied().unwrap_or(0)),
            balance: Points(balances.get(m).copied().unwrap_or(0)),
        })
        .collect())
}

/// Above this many rows, one ordered scan of the members and balances beats a
/// lookup per row: a random read costs many times a step of a scan.
const SCAN_ABOVE: usize = 2_000;

type Names = HashMap<MemberId, String>;
type Balances = HashMap<MemberId, i64>;

/// Names and redeemable balances of `ids`.
fn names_and_balances(store: &Store, ids: &[MemberId]) -> Result<(Names, Balances), StoreError> {
    let mut names = HashMap::with_capacity(ids.len());
    let mut balances = HashMap::with_capacity(ids.len());
    if ids.len() > SCAN_ABOVE {
        let wanted: HashSet<MemberId> = ids.iter().copied().collect();
        for item in store.member_names() {
            let (id, name) = item?;
            if wanted.contains(&id) {
                names.insert(id, name);
            }
        }
        for item in store.all_balances() {
            let (id, n) = item?;
            if wanted.contains(&id) {
                balances.insert(id, n.0);
            }
        }
    } else {
        for id in ids {
            if let Some(m) = query::member(store, *id)? {
                names.insert(*id, m.data.name);
            }
            balances.insert(*id, query::balance(store, *id)?.0);
        }
    }
    Ok((names, balances))
}
