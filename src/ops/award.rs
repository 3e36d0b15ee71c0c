//! Pricing and recording an entry under a rule: its points from the rule,
//! quantity and override (deductions only under negative rules, by the roles
//! allowed, with a reason), held to the rule's cap (cut to the remainder by
//! default), then appended. Shared by `RecordPoints`, check-ins, completed
//! tasks, unexcused absences and approvals.

use super::points::{NewEntry, append};
use super::{Ctx, OpResult, invalid, optional_text, refuse, required_text};
use crate::domain::validate::ValueError;
use crate::domain::*;
use chrono::{Datelike, NaiveDate};

/// The months of the cap period that holds `date`.
/// The days a cap on `period` holds `date` against: from the first day of its
/// month, quarter or year up to (not including) the first day after it.
pub(crate) fn cap_span(period: CapPeriod, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let (first_month, months) = match period {
        CapPeriod::Month => (date.month(), 1),
        CapPeriod::Quarter => ((date.month() - 1) / 3 * 3 + 1, 3),
        CapPeriod::Year => (1, 12),
    };
    let from = NaiveDate::from_ymd_opt(date.year(), first_month, 1)?;
    Some((from, from.checked_add_months(chrono::Months::new(months))?))
}

fn period_name_zh(period: CapPeriod) -> &'static str {
    match period {
        CapPeriod::Month => "月",
        CapPeriod::Quarter => "季度",
        CapPeriod::Year => "年",
    }
}

fn period_name(period: CapPeriod) -> &'static str {
    match period {
        CapPeriod::Month => "month",
        CapPeriod::Quarter => "quarter",
        CapPeriod::Year => "year",
    }
}

/// Records points for service under a rule: computes them (or takes the
/// override, which needs a reason), holds them to the rule's cap, appends the
/// entry.
#[allow(clippy::too_many_arguments)]
pub(crate) fn award(
    ctx: &Ctx,
    member: &Member,
    date: NaiveDate,
    rule: &PointsRule,
    quantity_centi: u32,
    points_override: Option<&(Points, String)>,
    note: &str,
    source: EntrySource,
) -> OpResult<EntryId> {
    Ok(award_full(
        ctx,
        member,
        date,
        rule,
        quantity_centi,
        points_override,
        note,
        source,
    )?
    .id)
}

/// What a check-in, an unexcused absence or a completed task recorded: the
/// ledger entry, or the pending entry when the recorder's entries (or the
/// rule's) wait for approval.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome {
    Entry(EntryId),
    Waiting(PendingId),
}

impl Outcome {
    pub(crate) fn entry(self) -> Option<EntryId> {
        match self {
            Outcome::Entry(e) => Some(e),
            Outcome::Waiting(_) => None,
        }
    }

    /// The id to report as created.
    pub(crate) fn created(self) -> u64 {
        match self {
            Outcome::Entry(e) => e.0,
            Outcome::Waiting(p) => p.0,
        }
    }

    /// What the handler says it touched: the approval queue when it waits
    /// (`touch` keeps it, and the words say the points wait).
    pub(crate) fn touched(outcome: Option<Outcome>) -> super::Touched {
        match outcome {
            Some(Outcome::Waiting(_)) => super::Touched {
                areas: vec![super::Area::Approvals],
                ..Default::default()
            },
            _ => Default::default(),
        }
    }

    /// A clause for the summary when it waits.
    pub(crate) fn waiting_note(self) -> String {
        match self {
            Outcome::Entry(_) => String::new(),
            Outcome::Waiting(p) => {
                format!(", its points waiting for approval as pending entry {p}")
            }
        }
    }
}

/// As `award` for what the recorder did not type as points (a check-in, an
/// absence, a task): the entry waits for approval where the settings say the
/// recorder's role or the rule waits, like a manual entry.
pub(crate) fn award_or_wait(
    ctx: &Ctx,
    member: &Member,
    date: NaiveDate,
    rule: &PointsRule,
    quantity_centi: u32,
    note: &str,
    source: EntrySource,
) -> OpResult<Outcome> {
    if ctx
        .tx
        .evaluation_settings()?
        .needs_approval(ctx.actor.role, &rule.code)
    {
        let p = super::approval::write_pending(
            ctx,
            member,
            date,
            rule,
            quantity_centi,
            None,
            note,
            source,
        )?;
        return Ok(Outcome::Waiting(p.id));
    }
    award(ctx, member, date, rule, quantity_centi, None, note, source).map(Outcome::Entry)
}

/// What `award_full` recorded: the entry, its points, and the points the
/// rule gave before the cap cut them, if it did.
pub(crate) struct Awarded {
    pub id: EntryId,
    pub points: Points,
    pub cut_from: Option<Points>,
}

