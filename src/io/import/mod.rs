//! Importing members and beneficiaries from the spreadsheets offices keep.
//!
//! An import runs in two steps. `plan` reads the file, finds the header, checks
//! every row (the same rules `ops` applies, so problems are named by row and
//! column before anything is written) and matches rows to existing records:
//! a member by ID number, a beneficiary by name and address. It never writes.
//! `commit` then writes the plan through `ops::apply_batch`: an import of up to
//! `BATCH` rows is one transaction; a larger one is written in batches of whole
//! rows, and running the same import again resumes it, because rows already
//! imported match their records and are left as they are.

pub mod beneficiaries;
mod lines;
mod member_row;
pub mod members;
mod report;
mod row;
mod sheetplan;
pub mod units;

pub use lines::Change;
pub use member_row::{ELSEWHERE_EN, ELSEWHERE_ZH};
pub use report::write_report;
pub use units::{NewUnit, UnitRef};

use super::sheet::{self, ReadError, Sheet};
use crate::access::Client;
use crate::domain::*;
use crate::ops::{Applied, Command, OpsError};
use crate::store::StoreError;
use std::collections::BTreeSet;
use std::path::Path;

/// Rows per transaction in a large import: the demo generator's batch size,
/// for the same reason (a sled transaction's write set stays a few megabytes).
pub const BATCH: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Members,
    Beneficiaries,
}

impl ImportKind {
    pub fn name(self, zh: bool) -> &'static str {
        match (self, zh) {
            (ImportKind::Members, false) => "members",
            (ImportKind::Members, true) => "党员",
            (ImportKind::Beneficiaries, false) => "beneficiaries",
            (ImportKind::Beneficiaries, true) => "帮扶对象",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The sheet of a workbook to read (default: the first).
    pub sheet: Option<String>,
    /// Create branches and groups the file names but the store lacks.
    pub create_units: bool,
    /// The committee of rows that name none (a roster without 所属党委):
    /// found by name, or created with `create_units`.
    pub committee: Option<String>,
    /// Blank cells clear the stored values of a record a row updates (by
    /// default they keep them: a blank is a cell nobody filled in).
    pub clear_blank: bool,
    /// A row whose ID number is a member's of another name renames that
    /// member (by default it is a problem: most often a mistyped ID number).
    pub allow_rename: bool,
}

/// One thing wrong with one row, at the column it is in when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row number the user sees in their spreadsheet.
    pub row: usize,
    /// The column's header as the file writes it.
    pub column: Option<String>,
    pub en: String,
    pub zh: String,
}

impl Problem {
    /// `row 12, column 身份证号: …` or `第 12 行，身份证号列：…`.
    pub fn line(&self, zh: bool) -> String {
        match (zh, &self.column) {
            (false, Some(c)) => format!("row {}, column {c}: {}", self.row, self.en),
            (false, None) => format!("row {}: {}", self.row, self.en),
            (true, Some(c)) => format!("第 {} 行，{c}列：{}", self.row, self.zh),
            (true, None) => format!("第 {} 行：{}", self.row, self.zh),
        }
    }
}

/// What a valid row will write.
#[derive(Debug, Clone, PartialEq)]
pub enum RowRecord {
    Member {
        existing: Option<MemberId>,
        data: MemberData,
    },
    Beneficiary {
        existing: Option<BeneficiaryId>,
        data: BeneficiaryData,
    },
}

impl RowRecord {
    pub fn is_update(&self) -> bool {
        match self {
            RowRecord::Member { existing, .. } => existing.is_some(),
            RowRecord::Beneficiary { existing, .. } => existing.is_some(),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            RowRecord::Member { data, .. } => &data.name,
            RowRecord::Beneficiary { data, .. } => &data.name,
        }
    }

    /// The command that writes this row once its unit has an id.
    fn command(&self, unit: OrgUnitId) -> Command {
        match self {
            RowRecord::Member { existing, data } => {
                let data = MemberData {
                    unit,
                    ..data.clone()
                };
                match existing {
                    Some(id) => Command::UpdateMember { id: *id, data },
                    None => Command::CreateMember { data },
                }
            }
            RowRecord::Beneficiary { existing, data } => {
                let data = BeneficiaryData {
                    unit,
                    ..data.clone()
                };
                match existing {
                    Some(id) => Command::UpdateBeneficiary { id: *id, data },
                    None => Command::CreateBeneficiary { data },
                }
            }
        }
    }
}

