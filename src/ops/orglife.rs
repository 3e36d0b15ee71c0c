//! Organisational life: how often each kind of 三会一课 is due (a setting per
//! unit or for the whole community, over the defaults in `assets/`), the
//! record of a meeting (presenter, recorder, topics, minutes, resolutions and
//! votes), a unit's committees term by term with their elections (换届; the
//! unit's secretary follows the current committee), and posts (设岗定责).

use super::authority::Need;
use super::members::{active, load as load_member};
use super::org::load as load_unit;
use super::required_text;
use super::{Applied, Command, Ctx, OpResult, invalid, not_found, optional_text, refuse};
use crate::domain::*;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    match cmd {
        Command::SetFrequency {
            unit,
            kind,
            required,
        } => set_frequency(ctx, *unit, *kind, *required),
        Command::SetMeetingRecord { activity, record } => set_record(ctx, *activity, record),
        Command::RecordTerm { data } => record_term(ctx, data),
        Command::RemoveTerm { unit, id } => remove_term(ctx, *unit, *id),
        Command::CreatePost { data } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let data = clean_post(data)?;
            let id = PostId(ctx.tx.next_id("post")?);
            let name = data.name.clone();
            ctx.tx.put(&Post { id, data })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{name} ({id})"),
                created: Some(id.0),
                summary: format!("added post {name} ({id})"),
                inverse: Some(Command::UpdatePost {
                    id,
                    data: PostData {
                        name,
                        responsibilities: String::new(),
                        active: false,
                    },
                }),
            })
        }
        Command::UpdatePost { id, data } => {
            ctx.actor.require(ctx, Need::Admin)?;
            let old = load_post(ctx, *id)?;
            let data = clean_post(data)?;
            // Members hold a post by its name: a new name would leave them
            // holding one the catalogue no longer has.
            if data.name != old.data.name {
                return refuse(
                    "a post keeps its name (members hold it by name); retire it and add the new one",
                    "岗位名称不能修改（党员按名称认岗）；请停用后新增岗位",
                );
            }
            ctx.tx.put(&Post {
                id: *id,
                data: data.clone(),
            })?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({id})", data.name),
                created: None,
                summary: format!("updated post {} ({id})", data.name),
                inverse: Some(Command::UpdatePost {
                    id: *id,
                    data: old.data,
                }),
            })
        }
        Command::AssignPost {
            member,
            post,
            assigned,
        } => {
            let m = if *assigned {
                active(ctx, *member)?
            } else {
                load_member(ctx, *member)?
            };
            ctx.actor.require(ctx, Need::Manage(m.data.unit))?;
            let p = load_post(ctx, *post)?;
            let holds = m.data.posts.contains(&p.data.name);
            if *assigned && !p.data.active {
                return refuse(
                    format!("the post {} is retired", p.data.name),
                    format!("岗位“{}”已停用", p.data.name),
                );
            }
            if holds == *assigned {
                return refuse(
                    format!(
                        "{} {} the post {}",
                        m.data.name,
                        if holds {
                            "already holds"
                        } else {
                            "does not hold"
                        },
                        p.data.name
                    ),
                    format!(
                        "{} {}岗位“{}”",
                        m.data.name,
                        if holds { "已在" } else { "不在" },
                        p.data.name
                    ),
                );
            }
            let mut new = m.clone();
            if *assigned {
                new.data.posts.push(p.data.name.clone());
            } else {
                new.data.posts.retain(|n| *n != p.data.name);
            }
            ctx.tx.put_indexed(Some(&m), &new)?;
            Ok(Applied {
                touched: Default::default(),
                subject: format!("{} ({member})", m.data.name),
                created: None,
                summary: format!(
                    "{} {} post {}",
                    m.data.name,
                    if *assigned { "took" } else { "left" },
                    p.data.name
                ),
                inverse: Some(Command::AssignPost {
                    member: *member,
                    post: *post,
                    assigned: !*assigned,
                }),
            })
        }
        _ => refuse(
            format!("{} is not an organisational-life command", cmd.kind()),
            format!("{} 不是组织生活命令", cmd.kind()),
        ),
    }
}