/// As `award`, saying whether the cap cut the points.
#[allow(clippy::too_many_arguments)]
pub(crate) fn award_full(
    ctx: &Ctx,
    member: &Member,
    date: NaiveDate,
    rule: &PointsRule,
    quantity_centi: u32,
    points_override: Option<&(Points, String)>,
    note: &str,
    source: EntrySource,
) -> OpResult<Awarded> {
    let priced = price(ctx, date, rule, quantity_centi, points_override, note)?;
    let held = hold_to_cap(
        ctx,
        member,
        date,
        rule,
        priced.points,
        priced.override_reason,
    )?;
    let id = append(
        ctx,
        NewEntry {
            member,
            date,
            rule: Some(rule.id),
            quantity_centi,
            points: held.points,
            override_reason: held.override_reason,
            note: priced.note,
            source,
            reverses: None,
            recorded: None,
        },
    )?;
    Ok(Awarded {
        id,
        points: held.points,
        cut_from: held.cut_from,
    })
}

/// An entry's points as its rule, quantity and override give them, checked.
pub(crate) struct Priced {
    pub points: Points,
    pub override_reason: String,
    pub note: String,
}

/// Validates an entry under `rule` and works out its points. A deduction
/// comes only from a negative rule (an override keeps the rule's sign), only
/// by the roles the evaluation settings allow, and always with a reason.
pub(crate) fn price(
    ctx: &Ctx,
    date: NaiveDate,
    rule: &PointsRule,
    quantity_centi: u32,
    points_override: Option<&(Points, String)>,
    note: &str,
) -> OpResult<Priced> {
    if !rule.active {
        return refuse(
            format!("rule {} is retired", rule.code),
            format!("积分项目 {} 已停用", rule.code),
        );
    }
    if quantity_centi == 0 {
        return invalid(
            match rule.basis {
                RuleBasis::PerHour => "hours",
                RuleBasis::PerTime => "count",
            },
            ValueError::NotPositive,
        );
    }
    if date > ctx.today() {
        return invalid("date", ValueError::FutureDate(date));
    }
    let note = optional_text("note", note, 200)?;
    let (points, override_reason) = match points_override {
        Some((p, reason)) => (*p, required_text("override reason", reason, 200)?),
        None => (rule.points.times_centi(quantity_centi), String::new()),
    };
    if points.0 != 0 && (points.0 < 0) != (rule.points.0 < 0) {
        return refuse(
            format!(
                "{points} points under {} ({} a time): an override keeps the rule's sign; a \
                 deduction is recorded under a deduction rule (e.g. ABSENT)",
                rule.code, rule.points
            ),
            format!(
                "{} 项（每次 {} 分）不能记 {points} 分：改分不能改变正负；扣分请用扣分项目（如 ABSENT）",
                rule.code, rule.points
            ),
        );
    }
    if points.0 < 0 {
        super::absence::require_deducter(ctx)?;
        if note.is_empty() && override_reason.is_empty() {
            return refuse(
                format!(
                    "a deduction ({points} points under {}) needs a reason in the note",
                    rule.code
                ),
                format!("扣分（{} 项 {points} 分）须在备注中写明原因", rule.code),
            );
        }
    }
    Ok(Priced {
        points,
        override_reason,
        note,
    })
}

/// Points after the rule's cap: the whole when they fit; the remainder up to
/// the cap when the settings cut (the default), saying so in the override
/// reason; refused when nothing remains or the settings refuse.
pub(crate) struct Held {
    pub points: Points,
    pub override_reason: String,
    pub cut_from: Option<Points>,
}

pub(crate) fn hold_to_cap(
    ctx: &Ctx,
    member: &Member,
    date: NaiveDate,
    rule: &PointsRule,
    points: Points,
    override_reason: String,
) -> OpResult<Held> {
    let whole = Held {
        points,
        override_reason: override_reason.clone(),
        cut_from: None,
    };
    let Some((period, max)) = rule.cap else {
        return Ok(whole);
    };
    if points.0 <= 0 {
        return Ok(whole);
    }
    let so_far = match cap_span(period, date) {
        Some((from, to)) => ctx.tx.member_rule_total(member.id, rule.id, from, to)?,
        None => Points::ZERO,
    };
    if so_far + points <= max {
        return Ok(whole);
    }
    let remaining = max - so_far;
    if ctx.tx.evaluation_settings()?.cap_cuts && remaining.0 > 0 {
        let cut = format!(
            "cut at the cap ({} at most {max} a {}): {points} → {remaining}",
            rule.code,
            period_name(period)
        );
        return Ok(Held {
            points: remaining,
            override_reason: if override_reason.is_empty() {
                cut
            } else {
                format!("{override_reason}; {cut}")
            },
            cut_from: Some(points),
        });
    }
    refuse(
        format!(
            "cap reached: {} allows at most {max} points a {}; {} already has {so_far} \
             this {}, and this entry would add {points}",
            rule.code,
            period_name(period),
            member.data.name,
            period_name(period),
        ),
        format!(
            "已达上限：{} 每{}最多 {max} 分；{} 本{}已有 {so_far} 分，这条将再加 {points} 分",
            rule.code,
            period_name_zh(period),
            member.data.name,
            period_name_zh(period),
        ),
    )
}
