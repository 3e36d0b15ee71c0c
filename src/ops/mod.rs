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
mod command;
pub mod defaults;
mod error;
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
mod uncreate;
mod users;
pub mod words;

pub use authority::Actor;
pub use care::rule_code_for;
pub use command::{Command, Created, Reveal};
pub(crate) use error::{OpResult, forbidden, invalid, not_found, refuse};
pub use error::{OpsError, Said};
pub use members::{ID_ELSEWHERE_EN, ID_ELSEWHERE_ZH};
pub use touch::{Area, Touched};

use crate::domain::validate::ValueError;
use crate::domain::*;
use crate::store::{Abort, Store, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

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

/// What a handler sees: the transaction, who asks, and the time.
pub(crate) struct Ctx<'a> {
    pub tx: &'a Tx<'a>,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    /// What refers to the record an `Uncreate` removes, read before the
    /// transaction (`apply_pending`); `None` in a batch, which refuses it.
    pub dependants: Option<&'a [crate::store::Dependant]>,
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
    if let Command::Uncreate { kind, id } = cmd {
        // What refers to the record takes scans, which a transaction cannot
        // do: read first, holding the writer lock until the commit so that
        // nothing can come to refer to it in between.
        let _writers = store.write_guard();
        let found = uncreate::dependants(store, *kind, *id)?;
        return store.transact_locked(&|tx| apply_in_with(tx, actor, cmd, now, Some(&found)));
    }
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
/// names the command by its position over the whole batch.
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
    apply_in_with(tx, actor, cmd, now, None)
}

fn apply_in_with(
    tx: &Tx,
    actor: &Actor,
    cmd: &Command,
    now: DateTime<Utc>,
    dependants: Option<&[crate::store::Dependant]>,
) -> OpResult<Applied> {
    let ctx = Ctx {
        tx,
        actor,
        now,
        dependants,
    };
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
        Command::Uncreate { kind, id } => uncreate::apply(&ctx, *kind, *id)?,
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
