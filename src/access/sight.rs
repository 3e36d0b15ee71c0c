//! What one actor may see: the org units whose members, beneficiaries, points
//! and attendance they read, and how much of a person's ID number and phone
//! leaves the store's owner for them. This is the one rule table; every read
//! and every change notice goes through it.
//!
//! | role              | sees the people of | ID number | phone (members, beneficiaries) |
//! |-------------------|--------------------|-----------|--------------------------------|
//! | committee admin   | their scope (all)  | full      | full                           |
//! | branch secretary  | their branch       | full      | full                           |
//! | group leader      | their group        | masked    | full (they ring them)          |
//! | viewer            | their scope (all)  | masked    | masked                         |
//!
//! A masked ID number shows no digit at all: the last four with the birth date
//! (which the record shows) and the district (which everyone in the community
//! shares) would give the whole number back. A masked phone keeps the first
//! three and last four digits (`138****8000`), enough to tell two apart and to
//! find someone by the tail. Viewers also get no notes and no beneficiary
//! needs: those hold health and family circumstances.
//!
//! The org tree itself, activities and the catalogues (rules, rewards,
//! partners) are not personal and are read by everyone.

use crate::domain::validate::mask_phone;
use crate::domain::*;
use crate::ops::Actor;
use crate::ops::query;
use crate::store::{Store, StoreError};
use std::collections::HashSet;

/// How much of a value leaves the owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Full,
    Masked,
}

/// An actor's sight over the org tree, worked out once per request.
#[derive(Debug, Clone)]
pub struct Sight {
    role: Role,
    /// Units whose people the actor sees; `None`: every unit.
    units: Option<HashSet<OrgUnitId>>,
}

impl Sight {
    pub fn of(store: &Store, actor: &Actor) -> Result<Sight, StoreError> {
        let units = match actor.scope {
            None => None,
            Some(scope) => Some(query::subtree(store, scope)?.into_iter().collect()),
        };
        Ok(Sight {
            role: actor.role,
            units,
        })
    }

