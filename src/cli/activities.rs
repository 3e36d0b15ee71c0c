//! `activities list`, `checkin` and `report attendance`.

use super::points::pad_left;
use super::points::{ReportFormat, member_arg, pad, period_arg};
use super::said::{bad_value, done, pick, said};
use crate::access::{ActivitiesQ, ActivityQ, AttendanceReportQ, OrgUnitsQ, Session, VisibleUnitsQ};
use crate::domain::*;
use crate::ops::Command;
use crate::report::attendance::rate;
use clap::{Args, Subcommand};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ActivitiesCmd {
    /// Activities by date with attendance counts.
    List {
        /// First day (default: no limit).
        #[arg(long)]
        from: Option<String>,
        /// Last day (default: no limit).
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

#[derive(Debug, Args)]
pub struct AttendanceArgs {
    /// 2026-11, 2026-Q4, 2026 or FROM..TO (default: this year).
    #[arg(long)]
    period: Option<String>,
    /// Org unit id: a subtree (default: all you may see).
    #[arg(long)]
    org: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

fn date_arg(flag: &str, text: &Option<String>) -> anyhow::Result<Option<chrono::NaiveDate>> {
    text.as_deref()
        .map(|t| crate::domain::validate::parse_date(t).map_err(|e| bad_value(flag, &e)))
        .transpose()
}

pub fn run(s: &Session, cmd: &ActivitiesCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let ActivitiesCmd::List { from, to, format } = cmd;
    let (from, to) = (date_arg("from", from)?, date_arg("to", to)?);
    let mine: HashSet<OrgUnitId> = s.ask(VisibleUnitsQ)?.into_iter().map(|u| u.id).collect();
    let names: HashMap<OrgUnitId, String> = s
        .ask(OrgUnitsQ)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut rows = Vec::new();
    for c in s.ask(ActivitiesQ)? {
        let a = c.activity;
        let day = a.data.starts.date();
        if from.is_some_and(|f| day < f) || to.is_some_and(|t| day > t) {
            continue;
        }
        if !mine.contains(&a.data.host) {
            continue;
        }
        let host = names.get(&a.data.host).cloned().unwrap_or_default();
        rows.push((a, host, c.present, c.absent));
    }
    rows.sort_by(|x, y| {
        x.0.data
            .starts
            .cmp(&y.0.data.starts)
            .then(x.0.id.cmp(&y.0.id))
    });
    let mut out = crate::cli::shown::stdout();
    match format {
        ReportFormat::Json => {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|(a, host, present, absent)| {
                    serde_json::json!({
                        "id": a.id.0,
                        "starts": a.data.starts.format("%Y-%m-%d %H:%M").to_string(),
                        "kind": format!("{:?}", a.data.kind),
                        "title": a.data.title,
                        "host": host,
                        "place": a.data.place,
                        "present": present,
                        "absent": absent,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["id", "starts", "title", "host", "present", "absent"])?;
            for (a, host, present, absent) in &rows {
                w.write_record([
                    a.id.to_string(),
                    a.data.starts.format("%Y-%m-%d %H:%M").to_string(),
                    a.data.title.clone(),
                    host.clone(),
                    present.to_string(),
                    absent.to_string(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            for (a, host, present, absent) in &rows {
                writeln!(
                    out,
                    "{:>6}  {}  {}  {}  {} {present:>4}  {} {absent:>3}",
                    a.id.0,
                    a.data.starts.format("%Y-%m-%d %H:%M"),
                    pad(&a.data.title, 28),
                    pad(host, 14),
                    pick(zh, "present", "出席"),
                    pick(zh, "absent", "缺席"),
                )?;
            }
            match zh {
                false => writeln!(out, "{} activities", rows.len())?,
                true => writeln!(out, "活动 {} 场", rows.len())?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `dangjian checkin ACTIVITY_ID MEMBER_ID|NAME`
pub fn checkin(s: &Session, activity: u64, member: &str, zh: bool) -> anyhow::Result<ExitCode> {
    if s.ask(ActivityQ(ActivityId(activity)))?.is_none() {
        return Err(said(
            format!("no activity {activity}; `dangjian activities list` shows them"),
            format!("没有活动 {activity}；`dangjian activities list` 列出全部活动"),
        ));
    }
    let m = member_arg(s, member)?;
    let cmd = Command::CheckIn {
        activity: ActivityId(activity),
        member: m.id,
    };
    let applied = s.apply(&cmd)?;
    outln!("{}", done(&cmd, &applied, zh))?;
    Ok(ExitCode::SUCCESS)
}

fn percent(present: u32, invited: u32) -> String {
    format!("{:.1}%", rate(present, invited) * 100.0)
}

/// `dangjian report attendance`: per member and per branch, invited, present, rate.
pub fn report(s: &Session, args: &AttendanceArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let period = period_arg(&args.period)?;
    let r = s.ask(AttendanceReportQ {
        org: args.org.map(OrgUnitId),
        from: period.from,
        to: period.to,
    })?;
    let mut out = crate::cli::shown::stdout();
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &r)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["level", "id", "name", "invited", "present", "rate"])?;
            for b in &r.branches {
                w.write_record([
                    "branch".to_string(),
                    b.branch.to_string(),
                    b.name.clone(),
                    b.invited.to_string(),
                    b.present.to_string(),
                    format!("{:.4}", rate(b.present, b.invited)),
                ])?;
            }
            for m in &r.members {
                w.write_record([
                    "member".to_string(),
                    m.member.to_string(),
                    m.name.clone(),
                    m.invited.to_string(),
                    m.present.to_string(),
                    format!("{:.4}", rate(m.present, m.invited)),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            match zh {
                false => writeln!(
                    out,
                    "attendance, period {period}: {} activities",
                    r.activities
                )?,
                true => writeln!(out, "出勤情况，期间 {period}：活动 {} 场", r.activities)?,
            }
            writeln!(
                out,
                "\n{} {} {} {}",
                pad(pick(zh, "branch", "支部"), 20),
                pad_left(pick(zh, "invited", "应到"), 8),
                pad_left(pick(zh, "present", "实到"), 8),
                pad_left(pick(zh, "rate", "出勤率"), 7)
            )?;
            for b in &r.branches {
                writeln!(
                    out,
                    "{} {:>8} {:>8} {:>7}",
                    pad(&b.name, 20),
                    b.invited,
                    b.present,
                    percent(b.present, b.invited)
                )?;
            }
            writeln!(
                out,
                "\n{} {} {} {} {}",
                pad_left(pick(zh, "id", "编号"), 8),
                pad(pick(zh, "member", "党员"), 10),
                pad_left(pick(zh, "invited", "应到"), 8),
                pad_left(pick(zh, "present", "实到"), 8),
                pad_left(pick(zh, "rate", "出勤率"), 7)
            )?;
            for m in &r.members {
                writeln!(
                    out,
                    "{:>8} {} {:>8} {:>8} {:>7}",
                    m.member.0,
                    pad(&m.name, 10),
                    m.invited,
                    m.present,
                    percent(m.present, m.invited)
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
