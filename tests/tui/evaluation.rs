//! The points panel's yearly evaluation, approval queue and evaluation
//! settings, driven by keys on the sample community: what each screen shows
//! (snapshots in both languages) and what each key does to the store.

use crate::harness::{Harness, demo_store};
use dangjian::access::{EvaluationSettingsQ, PendingQ};
use dangjian::domain::*;
use dangjian::ops::{self, Command, query};
use dangjian::store::Store;
use dangjian::tui::Lang;
use dangjian::tui::keymap::KeyContext;

fn snap(name: &str, h: &Harness) {
    insta::assert_snapshot!(name.to_string(), h.screen());
}

/// Three entries the group leader `lijun` recorded for members of their
/// group, waiting for approval (group leaders' entries wait by default).
fn with_pending(store: &Store) -> Vec<PendingId> {
    let leader = ops::actor_for_login(store, "lijun").unwrap();
    let group = leader.scope.unwrap();
    let members = query::members_in_subtree(store, group).unwrap();
    let vol = query::rules(store)
        .unwrap()
        .into_iter()
        .find(|r| r.code == "VOL")
        .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
    (0..3)
        .map(|i| {
            let done = ops::apply(
                store,
                &leader,
                &Command::RecordPoints {
                    member: members[i].id,
                    date: day,
                    rule: vol.id,
                    quantity_centi: 100 * (i as u32 + 1),
                    points_override: None,
                    note: "清理楼道".into(),
                },
            )
            .unwrap();
            PendingId(done.created.unwrap())
        })
        .collect()
}

fn waiting(h: &Harness) -> Vec<PendingId> {
    h.session
        .ask(PendingQ { org: None })
        .unwrap()
        .into_iter()
        .map(|r| r.entry.id)
        .collect()
}

fn harness_as(login: &str, lang: Lang, pending: bool) -> Harness {
    let (dir, store, _) = demo_store();
    if pending {
        with_pending(&store);
    }
    let actor = ops::actor_for_login(&store, login).unwrap();
    Harness::with(dir, store, actor, lang)
}

#[test]
fn the_evaluation_shows_score_grade_steps_and_the_balance_apart() {
    let mut h = Harness::new(Lang::En);
    h.keys("4<Esc>v");
    assert_eq!(
        dangjian::tui::layers::context(&h.app),
        KeyContext::Evaluation
    );
    let v = h.app.eval_view().unwrap();
    assert_eq!(v.year, 2026);
    assert!(v.lines.len() > 10, "{}", v.lines.len());
    let screen = h.screen();
    assert!(screen.contains("Evaluation score (2026)"), "{screen}");
    assert!(screen.contains("Redeemable balance"), "{screen}");
    assert!(screen.contains("base 60"), "{screen}");

    // The steps shown are the selected member's, and follow the cursor.
    h.keys("j");
    let v = h.app.eval_view().unwrap();
    assert_eq!(v.cursor.selected, 1);
    let second = v.lines[1].clone();
    let screen = h.screen();
    assert!(screen.contains(&second.name), "{screen}");
    let earned = dangjian::domain::evaluation::Step::Earned(second.earned).describe(Lang::En);
    assert!(screen.contains(&earned), "{earned} in {screen}");
    let balance = h.app.members[h.app.member_index[&second.member]].balance;
    assert!(
        screen.contains(&format!("Redeemable balance: {balance}")),
        "{screen}"
    );

    // `[` goes a year back, `o` to the first branch; Esc closes.
    h.keys("[");
    let v = h.app.eval_view().unwrap();
    assert_eq!(v.year, 2025);
    assert!(v.loaded);
    h.keys("o");
    let org = h.app.eval_view().unwrap().org;
    assert!(org.is_some());
    assert!(
        h.app
            .eval_view()
            .unwrap()
            .lines
            .iter()
            .all(|l| l.branch == org.unwrap())
    );
    h.keys("<Esc>");
    assert!(h.app.eval_view().is_none());
    assert_eq!(
        dangjian::tui::layers::context(&h.app),
        KeyContext::Panel(dangjian::tui::action::Panel::Points)
    );
}

