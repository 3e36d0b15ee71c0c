use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, query};

fn activity(f: &Fixture, rule: Option<RuleId>) -> ActivityId {
    ActivityId(
        f.admin_apply(Command::CreateActivity {
            data: ActivityData {
                kind: ActivityKind::ThemePartyDay,
                title: "主题党日".into(),
                host: f.branch_a,
                starts: today().and_hms_opt(9, 30, 0).unwrap(),
                place: "党群服务中心".into(),
                rule,
                invitees: f.branch_a,
                notes: String::new(),
            },
        })
        .unwrap()
        .created
        .unwrap(),
    )
}

#[test]
fn check_in_awards_once_refuses_a_duplicate_and_undo_reverses() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let a = activity(&f, Some(f.rule("ORGLIFE").id));
    let applied = f
        .admin_apply(Command::CheckIn {
            activity: a,
            member: m,
        })
        .unwrap();
    assert_eq!(query::balance(&f.store, m).unwrap(), Points::whole(2));
    assert_refused(
        f.admin_apply(Command::CheckIn {
            activity: a,
            member: m,
        }),
        "already checked in",
    );
    assert_eq!(query::balance(&f.store, m).unwrap(), Points::whole(2));
    f.admin_apply(applied.inverse.unwrap()).unwrap();
    assert_eq!(query::balance(&f.store, m).unwrap(), Points::ZERO);
    assert_eq!(f.store.count_of::<dangjian::domain::Attendance>(), 0);
    f.assert_check_clean();
}

#[test]
fn mark_absent_and_refuse_a_check_in_over_it() {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    let a = activity(&f, None);
    f.admin_apply(Command::MarkAbsent {
        activity: a,
        member: m,
        reason: "出差".into(),
    })
    .unwrap();
    assert_refused(
        f.admin_apply(Command::CheckIn {
            activity: a,
            member: m,
        }),
        "marked absent",
    );
    assert_refused(
        f.admin_apply(Command::MarkAbsent {
            activity: a,
            member: m,
            reason: "x".into(),
        }),
        "already has attendance",
    );
    f.admin_apply(Command::RemoveAttendance {
        activity: a,
        member: m,
    })
    .unwrap();
    assert_refused(
        f.admin_apply(Command::RemoveAttendance {
            activity: a,
            member: m,
        }),
        "not found",
    );
}

#[test]
fn update_activity_and_refuse_an_unknown_host() {
    let f = Fixture::new();
    let a = activity(&f, None);
    let mut data = f.store.get_id::<Activity>(a.0).unwrap().unwrap().data;
    data.place = "社区会议室".into();
    f.admin_apply(Command::UpdateActivity {
        id: a,
        data: data.clone(),
    })
    .unwrap();
    assert_eq!(
        f.store.get_id::<Activity>(a.0).unwrap().unwrap().data.place,
        "社区会议室"
    );
    data.host = OrgUnitId(404);
    assert_refused(
        f.admin_apply(Command::CreateActivity { data }),
        "org unit 404",
    );
}
