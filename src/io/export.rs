//! Exports: members, beneficiaries, the points ledger, tasks, attendance, the
//! org tree and the pairings as CSV (UTF-8 with BOM, which Excel opens with the
//! Chinese intact; cells escaped so a spreadsheet neither runs nor mangles
//! them, see `csv_cell`) or as an Excel workbook with a styled, frozen header
//! row and sized columns (`xlsx`). This module builds the rows; those two
//! write them.
//!
//! Headers are Chinese or English with the interface. The member and
//! beneficiary columns are the importers' own (`COLUMNS`), with the org path
//! (committee, branch, group) by name, so an unmasked export of members
//! imports into an empty store as the same members; before and after them sit
//! the record's id and its unit's id, which the importers leave unused. Every
//! record carries the ids that join it to the others (a task's beneficiary,
//! assignee and points entry; a unit's parent and leader), so each figure of
//! the overview can be worked out from the exports alone (README: "Reproducing
//! the overview from the exports"). ID numbers and phones are masked, as on
//! screen, unless the caller asks for them whole and the actor's role allows
//! it. Reads the store; never writes it.

use super::atomic::{write_atomically, write_bytes};
use super::csv_cell::write_csv;
use super::import::{beneficiaries, members};
use super::xlsx::xlsx_bytes;
use crate::domain::validate::{mask_id_number, mask_phone};
use crate::domain::*;
use crate::ops::{Actor, query};
use crate::store::{Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use super::table::{Table, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ExportKind {
    Members,
    Beneficiaries,
    Ledger,
    Tasks,
    Attendance,
    /// The org tree: one row per committee, branch and group.
    Org,
    Pairings,
}

impl ExportKind {
    /// As the audit log names what was exported.
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Members => "members",
            ExportKind::Beneficiaries => "beneficiaries",
            ExportKind::Ledger => "ledger entries",
            ExportKind::Tasks => "tasks",
            ExportKind::Attendance => "attendance records",
            ExportKind::Org => "org units",
            ExportKind::Pairings => "pairings",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// The format a file name asks for: `.xlsx` is a workbook, anything else CSV.
    pub fn for_path(path: &Path) -> FileFormat {
        match path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
        {
            Some(e) if e == "xlsx" => FileFormat::Xlsx,
            _ => FileFormat::Csv,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "`{login}` ({role}) may not export whole ID numbers and phones; leave out --unmasked \
         (a committee admin or branch secretary may use it)"
    )]
    UnmaskNotAllowed {
        login: String,
        role: &'static str,
        role_zh: &'static str,
    },
    #[error("no org unit {0}")]
    NoSuchUnit(OrgUnitId),
    #[error("org unit {unit} is outside what `{login}` may see")]
    OutOfScope { unit: OrgUnitId, login: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExportError {
    pub fn in_lang(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            ExportError::UnmaskNotAllowed { login, role_zh, .. } => format!(
                "`{login}`（{role_zh}）无权导出完整的身份证号和电话；请去掉 --unmasked（党委管理员或支部书记可以使用）"
            ),
            ExportError::NoSuchUnit(u) => format!("没有组织 {u}"),
            ExportError::OutOfScope { unit, login } => {
                format!("组织 {unit} 不在 `{login}` 可查看的范围内")
            }
            ExportError::Write { path, reason } => {
                format!("无法写入 {}：{reason}", path.display())
            }
            ExportError::Store(e) => format!("存储出错：{e}"),
        }
    }
}

/// What to export and how.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub kind: ExportKind,
    /// Only this org subtree (within what the actor may see).
    pub org: Option<OrgUnitId>,
    pub unmasked: bool,
    pub zh: bool,
}

/// Whether the actor may have ID numbers and phones whole: those who may
/// reveal them on screen (admins, and secretaries for their own branch, to
/// which their export is limited anyway).
pub fn may_unmask(actor: &Actor) -> bool {
    matches!(actor.role, Role::CommitteeAdmin | Role::BranchSecretary)
}

/// The org units an export covers: the asked-for subtree, else the actor's
/// scope; `None` is the whole community.
fn units_covered(
    store: &Store,
    actor: &Actor,
    org: Option<OrgUnitId>,
) -> Result<Option<HashSet<OrgUnitId>>, ExportError> {
    let root = match org {
        Some(unit) => {
            if store.get_id::<OrgUnit>(unit.0)?.is_none() {
                return Err(ExportError::NoSuchUnit(unit));
            }
            if !actor.can_see(store, unit)? {
                return Err(ExportError::OutOfScope {
                    unit,
                    login: actor.login.clone(),
                });
            }
            Some(unit)
        }
        None => actor.scope,
    };
    Ok(match root {
        Some(r) => Some(query::subtree(store, r)?.into_iter().collect()),
        None => None,
    })
}

/// Builds the table an export writes, of what the actor's sight lets leave
/// the store (`access::sight`): members and beneficiaries outside it are not
/// there, and what it masks stays masked even in an unmasked export.
pub fn table(store: &Store, actor: &Actor, options: &ExportOptions) -> Result<Table, ExportError> {
    let sight = crate::access::Sight::of(store, actor)?;
    if options.unmasked && !may_unmask(actor) {
        return Err(ExportError::UnmaskNotAllowed {
            login: actor.login.clone(),
            role: actor.role.name_en(),
            role_zh: actor.role.name_zh(),
        });
    }
    let covered = units_covered(store, actor, options.org)?;
    let inside = |u: OrgUnitId| covered.as_ref().is_none_or(|c| c.contains(&u));
    let units: HashMap<OrgUnitId, OrgUnit> = query::org_units(store)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let zh = options.zh;
    Ok(match options.kind {
        ExportKind::Members => {
            let list: Vec<Member> = store
                .scan::<Member>()
                .filter(|m| m.as_ref().map_or(true, |m| inside(m.data.unit)))
                .filter_map(|m| m.map(|m| sight.member(m)).transpose())
                .collect::<Result<_, _>>()?;
            members_table(&list, &units, zh, options.unmasked)
        }
        ExportKind::Beneficiaries => {
            let list: Vec<Beneficiary> = store
                .scan::<Beneficiary>()
                .filter(|b| b.as_ref().map_or(true, |b| inside(b.data.unit)))
                .filter_map(|b| b.map(|b| sight.beneficiary(b)).transpose())
                .collect::<Result<_, _>>()?;
            beneficiaries_table(&list, &units, zh, options.unmasked)
        }
        ExportKind::Ledger => ledger_table(store, &inside, zh)?,
        ExportKind::Tasks => tasks_table(store, &inside, zh)?,
        ExportKind::Attendance => attendance_table(store, &inside, &units, zh)?,
        ExportKind::Org => org_table(store, &inside, &units, zh)?,
        ExportKind::Pairings => pairings_table(store, &inside, zh)?,
    })
}

/// The headers of the columns an export writes (the importer's own names; a
/// one-cell address is left out, since building, entrance and room are there).
fn header<F>(
    defs: &[super::columns::ColumnDef<F>],
    zh: bool,
    keep: impl Fn(&F) -> bool,
) -> Vec<String> {
    defs.iter()
        .filter(|d| keep(&d.field))
        .map(|d| if zh { d.zh } else { d.en }.to_string())
        .collect()
}

fn unit_path(units: &HashMap<OrgUnitId, OrgUnit>, id: OrgUnitId) -> [Value; 3] {
    let (c, b, g) = super::import::units::OrgIndex::path_of(units, id);
    [Value::text(c), Value::text(b), Value::text(g)]
}

/// The id columns around the importers' own: `(zh, en)` of the record's id,
/// and of its unit's. Not names the importers know (`Id` would be read as the
/// ID number), so an import leaves them unused.
const MEMBER_ID: (&str, &str) = ("党员编号", "Member id");
const BENEFICIARY_ID: (&str, &str) = ("对象编号", "Beneficiary id");
const UNIT_ID: (&str, &str) = ("组织编号", "Unit id");

/// An importer's headers between the record's id and its unit's id.
fn with_ids(id: (&'static str, &'static str), columns: Vec<String>, zh: bool) -> Vec<String> {
    let mut out = names(zh, &[id]);
    out.extend(columns);
    out.extend(names(zh, &[UNIT_ID]));
    out
}

/// Members as the roster import reads them, in the order given, between the
/// member's id and their unit's id.
pub fn members_table(
    list: &[Member],
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    unmasked: bool,
) -> Table {
    use members::MemberField as M;
    let rows = list
        .iter()
        .map(|m| {
            let d = &m.data;
            let [committee, branch, group] = unit_path(units, d.unit);
            let fields = members::COLUMNS
                .iter()
                .filter(|c| c.field != M::Address)
                .map(|c| match c.field {
                    M::Name => Value::text(&d.name),
                    M::Gender => Value::text(members::gender_label(d.gender, zh)),
                    M::Birth => Value::date(d.birth_date),
                    M::IdNumber if unmasked => Value::text(&d.id_number),
                    M::IdNumber => Value::text(mask_id_number(&d.id_number)),
                    M::Phone if unmasked => Value::text(&d.phone),
                    M::Phone => Value::text(mask_phone(&d.phone)),
                    M::Building => Value::text(&d.address.building),
                    M::Entrance => Value::text(&d.address.unit),
                    M::Room => Value::text(&d.address.room),
                    M::Address => Value::text(d.address.short()),
                    M::Committee => committee.clone(),
                    M::Branch => branch.clone(),
                    M::Group => group.clone(),
                    M::Category => Value::text(members::category_label(d.category, zh)),
                    M::HomeUnit => Value::text(&d.home_unit),
                    M::Reported => Value::date(d.reported),
                    M::Joined => Value::partial(d.joined),
                    M::FullMember => Value::partial(d.full_member),
                    M::Skills => Value::text(d.skills.join("、")),
                    M::Posts => Value::text(d.posts.join("、")),
                    M::Status => Value::text(members::status_label(d.status, zh)),
                    M::Notes => Value::text(&d.notes),
                });
            std::iter::once(Value::id(m.id.0))
                .chain(fields)
                .chain([Value::id(d.unit.0)])
                .collect()
        })
        .collect();
    Table {
        name: if zh { "党员" } else { "Members" }.into(),
        headers: with_ids(
            MEMBER_ID,
            header(members::COLUMNS, zh, |f| *f != M::Address),
            zh,
        ),
        rows,
    }
}

/// Beneficiaries as their import reads them, between the beneficiary's id and
/// their unit's id.
pub fn beneficiaries_table(
    list: &[Beneficiary],
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    unmasked: bool,
) -> Table {
    use beneficiaries::BeneficiaryField as B;
    let rows = list
        .iter()
        .map(|b| {
            let d = &b.data;
            let [committee, branch, group] = unit_path(units, d.unit);
            let fields = beneficiaries::COLUMNS
                .iter()
                .filter(|c| c.field != B::Address)
                .map(|c| match c.field {
                    B::Name => Value::text(&d.name),
                    B::Kind => Value::text(beneficiaries::kind_label(d.kind, zh)),
                    B::Building => Value::text(&d.address.building),
                    B::Entrance => Value::text(&d.address.unit),
                    B::Room => Value::text(&d.address.room),
                    B::Address => Value::text(d.address.short()),
                    B::Committee => committee.clone(),
                    B::Branch => branch.clone(),
                    B::Group => group.clone(),
                    B::Needs => Value::text(&d.needs),
                    B::Contact if unmasked => Value::text(&d.contact),
                    B::Contact => Value::text(mask_phone(&d.contact)),
                    B::VisitCycle => Value::Int(i64::from(d.visit_cycle_days)),
                    B::Status => Value::text(beneficiaries::status_label(d.active, zh)),
                    B::Notes => Value::text(&d.notes),
                });
            std::iter::once(Value::id(b.id.0))
                .chain(fields)
                .chain([Value::id(d.unit.0)])
                .collect()
        })
        .collect();
    Table {
        name: if zh { "帮扶对象" } else { "Beneficiaries" }.into(),
        headers: with_ids(
            BENEFICIARY_ID,
            header(beneficiaries::COLUMNS, zh, |f| *f != B::Address),
            zh,
        ),
        rows,
    }
}

fn names(zh: bool, pairs: &[(&'static str, &'static str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(z, e)| if zh { *z } else { *e }.to_string())
        .collect()
}

fn member_names(store: &Store) -> Result<HashMap<MemberId, (String, OrgUnitId)>, StoreError> {
    store
        .scan::<Member>()
        .map(|m| m.map(|m| (m.id, (m.data.name, m.data.unit))))
        .collect()
}

fn ledger_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    zh: bool,
) -> Result<Table, ExportError> {
    let members = member_names(store)?;
    let rules: HashMap<RuleId, PointsRule> = store
        .scan::<PointsRule>()
        .map(|r| r.map(|r| (r.id, r)))
        .collect::<Result<_, _>>()?;
    let rewards: HashMap<RewardId, String> = store
        .scan::<Reward>()
        .map(|r| r.map(|r| (r.id, r.name)))
        .collect::<Result<_, _>>()?;
    // Who approved the entries that waited for approval.
    let approved = store.approved_entries()?;
    let mut approvers: HashMap<PendingId, String> = HashMap::new();
    if !approved.is_empty() {
        for p in store.all_pending() {
            let p = p?;
            if let crate::domain::evaluation::Approval::Approved { by, .. } = p.state {
                approvers.insert(p.id, by);
            }
        }
    }
    let mut rows = Vec::new();
    for e in store.scan::<PointsEntry>() {
        let e = e?;
        let (name, unit) = members
            .get(&e.member)
            .cloned()
            .unwrap_or((String::new(), e.unit));
        if !inside(unit) {
            continue;
        }
        let rule = e.rule.and_then(|r| rules.get(&r));
        let source = match (e.source, zh) {
            (EntrySource::Manual, true) => "手工".to_string(),
            (EntrySource::Manual, false) => "manual".to_string(),
            (EntrySource::Activity(a), true) => format!("活动 {a}"),
            (EntrySource::Activity(a), false) => format!("activity {a}"),
            (EntrySource::Task(t), true) => format!("任务 {t}"),
            (EntrySource::Task(t), false) => format!("task {t}"),
            (EntrySource::Redemption(r), true) => {
                format!("兑换 {}", rewards.get(&r).cloned().unwrap_or_default())
            }
            (EntrySource::Redemption(r), false) => {
                format!(
                    "redemption {}",
                    rewards.get(&r).cloned().unwrap_or_default()
                )
            }
        };
        rows.push(vec![
            Value::Int(e.id.0 as i64),
            Value::Date(e.date),
            Value::Int(e.member.0 as i64),
            Value::text(name),
            Value::text(rule.map(|r| r.code.clone()).unwrap_or_default()),
            Value::text(
                rule.map(|r| {
                    if zh {
                        r.name_zh.clone()
                    } else {
                        r.name_en.clone()
                    }
                })
                .unwrap_or_default(),
            ),
            Value::Centi(i64::from(e.quantity_centi)),
            Value::Centi(e.points.0),
            Value::text(source),
            e.reverses.map_or(Value::Empty, |r| Value::Int(r.0 as i64)),
            Value::text(&e.override_reason),
            Value::text(&e.note),
            Value::text(&e.recorded_by),
            Value::DateTime(e.recorded_at.with_timezone(&chrono::Local).naive_local()),
            Value::text(match (crate::domain::evaluation::is_deduction(&e), zh) {
                (true, true) => "是",
                (true, false) => "yes",
                (false, _) => "",
            }),
            Value::text(
                approved
                    .get(&e.id)
                    .and_then(|p| approvers.get(p))
                    .cloned()
                    .unwrap_or_default(),
            ),
        ]);
    }
    Ok(Table {
        name: if zh { "积分台账" } else { "Ledger" }.into(),
        headers: names(
            zh,
            &[
                ("编号", "Entry"),
                ("服务日期", "Date"),
                MEMBER_ID,
                ("姓名", "Name"),
                ("规则代码", "Rule code"),
                ("规则", "Rule"),
                ("小时/次数", "Hours or count"),
                ("积分", "Points"),
                ("来源", "Source"),
                ("冲正条目", "Reverses"),
                ("改分原因", "Override reason"),
                ("备注", "Note"),
                ("记录人", "Recorded by"),
                ("记录时间", "Recorded at"),
                ("扣分", "Deduction"),
                ("审核人", "Approved by"),
            ],
        ),
        rows,
    })
}

fn tasks_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    zh: bool,
) -> Result<Table, ExportError> {
    let members = member_names(store)?;
    let benefs: HashMap<BeneficiaryId, Beneficiary> = store
        .scan::<Beneficiary>()
        .map(|b| b.map(|b| (b.id, b)))
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for t in store.scan::<Task>() {
        let t = t?;
        let Some(b) = benefs.get(&t.beneficiary) else {
            continue;
        };
        if !inside(b.data.unit) {
            continue;
        }
        let kind = match (t.kind, zh) {
            (TaskKind::Visit, true) => "走访",
            (TaskKind::Care, true) => "照料",
            (TaskKind::Errand, true) => "代办",
            (TaskKind::Other, true) => "其他",
            (TaskKind::Visit, false) => "visit",
            (TaskKind::Care, false) => "care",
            (TaskKind::Errand, false) => "errand",
            (TaskKind::Other, false) => "other",
        };
        let status = match (t.status, zh) {
            (TaskStatus::Open, true) => "待办",
            (TaskStatus::Done, true) => "已完成",
            (TaskStatus::Cancelled, true) => "已取消",
            (TaskStatus::Open, false) => "open",
            (TaskStatus::Done, false) => "done",
            (TaskStatus::Cancelled, false) => "cancelled",
        };
        rows.push(vec![
            Value::Int(t.id.0 as i64),
            Value::text(kind),
            Value::text(&t.title),
            Value::id(t.beneficiary.0),
            Value::text(&b.data.name),
            Value::id(t.assignee.0),
            Value::text(
                members
                    .get(&t.assignee)
                    .map(|m| m.0.clone())
                    .unwrap_or_default(),
            ),
            Value::Date(t.due),
            Value::text(status),
            Value::date(t.done_date),
            if t.hours_centi > 0 {
                Value::Centi(i64::from(t.hours_centi))
            } else {
                Value::Empty
            },
            Value::id_or_empty(t.award.map(|e| e.0)),
            Value::text(&t.outcome),
        ]);
    }
    Ok(Table {
        name: if zh { "帮扶任务" } else { "Tasks" }.into(),
        headers: names(
            zh,
            &[
                ("编号", "Task"),
                ("类型", "Kind"),
                ("标题", "Title"),
                BENEFICIARY_ID,
                ("帮扶对象", "Beneficiary"),
                ("负责党员编号", "Assignee id"),
                ("负责党员", "Assignee"),
                ("截止日期", "Due"),
                ("状态", "Status"),
                ("完成日期", "Done"),
                ("小时", "Hours"),
                ("积分条目", "Points entry"),
                ("情况记录", "Outcome"),
            ],
        ),
        rows,
    })
}

fn attendance_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
) -> Result<Table, ExportError> {
    let members = member_names(store)?;
    let activities: HashMap<ActivityId, Activity> = store
        .scan::<Activity>()
        .map(|a| a.map(|a| (a.id, a)))
        .collect::<Result<_, _>>()?;
    let rule_codes: HashMap<RuleId, String> = store
        .scan::<PointsRule>()
        .map(|r| r.map(|r| (r.id, r.code)))
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for a in store.scan::<Attendance>() {
        let a = a?;
        let Some((name, unit)) = members.get(&a.member).cloned() else {
            continue;
        };
        if !inside(unit) {
            continue;
        }
        let activity = activities.get(&a.activity);
        let (present, at, award, reason) = match &a.presence {
            Presence::Present { checked_in, award } => (
                if zh { "出席" } else { "present" },
                Value::DateTime(checked_in.with_timezone(&chrono::Local).naive_local()),
                Value::id_or_empty(award.map(|e| e.0)),
                Value::Empty,
            ),
            Presence::Absent { reason } => (
                if zh { "缺席" } else { "absent" },
                Value::Empty,
                Value::Empty,
                Value::text(reason),
            ),
            // The deduction entry goes where a check-in's award goes.
            Presence::Unexcused {
                deduction, note, ..
            } => (
                if zh { "无故缺席" } else { "unexcused" },
                Value::Empty,
                Value::id_or_empty(deduction.map(|e| e.0)),
                Value::text(note),
            ),
        };
        rows.push(vec![
            Value::Int(a.activity.0 as i64),
            Value::text(activity.map(|x| x.data.title.clone()).unwrap_or_default()),
            activity.map_or(Value::Empty, |x| Value::DateTime(x.data.starts)),
            Value::text(
                activity
                    .and_then(|x| units.get(&x.data.host))
                    .map(|u| u.name.clone())
                    .unwrap_or_default(),
            ),
            Value::text(
                activity
                    .and_then(|x| x.data.rule)
                    .and_then(|r| rule_codes.get(&r).cloned())
                    .unwrap_or_default(),
            ),
            Value::Int(a.member.0 as i64),
            Value::text(name),
            Value::text(units.get(&unit).map(|u| u.name.clone()).unwrap_or_default()),
            Value::text(present),
            at,
            award,
            reason,
            Value::text(&a.recorded_by),
        ]);
    }
    Ok(Table {
        name: if zh { "出勤" } else { "Attendance" }.into(),
        headers: names(
            zh,
            &[
                ("活动编号", "Activity"),
                ("活动", "Title"),
                ("开始时间", "Starts"),
                ("主办组织", "Host"),
                ("规则代码", "Rule code"),
                MEMBER_ID,
                ("姓名", "Name"),
                ("所属组织", "Unit"),
                ("出勤", "Presence"),
                ("签到时间", "Checked in"),
                ("积分条目", "Points entry"),
                ("缺席原因", "Absence reason"),
                ("记录人", "Recorded by"),
            ],
        ),
        rows,
    })
}

