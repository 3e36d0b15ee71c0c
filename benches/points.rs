//! Points benchmark on a demo-sized store: acknowledged single entries/s
//! (`ops::apply`, one fsync each), batched entries/s (`ops::apply_batch` of
//! 1000) beside sled's own limit for the same writes (`raw_sled_rate`), and
//! the year ranking over the whole community and over one branch.
//!
//! cargo bench --bench points -- [--members N] [--entries N] [--store DIR]
//! (run by `cargo test --benches`, it is a small smoke run)
//!
//! A `--store` that already holds data is reused as it is, so the slow demo
//! generation runs once.

use chrono::Datelike;
use dangjian::demo::{DemoParams, generate};
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::report::points::{Period, Scope, earned_in_period, members_in_scope, ranking};
use dangjian::store::{Store, StoreConfig};
use std::time::{Duration, Instant};

struct Args {
    members: usize,
    entries: usize,
    store: Option<std::path::PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        members: 100_000,
        entries: 1_000_000,
        store: None,
    };
    let mut benching = false;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--bench" => benching = true,
            "--members" => a.members = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.members),
            "--entries" => a.entries = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.entries),
            "--store" => a.store = it.next().map(Into::into),
            _ => {}
        }
    }
    // `cargo bench` passes `--bench`; without it (`cargo test --benches`) this is
    // a quick smoke run unless sizes were given.
    if !benching && a.store.is_none() && a.members == 100_000 && a.entries == 1_000_000 {
        a.members = 200;
        a.entries = 2_000;
    }
    a
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
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
    let store = Store::open(
        &path,
        &StoreConfig {
            cache_bytes: 256 << 20,
        },
    )
    .expect("open store");
    let login = dangjian::identity::os_login().expect("os login");
    let fresh = store.count_of::<dangjian::domain::Member>() == 0;
    let actor = ops::actor_for_login(&store, &login).expect("actor");
    let today = chrono::Local::now().date_naive();
    if fresh {
        let mut params = DemoParams::new(today);
        params.members = a.members;
        params.entries = a.entries;
        let started = Instant::now();
        generate(&store, &actor, &params, &mut |_| {}).expect("demo");
        println!(
            "generated {} members, {} entries in {:.0}s",
            store.count_of::<dangjian::domain::Member>(),
            store.count_of::<dangjian::domain::PointsEntry>(),
            started.elapsed().as_secs_f64()
        );
    } else {
        println!(
            "reusing {}: {} members, {} entries",
            path.display(),
            store.count_of::<dangjian::domain::Member>(),
            store.count_of::<dangjian::domain::PointsEntry>()
        );
    }

    // A rule without a cap, so no entry in the run is refused.
    let rule = match query::rule_by_code(&store, "BENCH").expect("rule") {
        Some(r) => r.id,
        None => RuleId(
            ops::apply(
                &store,
                &actor,
                &Command::CreateRule {
                    code: "BENCH".into(),
                    name_zh: "基准测试".into(),
                    name_en: "benchmark".into(),
                    basis: RuleBasis::PerTime,
                    points: Points(1),
                    cap: None,
                },
            )
            .expect("create rule")
            .created
            .expect("rule id"),
        ),
    };
    let members: Vec<MemberId> = store
        .scan::<Member>()
        .filter_map(|m| m.ok())
        .filter(|m| m.data.status == MemberStatus::Active)
        .map(|m| m.id)
        .take(1000)
        .collect();
    let record = |i: usize| Command::RecordPoints {
        member: members[i % members.len()],
        date: today,
        rule,
        quantity_centi: 100,
        points_override: None,
        note: String::new(),
    };

    let singles = 300;
    let started = Instant::now();
    for i in 0..singles {
        ops::apply(&store, &actor, &record(i)).expect("record");
    }
    let single_rate = singles as f64 / started.elapsed().as_secs_f64();

    let batches = 10;
    let started = Instant::now();
    for b in 0..batches {
        let cmds: Vec<Command> = (0..1000).map(|i| record(b * 1000 + i)).collect();
        ops::apply_batch(&store, &actor, &cmds).expect("batch");
    }
    let batch_rate = (batches * 1000) as f64 / started.elapsed().as_secs_f64();

    let raw_rate = raw_sled_rate(batches, 1000);

    let year = Period::year(today.year()).expect("year");
    let branch = query::org_units(&store)
        .expect("units")
        .into_iter()
        .find(|u| u.level == OrgLevel::Branch)
        .expect("a branch");
    let time = |scope: Scope, limit: Option<usize>| {
        let mut runs = Vec::new();
        let mut rows = 0;
        for _ in 0..7 {
            let started = Instant::now();
            rows = ranking(&store, scope, &year, limit).expect("ranking").len();
            runs.push(started.elapsed());
        }
        (median(runs), rows)
    };
    // Where the community ranking's time goes: who is in scope, their sums.
    let phase = |f: &dyn Fn()| {
        let runs: Vec<Duration> = (0..7)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect();
        median(runs)
    };
    let members_all = members_in_scope(&store, Scope::Community).expect("members");
    let scope_time = phase(&|| {
        members_in_scope(&store, Scope::Community).expect("members");
    });
    let sums_time = phase(&|| {
        earned_in_period(&store, Scope::Community, &members_all, &year).expect("sums");
    });
    let (all, all_rows) = time(Scope::Community, None);
    let (top, _) = time(Scope::Community, Some(20));
    let (one, one_rows) = time(Scope::Subtree(branch.id), None);

    println!("single acknowledged entries: {single_rate:.0} entries/s ({singles} entries)");
    println!("batches of 1000:             {batch_rate:.0} entries/s ({batches} batches)");
    println!("raw sled, the same writes:   {raw_rate:.0} entries/s ({batches} batches)");
    println!(
        "year ranking, community:     {:.0} ms median of 7 ({all_rows} rows)",
        all.as_secs_f64() * 1e3
    );
    println!(
        "  of which members in scope {:.0} ms, year sums {:.0} ms",
        scope_time.as_secs_f64() * 1e3,
        sums_time.as_secs_f64() * 1e3
    );
    println!(
        "year ranking, top 20:        {:.0} ms median of 7",
        top.as_secs_f64() * 1e3
    );
    println!(
        "year ranking, one branch:    {:.0} ms median of 7 ({one_rows} rows, {})",
        one.as_secs_f64() * 1e3,
        branch.name
    );
}

