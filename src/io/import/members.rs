//! The member roster: its columns, the words offices fill them with, and the
//! plan of a roster's import (each row is read in `member_row`). A row is
//! matched to an existing member by ID number (a match updates that member,
//! never adds a second one); a column the file lacks, or a blank cell, leaves
//! that field of an existing member as it is.

use super::member_row::{RowContext, read_row};
use super::row::RowReader;
use super::sheetplan;
use super::units::OrgIndex;
use super::{ImportError, ImportOptions, Plan};
use crate::access::Client;
use crate::domain::*;
use crate::io::columns::{ColumnDef, Columns};
use crate::io::sheet::{Cell, Sheet};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberField {
    Name,
    Gender,
    Birth,
    IdNumber,
    Phone,
    Building,
    Entrance,
    Room,
    Address,
    Committee,
    Branch,
    Group,
    Category,
    HomeUnit,
    Reported,
    Joined,
    FullMember,
    Skills,
    Posts,
    Status,
    Notes,
}

use MemberField as M;

macro_rules! col {
    ($f:expr, $zh:expr, $en:expr, [$($a:expr),* $(,)?]) => {
        ColumnDef { field: $f, zh: $zh, en: $en, aliases: &[$($a),*] }
    };
}

/// The member columns, in the order exports write them.
pub const COLUMNS: &[ColumnDef<MemberField>] = &[
    col!(M::Name, "姓名", "Name", ["名字", "党员姓名", "full name"]),
    col!(M::Gender, "性别", "Gender", ["sex"]),
    col!(
        M::Birth,
        "出生日期",
        "Birth date",
        [
            "出生年月",
            "出生年月日",
            "生日",
            "date of birth",
            "birthday",
            "dob"
        ]
    ),
    col!(
        M::IdNumber,
        "身份证号",
        "ID number",
        [
            "身份证号码",
            "公民身份号码",
            "身份证",
            "证件号码",
            "id no",
            "id",
            "resident id"
        ]
    ),
    col!(
        M::Phone,
        "联系电话",
        "Phone",
        [
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "联系方式",
            "mobile",
            "telephone",
            "tel"
        ]
    ),
    col!(
        M::Building,
        "楼栋",
        "Building",
        ["楼号", "楼", "栋", "楼栋号"]
    ),
    col!(M::Entrance, "单元", "Entrance", ["单元号", "unit"]),
    col!(M::Room, "房号", "Room", ["房间号", "室", "门牌号", "房间"]),
    col!(
        M::Address,
        "住址",
        "Address",
        ["地址", "家庭住址", "居住地址", "现住址"]
    ),
    col!(
        M::Committee,
        "所属党委",
        "Committee",
        ["党委", "社区党委", "party committee"]
    ),
    col!(
        M::Branch,
        "所属支部",
        "Branch",
        ["支部", "党支部", "所属党支部", "party branch"]
    ),
    col!(
        M::Group,
        "所属党小组",
        "Group",
        ["党小组", "小组", "楼栋党小组", "party group"]
    ),
    col!(
        M::Category,
        "党员类别",
        "Category",
        ["人员类别", "类别", "党员类型", "类型"]
    ),
    col!(
        M::HomeUnit,
        "工作单位",
        "Work unit",
        ["单位", "工作单位及职务", "所在单位", "原单位", "home unit"]
    ),
    col!(
        M::Reported,
        "报到日期",
        "Reported",
        ["报到时间", "报到", "reported date", "report date"]
    ),
    col!(
        M::Joined,
        "入党日期",
        "Joined",
        ["入党时间", "join date", "joined date"]
    ),
    col!(
        M::FullMember,
        "转正日期",
        "Full member",
        [
            "转正时间",
            "full membership",
            "full-member date",
            "full member date"
        ]
    ),
    col!(M::Skills, "特长", "Skills", ["专长", "技能"]),
    col!(M::Posts, "岗位", "Posts", ["设岗定责", "党内职务", "职务"]),
    col!(M::Status, "状态", "Status", ["党员状态"]),
    col!(M::Notes, "备注", "Notes", ["说明", "note", "remarks"]),
];

pub fn category_label(c: MemberCategory, zh: bool) -> &'static str {
    if zh { c.name_zh() } else { c.name_en() }
}