/// `社区党委` / `committee`: the level as the org export writes it.
fn level_label(level: OrgLevel, zh: bool) -> &'static str {
    match (level, zh) {
        (OrgLevel::Committee, true) => "社区党委",
        (OrgLevel::Branch, true) => "党支部",
        (OrgLevel::Group, true) => "楼栋党小组",
        (OrgLevel::Committee, false) => "committee",
        (OrgLevel::Branch, false) => "branch",
        (OrgLevel::Group, false) => "group",
    }
}

/// The org tree, one row per unit in id order, closed units included (with
/// the date they closed).
fn org_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
) -> Result<Table, ExportError> {
    let members = member_names(store)?;
    let mut list: Vec<&OrgUnit> = units.values().filter(|u| inside(u.id)).collect();
    list.sort_by_key(|u| u.id);
    let rows = list
        .into_iter()
        .map(|u| {
            vec![
                Value::id(u.id.0),
                Value::text(level_label(u.level, zh)),
                Value::text(&u.name),
                Value::id_or_empty(u.parent.map(|p| p.0)),
                Value::id_or_empty(u.leader.map(|m| m.0)),
                Value::text(
                    u.leader
                        .and_then(|m| members.get(&m))
                        .map(|m| m.0.clone())
                        .unwrap_or_default(),
                ),
                Value::text(u.buildings.join("、")),
                Value::date(u.established),
                Value::date(u.closed),
            ]
        })
        .collect();
    Ok(Table {
        name: if zh { "组织" } else { "Org units" }.into(),
        headers: names(
            zh,
            &[
                UNIT_ID,
                ("层级", "Level"),
                ("名称", "Name"),
                ("上级编号", "Parent id"),
                ("负责人编号", "Leader id"),
                ("负责人", "Leader"),
                ("覆盖楼栋", "Buildings"),
                ("成立日期", "Established"),
                ("撤销日期", "Closed"),
            ],
        ),
        rows,
    })
}

