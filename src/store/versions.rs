//! Record kinds whose stored shape has changed: the current `Record` impl,
//! and the older shapes frozen as they were written, each brought up to the
//! current one when read. A store never needs rewriting for such a change.

use super::Tree;
use super::codec::{Record, be, decode_body};
use crate::domain::{AuditEntry, AuditId};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// Version 2 added the changed fields' values before and after.
impl Record for AuditEntry {
    const TREE: Tree = Tree::Audit;
    const VERSION: u8 = 2;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
    fn decode_older(version: u8, bytes: &[u8]) -> Option<Result<AuditEntry, String>> {
        (version == 1).then(|| {
            decode_body::<AuditEntryV1>(bytes).map(|v1| AuditEntry {
                id: v1.id,
                at: v1.at,
                login: v1.login,
                command: v1.command,
                summary: v1.summary,
                changes: Vec::new(),
            })
        })
    }
}

/// An audit entry as format version 1 wrote it.
#[derive(Deserialize)]
struct AuditEntryV1 {
    id: AuditId,
    at: DateTime<Utc>,
    login: String,
    command: String,
    summary: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::decode;

    #[test]
    fn a_version_1_audit_entry_reads_with_no_changes() {
        #[derive(serde::Serialize)]
        struct V1<'a> {
            id: AuditId,
            at: DateTime<Utc>,
            login: &'a str,
            command: &'a str,
            summary: &'a str,
        }
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut bytes = vec![1u8];
        bytes.extend(
            bincode::serde::encode_to_vec(
                V1 {
                    id: AuditId(5),
                    at,
                    login: "wang",
                    command: "CreateMember",
                    summary: "added member 张三 (1)",
                },
                bincode::config::standard(),
            )
            .unwrap(),
        );
        let e: AuditEntry = decode(&be(5), &bytes).unwrap();
        assert_eq!(e.login, "wang");
        assert_eq!(e.summary, "added member 张三 (1)");
        assert!(e.changes.is_empty());
    }
}
