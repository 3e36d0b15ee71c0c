//! Command-line definitions (clap) and dispatch. Thin: each subcommand opens the
//! store, resolves the OS user to an actor, and calls into ops / report / demo.

use crate::access::{CheckQ, Session, SessionError, SummaryQ};
use crate::demo::{self, DemoParams};
use crate::domain::{Member, OrgUnit, PointsEntry};
use crate::ops::OpsError;
use crate::store::{self, StoreConfig, StoreError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `println!` that hands back the error instead of panicking when the reader
/// of standard output has gone (`dangjian export … | head`); `main` ends
/// quietly on that error.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!($crate::cli::shown::stdout(), $($arg)*)
    }};
}

/// `eprintln!` with control characters escaped (`shown`).
macro_rules! errln {
    ($($arg:tt)*) => {{
        eprintln!("{}", $crate::cli::shown::clean(&format!($($arg)*)))
    }};
}

mod activities;
mod args;
mod audit;
mod backup;
mod care;
mod catalogue;
mod help_zh;
mod io;
mod movement;
mod org;
mod orglife;
mod overview;
mod partners;
mod points;
mod points_eval;
mod said;
mod served;
pub mod shown;
mod users;

pub use args::{Cli, Cmd, Format, ReportCmd};

/// Exit codes: 0 done, 1 failed or refused, 2 store in use by another process.
pub fn main() -> ExitCode {
    // Everything dangjian writes holds personal data: private by default.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
    let cli = match help_zh::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let zh = crate::tui::i18n::choose(cli.lang.as_deref()) == crate::tui::Lang::Zh;
    match run(cli) {
        Ok(code) => code,
        // The reader of the output stopped early (`| head`): nothing is wrong.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(refusal) = e.downcast_ref::<OpsError>() {
                errln!("dangjian: {}", refusal.in_lang(zh));
            } else if let Some(refusal) = e.downcast_ref::<crate::access::ReadError>() {
                errln!("dangjian: {}", refusal.in_lang(zh));
            } else if let Some(refusal) = e.downcast_ref::<SessionError>() {
                errln!("dangjian: {}", refusal.in_lang(zh));
            } else if let Some(said) = e.downcast_ref::<crate::ops::Said>() {
                errln!("dangjian: {}", if zh { &said.zh } else { &said.en });
            } else if let Some(store) = e.downcast_ref::<StoreError>()
                && zh
                && e.to_string() == store.to_string()
            {
                // In Chinese when the store's error is the whole message (no
                // context around it that the translation would drop).
                errln!("dangjian: {}", store.in_lang(true));
            } else if let Some(os) = e.root_cause().downcast_ref::<std::io::Error>()
                && zh
            {
                errln!("dangjian: {}", crate::domain::os_words::os_error_zh(os));
            } else {
                errln!("dangjian: {e:#}");
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
            || matches!(c.downcast_ref::<SessionError>(), Some(SessionError::Store(s)) if in_use(s))
    })
}

fn data_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("", "", "dangjian")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            said::said(
                "no home directory to keep data in; pass --store PATH",
                "没有可存放数据的主目录；请用 --store PATH 指定",
            )
        })
}

/// The store through its server when one is running, else its files, as
/// the OS user running this.
fn open_session(path: &Path, cli: &Cli) -> anyhow::Result<Session> {
    served::open_session(path, &store_config(cli))
}

