//! The monthly report for the superior organisation: one .xlsx with a sheet
//! per section — summary, activation, coverage, workload, points ranking,
//! attendance and the pairing work done in the month. Each sheet is a plain
//! table under a title row naming the organisation and the month (a frozen,
//! filterable header row, columns sized for CJK text, dates as date cells), so
//! it can be sorted, filtered and added to the returns offices already keep,
//! and it prints: A4 landscape, one page wide, title and header on every page
//! (`xlsx::report_book`). By default it covers the last complete month.

use super::table::{Table, Value};
use super::xlsx::{ReportSheet, report_book};
use crate::domain::*;
use crate::ops::Actor;
use crate::report::attendance::{AttendanceReport, attendance, rate};
use crate::report::overview::activation::percent;
use crate::report::overview::{Context, Overview, overview_of};
use crate::report::period::Period;
use crate::report::points::{RankRow, Scope, ranking};
use crate::store::{Store, StoreError};
use chrono::{Datelike, Months, NaiveDate};
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// A completed pairing task: one line of the visit log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DoneTask {
    pub date: NaiveDate,
    pub member: String,
    pub beneficiary: String,
    pub unit_name: String,
    pub kind: TaskKind,
    pub hours_centi: u32,
    pub outcome: String,
}

/// What the monthly report says, gathered before anything is written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MonthlyReport {
    pub period: Period,
    pub scope_name: String,
    pub made_by: String,
    pub made_on: NaiveDate,
    pub overview: Overview,
    /// The ranking's first ranks (all of them when `top` is `None`).
    pub ranking: Vec<RankRow>,
    pub top: Option<usize>,
    /// How many members earned points in the period (the whole ranking).
    pub ranked: usize,
    pub attendance: AttendanceReport,
    pub done_tasks: Vec<DoneTask>,
    /// 三会一课 held vs due, changes of membership, joint activities.
    pub orglife: super::orglife::MonthlyOrgLife,
}

#[derive(Debug, thiserror::Error)]
pub enum MonthlyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("writing {path}: {source}")]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl MonthlyError {
    pub fn in_lang(&self, zh: bool) -> String {
        match (self, zh) {
            (_, false) => self.to_string(),
            (MonthlyError::Store(e), true) => format!("存储出错：{e}"),
            (MonthlyError::Xlsx(e), true) => format!("生成工作簿出错：{e}"),
            (MonthlyError::Write { path, source }, true) => {
                format!(
                    "无法写入 {}：{}",
                    path.display(),
                    crate::domain::os_words::os_error_zh(source)
                )
            }
        }
    }
}

pub fn gather(
    store: &Store,
    actor: &Actor,
    scope: Scope,
    period: &Period,
    top: Option<usize>,
    today: NaiveDate,
) -> Result<MonthlyReport, StoreError> {
    let members = crate::report::overview::scope_members(store, scope)?;
    let cx = Context::new(store, scope, &members)?;
    let scope_name = match scope {
        Scope::Community => cx
            .units
            .values()
            .find(|u| u.parent.is_none())
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        Scope::Subtree(u) => cx.unit_name(u),
    };
    let root = cx.root();
    let mut done_tasks = Vec::new();
    for t in store.scan::<Task>() {
        let t = t?;
        let Some(date) = t.done_date.filter(|d| period.contains(*d)) else {
            continue;
        };
        if t.status != TaskStatus::Done {
            continue;
        }
        let Some(b) = store.get_id::<Beneficiary>(t.beneficiary.0)? else {
            continue;
        };
        if !cx.in_scope.contains(&b.data.unit) {
            continue;
        }
        let member = store
            .get_id::<Member>(t.assignee.0)?
            .map(|m| m.data.name)
            .unwrap_or_default();
        done_tasks.push(DoneTask {
            date,
            member,
            beneficiary: b.data.name,
            unit_name: cx.unit_name(b.data.unit),
            kind: t.kind,
            hours_centi: t.hours_centi,
            outcome: t.outcome,
        });
    }
    done_tasks.sort_by(|a, b| a.date.cmp(&b.date).then(a.member.cmp(&b.member)));
    let mut ranked = ranking(store, scope, period, None)?;
    let everyone = ranked.len();
    // By rank, not by row: members tied with the last one shown are shown too.
    if let Some(top) = top {
        ranked.retain(|r| r.rank <= top);
    }
    let orglife = super::orglife::MonthlyOrgLife {
        due: crate::report::orglife::held_vs_due(store, &cx, period, today)?,
        changes: crate::report::movement::changes(store, &cx, period)?,
        joint: crate::report::movement::joint(store, &cx, period)?,
    };
    Ok(MonthlyReport {
        orglife,
        period: period.clone(),
        scope_name,
        made_by: actor.login.clone(),
        made_on: today,
        overview: overview_of(store, scope, &members, period, today)?,
        ranking: ranked,
        top,
        ranked: everyone,
        attendance: attendance(store, period.from, period.to, root)?,
        done_tasks,
    })
}

