//! Plain domain types of a community party organisation: org units, members,
//! beneficiaries, pairings, tasks, points, activities, users, audit entries.
//!
//! This layer owns what the records *are* and which values are valid. It does no
//! I/O, knows nothing of sled, bincode or the terminal, and never panics on input.

pub mod date;
pub mod evaluation;
pub mod fields;
pub mod finder;
pub mod orglife;
pub mod os_words;
pub mod points;
pub mod search;
pub mod validate;
pub mod words;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

pub use date::PartialDate;
pub use evaluation::{EvaluationSettings, Grade, PendingEntry};
pub use orglife::*;
pub use points::Points;
pub use words::Lang;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

id_type!(
    /// An org unit: committee, branch or group.
    OrgUnitId,
    PartnerId,
    MemberId,
    BeneficiaryId,
    PairingId,
    TaskId,
    RuleId,
    EntryId,
    RewardId,
    ActivityId,
    AuditId,
    /// A points entry waiting for approval (`evaluation::PendingEntry`).
    PendingId,
    TransferId,
    FlowId,
    TermId,
    PostId,
);

/// The three levels of the community's party organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgLevel {
    /// 社区党委
    Committee,
    /// 党支部
    Branch,
    /// 楼栋党小组
    Group,
}

impl OrgLevel {
    /// The level a child of this level must have, if any.
    pub fn child(self) -> Option<OrgLevel> {
        match self {
            OrgLevel::Committee => Some(OrgLevel::Branch),
            OrgLevel::Branch => Some(OrgLevel::Group),
            OrgLevel::Group => None,
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            OrgLevel::Committee => "community party committee",
            OrgLevel::Branch => "party branch",
            OrgLevel::Group => "building party group",
        }
    }

    /// The level in Chinese (`words`: 社区党委, 党支部, 楼栋党小组).
    pub fn name_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub parent: Option<OrgUnitId>,
    pub level: OrgLevel,
    pub name: String,
    /// Secretary of a committee or branch, leader of a group.
    pub leader: Option<MemberId>,
    /// Buildings a group covers, as people write them ("3", "12号楼").
    pub buildings: Vec<String>,
    pub established: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnerKind {
    /// 驻区单位
    Unit,
    /// 两新组织
    TwoNew,
    Other,
}

/// A party organisation of a unit in the area that builds jointly with the community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub id: PartnerId,
    pub data: PartnerData,
    /// When the partnership ended; a closed partner is kept with its history.
    pub closed: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerData {
    pub name: String,
    pub kind: PartnerKind,
    pub contact: String,
    pub phone: String,
    pub linked_unit: Option<OrgUnitId>,
    /// The date the joint-building agreement was signed.
    pub agreed: Option<NaiveDate>,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MemberCategory {
    /// 在职党员
    OnTheJob,
    /// 离退休党员
    Retired,
    /// 学生党员
    Student,
    /// 流动党员
    Mobile,
    Other,
}

impl MemberCategory {
    pub const ALL: [MemberCategory; 5] = [
        MemberCategory::OnTheJob,
        MemberCategory::Retired,
        MemberCategory::Student,
        MemberCategory::Mobile,
        MemberCategory::Other,
    ];

    /// `words`, in Chinese.
    pub fn name_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }

    /// `words`, in English.
    pub fn name_en(self) -> &'static str {
        self.label(Lang::En)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

/// A member is never deleted; leaving the community is a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberStatus {
    Active,
    TransferredOut,
    Deceased,
}

/// Where someone lives: building, unit (entrance) and room, as written locally.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub building: String,
    pub unit: String,
    pub room: String,
}