fn store_config(cli: &Cli) -> StoreConfig {
    StoreConfig {
        cache_bytes: cli.cache_mb.max(4) * 1024 * 1024,
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let lang = crate::tui::i18n::choose(cli.lang.as_deref());
    let zh = lang == crate::tui::Lang::Zh;
    match &cli.command {
        None => {
            let path = match &cli.store {
                Some(p) => p.clone(),
                None => data_dir()?.join("store"),
            };
            let session = open_session(&path, &cli)?;
            crate::tui::run(&session, lang)?;
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
                clear_store_dir(&path, zh)?;
            }
            let session = served::open_files(&path, &store_config(&cli), zh)?;
            let Some(store) = session.store() else {
                return Err(said::said(
                    format!("{} is not this process's to write", path.display()),
                    format!("{} 不由本进程写入", path.display()),
                ));
            };
            // The founding user record and the default rules are all a new
            // store holds: anything more is someone's data.
            let fresh = store.count_of::<Member>() == 0
                && store.count_of::<OrgUnit>() == 0
                && store.count_of::<PointsEntry>() == 0;
            if !fresh {
                if *open {
                    if zh {
                        errln!(
                            "{} 已有数据；直接打开（用 --force 重新生成）",
                            path.display()
                        );
                    } else {
                        errln!(
                            "{} already holds data; opening it (use --force to make it anew)",
                            path.display()
                        );
                    }
                    crate::tui::run(&session, lang)?;
                    return Ok(ExitCode::SUCCESS);
                }
                return Err(said::said(
                    format!(
                        "{} is not empty; use --force to replace it with the sample community",
                        path.display()
                    ),
                    format!(
                        "{} 不是空的；用 --force 以示例社区替换其中的内容",
                        path.display()
                    ),
                ));
            }
            let actor = session.actor().clone();
            let mut params = DemoParams::new(chrono::Local::now().date_naive());
            params.members = *members;
            params.entries = entries.unwrap_or(members * 8);
            params.seed = *seed;
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(said::pick(
                    zh,
                    "{spinner} {pos} commands applied ({per_sec}, {elapsed})",
                    "{spinner} 已执行 {pos} 条命令（{per_sec}，{elapsed}）",
                ))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let started = Instant::now();
            let report =
                demo::generate(store, &actor, &params, &mut |done| bar.set_position(done))?;
            bar.finish_and_clear();
            if zh {
                errln!(
                    "示例社区已写入 {}，用时 {:.1} 秒：组织 {}，党员 {}，帮扶对象 {}，结对 {}，\
                     任务 {}，活动 {}，考勤记录 {}，积分流水 {}",
                    path.display(),
                    started.elapsed().as_secs_f64(),
                    report.org_units,
                    report.members,
                    report.beneficiaries,
                    report.pairings,
                    report.tasks,
                    report.activities,
                    report.attendance,
                    store.count_of::<PointsEntry>(),
                );
            } else {
                errln!(
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
                    store.count_of::<PointsEntry>(),
                );
            }
            if *open {
                crate::tui::run(&session, lang)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Check) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            let started = Instant::now();
            let report = session.ask(CheckQ)?;
            for p in &report.problems {
                outln!("{}", p.in_lang(zh))?;
            }
            let secs = started.elapsed().as_secs_f64();
            match (zh, report.is_clean()) {
                (false, clean) => outln!(
                    "checked {} records and {} index entries and balances in {secs:.1}s: {}",
                    report.records,
                    report.derived,
                    if clean { "clean" } else { "PROBLEMS FOUND" }
                )?,
                (true, clean) => outln!(
                    "已检查 {} 条记录和 {} 项索引与余额，用时 {secs:.1} 秒：{}",
                    report.records,
                    report.derived,
                    if clean { "无误" } else { "发现问题" }
                )?,
            }
            if !report.is_clean() {
                // Records and what is derived from them disagree: the files
                // lost or garbled something, whatever the open noticed.
                let path = default_store(&cli)?;
                let n = report.problems.len();
                errln!(
                    "{}",
                    said::pick(
                        zh,
                        &format!(
                            "the store at {} is damaged ({n} problems: records and their \
                             indexes or balances disagree); restore it from a backup with \
                             `dangjian restore FILE --store NEW`",
                            path.display()
                        ),
                        &format!(
                            "{} 处的存储已损坏（{n} 个问题：记录与索引或余额不一致）；请用 \
                             `dangjian restore 备份文件 --store 新目录` 从备份恢复",
                            path.display()
                        ),
                    )
                );
            }
            Ok(if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(Cmd::Report {
            what: ReportCmd::Summary { format },
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            let s = session.ask(SummaryQ)?;
            match format {
                Format::Json => outln!("{}", serde_json::to_string_pretty(&s)?)?,
                Format::Table => {
                    let w = |en, zh_words| said::pick(zh, en, zh_words);
                    let row = |k: &str| points::pad(&said::summary_row(k, zh), 16);
                    let count = points::pad_left(w("count", "数量"), 10);
                    outln!("{} {count}", points::pad(w("records", "记录"), 16))?;
                    for (k, n) in &s.records {
                        outln!("{} {n:>10}", row(k))?;
                    }
                    outln!("\n{} {count}", points::pad(w("org units", "组织"), 16))?;
                    for (k, n) in &s.units_by_level {
                        outln!("{} {n:>10}", row(k))?;
                    }
                    outln!("\n{} {count}", points::pad(w("members", "党员"), 16))?;
                    for (k, n) in &s.members_by_category {
                        outln!("{} {n:>10}", row(k))?;
                    }
                    outln!(
                        "{} {:>10}",
                        points::pad(w("(active)", "（正常）"), 16),
                        s.active_members
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Report {
            what: ReportCmd::Balances(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            points::balances(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Ranking(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            points::ranking(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Attendance(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            activities::report(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Visits(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            care::report(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Activation(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            overview::activation(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Coverage(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            overview::coverage(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Workload(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            overview::workload(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Monthly(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            overview::monthly(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Evaluation(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            points_eval::report(&session, args, zh)
        }
        Some(Cmd::Report {
            what: ReportCmd::Notice(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            points_eval::notice_report(&session, args, zh)
        }
        Some(Cmd::Evaluation { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            points_eval::run(&session, what, zh)
        }
        Some(Cmd::Absent {
            activity,
            member,
            unexcused,
            reason,
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            if *unexcused {
                points_eval::unexcused(&session, *activity, member, reason, zh)
            } else {
                points_eval::excused(&session, *activity, member, reason, zh)
            }
        }
        Some(Cmd::Report {
            what: ReportCmd::Orglife(args),
        }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            orglife::report(&session, args, zh)
        }
        Some(
            cmd @ (Cmd::Meetings { .. }
            | Cmd::Committee { .. }
            | Cmd::Transfer { .. }
            | Cmd::Flows { .. }
            | Cmd::Lost { .. }
            | Cmd::Partners { .. }
            | Cmd::Posts { .. }),
        ) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            orglife::dispatch(&session, cmd, zh)
        }
        Some(Cmd::Tasks { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            care::run(&session, what, zh)
        }
        Some(Cmd::Points { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            points::run(&session, what, zh)
        }
        Some(Cmd::Rules { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            catalogue::rules(&session, what, zh)
        }
        Some(Cmd::Rewards { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            catalogue::rewards(&session, what, zh)
        }
        Some(Cmd::Activities { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            activities::run(&session, what, zh)
        }
        Some(Cmd::Checkin { activity, member }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            activities::checkin(&session, *activity, member, zh)
        }
        Some(Cmd::Export { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            io::export(&session, what, lang == crate::tui::Lang::Zh)
        }
        Some(Cmd::Serve {
            group,
            idle_timeout,
            read_timeout,
            auto,
            linger,
        }) => {
            let opts = crate::server::ServeOptions {
                group: group.clone(),
                idle_timeout: std::time::Duration::from_secs((*idle_timeout).max(1)),
                read_timeout: std::time::Duration::from_secs((*read_timeout).max(1)),
                automatic: *auto,
                linger: std::time::Duration::from_secs(*linger),
            };
            let path = default_store(&cli)?;
            if *auto {
                return served::serve_auto(&path, &store_config(&cli), opts);
            }
            served::serve(&path, &store_config(&cli), &opts)
        }
        Some(Cmd::Audit(args)) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            audit::run(&session, args, zh)
        }
        Some(Cmd::Import { what }) => {
            let path = default_store(&cli)?;
            if io::is_dry_run(what) && !store_exists(&path) {
                // A dry run only looks: it must not leave a new store behind.
                if zh {
                    anyhow::bail!(
                        "{} 处没有数据库；试运行不会新建数据库（用 --store 指定已有的数据库）",
                        path.display()
                    );
                }
                anyhow::bail!(
                    "there is no store at {}; a dry run creates none (name an existing one with --store)",
                    path.display()
                );
            }
            let session = open_session(&path, &cli)?;
            io::import(&session, what, lang == crate::tui::Lang::Zh)
        }
        Some(Cmd::Backup(args)) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            backup::backup(&session, args, zh)
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
            let session = open_session(&default_store(&cli)?, &cli)?;
            users::run(&session, what, zh)
        }
        Some(Cmd::Org { what }) => {
            let session = open_session(&default_store(&cli)?, &cli)?;
            org::run(&session, what, zh)
        }
    }
}

/// Whether `path` holds a store (or a server serves one there).
fn store_exists(path: &Path) -> bool {
    path.join("dangjian.lock").exists()
        || store::socket_path(path).exists()
        || path.join("db").exists()
}

fn default_store(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.store {
        Some(p) => Ok(p.clone()),
        None => Ok(data_dir()?.join("store")),
    }
}

/// Removes a store directory for `demo --force`, refusing anything that does not
/// look like a dangjian store, so a mistyped path never loses someone's files.
fn clear_store_dir(path: &Path, zh: bool) -> anyhow::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let is_store = path.join("dangjian.lock").exists();
    let is_empty = std::fs::read_dir(path)
        .map_err(|e| {
            said::said(
                format!("cannot read {}: {e}", path.display()),
                format!(
                    "无法读取 {}：{}",
                    path.display(),
                    crate::domain::os_words::os_error_zh(&e)
                ),
            )
        })?
        .next()
        .is_none();
    if !is_store && !is_empty {
        return Err(said::said(
            format!(
                "{} is not a dangjian store; refusing to replace it",
                path.display()
            ),
            format!("{} 不是 dangjian 数据库；拒绝替换", path.display()),
        ));
    }
    // Holding the store's lock while removing it keeps a running dangjian safe.
    drop(served::open_store(path, &StoreConfig::default(), zh)?);
    std::fs::remove_dir_all(path).map_err(|e| {
        said::said(
            format!("cannot remove {}: {e}", path.display()),
            format!(
                "无法删除 {}：{}",
                path.display(),
                crate::domain::os_words::os_error_zh(&e)
            ),
        )
    })?;
    Ok(())
}
