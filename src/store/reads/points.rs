//! Reads of points: redeemable balances, earned totals by month and year
//! (kept in step with the ledger by every write, `derived::entry_effects`),
//! the months members served, and ledger entries by member, by date and by
//! rule code.
//!
//! A month is named by any date in it, a year by its number.

use super::super::codec::{be, date_key, decode_i64, month_key, read_u64, year_number_key};
use super::super::derived::{FIRST_MONTH_KEY, LAST_MONTH_KEY, member_month_key};
use super::super::{Store, StoreError, Tree};
use crate::domain::{EntryId, MemberId, Points, PointsEntry, RuleId};
use chrono::NaiveDate;
use std::ops::Bound;

impl Store {
    /// A member's redeemable balance: every entry, redemptions included.
    pub fn balance(&self, member: MemberId) -> Result<Points, StoreError> {
        Ok(Points(
            self.number(Tree::BalMember, &be(member.0))?.unwrap_or(0),
        ))
    }

    /// Every member's redeemable balance that is not zero, in member id
    /// order: one scan of the balances.
    pub fn all_balances(
        &self,
    ) -> impl Iterator<Item = Result<(MemberId, Points), StoreError>> + use<'_> {
        self.totals_under(Tree::BalMember, &[], 0)
    }

    /// The balances that are not zero of members from id `first` on, in id
    /// order: what a roster page joins its members with.
    pub fn balances_after(
        &self,
        first: u64,
    ) -> impl Iterator<Item = Result<(MemberId, Points), StoreError>> + use<'_> {
        let t = Tree::BalMember;
        self.raw_range(
            t,
            Bound::Included(be(first).to_vec()),
            Bound::Unbounded,
            false,
        )
        .map(move |item| {
            let (k, v) = item?;
            let n = decode_i64(t, &k, &v)?;
            Ok((MemberId(read_u64(t, &k, 0)?), Points(n)))
        })
    }

    /// A member's earned points in the month of `month`.
    pub fn member_month_total(
        &self,
        member: MemberId,
        month: NaiveDate,
    ) -> Result<Points, StoreError> {
        let key = member_month_key(month_key(month), member);
        Ok(Points(
            self.number(Tree::BalMemberMonth, &key)?.unwrap_or(0),
        ))
    }

    /// A member's earned points in `year`.
    pub fn member_year_total(&self, member: MemberId, year: i32) -> Result<Points, StoreError> {
        let mut key = year_number_key(year).to_vec();
        key.extend_from_slice(&be(member.0));
        Ok(Points(self.number(Tree::BalMemberYear, &key)?.unwrap_or(0)))
    }

    /// The earned totals of the month of `month` that are not zero, in member
    /// id order: one ordered scan (the keys start with the month).
    pub fn month_totals(
        &self,
        month: NaiveDate,
    ) -> impl Iterator<Item = Result<(MemberId, Points), StoreError>> + use<'_> {
        self.totals_under(Tree::BalMemberMonth, &month_key(month), 4)
    }

    /// As `month_totals`, for a year.
    pub fn year_totals(
        &self,
        year: i32,
    ) -> impl Iterator<Item = Result<(MemberId, Points), StoreError>> + use<'_> {
        self.totals_under(Tree::BalMemberYear, &year_number_key(year), 4)
    }

    /// `(member, points)` of the numbers of `t` under `prefix`, the member id
    /// at byte `at` of each key.
    fn totals_under(
        &self,
        t: Tree,
        prefix: &[u8],
        at: usize,
    ) -> impl Iterator<Item = Result<(MemberId, Points), StoreError>> + use<'_> {
        self.raw_prefix(t, prefix, false).map(move |item| {
            let (k, v) = item?;
            let n = decode_i64(t, &k, &v)?;
            Ok((MemberId(read_u64(t, &k, at)?), Points(n)))
        })
    }

    /// How many active members of the whole community earned more than zero
    /// in the month of `month`: the count the store keeps as points are
    /// written (`cnt_month_served`).
    pub fn served_count(&self, month: NaiveDate) -> Result<u64, StoreError> {
        let counted = self
            .number(Tree::CntMonthServed, &month_key(month))?
            .unwrap_or(0);
        Ok(u64::try_from(counted).unwrap_or(0))
    }

    /// The first and last month (`yyyymm`) the ledger has entries in.
    pub fn ledger_months(&self) -> Result<Option<(u32, u32)>, StoreError> {
        let month = |key| -> Result<Option<u32>, StoreError> {
            Ok(self
                .number(Tree::Meta, key)?
                .and_then(|m| u32::try_from(m).ok()))
        };
        Ok(month(FIRST_MONTH_KEY)?.zip(month(LAST_MONTH_KEY)?))
    }

    /// A member's ledger entries, in date order (by entry id within a day).
    pub fn ledger_ids_of(&self, member: MemberId) -> Result<Vec<EntryId>, StoreError> {
        Ok(self
            .index_ids(Tree::IxLedgerMember, &be(member.0), 12)?
            .into_iter()
            .map(EntryId)
            .collect())
    }

    /// The ledger entries dated `from..=to`, in date order, from the date
    /// index (an index entry whose record is gone is passed over).
    pub fn entries_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = Result<PointsEntry, StoreError>> + use<'_> {
        let lo = date_key(from);
        // Past every key dated `to`, whatever its entry id.
        let mut hi = date_key(to).to_vec();
        hi.extend_from_slice(&[0xFF; 9]);
        self.range_keys(Tree::IxLedgerDate, &lo, &hi)
            .filter_map(|item| {
                let entry = item.and_then(|k| {
                    let id = read_u64(Tree::IxLedgerDate, &k, 4)?;
                    self.get_id::<PointsEntry>(id)
                });
                entry.transpose()
            })
    }

    /// The rule with this code (as stored: trimmed, upper case).
    pub fn rule_id_by_code(&self, code: &str) -> Result<Option<RuleId>, StoreError> {
        Ok(self
            .number(Tree::IxRuleCode, code.as_bytes())?
            .map(|id| RuleId(id as u64)))
    }
}