/// The month before `today`'s: the last one whose every day has passed (on
/// 2026-12-01 and on 2026-12-31 alike, 2026-11).
pub fn last_complete_month(today: NaiveDate) -> Option<Period> {
    let d = today.with_day(1)?.checked_sub_months(Months::new(1))?;
    Period::month(d.year(), d.month())
}

/// Whether `p` runs from the first of a month for exactly `months` months.
fn spans_months(p: &Period, months: u32) -> bool {
    p.from.day() == 1
        && p.from
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            == Some(p.to)
}

/// The period as a title says it: `2026年11月` / `November 2026`, a quarter,
/// a year, or the two days of a range.
pub fn period_words(p: &Period, zh: bool) -> String {
    let (from, to) = (p.from, p.to);
    let (y, m) = (from.year(), from.month());
    if spans_months(p, 1) {
        if zh {
            format!("{y}年{m}月")
        } else {
            format!("{} {y}", from.format("%B"))
        }
    } else if spans_months(p, 3) && m % 3 == 1 {
        let q = m / 3 + 1;
        if zh {
            format!("{y}年第{q}季度")
        } else {
            format!("Q{q} {y}")
        }
    } else if spans_months(p, 12) && m == 1 {
        if zh { format!("{y}年") } else { y.to_string() }
    } else if zh {
        format!("{from}至{to}")
    } else {
        format!("{from} to {to}")
    }
}

/// What the ranking sheet holds: `前 20 名（共 220 名党员有积分）`.
fn ranking_scope(r: &MonthlyReport, zh: bool) -> String {
    match (r.top, zh) {
        (Some(n), true) if n < r.ranked => {
            format!("前 {n} 名（共 {} 名党员有积分）", r.ranked)
        }
        (Some(n), false) if n < r.ranked => {
            format!("the first {n} ranks ({} members earned points)", r.ranked)
        }
        (_, true) => format!("全部 {} 名有积分的党员", r.ranked),
        (_, false) => format!("all {} members who earned points", r.ranked),
    }
}

/// A sheet's title: who, when, what (`XX社区党委 2026年11月 月报 · 积分排名`).
fn title(r: &MonthlyReport, zh: bool, sheet: &str) -> String {
    let when = period_words(&r.period, zh);
    let scope = &r.scope_name;
    match (zh, spans_months(&r.period, 1)) {
        (true, true) => format!("{scope} {when} 月报 · {sheet}"),
        (true, false) => format!("{scope} {when} 报表 · {sheet}"),
        (false, true) => format!("{scope} · monthly report, {when} · {sheet}"),
        (false, false) => format!("{scope} · report, {when} · {sheet}"),
    }
}

fn w(zh: bool, en: &str, zh_text: &str) -> String {
    if zh { zh_text } else { en }.to_string()
}

