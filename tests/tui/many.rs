//! Many members changed at once by someone else (an import, a batch: a
//! notice a row, heard together): the TUI reads its roster again whole
//! rather than member by member, and what holds places in it (an open
//! check-in's invitees) is made again.

use crate::harness::{Harness, demo_store};
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::tui::Lang;

#[test]
fn seventy_members_moved_into_a_secretarys_branch_at_once_are_all_there_and_checked_in_rightly() {
    let (dir, store, admin) = demo_store();
    let units = query::org_units(&store).unwrap();
    let branches: Vec<OrgUnitId> = units
        .iter()
        .filter(|u| u.level == OrgLevel::Branch)
        .map(|u| u.id)
        .collect();
    let mine = branches[0];
    let secretary = ops::apply(
        &store,
        &admin,
        &Command::AddUser {
            login: "sec1".into(),
            display_name: String::new(),
            role: Role::BranchSecretary,
            scope: Some(mine),
        },
    )
    .map(|_| ops::actor_for_login(&store, "sec1").unwrap())
    .unwrap();
    let rule = query::rule_by_code(&store, "VOL").unwrap().unwrap().id;
    let activity = ops::apply(
        &store,
        &admin,
        &Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::VolunteerService,
                title: "支部大扫除".into(),
                host: mine,
                starts: chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                    .unwrap()
                    .and_hms_opt(23, 0, 0)
                    .unwrap(),
                place: "小区广场".into(),
                rule: Some(rule),
                invitees: mine,
                notes: String::new(),
            },
        },
    )
    .unwrap();
    let activity = ActivityId(activity.created.unwrap());
    let mut h = Harness::with(dir, store, secretary, Lang::En);
    h.keys("5c");
    let before = h.app.members.len();
    assert!(h.app.checkin().is_some_and(|ci| ci.activity == activity));

    // Seventy active members of the other branches move into this one, their
    // ids among those already shown.
    let elsewhere: Vec<Member> = branches[1..]
        .iter()
        .flat_map(|b| query::members_in_subtree(h.store(), *b).unwrap())
        .filter(|m| m.data.status == MemberStatus::Active)
        .take(70)
        .collect();
    assert_eq!(elsewhere.len(), 70);
    // One notice a change, heard together, as a server sends a batch's.
    let mut changes = Vec::new();
    for m in &elsewhere {
        let mut data = m.data.clone();
        data.unit = mine;
        let done =
            ops::apply(h.store(), &admin, &Command::UpdateMember { id: m.id, data }).unwrap();
        changes.push(done.touched);
    }
    h.hear(changes);

    assert_eq!(h.app.members.len(), before + 70);
    for m in &elsewhere {
        assert!(h.app.member_index.contains_key(&m.id), "{}", m.data.name);
    }
    // Read again whole: the rows in id order, as a first load has them.
    assert!(h.app.members.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(
        h.app.subtree_counts[&mine],
        h.app
            .members
            .iter()
            .filter(|r| r.status == MemberStatus::Active)
            .count()
    );
    // The check-in's invitees are the places of this branch's members now.
    let ci = h.app.checkin().unwrap();
    let invited: Vec<MemberId> = ci.invitees.iter().map(|&i| h.app.members[i].id).collect();
    let shown: Vec<MemberId> = h.app.members.iter().map(|r| r.id).collect();
    assert_eq!(invited.len(), shown.len());
    assert!(shown.iter().all(|id| invited.contains(id)));

    // A moved member, checked in by name, is the one checked in.
    let who = elsewhere
        .iter()
        .find(|m| {
            h.app
                .members
                .iter()
                .filter(|r| *r.name == *m.data.name)
                .count()
                == 1
        })
        .unwrap();
    h.keys(&who.data.name);
    h.keys("<Enter>");
    let present = h.store().attendance(activity, who.id).unwrap();
    assert!(present.is_some(), "{}: {}", who.data.name, h.app.status);
}
