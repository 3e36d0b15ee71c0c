//! Reads of the roster: members by id range, by unit, by search key and by
//! ID number, from the member records and their indexes.

use super::super::codec::{be, decode, decode_member_name, read_u64};
use super::super::{Store, StoreError, Tree};
use crate::domain::{Member, MemberId, OrgUnitId};
use std::collections::HashMap;
use std::ops::Bound;

impl Store {
    /// Members with an id from `first` on, in id order.
    pub fn members_after(
        &self,
        first: u64,
    ) -> impl Iterator<Item = Result<Member, StoreError>> + use<'_> {
        self.raw_range(
            Tree::Members,
            Bound::Included(be(first).to_vec()),
            Bound::Unbounded,
            false,
        )
        .map(|item| {
            let (k, v) = item?;
            decode(&k, &v)
        })
    }

    /// Every member's id and name in id order, decoding only the front of each
    /// record: a ranking of the whole community names 100,000 members, and the
    /// rest of a member record is most of the decoding cost.
    pub fn member_names(
        &self,
    ) -> impl Iterator<Item = Result<(MemberId, String), StoreError>> + use<'_> {
        self.raw_prefix(Tree::Members, &[], false).map(|item| {
            let (k, v) = item?;
            decode_member_name(&k, &v)
        })
    }

    /// Every member's id and unit, from the unit index (no record decoded), in
    /// unit order and by member within a unit.
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

    /// The members whose unit is `unit` itself (not below it), in id order,
    /// from the unit index.
    pub fn member_ids_in_unit(&self, unit: OrgUnitId) -> Result<Vec<MemberId>, StoreError> {
        Ok(self
            .index_ids(Tree::IxMemberUnit, &be(unit.0), 8)?
            .into_iter()
            .map(MemberId)
            .collect())
    }

    /// The members with a search key (pinyin initials, full pinyin, the name
    /// lowercased) that starts with `prefix`, in key order: a member comes
    /// once per matching key.
    pub fn member_ids_by_search_key(
        &self,
        prefix: &str,
    ) -> impl Iterator<Item = Result<MemberId, StoreError>> + use<'_> {
        // The key is the search key, a 0 byte and the member id: the id is
        // the last 8 bytes.
        self.keys(Tree::IxMemberKey, prefix.as_bytes()).map(|key| {
            let key = key?;
            read_u64(Tree::IxMemberKey, &key, key.len().saturating_sub(8)).map(MemberId)
        })
    }

    /// The member holding an ID number, whoever may see them.
    pub fn member_by_id_number(&self, number: &str) -> Result<Option<MemberId>, StoreError> {
        Ok(self
            .number(Tree::IxMemberIdno, number.as_bytes())?
            .map(|id| MemberId(id as u64)))
    }
}
