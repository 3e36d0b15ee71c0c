//! The 组织生活 panel as a branch secretary shows it to an inspector: 三会一课
//! held vs due with the meetings list, a meeting's record, the minutes editor
//! (many lines in, saved, shown back; Esc with edits asks), resolutions with
//! votes, searching by topic, the committee and its election — each view on
//! screen in both languages, its forms driven by keys. Members who move,
//! partners and posts are in `orglife_lists`.

use crate::harness::{Harness, demo_store};
use dangjian::access::{MinutesQ, TermsQ};
use dangjian::domain::*;
use dangjian::ops;
use dangjian::tui::Lang;
use dangjian::tui::keymap::KeyContext;
use dangjian::tui::layers::context;
use dangjian::tui::panels::orglife::OrgView;

/// The sample community as one of its users sees it.
pub fn as_user(login: &str, lang: Lang) -> Harness {
    let (dir, store, _) = demo_store();
    let actor = ops::actor_for_login(&store, login).unwrap();
    Harness::with(dir, store, actor, lang)
}

/// The first branch's secretary (王芳).
pub fn secretary(lang: Lang) -> Harness {
    as_user("wangfang", lang)
}

/// The first meeting in the list with no record yet (the list's position).
fn unrecorded(h: &Harness) -> usize {
    h.app
        .orglife
        .shown_meetings()
        .iter()
        .position(|m| m.record.is_none())
        .expect("the demo has a meeting without a record")
}

fn go_to(h: &mut Harness, row: usize) {
    h.keys("g");
    for _ in 0..row {
        h.keys("j");
    }
}

#[test]
fn every_view_on_screen_in_both_languages() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = secretary(lang);
        h.keys("7");
        insta::assert_snapshot!(format!("orglife_meetings_{suffix}"), h.screen());
        for view in ["committee", "movement", "partners", "posts"] {
            h.keys("<Right>");
            insta::assert_snapshot!(format!("orglife_{view}_{suffix}"), h.screen());
        }
        // Round the views, back to the meetings.
        h.keys("<Right>");
        assert_eq!(h.app.orglife.view, OrgView::Meetings);
        let recorded = h
            .app
            .orglife
            .shown_meetings()
            .iter()
            .position(|m| m.record.is_some())
            .unwrap();
        go_to(&mut h, recorded);
        h.keys("<Enter>");
        assert_eq!(context(&h.app), KeyContext::Meeting);
        insta::assert_snapshot!(format!("orglife_meeting_record_{suffix}"), h.screen());
        h.keys("e");
        assert_eq!(context(&h.app), KeyContext::Minutes);
        insta::assert_snapshot!(format!("orglife_minutes_editor_{suffix}"), h.screen());
    }
}

#[test]
fn the_meetings_view_is_wider_on_a_wide_terminal() {
    let mut h = secretary(Lang::Zh);
    h.event(crossterm::event::Event::Resize(120, 32));
    h.keys("7");
    insta::assert_snapshot!("orglife_meetings_wide_zh", h.screen());
}

#[test]
fn the_period_and_branch_keys_change_what_is_due() {
    let mut h = as_user("admin", Lang::En);
    h.keys("7");
    let year = h.app.orglife.due.clone().unwrap();
    assert_eq!(year.period.label(), "2026");
    h.keys("p");
    let month = h.app.orglife.due.clone().unwrap();
    assert_eq!(month.period.label(), "2026-11");
    assert!(
        month.rows.iter().map(|r| r.due).sum::<u32>() < year.rows.iter().map(|r| r.due).sum(),
        "a month has fewer meetings due than a year"
    );
    // `o`: one branch, then the next; the header names it.
    h.keys("o");
    let unit = h.app.orglife.unit.expect("a branch");
    let name = h.app.units[&unit].name.clone();
    assert!(h.screen().lines().nth(1).unwrap().contains(&name));
    assert!(
        h.app
            .orglife
            .due
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .all(|r| r.unit == unit || h.app.units[&r.unit].parent == Some(unit))
    );
}

