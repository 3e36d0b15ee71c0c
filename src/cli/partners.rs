//! `partners list|add|edit|close|reopen` (联建共建) and `posts
//! list|add|edit|retire|assign|unassign|holders` (设岗定责) from the command
//! line; changes through the session, lists as the store's owner gives them.

use super::movement::{date_or_today, done};
use super::points::{ReportFormat, member_arg, pad};
use crate::access::{PartnersQ, PostHoldersQ, PostsQ, Session};
use crate::domain::validate::parse_date;
use crate::domain::*;
use crate::ops::Command;
use anyhow::anyhow;
use clap::{Args, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PartnerKindArg {
    /// 驻区单位
    Unit,
    /// 两新组织
    TwoNew,
    Other,
}

impl From<PartnerKindArg> for PartnerKind {
    fn from(k: PartnerKindArg) -> PartnerKind {
        match k {
            PartnerKindArg::Unit => PartnerKind::Unit,
            PartnerKindArg::TwoNew => PartnerKind::TwoNew,
            PartnerKindArg::Other => PartnerKind::Other,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum PartnersCmd {
    List {
        /// Closed partnerships too.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    Add(PartnerArgs),
    /// Change what is given; the rest is kept.
    Edit {
        id: u64,
        #[command(flatten)]
        fields: PartnerFields,
    },
    /// The partnership ends (kept, with its joint activities).
    Close {
        id: u64,
        #[arg(long)]
        date: Option<String>,
    },
    Reopen {
        id: u64,
    },
}

#[derive(Debug, Args)]
pub struct PartnerArgs {
    name: String,
    #[command(flatten)]
    fields: PartnerFields,
}

#[derive(Debug, Args)]
pub struct PartnerFields {
    /// A new name (edit).
    #[arg(long)]
    rename: Option<String>,
    /// unit (驻区单位, the default), two-new (两新组织) or other.
    #[arg(long, value_enum)]
    kind: Option<PartnerKindArg>,
    #[arg(long)]
    contact: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// The org unit it builds jointly with (`none` to clear).
    #[arg(long)]
    linked: Option<String>,
    /// The day the agreement was signed.
    #[arg(long)]
    agreed: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

impl PartnerFields {
    fn apply(&self, d: &mut PartnerData) -> anyhow::Result<()> {
        if let Some(n) = &self.rename {
            d.name = n.clone();
        }
        if let Some(k) = self.kind {
            d.kind = k.into();
        }
        if let Some(c) = &self.contact {
            d.contact = c.clone();
        }
        if let Some(p) = &self.phone {
            d.phone = p.clone();
        }
        if let Some(l) = &self.linked {
            d.linked_unit = match l.trim() {
                "none" => None,
                t => Some(OrgUnitId(
                    t.parse()
                        .map_err(|_| anyhow!("--linked: an org unit id or none"))?,
                )),
            };
        }
        if let Some(a) = &self.agreed {
            d.agreed = Some(parse_date(a).map_err(|e| anyhow!("--agreed: {e}"))?);
        }
        if let Some(n) = &self.notes {
            d.notes = n.clone();
        }
        Ok(())
    }
}

pub fn partners(s: &Session, cmd: &PartnersCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let l = Lang::of_zh(zh);
    let command = match cmd {
        PartnersCmd::List { all, format } => {
            let list: Vec<Partner> = s
                .ask(PartnersQ)?
                .into_iter()
                .filter(|p| *all || p.closed.is_none())
                .collect();
            if !matches!(format, ReportFormat::Table) {
                outln!("{}", serde_json::to_string_pretty(&list)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            for p in &list {
                let closed = p
                    .closed
                    .map(|d| format!("{} {d}", l.pick("closed", "已结束")))
                    .unwrap_or_default();
                outln!(
                    "{:>4}  {}  {}  {}  {}  {}  {closed}",
                    p.id.0,
                    pad(&p.data.name, 24),
                    pad(p.data.kind.label(l), 12),
                    pad(&p.data.contact, 8),
                    p.data.phone,
                    p.data.agreed.map(|d| d.to_string()).unwrap_or_default()
                )?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        PartnersCmd::Add(a) => {
            let mut data = PartnerData {
                name: a.name.clone(),
                kind: PartnerKind::Unit,
                contact: String::new(),
                phone: String::new(),
                linked_unit: None,
                agreed: None,
                notes: String::new(),
            };
            a.fields.apply(&mut data)?;
            Command::CreatePartner { data }
        }
        PartnersCmd::Edit { id, fields } => {
            let p = s
                .ask(PartnersQ)?
                .into_iter()
                .find(|p| p.id.0 == *id)
                .ok_or_else(|| anyhow!("no partner organisation {id}; `partners list --all`"))?;
            let mut data = p.data;
            fields.apply(&mut data)?;
            Command::UpdatePartner {
                id: PartnerId(*id),
                data,
            }
        }
        PartnersCmd::Close { id, date } => Command::ClosePartner {
            id: PartnerId(*id),
            date: date_or_today("date", date)?,
        },
        PartnersCmd::Reopen { id } => Command::ReopenPartner { id: PartnerId(*id) },
    };
    done(&s.apply(&command)?)
}

#[derive(Debug, Subcommand)]
pub enum PostsCmd {
    /// The posts catalogue (retired ones too with --all).
    List {
        #[arg(long)]
        all: bool,
    },
    Add {
        name: String,
        #[arg(long, default_value = "")]
        responsibilities: String,
    },
    Edit {
        id: u64,
        #[arg(long)]
        responsibilities: String,
    },
    /// Retire a post (kept; members holding it keep it until unassigned).
    Retire {
        id: u64,
    },
    Assign {
        post: u64,
        member: String,
    },
    Unassign {
        post: u64,
        member: String,
    },
    /// Members holding a post, within sight (of --org's subtree); with
    /// --output, also as a workbook (phones as this user may see them).
    Holders {
        post: u64,
        #[arg(long)]
        org: Option<u64>,
        #[arg(short = 'o', long = "output")]
        output: Option<std::path::PathBuf>,
    },
}

pub fn posts(s: &Session, cmd: &PostsCmd, zh: bool) -> anyhow::Result<ExitCode> {
    let l = Lang::of_zh(zh);
    let find = |id: u64| -> anyhow::Result<Post> {
        s.ask(PostsQ)?
            .into_iter()
            .find(|p| p.id.0 == id)
            .ok_or_else(|| anyhow!("no post {id}; `posts list --all` shows them"))
    };
    let command = match cmd {
        PostsCmd::List { all } => {
            for p in s.ask(PostsQ)? {
                if !*all && !p.data.active {
                    continue;
                }
                let retired = if p.data.active {
                    ""
                } else {
                    l.pick("retired", "已停用")
                };
                outln!(
                    "{:>4}  {}  {}  {retired}",
                    p.id.0,
                    pad(&p.data.name, 16),
                    p.data.responsibilities
                )?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        PostsCmd::Holders { post, org, output } => {
            let p = find(*post)?;
            let holders = s.ask(PostHoldersQ {
                post: p.data.name.clone(),
                org: org.map(OrgUnitId),
            })?;
            if let Some(path) = output {
                let units: std::collections::HashMap<OrgUnitId, String> = s
                    .ask(crate::access::OrgUnitsQ)?
                    .into_iter()
                    .map(|u| (u.id, u.name))
                    .collect();
                let t = crate::io::orglife::holders_table(&p, &holders, &units, zh);
                crate::io::atomic::write_bytes(path, &crate::io::xlsx::xlsx_book(&[t])?)?;
            }
            for m in &holders {
                outln!("{:>6}  {}  {}", m.id.0, pad(&m.data.name, 8), m.data.phone)?;
            }
            outln!("{} {}", holders.len(), l.pick("members", "名党员"))?;
            return Ok(ExitCode::SUCCESS);
        }
        PostsCmd::Add {
            name,
            responsibilities,
        } => Command::CreatePost {
            data: PostData {
                name: name.clone(),
                responsibilities: responsibilities.clone(),
                active: true,
            },
        },
        PostsCmd::Edit {
            id,
            responsibilities,
        } => {
            let p = find(*id)?;
            Command::UpdatePost {
                id: p.id,
                data: PostData {
                    responsibilities: responsibilities.clone(),
                    ..p.data
                },
            }
        }
        PostsCmd::Retire { id } => {
            let p = find(*id)?;
            Command::UpdatePost {
                id: p.id,
                data: PostData {
                    active: false,
                    ..p.data
                },
            }
        }
        PostsCmd::Assign { post, member } | PostsCmd::Unassign { post, member } => {
            Command::AssignPost {
                member: member_arg(s, member)?.id,
                post: PostId(*post),
                assigned: matches!(cmd, PostsCmd::Assign { .. }),
            }
        }
    };
    done(&s.apply(&command)?)
}
