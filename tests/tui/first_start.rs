//! An office's first day in the TUI: on a store with no organisation the
//! committee admin is asked for the community committee at once, then brings
//! the roster they keep (所属支部 and 所属党小组, no 所属党委) under it; anyone
//! else is told who sets it up. And the users pop-up (`U`) where an admin
//! adds, changes and revokes who may use the store.

use crate::common::id_number;
use crate::harness::Harness;
use dangjian::access::UsersQ;
use dangjian::domain::*;
use dangjian::ops::{self, Command};
use dangjian::tui::Lang;

fn empty_store() -> (tempfile::TempDir, dangjian::store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::common::open(dir.path());
    (dir, store)
}

/// The office's roster: branch and group columns, no committee column.
fn roster(dir: &std::path::Path) -> String {
    let mut text = String::from("序号,姓名,身份证号,联系电话,所属支部,所属党小组\n");
    let rows = [
        ("张三", 1, "第一党支部", "1号楼党小组"),
        ("李四", 2, "第一党支部", "2号楼党小组"),
        ("王五", 3, "第二党支部", "5号楼党小组"),
    ];
    for (i, (name, seq, branch, group)) in rows.iter().enumerate() {
        let id = id_number("19700101", *seq);
        text.push_str(&format!(
            "{},{name},{id},1380013800{i},{branch},{group}\n",
            i + 1
        ));
    }
    let path = dir.join("花名册.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_new_office_sets_up_its_committee_then_imports_its_roster() {
    let (dir, store) = empty_store();
    let actor = ops::actor_for_login(&store, "admin").unwrap();
    let mut h = Harness::with(dir, store, actor, Lang::Zh);
    let screen = h.screen();
    assert!(screen.contains("建立社区党委"), "{screen}");
    insta::assert_snapshot!("first_start_zh", screen);
    h.keys("幸福里社区党委<Enter>");
    assert!(h.app.layers.is_empty(), "{}", h.screen());
    let units: Vec<OrgUnit> = h.store().scan::<OrgUnit>().map(Result::unwrap).collect();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].level, OrgLevel::Committee);
    assert_eq!(units[0].parent, None);
    assert_eq!(units[0].name, "幸福里社区党委");
    assert!(h.screen().contains("幸福里社区党委"), "{}", h.screen());

    let files = tempfile::tempdir().unwrap();
    let file = roster(files.path());
    h.keys("2I");
    h.keys(&file);
    // The preview, `c` to create the branches and groups the sheet names,
    // Enter to write.
    h.keys("<Enter>c<Enter>");
    assert!(h.app.layers.is_empty(), "{}", h.screen());
    assert_eq!(h.store().count_of::<Member>(), 3, "{}", h.app.status);
    let units: Vec<OrgUnit> = h.store().scan::<OrgUnit>().map(Result::unwrap).collect();
    let branches = units.iter().filter(|u| u.level == OrgLevel::Branch).count();
    let groups = units.iter().filter(|u| u.level == OrgLevel::Group).count();
    assert_eq!((branches, groups), (2, 3));
    assert!(h.app.members.iter().any(|r| &*r.name == "王五"));
    let report = dangjian::store::check(h.store()).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
}

#[test]
fn a_on_the_empty_tree_opens_the_committee_form_again_after_esc() {
    let (dir, store) = empty_store();
    let actor = ops::actor_for_login(&store, "admin").unwrap();
    let mut h = Harness::with(dir, store, actor, Lang::En);
    assert!(h.screen().contains("Set up the community party committee"));
    h.keys("<Esc>");
    assert!(h.app.layers.is_empty());
    h.keys("a");
    assert!(
        h.screen().contains("Set up the community party committee"),
        "{}",
        h.screen()
    );
}

#[test]
fn anyone_but_an_admin_is_told_who_sets_up_the_committee() {
    let (dir, store) = empty_store();
    let admin = ops::actor_for_login(&store, "admin").unwrap();
    ops::apply(
        &store,
        &admin,
        &Command::AddUser {
            login: "viewer".into(),
            display_name: "viewer".into(),
            role: Role::Viewer,
            scope: None,
        },
    )
    .unwrap();
    let viewer = ops::actor_for_login(&store, "viewer").unwrap();
    let mut h = Harness::with(dir, store, viewer, Lang::En);
    assert!(h.app.layers.is_empty());
    assert!(
        h.app.status.contains("the committee admin sets up"),
        "{}",
        h.app.status
    );
    h.keys("a");
    assert!(h.app.layers.is_empty());
    assert_eq!(h.store().count_of::<OrgUnit>(), 0);
}

