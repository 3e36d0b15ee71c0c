//! Every change to a store is a `Command`, applied by `apply`: validate the values,
//! check the actor's authority, then write records, indexes, balances and one
//! audit entry in a single sled transaction, and make it durable before saying
//! it is done. Nothing else in the program writes to the store. Reads are plain
//! functions in `query`.

mod absence;
mod activities;
mod approval;
mod authority;
mod award;
mod care;
mod changes;
pub mod defaults;
mod evaluation;
mod members;
mod movement;
mod org;
mod orglife;
mod partners;
mod points;
pub mod query;
pub mod remote;
mod reveal;
mod touch;
mod users;
pub mod words;

pub use authority::Actor;
pub use care::rule_code_for;
pub use members::{ID_ELSEWHERE_EN, ID_ELSEWHERE_ZH};
pub use touch::{Area, Touched};

use crate::domain::validate::ValueError;
use crate::domain::*;
use crate::store::{Abort, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
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
        }
    }
}

/// What a command did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    /// The id of the record it created, if it created one.
    pub created: Option<u64>,
    /// One line a person can read, also written to the audit log.
    pub summary: String,
    /// The record the command was about, as people name it: `张三 (12)`, a
    /// rule's code, a login; empty when it is about no one record. Data, not
    /// words, so it reads the same in either language beside the command's
    /// own words (`ops::words`).
    pub subject: String,
    /// The command that undoes this one, when there is one.
    pub inverse: Option<Command>,
    /// What it touched: what to reload, and who may hear of it.
    pub touched: Touched,
}

/// A message in both interface languages. It prints as English (the CLI's
/// default, the audit log's language); the TUI and `--lang zh-CN` pick `zh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub en: String,
    pub zh: String,
}

impl Said {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Said {
        Said {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// Why a command was refused. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error("{field}: {error}")]
    Invalid {
        field: &'static str,
        error: ValueError,
    },
    #[error("{0}")]
    Refused(Said),
    #[error("not found: {0}")]
    NotFound(Said),
    #[error("not allowed: {0}")]
    Forbidden(Said),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("command {index} of the batch ({kind}) was refused, nothing was written: {error}")]
    Batch {
        index: usize,
        kind: &'static str,
        error: Box<OpsError>,
    },
}

impl From<OpsError> for Abort<OpsError> {
    fn from(e: OpsError) -> Self {
        Abort::Refused(e)
    }
}

pub(crate) type OpResult<T> = Result<T, Abort<OpsError>>;

impl OpsError {
    /// The message in Chinese (`zh`) or English.
    pub fn in_lang(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            OpsError::Invalid { field, error } => format!("{}：{}", field_zh(field), error.zh()),
            OpsError::Refused(s) => s.zh.clone(),
            OpsError::NotFound(s) => format!("找不到{}", s.zh),
            OpsError::Forbidden(s) => format!("没有权限：{}", s.zh),
            OpsError::Store(e) => e.in_lang(true),
            OpsError::Batch { index, error, .. } => {
                format!(
                    "第 {index} 条命令被拒绝，未写入任何内容：{}",
                    error.in_lang(true)
                )
            }
        }
    }
}

/// Field names as the validation errors use them, in Chinese.
fn field_zh(field: &str) -> &str {
    match field {
        "name" => "姓名",
        "phone" => "电话",
        "ID number" => "身份证号",
        "birth date" => "出生日期",
        "reported date" => "报到日期",
        "join date" => "入党日期",
        "full-membership date" => "转正日期",
        "notes" => "备注",
        "building" => "楼栋",
        "entrance" => "单元",
        "room" => "房号",
        "home unit" => "工作单位",
        "contact" => "联系人",
        "contact phone" => "联系电话",
        "needs" => "需求",
        "skills" => "特长",
        "posts" => "岗位",
        "buildings" => "楼栋",
        "title" => "标题",
        "place" => "地点",
        "reason" => "原因",
        "note" => "备注",
        "outcome" => "情况记录",
        "hours" => "小时",
        "count" => "次数",
        "date" => "日期",
        "done date" => "完成日期",
        "override reason" => "改分原因",
        "Chinese name" => "中文名称",
        "English name" => "英文名称",
        "display name" => "显示名",
        "counterpart" => "对方组织",
        "letter number" => "介绍信编号",
        "party organisation" => "党组织",
        "participation" => "参加组织生活方式",
        "topic" => "议题",
        "resolution" => "决议",
        "minutes" => "会议记录",
        "responsibilities" => "岗位职责",
        other => other,
    }
}

