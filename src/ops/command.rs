//! The `Command` enum: every change a store can take, one variant each, and
//! what the audit log calls it (`kind`). Handlers live in the sibling modules;
//! `touch`, `words` and `changes` match it exhaustively.

use crate::domain::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One change to the store. Serialisable, so the same value can come from the
/// TUI, the CLI, a file or (later) a socket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    CreateOrgUnit {
        parent: Option<OrgUnitId>,
        level: OrgLevel,
        name: String,
        buildings: Vec<String>,
        established: Option<NaiveDate>,
        notes: String,
    },
    UpdateOrgUnit {
        id: OrgUnitId,
        name: String,
        leader: Option<MemberId>,
        buildings: Vec<String>,
        established: Option<NaiveDate>,
        notes: String,
    },
    MoveOrgUnit {
        id: OrgUnitId,
        parent: OrgUnitId,
    },
    CloseOrgUnit {
        id: OrgUnitId,
        date: NaiveDate,
    },
    ReopenOrgUnit {
        id: OrgUnitId,
    },
    CreatePartner {
        data: PartnerData,
    },
    UpdatePartner {
        id: PartnerId,
        data: PartnerData,
    },
    ClosePartner {
        id: PartnerId,
        date: NaiveDate,
    },
    ReopenPartner {
        id: PartnerId,
    },
    /// The partner organisations an activity was held with (empty: none).
    SetActivityPartners {
        activity: ActivityId,
        partners: Vec<PartnerId>,
    },
    /// A transfer of a member's organisational relationship out or in; the
    /// member's status follows (transferred out / active).
    RecordTransfer {
        member: MemberId,
        direction: Direction,
        data: TransferData,
    },
    /// Takes back a transfer recorded by mistake (the status before it returns).
    RemoveTransfer {
        member: MemberId,
        id: TransferId,
    },
    RecordFlow {
        data: FlowData,
    },
    /// Edits a flow; setting `until` ends it.
    UpdateFlow {
        id: FlowId,
        data: FlowData,
    },
    RemoveFlow {
        id: FlowId,
    },
    /// A member's lost-contact record as a whole (`None`: none).
    SetLostContact {
        member: MemberId,
        state: Option<LostContact>,
    },
    /// How often a kind of meeting is due, for a unit or (`None`) every unit.
    SetFrequency {
        unit: Option<OrgUnitId>,
        kind: ActivityKind,
        required: Required,
    },
    /// The record of a meeting (`None`: remove it).
    SetMeetingRecord {
        activity: ActivityId,
        record: Option<MeetingRecord>,
    },
    /// A unit's new committee (after an election): the current one ends the
    /// day this one starts, and its secretary becomes the unit's.
    RecordTerm {
        data: TermData,
    },
    RemoveTerm {
        unit: OrgUnitId,
        id: TermId,
    },
    CreatePost {
        data: PostData,
    },
    /// Edits a post; `active: false` retires it.
    UpdatePost {
        id: PostId,
        data: PostData,
    },
    AssignPost {
        member: MemberId,
        post: PostId,
        assigned: bool,
    },
    CreateMember {
        data: MemberData,
    },
    UpdateMember {
        id: MemberId,
        data: MemberData,
    },
    SetMemberStatus {
        id: MemberId,
        status: MemberStatus,
    },
    CreateBeneficiary {
        data: BeneficiaryData,
    },
    UpdateBeneficiary {
        id: BeneficiaryId,
        data: BeneficiaryData,
    },
    CreatePairing {
        member: MemberId,
        beneficiary: BeneficiaryId,
        since: NaiveDate,
    },
    EndPairing {
        id: PairingId,
        until: NaiveDate,
        /// Why it ends (may be empty: imports and undo carry none).
        reason: String,
    },
    ReopenPairing {
        id: PairingId,
    },
    CreateTask {
        kind: TaskKind,
        title: String,
        beneficiary: BeneficiaryId,
        assignee: MemberId,
        due: NaiveDate,
    },
    /// Edit or reassign an open task.
    UpdateTask {
        id: TaskId,
        title: String,
        assignee: MemberId,
        due: NaiveDate,
    },
    /// Marks a task done and, where its kind maps to a points rule, awards the
    /// points in the same transaction.
    CompleteTask {
        id: TaskId,
        date: NaiveDate,
        hours_centi: u32,
        outcome: String,
    },
    CancelTask {
        id: TaskId,
    },
    /// Back to open: undoes a completion (reversing its points) or a cancellation.
    ReopenTask {
        id: TaskId,
    },
    CreateRule {
        code: String,
        name_zh: String,
        name_en: String,
        basis: RuleBasis,
        points: Points,
        cap: Option<(CapPeriod, Points)>,
    },
    /// Edits a rule; `active: false` retires it (rules are never deleted).
    UpdateRule {
        id: RuleId,
        name_zh: String,
        name_en: String,
        points: Points,
        cap: Option<(CapPeriod, Points)>,
        active: bool,
    },
    RecordPoints {
        member: MemberId,
        date: NaiveDate,
        rule: RuleId,
        /// Hours or count, in hundredths.
        quantity_centi: u32,
        /// Points other than the rule gives, with the reason.
        points_override: Option<(Points, String)>,
        note: String,
    },
    ReversePoints {
        entry: EntryId,
        reason: String,
    },
    Redeem {
        member: MemberId,
        reward: RewardId,
        date: NaiveDate,
        note: String,
    },
    CreateReward {
        name: String,
        cost: Points,
        stock: Option<u32>,
    },
    UpdateReward {
        id: RewardId,
        name: String,
        cost: Points,
        stock: Option<u32>,
        active: bool,
    },
    CreateActivity {
        data: ActivityData,
    },
    UpdateActivity {
        id: ActivityId,
        data: ActivityData,
    },
    /// Records a member present and awards the activity's points, if any.
    CheckIn {
        activity: ActivityId,
        member: MemberId,
    },
    MarkAbsent {
        activity: ActivityId,
        member: MemberId,
        reason: String,
    },
    /// Takes back a check-in or absence, reversing any points it awarded.
    RemoveAttendance {
        activity: ActivityId,
        member: MemberId,
    },
    AddUser {
        login: String,
        display_name: String,
        role: Role,
        scope: Option<OrgUnitId>,
    },
    UpdateUser {
        login: String,
        display_name: String,
        role: Role,
        scope: Option<OrgUnitId>,
        active: bool,
    },
    /// Writes nothing but the audit entry: someone had whole ID numbers or
    /// phones shown (`v`) or exported (`--unmasked`).
    RecordReveal {
        what: Reveal,
    },
    /// Replaces the evaluation settings (committee admins).
    SetEvaluationSettings {
        settings: EvaluationSettings,
    },
    /// Approves entries waiting for approval: each becomes a ledger entry.
    ApprovePoints {
        ids: Vec<PendingId>,
    },
    /// Rejects (or, by their recorder, withdraws) entries waiting for
    /// approval, with the reason; nothing is recorded in the ledger.
    RejectPoints {
        ids: Vec<PendingId>,
        reason: String,
    },
    /// Records a member absent without excuse (无故缺席), applying the
    /// settings' absence deduction rule in the same transaction.
    MarkUnexcused {
        activity: ActivityId,
        member: MemberId,
        note: String,
    },
    /// Takes back a creation (undo): removes the record and its index
    /// entries, refused once anything refers to it (`ops::uncreate`). The
    /// inverse every create command gives.
    Uncreate {
        kind: Created,
        id: u64,
    },
}

