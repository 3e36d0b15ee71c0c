//! Import and export in the TUI: a line to type a file name on, then, for an
//! import, a preview of what it would do (rows new and updated, every problem
//! by row and column) before anything is written; Enter imports the valid
//! rows, Esc cancels. `x` on the roster writes the rows it shows to a file, as
//! shown on screen (ID numbers and phones masked).
//!
//! A store without a committee is asked for its name (the import then
//! creates it with the branches and groups); rows that would rename the
//! member their ID number belongs to are problems until `r` allows renames.
//!
//! `update` stays pure, as the app's does; `run` is the runner's part, the
//! only one that reads files or touches the store.

use super::action::{Action, Effect, IoEffect};
use super::app::{App, Layer};
use super::cursor::Cursor;
use super::i18n::Lang;
use crate::access::Session;
use crate::io::export::{self, FileFormat};
use crate::io::import::{self, ImportKind, ImportOptions, Plan};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoPurpose {
    Import(ImportKind),
    /// Write the roster rows on screen to a file.
    ExportRoster,
    /// Write the public notice (公示) of an evaluation's year and scope.
    ExportNotice {
        org: Option<crate::domain::OrgUnitId>,
        year: i32,
    },
    /// Write a meeting's printed minutes (`.txt`, or a workbook).
    ExportMinutes(crate::domain::ActivityId),
}

#[derive(Debug, Clone)]
pub enum IoStage {
    /// Typing the file's name.
    Path {
        input: tui_input::Input,
        error: Option<String>,
    },
    /// The store has no committee: its name, to create it with the import.
    Committee {
        kind: ImportKind,
        path: String,
        input: tui_input::Input,
        error: Option<String>,
    },
    /// What the import would do; nothing written yet.
    Preview {
        plan: Box<Plan>,
        path: String,
        create_units: bool,
        committee: Option<String>,
        allow_rename: bool,
        cursor: Cursor,
    },
}

#[derive(Debug, Clone)]
pub struct IoScreen {
    pub purpose: IoPurpose,
    pub stage: IoStage,
}

/// Whether a file or committee name has been typed (quitting would lose it).
pub fn typed(screen: &IoScreen) -> bool {
    match &screen.stage {
        IoStage::Path { input, .. } => !input.value().is_empty(),
        IoStage::Committee { input, .. } => !input.value().is_empty(),
        _ => false,
    }
}

/// Opens the file-name line for an import of `kind`.
pub fn start_import(app: &mut App, kind: ImportKind) {
    app.layers.push(Layer::Io(Box::new(IoScreen {
        purpose: IoPurpose::Import(kind),
        stage: IoStage::Path {
            input: tui_input::Input::default(),
            error: None,
        },
    })));
}

/// Opens the file-name line for the public notice of an evaluation.
pub fn start_notice(app: &mut App, org: Option<crate::domain::OrgUnitId>, year: i32) {
    let stem = match app.lang {
        Lang::Zh => "公示",
        Lang::En => "notice",
    };
    app.layers.push(Layer::Io(Box::new(IoScreen {
        purpose: IoPurpose::ExportNotice { org, year },
        stage: IoStage::Path {
            input: tui_input::Input::new(format!("{stem}-{year}.xlsx")),
            error: None,
        },
    })));
}

/// Opens the file-name line for a meeting's printed minutes.
pub fn start_minutes(app: &mut App, activity: crate::domain::ActivityId) {
    let stem = match app.lang {
        Lang::Zh => "会议记录",
        Lang::En => "minutes",
    };
    app.layers.push(Layer::Io(Box::new(IoScreen {
        purpose: IoPurpose::ExportMinutes(activity),
        stage: IoStage::Path {
            input: tui_input::Input::new(format!("{stem}-{activity}.txt")),
            error: None,
        },
    })));
}

/// Opens the file-name line for exporting the roster, with a name to start from.
pub fn start_export(app: &mut App) {
    let stem = match app.lang {
        Lang::Zh => "党员",
        Lang::En => "members",
    };
    let name = format!("{stem}-{}.xlsx", app.today.format("%Y%m%d"));
    app.layers.push(Layer::Io(Box::new(IoScreen {
        purpose: IoPurpose::ExportRoster,
        stage: IoStage::Path {
            input: tui_input::Input::new(name),
            error: None,
        },
    })));
}

/// Rows of the preview's problem list that fit on screen.
fn preview_height(app: &App) -> usize {
    app.list_height.saturating_sub(5).max(1)
}

