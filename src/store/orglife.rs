//! The records of organisational life and movement (issue 18) in their own
//! trees, keyed by what they belong to — a member's transfers and a unit's
//! terms under the member or unit, so one prefix scan reads a history — and
//! the typed reads of them, for `Store` and inside a command's `Tx`. None of
//! them has an index or a derived total: `check` only reads them all.

use super::codec::{Record, be, key};
use super::{Store, StoreError, Tree, Tx, TxError};
use crate::domain::*;

macro_rules! record {
    ($($ty:ty => $tree:expr, |$r:ident| $key:expr;)*) => {$(
        impl Record for $ty {
            const TREE: Tree = $tree;
            fn key(&self) -> Vec<u8> {
                let $r = self;
                $key
            }
        }
    )*};
}

record! {
    Transfer => Tree::Transfers, |t| key(&[&be(t.member.0), &be(t.id.0)]);
    Flow => Tree::Flows, |f| be(f.id.0).to_vec();
    LostContactRecord => Tree::LostContact, |l| be(l.member.0).to_vec();
    Frequency => Tree::Frequencies, |f| frequency_key(f.unit, f.kind);
    Minutes => Tree::Minutes, |m| be(m.activity.0).to_vec();
    ActivityPartners => Tree::ActivityPartners, |a| be(a.activity.0).to_vec();
    Term => Tree::Terms, |t| key(&[&be(t.data.unit.0), &be(t.id.0)]);
    Post => Tree::Posts, |p| be(p.id.0).to_vec();
}

/// A kind as one key byte. Fixed numbers, not the enum's order, so a kind
/// added later cannot move the keys of those already stored.
fn kind_byte(kind: ActivityKind) -> u8 {
    match kind {
        ActivityKind::BranchGeneralMeeting => 1,
        ActivityKind::BranchCommitteeMeeting => 2,
        ActivityKind::GroupMeeting => 3,
        ActivityKind::PartyLecture => 4,
        ActivityKind::ThemePartyDay => 5,
        ActivityKind::VolunteerService => 6,
        ActivityKind::Study => 7,
        ActivityKind::Other => 8,
    }
}

fn frequency_key(unit: Option<OrgUnitId>, kind: ActivityKind) -> Vec<u8> {
    key(&[&be(unit.map_or(0, |u| u.0)), &[kind_byte(kind)]])
}

/// The `ix_term_current` entry of a term with no end (what `check` expects).
pub(super) fn current_term_entry(term: &Term) -> (Vec<u8>, Vec<u8>) {
    (
        be(term.data.unit.0).to_vec(),
        super::codec::encode_i64(term.id.0 as i64).to_vec(),
    )
}

impl Store {
    /// A member's transfers, oldest first (ids grow with time).
    pub fn transfers_of(&self, member: MemberId) -> Result<Vec<Transfer>, StoreError> {
        self.scan_prefix(&be(member.0)).collect()
    }

    /// A unit's committees, the first term first.
    pub fn terms_of(&self, unit: OrgUnitId) -> Result<Vec<Term>, StoreError> {
        self.scan_prefix(&be(unit.0)).collect()
    }

    pub fn lost_contact(&self, member: MemberId) -> Result<Option<LostContactRecord>, StoreError> {
        self.get(&be(member.0))
    }

    /// The frequency set for `unit` (`None`: the community's setting).
    pub fn frequency(
        &self,
        unit: Option<OrgUnitId>,
        kind: ActivityKind,
    ) -> Result<Option<Frequency>, StoreError> {
        self.get(&frequency_key(unit, kind))
    }

    pub fn minutes(&self, activity: ActivityId) -> Result<Option<Minutes>, StoreError> {
        self.get(&be(activity.0))
    }

    pub fn activity_partners(
        &self,
        activity: ActivityId,
    ) -> Result<Option<ActivityPartners>, StoreError> {
        self.get(&be(activity.0))
    }
}

impl Tx<'_> {
    pub fn transfer(&self, member: MemberId, id: TransferId) -> Result<Option<Transfer>, TxError> {
        self.get(&key(&[&be(member.0), &be(id.0)]))
    }

    pub fn term(&self, unit: OrgUnitId, id: TermId) -> Result<Option<Term>, TxError> {
        self.get(&key(&[&be(unit.0), &be(id.0)]))
    }

    /// The unit's current committee (its term with no end), if it has one.
    pub fn current_term(&self, unit: OrgUnitId) -> Result<Option<Term>, TxError> {
        match self.number(Tree::IxTermCurrent, &be(unit.0))? {
            Some(id) => self.term(unit, TermId(id as u64)),
            None => Ok(None),
        }
    }

    /// Writes a term, keeping `ix_term_current` on the unit's term with no end.
    pub fn put_term(&self, term: &Term) -> Result<(), TxError> {
        self.put(term)?;
        let unit = be(term.data.unit.0);
        let current = self.number(Tree::IxTermCurrent, &unit)?;
        match (term.ended, current) {
            (None, _) => self.set_number(Tree::IxTermCurrent, &unit, term.id.0 as i64)?,
            (Some(_), Some(c)) if c as u64 == term.id.0 => {
                self.view(Tree::IxTermCurrent).remove(&unit[..])?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Removes a term (an election recorded by mistake, undone).
    pub fn remove_term(&self, term: &Term) -> Result<(), TxError> {
        self.remove(term)?;
        let unit = be(term.data.unit.0);
        if self.number(Tree::IxTermCurrent, &unit)? == Some(term.id.0 as i64) {
            self.view(Tree::IxTermCurrent).remove(&unit[..])?;
        }
        Ok(())
    }

    pub fn lost_contact(&self, member: MemberId) -> Result<Option<LostContactRecord>, TxError> {
        self.get(&be(member.0))
    }

    pub fn frequency(
        &self,
        unit: Option<OrgUnitId>,
        kind: ActivityKind,
    ) -> Result<Option<Frequency>, TxError> {
        self.get(&frequency_key(unit, kind))
    }

    pub fn minutes(&self, activity: ActivityId) -> Result<Option<Minutes>, TxError> {
        self.get(&be(activity.0))
    }

    pub fn activity_partners(
        &self,
        activity: ActivityId,
    ) -> Result<Option<ActivityPartners>, TxError> {
        self.get(&be(activity.0))
    }
}
