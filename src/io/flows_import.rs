//! The flow registers read back from a workbook: the one `flows export`
//! writes (a sheet of members flowed out, one flowed in, headers in either
//! language), edited in a spreadsheet or kept by hand in the same shape.
//! Reads only: the caller turns the lines into `RecordFlow` / `UpdateFlow`
//! commands and applies them through the session, all or nothing.

use super::sheet::{self, Cell, ReadError, SheetRow};
use crate::domain::validate::parse_date;
use crate::domain::*;
use chrono::NaiveDate;
use std::path::Path;

/// One row of a register: the flow it updates (its 登记号) if any, and what
/// it says.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowLine {
    pub sheet: String,
    pub row: usize,
    pub id: Option<FlowId>,
    pub data: FlowData,
}

/// What a register file held: its lines and the problems of rows that could
/// not be read (sheet, row and what is wrong, in English and Chinese).
#[derive(Debug, Default)]
pub struct FlowsFile {
    pub lines: Vec<FlowLine>,
    pub problems: Vec<(String, String)>,
}

/// The sheets a register has, with the direction of each.
const SHEETS: [(&str, &str, Direction); 2] = [
    ("流出党员", "Flowed out", Direction::Out),
    ("流入党员", "Flowed in", Direction::In),
];

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Id,
    Member,
    Since,
    Until,
    Place,
    PartyOrg,
    Contact,
    Participation,
    Notes,
}

fn field_of(header: &str) -> Option<Field> {
    Some(match header.trim() {
        "登记号" | "flow id" => Field::Id,
        "党员编号" | "member id" => Field::Member,
        "流动时间" | "since" => Field::Since,
        "结束时间" | "until" => Field::Until,
        "流向地" | "流出地" | "where" | "from" => Field::Place,
        "对方党组织" | "party organisation there" => Field::PartyOrg,
        "联系方式" | "contact" => Field::Contact,
        "参加组织生活方式" | "takes part by" => Field::Participation,
        "备注" | "notes" => Field::Notes,
        _ => return None,
    })
}

fn date_of(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Date(d) => Ok(Some(*d)),
        c if c.is_blank() => Ok(None),
        c => parse_date(&c.text()).map(Some).map_err(|e| e.to_string()),
    }
}

/// Reads both registers of `path`; a workbook with neither sheet is an error.
pub fn read(path: &Path) -> Result<FlowsFile, ReadError> {
    let mut out = FlowsFile::default();
    let mut found = false;
    let names = sheet::read(path, None)?.sheet_names;
    for (zh, en, direction) in SHEETS {
        let Some(name) = names.iter().find(|n| n.as_str() == zh || n.as_str() == en) else {
            continue;
        };
        found = true;
        let s = sheet::read(path, Some(name))?;
        let mut rows = s.rows.iter();
        let Some(header) = rows.next() else { continue };
        let fields: Vec<Option<Field>> = header.cells.iter().map(|c| field_of(&c.text())).collect();
        for row in rows {
            match line(name, direction, &fields, row) {
                Ok(l) => out.lines.push(l),
                Err((en, zh)) => out.problems.push((
                    format!("{name} row {}: {en}", row.number),
                    format!("{name} 第 {} 行：{zh}", row.number),
                )),
            }
        }
    }
    if !found {
        return Err(ReadError::NoSuchSheet {
            path: path.to_path_buf(),
            sheet: "流出党员 / 流入党员".into(),
            names: names.join(", "),
        });
    }
    Ok(out)
}

fn line(
    sheet: &str,
    direction: Direction,
    fields: &[Option<Field>],
    row: &SheetRow,
) -> Result<FlowLine, (String, String)> {
    let get = |f: Field| -> &Cell {
        fields
            .iter()
            .position(|x| *x == Some(f))
            .map_or(&Cell::Empty, |i| row.cell(i))
    };
    let text = |f: Field| get(f).text().trim().to_string();
    let number = |f: Field| -> Result<Option<u64>, (String, String)> {
        let t = text(f);
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<u64>().map(Some).map_err(|_| {
            (
                format!("'{t}' is not an id number"),
                format!("“{t}”不是编号"),
            )
        })
    };
    let member = number(Field::Member)?.ok_or_else(|| {
        (
            "the member id is missing".to_string(),
            "缺少党员编号".to_string(),
        )
    })?;
    let since = date_of(get(Field::Since))
        .map_err(|e| (format!("since: {e}"), format!("流动时间：{e}")))?
        .ok_or_else(|| {
            (
                "the date it began is missing".to_string(),
                "缺少流动时间".to_string(),
            )
        })?;
    let until = date_of(get(Field::Until))
        .map_err(|e| (format!("until: {e}"), format!("结束时间：{e}")))?;
    Ok(FlowLine {
        sheet: sheet.to_string(),
        row: row.number,
        id: number(Field::Id)?.map(FlowId),
        data: FlowData {
            member: MemberId(member),
            direction,
            since,
            until,
            place: text(Field::Place),
            party_org: text(Field::PartyOrg),
            contact: text(Field::Contact),
            participation: text(Field::Participation),
            notes: text(Field::Notes),
        },
    })
}
