//! Organisational life and members who move (issue 18): the required
//! frequency of 三会一课, meeting records (minutes, resolutions and votes),
//! branch committees with their terms and elections (换届), transfers, flows
//! of mobile members, lost contact (失联), posts (设岗定责) and the partners
//! an activity was held with. Plain data: what the records are. Their words
//! are in `words`, their rules in `ops`.

use super::{ActivityKind, MemberId, MemberStatus, OrgUnitId, PartnerId};
use super::{FlowId, PostId, TermId, TransferId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

// ---- members who move --------------------------------------------------

/// Which way a member moves: out of this community's organisation or into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    Out,
    In,
}

/// What a transfer letter (组织关系介绍信) says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferData {
    pub date: NaiveDate,
    /// Where the member goes (out) or comes from (in).
    pub counterpart: String,
    /// The letter's number (介绍信编号).
    pub letter: String,
    pub reason: String,
}

/// One dated transfer of a member's organisational relationship (转接). The
/// member is never deleted: their status follows the latest transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub id: TransferId,
    pub member: MemberId,
    pub direction: Direction,
    pub data: TransferData,
    /// The member's status before this transfer, given back if it is undone.
    pub status_before: MemberStatus,
    /// The member's unit at the time, so the record stays where it happened.
    pub unit: OrgUnitId,
    pub recorded_by: String,
}

/// A mobile member's flow (流动党员): out of the community to live or work
/// elsewhere for a while, or in, a member of another organisation living here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowData {
    pub member: MemberId,
    pub direction: Direction,
    pub since: NaiveDate,
    /// When the flow ended (came back, moved on); `None` while it lasts.
    pub until: Option<NaiveDate>,
    /// Where they are (out) or where they come from (in).
    pub place: String,
    /// The party organisation at the other end (流入地/流出地党组织).
    pub party_org: String,
    /// How to reach them, or the other organisation's contact.
    pub contact: String,
    /// How they take part in organisational life meanwhile.
    pub participation: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    pub id: FlowId,
    pub data: FlowData,
}

impl Flow {
    pub fn lasts_on(&self, day: NaiveDate) -> bool {
        self.data.since <= day && self.data.until.is_none_or(|u| u >= day)
    }
}

/// One try to reach a member who lost contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAttempt {
    pub date: NaiveDate,
    pub note: String,
}

/// A member the organisation has lost contact with (失联党员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostContact {
    pub since: NaiveDate,
    pub attempts: Vec<ContactAttempt>,
    /// When contact was found again; the record stays as history.
    pub regained: Option<NaiveDate>,
    pub notes: String,
}

/// A member's lost-contact record, as stored (one per member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostContactRecord {
    pub member: MemberId,
    pub state: LostContact,
}

impl LostContactRecord {
    pub fn lost_on(&self, day: NaiveDate) -> bool {
        self.state.since <= day && self.state.regained.is_none_or(|r| r > day)
    }
}

/// One line of the monthly report's changes sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChangeKind {
    /// 报到: reported to the community.
    Reported,
    TransferIn,
    TransferOut,
    FlowOut,
    FlowIn,
    /// A flow ended (came back, moved on).
    FlowEnded,
    LostContact,
    /// Contact found again.
    Regained,
}

// ---- 三会一课: how often each kind is due ---------------------------------

/// How often a kind of meeting is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Every {
    Month,
    Quarter,
    Year,
}

/// What a unit (or the community, for every unit) requires of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Required {
    /// No setting of its own: the community's, else the shipped default.
    Inherit,
    Never,
    Every(Every),
}

/// A required frequency as stored: for `unit`, or (`None`) the community's
/// setting for every unit of the kind's level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frequency {
    pub unit: Option<OrgUnitId>,
    pub kind: ActivityKind,
    pub required: Required,
}

impl ActivityKind {
    /// The kinds 三会一课 and the theme party day count, in order.
    pub const MEETINGS: [ActivityKind; 5] = [
        ActivityKind::BranchGeneralMeeting,
        ActivityKind::BranchCommitteeMeeting,
        ActivityKind::GroupMeeting,
        ActivityKind::PartyLecture,
        ActivityKind::ThemePartyDay,
    ];

    /// Whether activities of this kind are meetings that keep minutes.
    pub fn is_meeting(self) -> bool {
        Self::MEETINGS.contains(&self)
    }