/// Pairings, ended ones included (with the day they ended). A pairing belongs
/// to its beneficiary's unit, as the tasks do.
fn pairings_table(
    store: &Store,
    inside: &dyn Fn(OrgUnitId) -> bool,
    zh: bool,
) -> Result<Table, ExportError> {
    let members = member_names(store)?;
    let benefs: HashMap<BeneficiaryId, Beneficiary> = store
        .scan::<Beneficiary>()
        .map(|b| b.map(|b| (b.id, b)))
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for p in store.scan::<Pairing>() {
        let p = p?;
        let Some(b) = benefs.get(&p.beneficiary) else {
            continue;
        };
        if !inside(b.data.unit) {
            continue;
        }
        rows.push(vec![
            Value::id(p.id.0),
            Value::id(p.member.0),
            Value::text(
                members
                    .get(&p.member)
                    .map(|m| m.0.clone())
                    .unwrap_or_default(),
            ),
            Value::id(p.beneficiary.0),
            Value::text(&b.data.name),
            Value::Date(p.since),
            Value::date(p.until),
        ]);
    }
    Ok(Table {
        name: if zh { "结对关系" } else { "Pairings" }.into(),
        headers: names(
            zh,
            &[
                ("编号", "Pairing"),
                MEMBER_ID,
                ("党员", "Member"),
                BENEFICIARY_ID,
                ("帮扶对象", "Beneficiary"),
                ("结对日期", "Since"),
                ("结束日期", "Until"),
            ],
        ),
        rows,
    })
}

