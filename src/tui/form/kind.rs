//! What a form is for: the record it makes or changes, or the command it
//! asks for, and whether its pre-filled values are defaults that typing
//! replaces.

use crate::domain::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    NewMember,
    EditMember(MemberId),
    /// A sub-unit of `parent`, or the community committee (no parent).
    NewUnit {
        parent: Option<OrgUnitId>,
        level: OrgLevel,
    },
    EditUnit(OrgUnitId),
    MoveUnit(OrgUnitId),
    NewActivity,
    EditActivity(ActivityId),
    Absence(ActivityId),
    CompleteTask(TaskId),
    NewTask(BeneficiaryId),
    EditTask(TaskId),
    NewBeneficiary,
    EditBeneficiary(BeneficiaryId),
    NewPairing(BeneficiaryId),
    EndPairing,
    NewUser,
    EditUser(Box<User>),
    /// The evaluation settings, as they were when the form opened.
    EvaluationSettings(Box<EvaluationSettings>),
    /// The reason for rejecting these pending entries.
    RejectPending(Vec<PendingId>),
    /// One more resolution, added to the meeting's record as it was read.
    Resolution {
        activity: ActivityId,
        record: Box<MeetingRecord>,
    },
    /// A unit's new committee and its election.
    RecordTerm(OrgUnitId),
    Transfer,
    NewFlow,
    EditFlow(FlowId),
    LostContact,
    NewPartner,
    EditPartner(PartnerId),
    NewPost,
    EditPost(PostId),
    AssignPost {
        post: PostId,
        assigned: bool,
    },
    /// The partners an activity was held with, by name; `known` are the
    /// open partners (and those it names already) a name may be.
    ActivityPartners {
        activity: ActivityId,
        known: Vec<(String, PartnerId)>,
    },
    /// The reason these marked members were absent (one command each).
    BulkAbsence(ActivityId, Vec<MemberId>),
    /// Points for each of these marked members (one command each).
    BulkPoints(Vec<MemberId>),
    /// Reversing an older ledger entry, with a reason.
    ReverseEntry(EntryId),
    /// A reward for a member.
    Redeem,
}

/// Whether a form's pre-filled values are defaults (a new record, a reason,
/// hours) that typing replaces, rather than a record's own values being
/// edited, which typing adds to.
pub(super) fn kind_prefills(kind: &FormKind) -> bool {
    // Exhaustive: a new form says which it is.
    match kind {
        FormKind::EditMember(_)
        | FormKind::EditUnit(_)
        | FormKind::MoveUnit(_)
        | FormKind::EditActivity(_)
        | FormKind::EditTask(_)
        | FormKind::EditBeneficiary(_)
        | FormKind::EditUser(_)
        | FormKind::EvaluationSettings(_)
        | FormKind::EditFlow(_)
        | FormKind::LostContact
        | FormKind::EditPartner(_)
        | FormKind::EditPost(_)
        | FormKind::ActivityPartners { .. } => false,
        FormKind::NewMember
        | FormKind::NewUnit { .. }
        | FormKind::NewActivity
        | FormKind::Absence(_)
        | FormKind::CompleteTask(_)
        | FormKind::NewTask(_)
        | FormKind::NewBeneficiary
        | FormKind::NewPairing(_)
        | FormKind::EndPairing
        | FormKind::NewUser
        | FormKind::RejectPending(_)
        | FormKind::Resolution { .. }
        | FormKind::RecordTerm(_)
        | FormKind::Transfer
        | FormKind::NewFlow
        | FormKind::NewPartner
        | FormKind::NewPost
        | FormKind::AssignPost { .. }
        | FormKind::BulkAbsence(..)
        | FormKind::BulkPoints(..)
        | FormKind::ReverseEntry(_)
        | FormKind::Redeem => true,
    }
}
