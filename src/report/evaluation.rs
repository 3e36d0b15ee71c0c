//! The yearly evaluation: per member of a scope, the score (base + earned −
//! deductions, floored at 0, optionally capped; redemptions never count) and
//! the grade, with every step that led there — exemption, thresholds, the
//! ceiling after unexcused absences, the branch's 优秀 share — so a secretary
//! can say why each member has the grade they have.
//!
//! `gather` reads what the evaluation needs from the store (the year totals
//! and their deductions part, kept in step by every ledger write; the
//! unexcused-absence index; the open pending entries); `evaluate` is pure
//! arithmetic over those facts, tested on its own.

use super::points::{Scope, members_in_scope};
use crate::domain::evaluation::{Exemption, Step};
use crate::domain::*;
use crate::ops::query;
use crate::store::{Store, StoreError};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What the evaluation of one member starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub member: MemberId,
    pub name: String,
    pub unit: OrgUnitId,
    /// The branch whose 优秀 share the member counts in (their unit's
    /// branch; the unit itself when it is under no branch).
    pub branch: OrgUnitId,
    pub category: MemberCategory,
    pub birth_date: Option<chrono::NaiveDate>,
    /// Earned in the year, redemptions excluded, deductions included.
    pub net: Points,
    /// The deductions part of `net` (zero or negative).
    pub deductions: Points,
    pub unexcused: u32,
    /// Entries recorded for the member still waiting for approval.
    pub pending: u32,
}

/// One member's evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalLine {
    pub member: MemberId,
    pub name: String,
    pub unit: OrgUnitId,
    pub unit_name: String,
    pub branch: OrgUnitId,
    pub branch_name: String,
    pub category: MemberCategory,
    pub base: Points,
    /// Points earned (deductions apart), redemptions never lower it.
    pub earned: Points,
    /// Deductions, as a positive number.
    pub deducted: Points,
    /// The evaluation score; `None` when exempt.
    pub score: Option<Points>,
    /// `None` when exempt.
    pub grade: Option<Grade>,
    pub exempt: Option<Exemption>,
    pub unexcused: u32,
    pub pending: u32,
    /// How the score and grade were reached, in order.
    pub steps: Vec<Step>,
}

/// The evaluation of a scope for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub year: i32,
    pub settings: EvaluationSettings,
    /// Branch (or unit) first, then member id.
    pub lines: Vec<EvalLine>,
}

impl Evaluation {
    /// The 优秀党员 nomination list: members graded 优秀, highest score
    /// first (ties by member id).
    pub fn nominations(&self) -> Vec<&EvalLine> {
        let mut out: Vec<&EvalLine> = self
            .lines
            .iter()
            .filter(|l| l.grade == Some(Grade::Excellent))
            .collect();
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.member.cmp(&b.member)));
        out
    }
}

/// Evaluates every active member of `scope` for `year`. The 优秀 share is
/// held over the whole branch, so a group's evaluation is its branch's, cut
/// to the group: a member's grade is the same whoever asks.
pub fn evaluation(store: &Store, scope: Scope, year: i32) -> Result<Evaluation, StoreError> {
    let settings = store.evaluation_settings()?;
    let units = query::org_units(store)?;
    let (facts, wanted) = match scope {
        Scope::Subtree(unit) => {
            let branch = branches(&units).get(&unit).copied().unwrap_or(unit);
            let facts = gather(store, Scope::Subtree(branch), year, &units)?;
            let wanted: Option<HashSet<MemberId>> = (branch != unit)
                .then(|| {
                    members_in_scope(store, scope)
                        .map(|m| m.into_iter().map(|(id, _)| id).collect())
                })
                .transpose()?;
            (facts, wanted)
        }
        Scope::Community => (gather(store, scope, year, &units)?, None),
    };
    let names: HashMap<OrgUnitId, String> = units.into_iter().map(|u| (u.id, u.name)).collect();
    let mut lines = evaluate(&settings, year, &facts);
    if let Some(wanted) = wanted {
        lines.retain(|l| wanted.contains(&l.member));
    }
    for l in &mut lines {
        l.unit_name = names.get(&l.unit).cloned().unwrap_or_default();
        l.branch_name = names.get(&l.branch).cloned().unwrap_or_default();
    }
    Ok(Evaluation {
        year,
        settings,
        lines,
    })
}

/// Above this many members, one scan of all the members and totals beats a
/// lookup per member (as `report::points` does).
const SCAN_ABOVE: usize = 2_000;

