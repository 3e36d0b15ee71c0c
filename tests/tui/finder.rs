//! The one member finder: `wgx` finds 王国星 in check-in, the points line, the
//! absence form, the leader field and the pairing picker; an exact tie on
//! Enter asks which member (digits or ↑↓ Enter), Esc goes back to the text,
//! and nothing is written until the worker says who.

use crate::harness::{Harness, demo_store};
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::tui::Lang;
use dangjian::tui::app::Layer;

/// Adds a member to the demo's first group, living at `room` in building 3.
fn add(store: &dangjian::store::Store, actor: &ops::Actor, name: &str, room: &str) -> MemberId {
    let group = query::org_units(store)
        .unwrap()
        .into_iter()
        .find(|u| u.level == OrgLevel::Group)
        .unwrap()
        .id;
    let data = MemberData {
        name: name.into(),
        gender: None,
        birth_date: None,
        id_number: String::new(),
        phone: String::new(),
        address: Address {
            building: "3".into(),
            unit: "1".into(),
            room: room.into(),
        },
        unit: group,
        category: MemberCategory::Retired,
        home_unit: String::new(),
        reported: None,
        joined: None,
        full_member: None,
        skills: vec![],
        posts: vec![],
        status: MemberStatus::Active,
        notes: String::new(),
    };
    let done = ops::apply(store, actor, &Command::CreateMember { data }).unwrap();
    MemberId(done.created.unwrap())
}

struct World {
    h: Harness,
    wang: MemberId,
    /// Two members with the same name: an exact tie by any spelling.
    twins: [MemberId; 2],
    activity: ActivityId,
}

/// The demo, plus 王国星 and two members named 贺晓彤 (rooms 101 and 102),
/// and an activity for the whole community listed first.
fn world(lang: Lang) -> World {
    let (dir, store, admin) = demo_store();
    let wang = add(&store, &admin, "王国星", "501");
    let twins = [
        add(&store, &admin, "贺晓彤", "101"),
        add(&store, &admin, "贺晓彤", "102"),
    ];
    let committee = query::org_units(&store)
        .unwrap()
        .into_iter()
        .find(|u| u.parent.is_none())
        .unwrap()
        .id;
    let a = ops::apply(
        &store,
        &admin,
        &Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::VolunteerService,
                title: "社区大扫除".into(),
                host: committee,
                starts: chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                    .unwrap()
                    .and_hms_opt(23, 0, 0)
                    .unwrap(),
                place: "小区广场".into(),
                rule: None,
                invitees: committee,
                notes: String::new(),
            },
        },
    )
    .unwrap();
    let h = Harness::with(dir, store, admin, lang);
    World {
        h,
        wang,
        twins,
        activity: ActivityId(a.created.unwrap()),
    }
}

fn present(h: &Harness, a: ActivityId, m: MemberId) -> bool {
    h.store().attendance(a, m).unwrap().is_some()
}

fn picking(h: &Harness) -> Vec<MemberId> {
    match h.app.layers.last() {
        Some(Layer::PickMember(p)) => p.candidates.iter().map(|&i| h.app.members[i].id).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn a_tie_on_enter_in_check_in_asks_which_one_and_esc_goes_back_to_the_text() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut w = world(lang);
        let h = &mut w.h;
        h.keys("5c贺晓彤<Enter>");
        // Nobody is checked in: the two are listed with unit and room.
        assert!(!present(h, w.activity, w.twins[0]));
        assert!(!present(h, w.activity, w.twins[1]));
        let mut tied = picking(h);
        tied.sort();
        assert_eq!(tied, w.twins.to_vec());
        insta::assert_snapshot!(format!("finder_tie_checkin_{suffix}"), h.screen());
        // Esc: back to the text, still typed, nothing written.
        h.keys("<Esc>");
        assert!(picking(h).is_empty());
        assert_eq!(h.app.checkin().unwrap().input.value(), "贺晓彤");
        // Enter again, then the second row by its digit.
        h.keys("<Enter>");
        let second = picking(h)[1];
        h.keys("2");
        assert!(present(h, w.activity, second));
        let first = picking_other(&w.twins, second);
        assert!(!present(h, w.activity, first), "only the one chosen");
        // The same tie by initials, the first row by ↓↑ and Enter.
        h.keys("hxt<Enter>");
        assert_eq!(picking(h).len(), 2, "{}", h.screen());
        h.keys("<Down><Up><Enter>");
        assert!(present(h, w.activity, first));
    }
}

/// When the pick list is open (a tie), chooses `m` by its row's digit.
fn choose(h: &mut Harness, m: MemberId) {
    let tied = picking(h);
    if !tied.is_empty() {
        let row = tied.iter().position(|&t| t == m).expect("among the tied");
        assert!(row < 9);
        h.keys(&(row + 1).to_string());
    }
}

