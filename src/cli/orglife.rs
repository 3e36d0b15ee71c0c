//! `meetings frequency|set-frequency|record|show|search|partners`,
//! `committee show|elect|undo` and `report orglife`: 三会一课 from the
//! command line — what is due, the record of each meeting (printable), the
//! partners it was held with, a unit's committees and elections, and held
//! against due for a period.

use super::movement::{date_or_today, done};
use super::points::{ReportFormat, member_arg, pad};
use crate::access::{
    FrequenciesQ, MinutesQ, OrgLifeFigureQ, OrgLifeQ, SearchMinutesQ, Session, TermsQ,
};
use crate::domain::*;
use crate::ops::Command;
use crate::report::period::Period;
use anyhow::{Context as _, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// The kinds of 三会一课 and the theme party day, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MeetingArg {
    /// 支部党员大会
    General,
    /// 支部委员会
    Committee,
    /// 党小组会
    Group,
    /// 党课
    Lecture,
    /// 主题党日
    ThemeDay,
}

impl From<MeetingArg> for ActivityKind {
    fn from(k: MeetingArg) -> ActivityKind {
        match k {
            MeetingArg::General => ActivityKind::BranchGeneralMeeting,
            MeetingArg::Committee => ActivityKind::BranchCommitteeMeeting,
            MeetingArg::Group => ActivityKind::GroupMeeting,
            MeetingArg::Lecture => ActivityKind::PartyLecture,
            MeetingArg::ThemeDay => ActivityKind::ThemePartyDay,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EveryArg {
    Month,
    Quarter,
    Year,
    /// Not required.
    Never,
    /// Back to the community's setting (or, for the community, the default).
    Default,
}

impl From<EveryArg> for Required {
    fn from(e: EveryArg) -> Required {
        match e {
            EveryArg::Month => Required::Every(Every::Month),
            EveryArg::Quarter => Required::Every(Every::Quarter),
            EveryArg::Year => Required::Every(Every::Year),
            EveryArg::Never => Required::Never,
            EveryArg::Default => Required::Inherit,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MinutesFormat {
    Text,
    Xlsx,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum MeetingsCmd {
    /// How often each kind is due for a unit (or the community's settings).
    Frequency {
        #[arg(long)]
        org: Option<u64>,
    },
    /// Set how often a kind is due, for one unit or (no --org) every unit
    /// (committee admins).
    SetFrequency {
        #[arg(value_enum)]
        kind: MeetingArg,
        #[arg(value_enum)]
        every: EveryArg,
        #[arg(long)]
        org: Option<u64>,
    },
    /// Record (or replace) a meeting's record: presenter, recorder, topics,
    /// minutes and resolutions with their votes.
    Record(RecordArgs),
    /// A meeting's record, to read or print.
    Show {
        activity: u64,
        #[arg(long, value_enum, default_value_t = MinutesFormat::Text)]
        format: MinutesFormat,
        /// The file for --format xlsx.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Meetings whose topics or minutes mention TEXT.
    Search { text: String },
    /// The partner organisations a meeting or activity was held with
    /// (ids from `partners list`; none to clear).
    Partners { activity: u64, partners: Vec<u64> },
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    activity: u64,
    /// 主持人: member id or name.
    #[arg(long)]
    presenter: Option<String>,
    /// 记录人: member id or name.
    #[arg(long)]
    recorder: Option<String>,
    /// A topic (repeat for each).
    #[arg(long = "topic")]
    topics: Vec<String>,
    /// The minutes, as text (newlines kept).
    #[arg(long, conflicts_with = "minutes_file")]
    minutes: Option<String>,
    /// The minutes from a UTF-8 text file.
    #[arg(long)]
    minutes_file: Option<PathBuf>,
    /// A resolution with its votes: `TEXT=FOR/AGAINST/ABSTAIN` (repeat).
    #[arg(long = "resolution")]
    resolutions: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CommitteeCmd {
    /// A unit's committees, the current one first, with their elections.
    Show {
        unit: u64,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Record a new committee (换届): the current one ends that day, and the
    /// secretary becomes the unit's.
    Elect(ElectArgs),
    /// Take back the current committee recorded by mistake.
    Undo { unit: u64, term: u64 },
}

#[derive(Debug, Args)]
pub struct ElectArgs {
    unit: u64,
    /// The day the committee took office (default today).
    #[arg(long)]
    date: Option<String>,
    /// The term in years.
    #[arg(long, default_value_t = 3)]
    years: u8,
    /// A seat: `MEMBER=POST`, POST one of secretary, deputy, organisation,
    /// propaganda, discipline, member (repeat).
    #[arg(long = "seat")]
    seats: Vec<String>,
    /// Members with the right to vote.
    #[arg(long, requires = "cast")]
    eligible: Option<u32>,
    /// Ballots cast.
    #[arg(long, requires = "eligible")]
    cast: Option<u32>,
    /// A candidate and votes: `MEMBER=VOTES`, `*` after the votes if elected
    /// (`张三=41*`; repeat).
    #[arg(long = "candidate")]
    candidates: Vec<String>,
    #[arg(long, default_value = "")]
    notes: String,
}

#[derive(Debug, Args)]
pub struct OrgLifeArgs {
    /// 2026-11, 2026-Q4, 2026 or FROM..TO (default: this year).
    #[arg(long)]
    period: Option<String>,
    #[arg(long)]
    org: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Also write the table to this .xlsx file.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

/// The organisational-life and movement subcommands of `Cmd`.
pub fn dispatch(s: &Session, cmd: &super::Cmd, zh: bool) -> anyhow::Result<ExitCode> {
    use super::Cmd;
    match cmd {
        Cmd::Meetings { what } => meetings(s, what, zh),
        Cmd::Committee { what } => committee(s, what, zh),
        Cmd::Transfer { what } => super::movement::transfer(s, what, zh),
        Cmd::Flows { what } => super::movement::flows(s, what, zh),
        Cmd::Lost { what } => super::movement::lost(s, what, zh),
        Cmd::Partners { what } => super::partners::partners(s, what, zh),
        Cmd::Posts { what } => super::partners::posts(s, what, zh),
        _ => bail!("not an organisational-life command"),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn meetings(s: &Session, cmd: &MeetingsCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let l = Lang::of_zh(zh);
    match cmd {
        MeetingsCmd::Frequency { org } => {
            for (kind, set, every) in s.ask(FrequenciesQ(org.map(OrgUnitId)))? {
                outln!(
                    "{}  {}  {}",
                    pad(kind.label(l), 26),
                    pad(every.map_or(Required::Never.label(l), |e| e.label(l)), 12),
                    set.label(l)
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        MeetingsCmd::SetFrequency { kind, every, org } => {
            done(&s.apply(&Command::SetFrequency {
                unit: org.map(OrgUnitId),
                kind: (*kind).into(),
                required: (*every).into(),
            })?)
        }
        MeetingsCmd::Record(a) => record(s, a),
        MeetingsCmd::Show {
            activity,
            format,
            output,
        } => {
            let Some(m) = s.ask(MinutesQ(ActivityId(*activity)))? else {
                bail!(
                    "activity {activity} has no record yet; `meetings record {activity}` adds one"
                );
            };
            match format {
                MinutesFormat::Text => outln!("{}", crate::io::orglife::minutes_text(&m, zh))?,
                MinutesFormat::Json => outln!("{}", serde_json::to_string_pretty(&m)?)?,
                MinutesFormat::Xlsx => {
                    let Some(path) = output else {
                        bail!("--format xlsx needs --output FILE.xlsx");
                    };
                    let t = crate::io::orglife::minutes_table(&m, zh);
                    let bytes = crate::io::xlsx::xlsx_book(&[t])?;
                    crate::io::atomic::write_bytes(path, &bytes)?;
                    outln!("written to {}", path.display())?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        MeetingsCmd::Search { text } => {
            let found = s.ask(SearchMinutesQ(text.clone()))?;
            for (a, topics) in &found {
                outln!(
                    "{:>6}  {}  {}  {}",
                    a.id.0,
                    a.data.starts.format("%Y-%m-%d"),
                    pad(&a.data.title, 24),
                    topics.join(if zh { "、" } else { "; " })
                )?;
            }
            outln!("{} {}", found.len(), l.pick("meetings", "次会议"))?;
            Ok(ExitCode::SUCCESS)
        }
        MeetingsCmd::Partners { activity, partners } => {
            done(&s.apply(&Command::SetActivityPartners {
                activity: ActivityId(*activity),
                partners: partners.iter().map(|p| PartnerId(*p)).collect(),
            })?)
        }
    }
}

/// `TEXT=FOR/AGAINST/ABSTAIN`, the text possibly holding `=` itself.
fn resolution_arg(text: &str) -> anyhow::Result<Resolution> {
    let bad = || {
        anyhow!("--resolution '{text}': write it TEXT=FOR/AGAINST/ABSTAIN, e.g. 通过预算=12/0/1")
    };
    let (what, votes) = text.rsplit_once('=').ok_or_else(bad)?;
    let n: Vec<u32> = votes
        .split('/')
        .map(|v| v.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let [votes_for, against, abstain] = n[..] else {
        return Err(bad());
    };
    Ok(Resolution {
        text: what.to_string(),
        votes_for,
        against,
        abstain,
    })
}

fn record(s: &Session, a: &RecordArgs) -> anyhow::Result<ExitCode> {
    let activity = ActivityId(a.activity);
    let old = s.ask(MinutesQ(activity)).ok().flatten().map(|m| m.record);
    let mut r = old.unwrap_or_default();
    if let Some(p) = &a.presenter {
        r.presenter = Some(member_arg(s, p)?.id);
    }
    if let Some(p) = &a.recorder {
        r.recorder = Some(member_arg(s, p)?.id);
    }
    if !a.topics.is_empty() {
        r.topics = a.topics.clone();
    }
    if let Some(m) = &a.minutes {
        r.minutes = m.clone();
    }
    if let Some(f) = &a.minutes_file {
        r.minutes =
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
    }
    if !a.resolutions.is_empty() {
        r.resolutions = a
            .resolutions
            .iter()
            .map(|t| resolution_arg(t))
            .collect::<anyhow::Result<_>>()?;
    }
    done(&s.apply(&Command::SetMeetingRecord {
        activity,
        record: Some(r),
    })?)
}

fn post_arg(text: &str) -> anyhow::Result<CommitteePost> {
    Ok(match text.trim() {
        "secretary" | "书记" => CommitteePost::Secretary,
        "deputy" | "副书记" => CommitteePost::DeputySecretary,
        "organisation" | "组织委员" => CommitteePost::Organisation,
        "propaganda" | "宣传委员" => CommitteePost::Propaganda,
        "discipline" | "纪检委员" => CommitteePost::Discipline,
        "member" | "委员" => CommitteePost::Member,
        other => bail!(
            "no committee post '{other}' (secretary, deputy, organisation, propaganda, discipline, member)"
        ),
    })
}

pub fn committee(s: &Session, cmd: &CommitteeCmd, zh: bool) -> anyhow::Result<ExitCode> {
    match cmd {
        CommitteeCmd::Show { unit, format } => show_terms(s, OrgUnitId(*unit), *format, zh),
        CommitteeCmd::Undo { unit, term } => done(&s.apply(&Command::RemoveTerm {
            unit: OrgUnitId(*unit),
            id: TermId(*term),
        })?),
        CommitteeCmd::Elect(a) => {
            let mut seats = Vec::new();
            for text in &a.seats {
                let (who, post) = text
                    .rsplit_once('=')
                    .ok_or_else(|| anyhow!("--seat '{text}': write it MEMBER=POST"))?;
                seats.push(Seat {
                    member: member_arg(s, who)?.id,
                    post: post_arg(post)?,
                });
            }
            let election = match (a.eligible, a.cast) {
                (Some(eligible), Some(cast)) => {
                    let mut candidates = Vec::new();
                    for text in &a.candidates {
                        let (who, votes) = text.rsplit_once('=').ok_or_else(|| {
                            anyhow!("--candidate '{text}': write it MEMBER=VOTES[*]")
                        })?;
                        let elected = votes.trim().ends_with('*');
                        let votes: u32 =
                            votes.trim().trim_end_matches('*').parse().map_err(|_| {
                                anyhow!("--candidate '{text}': votes must be a number")
                            })?;
                        candidates.push(Candidate {
                            member: member_arg(s, who)?.id,
                            votes,
                            elected,
                        });
                    }
                    Some(Election {
                        date: date_or_today("date", &a.date)?,
                        eligible,
                        cast,
                        candidates,
                    })
                }
                _ if !a.candidates.is_empty() => {
                    bail!("candidates need --eligible and --cast (the election's ballots)")
                }
                _ => None,
            };
            done(&s.apply(&Command::RecordTerm {
                data: TermData {
                    unit: OrgUnitId(a.unit),
                    started: date_or_today("date", &a.date)?,
                    years: a.years,
                    seats,
                    election,
                    notes: a.notes.clone(),
                },
            })?)
        }
    }
}

fn show_terms(
    s: &Session,
    unit: OrgUnitId,
    format: ReportFormat,
    zh: bool,
) -> anyhow::Result<ExitCode> {
    let mut terms = s.ask(TermsQ(unit))?;
    terms.reverse();
    if !matches!(format, ReportFormat::Table) {
        outln!("{}", serde_json::to_string_pretty(&terms)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = Lang::of_zh(zh);
    let name = |id: MemberId| {
        s.ask(crate::access::MemberQ(id))
            .ok()
            .flatten()
            .map_or_else(|| id.to_string(), |m| m.data.name)
    };
    for t in &terms {
        let state = match t.ended {
            None => l.pick("current", "现任").to_string(),
            Some(d) => format!("{} {d}", l.pick("ended", "届满于")),
        };
        outln!(
            "{} {}  {} → {}  ({} {})  {state}",
            l.pick("term", "届次"),
            t.id.0,
            t.data.started,
            t.due(),
            t.data.years,
            l.pick("years", "年")
        )?;
        for seat in &t.data.seats {
            outln!("    {}  {}", pad(seat.post.label(l), 20), name(seat.member))?;
        }
        if let Some(e) = &t.data.election {
            outln!(
                "    {} {}{} {} {} · {} {}",
                l.pick("election", "选举"),
                e.date,
                l.pick(":", "："),
                l.pick("eligible", "应到"),
                e.eligible,
                l.pick("ballots cast", "实到"),
                e.cast
            )?;
            for c in &e.candidates {
                let mark = if c.elected {
                    l.pick("elected", "当选")
                } else {
                    ""
                };
                outln!("      {}  {:>4}  {mark}", pad(&name(c.member), 10), c.votes)?;
            }
        }
    }
    if terms.is_empty() {
        outln!("{}", l.pick("no committee on record", "尚无委员会记录"))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn report(s: &Session, a: &OrgLifeArgs, zh: bool) -> anyhow::Result<ExitCode> {
    let today = today();
    let period = match &a.period {
        Some(p) => Period::parse(p).map_err(|e| anyhow!("--period: {e}"))?,
        None => Period::year_of(today),
    };
    let r = s.ask(OrgLifeQ {
        org: a.org.map(OrgUnitId),
        period,
        today,
    })?;
    if let Some(path) = &a.output {
        let bytes = crate::io::xlsx::xlsx_book(&[crate::io::orglife::due_table(&r, zh)])?;
        crate::io::atomic::write_bytes(path, &bytes)?;
    }
    let l = Lang::of_zh(zh);
    match a.format {
        ReportFormat::Json => outln!("{}", serde_json::to_string_pretty(&r)?)?,
        ReportFormat::Csv => {
            let t = crate::io::orglife::due_table(&r, zh);
            crate::io::csv_cell::write_csv(&t, &mut super::shown::stdout())?;
        }
        ReportFormat::Table => {
            outln!(
                "{}  {}  {}",
                pad(l.pick("unit", "组织"), 16),
                pad(l.pick("meeting", "会议"), 24),
                l.pick("due held met  missed", "应开 已开 达标 未开期次")
            )?;
            for row in &r.rows {
                outln!(
                    "{}  {}  {:>3} {:>3} {:>3}  {}",
                    pad(&row.unit_name, 16),
                    pad(row.kind.label(l), 24),
                    row.due,
                    row.held,
                    row.met,
                    row.missed.join(" ")
                )?;
            }
            outln!("{}: {}", l.pick("missed", "未按时召开"), r.missed())?;
            // The rest of the overview's figure: what an inspector asks next.
            let fig = s.ask(OrgLifeFigureQ {
                org: a.org.map(OrgUnitId),
                period: r.period.clone(),
                today,
            })?;
            for (unit, due) in &fig.terms_due {
                outln!(
                    "{}: {} {due}",
                    l.pick("committee term due", "支委会届满"),
                    unit.name
                )?;
            }
            outln!(
                "{} {} · {} {} · {} {}",
                l.pick("flowed out", "流出"),
                fig.flowed_out.len(),
                l.pick("flowed in", "流入"),
                fig.flowed_in.len(),
                l.pick("out of contact", "失联"),
                fig.lost_contact.len()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
