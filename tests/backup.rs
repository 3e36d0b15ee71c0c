//! Backups through the library, on real sled stores: a sealed backup restores
//! the same store and shows nothing of it in the file; a wrong passphrase, a
//! byte flipped in the header or in the middle, a cut file, a forged plaintext
//! backup (a viewer made committee admin, with a right CRC) and a backup
//! sealed with another passphrase are refused and leave nothing; plaintext
//! backups only when asked, and still refused when damaged; the passphrase
//! file; what a staged restore shows before it is placed.

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::io::backup::{self, BackupError, Passphrase, Sealing};
use dangjian::ops::{self, Command};
use dangjian::store::Store;
use std::path::{Path, PathBuf};

fn pass(text: &str) -> Sealing {
    Sealing::Passphrase(Passphrase::new(text.into()).unwrap())
}

/// A sample community big enough that its backup spans many of age's 64 KiB
/// chunks, with a viewer `mallory` and a branch secretary `wang`.
fn community() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("store"));
    let admin = ops::actor_for_login(&store, "admin").unwrap();
    let mut params = dangjian::demo::DemoParams::new(today());
    params.members = 120;
    params.entries = 600;
    dangjian::demo::generate(&store, &admin, &params, &mut |_| {}).unwrap();
    let branch = ops::query::org_units(&store)
        .unwrap()
        .into_iter()
        .find(|u| u.level == OrgLevel::Branch)
        .unwrap();
    for (login, role, scope) in [
        ("mallory", Role::Viewer, None),
        ("wang", Role::BranchSecretary, Some(branch.id)),
    ] {
        let cmd = Command::AddUser {
            login: login.into(),
            display_name: String::new(),
            role,
            scope,
        };
        ops::apply(&store, &admin, &cmd).unwrap();
    }
    (dir, store)
}

/// Restores `bytes` (as a file) into a new directory and asserts that
/// nothing but the file is left beside it; the error.
fn refused(bytes: &[u8], sealing: &Sealing) -> BackupError {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.djbak");
    std::fs::write(&bad, bytes).unwrap();
    let err = backup::restore(&bad, &dir.path().join("restored"), sealing).unwrap_err();
    assert_eq!(listing(dir.path()), vec!["bad.djbak".to_string()]);
    err
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sealed_backup(store: &Store, dir: &Path, passphrase: &str) -> (PathBuf, Vec<u8>) {
    let file = dir.join("sealed.djbak");
    backup::write(backup::Source::Files(store), &file, &pass(passphrase)).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    (file, bytes)
}

#[test]
fn a_sealed_backup_restores_the_same_store_and_shows_nothing_of_it() {
    let (dir, store) = community();
    let file = dir.path().join("sealed.djbak");
    let info = backup::write(backup::Source::Files(&store), &file, &pass("correct horse")).unwrap();
    assert_eq!(info.entries as usize, store.dump().unwrap().len());
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
    assert!(
        bytes.len() as u64 > info.bytes,
        "sealed is the plaintext and more"
    );
    let member = store.scan::<Member>().next().unwrap().unwrap();
    for secret in [
        member.data.id_number.as_bytes(),
        member.data.name.as_bytes(),
        b"mallory".as_slice(),
        b"DJBACKUP".as_slice(),
    ] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "the sealed file shows {:?}",
            String::from_utf8_lossy(secret)
        );
    }
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(backup::kind_of(&file).unwrap(), backup::FileKind::Sealed);

    let new = dir.path().join("restored");
    let restored_info = backup::restore(&file, &new, &pass("correct horse")).unwrap();
    assert_eq!(restored_info.entries, info.entries);
    let restored = open(&new);
    assert_eq!(restored.dump().unwrap(), store.dump().unwrap());
    let report = dangjian::store::check(&restored).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    // A store that holds data is never a restore target.
    drop(restored);
    let err = backup::restore(&file, &new, &pass("correct horse")).unwrap_err();
    assert!(err.to_string().contains("already holds data"), "{err}");
}

use std::os::unix::fs::PermissionsExt;