#[test]
fn evaluation_screens_in_both_languages() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = Harness::new(lang);
        h.keys("4<Esc>v");
        snap(&format!("evaluation_{suffix}"), &h);
        h = Harness::new(lang);
        h.keys("4<Esc>?");
        snap(&format!("help_points_{suffix}"), &h);
    }
}

#[test]
fn a_secretary_approves_marked_entries_at_once_and_rejects_with_a_reason() {
    let mut h = harness_as("admin", Lang::En, true);
    let ids = waiting(&h);
    assert_eq!(ids.len(), 3);
    let members: Vec<MemberId> = h
        .session
        .ask(PendingQ { org: None })
        .unwrap()
        .into_iter()
        .map(|r| r.entry.member)
        .collect();
    let before: Vec<Points> = members
        .iter()
        .map(|m| query::balance(h.store(), *m).unwrap())
        .collect();
    h.keys("4<Esc>a");
    assert_eq!(h.app.queue().unwrap().rows.len(), 3);
    // Space marks a row and moves on: the first two, approved with one key.
    h.keys("  ");
    assert_eq!(h.app.queue().unwrap().marked.len(), 2);
    h.keys("a");
    assert_eq!(waiting(&h), vec![ids[2]], "{}", h.app.status);
    for (i, m) in members.iter().enumerate().take(2) {
        let after = query::balance(h.store(), *m).unwrap();
        assert_eq!(after, before[i] + Points::whole(i as i64 + 1), "member {m}");
    }
    // The queue reloaded: one row left, nothing marked.
    let q = h.app.queue().unwrap();
    assert_eq!(q.rows.len(), 1);
    assert!(q.marked.is_empty());

    // Reject asks for a reason; an empty one is not saved.
    h.keys("r");
    assert_eq!(dangjian::tui::layers::context(&h.app), KeyContext::Form);
    h.keys("<Enter>");
    assert_eq!(waiting(&h), vec![ids[2]]);
    h.keys("counted twice<Enter>");
    assert!(waiting(&h).is_empty(), "{}", h.app.status);
    assert_eq!(query::balance(h.store(), members[2]).unwrap(), before[2]);
    assert!(h.app.queue().unwrap().rows.is_empty());
    assert!(h.screen().contains("Nothing waits for approval."));
}

#[test]
fn star_marks_everything_and_enter_approves_it() {
    let mut h = harness_as("wangfang", Lang::Zh, true);
    h.keys("4<Esc>a*");
    assert_eq!(h.app.queue().unwrap().marked.len(), 3);
    h.keys("<Enter>");
    assert!(waiting(&h).is_empty(), "{}", h.app.status);
}

#[test]
fn a_group_leader_sees_their_own_entries_may_not_approve_and_withdraws() {
    let mut h = harness_as("lijun", Lang::En, true);
    h.keys("4<Esc>a");
    let q = h.app.queue().unwrap();
    assert!(q.own_only);
    assert_eq!(q.rows.len(), 3);
    assert!(q.rows.iter().all(|r| r.entry.recorded_by == "lijun"));
    h.keys("a");
    assert_eq!(waiting(&h).len(), 3);
    assert!(
        h.app.status.contains("Only branch secretaries"),
        "{}",
        h.app.status
    );
    h.keys("w");
    assert_eq!(waiting(&h).len(), 2, "{}", h.app.status);
    assert_eq!(h.app.queue().unwrap().rows.len(), 2);
}

#[test]
fn queue_screens_in_both_languages() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = harness_as("admin", lang, true);
        h.keys("4<Esc>a ");
        snap(&format!("queue_{suffix}"), &h);
        let mut h = harness_as("lijun", lang, true);
        h.keys("4<Esc>a");
        snap(&format!("queue_own_{suffix}"), &h);
    }
}

