//! Service points: the rules catalogue, the append-only ledger, reversals,
//! rewards and redemptions. Nothing in the ledger is edited or deleted; a
//! correction is a reversal entry pointing at the original.

use super::authority::Need;
/// Where the other handlers have always found it.
use super::award::award_full;
use super::members::active;
use super::{Applied, Command, Ctx, OpResult, not_found, optional_text, refuse, required_text};
use crate::domain::*;
use chrono::NaiveDate;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::CreateRule {
            code,
            name_zh,
            name_en,
            basis,
            points,
            cap,
        } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let code = clean_code(code)?;
            if ctx.tx.rule_id_by_code(&code)?.is_some() {
                return refuse(
                    format!("a rule with code {code} already exists"),
                    format!("代码为 {code} 的积分项目已存在"),
                );
            }
            check_rule_values(*points, cap)?;
            let id = RuleId(ctx.tx.next_id("rule")?);
            let rule = PointsRule {
                id,
                code,
                name_zh: required_text("Chinese name", name_zh, 40)?,
                name_en: optional_text("English name", name_en, 60)?,
                basis: *basis,
                points: *points,
                cap: *cap,
                active: true,
            };
            ctx.tx.put_indexed(None, &rule)?;
            Ok(Applied {
                touched: Default::default(),
                subject: rule.code.clone(),
                created: Some(id.0),
                summary: format!("added points rule {} {}", rule.code, rule.name_zh),
                inverse: Some(Command::UpdateRule {
                    id,
                    name_zh: rule.name_zh.clone(),
                    name_en: rule.name_en.clone(),
                    points: rule.points,
                    cap: rule.cap,
                    active: false,
                }),
            })
        }
        Command::UpdateRule {
            id,
            name_zh,
            name_en,
            points,
            cap,
            active,
        } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let old = load_rule(ctx, *id)?;
            check_rule_values(*points, cap)?;
            let new = PointsRule {
                name_zh: required_text("Chinese name", name_zh, 40)?,
                name_en: optional_text("English name", name_en, 60)?,
                points: *points,
                cap: *cap,
                active: *active,
                ..old.clone()
            };
            ctx.tx.put_indexed(Some(&old), &new)?;
            let what = match (old.active, new.active) {
                (true, false) => "retired",
                (false, true) => "reactivated",
                _ => "updated",
            };
            Ok(Applied {
                touched: Default::default(),
                subject: new.code.clone(),
                created: None,
                summary: format!("{what} points rule {}", new.code),
                inverse: Some(Command::UpdateRule {
                    id: *id,
                    name_zh: old.name_zh,
                    name_en: old.name_en,
                    points: old.points,
                    cap: old.cap,
                    active: old.active,
                }),
            })
        }
        Command::RecordPoints {
            member,
            date,
            rule,
            quantity_centi,
            points_override,
            note,
            ..
        } => {
            let member = active(ctx, *member)?;
            ctx.actor.require(ctx, Need::WorkIn(member.data.unit))?;
            let rule = load_rule(ctx, *rule)?;
            if ctx
                .tx
                .evaluation_settings()?
                .needs_approval(ctx.actor.role, &rule.code)
            {
                return super::approval::propose(
                    ctx,
                    &member,
                    *date,
                    &rule,
                    *quantity_centi,
                    points_override.as_ref(),
                    note,
                );
            }
            let awarded = award_full(
                ctx,
                &member,
                *date,
                &rule,
                *quantity_centi,
                points_override.as_ref(),
                note,
                EntrySource::Manual,
            )?;
            let id = awarded.id;
            let cut = match awarded.cut_from {
                Some(from) => format!(" (cut at the cap from {from})"),
                None => String::new(),
            };
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", member.data.name, member.id),
                created: Some(id.0),
                summary: format!(
                    "recorded {} points for {} ({}) under {} on {date}{cut}",
                    awarded.points, member.data.name, member.id, rule.code
                ),
                inverse: Some(Command::ReversePoints {
                    entry: id,
                    reason: "undo".into(),
                }),
            })
        }
        Command::ReversePoints { entry, reason } => {
            let original = load_entry(ctx, *entry)?;
            let member = super::members::load(ctx, original.member)?;
            ctx.actor.require(ctx, Need::WorkIn(member.data.unit))?;
            let reason = required_text("reason", reason, 200)?;
            // Taking a deduction back is for those who may deduct.
            if crate::domain::evaluation::is_deduction(&original) {
                super::absence::require_deducter(ctx)?;
            }
            let id = reverse(ctx, &original, &reason)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", member.data.name, member.id),
                created: Some(id.0),
                summary: format!(
                    "reversed entry {entry} ({} points for {}): {reason}",
                    original.points, member.data.name
                ),
                inverse: None,
            })
        }
        Command::Redeem {
            member,
            reward,
            date,
            note,
        } => {
            let member = active(ctx, *member)?;
            ctx.actor.require(ctx, Need::WorkIn(member.data.unit))?;
            let Some(item) = ctx.tx.get_id::<Reward>(reward.0)? else {
                return not_found(format!("reward {reward}"), format!("奖品 {reward}"));
            };
            if !item.active {
                return refuse(
                    format!("reward {} is no longer offered", item.name),
                    format!("奖品 {} 已下架", item.name),
                );
            }
            if item.stock == Some(0) {
                return refuse(
                    format!("reward {} is out of stock", item.name),
                    format!("奖品 {} 已无库存", item.name),
                );
            }
            let balance = ctx.tx.balance(member.id)?;
            if balance < item.cost {
                return refuse(
                    format!(
                        "{} has {balance} points; {} costs {}",
                        member.data.name, item.name, item.cost
                    ),
                    format!(
                        "{} 只有 {balance} 分；{} 需要 {} 分",
                        member.data.name, item.name, item.cost
                    ),
                );
            }
            if let Some(stock) = item.stock {
                ctx.tx.put(&Reward {
                    stock: Some(stock - 1),
                    ..item.clone()
                })?;
            }
            let id = append(
                ctx,
                NewEntry {
                    member: &member,
                    date: *date,
                    rule: None,
                    quantity_centi: 100,
                    points: -item.cost,
                    override_reason: String::new(),
                    note: optional_text("note", note, 200)?,
                    source: EntrySource::Redemption(item.id),
                    reverses: None,
                    recorded: None,
                },
            )?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({})", member.data.name, member.id),
                created: Some(id.0),
                summary: format!(
                    "{} redeemed {} for {} points",
                    member.data.name, item.name, item.cost
                ),
                inverse: Some(Command::ReversePoints {
                    entry: id,
                    reason: "undo".into(),
                }),
            })
        }
        Command::CreateReward { name, cost, stock } => {
            ctx.actor.require(ctx, Need::Admin)?;
            if cost.0 <= 0 {
                return refuse(
                    "a reward must cost more than 0 points",
                    "奖品所需积分必须大于 0",
                );
            }
            let id = RewardId(ctx.tx.next_id("reward")?);
            let reward = Reward {
                id,
                name: required_text("name", name, 40)?,
                cost: *cost,
                stock: *stock,
                active: true,
            };
            ctx.tx.put(&reward)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", reward.name),
                created: Some(id.0),
                summary: format!("added reward {} ({} points)", reward.name, reward.cost),
                inverse: Some(Command::UpdateReward {
                    id,
                    name: reward.name.clone(),
                    cost: reward.cost,
                    stock: reward.stock,
                    active: false,
                }),
            })
        }
        Command::UpdateReward {
            id,
            name,
            cost,
            stock,
            active,
        } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let Some(old) = ctx.tx.get_id::<Reward>(id.0)? else {
                return not_found(format!("reward {id}"), format!("奖品 {id}"));
            };
            if cost.0 <= 0 {
                return refuse(
                    "a reward must cost more than 0 points",
                    "奖品所需积分必须大于 0",
                );
            }
            let new = Reward {
                id: *id,
                name: required_text("name", name, 40)?,
                cost: *cost,
                stock: *stock,
                active: *active,
            };
            ctx.tx.put(&new)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", new.name),
                created: None,
                summary: format!("updated reward {}", new.name),
                inverse: Some(Command::UpdateReward {
                    id: *id,
                    name: old.name,
                    cost: old.cost,
                    stock: old.stock,
                    active: old.active,
                }),
            })
        }
        _ => refuse(
            format!("{} is not a points command", cmd.kind()),
            format!("{} 不是积分命令", cmd.kind()),
        ),
    }
}

