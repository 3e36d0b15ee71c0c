//! `tasks list`, `tasks done` and `report visits`: argument parsing and output
//! formats only. Completion goes through `ops::apply`; the lists come from
//! `report::care`, cut to what the OS user may see.

use super::points::{ReportFormat, centi_arg, pad};
use crate::access::{EntryQ, RuleByCodeQ, Session, TaskQ, TasksQ, VisitsQ};
use crate::domain::validate::parse_date;
use crate::domain::*;
use crate::ops::{self, Command};
use crate::report::care::{TaskRow, VisitRow};
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TasksCmd {
    /// Open tasks (visits, care, errands), most overdue first.
    List {
        /// Only tasks whose due date has passed.
        #[arg(long)]
        overdue: bool,
        /// Org unit id: only tasks of beneficiaries in its subtree.
        #[arg(long)]
        org: Option<u64>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Complete a task: records the visit and awards its points.
    Done {
        /// Task id (`dangjian tasks list`).
        task: u64,
        /// Hours spent (e.g. 1.5).
        #[arg(long)]
        hours: Option<String>,
        /// Outcome note.
        #[arg(long, default_value = "")]
        note: String,
        /// Date done (default today), e.g. 2026-11-03 or 2026年11月3日.
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct VisitsArgs {
    /// Org unit id: only beneficiaries in its subtree.
    #[arg(long)]
    org: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn run(s: &Session, cmd: &TasksCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        TasksCmd::List {
            overdue,
            org,
            format,
        } => {
            let rows = s.ask(TasksQ {
                today: today(),
                overdue_only: *overdue,
                org: org.map(OrgUnitId),
            })?;
            print_tasks(&rows, *format)?;
            Ok(ExitCode::SUCCESS)
        }
        TasksCmd::Done {
            task,
            hours,
            note,
            date,
        } => done(s, *task, hours.as_deref(), note, date.as_deref()),
    }
}

fn kind_name(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Visit => "visit",
        TaskKind::Care => "care",
        TaskKind::Errand => "errand",
        TaskKind::Other => "other",
    }
}

fn print_tasks(rows: &[TaskRow], format: ReportFormat) -> anyhow::Result<()> {
    let mut out = crate::cli::shown::stdout();
    match format {
        ReportFormat::Json => {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.task.id.0,
                        "kind": kind_name(r.task.kind),
                        "title": r.task.title,
                        "beneficiary": r.task.beneficiary.0,
                        "beneficiary_name": r.beneficiary_name,
                        "assignee": r.task.assignee.0,
                        "assignee_name": r.assignee_name,
                        "unit": r.unit.0,
                        "due": r.task.due.to_string(),
                        "overdue_days": r.overdue_days,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "id",
                "kind",
                "title",
                "beneficiary",
                "beneficiary_name",
                "assignee",
                "assignee_name",
                "unit",
                "due",
                "overdue_days",
            ])?;
            for r in rows {
                w.write_record([
                    r.task.id.to_string(),
                    kind_name(r.task.kind).to_string(),
                    r.task.title.clone(),
                    r.task.beneficiary.to_string(),
                    r.beneficiary_name.clone(),
                    r.task.assignee.to_string(),
                    r.assignee_name.clone(),
                    r.unit.to_string(),
                    r.task.due.to_string(),
                    r.overdue_days.to_string(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            writeln!(
                out,
                "{:>6}  {} {} {} {} {:<10} {:>7}",
                "id",
                pad("kind", 6),
                pad("title", 20),
                pad("beneficiary", 12),
                pad("assignee", 10),
                "due",
                "overdue"
            )?;
            for r in rows {
                let overdue = if r.overdue_days > 0 {
                    format!("{}d", r.overdue_days)
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "{:>6}  {} {} {} {} {:<10} {:>7}",
                    r.task.id.0,
                    pad(kind_name(r.task.kind), 6),
                    pad(&r.task.title, 20),
                    pad(&r.beneficiary_name, 12),
                    pad(&r.assignee_name, 10),
                    r.task.due.to_string(),
                    overdue
                )?;
            }
            writeln!(out, "{} open tasks", rows.len())?;
        }
    }
    Ok(())
}

/// `dangjian tasks done TASK_ID [--hours H] [--note T] [--date D]`
fn done(
    s: &Session,
    task: u64,
    hours: Option<&str>,
    note: &str,
    date: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let Some(kind) = s.ask(TaskQ(TaskId(task)))?.map(|t| t.kind) else {
        bail!("no task {task}; `dangjian tasks list` shows the open ones");
    };
    let hours_centi = match hours {
        Some(h) => centi_arg("hours", h)?,
        None => 0,
    };
    let date = match date {
        Some(d) => parse_date(d).map_err(|e| anyhow!("--date: {e}"))?,
        None => today(),
    };
    let applied = s.apply(&Command::CompleteTask {
        id: TaskId(task),
        date,
        hours_centi,
        outcome: note.to_string(),
    })?;
    outln!("{}", applied.summary)?;
    // CompleteTask reports the points entry it made as the created record.
    match applied.created {
        Some(entry) => {
            if let Some(e) = s.ask(EntryQ(EntryId(entry)))? {
                outln!("awarded {} points (entry {})", e.points, e.id)?;
            }
        }
        None => {
            // A per-hour rule with no hours awards nothing; say so rather than
            // let the grid worker believe the points were recorded.
            if let Some(code) = ops::rule_code_for(kind)
                && let Some(rule) = s.ask(RuleByCodeQ(code.to_string()))?
                && rule.active
                && rule.basis == RuleBasis::PerHour
                && hours_centi == 0
            {
                errln!("no points awarded: {code} is per hour and no --hours were given");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

const VISIT_HEADER: [&str; 9] = [
    "id",
    "name",
    "address",
    "unit",
    "last_visit",
    "days_since",
    "due",
    "status",
    "pairings",
];

fn visit_fields(r: &VisitRow) -> [String; 9] {
    [
        r.beneficiary.id.to_string(),
        r.beneficiary.data.name.clone(),
        r.beneficiary.data.address.short(),
        r.unit_name.clone(),
        r.last_visit.map(|d| d.to_string()).unwrap_or_default(),
        r.days_since.map(|d| d.to_string()).unwrap_or_default(),
        r.due.to_string(),
        r.status().name_en().to_string(),
        r.active_pairings.len().to_string(),
    ]
}

/// `dangjian report visits`: each active beneficiary's last visit and next due.
pub fn report(s: &Session, args: &VisitsArgs) -> anyhow::Result<ExitCode> {
    let rows = s.ask(VisitsQ {
        today: today(),
        org: args.org.map(OrgUnitId),
    })?;
    let mut out = crate::cli::shown::stdout();
    match args.format {
        ReportFormat::Json => {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.beneficiary.id.0,
                        "name": r.beneficiary.data.name,
                        "address": r.beneficiary.data.address.short(),
                        "unit": r.beneficiary.data.unit.0,
                        "unit_name": r.unit_name,
                        "visit_cycle_days": r.beneficiary.data.visit_cycle_days,
                        "last_visit": r.last_visit.map(|d| d.to_string()),
                        "days_since": r.days_since,
                        "due": r.due.to_string(),
                        "overdue_days": r.overdue_days,
                        "status": r.status().name_en(),
                        "active_pairings": r.active_pairings.len(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(VISIT_HEADER)?;
            for r in &rows {
                w.write_record(visit_fields(r))?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            // 78 columns: fits an 80-column terminal.
            let widths = [5, 8, 9, 12, 10, 4, 10, 7, 5];
            let line = |fields: [String; 9]| {
                fields
                    .iter()
                    .zip(widths)
                    .map(|(f, w)| pad(f, w))
                    .collect::<Vec<_>>()
                    .join(" ")
                    .trim_end()
                    .to_string()
            };
            let header = [
                "id",
                "name",
                "address",
                "unit",
                "last visit",
                "days",
                "due",
                "status",
                "pairs",
            ];
            writeln!(out, "{}", line(header.map(String::from)))?;
            for r in &rows {
                writeln!(out, "{}", line(visit_fields(r)))?;
            }
            let alerts = rows.iter().filter(|r| r.alert()).count();
            writeln!(
                out,
                "{} beneficiaries, {alerts} not visited within their cycle",
                rows.len()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
