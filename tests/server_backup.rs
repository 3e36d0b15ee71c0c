//! `dangjian backup` and `dangjian export` while `dangjian serve` owns the
//! store: the server streams the plaintext backup to a committee admin, and
//! the client seals and writes it. What arrives is what a local backup holds
//! (byte for byte but the time it was written), restores the same store, and
//! leaves the connection in step; anyone else is refused by the server
//! itself, not only by the client. An export streams its rows the same way:
//! what a local export writes, cut to the asker's sight by the server.
//! Identity comes from the socket, so each test makes the OS user running it
//! a dangjian user with the role it needs. Waits read what the server prints.

mod common;

use common::*;
use dangjian::access::{MembersQ, Session, WhoAmIQ};
use dangjian::domain::*;
use dangjian::io::backup::{self, Passphrase, Sealing};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_dangjian");

fn os_login() -> String {
    dangjian::identity::os_login().unwrap()
}

/// A running `dangjian serve`, killed if the test ends with it up.
struct Server {
    child: Child,
    store: PathBuf,
    _stderr: BufReader<std::process::ChildStderr>,
}

impl Server {
    fn start(store: &Path) -> Server {
        let mut child = Command::new(BIN)
            .arg("--store")
            .arg(store)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        stderr.read_line(&mut first).unwrap();
        assert!(first.contains("serving"), "the server said: {first}");
        Server {
            child,
            store: store.to_path_buf(),
            _stderr: stderr,
        }
    }

    fn connect(&self) -> Session {
        Session::connect(&self.store)
            .unwrap()
            .expect("the server answers")
    }

