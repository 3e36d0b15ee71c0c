//! Typed reads the layers above ask of the store by what they mean, so key
//! bytes stay in this module's folder.

use super::codec::{be, read_u64};
use super::{Store, StoreError, Tree};
use crate::domain::{ActivityId, Attendance, Member, MemberId, OrgUnitId};
use std::collections::HashMap;
use std::ops::Bound;

impl Store {
    /// Members with an id from `first` on, in id order.
    pub fn members_after(
        &self,
        first: u64,
    ) -> impl Iterator<Item = Result<Member, StoreError>> + '_ {
        self.raw_range(
            Tree::Members,
            Bound::Included(be(first).to_vec()),
            Bound::Unbounded,
            false,
        )
        .map(|item| {
            let (k, v) = item?;
            super::codec::decode(&k, &v)
        })
    }

    /// Every member's id and unit, from the unit index (no record decoded).
    pub fn member_units(&self) -> Result<Vec<(MemberId, OrgUnitId)>, StoreError> {
        self.keys(Tree::IxMemberUnit, &[])
            .map(|k| {
                let k = k?;
                Ok((
                    MemberId(read_u64(Tree::IxMemberUnit, &k, 8)?),
                    OrgUnitId(read_u64(Tree::IxMemberUnit, &k, 0)?),
                ))
            })
            .collect()
    }

    /// As `member_units`, by member.
    pub fn member_unit_map(&self) -> Result<HashMap<MemberId, OrgUnitId>, StoreError> {
        Ok(self.member_units()?.into_iter().collect())
    }

    /// The attendance records of one activity, by member.
    pub fn attendance_of(
        &self,
        activity: ActivityId,
    ) -> impl Iterator<Item = Result<Attendance, StoreError>> + '_ {
        let (from, to) = super::prefix_bounds(&be(activity.0));
        self.raw_range(Tree::Attendance, from, to, false)
            .map(|item| {
                let (k, v) = item?;
                super::codec::decode(&k, &v)
            })
    }
}
