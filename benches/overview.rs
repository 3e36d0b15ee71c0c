//! Overview benchmark: the time to compute everything the overview panel
//! shows (activation with its 12-month trend, coverage, workload, points by
//! branch) for the whole community and for one branch, on a demo-sized store,
//! with where the time goes.
//!
//! cargo bench --bench overview -- [--members N] [--entries N] [--store DIR] [--cache-mb N]
//! (run by `cargo test --benches`, it is a small smoke run)
//!
//! A `--store` that already holds data is reused as it is (and only read).

use chrono::Datelike;
use dangjian::demo::{DemoParams, generate};
use dangjian::domain::*;
use dangjian::ops::{self, query};

use dangjian::report::overview::{self, CareRecords, Context};
use dangjian::report::period::Period;
use dangjian::report::points::Scope;
use dangjian::store::{Store, StoreConfig};
use std::time::{Duration, Instant};

struct Args {
    members: usize,
    entries: usize,
    store: Option<std::path::PathBuf>,
    cache_mb: u64,
}

fn args() -> Args {
    let mut a = Args {
        members: 100_000,
        entries: 1_000_000,
        store: None,
        cache_mb: 32,
    };
    let mut benching = false;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--bench" => benching = true,
            "--members" => a.members = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.members),
            "--entries" => a.entries = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.entries),
            "--store" => a.store = it.next().map(Into::into),
            "--cache-mb" => {
                a.cache_mb = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.cache_mb)
            }
            _ => {}
        }
    }
    if !benching && a.store.is_none() && a.members == 100_000 && a.entries == 1_000_000 {
        a.members = 200;
        a.entries = 2_000;
    }
    a
}

/// The first run (what the first look at a figure costs, caches cold) and the
/// median of the 5 runs after it.
fn time(f: &dyn Fn()) -> (Duration, Duration) {
    let started = Instant::now();
    f();
    let first = started.elapsed();
    let mut runs: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    runs.sort();
    (first, runs[runs.len() / 2])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn first_and_median((first, median): (Duration, Duration)) -> String {
    format!(
        "first {:.0} ms, then median {:.0} ms",
        ms(first),
        ms(median)
    )
}

fn main() {
    let a = args();
    let tmp;
    let path = match &a.store {
        Some(p) => p.clone(),
        None => {
            tmp = tempfile::tempdir().expect("temp dir");
            tmp.path().join("store")
        }
    };
    // The TUI's default cache (32 MiB) unless told: what an old office PC runs with.
    let store = Store::open(
        &path,
        &StoreConfig {
            cache_bytes: a.cache_mb << 20,
        },
    )
    .expect("open store");
    let login = dangjian::identity::os_login().expect("os login");
    let actor = ops::actor_for_login(&store, &login).expect("actor");
    let today = chrono::Local::now().date_naive();
    if store.count_of::<dangjian::domain::Member>() == 0 {
        let mut params = DemoParams::new(today);
        params.members = a.members;
        params.entries = a.entries;
        generate(&store, &actor, &params, &mut |_| {}).expect("demo");
    }
    println!(
        "{}: {} members, {} entries, {} tasks",
        path.display(),
        store.count_of::<dangjian::domain::Member>(),
        store.count_of::<dangjian::domain::PointsEntry>(),
        store.count_of::<dangjian::domain::Task>()
    );
    let month = Period::month(today.year(), today.month()).expect("month");
    let quarter = Period::quarter(today.year(), today.month0() / 3 + 1).expect("quarter");
    let year = Period::year(today.year()).expect("year");
    let branch = query::org_units(&store)
        .expect("units")
        .into_iter()
        .find(|u| u.level == OrgLevel::Branch)
        .expect("a branch");
    // The TUI holds every member already; the CLI reads them first.
    let held: Vec<Member> = overview::scope_members(&store, Scope::Community).expect("members");
    let panel = |scope: Scope, period: &Period| {
        time(&|| {
            overview::overview_of(&store, scope, &held, period, today).expect("overview");
        })
    };
    let c = Scope::Community;
    let b = Scope::Subtree(branch.id);
    // In the order a user meets them: the panel opened on this month (sled's
    // cache holding only the members, as after the TUI's start), then `p` to
    // the quarter and the year, then one branch.
    println!(
        "overview panel (members held), community, this month: {}",
        first_and_median(panel(c, &month))
    );
    println!(
        "overview panel (members held), community, this quarter: {}",
        first_and_median(panel(c, &quarter))
    );
    println!(
        "overview panel (members held), community, this year: {}",
        first_and_median(panel(c, &year))
    );
    println!(
        "overview panel (members held), one branch, this month: {}",
        first_and_median(panel(b, &month))
    );
    let cli = time(&|| {
        overview::overview(&store, c, &month, today).expect("overview");
    });
    println!(
        "overview read from the store (CLI), community, month: {}",
        first_and_median(cli)
    );
    let load = time(&|| {
        overview::scope_members(&store, c).expect("members");
    });
    let care = time(&|| {
        CareRecords::load(&store).expect("care");
    });
    let context = time(&|| {
        Context::new(&store, c, &held).expect("context");
    });
    println!(
        "  parts (median): members read {:.0} ms; scope context {:.0} ms; pairing records {:.0} ms",
        ms(load.1),
        ms(context.1),
        ms(care.1)
    );
}
