//! The committee's catalogues: points rules (`rules add|set`) and the points
//! supermarket's rewards (`rewards list|add|set|redeem`). Every change goes
//! through `ops::apply`; only a committee admin may change a catalogue, and a
//! rule is retired, never deleted, so the ledger always names a real rule.

use super::points::{ReportFormat, member_arg, pad};
use super::said::{bad_value, done, not_points, pick, said};
use crate::access::{RewardsQ, RuleByCodeQ, Session};
use crate::domain::*;
use crate::ops::Command;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BasisArg {
    Hour,
    Time,
}

#[derive(Debug, Subcommand)]
pub enum RulesCmd {
    /// Add a points rule.
    Add {
        /// Short code typed at the keyboard, e.g. CLEAN.
        code: String,
        #[arg(long)]
        name_zh: String,
        #[arg(long, default_value = "")]
        name_en: String,
        #[arg(long, value_enum)]
        basis: BasisArg,
        /// Points per hour or per time, e.g. 1.5 (negative for a deduction).
        #[arg(long, allow_hyphen_values = true)]
        points: String,
        /// A cap: month:20, quarter:3 or year:24.
        #[arg(long)]
        cap: Option<String>,
    },
    /// Change a rule; unchanged fields keep their values.
    Set(RuleSetArgs),
}

#[derive(Debug, Args)]
pub struct RuleSetArgs {
    code: String,
    #[arg(long)]
    name_zh: Option<String>,
    #[arg(long)]
    name_en: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    points: Option<String>,
    /// A new cap (month:20, quarter:3, year:24).
    #[arg(long, conflicts_with = "no_cap")]
    cap: Option<String>,
    /// Remove the cap.
    #[arg(long)]
    no_cap: bool,
    /// Retire the rule: no new entries under it; old entries keep it.
    #[arg(long, conflicts_with = "activate")]
    retire: bool,
    /// Bring a retired rule back.
    #[arg(long)]
    activate: bool,
}