/// A valid row and what it writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    pub row: usize,
    pub unit: UnitRef,
    pub record: RowRecord,
    /// What an update changes (empty for a new record).
    pub changes: Vec<Change>,
}

/// Everything an import would do, found without writing anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub kind: ImportKind,
    pub source_en: String,
    pub source_zh: String,
    pub header_row: usize,
    /// Non-blank rows below the header.
    pub data_rows: usize,
    /// Units to create, parents first.
    pub units: Vec<NewUnit>,
    /// Valid rows that add or change a record.
    pub rows: Vec<PlannedRow>,
    /// Valid rows identical to the record they match.
    pub unchanged: usize,
    pub problems: Vec<Problem>,
    /// Problems of the file rather than of a row (a column of data with no
    /// header): they stop an import as row problems do, but leave out no row.
    pub file_problems: Vec<Problem>,
    /// Header cells and the cells of each row with a problem, for the report.
    pub headers: Vec<String>,
    pub bad_rows: Vec<(usize, Vec<String>)>,
    pub ignored_columns: Vec<String>,
}

impl Plan {
    pub fn new_count(&self) -> usize {
        self.rows.iter().filter(|r| !r.record.is_update()).count()
    }

    pub fn update_count(&self) -> usize {
        self.rows.iter().filter(|r| r.record.is_update()).count()
    }

    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty() || !self.file_problems.is_empty()
    }

    /// Row numbers with at least one problem.
    pub fn bad_row_numbers(&self) -> BTreeSet<usize> {
        self.problems.iter().map(|p| p.row).collect()
    }

    /// Units that the rows going in need (a unit only a bad row named is not made).
    fn units_needed(&self) -> Vec<bool> {
        let mut needed = vec![false; self.units.len()];
        for r in &self.rows {
            let mut at = Some(r.unit);
            while let Some(UnitRef::New(i)) = at {
                if needed.get(i).copied().unwrap_or(true) {
                    break;
                }
                needed[i] = true;
                at = self.units[i].parent;
            }
        }
        needed
    }

    /// Units the commit will create.
    pub fn units_to_create(&self) -> Vec<&NewUnit> {
        let needed = self.units_needed();
        self.units
            .iter()
            .zip(needed)
            .filter(|(_, n)| *n)
            .map(|(u, _)| u)
            .collect()
    }

    /// One line on what the import would do.
    pub fn summary(&self, zh: bool) -> String {
        let units = self.units_to_create().len();
        if zh {
            format!(
                "{} 行数据：新增 {}，更新 {}，无变化 {}，有问题 {} 行；新建组织 {} 个",
                self.data_rows,
                self.new_count(),
                self.update_count(),
                self.unchanged,
                self.bad_rows.len(),
                units
            )
        } else {
            format!(
                "{} data rows: {} new, {} updates, {} unchanged, {} with problems; {} units to create",
                self.data_rows,
                self.new_count(),
                self.update_count(),
                self.unchanged,
                self.bad_rows.len(),
                units
            )
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("no header row found in the first 30 rows: expected column names such as {expected}")]
    NoHeader {
        expected: String,
        expected_zh: String,
    },
    #[error(
        "no header row found in the first 30 rows of sheet {sheet}; the workbook's other sheets are {others}: import one with --sheet NAME"
    )]
    NoHeaderOnSheet { sheet: String, others: String },
    #[error(
        "the store has no community party committee yet: add --create-units --committee NAME \
         (its name, e.g. --committee 和平里社区党委), or create it first in dangjian's org panel"
    )]
    NoCommittee,
    #[error("{en}")]
    Committee { en: String, zh: String },
    #[error("the file has no {column} column (it may also be called {aliases})")]
    MissingColumn {
        column: String,
        aliases: String,
        column_zh: String,
    },
    #[error(
        "`{login}` ({role}) may not import {what}: it takes a committee admin or a branch secretary"
    )]
    NotAllowed {
        login: String,
        role: &'static str,
        role_zh: &'static str,
        what: &'static str,
        what_zh: &'static str,
    },
    #[error(
        "{count} rows have problems, so nothing was written (import with --skip-invalid to write the valid rows)"
    )]
    HasProblems { count: usize },
    #[error(
        "row {row} was refused ({error}); {written} rows before it were written in earlier batches \
         and the rest was not: fix the row and run the same import again to finish (rows already \
         imported are matched and left as they are)"
    )]
    Refused {
        row: usize,
        error: OpsError,
        written: usize,
    },
    #[error("row {row} was refused, nothing was written: {error}")]
    RefusedNothingWritten { row: usize, error: OpsError },
    #[error(transparent)]
    Ops(#[from] OpsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Access(#[from] crate::access::ReadError),
}

