//! The points panel's quick-entry line: member (pinyin) → rule → hours/count →
//! date → note, Enter moving on and the last field saving. The rule and date
//! are remembered, so a batch of entries for one event is the member's
//! initials and a few Enters each. Pure state and update; the runner applies
//! the `RecordPoints` it returns.

pub mod evaluation;
pub mod ledger;
pub mod load;
pub mod notes;
pub mod queue;
pub mod view;
pub mod view_eval;
pub mod view_notice;

use crate::domain::finder::FinderEntry;
use crate::domain::validate::parse_date;
use crate::domain::*;
use crate::ops::Command;
use crate::tui::action::{Action, Effect, Handled};
use crate::tui::app::MemberRow;
use crate::tui::app::{App, Layer};
use crate::tui::finder::Found;
use crate::tui::period::RankPeriod;
use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryField {
    Member,
    Rule,
    Quantity,
    Date,
    Note,
}

impl EntryField {
    pub const ALL: [EntryField; 5] = [
        EntryField::Member,
        EntryField::Rule,
        EntryField::Quantity,
        EntryField::Date,
        EntryField::Note,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EntryField::Member => "points.member",
            EntryField::Rule => "points.rule",
            EntryField::Quantity => "points.quantity",
            EntryField::Date => "points.date",
            EntryField::Note => "points.note",
        }
    }

    fn step(self, delta: isize) -> EntryField {
        let i = EntryField::ALL.iter().position(|f| *f == self).unwrap_or(0) as isize;
        let n = EntryField::ALL.len() as isize;
        EntryField::ALL[(i + delta).rem_euclid(n) as usize]
    }
}

/// An entry made in this session, newest first in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentEntry {
    pub entry: EntryId,
    pub member: MemberId,
    pub name: String,
    pub rule: String,
    pub points: Points,
    pub reversed: bool,
    /// The entry waits for approval: `entry` holds the pending entry's
    /// number, and nothing is in the ledger yet.
    pub pending: bool,
}

/// Why the line did not save: an interface string, or a message from below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    Key(&'static str),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct PointsPanel {
    pub field: EntryField,
    /// Keys go to the entry line; Esc leaves it for the panel keys.
    pub editing: bool,
    pub member_query: Input,
    /// The member field's matches, best first (a few), and what Enter takes.
    pub matches: crate::tui::finder::Matches,
    pub member: Option<MemberId>,
    /// Index into the active rules.
    pub rule: usize,
    pub quantity: Input,
    pub date: Input,
    pub note: Input,
    pub error: Option<LineError>,
    /// The field just moved to still shows its default (the quantity, the
    /// date): the first character typed replaces it; another key first keeps it.
    pub fresh: bool,
    pub recent: Vec<RecentEntry>,
    /// The note of the last entry recorded, for Ctrl-P (repeat it).
    pub last_note: String,
    /// The notes ↑↓ complete the note field from.
    pub notes: notes::NoteHistory,
    /// The member whose figures are shown on the right.
    pub shown: Option<MemberId>,
    /// Monthly earned points of the member last chosen: (yyyymm, points).
    pub monthly: Vec<(u32, Points)>,
    /// Whole ledger of the member last chosen, with running balance.
    pub statement: Vec<(PointsEntry, Points)>,
    pub show_statement: bool,
    /// The statement entry chosen with ↑↓, counted from the newest.
    pub statement_sel: usize,
    /// The shown member's year — evaluation score and grade, who approved
    /// which entry, what waits — read only while the statement is shown.
    pub year: Option<crate::access::MemberYear>,
    pub rank_period: RankPeriod,
    /// The subtree ranked, cycled with `o`; `None` is everything the user sees.
    pub rank_unit: Option<OrgUnitId>,
    pub ranking: Vec<crate::report::points::RankRow>,
    /// The period label the ranking was computed for.
    pub rank_label: String,
}

const MATCHES: usize = 6;

impl PointsPanel {
    pub fn new(today: chrono::NaiveDate) -> PointsPanel {
        PointsPanel {
            field: EntryField::Member,
            // The panel's keys first, on every visit: Enter or `i` opens the line.
            editing: false,
            member_query: Input::default(),
            matches: Default::default(),
            member: None,
            rule: 0,
            quantity: Input::new("1".into()),
            date: Input::new(today.to_string()),
            note: Input::default(),
            error: None,
            fresh: false,
            recent: Vec::new(),
            last_note: String::new(),
            notes: Default::default(),
            shown: None,
            monthly: Vec::new(),
            statement: Vec::new(),
            show_statement: false,
            statement_sel: 0,
            year: None,
            rank_period: RankPeriod::Year,
            rank_unit: None,
            ranking: Vec::new(),
            rank_label: String::new(),
        }
    }