/// sled's own limit for what a batch of points entries writes, without
/// dangjian: in a new store (sled's own `Config`, as the store opens it), per
/// entry the record (86 bytes) and its audit entry (110 bytes) under new ids,
/// its two index keys, four balances read and written back and the change
/// counter, `per_batch` entries to one transaction over those trees, then a
/// flush. Same key and value sizes as the store's; no decoding, no checks.
fn raw_sled_rate(batches: usize, per_batch: usize) -> f64 {
    use sled::Transactional;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sled::Config::new()
        .path(dir.path())
        .cache_capacity(256 << 20)
        .mode(sled::Mode::LowSpace)
        .open()
        .expect("sled");
    let names = [
        "ledger",
        "audit",
        "ix_ledger_member",
        "ix_ledger_date",
        "bal_member",
        "bal_member_month",
        "bal_member_year",
        "bal_unit_month",
        "meta",
    ];
    let trees: Vec<sled::Tree> = names
        .iter()
        .map(|n| db.open_tree(n).expect("tree"))
        .collect();
    let started = Instant::now();
    let mut next: u64 = 1;
    for _ in 0..batches {
        let first = next;
        trees
            .as_slice()
            .transaction(|t| {
                for id in first..first + per_batch as u64 {
                    let member = (id * 7919) % 100_000;
                    let k = id.to_be_bytes();
                    let m = member.to_be_bytes();
                    t[0].insert(&k, &[7u8; 86][..])?;
                    t[1].insert(&k, &[9u8; 110][..])?;
                    t[2].insert([&m[..], &[0, 0, 0, 1], &k[..]].concat(), &[1u8][..])?;
                    t[3].insert([&[0u8, 0, 0, 1][..], &k[..]].concat(), &[1u8][..])?;
                    for (tree, key) in [
                        (4, m.to_vec()),
                        (5, [&[0u8, 0, 7, 234][..], &m[..]].concat()),
                        (6, [&[0u8, 0, 7, 234][..], &m[..]].concat()),
                        (7, [&[0u8, 0, 7, 234][..], &m[..]].concat()),
                    ] {
                        let old = t[tree]
                            .get(&key)?
                            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
                            .map_or(0, u64::from_be_bytes);
                        t[tree].insert(key, &(old + 1).to_be_bytes()[..])?;
                    }
                    t[8].insert(&b"changes"[..], &id.to_be_bytes()[..])?;
                }
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .expect("raw batch");
        db.flush().expect("flush");
        next += per_batch as u64;
    }
    (batches * per_batch) as f64 / started.elapsed().as_secs_f64()
}
