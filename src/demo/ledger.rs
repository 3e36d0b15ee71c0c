//! The demo's points ledger beyond attendance and tasks: everyday service
//! points by a weighted mix of rules, about one in two hundred corrected,
//! and redemptions at the points supermarket; all within each rule's cap.

use super::Gen;
use super::batch::BATCH;
use crate::domain::*;
use crate::ops::{Command, OpsError};
use chrono::{Datelike, Duration, NaiveDate};
use rand::distr::weighted::WeightedIndex;
use rand::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Keeps the generator inside each rule's cap, as a careful worker would.
pub(super) struct Caps {
    pub(super) rules: BTreeMap<String, PointsRule>,
    pub(super) used: HashMap<(MemberId, RuleId, i32), Points>,
    pub(super) balance: HashMap<MemberId, Points>,
}

impl Caps {
    fn period_key(period: CapPeriod, d: NaiveDate) -> i32 {
        match period {
            CapPeriod::Month => d.year() * 100 + d.month() as i32,
            CapPeriod::Quarter => d.year() * 10 + ((d.month() as i32 - 1) / 3),
            CapPeriod::Year => d.year(),
        }
    }

    /// Reserves the points if the cap allows; returns false otherwise.
    pub(super) fn take(
        &mut self,
        member: MemberId,
        code: &str,
        date: NaiveDate,
        quantity: u32,
    ) -> bool {
        let Some(rule) = self.rules.get(code) else {
            return false;
        };
        let points = rule.points.times_centi(quantity);
        if let Some((period, max)) = rule.cap
            && points.0 > 0
        {
            let used = self
                .used
                .entry((member, rule.id, Self::period_key(period, date)))
                .or_default();
            if *used + points > max {
                return false;
            }
            *used += points;
        }
        *self.balance.entry(member).or_default() += points;
        true
    }
}

/// Everyday service points for active members until the ledger holds
/// `target` entries (or four tries an entry have failed on the caps).
pub(super) fn everyday(
    g: &mut Gen,
    active: &[MemberId],
    caps: &mut Caps,
    target: usize,
) -> Result<(), OpsError> {
    let rule_mix = [
        ("VOL", 40),
        ("STUDY", 20),
        ("ERRAND", 15),
        ("CARE", 10),
        ("ADVICE", 5),
        ("REPORT", 5),
        ("ABSENT", 5),
    ];
    let mix = WeightedIndex::new(rule_mix.iter().map(|r| r.1)).map_err(|e| {
        OpsError::Refused(crate::ops::Said::new(
            format!("demo rule mix: {e}"),
            format!("示例积分项目配比有误：{e}"),
        ))
    })?;
    let mut attempts = 0usize;
    let mut recorded: Vec<Command> = Vec::new();
    while g.entries < target && attempts < target * 4 && !active.is_empty() {
        attempts += 1;
        let m = active[g.rng.random_range(0..active.len())];
        let code = rule_mix[mix.sample(&mut g.rng)].0;
        let Some(rule) = caps.rules.get(code).cloned() else {
            continue;
        };
        let quantity = match rule.basis {
            RuleBasis::PerHour => g.rng.random_range(1..=4) * 100,
            RuleBasis::PerTime => 100,
        };
        let date = g.day_in_range();
        if !caps.take(m, code, date, quantity) {
            continue;
        }
        g.entries += 1;
        let note = if rule.points.0 < 0 {
            "无故缺席支部党员大会".to_string()
        } else {
            String::new()
        };
        recorded.push(Command::RecordPoints {
            member: m,
            date,
            rule: rule.id,
            quantity_centi: quantity,
            points_override: None,
            note,
        });
        if recorded.len() >= BATCH {
            correct_some(g, std::mem::take(&mut recorded))?;
        }
    }
    correct_some(g, recorded)
}

/// Applies a chunk of point entries, then reverses about one in two hundred of
/// them, as corrections happen in real ledgers.
fn correct_some(g: &mut Gen, cmds: Vec<Command>) -> Result<(), OpsError> {
    if cmds.is_empty() {
        return Ok(());
    }
    let ids = g.b.create_all(cmds)?;
    for id in ids {
        if g.rng.random_range(0..200) == 0 {
            g.entries += 1;
            g.b.push(Command::ReversePoints {
                entry: EntryId(id),
                reason: "录入错误，冲正".into(),
            })?;
        }
    }
    g.b.flush()?;
    Ok(())
}

/// Redemptions at the points supermarket by the richest members (one in
/// fifty), within each item's stock.
pub(super) fn redemptions(
    g: &mut Gen,
    caps: &Caps,
    rewards: &[u64],
    n: usize,
) -> Result<(), OpsError> {
    let mut stock: Vec<Option<u32>> = vec![Some(200), Some(100), None, Some(50)];
    let costs = [10, 20, 5, 15];
    let mut rich: Vec<(MemberId, Points)> = caps.balance.iter().map(|(m, p)| (*m, *p)).collect();
    rich.sort();
    for (m, balance) in rich
        .into_iter()
        .filter(|(_, p)| p.0 >= 3_000)
        .take(n / 50 + 1)
    {
        let item = g.rng.random_range(0..rewards.len().min(costs.len()));
        if stock[item] == Some(0) || balance < Points::whole(costs[item] + 10) {
            continue;
        }
        if let Some(left) = stock[item].as_mut() {
            *left -= 1;
        }
        g.entries += 1;
        g.b.push(Command::Redeem {
            member: m,
            reward: RewardId(rewards[item]),
            date: g.today - Duration::days(g.rng.random_range(0..30)),
            note: "积分超市兑换".into(),
        })?;
    }
    g.b.flush()?;
    Ok(())
}