#[test]
fn an_admin_changes_the_evaluation_settings_in_a_form() {
    let mut h = Harness::new(Lang::En);
    h.keys("4<Esc>S");
    assert_eq!(dangjian::tui::layers::context(&h.app), KeyContext::Form);
    // Base 60 → 70; the 优秀 share (6th field) emptied: no limit.
    h.keys("<BS><BS>70<Tab><Tab><Tab><Tab><Tab><BS><BS><Enter>");
    let st = h.session.ask(EvaluationSettingsQ).unwrap();
    assert_eq!(st.base, Points::whole(70), "{}", h.app.status);
    assert_eq!(st.excellent_share_pct, None);
    assert_eq!(st.thresholds.excellent, Points::whole(90));
    assert_eq!(st.pending_roles, vec![Role::GroupLeader]);
    assert_eq!(st.absence_rule.as_deref(), Some("ABSENT"));
    assert_ne!(dangjian::tui::layers::context(&h.app), KeyContext::Form);
    // Undo puts the old settings back.
    h.keys("u");
    let st = h.session.ask(EvaluationSettingsQ).unwrap();
    assert_eq!(st, EvaluationSettings::default());
}

#[test]
fn a_bad_setting_is_explained_and_not_saved_and_only_admins_open_the_form() {
    let mut h = Harness::new(Lang::En);
    h.keys("4<Esc>S<BS><BS>x");
    assert!(
        h.screen().contains("Points must be a number"),
        "{}",
        h.screen()
    );
    h.keys("<Enter>");
    assert_eq!(
        h.session.ask(EvaluationSettingsQ).unwrap(),
        EvaluationSettings::default()
    );

    let mut h = harness_as("wangfang", Lang::En, false);
    h.keys("4<Esc>S");
    assert_ne!(dangjian::tui::layers::context(&h.app), KeyContext::Form);
    assert!(
        h.app.status.contains("Only committee admins"),
        "{}",
        h.app.status
    );
}

#[test]
fn settings_form_in_both_languages() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = Harness::new(lang);
        h.keys("4<Esc>S");
        snap(&format!("eval_settings_{suffix}"), &h);
    }
}

#[test]
fn a_group_leaders_quick_entry_waits_clears_the_line_and_ctrl_z_withdraws_it() {
    let mut h = harness_as("lijun", Lang::En, false);
    let row = h
        .app
        .members
        .iter()
        .find(|r| r.status == MemberStatus::Active)
        .unwrap()
        .clone();
    let before = query::balance(h.store(), row.id).unwrap();
    h.keys("4<Enter>");
    h.keys(&format!("{}<Enter>", row.name));
    h.keys("S<Enter><BS>2<Enter><Enter><Enter>");
    assert_eq!(waiting(&h).len(), 1, "{}", h.screen());
    assert!(
        h.app.status.contains("waiting for approval"),
        "{}",
        h.app.status
    );
    assert_eq!(query::balance(h.store(), row.id).unwrap(), before);
    // Ready for the next person: the line is clear, the entry listed as waiting.
    assert_eq!(h.app.points.member, None);
    assert!(h.app.points.member_query.value().is_empty());
    let recent = &h.app.points.recent[0];
    assert!(recent.pending && !recent.reversed);
    assert_eq!(recent.points, Points::whole(1));
    assert!(
        h.screen().contains("waiting for approval"),
        "{}",
        h.screen()
    );

    h.keys("<C-z>");
    assert!(waiting(&h).is_empty(), "{}", h.app.status);
    assert!(h.app.points.recent[0].reversed);
}

