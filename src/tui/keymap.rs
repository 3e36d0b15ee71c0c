//! Keys to actions, by context. Pure: the same key and context always give the
//! same action, so every binding is unit-tested without a terminal.

use super::action::{Action, Panel};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the key lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Help,
    Confirm,
    Form,
    Search,
    /// The points panel's entry line has the keys.
    PointsLine,
    /// Check-in mode: the line takes everything but a few keys.
    CheckIn,
    /// Import / export: a file name, then an import's preview.
    Io,
    /// The recent-changes pop-up: move, or close.
    Changes,
    Panel(Panel),
}

pub fn resolve(key: KeyEvent, ctx: KeyContext) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::ForceQuit);
    }
    match ctx {
        KeyContext::Help => Some(Action::Back),
        KeyContext::Confirm => Some(match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Action::Yes,
            _ => Action::No,
        }),
        KeyContext::Form => Some(match key.code {
            KeyCode::Esc => Action::Back,
            KeyCode::Tab | KeyCode::Down => Action::FormNext,
            KeyCode::BackTab | KeyCode::Up => Action::FormPrev,
            KeyCode::Enter => Action::FormSave,
            KeyCode::Left if is_choice_key(key) => Action::FormChoice(-1),
            KeyCode::Right if is_choice_key(key) => Action::FormChoice(1),
            _ => Action::FormKey(key),
        }),
        KeyContext::Search => Some(match key.code {
            KeyCode::Esc => Action::Back,
            KeyCode::Enter => Action::SearchDone,
            KeyCode::Down => Action::Down,
            KeyCode::Up => Action::Up,
            KeyCode::PageDown => Action::PageDown,
            KeyCode::PageUp => Action::PageUp,
            _ => Action::SearchKey(key),
        }),
        KeyContext::PointsLine => Some(match key.code {
            KeyCode::Char('z') if ctrl => Action::Undo,
            KeyCode::Esc => Action::Back,
            KeyCode::Enter => Action::PointsEnter,
            KeyCode::Tab => Action::PointsField(1),
            KeyCode::BackTab => Action::PointsField(-1),
            KeyCode::Up => Action::PointsPick(-1),
            KeyCode::Down => Action::PointsPick(1),
            _ => Action::PointsKey(key),
        }),
        KeyContext::CheckIn => Some(match key.code {
            KeyCode::Char('z') if ctrl => Action::Undo,
            KeyCode::Esc => Action::Back,
            KeyCode::Enter => Action::CheckinEnter,
            KeyCode::Tab => Action::CheckinScope,
            KeyCode::Up => Action::CheckinPick(-1),
            KeyCode::Down => Action::CheckinPick(1),
            _ => Action::CheckinKey(key),
        }),
        KeyContext::Io => Some(Action::IoKey(key)),
        KeyContext::Changes => match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('L') => Some(Action::Back),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Home),
            KeyCode::End | KeyCode::Char('G') => Some(Action::End),
            _ => None,
        },
        KeyContext::Panel(panel) => panel_key(key, panel, ctrl),
    }
}

/// ←/→ both move the text cursor and cycle pick lists; the form decides which
/// applies to the focused field, so both arrive as choice actions only when no
/// modifier asks for word movement.
fn is_choice_key(key: KeyEvent) -> bool {
    key.modifiers.is_empty()
}

