//! Questions about organisational life and members who move, answered within
//! the asker's sight: 三会一课 held vs due, the changes of a period, the flow
//! registers, who is out of contact, a member's transfers, a meeting's record
//! (printable) and the search of minutes by topic, a unit's committees, the
//! posts catalogue and who holds a post, joint activities with partners.
//! Viewers get no contact details or notes, as with members.

use super::{Query, ReadError, View};
use crate::domain::*;
use crate::io::orglife::PrintedMinutes;
use crate::report::movement::{self, ChangeRow, FlowRow, JointRow};
use crate::report::orglife::{self, OrgLifeReport};
use crate::report::overview::{Context, scope_members};
use crate::report::period::Period;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Runs `f` over the context of `org`'s subtree (the actor's scope by default).
fn in_scope<T>(
    view: &View,
    org: Option<OrgUnitId>,
    f: impl FnOnce(&Context) -> Result<T, crate::store::StoreError>,
) -> Result<T, ReadError> {
    let scope = view.scope(org)?;
    let members = scope_members(view.store, scope)?;
    let cx = Context::new(view.store, scope, &members)?;
    Ok(f(&cx)?)
}

fn private(view: &View) -> bool {
    view.actor.role != Role::Viewer
}

/// 三会一课 held against due, per unit and kind, over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgLifeQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
    pub today: NaiveDate,
}

impl Query for OrgLifeQ {
    type Answer = OrgLifeReport;
    fn answer(self, view: &View) -> Result<OrgLifeReport, ReadError> {
        in_scope(view, self.org, |cx| {
            orglife::held_vs_due(view.store, cx, &self.period, self.today)
        })
    }
}

/// The overview's figure of organisational life alone: meetings missed in
/// the period, flows, lost contact, committees due (`overview::orglife`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgLifeFigureQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
    pub today: NaiveDate,
}

impl Query for OrgLifeFigureQ {
    type Answer = crate::report::overview::orglife::OrgLife;
    fn answer(self, view: &View) -> Result<Self::Answer, ReadError> {
        in_scope(view, self.org, |cx| {
            crate::report::overview::orglife::compute(view.store, cx, &self.period, self.today)
        })
    }
}

/// Reports, transfers, flows and lost contact of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
}

impl Query for ChangesQ {
    type Answer = Vec<ChangeRow>;
    fn answer(self, view: &View) -> Result<Vec<ChangeRow>, ReadError> {
        let private = private(view);
        let mut rows = in_scope(view, self.org, |cx| {
            movement::changes(view.store, cx, &self.period)
        })?;
        if !private {
            for r in &mut rows {
                r.detail.clear();
            }
        }
        Ok(rows)
    }
}

/// The flow registers: flows lasting on `on`, or every one (`all`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowsQ {
    pub org: Option<OrgUnitId>,
    pub on: NaiveDate,
    pub all: bool,
}

impl Query for FlowsQ {
    type Answer = Vec<FlowRow>;
    fn answer(self, view: &View) -> Result<Vec<FlowRow>, ReadError> {
        let private = private(view);
        let mut rows = in_scope(view, self.org, |cx| {
            movement::flows(view.store, cx, self.on, self.all)
        })?;
        if !private {
            for r in &mut rows {
                r.flow.data.contact.clear();
                r.flow.data.notes.clear();
            }
        }
        Ok(rows)
    }
}

/// Members out of contact on `on`, with their records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LostContactQ {
    pub org: Option<OrgUnitId>,
    pub on: NaiveDate,
}

impl Query for LostContactQ {
    type Answer = Vec<(Member, LostContact)>;
    fn answer(self, view: &View) -> Result<Vec<(Member, LostContact)>, ReadError> {
        let private = private(view);
        let rows = in_scope(view, self.org, |cx| {
            movement::lost_contact(view.store, cx, self.on)
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(m, mut l)| {
                if !private {
                    l.notes.clear();
                }
                view.sight.member(m).map(|m| (m, l))
            })
            .collect())
    }
}

/// One member's movement: transfers (oldest first), flows, lost contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovementQ(pub MemberId);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    pub member: Member,
    pub transfers: Vec<Transfer>,
    pub flows: Vec<Flow>,
    pub lost_contact: Option<LostContact>,
}

