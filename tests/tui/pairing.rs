//! The pairing panel: who is overdue for a visit, and recording the visit with
//! hours and points in under ten keystrokes.

use crate::harness::Harness;
use dangjian::domain::*;
use dangjian::ops::query;
use dangjian::tui::Lang;

#[test]
fn pairing_panel_screens() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = Harness::new(lang);
        h.keys("3");
        insta::assert_snapshot!(format!("pairing_beneficiaries_{suffix}"), h.screen());
        h.keys("m");
        insta::assert_snapshot!(format!("pairing_my_tasks_{suffix}"), h.screen());
        h.keys("m");
        let with_task = h
            .app
            .pairing
            .visits
            .iter()
            .position(|v| {
                h.app
                    .pairing
                    .tasks
                    .iter()
                    .any(|t| t.task.beneficiary == v.beneficiary.id)
            })
            .unwrap();
        for _ in 0..with_task {
            h.keys("j");
        }
        h.keys("v");
        insta::assert_snapshot!(format!("pairing_record_visit_{suffix}"), h.screen());
    }
}

#[test]
fn the_most_overdue_visit_is_recorded_with_hours_and_points_in_under_ten_keys() {
    let mut h = Harness::new(Lang::Zh);
    let mut keys = 0;
    let mut press = |h: &mut Harness, k: &str, n: usize| {
        h.keys(k);
        keys += n;
    };
    press(&mut h, "3", 1);
    // Overdue first: walk down to the first overdue beneficiary with an open task.
    let target = h
        .app
        .pairing
        .visits
        .iter()
        .position(|v| {
            (v.overdue_days > 0 || v.never_visited)
                && h.app
                    .pairing
                    .tasks
                    .iter()
                    .any(|t| t.task.beneficiary == v.beneficiary.id)
        })
        .expect("the demo has an overdue beneficiary with an open task");
    for _ in 0..target {
        press(&mut h, "j", 1);
    }
    let row_b = h.app.pairing.visits[target].beneficiary.id;
    let task = h.app.pairing.task_to_complete().unwrap();
    assert_eq!(task.beneficiary, row_b);
    let member = task.assignee;
    let before = query::balance(h.store(), member).unwrap();
    // v, change the hours from 1 to 1.5, Enter.
    press(&mut h, "v", 1);
    press(&mut h, "<BS>1.5<Enter>", 5);
    assert!(keys < 10, "{keys} keys");
    assert!(target <= 2, "the overdue come first: {target}");
    let done = h.store().get_id::<Task>(task.id.0).unwrap().unwrap();
    assert_eq!(done.status, TaskStatus::Done);
    assert_eq!(done.hours_centi, 150);
    assert!(
        query::balance(h.store(), member).unwrap() > before,
        "points awarded"
    );
    // The beneficiary is no longer overdue.
    let row = h
        .app
        .pairing
        .visits
        .iter()
        .find(|v| v.beneficiary.id == row_b)
        .unwrap();
    assert!(row.overdue_days <= 0);
    assert!(!row.never_visited);
    // u undoes it: the task is open again and the points are gone.
    h.keys("u");
    assert_eq!(
        h.store().get_id::<Task>(task.id.0).unwrap().unwrap().status,
        TaskStatus::Open
    );
    assert_eq!(query::balance(h.store(), member).unwrap(), before);
}

#[test]
fn add_a_beneficiary_pair_a_suggested_member_and_end_the_pairing() {
    let mut h = Harness::new(Lang::Zh);
    let before = h.store().count_of::<dangjian::domain::Beneficiary>();
    // Name, kind (default), building 3, entrance 1, room 201, needs; save.
    h.keys("3b刘奶奶<Tab><Tab>3<Tab>1<Tab>201<Tab>陪同就医<Enter>");
    assert_eq!(
        h.store().count_of::<dangjian::domain::Beneficiary>(),
        before + 1,
        "{}",
        h.screen()
    );
    let b = h
        .store()
        .scan::<Beneficiary>()
        .map(|b| b.unwrap())
        .find(|b| b.data.name == "刘奶奶")
        .unwrap();
    // Never visited: listed first.
    assert_eq!(h.app.pairing.selected().unwrap().beneficiary.id, b.id);
    h.keys("p");
    insta::assert_snapshot!("pairing_suggestions_zh", h.screen());
    let suggested = match &h.app.layers.last() {
        Some(dangjian::tui::app::Layer::Form(f)) => f.chosen[0].2.0,
        _ => panic!("the pairing form is open"),
    };
    h.keys("<Enter>");
    let pairings: Vec<Pairing> = h
        .store()
        .scan::<Pairing>()
        .map(|p| p.unwrap())
        .filter(|p| p.beneficiary == b.id)
        .collect();
    assert_eq!(pairings.len(), 1);
    assert_eq!(pairings[0].member.0, suggested);
    assert!(pairings[0].active());
    // The same building ranks first among the suggestions.
    let member = query::member(h.store(), pairings[0].member)
        .unwrap()
        .unwrap();
    assert_eq!(member.data.address.building, "3");
    // Ending asks why: Enter alone is refused (the focus goes to the
    // reason), then the reason.
    h.keys("x<Enter>");
    assert!(
        h.store()
            .get_id::<Pairing>(pairings[0].id.0)
            .unwrap()
            .unwrap()
            .active()
    );
    h.keys("搬去外地<Enter>");
    let ended = h
        .store()
        .get_id::<Pairing>(pairings[0].id.0)
        .unwrap()
        .unwrap();
    assert!(
        !ended.active(),
        "ended, and kept as history: {}",
        h.screen()
    );
    assert_eq!(ended.end_reason, "搬去外地");
    // The pairing's history, with why it ended, on the right.
    let screen = h.screen();
    assert!(
        screen.contains("已结束的结对") && screen.contains("搬去外地"),
        "{screen}"
    );
    let row = |h: &Harness| {
        h.app
            .pairing
            .visits
            .iter()
            .find(|v| v.beneficiary.id == b.id)
            .unwrap()
            .active_pairings
            .len()
    };
    assert_eq!(row(&h), 0);
    // `u` undoes the ending (a ReopenPairing): the pane shows the pairing
    // again at once, the cursor not moved.
    let at = h.app.pairing.cursor;
    let before = h.screen();
    h.keys("u");
    assert!(
        h.store()
            .get_id::<Pairing>(pairings[0].id.0)
            .unwrap()
            .unwrap()
            .active()
    );
    assert_eq!(row(&h), 1, "the pane reloaded after the undo");
    assert_eq!(h.app.pairing.cursor, at);
    assert_ne!(h.screen(), before, "{}", h.screen());
    assert!(h.screen().contains(&member.data.name), "{}", h.screen());
}

#[test]
fn a_beneficiary_no_longer_assisted_leaves_the_list_but_stays_in_the_store() {
    let mut h = Harness::new(Lang::En);
    h.keys("3");
    let b = h.app.pairing.selected().unwrap().beneficiary.id;
    let count = h.app.pairing.visits.len();
    // e, down to "Assistance", flip it, save.
    h.keys("e<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Right><Enter>");
    let stored = h.store().get_id::<Beneficiary>(b.0).unwrap().unwrap();
    assert!(!stored.data.active, "{}", h.screen());
    assert_eq!(h.app.pairing.visits.len(), count - 1);
}
