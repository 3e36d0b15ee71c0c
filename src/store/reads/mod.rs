//! Typed reads the layers above ask of the store, named by what they mean, so
//! tree names and key bytes stay inside `store`: what the callers read, and
//! no more. `members` reads the roster's indexes, `points` the ledger and the
//! totals kept in step with it, `in_tx` what a command reads inside its
//! transaction; records by their natural key and counts are here.
//!
//! The big reads (the month and year totals, the balances, the unit index)
//! are ordered scans of one tree, as the 100,000-member overview and ranking
//! need (see `report::points`); a lookup per member would be many times slower.

mod dependants;
mod evaluation;
mod in_tx;
mod members;
mod points;

pub use dependants::Dependant;

use super::codec::{Record, be, decode};
use super::derived::attendance_key;
use super::{Store, StoreError, Tree};
use crate::domain::{ActivityId, Attendance, BeneficiaryId, MemberId, PairingId, User};

/// `meta` key of the schema version (`migrate` writes it).
pub(super) const SCHEMA_KEY: &[u8] = b"schema";

impl Store {
    /// How many records of a kind the store holds. On a damaged tree the count
    /// stops at the first unreadable entry; `try_count_of` says what is wrong.
    pub fn count_of<R: Record>(&self) -> usize {
        self.count(R::TREE)
    }

    /// As `count_of`, or why the records cannot all be read (a smaller number
    /// would be a wrong answer).
    pub fn try_count_of<R: Record>(&self) -> Result<usize, StoreError> {
        self.try_count(R::TREE)
    }

    /// The schema version the store's data is in (`None`: a store written
    /// before versions were recorded).
    pub fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        self.number(Tree::Meta, SCHEMA_KEY)
    }

    /// The user with this login.
    pub fn user(&self, login: &str) -> Result<Option<User>, StoreError> {
        self.get(login.as_bytes())
    }

    /// A member's attendance record at an activity (present or absent), if
    /// any was recorded.
    pub fn attendance(
        &self,
        activity: ActivityId,
        member: MemberId,
    ) -> Result<Option<Attendance>, StoreError> {
        self.get(&attendance_key(activity, member))
    }

    /// The attendance records of one activity, by member.
    pub fn attendance_of(
        &self,
        activity: ActivityId,
    ) -> impl Iterator<Item = Result<Attendance, StoreError>> + '_ {
        self.raw_prefix(Tree::Attendance, &be(activity.0), false)
            .map(|item| {
                let (k, v) = item?;
                decode(&k, &v)
            })
    }

    /// The pairings of a beneficiary, ended ones included, in id order.
    pub fn pairing_ids_of_beneficiary(
        &self,
        beneficiary: BeneficiaryId,
    ) -> Result<Vec<PairingId>, StoreError> {
        Ok(self
            .index_ids(Tree::IxPairingBenef, &be(beneficiary.0), 8)?
            .into_iter()
            .map(PairingId)
            .collect())
    }
}
