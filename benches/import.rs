//! Import benchmark: a messy 10,000-row roster with a known set of bad rows
//! (every one must be reported, the rest imported), and 100,000 clean rows
//! from CSV (rows/s for reading and checking, for writing, and overall),
//! beside `sqlite3 :memory: .import --csv` of the same file when sqlite3 is
//! installed.
//!
//! cargo bench --bench import -- [--rows N] [--messy N] [--dir DIR]
//! (run by `cargo test --benches`, it is a small smoke run)

use dangjian::demo::roster::{self, RosterEncoding, RosterParams};
use dangjian::io::import::{self, ImportKind, ImportOptions};
use dangjian::ops;
use dangjian::store::{Store, StoreConfig};
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Args {
    rows: usize,
    messy: usize,
    dir: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        rows: 100_000,
        messy: 10_000,
        dir: None,
    };
    let mut benching = false;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--bench" => benching = true,
            "--rows" => a.rows = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.rows),
            "--messy" => a.messy = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.messy),
            "--dir" => a.dir = it.next().map(Into::into),
            _ => {}
        }
    }
    if !benching && a.rows == 100_000 && a.messy == 10_000 {
        a.rows = 300;
        a.messy = 300;
    }
    a
}

fn import_file(dir: &Path, name: &str, file: &Path, expect_bad: usize) {
    let store_dir = dir.join(name);
    let _ = std::fs::remove_dir_all(&store_dir);
    let store = Store::open(&store_dir, &StoreConfig::default()).expect("open store");
    let admin = ops::actor_for_login(&store, "bench").expect("founder");
    let options = ImportOptions {
        sheet: None,
        create_units: true,
        ..Default::default()
    };
    let t = Instant::now();
    let plan = import::plan(
        &dangjian::access::AsActor(&store, &admin),
        ImportKind::Members,
        file,
        &options,
    )
    .expect("plan");
    let planned = t.elapsed();
    assert_eq!(plan.bad_rows.len(), expect_bad, "bad rows reported");
    let t = Instant::now();
    let out = import::commit(
        &dangjian::access::AsActor(&store, &admin),
        &plan,
        true,
        &mut |_, _| {},
    )
    .expect("commit");
    let written = t.elapsed();
    let rows = plan.data_rows as f64;
    println!(
        "{name}: {} rows ({} bad, {} new): read+check {:.2}s ({:.0} rows/s), write {:.2}s ({:.0} rows/s), \
         total {:.2}s ({:.0} rows/s)",
        plan.data_rows,
        plan.bad_rows.len(),
        out.created,
        planned.as_secs_f64(),
        rows / planned.as_secs_f64(),
        written.as_secs_f64(),
        out.created as f64 / written.as_secs_f64(),
        (planned + written).as_secs_f64(),
        rows / (planned + written).as_secs_f64(),
    );
    assert_eq!(store.count_of::<dangjian::domain::Member>(), out.created);
}

fn main() {
    let a = args();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = a.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("bench dir");
    let today = chrono::Local::now().date_naive();

    let messy = roster::messy_roster(&RosterParams {
        rows: a.messy,
        bad_every: 97,
        seed: 7,
        today,
        messy: true,
    });
    let messy_file = dir.join("messy.csv");
    roster::write(&messy, &messy_file, RosterEncoding::Gb18030).expect("write messy roster");
    import_file(&dir, "messy-store", &messy_file, messy.bad.len());

    let clean = roster::messy_roster(&RosterParams {
        rows: a.rows,
        bad_every: 0,
        seed: 8,
        today,
        messy: false,
    });
    let clean_file = dir.join("clean.csv");
    roster::write(&clean, &clean_file, RosterEncoding::Utf8).expect("write clean roster");
    import_file(&dir, "clean-store", &clean_file, 0);

    let t = Instant::now();
    let sqlite = std::process::Command::new("sqlite3")
        .arg(":memory:")
        .arg(format!(".import --csv {} members", clean_file.display()))
        .arg("select count(*) from members;")
        .output();
    match sqlite {
        Ok(out) if out.status.success() => println!(
            "sqlite3 :memory: .import --csv of the same {} rows: {:.2}s ({:.0} rows/s), count {}",
            a.rows,
            t.elapsed().as_secs_f64(),
            a.rows as f64 / t.elapsed().as_secs_f64(),
            String::from_utf8_lossy(&out.stdout).trim()
        ),
        _ => println!("sqlite3 not run (not installed or failed)"),
    }
}