impl Query for MovementQ {
    type Answer = Movement;
    fn answer(self, view: &View) -> Result<Movement, ReadError> {
        let member = view.member_or_not_found(self.0)?;
        let private = private(view);
        let mut flows = Vec::new();
        for f in view.store.scan::<Flow>() {
            let mut f = f?;
            if f.data.member == self.0 {
                if !private {
                    f.data.contact.clear();
                    f.data.notes.clear();
                }
                flows.push(f);
            }
        }
        let mut lost_contact = view.store.lost_contact(self.0)?.map(|l| l.state);
        if let Some(l) = lost_contact.as_mut().filter(|_| !private) {
            l.notes.clear();
        }
        Ok(Movement {
            transfers: view.store.transfers_of(self.0)?,
            flows,
            lost_contact,
            member,
        })
    }
}

/// A meeting's record with the names in it, ready to print; `None` when the
/// meeting has none. Only for those who see the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinutesQ(pub ActivityId);

impl Query for MinutesQ {
    type Answer = Option<PrintedMinutes>;
    fn answer(self, view: &View) -> Result<Option<PrintedMinutes>, ReadError> {
        let missing =
            || ReadError::not_found(format!("activity {}", self.0), format!("活动 {}", self.0));
        let activity = view
            .store
            .get_id::<Activity>(self.0.0)?
            .ok_or_else(missing)?;
        if !view.sight.sees(activity.data.host) {
            return Err(missing());
        }
        let Some(minutes) = view.store.minutes(self.0)? else {
            return Ok(None);
        };
        let name = |id: Option<MemberId>| -> Result<String, ReadError> {
            Ok(match id {
                Some(id) => view.member(id)?.map(|m| m.data.name).unwrap_or_default(),
                None => String::new(),
            })
        };
        let (mut present, mut absent) = (Vec::new(), Vec::new());
        for a in view.store.attendance_of(self.0) {
            let a = a?;
            let Some(m) = view.member(a.member)? else {
                continue;
            };
            match a.presence {
                Presence::Present { .. } => present.push(m.data.name),
                Presence::Absent { .. } | Presence::Unexcused { .. } => absent.push(m.data.name),
            }
        }
        let host_name = view
            .store
            .get_id::<OrgUnit>(activity.data.host.0)?
            .map(|u| u.name)
            .unwrap_or_default();
        Ok(Some(PrintedMinutes {
            presenter: name(minutes.record.presenter)?,
            recorder: name(minutes.record.recorder)?,
            record: minutes.record,
            activity,
            host_name,
            present,
            absent,
        }))
    }
}

/// Meetings within sight whose topics (or minutes) mention `text`, newest
/// first, with their topics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchMinutesQ(pub String);

impl Query for SearchMinutesQ {
    type Answer = Vec<(Activity, Vec<String>)>;
    fn answer(self, view: &View) -> Result<Vec<(Activity, Vec<String>)>, ReadError> {
        let needle = self.0.trim().to_lowercase();
        let mut out = Vec::new();
        for a in view.store.scan::<Activity>() {
            let a = a?;
            if !a.data.kind.is_meeting() || !view.sight.sees(a.data.host) {
                continue;
            }
            let Some(m) = view.store.minutes(a.id)? else {
                continue;
            };
            let hit = m
                .record
                .topics
                .iter()
                .any(|t| t.to_lowercase().contains(&needle))
                || m.record.minutes.to_lowercase().contains(&needle);
            if hit {
                out.push((a, m.record.topics));
            }
        }
        out.sort_by_key(|x| std::cmp::Reverse(x.0.data.starts));
        Ok(out)
    }
}

/// A unit's committees, the first term first (the current one has no end).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermsQ(pub OrgUnitId);

impl Query for TermsQ {
    type Answer = Vec<Term>;
    fn answer(self, view: &View) -> Result<Vec<Term>, ReadError> {
        view.scope(Some(self.0))?;
        Ok(view.store.terms_of(self.0)?)
    }
}

/// The frequency each kind of meeting is due at for a unit, and where it
/// comes from (the unit's setting, the community's, the default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequenciesQ(pub Option<OrgUnitId>);

