//! The overview panel on the sample community: each figure opens the list
//! behind it — the roster filtered to exactly those members, the org tree on a
//! unit without a leader, the pairing panel — and Esc returns to the whole
//! roster.

use crate::harness::Harness;
use dangjian::domain::*;
use dangjian::tui::Lang;
use dangjian::tui::action::Panel;
use dangjian::tui::panels::overview::Figure;
use std::collections::BTreeSet;

fn go_to(h: &mut Harness, figure: Figure) {
    let i = Figure::ALL.iter().position(|f| *f == figure).unwrap();
    h.keys("6g");
    for _ in 0..i {
        h.keys("j");
    }
    assert_eq!(h.app.overview.figure(), figure);
}

fn roster_ids(h: &Harness) -> BTreeSet<MemberId> {
    h.app
        .roster_rows
        .iter()
        .map(|&i| h.app.members[i].id)
        .collect()
}

#[test]
fn members_without_a_group_open_as_a_filtered_roster_and_esc_clears_it() {
    let mut h = Harness::new(Lang::En);
    go_to(&mut h, Figure::MembersWithoutGroup);
    let expected: BTreeSet<MemberId> = h
        .app
        .overview
        .data
        .as_ref()
        .unwrap()
        .coverage
        .members_without_group
        .iter()
        .map(|n| n.id)
        .collect();
    assert!(!expected.is_empty(), "the sample community has some");
    h.keys("<Enter>");
    assert_eq!(h.app.panel, Panel::Members);
    assert_eq!(roster_ids(&h), expected);
    // Every one of them belongs to a unit that is not a group.
    for id in &expected {
        let m = &h.app.members[h.app.member_index[id]];
        assert_ne!(h.app.units[&m.unit].level, OrgLevel::Group);
    }
    assert!(h.screen().contains("Members without a group"));
    let all = h.app.members.len();
    h.keys("<Esc>");
    assert!(h.app.roster_filter.is_none());
    assert!(roster_ids(&h).len() > expected.len());
    assert!(roster_ids(&h).len() <= all);
    assert!(!h.app.quit);
}

#[test]
fn a_category_line_lists_its_members_who_did_not_serve() {
    let mut h = Harness::new(Lang::Zh);
    go_to(&mut h, Figure::Category(Some(MemberCategory::Retired)));
    let data = h.app.overview.data.clone().unwrap();
    let row = data
        .activation
        .rows
        .iter()
        .find(|r| r.category == Some(MemberCategory::Retired))
        .unwrap()
        .clone();
    h.keys("<Enter>");
    let ids = roster_ids(&h);
    assert_eq!(ids.len() as u64, row.members - row.served);
    for id in &ids {
        let m = &h.app.members[h.app.member_index[id]];
        assert_eq!(m.category, MemberCategory::Retired);
        assert!(data.activation.not_served.contains(id));
    }
}

#[test]
fn a_group_without_a_leader_opens_the_org_tree_on_it() {
    let mut h = Harness::new(Lang::En);
    go_to(&mut h, Figure::GroupsWithoutLeader);
    let first = h
        .app
        .overview
        .data
        .as_ref()
        .unwrap()
        .coverage
        .groups_without_leader[0]
        .clone();
    h.keys("<Enter>");
    assert_eq!(h.app.panel, Panel::Org);
    assert_eq!(h.app.selected_unit(), Some(first.id));
    assert!(h.app.units[&first.id].leader.is_none());
}

#[test]
fn an_overdue_visit_opens_the_pairing_panel_on_that_beneficiary() {
    let mut h = Harness::new(Lang::En);
    go_to(&mut h, Figure::VisitsOverdue);
    let first = h
        .app
        .overview
        .data
        .as_ref()
        .unwrap()
        .workload
        .visits_overdue[0]
        .id;
    h.keys("<Enter>");
    assert_eq!(h.app.panel, Panel::Pairing);
    assert_eq!(
        h.app.pairing.selected().map(|v| v.beneficiary.id),
        Some(first)
    );
}

