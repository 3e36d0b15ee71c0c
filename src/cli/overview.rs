//! `report activation|coverage|workload` and `report monthly`: the overview's
//! figures as tables, CSV or JSON, and the one-file monthly report for the
//! superior organisation.

use super::points::{ReportFormat, pad};
use super::said::{bad_period, said};
use crate::access::{ActivationQ, CoverageQ, MonthlyQ, Session, WorkloadQ};
use crate::domain::OrgUnitId;
use crate::report::overview::activation::percent;
use crate::report::overview::{Activation, Workload};
use crate::report::period::Period;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ActivationArgs {
    /// 2026-11, 2026-Q4, 2026 or FROM..TO (default: this month).
    #[arg(long)]
    period: Option<String>,
    /// Org unit id: only its subtree (default: everything you may see).
    #[arg(long)]
    org: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Org unit id: only its subtree (default: everything you may see).
    #[arg(long)]
    org: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct MonthlyArgs {
    /// The month, e.g. 2026-11 (default: the last complete month, so on the
    /// 1st the report covers the month just ended).
    #[arg(long)]
    period: Option<String>,
    /// Org unit id: only its subtree (default: everything you may see).
    #[arg(long)]
    org: Option<u64>,
    /// The points ranking's first N ranks (members tied with the last are
    /// kept); 0 ranks everyone who earned points.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// The .xlsx file to write (replaced atomically).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn this_month_or(text: &Option<String>) -> anyhow::Result<Period> {
    match text {
        Some(t) => Period::parse(t).map_err(|e| bad_period(t, &e)),
        None => {
            use chrono::Datelike;
            let d = today();
            Period::month(d.year(), d.month())
                .ok_or_else(|| said(format!("no such month: {d}"), format!("没有这个月份：{d}")))
        }
    }
}

/// Words of the tables, in the language asked for.
struct Words {
    zh: bool,
}

impl Words {
    fn w(&self, en: &'static str, zh: &'static str) -> &'static str {
        if self.zh { zh } else { en }
    }

    fn category(&self, c: Option<crate::domain::MemberCategory>) -> &'static str {
        match c {
            Some(c) => c.label(crate::domain::Lang::of_zh(self.zh)),
            None => self.w("total", "合计"),
        }
    }
}

fn json_out<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = crate::cli::shown::stdout();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

