//! The status line: where the user is, who they are, which store, and what
//! just happened. What just happened comes first when the line is short (80
//! columns): the context gives way part by part (store, then user, then
//! place) before the message is cut, and a message that must still be cut
//! keeps its subject: a path shows its file name, and what follows the
//! subject (a time, a date) goes before the subject does.

use super::super::action::Panel;
use super::super::app::App;
use super::super::text::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let place = match app.panel {
        Panel::Org => app
            .selected_unit()
            .and_then(|u| app.units.get(&u))
            .map(|u| u.name.clone()),
        Panel::Members => app
            .roster_unit
            .and_then(|u| app.units.get(&u))
            .map(|u| u.name.clone()),
        Panel::Pairing => app.pairing.beneficiary().and_then(|b| {
            app.pairing
                .visits
                .iter()
                .find(|v| v.beneficiary.id == b)
                .map(|v| v.beneficiary.data.name.clone())
        }),
        Panel::Activities => app
            .activities
            .selected()
            .map(|r| r.activity.data.title.clone()),
        Panel::Points => app
            .points
            .member
            .and_then(|m| app.member_index.get(&m))
            .map(|&i| app.members[i].name.to_string()),
        Panel::OrgLife => Some(app.tr(app.orglife.view.key()).to_string()),
        _ => None,
    }
    .unwrap_or_default();
    let role = match app.lang {
        super::super::Lang::Zh => app.actor.role.name_zh(),
        super::super::Lang::En => app.actor.role.name_en(),
    };
    // The store by its directory name: the full path would crowd out messages.
    let store = std::path::Path::new(&app.store_path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| app.store_path.clone());
    let panel = app.tr(app.panel.key());
    let user = format!("{} ({role})", app.actor.login);
    let context = [panel, place.as_str(), user.as_str(), store.as_str()];
    let cols = area.width as usize;
    // The standing hint is the least of messages: it is cut, the context kept.
    // While the roster arrives, that is the message (when nothing else is).
    let arriving = app.roster_arriving().map(|n| {
        let reading = app.tr("roster.arriving");
        match app.lang {
            super::super::Lang::Zh => format!("{reading}已读 {n} 人"),
            super::super::Lang::En => format!("{reading} {n} so far"),
        }
    });
    let (left, msg) = match arriving {
        Some(arriving) if app.status == app.tr("status.hint") => {
            fit_status(&context, &arriving, cols)
        }
        _ if app.status == app.tr("status.hint") => {
            let left = fit_status(&context, "", cols).0;
            let room = cols.saturating_sub(width(&left));
            (truncate(&left, cols), truncate(&app.status, room))
        }
        _ => fit_status(&context, &app.status, cols),
    };
    let line = Line::from(vec![
        Span::styled(left, app.theme.dim),
        Span::styled(msg, app.theme.warn),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The context (panel, place, user, store: most important first) and the
/// message as they fit in `cols` columns together.
pub fn fit_status(context: &[&str], msg: &str, cols: usize) -> (String, String) {
    let left_of = |parts: &[&str]| -> String {
        match parts {
            [] => String::new(),
            [panel] => format!("{panel} │ "),
            [panel, place, rest @ ..] => {
                let mut s = format!("{panel} › {place} │ ");
                for p in rest {
                    s.push_str(p);
                    s.push_str(" │ ");
                }
                s
            }
        }
    };
    // Drop context from the least important end until the message fits.
    for keep in (1..=context.len()).rev() {
        let left = left_of(&context[..keep]);
        if width(&left) + width(msg) <= cols {
            return (left, msg.to_string());
        }
    }
    let left = left_of(&context[..context.len().min(1)]);
    let room = cols.saturating_sub(width(&left));
    if room < 12 {
        return (String::new(), shorten(msg, cols));
    }
    (left, shorten(msg, room))
}

/// `msg` in `cols` columns, keeping what matters: paths become file names,
/// then the end is cut.
pub fn shorten(msg: &str, cols: usize) -> String {
    if width(msg) <= cols {
        return msg.to_string();
    }
    let named: Vec<String> = msg
        .split(' ')
        .map(|word| match word.rfind('/') {
            Some(i) if word.len() > i + 1 => format!("…{}", &word[i..]),
            _ => word.to_string(),
        })
        .collect();
    truncate(&named.join(" "), cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXT: [&str; 4] = ["活动", "党史学习", "admin (党委管理员)", "store"];

    #[test]
    fn a_short_message_keeps_all_the_context() {
        let (left, msg) = fit_status(&CONTEXT, "已签到", 80);
        assert!(left.contains("store") && left.contains("admin"));
        assert_eq!(msg, "已签到");
    }

    #[test]
    fn the_context_gives_way_before_the_message_is_cut() {
        let message = "已新建活动：社区党员志愿服务暨主题党日活动 (12)";
        let (left, msg) = fit_status(&CONTEXT, message, 80);
        assert_eq!(msg, message, "the whole message, title included");
        assert!(width(&left) + width(&msg) <= 80);
        assert!(!left.contains("store"));
    }

    #[test]
    fn an_export_path_shows_its_file_name() {
        let message =
            "Exported 120 rows to /srv/dangjian/exports/2026/november/roster-third-branch.xlsx";
        let (left, msg) = fit_status(&CONTEXT, message, 60);
        assert!(msg.contains("roster-third-branch.xlsx"), "{msg}");
        assert!(width(&left) + width(&msg) <= 60, "{left}{msg}");
    }

    #[test]
    fn a_tiny_line_still_holds_the_message_start() {
        let (left, msg) = fit_status(&CONTEXT, "已撤销：已新增党员：张三 (12)", 10);
        assert_eq!(left, "");
        assert!(width(&msg) <= 10);
        assert!(msg.starts_with("已撤销"));
    }
}
