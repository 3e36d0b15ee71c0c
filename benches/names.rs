//! The roster's names with the pinyin keys the TUI's search matches (full
//! readings and initials, rare ones included), one member a line, for
//! `scripts/bench-scale` to time `fzf --filter` over the same names as the
//! TUI's per-keystroke search (`cargo bench --bench tui`). Not a timing itself.
//!
//! cargo bench --bench names -- --store DIR --out FILE
//! (run by `cargo test --benches`: a 50-member demo store, lines discarded)
//!
//! The store is only read.

use dangjian::demo::{DemoParams, generate};
use dangjian::domain::Member;
use dangjian::domain::search::name_keys;
use dangjian::ops;
use dangjian::store::{Store, StoreConfig};
use std::io::Write;

fn main() {
    let mut store_dir: Option<std::path::PathBuf> = None;
    let mut out: Option<std::path::PathBuf> = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--store" => store_dir = it.next().map(Into::into),
            "--out" => out = it.next().map(Into::into),
            _ => {}
        }
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = store_dir.unwrap_or_else(|| tmp.path().join("store"));
    let store = Store::open(&path, &StoreConfig::default()).expect("open store");
    if store.count_of::<Member>() == 0 {
        // The smoke run: a small sample so the walk below has names to key.
        let login = dangjian::identity::os_login().expect("os login");
        let actor = ops::actor_for_login(&store, &login).expect("actor");
        let mut p = DemoParams::new(chrono::Local::now().date_naive());
        p.members = 50;
        p.entries = 100;
        generate(&store, &actor, &p, &mut |_| {}).expect("demo");
    }
    let mut w: Box<dyn Write> = match &out {
        Some(f) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(f).expect("create the output file"),
        )),
        None => Box::new(std::io::sink()),
    };
    let mut lines = 0usize;
    for m in store.scan::<Member>() {
        let m = m.expect("member");
        let k = name_keys(&m.data.name);
        let keys = [k.full, k.initials, k.rare_full, k.rare_initials].concat();
        writeln!(w, "{} {}", m.data.name, keys.join(" ")).expect("write");
        lines += 1;
    }
    w.flush().expect("flush");
    println!("{lines} names with their pinyin keys");
}
