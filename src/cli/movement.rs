//! `transfer out|in|undo|history`, `flows list|out|in|end|export` and
//! `lost mark|attempt|found|clear|list`: members who move, from the command
//! line. Every change is a `Command` through the session; every list is what
//! the store's owner lets this user read.

use super::points::{ReportFormat, member_arg, pad};
use crate::access::{FlowsQ, LostContactQ, MovementQ, Session};
use crate::domain::validate::parse_date;
use crate::domain::*;
use crate::ops::{Applied, Command};
use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TransferCmd {
    /// A member's organisational relationship leaves (status: transferred out).
    Out(TransferArgs),
    /// A member's relationship comes in (a newcomer added first, or one who
    /// left coming back; status: active).
    In(TransferArgs),
    /// Take back a transfer recorded by mistake (the status before returns).
    Undo {
        member: String,
        /// The transfer's id (`transfer history MEMBER`).
        id: u64,
    },
    /// A member's transfers, flows and lost-contact record.
    History {
        member: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

#[derive(Debug, Args)]
pub struct TransferArgs {
    /// Member id or name (pinyin works).
    member: String,
    /// The organisation the member goes to (out) or comes from (in).
    #[arg(long, alias = "to", alias = "from")]
    counterpart: String,
    /// Date of the letter (default today).
    #[arg(long)]
    date: Option<String>,
    /// The letter's number (介绍信编号).
    #[arg(long, default_value = "")]
    letter: String,
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Debug, Subcommand)]
pub enum FlowsCmd {
    /// The flow registers: flows lasting today (every one with --all).
    List {
        #[arg(long)]
        org: Option<u64>,
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// A member flows out (lives or works elsewhere for a while).
    Out(FlowArgs),
    /// A member of an organisation elsewhere lives here (flow in).
    In(FlowArgs),
    /// A flow ends (back, or moved on).
    End {
        id: u64,
        /// Default: today.
        #[arg(long)]
        date: Option<String>,
    },
    /// Take back a flow recorded by mistake.
    Remove { id: u64 },
    /// Read the registers back from a workbook of the shape `flows export`
    /// writes: rows with a flow id update that flow, rows without one are
    /// new; all or nothing.
    Import {
        file: PathBuf,
        /// Say what would change and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The registers as a workbook: a sheet of flowed-out members, one of
    /// flowed-in members.
    Export {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long)]
        org: Option<u64>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Args)]
pub struct FlowArgs {
    member: String,
    /// Where they are (out) or come from (in).
    #[arg(long)]
    place: String,
    /// Default: today.
    #[arg(long)]
    since: Option<String>,
    /// The party organisation at the other end.
    #[arg(long, default_value = "")]
    party_org: String,
    #[arg(long, default_value = "")]
    contact: String,
    /// How they take part in organisational life meanwhile.
    #[arg(long, default_value = "")]
    participation: String,
    #[arg(long, default_value = "")]
    notes: String,
}

#[derive(Debug, Subcommand)]
pub enum LostCmd {
    /// Out of contact since a date (失联).
    Mark {
        member: String,
        #[arg(long)]
        since: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// One more try to reach them.
    Attempt {
        member: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: String,
    },
    /// Contact found again (the record stays as history).
    Found {
        member: String,
        #[arg(long)]
        date: Option<String>,
    },
    /// Remove the record (one made by mistake).
    Clear { member: String },
    /// Members out of contact today.
    List {
        #[arg(long)]
        org: Option<u64>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub(super) fn date_or_today(flag: &str, text: &Option<String>) -> anyhow::Result<NaiveDate> {
    match text.as_deref() {
        Some(t) => parse_date(t).map_err(|e| anyhow!("--{flag}: {e}")),
        None => Ok(today()),
    }
}

pub(super) fn done(applied: &Applied) -> anyhow::Result<ExitCode> {
    match applied.created {
        Some(id) => outln!("{id}: {}", applied.summary)?,
        None => outln!("{}", applied.summary)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn transfer(s: &Session, cmd: &TransferCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let (direction, args) = match cmd {
        TransferCmd::Out(a) => (Direction::Out, a),
        TransferCmd::In(a) => (Direction::In, a),
        TransferCmd::Undo { member, id } => {
            let m = member_arg(s, member)?;
            return done(&s.apply(&Command::RemoveTransfer {
                member: m.id,
                id: TransferId(*id),
            })?);
        }
        TransferCmd::History { member, format } => return history(s, member, *format, zh),
    };
    let m = member_arg(s, &args.member)?;
    done(&s.apply(&Command::RecordTransfer {
        member: m.id,
        direction,
        data: TransferData {
            date: date_or_today("date", &args.date)?,
            counterpart: args.counterpart.clone(),
            letter: args.letter.clone(),
            reason: args.reason.clone(),
        },
    })?)
}

fn history(s: &Session, member: &str, format: ReportFormat, zh: bool) -> anyhow::Result<ExitCode> {
    let m = member_arg(s, member)?;
    let mv = s.ask(MovementQ(m.id))?;
    if matches!(format, ReportFormat::Json) {
        outln!("{}", serde_json::to_string_pretty(&mv)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = Lang::of_zh(zh);
    outln!(
        "{} ({}) · {}",
        mv.member.data.name,
        mv.member.id,
        mv.member.data.status.label(l)
    )?;
    for t in &mv.transfers {
        outln!(
            "{:>6}  {}  {}  {}  {}  {}",
            t.id.0,
            t.data.date,
            pad(t.direction.label(l), 14),
            pad(&t.data.counterpart, 20),
            t.data.letter,
            t.data.reason
        )?;
    }
    for f in &mv.flows {
        let until = f.data.until.map(|d| d.to_string()).unwrap_or_default();
        outln!(
            "{:>6}  {}  {}  {}  {}  {}",
            f.id.0,
            f.data.since,
            pad(f.data.direction.flow_label(l), 14),
            pad(&f.data.place, 20),
            f.data.party_org,
            until
        )?;
    }
    if let Some(lc) = &mv.lost_contact {
        let regained = lc.regained.map(|d| d.to_string()).unwrap_or_default();
        outln!(
            "        {}  {}  {} {}  {}",
            lc.since,
            pad(ChangeKind::LostContact.label(l), 14),
            lc.attempts.len(),
            l.pick("attempts", "次联系"),
            regained
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn flows(s: &Session, cmd: &FlowsCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let (direction, a) = match cmd {
        FlowsCmd::Out(a) => (Direction::Out, a),
        FlowsCmd::In(a) => (Direction::In, a),
        FlowsCmd::List { org, all, format } => return list_flows(s, *org, *all, *format, zh),
        FlowsCmd::End { id, date } => {
            let row = s
                .ask(FlowsQ {
                    org: None,
                    on: today(),
                    all: true,
                })?
                .into_iter()
                .find(|r| r.flow.id.0 == *id)
                .ok_or_else(|| anyhow!("no flow {id}; `dangjian flows list --all` shows them"))?;
            let mut data = row.flow.data;
            data.until = Some(date_or_today("date", date)?);
            return done(&s.apply(&Command::UpdateFlow {
                id: FlowId(*id),
                data,
            })?);
        }
        FlowsCmd::Import { file, dry_run } => return import_flows(s, file, *dry_run, zh),
        FlowsCmd::Remove { id } => {
            return done(&s.apply(&Command::RemoveFlow { id: FlowId(*id) })?);
        }
        FlowsCmd::Export { output, org, all } => {
            let rows = s.ask(FlowsQ {
                org: org.map(OrgUnitId),
                on: today(),
                all: *all,
            })?;
            let bytes = crate::io::xlsx::xlsx_book(&crate::io::orglife::flow_tables(&rows, zh))?;
            crate::io::atomic::write_bytes(output, &bytes)?;
            outln!("{} flows written to {}", rows.len(), output.display())?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let m = member_arg(s, &a.member)?;
    done(&s.apply(&Command::RecordFlow {
        data: FlowData {
            member: m.id,
            direction,
            since: date_or_today("since", &a.since)?,
            until: None,
            place: a.place.clone(),
            party_org: a.party_org.clone(),
            contact: a.contact.clone(),
            participation: a.participation.clone(),
            notes: a.notes.clone(),
        },
    })?)
}

fn import_flows(
    s: &Session,
    file: &std::path::Path,
    dry_run: bool,
    zh: bool,
) -> anyhow::Result<ExitCode> {
    let read = crate::io::flows_import::read(file).map_err(|e| {
        if zh {
            anyhow!("{}", e.zh())
        } else {
            anyhow!("{e}")
        }
    })?;
    for (en, zh_text) in &read.problems {
        errln!("{}", if zh { zh_text } else { en });
    }
    if !read.problems.is_empty() {
        bail!(
            "{} rows could not be read; nothing was imported",
            read.problems.len()
        );
    }
    let existing: std::collections::HashMap<FlowId, Flow> = s
        .ask(FlowsQ {
            org: None,
            on: today(),
            all: true,
        })?
        .into_iter()
        .map(|r| (r.flow.id, r.flow))
        .collect();
    let mut cmds = Vec::new();
    let (mut new, mut changed, mut same) = (0, 0, 0);
    for l in read.lines {
        match l.id.and_then(|id| existing.get(&id)) {
            Some(old) if old.data == l.data => same += 1,
            Some(old) => {
                changed += 1;
                cmds.push(Command::UpdateFlow {
                    id: old.id,
                    data: l.data,
                });
            }
            None => {
                new += 1;
                cmds.push(Command::RecordFlow { data: l.data });
            }
        }
    }
    let l = Lang::of_zh(zh);
    outln!(
        "{new} {} · {changed} {} · {same} {}",
        l.pick("new", "条新增"),
        l.pick("changed", "条修改"),
        l.pick("unchanged", "条未变")
    )?;
    if dry_run || cmds.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    s.apply_batch(&cmds)?;
    outln!("{}", l.pick("imported", "已导入"))?;
    Ok(ExitCode::SUCCESS)
}

fn list_flows(
    s: &Session,
    org: Option<u64>,
    all: bool,
    format: ReportFormat,
    zh: bool,
) -> anyhow::Result<ExitCode> {
    let rows = s.ask(FlowsQ {
        org: org.map(OrgUnitId),
        on: today(),
        all,
    })?;
    let l = Lang::of_zh(zh);
    match format {
        ReportFormat::Json => outln!("{}", serde_json::to_string_pretty(&rows)?)?,
        ReportFormat::Csv => {
            // Both registers, one after the other, each under its header.
            for t in crate::io::orglife::flow_tables(&rows, zh) {
                crate::io::csv_cell::write_csv(&t, &mut super::shown::stdout())?;
            }
        }
        ReportFormat::Table => {
            for r in &rows {
                let d = &r.flow.data;
                outln!(
                    "{:>5}  {}  {}  {}  {}  {}  {}",
                    r.flow.id.0,
                    pad(d.direction.flow_label(l), 10),
                    pad(&r.name, 8),
                    pad(&r.unit_name, 14),
                    d.since,
                    pad(&d.place, 16),
                    d.party_org
                )?;
            }
            outln!("{} {}", rows.len(), l.pick("flows", "条流动记录"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn lost(s: &Session, cmd: &LostCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let current = |member: &str| -> anyhow::Result<(Member, Option<LostContact>)> {
        let m = member_arg(s, member)?;
        let state = s.ask(MovementQ(m.id))?.lost_contact;
        Ok((m, state))
    };
    let (member, state) = match cmd {
        LostCmd::List { org, format } => return list_lost(s, *org, *format, zh),
        LostCmd::Mark {
            member,
            since,
            notes,
        } => {
            let (m, old) = current(member)?;
            if old.as_ref().is_some_and(|o| o.regained.is_none()) {
                bail!(
                    "{} is already out of contact; `lost attempt` adds a try",
                    m.data.name
                );
            }
            let state = LostContact {
                since: date_or_today("since", since)?,
                attempts: Vec::new(),
                regained: None,
                notes: notes.clone(),
            };
            (m.id, Some(state))
        }
        LostCmd::Attempt { member, date, note } => {
            let (m, old) = current(member)?;
            let Some(mut state) = old.filter(|o| o.regained.is_none()) else {
                bail!("{} is not out of contact; `lost mark` first", m.data.name);
            };
            state.attempts.push(ContactAttempt {
                date: date_or_today("date", date)?,
                note: note.clone(),
            });
            (m.id, Some(state))
        }
        LostCmd::Found { member, date } => {
            let (m, old) = current(member)?;
            let Some(mut state) = old.filter(|o| o.regained.is_none()) else {
                bail!("{} is not out of contact", m.data.name);
            };
            state.regained = Some(date_or_today("date", date)?);
            (m.id, Some(state))
        }
        LostCmd::Clear { member } => (member_arg(s, member)?.id, None),
    };
    done(&s.apply(&Command::SetLostContact { member, state })?)
}

fn list_lost(
    s: &Session,
    org: Option<u64>,
    format: ReportFormat,
    zh: bool,
) -> anyhow::Result<ExitCode> {
    let rows = s.ask(LostContactQ {
        org: org.map(OrgUnitId),
        on: today(),
    })?;
    if !matches!(format, ReportFormat::Table) {
        outln!("{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = Lang::of_zh(zh);
    for (m, lc) in &rows {
        let last = lc
            .attempts
            .last()
            .map(|a| a.date.to_string())
            .unwrap_or_default();
        outln!(
            "{:>6}  {}  {}  {} {}  {}",
            m.id.0,
            pad(&m.data.name, 8),
            lc.since,
            lc.attempts.len(),
            l.pick("attempts", "次联系"),
            last
        )?;
    }
    outln!("{} {}", rows.len(), l.pick("out of contact", "名失联党员"))?;
    Ok(ExitCode::SUCCESS)
}
