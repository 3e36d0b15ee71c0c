//! A scrolling list's position and how the motion keys move it: the one copy
//! every list of the TUI uses (org tree, roster, pairing, activities, import
//! preview, recent changes, the overview's figures).

use super::action::Action;

/// A scrolling list position: the selected row and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` within `len` rows, keeping the selection on screen.
    pub fn step(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        let target = (self.selected as isize + delta).clamp(0, len as isize - 1);
        self.selected = target as usize;
        self.keep_visible(len, height);
    }

    pub fn keep_visible(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }

    /// Moves for a motion action (↑ ↓, page, home, end) within `len` rows
    /// of which `height` show, a page being `height`; whether it was one.
    pub fn follow(&mut self, action: &Action, len: usize, height: usize) -> bool {
        match motion(action, len, height) {
            Some(delta) => {
                self.step(delta, len, height);
                true
            }
            None => false,
        }
    }
}

/// How far a motion action moves in a list of `len` rows with pages of
/// `page`; `None` for any other action.
pub fn motion(action: &Action, len: usize, page: usize) -> Option<isize> {
    let page = page.max(1) as isize;
    Some(match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::Home => -(len as isize),
        Action::End => len as isize,
        _ => return None,
    })
}
