//! What a change touched: the parts of the store it changed and the records and
//! units it is about, as ids only. Worked out once, where the change is
//! applied, from the command and what it did; whoever shows the data reloads
//! by it (their own changes and, through change notices, everyone else's), and
//! the store's owner decides by its units who may hear of it at all.
//!
//! The match below has no wildcard arm: a new command does not compile until
//! it says what it touches.

use super::{Applied, Command, OpResult};
use crate::domain::*;
use crate::store::Tx;
use serde::{Deserialize, Serialize};

/// A part of the store a view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    /// The org tree.
    Org,
    Partners,
    /// Member records (the roster).
    Members,
    /// Beneficiaries, pairings and tasks.
    Care,
    /// Ledger entries and the balances and rankings derived from them.
    Points,
    Rules,
    Rewards,
    Activities,
    Attendance,
    Users,
    /// Entries waiting for approval (the queue) and the evaluation settings.
    Approvals,
    /// Transfers, flows and lost contact.
    Movement,
    /// Meeting frequencies, minutes, committees and elections.
    OrgLife,
    /// The posts catalogue.
    Posts,
}

/// What one applied command touched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touched {
    pub areas: Vec<Area>,
    /// Members whose record, points or statement changed.
    pub members: Vec<MemberId>,
    pub activity: Option<ActivityId>,
    /// A ledger entry that was reversed (a statement shows it struck out).
    pub reversed: Option<EntryId>,
    /// The org units the change is about — a member's unit before and after,
    /// a beneficiary's, an activity's host — for deciding who may hear of it.
    /// Empty: it concerns no unit in particular (catalogues, the org tree).
    pub units: Vec<OrgUnitId>,
}

impl Touched {
    pub fn touches(&self, area: Area) -> bool {
        self.areas.contains(&area)
    }

    fn new(areas: &[Area]) -> Touched {
        Touched {
            areas: areas.to_vec(),
            ..Touched::default()
        }
    }

    fn member(mut self, tx: &Tx, id: MemberId) -> OpResult<Touched> {
        if !self.members.contains(&id) {
            self.members.push(id);
        }
        if let Some(m) = tx.get_id::<Member>(id.0)? {
            self = self.unit(m.data.unit);
        }
        Ok(self)
    }

    fn beneficiary(self, tx: &Tx, id: BeneficiaryId) -> OpResult<Touched> {
        Ok(match tx.get_id::<Beneficiary>(id.0)? {
            Some(b) => self.unit(b.data.unit),
            None => self,
        })
    }

    fn unit(mut self, unit: OrgUnitId) -> Touched {
        if !self.units.contains(&unit) {
            self.units.push(unit);
        }
        self
    }

    fn task(self, tx: &Tx, id: TaskId) -> OpResult<Touched> {
        match tx.get_id::<Task>(id.0)? {
            Some(t) => self.member(tx, t.assignee)?.beneficiary(tx, t.beneficiary),
            None => Ok(self),
        }
    }

    fn pairing(self, tx: &Tx, id: PairingId) -> OpResult<Touched> {
        match tx.get_id::<Pairing>(id.0)? {
            Some(p) => self.member(tx, p.member)?.beneficiary(tx, p.beneficiary),
            None => Ok(self),
        }
    }
}