/// Writes a table to `path` in `format`, atomically.
pub fn write(table: &Table, format: FileFormat, path: &Path) -> Result<(), ExportError> {
    let fail = |reason: String| ExportError::Write {
        path: path.to_path_buf(),
        reason,
    };
    match format {
        FileFormat::Csv => {
            write_atomically(path, |w| write_csv(table, w)).map_err(|e| fail(e.to_string()))
        }
        FileFormat::Xlsx => {
            let bytes = xlsx_bytes(table).map_err(|e| fail(e.to_string()))?;
            write_bytes(path, &bytes).map_err(|e| fail(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::columns::{ColumnDef, find_header};
    use crate::io::sheet::{Cell, SheetRow};

    /// What an importer makes of an export's header row: the header under
    /// which it found each field, and the headers it left unused.
    fn read_back<F: Copy + PartialEq>(
        headers: &[String],
        defs: &[ColumnDef<F>],
        anchor: F,
        zh: bool,
    ) -> (Vec<(String, String)>, Vec<String>) {
        let row = SheetRow {
            number: 1,
            cells: headers.iter().map(|h| Cell::Text(h.clone())).collect(),
        };
        let Some(cols) = find_header(&[row], defs, anchor) else {
            return (Vec::new(), headers.to_vec());
        };
        let found = cols
            .found
            .iter()
            .map(|(_, field, label)| {
                let own = defs
                    .iter()
                    .find(|d| d.field == *field)
                    .map(|d| if zh { d.zh } else { d.en })
                    .unwrap_or_default();
                (label.clone(), own.to_string())
            })
            .collect();
        (found, cols.ignored)
    }

    #[test]
    fn importers_read_every_field_under_its_own_header_and_leave_the_ids_unused() {
        let units = HashMap::new();
        for zh in [true, false] {
            let table = members_table(&[], &units, zh, false);
            let (found, ignored) = read_back(
                &table.headers,
                members::COLUMNS,
                members::MemberField::Name,
                zh,
            );
            assert_eq!(found.len(), members::COLUMNS.len() - 1, "zh={zh}");
            assert!(found.iter().all(|(got, own)| got == own), "{found:?}");
            assert_eq!(ignored, names(zh, &[MEMBER_ID, UNIT_ID]));

            let table = beneficiaries_table(&[], &units, zh, false);
            let (found, ignored) = read_back(
                &table.headers,
                beneficiaries::COLUMNS,
                beneficiaries::BeneficiaryField::Name,
                zh,
            );
            assert_eq!(found.len(), beneficiaries::COLUMNS.len() - 1, "zh={zh}");
            assert!(found.iter().all(|(got, own)| got == own), "{found:?}");
            assert_eq!(ignored, names(zh, &[BENEFICIARY_ID, UNIT_ID]));
        }
    }
}