#[test]
fn minutes_of_many_lines_are_saved_shown_back_and_undone() {
    let mut h = secretary(Lang::Zh);
    h.keys("7");
    let row = unrecorded(&h);
    go_to(&mut h, row);
    let id = h.app.orglife.selected_meeting().unwrap().activity.id;
    h.keys("e");
    assert_eq!(context(&h.app), KeyContext::Minutes);
    // Presenter, Enter on to the recorder, the topics, then the minutes:
    // Enter inside them is a new line, not a save.
    h.keys("赵平<Enter>陈强辉<Tab>学习党章；加装电梯<Tab>");
    h.keys("一、学习党章第三章<Enter>二、讨论加装电梯<Enter><Enter>三、表决");
    assert_eq!(context(&h.app), KeyContext::Minutes, "Enter did not save");
    assert!(h.session.ask(MinutesQ(id)).unwrap().is_none());
    let screen = h.screen();
    assert!(screen.contains("二、讨论加装电梯"), "{screen}");
    h.keys("<C-s>");
    assert_eq!(
        context(&h.app),
        KeyContext::Panel(dangjian::tui::action::Panel::OrgLife)
    );
    let saved = h.session.ask(MinutesQ(id)).unwrap().expect("saved");
    assert_eq!(
        saved.record.minutes,
        "一、学习党章第三章\n二、讨论加装电梯\n\n三、表决"
    );
    assert_eq!(saved.record.topics, vec!["学习党章", "加装电梯"]);
    assert_eq!(saved.presenter, "赵平");
    assert_eq!(saved.recorder, "陈强辉");
    // The list marks it; Enter shows it back, line by line.
    assert!(h.app.orglife.selected_meeting().unwrap().record.is_some());
    h.keys("<Enter>");
    let screen = h.screen();
    for line in ["一、学习党章第三章", "二、讨论加装电梯", "三、表决", "赵平"]
    {
        assert!(screen.contains(line), "{line} in\n{screen}");
    }
    // The app's undo takes the record back out.
    h.keys("<Esc>u");
    assert!(
        h.session.ask(MinutesQ(id)).unwrap().is_none(),
        "{}",
        h.app.status
    );
}

#[test]
fn esc_with_edits_asks_before_dropping_them() {
    let mut h = secretary(Lang::En);
    h.keys("7");
    let row = unrecorded(&h);
    go_to(&mut h, row);
    let id = h.app.orglife.selected_meeting().unwrap().activity.id;
    // No edits: Esc just closes.
    h.keys("e<Esc>");
    assert_eq!(
        context(&h.app),
        KeyContext::Panel(dangjian::tui::action::Panel::OrgLife)
    );
    h.keys("e<Tab><Tab><Tab>first line<Enter>second<Esc>");
    assert_eq!(context(&h.app), KeyContext::Confirm);
    assert!(h.screen().contains("Discard unsaved changes?"));
    // n: back to the editor, the text still there.
    h.keys("n");
    assert_eq!(context(&h.app), KeyContext::Minutes);
    assert!(h.screen().contains("second"));
    h.keys("<Esc>y");
    assert_eq!(
        context(&h.app),
        KeyContext::Panel(dangjian::tui::action::Panel::OrgLife)
    );
    assert!(h.session.ask(MinutesQ(id)).unwrap().is_none());
}

#[test]
fn an_unknown_presenter_is_refused_in_the_editor_and_nothing_is_saved() {
    let mut h = secretary(Lang::En);
    h.keys("7");
    let row = unrecorded(&h);
    go_to(&mut h, row);
    let id = h.app.orglife.selected_meeting().unwrap().activity.id;
    h.keys("eNobody Atall<C-s>");
    assert_eq!(context(&h.app), KeyContext::Minutes);
    assert!(h.screen().contains("no such member"), "{}", h.screen());
    assert!(h.session.ask(MinutesQ(id)).unwrap().is_none());
}

#[test]
fn a_viewer_may_read_but_the_store_refuses_their_minutes() {
    let mut h = as_user("guest", Lang::En);
    h.keys("7");
    let row = unrecorded(&h);
    go_to(&mut h, row);
    let id = h.app.orglife.selected_meeting().unwrap().activity.id;
    h.keys("e<Tab><Tab><Tab>text<C-s>");
    assert!(h.session.ask(MinutesQ(id)).unwrap().is_none());
    // The refusal, in words, on the status line; the editor stays open.
    assert!(!h.app.status.is_empty());
    let start: String = h.app.status.chars().take(10).collect();
    assert!(h.screen().lines().last().unwrap().contains(&start));
    assert_eq!(context(&h.app), KeyContext::Minutes);
}

