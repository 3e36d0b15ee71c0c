//! What a command reads inside its transaction, by meaning: the same reads
//! as `Store`'s where `ops` handlers need them, seeing the transaction's own
//! writes.

use super::super::codec::be;
use super::super::derived::{
    attendance_key, is_earned, member_dates_range, pending_for_key, read_ledger_member_value,
};
use super::super::{Tree, Tx, TxError};
use crate::domain::{
    ActivityId, Attendance, EntryId, EntrySource, MemberId, PendingEntry, Points, PointsEntry,
    RuleId, User,
};
use chrono::NaiveDate;

impl Tx<'_> {
    /// The user with this login.
    pub fn user(&self, login: &str) -> Result<Option<User>, TxError> {
        self.get(login.as_bytes())
    }

    /// A member's attendance record at an activity (present or absent), if
    /// any was recorded.
    pub fn attendance(
        &self,
        activity: ActivityId,
        member: MemberId,
    ) -> Result<Option<Attendance>, TxError> {
        self.get(&attendance_key(activity, member))
    }

    /// The member holding an ID number.
    pub fn member_by_id_number(&self, number: &str) -> Result<Option<MemberId>, TxError> {
        Ok(self
            .number(Tree::IxMemberIdno, number.as_bytes())?
            .map(|id| MemberId(id as u64)))
    }

    /// The rule with this code, exactly as stored (trimmed, upper case).
    pub fn rule_id_by_code(&self, code: &str) -> Result<Option<RuleId>, TxError> {
        Ok(self
            .number(Tree::IxRuleCode, code.as_bytes())?
            .map(|id| RuleId(id as u64)))
    }

    /// A member's redeemable balance.
    pub fn balance(&self, member: MemberId) -> Result<Points, TxError> {
        Ok(Points(
            self.number(Tree::BalMember, &be(member.0))?.unwrap_or(0),
        ))
    }

    /// A member's earned points under one rule in entries dated from `from`
    /// up to (not including) `to`: one range of `ix_ledger_member`, whose
    /// values carry each entry's rule and earned points.
    pub fn member_rule_total(
        &self,
        member: MemberId,
        rule: RuleId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Points, TxError> {
        let (lo, hi) = member_dates_range(member, from, to);
        let mut total = 0i64;
        for (k, v) in self.view(Tree::IxLedgerMember).range(&lo, &hi)? {
            if let Some((r, earned)) = read_ledger_member_value(&v) {
                if r == rule.0 {
                    total = total.saturating_add(earned);
                }
                continue;
            }
            // Not the format this build writes (`check` names it): read the entry.
            let Some(id) = k
                .get(k.len().saturating_sub(8)..)
                .and_then(|b| b.try_into().ok())
            else {
                continue;
            };
            let Some(entry) = self.get_id::<PointsEntry>(u64::from_be_bytes(id))? else {
                continue;
            };
            if is_earned(&entry) && entry.rule == Some(rule) {
                total = total.saturating_add(entry.points.0);
            }
        }
        Ok(Points(total))
    }

    /// The pending entry still waiting for an activity's attendance or a
    /// task of `member`, if one does.
    pub fn pending_for(
        &self,
        source: EntrySource,
        member: MemberId,
    ) -> Result<Option<PendingEntry>, TxError> {
        let Some(k) = pending_for_key(source, member) else {
            return Ok(None);
        };
        match self.number(Tree::IxPendingFor, &k)? {
            Some(id) => self.get_id(id as u64),
            None => Ok(None),
        }
    }

    /// The entry that reversed `entry`, if one did.
    pub fn reversal_of(&self, entry: EntryId) -> Result<Option<EntryId>, TxError> {
        Ok(self
            .number(Tree::IxLedgerReversed, &be(entry.0))?
            .map(|id| EntryId(id as u64)))
    }
}
