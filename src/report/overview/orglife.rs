//! The overview's figures of organisational life and movement: meetings
//! missed this period (三会一课 due and not held), members flowed out and
//! in, members out of contact, and committees whose term is due (换届).

use super::super::movement;
use super::super::orglife::held_vs_due;
use super::super::period::Period;
use super::{Context, Named};
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A term ends within this many days: the reminder starts.
pub const TERM_WARNING_DAYS: i64 = 90;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgLife {
    /// Meetings due in the period, windows ended, none held: unit, kind, window.
    pub missed: Vec<(Named<OrgUnitId>, ActivityKind, String)>,
    /// Windows due in the period and those met.
    pub due: u32,
    pub met: u32,
    pub flowed_out: Vec<Named<MemberId>>,
    pub flowed_in: Vec<Named<MemberId>>,
    pub lost_contact: Vec<Named<MemberId>>,
    /// Units whose committee's term ends within `TERM_WARNING_DAYS` or has
    /// ended, with the day it is due; units with a committee on record only.
    pub terms_due: Vec<(Named<OrgUnitId>, NaiveDate)>,
}

fn named_member(m: &Member, cx: &Context) -> Named<MemberId> {
    Named {
        id: m.id,
        name: m.data.name.clone(),
        unit: m.data.unit,
        unit_name: cx.unit_name(m.data.unit),
    }
}

fn named_unit(u: &OrgUnit) -> Named<OrgUnitId> {
    Named {
        id: u.id,
        name: u.name.clone(),
        unit: u.id,
        unit_name: u.name.clone(),
    }
}

pub fn compute(
    store: &Store,
    cx: &Context,
    period: &Period,
    today: NaiveDate,
) -> Result<OrgLife, StoreError> {
    let mut out = OrgLife::default();
    let report = held_vs_due(store, cx, period, today)?;
    for r in &report.rows {
        out.due += r.due;
        out.met += r.met;
        if let Some(u) = cx.units.get(&r.unit) {
            for w in &r.missed {
                out.missed.push((named_unit(u), r.kind, w.clone()));
            }
        }
    }
    for f in movement::flows(store, cx, today, false)? {
        if let Some(slot) = cx.slot(f.flow.data.member) {
            let n = named_member(cx.members[slot], cx);
            match f.flow.data.direction {
                Direction::Out => out.flowed_out.push(n),
                Direction::In => out.flowed_in.push(n),
            }
        }
    }
    for (m, _) in movement::lost_contact(store, cx, today)? {
        out.lost_contact.push(named_member(&m, cx));
    }
    for level in [OrgLevel::Committee, OrgLevel::Branch] {
        for u in cx.open_units(level) {
            if let Some(t) = store
                .terms_of(u.id)?
                .into_iter()
                .find(|t| t.ended.is_none())
                && (t.due() - today).num_days() <= TERM_WARNING_DAYS
            {
                out.terms_due.push((named_unit(u), t.due()));
            }
        }
    }
    Ok(out)
}
