//! The points panel's ledger work: the statement's totals named apart, an
//! older entry reversed with a reason, a reward redeemed.

use crate::harness::Harness;
use dangjian::domain::*;
use dangjian::ops::query;
use dangjian::tui::Lang;

/// A member with at least three award entries, none reversed, and enough
/// balance for the first reward after a reversal; chosen on the points line by name.
fn member_with_history(h: &Harness) -> Member {
    let cheapest = h
        .store()
        .scan::<Reward>()
        .map(|r| r.unwrap())
        .find(|r| r.active)
        .unwrap()
        .cost;
    h.app
        .members
        .iter()
        .enumerate()
        .map(|(i, _)| h.member_at(i))
        .filter(|m| m.data.status == MemberStatus::Active)
        .filter(|m| {
            h.app
                .members
                .iter()
                .filter(|o| *o.name == m.data.name)
                .count()
                == 1
        })
        .find(|m| {
            let st = query::statement(h.store(), m.id).unwrap();
            st.len() >= 3
                && st.iter().all(|e| e.reverses.is_none() && e.points.0 > 0)
                && query::balance(h.store(), m.id).unwrap().0
                    >= cheapest.0 + st.iter().map(|e| e.points.0).max().unwrap_or(0)
        })
        .expect("a member with a history")
}

#[test]
fn statement_totals_reverse_an_older_entry_and_redeem() {
    let mut h = Harness::new(Lang::Zh);
    let m = member_with_history(&h);
    let before = query::balance(h.store(), m.id).unwrap();
    let st = query::statement(h.store(), m.id).unwrap();
    // The line takes the member; Esc clears it (the member stays shown), a
    // second Esc back to the panel; s for the statement.
    h.keys("4<Enter>");
    h.keys(&m.data.name);
    h.keys("<Enter><Esc><Esc>s");
    let screen = h.screen();
    assert!(
        screen.contains(&format!("获得 {before}")) && screen.contains("可兑换余额"),
        "{screen}"
    );
    // The second newest entry: ↑ once, R, a reason.
    h.keys("<Up>R");
    h.keys("录错了人<Enter>");
    let older = &st[st.len() - 2];
    let after = query::balance(h.store(), m.id).unwrap();
    assert_eq!(after, before - older.points, "{}", h.screen());
    let now = query::statement(h.store(), m.id).unwrap();
    let reversal = now.iter().find(|e| e.reverses == Some(older.id)).unwrap();
    assert_eq!(reversal.points, Points(-older.points.0));
    // The same entry again (one further back now, past the reversal):
    // refused before any form.
    assert_eq!(
        h.app.points.statement.len(),
        now.len(),
        "the statement reloaded"
    );
    h.keys("<Up>R");
    assert!(
        !matches!(
            h.app.layers.last(),
            Some(dangjian::tui::app::Layer::Form(_))
        ),
        "{}",
        h.screen()
    );
    assert!(h.app.status.contains("已冲正过"), "{}", h.app.status);
    // $: the member shown is filled in; the first reward; Enter.
    h.keys("$");
    assert!(h.screen().contains("兑换积分超市物品"), "{}", h.screen());
    let cost = {
        let form = match h.app.layers.last() {
            Some(dangjian::tui::app::Layer::Form(f)) => f.clone(),
            _ => panic!("the redeem form: {}", h.screen()),
        };
        let reward = form.fields[1].choice_value().unwrap();
        h.store().get_id::<Reward>(reward).unwrap().unwrap().cost
    };
    let b = query::balance(h.store(), m.id).unwrap();
    h.keys("<Enter>");
    assert_eq!(
        query::balance(h.store(), m.id).unwrap(),
        b - cost,
        "{}",
        h.screen()
    );
}
