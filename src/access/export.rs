//! Questions whose answer is a file's content: an export table and the points
//! journal. The table is built here, where the data is, from what the actor
//! may see; whole ID numbers and phones (`--unmasked`) leave only for those
//! who may have them, and each such export is an audit entry, written
//! through the command seam before the data leaves.

use super::{Query, ReadError, View};
use crate::domain::*;
use crate::io::export::{self, ExportError, ExportKind, ExportOptions, FileFormat, Table};
use crate::ops::{self, Command, Reveal};
use crate::report::points::Scope;
use crate::store::StoreError;
use crate::store::remote::{Part, Remote};
use crate::store::wire;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportQ {
    pub kind: ExportKind,
    pub org: Option<OrgUnitId>,
    pub unmasked: bool,
    pub zh: bool,
}

impl Query for ExportQ {
    type Answer = Table;
    fn answer(self, view: &View) -> Result<Table, ReadError> {
        let options = self.options(view)?;
        let table = export::table(view.store, view.actor, &options)?;
        self.record_reveal(view, table.rows.len() as u64)?;
        Ok(table)
    }
}

impl ExportQ {
    /// The export written into `path` by the process that owns the store, row
    /// by row as it reads them (`export::stream`), rather than built whole
    /// first: the same rows as `answer`, the same audit entry for an unmasked
    /// one, recorded before the file takes its name. Returns the rows written.
    pub fn write_here(
        self,
        view: &View,
        format: FileFormat,
        path: &Path,
    ) -> Result<u64, ReadError> {
        let options = self.options(view)?;
        export::allowed(view.actor, &options)?;
        let (rows, _) = export::stream(format, path, |out| -> Result<u64, ReadError> {
            let mut counted = Counted { out, rows: 0 };
            export::rows(view.store, view.actor, &options, &mut counted)?;
            self.record_reveal(view, counted.rows)?;
            Ok(counted.rows)
        })?;
        Ok(rows)
    }

    /// The export's rows into `out` where the data is: the server's side of
    /// a served export (`Request::Export`), sent as they are read. The same
    /// rows and checks as `answer`; an unmasked export is counted first, and
    /// its audit entry recorded before any row leaves. Returns the rows sent.
    pub fn send_rows(self, view: &View, out: &mut dyn export::Rows) -> Result<u64, ReadError> {
        let options = self.options(view)?;
        export::allowed(view.actor, &options)?;
        if self.reveals() {
            let mut count = Counted {
                out: &mut Discard,
                rows: 0,
            };
            export::rows(view.store, view.actor, &options, &mut count)?;
            self.record_reveal(view, count.rows)?;
        }
        let mut counted = Counted { out, rows: 0 };
        export::rows(view.store, view.actor, &options, &mut counted)?;
        Ok(counted.rows)
    }

    /// A served export written into `path` as its rows arrive
    /// (`Remote::export`): what this process holds is one chunk of rows,
    /// not the table. A refusal comes first and is said before any file is
    /// opened. Returns the rows written; `None` when the server is older
    /// than streamed exports (it refused the request unread, and nothing
    /// was written).
    pub fn write_served(
        &self,
        remote: &Remote,
        format: FileFormat,
        path: &Path,
    ) -> Result<Option<u64>, ReadError> {
        let mut parts = remote.export(wire::encode_value(self)?)?;
        let mut pending = match parts.next_part() {
            Err(StoreError::Server(e)) if e.starts_with(wire::REFUSED_FRAME) => return Ok(None),
            first => Some(first?),
        };
        // The next part decoded; `None` at the end, whose count is held
        // against the rows written.
        let mut next = |rows: u64| -> Result<Option<ExportPart>, ReadError> {
            let part = match pending.take() {
                Some(part) => part,
                None => parts.next_part()?,
            };
            match part {
                Part::Bytes(bytes) => Ok(Some(wire::decode_value(&bytes)?)),
                Part::End { entries, .. } if entries == rows => Ok(None),
                Part::End { entries, .. } => Err(ReadError::Store(ops::Said::new(
                    format!("the server sent {rows} rows and said {entries}"),
                    format!("服务器发来 {rows} 行，却说是 {entries} 行"),
                ))),
            }
        };
        let mut part = next(0)?;
        if let Some(ExportPart::Refused(e)) = part {
            // The end follows; read it, so the connection goes on.
            let _ = next(0);
            return Err(e);
        }
        let (rows, _) = export::stream(format, path, |out| -> Result<u64, ReadError> {
            let mut rows = 0u64;
            while let Some(p) = part.take() {
                match p {
                    ExportPart::Head { name, headers } => out.head(&name, headers)?,
                    ExportPart::Rows(batch) => {
                        for row in batch {
                            rows += 1;
                            out.row(row)?;
                        }
                    }
                    ExportPart::Refused(e) => {
                        let _ = next(rows);
                        return Err(e);
                    }
                }
                part = next(rows)?;
            }
            Ok(rows)
        })?;
        Ok(Some(rows))
    }