#[test]
fn an_admin_adds_changes_and_revokes_users_in_the_users_pop_up() {
    let mut h = Harness::new(Lang::Zh);
    h.keys("1U");
    let screen = h.screen();
    assert!(screen.contains("用户"), "{screen}");
    assert!(screen.contains("admin"), "{screen}");
    // `a`: login, name, then the role list (default 小组长/网格员) and scope.
    h.keys("a");
    h.keys("wangxm<Tab>王小明<Tab><Right><Enter>");
    assert!(
        h.app.layers.len() == 1,
        "back on the users list: {}",
        h.screen()
    );
    let users = h.session.ask(UsersQ).unwrap();
    let wang = users.iter().find(|u| u.login == "wangxm").expect("added");
    assert_eq!(wang.display_name, "王小明");
    assert_eq!(wang.role, Role::Viewer, "→ from 小组长/网格员 is 只读");
    assert_eq!(wang.scope, None);
    assert!(wang.active);
    insta::assert_snapshot!("users_zh", h.screen());
    // To the new user, `r`, `y`: revoked.
    let at = users.iter().position(|u| u.login == "wangxm").unwrap();
    h.keys("g");
    for _ in 0..at {
        h.keys("j");
    }
    h.keys("ry");
    let users = h.session.ask(UsersQ).unwrap();
    assert!(!users.iter().find(|u| u.login == "wangxm").unwrap().active);
    assert!(h.screen().contains("已停用"), "{}", h.screen());
    // `e` as a secretary without a branch: the store's owner refuses, saying why.
    h.keys("e<Tab><Left><Left><Enter>");
    assert!(h.app.status.contains("范围"), "{}", h.app.status);
    let users = h.session.ask(UsersQ).unwrap();
    let wang = users.iter().find(|u| u.login == "wangxm").unwrap();
    assert_eq!(wang.role, Role::Viewer);
    // Back to 只读 and active again.
    h.keys("<Right><Right><Tab><Tab><Left><Enter>");
    let users = h.session.ask(UsersQ).unwrap();
    let wang = users.iter().find(|u| u.login == "wangxm").unwrap();
    assert!(wang.active, "{} {}", h.app.status, h.screen());
    assert_eq!(wang.role, Role::Viewer);
}

#[test]
fn users_are_for_admins_only() {
    let (dir, store, admin) = crate::harness::demo_store();
    ops::apply(
        &store,
        &admin,
        &Command::AddUser {
            login: "viewer".into(),
            display_name: "viewer".into(),
            role: Role::Viewer,
            scope: None,
        },
    )
    .unwrap();
    let viewer = ops::actor_for_login(&store, "viewer").unwrap();
    let mut h = Harness::with(dir, store, viewer, Lang::En);
    h.keys("1U");
    assert!(h.app.layers.is_empty());
    assert!(
        h.app.status.contains("Only a committee admin"),
        "{}",
        h.app.status
    );
}

/// Every panel and view, the roll, the evaluation's notice table, the
/// approval queue and the help open on a store that holds only its
/// committee, with no error on the status line, and Esc brings each back.
#[test]
fn every_panel_opens_without_an_error_on_a_store_with_only_its_committee() {
    let (dir, store) = empty_store();
    let actor = ops::actor_for_login(&store, "admin").unwrap();
    let mut h = Harness::with(dir, store, actor, Lang::Zh);
    h.keys("幸福里社区党委<Enter>");
    for keys in [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "7<Right>",
        "7<Right><Right>",
        "5r",
        "4vt",
        "4a",
        "7?",
    ] {
        h.keys(keys);
        for word in ["出错", "无法", "错误"] {
            assert!(!h.app.status.contains(word), "{keys}: {}", h.app.status);
        }
        h.keys("<Esc><Esc><Esc>");
    }
    assert!(h.app.layers.is_empty(), "{}", h.screen());
}