#[derive(Debug, Subcommand)]
pub enum RewardsCmd {
    /// The catalogue.
    List {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Add an item.
    Add {
        name: String,
        /// Points it costs.
        #[arg(long)]
        cost: String,
        /// How many are in stock (default: not counted).
        #[arg(long)]
        stock: Option<u32>,
    },
    /// Change an item; unchanged fields keep their values.
    Set {
        id: u64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        cost: Option<String>,
        #[arg(long, conflicts_with = "no_stock")]
        stock: Option<u32>,
        /// Stop counting stock.
        #[arg(long)]
        no_stock: bool,
        #[arg(long, conflicts_with = "activate")]
        retire: bool,
        #[arg(long)]
        activate: bool,
    },
    /// Spend a member's points on an item (never below a zero balance).
    Redeem {
        #[arg(long)]
        member: String,
        #[arg(long)]
        reward: u64,
        /// Date (default today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
}

fn points_arg(flag: &str, text: &str) -> anyhow::Result<Points> {
    Points::parse(text).ok_or_else(|| not_points(flag, text))
}

fn cap_arg(text: &str) -> anyhow::Result<(CapPeriod, Points)> {
    let (period, max) = text.split_once(':').ok_or_else(|| {
        said(
            format!("--cap: '{text}' should be month:N, quarter:N or year:N"),
            format!("--cap：“{text}”应写作 month:N、quarter:N 或 year:N"),
        )
    })?;
    let period = match period.trim() {
        "month" => CapPeriod::Month,
        "quarter" => CapPeriod::Quarter,
        "year" => CapPeriod::Year,
        other => {
            return Err(said(
                format!("--cap: '{other}' is not month, quarter or year"),
                format!("--cap：“{other}”不是 month、quarter 或 year"),
            ));
        }
    };
    Ok((period, points_arg("cap", max)?))
}

fn rule_arg(s: &Session, code: &str) -> anyhow::Result<PointsRule> {
    s.ask(RuleByCodeQ(code.to_string()))?.ok_or_else(|| {
        said(
            format!("no rule {code}; `dangjian points rules` lists them"),
            format!("没有积分规则 {code}；`dangjian points rules` 列出全部规则"),
        )
    })
}

pub fn rules(s: &Session, cmd: &RulesCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        RulesCmd::Add {
            code,
            name_zh,
            name_en,
            basis,
            points,
            cap,
        } => Command::CreateRule {
            code: code.clone(),
            name_zh: name_zh.clone(),
            name_en: name_en.clone(),
            basis: match basis {
                BasisArg::Hour => RuleBasis::PerHour,
                BasisArg::Time => RuleBasis::PerTime,
            },
            points: points_arg("points", points)?,
            cap: cap.as_deref().map(cap_arg).transpose()?,
        },
        RulesCmd::Set(a) => {
            let old = rule_arg(s, &a.code)?;
            Command::UpdateRule {
                id: old.id,
                name_zh: a.name_zh.clone().unwrap_or(old.name_zh),
                name_en: a.name_en.clone().unwrap_or(old.name_en),
                points: match &a.points {
                    Some(p) => points_arg("points", p)?,
                    None => old.points,
                },
                cap: match (&a.cap, a.no_cap) {
                    (Some(c), _) => Some(cap_arg(c)?),
                    (None, true) => None,
                    (None, false) => old.cap,
                },
                active: match (a.retire, a.activate) {
                    (true, _) => false,
                    (_, true) => true,
                    _ => old.active,
                },
            }
        }
    };
    let applied = s.apply(&command)?;
    outln!("{}", done(&command, &applied, zh))?;
    Ok(ExitCode::SUCCESS)
}

pub fn rewards(s: &Session, cmd: &RewardsCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        RewardsCmd::List { format } => return list(s, *format, zh),
        RewardsCmd::Add { name, cost, stock } => Command::CreateReward {
            name: name.clone(),
            cost: points_arg("cost", cost)?,
            stock: *stock,
        },
        RewardsCmd::Set {
            id,
            name,
            cost,
            stock,
            no_stock,
            retire,
            activate,
        } => {
            let old = s
                .ask(RewardsQ)?
                .into_iter()
                .find(|r| r.id.0 == *id)
                .ok_or_else(|| {
                    said(
                        format!("no reward {id}; `dangjian rewards list` shows them"),
                        format!("没有兑换品 {id}；`dangjian rewards list` 列出全部兑换品"),
                    )
                })?;
            Command::UpdateReward {
                id: old.id,
                name: name.clone().unwrap_or(old.name),
                cost: match cost {
                    Some(c) => points_arg("cost", c)?,
                    None => old.cost,
                },
                stock: match (stock, no_stock) {
                    (Some(n), _) => Some(*n),
                    (None, true) => None,
                    (None, false) => old.stock,
                },
                active: match (retire, activate) {
                    (true, _) => false,
                    (_, true) => true,
                    _ => old.active,
                },
            }
        }
        RewardsCmd::Redeem {
            member,
            reward,
            date,
            note,
        } => {
            let m = member_arg(s, member)?;
            let date = match date {
                Some(d) => {
                    crate::domain::validate::parse_date(d).map_err(|e| bad_value("date", &e))?
                }
                None => chrono::Local::now().date_naive(),
            };
            Command::Redeem {
                member: m.id,
                reward: RewardId(*reward),
                date,
                note: note.clone(),
            }
        }
    };
    let applied = s.apply(&command)?;
    outln!("{}", done(&command, &applied, zh))?;
    Ok(ExitCode::SUCCESS)
}

fn list(s: &Session, format: ReportFormat, zh: bool) -> anyhow::Result<ExitCode> {
    let items: Vec<Reward> = s.ask(RewardsQ)?;
    let mut out = crate::cli::shown::stdout();
    match format {
        ReportFormat::Json => {
            let json: Vec<serde_json::Value> = items
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id.0,
                        "name": r.name,
                        "cost": r.cost.to_string(),
                        "stock": r.stock,
                        "active": r.active,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["id", "name", "cost", "stock", "active"])?;
            for r in &items {
                w.write_record([
                    r.id.to_string(),
                    r.name.clone(),
                    r.cost.to_string(),
                    r.stock.map(|s| s.to_string()).unwrap_or_default(),
                    r.active.to_string(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            for r in &items {
                writeln!(
                    out,
                    "{:>4}  {}  {:>6} {}  {:>6}  {}",
                    r.id.0,
                    pad(&r.name, 16),
                    r.cost.to_string(),
                    pick(zh, "pts", "分"),
                    r.stock.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
                    if r.active {
                        ""
                    } else {
                        pick(zh, "retired", "已停用")
                    }
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
