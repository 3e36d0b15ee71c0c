//! Questions about members: the roster (a page at a time), one member, a
//! search, the members an import names by ID number, balances, statements.
//! Every member that leaves goes through `Sight::member`.

use super::{Query, ReadError, View};
use crate::domain::*;
use crate::ops::query;
use serde::{Deserialize, Serialize};

/// Members of `unit`'s subtree (everyone within sight when `None`) with an id
/// above `after`, at most `limit`, in id order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembersQ {
    pub unit: Option<OrgUnitId>,
    pub after: Option<MemberId>,
    pub limit: u32,
}

impl Query for MembersQ {
    type Answer = Vec<Member>;
    fn answer(self, view: &View) -> Result<Vec<Member>, ReadError> {
        let within = match self.unit {
            Some(u) => {
                if !view.sight.sees(u) {
                    return Err(super::query::no_unit(u));
                }
                Some(
                    query::subtree(view.store, u)?
                        .into_iter()
                        .collect::<std::collections::HashSet<_>>(),
                )
            }
            None => None,
        };
        let mut out = Vec::new();
        for m in view.store.members_after(self.after.map_or(0, |a| a.0 + 1)) {
            let m = m?;
            if within.as_ref().is_some_and(|w| !w.contains(&m.data.unit)) {
                continue;
            }
            if let Some(m) = view.sight.member(m) {
                out.push(m);
                if out.len() >= self.limit as usize {
                    break;
                }
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberQ(pub MemberId);

impl Query for MemberQ {
    type Answer = Option<Member>;
    fn answer(self, view: &View) -> Result<Option<Member>, ReadError> {
        view.member(self.0)
    }
}

/// Members whose name, pinyin initials or full pinyin start with `text`, best
/// first, within sight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindMembersQ {
    pub text: String,
    pub limit: usize,
}

impl Query for FindMembersQ {
    type Answer = Vec<Member>;
    fn answer(self, view: &View) -> Result<Vec<Member>, ReadError> {
        Ok(
            query::find_members(view.store, view.actor, &self.text, self.limit)?
                .into_iter()
                .filter_map(|m| view.sight.member(m))
                .collect(),
        )
    }
}

/// A member named by id (digits) or by name / pinyin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolveMemberQ(pub String);

/// Who a name or id stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Resolved {
    One(Box<Member>),
    /// Several match: the candidates, best first.
    Many(Vec<Member>),
    None,
}

impl Query for ResolveMemberQ {
    type Answer = Resolved;
    fn answer(self, view: &View) -> Result<Resolved, ReadError> {
        Ok(
            match query::resolve_member(view.store, view.actor, &self.0)? {
                Ok(m) => match view.sight.member(m) {
                    Some(m) => Resolved::One(Box::new(m)),
                    None => Resolved::None,
                },
                Err(list) => {
                    let list: Vec<Member> = list
                        .into_iter()
                        .filter_map(|m| view.sight.member(m))
                        .collect();
                    if list.is_empty() {
                        Resolved::None
                    } else {
                        Resolved::Many(list)
                    }
                }
            },
        )
    }
}

/// Whose the given ID numbers are, for an import: for each, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchIdNumbersQ(pub Vec<String>);

/// Whose an ID number is, as far as the asker may know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IdMatch {
    /// Nobody's in this store.
    Free,
    /// A member within the asker's sight.
    Seen(Box<Member>),
    /// Someone's, outside the asker's sight: who, where and which is not said.
    Elsewhere,
}

impl Query for MatchIdNumbersQ {
    type Answer = Vec<IdMatch>;
    fn answer(self, view: &View) -> Result<Vec<IdMatch>, ReadError> {
        let mut out = Vec::with_capacity(self.0.len());
        for number in &self.0 {
            let found = match view.store.member_by_id_number(number)? {
                None => IdMatch::Free,
                Some(id) => match view.member(id)? {
                    Some(m) => IdMatch::Seen(Box::new(m)),
                    None => IdMatch::Elsewhere,
                },
            };
            out.push(found);
        }
        Ok(out)
    }
}

/// The redeemable balance of every member within sight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalancesQ;

impl Query for BalancesQ {
    type Answer = Vec<(MemberId, Points)>;
    fn answer(self, view: &View) -> Result<Vec<(MemberId, Points)>, ReadError> {
        let all = query::all_balances(view.store)?;
        if view.sight.sees_all() {
            return Ok(all.into_iter().collect());
        }
        let mut out = Vec::new();
        for (id, units) in view.store.member_units()? {
            if view.sight.sees(units)
                && let Some(p) = all.get(&id)
            {
                out.push((id, *p));
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceQ(pub MemberId);

impl Query for BalanceQ {
    type Answer = Points;
    fn answer(self, view: &View) -> Result<Points, ReadError> {
        view.member_or_not_found(self.0)?;
        Ok(query::balance(view.store, self.0)?)
    }
}

/// A member's ledger in date order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementQ(pub MemberId);

impl Query for StatementQ {
    type Answer = Vec<PointsEntry>;
    fn answer(self, view: &View) -> Result<Vec<PointsEntry>, ReadError> {
        view.member_or_not_found(self.0)?;
        Ok(query::statement(view.store, self.0)?)
    }
}

/// One ledger entry of a member within sight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryQ(pub EntryId);

impl Query for EntryQ {
    type Answer = Option<PointsEntry>;
    fn answer(self, view: &View) -> Result<Option<PointsEntry>, ReadError> {
        let Some(e) = view.store.get_id::<PointsEntry>(self.0.0)? else {
            return Ok(None);
        };
        Ok(view.member(e.member)?.map(|_| e))
    }
}

/// A member's earned points in each of the `months` months up to `today`'s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyEarnedQ {
    pub member: MemberId,
    pub today: chrono::NaiveDate,
    pub months: u32,
}

impl Query for MonthlyEarnedQ {
    type Answer = Vec<(u32, Points)>;
    fn answer(self, view: &View) -> Result<Vec<(u32, Points)>, ReadError> {
        view.member_or_not_found(self.member)?;
        Ok(query::monthly_earned(
            view.store,
            self.member,
            self.today,
            self.months.min(120),
        )?)
    }
}
