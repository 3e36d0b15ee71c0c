//! A client that speaks the socket protocol itself and filters nothing, run
//! as another OS user: this test binary started again under that user's uid
//! (`trust_child`, ignored in the normal run), reporting every frame it was
//! sent, byte for byte, so the test can search them for what must not be
//! there.

use crate::osuser::OsUser;
use dangjian::access::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use dangjian::ops::remote::OpRequest;
use dangjian::report::period::Period;
use dangjian::store::wire::{self, Request};
use std::io::{BufRead, BufReader, Read as _, Write};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};

/// Starts this binary's `trust_child` as `user` in `mode`.
pub fn as_user(user: &OsUser, mode: &str, socket: &Path, env: &[(&str, String)]) -> Child {
    Process::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "trust_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("DJ_TRUST_MODE", mode)
        .env("DJ_TRUST_SOCKET", socket)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .uid(user.uid)
        .gid(user.gid)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// The frames a child reported (`F <hex>` lines), and its other lines.
pub struct Report {
    pub frames: Vec<Vec<u8>>,
    pub lines: Vec<String>,
}

impl Report {
    /// Every byte the server sent, end to end.
    pub fn bytes(&self) -> Vec<u8> {
        self.frames.concat()
    }

    pub fn contains(&self, text: &str) -> bool {
        let all = self.bytes();
        let needle = text.as_bytes();
        all.windows(needle.len()).any(|w| w == needle)
    }
}

/// Reads a child's report to its end and waits for it.
pub fn report(child: &mut Child) -> Report {
    let out = BufReader::new(child.stdout.take().unwrap());
    let mut r = Report {
        frames: Vec::new(),
        lines: Vec::new(),
    };
    for line in out.lines().map_while(Result::ok) {
        match line.strip_prefix("F ") {
            Some(hex) => r.frames.push(unhex(hex)),
            None => r.lines.push(line),
        }
    }
    assert!(
        child.wait().unwrap().success(),
        "the child failed: {:?}",
        r.lines
    );
    r
}

/// Reads a child's lines until one starts with `prefix`; returns it.
pub fn wait_line(lines: &mut impl Iterator<Item = String>, prefix: &str) -> String {
    for line in lines.by_ref() {
        if line.starts_with(prefix) {
            return line;
        }
    }
    panic!("the child ended before saying {prefix}");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// One whole frame as it came, or `None` when the server closed.
fn raw_frame(s: &mut UnixStream) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len).ok()?;
    let mut body = vec![0u8; u32::from_be_bytes(len) as usize];
    s.read_exact(&mut body).ok()?;
    Some(body)
}

/// A line to the parent; one that stopped listening has what it wanted.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The child's side; returns at once when this process is not a child.
pub fn child() {
    let Ok(mode) = std::env::var("DJ_TRUST_MODE") else {
        return;
    };
    let socket = std::env::var("DJ_TRUST_SOCKET").unwrap();
    // The harness printed "test … " without a newline.
    say("");
    match mode.as_str() {
        "everything" => everything(Path::new(&socket)),
        "flood" => flood(Path::new(&socket)),
        "subscribe" => subscribe(Path::new(&socket)),
        "revoked" => revoked(Path::new(&socket)),
        other => panic!("no mode {other}"),
    }
    say("END");
}

fn var(name: &str) -> u64 {
    std::env::var(name).unwrap().parse().unwrap()
}

