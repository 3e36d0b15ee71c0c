//! The sample community's organisational life: minutes for its general
//! meetings, a committee per branch with the secretary it already has (one
//! whose term is nearly due), the posts catalogue, partners at its theme
//! party days, and its mobile members' flows and one lost contact. Draws no
//! random numbers, so the rest of the demo is the same with or without it,
//! and changes no member, point or unit figure.

use super::names::POSTS;
use crate::domain::*;
use crate::ops::{self, Actor, Command, OpsError};
use crate::store::Store;
use chrono::{Duration, Months, NaiveDate};
use std::collections::HashMap;

const TOPICS: &[(&str, &str)] = &[
    ("学习党的二十届四中全会精神", "老旧小区加装电梯"),
    ("学习党章第三章", "垃圾分类督导安排"),
    ("学习习近平总书记重要讲话", "困难党员慰问名单"),
];

pub(super) fn add(
    store: &Store,
    actor: &Actor,
    today: NaiveDate,
    activities: &[(ActivityId, ActivityData)],
) -> Result<(), OpsError> {
    let units: Vec<OrgUnit> = store.scan::<OrgUnit>().collect::<Result<_, _>>()?;
    let members: Vec<Member> = store.scan::<Member>().collect::<Result<_, _>>()?;
    // Each branch's active members (in it or in one of its groups), in roster
    // order, gathered once: asked per activity and per branch, a scan of
    // every member against every unit was cubic at a street office's size.
    let parent: HashMap<OrgUnitId, OrgUnitId> = units
        .iter()
        .filter_map(|u| Some((u.id, u.parent?)))
        .collect();
    let mut by_branch: HashMap<OrgUnitId, Vec<&Member>> = HashMap::new();
    for m in members
        .iter()
        .filter(|m| m.data.status == MemberStatus::Active)
    {
        by_branch.entry(m.data.unit).or_default().push(m);
        if let Some(p) = parent.get(&m.data.unit) {
            by_branch.entry(*p).or_default().push(m);
        }
    }
    let below =
        |branch: OrgUnitId| -> Vec<&Member> { by_branch.get(&branch).cloned().unwrap_or_default() };
    let mut cmds = Vec::new();
    for (i, (id, data)) in activities.iter().enumerate() {
        let people = below(data.host);
        if data.kind == ActivityKind::ThemePartyDay && i % 3 == 0 {
            cmds.push(Command::SetActivityPartners {
                activity: *id,
                partners: vec![PartnerId(1 + (i as u64 / 3) % 3)],
            });
        }
        if data.kind != ActivityKind::BranchGeneralMeeting || people.len() < 2 {
            continue;
        }
        let (study, business) = TOPICS[i % TOPICS.len()];
        let voters = people.len() as u32;
        cmds.push(Command::SetMeetingRecord {
            activity: *id,
            record: Some(MeetingRecord {
                presenter: Some(people[0].id),
                recorder: Some(people[1].id),
                topics: vec![study.into(), business.into()],
                minutes: format!(
                    "一、{study}，书记领学，党员交流体会。\n二、讨论{business}，\
                     大家一致同意先征求住户意见。\n三、布置下月主题党日。"
                ),
                resolutions: vec![Resolution {
                    text: format!("同意{business}工作方案"),
                    votes_for: voters.saturating_sub(1),
                    against: 0,
                    abstain: voters.min(1),
                }],
            }),
        });
    }
    // A committee per branch that has a secretary, seated with them; the
    // first branch's term ends in about two months.
    for (i, b) in units
        .iter()
        .filter(|u| u.level == OrgLevel::Branch && u.closed.is_none())
        .enumerate()
    {
        let Some(secretary) = b.leader else { continue };
        let people = below(b.id);
        let others: Vec<&&Member> = people
            .iter()
            .filter(|m| m.id != secretary)
            .take(2)
            .collect();
        let months = if i == 0 { 34 } else { 12 + 6 * i as u32 };
        let started = today
            .checked_sub_months(Months::new(months))
            .unwrap_or(today);
        let mut seats = vec![Seat {
            member: secretary,
            post: CommitteePost::Secretary,
        }];
        for (m, post) in others
            .iter()
            .zip([CommitteePost::Organisation, CommitteePost::Propaganda])
        {
            seats.push(Seat { member: m.id, post });
        }
        let eligible = people.len() as u32;
        let candidates = seats
            .iter()
            .map(|s| Candidate {
                member: s.member,
                votes: eligible.saturating_sub(1),
                elected: true,
            })
            .collect();
        cmds.push(Command::RecordTerm {
            data: TermData {
                unit: b.id,
                started,
                years: 3,
                seats,
                election: Some(Election {
                    date: started,
                    eligible,
                    cast: eligible.saturating_sub(1),
                    candidates,
                }),
                notes: String::new(),
            },
        });
    }
    for name in POSTS {
        cmds.push(Command::CreatePost {
            data: PostData {
                name: name.to_string(),
                responsibilities: "按岗履责，每月至少服务一次".into(),
                active: true,
            },
        });
    }
    let mobile: Vec<&Member> = members
        .iter()
        .filter(|m| {
            m.data.status == MemberStatus::Active && m.data.category == MemberCategory::Mobile
        })
        .collect();
    for (i, m) in mobile.iter().take(3).enumerate() {
        cmds.push(Command::RecordFlow {
            data: FlowData {
                member: m.id,
                direction: Direction::Out,
                since: today - Duration::days(40 + 30 * i as i64),
                until: None,
                place: [
                    "广东省深圳市南山区",
                    "浙江省杭州市余杭区",
                    "江苏省苏州市工业园区",
                ][i]
                    .into(),
                party_org: "流入地街道流动党员党支部".into(),
                contact: m.data.phone.clone(),
                participation: "线上参加主题党日，每季度书面汇报".into(),
                notes: String::new(),
            },
        });
    }
    if let Some(m) = mobile.get(3) {
        let since = today - Duration::days(200);
        cmds.push(Command::SetLostContact {
            member: m.id,
            state: Some(LostContact {
                since,
                attempts: vec![
                    ContactAttempt {
                        date: since + Duration::days(10),
                        note: "电话停机".into(),
                    },
                    ContactAttempt {
                        date: since + Duration::days(40),
                        note: "上门走访，家人称已外出".into(),
                    },
                ],
                regained: None,
                notes: String::new(),
            }),
        });
    }
    ops::apply_batch(store, actor, &cmds)?;
    Ok(())
}