fn clean_code(code: &str) -> OpResult<String> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty()
        || code.len() > 16
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return refuse(
            format!("rule code `{code}` must be 1–16 letters, digits, - or _"),
            format!("积分项目代码 `{code}` 应为 1–16 个字母、数字、- 或 _"),
        );
    }
    Ok(code)
}

fn check_rule_values(points: Points, cap: &Option<(CapPeriod, Points)>) -> OpResult<()> {
    if points.0 == 0 {
        return refuse(
            "a rule must give or take some points (not 0)",
            "积分项目的分值不能为 0",
        );
    }
    if let Some((_, max)) = cap
        && max.0 <= 0
    {
        return refuse("a cap must be more than 0 points", "上限必须大于 0 分");
    }
    Ok(())
}

pub(crate) fn load_rule(ctx: &Ctx, id: RuleId) -> OpResult<PointsRule> {
    match ctx.tx.get_id::<PointsRule>(id.0)? {
        Some(r) => Ok(r),
        None => not_found(format!("points rule {id}"), format!("积分项目 {id}")),
    }
}

/// An active rule by code, if there is one (task kinds and activities map to codes).
pub(crate) fn active_rule_by_code(ctx: &Ctx, code: &str) -> OpResult<Option<PointsRule>> {
    let Some(id) = ctx.tx.rule_id_by_code(code)? else {
        return Ok(None);
    };
    Ok(ctx.tx.get_id::<PointsRule>(id.0)?.filter(|r| r.active))
}