impl Query for FrequenciesQ {
    type Answer = Vec<(ActivityKind, Required, Option<Every>)>;
    fn answer(
        self,
        view: &View,
    ) -> Result<Vec<(ActivityKind, Required, Option<Every>)>, ReadError> {
        let level = match self.0 {
            Some(u) => {
                view.scope(Some(u))?;
                view.store.get_id::<OrgUnit>(u.0)?.map(|u| u.level)
            }
            None => None,
        };
        let mut out = Vec::new();
        for kind in ActivityKind::MEETINGS {
            // A unit is asked only what its level holds.
            if level.is_some_and(|l| l != kind.held_by()) {
                continue;
            }
            let set = view
                .store
                .frequency(self.0, kind)?
                .map_or(Required::Inherit, |f| f.required);
            let effective = match self.0 {
                Some(u) => orglife::required_of(view.store, u, kind)?.0,
                None => match set {
                    Required::Every(e) => Some(e),
                    Required::Never => None,
                    Required::Inherit => match orglife::default_required(kind) {
                        Required::Every(e) => Some(e),
                        _ => None,
                    },
                },
            };
            out.push((kind, set, effective));
        }
        Ok(out)
    }
}

/// The posts catalogue (everyone's to read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostsQ;

impl Query for PostsQ {
    type Answer = Vec<Post>;
    fn answer(self, view: &View) -> Result<Vec<Post>, ReadError> {
        Ok(view.store.scan::<Post>().collect::<Result<_, _>>()?)
    }
}

/// The members within sight (of `org`'s subtree) who hold a post, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostHoldersQ {
    pub post: String,
    pub org: Option<OrgUnitId>,
}

impl Query for PostHoldersQ {
    type Answer = Vec<Member>;
    fn answer(self, view: &View) -> Result<Vec<Member>, ReadError> {
        let post = self.post.trim().to_string();
        in_scope(view, self.org, |cx| {
            Ok(cx
                .members
                .iter()
                .filter(|m| m.data.posts.contains(&post))
                .map(|m| (*m).clone())
                .collect::<Vec<_>>())
        })
        .map(|ms| {
            ms.into_iter()
                .filter_map(|m| view.sight.member(m))
                .collect()
        })
    }
}

/// The partners an activity was held with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityPartnersQ(pub ActivityId);

impl Query for ActivityPartnersQ {
    type Answer = Vec<PartnerId>;
    fn answer(self, view: &View) -> Result<Vec<PartnerId>, ReadError> {
        Ok(view
            .store
            .activity_partners(self.0)?
            .map(|a| a.partners)
            .unwrap_or_default())
    }
}

/// Per partner, the activities of the scope held with it in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JointQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
}

impl Query for JointQ {
    type Answer = Vec<JointRow>;
    fn answer(self, view: &View) -> Result<Vec<JointRow>, ReadError> {
        in_scope(view, self.org, |cx| {
            movement::joint(view.store, cx, &self.period)
        })
    }
}

/// The meetings (三会一课 and theme party days) of `org`'s subtree (the
/// actor's scope by default) held in a period, newest first, each with its
/// record when it has one: the organisational-life panel's list, in one read
/// rather than one `MinutesQ` per meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingsQ {
    pub org: Option<OrgUnitId>,
    pub period: Period,
}

impl Query for MeetingsQ {
    type Answer = Vec<(Activity, Option<MeetingRecord>)>;
    fn answer(self, view: &View) -> Result<Self::Answer, ReadError> {
        let scope = view.scope(self.org)?;
        let within: Option<std::collections::HashSet<OrgUnitId>> = match scope {
            crate::report::points::Scope::Community => None,
            crate::report::points::Scope::Subtree(root) => Some(
                crate::ops::query::subtree(view.store, root)?
                    .into_iter()
                    .collect(),
            ),
        };
        let mut out = Vec::new();
        for a in view.store.scan::<Activity>() {
            let a = a?;
            let host = a.data.host;
            if !a.data.kind.is_meeting()
                || !view.sight.sees(host)
                || within.as_ref().is_some_and(|w| !w.contains(&host))
                || !self.period.contains(a.data.starts.date())
            {
                continue;
            }
            let record = view.store.minutes(a.id)?.map(|m| m.record);
            out.push((a, record));
        }
        out.sort_by_key(|x| std::cmp::Reverse((x.0.data.starts, x.0.id)));
        Ok(out)
    }
}