impl ImportError {
    pub fn in_lang(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            ImportError::Read(e) => e.zh(),
            ImportError::NoHeader { expected_zh, .. } => {
                format!("前 30 行中找不到表头：应有 {expected_zh} 等列名")
            }
            ImportError::NoHeaderOnSheet { sheet, others } => format!(
                "工作表“{sheet}”的前 30 行中找不到表头；本工作簿的其他工作表：{others}，可用 --sheet 名称 导入其中之一"
            ),
            ImportError::NoCommittee => "库中还没有社区党委：请加 --create-units --committee 名称（党委的名称，如 --committee 和平里社区党委），或先在 dangjian 的组织面板中建立".into(),
            ImportError::Committee { zh, .. } => zh.clone(),
            ImportError::MissingColumn {
                column_zh, aliases, ..
            } => format!("文件中没有“{column_zh}”列（也可叫 {aliases}）"),
            ImportError::NotAllowed {
                login,
                role_zh,
                what_zh,
                ..
            } => format!("`{login}`（{role_zh}）无权导入{what_zh}：需要党委管理员或支部书记"),
            ImportError::HasProblems { count } => format!(
                "有 {count} 行存在问题，未写入任何内容（加 --skip-invalid 可只写入没有问题的行）"
            ),
            ImportError::Refused {
                row,
                error,
                written,
            } => format!(
                "第 {row} 行被拒绝（{}）；此前的批次已写入 {written} 行，其余未写入：改正该行后再次运行同样的导入即可完成（已导入的行会被识别并保持不变）",
                error.in_lang(true)
            ),
            ImportError::RefusedNothingWritten { row, error } => {
                format!("第 {row} 行被拒绝，未写入任何内容：{}", error.in_lang(true))
            }
            ImportError::Ops(e) => e.in_lang(true),
            ImportError::Store(e) => e.in_lang(true),
            ImportError::Access(e) => e.in_lang(true),
        }
    }
}

/// Reads `path` and plans its import. Writes nothing.
pub fn plan(
    client: &impl Client,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> Result<Plan, ImportError> {
    let sheet = sheet::read(path, options.sheet.as_deref())?;
    plan_sheet(client, kind, &sheet, options)
}

/// As `plan`, for a sheet already read. What the plan knows of the store it
/// asks through `client`, as its actor may see it: an ID number outside
/// their sight is only "registered elsewhere".
pub fn plan_sheet(
    client: &impl Client,
    kind: ImportKind,
    sheet: &Sheet,
    options: &ImportOptions,
) -> Result<Plan, ImportError> {
    let actor = client.actor();
    if !matches!(actor.role, Role::CommitteeAdmin | Role::BranchSecretary) {
        return Err(ImportError::NotAllowed {
            login: actor.login.clone(),
            role: actor.role.name_en(),
            role_zh: actor.role.name_zh(),
            what: kind.name(false),
            what_zh: kind.name(true),
        });
    }
    match kind {
        ImportKind::Members => members::plan(client, sheet, options),
        ImportKind::Beneficiaries => beneficiaries::plan(client, sheet, options),
    }
}

/// What a commit wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub units_created: usize,
    /// Rows `ops` refused at write time though the plan found them valid (the
    /// store changed in between); with `skip_invalid` they are left out.
    pub late_problems: Vec<Problem>,
}

