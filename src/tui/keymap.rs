//! Keys to actions, by context. Pure: the same key and context always give the
//! same action, so every binding is unit-tested without a terminal. The
//! panels' keys and those of the lines over them (points entry, check-in) are
//! tables of bindings, each naming the help line that explains it: the help
//! pop-up lists the help lines of the bindings in force, so it cannot drift
//! from what the keys do.

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
    /// Import / export: typing a file (or committee) name.
    IoLine,
    /// Import: the preview of what it would do.
    IoPreview,
    /// The recent-changes pop-up: move, or close.
    Changes,
    /// The users pop-up: move, add, change, revoke, or close.
    Users,
    /// The yearly evaluation over the points panel.
    Evaluation,
    /// The approval queue over the points panel.
    Approvals,
    /// The minutes editor: everything but its few keys is typed.
    Minutes,
    /// A meeting's record over the organisational-life panel.
    Meeting,
    /// Which of several equally matching members: ↑↓, a digit, Enter, Esc.
    PickMember,
    /// An activity's roll with bulk marks.
    Roll,
    Panel(Panel),
}

pub fn resolve(key: KeyEvent, ctx: KeyContext) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::ForceQuit);
    }
    match ctx {
        // ↑↓ and the page keys scroll a help taller than the screen; any
        // other key closes it.
        KeyContext::Help => Some(match key.code {
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::PageDown => Action::PageDown,
            _ => Action::Back,
        }),
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
        KeyContext::PointsLine => {
            Some(find(POINTS_LINE, key, true).unwrap_or(Action::PointsKey(key)))
        }
        KeyContext::CheckIn => Some(find(CHECK_IN, key, true).unwrap_or(Action::CheckinKey(key))),
        KeyContext::IoLine => Some(match key.code {
            KeyCode::Esc => Action::Back,
            KeyCode::Enter => Action::Enter,
            _ => Action::IoKey(key),
        }),
        KeyContext::IoPreview => match key.code {
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Char('c') => Some(Action::IoCreateUnits),
            KeyCode::Char('r') => Some(Action::IoAllowRename),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            _ => None,
        },
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
        KeyContext::Users => match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('U') => Some(Action::Back),
            KeyCode::Char('a') => Some(Action::UserAdd),
            KeyCode::Char('e') | KeyCode::Enter => Some(Action::Edit),
            KeyCode::Char('r') => Some(Action::UserRevoke),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Home),
            KeyCode::End | KeyCode::Char('G') => Some(Action::End),
            _ => None,
        },
        KeyContext::Evaluation => find(EVALUATION, key, false),
        KeyContext::Minutes => Some(find(MINUTES, key, false).unwrap_or(Action::MinutesKey(key))),
        KeyContext::Meeting => find(MEETING, key, false),
        KeyContext::Approvals => match (key.code, key.modifiers.contains(KeyModifiers::SHIFT)) {
            (KeyCode::Down, true) => Some(Action::MarkExtend(1)),
            (KeyCode::Up, true) => Some(Action::MarkExtend(-1)),
            _ => find(APPROVALS, key, false),
        },
        KeyContext::Roll => match (key.code, key.modifiers.contains(KeyModifiers::SHIFT)) {
            (KeyCode::Down, true) => Some(Action::MarkExtend(1)),
            (KeyCode::Up, true) => Some(Action::MarkExtend(-1)),
            _ => find(ROLL, key, false),
        },
        KeyContext::PickMember => match key.code {
            KeyCode::Char(c @ '1'..='9') => Some(Action::PickNth(c as usize - '1' as usize)),
            _ => find(PICK_MEMBER, key, false),
        },
        KeyContext::Panel(panel) => panel_key(key, panel),
    }
}

/// ←/→ both move the text cursor and cycle pick lists; the form decides which
/// applies to the focused field, so both arrive as choice actions only when no
/// modifier asks for word movement.
fn is_choice_key(key: KeyEvent) -> bool {
    key.modifiers.is_empty()
}

/// One binding: these keys (with Ctrl, or without), this action, and the
/// help line (an i18n key) that says what it does.
struct Binding {
    keys: &'static [KeyCode],
    ctrl: bool,
    action: Action,
    help: &'static str,
}

const fn bind(keys: &'static [KeyCode], action: Action, help: &'static str) -> Binding {
    Binding {
        keys,
        ctrl: false,
        action,
        help,
    }
}

