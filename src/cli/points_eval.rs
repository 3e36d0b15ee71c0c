//! `evaluation settings show|set`, `report evaluation`, `report notice`,
//! `points pending|approve|reject|statement` and `activities unexcused`:
//! argument parsing and output only. Figures come from `access` queries
//! through the session; changes go through `Session::apply`. The settings'
//! listing and the statement live beside this file (`points_eval/`).

use super::points::pad_left;
use super::points::{member_arg, pad};
use super::said::{done, not_points, pick, said};
use crate::access::{EvaluationQ, EvaluationSettingsQ, NoticeQ, OrgUnitsQ, PendingQ, Session};
use crate::domain::evaluation::AbsenceCeiling;
use crate::domain::*;
use crate::io::notice;
use crate::ops::Command;
use crate::report::period::Period;
use chrono::Datelike;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

mod settings;
mod statement;

use settings::show_settings;
pub use statement::statement;

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
    #[arg(long, conflicts_with = "period")]
    year: Option<i32>,
    /// A month or quarter (2026-11, 2026-Q4): its points earned and deducted;
    /// score and grade are the year's to the period's end.
    #[arg(long)]
    period: Option<String>,
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
        .ok_or_else(|| not_points(flag, text))
}

fn points(flag: &str, text: &str) -> anyhow::Result<Points> {
    opt_points(flag, text)?.ok_or_else(|| {
        said(
            format!("--{flag} needs a number"),
            format!("--{flag} 需要一个数"),
        )
    })
}

fn opt_number<T: std::str::FromStr>(flag: &str, text: &str) -> anyhow::Result<Option<T>> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    text.trim().parse().map(Some).map_err(|_| {
        said(
            format!("--{flag}: '{text}' is not a whole number"),
            format!("--{flag}：“{text}”不是整数"),
        )
    })
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
                .ok_or_else(|| {
                    said(
                        format!("--{flag}: no role '{r}'"),
                        format!("--{flag}：没有角色“{r}”"),
                    )
                })
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
            let cmd = Command::SetEvaluationSettings { settings: st };
            let applied = s.apply(&cmd)?;
            outln!("{}", done(&cmd, &applied, zh))?;
        }
    }
    Ok(ExitCode::SUCCESS)
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
                return Err(said(
                    "--format xlsx needs --out FILE.xlsx",
                    "--format xlsx 需要 --out FILE.xlsx",
                ));
            };
            let bytes = notice::evaluation_xlsx(&e, &unit_name(s, a.org, zh)?, lang)?;
            crate::io::atomic::write_bytes(out, &bytes)?;
            match lang {
                Lang::En => errln!("wrote {} ({} members)", out.display(), e.lines.len()),
                Lang::Zh => errln!("已写入 {}（{} 名党员）", out.display(), e.lines.len()),
            }
        }
        EvalFormat::Table => {
            match lang {
                Lang::En => outln!("evaluation {}: {} members", e.year, e.lines.len())?,
                Lang::Zh => outln!("{} 年度评议：{} 名党员", e.year, e.lines.len())?,
            }
            outln!(
                "{}  {} {} {} {}  {}  {}",
                pad_left(pick(zh, "member", "编号"), 8),
                pad(pick(zh, "name", "姓名"), 10),
                pad_left(pick(zh, "earned", "获得"), 8),
                pad_left(pick(zh, "deducted", "扣分"), 8),
                pad_left(pick(zh, "score", "得分"), 8),
                pad(pick(zh, "grade", "等次"), 8),
                pick(zh, "how", "计算过程")
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
    let (e, period) = match &a.period {
        Some(text) => {
            let period = Period::parse(text).map_err(|e| super::said::bad_period(text, &e))?;
            let e = s.ask(NoticeQ {
                org: a.org.map(OrgUnitId),
                period: period.clone(),
            })?;
            (e, Some(period))
        }
        None => {
            let e = s.ask(EvaluationQ {
                org: a.org.map(OrgUnitId),
                year: a.year.unwrap_or_else(this_year),
            })?;
            (e, None)
        }
    };
    let label = period.as_ref().map(Period::label);
    let bytes = notice::notice_xlsx(&e, &unit_name(s, a.org, zh)?, label, lang)?;
    crate::io::atomic::write_bytes(&a.out, &bytes)?;
    let waiting: u32 = e.lines.iter().map(|l| l.pending).sum();
    match lang {
        Lang::En => errln!(
            "wrote {} ({} members, {waiting} entries waiting for approval)",
            a.out.display(),
            e.lines.len()
        ),
        Lang::Zh => errln!(
            "已写入 {}（{} 名党员，{waiting} 条积分待审批）",
            a.out.display(),
            e.lines.len()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn pending(s: &Session, org: Option<u64>, zh: bool) -> anyhow::Result<ExitCode> {
    let rows = s.ask(PendingQ {
        org: org.map(OrgUnitId),
    })?;
    outln!(
        "{}  {}  {} {} {}  {} {}",
        pad_left(pick(zh, "pending", "待审批"), 8),
        pad(pick(zh, "date", "日期"), 10),
        pad(pick(zh, "member", "党员"), 10),
        pad(pick(zh, "rule", "规则"), 10),
        pad_left(pick(zh, "points", "积分"), 8),
        pad(pick(zh, "recorded by", "记录人"), 12),
        pick(zh, "note", "备注")
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

pub fn approve(s: &Session, ids: &[u64], zh: bool) -> anyhow::Result<ExitCode> {
    let cmd = Command::ApprovePoints {
        ids: ids.iter().map(|i| PendingId(*i)).collect(),
    };
    let applied = s.apply(&cmd)?;
    outln!("{}", done(&cmd, &applied, zh))?;
    Ok(ExitCode::SUCCESS)
}

pub fn reject(s: &Session, ids: &[u64], reason: &str, zh: bool) -> anyhow::Result<ExitCode> {
    let cmd = Command::RejectPoints {
        ids: ids.iter().map(|i| PendingId(*i)).collect(),
        reason: reason.to_string(),
    };
    let applied = s.apply(&cmd)?;
    outln!("{}", done(&cmd, &applied, zh))?;
    Ok(ExitCode::SUCCESS)
}

pub fn unexcused(
    s: &Session,
    activity: u64,
    member: &str,
    note: &str,
    zh: bool,
) -> anyhow::Result<ExitCode> {
    let m = member_arg(s, member)?;
    let cmd = Command::MarkUnexcused {
        activity: ActivityId(activity),
        member: m.id,
        note: note.to_string(),
    };
    let applied = s.apply(&cmd)?;
    outln!("{}", done(&cmd, &applied, zh))?;
    Ok(ExitCode::SUCCESS)
}

/// An excused absence (请假): no deduction, and a reason is needed.
pub fn excused(
    s: &Session,
    activity: u64,
    member: &str,
    reason: &str,
    zh: bool,
) -> anyhow::Result<ExitCode> {
    if reason.trim().is_empty() {
        return Err(said(
            "an excused absence (请假) needs --reason; an unexcused one is --unexcused",
            "请假需要 --reason 写明原因；无故缺席请用 --unexcused",
        ));
    }
    let m = member_arg(s, member)?;
    let cmd = Command::MarkAbsent {
        activity: ActivityId(activity),
        member: m.id,
        reason: reason.to_string(),
    };
    let applied = s.apply(&cmd)?;
    outln!("{}", done(&cmd, &applied, zh))?;
    Ok(ExitCode::SUCCESS)
}
