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
use std::sync::mpsc::Sender;
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
}

/// How long the notice thread waits before looking whether it is still wanted.
const WAKE: Duration = Duration::from_secs(1);

/// Starts the thread that reads the terminal. It is left to end with the
/// process: it sits in a blocking read that nothing can interrupt.
pub fn read_terminal(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            let msg = match crossterm::event::read() {
                Ok(ev) => Msg::Term(ev),
                Err(e) => {
                    let _ = tx.send(Msg::TermFailed(e));
                    return;
                }
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
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