#[test]
fn p_and_o_change_the_period_and_the_branch() {
    let mut h = Harness::new(Lang::En);
    h.keys("6");
    assert_eq!(
        h.app.overview.data.as_ref().unwrap().activation.period,
        "2026-11"
    );
    h.keys("p");
    assert_eq!(
        h.app.overview.data.as_ref().unwrap().activation.period,
        "2026-Q4"
    );
    let all = h.app.overview.data.as_ref().unwrap().activation.rows[5].members;
    h.keys("o");
    let branch = h.app.overview.unit.unwrap();
    assert_eq!(h.app.units[&branch].level, OrgLevel::Branch);
    let some = h.app.overview.data.as_ref().unwrap().activation.rows[5].members;
    assert!(
        some < all,
        "one branch has fewer members than the community"
    );
}

/// The runner computes the overview in the background at start-up (this
/// month, quarter and year): `6` while it runs shows "computing" and computes
/// nothing itself; a result is shown when it arrives, kept for `p` when it is
/// for another period, and thrown away when it was made before a change the
/// session saw (the panel then computes afresh).
#[test]
fn the_background_overview_is_shown_when_it_arrives_unless_the_store_changed_since() {
    use dangjian::report::overview::overview;
    use dangjian::tui::Msg;
    use dangjian::tui::panels::overview::{OverviewKey, request, wanted};
    use dangjian::tui::period::RankPeriod;

    let mut h = Harness::new(Lang::En);
    let month = wanted(&h.app);
    let quarter = OverviewKey {
        period: RankPeriod::Quarter,
        ..month
    };
    let compute = |h: &Harness, key| {
        let (scope, period) = request(&h.app, key).unwrap();
        overview(h.store(), scope, &period, h.app.today).unwrap()
    };
    h.app.overview.pending = vec![month, quarter];

    h.keys("6");
    assert!(h.app.overview.data.is_none(), "left to the background");
    let screen = h.screen();
    assert!(screen.contains("Computing"), "{screen}");
    let label = request(&h.app, month).unwrap().1.label().to_string();
    assert!(screen.contains(&format!("Overview · {label}")), "{screen}");
    let for_month = compute(&h, month);
    let for_quarter = compute(&h, quarter);
    let tx = h.tx.clone();
    tx.send(Msg::Overview(month, Ok(for_month.clone())))
        .unwrap();
    tx.send(Msg::Overview(quarter, Ok(for_quarter.clone())))
        .unwrap();
    assert!(h.run());
    assert_eq!(h.app.overview.data.as_ref(), Some(&for_month));
    assert!(h.app.overview.pending.is_empty());
    h.draw();
    assert!(h.screen().contains("Idle yr"), "{}", h.screen());
    // `p` takes the quarter computed in the background.
    h.keys("p");
    assert_eq!(h.app.overview.loaded, Some(quarter));
    assert_eq!(h.app.overview.data.as_ref(), Some(&for_quarter));
    assert!(h.app.overview.ready.is_empty());
    // Round to the month again: nothing changed, so it is computed here and
    // equals what the background made.
    h.keys("pp");
    assert_eq!(h.app.overview.loaded, Some(month));
    assert_eq!(h.app.overview.data.as_ref(), Some(&for_month));

    // A result computed before a change the session made is stale.
    h.app.overview.data = None;
    h.app.overview.pending = vec![month, quarter];
    h.app.generation += 1;
    let mut stale = for_month.clone();
    stale.workload.open += 1000;
    tx.send(Msg::Overview(month, Ok(stale))).unwrap();
    tx.send(Msg::OverviewDone).unwrap();
    assert!(h.run());
    let fresh = h.app.overview.data.as_ref().expect("computed afresh");
    assert_eq!(fresh.workload.open, for_month.workload.open);
    assert_eq!(h.app.overview.loaded, Some(wanted(&h.app)));
    assert!(h.app.overview.ready.is_empty());
    assert!(
        h.app.overview.pending.is_empty(),
        "nothing more is awaited once the computation has finished"
    );
}