/// Another session's changes reach an open queue and an open evaluation
/// through the one reload path: a leader's new entry appears in the queue;
/// another secretary's approval takes it out and counts in the evaluation.
#[test]
fn others_changes_reload_the_open_queue_and_evaluation() {
    let mut h = harness_as("admin", Lang::En, false);
    h.keys("4<Esc>a");
    assert!(h.app.queue().unwrap().rows.is_empty());
    let ids = with_pending(h.store());
    let proposed = ops::Touched {
        areas: vec![ops::Area::Approvals],
        ..Default::default()
    };
    h.hear(vec![proposed]);
    assert_eq!(h.app.queue().unwrap().rows.len(), 3);

    h.keys("<Esc>v");
    let member = h.session.ask(PendingQ { org: None }).unwrap()[0]
        .entry
        .member;
    let line = |h: &Harness| {
        h.app
            .eval_view()
            .unwrap()
            .lines
            .iter()
            .find(|l| l.member == member)
            .unwrap()
            .clone()
    };
    let before = line(&h);
    assert_eq!(before.pending, 1);
    let sec = ops::actor_for_login(h.store(), "wangfang").unwrap();
    let done = ops::apply(
        h.store(),
        &sec,
        &Command::ApprovePoints { ids: vec![ids[0]] },
    )
    .unwrap();
    h.hear(vec![done.touched]);
    let after = line(&h);
    assert_eq!(after.pending, 0);
    assert_eq!(after.earned, before.earned + Points::whole(1));
}

