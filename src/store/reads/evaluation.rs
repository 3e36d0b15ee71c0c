//! Reads of the yearly evaluation and of approvals: the settings (the shipped
//! ones until an admin sets others), each member's deductions of a year (the
//! part of `bal_member_year` that is deductions), unexcused absences by year,
//! the open pending entries and which approval wrote a ledger entry.

use super::super::codec::{be, decode_i64, read_u64, year_number_key};
use super::super::derived::SETTINGS_KEY;
use super::super::{Store, StoreError, Tree, Tx, TxError};
use crate::domain::{EntryId, EvaluationSettings, MemberId, PendingEntry, PendingId, Points};
use std::collections::HashMap;

impl Store {
    /// The evaluation settings in force.
    pub fn evaluation_settings(&self) -> Result<EvaluationSettings, StoreError> {
        Ok(self.get(SETTINGS_KEY)?.unwrap_or_default())
    }

    /// Every member's deductions (as a negative number, taken-back ones
    /// netted) in `year` that are not zero, in member id order.
    pub fn year_deductions(
        &self,
        year: i32,
    ) -> impl Iterator<Item = Result<(MemberId, Points), StoreError>> + use<'_> {
        let t = Tree::BalMemberYearDeducted;
        self.raw_prefix(t, &year_number_key(year), false)
            .map(move |item| {
                let (k, v) = item?;
                let n = decode_i64(t, &k, &v)?;
                Ok((MemberId(read_u64(t, &k, 4)?), Points(n)))
            })
    }

    /// One member's deductions in `year` (negative, or zero).
    pub fn member_year_deductions(
        &self,
        member: MemberId,
        year: i32,
    ) -> Result<Points, StoreError> {
        let mut key = year_number_key(year).to_vec();
        key.extend_from_slice(&be(member.0));
        Ok(Points(
            self.number(Tree::BalMemberYearDeducted, &key)?.unwrap_or(0),
        ))
    }

    /// How many unexcused absences each member has in `year` (those with any).
    pub fn unexcused_counts(&self, year: i32) -> Result<HashMap<MemberId, u32>, StoreError> {
        let mut out: HashMap<MemberId, u32> = HashMap::new();
        for k in self.keys(Tree::IxUnexcused, &year_number_key(year)) {
            let member = MemberId(read_u64(Tree::IxUnexcused, &k?, 4)?);
            *out.entry(member).or_default() += 1;
        }
        Ok(out)
    }

    /// The entries still waiting for approval, oldest first.
    pub fn open_pending(&self) -> Result<Vec<PendingEntry>, StoreError> {
        let mut out = Vec::new();
        for id in self.index_ids(Tree::IxPendingOpen, &[], 0)? {
            if let Some(p) = self.get_id::<PendingEntry>(id)? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// Every pending entry ever recorded (open, approved, rejected), by id.
    pub fn all_pending(&self) -> impl Iterator<Item = Result<PendingEntry, StoreError>> + '_ {
        self.scan::<PendingEntry>()
    }

    /// The approval that wrote this ledger entry, if one did.
    pub fn approval_of(&self, entry: EntryId) -> Result<Option<PendingEntry>, StoreError> {
        match self.number(Tree::IxApprovedEntry, &be(entry.0))? {
            Some(id) => self.get_id::<PendingEntry>(id as u64),
            None => Ok(None),
        }
    }

    /// Every ledger entry an approval wrote, with the pending entry it was.
    pub fn approved_entries(&self) -> Result<HashMap<EntryId, PendingId>, StoreError> {
        let mut out = HashMap::new();
        for item in self.numbers(Tree::IxApprovedEntry, &[]) {
            let (k, v) = item?;
            out.insert(
                EntryId(read_u64(Tree::IxApprovedEntry, &k, 0)?),
                PendingId(v as u64),
            );
        }
        Ok(out)
    }
}

impl Tx<'_> {
    /// The evaluation settings in force, as this transaction sees them.
    pub fn evaluation_settings(&self) -> Result<EvaluationSettings, TxError> {
        Ok(self.get(SETTINGS_KEY)?.unwrap_or_default())
    }
}
