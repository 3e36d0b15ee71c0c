//! The figures, from the exports alone, following README's "Overview
//! figures".

use super::*;

impl Exports {
    pub(crate) fn unit(&self, id: u64) -> Option<&UnitRow> {
        self.units.iter().find(|u| u.id == id)
    }

    pub(crate) fn unit_name(&self, id: u64) -> String {
        self.unit(id).map(|u| u.name.clone()).unwrap_or_default()
    }

    /// `root` and every unit below it, by the parent ids; every unit when
    /// there is no root.
    pub(crate) fn subtree(&self, root: Option<u64>) -> HashSet<u64> {
        let Some(root) = root else {
            return self.units.iter().map(|u| u.id).collect();
        };
        let mut out = HashSet::from([root]);
        loop {
            let more: Vec<u64> = self
                .units
                .iter()
                .filter(|u| u.parent.is_some_and(|p| out.contains(&p)) && !out.contains(&u.id))
                .map(|u| u.id)
                .collect();
            if more.is_empty() {
                return out;
            }
            out.extend(more);
        }
    }

    /// The branch above a unit (the unit itself when it is one).
    pub(crate) fn branch_of(&self, unit: u64) -> Option<u64> {
        let mut at = self.unit(unit);
        while let Some(u) = at {
            if u.level == Level::Branch {
                return Some(u.id);
            }
            at = u.parent.and_then(|p| self.unit(p));
        }
        None
    }

    /// Earned points of a member dated `from..=to`: every ledger row that is
    /// not a redemption, reversals included (they cancel what they reverse).
    pub(crate) fn earned(&self, member: u64, from: NaiveDate, to: NaiveDate) -> i64 {
        self.ledger
            .iter()
            .filter(|e| e.member == member && e.earned && from <= e.date && e.date <= to)
            .map(|e| e.points)
            .sum()
    }

    /// Service that carries no points: tasks done with no points entry, and
    /// presence at activities without a rule.
    pub(crate) fn deeds(&self) -> Vec<(u64, NaiveDate)> {
        let tasks = self
            .tasks
            .iter()
            .filter_map(|t| match (t.state, t.done, t.award) {
                (TaskState::Done, Some(d), None) => Some((t.assignee, d)),
                _ => None,
            });
        let present = self
            .attendance
            .iter()
            .filter(|a| a.present && !a.with_rule)
            .map(|a| (a.member, a.day));
        tasks.chain(present).collect()
    }

    pub(crate) fn served(&self, member: u64, from: NaiveDate, to: NaiveDate) -> bool {
        self.earned(member, from, to) > 0
            || self
                .deeds()
                .iter()
                .any(|(m, d)| *m == member && from <= *d && *d <= to)
    }

    pub(crate) fn open_units(&self, level: Level, scope: &HashSet<u64>) -> Vec<&UnitRow> {
        let mut v: Vec<&UnitRow> = self
            .units
            .iter()
            .filter(|u| u.level == level && u.open && scope.contains(&u.id))
            .collect();
        v.sort_by_key(|u| u.id);
        v
    }
}

pub(crate) fn last_day_of_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(Months::new(1))
        .unwrap()
        .pred_opt()
        .unwrap()
}

/// Rounded to the nearest hundredth, halves away from zero.
pub(crate) fn rounded_div(sum: i64, n: i64) -> i64 {
    if n == 0 {
        return 0;
    }
    let q = (2 * sum.abs() + n) / (2 * n);
    if sum < 0 { -q } else { q }
}

pub(crate) fn median(sorted: &[i64]) -> i64 {
    match sorted.len() {
        0 => 0,
        n if n % 2 == 1 => sorted[n / 2],
        n => rounded_div(sorted[n / 2 - 1] + sorted[n / 2], 2),
    }
}

/// Buildings in order: numbers by value, then names.
pub(crate) fn building_order(set: BTreeSet<String>) -> Vec<String> {
    let mut v: Vec<String> = set.into_iter().collect();
    v.sort_by_key(|b| (b.parse::<u64>().unwrap_or(u64::MAX), b.clone()));
    v
}

