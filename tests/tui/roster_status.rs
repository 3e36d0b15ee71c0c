//! The roster's status column and filter (those transferred out or deceased
//! never look active) and its reverse sort.

use crate::harness::{Harness, demo_store};
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::tui::Lang;

fn statuses(h: &Harness) -> Vec<MemberStatus> {
    h.app
        .roster_rows
        .iter()
        .map(|&i| h.app.members[i].status)
        .collect()
}

#[test]
fn status_column_filter_and_reverse_sort() {
    let (dir, store, admin) = demo_store();
    // One member transferred out, for certain.
    let mut m = query::members_in_subtree(
        &store,
        query::org_units(&store)
            .unwrap()
            .into_iter()
            .find(|u| u.parent.is_none())
            .unwrap()
            .id,
    )
    .unwrap()
    .into_iter()
    .find(|m| m.data.status == MemberStatus::Active)
    .unwrap();
    m.data.status = MemberStatus::TransferredOut;
    ops::apply(
        &store,
        &admin,
        &Command::UpdateMember {
            id: m.id,
            data: m.data.clone(),
        },
    )
    .unwrap();
    let mut h = Harness::with(dir, store, admin, Lang::Zh);
    h.keys("2");
    let all = statuses(&h);
    assert!(all.contains(&MemberStatus::TransferredOut));
    assert!(all.contains(&MemberStatus::Active));
    // The status column says it on the member's row.
    h.keys("/");
    h.keys(&m.data.name);
    h.keys("<Enter>");
    let row = h
        .screen()
        .lines()
        .find(|l| l.contains(&m.data.name) && l.contains(&m.data.address.short()))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("{}", h.screen()));
    assert!(row.contains("已转出"), "{row}");
    h.keys("<Esc>");
    // f: active only, then inactive only, then all again.
    h.keys("f");
    assert!(statuses(&h).iter().all(|s| *s == MemberStatus::Active));
    assert!(h.screen().contains("仅在册"), "{}", h.screen());
    h.keys("f");
    let inactive = statuses(&h);
    assert!(!inactive.is_empty());
    assert!(inactive.iter().all(|s| *s != MemberStatus::Active));
    h.keys("f");
    assert_eq!(statuses(&h).len(), all.len());
    // S: the same rows the other way round.
    let forward = h.app.roster_rows.clone();
    h.keys("S");
    let mut back = h.app.roster_rows.clone();
    back.reverse();
    assert_eq!(back, forward);
    assert!(h.screen().contains("↑"), "{}", h.screen());
}
