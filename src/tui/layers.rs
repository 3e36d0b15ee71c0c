//! The one layer stack: everything modal over the panels — help, a form, a
//! confirmation, import / export, recent changes, the roster's search line,
//! check-in and the points entry line — is a `Layer`. The top layer has the
//! keys (`context` gives `keymap::resolve` its context) and answers every
//! action `Consumed` or `Ignored`; what it ignores goes on to the panel and
//! the global keys (so Ctrl+Z undoes from the points line).

use super::action::{Action, Effect, Handled, Panel, Via};
use super::app::App;
use super::changes::Changes;
use super::form::Form;
use super::import::IoScreen;
use super::keymap::KeyContext;
use super::panels::activities::CheckIn;
use super::panels::points::evaluation::EvalView;
use super::panels::points::queue::Queue;
use super::users::Users;
use crate::domain::*;
use crate::ops::Command;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    DiscardForm,
    /// Quit although something typed would be lost (`q`, Ctrl-C).
    Quit,
    CloseUnit(OrgUnitId),
    RevokeUser(Box<User>),
}

/// Pop-ups and modes over the panels; the top one gets keys first.
#[derive(Debug, Clone)]
pub enum Layer {
    Help,
    Form(Box<Form>),
    Confirm(Confirm),
    /// Import or export: a file name, then an import's preview.
    Io(Box<IoScreen>),
    /// Recent changes, from the audit log (`L`).
    Changes(Box<Changes>),
    /// Typing in the roster's search line (the query itself is the roster's:
    /// it stays, filtering, once Enter closes the line).
    Search,
    /// The points panel's entry line has the keys.
    PointsLine,
    /// Check-in mode on the activities panel.
    CheckIn(Box<CheckIn>),
    /// Who may use the store (`U`, committee admins).
    Users(Box<Users>),
    /// The yearly evaluation over the points panel.
    Evaluation(Box<EvalView>),
    /// The approval queue over the points panel.
    Approvals(Box<Queue>),
    /// Over the 组织生活 panel: the topic search, a meeting's record, the
    /// minutes editor.
    OrgLife(Box<super::panels::orglife::OrgLayer>),
    /// Which of several equally matching members (an exact tie on Enter).
    PickMember(Box<super::finder::PickMember>),
    /// An activity's roll: who is expected, in, absent; bulk marks.
    Roll(Box<super::panels::activities::roll::Roll>),
}

impl Layer {
    /// The key context while this layer is on top.
    pub fn context(&self) -> KeyContext {
        match self {
            Layer::Help => KeyContext::Help,
            Layer::Form(_) => KeyContext::Form,
            Layer::Confirm(_) => KeyContext::Confirm,
            Layer::Io(s) if super::import::previewing(s) => KeyContext::IoPreview,
            Layer::Io(_) => KeyContext::IoLine,
            Layer::Changes(_) => KeyContext::Changes,
            Layer::Search => KeyContext::Search,
            Layer::PointsLine => KeyContext::PointsLine,
            Layer::CheckIn(_) => KeyContext::CheckIn,
            Layer::Users(_) => KeyContext::Users,
            Layer::Evaluation(_) => KeyContext::Evaluation,
            Layer::Approvals(_) => KeyContext::Approvals,
            Layer::OrgLife(l) => l.context(),
            Layer::PickMember(_) => KeyContext::PickMember,
            Layer::Roll(_) => KeyContext::Roll,
        }
    }
}

/// The key context now: the top layer's, or the panel's.
pub fn context(app: &App) -> KeyContext {
    match app.layers.last() {
        Some(layer) => layer.context(),
        None => KeyContext::Panel(app.panel),
    }
}

