//! Organisational life on paper: the monthly report's sheets of 三会一课 held
//! against due, changes of membership and joint activities with partners;
//! the flow registers as a workbook; and a meeting's minutes as a page of
//! plain text or a sheet to print. Builds `Table`s; `xlsx` writes them.

use super::table::{Table, Value};
use crate::domain::*;
use crate::report::movement::{ChangeRow, FlowRow, JointRow};
use crate::report::orglife::OrgLifeReport;
use serde::{Deserialize, Serialize};

/// What the monthly report says of organisational life and movement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyOrgLife {
    pub due: OrgLifeReport,
    pub changes: Vec<ChangeRow>,
    pub joint: Vec<JointRow>,
}

fn headers(zh: bool, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(e, z)| if zh { z } else { e }.to_string())
        .collect()
}

fn lang(zh: bool) -> Lang {
    Lang::of_zh(zh)
}

/// Held vs due, a row per unit and kind.
pub fn due_table(r: &OrgLifeReport, zh: bool) -> Table {
    let l = lang(zh);
    Table {
        name: l.pick("Meetings held", "三会一课").to_string(),
        headers: headers(
            zh,
            &[
                ("unit", "组织"),
                ("level", "层级"),
                ("meeting", "会议"),
                ("required", "要求"),
                ("due", "应开"),
                ("held", "已开"),
                ("met", "达标"),
                ("missed", "未开期次"),
            ],
        ),
        rows: r
            .rows
            .iter()
            .map(|row| {
                vec![
                    row.unit_name.clone().into(),
                    row.level.label(l).into(),
                    row.kind.label(l).into(),
                    row.every
                        .map_or(l.pick("not required", "不要求"), |e| e.label(l))
                        .into(),
                    u64::from(row.due).into(),
                    u64::from(row.held).into(),
                    u64::from(row.met).into(),
                    Value::text(
                        row.missed
                            .iter()
                            .map(|w| window_words(w, zh))
                            .collect::<Vec<_>>()
                            .join(if zh { "、" } else { ", " }),
                    ),
                ]
            })
            .collect(),
    }
}

/// A window's label as a title says it (`2026年11月`, `Q4 2026`): a text
/// cell reading `2026-11` would be taken for a date by a spreadsheet.
fn window_words(label: &str, zh: bool) -> String {
    match crate::report::period::Period::parse(label) {
        Ok(p) => super::monthly::period_words(&p, zh),
        Err(_) => label.to_string(),
    }
}

pub fn changes_table(rows: &[ChangeRow], zh: bool) -> Table {
    let l = lang(zh);
    Table {
        name: l.pick("Changes", "党员变动").to_string(),
        headers: headers(
            zh,
            &[
                ("date", "日期"),
                ("change", "变动"),
                ("member id", "党员编号"),
                ("name", "姓名"),
                ("unit", "所在组织"),
                ("details", "说明"),
            ],
        ),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.date.into(),
                    r.kind.label(l).into(),
                    r.member.0.into(),
                    r.name.clone().into(),
                    r.unit_name.clone().into(),
                    Value::text(r.detail.clone()),
                ]
            })
            .collect(),
    }
}

pub fn joint_table(rows: &[JointRow], zh: bool) -> Table {
    let l = lang(zh);
    Table {
        name: l.pick("Joint building", "联建共建").to_string(),
        headers: headers(
            zh,
            &[
                ("partner", "联建单位"),
                ("kind", "类型"),
                ("joint activities", "共建活动数"),
                ("activities", "活动"),
            ],
        ),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone().into(),
                    r.kind.label(l).into(),
                    u64::from(r.activities).into(),
                    Value::text(r.titles.join("、")),
                ]
            })
            .collect(),
    }
}

/// The monthly report's organisational-life sheets, in order.
pub fn monthly_tables(o: &MonthlyOrgLife, zh: bool) -> Vec<Table> {
    vec![
        due_table(&o.due, zh),
        changes_table(&o.changes, zh),
        joint_table(&o.joint, zh),
    ]
}

/// The flow registers: one sheet of members flowed out, one flowed in.
pub fn flow_tables(rows: &[FlowRow], zh: bool) -> Vec<Table> {
    let table = |direction: Direction, en: &str, zh_name: &str| Table {
        name: if zh { zh_name } else { en }.to_string(),
        headers: headers(
            zh,
            &[
                ("flow id", "登记号"),
                ("member id", "党员编号"),
                ("name", "姓名"),
                ("unit", "所在组织"),
                ("since", "流动时间"),
                ("until", "结束时间"),
                (
                    if direction == Direction::Out {
                        "where"
                    } else {
                        "from"
                    },
                    if direction == Direction::Out {
                        "流向地"
                    } else {
                        "流出地"
                    },
                ),
                ("party organisation there", "对方党组织"),
                ("contact", "联系方式"),
                ("takes part by", "参加组织生活方式"),
                ("notes", "备注"),
            ],
        ),
        rows: rows
            .iter()
            .filter(|r| r.flow.data.direction == direction)
            .map(|r| {
                let d = &r.flow.data;
                vec![
                    r.flow.id.0.into(),
                    d.member.0.into(),
                    r.name.clone().into(),
                    r.unit_name.clone().into(),
                    d.since.into(),
                    Value::date(d.until),
                    Value::text(d.place.clone()),
                    Value::text(d.party_org.clone()),
                    Value::text(d.contact.clone()),
                    Value::text(d.participation.clone()),
                    Value::text(d.notes.clone()),
                ]
            })
            .collect(),
    };
    vec![
        table(Direction::Out, "Flowed out", "流出党员"),
        table(Direction::In, "Flowed in", "流入党员"),
    ]
}

