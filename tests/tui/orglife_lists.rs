//! The 组织生活 panel's lists by keys: members who move (a transfer out and
//! back in, a flow, lost contact set and cleared), partners (add, edit,
//! close, reopen), posts (add, assign, unassign, the roster filtered to a
//! post's holders), and another session's change showing without a key.

use crate::orglife::{as_user, secretary};
use dangjian::access::{MovementQ, PartnersQ, PostHoldersQ, PostsQ};
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::tui::Lang;
use dangjian::tui::action::{Origin, Panel};
use dangjian::tui::keymap::KeyContext;
use dangjian::tui::layers::context;
use dangjian::tui::panels::orglife::MoveRow;

fn row_of(h: &dangjian::tui::App, f: impl Fn(&MoveRow) -> bool) -> usize {
    h.orglife.moves.iter().position(f).expect("the row")
}

fn go_to(h: &mut crate::harness::Harness, row: usize) {
    h.keys("g");
    for _ in 0..row {
        h.keys("j");
    }
}

#[test]
fn a_member_transferred_out_and_back_in_keeps_the_history() {
    let mut h = secretary(Lang::Zh);
    h.keys("7<Right><Right>");
    let row = row_of(&h.app, |r| matches!(r, MoveRow::Flow(_)));
    go_to(&mut h, row);
    let member = h.app.orglife.moves[row].member();
    h.keys("t");
    assert_eq!(context(&h.app), KeyContext::Form);
    insta::assert_snapshot!("orglife_transfer_form_zh", h.screen());
    // Member and direction (转出) come filled; the other end and the letter.
    h.keys("<Tab><Tab><Tab>苏州工业园区党工委<Tab>苏组转〔2026〕18号<Tab>工作调动<Enter>");
    let m = h.session.ask(MovementQ(member)).unwrap();
    assert_eq!(m.transfers.len(), 1, "{}", h.app.status);
    assert_eq!(m.member.data.status, MemberStatus::TransferredOut);
    assert_eq!(m.transfers[0].data.letter, "苏组转〔2026〕18号");
    // Back in: ← on the direction.
    h.keys("t<Tab><Right><Tab><Tab>苏州工业园区党工委<Enter>");
    let m = h.session.ask(MovementQ(member)).unwrap();
    assert_eq!(m.transfers.len(), 2, "{}", h.app.status);
    assert_eq!(m.transfers[1].direction, Direction::In);
    assert_eq!(m.member.data.status, MemberStatus::Active);
    // Enter shows the member's history: both transfers, the flow.
    h.keys("<Enter>");
    let screen = h.screen();
    let history = h.app.orglife.movement.as_ref().unwrap();
    assert_eq!(history.member.id, member);
    assert_eq!(history.transfers.len(), 2);
    for word in ["转出", "转入", "苏组转〔2026〕18号", "流出"] {
        assert!(screen.contains(word), "{word} in\n{screen}");
    }
}

#[test]
fn a_flow_is_registered_and_ended_by_keys() {
    let mut h = secretary(Lang::En);
    h.keys("7<Right><Right>");
    let before = h.app.orglife.moves.len();
    let name = h
        .app
        .orglife
        .movement
        .as_ref()
        .unwrap()
        .member
        .data
        .name
        .clone();
    // A member of the branch who is not flowing yet.
    let other = h
        .app
        .members
        .iter()
        .position(|r| {
            r.status == MemberStatus::Active
                && *r.name != *name
                && !h.app.orglife.moves.iter().any(|m| m.member() == r.id)
        })
        .unwrap();
    let other = h.member_at(other);
    h.keys("n");
    assert!(h.screen().contains("New flow"));
    h.keys(&other.data.name);
    h.keys("<Tab><Tab>");
    for _ in 0..10 {
        h.keys("<BS>");
    }
    h.keys("2026-09-01<Tab><Tab>Shenzhen, Nanshan<Tab>Nanshan street branch<Enter>");
    assert_eq!(h.app.orglife.moves.len(), before + 1, "{}", h.app.status);
    let row = row_of(&h.app, |r| r.member() == other.id);
    go_to(&mut h, row);
    // e, then an end date: no longer flowing today, still in "all".
    h.keys("e<Tab><Tab><Tab>2026-10-31<Enter>");
    assert_eq!(h.app.orglife.moves.len(), before, "{}", h.app.status);
    h.keys("f");
    assert!(h.app.orglife.moves.iter().any(|m| m.member() == other.id));
    let flows = h.session.ask(MovementQ(other.id)).unwrap().flows;
    assert_eq!(
        flows[0].data.until,
        chrono::NaiveDate::from_ymd_opt(2026, 10, 31)
    );
    assert_eq!(flows[0].data.party_org, "Nanshan street branch");
}