/// The sheets of the report, in order, in the language asked for.
pub fn sheets(r: &MonthlyReport, zh: bool) -> Vec<ReportSheet> {
    let a = &r.overview.activation;
    let c = &r.overview.coverage;
    let wl = &r.overview.workload;
    let cat = |c: Option<MemberCategory>| match c {
        Some(c) if zh => c.name_zh().to_string(),
        Some(c) => c.name_en().to_string(),
        None => w(zh, "total", "合计"),
    };
    let pct = |part: u64, whole: u64| Value::from(percent(part, whole));

    let summary = Table {
        name: w(zh, "Summary", "概况"),
        headers: vec![w(zh, "item", "项目"), w(zh, "value", "内容")],
        rows: vec![
            vec![
                w(zh, "organisation", "组织").into(),
                r.scope_name.clone().into(),
            ],
            vec![
                w(zh, "period", "期间").into(),
                // A month is a date cell (shown 2026-11); a quarter or range its label.
                if spans_months(&r.period, 1) {
                    Value::Month(r.period.from)
                } else {
                    r.period.label().into()
                },
            ],
            vec![w(zh, "from", "起").into(), r.period.from.into()],
            vec![w(zh, "to", "止").into(), r.period.to.into()],
            vec![w(zh, "made by", "制表人").into(), r.made_by.clone().into()],
            vec![w(zh, "made on", "制表日期").into(), r.made_on.into()],
            vec![
                w(zh, "points ranking", "积分排名").into(),
                ranking_scope(r, zh).into(),
            ],
        ],
    };

    let activation = Table {
        name: w(zh, "Activation", "活跃度"),
        headers: [
            ("category", "类别"),
            ("members", "党员数"),
            ("reported", "已报到"),
            ("reported %", "报到率%"),
            ("served", "已服务"),
            ("served %", "服务率%"),
            ("average points", "人均积分"),
            ("median points", "积分中位数"),
            ("nothing this year", "本年无服务"),
        ]
        .iter()
        .map(|(e, z)| w(zh, e, z))
        .collect(),
        rows: a
            .rows
            .iter()
            .map(|row| {
                vec![
                    cat(row.category).into(),
                    row.members.into(),
                    row.reported.into(),
                    pct(row.reported, row.members),
                    row.served.into(),
                    pct(row.served, row.members),
                    row.avg_points.into(),
                    row.median_points.into(),
                    row.idle_year.into(),
                ]
            })
            .collect(),
    };
    // The twelve months ending with this one, under the activation table.
    let trend = Table {
        name: w(zh, "Trend", "趋势"),
        headers: [
            ("month", "月份"),
            ("members", "党员数"),
            ("served", "已服务"),
            ("served %", "服务率%"),
        ]
        .iter()
        .map(|(e, z)| w(zh, e, z))
        .collect(),
        rows: a
            .trend
            .iter()
            .map(|t| {
                vec![
                    Value::Month(t.month),
                    t.members.into(),
                    t.served.into(),
                    pct(t.served, t.members),
                ]
            })
            .collect(),
    };

    let coverage = Table {
        name: w(zh, "Coverage", "覆盖"),
        headers: vec![
            w(zh, "figure", "指标"),
            w(zh, "count", "数量"),
            w(zh, "details", "明细"),
        ],
        rows: c
            .lines()
            .into_iter()
            .map(|line| {
                vec![
                    line.label(zh).into(),
                    (line.count as u64).into(),
                    line.items.join("、").into(),
                ]
            })
            .collect(),
    };

    let mut workload = Table {
        name: w(zh, "Workload", "工作量"),
        headers: [
            ("unit", "单位"),
            ("branch", "所属支部"),
            ("open tasks", "未完成任务"),
            ("overdue tasks", "逾期任务"),
            ("visits overdue", "逾期未走访"),
        ]
        .iter()
        .map(|(e, z)| w(zh, e, z))
        .collect(),
        rows: wl
            .units
            .iter()
            .map(|u| {
                vec![
                    u.name.clone().into(),
                    u.branch_name.clone().into(),
                    u.open.into(),
                    u.overdue.into(),
                    u.visits_overdue.into(),
                ]
            })
            .collect(),
    };
    workload.rows.push(vec![
        w(zh, "total", "合计").into(),
        Value::Empty,
        wl.open.into(),
        wl.overdue.into(),
        (wl.visits_overdue.len() as u64).into(),
    ]);

    let points = Table {
        name: w(zh, "Points ranking", "积分排名"),
        headers: [
            ("rank", "名次"),
            ("member id", "党员编号"),
            ("name", "姓名"),
            ("unit", "所在组织"),
            ("points earned", "本期积分"),
            ("balance", "可兑换余额"),
        ]
        .iter()
        .map(|(e, z)| w(zh, e, z))
        .collect(),
        rows: r
            .ranking
            .iter()
            .map(|row| {
                vec![
                    (row.rank as u64).into(),
                    row.member.0.into(),
                    row.name.clone().into(),
                    row.unit_name.clone().into(),
                    row.points.into(),
                    row.balance.into(),
                ]
            })
            .collect(),
    };

    let attendance = Table {
        name: w(zh, "Attendance", "出勤"),
        headers: [
            ("branch", "支部"),
            ("invited", "应到人次"),
            ("present", "实到人次"),
            ("rate %", "出勤率%"),
        ]
        .iter()
        .map(|(e, z)| w(zh, e, z))
        .collect(),
        rows: r
            .attendance
            .branches
            .iter()
            .map(|b| {
                vec![
                    b.name.clone().into(),
                    u64::from(b.invited).into(),
                    u64::from(b.present).into(),
                    Value::Int((rate(b.present, b.invited) * 100.0).round() as i64),
                ]
            })
            .collect(),
    };

    let kind = |k: TaskKind| k.label(Lang::of_zh(zh));
    let pairing = Table {
        name: w(zh, "Pairing work", "结对帮扶"),
        headers: [
            ("date", "日期"),
            ("member", "党员"),
            ("beneficiary", "帮扶对象"),
            ("unit", "所在组织"),
            ("kind", "类型"),
            ("hours", "时长(小时)"),
            ("outcome", "情况"),
        ]
        .iter()
        .map(|(e, z)| w(zh, e, z))
        .collect(),
        rows: r
            .done_tasks
            .iter()
            .map(|t| {
                vec![
                    t.date.into(),
                    t.member.clone().into(),
                    t.beneficiary.clone().into(),
                    t.unit_name.clone().into(),
                    kind(t.kind).into(),
                    Value::Centi(i64::from(t.hours_centi)),
                    t.outcome.clone().into(),
                ]
            })
            .collect(),
    };
    let sheet = |table: Table, below: Vec<Table>| ReportSheet {
        title: title(r, zh, &table.name),
        table,
        below,
    };
    let mut out = vec![
        sheet(summary, vec![]),
        sheet(activation, vec![trend]),
        sheet(coverage, vec![]),
        sheet(workload, vec![]),
        sheet(points, vec![]),
        sheet(attendance, vec![]),
        sheet(pairing, vec![]),
    ];
    for table in super::orglife::monthly_tables(&r.orglife, zh) {
        out.push(sheet(table, vec![]));
    }
    out
}