/// The members holding a post, as the asker may see them.
pub fn holders_table(
    post: &Post,
    members: &[Member],
    units: &std::collections::HashMap<OrgUnitId, String>,
    zh: bool,
) -> Table {
    Table {
        name: post.data.name.clone(),
        headers: headers(
            zh,
            &[
                ("member id", "党员编号"),
                ("name", "姓名"),
                ("unit", "所在组织"),
                ("phone", "电话"),
                ("posts", "岗位"),
            ],
        ),
        rows: members
            .iter()
            .map(|m| {
                vec![
                    m.id.0.into(),
                    m.data.name.clone().into(),
                    Value::text(units.get(&m.data.unit).cloned().unwrap_or_default()),
                    Value::text(m.data.phone.clone()),
                    Value::text(m.data.posts.join("、")),
                ]
            })
            .collect(),
    }
}

/// A meeting with its record and the names of the people in it, ready to
/// print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedMinutes {
    pub activity: Activity,
    pub host_name: String,
    pub record: MeetingRecord,
    pub presenter: String,
    pub recorder: String,
    /// Present and invited, from the attendance records.
    pub present: Vec<String>,
    pub absent: Vec<String>,
}

/// The minutes as plain text a user can print (or paste into a report).
pub fn minutes_text(m: &PrintedMinutes, zh: bool) -> String {
    let l = lang(zh);
    let a = &m.activity.data;
    let mut out = String::new();
    let line = |out: &mut String, label: (&str, &str), value: &str| {
        out.push_str(l.pick(label.0, label.1));
        out.push_str(if zh { "：" } else { ": " });
        out.push_str(value);
        out.push('\n');
    };
    out.push_str(&format!("{}\n\n", a.title));
    line(&mut out, ("Meeting", "会议类型"), a.kind.label(l));
    line(&mut out, ("Held by", "组织"), &m.host_name);
    line(
        &mut out,
        ("Time", "时间"),
        &a.starts.format("%Y-%m-%d %H:%M").to_string(),
    );
    line(&mut out, ("Place", "地点"), &a.place);
    line(&mut out, ("Presenter", "主持人"), &m.presenter);
    line(&mut out, ("Recorder", "记录人"), &m.recorder);
    let sep = if zh { "、" } else { ", " };
    line(
        &mut out,
        ("Present", "出席"),
        &format!("{} ({})", m.present.len(), m.present.join(sep)),
    );
    if !m.absent.is_empty() {
        line(
            &mut out,
            ("Absent", "缺席"),
            &format!("{} ({})", m.absent.len(), m.absent.join(sep)),
        );
    }
    out.push_str(&format!("\n{}\n", l.pick("Topics", "议题")));
    for (i, t) in m.record.topics.iter().enumerate() {
        out.push_str(&format!("  {}. {t}\n", i + 1));
    }
    out.push_str(&format!("\n{}\n", l.pick("Minutes", "会议记录")));
    for row in m.record.minutes.lines() {
        out.push_str(&format!("  {row}\n"));
    }
    if !m.record.resolutions.is_empty() {
        out.push_str(&format!("\n{}\n", l.pick("Resolutions", "决议")));
        for (i, r) in m.record.resolutions.iter().enumerate() {
            let verdict = if r.carried() {
                l.pick("carried", "通过")
            } else {
                l.pick("not carried", "未通过")
            };
            out.push_str(&format!(
                "  {}. {}\n     {} {} · {} {} · {} {} — {verdict}\n",
                i + 1,
                r.text,
                l.pick("for", "赞成"),
                r.votes_for,
                l.pick("against", "反对"),
                r.against,
                l.pick("abstain", "弃权"),
                r.abstain
            ));
        }
    }
    out
}

/// The minutes as a two-column sheet (item, content), one line of the
/// minutes per row so it prints as written.
pub fn minutes_table(m: &PrintedMinutes, zh: bool) -> Table {
    let text = minutes_text(m, zh);
    Table {
        name: lang(zh).pick("Minutes", "会议记录").to_string(),
        headers: vec![lang(zh).pick("minutes", "会议记录").to_string()],
        rows: text.lines().map(|l| vec![Value::text(l)]).collect(),
    }
}
