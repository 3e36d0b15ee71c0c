use super::*;

fn entry(name: &str) -> FinderEntry {
    FinderEntry::new(&Member {
        id: MemberId(1),
        data: MemberData {
            name: name.into(),
            gender: None,
            birth_date: None,
            id_number: String::new(),
            phone: String::new(),
            address: Address::default(),
            unit: OrgUnitId(1),
            category: MemberCategory::Retired,
            home_unit: String::new(),
            reported: None,
            joined: None,
            full_member: None,
            skills: vec![],
            posts: vec![],
            status: MemberStatus::Active,
            notes: String::new(),
        },
    })
}

fn matches(names: &[&str], text: &str, first: &dyn Fn(usize) -> bool) -> Matches {
    let entries: Vec<FinderEntry> = names.iter().map(|n| entry(n)).collect();
    let pool: Vec<usize> = (0..names.len()).collect();
    let mut m = Matches::default();
    m.search(&entries, &pool, text, 8, first);
    m
}

#[test]
fn equal_top_scores_are_a_tie_and_a_clear_best_is_taken() {
    let m = matches(&["张三", "张顺", "李四"], "zs", &|_| true);
    assert_eq!(m.found(), Found::Tie(vec![0, 1]));
    let m = matches(&["张三", "张三丰"], "张三", &|_| true);
    assert_eq!(m.found(), Found::One(0));
    assert_eq!(matches(&["张三"], "xyz", &|_| true).found(), Found::Nothing);
}

#[test]
fn a_choice_by_hand_is_taken_even_in_a_tie() {
    let mut m = matches(&["张三", "张顺"], "zs", &|_| true);
    m.pick(1);
    assert_eq!(m.found(), Found::One(1));
    m.pick(-1);
    assert_eq!(m.found(), Found::One(0));
}

/// Those not yet checked in come first only among equal scores: the person
/// whose name was typed in full is on top even when already in, so Enter
/// gets the duplicate warning rather than checking in someone else.
#[test]
fn waiting_first_never_lifts_a_worse_match_above_a_better_one() {
    let waiting = |i: usize| i != 0;
    let m = matches(&["张三", "张三丰"], "张三", &waiting);
    assert_eq!(m.list, vec![0, 1]);
    assert_eq!(m.found(), Found::One(0));
    let m = matches(&["张三", "张顺"], "zs", &waiting);
    assert_eq!(m.list, vec![1, 0]);
    assert_eq!(m.found(), Found::Tie(vec![1, 0]));
}