/// An action while the import / export layer is on top (its keys are
/// `keymap`'s `IoLine` and `IoPreview` contexts).
pub fn update(app: &mut App, action: &Action) -> Option<Effect> {
    let height = preview_height(app);
    let Some(Layer::Io(screen)) = app.layers.last_mut() else {
        return None;
    };
    let purpose = screen.purpose;
    match &mut screen.stage {
        IoStage::Path { input, error } => match action {
            Action::Back => {
                app.layers.pop();
                None
            }
            Action::Enter => {
                let path = input.value().trim().to_string();
                if path.is_empty() {
                    *error = Some(app_text(app.lang, "io.need_path"));
                    return None;
                }
                Some(Effect::Io(match purpose {
                    IoPurpose::Import(kind) => IoEffect::Plan {
                        kind,
                        path,
                        create_units: false,
                        committee: None,
                        allow_rename: false,
                    },
                    IoPurpose::ExportRoster => IoEffect::ExportRoster { path },
                    IoPurpose::ExportMinutes(activity) => {
                        IoEffect::ExportMinutes { path, activity }
                    }
                    IoPurpose::ExportNotice { org, year } => {
                        IoEffect::ExportNotice { path, org, year }
                    }
                }))
            }
            Action::IoKey(key) => {
                use tui_input::backend::crossterm::EventHandler;
                input.handle_event(&crossterm::event::Event::Key(*key));
                *error = None;
                None
            }
            _ => None,
        },
        IoStage::Committee {
            kind,
            path,
            input,
            error,
        } => match action {
            Action::Back => {
                app.layers.pop();
                app.status = app_text(app.lang, "io.cancelled");
                None
            }
            Action::Enter => {
                let name = input.value().trim().to_string();
                if name.is_empty() {
                    *error = Some(app_text(app.lang, "io.committee_needed"));
                    return None;
                }
                Some(Effect::Io(IoEffect::Plan {
                    kind: *kind,
                    path: path.clone(),
                    create_units: true,
                    committee: Some(name),
                    allow_rename: false,
                }))
            }
            Action::IoKey(key) => {
                use tui_input::backend::crossterm::EventHandler;
                input.handle_event(&crossterm::event::Event::Key(*key));
                *error = None;
                None
            }
            _ => None,
        },
        IoStage::Preview {
            plan,
            path,
            create_units,
            committee,
            allow_rename,
            cursor,
        } => {
            let len = plan.problem_lines(false).len().max(plan.rows.len());
            match action {
                Action::Back => {
                    app.layers.pop();
                    app.status = app_text(app.lang, "io.cancelled");
                    None
                }
                Action::Enter => Some(Effect::Io(IoEffect::Commit)),
                Action::IoCreateUnits => Some(Effect::Io(IoEffect::Plan {
                    kind: plan.kind,
                    path: path.clone(),
                    create_units: !*create_units,
                    committee: committee.clone(),
                    allow_rename: *allow_rename,
                })),
                // The question the rename problems ask: yes, these members
                // changed their names.
                Action::IoAllowRename => Some(Effect::Io(IoEffect::Plan {
                    kind: plan.kind,
                    path: path.clone(),
                    create_units: *create_units,
                    committee: committee.clone(),
                    allow_rename: !*allow_rename,
                })),
                _ => {
                    cursor.follow(action, len, height);
                    None
                }
            }
        }
    }
}

/// Whether the layer is showing a preview (its keys are commands, not text).
pub fn previewing(screen: &IoScreen) -> bool {
    matches!(screen.stage, IoStage::Preview { .. })
}

fn app_text(lang: Lang, key: &'static str) -> String {
    super::i18n::t(lang, key).to_string()
}