/// The facts of every active member of `scope` for `year`.
pub fn gather(
    store: &Store,
    scope: Scope,
    year: i32,
    units: &[OrgUnit],
) -> Result<Vec<Facts>, StoreError> {
    let in_scope = members_in_scope(store, scope)?;
    let branch = branches(units);
    let mut members: Vec<Member> = Vec::with_capacity(in_scope.len());
    let mut net: HashMap<MemberId, Points> = HashMap::new();
    let mut deductions: HashMap<MemberId, Points> = HashMap::new();
    if in_scope.len() > SCAN_ABOVE || scope == Scope::Community {
        let wanted: HashSet<MemberId> = in_scope.iter().map(|(m, _)| *m).collect();
        for m in store.scan::<Member>() {
            let m = m?;
            if wanted.contains(&m.id) {
                members.push(m);
            }
        }
        for item in store.year_totals(year) {
            let (m, p) = item?;
            net.insert(m, p);
        }
        for item in store.year_deductions(year) {
            let (m, p) = item?;
            deductions.insert(m, p);
        }
    } else {
        for (id, _) in &in_scope {
            if let Some(m) = store.get_id::<Member>(id.0)? {
                members.push(m);
            }
            net.insert(*id, store.member_year_total(*id, year)?);
            deductions.insert(*id, store.member_year_deductions(*id, year)?);
        }
    }
    let unexcused = store.unexcused_counts(year)?;
    let mut pending: HashMap<MemberId, u32> = HashMap::new();
    for p in store.open_pending()? {
        *pending.entry(p.member).or_default() += 1;
    }
    Ok(members
        .into_iter()
        .filter(|m| m.data.status == MemberStatus::Active)
        .map(|m| Facts {
            member: m.id,
            branch: branch.get(&m.data.unit).copied().unwrap_or(m.data.unit),
            unit: m.data.unit,
            category: m.data.category,
            birth_date: m.data.birth_date,
            net: net.get(&m.id).copied().unwrap_or_default(),
            deductions: deductions.get(&m.id).copied().unwrap_or_default(),
            unexcused: unexcused.get(&m.id).copied().unwrap_or(0),
            pending: pending.get(&m.id).copied().unwrap_or(0),
            name: m.data.name,
        })
        .collect())
}

/// Each unit's branch: the nearest unit at branch level at or above it.
fn branches(units: &[OrgUnit]) -> HashMap<OrgUnitId, OrgUnitId> {
    let by_id: HashMap<OrgUnitId, &OrgUnit> = units.iter().map(|u| (u.id, u)).collect();
    let mut out = HashMap::new();
    for u in units {
        let mut at = Some(u);
        // Three levels deep; the bound guards against a damaged cycle.
        for _ in 0..16 {
            match at {
                Some(x) if x.level == OrgLevel::Branch => {
                    out.insert(u.id, x.id);
                    break;
                }
                Some(x) => at = x.parent.and_then(|p| by_id.get(&p).copied()),
                None => break,
            }
        }
    }
    out
}

/// Why `f` is exempt in `year`, if the settings exempt them.
fn exemption(settings: &EvaluationSettings, year: i32, f: &Facts) -> Option<Exemption> {
    if f.category == MemberCategory::Retired
        && let (Some(age), Some(born)) = (settings.exempt_retired_from_age, f.birth_date)
        && year - born.year() >= i32::from(age)
    {
        return Some(Exemption::RetiredAged(age));
    }
    if settings.exempt_mobile && f.category == MemberCategory::Mobile {
        return Some(Exemption::Mobile);
    }
    None
}

/// The evaluation of each member from their facts, branch by branch (the 优秀
/// share is held within a branch). Names of units are left for the caller.
pub fn evaluate(settings: &EvaluationSettings, year: i32, facts: &[Facts]) -> Vec<EvalLine> {
    let mut lines: Vec<EvalLine> = facts.iter().map(|f| one(settings, year, f)).collect();
    lines.sort_by_key(|l| (l.branch, l.member));
    if let Some(pct) = settings.excellent_share_pct {
        let mut start = 0;
        while start < lines.len() {
            let branch = lines[start].branch;
            let end = lines[start..]
                .iter()
                .position(|l| l.branch != branch)
                .map_or(lines.len(), |n| start + n);
            share_limit(&mut lines[start..end], pct);
            start = end;
        }
    }
    lines
}

