//! Check-in mode: filter, Enter, the duplicate warning, undo; points awarded
//! once; and the key count for a queue of fifty members typed by initials.

use crate::harness::{Harness, demo_store};
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::tui::Lang;

/// A fresh activity for the whole community, with points, listed first.
fn harness_with_activity(lang: Lang) -> (Harness, ActivityId) {
    let (dir, store, admin) = demo_store();
    let committee = query::org_units(&store)
        .unwrap()
        .into_iter()
        .find(|u| u.parent.is_none())
        .unwrap()
        .id;
    let orglife = query::rule_by_code(&store, "VOL").unwrap().unwrap().id;
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
                rule: Some(orglife),
                invitees: committee,
                notes: String::new(),
            },
        },
    )
    .unwrap();
    let h = Harness::with(dir, store, admin, lang);
    (h, ActivityId(a.created.unwrap()))
}

/// The initials a worker would type: the first letter of each syllable's
/// commonest reading.
fn initials(name: &str) -> String {
    dangjian::domain::search::sort_key(name)
        .split(' ')
        .filter_map(|s| s.chars().next())
        .collect()
}

#[test]
fn check_in_filter_enter_duplicate_warning_and_undo() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let (mut h, activity) = harness_with_activity(lang);
        h.keys("5c");
        let target = h.app.checkin().unwrap().invitees[0];
        let member = h.member_at(target);
        let before = query::balance(h.store(), member.id).unwrap();
        // Filter by the member's name, then Enter.
        h.keys(&member.data.name);
        insta::assert_snapshot!(format!("checkin_filter_{suffix}"), h.screen());
        h.keys("<Enter>");
        assert_eq!(
            query::balance(h.store(), member.id).unwrap(),
            before + Points::whole(1)
        );
        insta::assert_snapshot!(format!("checkin_done_{suffix}"), h.screen());
        // The same person again: refused, with a warning on screen.
        h.keys(&member.data.name);
        h.keys("<Enter>");
        assert_eq!(
            query::balance(h.store(), member.id).unwrap(),
            before + Points::whole(1)
        );
        insta::assert_snapshot!(format!("checkin_duplicate_{suffix}"), h.screen());
        // Undo takes the check-in and its points back.
        h.keys("<C-z>");
        assert_eq!(query::balance(h.store(), member.id).unwrap(), before);
        let att = h.store().attendance(activity, member.id).unwrap();
        assert!(att.is_none());
        insta::assert_snapshot!(format!("checkin_undone_{suffix}"), h.screen());
    }
}

#[test]
fn fifty_members_check_in_by_initials_in_four_keys_or_fewer_on_average() {
    let (mut h, activity) = harness_with_activity(Lang::Zh);
    h.keys("5c");
    let invitees = h.app.checkin().unwrap().invitees.clone();
    // The queue arrives in no particular order: shuffle the invitees
    // deterministically, so list order cannot break ties in our favour.
    let mut all: Vec<Member> = invitees.iter().map(|&i| h.member_at(i)).collect();
    all.sort_by_key(|m| (m.id.0.wrapping_mul(2_654_435_761) % 4_294_967_291, m.id));
    let queue: Vec<Member> = all.into_iter().take(50).collect();
    assert_eq!(queue.len(), 50);
    let mut keys = 0usize;
    let mut ties = 0usize;
    for m in &queue {
        let typed = initials(&m.data.name);
        let mut done = false;
        for (n, c) in typed.chars().enumerate() {
            h.keys(&c.to_string());
            keys += 1;
            let ci = h.app.checkin().unwrap();
            let pos = ci
                .matches
                .list
                .iter()
                .position(|&i| h.app.members[i].id == m.id);
            // Once the initials are all typed, ↓ to the person if not on top.
            if pos == Some(0) || (n + 1 == typed.len() && pos.is_some()) {
                for _ in 0..pos.unwrap_or(0) {
                    h.keys("<Down>");
                    keys += 1;
                }
                h.keys("<Enter>");
                keys += 1;
                // An exact tie asks which one: the digit of the person's row.
                if let Some(dangjian::tui::app::Layer::PickMember(p)) = h.app.layers.last() {
                    let row = p
                        .candidates
                        .iter()
                        .position(|&i| h.app.members[i].id == m.id);
                    let row = row.expect("the person is among the tied");
                    assert!(row < 9, "{} is row {row} of the tie", m.data.name);
                    h.keys(&(row + 1).to_string());
                    keys += 1;
                    ties += 1;
                }
                done = true;
                break;
            }
        }
        assert!(done, "{} ({typed}) was not among the matches", m.data.name);
        let present = h.store().attendance(activity, m.id).unwrap();
        assert!(present.is_some(), "{} checked in", m.data.name);
    }
    let average = keys as f64 / queue.len() as f64;
    println!("average keys per check-in over 50 members: {average:.2} ({ties} ties asked)");
    assert!(average <= 4.0, "average {average:.2} keys per check-in");
    // The attendance report agrees: 50 present, each with one award.
    let present = h.store().attendance_of(activity).count();
    assert_eq!(present, 50);
}

#[test]
fn create_an_activity_and_mark_an_absence_with_reason_from_the_panel() {
    let (mut h, _) = harness_with_activity(Lang::En);
    let before = h.store().count_of::<dangjian::domain::Activity>();
    h.keys("5n党课：基层治理<Enter>");
    assert_eq!(
        h.store().count_of::<dangjian::domain::Activity>(),
        before + 1,
        "{}",
        h.screen()
    );
    let created = h
        .store()
        .scan::<Activity>()
        .map(|a| a.unwrap())
        .find(|a| a.data.title == "党课：基层治理")
        .unwrap();
    // The new activity is listed; select it and record an absence by name.
    let pos = h
        .app
        .activities
        .rows
        .iter()
        .position(|r| r.activity.id == created.id)
        .unwrap();
    h.keys("g");
    for _ in 0..pos {
        h.keys("j");
    }
    let at = h
        .app
        .members
        .iter()
        .position(|r| r.status == MemberStatus::Active)
        .unwrap();
    let member = h.member_at(at);
    h.keys(&format!("a{}<Tab>出差<Enter>", member.id));
    let att = h
        .store()
        .attendance(created.id, member.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        att.presence,
        Presence::Absent {
            reason: "出差".into()
        }
    );
    h.keys("<Enter>");
    assert!(h.screen().contains("出差"), "{}", h.screen());
}
