//! Access: every read as an actor, decided where the data is.
//!
//! A client never reads a store's trees. It holds a `Session` and asks typed
//! questions (`Query`: the members of a subtree, one member's statement, a
//! ranking, an export…); the process that owns the store's files — this one,
//! or the store's server — answers each through a `View` of the store as the
//! asking actor sees it, with the one rule table of `sight` deciding what is
//! in sight and how much of an ID number or phone leaves. The local and the
//! remote path run the very same answers: a local session answers in-process,
//! a remote one sends the question and the server answers it for the actor it
//! takes from the socket's peer credentials.
//!
//! Writes go the same way: `Session::apply` hands the command to `ops::apply`
//! here or on the server. Change notices are cut to the listener's sight
//! (`notice_for`).

mod activities;
mod care;
mod evaluation;
mod export;
mod members;
mod org;
mod orglife;
mod query;
mod reports;
mod roster;
mod session;
pub mod sight;

pub use activities::{ActivitiesQ, ActivityCounts, ActivityQ, AttendanceQ};
pub use care::{
    BeneficiariesQ, BeneficiaryPairingsQ, BeneficiaryTasksQ, IdlePairedQ, SuggestQ, TaskQ, TasksQ,
    VisitsQ,
};
pub use evaluation::{
    EvaluationQ, EvaluationSettingsQ, MemberYear, MemberYearQ, NoticeQ, PendingQ, PendingRow,
    StatementLine,
};
pub use export::{ExportPart, ExportQ, Journal, JournalQ};
pub use members::{
    BalanceQ, BalancesQ, EntryQ, FindMembersQ, IdMatch, MatchIdNumbersQ, MemberQ, MembersQ,
    MonthlyEarnedQ, ResolveMemberQ, Resolved, StatementQ,
};
pub use org::{
    AuditQ, CheckQ, OrgUnitsQ, PartnersQ, RewardsQ, RuleByCodeQ, RulesQ, SummaryQ, UsersQ,
    VisibleUnitsQ, WhoAmIQ,
};
pub use orglife::{
    ActivityPartnersQ, ChangesQ, FlowsQ, FrequenciesQ, JointQ, LostContactQ, MeetingsQ, MinutesQ,
    Movement, MovementQ, OrgLifeFigureQ, OrgLifeQ, PostHoldersQ, PostsQ, SearchMinutesQ, TermsQ,
};
pub use query::{Query, ReadError, View};
pub use reports::{
    ActivationQ, AttendanceReportQ, BalanceRowsQ, CoverageQ, MonthlyQ, OverviewQ, RankingQ,
    WorkloadQ,
};
pub use roster::{RosterLine, RosterQ, RosterRow, keep_answers};
pub use session::{AsActor, Client, Session, SessionError};
pub use sight::Sight;

use crate::ops::Actor;
use crate::ops::remote::Notice;
use crate::store::{Store, StoreError};

query::reads! {
    OrgUnits(OrgUnitsQ),
    VisibleUnits(VisibleUnitsQ),
    Rules(RulesQ),
    RuleByCode(RuleByCodeQ),
    Rewards(RewardsQ),
    Partners(PartnersQ),
    WhoAmI(WhoAmIQ),
    Users(UsersQ),
    Audit(AuditQ),
    Summary(SummaryQ),
    Check(CheckQ),
    Members(MembersQ),
    Member(MemberQ),
    FindMembers(FindMembersQ),
    ResolveMember(ResolveMemberQ),
    MatchIdNumbers(MatchIdNumbersQ),
    Balances(BalancesQ),
    Balance(BalanceQ),
    Statement(StatementQ),
    Entry(EntryQ),
    MonthlyEarned(MonthlyEarnedQ),
    Beneficiaries(BeneficiariesQ),
    Visits(VisitsQ),
    Tasks(TasksQ),
    BeneficiaryTasks(BeneficiaryTasksQ),
    Task(TaskQ),
    IdlePaired(IdlePairedQ),
    Suggest(SuggestQ),
    Ranking(RankingQ),
    BalanceRows(BalanceRowsQ),
    AttendanceReport(AttendanceReportQ),
    Overview(OverviewQ),
    Activation(ActivationQ),
    Coverage(CoverageQ),
    Workload(WorkloadQ),
    Monthly(MonthlyQ),
    Activities(ActivitiesQ),
    Activity(ActivityQ),
    Attendance(AttendanceQ),
    Export(ExportQ),
    Journal(JournalQ),
    Evaluation(EvaluationQ),
    EvaluationSettings(EvaluationSettingsQ),
    Pending(PendingQ),
    MemberYear(MemberYearQ),
    OrgLife(OrgLifeQ),
    OrgLifeFigure(OrgLifeFigureQ),
    Changes(ChangesQ),
    Flows(FlowsQ),
    LostContact(LostContactQ),
    Movement(MovementQ),
    Minutes(MinutesQ),
    SearchMinutes(SearchMinutesQ),
    Terms(TermsQ),
    Frequencies(FrequenciesQ),
    Posts(PostsQ),
    PostHolders(PostHoldersQ),
    ActivityPartners(ActivityPartnersQ),
    Joint(JointQ),
    Notice(NoticeQ),
    Meetings(MeetingsQ),
    BeneficiaryPairings(BeneficiaryPairingsQ),
    Roster(RosterQ),
}

/// A change notice as `listener` may hear it, or `None` when the change lies
/// outside their sight. Who made the change is told to committee admins and to
/// the one who made it; users' records are admins' business only.
pub fn notice_for(
    store: &Store,
    listener: &Actor,
    notice: &Notice,
) -> Result<Option<Notice>, StoreError> {
    use crate::ops::Area;
    let sight = Sight::of(store, listener)?;
    let t = &notice.touched;
    let admin = sight.is_admin() && listener.scope.is_none();
    let own = notice.login.as_deref() == Some(listener.login.as_str());
    if t.areas.is_empty() || (t.touches(Area::Users) && !admin) {
        return Ok(None);
    }
    // The org tree, activities and the catalogues are everyone's to read.
    let public = t.areas.iter().all(|a| {
        matches!(
            a,
            Area::Org
                | Area::Partners
                | Area::Rules
                | Area::Rewards
                | Area::Activities
                | Area::Posts
        )
    });
    let seen = t.units.iter().any(|u| sight.sees(*u)) || (t.units.is_empty() && sight.sees_all());
    if !public && !seen {
        return Ok(None);
    }
    let mut out = notice.clone();
    if !admin && !own {
        out.login = None;
    }
    Ok(Some(out))
}
