//! Members who came, left, moved about or lost contact, for a scope: the
//! changes of a period (the monthly report's changes sheet), the flow
//! registers (流出 / 流入, exported as a workbook), and the joint activities
//! held with each partner organisation. A transfer belongs to the unit the
//! member was in when it was recorded, so one who left still shows where
//! they left from.

use super::overview::Context;
use super::period::Period;
use crate::domain::*;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub date: chrono::NaiveDate,
    pub kind: ChangeKind,
    pub member: MemberId,
    pub name: String,
    pub unit_name: String,
    /// Where from or to, the letter number, the reason, attempts…
    pub detail: String,
}

/// A member's name and unit, read once per member the changes name.
struct Names<'s> {
    store: &'s Store,
    seen: HashMap<MemberId, Option<Member>>,
}

impl Names<'_> {
    fn member(&mut self, id: MemberId) -> Result<Option<&Member>, StoreError> {
        if !self.seen.contains_key(&id) {
            let m = self.store.get_id::<Member>(id.0)?;
            self.seen.insert(id, m);
        }
        Ok(self.seen.get(&id).and_then(Option::as_ref))
    }
}

/// The changes of a period within the context's scope, by date.
pub fn changes(store: &Store, cx: &Context, period: &Period) -> Result<Vec<ChangeRow>, StoreError> {
    let mut out = Vec::new();
    let mut names = Names {
        store,
        seen: HashMap::new(),
    };
    for m in &cx.members {
        if let Some(d) = m.data.reported.filter(|d| period.contains(*d)) {
            out.push(row(d, ChangeKind::Reported, m, cx, String::new()));
        }
    }
    for t in store.scan::<Transfer>() {
        let t = t?;
        if !period.contains(t.data.date) || !cx.in_scope.contains(&t.unit) {
            continue;
        }
        let Some(m) = names.member(t.member)? else {
            continue;
        };
        let kind = match t.direction {
            Direction::Out => ChangeKind::TransferOut,
            Direction::In => ChangeKind::TransferIn,
        };
        let detail = [t.data.counterpart.as_str(), &t.data.letter, &t.data.reason]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
        let mut r = row(t.data.date, kind, m, cx, detail);
        r.unit_name = cx.unit_name(t.unit);
        out.push(r);
    }
    for f in store.scan::<Flow>() {
        let f = f?;
        let Some(m) = names.member(f.data.member)? else {
            continue;
        };
        if !cx.in_scope.contains(&m.data.unit) {
            continue;
        }
        let detail = [f.data.place.as_str(), &f.data.party_org]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
        if period.contains(f.data.since) {
            let kind = match f.data.direction {
                Direction::Out => ChangeKind::FlowOut,
                Direction::In => ChangeKind::FlowIn,
            };
            out.push(row(f.data.since, kind, m, cx, detail.clone()));
        }
        if let Some(u) = f.data.until.filter(|u| period.contains(*u)) {
            out.push(row(u, ChangeKind::FlowEnded, m, cx, detail));
        }
    }
    for l in store.scan::<LostContactRecord>() {
        let l = l?;
        let Some(m) = names.member(l.member)? else {
            continue;
        };
        if !cx.in_scope.contains(&m.data.unit) {
            continue;
        }
        if period.contains(l.state.since) {
            let detail = format!("{}", l.state.attempts.len());
            out.push(row(l.state.since, ChangeKind::LostContact, m, cx, detail));
        }
        if let Some(r) = l.state.regained.filter(|r| period.contains(*r)) {
            out.push(row(r, ChangeKind::Regained, m, cx, String::new()));
        }
    }
    out.sort_by_key(|a| (a.date, a.kind, a.member));
    Ok(out)
}

fn row(
    date: chrono::NaiveDate,
    kind: ChangeKind,
    m: &Member,
    cx: &Context,
    detail: String,
) -> ChangeRow {
    ChangeRow {
        date,
        kind,
        member: m.id,
        name: m.data.name.clone(),
        unit_name: cx.unit_name(m.data.unit),
        detail,
    }
}

/// One line of a flow register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowRow {
    pub flow: Flow,
    pub name: String,
    pub unit_name: String,
}

/// The flows of members in the scope, by direction then start: those lasting
/// on `on` only, unless `all`.
pub fn flows(
    store: &Store,
    cx: &Context,
    on: chrono::NaiveDate,
    all: bool,
) -> Result<Vec<FlowRow>, StoreError> {
    let mut names = Names {
        store,
        seen: HashMap::new(),
    };
    let mut out = Vec::new();
    for f in store.scan::<Flow>() {
        let f = f?;
        if !all && !f.lasts_on(on) {
            continue;
        }
        let Some(m) = names.member(f.data.member)? else {
            continue;
        };
        if !cx.in_scope.contains(&m.data.unit) {
            continue;
        }
        out.push(FlowRow {
            name: m.data.name.clone(),
            unit_name: cx.unit_name(m.data.unit),
            flow: f,
        });
    }
    out.sort_by_key(|r| {
        (
            r.flow.data.direction == Direction::In,
            r.flow.data.since,
            r.flow.id,
        )
    });
    Ok(out)
}

/// The members of the scope out of contact on `on`, with their records.
pub fn lost_contact(
    store: &Store,
    cx: &Context,
    on: chrono::NaiveDate,
) -> Result<Vec<(Member, LostContact)>, StoreError> {
    let mut out = Vec::new();
    for l in store.scan::<LostContactRecord>() {
        let l = l?;
        if !l.lost_on(on) {
            continue;
        }
        if let Some(m) = store.get_id::<Member>(l.member.0)?
            && m.data.status == MemberStatus::Active
            && cx.in_scope.contains(&m.data.unit)
        {
            out.push((m, l.state));
        }
    }
    Ok(out)
}

/// Joint activities with one partner in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointRow {
    pub partner: PartnerId,
    pub name: String,
    pub kind: PartnerKind,
    pub activities: u32,
    pub titles: Vec<String>,
}

/// Per partner, the activities of the scope held with it in the period;
/// every open partner is listed, those with none too.
pub fn joint(store: &Store, cx: &Context, period: &Period) -> Result<Vec<JointRow>, StoreError> {
    let mut rows: Vec<JointRow> = Vec::new();
    for p in store.scan::<Partner>() {
        let p = p?;
        if p.closed.is_some_and(|c| c < period.from) {
            continue;
        }
        rows.push(JointRow {
            partner: p.id,
            name: p.data.name,
            kind: p.data.kind,
            activities: 0,
            titles: Vec::new(),
        });
    }
    for a in store.scan::<Activity>() {
        let a = a?;
        if !period.contains(a.data.starts.date()) || !cx.in_scope.contains(&a.data.host) {
            continue;
        }
        let Some(with) = store.activity_partners(a.id)? else {
            continue;
        };
        for p in with.partners {
            if let Some(r) = rows.iter_mut().find(|r| r.partner == p) {
                r.activities += 1;
                r.titles.push(a.data.title.clone());
            }
        }
    }
    Ok(rows)
}
