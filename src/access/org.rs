//! Questions about the organisation and its catalogues: the org tree, rules,
//! rewards, partners, users, the audit log, counts, and the whole-store check.

use super::{Query, ReadError, View};
use crate::domain::*;
use crate::ops::{Actor, query};
use crate::report::summary::Summary;
use crate::store::CheckReport;
use serde::{Deserialize, Serialize};

/// The org tree as the actor may read it: every unit (the tree is not
/// personal), those outside their sight without leader or notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgUnitsQ;

impl Query for OrgUnitsQ {
    type Answer = Vec<OrgUnit>;
    fn answer(self, view: &View) -> Result<Vec<OrgUnit>, ReadError> {
        Ok(query::org_units(view.store)?
            .into_iter()
            .map(|u| view.sight.org_unit(u))
            .collect())
    }
}

/// The units the actor works in: their scope's subtree (everything when they
/// have no scope).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisibleUnitsQ;

impl Query for VisibleUnitsQ {
    type Answer = Vec<OrgUnit>;
    fn answer(self, view: &View) -> Result<Vec<OrgUnit>, ReadError> {
        Ok(query::org_units(view.store)?
            .into_iter()
            .filter(|u| view.sight.sees(u.id))
            .collect())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesQ;

impl Query for RulesQ {
    type Answer = Vec<PointsRule>;
    fn answer(self, view: &View) -> Result<Vec<PointsRule>, ReadError> {
        Ok(query::rules(view.store)?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleByCodeQ(pub String);

impl Query for RuleByCodeQ {
    type Answer = Option<PointsRule>;
    fn answer(self, view: &View) -> Result<Option<PointsRule>, ReadError> {
        Ok(query::rule_by_code(view.store, &self.0)?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RewardsQ;

impl Query for RewardsQ {
    type Answer = Vec<Reward>;
    fn answer(self, view: &View) -> Result<Vec<Reward>, ReadError> {
        Ok(view.store.scan::<Reward>().collect::<Result<_, _>>()?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnersQ;

impl Query for PartnersQ {
    type Answer = Vec<Partner>;
    fn answer(self, view: &View) -> Result<Vec<Partner>, ReadError> {
        Ok(view.store.scan::<Partner>().collect::<Result<_, _>>()?)
    }
}

/// Who the store takes the asker for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhoAmIQ;

impl Query for WhoAmIQ {
    type Answer = Actor;
    fn answer(self, view: &View) -> Result<Actor, ReadError> {
        Ok(view.actor.clone())
    }
}

/// Users: every one to a committee admin, else only one's own record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsersQ;

impl Query for UsersQ {
    type Answer = Vec<User>;
    fn answer(self, view: &View) -> Result<Vec<User>, ReadError> {
        let all = query::users(view.store)?;
        Ok(if view.require_admin().is_ok() {
            all
        } else {
            all.into_iter()
                .filter(|u| u.login == view.actor.login)
                .collect()
        })
    }
}

/// Audit entries from the local day `since` (all when `None`), by `login`
/// when given, oldest first; only the last `tail` when given. A committee
/// admin reads everyone's, anyone else only their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditQ {
    pub since: Option<chrono::NaiveDate>,
    pub login: Option<String>,
    pub tail: Option<usize>,
}

impl Query for AuditQ {
    type Answer = Vec<AuditEntry>;
    fn answer(self, view: &View) -> Result<Vec<AuditEntry>, ReadError> {
        let login = match view.require_admin() {
            Ok(()) => self.login,
            // Someone else's entries are not theirs to read, whoever they ask for.
            Err(_) => Some(view.actor.login.clone()),
        };
        let mut out = query::audit_since(view.store, self.since, login.as_deref(), self.tail)?;
        for e in &mut out {
            e.mask_id_numbers();
        }
        Ok(out)
    }
}

/// Counts: of the whole store for those who see all of it, else of what
/// lies within their sight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryQ;

impl Query for SummaryQ {
    type Answer = Summary;
    fn answer(self, view: &View) -> Result<Summary, ReadError> {
        let sight = &view.sight;
        if sight.sees_all() && view.require_admin().is_ok() {
            return Ok(crate::report::summary::summary(view.store)?);
        }
        Ok(crate::report::summary::summary_within(
            view.store,
            &|u| sight.sees(u),
            &view.actor.login,
        )?)
    }
}

/// Re-derive every index and balance (committee admins only). Writers wait
/// while it runs: a check that read the ledger before a commit and its
/// indexes after it would report problems that are not there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckQ;

impl Query for CheckQ {
    type Answer = CheckReport;
    fn answer(self, view: &View) -> Result<CheckReport, ReadError> {
        view.require_admin()?;
        let _writers_wait = view.store.write_guard();
        Ok(crate::store::check(view.store)?)
    }
}