pub fn activation(s: &Session, args: &ActivationArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let period = this_month_or(&args.period)?;
    let a = s.ask(ActivationQ {
        org: args.org.map(OrgUnitId),
        period: period.clone(),
        today: today(),
    })?;
    let words = Words { zh };
    match args.format {
        ReportFormat::Json => json_out(&a)?,
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(crate::cli::shown::stdout());
            w.write_record([
                "category",
                "members",
                "reported",
                "reported_pct",
                "served",
                "served_pct",
                "avg_points",
                "median_points",
                "idle_year",
            ])?;
            for r in &a.rows {
                w.write_record([
                    r.category.map_or("total", |c| c.name_en()).to_string(),
                    r.members.to_string(),
                    r.reported.to_string(),
                    percent(r.reported, r.members).to_string(),
                    r.served.to_string(),
                    percent(r.served, r.members).to_string(),
                    r.avg_points.to_string(),
                    r.median_points.to_string(),
                    r.idle_year.to_string(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => activation_table(&a, &words)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn activation_table(a: &Activation, words: &Words) -> anyhow::Result<()> {
    let mut out = crate::cli::shown::stdout();
    writeln!(
        out,
        "{} {} ({} .. {})",
        words.w("activation, period", "活跃度，期间"),
        a.period,
        a.from,
        a.to
    )?;
    writeln!(
        out,
        "{} {:>7} {:>9} {:>4} {:>9} {:>4} {:>8} {:>8} {:>9}",
        pad(words.w("category", "类别"), 10),
        words.w("members", "党员"),
        words.w("reported", "已报到"),
        "%",
        words.w("served", "已服务"),
        "%",
        words.w("avg", "人均分"),
        words.w("median", "中位数"),
        words.w("idle-year", "本年无服务"),
    )?;
    for r in &a.rows {
        writeln!(
            out,
            "{} {:>7} {:>9} {:>4} {:>9} {:>4} {:>8} {:>8} {:>9}",
            pad(words.category(r.category), 10),
            r.members,
            r.reported,
            percent(r.reported, r.members),
            r.served,
            percent(r.served, r.members),
            r.avg_points.to_string(),
            r.median_points.to_string(),
            r.idle_year,
        )?;
    }
    writeln!(
        out,
        "\n{}",
        words.w("served share by month", "近十二个月服务率")
    )?;
    for t in &a.trend {
        writeln!(
            out,
            "{}  {:>7}/{:<7} {:>3}%",
            t.month.format("%Y-%m"),
            t.served,
            t.members,
            percent(t.served, t.members)
        )?;
    }
    Ok(())
}

pub fn coverage(s: &Session, args: &ScopeArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let c = s.ask(CoverageQ {
        org: args.org.map(OrgUnitId),
    })?;
    let words = Words { zh };
    match args.format {
        ReportFormat::Json => json_out(&c)?,
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(crate::cli::shown::stdout());
            w.write_record(["figure", "count", "items"])?;
            for line in c.lines() {
                let items = line.items.join(", ");
                w.write_record([line.key.to_string(), line.count.to_string(), items])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            let mut out = crate::cli::shown::stdout();
            writeln!(out, "{}", words.w("coverage", "覆盖情况"))?;
            for line in c.lines() {
                let pct = line.share.map(|p| format!("{p:>3}%")).unwrap_or_default();
                let (label, n, items) = (line.label(zh), line.count, line.items.join(", "));
                writeln!(out, "{} {:>7} {:>4}  {}", pad(label, 30), n, pct, items)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn workload(s: &Session, args: &ScopeArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let w = s.ask(WorkloadQ {
        org: args.org.map(OrgUnitId),
        today: today(),
    })?;
    let words = Words { zh };
    match args.format {
        ReportFormat::Json => json_out(&w)?,
        ReportFormat::Csv => {
            let mut out = csv::Writer::from_writer(crate::cli::shown::stdout());
            out.write_record([
                "unit",
                "name",
                "branch",
                "open",
                "overdue",
                "visits_overdue",
            ])?;
            for u in &w.units {
                out.write_record([
                    u.unit.to_string(),
                    u.name.clone(),
                    u.branch_name.clone(),
                    u.open.to_string(),
                    u.overdue.to_string(),
                    u.visits_overdue.to_string(),
                ])?;
            }
            out.flush()?;
        }
        ReportFormat::Table => workload_table(&w, &words)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn workload_table(w: &Workload, words: &Words) -> anyhow::Result<()> {
    let mut out = crate::cli::shown::stdout();
    writeln!(
        out,
        "{} {}",
        words.w("workload on", "工作量，截至"),
        w.today
    )?;
    writeln!(
        out,
        "{:>6}  {} {} {:>6} {:>8} {:>10}",
        words.w("unit", "编号"),
        pad(words.w("name", "名称"), 18),
        pad(words.w("branch", "支部"), 14),
        words.w("open", "未完成"),
        words.w("overdue", "逾期"),
        words.w("visits due", "逾期未走访"),
    )?;
    for u in &w.units {
        writeln!(
            out,
            "{:>6}  {} {} {:>6} {:>8} {:>10}",
            u.unit.0,
            pad(&u.name, 18),
            pad(&u.branch_name, 14),
            u.open,
            u.overdue,
            u.visits_overdue
        )?;
    }
    writeln!(
        out,
        "{:>6}  {} {} {:>6} {:>8} {:>10}",
        "",
        pad(words.w("total", "合计"), 18),
        pad("", 14),
        w.open,
        w.overdue,
        w.visits_overdue.len()
    )?;
    Ok(())
}

pub fn monthly(s: &Session, args: &MonthlyArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let period = match &args.period {
        Some(t) => Period::parse(t).map_err(|e| bad_period(t, &e))?,
        None => crate::io::monthly::last_complete_month(today()).ok_or_else(|| {
            said(
                format!("no month before {}", today()),
                format!("{} 之前没有完整的月份", today()),
            )
        })?,
    };
    let report = s.ask(MonthlyQ {
        org: args.org.map(OrgUnitId),
        period,
        top: (args.top > 0).then_some(args.top),
        today: today(),
    })?;
    crate::io::monthly::write_xlsx(&report, zh, &args.output)
        .map_err(|e| said(e.in_lang(false), e.in_lang(true)))?;
    errln!(
        "{} {}",
        Words { zh }.w("wrote", "已写入"),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
