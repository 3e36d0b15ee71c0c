//! Plain read functions over the store. They never write; callers decide what
//! the actor may see (`Actor::can_see`).

use super::Actor;
use crate::domain::search::{name_keys, normalize_query};
use crate::domain::*;
use crate::store::{Store, StoreError};
use std::collections::BTreeSet;

pub fn org_units(store: &Store) -> Result<Vec<OrgUnit>, StoreError> {
    store.scan::<OrgUnit>().collect()
}

/// `unit` and every unit below it.
pub fn subtree(store: &Store, unit: OrgUnitId) -> Result<Vec<OrgUnitId>, StoreError> {
    let all = org_units(store)?;
    let mut out = vec![unit];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            all.iter()
                .filter(|u| u.parent == Some(parent))
                .map(|u| u.id),
        );
        i += 1;
    }
    Ok(out)
}

pub fn member(store: &Store, id: MemberId) -> Result<Option<Member>, StoreError> {
    store.get_id(id.0)
}

/// Members whose unit is `unit` itself (not below it).
pub fn members_of_unit(store: &Store, unit: OrgUnitId) -> Result<Vec<Member>, StoreError> {
    let ids = store.member_ids_in_unit(unit)?;
    load_members(store, ids)
}

pub fn members_in_subtree(store: &Store, unit: OrgUnitId) -> Result<Vec<Member>, StoreError> {
    let mut out = Vec::new();
    for u in subtree(store, unit)? {
        out.extend(members_of_unit(store, u)?);
    }
    Ok(out)
}

fn load_members(store: &Store, ids: Vec<MemberId>) -> Result<Vec<Member>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(m) = store.get_id::<Member>(id.0)? {
            out.push(m);
        }
    }
    Ok(out)
}

/// Members whose name, pinyin initials or full pinyin start with `query`, best
/// match first, among those the actor may see.
pub fn find_members(
    store: &Store,
    actor: &Actor,
    query: &str,
    limit: usize,
) -> Result<Vec<Member>, StoreError> {
    let q = normalize_query(query);
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids = BTreeSet::new();
    for id in store.member_ids_by_search_key(&q) {
        ids.insert(id?);
    }
    let mut scored = Vec::new();
    for m in load_members(store, ids.into_iter().collect())? {
        if !actor.can_see(store, m.data.unit)? {
            continue;
        }
        let keys = name_keys(&m.data.name);
        let score = crate::domain::search::match_score(&m.data.name, &keys, &q).unwrap_or(0);
        scored.push((score, m));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    Ok(scored.into_iter().take(limit).map(|(_, m)| m).collect())
}

/// A member named by id (digits) or by name / pinyin; `Err` lists candidates
/// when the name is ambiguous.
pub fn resolve_member(
    store: &Store,
    actor: &Actor,
    text: &str,
) -> Result<Result<Member, Vec<Member>>, StoreError> {
    let t = text.trim();
    if let Ok(id) = t.parse::<u64>()
        && let Some(m) = store.get_id::<Member>(id)?
    {
        return Ok(Ok(m));
    }
    let found = find_members(store, actor, t, 20)?;
    let exact: Vec<Member> = found.iter().filter(|m| m.data.name == t).cloned().collect();
    match (exact.len(), found.len()) {
        (1, _) => Ok(Ok(exact
            .into_iter()
            .next()
            .unwrap_or_else(|| found[0].clone()))),
        (0, 1) => Ok(Ok(found[0].clone())),
        (0, _) => Ok(Err(found)),
        _ => Ok(Err(exact)),
    }
}

/// Redeemable balance: every ledger entry of the member, redemptions included.
pub fn balance(store: &Store, member: MemberId) -> Result<Points, StoreError> {
    store.balance(member)
}

/// Every member's redeemable balance, in one pass over the balance tree (a
/// roster of 100,000 needs them all at once).
pub fn all_balances(
    store: &Store,
) -> Result<std::collections::HashMap<MemberId, Points>, StoreError> {
    store.all_balances().collect()
}

/// A member's earned points in each of the `months` months up to `today`'s,
/// oldest first, as `(yyyymm, points)`: from the monthly aggregates.
pub fn monthly_earned(
    store: &Store,
    member: MemberId,
    today: chrono::NaiveDate,
    months: u32,
) -> Result<Vec<(u32, Points)>, StoreError> {
    use chrono::Datelike;
    let mut out = Vec::with_capacity(months as usize);
    let mut index = today.year() * 12 + today.month0() as i32;
    for _ in 0..months {
        let (y, m) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        let month = (y.max(0) as u32) * 100 + m;
        let points = match chrono::NaiveDate::from_ymd_opt(y, m, 1) {
            Some(first) => store.member_month_total(member, first)?,
            None => Points::ZERO,
        };
        out.push((month, points));
        index -= 1;
    }
    out.reverse();
    Ok(out)
}

/// The member's ledger in date order.
pub fn statement(store: &Store, member: MemberId) -> Result<Vec<PointsEntry>, StoreError> {
    let ids = store.ledger_ids_of(member)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(e) = store.get_id::<PointsEntry>(id.0)? {
            out.push(e);
        }
    }
    Ok(out)
}

pub fn rules(store: &Store) -> Result<Vec<PointsRule>, StoreError> {
    store.scan::<PointsRule>().collect()
}

pub fn rule_by_code(store: &Store, code: &str) -> Result<Option<PointsRule>, StoreError> {
    let code = code.trim().to_ascii_uppercase();
    match store.rule_id_by_code(&code)? {
        Some(id) => store.get_id(id.0),
        None => Ok(None),
    }
}

pub fn users(store: &Store) -> Result<Vec<User>, StoreError> {
    store.scan::<User>().collect()
}

/// Audit entries from the local day `since` on (all when `None`), by `login`
/// only when given, oldest first; only the newest `tail` when given. Entries
/// are stored in the order they were made, so the scan runs from the newest
/// back and stops at `since` (or once it has `tail`).
pub fn audit_since(
    store: &Store,
    since: Option<chrono::NaiveDate>,
    login: Option<&str>,
    tail: Option<usize>,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut out = Vec::new();
    for entry in store.scan_rev::<AuditEntry>() {
        if tail.is_some_and(|n| out.len() >= n) {
            break;
        }
        let entry = entry?;
        if let Some(day) = since
            && entry.at.with_timezone(&chrono::Local).date_naive() < day
        {
            break;
        }
        if login.is_none_or(|l| l == entry.login) {
            out.push(entry);
        }
    }
    out.reverse();
    Ok(out)
}