/// Gives the top layer the action.
pub fn update(app: &mut App, action: &Action) -> Handled {
    let Some(top) = app.layers.last_mut() else {
        return Handled::Ignored;
    };
    match top {
        Layer::Help => {
            // The window the help shows is a line shorter than the lists.
            let page = app.list_height.saturating_sub(1).max(1);
            let last = super::keymap::help_keys(app.panel)
                .len()
                .saturating_sub(page);
            app.help_scroll = match action {
                Action::Up => app.help_scroll.saturating_sub(1),
                Action::Down => app.help_scroll + 1,
                Action::PageUp => app.help_scroll.saturating_sub(page),
                Action::PageDown => app.help_scroll + page,
                _ => {
                    app.layers.pop();
                    return Handled::DONE;
                }
            }
            .min(last);
            Handled::DONE
        }
        Layer::Changes(c) => {
            if *action == Action::Back {
                app.layers.pop();
            } else {
                c.motion(action);
            }
            Handled::DONE
        }
        Layer::Io(_) => Handled::Consumed(super::import::update(app, action)),
        Layer::Confirm(c) => {
            let c = c.clone();
            app.layers.pop();
            Handled::Consumed(match (c, action) {
                (Confirm::DiscardForm, Action::Yes) => {
                    app.layers.pop();
                    None
                }
                (Confirm::Quit, Action::Yes) => {
                    app.quit = true;
                    None
                }
                (Confirm::RevokeUser(u), Action::Yes) => Some(Effect::Apply {
                    cmd: Command::UpdateUser {
                        login: u.login,
                        display_name: u.display_name,
                        role: u.role,
                        scope: u.scope,
                        active: false,
                    },
                    via: Via::Key,
                }),
                (Confirm::CloseUnit(id), Action::Yes) => Some(Effect::Apply {
                    cmd: Command::CloseOrgUnit {
                        id,
                        date: app.today,
                    },
                    via: Via::Key,
                }),
                _ => None,
            })
        }
        Layer::Form(form) => {
            match action {
                Action::Back => {
                    if form.dirty {
                        app.layers.push(Layer::Confirm(Confirm::DiscardForm));
                    } else {
                        app.layers.pop();
                    }
                }
                Action::FormNext => {
                    form.focus_next(1);
                    form.refresh_member_matches(&app.members, &app.finder);
                }
                Action::FormPrev => {
                    form.focus_next(-1);
                    form.refresh_member_matches(&app.members, &app.finder);
                }
                Action::FormChoice(d) => form.choose(*d),
                Action::FormKey(k) => {
                    form.key(*k);
                    form.refresh_member_matches(&app.members, &app.finder);
                }
                Action::FormSave => return Handled::Consumed(save_form(app)),
                _ => {}
            }
            Handled::DONE
        }
        Layer::Evaluation(_) => super::panels::points::evaluation::update(app, action),
        Layer::Approvals(_) => super::panels::points::queue::update(app, action),
        Layer::PickMember(_) => super::finder::update(app, action),
        Layer::Roll(_) => super::panels::activities::roll::update(app, action),
        Layer::Search => search(app, action),
        Layer::OrgLife(_) => super::panels::orglife::layer::update(app, action),
        Layer::Users(u) => {
            match action {
                Action::Back => {
                    app.layers.pop();
                }
                Action::UserAdd => {
                    let form = Form::new_user(app.lang, &app.units);
                    app.layers.push(Layer::Form(Box::new(form)));
                }
                Action::Edit => {
                    if let Some(user) = u.selected() {
                        let form = Form::edit_user(app.lang, user, &app.units);
                        app.layers.push(Layer::Form(Box::new(form)));
                    }
                }
                Action::UserRevoke => {
                    if let Some(user) = u.selected().filter(|u| u.active) {
                        let confirm = Confirm::RevokeUser(Box::new(user.clone()));
                        app.layers.push(Layer::Confirm(confirm));
                    }
                }
                _ => {
                    u.motion(action);
                }
            }
            Handled::DONE
        }
        Layer::PointsLine => points_line(app, action),
        Layer::CheckIn(ci) => {
            let id = ci.activity;
            let here = app
                .activities
                .attendees(id)
                .map(|a| a.present.clone())
                .unwrap_or_default();
            match action {
                Action::CheckinKey(k) => ci.key(*k, &app.members, &app.finder, &here),
                Action::CheckinScope => ci.toggle_everyone(&app.members, &app.finder, &here),
                Action::CheckinPick(d) => ci.matches.pick(*d),
                Action::CheckinEnter => return super::panels::activities::enter(app),
                // Esc clears what is typed; on an empty line it leaves the mode.
                Action::Back if !ci.input.value().is_empty() => {
                    ci.input.reset();
                    ci.matches.clear();
                    ci.warning = None;
                }
                Action::Back => {
                    app.layers.pop();
                }
                _ => return Handled::Ignored,
            }
            Handled::DONE
        }
    }
}

/// Saves the form on top: its member fields are resolved by the finder
/// first, and a tie asks which member before anything is saved.
pub fn save_form(app: &mut App) -> Option<Effect> {
    let Some(Layer::Form(form)) = app.layers.last_mut() else {
        return None;
    };
    let mut tie = None;
    for field in form.member_fields() {
        if form.chosen_member(field).is_some() {
            continue;
        }
        let text = form.text_of(field);
        match super::finder::resolve_text(&text, &app.members, &app.finder, &app.member_index) {
            Ok(Some(m)) => form.choose_member(field, m),
            Ok(None) => {}
            Err(all) => {
                if let Some(i) = form.fields.iter().position(|f| f.id == field) {
                    form.focus = i;
                }
                tie = Some((field, all));
                break;
            }
        }
    }
    if let Some((field, all)) = tie {
        super::finder::ask(app, all, super::finder::PickFor::Form(field));
        return None;
    }
    match form.bulk_commands() {
        Some(Ok(cmds)) => {
            app.layers.pop();
            return Some(Effect::ApplyAll {
                cmds,
                via: Via::Key,
            });
        }
        Some(Err(msg)) => {
            form.error = Some(msg);
            return None;
        }
        None => {}
    }
    match form.to_command(&app.members, &app.member_index) {
        Ok(cmd) => Some(Effect::Apply {
            cmd,
            via: Via::Form,
        }),
        Err(msg) => {
            form.error = Some(msg);
            None
        }
    }
}

