//! Issue #8: every figure of the overview can be reproduced by hand from the
//! exported CSVs. A small community holding every case the definitions name
//! (an empty category, a member who left, a reversal, a deduction, a
//! redemption, a member who moved, tasks done with and without points,
//! attendance at activities with and without a rule, a group without a leader,
//! a branch without a secretary, a closed group, buildings written in several
//! ways and covered by no open group, beneficiaries unpaired, inactive,
//! overdue for a visit or never visited, open and overdue tasks, and the
//! edges of "before today" and "on or before the period's last day") is exported
//! through the real binary, with English and with Chinese headers. The CSVs
//! are read back and each figure is worked out from their rows alone,
//! following README's "Overview figures" and "Reproducing the overview from
//! the exports", then compared with `overview()` for a month and a year, the
//! whole community and one branch.

#[path = "../common/mod.rs"]
mod common;
mod compare;
mod exports;
mod figures;
mod town;

use chrono::{Datelike, Months, NaiveDate};
use common::*;
use compare::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::report::overview::{
    self, Activation, CategoryRow, Coverage, Named, Overview, TrendMonth, UnitLoad, Workload,
};
use dangjian::report::period::Period;
use dangjian::report::points::Scope;
use exports::*;
use figures::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use town::*;

/// One test at a time: a store this process has just closed can still look
/// in use to a child forked by a parallel test while it holds the lock file.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub(crate) fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

#[test]
fn every_overview_figure_is_reproduced_from_the_csv_exports() {
    let _serial = serial();
    let town = town();
    let today = date(2025, 11, 10);
    let periods = [
        Period::month(2025, 10).unwrap(),
        Period::year(2025).unwrap(),
    ];
    let scopes = [
        ("community", Scope::Community, None),
        (
            "第一党支部",
            Scope::Subtree(town.branch_a),
            Some(town.branch_a.0),
        ),
    ];
    let mut bad = Vec::new();
    let mut cases = 0;
    let mut october = None;
    for zh in [false, true] {
        let x = read_exports(&town, zh);
        let store = open(&town.store);
        for period in &periods {
            for (scope_name, scope, root) in &scopes {
                let got = overview::overview(&store, *scope, period, today).unwrap();
                let want = reproduce(&x, *root, period, today);
                let case = format!(
                    "{} headers, {}, {scope_name}",
                    if zh { "Chinese" } else { "English" },
                    period.label()
                );
                bad.extend(differences(&got, &want, &case));
                cases += 1;
            }
        }
        drop(store);
        if !zh {
            october = Some(reproduce(&x, None, &periods[0], today));
        }
    }
    assert_eq!(cases, 8);
    assert!(
        bad.is_empty(),
        "figures the exports do not reproduce:\n{}",
        bad.join("\n")
    );

    // Not equal by being empty: the community holds every case the figures
    // tell apart (October 2025, the whole community, from the exports).
    let oct = october.unwrap();
    let total = oct.activation.total().unwrap();
    assert_eq!(
        (total.members, total.reported, total.served),
        (10, 7, 5),
        "己 has left; 丙 and 丑 never reported, 丁 in November; 甲 乙 丙 庚 癸 served"
    );
    assert_eq!(oct.activation.rows[4].members, 0, "nobody in `other`");
    assert_eq!(oct.coverage.buildings_without_group, ["5", "9"]);
    assert_eq!(oct.coverage.members_in_uncovered.len(), 4);
    assert_eq!(oct.coverage.members_without_group.len(), 2, "丁 and 丑");
    assert_eq!(oct.coverage.groups_without_leader.len(), 1);
    assert_eq!(oct.coverage.branches_without_secretary.len(), 1);
    assert_eq!(oct.coverage.beneficiaries_unpaired.len(), 2);
    assert_eq!((oct.workload.open, oct.workload.overdue), (3, 1));
    assert_eq!(oct.workload.visits_overdue.len(), 2);
}

#[test]
fn org_limits_the_new_exports_to_a_subtree_and_they_write_xlsx() {
    let _serial = serial();
    let town = town();
    let all = read_exports(&town, false);
    let branch = Some(town.branch_a);
    let subtree = all.subtree(Some(town.branch_a.0));

    let org = export(&town, false, "org", branch);
    let mut got: Vec<u64> = org.rows.iter().map(|r| org.id(r, UNIT_ID)).collect();
    let mut want: Vec<u64> = subtree.iter().copied().collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "org --org: the branch and its groups");

    let members = export(&town, false, "members", branch);
    let got: BTreeSet<u64> = members
        .rows
        .iter()
        .map(|r| members.id(r, MEMBER_ID))
        .collect();
    let want: BTreeSet<u64> = all
        .members
        .iter()
        .filter(|m| subtree.contains(&m.unit))
        .map(|m| m.id)
        .collect();
    assert_eq!(
        got, want,
        "members --org: those whose unit is in the subtree"
    );

    let pairings = export(&town, false, "pairings", branch);
    let got: BTreeSet<u64> = pairings
        .rows
        .iter()
        .map(|r| pairings.id(r, BENEFICIARY_ID))
        .collect();
    let want: BTreeSet<u64> = all
        .beneficiaries
        .iter()
        .filter(|b| subtree.contains(&b.unit))
        .map(|b| b.id)
        .filter(|b| all.pairings.iter().any(|p| p.beneficiary == *b))
        .collect();
    assert_eq!(got, want, "pairings --org: of the subtree's beneficiaries");
    assert_eq!(all.pairings.len(), 4);

    for kind in ["org", "pairings"] {
        let file = town.dir.path().join(format!("{kind}.xlsx"));
        let out = dangjian_in(
            &town.store,
            true,
            &["export", kind, "-o", file.to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(b"PK"), "{kind}.xlsx is a zip workbook");
    }
}
