//! Pairing-assistance reads: who is due a visit, which tasks are open or
//! overdue, which paired members did nothing this month, and whom to pair with
//! a beneficiary. Every list is cut to what the actor may see.
//!
//! Reads only: changes go through `ops::apply`. The visit log is the set of
//! completed tasks — every completion is a visit-log line, whatever its kind.

use crate::domain::validate::normalize_input;
use crate::domain::*;
use crate::ops::{Actor, query};
use crate::store::{Store, StoreError};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One beneficiary with the age of their last visit and when the next is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VisitRow {
    pub beneficiary: Beneficiary,
    pub unit_name: String,
    /// Latest done_date of any Done task for this beneficiary (every completion is a visit-log line).
    pub last_visit: Option<NaiveDate>,
    /// today - last_visit in days.
    pub days_since: Option<i64>,
    /// last_visit + visit_cycle_days; for a never-visited beneficiary: today.
    pub due: NaiveDate,
    /// today - due in days: > 0 overdue, 0 due today, < 0 not yet due. Never
    /// visited counts as overdue by 0 and `never_visited` is true.
    pub overdue_days: i64,
    pub never_visited: bool,
    pub active_pairings: Vec<Pairing>,
}

/// Where a beneficiary stands against their visit cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum VisitStatus {
    Never,
    Overdue,
    Due,
    Ok,
}

impl VisitStatus {
    pub const VARIANTS: [VisitStatus; 4] = [
        VisitStatus::Never,
        VisitStatus::Overdue,
        VisitStatus::Due,
        VisitStatus::Ok,
    ];

    /// As `report visits` says it (`never`, `overdue`, `due`, `ok`).
    pub fn name_en(self) -> &'static str {
        self.label(crate::domain::Lang::En)
    }

    /// How the status reads in `lang` (the domain's words live in
    /// `domain::words`; this one is the report's own).
    pub fn label(self, lang: crate::domain::Lang) -> &'static str {
        let (en, zh) = match self {
            VisitStatus::Never => ("never", "从未走访"),
            VisitStatus::Overdue => ("overdue", "逾期"),
            VisitStatus::Due => ("due", "今日到期"),
            VisitStatus::Ok => ("ok", "正常"),
        };
        lang.pick(en, zh)
    }
}

impl VisitRow {
    /// The "not visited within their visit cycle" alert: overdue, or never seen.
    pub fn alert(&self) -> bool {
        self.never_visited || self.overdue_days > 0
    }

    pub fn status(&self) -> VisitStatus {
        if self.never_visited {
            VisitStatus::Never
        } else if self.overdue_days > 0 {
            VisitStatus::Overdue
        } else if self.overdue_days == 0 {
            VisitStatus::Due
        } else {
            VisitStatus::Ok
        }
    }
}

/// Answers `Actor::can_see` once per unit: every row of a report asks it.
struct Visibility<'a> {
    store: &'a Store,
    actor: &'a Actor,
    seen: HashMap<OrgUnitId, bool>,
}

impl<'a> Visibility<'a> {
    fn new(store: &'a Store, actor: &'a Actor) -> Self {
        Visibility {
            store,
            actor,
            seen: HashMap::new(),
        }
    }

    fn can_see(&mut self, unit: OrgUnitId) -> Result<bool, StoreError> {
        if let Some(v) = self.seen.get(&unit) {
            return Ok(*v);
        }
        let v = self.actor.can_see(self.store, unit)?;
        self.seen.insert(unit, v);
        Ok(v)
    }
}

