//! The command line as clap parses it: the global flags (`Cli`), every
//! subcommand (`Cmd`) and the reports (`ReportCmd`). Dispatch is `cli::run`.

use super::*;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "dangjian",
    version,
    about = "社区党建 — community party work in the terminal"
)]
pub struct Cli {
    /// Store directory (default: `store` under the user's data directory).
    #[arg(long, global = true, env = "DANGJIAN_STORE")]
    pub store: Option<PathBuf>,
    /// Interface language: zh-CN or en (default: from LANG).
    #[arg(long, global = true, value_parser = ["zh-CN", "en"])]
    pub lang: Option<String>,
    /// Store cache in MiB; small by default for old PCs.
    #[arg(long, global = true, env = "DANGJIAN_CACHE_MB", default_value_t = 32)]
    pub cache_mb: u64,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Write a sample community into a store (default: the separate `demo` store).
    Demo {
        #[arg(long, default_value_t = 300)]
        members: usize,
        /// Points ledger entries to generate (default: 8 per member).
        #[arg(long)]
        entries: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Open the TUI on the store afterwards.
        #[arg(long)]
        open: bool,
        /// Replace whatever the store holds.
        #[arg(long)]
        force: bool,
    },
    /// Re-derive every index and balance from the records and compare.
    Check,
    /// Reports.
    Report {
        #[command(subcommand)]
        what: ReportCmd,
    },
    /// dangjian users (OS logins with a role and scope).
    Users {
        #[command(subcommand)]
        what: users::UsersCmd,
    },
    /// The organisation tree: committee, branches, building groups.
    Org {
        #[command(subcommand)]
        what: org::OrgCmd,
    },
    /// Service points: record, reverse, rules, statements.
    Points {
        #[command(subcommand)]
        what: points::PointsCmd,
    },
    /// The points rules catalogue (committee admins).
    Rules {
        #[command(subcommand)]
        what: catalogue::RulesCmd,
    },
    /// The rewards catalogue and redemptions (积分超市).
    Rewards {
        #[command(subcommand)]
        what: catalogue::RewardsCmd,
    },
    /// Activities (三会一课, theme party days, volunteer service, study).
    Activities {
        #[command(subcommand)]
        what: activities::ActivitiesCmd,
    },
    /// Check a member in to an activity (awards its points).
    Checkin {
        /// Activity id (`dangjian activities list`).
        activity: u64,
        /// Member id or name (pinyin works too).
        member: String,
    },
    /// Record a member absent from an activity: excused (请假, --reason) or
    /// --unexcused (无故缺席, applies the absence deduction rule).
    Absent {
        /// Activity id (`dangjian activities list`).
        activity: u64,
        /// Member id or name (pinyin works too).
        member: String,
        #[arg(long)]
        unexcused: bool,
        /// Why (required for an excused absence).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// The yearly evaluation's settings (base, grades, approval, deductions, caps).
    Evaluation {
        #[command(subcommand)]
        what: points_eval::EvaluationCmd,
    },
    /// Pairing-assistance tasks: list open or overdue ones, complete one.
    Tasks {
        #[command(subcommand)]
        what: care::TasksCmd,
    },
    /// Export members, beneficiaries, the ledger, tasks, attendance, the org tree
    /// or pairings (CSV or Excel).
    Export {
        #[command(subcommand)]
        what: io::ExportCmd,
    },
    /// Own the store and serve every other dangjian on it through a socket
    /// beside it (STORE.server/socket), so several people work at once.
    Serve {
        /// The group whose members may connect (socket directory 0750,
        /// socket 0660, both given to this group).
        #[arg(long)]
        group: Option<String>,
        /// Seconds a connection may ask nothing before it is closed.
        #[arg(long, hide = true, default_value_t = 900)]
        idle_timeout: u64,
        /// Seconds the rest of a begun request may take to arrive.
        #[arg(long, hide = true, default_value_t = 10)]
        read_timeout: u64,
        /// Started automatically by another dangjian (see `cli::served`):
        /// says on standard output when it listens, lingers, then stops.
        #[arg(long, hide = true)]
        auto: bool,
        /// With --auto: seconds to stay with nobody connected (0: stop when
        /// the last client leaves).
        #[arg(long, hide = true, default_value_t = 300)]
        linger: u64,
    },
    /// Who changed what, and when (committee admins see everyone's changes).
    Audit(audit::AuditArgs),
    /// Import members or beneficiaries from an Excel (.xlsx) or CSV file.
    Import {
        #[command(subcommand)]
        what: io::ImportCmd,
    },
    /// Write a consistent snapshot of the whole store to FILE, sealed with a
    /// passphrase (committee admins; works while `dangjian serve` runs).
    Backup(backup::BackupArgs),
    /// Rebuild a store from a backup into --store NEW (a new or empty directory).
    Restore(backup::RestoreArgs),
    /// 三会一课: how often each is due, meeting records (minutes, votes),
    /// printable minutes, search by topic, partners of a meeting.
    Meetings {
        #[command(subcommand)]
        what: orglife::MeetingsCmd,
    },
    /// A branch's committees and elections (换届).
    Committee {
        #[command(subcommand)]
        what: orglife::CommitteeCmd,
    },
    /// Transfers of members' organisational relationship out and in.
    Transfer {
        #[command(subcommand)]
        what: movement::TransferCmd,
    },
    /// Flow registers of mobile members (流出 / 流入).
    Flows {
        #[command(subcommand)]
        what: movement::FlowsCmd,
    },
    /// Members out of contact (失联).
    Lost {
        #[command(subcommand)]
        what: movement::LostCmd,
    },
    /// Partner organisations (联建共建).
    Partners {
        #[command(subcommand)]
        what: partners::PartnersCmd,
    },
    /// Posts with responsibilities (设岗定责) and who holds them.
    Posts {
        #[command(subcommand)]
        what: partners::PostsCmd,
    },
    /// Write a messy sample roster (for benchmarks and tests).
    #[command(hide = true)]
    DemoRoster(io::DemoRosterArgs),
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Counts of each record kind, org units per level, members per category.
    Summary {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Per member: points earned in the period and redeemable balance.
    Balances(points::BalancesArgs),
    /// Members by points earned in the period, most first.
    Ranking(points::RankingArgs),
    /// Per member and per branch: activities invited to, attended, and the rate.
    Attendance(activities::AttendanceArgs),
    /// Per beneficiary: last visit, days since, next due, and whether overdue.
    Visits(care::VisitsArgs),
    /// By member category: reported, served, average and median points, idle
    /// all year; and the served share month by month.
    Activation(overview::ActivationArgs),
    /// Buildings and members covered by a group; groups, branches and
    /// beneficiaries missing their leader, secretary or pairing.
    Coverage(overview::ScopeArgs),
    /// Open and overdue pairing tasks and overdue visits, per group.
    Workload(overview::ScopeArgs),
    /// The monthly report for the superior organisation, one .xlsx with a
    /// sheet per section.
    Monthly(overview::MonthlyArgs),
    /// The yearly evaluation: each member's score and grade and how they were
    /// reached (--nominations: the 优秀党员 candidates).
    Evaluation(points_eval::EvaluationArgs),
    /// The public notice (公示) of a unit's evaluation, as a printable .xlsx.
    Notice(points_eval::NoticeArgs),
    /// 三会一课 held against due per branch and group, with the missed ones.
    Orglife(orglife::OrgLifeArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}
