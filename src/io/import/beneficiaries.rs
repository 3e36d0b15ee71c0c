//! Beneficiaries (帮扶对象): their columns, and each row checked and matched to
//! an existing beneficiary by name and address (they carry no ID number).

use super::row::{RowReader, split_address};
use super::sheetplan;
use super::units::{OrgColumn, OrgIndex, name_key};
use super::{ImportError, ImportOptions, Plan, PlannedRow, RowRecord, UnitRef};
use crate::access::{BeneficiariesQ, Client};
use crate::domain::validate::validate_phone;
use crate::domain::*;
use crate::io::columns::ColumnDef;
use crate::io::sheet::{Cell, Sheet};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BeneficiaryField {
    Name,
    Kind,
    Building,
    Entrance,
    Room,
    Address,
    Committee,
    Branch,
    Group,
    Needs,
    Contact,
    VisitCycle,
    Status,
    Notes,
}

use BeneficiaryField as B;

macro_rules! col {
    ($f:expr, $zh:expr, $en:expr, [$($a:expr),* $(,)?]) => {
        ColumnDef { field: $f, zh: $zh, en: $en, aliases: &[$($a),*] }
    };
}

/// The beneficiary columns, in the order exports write them.
pub const COLUMNS: &[ColumnDef<BeneficiaryField>] = &[
    col!(B::Name, "姓名", "Name", ["帮扶对象", "对象姓名", "名字"]),
    col!(
        B::Kind,
        "帮扶类型",
        "Kind",
        ["对象类别", "类型", "类别", "困难类型", "帮扶类别"]
    ),
    col!(B::Building, "楼栋", "Building", ["楼号", "楼", "栋"]),
    col!(B::Entrance, "单元", "Entrance", ["单元号", "unit"]),
    col!(B::Room, "房号", "Room", ["房间号", "室", "门牌号"]),
    col!(
        B::Address,
        "住址",
        "Address",
        ["地址", "家庭住址", "居住地址", "现住址"]
    ),
    col!(B::Committee, "所属党委", "Committee", ["党委", "社区党委"]),
    col!(
        B::Branch,
        "所属支部",
        "Branch",
        ["支部", "党支部", "负责支部"]
    ),
    col!(
        B::Group,
        "所属党小组",
        "Group",
        ["党小组", "小组", "负责党小组"]
    ),
    col!(
        B::Needs,
        "需求",
        "Needs",
        ["帮扶需求", "主要需求", "困难情况"]
    ),
    col!(
        B::Contact,
        "联系电话",
        "Contact phone",
        ["电话", "手机", "联系方式", "联系人电话", "phone", "contact"]
    ),
    col!(
        B::VisitCycle,
        "走访周期（天）",
        "Visit cycle (days)",
        ["走访周期", "走访间隔", "visit cycle", "visit every"]
    ),
    col!(B::Status, "状态", "Status", ["帮扶状态"]),
    col!(B::Notes, "备注", "Notes", ["说明", "note", "remarks"]),
];

/// Days between visits for a new beneficiary when the file gives none (the
/// TUI form's default).
const DEFAULT_VISIT_CYCLE: u32 = 14;

pub fn kind_label(k: BeneficiaryKind, zh: bool) -> &'static str {
    match (k, zh) {
        (BeneficiaryKind::ElderlyAlone, true) => "独居老人",
        (BeneficiaryKind::Disabled, true) => "残疾人",
        (BeneficiaryKind::FamilyInDifficulty, true) => "困难家庭",
        (BeneficiaryKind::LeftBehindChild, true) => "留守儿童",
        (BeneficiaryKind::Other, true) => "其他",
        (BeneficiaryKind::ElderlyAlone, false) => "elderly living alone",
        (BeneficiaryKind::Disabled, false) => "disabled",
        (BeneficiaryKind::FamilyInDifficulty, false) => "family in difficulty",
        (BeneficiaryKind::LeftBehindChild, false) => "left-behind child",
        (BeneficiaryKind::Other, false) => "other",
    }
}

