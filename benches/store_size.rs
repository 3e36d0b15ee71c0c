//! Where a store's size goes: for each tree, its entries and the bytes of its
//! keys and values, against the files sled keeps on disk (the rest is sled's:
//! pages, the log, space not yet reclaimed).
//!
//! cargo bench --bench store_size -- [--members N] [--entries N] [--store DIR]
//! (run by `cargo test --benches`, it is a small smoke run)
//!
//! A `--store` that already holds data is measured as it is.

use dangjian::demo::{DemoParams, generate};
use dangjian::ops;
use dangjian::store::{Store, StoreConfig};

struct Args {
    members: usize,
    entries: usize,
    store: Option<std::path::PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        members: 3_000,
        entries: 24_000,
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
    if !benching && a.store.is_none() {
        a.members = 100;
        a.entries = 800;
    }
    a
}

/// The bytes of every file under `dir`.
fn disk_bytes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
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
    let store = Store::open(&path, &StoreConfig::default()).expect("open store");
    if store.count_of::<dangjian::domain::Member>() == 0 {
        let login = dangjian::identity::os_login().expect("os login");
        let actor = ops::actor_for_login(&store, &login).expect("actor");
        let mut params = DemoParams::new(chrono::Local::now().date_naive());
        params.members = a.members;
        params.entries = a.entries;
        generate(&store, &actor, &params, &mut |_| {}).expect("demo");
        store.sync().expect("sync");
    }
    let stats = store.tree_stats().expect("tree stats");
    let members = store.count_of::<dangjian::domain::Member>();
    let entries = store.count_of::<dangjian::domain::PointsEntry>();
    drop(store);
    let disk = disk_bytes(&path);
    let held: u64 = stats.iter().map(|s| s.key_bytes + s.value_bytes).sum();
    println!(
        "{members} members, {entries} ledger entries at {}",
        path.display()
    );
    println!(
        "{:<26} {:>10} {:>10} {:>10} {:>8}",
        "tree", "entries", "keys MB", "values MB", "share"
    );
    let mut rows = stats;
    rows.sort_by_key(|s| std::cmp::Reverse(s.key_bytes + s.value_bytes));
    for s in rows.iter().filter(|s| s.entries > 0) {
        println!(
            "{:<26} {:>10} {:>10.2} {:>10.2} {:>7.1}%",
            s.tree,
            s.entries,
            mb(s.key_bytes),
            mb(s.value_bytes),
            100.0 * (s.key_bytes + s.value_bytes) as f64 / held.max(1) as f64
        );
    }
    println!(
        "keys and values {:.1} MB; files on disk {:.1} MB ({:.1}× what they hold; {:.1} KB a member)",
        mb(held),
        mb(disk),
        disk as f64 / held.max(1) as f64,
        disk as f64 / 1e3 / members.max(1) as f64
    );
}