#[test]
fn a_byte_flipped_in_a_sealed_backup_anywhere_is_refused_and_leaves_nothing() {
    let (dir, store) = community();
    let (_, whole) = sealed_backup(&store, dir.path(), "correct horse");
    assert!(whole.len() > 4 * 65536, "only {} bytes", whole.len());
    let header_end = whole.windows(4).position(|w| w == b"--- ").unwrap();
    // In the header: the stanza's type, its salt, and the header's MAC.
    for at in [30, 36, header_end + 6] {
        let mut edited = whole.clone();
        edited[at] ^= 0x01;
        let err = refused(&edited, &pass("correct horse"));
        assert!(
            matches!(err, BackupError::Unauthenticated { .. }),
            "byte {at}: {err}"
        );
        assert!(err.to_string().contains("nothing was restored"), "{err}");
    }
    // A salt or MAC character made one that is not base64 at all.
    for at in [36, header_end + 6] {
        let mut edited = whole.clone();
        edited[at] = b'@';
        let err = refused(&edited, &pass("correct horse"));
        assert!(
            matches!(err, BackupError::Unauthenticated { .. }),
            "byte {at}: {err}"
        );
    }
    // In the payload: the middle, so chunks before it were already loaded
    // into the staged store, and the very last byte.
    for at in [whole.len() / 2, whole.len() - 1] {
        let mut edited = whole.clone();
        edited[at] ^= 0x01;
        let err = refused(&edited, &pass("correct horse"));
        assert!(
            matches!(err, BackupError::Tampered { .. }),
            "byte {at}: {err}"
        );
        assert!(
            err.to_string().contains("was changed after it was sealed"),
            "{err}"
        );
    }
}

#[test]
fn a_wrong_passphrase_or_a_cut_sealed_backup_is_refused_and_leaves_nothing() {
    let (dir, store) = community();
    let (_, whole) = sealed_backup(&store, dir.path(), "correct horse");
    let err = refused(&whole, &pass("correct horse!"));
    assert!(
        err.to_string()
            .contains("cannot be opened with this passphrase"),
        "{err}"
    );
    // Cut at a chunk boundary, inside a chunk, inside the header.
    for cut in [
        whole.len() - 1,
        whole.len() - 65536 - 16,
        whole.len() / 2,
        40,
    ] {
        let err = refused(&whole[..cut], &pass("correct horse"));
        assert!(
            matches!(
                err,
                BackupError::Truncated { .. }
                    | BackupError::Tampered { .. }
                    | BackupError::Unauthenticated { .. }
            ),
            "cut at {cut}: {err}"
        );
    }
}

#[test]
fn a_forged_plaintext_backup_or_one_sealed_with_another_passphrase_is_refused() {
    let (dir, store) = community();
    // The forger has a plaintext backup and dangjian itself: they restore it,
    // make the viewer `mallory` committee admin, and write it out again, so
    // every CRC and count is right.
    let plain = dir.path().join("plain.djbak");
    backup::write(backup::Source::Files(&store), &plain, &Sealing::Unencrypted).unwrap();
    let workshop = dir.path().join("workshop");
    backup::restore(&plain, &workshop, &Sealing::Unencrypted).unwrap();
    let forged_store = open(&workshop);
    let admin = ops::actor_for_login(&forged_store, "admin").unwrap();
    let cmd = Command::UpdateUser {
        login: "mallory".into(),
        display_name: String::new(),
        role: Role::CommitteeAdmin,
        scope: None,
        active: true,
    };
    ops::apply(&forged_store, &admin, &cmd).unwrap();
    let forged = dir.path().join("forged.djbak");
    backup::write(
        backup::Source::Files(&forged_store),
        &forged,
        &Sealing::Unencrypted,
    )
    .unwrap();
    let (_, forged_sealed) = sealed_backup(&forged_store, dir.path(), "the forger's own");
    drop(forged_store);

    // The forgery is a well-made backup: only the seal tells it apart.
    let check = tempfile::tempdir().unwrap();
    let staged = backup::stage(&forged, &check.path().join("s"), &Sealing::Unencrypted).unwrap();
    let mallory = staged
        .preview()
        .unwrap()
        .users
        .into_iter()
        .find(|u| u.login == "mallory")
        .unwrap();
    assert_eq!(mallory.role, Role::CommitteeAdmin);
    drop(staged);
    assert_eq!(listing(check.path()), Vec::<String>::new());

    // Passed to restore as a sealed backup would be (no --unencrypted): refused.
    let err = refused(&std::fs::read(&forged).unwrap(), &pass("correct horse"));
    assert!(matches!(err, BackupError::NotSealed { .. }), "{err}");
    assert!(err.to_string().contains("--unencrypted"), "{err}");
    // Sealed, but with another passphrase than the community's: refused.
    let err = refused(&forged_sealed, &pass("correct horse"));
    assert!(matches!(err, BackupError::Unauthenticated { .. }), "{err}");
    // And a sealed backup is not taken for a plain one either.
    let err = refused(&forged_sealed, &Sealing::Unencrypted);
    assert!(matches!(err, BackupError::SealedNotPlain { .. }), "{err}");
}