/// What `cmd` touched, read inside the transaction that applied it (so the
/// records are as the command left them; `applied.inverse` holds what they
/// were before where that matters, e.g. a member's old unit).
pub(crate) fn touched(tx: &Tx, cmd: &Command, applied: &Applied) -> OpResult<Touched> {
    use Area::*;
    let created = applied.created;
    Ok(match cmd {
        Command::CreateOrgUnit { parent, .. } => {
            let mut t = Touched::new(&[Org]);
            if let Some(p) = parent {
                t = t.unit(*p);
            }
            if let Some(id) = created {
                t = t.unit(OrgUnitId(id));
            }
            t
        }
        Command::UpdateOrgUnit { id, .. }
        | Command::CloseOrgUnit { id, .. }
        | Command::ReopenOrgUnit { id } => Touched::new(&[Org]).unit(*id),
        Command::MoveOrgUnit { id, parent } => {
            let mut t = Touched::new(&[Org]).unit(*id).unit(*parent);
            if let Some(Command::MoveOrgUnit { parent: old, .. }) = &applied.inverse {
                t = t.unit(*old);
            }
            t
        }
        Command::CreatePartner { .. } | Command::UpdatePartner { .. } => Touched::new(&[Partners]),
        Command::ClosePartner { .. } | Command::ReopenPartner { .. } => Touched::new(&[Partners]),
        Command::SetActivityPartners { activity, .. } => {
            let mut t = Touched::new(&[Activities]);
            t.activity = Some(*activity);
            match tx.get_id::<Activity>(activity.0)? {
                Some(a) => t.unit(a.data.host),
                None => t,
            }
        }
        Command::RecordTransfer { member, .. } | Command::RemoveTransfer { member, .. } => {
            Touched::new(&[Movement, Members, Points]).member(tx, *member)?
        }
        Command::RecordFlow { data } | Command::UpdateFlow { data, .. } => {
            Touched::new(&[Movement]).member(tx, data.member)?
        }
        Command::RemoveFlow { .. } => match &applied.inverse {
            Some(Command::RecordFlow { data }) => {
                Touched::new(&[Movement]).member(tx, data.member)?
            }
            _ => Touched::new(&[Movement]),
        },
        Command::SetLostContact { member, .. } => Touched::new(&[Movement]).member(tx, *member)?,
        Command::SetFrequency { unit, .. } => {
            let t = Touched::new(&[OrgLife]);
            match unit {
                Some(u) => t.unit(*u),
                None => t,
            }
        }
        Command::SetMeetingRecord { activity, .. } => {
            let mut t = Touched::new(&[OrgLife, Activities]);
            t.activity = Some(*activity);
            match tx.get_id::<Activity>(activity.0)? {
                Some(a) => t.unit(a.data.host),
                None => t,
            }
        }
        Command::RecordTerm { data } => Touched::new(&[OrgLife, Org]).unit(data.unit),
        Command::RemoveTerm { unit, .. } => Touched::new(&[OrgLife, Org]).unit(*unit),
        Command::CreatePost { .. } | Command::UpdatePost { .. } => Touched::new(&[Posts]),
        Command::AssignPost { member, .. } => Touched::new(&[Members]).member(tx, *member)?,
        Command::CreateMember { data } => {
            let mut t = Touched::new(&[Members]).unit(data.unit);
            if let Some(id) = created {
                t.members.push(MemberId(id));
            }
            t
        }
        Command::UpdateMember { id, data } => {
            let mut t = Touched::new(&[Members]).unit(data.unit);
            if let Some(Command::UpdateMember { data: old, .. }) = &applied.inverse {
                t = t.unit(old.unit);
            }
            t.member(tx, *id)?
        }
        Command::SetMemberStatus { id, .. } => Touched::new(&[Members, Points]).member(tx, *id)?,
        Command::CreateBeneficiary { data } => Touched::new(&[Care]).unit(data.unit),
        Command::UpdateBeneficiary { id, data } => {
            let mut t = Touched::new(&[Care]).unit(data.unit);
            if let Some(Command::UpdateBeneficiary { data: old, .. }) = &applied.inverse {
                t = t.unit(old.unit);
            }
            t.beneficiary(tx, *id)?
        }
        Command::CreatePairing {
            member,
            beneficiary,
            ..
        } => Touched::new(&[Care])
            .member(tx, *member)?
            .beneficiary(tx, *beneficiary)?,
        Command::EndPairing { id, .. } | Command::ReopenPairing { id } => {
            Touched::new(&[Care]).pairing(tx, *id)?
        }
        Command::CreateTask {
            beneficiary,
            assignee,
            ..
        } => Touched::new(&[Care])
            .member(tx, *assignee)?
            .beneficiary(tx, *beneficiary)?,
        Command::UpdateTask { id, .. } => {
            let mut t = Touched::new(&[Care]).task(tx, *id)?;
            if let Some(Command::UpdateTask { assignee: old, .. }) = &applied.inverse {
                t = t.member(tx, *old)?;
            }
            t
        }
        // A completion awards points, or puts them in the approval queue
        // (the handler says so by touching it), and reopening reverses or
        // withdraws them.
        Command::CompleteTask { id, .. } if applied.touched.touches(Approvals) => {
            Touched::new(&[Care, Points, Approvals]).task(tx, *id)?
        }
        Command::CompleteTask { id, .. } | Command::CancelTask { id } => {
            Touched::new(&[Care, Points]).task(tx, *id)?
        }
        Command::ReopenTask { id } => Touched::new(&[Care, Points, Approvals]).task(tx, *id)?,
        Command::CreateRule { .. } | Command::UpdateRule { .. } => Touched::new(&[Rules]),
        // A pending entry is in the queue only: no balance moved.
        Command::RecordPoints { member, .. } if applied.touched.touches(Approvals) => {
            Touched::new(&[Approvals]).member(tx, *member)?
        }
        Command::RecordPoints { member, .. } => Touched::new(&[Points]).member(tx, *member)?,
        Command::ReversePoints { entry, .. } => {
            let mut t = Touched::new(&[Points]);
            t.reversed = Some(*entry);
            match tx.get_id::<PointsEntry>(entry.0)? {
                Some(e) => t.member(tx, e.member)?,
                None => t,
            }
        }
        Command::Redeem { member, .. } => Touched::new(&[Points, Rewards]).member(tx, *member)?,
        Command::CreateReward { .. } | Command::UpdateReward { .. } => Touched::new(&[Rewards]),
        Command::CreateActivity { data } | Command::UpdateActivity { data, .. } => {
            Touched::new(&[Activities])
                .unit(data.host)
                .unit(data.invitees)
        }
        // A check-in's points may wait in the approval queue (the handler
        // says so by touching it); taking attendance back may withdraw them.
        Command::CheckIn { activity, member } if applied.touched.touches(Approvals) => {
            let mut t = Touched::new(&[Attendance, Points, Approvals]).member(tx, *member)?;
            t.activity = Some(*activity);
            t
        }
        Command::RemoveAttendance { activity, member } => {
            let mut t = Touched::new(&[Attendance, Points, Approvals]).member(tx, *member)?;
            t.activity = Some(*activity);
            t
        }
        Command::CheckIn { activity, member }
        | Command::MarkAbsent {
            activity, member, ..
        } => {
            let mut t = Touched::new(&[Attendance, Points]).member(tx, *member)?;
            t.activity = Some(*activity);
            t
        }
        Command::AddUser { .. } | Command::UpdateUser { .. } => Touched::new(&[Users]),
        // Only the audit log changed: nobody's view.
        Command::RecordReveal { .. } => Touched::default(),
        // Grades and who waits for approval may change for everyone.
        Command::SetEvaluationSettings { .. } => Touched::new(&[Approvals, Points]),
        // The handler knows whose entries these were.
        Command::ApprovePoints { .. } | Command::RejectPoints { .. } => applied.touched.clone(),
        // The record is gone by now: the handler said what it was about.
        Command::Uncreate { .. } => applied.touched.clone(),
        Command::MarkUnexcused {
            activity, member, ..
        } => {
            let areas: &[Area] = match applied.touched.touches(Approvals) {
                true => &[Attendance, Points, Approvals],
                false => &[Attendance, Points],
            };
            let mut t = Touched::new(areas).member(tx, *member)?;
            t.activity = Some(*activity);
            t
        }
    })
}