fn picking_other(twins: &[MemberId; 2], one: MemberId) -> MemberId {
    if twins[0] == one { twins[1] } else { twins[0] }
}

#[test]
fn a_single_clear_best_match_is_taken_on_enter() {
    let mut w = world(Lang::Zh);
    let h = &mut w.h;
    h.keys("5c王国星<Enter>");
    assert!(picking(h).is_empty());
    assert!(present(h, w.activity, w.wang));
}

#[test]
fn wgx_finds_wang_guoxing_in_the_absence_form_and_the_leader_field() {
    let mut w = world(Lang::Zh);
    let h = &mut w.h;
    let wgx: Vec<usize> = {
        let all: Vec<usize> = (0..h.app.members.len()).collect();
        let q = dangjian::domain::finder::Query::new("wgx");
        dangjian::domain::finder::ranked(&h.app.finder, &all, &q)
            .into_iter()
            .map(|r| r.1)
            .collect()
    };
    let top = dangjian::domain::finder::score(
        &h.app.finder[wgx[0]],
        &dangjian::domain::finder::Query::new("wgx"),
    );
    let wang = h.app.member_index[&w.wang];
    assert_eq!(
        dangjian::domain::finder::score(
            &h.app.finder[wang],
            &dangjian::domain::finder::Query::new("wgx")
        ),
        top,
        "wgx ranks 王国星 first (perhaps tied)"
    );
    // The absence form: initials in the member field, a reason, Enter.
    h.keys("5gawgx");
    assert!(h.screen().contains("王国星 3-1-501"), "{}", h.screen());
    h.keys("<Tab>出差<Enter>");
    choose(h, w.wang);
    let att = h.store().attendance(w.activity, w.wang).unwrap().unwrap();
    assert_eq!(
        att.presence,
        Presence::Absent {
            reason: "出差".into()
        }
    );
    // The leader field of a unit, on the org panel.
    h.keys("1je");
    let unit = h.app.selected_unit().unwrap();
    h.keys("<Tab>");
    for _ in 0..12 {
        h.keys("<BS>");
    }
    h.keys("wgx<Enter>");
    choose(h, w.wang);
    let leader = query::org_units(h.store())
        .unwrap()
        .into_iter()
        .find(|u| u.id == unit)
        .unwrap()
        .leader;
    assert_eq!(leader, Some(w.wang), "{}", h.screen());
}

#[test]
fn a_tie_in_a_form_asks_then_saves_the_one_chosen() {
    let mut w = world(Lang::Zh);
    let h = &mut w.h;
    h.keys("5gahxt<Tab>病假<Enter>");
    assert_eq!(picking(h).len(), 2, "{}", h.screen());
    assert!(
        h.store()
            .attendance(w.activity, w.twins[0])
            .unwrap()
            .is_none()
    );
    assert!(
        h.store()
            .attendance(w.activity, w.twins[1])
            .unwrap()
            .is_none()
    );
    let chosen = picking(h)[1];
    h.keys("2");
    assert!(h.app.layers.is_empty(), "the form saved: {}", h.screen());
    let att = h.store().attendance(w.activity, chosen).unwrap().unwrap();
    assert!(matches!(att.presence, Presence::Absent { .. }));
    let other = picking_other(&w.twins, chosen);
    assert!(h.store().attendance(w.activity, other).unwrap().is_none());
}

#[test]
fn a_tie_in_the_points_line_asks_before_the_rule() {
    let mut w = world(Lang::Zh);
    let h = &mut w.h;
    h.keys("4<Enter>hxt<Enter>");
    assert_eq!(picking(h).len(), 2, "{}", h.screen());
    let chosen = picking(h)[0];
    h.keys("1");
    assert_eq!(h.app.points.member, Some(chosen));
    assert_eq!(
        h.app.points.field,
        dangjian::tui::panels::points::EntryField::Rule
    );
}

#[test]
fn the_pairing_picker_reaches_any_member_by_pinyin() {
    let mut w = world(Lang::Zh);
    let h = &mut w.h;
    h.keys("3p");
    assert!(
        matches!(h.app.layers.last(), Some(Layer::Form(_))),
        "{}",
        h.screen()
    );
    // The suggestion is filled in; clear it and type initials instead.
    for _ in 0..12 {
        h.keys("<BS>");
    }
    h.keys("wgx<Enter>");
    choose(h, w.wang);
    let b = h.app.pairing.beneficiary().unwrap();
    let paired: Vec<MemberId> = h
        .store()
        .scan::<Pairing>()
        .map(|p| p.unwrap())
        .filter(|p| p.beneficiary == b && p.active())
        .map(|p| p.member)
        .collect();
    assert!(paired.contains(&w.wang), "{}", h.screen());
}
