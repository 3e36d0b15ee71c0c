//! The sample community: a deterministic generator that writes a realistic
//! community (one committee, branches, a group per building, members of every
//! category, beneficiaries, pairings, tasks, activities with attendance and six
//! months of points) through the ordinary `Command` seam, in group-committed
//! batches so 100,000 members and a million entries finish in minutes.
//!
//! `generate` runs the phases in order, one function each: the org tree
//! (`org`), the members (`members`), leaders, partners, rewards and users
//! (`org`), beneficiaries, pairings and tasks (`care`), activities and their
//! attendance (`activities`), the rest of the ledger and redemptions
//! (`ledger`). All draw on one seeded generator in that order, so a seed
//! always makes the same community.

mod activities;
mod batch;
mod care;
mod ledger;
mod members;
mod names;
mod org;
mod orglife;
pub mod roster;

use crate::domain::*;
use crate::ops::{Actor, OpsError, query};
use batch::Batcher;
use chrono::{Duration, NaiveDate};
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct DemoParams {
    pub members: usize,
    /// Ledger entries to aim for (attendance and task awards count towards it).
    pub entries: usize,
    pub seed: u64,
    /// Dates are laid out relative to this day.
    pub today: NaiveDate,
}

impl DemoParams {
    pub fn new(today: NaiveDate) -> DemoParams {
        DemoParams {
            members: 300,
            entries: 2_400,
            seed: 1,
            today,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub org_units: usize,
    pub members: usize,
    pub beneficiaries: usize,
    pub pairings: usize,
    pub tasks: usize,
    pub activities: usize,
    pub attendance: usize,
    pub entries: usize,
}

/// What every phase shares: the one generator, the writer, the counts so far.
struct Gen<'a> {
    rng: ChaCha8Rng,
    b: Batcher<'a>,
    report: DemoReport,
    today: NaiveDate,
    /// Ledger entries written so far (task and attendance awards included).
    entries: usize,
}

impl Gen<'_> {
    /// A day of the last six months (182 days back to today).
    fn day_in_range(&mut self) -> NaiveDate {
        self.today - Duration::days(182) + Duration::days(self.rng.random_range(0..=182))
    }
}

/// The active members of each unit, in the order they were made.
type ByUnit = BTreeMap<OrgUnitId, Vec<MemberId>>;

/// Writes the sample community into an empty store.
pub fn generate(
    store: &crate::store::Store,
    actor: &Actor,
    params: &DemoParams,
    progress: &mut dyn FnMut(u64),
) -> Result<DemoReport, OpsError> {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(params.seed),
        b: Batcher {
            store,
            actor,
            pending: Vec::new(),
            done: 0,
            progress,
        },
        report: DemoReport::default(),
        today: params.today,
        entries: 0,
    };
    let n = params.members.max(1);

    let tree = org::tree(&mut g, n)?;
    let surnames = members::surnames()?;
    let members = members::members(&mut g, &tree, &surnames, n)?;
    let mut by_unit: ByUnit = BTreeMap::new();
    for m in members.iter().filter(|m| m.active) {
        by_unit.entry(m.unit).or_default().push(m.id);
    }
    org::leaders(&mut g, &tree, &by_unit)?;
    let rewards = org::partners_rewards_users(&mut g, &tree)?;

    let mut caps = ledger::Caps {
        rules: query::rules(store)?
            .into_iter()
            .map(|r| (r.code.clone(), r))
            .collect(),
        used: HashMap::new(),
        balance: HashMap::new(),
    };
    let beneficiaries = care::beneficiaries(&mut g, &tree, &surnames, n)?;
    let pairs = care::pairings(&mut g, &beneficiaries, &by_unit)?;
    care::tasks(&mut g, &pairs, &mut caps)?;
    let held = activities::activities(&mut g, &tree, &caps)?;
    activities::attendance(
        &mut g,
        &tree,
        &by_unit,
        &held,
        &mut caps,
        params.entries / 3,
    )?;

    let active: Vec<MemberId> = members.iter().filter(|m| m.active).map(|m| m.id).collect();
    ledger::everyday(&mut g, &active, &mut caps, params.entries)?;
    ledger::redemptions(&mut g, &caps, &rewards, n)?;
    g.b.flush()?;
    let meetings: Vec<(ActivityId, ActivityData)> =
        held.iter().map(|h| (h.id, h.data.clone())).collect();
    orglife::add(store, actor, params.today, &meetings)?;
    g.report.entries = g.entries;
    Ok(g.report)
}
