//! Points entry for a queue: the first entry walks the line's fields, each
//! next one is the member's initials and Ctrl-P (the last entry's rule,
//! quantity, day and note), a digit more on a tie. Prints keys per entry.

use crate::harness::Harness;
use dangjian::domain::*;
use dangjian::ops::query;
use dangjian::tui::Lang;
use dangjian::tui::app::Layer;

fn initials(name: &str) -> String {
    dangjian::domain::search::sort_key(name)
        .split(' ')
        .filter_map(|s| s.chars().next())
        .collect()
}

#[test]
fn twenty_entries_by_initials_and_ctrl_p() {
    let mut h = Harness::new(Lang::Zh);
    let people: Vec<Member> = h
        .app
        .members
        .iter()
        .enumerate()
        .map(|(i, _)| h.member_at(i))
        .filter(|m| m.data.status == MemberStatus::Active)
        .take(20)
        .collect();
    let before: Vec<Points> = people
        .iter()
        .map(|m| query::balance(h.store(), m.id).unwrap())
        .collect();
    h.keys("4<Enter>");
    // Nothing to repeat yet: Ctrl-P says so and records nothing.
    h.event(ctrl_p());
    assert!(h.app.points.recent.is_empty());
    let mut keys = 0usize;
    for (n, m) in people.iter().enumerate() {
        let typed = initials(&m.data.name);
        h.keys(&typed);
        keys += typed.chars().count();
        if n == 0 {
            h.keys("<Enter>");
            keys += 1;
        } else {
            h.event(ctrl_p());
            keys += 1;
        }
        if let Some(Layer::PickMember(p)) = h.app.layers.last() {
            let row = p
                .candidates
                .iter()
                .position(|&i| h.app.members[i].id == m.id)
                .expect("among the tied");
            assert!(row < 9);
            h.keys(&(row + 1).to_string());
            keys += 1;
            if n > 0 {
                h.event(ctrl_p());
                keys += 1;
            }
        }
        if n == 0 {
            // Rule, quantity, day (as they are), a note, Enter saves.
            h.keys("<Enter><Enter><Enter>大扫除<Enter>");
            keys += 4 + "大扫除".chars().count();
        }
        assert_eq!(h.app.points.recent.len(), n + 1, "{}", h.screen());
    }
    for (m, b) in people.iter().zip(&before) {
        assert!(
            query::balance(h.store(), m.id).unwrap() > *b,
            "{}",
            m.data.name
        );
        let last = query::statement(h.store(), m.id).unwrap().pop().unwrap();
        assert_eq!(last.note, "大扫除", "the note repeated for {}", m.data.name);
    }
    let average = keys as f64 / people.len() as f64;
    println!("average keys per points entry over 20 members: {average:.2}");
}

fn ctrl_p() -> crossterm::event::Event {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    Event::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL))
}

/// The rule field is drawn as a ‹ › pick list: ← and → turn it, as ↑ and ↓ do.
#[test]
fn left_and_right_turn_the_rule_field() {
    use dangjian::tui::panels::points::EntryField;
    let mut h = Harness::new(Lang::Zh);
    h.keys("4<Enter><Tab>");
    assert_eq!(h.app.points.field, EntryField::Rule);
    let start = h.app.points.rule;
    let n = h.app.rules.len();
    h.keys("<Right>");
    assert_eq!(h.app.points.rule, (start + 1) % n);
    h.keys("<Left><Left>");
    assert_eq!(h.app.points.rule, (start + n - 1) % n);
    h.keys("<Down>");
    assert_eq!(h.app.points.rule, start);
}

/// ↑ on the note field brings back the notes recorded before, newest first;
/// what is typed narrows them.
#[test]
fn up_on_the_note_completes_from_earlier_notes() {
    use dangjian::tui::panels::points::EntryField;
    let mut h = Harness::new(Lang::Zh);
    let people: Vec<String> = h
        .app
        .members
        .iter()
        .filter(|r| r.status == MemberStatus::Active)
        .map(|r| r.name.to_string())
        .take(3)
        .collect();
    h.keys("4<Enter>");
    for (name, note) in people.iter().zip(["楼道清扫", "社区大扫除"]) {
        h.keys(&format!("{name}<Enter><Enter><Enter><Enter>{note}<Enter>"));
        assert!(h.app.points.recent.len() <= 2, "{}", h.app.status);
    }
    assert_eq!(h.app.points.recent.len(), 2, "{}", h.screen());
    h.keys(&format!("{}<Enter><Enter><Enter><Enter>", people[2]));
    assert_eq!(h.app.points.field, EntryField::Note);
    h.keys("<Up>");
    assert_eq!(h.app.points.note.value(), "社区大扫除");
    h.keys("<Up>");
    assert_eq!(h.app.points.note.value(), "楼道清扫");
    h.keys("<Down><Down>");
    assert_eq!(h.app.points.note.value(), "");
    h.keys("楼<Up>");
    assert_eq!(h.app.points.note.value(), "楼道清扫");
}