#[test]
fn a_plaintext_backup_restores_only_as_such_and_is_refused_when_damaged() {
    let (dir, store) = community();
    let file = dir.path().join("plain.djbak");
    backup::write(backup::Source::Files(&store), &file, &Sealing::Unencrypted).unwrap();
    assert_eq!(backup::kind_of(&file).unwrap(), backup::FileKind::Plain);
    let new = dir.path().join("restored");
    backup::restore(&file, &new, &Sealing::Unencrypted).unwrap();
    assert_eq!(open(&new).dump().unwrap(), store.dump().unwrap());

    let whole = std::fs::read(&file).unwrap();
    for cut in [whole.len() - 1, whole.len() / 2, 30, 5] {
        let msg = refused(&whole[..cut], &Sealing::Unencrypted).to_string();
        assert!(
            msg.contains("is truncated") || msg.contains("is not a dangjian backup"),
            "cut at {cut}: {msg}"
        );
    }
    for at in [whole.len() / 3, whole.len() / 2, whole.len() - 6] {
        let mut damaged = whole.clone();
        damaged[at] ^= 0x40;
        let msg = refused(&damaged, &Sealing::Unencrypted).to_string();
        assert!(
            msg.contains("is damaged") || msg.contains("is truncated"),
            "byte {at}: {msg}"
        );
    }
    let mut extra = whole.clone();
    extra.push(0);
    assert!(
        refused(&extra, &Sealing::Unencrypted)
            .to_string()
            .contains("is damaged")
    );
    let zip = b"PK\x03\x04 a zip, not a backup";
    assert!(
        refused(zip, &Sealing::Unencrypted)
            .to_string()
            .contains("is not a dangjian backup")
    );
}

#[test]
fn the_passphrase_file_gives_its_first_line_without_the_line_ending() {
    let f = Fixture::new();
    let dir = f.dir.path();
    let file = dir.join("sealed.djbak");
    backup::write(
        backup::Source::Files(&f.store),
        &file,
        &pass("correct horse"),
    )
    .unwrap();
    let written = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    for (i, text) in [
        "correct horse\n",
        "correct horse\r\nsecond line\n",
        "correct horse",
    ]
    .iter()
    .enumerate()
    {
        let p = Passphrase::from_file(&written("pass", text)).unwrap();
        let new = dir.join(format!("restored{i}"));
        backup::restore(&file, &new, &Sealing::Passphrase(p)).unwrap();
        assert!(new.join("db").exists(), "{text:?}");
    }
    // Spaces are part of it.
    let p = Passphrase::from_file(&written("pass", "correct horse \n")).unwrap();
    let err = refused(&std::fs::read(&file).unwrap(), &Sealing::Passphrase(p));
    assert!(matches!(err, BackupError::Unauthenticated { .. }), "{err}");
    // An empty first line, an empty file, no file: refused.
    for text in ["\nsecond line\n", "", "\r\n"] {
        let err = Passphrase::from_file(&written("pass", text)).unwrap_err();
        assert!(
            matches!(err, BackupError::EmptyPassphraseFile { .. }),
            "{text:?}: {err}"
        );
        assert!(err.to_string().contains("is empty"), "{err}");
    }
    let err = Passphrase::from_file(&dir.join("no such file")).unwrap_err();
    assert!(
        err.to_string().contains("cannot read the passphrase file"),
        "{err}"
    );
    assert!(matches!(
        Passphrase::new(String::new()),
        Err(BackupError::EmptyPassphrase)
    ));
}

#[test]
fn a_staged_restore_shows_counts_and_users_and_dropped_leaves_nothing() {
    let (dir, store) = community();
    let (file, _) = sealed_backup(&store, dir.path(), "correct horse");
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path().join("new");
    let staged = backup::stage(&file, &target, &pass("correct horse")).unwrap();
    let preview = staged.preview().unwrap();
    let count = |en: &str| {
        preview
            .counts
            .iter()
            .find(|(name, _, _)| *name == en)
            .unwrap()
            .2
    };
    assert_eq!(
        count("members"),
        store.count_of::<dangjian::domain::Member>() as u64
    );
    assert_eq!(
        count("ledger entries"),
        store.count_of::<dangjian::domain::PointsEntry>() as u64
    );
    assert_eq!(
        count("users"),
        store.count_of::<dangjian::domain::User>() as u64
    );
    let lines = preview.lines(false).join("\n");
    assert!(
        lines.contains("mallory (viewer, whole community)"),
        "{lines}"
    );
    assert!(lines.contains("wang (branch-secretary, "), "{lines}");
    assert!(
        lines.contains("admin (committee-admin, whole community)"),
        "{lines}"
    );
    let zh = preview.lines(true).join("\n");
    assert!(zh.contains("党员 "), "{zh}");
    // Nothing is at the target until it is placed; dropped, nothing at all.
    assert!(!target.exists());
    drop(staged);
    assert_eq!(listing(target_dir.path()), Vec::<String>::new());
    // Placed, it is the store.
    let staged = backup::stage(&file, &target, &pass("correct horse")).unwrap();
    staged.place().unwrap();
    assert_eq!(listing(target_dir.path()), vec!["new".to_string()]);
    assert_eq!(open(&target).dump().unwrap(), store.dump().unwrap());
}
