//! The store on disk: persistence across reopen, typed errors for corrupt or
//! unknown bytes, file modes, schema versions, and `check` catching damage.

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::store::{Store, StoreConfig, StoreError};
use std::os::unix::fs::PermissionsExt;

/// A member's key in `members` (ids are u64 big-endian).
fn be(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

fn fixture_with_data() -> (Fixture, MemberId) {
    let f = Fixture::new();
    let m = f.member("张三", f.group_a1);
    f.admin_apply(Command::RecordPoints {
        member: m,
        date: today(),
        rule: f.rule("VOL").id,
        quantity_centi: 200,
        points_override: None,
        note: "清扫楼道".into(),
    })
    .unwrap();
    (f, m)
}

#[test]
fn reopen_persists_everything() {
    let (f, _) = fixture_with_data();
    let before = f.store.dump().unwrap();
    let Fixture { dir, store, .. } = f;
    drop(store);
    let reopened = open(dir.path());
    assert_eq!(reopened.dump().unwrap(), before);
}

#[test]
fn an_unknown_format_version_is_a_typed_error_naming_tree_and_key() {
    let (f, m) = fixture_with_data();
    let mut bytes = f
        .store
        .dump()
        .unwrap()
        .into_iter()
        .find(|(t, k, _)| *t == "members" && k.as_slice() == be(m.0))
        .unwrap()
        .2;
    bytes[0] = 9;
    f.store.raw_put("members", &be(m.0), &bytes).unwrap();
    match f.store.get_id::<Member>(m.0) {
        Err(StoreError::Corrupt { tree, key, reason }) => {
            assert_eq!(tree, "members");
            assert_eq!(key, "0000000000000001");
            assert!(reason.contains("unknown format version 9"), "{reason}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    let report = dangjian::store::check(&f.store).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.en.contains("unknown format version 9"))
    );
}

#[test]
fn flipped_bytes_are_a_typed_error_not_a_panic() {
    let (f, m) = fixture_with_data();
    let original = f.store.dump().unwrap();
    let bytes = &original
        .iter()
        .find(|(t, k, _)| *t == "members" && k.as_slice() == be(m.0))
        .unwrap()
        .2;
    let mut flipped = bytes.clone();
    for b in flipped.iter_mut().skip(1) {
        *b ^= 0xFF;
    }
    f.store.raw_put("members", &be(m.0), &flipped).unwrap();
    assert!(matches!(
        f.store.get_id::<Member>(m.0),
        Err(StoreError::Corrupt {
            tree: "members",
            ..
        })
    ));
    // Truncated bytes too.
    f.store
        .raw_put("members", &be(m.0), &bytes[..bytes.len() / 2])
        .unwrap();
    assert!(matches!(
        f.store.get_id::<Member>(m.0),
        Err(StoreError::Corrupt {
            tree: "members",
            ..
        })
    ));
    // And an empty value.
    f.store.raw_put("members", &be(m.0), &[]).unwrap();
    assert!(matches!(
        f.store.get_id::<Member>(m.0),
        Err(StoreError::Corrupt {
            tree: "members",
            ..
        })
    ));
}

#[test]
fn check_finds_a_missing_index_entry_an_extra_one_and_a_wrong_balance() {
    let (f, m) = fixture_with_data();
    f.assert_check_clean();
    let mut key = be(f.group_a1.0).to_vec();
    key.extend(be(m.0));
    f.store.raw_remove("ix_member_unit", &key).unwrap();
    f.store.raw_put("ix_task_due", b"bogus-key", &[1]).unwrap();
    f.store.raw_put_number("bal_member", &be(m.0), 1).unwrap();
    let report = dangjian::store::check(&f.store).unwrap();
    let all = report
        .problems
        .iter()
        .map(|p| p.en.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("`ix_member_unit` is missing key"), "{all}");
    assert!(all.contains("`ix_task_due` has key bogus-key"), "{all}");
    assert!(all.contains("`bal_member` at key"), "{all}");
    assert_eq!(report.problems.len(), 3, "{all}");
}

#[test]
fn store_directory_is_0700_and_its_files_0600() {
    let (f, _) = fixture_with_data();
    f.store.sync().unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(f.dir.path()), 0o700);
    for entry in std::fs::read_dir(f.dir.path()).unwrap() {
        let p = entry.unwrap().path();
        let expected = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&p), expected, "{}", p.display());
    }
}

#[test]
fn a_new_store_records_the_schema_version_and_a_newer_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        assert_eq!(
            store.schema_version().unwrap(),
            Some(dangjian::store::SCHEMA_VERSION)
        );
        store.raw_put_number("meta", b"schema", 99).unwrap();
        store.sync().unwrap();
    }
    match Store::open(dir.path(), &StoreConfig::default()) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn a_second_open_in_use_is_refused_with_the_in_use_error() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    let second = Store::open(dir.path(), &StoreConfig::default());
    let err = second.unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)));
    assert!(
        err.to_string()
            .contains("this store is open in another dangjian process")
    );
}

