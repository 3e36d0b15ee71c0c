use crate::harness::{Harness, demo_store};
use crossterm::event::Event;
use dangjian::domain::*;
use dangjian::ops::query;
use dangjian::tui::Lang;

fn member_named(h: &Harness, name: &str) -> Member {
    h.app
        .members
        .iter()
        .position(|r| *r.name == *name)
        .map(|i| h.member_at(i))
        .unwrap_or_else(|| panic!("no member {name}"))
}

#[test]
fn add_edit_undo_and_find_a_member_by_pinyin() {
    let mut h = Harness::new(Lang::Zh);
    // Add: the form opens on the selected group; name, skip to phone, save.
    h.keys("jj2n");
    h.keys("欧阳娜娜<Tab><Tab><Tab><Tab>13912345678<Enter>");
    let added = member_named(&h, "欧阳娜娜");
    assert_eq!(added.data.phone, "13912345678");
    let stored = query::member(h.store(), added.id).unwrap().unwrap();
    assert_eq!(stored.data.phone, "13912345678");

    // Find by initials: the new member comes first.
    h.keys("/oynn<Enter>");
    assert_eq!(h.app.selected_member().unwrap().id, added.id);
    assert!(h.screen().contains("欧阳娜娜"));

    // Edit the phone: clear the field and type a new number.
    h.keys("e<Tab><Tab><Tab><Tab>");
    for _ in 0..11 {
        h.keys("<BS>");
    }
    h.keys("13600001111<Enter>");
    let edited = query::member(h.store(), added.id).unwrap().unwrap();
    assert_eq!(edited.data.phone, "13600001111");
    assert!(h.app.layers.is_empty(), "form closed after saving");

    // Undo the edit: the old phone is back, in the store and on screen.
    h.keys("<Esc>u");
    let undone = query::member(h.store(), added.id).unwrap().unwrap();
    assert_eq!(undone.data.phone, "13912345678");
    assert_eq!(member_named(&h, "欧阳娜娜").data.phone, "13912345678");
    assert!(h.app.status.contains("已撤销"), "{}", h.app.status);
    // The undo went through the Command seam and is audited like any change.
    let last = query::audit_since(h.store(), None, None, Some(1)).unwrap();
    assert_eq!(last[0].command, "UpdateMember");
}

#[test]
fn a_bad_phone_is_explained_as_you_type_and_blocks_saving() {
    let mut h = Harness::new(Lang::En);
    h.keys("2n张三<Tab><Tab><Tab><Tab>12345");
    let screen = h.screen();
    assert!(
        screen.contains("mobile") || screen.contains("landline"),
        "{screen}"
    );
    let before = h.store().count_of::<dangjian::domain::Member>();
    h.keys("<Enter>");
    assert_eq!(h.store().count_of::<dangjian::domain::Member>(), before);
    let screen = h.screen();
    assert!(
        screen.contains("Fix the fields marked ✗ first."),
        "{screen}"
    );
    assert!(
        screen.contains("✗ Phone"),
        "the field carries the sign: {screen}"
    );
}

#[test]
fn esc_on_an_unsaved_form_asks_before_discarding() {
    let mut h = Harness::new(Lang::En);
    h.keys("2n王五<Esc>");
    assert!(h.screen().contains("Discard unsaved changes?"));
    h.keys("n");
    assert!(h.screen().contains("New member"), "still editing");
    h.keys("<Esc>y");
    assert!(h.app.layers.is_empty());
    assert!(!h.app.quit);
}

#[test]
fn q_quits_from_a_panel_and_goes_back_from_search() {
    let mut h = Harness::new(Lang::En);
    // The first Esc clears the query, the second closes the line.
    h.keys("/zs<Esc>");
    assert!(h.app.searching());
    assert_eq!(
        h.app.search.as_ref().map(|s| s.value().to_string()),
        Some(String::new())
    );
    h.keys("<Esc>");
    assert!(h.app.search.is_none());
    assert!(!h.app.quit);
    h.keys("q");
    assert!(h.app.quit);
}

#[test]
fn reveal_shows_full_values_to_an_admin_only() {
    let (dir, store, _admin) = demo_store();
    let leader = dangjian::ops::actor_for_login(&store, "lijun").unwrap();
    let mut h = Harness::with(dir, store, leader, Lang::En);
    h.keys("2<Enter>v");
    assert!(h.app.revealed.is_none());
    assert!(h.app.status.contains("may not see"), "{}", h.app.status);

    let mut h = Harness::new(Lang::En);
    h.keys("2<Enter>");
    let id = h.app.selected_member().unwrap().id;
    let full = h
        .session
        .ask(dangjian::access::MemberQ(id))
        .unwrap()
        .unwrap()
        .data
        .id_number;
    assert!(!h.screen().contains(&full), "masked before reveal");
    h.keys("v");
    assert!(h.screen().contains(&full), "shown after reveal");
}