const fn ctrl(keys: &'static [KeyCode], action: Action, help: &'static str) -> Binding {
    Binding {
        keys,
        ctrl: true,
        action,
        help,
    }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// The 组织生活 panel's tables, in their own file.
mod orglife;
use orglife::{MEETING, MINUTES, ORGLIFE};
/// The bindings of the lists that take bulk marks and of the member pick list.
#[path = "keymap_lists.rs"]
mod lists;
use lists::{PICK_MEMBER, ROLL};

/// Keys on every panel.
const COMMON: &[Binding] = &[
    bind(&[Tab], Action::NextPanel, "key.panels"),
    bind(&[BackTab], Action::PrevPanel, "key.panels"),
    bind(&[Char('1')], Action::GoPanel(0), "key.panels"),
    bind(&[Char('2')], Action::GoPanel(1), "key.panels"),
    bind(&[Char('3')], Action::GoPanel(2), "key.panels"),
    bind(&[Char('4')], Action::GoPanel(3), "key.panels"),
    bind(&[Char('5')], Action::GoPanel(4), "key.panels"),
    bind(&[Char('6')], Action::GoPanel(5), "key.panels"),
    bind(&[Char('7')], Action::GoPanel(6), "key.panels"),
    bind(&[Up, Char('k')], Action::Up, "key.move"),
    bind(&[Down, Char('j')], Action::Down, "key.move"),
    bind(&[PageUp], Action::PageUp, "key.move"),
    bind(&[PageDown], Action::PageDown, "key.move"),
    bind(&[Home, Char('g')], Action::Home, "key.move"),
    bind(&[End, Char('G')], Action::End, "key.move"),
    ctrl(&[Char('d')], Action::PageDown, "key.move"),
    ctrl(&[Char('u')], Action::PageUp, "key.move"),
    bind(&[Esc], Action::Back, "key.back"),
    bind(&[Char('q')], Action::Quit, "key.quit"),
    bind(&[Char('?')], Action::Help, "key.help"),
    bind(&[Char('u')], Action::Undo, "key.undo"),
    ctrl(&[Char('z')], Action::Undo, "key.undo"),
    ctrl(&[Char('r')], Action::Redo, "key.redo"),
    bind(&[Char('L')], Action::RecentChanges, "key.changes"),
];

const ORG: &[Binding] = &[
    bind(&[Right, Char('l')], Action::Expand, "key.org.expand"),
    bind(&[Left, Char('h')], Action::Collapse, "key.org.expand"),
    bind(&[Enter], Action::Enter, "key.org.expand"),
    bind(&[Char('m')], Action::ShowMembers, "key.org.members"),
    bind(&[Char('a')], Action::NewUnit, "key.org.add"),
    bind(&[Char('e')], Action::Edit, "key.org.edit"),
    bind(&[Char('M')], Action::MoveUnit, "key.org.move"),
    bind(&[Char('x')], Action::CloseUnit, "key.org.close"),
    bind(&[Char('U')], Action::OpenUsers, "key.org.users"),
    bind(&[Char('n')], Action::NewMember, "key.roster.new"),
    bind(&[Char('/')], Action::StartSearch, "key.roster.search"),
];

const MEMBERS: &[Binding] = &[
    bind(&[Char('/')], Action::StartSearch, "key.roster.search"),
    bind(&[Enter], Action::Enter, "key.roster.detail"),
    bind(&[Char('s')], Action::Sort, "key.roster.sort"),
    bind(&[Char('S')], Action::SortReverse, "key.roster.reverse"),
    bind(&[Char('f')], Action::StatusFilter, "key.roster.status"),
    bind(&[Char('n')], Action::NewMember, "key.roster.new"),
    bind(&[Char('e')], Action::Edit, "key.roster.edit"),
    bind(&[Char('v')], Action::Reveal, "key.roster.reveal"),
    bind(&[Char('I')], Action::ImportFile, "key.roster.import"),
    bind(&[Char('x')], Action::ExportView, "key.roster.export"),
];

const PAIRING: &[Binding] = &[
    bind(&[Char('v'), Enter], Action::RecordVisit, "key.care.visit"),
    bind(&[Char('n')], Action::NewTask, "key.care.new"),
    bind(&[Char('r')], Action::Reassign, "key.care.new"),
    bind(&[Char('m')], Action::ToggleMine, "key.care.mine"),
    bind(&[Char('b')], Action::NewBeneficiary, "key.care.beneficiary"),
    bind(&[Char('e')], Action::Edit, "key.care.beneficiary"),
    bind(&[Char('p')], Action::NewPairing, "key.care.pairing"),
    bind(&[Char('x')], Action::EndPairing, "key.care.pairing"),
    bind(&[Char('I')], Action::ImportFile, "key.care.import"),
];

const POINTS: &[Binding] = &[
    bind(&[Enter, Char('i')], Action::PointsEdit, "key.points.entry"),
    bind(&[Char('s')], Action::Statement, "key.points.leave"),
    bind(&[Char('p')], Action::RankPeriod, "key.points.rank"),
    bind(&[Char('o')], Action::RankUnit, "key.points.rank"),
    bind(
        &[Char('v')],
        Action::OpenEvaluation,
        "key.points.evaluation",
    ),
    bind(&[Char('a')], Action::OpenApprovals, "key.points.queue"),
    bind(&[Char('S')], Action::EvalSettings, "key.points.settings"),
    bind(&[Char('R')], Action::ReverseEntry, "key.points.leave"),
    bind(&[Char('$')], Action::Redeem, "key.points.leave"),
];

/// The evaluation over the points panel.
const EVALUATION: &[Binding] = &[
    // Moving in the list, and closing it.
    bind(&[Up, Char('k')], Action::Up, "key.move"),
    bind(&[Down, Char('j')], Action::Down, "key.move"),
    bind(&[PageUp], Action::PageUp, "key.move"),
    bind(&[PageDown], Action::PageDown, "key.move"),
    bind(&[Home, Char('g')], Action::Home, "key.move"),
    bind(&[End, Char('G')], Action::End, "key.move"),
    bind(&[Esc, Char('q')], Action::Back, "key.close"),
    bind(&[Char('[')], Action::EvalYear(-1), "key.eval.keys"),
    bind(&[Char(']')], Action::EvalYear(1), "key.eval.keys"),
    bind(&[Char('o')], Action::RankUnit, "key.eval.keys"),
    bind(&[Char('n')], Action::Nominations, "key.eval.lists"),
    bind(&[Char('t')], Action::NoticeTable, "key.eval.lists"),
    bind(&[Char('x')], Action::ExportView, "key.eval.lists"),
];

/// The approval queue over the points panel.
const APPROVALS: &[Binding] = &[
    // Moving in the list, and closing it.
    bind(&[Up, Char('k')], Action::Up, "key.move"),
    bind(&[Down, Char('j')], Action::Down, "key.move"),
    bind(&[PageUp], Action::PageUp, "key.move"),
    bind(&[PageDown], Action::PageDown, "key.move"),
    bind(&[Home, Char('g')], Action::Home, "key.move"),
    bind(&[End, Char('G')], Action::End, "key.move"),
    bind(&[Esc, Char('q')], Action::Back, "key.close"),
    bind(&[Char(' ')], Action::Mark, "key.queue.mark"),
    bind(&[Char('*')], Action::MarkAll, "key.queue.mark"),
    bind(&[Char('V')], Action::MarkRange, "key.queue.mark"),
    bind(&[Char('J')], Action::MarkExtend(1), "key.queue.mark"),
    bind(&[Char('K')], Action::MarkExtend(-1), "key.queue.mark"),
    bind(&[Char('U')], Action::UnmarkAll, "key.queue.mark"),
    bind(&[Char('a'), Enter], Action::Approve, "key.queue.approve"),
    bind(&[Char('r')], Action::Reject, "key.queue.reject"),
    bind(&[Char('w')], Action::Withdraw, "key.queue.withdraw"),
];

/// The points entry line: what is not bound here is typed into the field.
const POINTS_LINE: &[Binding] = &[
    ctrl(&[Char('z')], Action::Undo, "key.undo"),
    ctrl(&[Char('r')], Action::Redo, "key.redo"),
    bind(&[Esc], Action::Back, "key.points.leave"),
    bind(&[Enter], Action::PointsEnter, "key.points.entry"),
    ctrl(&[Char('p')], Action::PointsRepeat, "key.points.entry"),
    bind(&[Tab], Action::PointsField(1), "key.points.entry"),
    bind(&[BackTab], Action::PointsField(-1), "key.points.entry"),
    bind(&[Up], Action::PointsPick(-1), "key.points.pick"),
    bind(&[Down], Action::PointsPick(1), "key.points.pick"),
];

const ACTIVITIES: &[Binding] = &[
    bind(&[Enter], Action::Enter, "key.act.detail"),
    bind(&[Char('c')], Action::CheckinStart, "key.act.checkin"),
    bind(&[Char('n')], Action::NewActivity, "key.act.new"),
    bind(&[Char('e')], Action::Edit, "key.act.edit"),
    bind(&[Char('a')], Action::MarkAbsence, "key.act.absent"),
    bind(&[Char('r')], Action::OpenRoll, "key.act.roll"),
    bind(&[Char('b')], Action::MeetingPartners, "key.act.partners"),
];

/// Check-in mode: what is not bound here is typed into the line.
const CHECK_IN: &[Binding] = &[
    ctrl(&[Char('z')], Action::Undo, "key.act.checkin_keys"),
    ctrl(&[Char('r')], Action::Redo, "key.redo"),
    bind(&[Esc], Action::Back, "key.act.checkin_keys"),
    bind(&[Enter], Action::CheckinEnter, "key.act.checkin_keys"),
    bind(&[Tab], Action::CheckinScope, "key.act.checkin_keys"),
    bind(&[Up], Action::CheckinPick(-1), "key.act.checkin_keys"),
    bind(&[Down], Action::CheckinPick(1), "key.act.checkin_keys"),
];

const OVERVIEW: &[Binding] = &[
    bind(&[Enter], Action::Enter, "key.ov.open"),
    bind(&[Char('p')], Action::RankPeriod, "key.ov.period"),
    bind(&[Char('o')], Action::RankUnit, "key.ov.period"),
];

/// The layers that open over a panel, with their bindings: their help
/// lines join the panel's.
fn layer_tables(panel: Panel) -> &'static [(KeyContext, &'static [Binding])] {
    match panel {
        Panel::Points => &[
            (KeyContext::Evaluation, EVALUATION),
            (KeyContext::Approvals, APPROVALS),
            (KeyContext::PickMember, PICK_MEMBER),
        ],
        Panel::OrgLife => &[
            (KeyContext::Meeting, MEETING),
            (KeyContext::PickMember, PICK_MEMBER),
        ],
        Panel::Activities => &[
            (KeyContext::Roll, ROLL),
            (KeyContext::PickMember, PICK_MEMBER),
        ],
        // Every panel has something that takes a member (check-in, a form).
        _ => &[(KeyContext::PickMember, PICK_MEMBER)],
    }
}

