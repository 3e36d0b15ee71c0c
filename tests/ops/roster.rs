//! The roster a TUI holds (`RosterQ`): a row a member of what is drawn and
//! searched, cut to the asker's sight; and a server's kept rows and overview
//! figures (`keep_answers`) answering exactly as a fresh read does, change
//! after change.

use crate::common::*;
use crate::points::record;
use dangjian::access::{AsActor, Client, RosterLine, RosterQ, keep_answers};
use dangjian::domain::finder::{FinderEntry, Query, search};
use dangjian::domain::validate::mask_phone;
use dangjian::domain::*;
use dangjian::ops::{Actor, Command};

fn roster(f: &Fixture, actor: &Actor) -> Vec<RosterLine> {
    // Pages of two: the paging is what a TUI does at 100,000.
    let mut out: Vec<RosterLine> = Vec::new();
    loop {
        let page = AsActor(&f.store, actor)
            .ask(RosterQ {
                after: out.last().map(|r| r.row.id),
                limit: 2,
            })
            .unwrap();
        let done = page.len() < 2;
        out.extend(page);
        if done {
            return out;
        }
    }
}

fn found(rows: &[RosterLine], text: &str) -> Vec<MemberId> {
    let entries: Vec<FinderEntry> = rows.iter().map(|r| r.row.finder.clone()).collect();
    let all: Vec<usize> = (0..rows.len()).collect();
    search(&entries, &all, &Query::new(text))
        .into_iter()
        .map(|i| rows[i].row.id)
        .collect()
}

#[test]
fn roster_rows_are_cut_to_sight_and_kept_rows_follow_every_change() {
    let f = Fixture::new();
    let zhang = f.member("张三", f.group_a1);
    let li = f.member("李四", f.group_b1);
    let wang = f.member("王芳", f.group_a2);
    record(&f, li, "VOL", 300, today()).unwrap();
    let viewer = f.user("viewer", Role::Viewer, None);
    let secretary_b = f.user("secb", Role::BranchSecretary, Some(f.branch_b));
    let askers = [&f.admin, &viewer, &secretary_b];

    let fresh: Vec<Vec<RosterLine>> = askers.iter().map(|a| roster(&f, a)).collect();
    let ids = |rows: &[RosterLine]| rows.iter().map(|r| r.row.id).collect::<Vec<_>>();
    assert_eq!(ids(&fresh[0]), vec![zhang, li, wang]);
    assert_eq!(
        ids(&fresh[2]),
        vec![li],
        "branch B's secretary sees branch B"
    );
    let li_line = &fresh[0][1];
    assert_eq!(li_line.balance, Points::whole(3));
    assert_eq!(
        (li_line.row.name.as_str(), li_line.row.unit),
        ("李四", f.group_b1)
    );
    // A viewer: phones masked, and not findable by a whole number.
    assert!(
        fresh[1]
            .iter()
            .all(|r| r.row.phone == mask_phone("13800138000"))
    );
    assert_eq!(found(&fresh[0], "13800138000").len(), 3);
    assert!(found(&fresh[1], "13800138000").is_empty());
    assert_eq!(found(&fresh[0], "zs"), vec![zhang]);
    assert_eq!(found(&fresh[0], "3-2-501").len(), 3);

    // From here on the rows are kept (as a server keeps them): each asker
    // gets what a fresh read gave.
    keep_answers();
    let kept: Vec<Vec<RosterLine>> = askers.iter().map(|a| roster(&f, a)).collect();
    assert_eq!(kept, fresh);

    // A rename, a move to branch B and new points: the kept rows follow.
    let mut data = member_data("赵六", f.group_b1);
    data.phone = "13912345678".into();
    f.admin_apply(Command::UpdateMember { id: zhang, data })
        .unwrap();
    record(&f, wang, "VOL", 100, today()).unwrap();
    let admin = roster(&f, &f.admin);
    assert_eq!(found(&admin, "zs"), Vec::<MemberId>::new());
    assert_eq!(found(&admin, "zl"), vec![zhang]);
    assert_eq!(found(&admin, "5678"), vec![zhang]);
    assert_eq!(admin[2].balance, Points::whole(1));
    assert_eq!(ids(&roster(&f, &secretary_b)), vec![zhang, li]);
    let viewer_rows = roster(&f, &viewer);
    assert_eq!(viewer_rows[0].row.phone, mask_phone("13912345678"));
    assert!(found(&viewer_rows, "13912345678").is_empty());
}

/// A server keeps the overview's figures too (`keep_answers`): for each
/// scope asked they are the figures worked out afresh, and after a write the
/// new figures, never the kept ones; a scope outside the asker's sight is
/// refused as before.
#[test]
fn kept_overviews_are_the_fresh_figures_and_a_write_makes_them_new() {
    use dangjian::access::OverviewQ;
    use dangjian::report::overview::overview;
    use dangjian::report::period::Period;
    use dangjian::report::points::Scope;
    let f = Fixture::new();
    let zhang = f.member("张三", f.group_a1);
    let li = f.member("李四", f.group_b1);
    record(&f, li, "VOL", 300, today()).unwrap();
    let secretary_b = f.user("secb", Role::BranchSecretary, Some(f.branch_b));
    keep_answers();
    let period = Period::year_of(today());
    let ask = |actor: &Actor, org| {
        AsActor(&f.store, actor).ask(OverviewQ {
            org,
            period: period.clone(),
            today: today(),
        })
    };
    let fresh = |scope| overview(&f.store, scope, &period, today()).unwrap();
    let community = ask(&f.admin, None).unwrap();
    assert_eq!(community, fresh(Scope::Community));
    assert_eq!(ask(&f.admin, None).unwrap(), community, "kept");
    let branch_b = ask(&secretary_b, None).unwrap();
    assert_eq!(branch_b, fresh(Scope::Subtree(f.branch_b)));
    assert_ne!(branch_b, community, "a scope's figures are its own");
    assert!(ask(&secretary_b, Some(f.branch_a)).is_err());

    // New points for zhang (branch A): the community's figures move, the
    // kept ones are not given again.
    record(&f, zhang, "VOL", 500, today()).unwrap();
    let after = ask(&f.admin, None).unwrap();
    assert_eq!(after, fresh(Scope::Community));
    assert_ne!(after, community, "the entry counts in the new figures");
    assert_eq!(
        ask(&secretary_b, None).unwrap(),
        fresh(Scope::Subtree(f.branch_b))
    );
}
