//! A member as the TUI holds them: what the roster, the finder's match lines
//! and the counts draw, in a few small allocations. A roster of 100,000 holds
//! one each; the whole record (ID number, birth date, notes…) is asked for
//! when one member is shown in full (`App::full`).

use crate::access::RosterLine;
use crate::domain::finder::FinderEntry;
use crate::domain::*;

/// What ends the building and the unit in `MemberRow::address` (no address
/// part holds it: `validate` refuses control characters).
const SEP: char = '\u{1f}';

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: MemberId,
    pub unit: OrgUnitId,
    pub balance: Points,
    pub category: MemberCategory,
    pub status: MemberStatus,
    pub name: Box<str>,
    /// As the store let this user see it (drawn masked until revealed).
    pub phone: Box<str>,
    /// Building, unit and room, each of the first two ended by `SEP`.
    address: Box<str>,
}

impl MemberRow {
    /// A row of a whole record (one member read again after a change).
    pub fn of(member: &Member, balance: Points) -> MemberRow {
        let d = &member.data;
        MemberRow {
            id: member.id,
            unit: d.unit,
            balance,
            category: d.category,
            status: d.status,
            name: d.name.as_str().into(),
            phone: d.phone.as_str().into(),
            address: pack(&d.address),
        }
    }

    /// A row as the store sends it, and its search keys.
    pub fn received(line: RosterLine) -> (MemberRow, FinderEntry) {
        // Decoded, the row is this process's alone: taken, not copied.
        let row = std::sync::Arc::try_unwrap(line.row).unwrap_or_else(|shared| (*shared).clone());
        let out = MemberRow {
            id: row.id,
            unit: row.unit,
            balance: line.balance,
            category: row.category,
            status: row.status,
            name: row.name.into_boxed_str(),
            phone: row.phone.into_boxed_str(),
            address: pack(&row.address),
        };
        (out, row.finder)
    }

    fn address_part(&self, i: usize) -> &str {
        self.address.split(SEP).nth(i).unwrap_or("")
    }

    pub fn building(&self) -> &str {
        self.address_part(0)
    }

    /// The entrance (单元) of the address.
    pub fn entrance(&self) -> &str {
        self.address_part(1)
    }

    pub fn room(&self) -> &str {
        self.address_part(2)
    }

    /// `3-2-501`, as `Address::short`.
    pub fn address_short(&self) -> String {
        [self.building(), self.entrance(), self.room()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("-")
    }
}

fn pack(a: &Address) -> Box<str> {
    let mut s = String::with_capacity(a.building.len() + a.unit.len() + a.room.len() + 2);
    for (i, part) in [&a.building, &a.unit, &a.room].into_iter().enumerate() {
        if i > 0 {
            s.push(SEP);
        }
        // A separator inside a part (never written by `ops`) would shift the
        // parts after it: dropped.
        s.extend(part.chars().filter(|&c| c != SEP));
    }
    s.into_boxed_str()
}