fn unit_names(store: &Store) -> Result<HashMap<OrgUnitId, String>, StoreError> {
    Ok(query::org_units(store)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

fn active_pairings(store: &Store) -> Result<Vec<Pairing>, StoreError> {
    let mut out = Vec::new();
    for p in store.scan::<Pairing>() {
        let p = p?;
        if p.active() {
            out.push(p);
        }
    }
    Ok(out)
}

/// Active beneficiaries the actor may see, never visited first, then the most
/// overdue, then by id.
pub fn visits(store: &Store, actor: &Actor, today: NaiveDate) -> Result<Vec<VisitRow>, StoreError> {
    let names = unit_names(store)?;
    let mut last: HashMap<BeneficiaryId, NaiveDate> = HashMap::new();
    for t in store.scan::<Task>() {
        let t = t?;
        if let (TaskStatus::Done, Some(d)) = (t.status, t.done_date) {
            let e = last.entry(t.beneficiary).or_insert(d);
            *e = (*e).max(d);
        }
    }
    let mut pairings: HashMap<BeneficiaryId, Vec<Pairing>> = HashMap::new();
    for p in active_pairings(store)? {
        pairings.entry(p.beneficiary).or_default().push(p);
    }
    let mut vis = Visibility::new(store, actor);
    let mut rows = Vec::new();
    for b in store.scan::<Beneficiary>() {
        let b = b?;
        if !b.data.active || !vis.can_see(b.data.unit)? {
            continue;
        }
        let last_visit = last.get(&b.id).copied();
        let due = match last_visit {
            Some(d) => d + Duration::days(i64::from(b.data.visit_cycle_days)),
            None => today,
        };
        rows.push(VisitRow {
            unit_name: names.get(&b.data.unit).cloned().unwrap_or_default(),
            last_visit,
            days_since: last_visit.map(|d| (today - d).num_days()),
            due,
            overdue_days: (today - due).num_days(),
            never_visited: last_visit.is_none(),
            active_pairings: pairings.remove(&b.id).unwrap_or_default(),
            beneficiary: b,
        });
    }
    rows.sort_by(|x, y| {
        y.never_visited
            .cmp(&x.never_visited)
            .then(y.overdue_days.cmp(&x.overdue_days))
            .then(x.beneficiary.id.cmp(&y.beneficiary.id))
    });
    Ok(rows)
}

/// An open task with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TaskRow {
    pub task: Task,
    pub beneficiary_name: String,
    pub assignee_name: String,
    /// The beneficiary's unit: tasks belong where the beneficiary lives.
    pub unit: OrgUnitId,
    /// today - due (open tasks); 0 for others
    pub overdue_days: i64,
}

/// Open tasks (only those due before `today` when `overdue_only`) of
/// beneficiaries within `org` and visible to the actor; most overdue first,
/// then by due date, then by id.
pub fn tasks(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
    overdue_only: bool,
    org: Option<OrgUnitId>,
) -> Result<Vec<TaskRow>, StoreError> {
    let within: Option<HashSet<OrgUnitId>> = match org {
        Some(u) => Some(query::subtree(store, u)?.into_iter().collect()),
        None => None,
    };
    let mut beneficiaries: HashMap<BeneficiaryId, Option<Beneficiary>> = HashMap::new();
    let mut members: HashMap<MemberId, String> = HashMap::new();
    let mut vis = Visibility::new(store, actor);
    let mut rows = Vec::new();
    for t in store.scan::<Task>() {
        let t = t?;
        if t.status != TaskStatus::Open || (overdue_only && t.due >= today) {
            continue;
        }
        let b = match beneficiaries.get(&t.beneficiary) {
            Some(b) => b.clone(),
            None => {
                let b = store.get_id::<Beneficiary>(t.beneficiary.0)?;
                beneficiaries.insert(t.beneficiary, b.clone());
                b
            }
        };
        // A task whose beneficiary record is missing has no unit to be seen in.
        let Some(b) = b else { continue };
        if within.as_ref().is_some_and(|w| !w.contains(&b.data.unit))
            || !vis.can_see(b.data.unit)?
        {
            continue;
        }
        let assignee_name = match members.get(&t.assignee) {
            Some(n) => n.clone(),
            None => {
                let n = query::member(store, t.assignee)?
                    .map(|m| m.data.name)
                    .unwrap_or_default();
                members.insert(t.assignee, n.clone());
                n
            }
        };
        rows.push(TaskRow {
            overdue_days: (today - t.due).num_days(),
            beneficiary_name: b.data.name,
            assignee_name,
            unit: b.data.unit,
            task: t,
        });
    }
    // Due date ascending is the same order as most overdue first.
    rows.sort_by(|x, y| x.task.due.cmp(&y.task.due).then(x.task.id.cmp(&y.task.id)));
    Ok(rows)
}

/// Active members the actor may see who hold at least one active pairing but
/// completed no task in `today`'s calendar month, with their active pairing
/// count, by member id.
pub fn idle_paired_members(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<(Member, usize)>, StoreError> {
    let mut counts: HashMap<MemberId, usize> = HashMap::new();
    for p in active_pairings(store)? {
        *counts.entry(p.member).or_default() += 1;
    }
    let mut busy: HashSet<MemberId> = HashSet::new();
    for t in store.scan::<Task>() {
        let t = t?;
        if t.status == TaskStatus::Done
            && t.done_date
                .is_some_and(|d| d.year() == today.year() && d.month() == today.month())
        {
            busy.insert(t.assignee);
        }
    }
    let mut ids: Vec<(MemberId, usize)> = counts
        .into_iter()
        .filter(|(m, _)| !busy.contains(m))
        .collect();
    ids.sort();
    let mut vis = Visibility::new(store, actor);
    let mut out = Vec::new();
    for (id, n) in ids {
        let Some(m) = query::member(store, id)? else {
            continue;
        };
        if m.data.status == MemberStatus::Active && vis.can_see(m.data.unit)? {
            out.push((m, n));
        }
    }
    Ok(out)
}

/// A member proposed for a beneficiary, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Suggestion {
    pub member: Member,
    /// Higher is better; only the order means anything.
    pub score: i64,
    pub reasons: Vec<String>,
}

/// Words in a beneficiary's needs that call for a member skill. Small on
/// purpose: needs are free text, and a wrong match costs only a suggestion.
const NEED_SKILLS: &[(&str, &[&str])] = &[
    ("医疗", &["医疗", "看病", "就医", "送药"]),
    ("法律", &["法律", "咨询"]),
    ("维修", &["维修", "水电"]),
    ("教学", &["辅导", "作业", "教学"]),
    ("心理咨询", &["心理", "疏导"]),
];

// Weights make the order lexicographic: building first, then skills, then load
// (a member's load is capped below one skill's weight).
const SAME_BUILDING: i64 = 20_000;
const NEARBY_BUILDING: i64 = 10_000;
const PER_SKILL: i64 = 1_000;
const MAX_LOAD: i64 = 999;

/// The number in a building as people write it: "12", "12号楼", "１２栋".
fn building_number(building: &str) -> Option<u32> {
    let digits: String = normalize_input(building)
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// The skills among `skills` that the needs text calls for.
fn matching_skills(skills: &[String], needs: &str) -> Vec<String> {
    skills
        .iter()
        .filter(|s| {
            let s = s.trim();
            !s.is_empty()
                && (needs.contains(s)
                    || NEED_SKILLS.iter().any(|(skill, words)| {
                        s == *skill && words.iter().any(|w| needs.contains(w))
                    }))
        })
        .cloned()
        .collect()
}

/// Up to `limit` active members the actor may see and who are not already
/// actively paired with `beneficiary`, best first: same building, then a
/// building one or two numbers away, then skills matching the needs, then
/// fewest active pairings. An unknown beneficiary, or one outside what the
/// actor may see, has no suggestions.
pub fn suggest_members(
    store: &Store,
    actor: &Actor,
    beneficiary: BeneficiaryId,
    limit: usize,
) -> Result<Vec<Suggestion>, StoreError> {
    let Some(b) = store.get_id::<Beneficiary>(beneficiary.0)? else {
        return Ok(Vec::new());
    };
    // Someone who may not see the beneficiary may not pair anyone with them.
    if !actor.can_see(store, b.data.unit)? {
        return Ok(Vec::new());
    }
    let mut load: HashMap<MemberId, i64> = HashMap::new();
    let mut paired: HashSet<MemberId> = HashSet::new();
    for p in active_pairings(store)? {
        *load.entry(p.member).or_default() += 1;
        if p.beneficiary == beneficiary {
            paired.insert(p.member);
        }
    }
    let b_building = normalize_input(&b.data.address.building);
    let b_number = building_number(&b_building);
    let mut vis = Visibility::new(store, actor);
    let mut out = Vec::new();
    for m in store.scan::<Member>() {
        let m = m?;
        if m.data.status != MemberStatus::Active
            || paired.contains(&m.id)
            || !vis.can_see(m.data.unit)?
        {
            continue;
        }
        let mut score = 0;
        let mut reasons = Vec::new();
        let m_building = normalize_input(&m.data.address.building);
        let m_number = building_number(&m_building);
        let same = match (b_number, m_number) {
            (Some(x), Some(y)) => x == y,
            _ => !b_building.is_empty() && b_building == m_building,
        };
        if same {
            score += SAME_BUILDING;
            reasons.push("same building".to_string());
        } else if let (Some(x), Some(y)) = (b_number, m_number) {
            match x.abs_diff(y) {
                1 => {
                    score += NEARBY_BUILDING;
                    reasons.push(format!("building {y} is next door"));
                }
                2 => {
                    score += NEARBY_BUILDING;
                    reasons.push(format!("building {y} is nearby"));
                }
                _ => {}
            }
        }
        for skill in matching_skills(&m.data.skills, &b.data.needs) {
            score += PER_SKILL;
            reasons.push(format!("skill {skill} matches needs"));
        }
        let n = load.get(&m.id).copied().unwrap_or(0);
        score -= n.min(MAX_LOAD);
        reasons.push(match n {
            0 => "no active pairings".to_string(),
            1 => "1 active pairing".to_string(),
            n => format!("{n} active pairings"),
        });
        out.push(Suggestion {
            member: m,
            score,
            reasons,
        });
    }
    out.sort_by(|x, y| y.score.cmp(&x.score).then(x.member.id.cmp(&y.member.id)));
    out.truncate(limit);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::VisitStatus;
    use crate::domain::Lang;

    #[test]
    fn every_visit_status_has_words_in_both_languages() {
        for s in VisitStatus::VARIANTS {
            match s {
                VisitStatus::Never | VisitStatus::Overdue | VisitStatus::Due | VisitStatus::Ok => {}
            }
            assert!(s.label(Lang::En).is_ascii());
            let zh = s.label(Lang::Zh);
            assert!(!zh.is_empty() && !zh.chars().any(|c| c.is_ascii_alphabetic()));
        }
    }
}