#[test]
fn a_group_leader_sees_only_their_group() {
    let (dir, store, _admin) = demo_store();
    let leader = dangjian::ops::actor_for_login(&store, "lijun").unwrap();
    let scope = leader.scope.unwrap();
    let expected = query::members_in_subtree(&store, scope).unwrap().len();
    let mut h = Harness::with(dir, store, leader, Lang::Zh);
    h.keys("2");
    assert_eq!(h.app.roster_rows.len(), expected);
    assert!(h.app.members.iter().all(|r| r.unit == scope));
}

#[test]
fn resize_storm_down_to_20x5_never_panics() {
    let mut h = Harness::new(Lang::Zh);
    h.keys("2<Enter>");
    for (w, hgt) in [
        (20, 5),
        (1, 1),
        (200, 60),
        (33, 7),
        (80, 24),
        (20, 5),
        (0, 0),
        (80, 24),
    ] {
        h.event(Event::Resize(w, hgt));
    }
    h.keys("/zs");
    h.event(Event::Resize(20, 5));
    h.keys("<Esc><Esc>n");
    h.event(Event::Resize(21, 6));
    h.event(Event::Resize(80, 24));
    assert!(h.screen().contains("新增党员"));
}

#[test]
fn search_finds_a_member_by_phone_tail_typed_digit_by_digit() {
    let mut h = Harness::new(Lang::En);
    let member = h.member_at(5);
    let tail = member.data.phone[7..].to_string();
    h.keys(&format!("/{tail}"));
    assert_eq!(
        h.app.selected_member().map(|r| r.id),
        Some(member.id),
        "{}",
        h.screen()
    );
}

#[test]
fn quick_entry_records_points_in_a_handful_of_keys_and_ctrl_z_reverses() {
    let mut h = Harness::new(Lang::Zh);
    let row = h
        .app
        .members
        .iter()
        .find(|r| r.status == MemberStatus::Active)
        .unwrap()
        .clone();
    let before = query::balance(h.store(), row.id).unwrap();
    // Go to the panel and open its line, then choose the rule once: STUDY
    // (0.5 per hour), 2 hours.
    h.keys("4<Enter>");
    h.keys(&format!("{}<Enter>", row.name));
    h.keys("S");
    assert_eq!(h.app.rules[h.app.points.rule].code, "STUDY");
    h.keys("<Enter><BS>2<Enter><Enter><Enter>");
    let after = query::balance(h.store(), row.id).unwrap();
    assert_eq!(after, before + Points::whole(1), "{}", h.screen());
    assert_eq!(h.app.points.recent.len(), 1);

    // The next entry remembers rule, hours and date: name + five Enters.
    h.keys(&format!("{}<Enter><Enter><Enter><Enter><Enter>", row.name));
    assert_eq!(
        query::balance(h.store(), row.id).unwrap(),
        before + Points::whole(2)
    );
    assert!(h.screen().contains("STUDY"));

    // Ctrl-Z reverses the last entry: a reversal in the ledger, marked in the list.
    h.keys("<C-z>");
    assert_eq!(
        query::balance(h.store(), row.id).unwrap(),
        before + Points::whole(1)
    );
    assert!(h.app.points.recent[0].reversed);
    let last = query::statement(h.store(), row.id).unwrap();
    assert!(last.last().unwrap().reverses.is_some());
    h.keys("<Esc>s");
    assert!(h.app.points.show_statement);
}

#[test]
fn quick_entry_refuses_without_a_member_and_shows_a_cap_refusal() {
    let mut h = Harness::new(Lang::En);
    h.keys("4<Enter><Enter>");
    assert!(h.screen().contains("pick a member first"), "{}", h.screen());
    let row = h
        .app
        .members
        .iter()
        .find(|r| r.status == MemberStatus::Active)
        .unwrap()
        .clone();
    // REPORT gives 5 at most once a year: the second is refused with the reason.
    h.keys(&format!("<Esc><Enter>{}<Enter>R", row.name));
    assert_eq!(h.app.rules[h.app.points.rule].code, "REPORT");
    let name = row.name.to_string();
    h.keys("<Enter><Enter><Enter><Enter>");
    h.keys(&format!("{name}<Enter><Enter><Enter><Enter><Enter>"));
    let screen = h.screen();
    assert!(
        screen.contains("cap reached") || h.app.points.recent.len() == 1,
        "{screen}"
    );
}