/// A panel's own bindings, and those of the line that opens over it.
fn tables(panel: Panel) -> (&'static [Binding], &'static [Binding]) {
    match panel {
        Panel::Org => (ORG, &[]),
        Panel::Members => (MEMBERS, &[]),
        Panel::Pairing => (PAIRING, &[]),
        Panel::Points => (POINTS, POINTS_LINE),
        Panel::Activities => (ACTIVITIES, CHECK_IN),
        Panel::Overview => (OVERVIEW, &[]),
        Panel::OrgLife => (ORGLIFE, MINUTES),
    }
}

/// The action a table binds to this key. Ctrl bindings need Ctrl; the others
/// take the key with any modifiers but Ctrl, or with Ctrl too when `lenient`
/// (a line, where Ctrl+Enter is still Enter).
fn find(table: &[Binding], key: KeyEvent, lenient: bool) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let hit = |want_ctrl: bool| {
        table
            .iter()
            .find(|b| b.ctrl == want_ctrl && b.keys.contains(&key.code))
            .map(|b| b.action.clone())
    };
    match ctrl {
        true => hit(true).or_else(|| if lenient { hit(false) } else { None }),
        false => hit(false),
    }
}

fn panel_key(key: KeyEvent, panel: Panel) -> Option<Action> {
    find(COMMON, key, false).or_else(|| find(tables(panel).0, key, false))
}

/// The help lines of a panel (i18n keys), in the order shown: those of every
/// binding in force on it, the common ones first, each line once.
pub fn help_keys(panel: Panel) -> Vec<&'static str> {
    let (own, line) = tables(panel);
    let mut keys: Vec<&'static str> = Vec::new();
    let layers = layer_tables(panel).iter().flat_map(|(_, t)| t.iter());
    for b in COMMON.iter().chain(own).chain(line).chain(layers) {
        if !keys.contains(&b.help) {
            keys.push(b.help);
        }
    }
    keys
}

#[cfg(test)]
mod tests;
