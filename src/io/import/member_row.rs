//! One roster row checked and matched. The ID number is the truth: it finds
//! the member a row updates, and gives the birth date and gender (a cell that
//! contradicts it is a problem). An update never destroys: a blank cell keeps
//! what is stored unless `clear_blank`; a row naming someone else than the
//! member its ID number belongs to is a problem unless `allow_rename`; an ID
//! number of a member outside the importer's scope says nothing about them.

use super::members::{MemberField, parse_category, parse_gender, parse_status};
use super::row::{RowReader, split_address, split_list};
use super::sheetplan;
use super::units::{OrgColumn, OrgIndex, UnitRef, name_key};
use super::{Change, ImportError, ImportOptions, PlannedRow, RowRecord};
use crate::access::{Client, IdMatch, MatchIdNumbersQ};
use crate::domain::validate::{
    id_number_birth_date, id_number_is_male, mask_phone, validate_id_number, validate_phone,
};
use crate::domain::*;
use crate::io::columns::Columns;
use crate::io::sheet::Cell;
use crate::io::sheet::Sheet;
use chrono::NaiveDate;
use std::collections::HashMap;

use MemberField as M;

/// Whose each ID number in the sheet is, as the importer may know it: the
/// import's one lookup by ID number, asked for every well-formed number of
/// the sheet at once (in batches), before any row is read.
pub(super) fn holders(
    client: &impl Client,
    sheet: &Sheet,
    cols: &Columns<MemberField>,
) -> Result<HashMap<String, IdMatch>, ImportError> {
    const ASK: usize = 5_000;
    let Some(col) = cols.col(M::IdNumber) else {
        return Ok(HashMap::new());
    };
    let mut numbers: Vec<String> = sheetplan::data_rows(sheet, cols)
        .filter_map(|row| validate_id_number(&row.cell(col).text()).ok())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut out = HashMap::with_capacity(numbers.len());
    for chunk in numbers.chunks(ASK) {
        let found = client.ask(MatchIdNumbersQ(chunk.to_vec()))?;
        out.extend(chunk.iter().cloned().zip(found));
    }
    Ok(out)
}

pub use crate::ops::{ID_ELSEWHERE_EN as ELSEWHERE_EN, ID_ELSEWHERE_ZH as ELSEWHERE_ZH};

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

pub(super) struct RowContext<'a> {
    /// Whose the sheet's ID numbers are (`holders`).
    pub holders: &'a HashMap<String, IdMatch>,
    pub options: &'a ImportOptions,
    pub org: &'a mut OrgIndex,
    /// ID number → the first row that gave it.
    pub seen: HashMap<String, usize>,
}

