//! Command-line definitions (clap) and dispatch. Thin: each subcommand opens the
//! store, resolves the OS user to an actor, and calls into ops / report / demo.

use crate::demo::{self, DemoParams};
use crate::domain::{OrgUnitId, Role};
use crate::ops::{self, Actor, Command, OpsError, query};
use crate::report::summary::summary;
use crate::store::{self, Store, StoreConfig, StoreError};
use anyhow::{Context, anyhow};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `println!` that hands back the error instead of panicking when the reader
/// of standard output has gone (`dangjian export … | head`); `main` ends
/// quietly on that error.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod activities;
mod audit;
mod backup;
mod care;
mod catalogue;
mod io;
mod overview;
mod points;

#[derive(Debug, Parser)]
#[command(
    name = "dangjian",
    version,
    about = "社区党建 — community party work in the terminal"
)]
pub struct Cli {
    /// Store directory (default: `store` under the user's data directory).
    #[arg(long, global = true, env = "DANGJIAN_STORE")]
    pub store: Option<PathBuf>,
    /// Interface language: zh-CN or en (default: from LANG).
    #[arg(long, global = true, value_parser = ["zh-CN", "en"])]
    pub lang: Option<String>,
    /// Store cache in MiB; small by default for old PCs.
    #[arg(long, global = true, env = "DANGJIAN_CACHE_MB", default_value_t = 32)]
    pub cache_mb: u64,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Write a sample community into a store (default: the separate `demo` store).
    Demo {
        #[arg(long, default_value_t = 300)]
        members: usize,
        /// Points ledger entries to generate (default: 8 per member).
        #[arg(long)]
        entries: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Open the TUI on the store afterwards.
        #[arg(long)]
        open: bool,
        /// Replace whatever the store holds.
        #[arg(long)]
        force: bool,
    },
    /// Re-derive every index and balance from the records and compare.
    Check,
    /// Reports.
    Report {
        #[command(subcommand)]
        what: ReportCmd,
    },
    /// dangjian users (OS logins with a role and scope).
    Users {
        #[command(subcommand)]
        what: UsersCmd,
    },
    /// Service points: record, reverse, rules, statements.
    Points {
        #[command(subcommand)]
        what: points::PointsCmd,
    },
    /// The points rules catalogue (committee admins).
    Rules {
        #[command(subcommand)]
        what: catalogue::RulesCmd,
    },
    /// The rewards catalogue and redemptions (积分超市).
    Rewards {
        #[command(subcommand)]
        what: catalogue::RewardsCmd,
    },
    /// Activities (三会一课, theme party days, volunteer service, study).
    Activities {
        #[command(subcommand)]
        what: activities::ActivitiesCmd,
    },
    /// Check a member in to an activity (awards its points).
    Checkin {
        /// Activity id (`dangjian activities list`).
        activity: u64,
        /// Member id or name (pinyin works too).
        member: String,
    },
    /// Pairing-assistance tasks: list open or overdue ones, complete one.
    Tasks {
        #[command(subcommand)]
        what: care::TasksCmd,
    },
    /// Export members, beneficiaries, the ledger, tasks, attendance, the org tree
    /// or pairings (CSV or Excel).
    Export {
        #[command(subcommand)]
        what: io::ExportCmd,
    },
    /// Own the store and serve every other dangjian on it through a socket
    /// beside it (STORE.server/socket), so several people work at once.
    Serve {
        /// The group whose members may connect (socket directory 0750,
        /// socket 0660, both given to this group).
        #[arg(long)]
        group: Option<String>,
    },
    /// Who changed what, and when (committee admins see everyone's changes).
    Audit(audit::AuditArgs),
    /// Import members or beneficiaries from an Excel (.xlsx) or CSV file.
    Import {
        #[command(subcommand)]
        what: io::ImportCmd,
    },
    /// Write a consistent snapshot of the whole store to FILE, sealed with a
    /// passphrase (committee admins; works while `dangjian serve` runs).
    Backup(backup::BackupArgs),
    /// Rebuild a store from a backup into --store NEW (a new or empty directory).
    Restore(backup::RestoreArgs),
    /// Write a messy sample roster (for benchmarks and tests).
    #[command(hide = true)]
    DemoRoster(io::DemoRosterArgs),
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Counts of each record kind, org units per level, members per category.
    Summary {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Per member: points earned in the period and redeemable balance.
    Balances(points::BalancesArgs),
    /// Members by points earned in the period, most first.
    Ranking(points::RankingArgs),
    /// Per member and per branch: activities invited to, attended, and the rate.
    Attendance(activities::AttendanceArgs),
    /// Per beneficiary: last visit, days since, next due, and whether overdue.
    Visits(care::VisitsArgs),
    /// By member category: reported, served, average and median points, idle
    /// all year; and the served share month by month.
    Activation(overview::ActivationArgs),
    /// Buildings and members covered by a group; groups, branches and
    /// beneficiaries missing their leader, secretary or pairing.
    Coverage(overview::ScopeArgs),
    /// Open and overdue pairing tasks and overdue visits, per group.
    Workload(overview::ScopeArgs),
    /// The monthly report for the superior organisation, one .xlsx with a
    /// sheet per section.
    Monthly(overview::MonthlyArgs),
}

#[derive(Debug, Subcommand)]
pub enum UsersCmd {
    /// Add an OS login as a dangjian user.
    Add {
        login: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Org unit id the user works in (a branch for secretaries, a group for leaders).
        #[arg(long)]
        scope: Option<u64>,
        /// Display name (default: the login).
        #[arg(long)]
        name: Option<String>,
    },
    /// List users.
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Secretary,
    Leader,
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::CommitteeAdmin,
            RoleArg::Secretary => Role::BranchSecretary,
            RoleArg::Leader => Role::GroupLeader,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

/// Exit codes: 0 done, 1 failed or refused, 2 store in use by another process.
pub fn main() -> ExitCode {
    // Everything dangjian writes holds personal data: private by default.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
    let cli = Cli::parse();
    let zh = crate::tui::Lang::choose(cli.lang.as_deref()) == crate::tui::Lang::Zh;
    match run(cli) {
        Ok(code) => code,
        // The reader of the output stopped early (`| head`): nothing is wrong.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<OpsError>() {
                Some(refusal) => eprintln!("dangjian: {}", refusal.in_lang(zh)),
                None => eprintln!("dangjian: {e:#}"),
            }
            if is_in_use(&e) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(broken)
            || matches!(
                c.downcast_ref::<csv::Error>().map(csv::Error::kind),
                Some(csv::ErrorKind::Io(io)) if broken(io)
            )
    })
}

