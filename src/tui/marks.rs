//! Bulk marks, VisiData-style, for the lists that act on members: Space marks
//! or unmarks the row and moves down, `V` starts a range that follows the
//! cursor (again ends it), Shift-↓/↑ extends the marks as it moves, `U`
//! unmarks all, `*` marks every row shown. An action then applies to all
//! marked rows (or the row under the cursor when none is), one `Command` per
//! member through `ops::apply` — each audited and each undoable — run here
//! for the runner (`apply_all`), which says in one line how many landed.

use super::action::{Action, Via};
use super::app::App;
use super::cursor::Cursor;
use crate::access::Session;
use crate::ops::Command;
use std::collections::BTreeSet;

/// Marked rows by a stable key (a member's id), so a reload that re-sorts
/// the list keeps them.
#[derive(Debug, Clone)]
pub struct Marks<K: Ord + Copy> {
    pub set: BTreeSet<K>,
    /// The row a range (`V`) started at, while one is being drawn.
    pub anchor: Option<usize>,
}

impl<K: Ord + Copy> Default for Marks<K> {
    fn default() -> Self {
        Marks {
            set: BTreeSet::new(),
            anchor: None,
        }
    }
}

impl<K: Ord + Copy> Marks<K> {
    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    pub fn contains(&self, k: &K) -> bool {
        self.set.contains(k)
    }

    /// Handles a marking or motion action on a list of `keys` (in the order
    /// shown) whose cursor is `cursor`; whether it was one.
    pub fn update(
        &mut self,
        action: &Action,
        keys: &[K],
        cursor: &mut Cursor,
        height: usize,
    ) -> bool {
        let len = keys.len();
        match action {
            Action::Mark => {
                if let Some(k) = keys.get(cursor.selected)
                    && !self.set.remove(k)
                {
                    self.set.insert(*k);
                }
                cursor.step(1, len, height);
            }
            Action::MarkAll => self.set.extend(keys.iter().copied()),
            Action::UnmarkAll => {
                self.set.clear();
                self.anchor = None;
            }
            Action::MarkRange => {
                self.anchor = match self.anchor {
                    Some(_) => None,
                    None => {
                        if let Some(k) = keys.get(cursor.selected) {
                            self.set.insert(*k);
                        }
                        Some(cursor.selected)
                    }
                };
            }
            Action::MarkExtend(delta) => {
                if let Some(k) = keys.get(cursor.selected) {
                    self.set.insert(*k);
                }
                cursor.step(*delta, len, height);
                if let Some(k) = keys.get(cursor.selected) {
                    self.set.insert(*k);
                }
            }
            a => {
                if !cursor.follow(a, len, height) {
                    return false;
                }
                if let Some(from) = self.anchor {
                    let (lo, hi) = (from.min(cursor.selected), from.max(cursor.selected));
                    self.set.extend(keys.iter().take(hi + 1).skip(lo).copied());
                }
            }
        }
        true
    }

    /// The marked keys among `keys`, in the order shown, or the one under
    /// the cursor when none is marked.
    pub fn chosen(&self, keys: &[K], cursor: &Cursor) -> Vec<K> {
        let marked: Vec<K> = keys
            .iter()
            .filter(|k| self.set.contains(k))
            .copied()
            .collect();
        if !marked.is_empty() || !self.set.is_empty() {
            return marked;
        }
        keys.get(cursor.selected).copied().into_iter().collect()
    }

    /// Forgets marks on keys no longer listed.
    pub fn keep(&mut self, keys: &[K]) {
        let listed: BTreeSet<K> = keys.iter().copied().collect();
        self.set.retain(|k| listed.contains(k));
    }
}

/// Applies `cmds` one by one through `ops::apply` (each its own audited
/// change and its own undo step), reloading what each touched; the status
/// line says how many landed and the first refusal.
pub fn apply_all(s: &Session, app: &mut App, cmds: Vec<Command>, via: Via) {
    // What was marked has been acted on: the roll's marks go.
    for layer in app.layers.iter_mut() {
        if let super::layers::Layer::Roll(roll) = layer {
            roll.marks = Marks::default();
        }
    }
    let total = cmds.len();
    let mut landed = 0usize;
    let mut refused: Option<String> = None;
    for cmd in cmds {
        match s.apply(&cmd) {
            Ok(done) => {
                landed += 1;
                let reloaded =
                    super::reload::reload(s, app, &done.touched, super::action::Origin::Own)
                        .and_then(|()| super::reload::own(s, app, &cmd, &done));
                if let Err(e) = reloaded {
                    refused.get_or_insert(e.to_string());
                }
                let what = crate::ops::words::done(&cmd, app.lang);
                let message = crate::ops::words::said(what, &done.subject);
                super::app::applied(app, via, &cmd, message, done.inverse);
            }
            Err(e) => {
                let said = e.in_lang(app.lang == crate::domain::Lang::Zh);
                refused.get_or_insert(said);
            }
        }
    }
    let mut status = format!("{} {landed}/{total}", app.tr("marks.done"));
    if let Some(why) = refused {
        status.push_str(" · ");
        status.push_str(&why);
    }
    app.status = status;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(actions: &[Action]) -> (Marks<u32>, Cursor) {
        let keys: Vec<u32> = (10..20).collect();
        let (mut m, mut c) = (Marks::default(), Cursor::default());
        for a in actions {
            m.update(a, &keys, &mut c, 5);
        }
        (m, c)
    }

    fn set(m: &Marks<u32>) -> Vec<u32> {
        m.set.iter().copied().collect()
    }

    #[test]
    fn space_toggles_and_moves_down() {
        let (m, c) = run(&[Action::Mark, Action::Mark, Action::Up, Action::Mark]);
        assert_eq!(set(&m), vec![10]);
        assert_eq!(c.selected, 2);
    }

    #[test]
    fn a_range_follows_the_cursor_until_v_again() {
        let (m, _) = run(&[
            Action::Down,
            Action::MarkRange,
            Action::Down,
            Action::Down,
            Action::MarkRange,
            Action::Down,
        ]);
        assert_eq!(set(&m), vec![11, 12, 13]);
        assert!(m.anchor.is_none());
    }

    #[test]
    fn shift_down_extends_and_u_unmarks_all() {
        let (m, _) = run(&[Action::MarkExtend(1), Action::MarkExtend(1)]);
        assert_eq!(set(&m), vec![10, 11, 12]);
        let (m, _) = run(&[Action::MarkAll, Action::UnmarkAll]);
        assert!(m.is_empty());
    }

    #[test]
    fn the_row_under_the_cursor_is_chosen_when_none_is_marked() {
        let keys: Vec<u32> = (10..20).collect();
        let (m, c) = run(&[Action::Down, Action::Down]);
        assert_eq!(m.chosen(&keys, &c), vec![12]);
        let (m, c) = run(&[Action::Mark, Action::Down, Action::Mark]);
        assert_eq!(m.chosen(&keys, &c), vec![10, 12]);
    }
}
