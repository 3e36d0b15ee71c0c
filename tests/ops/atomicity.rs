use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{self, Command};

#[test]
fn a_refused_check_in_leaves_records_indexes_balances_and_audit_unchanged() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let orglife = f.rule("ORGLIFE");
    // Use up the ORGLIFE cap (24 a year at 2 each) so the award fails midway:
    // after the attendance is validated, inside the transaction.
    let d = today();
    for _ in 0..12 {
        f.admin_apply(Command::RecordPoints {
            member: m,
            date: d,
            rule: orglife.id,
            quantity_centi: 100,
            points_override: None,
            note: String::new(),
        })
        .unwrap();
    }
    let a = ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::GroupMeeting,
                title: "党小组会".into(),
                host: f.group_a1,
                starts: d.and_hms_opt(19, 0, 0).unwrap(),
                place: String::new(),
                rule: Some(orglife.id),
                invitees: f.group_a1,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    );
    let before = f.store.dump().unwrap();
    assert_refused(
        f.admin_apply(Command::CheckIn {
            activity: a,
            member: m,
        }),
        "cap reached",
    );
    assert_eq!(f.store.dump().unwrap(), before);
}

#[test]
fn a_batch_with_one_bad_command_writes_nothing_and_names_it() {
    let f = Fixture::new();
    let before = f.store.dump().unwrap();
    let cmds = vec![
        Command::CreateMember {
            data: member_data("张三", f.group_a1),
        },
        Command::CreateMember {
            data: member_data("", f.group_a1),
        },
    ];
    let err = ops::apply_batch(&f.store, &f.admin, &cmds).unwrap_err();
    assert!(
        err.to_string()
            .contains("command 1 of the batch (CreateMember)"),
        "{err}"
    );
    assert_eq!(f.store.dump().unwrap(), before);
}

#[test]
fn a_refused_command_does_not_use_up_an_id() {
    let f = Fixture::new();
    let first = f.member("张三", f.group_a1);
    let _ = f.admin_apply(Command::CreateMember {
        data: member_data("", f.group_a1),
    });
    let second = f.member("李四", f.group_a1);
    assert_eq!(second.0, first.0 + 1);
}
