//! The 组织生活 panel (issue 18): five views a branch secretary shows an
//! inspector, switched with ←/→ — 三会一课 held against due with the meetings
//! list (a meeting's record over it, the minutes editor), the committee with
//! its elections, members who move (flows, lost contact, transfers), partners
//! (联建共建) and posts (设岗定责). The state and its update; what it reads
//! is `load`, its drawing `view` and `view_lists`, its layers `layer`.
//! Every change leaves as a `Command`; the session decides what is allowed.

pub mod layer;
pub mod load;
pub mod minutes;
pub mod view;
pub mod view_lists;

use crate::access::Movement;
use crate::domain::*;
use crate::report::movement::{FlowRow, JointRow};
use crate::report::orglife::OrgLifeReport;
use crate::tui::action::{Action, Effect, Handled, OrgLifeEffect, Via};
use crate::tui::app::{App, Layer};
use crate::tui::cursor::Cursor;
use crate::tui::form::Form;
use crate::tui::period::RankPeriod;
pub use layer::OrgLayer;

/// The panel's views, in the order ←/→ walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgView {
    Meetings,
    Committee,
    Movement,
    Partners,
    Posts,
}

impl OrgView {
    pub const ALL: [OrgView; 5] = [
        OrgView::Meetings,
        OrgView::Committee,
        OrgView::Movement,
        OrgView::Partners,
        OrgView::Posts,
    ];

    /// The view's name, an i18n key.
    pub fn key(self) -> &'static str {
        match self {
            OrgView::Meetings => "ol.view.meetings",
            OrgView::Committee => "ol.view.committee",
            OrgView::Movement => "ol.view.movement",
            OrgView::Partners => "ol.view.partners",
            OrgView::Posts => "ol.view.posts",
        }
    }

    fn step(self, delta: isize) -> OrgView {
        let n = OrgView::ALL.len() as isize;
        let i = OrgView::ALL.iter().position(|v| *v == self).unwrap_or(0) as isize;
        OrgView::ALL[(i + delta).rem_euclid(n) as usize]
    }
}

/// A meeting as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRow {
    pub activity: Activity,
    pub record: Option<MeetingRecord>,
}

/// One line of the movement view: a flow, or a member out of contact.
#[derive(Debug, Clone, PartialEq)]
pub enum MoveRow {
    Flow(Box<FlowRow>),
    Lost(Box<(Member, LostContact)>),
}

impl MoveRow {
    pub fn member(&self) -> MemberId {
        match self {
            MoveRow::Flow(f) => f.flow.data.member,
            MoveRow::Lost(l) => l.0.id,
        }
    }
}

pub struct OrgLifePanel {
    pub loaded: bool,
    pub view: OrgView,
    pub period: RankPeriod,
    /// The branch the views are about (`o` cycles); `None`: the whole scope.
    pub unit: Option<OrgUnitId>,
    pub due: Option<OrgLifeReport>,
    /// What `due` was computed for (period, unit, the app's generation): it
    /// sums the whole scope, so walking the views does not compute it again.
    pub due_key: Option<(RankPeriod, Option<OrgUnitId>, u64)>,
    pub meetings: Vec<MeetingRow>,
    /// The topic searched for (`/`), and the meetings it found.
    pub search: Option<tui_input::Input>,
    pub found: Option<Vec<ActivityId>>,
    pub terms: Vec<Term>,
    pub moves: Vec<MoveRow>,
    /// Every flow, not only those lasting today (`f`).
    pub all_flows: bool,
    /// The selected member's movement history.
    pub movement: Option<Movement>,
    pub partners: Vec<Partner>,
    pub joint: Vec<JointRow>,
    pub posts: Vec<Post>,
    /// Who holds the selected post.
    pub holders: Vec<Member>,
    /// One cursor per view, so walking the views keeps each one's place.
    pub cursors: [Cursor; 5],
}

impl Default for OrgLifePanel {
    fn default() -> Self {
        OrgLifePanel {
            loaded: false,
            view: OrgView::Meetings,
            period: RankPeriod::Year,
            unit: None,
            due: None,
            due_key: None,
            meetings: Vec::new(),
            search: None,
            found: None,
            terms: Vec::new(),
            moves: Vec::new(),
            all_flows: false,
            movement: None,
            partners: Vec::new(),
            joint: Vec::new(),
            posts: Vec::new(),
            holders: Vec::new(),
            cursors: Default::default(),
        }
    }
}

impl OrgLifePanel {
    fn index(&self) -> usize {
        OrgView::ALL
            .iter()
            .position(|v| *v == self.view)
            .unwrap_or(0)
    }

    pub fn cursor(&self) -> &Cursor {
        &self.cursors[self.index()]
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        let i = self.index();
        &mut self.cursors[i]
    }