/// Checks one row. `Ok(None)`: valid and the same as the member it matches
/// (or not valid: the reader holds its problems).
pub(super) fn read_row(
    cx: &mut RowContext,
    r: &mut RowReader<MemberField>,
) -> Result<Option<PlannedRow>, ImportError> {
    r.check_controls();
    let clear = cx.options.clear_blank;
    let name = r.required(M::Name, 30);
    let id_number = read_id_number(r);
    // The member this row updates, if the ID number is already in the store.
    let mut existing: Option<Member> = None;
    if let Some(id) = &id_number {
        if let Some(&first) = cx.seen.get(id) {
            r.bad(
                M::IdNumber,
                format!("the same ID number as row {first}"),
                format!("与第 {first} 行的身份证号相同"),
            );
        } else {
            cx.seen.insert(id.clone(), r.row.number);
        }
        match cx.holders.get(id) {
            Some(IdMatch::Elsewhere) => r.bad(M::IdNumber, ELSEWHERE_EN, ELSEWHERE_ZH),
            Some(IdMatch::Seen(m)) => {
                let m = (**m).clone();
                if !name.is_empty()
                    && name_key(&name) != name_key(&m.data.name)
                    && !cx.options.allow_rename
                {
                    r.bad(
                        M::Name,
                        format!(
                            "the ID number is that of {} (member {}), not {name}: check the ID \
                             number, or import with --allow-rename if the name has changed",
                            m.data.name, m.id
                        ),
                        format!(
                            "该身份证号属于{}（党员 {}），不是{name}：请核对身份证号；如确已改名，导入时加 --allow-rename",
                            m.data.name, m.id
                        ),
                    );
                }
                existing = Some(m);
            }
            Some(IdMatch::Free) | None => {}
        }
    }
    let unit = read_unit(cx.org, r, existing.as_ref());
    let base = existing
        .as_ref()
        .map(|m| m.data.clone())
        .unwrap_or_else(|| blank(OrgUnitId(0)));
    let mut data = MemberData {
        name,
        id_number: id_number.clone().unwrap_or_default(),
        ..base
    };
    read_identity(r, id_number.as_deref(), &mut data);
    if let Some(t) = r.text(M::Phone) {
        if !t.is_empty() {
            match validate_phone(&t) {
                Ok(p) => data.phone = p,
                Err(e) => r.value_error(M::Phone, &e),
            }
        } else if clear {
            data.phone.clear();
        }
    }
    read_address(r, &mut data, clear);
    if let Some(t) = r.text(M::Category) {
        if !t.is_empty() {
            match parse_category(&t) {
                Some(c) => data.category = c,
                None => r.bad(
                    M::Category,
                    format!(
                        "'{t}' is not a member category (在职, 离退休, 学生, 流动, 其他 / \
                         on-the-job, retired, student, mobile, other)"
                    ),
                    format!("“{t}”不是党员类别（在职、离退休、学生、流动、其他）"),
                ),
            }
        } else if clear {
            data.category = MemberCategory::Other;
        }
    }
    if let Some(t) = r.optional(M::HomeUnit, 80)
        && (clear || !t.is_empty())
    {
        data.home_unit = t;
    }
    match r.date(M::Reported) {
        Some(Some(d)) => data.reported = Some(d),
        Some(None) if clear => data.reported = None,
        _ => {}
    }
    for (f, slot) in [
        (M::Joined, &mut data.joined),
        (M::FullMember, &mut data.full_member),
    ] {
        match r.partial(f) {
            Some(Some(d)) => *slot = Some(d),
            Some(None) if clear => *slot = None,
            _ => {}
        }
    }
    if let (Some(j), Some(f)) = (data.joined, data.full_member)
        && f.is_before(j)
    {
        r.bad(
            M::FullMember,
            format!("full-membership date {f} is before the join date {j}"),
            format!("转正日期 {f} 早于入党日期 {j}"),
        );
    }
    for (f, slot) in [(M::Skills, &mut data.skills), (M::Posts, &mut data.posts)] {
        if let Some(t) = r.text(f)
            && (clear || !t.is_empty())
        {
            *slot = split_list(&t);
        }
    }
    if let Some(t) = r.text(M::Status)
        && (clear || !t.is_empty())
    {
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
    if let Some(t) = r.optional(M::Notes, 500)
        && (clear || !t.is_empty())
    {
        data.notes = t;
    }
    let Some(unit) = unit else { return Ok(None) };
    if !r.problems.is_empty() {
        return Ok(None);
    }
    let changes = match &existing {
        Some(m) => {
            let c = changes(&m.data, &data, unit, cx.org);
            if c.is_empty() {
                return Ok(None);
            }
            c
        }
        None => Vec::new(),
    };
    Ok(Some(PlannedRow {
        row: r.row.number,
        unit,
        record: RowRecord::Member {
            existing: existing.map(|m| m.id),
            data,
        },
        changes,
    }))
}

/// The unit a row names; an update that names none keeps the member's.
fn read_unit(
    org: &mut OrgIndex,
    r: &mut RowReader<MemberField>,
    existing: Option<&Member>,
) -> Option<UnitRef> {
    let committee = r.text(M::Committee).unwrap_or_default();
    let branch = r.text(M::Branch).unwrap_or_default();
    let group = r.text(M::Group).unwrap_or_default();
    if let Some(m) = existing
        && branch.is_empty()
        && group.is_empty()
    {
        return Some(UnitRef::Existing(m.data.unit));
    }
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

/// Gender and birth date: the ID number's, and a cell that says otherwise is
/// a problem. A birth cell to the month (出生年月 1975.07) need only agree on
/// the month. Without a valid ID number (a problem already) the cells stand.
fn read_identity(r: &mut RowReader<MemberField>, id: Option<&str>, data: &mut MemberData) {
    let id_gender = id
        .and_then(id_number_is_male)
        .map(|m| if m { Gender::Male } else { Gender::Female });
    let id_birth = id.and_then(id_number_birth_date);
    if let Some(t) = r.cell(M::Gender).map(Cell::text) {
        let t = t.trim().to_string();
        if !t.is_empty() {
            match parse_gender(&t) {
                None => r.bad(
                    M::Gender,
                    format!("'{t}' is not a gender (男 / 女, male / female)"),
                    format!("“{t}”不是性别（男 / 女）"),
                ),
                Some(g) if id_gender.is_some_and(|i| i != g) => r.bad(
                    M::Gender,
                    format!("{t} does not match the ID number, whose 17th digit says otherwise"),
                    format!("“{t}”与身份证号不符（身份证号第 17 位表示的性别不同）"),
                ),
                Some(g) => data.gender = Some(g),
            }
        }
    }
    if let Some(Some(d)) = r.partial(M::Birth) {
        match id_birth {
            Some(b) if !d.holds(b) => r.bad(
                M::Birth,
                format!("{d} does not match the birth date in the ID number ({b})"),
                format!("{d} 与身份证号中的出生日期（{b}）不符"),
            ),
            Some(_) => {}
            None => data.birth_date = d.day().or(data.birth_date),
        }
    }
    if let Some(g) = id_gender {
        data.gender = Some(g);
    }
    if let Some(b) = id_birth {
        data.birth_date = Some(b);
    }
}

fn read_address(r: &mut RowReader<MemberField>, data: &mut MemberData, clear: bool) {
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
            } else if clear {
                data.address = Address::default();
            }
        }
        None => {
            for (f, max, slot) in [
                (M::Building, 20, &mut data.address.building),
                (M::Entrance, 10, &mut data.address.unit),
                (M::Room, 10, &mut data.address.room),
            ] {
                if let Some(v) = r.address_part(f, max)
                    && (clear || !v.is_empty())
                {
                    *slot = v;
                }
            }
        }
    }
}