/// One member's score and grade before the branch's share limit.
fn one(settings: &EvaluationSettings, year: i32, f: &Facts) -> EvalLine {
    let earned = f.net - f.deductions;
    let deducted = -f.deductions;
    let mut steps = vec![
        Step::Base(settings.base),
        Step::Earned(earned),
        Step::Deducted(deducted),
    ];
    let exempt = exemption(settings, year, f);
    let (score, grade) = match exempt {
        Some(e) => {
            steps.push(Step::Exempt(e));
            (None, None)
        }
        None => {
            let sum = settings.base + f.net;
            let mut score = sum;
            if sum.0 < 0 {
                steps.push(Step::FlooredAtZero { sum });
                score = Points::ZERO;
            }
            if let Some(cap) = settings.cap
                && score > cap
            {
                steps.push(Step::Capped { sum, cap });
                score = cap;
            }
            let mut grade = settings.thresholds.grade(score);
            steps.push(Step::Graded { score, grade });
            if let Some(c) = settings.absence_ceiling
                && f.unexcused >= c.absences
                && grade < c.at_most
            {
                steps.push(Step::AbsenceCeiling {
                    absences: f.unexcused,
                    from: grade,
                    to: c.at_most,
                });
                grade = c.at_most;
            }
            (Some(score), Some(grade))
        }
    };
    EvalLine {
        member: f.member,
        name: f.name.clone(),
        unit: f.unit,
        unit_name: String::new(),
        branch: f.branch,
        branch_name: String::new(),
        category: f.category,
        base: settings.base,
        earned,
        deducted,
        score,
        grade,
        exempt,
        unexcused: f.unexcused,
        pending: f.pending,
        steps,
    }
}

/// At most `pct` % of the branch's graded members (rounded down) keep 优秀:
/// the highest scores (ties by member id); the others who reached it are 良好.
fn share_limit(branch: &mut [EvalLine], pct: u8) {
    let graded = branch.iter().filter(|l| l.grade.is_some()).count();
    let places = graded * usize::from(pct) / 100;
    let mut excellent: Vec<usize> = (0..branch.len())
        .filter(|i| branch[*i].grade == Some(Grade::Excellent))
        .collect();
    excellent.sort_by(|a, b| {
        branch[*b]
            .score
            .cmp(&branch[*a].score)
            .then(branch[*a].member.cmp(&branch[*b].member))
    });
    for i in excellent.into_iter().skip(places) {
        let l = &mut branch[i];
        l.grade = Some(Grade::Good);
        l.steps.push(Step::ShareLimit {
            places,
            to: Grade::Good,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(id: u64, net: i64, deductions: i64) -> Facts {
        Facts {
            member: MemberId(id),
            name: format!("m{id}"),
            unit: OrgUnitId(2),
            branch: OrgUnitId(2),
            category: MemberCategory::OnTheJob,
            birth_date: None,
            net: Points::whole(net),
            deductions: Points::whole(deductions),
            unexcused: 0,
            pending: 0,
        }
    }

    #[test]
    fn base_plus_earned_minus_deductions_floored_at_zero() {
        let s = EvaluationSettings {
            excellent_share_pct: None,
            ..EvaluationSettings::default()
        };
        let lines = evaluate(&s, 2026, &[facts(1, 12, -2), facts(2, -70, -70)]);
        assert_eq!(lines[0].earned, Points::whole(14));
        assert_eq!(lines[0].deducted, Points::whole(2));
        assert_eq!(lines[0].score, Some(Points::whole(72)));
        assert_eq!(lines[0].grade, Some(Grade::Pass));
        assert_eq!(lines[1].score, Some(Points::ZERO));
        assert_eq!(lines[1].grade, Some(Grade::Fail));
        assert!(lines[1].steps.contains(&Step::FlooredAtZero {
            sum: Points::whole(-10)
        }));
    }

    #[test]
    fn the_share_limit_keeps_the_highest_and_says_why_the_others_are_not() {
        let s = EvaluationSettings {
            excellent_share_pct: Some(20),
            ..EvaluationSettings::default()
        };
        // Ten members, three reach 优秀: two places (20 % of 10).
        let mut all: Vec<Facts> = (1..=7).map(|i| facts(i, 10, 0)).collect();
        all.push(facts(8, 31, 0));
        all.push(facts(9, 35, 0));
        all.push(facts(10, 33, 0));
        let lines = evaluate(&s, 2026, &all);
        let grade = |id: u64| lines.iter().find(|l| l.member == MemberId(id)).unwrap();
        assert_eq!(grade(9).grade, Some(Grade::Excellent));
        assert_eq!(grade(10).grade, Some(Grade::Excellent));
        assert_eq!(grade(8).grade, Some(Grade::Good));
        assert!(grade(8).steps.contains(&Step::ShareLimit {
            places: 2,
            to: Grade::Good
        }));
    }
}