/// A file name as typed: `~/` is the home directory.
fn expand(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn screen_mut(app: &mut App) -> Option<&mut IoScreen> {
    match app.layers.last_mut() {
        Some(Layer::Io(s)) => Some(s),
        _ => None,
    }
}

/// Shows an error on the file-name line (or the status line).
fn path_error(app: &mut App, message: String) {
    match screen_mut(app).map(|s| &mut s.stage) {
        Some(IoStage::Path { error, .. }) => *error = Some(message),
        _ => app.status = message,
    }
}

/// The runner's side: reads and writes files, plans and commits imports.
pub fn run(s: &Session, app: &mut App, effect: IoEffect) {
    let zh = app.lang == Lang::Zh;
    match effect {
        IoEffect::Plan {
            kind,
            path,
            create_units,
            committee,
            allow_rename,
        } => {
            let options = ImportOptions {
                sheet: None,
                create_units,
                committee: committee.clone(),
                allow_rename,
                ..ImportOptions::default()
            };
            match import::plan(s, kind, &expand(&path), &options) {
                Ok(plan) => {
                    if let Some(screen) = screen_mut(app) {
                        screen.stage = IoStage::Preview {
                            plan: Box::new(plan),
                            path,
                            create_units,
                            committee,
                            allow_rename,
                            cursor: Cursor::default(),
                        };
                    }
                }
                // No committee to put the file's branches under: ask its name.
                Err(import::ImportError::NoCommittee) => {
                    if let Some(screen) = screen_mut(app) {
                        screen.stage = IoStage::Committee {
                            kind,
                            path,
                            input: tui_input::Input::default(),
                            error: None,
                        };
                    }
                }
                Err(e) => match screen_mut(app).map(|s| &mut s.stage) {
                    Some(IoStage::Committee { error, .. }) => *error = Some(e.in_lang(zh)),
                    _ => path_error(app, e.in_lang(zh)),
                },
            }
        }
        IoEffect::Commit => {
            let Some(IoStage::Preview { plan, path, .. }) =
                screen_mut(app).map(|s| s.stage.clone())
            else {
                return;
            };
            if plan.rows.is_empty() && plan.units_to_create().is_empty() {
                app.status = app_text(app.lang, "io.nothing");
                return;
            }
            // Figures computed before an import are out of date (through a
            // server, a failing import may have written its first groups).
            app.generation += 1;
            match import::commit(s, &plan, true, &mut |_, _| {}) {
                Ok(outcome) => {
                    let mut message = match app.lang {
                        Lang::Zh => format!(
                            "导入完成：新增 {}，更新 {}，新建组织 {}",
                            outcome.created, outcome.updated, outcome.units_created
                        ),
                        Lang::En => format!(
                            "imported: {} new, {} updated, {} units created",
                            outcome.created, outcome.updated, outcome.units_created
                        ),
                    };
                    if !plan.problems.is_empty() || !outcome.late_problems.is_empty() {
                        let file = expand(&path);
                        let stem = file
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_else(|| "import".into());
                        let report = file.with_file_name(format!("{stem}-problems.csv"));
                        if import::write_report(&plan, &outcome.late_problems, &report, zh).is_ok()
                        {
                            let shown = report.display();
                            message.push_str(&match app.lang {
                                Lang::Zh => format!("；未导入的行见 {shown}"),
                                Lang::En => format!("; rows left out are in {shown}"),
                            });
                        }
                    }
                    app.layers.pop();
                    let reloaded = super::load(s, app).and_then(|()| {
                        if plan.kind == ImportKind::Beneficiaries {
                            super::panels::pairing::load::load_care(s, app)
                        } else {
                            Ok(())
                        }
                    });
                    if let Err(e) = reloaded {
                        message = e.to_string();
                    }
                    app.status = message;
                }
                Err(e) => app.status = e.in_lang(zh),
            }
        }
        IoEffect::ExportNotice { path, org, year } => {
            let file = expand(&path);
            match super::panels::points::load::write_notice(s, app, &file, org, year) {
                Ok(message) => {
                    app.layers.pop();
                    app.status = message;
                }
                Err(e) => path_error(app, e),
            }
        }
        IoEffect::ExportMinutes { path, activity } => {
            let file = expand(&path);
            match super::panels::orglife::load::write_minutes(s, app, &file, activity) {
                Ok(message) => {
                    app.layers.pop();
                    app.status = message;
                }
                Err(e) => path_error(app, e),
            }
        }
        IoEffect::ExportRoster { path } => {
            let file = expand(&path);
            // The rows shown, in their order, as whole records: the TUI
            // holds only what it draws.
            let all = match s.members(None) {
                Ok(all) => all,
                Err(e) => {
                    app.status = e.in_lang(zh);
                    return;
                }
            };
            let mut by_id: std::collections::HashMap<
                crate::domain::MemberId,
                crate::domain::Member,
            > = all.into_iter().map(|m| (m.id, m)).collect();
            let members: Vec<_> = app
                .roster_rows
                .iter()
                .filter_map(|&i| app.members.get(i))
                .filter_map(|r| by_id.remove(&r.id))
                .collect();
            let units = app.units.iter().map(|(k, v)| (*k, v.clone())).collect();
            let table = export::members_table(&members, &units, zh, false);
            match export::write(&table, FileFormat::for_path(&file), &file) {
                Ok(()) => {
                    app.layers.pop();
                    let shown = std::path::absolute(&file).unwrap_or(file);
                    app.status = match app.lang {
                        Lang::Zh => {
                            format!("已导出 {} 名党员到 {}", members.len(), shown.display())
                        }
                        Lang::En => {
                            format!("exported {} members to {}", members.len(), shown.display())
                        }
                    };
                }
                Err(e) => path_error(app, e.in_lang(zh)),
            }
        }
    }
}
