//! What the 组织生活 panel reads through the session, as this user may see
//! it: held vs due and the meetings of the period, a unit's committees, the
//! flow registers and lost contact, partners with their joint activities,
//! the posts and who holds one; a meeting's record; a member's movement.

use super::layer::MeetingShown;
use super::minutes::MinutesEditor;
use super::{MeetingRow, MoveRow, OrgLayer, OrgView, focus_unit};
use crate::access::{
    ActivityQ, FlowsQ, JointQ, LostContactQ, MeetingsQ, MinutesQ, MovementQ, OrgLifeQ, PartnersQ,
    PostHoldersQ, PostsQ, ReadError, SearchMinutesQ, Session, TermsQ,
};
use crate::domain::*;
use crate::tui::action::OrgLifeEffect;
use crate::tui::app::{App, Layer, RosterFilter};
use crate::tui::form::Form;

/// Runs what the panel asked for; a refusal or failure goes to the status line.
pub fn run(s: &Session, app: &mut App, effect: OrgLifeEffect) {
    let result = match effect {
        OrgLifeEffect::Load => load(s, app),
        OrgLifeEffect::OpenMeeting(id) => open_meeting(s, app, id),
        OrgLifeEffect::EditMinutes(id) => edit_minutes(s, app, id),
        OrgLifeEffect::AddResolution(id) => add_resolution(s, app, id),
        OrgLifeEffect::Search(text) => search(s, app, text),
        OrgLifeEffect::Movement(member) => s.ask(MovementQ(member)).map(|m| {
            app.orglife.movement = Some(m);
        }),
        OrgLifeEffect::Holders(post) => holders(s, app, post),
        OrgLifeEffect::EditPartners(id) => edit_partners(s, app, id),
        OrgLifeEffect::Selected => selected(s, app),
    };
    if let Err(e) = result {
        app.status = e.in_lang(app.lang == crate::tui::Lang::Zh);
    }
}

/// The lists of the panel's current view (and the due table, always: the
/// header of every view counts what is missed).
pub fn load(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let Some(period) = app.orglife.period.period(app.today) else {
        return Ok(());
    };
    let org = app.orglife.unit;
    let today = app.today;
    let key = (app.orglife.period, org, app.generation);
    if app.orglife.due_key != Some(key) {
        app.orglife.due = Some(s.ask(OrgLifeQ {
            org,
            period: period.clone(),
            today,
        })?);
        app.orglife.due_key = Some(key);
    }
    match app.orglife.view {
        OrgView::Meetings => {
            app.orglife.meetings = s
                .ask(MeetingsQ {
                    org,
                    period: period.clone(),
                })?
                .into_iter()
                .map(|(activity, record)| MeetingRow { activity, record })
                .collect();
        }
        OrgView::Committee => {
            app.orglife.terms = match focus_unit(app) {
                Some(u) => s.ask(TermsQ(u))?,
                None => Vec::new(),
            };
        }
        OrgView::Movement => {
            let mut moves: Vec<MoveRow> = s
                .ask(FlowsQ {
                    org,
                    on: today,
                    all: app.orglife.all_flows,
                })?
                .into_iter()
                .map(|f| MoveRow::Flow(Box::new(f)))
                .collect();
            moves.extend(
                s.ask(LostContactQ { org, on: today })?
                    .into_iter()
                    .map(|l| MoveRow::Lost(Box::new(l))),
            );
            app.orglife.moves = moves;
        }
        OrgView::Partners => {
            let mut partners = s.ask(PartnersQ)?;
            partners.sort_by_key(|p| (p.closed.is_some(), p.id));
            app.orglife.partners = partners;
            app.orglife.joint = s.ask(JointQ {
                org,
                period: period.clone(),
            })?;
        }
        OrgView::Posts => {
            let mut posts = s.ask(PostsQ)?;
            posts.sort_by_key(|p| (!p.data.active, p.id));
            app.orglife.posts = posts;
        }
    }
    let p = &mut app.orglife;
    p.loaded = true;
    let len = p.rows();
    let h = app.list_height.saturating_sub(super::view::LIST_CHROME);
    let i = OrgView::ALL.iter().position(|v| *v == p.view).unwrap_or(0);
    let c = &mut p.cursors[i];
    if c.selected >= len {
        c.selected = len.saturating_sub(1);
    }
    c.keep_visible(len, h);
    selected(s, app)
}

/// What the selected row shows beside the list: the member's movement on
/// the movement view, the post's holders on the posts view.
fn selected(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let org = app.orglife.unit;
    match app.orglife.view {
        OrgView::Movement => {
            let member = app.orglife.selected_move().map(MoveRow::member);
            app.orglife.movement = match member {
                Some(m) => Some(s.ask(MovementQ(m))?),
                None => None,
            };
        }
        OrgView::Posts => {
            app.orglife.holders = match app.orglife.selected_post() {
                Some(p) => s.ask(PostHoldersQ {
                    post: p.data.name.clone(),
                    org,
                })?,
                None => Vec::new(),
            };
        }
        OrgView::Meetings | OrgView::Committee | OrgView::Partners => {}
    }
    Ok(())
}

fn activity(s: &Session, id: ActivityId) -> Result<Activity, ReadError> {
    s.ask(ActivityQ(id))?
        .ok_or_else(|| ReadError::not_found(format!("activity {id}"), format!("活动 {id}")))
}