impl Address {
    /// `3-2-501`, the form grid workers write and search for.
    pub fn short(&self) -> String {
        [&self.building, &self.unit, &self.room]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// A building as a key for comparing: `3`, `3号楼`, `3栋`, `３幢` and ` 3 # ` are one
/// building. Names that are not numbers (`综合楼`) keep their tidied text.
pub fn building_key(building: &str) -> String {
    let s = validate::normalize_input(building).replace(' ', "");
    let mut t = s.as_str();
    for suffix in ["号楼", "号", "栋", "幢", "楼", "#"] {
        if let Some(rest) = t.strip_suffix(suffix)
            && !rest.is_empty()
            && rest.chars().all(|c| c.is_ascii_digit())
        {
            t = rest;
            break;
        }
    }
    let digits = t.trim_start_matches('0');
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        return if digits.is_empty() {
            "0".into()
        } else {
            digits.into()
        };
    }
    t.to_string()
}

/// The editable fields of a member; `Member` adds identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberData {
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    /// Resident ID number, canonical (upper-case X); may be empty when unknown.
    pub id_number: String,
    pub phone: String,
    pub address: Address,
    /// The group (楼栋党小组) or, failing one, the branch the member belongs to here.
    pub unit: OrgUnitId,
    pub category: MemberCategory,
    /// Work unit / home party organisation for dual management (双重管理).
    pub home_unit: String,
    /// Date the member reported (报到) to the community.
    pub reported: Option<NaiveDate>,
    /// Party records often give only the month (入党时间 1980年7月).
    pub joined: Option<PartialDate>,
    pub full_member: Option<PartialDate>,
    pub skills: Vec<String>,
    /// Posts with responsibilities (设岗定责).
    pub posts: Vec<String>,
    pub status: MemberStatus,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub data: MemberData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BeneficiaryKind {
    /// 独居老人
    ElderlyAlone,
    /// 残疾人
    Disabled,
    /// 困难家庭
    FamilyInDifficulty,
    /// 留守儿童
    LeftBehindChild,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiaryData {
    pub name: String,
    pub address: Address,
    pub kind: BeneficiaryKind,
    pub needs: String,
    pub contact: String,
    /// How often someone should visit, in days.
    pub visit_cycle_days: u32,
    /// The unit responsible (normally the group covering the building).
    pub unit: OrgUnitId,
    pub active: bool,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beneficiary {
    pub id: BeneficiaryId,
    pub data: BeneficiaryData,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing {
    pub id: PairingId,
    pub member: MemberId,
    pub beneficiary: BeneficiaryId,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    /// Why it ended (empty while active, and for pairings ended before the
    /// reason was kept).
    pub end_reason: String,
}

impl Pairing {
    pub fn active(&self) -> bool {
        self.until.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaskKind {
    Visit,
    Care,
    /// 代办
    Errand,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaskStatus {
    Open,
    Done,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub kind: TaskKind,
    pub title: String,
    pub beneficiary: BeneficiaryId,
    /// The member who should do it (normally a paired member).
    pub assignee: MemberId,
    pub due: NaiveDate,
    pub status: TaskStatus,
    pub done_date: Option<NaiveDate>,
    /// Hours spent, in hundredths (so 1.5 h is 150).
    pub hours_centi: u32,
    pub outcome: String,
    /// The points entry awarded on completion, reversed if completion is undone.
    pub award: Option<EntryId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RuleBasis {
    PerHour,
    PerTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CapPeriod {
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsRule {
    pub id: RuleId,
    /// Short code typed at the keyboard and in files, e.g. `VOL`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub basis: RuleBasis,
    /// Points per hour or per time.
    pub points: Points,
    pub cap: Option<(CapPeriod, Points)>,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntrySource {
    Manual,
    Activity(ActivityId),
    Task(TaskId),
    Redemption(RewardId),
}

/// One line of the append-only points ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsEntry {
    pub id: EntryId,
    pub member: MemberId,
    /// The member's unit when the entry was made: unit totals stay where they were
    /// earned when a member moves.
    pub unit: OrgUnitId,
    /// The date the service was given (or the reward redeemed).
    pub date: NaiveDate,
    pub rule: Option<RuleId>,
    /// Hours or count, in hundredths.
    pub quantity_centi: u32,
    pub points: Points,
    /// Why the points differ from the rule's, when they do.
    pub override_reason: String,
    pub note: String,
    pub source: EntrySource,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// The entry this one reverses, for corrections.
    pub reverses: Option<EntryId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub id: RewardId,
    pub name: String,
    pub cost: Points,
    /// Remaining stock, when the item is counted.
    pub stock: Option<u32>,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityKind {
    /// 支部党员大会
    BranchGeneralMeeting,
    /// 支部委员会
    BranchCommitteeMeeting,
    /// 党小组会
    GroupMeeting,
    /// 党课
    PartyLecture,
    /// 主题党日
    ThemePartyDay,
    VolunteerService,
    Study,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityData {
    pub kind: ActivityKind,
    pub title: String,
    pub host: OrgUnitId,
    pub starts: NaiveDateTime,
    pub place: String,
    pub rule: Option<RuleId>,
    /// Invited: members of this subtree (the host by default).
    pub invitees: OrgUnitId,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: ActivityId,
    pub data: ActivityData,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Presence {
    Present {
        checked_in: DateTime<Utc>,
        /// The points entry the attendance awarded, if the activity carries a rule.
        award: Option<EntryId>,
    },
    /// Excused (请假), with the reason.
    Absent { reason: String },
    /// Unexcused (无故缺席): the activity's date as it was when marked (the
    /// evaluation counts absences by year) and the deduction it applied.
    Unexcused {
        date: NaiveDate,
        deduction: Option<EntryId>,
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub activity: ActivityId,
    pub member: MemberId,
    pub presence: Presence,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    CommitteeAdmin,
    BranchSecretary,
    /// Group leader or grid worker: works within one group.
    GroupLeader,
    Viewer,
}

impl Role {
    /// The role as `--role` takes it (`words`).
    pub fn name_en(self) -> &'static str {
        self.label(Lang::En)
    }

    /// `words`, in Chinese.
    pub fn name_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }
}

/// A dangjian user: the OS login that runs the program, with a role and a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The org subtree the user works in; `None` means the whole community.
    pub scope: Option<OrgUnitId>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    pub login: String,
    /// The command's kind, e.g. `CreateMember`.
    pub command: String,
    /// One line a person can read: what changed.
    pub summary: String,
    /// The record it was about as people name it (`Applied::subject`), so
    /// the log reads in either language: the command's words and this.
    /// Empty in entries written before it was kept.
    pub subject: String,
    /// Each changed field with its value before and after (empty before for
    /// something new). ID numbers are kept whole here and masked wherever
    /// the log is shown (`mask_id_numbers`).
    pub changes: Vec<FieldChange>,
}

/// One field a command changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field's path in the record, e.g. `data.phone`.
    pub field: String,
    pub before: String,
    pub after: String,
}

impl AuditEntry {
    /// Masks the ID numbers among the changed values, for showing the log.
    pub fn mask_id_numbers(&mut self) {
        for c in &mut self.changes {
            if c.field.ends_with("id_number") {
                c.before = validate::mask_id_number(&c.before);
                c.after = validate::mask_id_number(&c.after);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::building_key;

    #[test]
    fn building_key_treats_the_ways_people_write_a_building_as_one() {
        for b in ["3", "3号楼", "3栋", "３幢", " 3 # ", "03号", "3楼"] {
            assert_eq!(building_key(b), "3", "{b}");
        }
        assert_eq!(building_key("综合楼"), "综合楼");
        assert_eq!(building_key("12号楼"), "12");
        assert_ne!(building_key("12"), building_key("1"));
        assert_eq!(building_key(""), "");
    }
}
