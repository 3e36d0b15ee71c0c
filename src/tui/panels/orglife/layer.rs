//! What opens over the 组织生活 panel, as one `Layer::OrgLife`: the topic
//! search line, a meeting's record (read only, scrolled), and the minutes
//! editor. Each says which key context it has and answers every action.

use super::minutes::MinutesEditor;
use crate::domain::ActivityId;
use crate::io::orglife::PrintedMinutes;
use crate::tui::action::{Action, Effect, Handled, OrgLifeEffect};
use crate::tui::app::{App, Layer};
use crate::tui::keymap::KeyContext;

/// A meeting as its record layer shows it.
#[derive(Debug, Clone)]
pub struct MeetingShown {
    pub activity: ActivityId,
    pub title: String,
    /// `None`: the meeting has no record yet.
    pub printed: Option<PrintedMinutes>,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub enum OrgLayer {
    /// Typing the topic to search the minutes for.
    Search(tui_input::Input),
    Meeting(Box<MeetingShown>),
    Minutes(Box<MinutesEditor>),
}

impl OrgLayer {
    pub fn context(&self) -> KeyContext {
        match self {
            OrgLayer::Search(_) => KeyContext::Search,
            OrgLayer::Meeting(_) => KeyContext::Meeting,
            OrgLayer::Minutes(_) => KeyContext::Minutes,
        }
    }

    /// Whether this is an editor a successful save closes.
    pub fn is_editor(&self) -> bool {
        matches!(self, OrgLayer::Minutes(_))
    }
}

impl App {
    /// The 组织生活 layer on top, if it is one.
    pub fn org_layer(&self) -> Option<&OrgLayer> {
        match self.layers.last() {
            Some(Layer::OrgLife(l)) => Some(l),
            _ => None,
        }
    }
}

fn top(app: &mut App) -> Option<&mut OrgLayer> {
    match app.layers.last_mut() {
        Some(Layer::OrgLife(l)) => Some(l),
        _ => None,
    }
}

/// An action while a 组织生活 layer is on top.
pub fn update(app: &mut App, action: &Action) -> Handled {
    let Some(layer) = top(app) else {
        return Handled::Ignored;
    };
    match layer {
        OrgLayer::Search(input) => match action {
            Action::SearchKey(k) => {
                use tui_input::backend::crossterm::EventHandler;
                input.handle_event(&crossterm::event::Event::Key(*k));
                Handled::DONE
            }
            Action::SearchDone => {
                let text = input.value().trim().to_string();
                let kept = input.clone();
                app.layers.pop();
                app.status.clear();
                app.orglife.cursors[0] = Default::default();
                if text.is_empty() {
                    app.orglife.found = None;
                    app.orglife.search = None;
                    return Handled::DONE;
                }
                app.orglife.search = Some(kept);
                Handled::effect(Effect::OrgLife(OrgLifeEffect::Search(text)))
            }
            Action::Back => {
                app.layers.pop();
                app.orglife.search = None;
                app.orglife.found = None;
                app.status.clear();
                Handled::DONE
            }
            _ => Handled::Ignored,
        },
        OrgLayer::Meeting(m) => {
            let id = m.activity;
            match action {
                Action::Up => m.scroll = m.scroll.saturating_sub(1),
                Action::Down => m.scroll += 1,
                Action::Back => {
                    app.layers.pop();
                }
                Action::Edit => {
                    return Handled::effect(Effect::OrgLife(OrgLifeEffect::EditMinutes(id)));
                }
                Action::AddResolution => {
                    return Handled::effect(Effect::OrgLife(OrgLifeEffect::AddResolution(id)));
                }
                Action::ExportView => crate::tui::import::start_minutes(app, id),
                _ => {}
            }
            Handled::DONE
        }
        OrgLayer::Minutes(_) => super::minutes::update(app, action),
    }
}