    fn reveals(&self) -> bool {
        self.unmasked && matches!(self.kind, ExportKind::Members | ExportKind::Beneficiaries)
    }

    fn options(&self, view: &View) -> Result<ExportOptions, ReadError> {
        if let Some(u) = self.org {
            view.scope(Some(u))?;
        }
        Ok(ExportOptions {
            kind: self.kind,
            org: self.org,
            unmasked: self.unmasked,
            zh: self.zh,
        })
    }

    fn record_reveal(&self, view: &View, rows: u64) -> Result<(), ReadError> {
        if self.reveals() {
            ops::apply(
                view.store,
                view.actor,
                &Command::RecordReveal {
                    what: Reveal::Export {
                        kind: self.kind.name().to_string(),
                        org: self.org,
                        rows,
                    },
                },
            )?;
        }
        Ok(())
    }
}

fn invalid(e: ExportError) -> ReadError {
    ReadError::Invalid(ops::Said::new(e.in_lang(false), e.in_lang(true)))
}

impl From<ExportError> for ReadError {
    fn from(e: ExportError) -> Self {
        invalid(e)
    }
}

/// Rows passed on, counted (an unmasked export's audit entry says how many).
struct Counted<'a> {
    out: &'a mut dyn export::Rows,
    rows: u64,
}

impl export::Rows for Counted<'_> {
    fn head(&mut self, name: &str, headers: Vec<String>) -> Result<(), ExportError> {
        self.out.head(name, headers)
    }

    fn row(&mut self, row: Vec<crate::io::export::Value>) -> Result<(), ExportError> {
        self.rows += 1;
        self.out.row(row)
    }
}

/// Counts rows and keeps none (an unmasked served export is counted first).
struct Discard;

impl export::Rows for Discard {
    fn head(&mut self, _: &str, _: Vec<String>) -> Result<(), ExportError> {
        Ok(())
    }

    fn row(&mut self, _: Vec<crate::io::export::Value>) -> Result<(), ExportError> {
        Ok(())
    }
}

/// What the chunks of a served export carry, in order: the sheet's head,
/// then its rows in batches; or, last, why it was refused.
#[derive(Debug, Serialize, Deserialize)]
pub enum ExportPart {
    Head { name: String, headers: Vec<String> },
    Rows(Vec<Vec<crate::io::export::Value>>),
    Refused(ReadError),
}

/// The ledger as a plain-text accounting journal (hledger / ledger), of the
/// members of `org`'s subtree (the actor's scope by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalQ {
    pub org: Option<OrgUnitId>,
}

/// The journal's text and how many transactions it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    pub text: String,
    pub transactions: u64,
}

impl Query for JournalQ {
    type Answer = Journal;
    fn answer(self, view: &View) -> Result<Journal, ReadError> {
        let members: Option<HashSet<MemberId>> = match view.scope(self.org)? {
            Scope::Community => None,
            scope => Some(
                crate::report::points::members_in_scope(view.store, scope)?
                    .into_iter()
                    .map(|(m, _)| m)
                    .collect(),
            ),
        };
        let mut out = Vec::new();
        let transactions =
            crate::io::journal::write_journal(view.store, members.as_ref(), &mut out).map_err(
                |e| ReadError::Store(ops::Said::new(e.to_string(), format!("存储出错：{e}"))),
            )?;
        Ok(Journal {
            text: String::from_utf8_lossy(&out).into_owned(),
            transactions,
        })
    }
}