    fn terminate(mut self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        assert!(self.child.wait().unwrap().success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn client(store: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A plaintext backup with its write time (header bytes 18..26) and the
/// CRC, which sums it (the last four bytes), blanked.
fn timeless(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"DJBACKUP"));
    bytes[18..26].fill(0);
    let n = bytes.len();
    bytes[n - 4..].fill(0);
    bytes
}

/// Asserts two backups are the same but for when they were written.
fn assert_same_backup(a: &Path, b: &Path) {
    let (a, b) = (timeless(a), timeless(b));
    let first = a.iter().zip(&b).position(|(x, y)| x != y);
    assert!(
        a == b,
        "{} and {} bytes, first difference at {first:?}",
        a.len(),
        b.len()
    );
}

/// A store founded by `founder` with members and a points history, closed.
fn community(founder: &str, os_user_role: Option<(Role, bool)>) -> Fixture {
    let f = Fixture::new_as(founder);
    let rule = f.rule("ERRAND").id;
    for i in 0..40 {
        let mut m = member_data(&format!("成员{i}"), f.group_a1);
        m.id_number = id_number("19700506", i);
        let id = MemberId(
            f.admin_apply(dangjian::ops::Command::CreateMember { data: m })
                .unwrap()
                .created
                .unwrap(),
        );
        f.admin_apply(dangjian::ops::Command::RecordPoints {
            member: id,
            date: today(),
            rule,
            quantity_centi: 100,
            points_override: None,
            note: String::new(),
        })
        .unwrap();
    }
    if let Some((role, scoped)) = os_user_role {
        f.user(&os_login(), role, scoped.then_some(f.branch_a));
    }
    f
}

#[test]
fn a_backup_through_a_running_server_is_a_local_backup() {
    let f = community(&os_login(), None);
    let files = tempfile::tempdir().unwrap();
    let local = files.path().join("local.djbak");
    backup::write(
        backup::Source::Files(&f.store),
        &local,
        &Sealing::Unencrypted,
    )
    .unwrap();
    let dump = f.store.dump().unwrap();
    let Fixture { dir, store, .. } = f;
    drop(store);
    let server = Server::start(dir.path());

    // The binary: sealed, and in the clear.
    let pass = files.path().join("pass");
    std::fs::write(&pass, "correct horse\n").unwrap();
    let sealed = files.path().join("served.djbak");
    let out = client(
        dir.path(),
        &[
            "backup",
            sealed.to_str().unwrap(),
            "--passphrase-file",
            pass.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("sealed with a passphrase"),
        "{}",
        text(&out)
    );
    let plain = files.path().join("served-plain.djbak");
    let out = client(
        dir.path(),
        &["backup", plain.to_str().unwrap(), "--unencrypted"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_same_backup(&plain, &local);

    // The library, on a connection that goes on answering afterwards.
    let remote = server.connect();
    let by_lib = files.path().join("lib.djbak");
    let info = backup::write(
        backup::Source::Server(remote.remote().unwrap()),
        &by_lib,
        &Sealing::Unencrypted,
    )
    .unwrap();
    assert_same_backup(&by_lib, &local);
    assert_eq!(info.entries as usize, dump.len());
    assert_eq!(info.bytes, std::fs::metadata(&by_lib).unwrap().len());
    assert_eq!(info.schema, dangjian::store::SCHEMA_VERSION);
    let members = remote
        .ask(MembersQ {
            unit: None,
            after: None,
            limit: 1000,
        })
        .unwrap();
    assert_eq!(
        members.len(),
        40,
        "the connection answers on after the backup"
    );
    drop(remote);
    server.terminate();

    // The sealed one restores the same store.
    let new = files.path().join("restored");
    let sealing = Sealing::Passphrase(Passphrase::from_file(&pass).unwrap());
    backup::restore(&sealed, &new, &sealing).unwrap();
    assert_eq!(open(&new).dump().unwrap(), dump);
}

#[test]
fn a_backup_through_the_server_is_refused_for_anyone_but_a_committee_admin() {
    for (role, scoped) in [(Role::Viewer, false), (Role::BranchSecretary, true)] {
        let f = community("boss", Some((role, scoped)));
        let Fixture { dir, store, .. } = f;
        drop(store);
        let server = Server::start(dir.path());
        let files = tempfile::tempdir().unwrap();
        let file = files.path().join("b.djbak");

        let out = client(
            dir.path(),
            &["backup", file.to_str().unwrap(), "--unencrypted"],
        );
        assert_eq!(out.status.code(), Some(1), "{role:?}");
        assert!(
            text(&out).contains("only a committee admin"),
            "{}",
            text(&out)
        );

        // Asked directly, past the client's own check: the server refuses.
        let remote = server.connect();
        let err = backup::write(
            backup::Source::Server(remote.remote().unwrap()),
            &file,
            &Sealing::Unencrypted,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("the dangjian server says: only a committee admin may back up"),
            "{role:?}: {msg}"
        );
        assert!(msg.contains("只有党委管理员可以备份"), "{msg}");
        let left: Vec<_> = std::fs::read_dir(files.path()).unwrap().collect();
        assert!(left.is_empty(), "{role:?}: {left:?}");
        // The connection is still in step.
        assert_eq!(remote.ask(WhoAmIQ).unwrap().role, role);
        drop(remote);
        server.terminate();
    }
}

/// The cells of an export workbook's first sheet, as text.
fn xlsx_cells(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn a_served_export_streams_what_a_local_export_writes_and_the_server_cuts_it_to_sight() {
    use dangjian::access::{AuditQ, ExportQ, View};
    use dangjian::io::export::{ExportKind, FileFormat};
    // The OS user is the secretary of branch A; one member lives in branch B.
    let f = community("boss", Some((Role::BranchSecretary, true)));
    let mut far = member_data("乙支部的人", f.group_b1);
    far.phone = "13900009999".into();
    f.admin_apply(dangjian::ops::Command::CreateMember { data: far })
        .unwrap();
    let me = dangjian::ops::actor_for_login(&f.store, &os_login()).unwrap();
    let branch_b = f.branch_b;
    let files = tempfile::tempdir().unwrap();
    let q = |kind, unmasked| ExportQ {
        kind,
        org: None,
        unmasked,
        zh: false,
    };
    let exports = [
        (ExportKind::Members, false, FileFormat::Csv, "members.csv"),
        (ExportKind::Members, true, FileFormat::Xlsx, "members.xlsx"),
        (ExportKind::Ledger, false, FileFormat::Csv, "ledger.csv"),
        (ExportKind::Ledger, false, FileFormat::Xlsx, "ledger.xlsx"),
    ];
    let view = View::new(&f.store, &me).unwrap();
    let mut local_rows = Vec::new();
    for (kind, unmasked, format, name) in exports {
        let path = files.path().join(format!("local-{name}"));
        local_rows.push(q(kind, unmasked).write_here(&view, format, &path).unwrap());
    }
    drop(view);
    let Fixture { dir, store, .. } = f;
    drop(store);
    let server = Server::start(dir.path());
    let remote = server.connect();
    let reveals = |s: &Session| {
        s.ask(AuditQ {
            since: None,
            login: None,
            tail: None,
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.command == "RecordReveal")
        .count()
    };
    let revealed = reveals(&remote);

    for ((kind, unmasked, format, name), local) in exports.into_iter().zip(local_rows) {
        let path = files.path().join(format!("served-{name}"));
        let rows = remote.export(q(kind, unmasked), format, &path).unwrap();
        assert_eq!(rows, local, "{name}");
        let here = files.path().join(format!("local-{name}"));
        match format {
            FileFormat::Csv => {
                assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&here).unwrap());
            }
            _ => assert_eq!(xlsx_cells(&path), xlsx_cells(&here), "{name}"),
        }
        let text = match format {
            FileFormat::Csv => std::fs::read_to_string(&path).unwrap(),
            _ => format!("{:?}", xlsx_cells(&path)),
        };
        assert!(text.contains("成员1"), "{name}");
        assert!(
            !text.contains("乙支部的人"),
            "{name}: branch B left the server"
        );
        assert!(!text.contains("13900009999"), "{name}");
    }
    assert_eq!(
        reveals(&remote),
        revealed + 1,
        "the unmasked export is in the audit log"
    );

    // Another branch's rows: refused by the server, in both languages, said
    // before any file is opened (even into a folder that does not exist),
    // and the connection still in step.
    let path = files.path().join("no-such-folder").join("b.csv");
    let refused = remote
        .export(
            ExportQ {
                kind: ExportKind::Members,
                org: Some(branch_b),
                unmasked: false,
                zh: false,
            },
            FileFormat::Csv,
            &path,
        )
        .unwrap_err();
    // As if it were not there: the unit is not in this user's sight.
    let said = refused.in_lang(false);
    assert!(said.contains(&format!("org unit {}", branch_b.0)), "{said}");
    assert_ne!(refused.in_lang(true), said, "said in Chinese too");
    assert!(!path.exists());
    assert_eq!(remote.ask(WhoAmIQ).unwrap().role, Role::BranchSecretary);
    drop(remote);
    server.terminate();
}

/// A server from before streamed exports, as far as an export needs one: it
/// answers who one is and a whole-table export, and refuses the frame of a
/// streamed export it cannot read (then closes, as every server does).
fn old_server(socket: &Path, table: dangjian::io::export::Table) -> std::thread::JoinHandle<()> {
    use dangjian::access::{Read, ReadError};
    use dangjian::store::wire::{self, Request, Response};
    std::fs::create_dir_all(socket.parent().unwrap()).unwrap();
    let listener = std::os::unix::net::UnixListener::bind(socket).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(2) {
            let mut conn = conn.unwrap();
            while let Ok(req) = wire::read_frame::<Request>(&mut conn) {
                let reply = match req {
                    Request::Hello => Response::Welcome {
                        client: 1,
                        login: os_login(),
                    },
                    Request::Read(bytes) => match wire::decode_value::<Read>(&bytes).unwrap() {
                        Read::WhoAmI(_) => {
                            let me = dangjian::ops::Actor::founder(&os_login());
                            Response::Read(wire::encode_answer(&Ok::<_, ReadError>(me)).unwrap())
                        }
                        Read::Export(_) => Response::Read(
                            wire::encode_answer(&Ok::<_, ReadError>(table.clone())).unwrap(),
                        ),
                        other => panic!("not asked of an old server here: {other:?}"),
                    },
                    Request::Export(_) => {
                        let refused = format!("{}: unknown variant", wire::REFUSED_FRAME);
                        let _ = wire::write_frame(&mut conn, &Response::Error(refused));
                        break;
                    }
                    _ => Response::Staying,
                };
                if wire::write_frame(&mut conn, &reply).is_err() {
                    break;
                }
            }
        }
    })
}

#[test]
fn a_server_from_before_streamed_exports_answers_with_the_whole_table() {
    use dangjian::access::{ExportQ, View};
    use dangjian::io::export::{ExportKind, ExportOptions, FileFormat};
    let f = community(&os_login(), None);
    let me = dangjian::ops::actor_for_login(&f.store, &os_login()).unwrap();
    let options = ExportOptions {
        kind: ExportKind::Members,
        org: None,
        unmasked: false,
        zh: false,
    };
    let table = dangjian::io::export::table(&f.store, &me, &options).unwrap();
    let q = ExportQ {
        kind: ExportKind::Members,
        org: None,
        unmasked: false,
        zh: false,
    };
    let files = tempfile::tempdir().unwrap();
    let local = files.path().join("local.csv");
    q.clone()
        .write_here(&View::new(&f.store, &me).unwrap(), FileFormat::Csv, &local)
        .unwrap();
    let Fixture { dir, store, .. } = f;
    drop(store);
    let old = old_server(&dangjian::store::socket_path(dir.path()), table);
    let session = Session::connect(dir.path()).unwrap().unwrap();
    let served = files.path().join("served.csv");
    let rows = session.export(q, FileFormat::Csv, &served).unwrap();
    assert_eq!(rows, 40);
    assert_eq!(
        std::fs::read(&served).unwrap(),
        std::fs::read(&local).unwrap()
    );
    drop(session);
    old.join().unwrap();
}