    /// The meetings the list shows: those the search found, or all of them.
    pub fn shown_meetings(&self) -> Vec<&MeetingRow> {
        match &self.found {
            Some(ids) => self
                .meetings
                .iter()
                .filter(|m| ids.contains(&m.activity.id))
                .collect(),
            None => self.meetings.iter().collect(),
        }
    }

    pub fn selected_meeting(&self) -> Option<&MeetingRow> {
        self.shown_meetings().get(self.cursors[0].selected).copied()
    }

    pub fn selected_move(&self) -> Option<&MoveRow> {
        self.moves.get(self.cursors[2].selected)
    }

    pub fn selected_partner(&self) -> Option<&Partner> {
        self.partners.get(self.cursors[3].selected)
    }

    pub fn selected_post(&self) -> Option<&Post> {
        self.posts.get(self.cursors[4].selected)
    }

    /// Rows in the list of the current view.
    pub fn rows(&self) -> usize {
        match self.view {
            OrgView::Meetings => self.shown_meetings().len(),
            OrgView::Committee => self.terms.len(),
            OrgView::Movement => self.moves.len(),
            OrgView::Partners => self.partners.len(),
            OrgView::Posts => self.posts.len(),
        }
    }
}

/// The unit the committee view and new records are about: the chosen
/// branch, else the top of what the user sees.
pub fn focus_unit(app: &App) -> Option<OrgUnitId> {
    app.orglife.unit.or_else(|| app.top_unit())
}

fn load() -> Handled {
    Handled::effect(Effect::OrgLife(OrgLifeEffect::Load))
}

fn open(app: &mut App, form: Form) -> Handled {
    app.layers.push(Layer::Form(Box::new(form)));
    Handled::DONE
}

/// The panel's own actions.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    let height = app.list_height.saturating_sub(view::LIST_CHROME);
    if crate::tui::cursor::motion(action, 1, 1).is_some() {
        let len = app.orglife.rows();
        app.orglife.cursor_mut().follow(action, len, height);
        // The selection's details (history, holders) are read for it alone.
        return match app.orglife.view {
            OrgView::Movement | OrgView::Posts => {
                Handled::effect(Effect::OrgLife(OrgLifeEffect::Selected))
            }
            _ => Handled::DONE,
        };
    }
    let p = &mut app.orglife;
    match action {
        Action::OrgLifeView(d) => {
            p.view = p.view.step(*d);
            load()
        }
        Action::RankPeriod => {
            p.period = p.period.next();
            load()
        }
        Action::RankUnit => {
            let next = app.next_branch(app.orglife.unit);
            app.orglife.unit = next;
            load()
        }
        Action::Enter => enter(app),
        // Esc drops a topic search before it leaves the app.
        Action::Back if p.found.is_some() => {
            p.found = None;
            p.search = None;
            p.cursors[0] = Cursor::default();
            Handled::DONE
        }
        Action::StartSearch if p.view == OrgView::Meetings => {
            let input = p.search.take().unwrap_or_default();
            app.layers
                .push(Layer::OrgLife(Box::new(OrgLayer::Search(input))));
            app.status = app.tr("ol.search_hint").to_string();
            Handled::DONE
        }
        Action::OrgLifeNew => new_record(app),
        Action::Edit => edit(app),
        Action::AddResolution => match p.selected_meeting().filter(|_| p.view == OrgView::Meetings)
        {
            Some(m) => {
                Handled::effect(Effect::OrgLife(OrgLifeEffect::AddResolution(m.activity.id)))
            }
            None => Handled::Ignored,
        },
        Action::MeetingPartners => match p
            .selected_meeting()
            .filter(|_| p.view == OrgView::Meetings)
        {
            Some(m) => Handled::effect(Effect::OrgLife(OrgLifeEffect::EditPartners(m.activity.id))),
            None => Handled::Ignored,
        },
        Action::ExportView => match p.selected_meeting().filter(|_| p.view == OrgView::Meetings) {
            Some(m) => {
                let id = m.activity.id;
                crate::tui::import::start_minutes(app, id);
                Handled::DONE
            }
            None => Handled::Ignored,
        },
        Action::Transfer if p.view == OrgView::Movement => {
            let member = p.selected_move().map(MoveRow::member);
            let name = member.map(|m| crate::tui::reload::member_name(app, m));
            let form = Form::transfer(app.lang, name.as_deref().unwrap_or(""), app.today);
            open(app, form)
        }
        Action::LostContact if p.view == OrgView::Movement => {
            let row = p.selected_move().cloned();
            let form = match &row {
                Some(MoveRow::Lost(l)) => Form::lost_contact(app.lang, &l.0, Some(&l.1), app.today),
                Some(MoveRow::Flow(f)) => {
                    let name = crate::tui::reload::member_name(app, f.flow.data.member);
                    Form::lost_contact_named(app.lang, &name, app.today)
                }
                None => Form::lost_contact_named(app.lang, "", app.today),
            };
            open(app, form)
        }
        Action::AllFlows if p.view == OrgView::Movement => {
            p.all_flows = !p.all_flows;
            load()
        }
        Action::ClosePartner if p.view == OrgView::Partners => {
            let Some(partner) = p.selected_partner() else {
                return Handled::Ignored;
            };
            let cmd = match partner.closed {
                Some(_) => Command::ReopenPartner { id: partner.id },
                None => Command::ClosePartner {
                    id: partner.id,
                    date: app.today,
                },
            };
            Handled::effect(Effect::Apply { cmd, via: Via::Key })
        }
        Action::AssignPost(on) if p.view == OrgView::Posts => {
            let Some(post) = p.selected_post() else {
                return Handled::Ignored;
            };
            let holders: Vec<(String, u64)> = p
                .holders
                .iter()
                .map(|m| (m.data.name.clone(), m.id.0))
                .collect();
            let form = if *on {
                Form::assign_post(app.lang, post)
            } else if holders.is_empty() {
                app.status = app.tr("ol.no_holders").to_string();
                return Handled::DONE;
            } else {
                Form::unassign_post(app.lang, post, holders)
            };
            open(app, form)
        }
        Action::ShowMembers if p.view == OrgView::Posts => match p.selected_post() {
            Some(post) => Handled::effect(Effect::OrgLife(OrgLifeEffect::Holders(
                post.data.name.clone(),
            ))),
            None => Handled::Ignored,
        },
        _ => Handled::Ignored,
    }
}

