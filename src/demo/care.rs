//! The demo's pairing assistance: beneficiaries in the buildings, members of
//! their unit paired with most of them, and tasks: two done in the last six
//! months (awarding points within the caps) and one open per pairing.

use super::ledger::Caps;
use super::members::phone;
use super::names::*;
use super::org::Tree;
use super::{ByUnit, Gen};
use crate::domain::*;
use crate::ops::{Command, OpsError};
use chrono::Duration;
use rand::distr::weighted::WeightedIndex;
use rand::prelude::*;

/// One beneficiary per eight members (at least eight); their ids and units.
pub(super) fn beneficiaries(
    g: &mut Gen,
    tree: &Tree,
    surnames: &WeightedIndex<u32>,
    n: usize,
) -> Result<Vec<(u64, OrgUnitId)>, OpsError> {
    let rng = &mut g.rng;
    let n_benef = (n / 8).max(8);
    let mut benef_cmds = Vec::with_capacity(n_benef);
    let mut benef_units = Vec::with_capacity(n_benef);
    for _ in 0..n_benef {
        let bld = rng.random_range(0..tree.buildings);
        let unit = tree.unit_of_building(bld);
        let kinds = [
            BeneficiaryKind::ElderlyAlone,
            BeneficiaryKind::ElderlyAlone,
            BeneficiaryKind::Disabled,
            BeneficiaryKind::FamilyInDifficulty,
            BeneficiaryKind::LeftBehindChild,
        ];
        let kind = kinds[rng.random_range(0..kinds.len())];
        let surname = SURNAMES[surnames.sample(rng)].0;
        let given = GIVEN_CHARS_FEMALE[rng.random_range(0..GIVEN_CHARS_FEMALE.len())];
        benef_units.push(unit);
        benef_cmds.push(Command::CreateBeneficiary {
            data: BeneficiaryData {
                name: format!("{surname}{given}"),
                address: Address {
                    building: (bld + 1).to_string(),
                    unit: rng.random_range(1..=4).to_string(),
                    room: format!("{}0{}", rng.random_range(1..=18), rng.random_range(1..=4)),
                },
                kind,
                needs: NEEDS[rng.random_range(0..NEEDS.len())].to_string(),
                contact: phone(rng),
                visit_cycle_days: [7, 14, 30][rng.random_range(0..3)],
                unit,
                active: true,
                notes: String::new(),
            },
        });
    }
    let benef_ids = g.b.create_all(benef_cmds)?;
    g.report.beneficiaries = benef_ids.len();
    Ok(benef_ids.into_iter().zip(benef_units).collect())
}

/// One or two members of the unit paired with each beneficiary but about
/// one in ten, who waits (so the alerts have work).
pub(super) fn pairings(
    g: &mut Gen,
    beneficiaries: &[(u64, OrgUnitId)],
    by_unit: &ByUnit,
) -> Result<Vec<(BeneficiaryId, MemberId)>, OpsError> {
    let mut pair_cmds = Vec::new();
    let mut pairs = Vec::new();
    for (bid, unit) in beneficiaries {
        if g.rng.random_range(0..10) == 0 {
            continue;
        }
        let Some(pool) = by_unit.get(unit) else {
            continue;
        };
        let k = g.rng.random_range(1..=2).min(pool.len());
        for m in pool.choose_multiple(&mut g.rng, k) {
            pairs.push((BeneficiaryId(*bid), *m));
            pair_cmds.push(Command::CreatePairing {
                member: *m,
                beneficiary: BeneficiaryId(*bid),
                since: g.today - Duration::days(g.rng.random_range(200..900)),
            });
        }
    }
    g.report.pairings = g.b.create_all(pair_cmds)?.len();
    Ok(pairs)
}

/// Per pairing two tasks done in the past months, one open (a third of
/// those overdue); a done task awards its rule's points when the cap allows.
pub(super) fn tasks(
    g: &mut Gen,
    pairs: &[(BeneficiaryId, MemberId)],
    caps: &mut Caps,
) -> Result<(), OpsError> {
    let today = g.today;
    let mut task_cmds = Vec::new();
    let mut to_complete = Vec::new();
    for (bid, m) in pairs {
        let kind = [
            TaskKind::Visit,
            TaskKind::Visit,
            TaskKind::Errand,
            TaskKind::Care,
        ][g.rng.random_range(0..4)];
        let title = match kind {
            TaskKind::Visit => "上门走访".to_string(),
            TaskKind::Errand => format!("代办：{}", NEEDS[g.rng.random_range(0..NEEDS.len())]),
            _ => "照料服务".to_string(),
        };
        for _ in 0..2 {
            let due = g.day_in_range();
            to_complete.push((task_cmds.len(), *m, kind, due));
            task_cmds.push(Command::CreateTask {
                kind,
                title: title.clone(),
                beneficiary: *bid,
                assignee: *m,
                due,
            });
        }
        let due = if g.rng.random_range(0..3) == 0 {
            today - Duration::days(g.rng.random_range(1..20))
        } else {
            today + Duration::days(g.rng.random_range(0..21))
        };
        task_cmds.push(Command::CreateTask {
            kind,
            title,
            beneficiary: *bid,
            assignee: *m,
            due,
        });
    }
    let task_ids = g.b.create_all(task_cmds)?;
    g.report.tasks = task_ids.len();
    for (index, member, kind, due) in to_complete {
        let hours = g.rng.random_range(1..=3) * 100;
        let code = crate::ops::rule_code_for(kind).unwrap_or("");
        let quantity = match caps.rules.get(code).map(|r| r.basis) {
            Some(RuleBasis::PerHour) => hours,
            _ => 100,
        };
        if !caps.take(member, code, due, quantity) {
            continue;
        }
        g.entries += 1;
        g.b.push(Command::CompleteTask {
            id: TaskId(task_ids[index]),
            date: due.min(today),
            hours_centi: hours,
            outcome: "已完成，老人身体状况良好".into(),
        })?;
    }
    g.b.flush()?;
    Ok(())
}
