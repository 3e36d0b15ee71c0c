use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::Command;

#[test]
fn a_group_leader_records_points_in_their_group_only() {
    let f = Fixture::new();
    let mine = f.member("张三", f.group_a1);
    let theirs = f.member("李四", f.group_a2);
    let leader = f.user("lijun", Role::GroupLeader, Some(f.group_a1));
    let vol = f.rule("VOL").id;
    let cmd = |member| Command::RecordPoints {
        member,
        date: today(),
        rule: vol,
        quantity_centi: 100,
        points_override: None,
        note: String::new(),
    };
    f.apply_as(&leader, cmd(mine)).unwrap();
    // A member of another group is not there for them: the refusal is word
    // for word the one for a member who does not exist.
    let outside = f.apply_as(&leader, cmd(theirs)).unwrap_err();
    let missing = f.apply_as(&leader, cmd(MemberId(999_999))).unwrap_err();
    assert_eq!(
        outside.to_string().replace(&theirs.to_string(), "N"),
        missing.to_string().replace("999999", "N")
    );
    assert!(outside.to_string().contains("not found"), "{outside}");
}

#[test]
fn a_group_leader_cannot_edit_members_even_in_their_group() {
    let f = Fixture::new();
    let mine = f.member("张三", f.group_a1);
    let leader = f.user("lijun", Role::GroupLeader, Some(f.group_a1));
    assert_refused(
        f.apply_as(
            &leader,
            Command::UpdateMember {
                id: mine,
                data: member_data("张三丰", f.group_a1),
            },
        ),
        "not allowed",
    );
}

#[test]
fn a_branch_secretary_manages_their_branch_only() {
    let f = Fixture::new();
    let secretary = f.user("wangfang", Role::BranchSecretary, Some(f.branch_a));
    f.apply_as(
        &secretary,
        Command::CreateMember {
            data: member_data("张三", f.group_a2),
        },
    )
    .unwrap();
    assert_refused(
        f.apply_as(
            &secretary,
            Command::CreateMember {
                data: member_data("李四", f.group_b1),
            },
        ),
        "outside",
    );
    // Moving a group out of the branch needs the other branch too.
    assert_refused(
        f.apply_as(
            &secretary,
            Command::MoveOrgUnit {
                id: f.group_a2,
                parent: f.branch_b,
            },
        ),
        "outside",
    );
    // Rules are the committee's.
    assert_refused(
        f.apply_as(
            &secretary,
            Command::CreateReward {
                name: "x".into(),
                cost: Points::whole(1),
                stock: None,
            },
        ),
        "only a committee admin",
    );
}

#[test]
fn a_viewer_cannot_write_anything() {
    let f = Fixture::new();
    let viewer = f.user("guest", Role::Viewer, None);
    let audit_before = f.store.count_of::<dangjian::domain::AuditEntry>();
    assert_refused(
        f.apply_as(
            &viewer,
            Command::CreateMember {
                data: member_data("张三", f.group_a1),
            },
        ),
        "is a viewer",
    );
    assert_eq!(f.store.count_of::<dangjian::domain::Member>(), 0);
    assert_eq!(
        f.store.count_of::<dangjian::domain::AuditEntry>(),
        audit_before
    );
}

#[test]
fn refusals_come_in_both_languages() {
    let f = Fixture::new();
    let viewer = f.user("guest", Role::Viewer, None);
    let err = f
        .apply_as(
            &viewer,
            Command::CreateMember {
                data: member_data("张三", f.group_a1),
            },
        )
        .unwrap_err();
    assert!(err.in_lang(false).contains("is a viewer"));
    assert!(
        err.in_lang(true).contains("只读用户"),
        "{}",
        err.in_lang(true)
    );
    let err = f
        .admin_apply(Command::CreateMember {
            data: MemberData {
                phone: "12345".into(),
                ..member_data("李四", f.group_a1)
            },
        })
        .unwrap_err();
    assert!(
        err.in_lang(true).starts_with("电话："),
        "{}",
        err.in_lang(true)
    );
    let err = f
        .admin_apply(Command::CloseOrgUnit {
            id: f.committee,
            date: today(),
        })
        .unwrap_err();
    assert_eq!(err.in_lang(true), "社区党委不能撤销");
}
