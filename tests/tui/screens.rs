use crate::harness::Harness;
use dangjian::tui::Lang;

fn both(name: &str, keys: &str) {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = Harness::new(lang);
        h.keys(keys);
        // Check-in times are the wall clock of the test run.
        insta::with_settings!({filters => vec![(r"\b\d\d:\d\d\b", "hh:mm")]}, {
            insta::assert_snapshot!(format!("{name}_{suffix}"), h.screen());
        });
    }
}

/// The first frame the run loop draws when the TUI starts: the org tree.
#[test]
fn app_starts() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let h = Harness::new(lang);
        let first = h.drawn();
        insta::assert_snapshot!(format!("app_starts_{suffix}"), first);
        assert_eq!(first, h.screen(), "the loop drew the state it holds");
    }
}

#[test]
fn org_tree() {
    both("org_tree", "");
}

#[test]
fn org_tree_collapsed_branch_with_detail() {
    both("org_branch", "j<Left>");
}

#[test]
fn roster_of_a_group() {
    both("roster_group", "jjm");
}

#[test]
fn roster_of_the_community_sorted_by_points() {
    both("roster_points", "2ssss<Down>s");
}

#[test]
fn roster_with_detail() {
    both("roster_detail", "2<Enter>");
}

#[test]
fn search_by_initials() {
    both("search_initials", "/zs");
}

#[test]
fn new_member_form() {
    both("form_new_member", "2n");
}

#[test]
fn edit_unit_form() {
    both("form_edit_unit", "jje");
}

#[test]
fn help_of_each_panel() {
    both("help_org", "?");
    both("help_members", "2?");
}

#[test]
fn overview_panel() {
    both("overview", "6");
    both("help_overview", "6?");
}

#[test]
fn overview_by_year_for_one_branch() {
    both("overview_year_branch", "6ppo");
}

#[test]
fn confirm_close_unit() {
    both("confirm_close", "jjx");
}

#[test]
fn points_panel() {
    both("points_empty", "4");
    both("points_rule_list", "4<Enter>孙瑶兰<Enter>");
}

#[test]
fn activities_list_and_detail() {
    both("activities_list", "5");
    both("activities_detail", "5<Enter>");
}

#[test]
fn new_activity_form() {
    both("form_new_activity", "5n");
}

/// A help taller than the screen scrolls: the points panel's keys at 80x24
/// end with the approval queue's, reached with ↓; any other key closes it.
#[test]
fn a_help_taller_than_the_screen_scrolls() {
    let mut h = Harness::new(Lang::Zh);
    h.keys("4?");
    let first = h.screen();
    assert!(first.contains("翻看"), "{first}");
    let last_line = h.app.tr("key.queue.withdraw").to_string();
    assert!(!first.contains(&last_line), "{first}");
    h.keys("<PgDn><PgDn><PgDn>");
    let end = h.screen();
    assert!(end.contains(&last_line), "{end}");
    assert!(dangjian::tui::layers::context(&h.app) == dangjian::tui::keymap::KeyContext::Help);
    // Scrolled past the end, one ↑ shows an earlier line at once.
    h.keys("<Up>");
    assert_ne!(h.screen(), end);
    h.keys("x");
    assert!(h.app.layers.is_empty());
}