fn set_frequency(
    ctx: &Ctx,
    unit: Option<OrgUnitId>,
    kind: ActivityKind,
    required: Required,
) -> OpResult<Applied> {
    ctx.actor.require(ctx, Need::Admin)?;
    if !kind.is_meeting() {
        return refuse(
            format!(
                "{} is not one of 三会一课 or the theme party day",
                kind.label(Lang::En)
            ),
            format!("{}不属于三会一课或主题党日", kind.label(Lang::Zh)),
        );
    }
    let (subject, name) = match unit {
        Some(id) => {
            let u = load_unit(ctx, id)?;
            if u.level != kind.held_by() {
                return refuse(
                    format!(
                        "a {} is held by a {}, not by {}",
                        kind.label(Lang::En),
                        kind.held_by().label(Lang::En),
                        u.name
                    ),
                    format!(
                        "{}由{}召开，不是{}",
                        kind.label(Lang::Zh),
                        kind.held_by().label(Lang::Zh),
                        u.name
                    ),
                );
            }
            (format!("{} ({id})", u.name), u.name)
        }
        None => (String::new(), "every unit".to_string()),
    };
    let old = ctx.tx.frequency(unit, kind)?;
    let record = Frequency {
        unit,
        kind,
        required,
    };
    if required == Required::Inherit {
        ctx.tx.remove(&record)?;
    } else {
        ctx.tx.put(&record)?;
    }
    Ok(Applied {
        touched: Default::default(),
        subject,
        created: None,
        summary: format!(
            "{} of {name}: {}",
            kind.label(Lang::En),
            required.label(Lang::En)
        ),
        inverse: Some(Command::SetFrequency {
            unit,
            kind,
            required: old.map_or(Required::Inherit, |f| f.required),
        }),
    })
}

fn set_record(
    ctx: &Ctx,
    activity: ActivityId,
    record: &Option<MeetingRecord>,
) -> OpResult<Applied> {
    let Some(act) = ctx.tx.get_id::<Activity>(activity.0)? else {
        return not_found(format!("activity {activity}"), format!("活动 {activity}"));
    };
    ctx.actor.require(ctx, Need::Manage(act.data.host))?;
    if !act.data.kind.is_meeting() {
        return refuse(
            format!(
                "{} is a {}, not a meeting that keeps minutes",
                act.data.title,
                act.data.kind.label(Lang::En)
            ),
            format!(
                "“{}”是{}，不是需要记录的会议",
                act.data.title,
                act.data.kind.label(Lang::Zh)
            ),
        );
    }
    let old = ctx.tx.minutes(activity)?;
    let summary = match record {
        Some(r) => {
            let r = clean_record(ctx, r)?;
            let line = format!(
                "minutes of {} ({activity}): {} topics, {} resolutions",
                act.data.title,
                r.topics.len(),
                r.resolutions.len()
            );
            ctx.tx.put(&Minutes {
                activity,
                record: r,
            })?;
            line
        }
        None => {
            if let Some(o) = &old {
                ctx.tx.remove(o)?;
            }
            format!("removed the minutes of {} ({activity})", act.data.title)
        }
    };
    Ok(Applied {
        touched: Default::default(),
        subject: format!("{} ({activity})", act.data.title),
        created: None,
        summary,
        inverse: Some(Command::SetMeetingRecord {
            activity,
            record: old.map(|o| o.record),
        }),
    })
}

fn clean_record(ctx: &Ctx, r: &MeetingRecord) -> OpResult<MeetingRecord> {
    for m in [r.presenter, r.recorder].into_iter().flatten() {
        load_member(ctx, m)?;
    }
    if r.topics.len() > 30 || r.resolutions.len() > 50 {
        return refuse(
            "at most 30 topics and 50 resolutions a meeting",
            "每次会议最多 30 个议题、50 项决议",
        );
    }
    let mut topics = Vec::new();
    for t in &r.topics {
        let t = optional_text("topic", t, 100)?;
        if !t.is_empty() && !topics.contains(&t) {
            topics.push(t);
        }
    }
    let mut resolutions = Vec::new();
    for res in &r.resolutions {
        resolutions.push(Resolution {
            text: required_text("resolution", &res.text, 500)?,
            ..res.clone()
        });
    }
    let minutes = match minutes_text(&r.minutes, 20_000) {
        Ok(m) => m,
        Err(e) => return invalid("minutes", e),
    };
    Ok(MeetingRecord {
        presenter: r.presenter,
        recorder: r.recorder,
        topics,
        minutes,
        resolutions,
    })
}

/// Who may record a unit's committee: its branch's secretary for a branch,
/// the admin for the community committee.
fn term_need(unit: &OrgUnit) -> OpResult<Need> {
    match unit.level {
        OrgLevel::Committee => Ok(Need::Admin),
        OrgLevel::Branch => Ok(Need::Manage(unit.id)),
        OrgLevel::Group => refuse(
            format!(
                "{} is a group: committees are a branch's or the community's",
                unit.name
            ),
            format!("{}是党小组：只有支部和党委设委员会", unit.name),
        ),
    }
}

