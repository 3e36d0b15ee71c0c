//! The evaluation as tables and printable workbooks: the full evaluation
//! (every member, how each score was reached) and the public notice (公示) of
//! a unit's year — each member's earned points, deductions, evaluation score
//! and grade with the approval state of their entries — printed the way the
//! monthly report prints (`xlsx::report_book`: a title row, A4 landscape, one
//! page wide, title and header repeated on every page).

use super::table::{Table, Value};
use super::xlsx::{ReportSheet, report_book};
use crate::domain::*;
use crate::report::evaluation::{EvalLine, Evaluation};
use rust_xlsxwriter::XlsxError;

fn w(lang: Lang, en: &str, zh: &str) -> String {
    lang.pick(en, zh).to_string()
}

fn headers(lang: Lang, names: &[(&str, &str)]) -> Vec<String> {
    names.iter().map(|(e, z)| w(lang, e, z)).collect()
}

fn grade_text(l: &EvalLine, lang: Lang) -> String {
    match (l.grade, l.exempt) {
        (Some(g), _) => g.label(lang).to_string(),
        (None, Some(_)) => w(lang, "exempt", "免评"),
        (None, None) => String::new(),
    }
}

/// The approval state of a member's entries: all counted, or how many wait.
pub fn approval_text(l: &EvalLine, lang: Lang) -> String {
    match (l.pending, lang) {
        (0, Lang::Zh) => "已审核".into(),
        (0, Lang::En) => "all approved".into(),
        (n, Lang::Zh) => format!("{n} 条待审核"),
        (n, Lang::En) => format!("{n} waiting for approval"),
    }
}

fn score(l: &EvalLine) -> Value {
    l.score.map_or(Value::Empty, Value::from)
}

/// Every member's evaluation, with the steps that led to it.
pub fn evaluation_table(e: &Evaluation, lang: Lang) -> Table {
    Table {
        name: w(lang, "Evaluation", "年度评议"),
        headers: headers(
            lang,
            &[
                ("member", "党员编号"),
                ("name", "姓名"),
                ("branch", "党支部"),
                ("unit", "所在组织"),
                ("base", "基础分"),
                ("earned", "获得积分"),
                ("deducted", "扣分"),
                ("score", "评议得分"),
                ("grade", "等次"),
                ("unexcused absences", "无故缺席"),
                ("approval", "审核状态"),
                ("how", "计算过程"),
            ],
        ),
        rows: e
            .lines
            .iter()
            .map(|l| {
                vec![
                    Value::id(l.member.0),
                    l.name.clone().into(),
                    l.branch_name.clone().into(),
                    l.unit_name.clone().into(),
                    l.base.into(),
                    l.earned.into(),
                    l.deducted.into(),
                    score(l),
                    Value::text(grade_text(l, lang)),
                    Value::Int(i64::from(l.unexcused)),
                    approval_text(l, lang).into(),
                    steps_text(l, lang).into(),
                ]
            })
            .collect(),
    }
}

/// The steps of one line joined as a sentence.
pub fn steps_text(l: &EvalLine, lang: Lang) -> String {
    let sep = lang.pick("; ", "；");
    l.steps
        .iter()
        .map(|s| s.describe(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The public notice: what a branch pins up at year end.
pub fn notice_table(e: &Evaluation, lang: Lang) -> Table {
    Table {
        name: w(lang, "Notice", "公示"),
        headers: headers(
            lang,
            &[
                ("no.", "序号"),
                ("name", "姓名"),
                ("unit", "所在组织"),
                ("earned", "获得积分"),
                ("deducted", "扣分"),
                ("score", "评议得分"),
                ("grade", "等次"),
                ("approval", "审核状态"),
                ("remark", "备注"),
            ],
        ),
        rows: e
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let remark = match l.exempt {
                    Some(x) => x.label(lang),
                    None => String::new(),
                };
                vec![
                    Value::Int(i as i64 + 1),
                    l.name.clone().into(),
                    l.unit_name.clone().into(),
                    l.earned.into(),
                    l.deducted.into(),
                    score(l),
                    Value::text(grade_text(l, lang)),
                    approval_text(l, lang).into(),
                    Value::text(remark),
                ]
            })
            .collect(),
    }
}

/// The notice's title: the unit and the year, or the period within it whose
/// points the notice shows (`2026-Q4`).
pub fn notice_title(e: &Evaluation, unit_name: &str, period: Option<&str>, lang: Lang) -> String {
    match (lang, period) {
        (Lang::Zh, None) => format!("{unit_name} {} 年度党员积分评议公示", e.year),
        (Lang::Zh, Some(p)) => format!(
            "{unit_name} {p} 党员积分公示（评议得分、等次为 {} 年度截至期末）",
            e.year
        ),
        (Lang::En, None) => format!(
            "{unit_name}: members' points evaluation {}, public notice",
            e.year
        ),
        (Lang::En, Some(p)) => format!(
            "{unit_name}: members' points {p}, public notice (score and grade: {} to the period's end)",
            e.year
        ),
    }
}

/// The notice as a printable workbook.
pub fn notice_xlsx(
    e: &Evaluation,
    unit_name: &str,
    period: Option<&str>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let sheet = ReportSheet {
        title: notice_title(e, unit_name, period, lang),
        table: notice_table(e, lang),
        below: vec![],
    };
    report_book(&[sheet], footer(lang))
}

/// The evaluation as a printable workbook.
pub fn evaluation_xlsx(e: &Evaluation, unit_name: &str, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let title = match lang {
        Lang::Zh => format!("{unit_name} {} 年度党员积分评议", e.year),
        Lang::En => format!("{unit_name}: members' points evaluation {}", e.year),
    };
    let sheet = ReportSheet {
        title,
        table: evaluation_table(e, lang),
        below: vec![],
    };
    report_book(&[sheet], footer(lang))
}

fn footer(lang: Lang) -> &'static str {
    lang.pick("&CPage &P of &N", "&C第 &P 页，共 &N 页")
}