    pub fn input_mut(&mut self) -> Option<&mut Input> {
        match self.field {
            EntryField::Member => Some(&mut self.member_query),
            EntryField::Quantity => Some(&mut self.quantity),
            EntryField::Date => Some(&mut self.date),
            EntryField::Note => Some(&mut self.note),
            EntryField::Rule => None,
        }
    }

    /// Typing in the member field searches again.
    pub fn key(
        &mut self,
        key: KeyEvent,
        members: &[MemberRow],
        finder: &[FinderEntry],
        rules: &[PointsRule],
    ) {
        self.error = None;
        if self.field == EntryField::Rule {
            use crossterm::event::KeyCode;
            match key.code {
                // Typing a code's first letters picks the rule.
                KeyCode::Char(c) => {
                    let c = c.to_ascii_uppercase();
                    if let Some(i) = rules.iter().position(|r| r.code.starts_with(c)) {
                        self.rule = i;
                    }
                }
                // The field is drawn as a ‹ › pick list: ←/→ turn it, as ↑↓ do.
                KeyCode::Left => self.pick(-1, rules.len()),
                KeyCode::Right => self.pick(1, rules.len()),
                _ => {}
            }
            return;
        }
        let replace = std::mem::take(&mut self.fresh) && crate::tui::form::typed_char(key);
        if let Some(input) = self.input_mut() {
            if replace {
                input.reset();
            }
            input.handle_event(&Event::Key(key));
        }
        if self.field == EntryField::Note {
            self.notes.typed();
        }
        if self.field == EntryField::Member {
            let all = crate::tui::finder::active(members);
            let text = self.member_query.value().to_string();
            self.matches.search(finder, &all, &text, MATCHES, &|_| true);
            self.member = None;
        }
    }

    /// ↑/↓: a member among the matches, or a rule.
    pub fn pick(&mut self, delta: isize, rules: usize) {
        match self.field {
            EntryField::Member => self.matches.pick(delta),
            EntryField::Rule if rules > 0 => {
                self.rule = (self.rule as isize + delta).rem_euclid(rules as isize) as usize;
            }
            EntryField::Note => {
                // The shown member's notes, newest first, after the session's.
                let theirs: Vec<&str> = self
                    .statement
                    .iter()
                    .rev()
                    .map(|(e, _)| e.note.as_str())
                    .filter(|n| !n.is_empty())
                    .collect();
                if let Some(text) = self.notes.step(self.note.value(), delta < 0, &theirs) {
                    self.note = Input::new(text);
                }
            }
            _ => {}
        }
    }

    pub fn move_field(&mut self, delta: isize) {
        self.field = self.field.step(delta);
        self.fresh = self.field != EntryField::Member;
    }

    /// Enter: accept this field and move on; on the last field, the command
    /// to save (or why not, in `error`).
    pub fn enter(
        &mut self,
        members: &[MemberRow],
        rules: &[PointsRule],
        lang: crate::tui::Lang,
    ) -> Option<Command> {
        if self.field == EntryField::Member {
            match self.matches.found() {
                Found::One(i) if i < members.len() => self.member = Some(members[i].id),
                // A tie is settled by the pick list before this (`layers`).
                _ => {
                    self.error = Some(LineError::Key("points.pick_member"));
                    return None;
                }
            }
        }
        if self.field != EntryField::Note {
            self.move_field(1);
            return None;
        }
        self.command(rules, lang)
    }

    fn command(&mut self, rules: &[PointsRule], lang: crate::tui::Lang) -> Option<Command> {
        let Some(member) = self.member else {
            self.field = EntryField::Member;
            self.error = Some(LineError::Key("points.pick_member"));
            return None;
        };
        let Some(rule) = rules.get(self.rule) else {
            self.field = EntryField::Rule;
            self.error = Some(LineError::Key("points.no_rule"));
            return None;
        };
        let quantity = crate::domain::points::parse_centi(self.quantity.value())
            .filter(|q| *q > 0)
            .and_then(|q| u32::try_from(q).ok());
        let Some(quantity_centi) = quantity else {
            self.field = EntryField::Quantity;
            self.error = Some(LineError::Key("points.bad_quantity"));
            return None;
        };
        let date = match parse_date(self.date.value()) {
            Ok(d) => d,
            Err(e) => {
                self.field = EntryField::Date;
                self.error = Some(LineError::Text(crate::tui::words::value_error(lang, &e)));
                return None;
            }
        };
        Some(Command::RecordPoints {
            member,
            date,
            rule: rule.id,
            quantity_centi,
            points_override: None,
            note: self.note.value().trim().to_string(),
        })
    }