#[test]
fn a_resolution_with_its_votes_is_added_and_shown_carried() {
    let mut h = secretary(Lang::Zh);
    h.keys("7");
    let row = unrecorded(&h);
    go_to(&mut h, row);
    let id = h.app.orglife.selected_meeting().unwrap().activity.id;
    h.keys("r");
    assert_eq!(context(&h.app), KeyContext::Form);
    insta::assert_snapshot!("orglife_resolution_form_zh", h.screen());
    h.keys("同意加装电梯方案<Tab>30<Tab>1<Tab>2<Enter>");
    let saved = h.session.ask(MinutesQ(id)).unwrap().expect("saved");
    assert_eq!(
        saved.record.resolutions,
        vec![Resolution {
            text: "同意加装电梯方案".into(),
            votes_for: 30,
            against: 1,
            abstain: 2,
        }]
    );
    h.keys("<Enter>");
    let screen = h.screen();
    assert!(screen.contains("同意加装电梯方案"), "{screen}");
    assert!(
        screen.contains("赞成 30 · 反对 1 · 弃权 2 · 通过"),
        "{screen}"
    );
    // A second one over the record shown: both kept, the view follows.
    h.keys("r否决提案<Tab>1<Tab>20<Tab>0<Enter>");
    let saved = h.session.ask(MinutesQ(id)).unwrap().unwrap();
    assert_eq!(saved.record.resolutions.len(), 2);
    assert!(h.screen().contains("未通过"), "{}", h.screen());
}

#[test]
fn searching_by_topic_keeps_the_meetings_about_it() {
    let mut h = secretary(Lang::Zh);
    h.keys("7");
    let all = h.app.orglife.shown_meetings().len();
    h.keys("/电梯<Enter>");
    let found = h.app.orglife.shown_meetings();
    assert!(
        !found.is_empty() && found.len() < all,
        "{} of {all}",
        found.len()
    );
    assert!(found.iter().all(|m| {
        let r = m.record.as_ref().unwrap();
        r.topics.iter().any(|t| t.contains("电梯")) || r.minutes.contains("电梯")
    }));
    assert!(h.screen().contains("/电梯"));
    // `/` then Esc drops the search; so does Esc on the list.
    h.keys("/<Esc>");
    assert_eq!(h.app.orglife.shown_meetings().len(), all);
    h.keys("/电梯<Enter><Esc>");
    assert_eq!(h.app.orglife.shown_meetings().len(), all);
    assert!(!h.app.quit);
}

#[test]
fn a_new_meeting_is_an_activity_of_a_meeting_kind() {
    let mut h = secretary(Lang::En);
    h.keys("7");
    let before = h.app.orglife.meetings.len();
    h.keys("n");
    assert!(h.screen().contains("New meeting"));
    h.keys("November general meeting<Enter>");
    assert_eq!(h.app.orglife.meetings.len(), before + 1, "{}", h.app.status);
    let m = &h.app.orglife.meetings[0];
    assert_eq!(m.activity.data.title, "November general meeting");
    assert_eq!(m.activity.data.kind, ActivityKind::BranchGeneralMeeting);
}

#[test]
fn an_election_records_the_next_committee_and_its_votes() {
    let mut h = secretary(Lang::Zh);
    h.keys("7<Right>");
    let unit = h.app.actor.scope.unwrap();
    let before = h.session.ask(TermsQ(unit)).unwrap();
    assert_eq!(before.len(), 1);
    assert!(h.screen().contains("即将换届"));
    h.keys("n");
    assert_eq!(context(&h.app), KeyContext::Form);
    insta::assert_snapshot!("orglife_election_form_zh", h.screen());
    // Seats come from the current committee; the votes are typed.
    h.keys("<Tab><Tab><Tab><Tab>33<Tab>31<Tab>陈强辉 31*，赵平 30*，吴桂秀 29*<Enter>");
    let terms = h.session.ask(TermsQ(unit)).unwrap();
    assert_eq!(terms.len(), 2, "{}", h.app.status);
    let current = terms.iter().find(|t| t.ended.is_none()).unwrap();
    assert_eq!(current.data.started, h.app.today);
    assert_eq!(current.data.seats.len(), 3);
    let e = current.data.election.as_ref().unwrap();
    assert_eq!((e.eligible, e.cast), (33, 31));
    assert_eq!(e.candidates.iter().filter(|c| c.elected).count(), 3);
    let screen = h.screen();
    assert!(screen.contains("2026-11-01–至今"), "{screen}");
    assert!(screen.contains("2024-01-01–2026-11-01"), "{screen}");
    assert!(!screen.contains("即将换届"), "{screen}");
}

