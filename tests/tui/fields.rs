//! Fields that behave (issue 20): the first character typed replaces a
//! pre-filled default (hours `1` then `3` is 3, not 13), moving the cursor
//! first keeps it for editing; a refused check-in clears the line.

use crate::harness::Harness;
use dangjian::domain::*;
use dangjian::ops::query;
use dangjian::tui::Lang;

/// Records hours for a member on the volunteer rule, typing `hours_keys`
/// into the hours field (which shows its default, 1), and returns the points
/// the entry moved.
fn record_hours(hours_keys: &str) -> (Points, Points) {
    let mut h = Harness::new(Lang::En);
    let row = h
        .app
        .members
        .iter()
        .find(|r| r.status == MemberStatus::Active)
        .unwrap()
        .clone();
    let rule = h
        .app
        .rules
        .iter()
        .find(|r| r.code.starts_with('V'))
        .unwrap()
        .clone();
    let before = query::balance(h.store(), row.id).unwrap();
    h.keys("4<Enter>");
    h.keys(&format!("{}<Enter>V<Enter>", row.name));
    assert_eq!(h.app.points.quantity.value(), "1", "the default shows");
    h.keys(&format!("{hours_keys}<Enter><Enter><Enter>"));
    let after = query::balance(h.store(), row.id).unwrap();
    (Points(after.0 - before.0), rule.points)
}

#[test]
fn the_first_digit_typed_replaces_the_hours_default() {
    let (moved, per_hour) = record_hours("3");
    assert_eq!(moved, Points(per_hour.0 * 3), "3 hours, not 13");
}

#[test]
fn moving_the_cursor_first_keeps_the_default_for_editing() {
    let (moved, per_hour) = record_hours("<End>5");
    assert_eq!(moved, Points(per_hour.0 * 15));
    let (moved, per_hour) = record_hours("<Left>1");
    assert_eq!(moved, Points(per_hour.0 * 11));
}

#[test]
fn the_first_character_replaces_a_form_default_but_not_typed_text() {
    let mut h = Harness::new(Lang::En);
    // The new-activity form pre-fills its date and time; go to that field.
    h.keys("5n");
    let Some(dangjian::tui::app::Layer::Form(form)) = h.app.layers.last() else {
        panic!("the form");
    };
    let (i, default) = form
        .fields
        .iter()
        .enumerate()
        .find(|(_, f)| !f.text_value().is_empty())
        .map(|(i, f)| (i, f.text_value().to_string()))
        .expect("a pre-filled field");
    h.keys(&"<Tab>".repeat(i));
    h.keys("x");
    let Some(dangjian::tui::app::Layer::Form(form)) = h.app.layers.last() else {
        panic!("the form");
    };
    assert_eq!(
        form.fields[i].text_value(),
        "x",
        "default {default} replaced"
    );
    // Away and back: what the user typed is added to, not replaced.
    h.keys("<Tab><S-Tab>y");
    let Some(dangjian::tui::app::Layer::Form(form)) = h.app.layers.last() else {
        panic!("the form");
    };
    assert_eq!(form.fields[i].text_value(), "xy");
}

#[test]
fn a_refused_check_in_clears_the_line_and_says_why() {
    let mut h = Harness::new(Lang::En);
    h.keys("5c");
    let target = h.app.checkin().unwrap().invitees[0];
    let name = h.app.members[target].name.to_string();
    h.keys(&format!("{name}<Enter>"));
    h.keys(&name);
    // Pick the one already checked in (those waiting rank first).
    let ci = h.app.checkin().unwrap();
    let at = ci
        .matches
        .list
        .iter()
        .position(|&i| i == target)
        .expect("still listed");
    for _ in 0..at {
        h.keys("<Down>");
    }
    h.keys("<Enter>");
    let ci = h.app.checkin().unwrap();
    assert_eq!(ci.input.value(), "", "cleared for the next person");
    assert!(
        ci.warning.as_deref().is_some_and(|w| w.contains(&name)),
        "{:?}",
        ci.warning
    );
}