    /// Ctrl-P: the same rule, quantity, day and note as the last entry, for
    /// the member typed (or chosen), saved at once.
    pub fn repeat(
        &mut self,
        members: &[MemberRow],
        rules: &[PointsRule],
        lang: crate::tui::Lang,
    ) -> Option<Command> {
        if self.recent.is_empty() {
            self.error = Some(LineError::Key("points.nothing_to_repeat"));
            return None;
        }
        if self.member.is_none() {
            match self.matches.found() {
                Found::One(i) if i < members.len() => self.member = Some(members[i].id),
                _ => {
                    self.error = Some(LineError::Key("points.pick_member"));
                    return None;
                }
            }
        }
        self.note = Input::new(self.last_note.clone());
        self.command(rules, lang)
    }

    /// The member field settled on `member` (from the pick list over a tie):
    /// on to the rule, showing the member's figures.
    pub fn member_chosen(&mut self, member: MemberId) -> Option<Effect> {
        self.member = Some(member);
        self.error = None;
        self.field = EntryField::Rule;
        Some(Effect::ShowMember(member))
    }

    /// After an entry was recorded: list it and clear the line for the next
    /// person, keeping the rule, quantity and date.
    pub fn recorded(&mut self, entry: RecentEntry) {
        self.recent.insert(0, entry);
        self.recent.truncate(50);
        self.last_note = self.note.value().trim().to_string();
        self.notes.remember(&self.last_note);
        self.member_query.reset();
        self.note.reset();
        self.matches.clear();
        self.member = None;
        self.field = EntryField::Member;
        self.error = None;
    }

    /// Whether the line holds something typed (a member, a query, a note).
    pub fn typed(&self) -> bool {
        self.member.is_some()
            || !self.member_query.value().is_empty()
            || !self.note.value().is_empty()
    }

    /// Esc on a line with text: back to an empty member field, keeping the
    /// rule, quantity and date as `recorded` does.
    pub fn clear_line(&mut self) {
        self.member_query.reset();
        self.note.reset();
        self.matches.clear();
        self.member = None;
        self.field = EntryField::Member;
        self.error = None;
    }

    /// A waiting entry of this session's was withdrawn (undone).
    pub fn withdrawn(&mut self, id: PendingId) {
        if let Some(r) = self
            .recent
            .iter_mut()
            .find(|r| r.pending && r.entry.0 == id.0)
        {
            r.reversed = true;
        }
    }

    pub fn reversed(&mut self, entry: EntryId) {
        if let Some(r) = self
            .recent
            .iter_mut()
            .find(|r| r.entry == entry && !r.pending)
        {
            r.reversed = true;
        }
    }
}

/// The points panel's own actions (its entry line is a layer: `layers`);
/// `Ignored` lets the common panel keys handle it.
pub(crate) fn update(app: &mut App, action: &Action) -> Handled {
    if let Handled::Consumed(effect) = ledger::update(app, action) {
        return Handled::Consumed(effect);
    }
    let p = &mut app.points;
    match action {
        Action::PointsEdit => {
            p.editing = true;
            app.layers.push(Layer::PointsLine);
        }
        Action::Statement => {
            p.show_statement = !p.show_statement;
            if let (true, Some(id)) = (p.show_statement, p.shown) {
                return Handled::effect(Effect::ShowMember(id));
            }
        }
        Action::RankPeriod => {
            p.rank_period = p.rank_period.next();
            return Handled::Consumed(Some(Effect::LoadRanking));
        }
        Action::RankUnit => {
            app.points.rank_unit = app.next_branch(app.points.rank_unit);
            return Handled::Consumed(Some(Effect::LoadRanking));
        }
        Action::OpenEvaluation => {
            let view = evaluation::EvalView::new(app.today, p.rank_unit, p.shown);
            app.layers.push(Layer::Evaluation(Box::new(view)));
            return Handled::effect(Effect::LoadEvaluation);
        }
        Action::OpenApprovals => {
            let queue = queue::Queue::new(app.actor.role);
            app.layers.push(Layer::Approvals(Box::new(queue)));
            return Handled::effect(Effect::LoadApprovals);
        }
        Action::EvalSettings => {
            if app.actor.role != Role::CommitteeAdmin {
                app.status = app.tr("eval.admins_only").to_string();
            } else {
                return Handled::effect(Effect::OpenEvalSettings);
            }
        }
        _ => return Handled::Ignored,
    }
    Handled::DONE
}