pub(crate) fn refuse<T>(en: impl Into<String>, zh: impl Into<String>) -> OpResult<T> {
    Err(Abort::Refused(OpsError::Refused(Said::new(en, zh))))
}

pub(crate) fn forbidden(en: impl Into<String>, zh: impl Into<String>) -> Abort<OpsError> {
    Abort::Refused(OpsError::Forbidden(Said::new(en, zh)))
}

pub(crate) fn not_found<T>(en: impl Into<String>, zh: impl Into<String>) -> OpResult<T> {
    Err(Abort::Refused(OpsError::NotFound(Said::new(en, zh))))
}

pub(crate) fn invalid<T>(field: &'static str, error: ValueError) -> OpResult<T> {
    Err(Abort::Refused(OpsError::Invalid { field, error }))
}

/// What a handler sees: the transaction, who asks, and the time.
pub(crate) struct Ctx<'a> {
    pub tx: &'a Tx<'a>,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&chrono::Local).date_naive()
    }

    /// Whether `unit` lies within what the actor may read (their scope).
    pub fn sees(&self, unit: OrgUnitId) -> OpResult<bool> {
        match self.actor.scope {
            None => Ok(true),
            Some(scope) => authority::within_tx(self.tx, unit, scope),
        }
    }
}

/// Applies one command and makes it durable; returns only after an fsync.
/// (A process that reaches the store through its server sends the command
/// instead: `access::Session::apply`.)
pub fn apply(store: &Store, actor: &Actor, cmd: &Command) -> Result<Applied, OpsError> {
    let applied = apply_pending(store, actor, cmd)?;
    store.sync()?;
    Ok(applied)
}

/// As `apply`, without the fsync: the change is visible but not yet durable.
/// Only for a caller that syncs before it tells anyone (the server's group
/// commit: many clients' commands, then one `sync`, then every answer).
pub fn apply_pending(store: &Store, actor: &Actor, cmd: &Command) -> Result<Applied, OpsError> {
    let now = Utc::now();
    store.transact(|tx| apply_in(tx, actor, cmd, now))
}

/// Group commit: applies every command in one transaction and one fsync. All or
/// nothing: if any command is refused, none is written and the error names it.
/// Checks that read the committed store (a unit being closed while the same batch
/// adds members to it) do not see the batch's own earlier writes.
pub fn apply_batch(
    store: &Store,
    actor: &Actor,
    cmds: &[Command],
) -> Result<Vec<Applied>, OpsError> {
    let applied = apply_batch_pending(store, actor, cmds)?;
    store.sync()?;
    Ok(applied)
}

/// As `apply_batch`, without the fsync (see `apply_pending`).
pub fn apply_batch_pending(
    store: &Store,
    actor: &Actor,
    cmds: &[Command],
) -> Result<Vec<Applied>, OpsError> {
    let now = Utc::now();
    store.transact(|tx| {
        run_batch(tx, actor, now, &|done: &[Applied]| {
            done.is_empty().then(|| cmds.to_vec())
        })
    })
}

