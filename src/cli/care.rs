//! `tasks list`, `tasks done` and `report visits`: argument parsing and output
//! formats only. Completion goes through `ops::apply`; the lists come from
//! `report::care`, cut to what the OS user may see.

use super::points::{ReportFormat, centi_arg, pad, pad_left};
use super::said::{bad_value, pick, said};
use crate::access::{EntryQ, RuleByCodeQ, Session, TaskQ, TasksQ, VisitsQ};
use crate::domain::validate::parse_date;
use crate::domain::*;
use crate::ops::{self, Command};
use crate::report::care::{TaskRow, VisitRow};
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

pub fn run(s: &Session, cmd: &TasksCmd, zh: bool) -> anyhow::Result<ExitCode> {
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
            print_tasks(&rows, *format, zh)?;
            Ok(ExitCode::SUCCESS)
        }
        TasksCmd::Done {
            task,
            hours,
            note,
            date,
        } => done(s, *task, hours.as_deref(), note, date.as_deref(), zh),
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

fn print_tasks(rows: &[TaskRow], format: ReportFormat, zh: bool) -> anyhow::Result<()> {
    let lang = Lang::of_zh(zh);
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
                "{}  {} {} {} {} {} {}",
                pad_left(pick(zh, "id", "编号"), 6),
                pad(pick(zh, "kind", "类型"), 6),
                pad(pick(zh, "title", "事项"), 20),
                pad(pick(zh, "beneficiary", "帮扶对象"), 12),
                pad(pick(zh, "assignee", "承办人"), 10),
                pad(pick(zh, "due", "到期"), 10),
                pad_left(pick(zh, "overdue", "逾期"), 7)
            )?;
            for r in rows {
                let overdue = if r.overdue_days > 0 {
                    format!("{}{}", r.overdue_days, pick(zh, "d", "天"))
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "{:>6}  {} {} {} {} {:<10} {}",
                    r.task.id.0,
                    pad(
                        match lang {
                            Lang::En => kind_name(r.task.kind),
                            Lang::Zh => r.task.kind.label(lang),
                        },
                        6
                    ),
                    pad(&r.task.title, 20),
                    pad(&r.beneficiary_name, 12),
                    pad(&r.assignee_name, 10),
                    r.task.due.to_string(),
                    pad_left(&overdue, 7)
                )?;
            }
            match lang {
                Lang::En => writeln!(out, "{} open tasks", rows.len())?,
                Lang::Zh => writeln!(out, "未完成任务 {} 项", rows.len())?,
            }
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
    zh: bool,
) -> anyhow::Result<ExitCode> {
    let Some(kind) = s.ask(TaskQ(TaskId(task)))?.map(|t| t.kind) else {
        return Err(said(
            format!("no task {task}; `dangjian tasks list` shows the open ones"),
            format!("没有任务 {task}；`dangjian tasks list` 列出未完成的任务"),
        ));
    };
    let hours_centi = match hours {
        Some(h) => centi_arg("hours", h)?,
        None => 0,
    };
    let date = match date {
        Some(d) => parse_date(d).map_err(|e| bad_value("date", &e))?,
        None => today(),
    };
    let cmd = Command::CompleteTask {
        id: TaskId(task),
        date,
        hours_centi,
        outcome: note.to_string(),
    };
    let applied = s.apply(&cmd)?;
    outln!("{}", super::said::done(&cmd, &applied, zh))?;
    // CompleteTask reports the points entry it made as the created record.
    match applied.created {
        Some(entry) => {
            if let Some(e) = s.ask(EntryQ(EntryId(entry)))? {
                match zh {
                    false => outln!("awarded {} points (entry {})", e.points, e.id)?,
                    true => outln!("已记 {} 分（记录 {}）", e.points, e.id)?,
                }
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
                match zh {
                    false => {
                        errln!("no points awarded: {code} is per hour and no --hours were given")
                    }
                    true => errln!("未记积分：{code} 按小时计分，但没有给出 --hours"),
                }
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

fn visit_fields(r: &VisitRow, lang: Lang) -> [String; 9] {
    [
        r.beneficiary.id.to_string(),
        r.beneficiary.data.name.clone(),
        r.beneficiary.data.address.short(),
        r.unit_name.clone(),
        r.last_visit.map(|d| d.to_string()).unwrap_or_default(),
        r.days_since.map(|d| d.to_string()).unwrap_or_default(),
        r.due.to_string(),
        r.status().label(lang).to_string(),
        r.active_pairings.len().to_string(),
    ]
}

/// `dangjian report visits`: each active beneficiary's last visit and next due.
pub fn report(s: &Session, args: &VisitsArgs, zh: bool) -> anyhow::Result<ExitCode> {
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
                w.write_record(visit_fields(r, Lang::En))?;
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
                pick(zh, "id", "编号"),
                pick(zh, "name", "姓名"),
                pick(zh, "address", "住址"),
                pick(zh, "unit", "组织"),
                pick(zh, "last visit", "上次走访"),
                pick(zh, "days", "天数"),
                pick(zh, "due", "应访"),
                pick(zh, "status", "状态"),
                pick(zh, "pairs", "结对"),
            ];
            writeln!(out, "{}", line(header.map(String::from)))?;
            for r in &rows {
                writeln!(out, "{}", line(visit_fields(r, Lang::of_zh(zh))))?;
            }
            let alerts = rows.iter().filter(|r| r.alert()).count();
            match zh {
                false => writeln!(
                    out,
                    "{} beneficiaries, {alerts} not visited within their cycle",
                    rows.len()
                )?,
                true => writeln!(
                    out,
                    "帮扶对象 {} 人，其中 {alerts} 人未按周期走访",
                    rows.len()
                )?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