fn panel_key(key: KeyEvent, panel: Panel, ctrl: bool) -> Option<Action> {
    if ctrl {
        return match key.code {
            KeyCode::Char('z') => Some(Action::Undo),
            KeyCode::Char('d') => Some(Action::PageDown),
            KeyCode::Char('u') => Some(Action::PageUp),
            _ => None,
        };
    }
    let common = match key.code {
        KeyCode::Char('q') | KeyCode::Esc => Some(Action::Back),
        KeyCode::Tab => Some(Action::NextPanel),
        KeyCode::BackTab => Some(Action::PrevPanel),
        KeyCode::Char(c @ '1'..='6') => Some(Action::GoPanel(c as usize - '1' as usize)),
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Home | KeyCode::Char('g') => Some(Action::Home),
        KeyCode::End | KeyCode::Char('G') => Some(Action::End),
        KeyCode::Char('u') => Some(Action::Undo),
        KeyCode::Char('/') => Some(Action::StartSearch),
        KeyCode::Char('L') => Some(Action::RecentChanges),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    match panel {
        Panel::Org => match key.code {
            KeyCode::Right | KeyCode::Char('l') => Some(Action::Expand),
            KeyCode::Left | KeyCode::Char('h') => Some(Action::Collapse),
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Char('m') => Some(Action::ShowMembers),
            KeyCode::Char('a') => Some(Action::NewUnit),
            KeyCode::Char('e') => Some(Action::Edit),
            KeyCode::Char('M') => Some(Action::MoveUnit),
            KeyCode::Char('x') => Some(Action::CloseUnit),
            KeyCode::Char('n') => Some(Action::NewMember),
            _ => None,
        },
        Panel::Pairing => match key.code {
            KeyCode::Char('v') | KeyCode::Enter => Some(Action::RecordVisit),
            KeyCode::Char('n') => Some(Action::NewTask),
            KeyCode::Char('r') => Some(Action::Reassign),
            KeyCode::Char('m') => Some(Action::ToggleMine),
            KeyCode::Char('b') => Some(Action::NewBeneficiary),
            KeyCode::Char('e') => Some(Action::Edit),
            KeyCode::Char('p') => Some(Action::NewPairing),
            KeyCode::Char('x') => Some(Action::EndPairing),
            KeyCode::Char('I') => Some(Action::ImportFile),
            _ => None,
        },
        Panel::Activities => match key.code {
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Char('c') => Some(Action::CheckinStart),
            KeyCode::Char('n') => Some(Action::NewActivity),
            KeyCode::Char('e') => Some(Action::Edit),
            KeyCode::Char('a') => Some(Action::MarkAbsence),
            _ => None,
        },
        Panel::Points => match key.code {
            KeyCode::Enter | KeyCode::Char('i') => Some(Action::PointsEdit),
            KeyCode::Char('s') => Some(Action::Statement),
            KeyCode::Char('p') => Some(Action::RankPeriod),
            KeyCode::Char('o') => Some(Action::RankUnit),
            _ => None,
        },
        Panel::Overview => match key.code {
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Char('p') => Some(Action::RankPeriod),
            KeyCode::Char('o') => Some(Action::RankUnit),
            _ => None,
        },
        Panel::Members => match key.code {
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Char('s') => Some(Action::Sort),
            KeyCode::Char('n') => Some(Action::NewMember),
            KeyCode::Char('e') => Some(Action::Edit),
            KeyCode::Char('v') => Some(Action::Reveal),
            KeyCode::Char('I') => Some(Action::ImportFile),
            KeyCode::Char('x') => Some(Action::ExportView),
            _ => None,
        },
    }
}

/// The help lines of a panel: (i18n key) in the order shown.
pub fn help_keys(panel: Panel) -> Vec<&'static str> {
    let mut keys = vec![
        "key.panels",
        "key.move",
        "key.quit",
        "key.help",
        "key.undo",
        "key.changes",
    ];
    match panel {
        Panel::Org => keys.extend([
            "key.org.expand",
            "key.org.members",
            "key.org.add",
            "key.org.edit",
            "key.org.move",
            "key.org.close",
            "key.roster.new",
            "key.roster.search",
        ]),
        Panel::Points => keys.extend([
            "key.points.entry",
            "key.points.pick",
            "key.points.leave",
            "key.points.rank",
        ]),
        Panel::Pairing => keys.extend([
            "key.care.visit",
            "key.care.new",
            "key.care.mine",
            "key.care.beneficiary",
            "key.care.pairing",
            "key.care.import",
        ]),
        Panel::Activities => keys.extend([
            "key.act.detail",
            "key.act.checkin",
            "key.act.checkin_keys",
            "key.act.new",
            "key.act.edit",
            "key.act.absent",
        ]),
        Panel::Overview => keys.extend(["key.ov.open", "key.ov.period"]),
        Panel::Members => keys.extend([
            "key.roster.search",
            "key.roster.detail",
            "key.roster.sort",
            "key.roster.new",
            "key.roster.edit",
            "key.roster.reveal",
            "key.roster.import",
            "key.roster.export",
        ]),
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn panel_keys_resolve() {
        let ctx = KeyContext::Panel(Panel::Members);
        assert_eq!(
            resolve(k(KeyCode::Char('2')), ctx),
            Some(Action::GoPanel(1))
        );
        assert_eq!(resolve(k(KeyCode::Char('j')), ctx), Some(Action::Down));
        assert_eq!(resolve(k(KeyCode::Down), ctx), Some(Action::Down));
        assert_eq!(
            resolve(k(KeyCode::Char('/')), ctx),
            Some(Action::StartSearch)
        );
        assert_eq!(resolve(k(KeyCode::Char('q')), ctx), Some(Action::Back));
        assert_eq!(resolve(k(KeyCode::Char('v')), ctx), Some(Action::Reveal));
        assert_eq!(
            resolve(
                KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL),
                ctx
            ),
            Some(Action::Undo)
        );
        assert_eq!(resolve(k(KeyCode::Char('u')), ctx), Some(Action::Undo));
        assert_eq!(
            resolve(k(KeyCode::Char('x')), ctx),
            Some(Action::ExportView)
        );
        assert_eq!(
            resolve(k(KeyCode::Char('I')), ctx),
            Some(Action::ImportFile)
        );
        assert_eq!(resolve(k(KeyCode::Char('w')), ctx), None);
        let q = k(KeyCode::Char('q'));
        assert_eq!(resolve(q, KeyContext::Io), Some(Action::IoKey(q)));
    }

    #[test]
    fn l_opens_recent_changes_on_a_panel_and_closes_them_there() {
        let l = k(KeyCode::Char('L'));
        let panel = KeyContext::Panel(Panel::Points);
        assert_eq!(resolve(l, panel), Some(Action::RecentChanges));
        assert_eq!(resolve(l, KeyContext::Changes), Some(Action::Back));
        assert_eq!(
            resolve(l, KeyContext::PointsLine),
            Some(Action::PointsKey(l))
        );
        assert_eq!(
            resolve(k(KeyCode::Char('j')), KeyContext::Changes),
            Some(Action::Down)
        );
        assert_eq!(resolve(k(KeyCode::Char('n')), KeyContext::Changes), None);
    }

    #[test]
    fn org_keys_differ_from_roster_keys() {
        let org = KeyContext::Panel(Panel::Org);
        assert_eq!(resolve(k(KeyCode::Char('l')), org), Some(Action::Expand));
        assert_eq!(resolve(k(KeyCode::Char('a')), org), Some(Action::NewUnit));
        assert_eq!(resolve(k(KeyCode::Char('x')), org), Some(Action::CloseUnit));
        assert_eq!(resolve(k(KeyCode::Enter), org), Some(Action::Enter));
    }

    #[test]
    fn search_and_form_take_typed_letters() {
        let q = k(KeyCode::Char('q'));
        assert_eq!(resolve(q, KeyContext::Search), Some(Action::SearchKey(q)));
        assert_eq!(resolve(q, KeyContext::Form), Some(Action::FormKey(q)));
        assert_eq!(
            resolve(k(KeyCode::Esc), KeyContext::Search),
            Some(Action::Back)
        );
        assert_eq!(
            resolve(k(KeyCode::Tab), KeyContext::Form),
            Some(Action::FormNext)
        );
        assert_eq!(
            resolve(k(KeyCode::BackTab), KeyContext::Form),
            Some(Action::FormPrev)
        );
        assert_eq!(
            resolve(k(KeyCode::Enter), KeyContext::Form),
            Some(Action::FormSave)
        );
    }

    #[test]
    fn the_points_line_takes_digits_and_tab_moves_fields() {
        let two = k(KeyCode::Char('2'));
        assert_eq!(
            resolve(two, KeyContext::PointsLine),
            Some(Action::PointsKey(two))
        );
        assert_eq!(
            resolve(k(KeyCode::Tab), KeyContext::PointsLine),
            Some(Action::PointsField(1))
        );
        assert_eq!(
            resolve(k(KeyCode::Enter), KeyContext::PointsLine),
            Some(Action::PointsEnter)
        );
        assert_eq!(
            resolve(k(KeyCode::Esc), KeyContext::PointsLine),
            Some(Action::Back)
        );
        let panel = KeyContext::Panel(Panel::Points);
        assert_eq!(resolve(k(KeyCode::Enter), panel), Some(Action::PointsEdit));
        assert_eq!(resolve(two, panel), Some(Action::GoPanel(1)));
    }

    #[test]
    fn confirm_takes_only_y_as_yes_and_ctrl_c_always_quits() {
        assert_eq!(
            resolve(k(KeyCode::Char('y')), KeyContext::Confirm),
            Some(Action::Yes)
        );
        assert_eq!(
            resolve(k(KeyCode::Char('n')), KeyContext::Confirm),
            Some(Action::No)
        );
        assert_eq!(
            resolve(k(KeyCode::Enter), KeyContext::Confirm),
            Some(Action::No)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(ctrl_c, KeyContext::Form), Some(Action::ForceQuit));
    }
}
