mod common;
use common::*;
use dangjian::domain::*;
use dangjian::ops::{self, Command};
use std::time::Instant;

#[test]
#[ignore]
fn big_tx() {
    let n: usize = std::env::var("N").unwrap().parse().unwrap();
    let chunk: usize = std::env::var("CHUNK").unwrap().parse().unwrap();
    let f = Fixture::new();
    let mut cmds = Vec::new();
    for i in 0..n {
        let mut d = member_data(&format!("张三{i}"), f.group_a1);
        let birth = format!("19{:02}0{}1{}", 40 + i % 50, 1 + i % 9, i % 10);
        d.id_number = id_number(&birth, (i / 500) as u32 % 1000);
        d.id_number = {
            let first17 = format!("11{:04}{birth}{:03}", i % 10000, (i / 10000) % 1000);
            let c = dangjian::domain::validate::id_check_char(&first17).unwrap();
            format!("{first17}{c}")
        };
        cmds.push(Command::CreateMember { data: d });
    }
    let t = Instant::now();
    for c in cmds.chunks(chunk) {
        ops::apply_batch(&f.store, &f.admin, c).unwrap();
    }
    eprintln!("n={n} chunk={chunk}: {:?} ({:.0}/s)", t.elapsed(), n as f64 / t.elapsed().as_secs_f64());
}