#[test]
fn a_store_written_with_the_old_member_shape_opens_and_reads_right() {
    let f = common::Fixture::new();
    let id = f.member("张三", f.group_a1);
    let now: Member = f.store.get_id(id.0).unwrap().unwrap();
    // Joined and full membership are whole days, as format version 1 held them.
    assert!(now.data.joined.is_some_and(|d| d.day().is_some()));
    assert!(now.data.full_member.is_some_and(|d| d.day().is_some()));
    let version = |store: &Store| {
        store
            .dump()
            .unwrap()
            .into_iter()
            .find(|(t, k, _)| *t == "members" && k.as_slice() == be(id.0))
            .unwrap()
            .2[0]
    };
    f.store.raw_put_member_v1(&now).unwrap();
    assert_eq!(version(&f.store), 1);
    f.store.raw_put_number("meta", b"schema", 3).unwrap();
    f.store.sync().unwrap();
    let common::Fixture { dir, store, .. } = f;
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store.schema_version().unwrap(),
        Some(dangjian::store::SCHEMA_VERSION)
    );
    let read: Member = store.get_id(id.0).unwrap().unwrap();
    assert_eq!(
        read, now,
        "the migrated member differs from the one written"
    );
    assert_eq!(version(&store), 2);
    assert!(dangjian::store::check(&store).unwrap().is_clean());
}

#[test]
fn a_version_5_store_loses_its_per_rule_month_totals_and_stays_clean() {
    let f = common::Fixture::new();
    let m = f.member("张三", f.group_a1);
    f.admin_apply(dangjian::ops::Command::RecordPoints {
        member: m,
        date: common::today(),
        rule: f.rule("VOL").id,
        quantity_centi: 300,
        points_override: None,
        note: String::new(),
    })
    .unwrap();
    // What a version-5 dangjian kept beside the entry: its per-rule month
    // total, and an `ix_ledger_member` value of the version byte alone.
    f.store
        .raw_put_old_tree("bal_member_rule", b"old-key", &[1, 0, 0, 0, 0, 0, 0, 1, 44])
        .unwrap();
    let index = common::raw_keys(&f.store, "ix_ledger_member");
    assert_eq!(index.len(), 1);
    f.store
        .raw_put("ix_ledger_member", &index[0], &[1])
        .unwrap();
    assert!(!dangjian::store::check(&f.store).unwrap().is_clean());
    f.store.raw_put_number("meta", b"schema", 5).unwrap();
    f.store.sync().unwrap();
    assert!(
        f.store
            .raw_tree_names()
            .iter()
            .any(|n| n == "bal_member_rule")
    );
    let common::Fixture { dir, store, .. } = f;
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.schema_version().unwrap(), Some(6));
    assert!(
        !store
            .raw_tree_names()
            .iter()
            .any(|n| n == "bal_member_rule"),
        "{:?}",
        store.raw_tree_names()
    );
    assert!(dangjian::store::check(&store).unwrap().is_clean());
}

/// `check` compares a tree entry by entry only when its digest differs: every
/// derived tree, damaged one way or another, must still be named for exactly
/// what is wrong with it, and be clean again once repaired.
#[test]
fn check_names_a_missing_or_changed_entry_in_every_derived_tree() {
    let (f, _) = fixture_with_data();
    f.assert_check_clean();
    let clean = dangjian::store::check(&f.store).unwrap();
    let derived: Vec<_> = f
        .store
        .dump()
        .unwrap()
        .into_iter()
        .filter(|(t, _, _)| ["ix_", "bal_", "cnt_"].iter().any(|p| t.starts_with(p)))
        .collect();
    let mut trees: Vec<&str> = derived.iter().map(|(t, _, _)| *t).collect();
    trees.dedup();
    for must in [
        "ix_member_unit",
        "ix_ledger_member",
        "bal_member_month",
        "cnt_month_served",
    ] {
        assert!(trees.contains(&must), "{must} not in {trees:?}");
    }
    let problems = |f: &Fixture| {
        dangjian::store::check(&f.store)
            .unwrap()
            .problems
            .into_iter()
            .map(|p| p.en)
            .collect::<Vec<_>>()
    };
    for tree in trees {
        let (_, key, value) = derived.iter().find(|(t, _, _)| *t == tree).unwrap();
        f.store.raw_remove(tree, key).unwrap();
        let said = problems(&f);
        assert_eq!(said.len(), 1, "{tree}: {said:?}");
        assert!(
            said[0].starts_with(&format!("`{tree}` is missing key")),
            "{said:?}"
        );

        // A value no record gives: a zero total, or bytes that are no number.
        if tree.starts_with("ix_") {
            f.store.raw_put(tree, key, b"garbage").unwrap();
        } else {
            f.store.raw_put_number(tree, key, 0).unwrap();
        }
        let said = problems(&f);
        assert_eq!(said.len(), 1, "{tree}: {said:?}");
        assert!(
            said[0].contains("stored value differs from the records"),
            "{said:?}"
        );

        f.store.raw_put(tree, key, value).unwrap();
        let again = dangjian::store::check(&f.store).unwrap();
        assert_eq!(again, clean, "{tree} repaired");
    }
}
