//! Record kinds whose stored shape has changed: the current `Record` impl,
//! and the older shapes frozen as they were written, each brought up to the
//! current one when read. A store never needs rewriting for such a change.

use super::Tree;
use super::codec::{Record, be, decode_body};
use crate::domain::{
    AuditEntry, AuditId, BeneficiaryId, EntrySource, FieldChange, MemberId, OrgUnitId, Pairing,
    PairingId, Partner, PartnerData, PartnerId, PartnerKind, PendingEntry, PendingId, Points,
    RuleId,
};
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

/// Version 2 added why a pairing ended (empty for those ended before).
impl Record for Pairing {
    const TREE: Tree = Tree::Pairings;
    const VERSION: u8 = 2;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
    fn decode_older(version: u8, bytes: &[u8]) -> Option<Result<Pairing, String>> {
        (version == 1).then(|| {
            decode_body::<PairingV1>(bytes).map(|v1| Pairing {
                id: v1.id,
                member: v1.member,
                beneficiary: v1.beneficiary,
                since: v1.since,
                until: v1.until,
                end_reason: String::new(),
            })
        })
    }
}

/// A pairing as format version 1 wrote it.
#[derive(Deserialize)]
struct PairingV1 {
    id: PairingId,
    member: MemberId,
    beneficiary: BeneficiaryId,
    since: chrono::NaiveDate,
    until: Option<chrono::NaiveDate>,
}

/// Version 2 added the agreement date and the date a partnership closed.
impl Record for Partner {
    const TREE: Tree = Tree::Partners;
    const VERSION: u8 = 2;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
    fn decode_older(version: u8, bytes: &[u8]) -> Option<Result<Partner, String>> {
        (version == 1).then(|| {
            decode_body::<PartnerV1>(bytes).map(|v1| Partner {
                id: v1.id,
                data: PartnerData {
                    name: v1.name,
                    kind: v1.kind,
                    contact: v1.contact,
                    phone: v1.phone,
                    linked_unit: v1.linked_unit,
                    agreed: None,
                    notes: v1.notes,
                },
                closed: None,
            })
        })
    }
}

/// A partner organisation as format version 1 wrote it (the same bytes as
/// an id followed by the old `PartnerData`).
#[derive(Deserialize)]
struct PartnerV1 {
    id: PartnerId,
    name: String,
    kind: PartnerKind,
    contact: String,
    phone: String,
    linked_unit: Option<OrgUnitId>,
    notes: String,
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

/// Version 2 added `source` (check-ins, absences and tasks wait for approval
/// too); a version-1 entry was a manual one.
impl Record for PendingEntry {
    const TREE: Tree = Tree::Pending;
    const VERSION: u8 = 2;
    fn key(&self) -> Vec<u8> {
        be(self.id.0).to_vec()
    }
    fn decode_older(version: u8, bytes: &[u8]) -> Option<Result<PendingEntry, String>> {
        (version == 1).then(|| decode_body::<PendingEntryV1>(bytes).map(Into::into))
    }
}

/// A pending entry as format version 1 stored it.
#[derive(Deserialize)]
struct PendingEntryV1 {
    id: PendingId,
    member: MemberId,
    unit: OrgUnitId,
    date: chrono::NaiveDate,
    rule: RuleId,
    quantity_centi: u32,
    points: Points,
    override_reason: String,
    note: String,
    recorded_by: String,
    recorded_at: chrono::DateTime<chrono::Utc>,
    state: crate::domain::evaluation::Approval,
}

impl From<PendingEntryV1> for PendingEntry {
    fn from(v: PendingEntryV1) -> PendingEntry {
        PendingEntry {
            id: v.id,
            member: v.member,
            unit: v.unit,
            date: v.date,
            rule: v.rule,
            quantity_centi: v.quantity_centi,
            points: v.points,
            override_reason: v.override_reason,
            note: v.note,
            recorded_by: v.recorded_by,
            recorded_at: v.recorded_at,
            state: v.state,
            source: EntrySource::Manual,
        }
    }
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
    fn a_version_1_partner_reads_with_no_agreement_and_open() {
        #[derive(serde::Serialize)]
        struct Data<'a> {
            name: &'a str,
            kind: PartnerKind,
            contact: &'a str,
            phone: &'a str,
            linked_unit: Option<OrgUnitId>,
            notes: &'a str,
        }
        #[derive(serde::Serialize)]
        struct V1<'a> {
            id: PartnerId,
            data: Data<'a>,
        }
        let mut bytes = vec![1u8];
        bytes.extend(
            bincode::serde::encode_to_vec(
                V1 {
                    id: PartnerId(3),
                    data: Data {
                        name: "区教育局机关党委",
                        kind: PartnerKind::Unit,
                        contact: "李",
                        phone: "",
                        linked_unit: Some(OrgUnitId(2)),
                        notes: "n",
                    },
                },
                bincode::config::standard(),
            )
            .unwrap(),
        );
        let p: Partner = decode(&be(3), &bytes).unwrap();
        assert_eq!(p.data.name, "区教育局机关党委");
        assert_eq!(p.data.linked_unit, Some(OrgUnitId(2)));
        assert_eq!((p.data.agreed, p.closed), (None, None));
        assert_eq!(p.data.notes, "n");
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

    #[test]
    fn a_version_1_pending_entry_reads_as_a_manual_one() {
        #[derive(serde::Serialize)]
        struct V1<'a> {
            id: PendingId,
            member: MemberId,
            unit: OrgUnitId,
            date: chrono::NaiveDate,
            rule: RuleId,
            quantity_centi: u32,
            points: Points,
            override_reason: &'a str,
            note: &'a str,
            recorded_by: &'a str,
            recorded_at: DateTime<Utc>,
            state: crate::domain::evaluation::Approval,
        }
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut bytes = vec![1u8];
        bytes.extend(
            bincode::serde::encode_to_vec(
                V1 {
                    id: PendingId(4),
                    member: MemberId(9),
                    unit: OrgUnitId(3),
                    date: chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
                    rule: RuleId(2),
                    quantity_centi: 150,
                    points: Points::whole(3),
                    override_reason: "",
                    note: "清理楼道",
                    recorded_by: "leader",
                    recorded_at: at,
                    state: crate::domain::evaluation::Approval::Pending,
                },
                bincode::config::standard(),
            )
            .unwrap(),
        );
        let p: PendingEntry = decode(&be(4), &bytes).unwrap();
        assert_eq!((p.member, p.quantity_centi), (MemberId(9), 150));
        assert_eq!(p.note, "清理楼道");
        assert_eq!(p.source, EntrySource::Manual);
    }
}
