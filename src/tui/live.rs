//! What feeds the one run loop: a channel of `Msg`s, into which one thread
//! reads the terminal, one forwards the server's change notices (when the
//! store is reached through its server) and the background overview sends
//! what it computed. The loop (`super::run_loop`) takes one message at a
//! time, so the screen, the tests and the benchmark all run the same code.

use super::panels::overview::OverviewKey;
use crate::access::{ReadError, Session};
use crate::ops::remote::Notice;
use crate::report::overview::Overview;
use crossterm::event::Event;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

/// One thing for the loop to handle. An overview arrives a few times a
/// session, keys many times a second: the channel's slots are the size of the
/// largest message, which costs nothing worth boxing the overview for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    /// A key, a resize, … from the terminal.
    Term(Event),
    /// The terminal could not be read: the loop ends with this error.
    TermFailed(std::io::Error),
    /// Change notices that arrived together; `own_client` is this session's
    /// connection, whose changes are already on screen.
    Notices {
        notices: Vec<Notice>,
        own_client: u64,
    },
    /// The server went away: no more notices.
    FeedLost(crate::store::StoreError),
    /// An overview computed in the background.
    Overview(OverviewKey, Result<Overview, ReadError>),
    /// The background computation has finished: nothing more is coming.
    OverviewDone,
    /// The roster, read in the background a page at a time.
    Roster(Result<RosterPage, ReadError>),
}

/// What the background roster reader sends: pages of rows, then word that
/// the roster is whole.
#[derive(Debug)]
pub enum RosterPage {
    Rows(Vec<(super::app::MemberRow, crate::domain::finder::FinderEntry)>),
    Whole,
}

/// How long the notice thread waits before looking whether it is still wanted.
const WAKE: Duration = Duration::from_secs(1);

/// Starts the threads that read the terminal: one reads raw bytes and
/// decodes them itself (`super::input`: Esc and the next key in one read stay
/// two keys), one turns SIGWINCH into resize events (crossterm's reader,
/// which did both, is no longer used). Both are left to end with the process:
/// the reader sits in a blocking read that nothing can interrupt.
pub fn read_terminal(tx: Sender<Msg>) {
    let resize = tx.clone();
    std::thread::spawn(move || {
        if let Err(e) = read_keys(&tx) {
            let _ = tx.send(Msg::TermFailed(e));
        }
    });
    std::thread::spawn(move || watch_resize(&resize));
}

/// Reads the terminal's bytes until it fails or nobody listens. After a read
/// that ends inside a sequence (a lone ESC, half an arrow), it waits up to
/// `ESCAPE_TIME` for more before taking the bytes as they are.
fn read_keys(tx: &Sender<Msg>) -> std::io::Result<()> {
    use std::os::fd::AsFd;
    let mut tty = terminal_input()?;
    let mut decoder = super::input::Decoder::new();
    let mut buf = [0u8; 4096];
    let send = |events: Vec<Event>| events.into_iter().all(|ev| tx.send(Msg::Term(ev)).is_ok());
    loop {
        let n = read_some(&mut tty, &mut buf)?;
        if !send(decoder.feed(&buf[..n])) {
            return Ok(());
        }
        while decoder.pending() {
            let mut fds = [nix::poll::PollFd::new(
                tty.as_fd(),
                nix::poll::PollFlags::POLLIN,
            )];
            let wait = super::input::ESCAPE_TIME.as_millis() as u16;
            let ready = match nix::poll::poll(&mut fds, wait) {
                Ok(n) => n > 0,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            };
            let events = if ready {
                let n = read_some(&mut tty, &mut buf)?;
                decoder.feed(&buf[..n])
            } else {
                decoder.flush()
            };
            if !send(events) {
                return Ok(());
            }
        }
    }
}