fn parse_kind(s: &str) -> Option<BeneficiaryKind> {
    let k = s.trim().to_lowercase().replace(['-', '_'], " ");
    Some(match k.as_str() {
        "" | "其他" | "其它" | "other" => BeneficiaryKind::Other,
        "独居老人" | "空巢老人" | "独居" | "elderly living alone" | "elderly alone" | "elderly" => {
            BeneficiaryKind::ElderlyAlone
        }
        "残疾人" | "残疾" | "disabled" => BeneficiaryKind::Disabled,
        "困难家庭" | "低保户" | "困难户" | "family in difficulty" => {
            BeneficiaryKind::FamilyInDifficulty
        }
        "留守儿童" | "left behind child" | "left behind children" => {
            BeneficiaryKind::LeftBehindChild
        }
        _ => return None,
    })
}

pub fn status_label(active: bool, zh: bool) -> &'static str {
    match (active, zh) {
        (true, true) => "帮扶中",
        (false, true) => "已结束",
        (true, false) => "active",
        (false, false) => "ended",
    }
}

fn parse_status(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "帮扶中" | "在帮" | "正常" | "active" => Some(true),
        "已结束" | "结束" | "停止" | "ended" | "inactive" => Some(false),
        _ => None,
    }
}

/// What identifies a beneficiary in a file: name and address.
fn match_key(name: &str, a: &Address) -> (String, String) {
    (name_key(name), name_key(&a.short()))
}