#[test]
fn lost_contact_is_set_with_attempts_and_cleared() {
    let mut h = secretary(Lang::Zh);
    h.keys("7<Right><Right>");
    let row = row_of(&h.app, |r| matches!(r, MoveRow::Lost(_)));
    go_to(&mut h, row);
    let member = h.app.orglife.moves[row].member();
    h.keys("c");
    insta::assert_snapshot!("orglife_lost_contact_form_zh", h.screen());
    // One more attempt, then contact found again.
    h.keys("<Tab><Tab>；2026-10-30 上门走访未遇<Tab>2026-11-01<Enter>");
    let lost = h
        .session
        .ask(MovementQ(member))
        .unwrap()
        .lost_contact
        .unwrap();
    assert_eq!(lost.attempts.len(), 3, "{}", h.app.status);
    assert_eq!(lost.attempts[2].note, "上门走访未遇");
    assert_eq!(lost.regained, chrono::NaiveDate::from_ymd_opt(2026, 11, 1));
    // Regained today: no longer in the list of those out of contact.
    assert!(
        !h.app
            .orglife
            .moves
            .iter()
            .any(|m| matches!(m, MoveRow::Lost(_)))
    );
    // Set on a member from scratch, then the record removed.
    let row = row_of(&h.app, |r| matches!(r, MoveRow::Flow(_)));
    go_to(&mut h, row);
    let flowing = h.app.orglife.moves[row].member();
    h.keys("c<Tab><Tab>2026-10-20 电话未接<Enter>");
    let lost = h.session.ask(MovementQ(flowing)).unwrap().lost_contact;
    assert_eq!(lost.unwrap().attempts.len(), 1, "{}", h.app.status);
    let row = row_of(&h.app, |r| matches!(r, MoveRow::Lost(_)));
    go_to(&mut h, row);
    h.keys("e<S-Tab><Right><Enter>");
    assert!(
        h.session
            .ask(MovementQ(flowing))
            .unwrap()
            .lost_contact
            .is_none()
    );
}

#[test]
fn a_secretary_is_told_why_they_may_not_add_a_partner() {
    let mut h = secretary(Lang::Zh);
    h.keys("7<Right><Right><Right>");
    let before = h.session.ask(PartnersQ).unwrap().len();
    h.keys("n和平里小学党支部<Enter>");
    assert_eq!(h.session.ask(PartnersQ).unwrap().len(), before);
    // The store's refusal, in the interface's language, on the status line
    // and in the form, which stays open.
    assert!(h.app.status.contains("党委管理员"), "{}", h.app.status);
    assert_eq!(context(&h.app), KeyContext::Form);
    assert!(h.screen().lines().last().unwrap().contains("没有权限"));
}

