//! The first frame before the roster: `tui::run` draws the organisation as
//! soon as the units are read, and the roster arrives behind it a page at a
//! time (`Msg::Roster`). Until it is whole, what counts members says it is
//! still reading; a change heard meanwhile is read again once it is whole.

use crate::harness::Harness;
use dangjian::access::{BalanceQ, ReadError};
use dangjian::domain::MemberStatus;
use dangjian::domain::finder::FinderEntry;
use dangjian::ops::{self, Command};
use dangjian::tui::app::MemberRow;
use dangjian::tui::{self, Lang, Msg, RosterPage};

type Page = Vec<(MemberRow, FinderEntry)>;

/// The roster's pages as the background reader reads them.
fn pages(h: &Harness) -> Vec<Page> {
    let mut pages = Vec::new();
    tui::read_roster(&h.session, |rows| {
        pages.push(rows);
        true
    })
    .unwrap();
    pages
}

fn deliver(h: &mut Harness, pages: Vec<Page>) {
    for rows in pages {
        h.tx.send(Msg::Roster(Ok(RosterPage::Rows(rows)))).unwrap();
    }
    h.tx.send(Msg::Roster(Ok(RosterPage::Whole))).unwrap();
    h.run();
}

#[test]
fn the_organisation_is_drawn_before_the_roster_and_its_figures_once_the_roster_is_whole() {
    let mut h = Harness::arriving(Lang::En);
    h.draw();
    let first = h.screen();
    assert!(first.contains("和平里社区党委 (…)"), "{first}");
    assert!(first.contains("Reading the roster…"), "{first}");
    assert!(h.app.members.is_empty());
    insta::assert_snapshot!("roster_arriving_en", first);
    // Moving about the tree does not wait; the roster's keys do, in order.
    h.keys("j");
    assert_eq!(h.app.org_cursor.selected, 1);
    h.keys("2/zh<Enter>");
    assert_eq!(h.app.panel, dangjian::tui::action::Panel::Org);
    assert!(h.app.search.is_none());
    h.keys("j");
    assert_eq!(h.app.org_cursor.selected, 1, "after held keys, held too");

    let pages = pages(&h);
    let whole: usize = pages.iter().map(Vec::len).sum();
    deliver(&mut h, pages);
    let active = h
        .app
        .members
        .iter()
        .filter(|r| r.status == MemberStatus::Active)
        .count();
    assert_eq!(h.app.members.len(), whole);
    assert!(active > 100, "{active}");
    let screen = h.screen();
    assert!(!screen.contains("Reading the roster"), "{screen}");
    assert!(h.app.roster_arriving().is_none());
    // What was typed meanwhile, handled once the roster was whole, ends
    // where the same keys end on a TUI that had it from the start.
    let mut loaded = Harness::new(Lang::En);
    loaded.keys("j2/zh<Enter>j");
    assert_eq!(h.app.panel, dangjian::tui::action::Panel::Members);
    let found = h.app.search.as_ref().map(|s| s.value().to_string());
    assert_eq!(found.as_deref(), Some("zh"));
    assert!(h.app.roster_rows.len() > 1, "{}", h.app.roster_rows.len());
    assert_eq!(h.screen(), loaded.screen());
    h.keys("1");
    let screen = h.screen();
    assert!(
        screen.contains(&format!("和平里社区党委 ({active})")),
        "{screen}"
    );
    assert!(!screen.contains("(…)"), "{screen}");
}

#[test]
fn a_change_heard_while_the_roster_arrives_is_read_once_it_is_whole() {
    let mut h = Harness::arriving(Lang::En);
    // The pages are read before the change; the notice comes before them.
    let pages = pages(&h);
    let (row, _) = pages
        .iter()
        .flatten()
        .find(|(r, _)| r.status == MemberStatus::Active)
        .unwrap();
    let (id, read) = (row.id, row.balance);
    let rule = h.app.rules.iter().find(|r| r.points.0 > 0).unwrap().id;
    // Someone else's session: the store's own `ops::apply`, heard as a notice.
    let other = ops::actor_for_login(h.store(), "admin").unwrap();
    let done = ops::apply(
        h.store(),
        &other,
        &Command::RecordPoints {
            member: id,
            date: h.app.today,
            rule,
            quantity_centi: 100,
            points_override: None,
            note: String::new(),
        },
    )
    .unwrap();
    h.hear(vec![done.touched]);
    assert!(h.app.members.is_empty(), "nothing shown before it is whole");

    deliver(&mut h, pages);
    let now = h.session.ask(BalanceQ(id)).unwrap();
    assert_ne!(now, read, "the entry counted after the page was read");
    assert_eq!(h.app.members[h.app.member_index[&id]].balance, now);
}

#[test]
fn a_roster_that_cannot_be_read_says_so_and_stops_saying_it_is_reading() {
    let mut h = Harness::arriving(Lang::En);
    h.keys("2");
    let failed = ReadError::Store(ops::Said::new("the server went away", "服务器已断开"));
    h.tx.send(Msg::Roster(Err(failed))).unwrap();
    h.run();
    assert!(h.app.roster_arriving().is_none());
    let screen = h.screen();
    assert!(screen.contains("the server went away"), "{screen}");
    assert!(!screen.contains("Reading the roster"), "{screen}");
    assert_eq!(
        h.app.panel,
        dangjian::tui::action::Panel::Members,
        "the key typed meanwhile is handled all the same"
    );
}

#[test]
fn ctrl_c_does_not_wait_for_the_roster_even_behind_held_keys() {
    let mut h = Harness::arriving(Lang::En);
    h.keys("2/zh");
    assert!(!h.app.quit);
    h.keys("<C-c>");
    assert!(h.app.quit, "Ctrl-C quits while the roster arrives");
}