/// The overview of the subtree at `root` (the community when `None`) worked
/// out from the exports, following the README's definitions.
pub(crate) fn reproduce(
    x: &Exports,
    root: Option<u64>,
    period: &Period,
    today: NaiveDate,
) -> Overview {
    let in_scope = x.subtree(root);
    // Only active members count, by their current unit.
    let mut members: Vec<&MemberRow> = x
        .members
        .iter()
        .filter(|m| m.active && (root.is_none() || in_scope.contains(&m.unit)))
        .collect();
    members.sort_by_key(|m| m.id);
    let ids = |keep: &dyn Fn(&MemberRow) -> bool| -> Vec<MemberId> {
        members
            .iter()
            .filter(|m| keep(m))
            .map(|m| MemberId(m.id))
            .collect()
    };

    // Activation. The year and the trend end with the period's end, or today
    // when the period runs past it.
    let end = period.to.min(today);
    let year_from = NaiveDate::from_ymd_opt(end.year(), 1, 1).unwrap();
    let year_to = NaiveDate::from_ymd_opt(end.year(), 12, 31).unwrap();
    let earned = |m: &MemberRow| x.earned(m.id, period.from, period.to);
    let served = |m: &MemberRow| x.served(m.id, period.from, period.to);
    let served_year = |m: &MemberRow| x.served(m.id, year_from, year_to);
    let reported = |m: &MemberRow| m.reported.is_some_and(|d| d <= period.to);
    let categories = MemberCategory::ALL.iter().map(|c| Some(*c)).chain([None]);
    let rows = categories
        .map(|category| {
            let of: Vec<&&MemberRow> = members
                .iter()
                .filter(|m| category.is_none_or(|c| m.category == c))
                .collect();
            let mut pts: Vec<i64> = of.iter().map(|m| earned(m)).collect();
            pts.sort_unstable();
            let count =
                |keep: &dyn Fn(&MemberRow) -> bool| of.iter().filter(|m| keep(m)).count() as u64;
            CategoryRow {
                category,
                members: of.len() as u64,
                reported: count(&reported),
                served: count(&served),
                avg_points: Points(rounded_div(pts.iter().sum(), pts.len() as i64)),
                median_points: Points(median(&pts)),
                idle_year: count(&|m| !served_year(m)),
            }
        })
        .collect();
    let last_month = end.with_day(1).unwrap();
    let trend = (0..12)
        .rev()
        .map(|back| {
            let month = last_month.checked_sub_months(Months::new(back)).unwrap();
            let to = last_day_of_month(month);
            TrendMonth {
                month,
                members: members.len() as u64,
                served: members.iter().filter(|m| x.served(m.id, month, to)).count() as u64,
            }
        })
        .collect();
    let activation = Activation {
        period: period.label().to_string(),
        from: period.from,
        to: period.to,
        rows,
        trend,
        not_served: ids(&|m| !served(m)),
        not_reported: ids(&|m| !reported(m)),
        idle_year: ids(&|m| !served_year(m)),
    };

    // Coverage. A building is covered when an open group anywhere lists it.
    let key = |b: &str| building_key(b);
    let covered_anywhere: HashSet<String> = x
        .units
        .iter()
        .filter(|u| u.level == Level::Group && u.open)
        .flat_map(|u| u.buildings.iter().map(|b| key(b)))
        .filter(|b| !b.is_empty())
        .collect();
    let mut known: BTreeSet<String> = x
        .open_units(Level::Group, &in_scope)
        .iter()
        .flat_map(|u| u.buildings.iter().map(|b| key(b)))
        .filter(|b| !b.is_empty())
        .collect();
    let mut without_group = BTreeSet::new();
    let mut members_in_uncovered = Vec::new();
    for m in &members {
        let b = key(&m.building);
        if b.is_empty() {
            continue;
        }
        if !covered_anywhere.contains(&b) {
            without_group.insert(b.clone());
            members_in_uncovered.push(MemberId(m.id));
        }
        known.insert(b);
    }
    let covered = known
        .iter()
        .filter(|b| covered_anywhere.contains(*b))
        .cloned()
        .collect();
    let named_unit = |u: &&UnitRow| Named {
        id: OrgUnitId(u.id),
        name: u.name.clone(),
        unit: OrgUnitId(u.parent.unwrap_or(u.id)),
        unit_name: u.parent.map(|p| x.unit_name(p)).unwrap_or_default(),
    };
    let leaderless = |level| -> Vec<Named<OrgUnitId>> {
        x.open_units(level, &in_scope)
            .iter()
            .filter(|u| u.leader.is_none())
            .map(named_unit)
            .collect()
    };
    let paired: HashSet<u64> = x
        .pairings
        .iter()
        .filter(|p| !p.ended)
        .map(|p| p.beneficiary)
        .collect();
    let mut beneficiaries: Vec<&BeneficiaryRow> = x
        .beneficiaries
        .iter()
        .filter(|b| b.active && in_scope.contains(&b.unit))
        .collect();
    beneficiaries.sort_by_key(|b| b.id);
    let named_beneficiary = |b: &BeneficiaryRow| Named {
        id: BeneficiaryId(b.id),
        name: b.name.clone(),
        unit: OrgUnitId(b.unit),
        unit_name: x.unit_name(b.unit),
    };
    let coverage = Coverage {
        buildings_known: building_order(known),
        buildings_covered: building_order(covered),
        buildings_without_group: building_order(without_group),
        members_in_uncovered,
        members_without_group: members
            .iter()
            .filter(|m| {
                x.unit(m.unit)
                    .is_none_or(|u| u.level != Level::Group || !u.open)
            })
            .map(|m| Named {
                id: MemberId(m.id),
                name: m.name.clone(),
                unit: OrgUnitId(m.unit),
                unit_name: x.unit_name(m.unit),
            })
            .collect(),
        groups_without_leader: leaderless(Level::Group),
        branches_without_secretary: leaderless(Level::Branch),
        beneficiaries_unpaired: beneficiaries
            .iter()
            .filter(|b| !paired.contains(&b.id))
            .map(|b| named_beneficiary(b))
            .collect(),
    };

    // Workload. A task belongs to its beneficiary's unit; a visit is any
    // completed task.
    let mut units: BTreeMap<u64, UnitLoad> = BTreeMap::new();
    let load = |units: &mut BTreeMap<u64, UnitLoad>, unit: u64| {
        units.entry(unit).or_insert_with(|| UnitLoad {
            unit: OrgUnitId(unit),
            name: x.unit_name(unit),
            branch_name: x
                .branch_of(unit)
                .map(|b| x.unit_name(b))
                .unwrap_or_default(),
            open: 0,
            overdue: 0,
            visits_overdue: 0,
        });
    };
    for g in x.open_units(Level::Group, &in_scope) {
        load(&mut units, g.id);
    }
    let (mut open, mut overdue) = (0, 0);
    for t in x.tasks.iter().filter(|t| t.state == TaskState::Open) {
        let Some(b) = x.beneficiaries.iter().find(|b| b.id == t.beneficiary) else {
            continue;
        };
        if !in_scope.contains(&b.unit) {
            continue;
        }
        load(&mut units, b.unit);
        let u = units.get_mut(&b.unit).unwrap();
        u.open += 1;
        open += 1;
        if t.due < today {
            u.overdue += 1;
            overdue += 1;
        }
    }
    // (never visited, days overdue, beneficiary)
    let mut waiting: Vec<(bool, i64, &BeneficiaryRow)> = Vec::new();
    for b in &beneficiaries {
        let last = x
            .tasks
            .iter()
            .filter(|t| t.beneficiary == b.id && t.state == TaskState::Done)
            .filter_map(|t| t.done)
            .max();
        match last {
            None => waiting.push((true, 0, b)),
            Some(d) => {
                let late = (today - d).num_days() - b.cycle;
                if late > 0 {
                    waiting.push((false, late, b));
                }
            }
        }
    }
    waiting.sort_by(|p, q| q.0.cmp(&p.0).then(q.1.cmp(&p.1)).then(p.2.id.cmp(&q.2.id)));
    for (_, _, b) in &waiting {
        load(&mut units, b.unit);
        units.get_mut(&b.unit).unwrap().visits_overdue += 1;
    }
    let workload = Workload {
        today,
        units: units.into_values().collect(),
        open,
        overdue,
        visits_overdue: waiting
            .iter()
            .map(|(_, _, b)| named_beneficiary(b))
            .collect(),
    };

    // Points by branch: each open branch of the scope, its members' earned
    // points in the period.
    let points_by_branch = x
        .open_units(Level::Branch, &in_scope)
        .iter()
        .map(|b| {
            let sum = members
                .iter()
                .filter(|m| x.branch_of(m.unit) == Some(b.id))
                .map(|m| earned(m))
                .sum();
            (OrgUnitId(b.id), b.name.clone(), Points(sum))
        })
        .collect();

    Overview {
        activation,
        coverage,
        workload,
        points_by_branch,
        // Not reproduced from the exports here: tests/orglife.rs holds the
        // meeting, flow and lost-contact figures against hand-built answers.
        orglife: Default::default(),
    }
}