/// What an update changes, field by field, for the preview.
fn changes(old: &MemberData, new: &MemberData, unit: UnitRef, org: &OrgIndex) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |en: &'static str, zh: &'static str, a: String, b: String| {
        if a != b {
            out.push(Change {
                field_en: en,
                field_zh: zh,
                old: a,
                new: b,
            });
        }
    };
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let partial = |d: Option<PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let gender = |g: Option<Gender>| super::members::gender_label(g, false).to_string();
    let masked = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            mask_phone(p)
        }
    };
    push("name", "姓名", old.name.clone(), new.name.clone());
    push("gender", "性别", gender(old.gender), gender(new.gender));
    push(
        "birth date",
        "出生日期",
        date(old.birth_date),
        date(new.birth_date),
    );
    push("phone", "联系电话", masked(&old.phone), masked(&new.phone));
    push("address", "住址", old.address.short(), new.address.short());
    if unit != UnitRef::Existing(old.unit) {
        push(
            "unit",
            "所属组织",
            org.unit_name(UnitRef::Existing(old.unit), false),
            org.unit_name(unit, false),
        );
    }
    push(
        "category",
        "党员类别",
        old.category.name_en().into(),
        new.category.name_en().into(),
    );
    push(
        "work unit",
        "工作单位",
        old.home_unit.clone(),
        new.home_unit.clone(),
    );
    push(
        "reported",
        "报到日期",
        date(old.reported),
        date(new.reported),
    );
    push(
        "joined",
        "入党日期",
        partial(old.joined),
        partial(new.joined),
    );
    push(
        "full member",
        "转正日期",
        partial(old.full_member),
        partial(new.full_member),
    );
    push(
        "skills",
        "特长",
        old.skills.join("、"),
        new.skills.join("、"),
    );
    push("posts", "岗位", old.posts.join("、"), new.posts.join("、"));
    push(
        "status",
        "状态",
        super::members::status_label(old.status, false).into(),
        super::members::status_label(new.status, false).into(),
    );
    push("notes", "备注", old.notes.clone(), new.notes.clone());
    out
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