#[test]
fn partners_are_added_edited_closed_and_reopened() {
    let mut h = as_user("admin", Lang::Zh);
    h.keys("7<Right><Right><Right>");
    let before = h.session.ask(PartnersQ).unwrap().len();
    h.keys("n");
    insta::assert_snapshot!("orglife_partner_form_zh", h.screen());
    h.keys(
        "和平里小学党支部<Tab><Right><Tab>张老师<Tab>13800001111<Tab><Right><Tab>2026-09-01<Enter>",
    );
    let partners = h.session.ask(PartnersQ).unwrap();
    assert_eq!(partners.len(), before + 1, "{}", h.app.status);
    let p = partners
        .iter()
        .find(|p| p.data.name == "和平里小学党支部")
        .unwrap();
    assert_eq!(p.data.kind, PartnerKind::TwoNew);
    assert_eq!(p.data.agreed, chrono::NaiveDate::from_ymd_opt(2026, 9, 1));
    assert!(p.data.linked_unit.is_some());
    let id = p.id;
    let row = h
        .app
        .orglife
        .partners
        .iter()
        .position(|x| x.id == id)
        .unwrap();
    go_to(&mut h, row);
    h.keys("e<Tab><Tab>");
    for _ in 0..3 {
        h.keys("<BS>");
    }
    h.keys("校长<Enter>");
    let p = h
        .session
        .ask(PartnersQ)
        .unwrap()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap();
    assert_eq!(p.data.contact, "校长", "{}", h.app.status);
    h.keys("x");
    let p = h
        .session
        .ask(PartnersQ)
        .unwrap()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap();
    assert_eq!(p.closed, Some(h.app.today), "{}", h.app.status);
    assert!(h.screen().contains("已结束"));
    let row = h
        .app
        .orglife
        .partners
        .iter()
        .position(|x| x.id == id)
        .unwrap();
    go_to(&mut h, row);
    h.keys("x");
    let p = h
        .session
        .ask(PartnersQ)
        .unwrap()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap();
    assert_eq!(p.closed, None, "{}", h.app.status);
}

#[test]
fn posts_are_added_assigned_and_the_roster_lists_their_holders() {
    let mut h = as_user("admin", Lang::En);
    h.keys("7<Left>");
    let before = h.session.ask(PostsQ).unwrap().len();
    h.keys("n");
    insta::assert_snapshot!("orglife_post_form_en", h.screen());
    h.keys("Stairwell warden<Tab>Checks the stairs weekly<Enter>");
    let posts = h.session.ask(PostsQ).unwrap();
    assert_eq!(posts.len(), before + 1, "{}", h.app.status);
    let post = posts
        .iter()
        .find(|p| p.data.name == "Stairwell warden")
        .unwrap()
        .clone();
    let row = h
        .app
        .orglife
        .posts
        .iter()
        .position(|p| p.id == post.id)
        .unwrap();
    go_to(&mut h, row);
    let member = h.member_at(0);
    h.keys("a");
    h.keys(&format!("{}<Enter>", member.id.0));
    let holders = h
        .session
        .ask(PostHoldersQ {
            post: post.data.name.clone(),
            org: None,
        })
        .unwrap();
    assert_eq!(
        holders.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![member.id]
    );
    assert!(h.screen().contains(&member.data.name), "{}", h.screen());
    // m: the roster, only the post's holders.
    h.keys("m");
    assert_eq!(h.app.panel, Panel::Members);
    assert_eq!(h.app.roster_rows.len(), 1);
    assert!(h.app.status.contains("Stairwell warden"));
    // Back, and off the post again.
    h.keys("<Esc>7d<Enter>");
    let holders = h
        .session
        .ask(PostHoldersQ {
            post: post.data.name,
            org: None,
        })
        .unwrap();
    assert!(holders.is_empty(), "{}", h.app.status);
}

#[test]
fn another_sessions_change_shows_on_the_panel_without_a_key() {
    let mut h = secretary(Lang::Zh);
    h.keys("7<Right><Right><Right>");
    let before = h.app.orglife.partners.len();
    // The committee admin adds a partner elsewhere: a notice arrives.
    let admin = dangjian::ops::actor_for_login(h.store(), "admin").unwrap();
    let done = dangjian::ops::apply(
        h.store(),
        &admin,
        &Command::CreatePartner {
            data: PartnerData {
                name: "街道社区卫生服务中心党支部".into(),
                kind: PartnerKind::Unit,
                contact: String::new(),
                phone: String::new(),
                linked_unit: None,
                agreed: None,
                notes: String::new(),
            },
        },
    )
    .unwrap();
    dangjian::tui::reload::reload(&h.session, &mut h.app, &done.touched, Origin::Other).unwrap();
    assert_eq!(h.app.orglife.partners.len(), before + 1);
    assert!(
        h.app
            .orglife
            .partners
            .iter()
            .any(|p| p.data.name == "街道社区卫生服务中心党支部")
    );
    assert!(h.screen().contains("街道社区卫生服"), "{}", h.screen());
}

