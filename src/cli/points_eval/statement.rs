//! `points statement`: a member's entries with the running balance, who
//! recorded and approved each, what still waits, and the year's evaluation
//! beside the balance.

use super::super::points::{member_arg, pad, pad_left};
use super::super::said::pick;
use super::this_year;
use crate::access::{MemberYearQ, RulesQ, Session};
use crate::domain::evaluation::Approval;
use crate::domain::points::format_centi;
use crate::domain::*;
use crate::io::notice;
use std::collections::HashMap;
use std::process::ExitCode;

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
    outln!(
        "{} {}  {} {}",
        y.member,
        y.name,
        pick(zh, "balance", "余额"),
        y.balance
    )?;
    match &y.evaluation {
        Some(l) => {
            let (score, grade) = match (l.score, l.grade) {
                (Some(p), Some(g)) => (p.to_string(), g.label(lang).to_string()),
                _ => ("-".into(), lang.pick("exempt", "免评").into()),
            };
            match lang {
                Lang::En => outln!(
                    "evaluation {year}: score {score}, grade {grade} (redeemable balance {}: a \
                     different figure)",
                    y.balance
                )?,
                Lang::Zh => outln!(
                    "{year} 年度评议：得分 {score}，等次 {grade}（可兑换余额 {}，是另一个数）",
                    y.balance
                )?,
            }
            outln!("  {}", notice::steps_text(l, lang))?;
        }
        None => match lang {
            Lang::En => outln!("evaluation {year}: not evaluated (not an active member)")?,
            Lang::Zh => outln!("{year} 年度评议：不参加（不是在册党员）")?,
        },
    }
    outln!(
        "{}  {}  {} {} {} {}  {} {} {}",
        pad_left(pick(zh, "entry", "记录"), 8),
        pad(pick(zh, "date", "日期"), 10),
        pad(pick(zh, "rule", "规则"), 10),
        pad_left(pick(zh, "qty", "数量"), 7),
        pad_left(pick(zh, "points", "积分"), 9),
        pad_left(pick(zh, "balance", "余额"), 10),
        pad(pick(zh, "recorded by", "记录人"), 12),
        pad(pick(zh, "approved by", "审批人"), 12),
        pick(zh, "note", "备注")
    )?;
    let mut running = Points::ZERO;
    for line in &y.entries {
        let e = &line.entry;
        running += e.points;
        let what = match e.source {
            EntrySource::Redemption(r) => format!("{} {r}", pick(zh, "reward", "兑换")),
            _ => e
                .rule
                .and_then(|r| rules.get(&r).cloned())
                .unwrap_or_default(),
        };
        let mut note = e.note.clone();
        // The entry of a check-in or a done task carries the note ops wrote
        // for it, in English (`activity 11: 学习…`, `task 3: 上门走访`); in
        // Chinese its first words are said again.
        let made_by = match e.source {
            EntrySource::Activity(id) => Some((format!("activity {id}: "), format!("活动 {id}："))),
            EntrySource::Task(id) => Some((format!("task {id}: "), format!("任务 {id}："))),
            _ => None,
        };
        if let (Some((en, zh_words)), Lang::Zh) = (made_by, lang)
            && let Some(rest) = note.strip_prefix(&en)
        {
            note = format!("{zh_words}{rest}");
        }
        if let Some(original) = e.reverses {
            note = match lang {
                Lang::En => format!("reverses #{original}: {note}"),
                Lang::Zh => format!("冲销 #{original}：{note}"),
            };
        }
        if !e.override_reason.is_empty() {
            note = match lang {
                Lang::En => format!("{note} (override: {})", e.override_reason),
                Lang::Zh => format!("{note}（改分：{}）", e.override_reason),
            };
        }
        if line.deduction {
            note = format!("[{}] {note}", pick(zh, "deduction", "扣分"));
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
        let state = match (&p.state, lang) {
            (Approval::Pending, Lang::En) => "waiting for approval".to_string(),
            (Approval::Pending, Lang::Zh) => "待审批".to_string(),
            (Approval::Rejected { by, reason, .. }, Lang::En) => {
                format!("rejected by {by}: {reason}")
            }
            (Approval::Rejected { by, reason, .. }, Lang::Zh) => {
                format!("{by} 已驳回：{reason}")
            }
            (Approval::Approved { by, .. }, Lang::En) => format!("approved by {by}"),
            (Approval::Approved { by, .. }, Lang::Zh) => format!("{by} 已批准"),
        };
        match lang {
            Lang::En => outln!(
                "pending {}  {}  {} points, recorded by {}: {state}",
                p.id,
                p.date,
                p.points,
                p.recorded_by
            )?,
            Lang::Zh => outln!(
                "待审批 {}  {}  {} 分，记录人 {}：{state}",
                p.id,
                p.date,
                p.points,
                p.recorded_by
            )?,
        }
    }
    Ok(ExitCode::SUCCESS)
}
