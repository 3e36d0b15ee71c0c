use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{self, Command};

#[test]
fn the_creator_of_a_store_is_its_committee_admin() {
    let f = Fixture::new();
    assert_eq!(f.admin.role, Role::CommitteeAdmin);
    assert_eq!(f.admin.scope, None);
    let users = ops::query::users(&f.store).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].login, "admin");
}

#[test]
fn add_user_with_scope_and_refusals() {
    let f = Fixture::new();
    let leader = f.user("lijun", Role::GroupLeader, Some(f.group_a1));
    assert_eq!(leader.scope, Some(f.group_a1));
    assert_refused(
        f.admin_apply(Command::AddUser {
            login: "lijun".into(),
            display_name: String::new(),
            role: Role::Viewer,
            scope: None,
        }),
        "already a dangjian user",
    );
    assert_refused(
        f.admin_apply(Command::AddUser {
            login: "wang".into(),
            display_name: String::new(),
            role: Role::BranchSecretary,
            scope: Some(f.group_a1),
        }),
        "must be a party branch",
    );
    assert_refused(
        f.admin_apply(Command::AddUser {
            login: "bad login".into(),
            display_name: String::new(),
            role: Role::Viewer,
            scope: None,
        }),
        "not an OS login",
    );
}

#[test]
fn unknown_and_deactivated_logins_get_no_actor() {
    let f = Fixture::new();
    assert!(ops::actor_for_login(&f.store, "stranger").is_err());
    f.user("zhao", Role::Viewer, None);
    f.admin_apply(Command::UpdateUser {
        login: "zhao".into(),
        display_name: "赵".into(),
        role: Role::Viewer,
        scope: None,
        active: false,
    })
    .unwrap();
    let err = ops::actor_for_login(&f.store, "zhao").unwrap_err();
    assert!(err.to_string().contains("deactivated"));
}

#[test]
fn an_admin_cannot_demote_themselves() {
    let f = Fixture::new();
    assert_refused(
        f.admin_apply(Command::UpdateUser {
            login: "admin".into(),
            display_name: String::new(),
            role: Role::Viewer,
            scope: None,
            active: true,
        }),
        "cannot demote",
    );
}
