//! Undo that undoes (issue 20): taking back "add member" removes the record
//! and its indexes through an audited command, so the same ID number can be
//! entered again at once; several levels of undo, and redo; a creation that
//! something now refers to is not taken back.

use crate::harness::Harness;
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::tui::Lang;

fn member_named(h: &Harness, name: &str) -> Option<Member> {
    h.app
        .members
        .iter()
        .position(|r| *r.name == *name)
        .map(|i| h.member_at(i))
}

/// Adds a member through the form on the roster: name, then the ID number
/// (fourth field).
fn add_member(h: &mut Harness, name: &str, id_number: &str) -> Member {
    h.keys(&format!("n{name}<Tab><Tab><Tab>{id_number}<Enter>"));
    assert!(h.app.layers.is_empty(), "saved: {}", h.screen());
    member_named(h, name).unwrap_or_else(|| panic!("{name} added"))
}

fn store_clean(h: &Harness) {
    let report = dangjian::store::check(h.store()).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
}

#[test]
fn undo_of_an_added_member_frees_the_id_number_for_the_corrected_entry() {
    let mut h = Harness::new(Lang::Zh);
    let idno = crate::common::id_number("19700506", 123);
    h.keys("jj2");
    let added = add_member(&mut h, "张三丰", &idno);
    assert!(h.app.status.contains("张三丰"), "{}", h.app.status);

    h.keys("u");
    assert!(query::member(h.store(), added.id).unwrap().is_none());
    assert!(member_named(&h, "张三丰").is_none(), "gone from the roster");
    assert!(
        h.app.status.contains("已撤销") && h.app.status.contains("张三丰"),
        "{}",
        h.app.status
    );
    // Not found by search either.
    h.keys("/zsf<Enter>");
    assert!(!h.screen().contains("张三丰"), "{}", h.screen());
    h.keys("<Esc>");
    // The inverse was a command like any other: audited, no gap in the ids.
    let last = query::audit_since(h.store(), None, None, Some(1)).unwrap();
    assert_eq!(last[0].command, "Uncreate");
    store_clean(&h);

    // The corrected member takes the same ID number.
    let again = add_member(&mut h, "张三峰", &idno);
    assert_eq!(again.data.id_number, idno);
    assert_ne!(again.id, added.id, "ids are never given out twice");
    store_clean(&h);
}

#[test]
fn undo_twice_then_redo_twice() {
    let mut h = Harness::new(Lang::En);
    h.keys("jj2");
    let a = add_member(&mut h, "甲一", &crate::common::id_number("19800101", 201));
    let b = add_member(&mut h, "乙二", &crate::common::id_number("19800101", 202));
    h.keys("uu");
    assert!(member_named(&h, "甲一").is_none() && member_named(&h, "乙二").is_none());
    assert!(query::member(h.store(), a.id).unwrap().is_none());
    assert!(query::member(h.store(), b.id).unwrap().is_none());
    h.keys("u");
    assert!(h.app.status.contains("Nothing to undo"), "{}", h.app.status);

    // Redo, newest undone first: 甲一 was undone last, so comes back first.
    h.keys("<C-r>");
    assert!(member_named(&h, "甲一").is_some());
    assert!(member_named(&h, "乙二").is_none());
    assert!(h.app.status.contains("Redone"), "{}", h.app.status);
    h.keys("<C-r>");
    assert!(member_named(&h, "乙二").is_some());
    h.keys("<C-r>");
    assert!(h.app.status.contains("Nothing to redo"), "{}", h.app.status);
    // And what was redone can be undone again.
    h.keys("u");
    assert!(member_named(&h, "乙二").is_none());
    store_clean(&h);
}

#[test]
fn a_new_change_after_undo_empties_redo() {
    let mut h = Harness::new(Lang::En);
    h.keys("jj2");
    add_member(&mut h, "丙三", &crate::common::id_number("19800101", 203));
    h.keys("u");
    assert_eq!(h.app.redo.len(), 1);
    add_member(&mut h, "丁四", &crate::common::id_number("19800101", 204));
    assert!(h.app.redo.is_empty());
}

#[test]
fn a_member_with_points_is_not_taken_back() {
    let mut h = Harness::new(Lang::En);
    h.keys("jj2");
    let added = add_member(&mut h, "戊五", &crate::common::id_number("19800101", 205));
    // Someone records points for the new member meanwhile.
    let actor = ops::actor_for_login(h.store(), "admin").unwrap();
    let rule = h.app.rules[0].id;
    ops::apply(
        h.store(),
        &actor,
        &Command::RecordPoints {
            member: added.id,
            date: h.app.today,
            rule,
            quantity_centi: 100,
            points_override: None,
            note: String::new(),
        },
    )
    .unwrap();
    h.keys("u");
    assert!(query::member(h.store(), added.id).unwrap().is_some());
    assert!(h.app.status.contains("points entries"), "{}", h.app.status);
    assert_eq!(h.app.undo.len(), 1, "still there to try again");
    store_clean(&h);
}

#[test]
fn undo_of_a_new_activity_removes_it() {
    let mut h = Harness::new(Lang::Zh);
    h.keys("5n");
    h.keys("撤销测试活动<Enter>");
    let made = h
        .app
        .activities
        .rows
        .iter()
        .find(|r| r.activity.data.title == "撤销测试活动")
        .map(|r| r.activity.id);
    let Some(id) = made else {
        panic!("created: {}", h.screen());
    };
    h.keys("u");
    assert!(!h.app.activities.rows.iter().any(|r| r.activity.id == id));
    assert!(h.app.status.contains("撤销测试活动"), "{}", h.app.status);
    store_clean(&h);
}
