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
//!
//! Here: the kinds, formats, options and errors, which units an export
//! covers, and the writing; one file per family of tables (`people`,
//! `ledger`, `care`, `attendance`, `org`). The words for domain values are
//! the domain's (`label`).
//!
//! Every table is built row by row into a `Rows` sink: a `Table` collects
//! them (what a served export sends back), while `stream` writes each row
//! into the file as it comes (CSV directly, a workbook in rust_xlsxwriter's
//! constant-memory mode), so an export in the process that owns the store
//! holds one row at a time, beside the lookups that name what a row refers
//! to (member names, units, rules: a few MiB at 100,000 members).

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

mod attendance;
mod care;
mod ledger;
mod org;
mod people;
mod stream;

use attendance::attendance_table;
use care::{pairings_table, tasks_table};
use ledger::ledger_table;
use org::org_table;
pub use people::{beneficiaries_table, members_table};
pub use stream::{Rows, stream};

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
    Write {
        path: PathBuf,
        reason: String,
        reason_zh: String,
    },
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
            ExportError::Write {
                path, reason_zh, ..
            } => format!("无法写入 {}：{reason_zh}", path.display()),
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

/// Whether `actor` may have this export at all (whole ID numbers and phones
/// only for who may see them): asked before any file is opened, so a refusal
/// is the answer even where the file could not have been written.
pub fn allowed(actor: &Actor, options: &ExportOptions) -> Result<(), ExportError> {
    if options.unmasked && !may_unmask(actor) {
        return Err(ExportError::UnmaskNotAllowed {
            login: actor.login.clone(),
            role: actor.role.name_en(),
            role_zh: actor.role.name_zh(),
        });
    }
    Ok(())
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
    let mut table = Table {
        name: String::new(),
        headers: Vec::new(),
        rows: Vec::new(),
    };
    rows(store, actor, options, &mut table)?;
    Ok(table)
}

/// The export's rows, one at a time into `out`, its header first (as
/// `table`).
pub fn rows(
    store: &Store,
    actor: &Actor,
    options: &ExportOptions,
    out: &mut dyn Rows,
) -> Result<(), ExportError> {
    let sight = crate::access::Sight::of(store, actor)?;
    allowed(actor, options)?;
    let covered = units_covered(store, actor, options.org)?;
    let inside = |u: OrgUnitId| covered.as_ref().is_none_or(|c| c.contains(&u));
    let units: HashMap<OrgUnitId, OrgUnit> = query::org_units(store)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let zh = options.zh;
    match options.kind {
        ExportKind::Members => {
            people::members_head(out, zh)?;
            for m in store.scan::<Member>() {
                let m = m?;
                if !inside(m.data.unit) {
                    continue;
                }
                if let Some(m) = sight.member(m) {
                    out.row(people::member_row(&m, &units, zh, options.unmasked))?;
                }
            }
        }
        ExportKind::Beneficiaries => {
            people::beneficiaries_head(out, zh)?;
            for b in store.scan::<Beneficiary>() {
                let b = b?;
                if !inside(b.data.unit) {
                    continue;
                }
                if let Some(b) = sight.beneficiary(b) {
                    out.row(people::beneficiary_row(&b, &units, zh, options.unmasked))?;
                }
            }
        }
        ExportKind::Ledger => ledger_table(store, &inside, zh, out)?,
        ExportKind::Tasks => tasks_table(store, &inside, zh, out)?,
        ExportKind::Attendance => attendance_table(store, &inside, &units, zh, out)?,
        ExportKind::Org => org_table(store, &inside, &units, zh, out)?,
        ExportKind::Pairings => pairings_table(store, &inside, zh, out)?,
    }
    Ok(())
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

/// Writes a table to `path` in `format`, atomically.
pub fn write(table: &Table, format: FileFormat, path: &Path) -> Result<(), ExportError> {
    let fail = |e: std::io::Error| ExportError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
        reason_zh: crate::domain::os_words::os_error_zh(&e),
    };
    match format {
        FileFormat::Csv => write_atomically(path, |w| write_csv(table, w)).map_err(fail),
        FileFormat::Xlsx => {
            let bytes = xlsx_bytes(table).map_err(|e| ExportError::Write {
                path: path.to_path_buf(),
                reason: e.to_string(),
                reason_zh: "生成工作簿出错".to_string(),
            })?;
            write_bytes(path, &bytes).map_err(fail)
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
