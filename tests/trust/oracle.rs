//! The oracle import: a branch secretary, through the server, imports a file
//! of every candidate ID number of someone in another branch (the birth date
//! is known, the sequence is not). The answers say "registered elsewhere"
//! for the one that is taken, and nothing about whose it is.

use crate::common::id_number;
use crate::served::{BIN, served};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::process::Command;

#[test]
fn an_import_tells_a_secretary_nothing_about_members_elsewhere() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&[]);
    let files = tempfile::tempdir().unwrap();
    std::fs::set_permissions(files.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // The candidates: every sequence for that birth date (b1's is among them).
    let mut csv = String::from("姓名,身份证号,所属支部,所属党小组\n");
    for seq in 1..=300 {
        csv.push_str(&format!(
            "候选{seq},{},第一党支部,1号楼党小组\n",
            id_number("19700101", seq)
        ));
    }
    let file = files.path().join("candidates.csv");
    std::fs::write(&file, csv).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = Command::new(BIN)
        .arg("--store")
        .arg(s.store())
        .args(["import", "members", "--dry-run"])
        .arg(&file)
        .env("LANG", "C")
        .uid(s.secretary.uid)
        .gid(s.secretary.gid)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Sequences 11 and 12 are the secretary's own members (named, as they
    // may be); 13 is branch B's: registered elsewhere, and no more.
    let line = text
        .lines()
        .find(|l| l.contains("registered elsewhere"))
        .unwrap_or_else(|| panic!("no row was found taken elsewhere: {text}"));
    assert!(line.contains("row 14"), "{line}");
    for leak in [
        s.b1.name,
        s.b1.phone,
        s.b1.notes,
        &s.b1.id.0.to_string(),
        "乙一",
        "branch B",
        "第二党支部",
        "3号楼",
    ] {
        assert!(!line.contains(leak), "the refusal says {leak:?}: {line}");
    }
    assert!(text.contains(s.a1.name), "own members are named: {text}");
    assert!(
        !text.contains(s.b1.name) && !text.contains(s.b1.phone),
        "{text}"
    );
    // Only the one taken sequence is flagged: the others are free to add.
    assert_eq!(text.matches("registered elsewhere").count(), 1, "{text}");
}