/// Writes a plan. Without `skip_invalid` a plan with problems writes nothing.
/// `progress(done, total)` is called after each batch.
pub fn commit(
    client: &impl Client,
    plan: &Plan,
    skip_invalid: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Outcome, ImportError> {
    if plan.has_problems() && !skip_invalid {
        return Err(ImportError::HasProblems {
            count: plan.bad_rows.len(),
        });
    }
    let needed = plan.units_needed();
    // New unit i is created by unit command position[i].
    let mut position = vec![None; plan.units.len()];
    let mut unit_cmds = Vec::new();
    for (i, u) in plan.units.iter().enumerate() {
        if !needed[i] {
            continue;
        }
        position[i] = Some(unit_cmds.len());
        unit_cmds.push((i, u.clone()));
    }
    let total = plan.rows.len();
    let mut outcome = Outcome::default();
    let mut created_units: Vec<Option<OrgUnitId>> = vec![None; plan.units.len()];
    let mut written = 0usize;
    let mut chunks = plan.rows.chunks(BATCH);
    let mut first = true;
    loop {
        let chunk: Vec<&PlannedRow> = match chunks.next() {
            Some(c) => c.iter().collect(),
            None if first && !unit_cmds.is_empty() => Vec::new(),
            None => break,
        };
        let mut chunk = chunk;
        loop {
            let result = if first {
                apply_first(client, &unit_cmds, &position, &chunk)
            } else {
                let cmds: Vec<Command> = chunk
                    .iter()
                    .map(|r| r.record.command(unit_id(r.unit, &created_units)))
                    .collect();
                client.apply_batch(&cmds).map(|a| (Vec::new(), a))
            };
            match result {
                Ok((units, rows)) => {
                    if first {
                        for (k, (i, _)) in unit_cmds.iter().enumerate() {
                            created_units[*i] = units.get(k).and_then(|a| a.created).map(OrgUnitId);
                        }
                        outcome.units_created = units.len();
                    }
                    for (r, _) in chunk.iter().zip(rows) {
                        if r.record.is_update() {
                            outcome.updated += 1;
                        } else {
                            outcome.created += 1;
                        }
                    }
                    written += chunk.len();
                    progress(written, total);
                    break;
                }
                Err(OpsError::Batch { index, error, .. }) => {
                    let skip_units = if first { unit_cmds.len() } else { 0 };
                    let Some(at) = index.checked_sub(skip_units) else {
                        return Err(ImportError::Ops(*error));
                    };
                    let Some(row) = chunk.get(at).map(|r| r.row) else {
                        return Err(ImportError::Ops(*error));
                    };
                    if skip_invalid {
                        outcome.late_problems.push(Problem {
                            row,
                            column: None,
                            en: error.to_string(),
                            zh: error.in_lang(true),
                        });
                        chunk.remove(at);
                        continue;
                    }
                    return Err(if written == 0 {
                        ImportError::RefusedNothingWritten { row, error: *error }
                    } else {
                        ImportError::Refused {
                            row,
                            error: *error,
                            written,
                        }
                    });
                }
                Err(e) => return Err(e.into()),
            }
        }
        first = false;
    }
    Ok(outcome)
}

fn unit_id(r: UnitRef, created: &[Option<OrgUnitId>]) -> OrgUnitId {
    match r {
        UnitRef::Existing(id) => id,
        // Every unit a row going in needs was created by the first batch.
        UnitRef::New(i) => created.get(i).copied().flatten().unwrap_or(OrgUnitId(0)),
    }
}

/// The first batch: the new units, then the first rows, in one transaction.
fn apply_first(
    client: &impl Client,
    unit_cmds: &[(usize, NewUnit)],
    position: &[Option<usize>],
    chunk: &[&PlannedRow],
) -> Result<(Vec<Applied>, Vec<Applied>), OpsError> {
    let parent_of = |r: Option<UnitRef>, units: &[Applied]| -> Option<OrgUnitId> {
        match r? {
            UnitRef::Existing(id) => Some(id),
            UnitRef::New(i) => position
                .get(i)
                .copied()
                .flatten()
                .and_then(|p| units.get(p))
                .and_then(|a| a.created)
                .map(OrgUnitId),
        }
    };
    let units = unit_cmds.len();
    let mut all = client.apply_batch_with(&|done: &[Applied]| {
        if done.len() >= units + chunk.len() {
            return None;
        }
        // One unit at a time, so each sees the ids of the units above it.
        if let Some((_, u)) = unit_cmds.get(done.len()) {
            return Some(vec![Command::CreateOrgUnit {
                parent: parent_of(u.parent, done),
                level: u.level,
                name: u.name.clone(),
                buildings: Vec::new(),
                established: None,
                notes: String::new(),
            }]);
        }
        Some(
            chunk
                .iter()
                .map(|r| {
                    let unit = match r.unit {
                        UnitRef::Existing(id) => id,
                        UnitRef::New(_) => parent_of(Some(r.unit), done).unwrap_or(OrgUnitId(0)),
                    };
                    r.record.command(unit)
                })
                .collect(),
        )
    })?;
    let rows = all.split_off(unit_cmds.len().min(all.len()));
    Ok((all, rows))
}