    /// The sight of an actor over a known org tree (tests, and callers that
    /// hold the tree already).
    pub fn over(actor: &Actor, all: &[OrgUnit]) -> Sight {
        let units = actor.scope.map(|scope| {
            let mut out: HashSet<OrgUnitId> = HashSet::from([scope]);
            let mut frontier = vec![scope];
            while let Some(parent) = frontier.pop() {
                for u in all.iter().filter(|u| u.parent == Some(parent)) {
                    if out.insert(u.id) {
                        frontier.push(u.id);
                    }
                }
            }
            out
        });
        Sight {
            role: actor.role,
            units,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::CommitteeAdmin
    }

    /// Whether the actor sees every unit of the community.
    pub fn sees_all(&self) -> bool {
        self.units.is_none()
    }

    /// Whether the people of `unit` are within sight.
    pub fn sees(&self, unit: OrgUnitId) -> bool {
        self.units.as_ref().is_none_or(|u| u.contains(&unit))
    }

    /// The units in sight, when not all of them.
    pub fn units(&self) -> Option<&HashSet<OrgUnitId>> {
        self.units.as_ref()
    }

    pub fn id_number(&self) -> Shown {
        match self.role {
            Role::CommitteeAdmin | Role::BranchSecretary => Shown::Full,
            Role::GroupLeader | Role::Viewer => Shown::Masked,
        }
    }

    pub fn phone(&self) -> Shown {
        match self.role {
            Role::CommitteeAdmin | Role::BranchSecretary | Role::GroupLeader => Shown::Full,
            Role::Viewer => Shown::Masked,
        }
    }

    /// Whether notes and needs leave the owner for this actor.
    fn private_text(&self) -> bool {
        self.role != Role::Viewer
    }

    /// The member as this actor may see them, or `None` outside their sight.
    pub fn member(&self, mut m: Member) -> Option<Member> {
        if !self.sees(m.data.unit) {
            return None;
        }
        if self.id_number() == Shown::Masked {
            m.data.id_number = mask_hidden(&m.data.id_number);
        }
        if self.phone() == Shown::Masked {
            m.data.phone = mask_phone_kept(&m.data.phone);
        }
        if !self.private_text() {
            m.data.notes.clear();
        }
        Some(m)
    }

    /// A member's phone as this actor may see it (`member` cuts it the same
    /// way): what a roster row holds.
    pub fn phone_shown(&self, phone: &str) -> String {
        match self.phone() {
            Shown::Full => phone.to_string(),
            Shown::Masked => mask_phone_kept(phone),
        }
    }

    /// The beneficiary as this actor may see them, or `None`.
    pub fn beneficiary(&self, mut b: Beneficiary) -> Option<Beneficiary> {
        if !self.sees(b.data.unit) {
            return None;
        }
        if self.phone() == Shown::Masked {
            b.data.contact = mask_phone_kept(&b.data.contact);
        }
        if !self.private_text() {
            b.data.needs.clear();
            b.data.notes.clear();
        }
        Some(b)
    }

    /// The org unit as this actor may read it: units outside their sight
    /// (the committee above a branch, say) keep their place and name, but not
    /// who leads them or their notes.
    pub fn org_unit(&self, mut u: OrgUnit) -> OrgUnit {
        if !self.sees(u.id) {
            u.leader = None;
            u.notes.clear();
        }
        u
    }
}

/// An ID number with every character hidden (its length kept, so a form can
/// say a number is on file); empty stays empty.
pub fn mask_hidden(id: &str) -> String {
    "*".repeat(id.trim().chars().count())
}

/// A phone masked for display, empty staying empty.
pub(super) fn mask_phone_kept(p: &str) -> String {
    if p.trim().is_empty() {
        String::new()
    } else {
        mask_phone(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: u64, parent: Option<u64>, level: OrgLevel) -> OrgUnit {
        OrgUnit {
            id: OrgUnitId(id),
            parent: parent.map(OrgUnitId),
            level,
            name: format!("u{id}"),
            leader: Some(MemberId(99)),
            buildings: vec![],
            established: None,
            closed: None,
            notes: "n".into(),
        }
    }

    fn tree() -> Vec<OrgUnit> {
        vec![
            unit(1, None, OrgLevel::Committee),
            unit(2, Some(1), OrgLevel::Branch),
            unit(3, Some(2), OrgLevel::Group),
            unit(4, Some(1), OrgLevel::Branch),
            unit(5, Some(4), OrgLevel::Group),
        ]
    }

    fn member(unit: u64) -> Member {
        Member {
            id: MemberId(7),
            data: MemberData {
                name: "张三".into(),
                gender: None,
                birth_date: None,
                id_number: "110105197507010021".into(),
                phone: "13800138000".into(),
                address: Address::default(),
                unit: OrgUnitId(unit),
                category: MemberCategory::Retired,
                home_unit: String::new(),
                reported: None,
                joined: None,
                full_member: None,
                skills: vec![],
                posts: vec![],
                status: MemberStatus::Active,
                notes: "腿脚不便".into(),
            },
        }
    }

    fn actor(role: Role, scope: Option<u64>) -> Actor {
        Actor {
            login: "x".into(),
            role,
            scope: scope.map(OrgUnitId),
        }
    }

    #[test]
    fn the_table_as_written() {
        let all = tree();
        let cases = [
            // role, scope, member's unit, seen, ID full, phone full, notes kept
            (Role::CommitteeAdmin, None, 5, true, true, true, true),
            (Role::BranchSecretary, Some(2), 3, true, true, true, true),
            (
                Role::BranchSecretary,
                Some(2),
                5,
                false,
                false,
                false,
                false,
            ),
            (Role::GroupLeader, Some(3), 3, true, false, true, true),
            (Role::GroupLeader, Some(3), 2, false, false, false, false),
            (Role::Viewer, None, 5, true, false, false, false),
        ];
        for (role, scope, at, seen, id_full, phone_full, notes) in cases {
            let sight = Sight::over(&actor(role, scope), &all);
            let got = sight.member(member(at));
            assert_eq!(got.is_some(), seen, "{role:?} {scope:?} unit {at}");
            let Some(m) = got else { continue };
            assert_eq!(
                m.data.id_number == "110105197507010021",
                id_full,
                "{role:?}"
            );
            if !id_full {
                assert!(m.data.id_number.chars().all(|c| c == '*'), "{role:?}");
            }
            assert_eq!(m.data.phone == "13800138000", phone_full, "{role:?}");
            if !phone_full {
                assert_eq!(m.data.phone, "138****8000");
            }
            assert_eq!(!m.data.notes.is_empty(), notes, "{role:?}");
        }
    }

    #[test]
    fn units_outside_sight_keep_their_place_but_not_their_leader() {
        let sight = Sight::over(&actor(Role::BranchSecretary, Some(2)), &tree());
        let above = sight.org_unit(unit(1, None, OrgLevel::Committee));
        assert_eq!((above.leader, above.notes.as_str()), (None, ""));
        let own = sight.org_unit(unit(3, Some(2), OrgLevel::Group));
        assert_eq!(own.leader, Some(MemberId(99)));
        assert!(sight.sees(OrgUnitId(3)) && !sight.sees(OrgUnitId(4)));
    }
}
