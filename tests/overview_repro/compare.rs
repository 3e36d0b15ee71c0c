//! Comparing, figure by figure: a line naming every figure that differs.

use super::*;

/// Each figure of the overview against the same figure from the exports; a
/// line naming every figure that differs.
pub(crate) fn differences(got: &Overview, want: &Overview, case: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut compare = |figure: String, pick: &dyn Fn(&Overview) -> String| {
        let (g, w) = (pick(got), pick(want));
        if g != w {
            out.push(format!(
                "{case}: {figure}: overview {g}, from the exports {w}"
            ));
        }
    };
    macro_rules! figure {
        ($name:expr, |$o:ident| $value:expr) => {
            compare($name.to_string(), &|$o: &Overview| format!("{:?}", $value))
        };
    }

    figure!("activation: period", |o| (
        &o.activation.period,
        o.activation.from,
        o.activation.to
    ));
    figure!("activation: categories", |o| o
        .activation
        .rows
        .iter()
        .map(|r| r.category)
        .collect::<Vec<_>>());
    for (i, r) in want.activation.rows.iter().enumerate() {
        let cat = r.category.map_or("total", |c| c.name_en());
        let row = |o: &Overview| o.activation.rows.get(i).cloned();
        figure!(format!("activation [{cat}]: members"), |o| row(o)
            .map(|r| r.members));
        figure!(format!("activation [{cat}]: reported"), |o| row(o)
            .map(|r| r.reported));
        figure!(format!("activation [{cat}]: served"), |o| row(o)
            .map(|r| r.served));
        figure!(format!("activation [{cat}]: average points"), |o| row(o)
            .map(|r| r.avg_points));
        figure!(format!("activation [{cat}]: median points"), |o| row(o)
            .map(|r| r.median_points));
        figure!(format!("activation [{cat}]: idle all year"), |o| row(o)
            .map(|r| r.idle_year));
    }
    figure!("activation: trend months", |o| o
        .activation
        .trend
        .iter()
        .map(|m| m.month)
        .collect::<Vec<_>>());
    for (i, m) in want.activation.trend.iter().enumerate() {
        let month = m.month.format("%Y-%m");
        let at = |o: &Overview| o.activation.trend.get(i).cloned();
        figure!(format!("trend {month}: members"), |o| at(o)
            .map(|m| m.members));
        figure!(format!("trend {month}: served"), |o| at(o)
            .map(|m| m.served));
    }
    figure!("activation: members not served", |o| &o
        .activation
        .not_served);
    figure!("activation: members not reported", |o| &o
        .activation
        .not_reported);
    figure!("activation: members idle all year", |o| &o
        .activation
        .idle_year);

    figure!("coverage: buildings known", |o| &o.coverage.buildings_known);
    figure!("coverage: buildings covered", |o| &o
        .coverage
        .buildings_covered);
    figure!("coverage: buildings without a group", |o| &o
        .coverage
        .buildings_without_group);
    figure!("coverage: members in uncovered buildings", |o| &o
        .coverage
        .members_in_uncovered);
    figure!("coverage: members without a group", |o| &o
        .coverage
        .members_without_group);
    figure!("coverage: groups without a leader", |o| &o
        .coverage
        .groups_without_leader);
    figure!("coverage: branches without a secretary", |o| &o
        .coverage
        .branches_without_secretary);
    figure!("coverage: beneficiaries unpaired", |o| &o
        .coverage
        .beneficiaries_unpaired);

    figure!("workload: today", |o| o.workload.today);
    figure!("workload: units", |o| o
        .workload
        .units
        .iter()
        .map(|u| (u.unit, &u.name, &u.branch_name))
        .collect::<Vec<_>>());
    for (i, u) in want.workload.units.iter().enumerate() {
        let unit = |o: &Overview| o.workload.units.get(i).cloned();
        let name = &u.name;
        figure!(format!("workload [{name}]: open tasks"), |o| unit(o)
            .map(|u| u.open));
        figure!(format!("workload [{name}]: overdue tasks"), |o| unit(o)
            .map(|u| u.overdue));
        figure!(format!("workload [{name}]: visits overdue"), |o| unit(o)
            .map(|u| u.visits_overdue));
    }
    figure!("workload: open tasks", |o| o.workload.open);
    figure!("workload: overdue tasks", |o| o.workload.overdue);
    figure!("workload: beneficiaries overdue for a visit", |o| &o
        .workload
        .visits_overdue);

    figure!("points by branch", |o| &o.points_by_branch);
    out
}