/// The kinds of record whose creation can be taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Created {
    Member,
    OrgUnit,
    Activity,
    Beneficiary,
    Pairing,
    Task,
}

/// What was revealed, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reveal {
    /// One member's ID number and phone, on screen.
    Member(MemberId),
    /// One beneficiary's phone, on screen.
    Beneficiary(BeneficiaryId),
    /// An export with whole ID numbers and phones.
    Export {
        kind: String,
        org: Option<OrgUnitId>,
        rows: u64,
    },
}

impl Command {
    /// The variant's name, as audit entries record it.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::CreateOrgUnit { .. } => "CreateOrgUnit",
            Command::UpdateOrgUnit { .. } => "UpdateOrgUnit",
            Command::MoveOrgUnit { .. } => "MoveOrgUnit",
            Command::CloseOrgUnit { .. } => "CloseOrgUnit",
            Command::ReopenOrgUnit { .. } => "ReopenOrgUnit",
            Command::CreatePartner { .. } => "CreatePartner",
            Command::UpdatePartner { .. } => "UpdatePartner",
            Command::ClosePartner { .. } => "ClosePartner",
            Command::ReopenPartner { .. } => "ReopenPartner",
            Command::SetActivityPartners { .. } => "SetActivityPartners",
            Command::RecordTransfer { .. } => "RecordTransfer",
            Command::RemoveTransfer { .. } => "RemoveTransfer",
            Command::RecordFlow { .. } => "RecordFlow",
            Command::UpdateFlow { .. } => "UpdateFlow",
            Command::RemoveFlow { .. } => "RemoveFlow",
            Command::SetLostContact { .. } => "SetLostContact",
            Command::SetFrequency { .. } => "SetFrequency",
            Command::SetMeetingRecord { .. } => "SetMeetingRecord",
            Command::RecordTerm { .. } => "RecordTerm",
            Command::RemoveTerm { .. } => "RemoveTerm",
            Command::CreatePost { .. } => "CreatePost",
            Command::UpdatePost { .. } => "UpdatePost",
            Command::AssignPost { .. } => "AssignPost",
            Command::CreateMember { .. } => "CreateMember",
            Command::UpdateMember { .. } => "UpdateMember",
            Command::SetMemberStatus { .. } => "SetMemberStatus",
            Command::CreateBeneficiary { .. } => "CreateBeneficiary",
            Command::UpdateBeneficiary { .. } => "UpdateBeneficiary",
            Command::CreatePairing { .. } => "CreatePairing",
            Command::EndPairing { .. } => "EndPairing",
            Command::ReopenPairing { .. } => "ReopenPairing",
            Command::CreateTask { .. } => "CreateTask",
            Command::UpdateTask { .. } => "UpdateTask",
            Command::CompleteTask { .. } => "CompleteTask",
            Command::CancelTask { .. } => "CancelTask",
            Command::ReopenTask { .. } => "ReopenTask",
            Command::CreateRule { .. } => "CreateRule",
            Command::UpdateRule { .. } => "UpdateRule",
            Command::RecordPoints { .. } => "RecordPoints",
            Command::ReversePoints { .. } => "ReversePoints",
            Command::Redeem { .. } => "Redeem",
            Command::CreateReward { .. } => "CreateReward",
            Command::UpdateReward { .. } => "UpdateReward",
            Command::CreateActivity { .. } => "CreateActivity",
            Command::UpdateActivity { .. } => "UpdateActivity",
            Command::CheckIn { .. } => "CheckIn",
            Command::MarkAbsent { .. } => "MarkAbsent",
            Command::RemoveAttendance { .. } => "RemoveAttendance",
            Command::AddUser { .. } => "AddUser",
            Command::UpdateUser { .. } => "UpdateUser",
            Command::RecordReveal { .. } => "RecordReveal",
            Command::SetEvaluationSettings { .. } => "SetEvaluationSettings",
            Command::ApprovePoints { .. } => "ApprovePoints",
            Command::RejectPoints { .. } => "RejectPoints",
            Command::MarkUnexcused { .. } => "MarkUnexcused",
            Command::Uncreate { .. } => "Uncreate",
        }
    }
}
