//! Store server benchmark: acknowledged points entries per second through the
//! server's socket with 1 client and with 20 at once, and the round trip of
//! one command (send → applied, durable, answered), mean and p99. For
//! comparison, the same entries through `ops::apply` on the files directly.
//!
//! cargo bench --bench server -- [--entries N] [--clients N]
//! (run by `cargo test --benches`, it is a small smoke run)
//!
//! Clients are threads of this process, each with its own connection: the
//! socket, the framing, the server's threads and its group commit are all the
//! real ones; only the process boundary of the client is left out.

use dangjian::access::Session;
use dangjian::domain::*;
use dangjian::ops::{self, Command};
use dangjian::server::{ServeOptions, Server};
use dangjian::store::{Store, StoreConfig};
use std::time::{Duration, Instant};

struct Args {
    /// Entries each client records.
    entries: usize,
    clients: usize,
}

fn args() -> Args {
    let mut a = Args {
        entries: 200,
        clients: 20,
    };
    let mut benching = false;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--bench" => benching = true,
            "--entries" => a.entries = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.entries),
            "--clients" => a.clients = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.clients),
            _ => {}
        }
    }
    if !benching {
        a.entries = 10;
        a.clients = 3;
    }
    a
}

fn record(member: MemberId, rule: RuleId) -> Command {
    Command::RecordPoints {
        member,
        date: chrono::Local::now().date_naive(),
        rule,
        quantity_centi: 100,
        points_override: None,
        note: String::new(),
    }
}

/// A store with `n` members in one group and a points rule without a cap,
/// founded by the OS user (who the server will see on the socket).
fn community(path: &std::path::Path, n: usize) -> (Store, Vec<MemberId>, RuleId) {
    let store = Store::open(path, &StoreConfig::default()).expect("store opens");
    let login = dangjian::identity::os_login().expect("an OS login");
    let admin = ops::actor_for_login(&store, &login).expect("founder");
    let created = |cmd: Command| {
        ops::apply(&store, &admin, &cmd)
            .expect("applied")
            .created
            .expect("an id")
    };
    let top = OrgUnitId(created(Command::CreateOrgUnit {
        parent: None,
        level: OrgLevel::Committee,
        name: "社区党委".into(),
        buildings: vec![],
        established: None,
        notes: String::new(),
    }));
    let branch = OrgUnitId(created(Command::CreateOrgUnit {
        parent: Some(top),
        level: OrgLevel::Branch,
        name: "第一党支部".into(),
        buildings: vec![],
        established: None,
        notes: String::new(),
    }));
    let group = OrgUnitId(created(Command::CreateOrgUnit {
        parent: Some(branch),
        level: OrgLevel::Group,
        name: "1号楼党小组".into(),
        buildings: vec!["1".into()],
        established: None,
        notes: String::new(),
    }));
    let members = (0..n)
        .map(|i| {
            MemberId(created(Command::CreateMember {
                data: MemberData {
                    name: format!("成员{i}"),
                    gender: None,
                    birth_date: None,
                    id_number: String::new(),
                    phone: String::new(),
                    address: Address::default(),
                    unit: group,
                    category: MemberCategory::Retired,
                    home_unit: String::new(),
                    reported: None,
                    joined: None,
                    full_member: None,
                    skills: vec![],
                    posts: vec![],
                    status: MemberStatus::Active,
                    notes: String::new(),
                },
            }))
        })
        .collect();
    let rule = RuleId(created(Command::CreateRule {
        code: "SRV".into(),
        name_zh: "服务".into(),
        name_en: "Service".into(),
        basis: RuleBasis::PerTime,
        points: Points(100),
        cap: None,
    }));
    (store, members, rule)
}

struct Run {
    entries: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Run {
    fn report(&self, what: &str) {
        let mut l = self.latencies.clone();
        l.sort();
        let mean = l.iter().sum::<Duration>() / l.len().max(1) as u32;
        let p = |q: f64| l[((l.len() as f64 * q) as usize).min(l.len() - 1)];
        println!(
            "{what}: {} entries in {:.2}s = {:.0} acknowledged entries/s; \
             round trip mean {:.2} ms, p50 {:.2} ms, p99 {:.2} ms",
            self.entries,
            self.elapsed.as_secs_f64(),
            self.entries as f64 / self.elapsed.as_secs_f64(),
            mean.as_secs_f64() * 1e3,
            p(0.5).as_secs_f64() * 1e3,
            p(0.99).as_secs_f64() * 1e3,
        );
    }
}

/// `clients` threads, each its own connection, each recording `entries`
/// entries one command at a time.
fn through_server(
    path: &std::path::Path,
    members: &[MemberId],
    rule: RuleId,
    entries: usize,
) -> Run {
    let stores: Vec<Session> = members
        .iter()
        .map(|_| {
            Session::connect(path)
                .expect("connects")
                .expect("the server answers")
        })
        .collect();
    let started = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = stores
            .iter()
            .zip(members)
            .map(|(session, member)| {
                s.spawn(move || {
                    (0..entries)
                        .map(|_| {
                            let t = Instant::now();
                            session.apply(&record(*member, rule)).expect("applied");
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("client thread"))
            .collect()
    });
    Run {
        entries: entries * members.len(),
        elapsed: started.elapsed(),
        latencies,
    }
}

fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store");
    let (store, members, rule) = community(&path, a.clients);

    // The files directly, one fsync per entry: what a single user had before.
    let login = dangjian::identity::os_login().expect("an OS login");
    let admin = ops::actor_for_login(&store, &login).expect("admin");
    let started = Instant::now();
    let latencies = (0..a.entries)
        .map(|_| {
            let t = Instant::now();
            ops::apply(&store, &admin, &record(members[0], rule)).expect("applied");
            t.elapsed()
        })
        .collect();
    Run {
        entries: a.entries,
        elapsed: started.elapsed(),
        latencies,
    }
    .report("direct, 1 writer");

    let server = Server::start(store, &ServeOptions::default()).expect("server starts");
    through_server(&path, &members[..1], rule, a.entries).report("server, 1 client");
    through_server(&path, &members, rule, a.entries)
        .report(&format!("server, {} clients", members.len()));
    server.shutdown().expect("clean stop");
    let store = Store::open(&path, &StoreConfig::default()).expect("reopens");
    let report = dangjian::store::check(&store).expect("check runs");
    assert!(report.is_clean(), "{:?}", report.problems);
}
