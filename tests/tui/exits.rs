//! Leaving is deliberate (issue 20): Esc in every mode clears, closes or goes
//! back one level and never quits; `q` quits from a panel; `q` and Ctrl-C ask
//! first when something typed would be lost; a panel opens the same way on
//! every visit.

use crate::harness::Harness;
use dangjian::tui::Lang;
use dangjian::tui::action::Panel;
use dangjian::tui::app::{Confirm, Layer};

fn asks_to_quit(h: &Harness) -> bool {
    matches!(h.app.layers.last(), Some(Layer::Confirm(Confirm::Quit)))
}

#[test]
fn esc_esc_in_every_mode_never_quits() {
    // Each opens a mode (and types into it where it takes text), then Esc Esc,
    // then three more Escs on whatever is left.
    let modes = [
        ("check-in", "5czs"),
        ("points line", "4<Enter>zs"),
        ("search", "/zs"),
        ("new member form", "2n王五"),
        ("attendance list", "5<Enter>"),
        ("overview drill-down", "6<Enter>"),
        ("import line", "2Iroster.csv"),
        ("help", "?"),
        ("recent changes", "L"),
        ("users", "U"),
        ("evaluation", "4v"),
        ("approval queue", "4a"),
        ("roster detail", "2<Enter>"),
    ];
    for (name, keys) in modes {
        let mut h = Harness::new(Lang::En);
        h.keys(keys);
        h.keys("<Esc><Esc>");
        assert!(!h.app.quit, "{name}: Esc Esc quit");
        h.keys("<Esc><Esc><Esc>");
        assert!(!h.app.quit, "{name}: more Escs quit");
    }
}

#[test]
fn esc_in_check_in_clears_the_text_then_leaves_the_mode_then_stays() {
    let mut h = Harness::new(Lang::Zh);
    h.keys("5czs");
    assert_eq!(h.app.checkin().unwrap().input.value(), "zs");
    h.keys("<Esc>");
    let ci = h.app.checkin().expect("still in check-in mode");
    assert_eq!(ci.input.value(), "");
    assert!(ci.matches.is_empty());
    h.keys("<Esc>");
    assert!(h.app.checkin().is_none());
    assert_eq!(h.app.panel, Panel::Activities);
    h.keys("<Esc>");
    assert!(!h.app.quit);
    assert!(h.app.status.contains("按 q 退出"), "{}", h.app.status);
}

#[test]
fn esc_in_the_points_line_clears_it_then_gives_the_keys_back() {
    let mut h = Harness::new(Lang::En);
    h.keys("4<Enter>zs");
    assert_eq!(h.app.points.member_query.value(), "zs");
    h.keys("<Esc>");
    assert_eq!(h.app.points.member_query.value(), "");
    assert!(matches!(h.app.layers.last(), Some(Layer::PointsLine)));
    h.keys("<Esc>");
    assert!(h.app.layers.is_empty());
    // Panel keys work again: `1` switches panel rather than being typed.
    h.keys("1");
    assert_eq!(h.app.panel, Panel::Org);
}

#[test]
fn the_points_panel_opens_on_its_panel_keys_on_every_visit() {
    let mut h = Harness::new(Lang::En);
    for _ in 0..3 {
        h.keys("4");
        assert!(h.app.layers.is_empty(), "{:?}", h.app.layers.len());
        assert!(!h.app.points.editing);
        // Opening the line and leaving the panel from it the usual way.
        h.keys("<Enter><Esc>1");
        assert_eq!(h.app.panel, Panel::Org);
    }
}

#[test]
fn esc_on_the_attendance_list_goes_back_to_the_activities() {
    let mut h = Harness::new(Lang::En);
    h.keys("5<Enter>");
    assert!(h.app.activities.detail);
    h.keys("<Esc>");
    assert!(!h.app.activities.detail);
    assert_eq!(h.app.panel, Panel::Activities);
    assert!(!h.app.quit);
}

#[test]
fn esc_after_an_overview_drill_down_returns_to_the_overview() {
    let mut h = Harness::new(Lang::En);
    // The first figure lists the members who did not serve.
    h.keys("6g<Enter>");
    assert_eq!(h.app.panel, Panel::Members);
    assert!(h.app.roster_filter.is_some());
    h.keys("<Esc>");
    assert_eq!(h.app.panel, Panel::Overview);
    assert!(h.app.roster_filter.is_none());
    // A drill-down to the org tree (groups without a leader) comes back too.
    let i = dangjian::tui::panels::overview::Figure::ALL
        .iter()
        .position(|f| *f == dangjian::tui::panels::overview::Figure::GroupsWithoutLeader)
        .unwrap();
    h.keys("g");
    for _ in 0..i {
        h.keys("j");
    }
    h.keys("<Enter>");
    assert_eq!(h.app.panel, Panel::Org);
    h.keys("<Esc>");
    assert_eq!(h.app.panel, Panel::Overview);
    // Switching panels by hand forgets the way back.
    h.keys("<Enter>1<Esc>");
    assert_eq!(h.app.panel, Panel::Org);
}

#[test]
fn ctrl_c_in_a_dirty_form_asks_and_keeps_the_text() {
    let mut h = Harness::new(Lang::En);
    h.keys("2n王五<C-c>");
    assert!(!h.app.quit);
    assert!(asks_to_quit(&h));
    assert!(
        h.screen().contains("Quit and lose what is typed?"),
        "{}",
        h.screen()
    );
    h.keys("n");
    let Some(Layer::Form(form)) = h.app.layers.last() else {
        panic!("the form is back");
    };
    assert!(form.dirty);
    assert!(h.screen().contains("王五"));
    h.keys("<C-c>y");
    assert!(h.app.quit);
}

#[test]
fn a_second_ctrl_c_on_the_question_quits() {
    let mut h = Harness::new(Lang::En);
    h.keys("5czs<C-c>");
    assert!(asks_to_quit(&h));
    h.keys("<C-c>");
    assert!(h.app.quit);
}

#[test]
fn q_quits_a_clean_screen_at_once_and_ctrl_c_too() {
    let mut h = Harness::new(Lang::En);
    h.keys("q");
    assert!(h.app.quit);
    let mut h = Harness::new(Lang::En);
    h.keys("2n<Esc><C-c>");
    assert!(h.app.quit, "an untouched form is nothing to lose");
}

#[test]
fn q_in_a_line_is_typed_and_ctrl_c_there_asks() {
    let mut h = Harness::new(Lang::En);
    h.keys("4<Enter>q");
    assert!(!h.app.quit);
    assert_eq!(h.app.points.member_query.value(), "q");
    h.keys("<C-c>");
    assert!(asks_to_quit(&h));
    h.keys("n");
    assert_eq!(h.app.points.member_query.value(), "q");
    assert!(!h.app.quit);
}

#[test]
fn the_quit_question_in_both_languages() {
    for (lang, name) in [
        (Lang::En, "quit_question_en"),
        (Lang::Zh, "quit_question_zh"),
    ] {
        let mut h = Harness::new(lang);
        h.keys("2n王五<C-c>");
        insta::assert_snapshot!(name, h.screen());
    }
}