#[test]
fn the_ranking_follows_entries_and_switches_period_and_scope() {
    let mut h = Harness::new(Lang::En);
    h.keys("4");
    assert_eq!(h.app.points.rank_label, "2026");
    let top = h.app.points.ranking[0].clone();
    // Ten volunteer hours for the last in the ranking lifts them to the top.
    let last = h.app.points.ranking.last().unwrap().clone();
    h.keys(&format!(
        "<Enter>{}<Enter>V<Enter><BS>10<Enter><Enter><Enter>",
        last.name
    ));
    let now_top = &h.app.points.ranking[0];
    assert!(
        now_top.member == last.member || now_top.points >= top.points,
        "{:?}",
        h.app.points.ranking
    );
    assert!(
        h.app
            .points
            .ranking
            .iter()
            .any(|r| r.member == last.member && r.points >= last.points + Points::whole(10))
    );
    // p: month, then quarter; o: the first branch.
    h.keys("<Esc>p");
    assert_eq!(h.app.points.rank_label, "2026-11");
    h.keys("p");
    assert_eq!(h.app.points.rank_label, "2026-Q4");
    h.keys("o");
    let branch = h.app.points.rank_unit.expect("a branch");
    assert!(h.app.points.ranking.iter().all(|r| {
        let unit = h.app.units.get(&r.unit).unwrap();
        unit.id == branch || unit.parent == Some(branch)
    }));
}

#[test]
fn the_detail_pane_and_the_edit_form_read_the_selected_members_whole_record() {
    let mut h = Harness::new(Lang::En);
    // The roster holds what it draws; no whole record until one is shown.
    h.keys("2");
    assert!(h.app.full.is_none());
    h.keys("<Enter>");
    let first = h.app.selected_member().unwrap().id;
    assert_eq!(h.app.full.as_ref().map(|m| m.id), Some(first));
    // The pane follows the cursor.
    h.keys("<Down>");
    let second = h.app.selected_member().unwrap().id;
    assert_ne!(first, second);
    let whole = h.member_at(h.app.member_index[&second]);
    assert_eq!(h.app.full.as_deref(), Some(&whole));
    let birth = whole
        .data
        .birth_date
        .expect("demo members have birth dates");
    assert!(h.screen().contains(&birth.to_string()), "{}", h.screen());
    // The edit form opens filled from the whole record.
    h.keys("e");
    assert!(matches!(
        h.app.layers.last(),
        Some(dangjian::tui::app::Layer::Form(_))
    ));
    assert!(h.screen().contains(&birth.to_string()), "{}", h.screen());
}

#[test]
fn the_roster_in_name_order_is_the_order_of_whole_sort_keys_then_ids() {
    let mut h = Harness::new(Lang::Zh);
    h.keys("2");
    let keyed: Vec<(String, MemberId)> = h
        .app
        .roster_rows
        .iter()
        .map(|&i| {
            let r = &h.app.members[i];
            (dangjian::domain::search::sort_key(&r.name), r.id)
        })
        .collect();
    assert!(keyed.len() > 100, "{}", keyed.len());
    // Names whose keys share their first 8 bytes are there to be ordered.
    assert!(keyed.windows(2).any(|w| w[0].0.len() > 8
        && w[1].0.len() > 8
        && w[0].0.as_bytes()[..8] == w[1].0.as_bytes()[..8]
        && w[0].0 != w[1].0));
    let mut sorted = keyed.clone();
    sorted.sort();
    assert_eq!(keyed, sorted);
}

#[test]
fn someone_elses_points_entry_changes_the_members_row_and_nothing_it_counts() {
    let mut h = Harness::new(Lang::En);
    let i = h
        .app
        .members
        .iter()
        .position(|r| r.status == MemberStatus::Active)
        .unwrap();
    let id = h.app.members[i].id;
    let (counts, org_rows) = (h.app.subtree_counts.clone(), h.app.org_rows.clone());
    let before = query::balance(h.store(), id).unwrap();
    let rule = h.app.rules.iter().find(|r| r.points.0 > 0).unwrap().id;
    let done = h
        .session
        .apply(&dangjian::ops::Command::RecordPoints {
            member: id,
            date: chrono::Local::now().date_naive(),
            rule,
            quantity_centi: 100,
            points_override: None,
            note: String::new(),
        })
        .unwrap();
    dangjian::tui::reload::reload(
        &h.session,
        &mut h.app,
        &done.touched,
        dangjian::tui::action::Origin::Other,
    )
    .unwrap();
    let after = query::balance(h.store(), id).unwrap();
    assert_ne!(after, before, "the entry counted");
    assert_eq!(h.app.members[h.app.member_index[&id]].balance, after);
    assert_eq!(h.app.member_index[&id], i);
    assert_eq!(h.app.subtree_counts, counts);
    assert_eq!(h.app.org_rows, org_rows);
}