use crate::ops::Command;

/// Enter: a meeting's record, a member's movement history, a post's holders.
fn enter(app: &mut App) -> Handled {
    let p = &app.orglife;
    match p.view {
        OrgView::Meetings => match p.selected_meeting() {
            Some(m) => Handled::effect(Effect::OrgLife(OrgLifeEffect::OpenMeeting(m.activity.id))),
            None => Handled::DONE,
        },
        OrgView::Movement => match p.selected_move() {
            Some(row) => Handled::effect(Effect::OrgLife(OrgLifeEffect::Movement(row.member()))),
            None => Handled::DONE,
        },
        OrgView::Posts => match p.selected_post() {
            Some(post) => Handled::effect(Effect::OrgLife(OrgLifeEffect::Holders(
                post.data.name.clone(),
            ))),
            None => Handled::DONE,
        },
        OrgView::Committee | OrgView::Partners => Handled::DONE,
    }
}

/// `n`: a new record of the view.
fn new_record(app: &mut App) -> Handled {
    let unit = focus_unit(app);
    let form = match app.orglife.view {
        OrgView::Meetings => {
            let mut form = Form::new_activity(app.lang, &app.units, &app.rules, unit, app.today);
            form.preset_meeting();
            form
        }
        OrgView::Committee => {
            let Some(unit) = unit else {
                return Handled::Ignored;
            };
            let current = app.orglife.terms.iter().find(|t| t.ended.is_none());
            Form::record_term(app.lang, unit, current, &app.members, app.today)
        }
        OrgView::Movement => Form::new_flow(app.lang, app.today),
        OrgView::Partners => Form::new_partner(app.lang, &app.units),
        OrgView::Posts => Form::new_post(app.lang),
    };
    open(app, form)
}

/// `e`: the selected record, in its form (a meeting: the minutes editor).
fn edit(app: &mut App) -> Handled {
    let p = &app.orglife;
    match p.view {
        OrgView::Meetings => match p.selected_meeting() {
            Some(m) => Handled::effect(Effect::OrgLife(OrgLifeEffect::EditMinutes(m.activity.id))),
            None => Handled::Ignored,
        },
        OrgView::Movement => match p.selected_move() {
            Some(MoveRow::Flow(f)) => {
                let name = crate::tui::reload::member_name(app, f.flow.data.member);
                let form = Form::edit_flow(app.lang, &f.flow, &name);
                open(app, form)
            }
            Some(MoveRow::Lost(l)) => {
                let form = Form::lost_contact(app.lang, &l.0, Some(&l.1), app.today);
                open(app, form)
            }
            None => Handled::Ignored,
        },
        OrgView::Partners => match p.selected_partner().cloned() {
            Some(partner) => {
                let form = Form::edit_partner(app.lang, &app.units, &partner);
                open(app, form)
            }
            None => Handled::Ignored,
        },
        OrgView::Posts => match p.selected_post().cloned() {
            Some(post) => open(app, Form::edit_post(app.lang, &post)),
            None => Handled::Ignored,
        },
        OrgView::Committee => Handled::Ignored,
    }
}
