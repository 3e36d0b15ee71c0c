//! `import`, `export` and the hidden `demo-roster`:
//! arguments, messages and the progress bar. The work is in `crate::io`.

use crate::access::{ExportQ, JournalQ, Session};
use crate::demo::roster::{self, RosterEncoding, RosterParams};
use crate::domain::OrgUnitId;
use crate::io::export::{ExportKind, FileFormat};
use crate::io::import::{self, ImportKind, ImportOptions};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Members from a roster (.xlsx, .xls, .xlsb, .et, .ods or .csv), matched to existing members by ID number.
    Members(ImportArgs),
    /// Beneficiaries from a workbook or .csv file (matched by name and address).
    Beneficiaries(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The workbook (.xlsx, .xls, .xlsb, .et, .ods) or text table (.csv, .txt, .tsv).
    file: PathBuf,
    /// Check every row and print every problem; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the valid rows and report the others (default: any problem writes nothing).
    #[arg(long)]
    skip_invalid: bool,
    /// The sheet of a workbook to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Create the committee, branches and groups the file names that the store lacks.
    #[arg(long)]
    create_units: bool,
    /// The community party committee of rows that name none (a roster without 所属党委);
    /// with --create-units it is created if the store lacks it.
    #[arg(long, value_name = "NAME")]
    committee: Option<String>,
    /// Blank cells clear what is stored for a member the row updates (default: they keep it).
    #[arg(long)]
    clear_blank: bool,
    /// A row whose ID number is a member's of another name renames that member (default: a problem).
    #[arg(long)]
    allow_rename: bool,
    /// Where --skip-invalid writes the rows left out (default: FILE-problems.csv).
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// Members, with the columns `import members` reads (and their ids).
    Members(ExportArgs),
    /// Beneficiaries, with the columns `import beneficiaries` reads (and their ids).
    Beneficiaries(ExportArgs),
    /// The points ledger (also as an hledger journal: --format journal).
    Ledger(ExportArgs),
    /// Pairing-assistance tasks.
    Tasks(ExportArgs),
    /// Activity attendance.
    Attendance(ExportArgs),
    /// The org tree (组织): committee, branches and groups, with leaders and buildings.
    Org(ExportArgs),
    /// Pairings (结对关系) of members and beneficiaries, ended ones included.
    Pairings(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv, xlsx, or (ledger only) journal; default from the file name.
    #[arg(long, value_enum)]
    format: Option<ExportFormat>,
    /// File to write (replaced atomically).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// Org unit id: only its subtree.
    #[arg(long)]
    org: Option<u64>,
    /// Whole ID numbers and phones (committee admins and branch secretaries).
    #[arg(long)]
    unmasked: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    /// Plain-text hledger / ledger journal (ledger only).
    Journal,
}

#[derive(Debug, Args)]
pub struct DemoRosterArgs {
    /// File to write (.csv or .xlsx).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    #[arg(long, default_value_t = 10_000)]
    rows: usize,
    /// One bad row in every N (0: none).
    #[arg(long, default_value_t = 0)]
    bad_every: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Text encoding of a CSV.
    #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
    encoding: EncodingArg,
    /// A plain CSV: header on the first line, no blank rows (for a database to load).
    #[arg(long)]
    plain: bool,
    /// Also write the spreadsheet row numbers of the bad rows, one a line.
    #[arg(long)]
    bad_rows: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EncodingArg {
    Utf8,
    Bom,
    Gb18030,
}

fn progress_bar(total: usize) -> indicatif::ProgressBar {
    // Only on a terminal, and only when there is more than one batch to wait for.
    if !std::io::stderr().is_terminal() || total <= import::BATCH {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({per_sec}, {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// `FILE-problems.csv` beside the imported file.
fn default_report(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}-problems.csv"))
}

/// Whether an import only looks (and so must not create a store).
pub fn is_dry_run(cmd: &ImportCmd) -> bool {
    match cmd {
        ImportCmd::Members(a) | ImportCmd::Beneficiaries(a) => a.dry_run,
    }
}

pub fn import(s: &Session, cmd: &ImportCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let (kind, args) = match cmd {
        ImportCmd::Members(a) => (ImportKind::Members, a),
        ImportCmd::Beneficiaries(a) => (ImportKind::Beneficiaries, a),
    };
    let options = ImportOptions {
        sheet: args.sheet.clone(),
        create_units: args.create_units,
        committee: args.committee.clone(),
        clear_blank: args.clear_blank,
        allow_rename: args.allow_rename,
    };
    let plan = import::plan(s, kind, &args.file, &options).map_err(|e| anyhow!(e.in_lang(zh)))?;
    let source = if zh { &plan.source_zh } else { &plan.source_en };
    if zh {
        errln!(
            "读取 {}（{source}），表头在第 {} 行",
            args.file.display(),
            plan.header_row
        );
    } else {
        errln!(
            "read {} ({source}), header on row {}",
            args.file.display(),
            plan.header_row
        );
    }
    if !plan.ignored_columns.is_empty() {
        let cols = plan.ignored_columns.join(", ");
        if zh {
            errln!("未使用的列：{cols}");
        } else {
            errln!("columns not used: {cols}");
        }
    }
    for line in plan.problem_lines(zh) {
        outln!("{line}")?;
    }
    for u in plan.units_to_create() {
        let (level, name) = if zh {
            (u.level.label(crate::domain::Lang::Zh), &u.name)
        } else {
            (u.level.name_en(), &u.name)
        };
        if zh {
            outln!("新建{level}：{name}")?;
        } else {
            outln!("create {level}: {name}")?;
        }
    }
    for r in plan.rows.iter().filter(|r| r.record.is_update()) {
        outln!("{}", r.update_line(zh))?;
    }
    outln!("{}", plan.summary(zh))?;
    if args.dry_run {
        outln!(
            "{}",
            if zh {
                "试运行：未写入任何内容"
            } else {
                "dry run: nothing was written"
            }
        )?;
        return Ok(if !plan.has_problems() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if plan.has_problems() && !args.skip_invalid {
        bail!(
            "{}",
            import::ImportError::HasProblems {
                count: plan.bad_rows.len() + plan.file_problems.len()
            }
            .in_lang(zh)
        );
    }
    let bar = progress_bar(plan.rows.len());
    let started = std::time::Instant::now();
    let outcome = import::commit(s, &plan, args.skip_invalid, &mut |done, _| {
        bar.set_position(done as u64)
    })
    .map_err(|e| anyhow!(e.in_lang(zh)));
    bar.finish_and_clear();
    let outcome = outcome?;
    for p in &outcome.late_problems {
        outln!("{}", p.line(zh))?;
    }
    let secs = started.elapsed().as_secs_f64();
    if zh {
        outln!(
            "已导入{}：新增 {}，更新 {}，新建组织 {}（{secs:.1} 秒）",
            kind.name(true),
            outcome.created,
            outcome.updated,
            outcome.units_created
        )?;
    } else {
        outln!(
            "imported {}: {} new, {} updated, {} units created ({secs:.1}s)",
            kind.name(false),
            outcome.created,
            outcome.updated,
            outcome.units_created
        )?;
    }
    let wrote = outcome.created + outcome.updated + outcome.units_created;
    let had_problems = plan.has_problems() || !outcome.late_problems.is_empty();
    if !plan.problems.is_empty() || !outcome.late_problems.is_empty() {
        let path = args
            .report
            .clone()
            .unwrap_or_else(|| default_report(&args.file));
        let n = import::write_report(&plan, &outcome.late_problems, &path, zh)
            .map_err(|e| cannot_write(&path, &e))?;
        if zh {
            outln!("{n} 行未导入，问题已写入 {}", path.display())?;
        } else {
            outln!(
                "{n} rows left out; their problems are in {}",
                path.display()
            )?;
        }
    }
    if wrote == 0 && had_problems {
        // --skip-invalid with every row refused: nothing happened, and a
        // script must not take it for success.
        if zh {
            errln!("未写入任何内容：所有行都有问题");
        } else {
            errln!("nothing was written: every row has a problem");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn export(s: &Session, cmd: &ExportCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let (kind, args) = match cmd {
        ExportCmd::Members(a) => (ExportKind::Members, a),
        ExportCmd::Beneficiaries(a) => (ExportKind::Beneficiaries, a),
        ExportCmd::Ledger(a) => (ExportKind::Ledger, a),
        ExportCmd::Tasks(a) => (ExportKind::Tasks, a),
        ExportCmd::Attendance(a) => (ExportKind::Attendance, a),
        ExportCmd::Org(a) => (ExportKind::Org, a),
        ExportCmd::Pairings(a) => (ExportKind::Pairings, a),
    };
    let by_name = FileFormat::for_path(&args.output);
    let ext = args
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match args.format {
        Some(f) => f,
        None if kind == ExportKind::Ledger && !matches!(ext.as_str(), "csv" | "xlsx") => {
            ExportFormat::Journal
        }
        None if by_name == FileFormat::Xlsx => ExportFormat::Xlsx,
        None => ExportFormat::Csv,
    };
    if format == ExportFormat::Journal {
        if kind != ExportKind::Ledger {
            return Err(super::said::said(
                "--format journal is for the ledger only",
                "--format journal 只用于积分流水（ledger）",
            ));
        }
        let journal = s.ask(JournalQ {
            org: args.org.map(OrgUnitId),
        })?;
        crate::io::atomic::write_atomically(&args.output, |w| {
            std::io::Write::write_all(w, journal.text.as_bytes())
        })
        .map_err(|e| cannot_write(&args.output, &e))?;
        if zh {
            errln!(
                "已写入 {} 笔交易到 {}",
                journal.transactions,
                args.output.display()
            );
        } else {
            errln!(
                "wrote {} transactions to {}",
                journal.transactions,
                args.output.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let file_format = if format == ExportFormat::Xlsx {
        FileFormat::Xlsx
    } else {
        FileFormat::Csv
    };
    let q = ExportQ {
        kind,
        org: args.org.map(OrgUnitId),
        unmasked: args.unmasked,
        zh,
    };
    let rows = s
        .export(q, file_format, &args.output)
        .map_err(|e| anyhow!(e.in_lang(zh)))?;
    if zh {
        errln!("已写入 {} 行到 {}", rows, args.output.display());
    } else {
        errln!("wrote {} rows to {}", rows, args.output.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn demo_roster(args: &DemoRosterArgs) -> anyhow::Result<ExitCode> {
    let params = RosterParams {
        rows: args.rows,
        bad_every: args.bad_every,
        seed: args.seed,
        today: chrono::Local::now().date_naive(),
        messy: !args.plain,
    };
    let r = roster::messy_roster(&params);
    let encoding = match args.encoding {
        EncodingArg::Utf8 => RosterEncoding::Utf8,
        EncodingArg::Bom => RosterEncoding::Utf8Bom,
        EncodingArg::Gb18030 => RosterEncoding::Gb18030,
    };
    roster::write(&r, &args.output, encoding)?;
    if let Some(path) = &args.bad_rows {
        let lines: Vec<String> = r.bad.iter().map(|n| n.to_string()).collect();
        crate::io::atomic::write_bytes(path, (lines.join("\n") + "\n").as_bytes())?;
    }
    errln!(
        "wrote {} rows ({} bad) to {}",
        r.data_rows,
        r.bad.len(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A file that could not be written, with the system's reason.
fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> anyhow::Error {
    super::said::said(
        format!("cannot write {}: {e}", path.display()),
        format!(
            "无法写入 {}：{}",
            path.display(),
            crate::domain::os_words::os_error_zh(e)
        ),
    )
}