#[test]
fn a_seat_that_names_no_post_says_so() {
    let mut h = secretary(Lang::En);
    h.keys("7<Right>n");
    // Replace the seats with one the form cannot read.
    h.keys("<Tab><Tab>");
    for _ in 0..60 {
        h.keys("<BS>");
    }
    h.keys("chairman Zhao<Enter>");
    assert_eq!(context(&h.app), KeyContext::Form);
    assert!(
        h.screen().contains("a seat is a post then a name"),
        "{}",
        h.screen()
    );
}

#[test]
fn help_lists_the_panels_keys() {
    for (lang, suffix) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut h = secretary(lang);
        h.keys("7?");
        insta::assert_snapshot!(format!("orglife_help_{suffix}"), h.screen());
    }
}

#[test]
fn a_meetings_printed_minutes_are_written_as_text_or_a_workbook() {
    let mut h = secretary(Lang::Zh);
    h.keys("7");
    let row = h
        .app
        .orglife
        .shown_meetings()
        .iter()
        .position(|m| m.record.is_some())
        .unwrap();
    go_to(&mut h, row);
    let out = tempfile::tempdir().unwrap();
    let text = out.path().join("minutes.txt");
    // From the list: w, a file name (the suggested one replaced), Enter.
    h.keys("w");
    assert_eq!(context(&h.app), KeyContext::IoLine);
    h.keys(&format!("<C-u>{}<Enter>", text.display()));
    let written = std::fs::read_to_string(&text).unwrap();
    assert!(written.contains("主持人"), "{written}");
    assert!(
        written.contains("同意垃圾分类督导安排工作方案"),
        "{written}"
    );
    assert!(h.app.status.contains("minutes.txt"), "{}", h.app.status);
    // From the record shown: a workbook.
    let book = out.path().join("minutes.xlsx");
    h.keys("<Enter>w");
    h.keys(&format!("<C-u>{}<Enter>", book.display()));
    let bytes = std::fs::read(&book).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
    assert_eq!(context(&h.app), KeyContext::Meeting);
}

/// Where the minutes' cursor is drawn: the reversed cell on the row that
/// holds `text`, as columns from the text's first character.
fn cursor_after(h: &mut Harness, text: &str) -> usize {
    h.draw();
    let buf = h.terminal.backend().buffer().clone();
    let first = text.chars().next().unwrap().to_string();
    for y in 0..buf.area.height {
        let xs: Vec<u16> = (0..buf.area.width).collect();
        let Some(start) = xs.iter().find(|&&x| buf[(x, y)].symbol() == first) else {
            continue;
        };
        let rev = xs.iter().find(|&&x| {
            x > *start
                && buf[(x, y)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
        });
        if let Some(rev) = rev {
            return (rev - start) as usize;
        }
    }
    panic!("no cursor after {text}");
}

#[test]
fn the_minutes_cursor_counts_chinese_characters_two_columns_wide() {
    let mut h = secretary(Lang::Zh);
    h.keys("7");
    let row = unrecorded(&h);
    go_to(&mut h, row);
    h.keys("e<Tab><Tab><Tab>学习党章");
    assert_eq!(cursor_after(&mut h, "学习党章"), 8);
    h.keys("<Left>");
    assert_eq!(cursor_after(&mut h, "学习党章"), 6);
    // Typed where the cursor is, and the line reads on.
    h.keys("第三章");
    let ed = match h.app.org_layer() {
        Some(dangjian::tui::panels::orglife::OrgLayer::Minutes(ed)) => ed.minutes_text(),
        _ => panic!("the editor is open"),
    };
    assert_eq!(ed, "学习党第三章章");
}
