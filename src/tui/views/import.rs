//! The import / export layer: the file-name line, and an import's preview
//! (counts, then every problem by row and column, or the rows it would write).

use super::centered;
use crate::tui::app::App;
use crate::tui::i18n::Lang;
use crate::tui::import::{IoPurpose, IoScreen, IoStage};
use crate::tui::text::{fit, truncate};
use crate::tui::views::Clear;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn title(app: &App, purpose: IoPurpose) -> &'static str {
    match purpose {
        IoPurpose::Import(crate::io::import::ImportKind::Members) => app.tr("io.import_members"),
        IoPurpose::Import(crate::io::import::ImportKind::Beneficiaries) => {
            app.tr("io.import_beneficiaries")
        }
        IoPurpose::ExportRoster => app.tr("io.export_roster"),
        IoPurpose::ExportNotice { .. } => app.tr("io.export_notice"),
        IoPurpose::ExportMinutes(_) => app.tr("io.export_minutes"),
    }
}

pub fn draw(frame: &mut Frame, app: &App, screen: &IoScreen, area: Rect) {
    match &screen.stage {
        IoStage::Path { input, error } => {
            let popup = centered(area, 66, 6);
            let inner_w = popup.width.saturating_sub(2) as usize;
            let label = app.tr("io.file");
            let value = input.value();
            let line = format!("{label}{value}");
            let mut lines = vec![
                Line::raw(truncate(&line, inner_w)),
                match error {
                    Some(e) => Line::styled(truncate(e, inner_w), app.theme.error),
                    None => Line::raw(""),
                },
                Line::raw(""),
                Line::styled(truncate(app.tr("io.path_hint"), inner_w), app.theme.dim),
            ];
            lines.truncate(popup.height.saturating_sub(2) as usize);
            frame.render_widget(Clear, popup);
            frame.render_widget(
                Paragraph::new(lines)
                    .block(Block::bordered().title(format!(" {} ", title(app, screen.purpose)))),
                popup,
            );
            let cursor_x = popup.x
                + 1
                + (crate::tui::text::width(label) + crate::tui::text::width(value)) as u16;
            if cursor_x < popup.x + popup.width.saturating_sub(1) && popup.height > 2 {
                frame.set_cursor_position((cursor_x, popup.y + 1));
            }
        }
        IoStage::Committee { input, error, .. } => {
            let popup = centered(area, 66, 7);
            let inner_w = popup.width.saturating_sub(2) as usize;
            let label = app.tr("io.committee_name");
            let value = input.value();
            let mut lines = vec![
                Line::raw(truncate(app.tr("io.committee_prompt"), inner_w)),
                Line::raw(truncate(&format!("{label}{value}"), inner_w)),
                match error {
                    Some(e) => Line::styled(truncate(e, inner_w), app.theme.error),
                    None => Line::raw(""),
                },
                Line::styled(
                    truncate(app.tr("io.committee_hint"), inner_w),
                    app.theme.dim,
                ),
            ];
            lines.truncate(popup.height.saturating_sub(2) as usize);
            frame.render_widget(Clear, popup);
            frame.render_widget(
                Paragraph::new(lines)
                    .block(Block::bordered().title(format!(" {} ", title(app, screen.purpose)))),
                popup,
            );
            let cursor_x = popup.x
                + 1
                + (crate::tui::text::width(label) + crate::tui::text::width(value)) as u16;
            if cursor_x < popup.x + popup.width.saturating_sub(1) && popup.height > 3 {
                frame.set_cursor_position((cursor_x, popup.y + 2));
            }
        }
        IoStage::Preview {
            plan,
            path,
            create_units,
            allow_rename,
            cursor,
            ..
        } => {
            let zh = app.lang == Lang::Zh;
            let w = area.width.saturating_sub(2) as usize;
            let source = if zh { &plan.source_zh } else { &plan.source_en };
            let units = plan.units_to_create().len();
            let counts = match app.lang {
                Lang::Zh => format!(
                    "新增 {} · 更新 {} · 无变化 {} · 有问题 {} 行 · 新建组织 {}",
                    plan.new_count(),
                    plan.update_count(),
                    plan.unchanged,
                    plan.bad_rows.len(),
                    units
                ),
                Lang::En => format!(
                    "{} new · {} updates · {} unchanged · {} rows with problems · {} units to create",
                    plan.new_count(),
                    plan.update_count(),
                    plan.unchanged,
                    plan.bad_rows.len(),
                    units
                ),
            };
            let create = format!(
                "{}{} · {}{}",
                app.tr("io.create_units"),
                app.tr(if *create_units { "io.on" } else { "io.off" }),
                app.tr("io.allow_rename"),
                app.tr(if *allow_rename { "io.on" } else { "io.off" })
            );
            let mut lines = vec![
                Line::raw(fit(&format!("{path} · {source}"), w)),
                Line::styled(fit(&counts, w), app.theme.title),
                Line::styled(fit(&create, w), app.theme.dim),
            ];
            let list_h = (area.height as usize).saturating_sub(2 + lines.len() + 1);
            let items: Vec<(String, bool)> = if !plan.has_problems() {
                plan.rows
                    .iter()
                    .map(|r| {
                        if r.record.is_update() {
                            return (r.update_line(zh), false);
                        }
                        let what = app.tr(if r.record.is_update() {
                            "io.row_update"
                        } else {
                            "io.row_new"
                        });
                        let line = match app.lang {
                            Lang::Zh => format!("第 {} 行 {what} {}", r.row, r.record.name()),
                            Lang::En => format!("row {} {what} {}", r.row, r.record.name()),
                        };
                        (line, false)
                    })
                    .collect()
            } else {
                plan.problem_lines(zh)
                    .into_iter()
                    .map(|l| (l, true))
                    .collect()
            };
            let heading = if !plan.has_problems() {
                app.tr("io.rows")
            } else {
                app.tr("io.problems")
            };
            lines.push(Line::styled(fit(heading, w), app.theme.header));
            for (i, (text, problem)) in items
                .iter()
                .enumerate()
                .skip(cursor.offset)
                .take(list_h.saturating_sub(1))
            {
                let style = if i == cursor.selected {
                    app.theme.selected
                } else if *problem {
                    app.theme.warn
                } else {
                    app.theme.normal
                };
                lines.push(Line::from(Span::styled(fit(text, w), style)));
            }
            while lines.len() < (area.height as usize).saturating_sub(3) {
                lines.push(Line::raw(""));
            }
            let writes = plan.rows.len();
            let hint = match app.lang {
                Lang::Zh if !plan.has_problems() => {
                    format!("Enter 导入 {writes} 行 · c 切换新建组织 · Esc 取消")
                }
                Lang::Zh => format!(
                    "Enter 导入 {writes} 行（跳过有问题的 {} 行） · c 新建组织 · r 允许改名 · Esc 取消",
                    plan.bad_rows.len()
                ),
                Lang::En if !plan.has_problems() => {
                    format!("Enter import {writes} rows · c create units on/off · Esc cancel")
                }
                Lang::En => format!(
                    "Enter import {writes} rows (skip {} with problems) · c units · r renames · Esc cancel",
                    plan.bad_rows.len()
                ),
            };
            lines.push(Line::styled(fit(&hint, w), app.theme.dim));
            frame.render_widget(Clear, area);
            frame.render_widget(
                Paragraph::new(lines).block(Block::bordered().title(format!(
                    " {} · {} ",
                    title(app, screen.purpose),
                    app.tr("io.preview")
                ))),
                area,
            );
        }
    }
}