/// As `apply_batch`, for commands that need the ids earlier ones create (an
/// import's new units, then the members that go in them): `next` is given
/// what was applied so far and returns the next commands, or `None` when
/// there are no more. One transaction, one fsync, all or nothing; a refusal
/// names the command by its position over the whole batch. `next` may run
/// again if sled retries the transaction, so it must be a pure function.
pub fn apply_batch_with(
    store: &Store,
    actor: &Actor,
    next: &dyn Fn(&[Applied]) -> Option<Vec<Command>>,
) -> Result<Vec<Applied>, OpsError> {
    let now = Utc::now();
    let applied = store.transact(|tx| run_batch(tx, actor, now, next))?;
    store.sync()?;
    Ok(applied)
}

fn run_batch(
    tx: &Tx,
    actor: &Actor,
    now: DateTime<Utc>,
    next: &dyn Fn(&[Applied]) -> Option<Vec<Command>>,
) -> Result<Vec<Applied>, Abort<OpsError>> {
    let mut out: Vec<Applied> = Vec::new();
    while let Some(cmds) = next(&out) {
        if cmds.is_empty() {
            break;
        }
        for cmd in &cmds {
            let index = out.len();
            match apply_in(tx, actor, cmd, now) {
                Ok(a) => out.push(a),
                Err(Abort::Refused(error)) => {
                    return Err(Abort::Refused(OpsError::Batch {
                        index,
                        kind: cmd.kind(),
                        error: Box::new(error),
                    }));
                }
                Err(other) => return Err(other),
            }
        }
    }
    Ok(out)
}

fn apply_in(tx: &Tx, actor: &Actor, cmd: &Command, now: DateTime<Utc>) -> OpResult<Applied> {
    let ctx = Ctx { tx, actor, now };
    actor.require_writer()?;
    let applied = match cmd {
        Command::CreateOrgUnit { .. }
        | Command::UpdateOrgUnit { .. }
        | Command::MoveOrgUnit { .. }
        | Command::CloseOrgUnit { .. }
        | Command::ReopenOrgUnit { .. }
        | Command::CreatePartner { .. }
        | Command::UpdatePartner { .. } => org::apply(&ctx, cmd)?,
        Command::ClosePartner { .. }
        | Command::ReopenPartner { .. }
        | Command::SetActivityPartners { .. } => partners::apply(&ctx, cmd)?,
        Command::RecordTransfer { .. }
        | Command::RemoveTransfer { .. }
        | Command::RecordFlow { .. }
        | Command::UpdateFlow { .. }
        | Command::RemoveFlow { .. }
        | Command::SetLostContact { .. } => movement::apply(&ctx, cmd)?,
        Command::SetFrequency { .. }
        | Command::SetMeetingRecord { .. }
        | Command::RecordTerm { .. }
        | Command::RemoveTerm { .. }
        | Command::CreatePost { .. }
        | Command::UpdatePost { .. }
        | Command::AssignPost { .. } => orglife::apply(&ctx, cmd)?,
        Command::CreateMember { .. }
        | Command::UpdateMember { .. }
        | Command::SetMemberStatus { .. } => members::apply(&ctx, cmd)?,
        Command::CreateBeneficiary { .. }
        | Command::UpdateBeneficiary { .. }
        | Command::CreatePairing { .. }
        | Command::EndPairing { .. }
        | Command::ReopenPairing { .. }
        | Command::CreateTask { .. }
        | Command::UpdateTask { .. }
        | Command::CompleteTask { .. }
        | Command::CancelTask { .. }
        | Command::ReopenTask { .. } => care::apply(&ctx, cmd)?,
        Command::CreateRule { .. }
        | Command::UpdateRule { .. }
        | Command::RecordPoints { .. }
        | Command::ReversePoints { .. }
        | Command::Redeem { .. }
        | Command::CreateReward { .. }
        | Command::UpdateReward { .. } => points::apply(&ctx, cmd)?,
        Command::CreateActivity { .. }
        | Command::UpdateActivity { .. }
        | Command::CheckIn { .. }
        | Command::MarkAbsent { .. }
        | Command::RemoveAttendance { .. } => activities::apply(&ctx, cmd)?,
        Command::AddUser { .. } | Command::UpdateUser { .. } => users::apply(&ctx, cmd)?,
        Command::RecordReveal { what } => reveal::apply(&ctx, what)?,
        Command::SetEvaluationSettings { .. } => evaluation::apply(&ctx, cmd)?,
        Command::ApprovePoints { .. } | Command::RejectPoints { .. } => approval::apply(&ctx, cmd)?,
        Command::MarkUnexcused { .. } => absence::apply(&ctx, cmd)?,
    };
    let applied = Applied {
        touched: touch::touched(tx, cmd, &applied)?,
        ..applied
    };
    let id = tx.next_id("audit")?;
    tx.put(&AuditEntry {
        id: AuditId(id),
        at: now,
        login: actor.login.clone(),
        command: cmd.kind().to_string(),
        summary: applied.summary.clone(),
        subject: applied.subject.clone(),
        changes: changes::between(cmd, applied.inverse.as_ref()),
    })?;
    Ok(applied)
}

