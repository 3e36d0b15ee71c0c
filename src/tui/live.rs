//! Live updates: when the store is reached through its server, the changes
//! other people make arrive as notices and the panels showing what they touched
//! are reloaded in place. Cursors stay on the record they were on, and nothing
//! typed (a form, the points line, a check-in line) is touched: only data.
//! Also the run loop that waits for a key or a notice, whichever comes first,
//! and the recent-changes pop-up (`changes`) that rides on it.

use super::action::{Action, Origin, Panel};
use super::app::{self, App};
use super::changes::Changes;
use super::{Lang, action_for, step, views};
use crate::access::{ReadError, Session};
use crate::ops::remote::NoticeFeed;
use crossterm::event::{self, Event};
use ratatui::backend::Backend;
use ratatui::{Frame, Terminal};
use std::time::Duration;

/// How long the loop waits for a key before looking for notices again: well
/// under the second in which a colleague's entry should appear.
const TICK: Duration = Duration::from_millis(100);

/// An overview computed in the background, with what it is of.
pub type OverviewResult = (
    super::overview::OverviewKey,
    Result<crate::report::overview::Overview, ReadError>,
);

/// The runner's live state: the notice feed, the recent-changes pop-up and
/// the overview being computed in the background.
pub struct Live {
    feed: Option<NoticeFeed>,
    pub changes: Option<Changes>,
    pub prefetch: Option<std::sync::mpsc::Receiver<OverviewResult>>,
}

impl Live {
    /// Subscribes when the store is remote. A feed that cannot be had is said
    /// on the status line; the TUI works on without it.
    pub fn new(s: &Session, app: &mut App) -> Live {
        let feed = match s.subscribe() {
            Ok(feed) => feed,
            Err(e) => {
                app.status = e.to_string();
                None
            }
        };
        Live {
            feed,
            changes: None,
            prefetch: None,
        }
    }

    /// Takes what has arrived: notices, and the overview computed in the
    /// background; whether anything did.
    pub fn poll(&mut self, s: &Session, app: &mut App) -> bool {
        let computed = self.take_overview(s, app);
        self.take_notices(s, app) || computed
    }

    fn take_overview(&mut self, s: &Session, app: &mut App) -> bool {
        let mut any = false;
        while let Some(rx) = self.prefetch.as_ref() {
            match rx.try_recv() {
                Ok((key, result)) => {
                    super::overview_arrived(s, app, key, result);
                    any = true;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.prefetch = None;
                    app.overview.pending.clear();
                }
            }
        }
        any
    }

    /// Applies every notice that has arrived; whether any did.
    fn take_notices(&mut self, s: &Session, app: &mut App) -> bool {
        let Some(feed) = self.feed.as_mut() else {
            return false;
        };
        let notices = match feed.pending() {
            Ok(n) => n,
            Err(e) => {
                app.status = match app.lang {
                    Lang::Zh => format!("与服务器的连接已断开：{e}"),
                    Lang::En => format!("lost the server: {e}"),
                };
                self.feed = None;
                return true;
            }
        };
        let own = feed.own_client;
        let any = !notices.is_empty();
        let mut others = false;
        for n in notices.iter().filter(|n| n.client != own) {
            others = true;
            if let Err(e) = super::reload::reload(s, app, &n.touched, Origin::Other) {
                app.status = e.to_string();
            }
        }
        // The overview sums everything: once per batch of notices, not per notice.
        if others
            && app.panel == Panel::Overview
            && let Err(e) = super::load_overview(s, app)
        {
            app.status = e.to_string();
        }
        if any && let Some(c) = self.changes.as_mut() {
            c.reload(s, app);
        }
        any
    }

    /// Gives the pop-up first say over a key; whether it took it.
    pub fn key(&mut self, s: &Session, app: &mut App, ev: &Event) -> bool {
        match self.changes.as_mut() {
            Some(c) => {
                if c.key(ev) {
                    self.changes = None;
                }
                true
            }
            None if super::changes::opens(app, ev) => {
                self.changes = Some(Changes::open(s, app));
                true
            }
            None => false,
        }
    }

    pub fn draw(&self, frame: &mut Frame, app: &App) {
        if let Some(c) = &self.changes {
            c.draw(frame, app);
        }
    }
}

/// Runs the event loop until the user quits, taking notices between keys.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    s: &Session,
    app: &mut App,
    live: &mut Live,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app::update(app, Action::Resize(size.width, size.height));
    while !app.quit {
        terminal.draw(|f| {
            views::draw(f, app);
            live.draw(f, app);
        })?;
        loop {
            if live.poll(s, app) {
                break;
            }
            if event::poll(TICK)? {
                let ev = event::read()?;
                if !live.key(s, app, &ev)
                    && let Some(action) = action_for(app, &ev)
                {
                    step(s, app, action);
                }
                break;
            }
        }
    }
    Ok(())
}
