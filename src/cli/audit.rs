//! `dangjian audit`: who changed what, and when, from the audit log, with each
//! changed field before and after (ID numbers masked). A user who is not a
//! committee admin sees only their own changes, wherever the store is.

use super::points::ReportFormat;
use super::said::bad_value;
use crate::access::{AuditQ, Session};
use crate::domain::validate::parse_date;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Changes on or after this day (2026-11-01, 11-01, 20261101 …).
    #[arg(long)]
    since: Option<String>,
    /// Changes by this OS login only.
    #[arg(long)]
    user: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn run(s: &Session, args: &AuditArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let since = match &args.since {
        Some(d) => Some(parse_date(d).map_err(|e| bad_value("since", &e))?),
        None => None,
    };
    let entries = s.ask(AuditQ {
        since,
        login: args.user.clone(),
        tail: None,
    })?;
    let mut out = crate::cli::shown::stdout();
    let when = |e: &crate::domain::AuditEntry| {
        e.at.with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    match args.format {
        ReportFormat::Json => {
            let json: Vec<_> = entries
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "id": e.id.0,
                        "at": e.at.to_rfc3339(),
                        "login": e.login,
                        "command": e.command,
                        "summary": e.summary,
                        "changes": e.changes.iter().map(|c| serde_json::json!({
                            "field": c.field,
                            "before": c.before,
                            "after": c.after,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["id", "at", "login", "command", "summary"])?;
            for e in &entries {
                w.write_record([
                    e.id.0.to_string(),
                    e.at.to_rfc3339(),
                    e.login.clone(),
                    e.command.clone(),
                    e.summary.clone(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            for e in &entries {
                // The log's summaries are English; in Chinese the command's
                // own words stand in for them (the changed fields follow).
                let words = crate::ops::words::done_for_kind(&e.command, crate::domain::Lang::Zh);
                match words.filter(|_| zh) {
                    Some(words) => {
                        writeln!(out, "{:>7}  {}  {:<12} {}", e.id.0, when(e), e.login, words)?
                    }
                    None => writeln!(
                        out,
                        "{:>7}  {}  {:<12} {:<18} {}",
                        e.id.0,
                        when(e),
                        e.login,
                        e.command,
                        e.summary
                    )?,
                }
                let lang = crate::domain::Lang::of_zh(zh);
                for c in &e.changes {
                    use crate::domain::fields::{field_label, value_label};
                    writeln!(
                        out,
                        "         {}: {} → {}",
                        field_label(&c.field, lang),
                        value_label(&c.before, lang),
                        value_label(&c.after, lang)
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
