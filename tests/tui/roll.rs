//! An activity's roll with bulk marks: Space marks and moves down, `V` marks
//! a range, Shift-↓ extends, `U` unmarks all; then check in, mark absent
//! (excused, asked once; unexcused) and award points to every marked member,
//! one audited command each. Check-in mode lists who has not yet arrived.

use crate::harness::{Harness, demo_store};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::tui::Lang;

fn with_activity(lang: Lang) -> (Harness, ActivityId) {
    let (dir, store, admin) = demo_store();
    let branch = query::org_units(&store)
        .unwrap()
        .into_iter()
        .find(|u| u.level == OrgLevel::Branch)
        .unwrap()
        .id;
    let a = ops::apply(
        &store,
        &admin,
        &Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::GroupMeeting,
                title: "党小组会".into(),
                host: branch,
                starts: chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                    .unwrap()
                    .and_hms_opt(23, 0, 0)
                    .unwrap(),
                place: "活动室".into(),
                rule: None,
                invitees: branch,
                notes: String::new(),
            },
        },
    )
    .unwrap();
    (
        Harness::with(dir, store, admin, lang),
        ActivityId(a.created.unwrap()),
    )
}

/// The roll's rows' members, in the order shown.
fn shown(h: &Harness) -> Vec<MemberId> {
    let r = h.app.roll().expect("the roll is open");
    dangjian::tui::panels::activities::roll::rows(&h.app, r.activity, &r.invitees)
        .into_iter()
        .map(|(i, _)| h.app.members[i].id)
        .collect()
}

fn present(h: &Harness, a: ActivityId) -> Vec<MemberId> {
    let mut v: Vec<MemberId> = h
        .store()
        .attendance_of(a)
        .map(|x| x.unwrap())
        .filter(|x| matches!(x.presence, Presence::Present { .. }))
        .map(|x| x.member)
        .collect();
    v.sort();
    v
}

#[test]
fn mark_rows_in_bulk_and_check_them_all_in() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let (mut h, activity) = with_activity(lang);
        h.keys("5gr");
        let before = shown(&h);
        assert!(before.len() >= 6, "a group with members: {}", before.len());
        // Space twice (rows 0, 1), skip row 2, a range over rows 3-4.
        h.keys("  jVj");
        h.keys("V");
        insta::assert_snapshot!(format!("roll_marked_{suffix}"), h.screen());
        assert_eq!(h.app.roll().unwrap().marks.len(), 4, "{}", h.screen());
        h.keys("c");
        let mut want = vec![before[0], before[1], before[3], before[4]];
        want.sort();
        assert_eq!(present(&h, activity), want);
        // Marks are gone; the four are listed last, as in.
        assert!(h.app.roll().unwrap().marks.is_empty());
        assert_eq!(&shown(&h)[shown(&h).len() - 4..].len(), &4);
        // Each check-in is its own audited, undoable change.
        h.keys("<Esc><C-z>");
        assert_eq!(present(&h, activity).len(), 3);
    }
}

#[test]
fn shift_down_extends_u_unmarks_and_absence_and_points_go_to_all_marked() {
    let (mut h, activity) = with_activity(Lang::Zh);
    h.keys("5gr");
    let rows = shown(&h);
    let shift_down = Event::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::SHIFT));
    h.event(shift_down.clone());
    h.event(shift_down);
    assert_eq!(h.app.roll().unwrap().marks.len(), 3);
    h.keys("U");
    assert!(h.app.roll().unwrap().marks.is_empty());
    // Rows 0 and 1 absent with one reason, asked once.
    h.keys("g  a出差<Enter>");
    for m in &rows[..2] {
        let att = h.store().attendance(activity, *m).unwrap().unwrap();
        assert_eq!(
            att.presence,
            Presence::Absent {
                reason: "出差".into()
            }
        );
    }
    // The next waiting row without leave (no mark: the row under the cursor).
    h.keys("gA");
    let third = h.store().attendance(activity, rows[2]).unwrap();
    let third = third.unwrap_or_else(|| panic!("{}", h.screen()));
    assert!(matches!(third.presence, Presence::Unexcused { .. }));
    // Points for the two marked, one rule for both: the first rule, 1.
    let balance = |h: &Harness, m: MemberId| query::balance(h.store(), m).unwrap();
    let b0 = balance(&h, rows[3]);
    let b1 = balance(&h, rows[4]);
    let others = balance(&h, rows[5]);
    let marked: Vec<MemberId> = shown(&h).into_iter().take(2).collect();
    assert_eq!(marked, vec![rows[3], rows[4]], "the waiting come first");
    // A bulk form cancelled with Esc keeps the marks for the next try.
    h.keys("g  p<Esc>");
    assert_eq!(h.app.roll().unwrap().marks.len(), 2, "{}", h.screen());
    h.keys("p<Enter>");
    assert!(h.app.roll().unwrap().marks.is_empty());
    assert!(balance(&h, rows[3]) > b0, "{}", h.screen());
    assert!(balance(&h, rows[4]) > b1);
    assert_eq!(balance(&h, rows[5]), others, "only the marked");
}

#[test]
fn check_in_mode_lists_who_has_not_yet_arrived() {
    let (mut h, activity) = with_activity(Lang::Zh);
    h.keys("5gc");
    let invited = h.app.checkin().unwrap().invitees.len();
    assert!(
        h.screen().contains(&format!("未到 {invited}")),
        "{}",
        h.screen()
    );
    let first = h.app.checkin().unwrap().invitees[0];
    let name = h.app.members[first].name.to_string();
    h.keys(&name);
    h.keys("<Enter>");
    if let Some(dangjian::tui::app::Layer::PickMember(_)) = h.app.layers.last() {
        h.keys("1");
    }
    assert_eq!(present(&h, activity).len(), 1);
    assert!(
        h.screen().contains(&format!("未到 {}", invited - 1)),
        "{}",
        h.screen()
    );
}
