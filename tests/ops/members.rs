use crate::common::*;
use dangjian::domain::*;
use dangjian::ops::{Command, query};

#[test]
fn create_member_is_found_by_unit_and_by_pinyin() {
    let f = Fixture::new();
    let id = f.member("张三", f.group_a1);
    let in_unit = query::members_of_unit(&f.store, f.group_a1).unwrap();
    assert_eq!(in_unit.iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
    for q in ["zs", "zhangsan", "张三", "zhang"] {
        let found = query::find_members(&f.store, &f.admin, q, 10).unwrap();
        assert_eq!(found.first().map(|m| m.id), Some(id), "query {q}");
    }
    f.assert_check_clean();
}

#[test]
fn create_member_refuses_bad_id_number_and_phone() {
    let f = Fixture::new();
    let mut data = member_data("李四", f.group_a1);
    let good = id_number("19700506", 1);
    let wrong = if good.ends_with('1') { '2' } else { '1' };
    data.id_number = format!("{}{wrong}", &good[..17]);
    assert_refused(
        f.admin_apply(Command::CreateMember { data: data.clone() }),
        "ID number",
    );
    data.id_number = String::new();
    data.phone = "1380013800".into();
    assert_refused(f.admin_apply(Command::CreateMember { data }), "phone");
    assert_eq!(f.store.count_of::<dangjian::domain::Member>(), 0);
}

#[test]
fn create_member_refuses_a_duplicate_id_number() {
    let f = Fixture::new();
    let mut data = member_data("王五", f.group_a1);
    data.id_number = id_number("19700506", 123);
    f.admin_apply(Command::CreateMember { data: data.clone() })
        .unwrap();
    data.name = "王六".into();
    assert_refused(
        f.admin_apply(Command::CreateMember { data }),
        "already belongs",
    );
}

#[test]
fn create_member_refuses_the_committee_as_unit_and_future_dates() {
    let f = Fixture::new();
    assert_refused(
        f.admin_apply(Command::CreateMember {
            data: member_data("赵七", f.committee),
        }),
        "not the committee",
    );
    let mut data = member_data("赵七", f.group_a1);
    data.joined = Some((today() + chrono::Duration::days(3)).into());
    data.full_member = None;
    assert_refused(f.admin_apply(Command::CreateMember { data }), "join date");
}

#[test]
fn update_member_moves_indexes_and_inverse_restores() {
    let f = Fixture::new();
    let id = f.member("张三", f.group_a1);
    let mut data = member_data("单伟", f.group_a2);
    data.phone = "13912345678".into();
    let applied = f.admin_apply(Command::UpdateMember { id, data }).unwrap();
    assert!(
        query::members_of_unit(&f.store, f.group_a1)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        query::members_of_unit(&f.store, f.group_a2).unwrap().len(),
        1
    );
    assert!(
        query::find_members(&f.store, &f.admin, "zs", 10)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        query::find_members(&f.store, &f.admin, "shanwei", 10)
            .unwrap()
            .len(),
        1
    );
    f.assert_check_clean();
    f.admin_apply(applied.inverse.unwrap()).unwrap();
    let m = query::member(&f.store, id).unwrap().unwrap();
    assert_eq!(m.data.name, "张三");
    assert_eq!(m.data.phone, "13800138000");
    assert_eq!(
        query::find_members(&f.store, &f.admin, "zs", 10)
            .unwrap()
            .len(),
        1
    );
    f.assert_check_clean();
}

#[test]
fn update_member_refuses_an_unknown_member() {
    let f = Fixture::new();
    assert_refused(
        f.admin_apply(Command::UpdateMember {
            id: MemberId(77),
            data: member_data("张三", f.group_a1),
        }),
        "member 77",
    );
}

#[test]
fn set_member_status_never_deletes() {
    let f = Fixture::new();
    let id = f.member("张三", f.group_a1);
    f.admin_apply(Command::SetMemberStatus {
        id,
        status: MemberStatus::Deceased,
    })
    .unwrap();
    let m = query::member(&f.store, id).unwrap().unwrap();
    assert_eq!(m.data.status, MemberStatus::Deceased);
    assert_eq!(f.store.count_of::<dangjian::domain::Member>(), 1);
    assert_refused(
        f.admin_apply(Command::SetMemberStatus {
            id,
            status: MemberStatus::Deceased,
        }),
        "already has that status",
    );
}

#[test]
fn notes_keep_chinese_punctuation_and_addresses_take_full_width_digits() {
    let f = Fixture::new();
    let mut data = member_data("张三", f.group_a1);
    data.notes = "  行动不便，需上门（周三）  ".into();
    data.address.building = "３".into();
    data.address.room = "５０１".into();
    let id = MemberId(
        f.admin_apply(Command::CreateMember { data })
            .unwrap()
            .created
            .unwrap(),
    );
    let m = query::member(&f.store, id).unwrap().unwrap();
    assert_eq!(m.data.notes, "行动不便，需上门（周三）");
    assert_eq!(m.data.address.short(), "3-2-501");
}