/// `n` narrows the evaluation to the 优秀党员 nominations: exactly the
/// report's list, highest score first; `n` again shows everyone.
#[test]
fn n_shows_the_nominations_the_report_gives() {
    let (dir, store, admin) = demo_store();
    let mut st = EvaluationSettings::default();
    st.thresholds.excellent = Points::whole(75);
    st.thresholds.good = Points::whole(70);
    ops::apply(
        &store,
        &admin,
        &Command::SetEvaluationSettings { settings: st },
    )
    .unwrap();
    let mut h = dangjian_harness(dir, store, admin);
    h.keys("4<Esc>v");
    let everyone = h.app.eval_view().unwrap().lines.len();
    h.keys("n");
    let report = h
        .session
        .ask(dangjian::access::EvaluationQ {
            org: None,
            year: 2026,
        })
        .unwrap();
    let expected: Vec<MemberId> = report.nominations().iter().map(|l| l.member).collect();
    let v = h.app.eval_view().unwrap();
    let shown: Vec<MemberId> = v.lines.iter().map(|l| l.member).collect();
    assert!(!expected.is_empty());
    assert_eq!(shown, expected);
    assert!(v.lines.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(
        h.screen().contains("优秀党员 nominations"),
        "{}",
        h.screen()
    );
    h.keys("n");
    assert_eq!(h.app.eval_view().unwrap().lines.len(), everyone);
}

fn dangjian_harness(dir: tempfile::TempDir, store: Store, actor: ops::Actor) -> Harness {
    Harness::with(dir, store, actor, Lang::En)
}

/// The evaluation and the queue draw at any size, down to nothing, and the
/// cursor keeps within the rows that show.
#[test]
fn evaluation_and_queue_survive_a_resize_storm() {
    let mut h = harness_as("admin", Lang::Zh, true);
    for keys in ["4<Esc>v", "<Esc>a"] {
        h.keys(keys);
        for (w, hgt) in [(20, 5), (1, 1), (200, 60), (33, 7), (0, 0), (80, 24)] {
            h.event(crossterm::event::Event::Resize(w, hgt));
            h.keys("jG");
            let _ = h.screen();
        }
    }
    let q = h.app.queue().unwrap();
    assert_eq!(q.cursor.selected, q.rows.len() - 1);
    assert!(h.screen().contains("待审核"));
}

/// The statement (`s`) heads the member's entries with the year's
/// evaluation score and grade (the redeemable balance in the title, named
/// apart), marks approved entries ✓ and says what still waits.
#[test]
fn the_statement_shows_the_score_apart_from_the_balance_and_what_was_approved() {
    let (dir, store, admin) = demo_store();
    let ids = with_pending(&store);
    let open = store.open_pending().unwrap();
    let member_of = |i: usize| open.iter().find(|p| p.id == ids[i]).unwrap().member;
    let (approved, waits) = (member_of(0), member_of(1));
    let sec = ops::actor_for_login(&store, "wangfang").unwrap();
    ops::apply(&store, &sec, &Command::ApprovePoints { ids: vec![ids[0]] }).unwrap();
    let mut h = dangjian_harness(dir, store, admin);
    let name = |h: &Harness, m: MemberId| h.app.members[h.app.member_index[&m]].name.to_string();

    // The member chosen, Esc clears the line (the member stays shown), a
    // second Esc gives the keys back to the panel.
    h.keys("4<Enter>");
    h.keys(&format!("{}<Enter><Esc><Esc>s", name(&h, approved)));
    assert_eq!(h.app.points.shown, Some(approved));
    let screen = h.screen();
    let line = h
        .session
        .ask(dangjian::access::MemberYearQ {
            member: approved,
            year: 2026,
        })
        .unwrap();
    let eval = line.evaluation.unwrap();
    let score = match (eval.score, eval.grade) {
        (Some(s), Some(g)) => format!("{s} {}", g.label(Lang::En)),
        _ => "exempt".into(),
    };
    assert!(
        screen.contains(&format!("Evaluation score 2026: {score}")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("redeemable {}", line.balance)),
        "{screen}"
    );
    assert!(screen.contains('✓'), "{screen}");
    assert!(!screen.contains("wait for approval"), "{screen}");

    // The line was cleared: the next member.
    h.keys(&format!("i{}<Enter><Esc>", name(&h, waits)));
    assert_eq!(h.app.points.shown, Some(waits));
    let screen = h.screen();
    assert!(screen.contains("1 entries wait for approval"), "{screen}");
}

/// `x` in the evaluation writes the public notice (公示) of its year and
/// scope to the file named, as a workbook with every evaluated member.
#[test]
fn x_writes_the_public_notice_of_the_year_and_scope() {
    let mut h = harness_as("admin", Lang::En, true);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("notice.xlsx");
    h.keys("4<Esc>vx");
    assert_eq!(dangjian::tui::layers::context(&h.app), KeyContext::IoLine);
    let prefilled = "<BS>".repeat("notice-2026.xlsx".len());
    h.keys(&format!("{prefilled}{}<Enter>", file.display()));
    assert!(
        h.app.status.contains("wrote the notice"),
        "{}",
        h.app.status
    );
    assert!(
        h.app.status.contains("3 entries waiting"),
        "{}",
        h.app.status
    );
    assert_eq!(
        dangjian::tui::layers::context(&h.app),
        KeyContext::Evaluation
    );
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&file).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c.contains("2026")), "{cells:?}");
    for l in &h.app.eval_view().unwrap().lines {
        assert!(cells.contains(&l.name), "{} missing", l.name);
    }
}

/// `t` draws the evaluation as the notice reads: each member's earned and
/// deducted points, score, grade and what waits for approval, across the width.
#[test]
fn t_shows_the_notice_table_with_earned_deducted_and_what_waits() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = harness_as("wangfang", lang, true);
        h.keys("4<Esc>vt");
        let v = h.app.eval_view().unwrap();
        assert!(v.table);
        let waiting_line = v
            .lines
            .iter()
            .find(|l| l.pending > 0)
            .expect("lijun's entries wait")
            .clone();
        let screen = h.screen();
        let row = screen
            .lines()
            .find(|r| r.contains(&waiting_line.name))
            .unwrap_or_else(|| panic!("{} in {screen}", waiting_line.name));
        for figure in [
            waiting_line.earned.to_string(),
            waiting_line.deducted.to_string(),
            waiting_line
                .score
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ] {
            assert!(row.contains(&figure), "{figure} in {row}");
        }
        assert!(
            row.trim_end_matches([' ', '│'])
                .ends_with(&waiting_line.pending.to_string()),
            "{row}"
        );
        snap(&format!("notice_table_{suffix}"), &h);
        h.keys("t");
        assert!(!h.app.eval_view().unwrap().table);
    }
}