pub(super) fn parse_category(s: &str) -> Option<MemberCategory> {
    let k = s.trim().to_lowercase().replace([' ', '_'], "-");
    let k = k.strip_suffix("党员").unwrap_or(&k);
    Some(match k {
        "在职" | "在岗" | "on-the-job" | "onthejob" | "employed" | "working" => {
            MemberCategory::OnTheJob
        }
        "离退休" | "退休" | "离休" | "退休人员" | "retired" => MemberCategory::Retired,
        "学生" | "在校学生" | "student" => MemberCategory::Student,
        "流动" | "mobile" => MemberCategory::Mobile,
        "其他" | "其它" | "other" => MemberCategory::Other,
        _ => return None,
    })
}

pub fn status_label(s: MemberStatus, zh: bool) -> &'static str {
    match (s, zh) {
        (MemberStatus::Active, true) => "正常",
        (MemberStatus::TransferredOut, true) => "已转出",
        (MemberStatus::Deceased, true) => "已故",
        (MemberStatus::Active, false) => "active",
        (MemberStatus::TransferredOut, false) => "transferred out",
        (MemberStatus::Deceased, false) => "deceased",
    }
}

pub(super) fn parse_status(s: &str) -> Option<MemberStatus> {
    let k = s.trim().to_lowercase().replace(['-', '_'], " ");
    Some(match k.as_str() {
        "" | "正常" | "在册" | "在籍" | "active" => MemberStatus::Active,
        "已转出" | "转出" | "transferred out" | "transferred" => MemberStatus::TransferredOut,
        "已故" | "去世" | "已去世" | "死亡" | "逝世" | "deceased" | "dead" => {
            MemberStatus::Deceased
        }
        _ => return None,
    })
}

pub fn gender_label(g: Option<Gender>, zh: bool) -> &'static str {
    match (g, zh) {
        (None, _) => "",
        (Some(Gender::Male), true) => "男",
        (Some(Gender::Female), true) => "女",
        (Some(Gender::Male), false) => "male",
        (Some(Gender::Female), false) => "female",
    }
}

pub(super) fn parse_gender(s: &str) -> Option<Gender> {
    match s.trim().to_lowercase().as_str() {
        "男" | "男性" | "m" | "male" => Some(Gender::Male),
        "女" | "女性" | "f" | "female" => Some(Gender::Female),
        _ => None,
    }
}

pub(super) fn plan(
    client: &impl Client,
    sheet: &Sheet,
    options: &ImportOptions,
) -> Result<Plan, ImportError> {
    let cols = sheetplan::header(
        sheet,
        COLUMNS,
        M::Name,
        "Name, ID number, Branch, Group",
        "姓名、身份证号、所属支部、所属党小组",
    )?;
    require_column(&cols, M::IdNumber)?;
    if !cols.has(M::Branch) && !cols.has(M::Group) {
        return Err(missing(M::Branch));
    }
    let today = chrono::Local::now().date_naive();
    let mut org = OrgIndex::load(client, options.create_units, options.committee.as_deref())?;
    let names_committee = cols
        .col(M::Committee)
        .is_some_and(|c| sheetplan::data_rows(sheet, &cols).any(|r| !r.cell(c).is_blank()));
    sheetplan::check_committee(&mut org, options, names_committee)?;
    let mut plan = sheetplan::new_plan(super::ImportKind::Members, sheet, &cols);
    plan.file_problems = sheetplan::unnamed_columns(sheet, &cols);
    let holders = super::member_row::holders(client, sheet, &cols)?;
    let mut cx = RowContext {
        holders: &holders,
        options,
        org: &mut org,
        seen: HashMap::new(),
    };
    for row in sheetplan::data_rows(sheet, &cols) {
        plan.data_rows += 1;
        let mut r = RowReader::new(row, &cols, COLUMNS, today);
        let planned = read_row(&mut cx, &mut r)?;
        if r.problems.is_empty() {
            match planned {
                Some(p) => plan.rows.push(p),
                None => plan.unchanged += 1,
            }
        } else {
            plan.bad_rows
                .push((row.number, row.cells.iter().map(Cell::text).collect()));
            plan.problems.extend(r.problems);
        }
    }
    plan.units = org.new;
    Ok(plan)
}

fn missing(f: MemberField) -> ImportError {
    let def = COLUMNS.iter().find(|d| d.field == f);
    ImportError::MissingColumn {
        column: def.map(|d| d.en).unwrap_or_default().to_string(),
        column_zh: def.map(|d| d.zh).unwrap_or_default().to_string(),
        aliases: def
            .map(|d| {
                std::iter::once(d.zh)
                    .chain(d.aliases.iter().copied())
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .unwrap_or_default(),
    }
}

fn require_column(cols: &Columns<MemberField>, f: MemberField) -> Result<(), ImportError> {
    if cols.has(f) { Ok(()) } else { Err(missing(f)) }
}