/// One read of at least a byte; a closed terminal is an error that ends the loop.
fn read_some(tty: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    loop {
        match tty.read(buf) {
            Ok(0) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the terminal closed",
                ));
            }
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The terminal's input, unbuffered (a buffer would hide bytes from `poll`):
/// stdin when it is the terminal, else `/dev/tty`, as crossterm chooses.
fn terminal_input() -> std::io::Result<std::fs::File> {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        Ok(std::fs::File::from(stdin.as_fd().try_clone_to_owned()?))
    } else {
        std::fs::File::open("/dev/tty")
    }
}

/// Each SIGWINCH becomes a resize with the terminal's new size.
fn watch_resize(tx: &Sender<Msg>) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])
    else {
        return;
    };
    for _ in signals.forever() {
        if let Ok((w, h)) = crossterm::terminal::size()
            && tx.send(Msg::Term(Event::Resize(w, h))).is_err()
        {
            return;
        }
    }
}

/// The next message for the loop: `first`, with every notice queued behind
/// it when it is notices (the loop was busy meanwhile, an import was heard a
/// row at a time): handled together, what they touched is read once. The
/// first other message found is kept in `held` for the next turn.
pub fn gathered(first: Msg, rx: &Receiver<Msg>, held: &mut Option<Msg>) -> Msg {
    let Msg::Notices {
        mut notices,
        own_client,
    } = first
    else {
        return first;
    };
    while held.is_none() {
        match rx.try_recv() {
            Ok(Msg::Notices { notices: more, .. }) => notices.extend(more),
            Ok(other) => *held = Some(other),
            Err(_) => break,
        }
    }
    Msg::Notices {
        notices,
        own_client,
    }
}

/// Subscribes to the server's change notices when the store is remote, and
/// forwards them until the server or the loop goes. A feed that cannot be
/// had is said on the returned error; the TUI works on without it.
pub fn subscribe(s: &Session, tx: Sender<Msg>) -> Result<(), String> {
    let mut feed = match s.subscribe() {
        Ok(Some(feed)) => feed,
        Ok(None) => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    let own_client = feed.own_client;
    std::thread::spawn(move || {
        while !feed.lost() {
            let msg = match feed.wait(WAKE) {
                Ok(Some(first)) => {
                    let mut notices = vec![first];
                    match feed.pending() {
                        Ok(more) => notices.extend(more),
                        Err(e) => {
                            let _ = tx.send(Msg::Notices {
                                notices,
                                own_client,
                            });
                            let _ = tx.send(Msg::FeedLost(e));
                            return;
                        }
                    }
                    Msg::Notices {
                        notices,
                        own_client,
                    }
                }
                Ok(None) => continue,
                Err(e) => Msg::FeedLost(e),
            };
            let lost = matches!(msg, Msg::FeedLost(_));
            if tx.send(msg).is_err() || lost {
                return;
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notices(clients: &[u64]) -> Msg {
        Msg::Notices {
            notices: clients
                .iter()
                .map(|&client| Notice {
                    client,
                    login: None,
                    at: chrono::Utc::now(),
                    touched: Default::default(),
                })
                .collect(),
            own_client: 1,
        }
    }

    fn clients(msg: &Msg) -> Vec<u64> {
        match msg {
            Msg::Notices { notices, .. } => notices.iter().map(|n| n.client).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn notices_queued_together_are_handled_together_and_the_next_message_waits_its_turn() {
        let (tx, rx) = std::sync::mpsc::channel();
        for msg in [
            notices(&[3]),
            notices(&[4, 5]),
            Msg::OverviewDone,
            notices(&[6]),
        ] {
            tx.send(msg).unwrap();
        }
        let mut held = None;
        let first = rx.recv().unwrap();
        assert_eq!(clients(&gathered(first, &rx, &mut held)), vec![3, 4, 5]);
        let next = held.take().unwrap();
        assert!(matches!(gathered(next, &rx, &mut held), Msg::OverviewDone));
        assert!(held.is_none());
        let last = rx.recv().unwrap();
        assert_eq!(clients(&gathered(last, &rx, &mut held)), vec![6]);
    }
}
