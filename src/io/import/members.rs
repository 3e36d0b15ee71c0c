//! The member roster: its columns, and each row checked and matched to an
//! existing member by ID number (a match updates that member, never adds a
//! second one). A column the file lacks leaves that field of an existing
//! member as it is; an empty cell in a column it has clears it.

use super::row::{RowReader, split_address, split_list};
use super::units::{OrgColumn, OrgIndex};
use super::{ImportError, ImportOptions, Plan, PlannedRow, RowRecord};
use crate::domain::validate::{
    id_number_birth_date, id_number_is_male, validate_id_number, validate_phone,
};
use crate::domain::*;
use crate::io::columns::{ColumnDef, Columns, find_header};
use crate::io::sheet::{Cell, Sheet};
use crate::ops::Actor;
use crate::store::{Store, Tree};
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

fn parse_category(s: &str) -> Option<MemberCategory> {
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

fn parse_status(s: &str) -> Option<MemberStatus> {
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

fn parse_gender(s: &str) -> Option<Gender> {
    match s.trim().to_lowercase().as_str() {
        "男" | "男性" | "m" | "male" => Some(Gender::Male),
        "女" | "女性" | "f" | "female" => Some(Gender::Female),
        _ => None,
    }
}

/// A blank member to fill from a row, for a row that matches no one.
fn blank(unit: OrgUnitId) -> MemberData {
    MemberData {
        name: String::new(),
        gender: None,
        birth_date: None,
        id_number: String::new(),
        phone: String::new(),
        address: Address::default(),
        unit,
        category: MemberCategory::Other,
        home_unit: String::new(),
        reported: None,
        joined: None,
        full_member: None,
        skills: Vec::new(),
        posts: Vec::new(),
        status: MemberStatus::Active,
        notes: String::new(),
    }
}

pub(super) fn plan(
    store: &Store,
    actor: &Actor,
    sheet: &Sheet,
    options: &ImportOptions,
) -> Result<Plan, ImportError> {
    let cols = find_header(&sheet.rows, COLUMNS, M::Name).ok_or_else(|| ImportError::NoHeader {
        expected: "Name, ID number, Branch, Group".into(),
        expected_zh: "姓名、身份证号、所属支部、所属党小组".into(),
    })?;
    require_column(&cols, M::IdNumber)?;
    if !cols.has(M::Branch) && !cols.has(M::Group) {
        return Err(missing(M::Branch));
    }
    let today = chrono::Local::now().date_naive();
    let mut org = OrgIndex::load(store, actor, options.create_units)?;
    let mut plan = Plan {
        kind: super::ImportKind::Members,
        source_en: sheet.source_en.clone(),
        source_zh: sheet.source_zh.clone(),
        header_row: cols.header_row,
        data_rows: 0,
        units: Vec::new(),
        rows: Vec::new(),
        unchanged: 0,
        problems: Vec::new(),
        headers: cols.headers.clone(),
        bad_rows: Vec::new(),
        ignored_columns: cols.ignored.clone(),
    };
    // ID number → the first row that gave it.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &sheet.rows[cols.header_index + 1..] {
        if row.is_blank() {
            continue;
        }
        plan.data_rows += 1;
        let mut r = RowReader::new(row, &cols, COLUMNS, today);
        let planned = read_row(store, actor, &mut r, &mut org, &mut seen)?;
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

/// Checks one row. `Ok(None)`: valid and the same as the member it matches.
fn read_row(
    store: &Store,
    actor: &Actor,
    r: &mut RowReader<MemberField>,
    org: &mut OrgIndex,
    seen: &mut HashMap<String, usize>,
) -> Result<Option<PlannedRow>, ImportError> {
    let name = r.required(M::Name, 30);
    let id_number = read_id_number(r);
    // The member this row updates, if the ID number is already in the store.
    let mut existing: Option<Member> = None;
    if let Some(id) = &id_number {
        if let Some(&first) = seen.get(id) {
            r.bad(
                M::IdNumber,
                format!("the same ID number as row {first}"),
                format!("与第 {first} 行的身份证号相同"),
            );
        } else {
            seen.insert(id.clone(), r.row.number);
        }
        if let Some(other) = store.number(Tree::IxMemberIdno, id.as_bytes())? {
            existing = store.get_id::<Member>(other as u64)?;
            if let Some(m) = &existing
                && !actor.can_see(store, m.data.unit)?
            {
                r.bad(
                    M::IdNumber,
                    format!(
                        "this ID number belongs to member {} in a unit outside what `{}` may change",
                        m.id, actor.login
                    ),
                    format!(
                        "此身份证号属于党员 {}，其所在组织不在 `{}` 可修改的范围内",
                        m.id, actor.login
                    ),
                );
            }
        }
    }
    let unit = {
        let committee = r.text(M::Committee).unwrap_or_default();
        let branch = r.text(M::Branch).unwrap_or_default();
        let group = r.text(M::Group).unwrap_or_default();
        if existing.is_some() && branch.is_empty() && group.is_empty() {
            // An update that names no unit keeps the member where they are.
            existing
                .as_ref()
                .map(|m| super::UnitRef::Existing(m.data.unit))
        } else {
            match org.resolve(&committee, &branch, &group, false) {
                Ok(u) => Some(u),
                Err(p) => {
                    let f = match p.column {
                        OrgColumn::Committee if r.has(M::Committee) => M::Committee,
                        OrgColumn::Group if r.has(M::Group) => M::Group,
                        _ if r.has(M::Branch) => M::Branch,
                        _ => M::Group,
                    };
                    r.bad(f, p.en, p.zh);
                    None
                }
            }
        }
    };
    let base = existing
        .as_ref()
        .map(|m| m.data.clone())
        .unwrap_or_else(|| blank(OrgUnitId(0)));
    let mut data = MemberData {
        name,
        id_number: id_number.clone().unwrap_or_default(),
        ..base
    };
    if let Some(t) = r.cell(M::Gender).map(Cell::text) {
        let t = t.trim().to_string();
        data.gender = if t.is_empty() {
            None
        } else {
            match parse_gender(&t) {
                Some(g) => Some(g),
                None => {
                    r.bad(
                        M::Gender,
                        format!("'{t}' is not a gender (男 / 女, male / female)"),
                        format!("“{t}”不是性别（男 / 女）"),
                    );
                    None
                }
            }
        };
    } else if existing.is_none() {
        data.gender = id_number
            .as_deref()
            .and_then(id_number_is_male)
            .map(|m| if m { Gender::Male } else { Gender::Female });
    }
    match r.date(M::Birth) {
        Some(d) => data.birth_date = d,
        None if existing.is_none() => {
            data.birth_date = id_number.as_deref().and_then(id_number_birth_date)
        }
        None => {}
    }
    if let Some(t) = r.text(M::Phone) {
        data.phone = if t.is_empty() {
            String::new()
        } else {
            match validate_phone(&t) {
                Ok(p) => p,
                Err(e) => {
                    r.value_error(M::Phone, &e);
                    String::new()
                }
            }
        };
    }
    let split = if r.has(M::Building) || r.has(M::Room) {
        None
    } else {
        r.text(M::Address).map(|a| split_address(&a))
    };
    match split {
        Some(Some((b, u, room))) => {
            data.address = Address {
                building: b,
                unit: u,
                room,
            };
            let a = data.address.clone();
            r.check_len(M::Address, &a.building, 20);
            r.check_len(M::Address, &a.unit, 10);
            r.check_len(M::Address, &a.room, 10);
        }
        Some(None) => {
            let t = r.text(M::Address).unwrap_or_default();
            if !t.is_empty() {
                r.bad(
                    M::Address,
                    format!("cannot tell building, entrance and room in '{t}' (write e.g. 3-2-501 or 3栋2单元501室, or use separate 楼栋 / 单元 / 房号 columns)"),
                    format!("无法从“{t}”中分出楼栋、单元和房号（请写成 3-2-501 或 3栋2单元501室，或分列填写楼栋、单元、房号）"),
                );
            }
        }
        None => {
            if let Some(b) = r.address_part(M::Building, 20) {
                data.address.building = b;
            }
            if let Some(u) = r.address_part(M::Entrance, 10) {
                data.address.unit = u;
            }
            if let Some(room) = r.address_part(M::Room, 10) {
                data.address.room = room;
            }
        }
    }
    if let Some(t) = r.text(M::Category) {
        data.category = if t.is_empty() {
            MemberCategory::Other
        } else {
            match parse_category(&t) {
                Some(c) => c,
                None => {
                    r.bad(
                        M::Category,
                        format!(
                            "'{t}' is not a member category (在职, 离退休, 学生, 流动, 其他 / \
                             on-the-job, retired, student, mobile, other)"
                        ),
                        format!("“{t}”不是党员类别（在职、离退休、学生、流动、其他）"),
                    );
                    MemberCategory::Other
                }
            }
        };
    }
    if let Some(t) = r.optional(M::HomeUnit, 80) {
        data.home_unit = t;
    }
    for (f, slot) in [
        (M::Reported, &mut data.reported),
        (M::Joined, &mut data.joined),
        (M::FullMember, &mut data.full_member),
    ] {
        if let Some(d) = r.date(f) {
            *slot = d;
        }
    }
    if let (Some(j), Some(f)) = (data.joined, data.full_member)
        && f < j
    {
        r.bad(
            M::FullMember,
            format!("full-membership date {f} is before the join date {j}"),
            format!("转正日期 {f} 早于入党日期 {j}"),
        );
    }
    if let Some(t) = r.text(M::Skills) {
        data.skills = split_list(&t);
    }
    if let Some(t) = r.text(M::Posts) {
        data.posts = split_list(&t);
    }
    if let Some(t) = r.text(M::Status) {
        match parse_status(&t) {
            Some(s) => data.status = s,
            None => r.bad(
                M::Status,
                format!(
                    "'{t}' is not a status (正常, 已转出, 已故 / active, transferred out, deceased)"
                ),
                format!("“{t}”不是党员状态（正常、已转出、已故）"),
            ),
        }
    }
    if let Some(t) = r.optional(M::Notes, 500) {
        data.notes = t;
    }
    let Some(unit) = unit else { return Ok(None) };
    if !r.problems.is_empty() {
        return Ok(None);
    }
    if let (Some(m), super::UnitRef::Existing(u)) = (&existing, unit)
        && m.data
            == (MemberData {
                unit: u,
                ..data.clone()
            })
    {
        return Ok(None);
    }
    Ok(Some(PlannedRow {
        row: r.row.number,
        unit,
        record: RowRecord::Member {
            existing: existing.map(|m| m.id),
            data,
        },
    }))
}

/// The row's ID number, canonical, or `None` with a problem recorded.
fn read_id_number(r: &mut RowReader<MemberField>) -> Option<String> {
    let cell = r.cell(M::IdNumber)?;
    if let Cell::Number(n) = cell
        && n.abs() >= 1e15
    {
        r.bad(
            M::IdNumber,
            "the ID number is stored as a number, so Excel kept only its first 15 digits; \
             format the column as text and enter the number again",
            "身份证号以数字格式保存，Excel 只保留了前 15 位；请把该列设为文本格式后重新输入",
        );
        return None;
    }
    let t = cell.text();
    if t.trim().is_empty() {
        r.bad(
            M::IdNumber,
            "an ID number is required: rows are matched to members by it",
            "身份证号必填：导入按身份证号识别党员",
        );
        return None;
    }
    if t.contains('*') {
        r.bad(
            M::IdNumber,
            "this ID number is masked; export with --unmasked to get a file that can be imported",
            "身份证号已打码；导出时加 --unmasked 才能得到可再导入的文件",
        );
        return None;
    }
    match validate_id_number(&t) {
        Ok(id) => Some(id),
        Err(e) => {
            r.value_error(M::IdNumber, &e);
            None
        }
    }
}