/// The actor for an OS login. A store with no users yet makes its first user the
/// committee admin (through an audited `AddUser`), so whoever creates a store
/// owns it, and installs the default points rules.
///
/// (Through a server, the server says who a connection is, from the socket's
/// peer credentials: `access::Session`.)
pub fn actor_for_login(store: &Store, login: &str) -> Result<Actor, OpsError> {
    // `try_count_of`: users that cannot be read are an error, never "no
    // users yet", which would make whoever runs dangjian its admin.
    if store.try_count_of::<User>()? == 0 {
        let founder = Actor::founder(login);
        let mut cmds = vec![Command::AddUser {
            login: login.to_string(),
            display_name: login.to_string(),
            role: Role::CommitteeAdmin,
            scope: None,
        }];
        if store.try_count_of::<PointsRule>()? == 0 {
            cmds.extend(defaults::default_rule_commands());
        }
        apply_batch(store, &founder, &cmds)?;
        return Ok(founder);
    }
    match store.user(login)? {
        Some(user) if user.active => Ok(Actor::from_user(&user)),
        Some(_) => Err(OpsError::Forbidden(Said::new(
            format!("the dangjian user `{login}` is deactivated; ask a committee admin"),
            format!("党建用户 `{login}` 已停用，请联系党委管理员"),
        ))),
        None => Err(OpsError::Forbidden(Said::new(
            format!(
                "`{login}` is not a dangjian user of this store; a committee admin can add you \
                 with `dangjian users add {login} --role ROLE`"
            ),
            format!(
                "`{login}` 不是本库的用户；请党委管理员运行 `dangjian users add {login} --role 角色` 添加"
            ),
        ))),
    }
}

/// A building, entrance or room as typed with a Chinese IME: full-width digits
/// and letters made ASCII, so `３` and `3` are the same building.
pub(crate) fn address_text(field: &'static str, s: &str, max: usize) -> OpResult<String> {
    optional_text(field, &crate::domain::validate::normalize_input(s), max)
}

/// Trims a text field and refuses it when empty or longer than `max` characters.
pub(crate) fn required_text(field: &'static str, s: &str, max: usize) -> OpResult<String> {
    if let Err(e) = crate::domain::validate::check_controls(s) {
        return invalid(field, e);
    }
    let t = crate::domain::validate::tidy_text(s);
    if t.is_empty() {
        return invalid(field, ValueError::Required);
    }
    if t.chars().count() > max {
        return invalid(field, ValueError::TooLong { max });
    }
    Ok(t)
}

pub(crate) fn optional_text(field: &'static str, s: &str, max: usize) -> OpResult<String> {
    // Never stored: a control character could drive the terminal of whoever
    // views the record, a bidi override make it read other than it is.
    if let Err(e) = crate::domain::validate::check_controls(s) {
        return invalid(field, e);
    }
    let t = crate::domain::validate::tidy_text(s);
    if t.chars().count() > max {
        return invalid(field, ValueError::TooLong { max });
    }
    Ok(t)
}