/// An entry of a member the actor may see; any other is "not found".
fn load_entry(ctx: &Ctx, id: EntryId) -> OpResult<PointsEntry> {
    let seen = match ctx.tx.get_id::<PointsEntry>(id.0)? {
        Some(e) => match ctx.tx.get_id::<Member>(e.member.0)? {
            Some(m) if ctx.sees(m.data.unit)? => Some(e),
            _ => None,
        },
        None => None,
    };
    match seen {
        Some(e) => Ok(e),
        None => not_found(format!("points entry {id}"), format!("积分记录 {id}")),
    }
}

pub(crate) struct NewEntry<'a> {
    pub member: &'a Member,
    pub date: NaiveDate,
    pub rule: Option<RuleId>,
    pub quantity_centi: u32,
    pub points: Points,
    pub override_reason: String,
    pub note: String,
    pub source: EntrySource,
    pub reverses: Option<EntryId>,
    /// Who recorded it and when, when not the actor now (an approved entry
    /// keeps its recorder's name and time).
    pub recorded: Option<(String, chrono::DateTime<chrono::Utc>)>,
}

pub(crate) fn append(ctx: &Ctx, new: NewEntry) -> OpResult<EntryId> {
    let (recorded_by, recorded_at) = new
        .recorded
        .unwrap_or_else(|| (ctx.actor.login.clone(), ctx.now));
    let id = EntryId(ctx.tx.next_id("entry")?);
    ctx.tx.append_entry(&PointsEntry {
        id,
        member: new.member.id,
        unit: new.member.data.unit,
        date: new.date,
        rule: new.rule,
        quantity_centi: new.quantity_centi,
        points: new.points,
        override_reason: new.override_reason,
        note: new.note,
        source: new.source,
        recorded_by,
        recorded_at,
        reverses: new.reverses,
    })?;
    Ok(id)
}

/// Appends the reversal of `original`: same member, date, rule and source, the
/// opposite points. A reversal cannot itself be reversed, nor an entry twice.
pub(crate) fn reverse(ctx: &Ctx, original: &PointsEntry, reason: &str) -> OpResult<EntryId> {
    if original.reverses.is_some() {
        return refuse(
            format!(
                "entry {} is itself a reversal and cannot be reversed; record a new entry instead",
                original.id
            ),
            format!(
                "记录 {} 本身是冲正记录，不能再冲正；请另记一条",
                original.id
            ),
        );
    }
    if let Some(by) = ctx.tx.reversal_of(original.id)? {
        return refuse(
            format!("entry {} was already reversed by entry {by}", original.id),
            format!("记录 {} 已被记录 {by} 冲正", original.id),
        );
    }
    if let EntrySource::Redemption(reward) = original.source
        && let Some(item) = ctx.tx.get_id::<Reward>(reward.0)?
        && let Some(stock) = item.stock
    {
        ctx.tx.put(&Reward {
            stock: Some(stock + 1),
            ..item
        })?;
    }
    let id = EntryId(ctx.tx.next_id("entry")?);
    ctx.tx.append_entry(&PointsEntry {
        id,
        points: -original.points,
        override_reason: String::new(),
        note: reason.to_string(),
        recorded_by: ctx.actor.login.clone(),
        recorded_at: ctx.now,
        reverses: Some(original.id),
        ..original.clone()
    })?;
    Ok(id)
}

/// Reverses the entry with this id (used when a task completion or a check-in
/// that awarded points is undone).
pub(crate) fn reverse_by_id(ctx: &Ctx, id: EntryId, reason: &str) -> OpResult<()> {
    let original = load_entry(ctx, id)?;
    reverse(ctx, &original, reason)?;
    Ok(())
}
