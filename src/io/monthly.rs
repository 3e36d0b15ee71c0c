//! The monthly report for the superior organisation: one .xlsx with a sheet
//! per section — activation, coverage, workload, points ranking, attendance
//! and the pairing work done in the month. Each sheet is a plain table (one
//! frozen header row, styled, columns sized for CJK text), so it can be sorted,
//! filtered and added to the returns offices already keep.

use super::export::{Table, Value, xlsx_book};
use crate::domain::*;
use crate::ops::Actor;
use crate::report::attendance::{AttendanceReport, attendance, rate};
use crate::report::overview::activation::percent;
use crate::report::overview::{Context, Overview, overview_of};
use crate::report::period::Period;
use crate::report::points::{RankRow, Scope, ranking};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// A completed pairing task: one line of the visit log.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
pub struct MonthlyReport {
    pub period: Period,
    pub scope_name: String,
    pub made_by: String,
    pub made_on: NaiveDate,
    pub overview: Overview,
    pub ranking: Vec<RankRow>,
    pub attendance: AttendanceReport,
    pub done_tasks: Vec<DoneTask>,
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

pub fn gather(
    store: &Store,
    actor: &Actor,
    scope: Scope,
    period: &Period,
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
    Ok(MonthlyReport {
        period: period.clone(),
        scope_name,
        made_by: actor.login.clone(),
        made_on: today,
        overview: overview_of(store, scope, &members, period, today)?,
        ranking: ranking(store, scope, period, None)?,
        attendance: attendance(store, period.from, period.to, root)?,
        done_tasks,
    })
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<Points> for Value {
    fn from(p: Points) -> Value {
        Value::Centi(p.0)
    }
}

fn w(zh: bool, en: &str, zh_text: &str) -> String {
    if zh { zh_text } else { en }.to_string()
}

/// The sheets of the report, in order, in the language asked for.
pub fn sheets(r: &MonthlyReport, zh: bool) -> Vec<Table> {
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
            vec![w(zh, "period", "期间").into(), r.period.label().into()],
            vec![w(zh, "from", "起").into(), r.period.from.to_string().into()],
            vec![w(zh, "to", "止").into(), r.period.to.to_string().into()],
            vec![w(zh, "made by", "制表人").into(), r.made_by.clone().into()],
            vec![
                w(zh, "made on", "制表日期").into(),
                r.made_on.to_string().into(),
            ],
        ],
    };

    let mut activation = Table {
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
    activation.rows.push(Vec::new());
    activation.rows.push(vec![
        w(zh, "month", "月份").into(),
        w(zh, "members", "党员数").into(),
        Value::Empty,
        Value::Empty,
        w(zh, "served", "已服务").into(),
        w(zh, "served %", "服务率%").into(),
    ]);
    for t in &a.trend {
        activation.rows.push(vec![
            t.month.format("%Y-%m").to_string().into(),
            t.members.into(),
            Value::Empty,
            Value::Empty,
            t.served.into(),
            pct(t.served, t.members),
        ]);
    }

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
            ("visits overdue", "逾期未探访"),
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

    let kind = |k: TaskKind| match (k, zh) {
        (TaskKind::Visit, true) => "探访",
        (TaskKind::Care, true) => "照料",
        (TaskKind::Errand, true) => "代办",
        (TaskKind::Other, true) => "其他",
        (TaskKind::Visit, false) => "visit",
        (TaskKind::Care, false) => "care",
        (TaskKind::Errand, false) => "errand",
        (TaskKind::Other, false) => "other",
    };
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
                    t.date.to_string().into(),
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
    vec![
        summary, activation, coverage, workload, points, attendance, pairing,
    ]
}

/// Writes the report to `path` atomically.
pub fn write_xlsx(report: &MonthlyReport, zh: bool, path: &Path) -> Result<(), MonthlyError> {
    let bytes = xlsx_book(&sheets(report, zh))?;
    super::atomic::write_bytes(path, &bytes).map_err(|source| MonthlyError::Write {
        path: path.to_path_buf(),
        source,
    })
}