fn is_in_use(e: &anyhow::Error) -> bool {
    let in_use =
        |e: &StoreError| matches!(e, StoreError::InUse(_) | StoreError::LockedNoServer { .. });
    e.chain().any(|c| {
        c.downcast_ref::<StoreError>().is_some_and(in_use)
            || matches!(c.downcast_ref::<OpsError>(), Some(OpsError::Store(s)) if in_use(s))
    })
}

fn data_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("", "", "dangjian")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| anyhow!("no home directory to keep data in; pass --store PATH"))
}

/// The store through its server when one is running, else its files.
fn open_store(path: &Path, cli: &Cli) -> anyhow::Result<Store> {
    Ok(Store::open_or_connect(path, &store_config(cli))?)
}

fn store_config(cli: &Cli) -> StoreConfig {
    StoreConfig {
        cache_bytes: cli.cache_mb.max(4) * 1024 * 1024,
    }
}

fn actor(store: &Store) -> anyhow::Result<Actor> {
    let login = crate::identity::os_login().map_err(|e| anyhow!(e))?;
    Ok(ops::actor_for_login(store, &login)?)
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let lang = crate::tui::Lang::choose(cli.lang.as_deref());
    let zh = lang == crate::tui::Lang::Zh;
    match &cli.command {
        None => {
            let path = match &cli.store {
                Some(p) => p.clone(),
                None => data_dir()?.join("store"),
            };
            let store = open_store(&path, &cli)?;
            let actor = actor(&store)?;
            crate::tui::run(&store, &actor, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Demo {
            members,
            entries,
            seed,
            open,
            force,
        }) => {
            let path = match &cli.store {
                Some(p) => p.clone(),
                None => data_dir()?.join("demo"),
            };
            if *force {
                clear_store_dir(&path)?;
            }
            let store = open_store(&path, &cli)?;
            if !store.is_empty() {
                if *open {
                    eprintln!(
                        "{} already holds data; opening it (use --force to make it anew)",
                        path.display()
                    );
                    let actor = actor(&store)?;
                    crate::tui::run(&store, &actor, lang)?;
                    return Ok(ExitCode::SUCCESS);
                }
                anyhow::bail!(
                    "{} is not empty; use --force to replace it with the sample community",
                    path.display()
                );
            }
            let actor = actor(&store)?;
            let mut params = DemoParams::new(chrono::Local::now().date_naive());
            params.members = *members;
            params.entries = entries.unwrap_or(members * 8);
            params.seed = *seed;
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos} commands applied ({per_sec}, {elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let started = Instant::now();
            let report =
                demo::generate(&store, &actor, &params, &mut |done| bar.set_position(done))?;
            bar.finish_and_clear();
            eprintln!(
                "sample community written to {} in {:.1}s: {} org units, {} members, {} beneficiaries, \
                 {} pairings, {} tasks, {} activities, {} attendance records, {} ledger entries",
                path.display(),
                started.elapsed().as_secs_f64(),
                report.org_units,
                report.members,
                report.beneficiaries,
                report.pairings,
                report.tasks,
                report.activities,
                report.attendance,
                store.count(store::Tree::Ledger),
            );
            if *open {
                crate::tui::run(&store, &actor, lang)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Check) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            let started = Instant::now();
            let report = store::check(&store)?;
            for p in &report.problems {
                outln!("{p}")?;
            }
            let verdict = if report.is_clean() {
                "clean"
            } else {
                "PROBLEMS FOUND"
            };
            outln!(
                "checked {} records and {} index entries and balances in {:.1}s: {verdict}",
                report.records,
                report.derived,
                started.elapsed().as_secs_f64()
            )?;
            Ok(if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(Cmd::Report {
            what: ReportCmd::Summary { format },
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            let s = summary(&store)?;
            match format {
                Format::Json => outln!("{}", serde_json::to_string_pretty(&s)?)?,
                Format::Table => {
                    outln!("{:<16} {:>10}", "records", "count")?;
                    for (k, n) in &s.records {
                        outln!("{k:<16} {n:>10}")?;
                    }
                    outln!("\n{:<16} {:>10}", "org units", "count")?;
                    for (k, n) in &s.units_by_level {
                        outln!("{k:<16} {n:>10}")?;
                    }
                    outln!("\n{:<16} {:>10}", "members", "count")?;
                    for (k, n) in &s.members_by_category {
                        outln!("{k:<16} {n:>10}")?;
                    }
                    outln!("{:<16} {:>10}", "(active)", s.active_members)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Report {
            what: ReportCmd::Balances(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            points::balances(&store, &actor(&store)?, args)
        }
        Some(Cmd::Report {
            what: ReportCmd::Ranking(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            points::ranking(&store, &actor(&store)?, args)
        }
        Some(Cmd::Report {
            what: ReportCmd::Attendance(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            activities::report(&store, &actor(&store)?, args)
        }
        Some(Cmd::Report {
            what: ReportCmd::Visits(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            care::report(&store, &actor(&store)?, args)
        }
        Some(Cmd::Report {
            what: ReportCmd::Activation(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            overview::activation(&store, &actor(&store)?, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Coverage(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            overview::coverage(&store, &actor(&store)?, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Workload(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            overview::workload(&store, &actor(&store)?, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Monthly(args),
        }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            overview::monthly(&store, &actor(&store)?, args, zh)
        }
        Some(Cmd::Tasks { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            care::run(&store, &actor(&store)?, what)
        }
        Some(Cmd::Points { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            points::run(&store, &actor(&store)?, what)
        }
        Some(Cmd::Rules { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            catalogue::rules(&store, &actor(&store)?, what)
        }
        Some(Cmd::Rewards { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            catalogue::rewards(&store, &actor(&store)?, what)
        }
        Some(Cmd::Activities { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            activities::run(&store, &actor(&store)?, what)
        }
        Some(Cmd::Checkin { activity, member }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            activities::checkin(&store, &actor(&store)?, *activity, member)
        }
        Some(Cmd::Export { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            io::export(&store, &actor(&store)?, what, lang == crate::tui::Lang::Zh)
        }
        Some(Cmd::Serve { group }) => {
            let path = default_store(&cli)?;
            let store = match Store::open(&path, &store_config(&cli)) {
                Err(StoreError::InUse(_)) if Store::connect(&path)?.is_some() => {
                    anyhow::bail!(
                        "a dangjian server is already running for {} (at {})",
                        path.display(),
                        store::socket_path(&path).display()
                    )
                }
                other => other?,
            };
            let opts = crate::server::ServeOptions {
                group: group.clone(),
            };
            crate::server::serve(store, &opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Audit(args)) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            actor(&store)?;
            audit::run(&store, args)
        }
        Some(Cmd::Import { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            io::import(&store, &actor(&store)?, what, lang == crate::tui::Lang::Zh)
        }
        Some(Cmd::Backup(args)) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            backup::backup(&store, &actor(&store)?, args, zh)
        }
        Some(Cmd::Restore(args)) => {
            let Some(target) = &cli.store else {
                if zh {
                    anyhow::bail!("restore 需要 --store NEW：一个新的（或空的）数据库目录");
                }
                anyhow::bail!("restore needs --store NEW: a new (or empty) store directory");
            };
            backup::restore(args, target, zh)
        }
        Some(Cmd::DemoRoster(args)) => io::demo_roster(args),
        Some(Cmd::Users { what }) => {
            let store = open_store(&default_store(&cli)?, &cli)?;
            let actor = actor(&store)?;
            match what {
                UsersCmd::Add {
                    login,
                    role,
                    scope,
                    name,
                } => {
                    let applied = ops::apply(
                        &store,
                        &actor,
                        &Command::AddUser {
                            login: login.clone(),
                            display_name: name.clone().unwrap_or_default(),
                            role: (*role).into(),
                            scope: scope.map(OrgUnitId),
                        },
                    )?;
                    outln!("{}", applied.summary)?;
                }
                UsersCmd::List => {
                    for u in query::users(&store)? {
                        outln!(
                            "{:<16} {:<12} {:<18} {:<8} {}",
                            u.login,
                            u.display_name,
                            u.role.name_en(),
                            u.scope
                                .map(|s| s.to_string())
                                .unwrap_or_else(|| "all".into()),
                            if u.active { "active" } else { "inactive" }
                        )?;
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn default_store(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.store {
        Some(p) => Ok(p.clone()),
        None => Ok(data_dir()?.join("store")),
    }
}

/// Removes a store directory for `demo --force`, refusing anything that does not
/// look like a dangjian store, so a mistyped path never loses someone's files.
fn clear_store_dir(path: &Path) -> anyhow::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let is_store = path.join("dangjian.lock").exists();
    let is_empty = std::fs::read_dir(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .next()
        .is_none();
    if !is_store && !is_empty {
        anyhow::bail!(
            "{} is not a dangjian store; refusing to replace it",
            path.display()
        );
    }
    // Holding the store's lock while removing it keeps a running dangjian safe.
    drop(Store::open(path, &StoreConfig::default())?);
    std::fs::remove_dir_all(path).with_context(|| format!("cannot remove {}", path.display()))?;
    Ok(())
}
