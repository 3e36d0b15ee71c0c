//! What still refers to a record, for taking back its creation
//! (`ops::Command::Uncreate`): a record may be removed only while nothing
//! points at it. These scan, which a sled transaction cannot (and a scan of
//! a tree inside one deadlocks on sled's lock), so they read the committed
//! store before the transaction; `ops::apply_pending` holds the writer lock
//! from the check to the commit, so nothing can slip in between.

use super::super::codec::{Record, be, decode};
use super::super::{Store, StoreError, Tree};
use crate::domain::*;

/// A kind of record that refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dependant {
    PointsEntries,
    PendingEntries,
    Attendance,
    Pairings,
    Tasks,
    Movement,
    LeadsUnit,
    Committee,
    Minutes,
    Members,
    SubUnits,
    Beneficiaries,
    Activities,
    Users,
    Partners,
    OrgLife,
}

impl Store {
    fn any_with_prefix(&self, t: Tree, prefix: &[u8]) -> Result<bool, StoreError> {
        match self.tree(t)?.scan_prefix(prefix).next() {
            Some(Err(e)) => Err(e.into()),
            Some(Ok(_)) => Ok(true),
            None => Ok(false),
        }
    }

    fn any_record<R: Record>(&self, keep: impl Fn(&R) -> bool) -> Result<bool, StoreError> {
        for item in self.tree(R::TREE)?.iter() {
            let (k, v) = item?;
            if keep(&decode::<R>(&k, &v)?) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// What refers to this member.
    pub fn member_dependants(&self, id: MemberId) -> Result<Vec<Dependant>, StoreError> {
        let key = be(id.0);
        let mut out = Vec::new();
        let mut note = |yes: bool, d: Dependant| {
            if yes && !out.contains(&d) {
                out.push(d);
            }
        };
        note(
            self.any_with_prefix(Tree::IxLedgerMember, &key)?,
            Dependant::PointsEntries,
        );
        note(
            self.any_record::<PendingEntry>(|p| p.member == id)?,
            Dependant::PendingEntries,
        );
        note(
            self.any_with_prefix(Tree::IxAttendMember, &key)?,
            Dependant::Attendance,
        );
        note(
            self.any_with_prefix(Tree::IxPairingMember, &key)?,
            Dependant::Pairings,
        );
        note(
            self.any_record::<Task>(|t| t.assignee == id)?,
            Dependant::Tasks,
        );
        let moved = self.any_with_prefix(Tree::Transfers, &key)?
            || self.tree(Tree::LostContact)?.contains_key(key)?
            || self.any_record::<Flow>(|f| f.data.member == id)?;
        note(moved, Dependant::Movement);
        note(
            self.any_record::<OrgUnit>(|u| u.leader == Some(id))?,
            Dependant::LeadsUnit,
        );
        note(
            self.any_record::<Term>(|t| {
                t.data.seats.iter().any(|s| s.member == id)
                    || t.data
                        .election
                        .as_ref()
                        .is_some_and(|e| e.candidates.iter().any(|c| c.member == id))
                    || t.leader_before == Some(id)
            })?,
            Dependant::Committee,
        );
        note(
            self.any_record::<Minutes>(|m| {
                m.record.presenter == Some(id) || m.record.recorder == Some(id)
            })?,
            Dependant::Minutes,
        );
        Ok(out)
    }

    /// What refers to this org unit.
    pub fn unit_dependants(&self, id: OrgUnitId) -> Result<Vec<Dependant>, StoreError> {
        let key = be(id.0);
        let mut out = Vec::new();
        let checks = [
            (
                self.any_with_prefix(Tree::IxMemberUnit, &key)?,
                Dependant::Members,
            ),
            (
                self.any_record::<OrgUnit>(|u| u.parent == Some(id))?,
                Dependant::SubUnits,
            ),
            (
                self.any_record::<Beneficiary>(|b| b.data.unit == id)?,
                Dependant::Beneficiaries,
            ),
            (
                self.any_record::<Activity>(|a| a.data.host == id || a.data.invitees == id)?,
                Dependant::Activities,
            ),
            (
                self.any_record::<User>(|u| u.scope == Some(id))?,
                Dependant::Users,
            ),
            (
                self.any_record::<Partner>(|p| p.data.linked_unit == Some(id))?,
                Dependant::Partners,
            ),
            (
                self.any_with_prefix(Tree::Frequencies, &key)?
                    || self.any_with_prefix(Tree::Terms, &key)?,
                Dependant::OrgLife,
            ),
            (
                self.any_record::<PendingEntry>(|p| p.unit == id)?,
                Dependant::PendingEntries,
            ),
        ];
        for (yes, d) in checks {
            if yes {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// What refers to this activity.
    pub fn activity_dependants(&self, id: ActivityId) -> Result<Vec<Dependant>, StoreError> {
        let key = be(id.0);
        let mut out = Vec::new();
        if self.any_with_prefix(Tree::Attendance, &key)? {
            out.push(Dependant::Attendance);
        }
        if self.tree(Tree::Minutes)?.contains_key(key)?
            || self.tree(Tree::ActivityPartners)?.contains_key(key)?
        {
            out.push(Dependant::OrgLife);
        }
        Ok(out)
    }

    /// What refers to this beneficiary.
    pub fn beneficiary_dependants(&self, id: BeneficiaryId) -> Result<Vec<Dependant>, StoreError> {
        let mut out = Vec::new();
        if self.any_with_prefix(Tree::IxPairingBenef, &be(id.0))? {
            out.push(Dependant::Pairings);
        }
        if self.any_record::<Task>(|t| t.beneficiary == id)? {
            out.push(Dependant::Tasks);
        }
        Ok(out)
    }
}
