//! Key tables of the lists with bulk marks (an activity's roll) and of the
//! member pick list over a tie; `keymap::resolve` uses them (digits in the
//! pick list and Shift-↓/↑ in the roll are resolved there).

use super::{Action, Binding, bind};
use crossterm::event::KeyCode::{Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Up};

/// An activity's roll: move, mark in bulk, act on the marked.
pub(super) const ROLL: &[Binding] = &[
    bind(&[Up, Char('k')], Action::Up, "key.move"),
    bind(&[Down, Char('j')], Action::Down, "key.move"),
    bind(&[PageUp], Action::PageUp, "key.move"),
    bind(&[PageDown], Action::PageDown, "key.move"),
    bind(&[Home, Char('g')], Action::Home, "key.move"),
    bind(&[End, Char('G')], Action::End, "key.move"),
    bind(&[Esc, Char('q')], Action::Back, "key.roll.back"),
    bind(&[Char(' ')], Action::Mark, "key.marks"),
    bind(&[Char('V')], Action::MarkRange, "key.marks"),
    bind(&[Char('J')], Action::MarkExtend(1), "key.marks"),
    bind(&[Char('K')], Action::MarkExtend(-1), "key.marks"),
    bind(&[Char('U')], Action::UnmarkAll, "key.marks"),
    bind(&[Char('*')], Action::MarkAll, "key.marks"),
    bind(&[Char('c'), Enter], Action::RollCheckIn, "key.roll.act"),
    bind(&[Char('a')], Action::RollAbsent, "key.roll.act"),
    bind(&[Char('A')], Action::RollUnexcused, "key.roll.act"),
    bind(&[Char('p')], Action::RollPoints, "key.roll.act"),
];

/// The member pick list over a tie (digits choose a row: `resolve`).
pub(super) const PICK_MEMBER: &[Binding] = &[
    bind(&[Up, Char('k')], Action::Up, "key.finder.pick"),
    bind(&[Down, Char('j')], Action::Down, "key.finder.pick"),
    bind(&[Enter], Action::Enter, "key.finder.pick"),
    bind(&[Esc, Char('q')], Action::Back, "key.finder.pick"),
];