/// Writes the report to `path` atomically.
pub fn write_xlsx(report: &MonthlyReport, zh: bool, path: &Path) -> Result<(), MonthlyError> {
    let footer = if zh {
        "&C第 &P 页，共 &N 页"
    } else {
        "&CPage &P of &N"
    };
    let bytes = report_book(&sheets(report, zh), footer)?;
    super::atomic::write_bytes(path, &bytes).map_err(|source| MonthlyError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_default_period_is_the_last_complete_month() {
        for (today, month) in [
            (day(2026, 12, 1), "2026-11"),
            (day(2026, 12, 31), "2026-11"),
            (day(2027, 1, 1), "2026-12"),
            (day(2026, 3, 31), "2026-02"),
        ] {
            let p = last_complete_month(today).unwrap();
            assert_eq!(p.label(), month, "on {today}");
            assert!(p.to < today, "on {today}: every day of it has passed");
        }
    }

    #[test]
    fn periods_in_titles() {
        let words = |p: &str, zh| period_words(&Period::parse(p).unwrap(), zh);
        assert_eq!(words("2026-11", true), "2026年11月");
        assert_eq!(words("2026-11", false), "November 2026");
        assert_eq!(words("2026-Q4", true), "2026年第4季度");
        assert_eq!(words("2026-Q4", false), "Q4 2026");
        assert_eq!(words("2026", true), "2026年");
        assert_eq!(
            words("2026-10-15..2026-11-14", false),
            "2026-10-15 to 2026-11-14"
        );
        // A range that happens to be a whole month reads as the month.
        assert_eq!(words("2026-11-01..2026-11-30", true), "2026年11月");
    }
}