fn record_term(ctx: &Ctx, data: &TermData) -> OpResult<Applied> {
    let unit = load_unit(ctx, data.unit)?;
    ctx.actor.require(ctx, term_need(&unit)?)?;
    let data = clean_term(ctx, data)?;
    let previous = ctx.tx.current_term(unit.id)?;
    if let Some(p) = &previous
        && p.data.started >= data.started
    {
        return refuse(
            format!(
                "the current committee of {} began on {}; a new one must begin later",
                unit.name, p.data.started
            ),
            format!(
                "{}现任委员会自 {} 起任职，新一届须在此之后",
                unit.name, p.data.started
            ),
        );
    }
    let id = TermId(ctx.tx.next_id("term")?);
    if let Some(p) = &previous {
        ctx.tx.put_term(&Term {
            ended: Some(data.started),
            ..p.clone()
        })?;
    }
    let term = Term {
        id,
        data,
        ended: None,
        follows: previous.map(|p| p.id),
        leader_before: unit.leader,
    };
    ctx.tx.put_term(&term)?;
    if let Some(secretary) = term.secretary()
        && unit.leader != Some(secretary)
    {
        ctx.tx.put(&OrgUnit {
            leader: Some(secretary),
            ..unit.clone()
        })?;
    }
    Ok(Applied {
        touched: Default::default(),
        subject: format!("{} ({})", unit.name, unit.id),
        created: Some(id.0),
        summary: format!(
            "committee of {} from {} for {} years, {} seats ({id})",
            unit.name,
            term.data.started,
            term.data.years,
            term.data.seats.len()
        ),
        inverse: Some(Command::RemoveTerm { unit: unit.id, id }),
    })
}

/// Takes back the current term (an election recorded by mistake): the one
/// before is current again and the unit's secretary who was.
fn remove_term(ctx: &Ctx, unit_id: OrgUnitId, id: TermId) -> OpResult<Applied> {
    let unit = load_unit(ctx, unit_id)?;
    ctx.actor.require(ctx, term_need(&unit)?)?;
    let Some(term) = ctx.tx.term(unit_id, id)? else {
        return not_found(format!("term {id}"), format!("届次 {id}"));
    };
    if term.ended.is_some() {
        return refuse(
            format!("term {id} of {} is not the current one", unit.name),
            format!("{}的届次 {id} 不是现任", unit.name),
        );
    }
    ctx.tx.remove_term(&term)?;
    if let Some(prev) = term.follows
        && let Some(p) = ctx.tx.term(unit_id, prev)?
    {
        ctx.tx.put_term(&Term { ended: None, ..p })?;
    }
    if unit.leader != term.leader_before {
        ctx.tx.put(&OrgUnit {
            leader: term.leader_before,
            ..unit.clone()
        })?;
    }
    Ok(Applied {
        touched: Default::default(),
        subject: format!("{} ({unit_id})", unit.name),
        created: None,
        summary: format!("took back term {id} of {}", unit.name),
        inverse: Some(Command::RecordTerm { data: term.data }),
    })
}

fn clean_term(ctx: &Ctx, data: &TermData) -> OpResult<TermData> {
    if !(1..=10).contains(&data.years) {
        return refuse("a term lasts 1 to 10 years", "任期为 1 至 10 年");
    }
    let mut seen = Vec::new();
    for s in &data.seats {
        active(ctx, s.member)?;
        if seen.contains(&s.member) {
            return refuse(
                format!("member {} holds two seats", s.member),
                format!("党员 {} 重复任职", s.member),
            );
        }
        seen.push(s.member);
    }
    let secretaries = data
        .seats
        .iter()
        .filter(|s| s.post == CommitteePost::Secretary)
        .count();
    if secretaries > 1 {
        return refuse("a committee has one secretary", "一个委员会只有一名书记");
    }
    if let Some(e) = &data.election {
        if e.cast > e.eligible {
            return refuse(
                format!("{} ballots cast of {} eligible voters", e.cast, e.eligible),
                format!("收回选票 {} 张，多于应到 {} 人", e.cast, e.eligible),
            );
        }
        for c in &e.candidates {
            load_member(ctx, c.member)?;
            if c.votes > e.cast {
                return refuse(
                    format!("member {} has more votes than ballots cast", c.member),
                    format!("党员 {} 的得票多于收回选票", c.member),
                );
            }
        }
        if let Some(s) = data.seats.iter().find(|s| {
            !e.candidates
                .iter()
                .any(|c| c.elected && c.member == s.member)
        }) {
            return refuse(
                format!("member {} holds a seat but was not elected", s.member),
                format!("党员 {} 任职但未当选", s.member),
            );
        }
    }
    Ok(TermData {
        notes: optional_text("notes", &data.notes, 500)?,
        ..data.clone()
    })
}

fn load_post(ctx: &Ctx, id: PostId) -> OpResult<Post> {
    match ctx.tx.get_id::<Post>(id.0)? {
        Some(p) => Ok(p),
        None => not_found(format!("post {id}"), format!("岗位 {id}")),
    }
}

fn clean_post(data: &PostData) -> OpResult<PostData> {
    Ok(PostData {
        name: required_text("name", &data.name, 30)?,
        responsibilities: optional_text("responsibilities", &data.responsibilities, 500)?,
        active: data.active,
    })
}