pub(super) fn plan(
    client: &impl Client,
    sheet: &Sheet,
    options: &ImportOptions,
) -> Result<Plan, ImportError> {
    let cols = sheetplan::header(
        sheet,
        COLUMNS,
        B::Name,
        "Name, Kind, Building, Branch",
        "姓名、帮扶类型、楼栋、所属支部",
    )?;
    let today = chrono::Local::now().date_naive();
    let mut org = OrgIndex::load(client, options.create_units, options.committee.as_deref())?;
    let names_committee = cols
        .col(B::Committee)
        .is_some_and(|c| sheetplan::data_rows(sheet, &cols).any(|r| !r.cell(c).is_blank()));
    sheetplan::check_committee(&mut org, options, names_committee)?;
    // Only those within the importer's sight: a row matching someone
    // elsewhere is a new beneficiary here, and tells nothing of the other.
    let mut existing: HashMap<(String, String), Beneficiary> = HashMap::new();
    for b in client.ask(BeneficiariesQ { unit: None })? {
        existing.insert(match_key(&b.data.name, &b.data.address), b);
    }
    let mut plan = sheetplan::new_plan(super::ImportKind::Beneficiaries, sheet, &cols);
    plan.file_problems = sheetplan::unnamed_columns(sheet, &cols);
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for row in sheetplan::data_rows(sheet, &cols) {
        plan.data_rows += 1;
        let mut r = RowReader::new(row, &cols, COLUMNS, today);
        r.check_controls();
        let name = r.required(B::Name, 30);
        let mut address = Address::default();
        let split = if r.has(B::Building) || r.has(B::Room) {
            None
        } else {
            r.text(B::Address).map(|a| split_address(&a))
        };
        match split {
            Some(Some((building, unit, room))) => {
                address = Address {
                    building,
                    unit,
                    room,
                }
            }
            Some(None) => {
                let t = r.text(B::Address).unwrap_or_default();
                if !t.is_empty() {
                    r.bad(
                        B::Address,
                        format!(
                            "cannot tell building, entrance and room in '{t}' (write e.g. 3-2-501)"
                        ),
                        format!("无法从“{t}”中分出楼栋、单元和房号（请写成 3-2-501）"),
                    );
                }
            }
            None => {
                address.building = r.address_part(B::Building, 20).unwrap_or_default();
                address.unit = r.address_part(B::Entrance, 10).unwrap_or_default();
                address.room = r.address_part(B::Room, 10).unwrap_or_default();
            }
        }
        let key = match_key(&name, &address);
        let found = existing.get(&key).cloned();
        if !name.is_empty() {
            if let Some(&first) = seen.get(&key) {
                r.bad(
                    B::Name,
                    format!("the same name and address as row {first}"),
                    format!("与第 {first} 行的姓名和住址相同"),
                );
            } else {
                seen.insert(key, row.number);
            }
        }
        let committee = r.text(B::Committee).unwrap_or_default();
        let branch = r.text(B::Branch).unwrap_or_default();
        let group = r.text(B::Group).unwrap_or_default();
        let unit =
            if found.is_some() && committee.is_empty() && branch.is_empty() && group.is_empty() {
                found.as_ref().map(|b| UnitRef::Existing(b.data.unit))
            } else {
                match org.resolve(&committee, &branch, &group, true) {
                    Ok(u) => Some(u),
                    Err(p) => {
                        let f = match p.column {
                            OrgColumn::Committee if r.has(B::Committee) => B::Committee,
                            OrgColumn::Group if r.has(B::Group) => B::Group,
                            _ if r.has(B::Branch) => B::Branch,
                            _ if r.has(B::Group) => B::Group,
                            _ => B::Committee,
                        };
                        r.bad(f, p.en, p.zh);
                        None
                    }
                }
            };
        let mut data = found
            .as_ref()
            .map(|b| b.data.clone())
            .unwrap_or(BeneficiaryData {
                name: String::new(),
                address: Address::default(),
                kind: BeneficiaryKind::Other,
                needs: String::new(),
                contact: String::new(),
                visit_cycle_days: DEFAULT_VISIT_CYCLE,
                unit: OrgUnitId(0),
                active: true,
                notes: String::new(),
            });
        data.name = name;
        data.address = address;
        if let Some(t) = r.text(B::Kind) {
            match parse_kind(&t) {
                Some(k) => data.kind = k,
                None => r.bad(
                    B::Kind,
                    format!(
                        "'{t}' is not a kind of beneficiary (独居老人, 残疾人, 困难家庭, 留守儿童, 其他)"
                    ),
                    format!("“{t}”不是帮扶类型（独居老人、残疾人、困难家庭、留守儿童、其他）"),
                ),
            }
        }
        if let Some(t) = r.optional(B::Needs, 200) {
            data.needs = t;
        }
        if let Some(t) = r.text(B::Contact) {
            data.contact = if t.is_empty() {
                String::new()
            } else {
                match validate_phone(&t) {
                    Ok(p) => p,
                    Err(e) => {
                        r.value_error(B::Contact, &e);
                        String::new()
                    }
                }
            };
        }
        if let Some(cell) = r.cell(B::VisitCycle) {
            let t = cell.text();
            let t = t.trim().trim_end_matches('天');
            if !t.is_empty() {
                match t.parse::<u32>() {
                    Ok(n) if (1..=366).contains(&n) => data.visit_cycle_days = n,
                    _ => r.bad(
                        B::VisitCycle,
                        format!("visit cycle must be a number of days from 1 to 366, not '{t}'"),
                        format!("走访周期应为 1 到 366 之间的天数，而不是“{t}”"),
                    ),
                }
            }
        }
        if let Some(t) = r.text(B::Status) {
            match parse_status(&t) {
                Some(a) => data.active = a,
                None => r.bad(
                    B::Status,
                    format!("'{t}' is not a status (帮扶中 / 已结束, active / ended)"),
                    format!("“{t}”不是帮扶状态（帮扶中、已结束）"),
                ),
            }
        }
        if let Some(t) = r.optional(B::Notes, 500) {
            data.notes = t;
        }
        match (unit, r.problems.is_empty()) {
            (Some(unit), true) => {
                let same = match (&found, unit) {
                    (Some(b), UnitRef::Existing(u)) => {
                        b.data
                            == BeneficiaryData {
                                unit: u,
                                ..data.clone()
                            }
                    }
                    _ => false,
                };
                if same {
                    plan.unchanged += 1;
                } else {
                    plan.rows.push(PlannedRow {
                        row: row.number,
                        unit,
                        record: RowRecord::Beneficiary {
                            existing: found.map(|b| b.id),
                            data,
                        },
                        changes: Vec::new(),
                    });
                }
            }
            _ => {
                plan.bad_rows
                    .push((row.number, row.cells.iter().map(Cell::text).collect()));
                plan.problems.extend(r.problems);
            }
        }
    }
    plan.units = org.new;
    Ok(plan)
}
