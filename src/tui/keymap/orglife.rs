//! The key tables of the 组织生活 panel and the layers over it (its view
//! keys, the minutes editor, a meeting's record), kept apart from the other
//! panels' so `keymap.rs` stays readable; `help_keys` lists them as any other.

use super::{Binding, bind, ctrl};
use crate::tui::action::Action;
use crossterm::event::KeyCode::{BackTab, Char, Down, Enter, Esc, Left, Right, Tab, Up};

/// 组织生活: the view's keys (each view uses those that fit it; the help
/// line says which).
pub(super) const ORGLIFE: &[Binding] = &[
    bind(&[Left, Char('h')], Action::OrgLifeView(-1), "key.ol.views"),
    bind(&[Right, Char('l')], Action::OrgLifeView(1), "key.ol.views"),
    bind(&[Char('p')], Action::RankPeriod, "key.ol.views"),
    bind(&[Char('o')], Action::RankUnit, "key.ol.views"),
    bind(&[Enter], Action::Enter, "key.ol.open"),
    bind(&[Char('/')], Action::StartSearch, "key.ol.open"),
    bind(&[Char('n')], Action::OrgLifeNew, "key.ol.new"),
    bind(&[Char('e')], Action::Edit, "key.ol.new"),
    bind(&[Char('r')], Action::AddResolution, "key.ol.resolution"),
    bind(&[Char('w')], Action::ExportView, "key.ol.resolution"),
    bind(&[Char('b')], Action::MeetingPartners, "key.ol.resolution"),
    bind(&[Char('t')], Action::Transfer, "key.ol.transfer"),
    bind(&[Char('c')], Action::LostContact, "key.ol.transfer"),
    bind(&[Char('f')], Action::AllFlows, "key.ol.transfer"),
    bind(&[Char('x')], Action::ClosePartner, "key.ol.close"),
    bind(&[Char('a')], Action::AssignPost(true), "key.ol.close"),
    bind(&[Char('d')], Action::AssignPost(false), "key.ol.close"),
    bind(&[Char('m')], Action::ShowMembers, "key.ol.close"),
];

/// The minutes editor: what is not bound here is typed (Enter too: a new
/// line in the minutes, the next field in a one-line field).
pub(super) const MINUTES: &[Binding] = &[
    ctrl(&[Char('s')], Action::MinutesSave, "key.ol.minutes_keys"),
    bind(&[Esc], Action::Back, "key.ol.minutes_keys"),
    bind(&[Tab], Action::FormNext, "key.ol.minutes_keys"),
    bind(&[BackTab], Action::FormPrev, "key.ol.minutes_keys"),
];

/// A meeting's record over the panel.
pub(super) const MEETING: &[Binding] = &[
    bind(&[Up, Char('k')], Action::Up, "key.move"),
    bind(&[Down, Char('j')], Action::Down, "key.move"),
    bind(&[Esc, Char('q'), Enter], Action::Back, "key.quit"),
    bind(&[Char('e')], Action::Edit, "key.ol.meeting_keys"),
    bind(&[Char('r')], Action::AddResolution, "key.ol.meeting_keys"),
    bind(&[Char('w')], Action::ExportView, "key.ol.meeting_keys"),
];
