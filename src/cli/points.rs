//! `points`, `report balances|ranking` and `export ledger`: argument parsing and
//! output formats only. Every change goes through `ops::apply`, every figure
//! comes from `report` or `io`, and every command acts as the OS user.

use super::said::{bad_period, bad_value, done, not_points, pick, said};
use crate::access::{
    BalanceRowsQ, OrgUnitsQ, RankingQ, ResolveMemberQ, Resolved, RuleByCodeQ, RulesQ, Session,
};
use crate::domain::validate::{mask_phone, parse_date};
use crate::domain::*;
use crate::ops::Command;
use crate::report::points::Period;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use std::collections::HashMap;
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Subcommand)]
pub enum PointsCmd {
    /// Record points for a member under a rule.
    Add(AddArgs),
    /// Reverse an entry (the correction stays visible in the ledger).
    Reverse {
        entry: u64,
        #[arg(long)]
        reason: String,
    },
    /// The rules catalogue.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Every entry of a member with the running balance, who recorded and
    /// approved each; the year's evaluation score and grade beside the balance.
    Statement {
        /// Member id or name (pinyin works).
        member: String,
        /// The evaluation year (default: this year).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Entries waiting for approval, of members you may see.
    Pending {
        #[arg(long)]
        org: Option<u64>,
    },
    /// Approve waiting entries (several ids at once): each is recorded.
    Approve {
        #[arg(required = true)]
        ids: Vec<u64>,
    },
    /// Reject waiting entries with the reason: nothing is recorded.
    Reject {
        #[arg(required = true)]
        ids: Vec<u64>,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Member id or name (pinyin works); an ambiguous name lists the candidates.
    #[arg(long)]
    member: String,
    /// Rule code, e.g. VOL.
    #[arg(long)]
    rule: String,
    /// Hours, for a per-hour rule (e.g. 1.5).
    #[arg(long, conflicts_with = "count")]
    hours: Option<String>,
    /// How many times, for a per-time rule (default 1).
    #[arg(long)]
    count: Option<String>,
    /// Date of service (default today), e.g. 2026-11-03 or 2026年11月3日.
    #[arg(long)]
    date: Option<String>,
    #[arg(long, default_value = "")]
    note: String,
    /// Points other than the rule gives; needs --reason.
    #[arg(long, requires = "reason", allow_hyphen_values = true)]
    points: Option<String>,
    /// Why the points differ from the rule's.
    #[arg(long, requires = "points")]
    reason: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct BalancesArgs {
    /// 2026-11, 2026-Q4, 2026 or FROM..TO (default: this year).
    #[arg(long)]
    period: Option<String>,
    /// Org unit id: only members of its subtree.
    #[arg(long)]
    org: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct RankingArgs {
    /// 2026-11, 2026-Q4, 2026 or FROM..TO (default: this year).
    #[arg(long)]
    period: Option<String>,
    /// Org unit id: only members of its subtree.
    #[arg(long)]
    org: Option<u64>,
    /// Show at most this many rows.
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn run(s: &Session, cmd: &PointsCmd, zh: bool) -> anyhow::Result<ExitCode> {
    match cmd {
        PointsCmd::Add(args) => add(s, args, zh),
        PointsCmd::Reverse { entry, reason } => {
            let cmd = Command::ReversePoints {
                entry: EntryId(*entry),
                reason: reason.clone(),
            };
            let applied = s.apply(&cmd)?;
            match applied.created {
                Some(id) => outln!(
                    "{} {id}: {}",
                    pick(zh, "entry", "记录"),
                    done(&cmd, &applied, zh)
                )?,
                None => outln!("{}", done(&cmd, &applied, zh))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        PointsCmd::Rules { format } => rules(s, *format, zh),
        PointsCmd::Statement { member, year } => {
            super::points_eval::statement(s, member, *year, zh)
        }
        PointsCmd::Pending { org } => super::points_eval::pending(s, *org, zh),
        PointsCmd::Approve { ids } => super::points_eval::approve(s, ids, zh),
        PointsCmd::Reject { ids, reason } => super::points_eval::reject(s, ids, reason, zh),
    }
}

pub(super) fn member_arg(s: &Session, text: &str) -> anyhow::Result<Member> {
    match s.ask(ResolveMemberQ(text.to_string()))? {
        Resolved::One(m) => Ok(*m),
        Resolved::None => Err(said(
            format!("no member matches '{}'", text.trim()),
            format!("没有与“{}”相符的党员", text.trim()),
        )),
        Resolved::Many(candidates) => {
            let units: HashMap<OrgUnitId, String> = s
                .ask(OrgUnitsQ)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            let mut en = format!(
                "'{}' matches {} members; give the id instead:",
                text.trim(),
                candidates.len()
            );
            let mut zh = format!(
                "“{}”与{}名党员相符，请改用编号：",
                text.trim(),
                candidates.len()
            );
            for m in &candidates {
                let unit = units
                    .get(&m.data.unit)
                    .cloned()
                    .unwrap_or_else(|| m.data.unit.to_string());
                let line = format!(
                    "\n  {:>8}  {}  {}  {}  {}",
                    m.id.0,
                    pad(&m.data.name, 8),
                    pad(&unit, 14),
                    pad(&m.data.address.short(), 10),
                    mask_phone(&m.data.phone)
                );
                en.push_str(&line);
                zh.push_str(&line);
            }
            Err(said(en, zh))
        }
    }
}

pub(super) fn centi_arg(flag: &str, text: &str) -> anyhow::Result<u32> {
    match crate::domain::points::parse_centi(text) {
        Some(v) if v > 0 => u32::try_from(v).map_err(|_| {
            said(
                format!("--{flag} {text} is too large"),
                format!("--{flag} {text} 太大"),
            )
        }),
        _ => Err(said(
            format!("--{flag}: '{text}' is not a number more than 0 with at most two decimals"),
            format!("--{flag}：“{text}”不是大于 0、最多两位小数的数"),
        )),
    }
}

fn add(s: &Session, args: &AddArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let member = member_arg(s, &args.member)?;
    let Some(rule) = s.ask(RuleByCodeQ(args.rule.clone()))? else {
        return Err(said(
            format!(
                "no rule with code '{}'; `dangjian points rules` lists them",
                args.rule.trim()
            ),
            format!(
                "没有代码为“{}”的积分规则；`dangjian points rules` 列出全部规则",
                args.rule.trim()
            ),
        ));
    };
    let quantity_centi = match (rule.basis, &args.hours, &args.count) {
        (RuleBasis::PerHour, Some(h), None) => centi_arg("hours", h)?,
        (RuleBasis::PerHour, _, _) => {
            return Err(said(
                format!("rule {} is per hour: give --hours", rule.code),
                format!("规则 {} 按小时计分：请给出 --hours", rule.code),
            ));
        }
        (RuleBasis::PerTime, None, Some(n)) => centi_arg("count", n)?,
        (RuleBasis::PerTime, None, None) => 100,
        (RuleBasis::PerTime, Some(_), _) => {
            return Err(said(
                format!("rule {} is per time: give --count, not --hours", rule.code),
                format!("规则 {} 按次计分：请用 --count，不用 --hours", rule.code),
            ));
        }
    };
    let date = match &args.date {
        Some(d) => parse_date(d).map_err(|e| bad_value("date", &e))?,
        None => chrono::Local::now().date_naive(),
    };
    let points_override = match (&args.points, &args.reason) {
        (Some(p), Some(reason)) => Some((
            Points::parse(p).ok_or_else(|| not_points("points", p))?,
            reason.clone(),
        )),
        _ => None,
    };
    let cmd = Command::RecordPoints {
        member: member.id,
        date,
        rule: rule.id,
        quantity_centi,
        points_override,
        note: args.note.clone(),
    };
    let applied = s.apply(&cmd)?;
    let what = done(&cmd, &applied, zh);
    match applied.created {
        Some(id) if applied.touched.touches(crate::ops::Area::Approvals) => {
            outln!("{} {id}: {what}", pick(zh, "pending", "待审批"))?
        }
        Some(id) => outln!("{} {id}: {what}", pick(zh, "entry", "记录"))?,
        None => outln!("{what}")?,
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct RuleJson<'a> {
    code: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    basis: &'static str,
    points: f64,
    cap_period: Option<&'static str>,
    cap: Option<f64>,
    active: bool,
}

fn basis_name(b: RuleBasis) -> &'static str {
    match b {
        RuleBasis::PerHour => "per hour",
        RuleBasis::PerTime => "per time",
    }
}

fn cap_name(c: CapPeriod) -> &'static str {
    match c {
        CapPeriod::Month => "month",
        CapPeriod::Quarter => "quarter",
        CapPeriod::Year => "year",
    }
}

/// Points as a JSON number: hundredths print back exactly as shortest decimals.
fn json_points(p: Points) -> f64 {
    p.0 as f64 / 100.0
}

fn rules(s: &Session, format: RulesFormat, zh: bool) -> anyhow::Result<ExitCode> {
    let lang = Lang::of_zh(zh);
    let rules = s.ask(RulesQ)?;
    match format {
        RulesFormat::Json => {
            let rows: Vec<RuleJson> = rules
                .iter()
                .map(|r| RuleJson {
                    code: &r.code,
                    name_zh: &r.name_zh,
                    name_en: &r.name_en,
                    basis: basis_name(r.basis),
                    points: json_points(r.points),
                    cap_period: r.cap.map(|(p, _)| cap_name(p)),
                    cap: r.cap.map(|(_, c)| json_points(c)),
                    active: r.active,
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&rows)?)?;
        }
        RulesFormat::Table => {
            outln!(
                "{} {} {} {}  {} {}",
                pad(pick(zh, "code", "代码"), 10),
                pad(pick(zh, "name", "名称"), 20),
                pad(pick(zh, "basis", "计分方式"), 9),
                pad_left(pick(zh, "points", "分值"), 7),
                pad(pick(zh, "cap", "上限"), 16),
                pick(zh, "active", "在用")
            )?;
            for r in &rules {
                let cap = r
                    .cap
                    .map(|(p, c)| match lang {
                        Lang::En => format!("{c} a {}", cap_name(p)),
                        Lang::Zh => format!("每{} {c}", p.label(lang)),
                    })
                    .unwrap_or_default();
                let basis = match lang {
                    Lang::En => basis_name(r.basis),
                    Lang::Zh => r.basis.label(lang),
                };
                outln!(
                    "{} {} {} {:>7}  {} {}",
                    pad(&r.code, 10),
                    pad(&r.name_zh, 20),
                    pad(basis, 9),
                    r.points.to_string(),
                    pad(&cap, 16),
                    if r.active {
                        pick(zh, "yes", "是")
                    } else {
                        pick(zh, "retired", "已停用")
                    }
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn period_arg(text: &Option<String>) -> anyhow::Result<Period> {
    match text {
        Some(t) => Period::parse(t).map_err(|e| bad_period(t, &e)),
        None => Ok(Period::year_of(chrono::Local::now().date_naive())),
    }
}

#[derive(Serialize)]
struct BalanceJson<'a> {
    member: u64,
    name: &'a str,
    points: f64,
    balance: f64,
}

pub fn balances(s: &Session, args: &BalancesArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let period = period_arg(&args.period)?;
    let rows = s.ask(BalanceRowsQ {
        org: args.org.map(OrgUnitId),
        period: period.clone(),
    })?;
    let mut out = crate::cli::shown::stdout();
    match args.format {
        ReportFormat::Json => {
            let json: Vec<BalanceJson> = rows
                .iter()
                .map(|r| BalanceJson {
                    member: r.member.0,
                    name: &r.name,
                    points: json_points(r.points),
                    balance: json_points(r.balance),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            use std::io::Write;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["member", "name", "points", "balance"])?;
            for r in &rows {
                w.write_record([
                    r.member.to_string(),
                    r.name.clone(),
                    r.points.to_string(),
                    r.balance.to_string(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            use std::io::Write;
            writeln!(
                out,
                "{} {period}",
                pick(zh, "balances, period", "积分余额，期间")
            )?;
            writeln!(
                out,
                "{}  {} {} {}",
                pad_left(pick(zh, "member", "编号"), 8),
                pad(pick(zh, "name", "姓名"), 12),
                pad_left(pick(zh, "points", "获得积分"), 10),
                pad_left(pick(zh, "balance", "余额"), 10)
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:>8}  {} {:>10} {:>10}",
                    r.member.0,
                    pad(&r.name, 12),
                    r.points.to_string(),
                    r.balance.to_string()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct RankJson<'a> {
    rank: usize,
    member: u64,
    name: &'a str,
    unit: u64,
    unit_name: &'a str,
    points: f64,
    balance: f64,
}

pub fn ranking(s: &Session, args: &RankingArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let period = period_arg(&args.period)?;
    let rows = s.ask(RankingQ {
        org: args.org.map(OrgUnitId),
        period: period.clone(),
        limit: args.limit,
    })?;
    let mut out = crate::cli::shown::stdout();
    match args.format {
        ReportFormat::Json => {
            let json: Vec<RankJson> = rows
                .iter()
                .map(|r| RankJson {
                    rank: r.rank,
                    member: r.member.0,
                    name: &r.name,
                    unit: r.unit.0,
                    unit_name: &r.unit_name,
                    points: json_points(r.points),
                    balance: json_points(r.balance),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            use std::io::Write;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "rank",
                "member",
                "name",
                "unit",
                "unit_name",
                "points",
                "balance",
            ])?;
            for r in &rows {
                w.write_record([
                    r.rank.to_string(),
                    r.member.to_string(),
                    r.name.clone(),
                    r.unit.to_string(),
                    r.unit_name.clone(),
                    r.points.to_string(),
                    r.balance.to_string(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            use std::io::Write;
            writeln!(
                out,
                "{} {period}",
                pick(zh, "ranking, period", "积分排名，期间")
            )?;
            writeln!(
                out,
                "{} {}  {} {} {} {}",
                pad_left(pick(zh, "rank", "名次"), 5),
                pad_left(pick(zh, "member", "编号"), 8),
                pad(pick(zh, "name", "姓名"), 12),
                pad(pick(zh, "unit", "组织"), 16),
                pad_left(pick(zh, "points", "获得积分"), 10),
                pad_left(pick(zh, "balance", "余额"), 10)
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:>5} {:>8}  {} {} {:>10} {:>10}",
                    r.rank,
                    r.member.0,
                    pad(&r.name, 12),
                    pad(&r.unit_name, 16),
                    r.points.to_string(),
                    r.balance.to_string()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Pads on the left to a display width (right-aligned CJK headers).
pub(super) fn pad_left(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    if w >= width {
        s.to_string()
    } else {
        format!("{}{s}", " ".repeat(width - w))
    }
}

/// Pads to a display width, so CJK names line up in a terminal.
pub(super) fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}