    /// The level of unit that holds this kind: groups hold 党小组会,
    /// branches the rest.
    pub fn held_by(self) -> super::OrgLevel {
        match self {
            ActivityKind::GroupMeeting => super::OrgLevel::Group,
            _ => super::OrgLevel::Branch,
        }
    }
}

// ---- meeting records ---------------------------------------------------

/// A resolution and how it was voted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub text: String,
    pub votes_for: u32,
    pub against: u32,
    pub abstain: u32,
}

impl Resolution {
    /// Carried by a simple majority of the votes cast.
    pub fn carried(&self) -> bool {
        self.votes_for > self.against + self.abstain
    }
}

/// The record of a meeting: who presided and took the minutes, what it was
/// about, the minutes themselves (many lines) and what it resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub presenter: Option<MemberId>,
    pub recorder: Option<MemberId>,
    pub topics: Vec<String>,
    pub minutes: String,
    pub resolutions: Vec<Resolution>,
}

/// A meeting record as stored, under its activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    pub activity: super::ActivityId,
    pub record: MeetingRecord,
}

/// The partner organisations an activity was held with (联建共建).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPartners {
    pub activity: super::ActivityId,
    pub partners: Vec<PartnerId>,
}

/// Minutes as typed or pasted: many lines, so the one text where a newline
/// is kept. Line ends become `\n`, tabs spaces, each line loses its trailing
/// blanks and the whole its blank lines before and after; every other control
/// character is still refused (it could drive the terminal of whoever reads
/// the minutes), and so is more than `max` characters.
pub fn minutes_text(s: &str, max: usize) -> Result<String, super::validate::ValueError> {
    let mut lines = Vec::new();
    for line in s.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let line = line.replace('\t', "    ");
        super::validate::check_controls(&line)?;
        lines.push(line.trim_end().to_string());
    }
    let text = lines.join("\n").trim_matches('\n').to_string();
    if text.chars().count() > max {
        return Err(super::validate::ValueError::TooLong { max });
    }
    Ok(text)
}

// ---- committees, terms, elections ---------------------------------------

/// A post on a branch (or community) committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CommitteePost {
    /// 书记
    Secretary,
    /// 副书记
    DeputySecretary,
    /// 组织委员
    Organisation,
    /// 宣传委员
    Propaganda,
    /// 纪检委员
    Discipline,
    /// 委员
    Member,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub member: MemberId,
    pub post: CommitteePost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub member: MemberId,
    pub votes: u32,
    pub elected: bool,
}

/// How a committee was elected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Election {
    pub date: NaiveDate,
    /// Members with the right to vote (应到).
    pub eligible: u32,
    /// Ballots cast (实到/收回选票).
    pub cast: u32,
    pub candidates: Vec<Candidate>,
}

/// One committee of a unit for one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermData {
    pub unit: OrgUnitId,
    pub started: NaiveDate,
    /// The term's length in years (a branch committee: 3, a community one: 5).
    pub years: u8,
    pub seats: Vec<Seat>,
    pub election: Option<Election>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub id: TermId,
    pub data: TermData,
    /// When the next committee took over (its `started`); `None`: current.
    pub ended: Option<NaiveDate>,
    /// The term this one followed, current again if this one is undone.
    pub follows: Option<TermId>,
    /// The unit's secretary before this term made its own the unit's.
    pub leader_before: Option<MemberId>,
}

impl Term {
    /// The day the term is due to end (its 换届 date).
    pub fn due(&self) -> NaiveDate {
        self.data
            .started
            .checked_add_months(chrono::Months::new(u32::from(self.data.years) * 12))
            .unwrap_or(self.data.started)
    }

    pub fn secretary(&self) -> Option<MemberId> {
        self.data
            .seats
            .iter()
            .find(|s| s.post == CommitteePost::Secretary)
            .map(|s| s.member)
    }
}

// ---- posts (设岗定责) -----------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostData {
    pub name: String,
    pub responsibilities: String,
    pub active: bool,
}

/// A post in the catalogue; members hold it by name (`MemberData::posts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: PostId,
    pub data: PostData,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_keep_their_lines_and_refuse_other_controls() {
        let m = minutes_text("\r\n一、学习文件\r\n二、讨论\t议题  \n\n", 100).unwrap();
        assert_eq!(m, "一、学习文件\n二、讨论    议题");
        assert!(minutes_text("ok\n\u{1b}[2J", 100).is_err());
        assert!(minutes_text("a\u{202e}b", 100).is_err());
        assert!(minutes_text(&"字".repeat(11), 10).is_err());
    }
}