/// A meeting's record over the panel (its stored record, names filled in).
pub fn open_meeting(s: &Session, app: &mut App, id: ActivityId) -> Result<(), ReadError> {
    let a = activity(s, id)?;
    let printed = s.ask(MinutesQ(id))?;
    let shown = MeetingShown {
        activity: id,
        title: a.data.title,
        printed,
        scroll: 0,
    };
    // Reopened in place after an edit, so Esc goes back to the list.
    if let Some(Layer::OrgLife(l)) = app.layers.last_mut()
        && matches!(**l, OrgLayer::Meeting(_))
    {
        **l = OrgLayer::Meeting(Box::new(shown));
        return Ok(());
    }
    app.layers
        .push(Layer::OrgLife(Box::new(OrgLayer::Meeting(Box::new(shown)))));
    Ok(())
}

/// The record as stored now, not as the list last read it: someone else may
/// have written minutes since.
fn stored_record(s: &Session, id: ActivityId) -> Result<Option<MeetingRecord>, ReadError> {
    Ok(s.ask(MinutesQ(id))?.map(|p| p.record))
}

fn edit_minutes(s: &Session, app: &mut App, id: ActivityId) -> Result<(), ReadError> {
    let a = activity(s, id)?;
    let record = stored_record(s, id)?;
    let editor = MinutesEditor::open(app, &a, record);
    app.layers
        .push(Layer::OrgLife(Box::new(OrgLayer::Minutes(Box::new(
            editor,
        )))));
    Ok(())
}

fn add_resolution(s: &Session, app: &mut App, id: ActivityId) -> Result<(), ReadError> {
    let record = stored_record(s, id)?.unwrap_or_default();
    let form = Form::resolution(app.lang, id, record);
    app.layers.push(Layer::Form(Box::new(form)));
    Ok(())
}

/// The form naming a meeting's partners, with those it names now.
fn edit_partners(s: &Session, app: &mut App, id: ActivityId) -> Result<(), ReadError> {
    let partners = s.ask(PartnersQ)?;
    let named = s.ask(crate::access::ActivityPartnersQ(id))?;
    let form = Form::activity_partners(app.lang, id, &partners, &named);
    app.layers.push(Layer::Form(Box::new(form)));
    Ok(())
}

fn search(s: &Session, app: &mut App, text: String) -> Result<(), ReadError> {
    let found = s.ask(SearchMinutesQ(text.clone()))?;
    let ids: Vec<ActivityId> = found.iter().map(|(a, _)| a.id).collect();
    let shown = app
        .orglife
        .meetings
        .iter()
        .filter(|m| ids.contains(&m.activity.id))
        .count();
    app.orglife.found = Some(ids);
    app.status = match app.lang {
        crate::tui::Lang::Zh => format!(
            "议题含“{text}”的会议：本期 {shown} 次，共 {} 次",
            found.len()
        ),
        crate::tui::Lang::En => format!(
            "meetings about “{text}”: {shown} in the period, {} in all",
            found.len()
        ),
    };
    Ok(())
}

/// The roster, filtered to the members (in the panel's scope) holding a post.
fn holders(s: &Session, app: &mut App, post: String) -> Result<(), ReadError> {
    let members = s.ask(PostHoldersQ {
        post: post.clone(),
        org: app.orglife.unit,
    })?;
    let label = format!("{} {post}", app.tr("ol.post_label"));
    app.show_filtered(RosterFilter {
        label,
        ids: members.iter().map(|m| m.id).collect(),
    });
    Ok(())
}

/// Writes a meeting's printed minutes: a workbook for `.xlsx`, else plain
/// text a user can print. What the status line says, or why it failed.
pub fn write_minutes(
    s: &Session,
    app: &App,
    file: &std::path::Path,
    activity: ActivityId,
) -> Result<String, String> {
    let zh = app.lang == crate::tui::Lang::Zh;
    let printed = s
        .ask(MinutesQ(activity))
        .map_err(|e| e.in_lang(zh))?
        .ok_or_else(|| app.tr("ol.no_record").to_string())?;
    let xlsx = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if xlsx {
        let table = crate::io::orglife::minutes_table(&printed, zh);
        crate::io::xlsx::xlsx_book(&[table]).map_err(|e| e.to_string())?
    } else {
        crate::io::orglife::minutes_text(&printed, zh).into_bytes()
    };
    crate::io::atomic::write_bytes(file, &bytes).map_err(|e| e.to_string())?;
    let shown = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    Ok(match zh {
        true => format!("已写出会议记录 {}", shown.display()),
        false => format!("wrote the minutes to {}", shown.display()),
    })
}

/// After a change, the meeting shown over the panel is read again, so a
/// resolution or minutes just saved (here or elsewhere) show in it.
pub fn reopen(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let shown = app.layers.iter().rev().find_map(|l| match l {
        Layer::OrgLife(o) => match &**o {
            OrgLayer::Meeting(m) => Some(m.activity),
            _ => None,
        },
        _ => None,
    });
    let Some(id) = shown else {
        return Ok(());
    };
    let printed = s.ask(MinutesQ(id))?;
    for l in app.layers.iter_mut() {
        if let Layer::OrgLife(o) = l
            && let OrgLayer::Meeting(m) = &mut **o
            && m.activity == id
        {
            m.printed = printed.clone();
        }
    }
    Ok(())
}