#[test]
fn a_meeting_names_the_partners_it_was_held_with_and_their_count_follows() {
    let mut h = secretary(Lang::Zh);
    h.keys("7<Left><Left>");
    let joint = |h: &crate::harness::Harness, name: &str| {
        let p = h
            .app
            .orglife
            .partners
            .iter()
            .find(|p| p.data.name == name)
            .unwrap();
        h.app
            .orglife
            .joint
            .iter()
            .find(|j| j.partner == p.id)
            .map_or(0, |j| j.activities)
    };
    let before = joint(&h, "市第一人民医院党委");
    // On the meetings view: the first meeting, b, one more partner's name.
    h.keys("<Right><Right>g");
    let id = h.app.orglife.selected_meeting().unwrap().activity.id;
    let named = h
        .session
        .ask(dangjian::access::ActivityPartnersQ(id))
        .unwrap();
    h.keys("b");
    assert_eq!(context(&h.app), KeyContext::Form);
    let sep = if named.is_empty() { "" } else { "、" };
    h.keys(&format!("{sep}市第一人民医院党委<Enter>"));
    let now = h
        .session
        .ask(dangjian::access::ActivityPartnersQ(id))
        .unwrap();
    assert_eq!(now.len(), named.len() + 1, "{}", h.app.status);
    // A name that is no partner is refused, saying which ones there are.
    h.keys("b、没有这个单位<Enter>");
    assert_eq!(context(&h.app), KeyContext::Form);
    assert!(h.screen().contains("没有这个共建单位"), "{}", h.screen());
    h.keys("<Esc>y<Left><Left>");
    assert_eq!(joint(&h, "市第一人民医院党委"), before + 1);
}

#[test]
fn a_post_is_edited_and_retired_not_deleted() {
    let mut h = as_user("admin", Lang::Zh);
    h.keys("7<Left>g");
    let post = h.app.orglife.selected_post().unwrap().clone();
    h.keys("e<Tab>；每周巡查一次<Tab><Right><Enter>");
    let after = h
        .session
        .ask(PostsQ)
        .unwrap()
        .into_iter()
        .find(|p| p.id == post.id)
        .unwrap();
    assert_eq!(
        after.data.responsibilities,
        format!("{}；每周巡查一次", post.data.responsibilities),
        "{}",
        h.app.status
    );
    assert!(!after.data.active);
    // Retired posts go to the end of the list, marked.
    assert_eq!(h.app.orglife.posts.last().unwrap().id, post.id);
    assert!(h.screen().contains("已停用"));
}

/// Any activity, not only a meeting, names its partners: `b` on the
/// activities panel opens the same form.
#[test]
fn an_activity_on_the_activities_panel_names_its_partners() {
    let mut h = secretary(Lang::Zh);
    h.keys("5");
    let id = h
        .app
        .activities
        .selected()
        .expect("the demo has activities")
        .activity
        .id;
    let named = h
        .session
        .ask(dangjian::access::ActivityPartnersQ(id))
        .unwrap();
    h.keys("b");
    assert_eq!(context(&h.app), KeyContext::Form, "{}", h.screen());
    let sep = if named.is_empty() { "" } else { "、" };
    h.keys(&format!("{sep}市第一人民医院党委<Enter>"));
    let now = h
        .session
        .ask(dangjian::access::ActivityPartnersQ(id))
        .unwrap();
    assert_eq!(now.len(), named.len() + 1, "{}", h.app.status);
    assert_eq!(context(&h.app), KeyContext::Panel(Panel::Activities));
}
