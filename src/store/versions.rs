//! Record kinds whose stored shape has changed: the current `Record` impl,
//! and the older shapes frozen as they were written, each brought up to the
//! current one when read. A store never needs rewriting for such a change.

use super::Tree;
use super::codec::{Record, be, decode_body};
use crate::domain::{AuditEntry, AuditId, FieldChange};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// Version 2 added the changed fields' values before and after; version 3
/// the subject (whom or what the command was about).
impl Record for AuditEntry {
    const TREE: Tree = Tree::Audit;
    const VERSION: u8 = 3;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
    fn decode_older(version: u8, bytes: &[u8]) -> Option<Result<AuditEntry, String>> {
        match version {
            1 => Some(decode_body::<AuditEntryV1>(bytes).map(|v1| AuditEntry {
                id: v1.id,
                at: v1.at,
                login: v1.login,
                command: v1.command,
                summary: v1.summary,
                subject: String::new(),
                changes: Vec::new(),
            })),
            2 => Some(decode_body::<AuditEntryV2>(bytes).map(|v2| AuditEntry {
                id: v2.id,
                at: v2.at,
                login: v2.login,
                command: v2.command,
                summary: v2.summary,
                subject: String::new(),
                changes: v2.changes,
            })),
            _ => None,
        }
    }
}

/// An audit entry as format version 2 wrote it.
#[derive(Deserialize)]
struct AuditEntryV2 {
    id: AuditId,
    at: DateTime<Utc>,
    login: String,
    command: String,
    summary: String,
    changes: Vec<FieldChange>,
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
        assert!(e.subject.is_empty());
    }

    #[test]
    fn a_version_2_audit_entry_reads_with_its_changes_and_no_subject() {
        #[derive(serde::Serialize)]
        struct V2<'a> {
            id: AuditId,
            at: DateTime<Utc>,
            login: &'a str,
            command: &'a str,
            summary: &'a str,
            changes: Vec<FieldChange>,
        }
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let change = FieldChange {
            field: "data.phone".into(),
            before: "1".into(),
            after: "2".into(),
        };
        let mut bytes = vec![2u8];
        bytes.extend(
            bincode::serde::encode_to_vec(
                V2 {
                    id: AuditId(6),
                    at,
                    login: "wang",
                    command: "UpdateMember",
                    summary: "updated member 张三 (1)",
                    changes: vec![change.clone()],
                },
                bincode::config::standard(),
            )
            .unwrap(),
        );
        let e: AuditEntry = decode(&be(6), &bytes).unwrap();
        assert_eq!(e.command, "UpdateMember");
        assert_eq!(e.changes, vec![change]);
        assert!(e.subject.is_empty());
    }
}
