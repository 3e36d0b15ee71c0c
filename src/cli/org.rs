//! `org list|add|rename|set|move|close|reopen`: the organisation tree from the
//! command line, for scripts and for a committee admin setting up a new
//! store. Every change is a `Command` through the session; the tree shown is
//! the one the store's owner lets this user read.

use super::points::{ReportFormat, member_arg, pad};
use super::said::{bad_value, done, said};
use crate::access::{OrgUnitsQ, Session};
use crate::domain::validate::parse_date;
use crate::domain::*;
use crate::ops::Command;
use clap::{Subcommand, ValueEnum};
use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LevelArg {
    /// 社区党委: the top of the tree, one per community.
    Committee,
    /// 党支部, under the committee.
    Branch,
    /// 楼栋党小组, under a branch, covering buildings.
    Group,
}

impl From<LevelArg> for OrgLevel {
    fn from(l: LevelArg) -> OrgLevel {
        match l {
            LevelArg::Committee => OrgLevel::Committee,
            LevelArg::Branch => OrgLevel::Branch,
            LevelArg::Group => OrgLevel::Group,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    /// The tree: id, level, name, leader, buildings, dates.
    List {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Add a unit: the committee first (no --parent), then branches under it
    /// and groups under a branch.
    Add {
        name: String,
        #[arg(long, value_enum)]
        level: LevelArg,
        /// The unit above (not for the committee).
        #[arg(long)]
        parent: Option<u64>,
        /// Buildings a group covers, comma-separated: 1,2,3号楼.
        #[arg(long)]
        buildings: Option<String>,
        /// Date established (2020-07-01, 2020年7月1日 …).
        #[arg(long)]
        established: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Give a unit a new name.
    Rename {
        id: u64,
        name: String,
    },
    /// Change a unit's leader (secretary of a committee or branch, leader of
    /// a group), buildings, date or notes; what is not given is kept.
    Set {
        id: u64,
        /// A member's id or name (pinyin works); `none` to leave it empty.
        #[arg(long)]
        leader: Option<String>,
        #[arg(long)]
        buildings: Option<String>,
        #[arg(long)]
        established: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Put a unit under another parent (a group under another branch, say).
    Move {
        id: u64,
        #[arg(long)]
        to: u64,
    },
    /// Close a unit (kept, with its history; its members must move first).
    Close {
        id: u64,
        /// Default: today.
        #[arg(long)]
        date: Option<String>,
    },
    Reopen {
        id: u64,
    },
}

fn buildings_arg(text: &Option<String>) -> Vec<String> {
    text.as_deref()
        .map(|t| {
            t.split([',', '，', '、'])
                .map(|b| b.trim().to_string())
                .filter(|b| !b.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn date_arg(flag: &str, text: &Option<String>) -> anyhow::Result<Option<chrono::NaiveDate>> {
    text.as_deref()
        .map(|t| parse_date(t).map_err(|e| bad_value(flag, &e)))
        .transpose()
}

fn unit_arg(s: &Session, id: u64) -> anyhow::Result<OrgUnit> {
    s.ask(OrgUnitsQ)?
        .into_iter()
        .find(|u| u.id.0 == id)
        .ok_or_else(|| {
            said(
                format!("no org unit {id}; `dangjian org list` shows them"),
                format!("没有组织 {id}；`dangjian org list` 列出全部组织"),
            )
        })
}

/// The `UpdateOrgUnit` that keeps everything of `u` but what `change` sets.
fn update(u: OrgUnit, change: impl FnOnce(&mut OrgUnit)) -> Command {
    let mut u = u;
    change(&mut u);
    Command::UpdateOrgUnit {
        id: u.id,
        name: u.name,
        leader: u.leader,
        buildings: u.buildings,
        established: u.established,
        notes: u.notes,
    }
}

pub fn run(s: &Session, cmd: &OrgCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let command = match cmd {
        OrgCmd::List { format } => return list(s, *format, zh),
        OrgCmd::Add {
            name,
            level,
            parent,
            buildings,
            established,
            notes,
        } => {
            let level = OrgLevel::from(*level);
            if level == OrgLevel::Committee && parent.is_some() {
                return Err(said(
                    "the committee is the top of the tree: leave out --parent",
                    "社区党委是组织树的顶端：不要给出 --parent",
                ));
            }
            if level != OrgLevel::Committee && parent.is_none() {
                return Err(said(
                    format!(
                        "a {} needs --parent (the id of the unit above; `dangjian org list`)",
                        level.name_en()
                    ),
                    format!(
                        "{}需要 --parent（上级组织的编号；见 `dangjian org list`）",
                        level.label(Lang::Zh)
                    ),
                ));
            }
            Command::CreateOrgUnit {
                parent: parent.map(OrgUnitId),
                level,
                name: name.clone(),
                buildings: buildings_arg(buildings),
                established: date_arg("established", established)?,
                notes: notes.clone(),
            }
        }
        OrgCmd::Rename { id, name } => update(unit_arg(s, *id)?, |u| u.name = name.clone()),
        OrgCmd::Set {
            id,
            leader,
            buildings,
            established,
            notes,
        } => {
            let leader = match leader.as_deref() {
                None => None,
                Some("none") => Some(None),
                Some(text) => Some(Some(member_arg(s, text)?.id)),
            };
            let established = date_arg("established", established)?;
            update(unit_arg(s, *id)?, |u| {
                if let Some(l) = leader {
                    u.leader = l;
                }
                if buildings.is_some() {
                    u.buildings = buildings_arg(buildings);
                }
                if established.is_some() {
                    u.established = established;
                }
                if let Some(n) = notes {
                    u.notes = n.clone();
                }
            })
        }
        OrgCmd::Move { id, to } => Command::MoveOrgUnit {
            id: OrgUnitId(*id),
            parent: OrgUnitId(*to),
        },
        OrgCmd::Close { id, date } => Command::CloseOrgUnit {
            id: OrgUnitId(*id),
            date: date_arg("date", date)?.unwrap_or_else(|| chrono::Local::now().date_naive()),
        },
        OrgCmd::Reopen { id } => Command::ReopenOrgUnit { id: OrgUnitId(*id) },
    };
    let applied = s.apply(&command)?;
    match applied.created {
        Some(id) => outln!("{id}: {}", done(&command, &applied, zh))?,
        None => outln!("{}", done(&command, &applied, zh))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn level_name(level: OrgLevel, zh: bool) -> &'static str {
    // English keeps `name_en` (`party branch`), which JSON readers match on.
    if zh {
        level.label(Lang::Zh)
    } else {
        level.name_en()
    }
}

/// The tree, each unit under its parent, indented by depth.
fn list(s: &Session, format: ReportFormat, zh: bool) -> anyhow::Result<ExitCode> {
    let units = s.ask(OrgUnitsQ)?;
    let leaders: HashMap<MemberId, String> = units
        .iter()
        .filter_map(|u| u.leader)
        .filter_map(|id| {
            s.ask(crate::access::MemberQ(id))
                .ok()
                .flatten()
                .map(|m| (id, m.data.name))
        })
        .collect();
    let mut ordered: Vec<(usize, &OrgUnit)> = Vec::new();
    let mut stack: Vec<(usize, &OrgUnit)> = units
        .iter()
        .filter(|u| u.parent.is_none_or(|p| !units.iter().any(|x| x.id == p)))
        .rev()
        .map(|u| (0, u))
        .collect();
    while let Some((depth, u)) = stack.pop() {
        ordered.push((depth, u));
        let mut children: Vec<&OrgUnit> = units.iter().filter(|c| c.parent == Some(u.id)).collect();
        children.sort_by_key(|c| c.id);
        stack.extend(children.into_iter().rev().map(|c| (depth + 1, c)));
    }
    let mut out = crate::cli::shown::stdout();
    match format {
        ReportFormat::Json => {
            let json: Vec<serde_json::Value> = ordered
                .iter()
                .map(|(_, u)| {
                    serde_json::json!({
                        "id": u.id.0,
                        "parent": u.parent.map(|p| p.0),
                        "level": level_name(u.level, false),
                        "name": u.name,
                        "leader": u.leader.map(|l| l.0),
                        "leader_name": u.leader.and_then(|l| leaders.get(&l)),
                        "buildings": u.buildings,
                        "established": u.established.map(|d| d.to_string()),
                        "closed": u.closed.map(|d| d.to_string()),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "id",
                "parent",
                "level",
                "name",
                "leader",
                "buildings",
                "closed",
            ])?;
            for (_, u) in &ordered {
                w.write_record([
                    u.id.to_string(),
                    u.parent.map(|p| p.to_string()).unwrap_or_default(),
                    level_name(u.level, false).to_string(),
                    u.name.clone(),
                    u.leader
                        .and_then(|l| leaders.get(&l).cloned())
                        .unwrap_or_default(),
                    u.buildings.join(","),
                    u.closed.map(|d| d.to_string()).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            if ordered.is_empty() {
                if zh {
                    writeln!(
                        out,
                        "还没有组织。先建社区党委：dangjian org add 社区党委名称 --level committee"
                    )?;
                } else {
                    writeln!(
                        out,
                        "no org units yet. Start with the committee: dangjian org add NAME --level committee"
                    )?;
                }
            }
            for (depth, u) in &ordered {
                let leader = u.leader.and_then(|l| leaders.get(&l).cloned());
                let mut line = format!(
                    "{:>5}  {}{} {}",
                    u.id.0,
                    "  ".repeat(*depth),
                    pad(&u.name, 20usize.saturating_sub(depth * 2)),
                    pad(level_name(u.level, zh), 12),
                );
                if let Some(l) = leader {
                    line.push_str(&format!("  {}{l}", if zh { "负责人 " } else { "leader " }));
                }
                if !u.buildings.is_empty() {
                    line.push_str(&format!(
                        "  {}{}",
                        if zh { "楼栋 " } else { "buildings " },
                        u.buildings.join(",")
                    ));
                }
                if let Some(d) = u.closed {
                    line.push_str(&format!("  {}{d}", if zh { "已撤销 " } else { "closed " }));
                }
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
