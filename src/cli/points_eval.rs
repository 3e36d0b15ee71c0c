//! `evaluation settings show|set`, `report evaluation`, `report notice`,
//! `points pending|approve|reject|statement` and `activities unexcused`:
//! argument parsing and output only. Figures come from `access` queries
//! through the session; changes go through `Session::apply`.

use super::points::{member_arg, pad};
use crate::access::{
    EvaluationQ, EvaluationSettingsQ, MemberYearQ, OrgUnitsQ, PendingQ, RulesQ, Session,
};
use crate::domain::evaluation::{AbsenceCeiling, Approval};
use crate::domain::points::format_centi;
use crate::domain::*;
use crate::io::notice;
use crate::ops::Command;
use anyhow::{anyhow, bail};
use chrono::Datelike;
use clap::{Args, Subcommand, ValueEnum};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum EvaluationCmd {
    /// The evaluation settings: show them, or set some (committee admins).
    Settings {
        #[command(subcommand)]
        what: SettingsCmd,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Changes the settings named; the others stay as they are.
    Set(Box<SetArgs>),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Base score every member starts the year with.
    #[arg(long)]
    base: Option<String>,
    /// Highest score counted, or `none`.
    #[arg(long)]
    cap: Option<String>,
    /// Lowest score of 优秀.
    #[arg(long)]
    excellent: Option<String>,
    /// Lowest score of 良好.
    #[arg(long)]
    good: Option<String>,
    /// Lowest score of 合格.
    #[arg(long)]
    pass: Option<String>,
    /// At most this percentage of a branch is 优秀, or `none`.
    #[arg(long)]
    excellent_share: Option<String>,
    /// After this many unexcused absences the grade is at most --absence-grade (`none`: no ceiling).
    #[arg(long)]
    absence_limit: Option<String>,
    #[arg(long, value_enum)]
    absence_grade: Option<GradeArg>,
    /// Retired members of this age or more are exempt, or `none`.
    #[arg(long)]
    exempt_retired_from: Option<String>,
    #[arg(long)]
    exempt_mobile: Option<bool>,
    /// Roles whose entries wait for approval, comma-separated (e.g. group-leader), or `none`.
    #[arg(long)]
    pending_roles: Option<String>,
    /// Rule codes whose entries wait for approval, comma-separated, or `none`.
    #[arg(long)]
    pending_rules: Option<String>,
    /// Roles that may record deductions, comma-separated.
    #[arg(long)]
    deduct_roles: Option<String>,
    /// An entry past a rule's cap records the remainder (true) or is refused (false).
    #[arg(long)]
    cap_cuts: Option<bool>,
    /// The deduction rule an unexcused absence applies, or `none`.
    #[arg(long)]
    absence_rule: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GradeArg {
    Excellent,
    Good,
    Pass,
    Fail,
}

impl From<GradeArg> for Grade {
    fn from(g: GradeArg) -> Grade {
        match g {
            GradeArg::Excellent => Grade::Excellent,
            GradeArg::Good => Grade::Good,
            GradeArg::Pass => Grade::Pass,
            GradeArg::Fail => Grade::Fail,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EvalFormat {
    Table,
    Csv,
    Json,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct EvaluationArgs {
    /// The natural year (default: this year).
    #[arg(long)]
    year: Option<i32>,
    /// Org unit id: only members of its subtree.
    #[arg(long)]
    org: Option<u64>,
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    format: EvalFormat,
    /// Only the 优秀党员 nomination list.
    #[arg(long)]
    nominations: bool,
    /// The file to write (needed for xlsx).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NoticeArgs {
    #[arg(long)]
    year: Option<i32>,
    #[arg(long)]
    org: Option<u64>,
    /// The .xlsx file to write.
    #[arg(long)]
    out: PathBuf,
}

fn this_year() -> i32 {
    chrono::Local::now().year()
}

fn opt_points(flag: &str, text: &str) -> anyhow::Result<Option<Points>> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    Points::parse(text)
        .map(Some)
        .ok_or_else(|| anyhow!("--{flag}: '{text}' is not a number with at most two decimals"))
}

fn points(flag: &str, text: &str) -> anyhow::Result<Points> {
    opt_points(flag, text)?.ok_or_else(|| anyhow!("--{flag} needs a number"))
}

fn opt_number<T: std::str::FromStr>(flag: &str, text: &str) -> anyhow::Result<Option<T>> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    text.trim()
        .parse()
        .map(Some)
        .map_err(|_| anyhow!("--{flag}: '{text}' is not a whole number"))
}

fn roles(flag: &str, text: &str) -> anyhow::Result<Vec<Role>> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|r| {
            let r = r.trim();
            Role::VARIANTS
                .iter()
                .copied()
                .find(|v| v.name_en() == r)
                .ok_or_else(|| anyhow!("--{flag}: no role '{r}'"))
        })
        .collect()
}

fn codes(text: &str) -> Vec<String> {
    if text.eq_ignore_ascii_case("none") {
        return Vec::new();
    }
    text.split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect()
}

pub fn run(s: &Session, cmd: &EvaluationCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let EvaluationCmd::Settings { what } = cmd;
    match what {
        SettingsCmd::Show { json } => {
            let st = s.ask(EvaluationSettingsQ)?;
            if *json {
                outln!("{}", serde_json::to_string_pretty(&st)?)?;
            } else {
                show_settings(&st, Lang::of_zh(zh))?;
            }
        }
        SettingsCmd::Set(a) => {
            let mut st = s.ask(EvaluationSettingsQ)?;
            if let Some(t) = &a.base {
                st.base = points("base", t)?;
            }
            if let Some(t) = &a.cap {
                st.cap = opt_points("cap", t)?;
            }
            if let Some(t) = &a.excellent {
                st.thresholds.excellent = points("excellent", t)?;
            }
            if let Some(t) = &a.good {
                st.thresholds.good = points("good", t)?;
            }
            if let Some(t) = &a.pass {
                st.thresholds.pass = points("pass", t)?;
            }
            if let Some(t) = &a.excellent_share {
                st.excellent_share_pct = opt_number("excellent-share", t)?;
            }
            if let Some(t) = &a.absence_limit {
                st.absence_ceiling =
                    opt_number::<u32>("absence-limit", t)?.map(|n| AbsenceCeiling {
                        absences: n,
                        at_most: st.absence_ceiling.map_or(Grade::Pass, |c| c.at_most),
                    });
            }
            if let (Some(g), Some(c)) = (a.absence_grade, st.absence_ceiling.as_mut()) {
                c.at_most = g.into();
            }
            if let Some(t) = &a.exempt_retired_from {
                st.exempt_retired_from_age = opt_number("exempt-retired-from", t)?;
            }
            if let Some(b) = a.exempt_mobile {
                st.exempt_mobile = b;
            }
            if let Some(t) = &a.pending_roles {
                st.pending_roles = roles("pending-roles", t)?;
            }
            if let Some(t) = &a.pending_rules {
                st.pending_rules = codes(t);
            }
            if let Some(t) = &a.deduct_roles {
                st.deduct_roles = roles("deduct-roles", t)?;
            }
            if let Some(b) = a.cap_cuts {
                st.cap_cuts = b;
            }
            if let Some(t) = &a.absence_rule {
                st.absence_rule = codes(t).into_iter().next();
            }
            let applied = s.apply(&Command::SetEvaluationSettings { settings: st })?;
            outln!("{}", applied.summary)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show_settings(st: &EvaluationSettings, lang: Lang) -> anyhow::Result<()> {
    let opt = |p: Option<Points>| p.map_or("none".to_string(), |p| p.to_string());
    let names = |r: &[Role]| {
        r.iter()
            .map(|r| r.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let t = &st.thresholds;
    outln!("base            {}", st.base)?;
    outln!("cap             {}", opt(st.cap))?;
    outln!(
        "grades          {} ≥ {}, {} ≥ {}, {} ≥ {}, else {}",
        Grade::Excellent.label(lang),
        t.excellent,
        Grade::Good.label(lang),
        t.good,
        Grade::Pass.label(lang),
        t.pass,
        Grade::Fail.label(lang)
    )?;
    outln!(
        "excellent share {}",
        st.excellent_share_pct
            .map_or("none".into(), |p| format!("{p}% of a branch"))
    )?;
    outln!(
        "absence ceiling {}",
        st.absence_ceiling.map_or("none".into(), |c| format!(
            "{} unexcused → at most {}",
            c.absences,
            c.at_most.label(lang)
        ))
    )?;
    outln!(
        "exempt          retired from age {}; mobile {}",
        st.exempt_retired_from_age
            .map_or("none".into(), |a| a.to_string()),
        st.exempt_mobile
    )?;
    outln!(
        "pending         roles [{}], rules [{}]",
        names(&st.pending_roles),
        st.pending_rules.join(", ")
    )?;
    outln!("deductions by   [{}]", names(&st.deduct_roles))?;
    outln!(
        "caps            {}",
        if st.cap_cuts { "cut" } else { "refuse" }
    )?;
    outln!(
        "absence rule    {}",
        st.absence_rule.as_deref().unwrap_or("none")
    )?;
    Ok(())
}

fn unit_name(s: &Session, org: Option<u64>, zh: bool) -> anyhow::Result<String> {
    let units = s.ask(OrgUnitsQ)?;
    let id = org
        .map(OrgUnitId)
        .or(s.actor().scope)
        .or_else(|| units.iter().find(|u| u.parent.is_none()).map(|u| u.id));
    Ok(id
        .and_then(|id| units.into_iter().find(|u| u.id == id))
        .map(|u| u.name)
        .unwrap_or_else(|| if zh { "社区" } else { "community" }.into()))
}

pub fn report(s: &Session, a: &EvaluationArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let lang = Lang::of_zh(zh);
    let mut e = s.ask(EvaluationQ {
        org: a.org.map(OrgUnitId),
        year: a.year.unwrap_or_else(this_year),
    })?;
    if a.nominations {
        e.lines = e.nominations().into_iter().cloned().collect();
    }
    let table = notice::evaluation_table(&e, lang);
    match a.format {
        EvalFormat::Json => outln!("{}", serde_json::to_string_pretty(&e)?)?,
        EvalFormat::Csv => {
            let mut w = csv::Writer::from_writer(crate::cli::shown::stdout());
            w.write_record(&table.headers)?;
            for row in &table.rows {
                w.write_record(row.iter().map(|v| v.display()))?;
            }
            w.flush()?;
        }
        EvalFormat::Xlsx => {
            let Some(out) = &a.out else {
                bail!("--format xlsx needs --out FILE.xlsx");
            };
            let bytes = notice::evaluation_xlsx(&e, &unit_name(s, a.org, zh)?, lang)?;
            crate::io::atomic::write_bytes(out, &bytes)?;
            errln!("wrote {} ({} members)", out.display(), e.lines.len());
        }
        EvalFormat::Table => {
            outln!("evaluation {}: {} members", e.year, e.lines.len())?;
            outln!(
                "{:>8}  {} {:>8} {:>8} {:>8}  {}  how",
                "member",
                pad("name", 10),
                "earned",
                "deducted",
                "score",
                pad("grade", 8)
            )?;
            for l in &e.lines {
                let grade = match (l.grade, l.exempt) {
                    (Some(g), _) => g.label(lang).to_string(),
                    _ => lang.pick("exempt", "免评").to_string(),
                };
                outln!(
                    "{:>8}  {} {:>8} {:>8} {:>8}  {}  {}",
                    l.member.0,
                    pad(&l.name, 10),
                    l.earned.to_string(),
                    l.deducted.to_string(),
                    l.score.map(|p| p.to_string()).unwrap_or_default(),
                    pad(&grade, 8),
                    notice::steps_text(l, lang)
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn notice_report(s: &Session, a: &NoticeArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let lang = Lang::of_zh(zh);
    let e = s.ask(EvaluationQ {
        org: a.org.map(OrgUnitId),
        year: a.year.unwrap_or_else(this_year),
    })?;
    let bytes = notice::notice_xlsx(&e, &unit_name(s, a.org, zh)?, lang)?;
    crate::io::atomic::write_bytes(&a.out, &bytes)?;
    let waiting: u32 = e.lines.iter().map(|l| l.pending).sum();
    errln!(
        "wrote {} ({} members, {waiting} entries waiting for approval)",
        a.out.display(),
        e.lines.len()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn pending(s: &Session, org: Option<u64>) -> anyhow::Result<ExitCode> {
    let rows = s.ask(PendingQ {
        org: org.map(OrgUnitId),
    })?;
    outln!(
        "{:>8}  {:<10}  {} {:<10} {:>8}  {:<12} note",
        "pending",
        "date",
        pad("member", 10),
        "rule",
        "points",
        "recorded by"
    )?;
    for r in &rows {
        let p = &r.entry;
        outln!(
            "{:>8}  {:<10}  {} {:<10} {:>8}  {:<12} {}",
            p.id.0,
            p.date.to_string(),
            pad(&r.name, 10),
            r.rule_code,
            p.points.to_string(),
            p.recorded_by,
            p.note
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn approve(s: &Session, ids: &[u64]) -> anyhow::Result<ExitCode> {
    let applied = s.apply(&Command::ApprovePoints {
        ids: ids.iter().map(|i| PendingId(*i)).collect(),
    })?;
    outln!("{}", applied.summary)?;
    Ok(ExitCode::SUCCESS)
}

pub fn reject(s: &Session, ids: &[u64], reason: &str) -> anyhow::Result<ExitCode> {
    let applied = s.apply(&Command::RejectPoints {
        ids: ids.iter().map(|i| PendingId(*i)).collect(),
        reason: reason.to_string(),
    })?;
    outln!("{}", applied.summary)?;
    Ok(ExitCode::SUCCESS)
}

pub fn unexcused(s: &Session, activity: u64, member: &str, note: &str) -> anyhow::Result<ExitCode> {
    let m = member_arg(s, member)?;
    let applied = s.apply(&Command::MarkUnexcused {
        activity: ActivityId(activity),
        member: m.id,
        note: note.to_string(),
    })?;
    outln!("{}", applied.summary)?;
    Ok(ExitCode::SUCCESS)
}

/// Every entry of a member with the running balance, who recorded and who
/// approved each, what still waits; above it the year's evaluation score and
/// grade beside the redeemable balance, named apart.
pub fn statement(s: &Session, text: &str, year: Option<i32>, zh: bool) -> anyhow::Result<ExitCode> {
    let lang = Lang::of_zh(zh);
    let member = member_arg(s, text)?;
    let year = year.unwrap_or_else(this_year);
    let y = s.ask(MemberYearQ {
        member: member.id,
        year,
    })?;
    let rules: HashMap<RuleId, String> =
        s.ask(RulesQ)?.into_iter().map(|r| (r.id, r.code)).collect();
    outln!("{} {}  balance {}", y.member, y.name, y.balance)?;
    match &y.evaluation {
        Some(l) => {
            let (score, grade) = match (l.score, l.grade) {
                (Some(p), Some(g)) => (p.to_string(), g.label(lang).to_string()),
                _ => ("-".into(), lang.pick("exempt", "免评").into()),
            };
            outln!(
                "evaluation {year}: score {score}, grade {grade} (redeemable balance {}: a \
                 different figure)",
                y.balance
            )?;
            outln!("  {}", notice::steps_text(l, lang))?;
        }
        None => outln!("evaluation {year}: not evaluated (not an active member)")?,
    }
    outln!(
        "{:>8}  {:<10}  {:<10} {:>7} {:>9} {:>10}  {:<12} {:<12} note",
        "entry",
        "date",
        "rule",
        "qty",
        "points",
        "balance",
        "recorded by",
        "approved by"
    )?;
    let mut running = Points::ZERO;
    for line in &y.entries {
        let e = &line.entry;
        running += e.points;
        let what = match e.source {
            EntrySource::Redemption(r) => format!("reward {r}"),
            _ => e
                .rule
                .and_then(|r| rules.get(&r).cloned())
                .unwrap_or_default(),
        };
        let mut note = e.note.clone();
        if let Some(original) = e.reverses {
            note = format!("reverses #{original}: {note}");
        }
        if !e.override_reason.is_empty() {
            note = format!("{note} (override: {})", e.override_reason);
        }
        if line.deduction {
            note = format!("[deduction] {note}");
        }
        outln!(
            "{:>8}  {:<10}  {:<10} {:>7} {:>9} {:>10}  {:<12} {:<12} {}",
            e.id.0,
            e.date.to_string(),
            what,
            format_centi(i64::from(e.quantity_centi)),
            e.points.to_string(),
            running.to_string(),
            e.recorded_by,
            line.approved.as_ref().map_or("", |(by, _)| by.as_str()),
            note.trim()
        )?;
    }
    for p in &y.pending {
        let state = match &p.state {
            Approval::Pending => "waiting for approval".to_string(),
            Approval::Rejected { by, reason, .. } => format!("rejected by {by}: {reason}"),
            Approval::Approved { by, .. } => format!("approved by {by}"),
        };
        outln!(
            "pending {}  {}  {} points, recorded by {}: {state}",
            p.id,
            p.date,
            p.points,
            p.recorded_by
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// An excused absence (请假): no deduction, and a reason is needed.
pub fn excused(s: &Session, activity: u64, member: &str, reason: &str) -> anyhow::Result<ExitCode> {
    if reason.trim().is_empty() {
        bail!("an excused absence (请假) needs --reason; an unexcused one is --unexcused");
    }
    let m = member_arg(s, member)?;
    let applied = s.apply(&Command::MarkAbsent {
        activity: ActivityId(activity),
        member: m.id,
        reason: reason.to_string(),
    })?;
    outln!("{}", applied.summary)?;
    Ok(ExitCode::SUCCESS)
}