/// The search line: typing filters the roster as it goes; Enter keeps the
/// filter and gives the keys back, Esc drops it. Motion goes to the roster.
fn search(app: &mut App, action: &Action) -> Handled {
    match action {
        Action::SearchKey(k) => {
            if let Some(input) = app.search.as_mut() {
                use tui_input::backend::crossterm::EventHandler;
                input.handle_event(&crossterm::event::Event::Key(*k));
            }
            app.refilter();
        }
        Action::SearchDone => {
            app.layers.pop();
            app.status.clear();
        }
        // Esc clears the query; on an empty line it closes it.
        Action::Back if app.search.as_ref().is_some_and(|s| !s.value().is_empty()) => {
            app.search = Some(tui_input::Input::default());
            app.refilter();
        }
        Action::Back => {
            app.layers.pop();
            app.search = None;
            app.refilter();
        }
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

/// The points entry line: member → rule → quantity → date → note.
fn points_line(app: &mut App, action: &Action) -> Handled {
    let p = &mut app.points;
    match action {
        Action::PointsKey(k) => p.key(*k, &app.members, &app.finder, &app.rules),
        Action::PointsPick(d) => p.pick(*d, app.rules.len()),
        Action::PointsField(d) => p.move_field(*d),
        Action::PointsEnter => {
            let picking = p.field == super::panels::points::EntryField::Member;
            if let (true, super::finder::Found::Tie(all)) = (picking, p.matches.found()) {
                super::finder::ask(app, all, super::finder::PickFor::PointsLine);
                return Handled::DONE;
            }
            let cmd = p.enter(&app.members, &app.rules, app.lang);
            return Handled::Consumed(match (cmd, picking, p.member) {
                (Some(cmd), _, _) => Some(Effect::Apply {
                    cmd,
                    via: Via::PointsLine,
                }),
                (None, true, Some(member)) => Some(Effect::ShowMember(member)),
                _ => None,
            });
        }
        // Esc clears what is typed; on an empty line it gives the keys back.
        Action::Back if p.typed() => p.clear_line(),
        Action::PointsRepeat => {
            if let (None, super::finder::Found::Tie(all)) = (p.member, p.matches.found()) {
                super::finder::ask(app, all, super::finder::PickFor::PointsLine);
                return Handled::DONE;
            }
            let cmd = p.repeat(&app.members, &app.rules, app.lang);
            return Handled::Consumed(cmd.map(|cmd| Effect::Apply {
                cmd,
                via: Via::PointsLine,
            }));
        }
        Action::Back => {
            p.editing = false;
            app.layers.pop();
        }
        _ => return Handled::Ignored,
    }
    Handled::DONE
}

/// Opens the points line when the points panel is shown and the user was
/// last typing in it (it starts open).
pub fn on_panel_shown(app: &mut App) {
    if app.panel == Panel::Points && app.points.editing && app.layers.is_empty() {
        app.layers.push(Layer::PointsLine);
    }
}

/// Opens the search line over the roster (`/` on the org panel or the roster).
pub fn start_search(app: &mut App) {
    app.panel = Panel::Members;
    if app.search.is_none() {
        app.search = Some(tui_input::Input::default());
    }
    open_search(app);
    app.status = app.tr("search.hint").to_string();
    app.refilter();
}

/// Opens the search line over the roster (once).
fn open_search(app: &mut App) {
    if !matches!(app.layers.last(), Some(Layer::Search)) {
        app.layers.push(Layer::Search);
    }
}

/// Closes the search line wherever it is in the stack.
pub fn close_search(app: &mut App) {
    app.layers.retain(|l| !matches!(l, Layer::Search));
}

impl App {
    /// Whether the search line has the keys.
    pub fn searching(&self) -> bool {
        matches!(self.layers.last(), Some(Layer::Search))
    }

    /// The check-in line, when check-in mode is on.
    pub fn checkin(&self) -> Option<&CheckIn> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::CheckIn(ci) => Some(&**ci),
            _ => None,
        })
    }

    pub fn checkin_mut(&mut self) -> Option<&mut CheckIn> {
        self.layers.iter_mut().rev().find_map(|l| match l {
            Layer::CheckIn(ci) => Some(&mut **ci),
            _ => None,
        })
    }
}