/// Every question and command this client can think of, about every id up
/// to `DJ_MAX_ID` and every unit, each on the wire as the protocol has it.
fn requests() -> Vec<Request> {
    let max = var("DJ_MAX_ID");
    let ids: Vec<String> = std::env::var("DJ_IDS")
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let year = Period::year(2026).unwrap();
    let read = |r: Read| Request::Read(wire::encode_value(&r).unwrap());
    let op = |o: OpRequest| Request::Op(wire::encode_value(&o).unwrap());
    let mut out = vec![
        Request::Hello,
        read(WhoAmIQ.into()),
        read(OrgUnitsQ.into()),
        read(VisibleUnitsQ.into()),
        read(RulesQ.into()),
        read(RewardsQ.into()),
        read(PartnersQ.into()),
        read(UsersQ.into()),
        read(SummaryQ.into()),
        read(CheckQ.into()),
        read(BalancesQ.into()),
        read(
            RosterQ {
                after: None,
                limit: u32::MAX,
            }
            .into(),
        ),
        read(
            RosterQ {
                after: Some(MemberId(1)),
                limit: 2,
            }
            .into(),
        ),
        read(ActivitiesQ.into()),
        read(
            AuditQ {
                since: None,
                login: None,
                tail: None,
            }
            .into(),
        ),
        read(MatchIdNumbersQ(ids.clone()).into()),
        read(IdlePairedQ { today }.into()),
        read(PostsQ.into()),
        read(SearchMinutesQ(String::new()).into()),
        op(OpRequest::WhoAmI),
    ];
    let units: Vec<Option<OrgUnitId>> = std::iter::once(None)
        .chain((1..=12).map(|u| Some(OrgUnitId(u))))
        .collect();
    for org in units {
        out.push(read(
            MembersQ {
                unit: org,
                after: None,
                limit: 1000,
            }
            .into(),
        ));
        out.push(read(BeneficiariesQ { unit: org }.into()));
        out.push(read(VisitsQ { today, org }.into()));
        out.push(read(
            TasksQ {
                today,
                overdue_only: false,
                org,
            }
            .into(),
        ));
        out.push(read(
            RankingQ {
                org,
                period: year.clone(),
                limit: None,
            }
            .into(),
        ));
        out.push(read(
            BalanceRowsQ {
                org,
                period: year.clone(),
            }
            .into(),
        ));
        out.push(read(
            AttendanceReportQ {
                org,
                from: year.from,
                to: year.to,
            }
            .into(),
        ));
        for q in [
            Read::from(OverviewQ {
                org,
                period: year.clone(),
                today,
            }),
            Read::from(ActivationQ {
                org,
                period: year.clone(),
                today,
            }),
            Read::from(CoverageQ { org }),
            Read::from(WorkloadQ { org, today }),
            Read::from(MonthlyQ {
                org,
                period: year.clone(),
                top: None,
                today,
            }),
            Read::from(JournalQ { org }),
            Read::from(OrgLifeQ {
                org,
                period: year.clone(),
                today,
            }),
            Read::from(OrgLifeFigureQ {
                org,
                period: year.clone(),
                today,
            }),
            Read::from(ChangesQ {
                org,
                period: year.clone(),
            }),
            Read::from(FlowsQ {
                org,
                on: today,
                all: true,
            }),
            Read::from(LostContactQ { org, on: today }),
            Read::from(JointQ {
                org,
                period: year.clone(),
            }),
            Read::from(PostHoldersQ {
                post: "政策宣传岗".into(),
                org,
            }),
            Read::from(EvaluationQ { org, year: 2026 }),
            Read::from(NoticeQ {
                org,
                period: Period::month(2026, 6).unwrap(),
            }),
            Read::from(MeetingsQ {
                org,
                period: year.clone(),
            }),
        ] {
            out.push(read(q));
        }
        for kind in [
            dangjian::io::export::ExportKind::Members,
            dangjian::io::export::ExportKind::Beneficiaries,
            dangjian::io::export::ExportKind::Ledger,
            dangjian::io::export::ExportKind::Tasks,
            dangjian::io::export::ExportKind::Attendance,
            dangjian::io::export::ExportKind::Org,
            dangjian::io::export::ExportKind::Pairings,
        ] {
            for unmasked in [false, true] {
                let q = ExportQ {
                    kind,
                    org,
                    unmasked,
                    zh: true,
                };
                // Whole, and streamed as the server reads it.
                out.push(Request::Export(wire::encode_value(&q).unwrap()));
                out.push(read(q.into()));
            }
        }
    }
    for text in ["", "甲", "乙", "成员", "jy", "yy", "y", "0001", "0003"] {
        out.push(read(
            FindMembersQ {
                text: text.into(),
                limit: 100,
            }
            .into(),
        ));
        out.push(read(ResolveMemberQ(text.into()).into()));
    }
    for id in 1..=max {
        out.push(read(MemberQ(MemberId(id)).into()));
        out.push(read(ResolveMemberQ(id.to_string()).into()));
        out.push(read(BalanceQ(MemberId(id)).into()));
        out.push(read(StatementQ(MemberId(id)).into()));
        out.push(read(
            MonthlyEarnedQ {
                member: MemberId(id),
                today,
                months: 12,
            }
            .into(),
        ));
        out.push(read(EntryQ(EntryId(id)).into()));
        out.push(read(TaskQ(TaskId(id)).into()));
        out.push(read(ActivityQ(ActivityId(id)).into()));
        out.push(read(AttendanceQ(ActivityId(id)).into()));
        out.push(read(MovementQ(MemberId(id)).into()));
        out.push(read(MinutesQ(ActivityId(id)).into()));
        out.push(read(TermsQ(OrgUnitId(id)).into()));
        out.push(read(ActivityPartnersQ(ActivityId(id)).into()));
        out.push(read(BeneficiaryTasksQ(BeneficiaryId(id)).into()));
        out.push(read(BeneficiaryPairingsQ(BeneficiaryId(id)).into()));
        out.push(read(
            SuggestQ {
                beneficiary: BeneficiaryId(id),
                limit: 50,
            }
            .into(),
        ));
        // Commands naming what may lie outside: their refusals say nothing.
        for cmd in [
            Command::RecordPoints {
                member: MemberId(id),
                date: today,
                rule: RuleId(1),
                quantity_centi: 100,
                points_override: None,
                note: String::new(),
            },
            Command::RecordReveal {
                what: dangjian::ops::Reveal::Member(MemberId(id)),
            },
            Command::ReversePoints {
                entry: EntryId(id),
                reason: "x".into(),
            },
            Command::CancelTask { id: TaskId(id) },
            Command::EndPairing {
                id: PairingId(id),
                until: today,
                reason: String::new(),
            },
        ] {
            out.push(op(OpRequest::Apply {
                cmds: vec![cmd],
                batch: false,
            }));
        }
    }
    // An ID number already registered, given for a new member of every unit.
    for unit in 1..=12 {
        for number in &ids {
            let mut data = crate::common::member_data("新人", OrgUnitId(unit));
            data.id_number = number.clone();
            out.push(op(OpRequest::Apply {
                cmds: vec![Command::CreateMember { data }],
                batch: false,
            }));
        }
    }
    out
}

/// Asks everything; reports every frame. A closed connection is opened again.
fn everything(socket: &Path) {
    let mut conn: Option<UnixStream> = None;
    for req in requests() {
        let s = match &mut conn {
            Some(s) => s,
            None => match UnixStream::connect(socket) {
                Ok(s) => conn.insert(s),
                Err(e) => {
                    say(&format!("connect failed: {e}"));
                    continue;
                }
            },
        };
        if wire::write_frame(s, &req).is_err() {
            conn = None;
            continue;
        }
        if matches!(req, Request::Export(_)) {
            // Every frame of the stream, to its end.
            loop {
                match wire::read_frame::<wire::Response>(s) {
                    Ok(wire::Response::Chunk(bytes)) => say(&format!("F {}", hex(&bytes))),
                    Ok(other) => {
                        say(&format!("F {}", hex(&wire::encode_value(&other).unwrap())));
                        break;
                    }
                    Err(_) => {
                        conn = None;
                        break;
                    }
                }
            }
            continue;
        }
        match raw_frame(s) {
            Some(frame) => say(&format!("F {}", hex(&frame))),
            None => conn = None,
        }
    }
}

/// Opens `DJ_FLOOD` connections (saying hello on each when `DJ_HELLO` is 1)
/// and holds every one the server keeps until told to let go on stdin.
fn flood(socket: &Path) {
    let n = var("DJ_FLOOD");
    let hello = var("DJ_HELLO") == 1;
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..n {
        let Ok(mut s) = UnixStream::connect(socket) else {
            refused += 1;
            continue;
        };
        if hello && wire::write_frame(&mut s, &Request::Hello).is_err() {
            refused += 1;
            continue;
        }
        match wire::read_frame::<wire::Response>(&mut s) {
            Ok(wire::Response::Welcome { .. }) => held.push(s),
            _ => refused += 1,
        }
    }
    say(&format!("held {} refused {refused}", held.len()));
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(held);
}

/// Subscribes, says so, and reports every notice until one touches member
/// `DJ_SENTINEL`.
fn subscribe(socket: &Path) {
    let sentinel = MemberId(var("DJ_SENTINEL"));
    let mut s = UnixStream::connect(socket).unwrap();
    wire::write_frame(&mut s, &Request::Subscribe).unwrap();
    raw_frame(&mut s).unwrap();
    say("subscribed");
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    while let Some(frame) = raw_frame(&mut s) {
        say(&format!("F {}", hex(&frame)));
        let resp: wire::Response = wire::decode_value(&frame[1..]).unwrap();
        if let wire::Response::Notice(bytes) = resp {
            let n: dangjian::ops::remote::Notice = wire::decode_value(&bytes).unwrap();
            if n.touched.members.contains(&sentinel) {
                return;
            }
        }
    }
    say("no sentinel came");
}

/// Asks once, says ready, waits for a line, asks again: the second answer is
/// reported (and whether the connection was closed after it).
fn revoked(socket: &Path) {
    let mut s = UnixStream::connect(socket).unwrap();
    let ask = Request::Read(wire::encode_value(&Read::from(WhoAmIQ)).unwrap());
    wire::write_frame(&mut s, &ask).unwrap();
    raw_frame(&mut s).unwrap();
    say("ready");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    if wire::write_frame(&mut s, &ask).is_err() {
        say("closed");
        return;
    }
    match raw_frame(&mut s) {
        Some(frame) => say(&format!("F {}", hex(&frame))),
        None => say("closed"),
    }
    if raw_frame(&mut s).is_none() {
        say("closed");
    }
}
