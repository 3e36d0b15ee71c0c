//! Terminal bytes to key events, decoded here rather than by crossterm's
//! reader. Over SSH, Esc and the key after it often arrive in one read, and
//! crossterm takes ESC+x as Alt+x (both keys lost) and can split an arrow
//! whose bytes arrive apart into typed characters. This decoder owns those
//! rules and nothing else: pure, fed bytes as they come, it hands back
//! `crossterm::event::Event`s (the type the rest of the TUI speaks).
//!
//! - ESC then a byte that cannot go on a sequence (`[` CSI, `O` SS3) is Esc,
//!   then that key; ESC ESC is two Escs. dangjian binds no Alt chords, so
//!   nothing is lost by never making one.
//! - ESC, `ESC [` or an unfinished CSI/SS3 at the end of what has arrived
//!   waits (`pending`); the reader gives it `ESCAPE_TIME` for the rest, like
//!   tmux's `escape-time`, then calls `flush`, which takes what is there as
//!   typed (a lone ESC is Esc).
//! - CSI / SS3: arrows, Home/End, PgUp/PgDn, Insert/Delete, F1–F12, Shift+Tab,
//!   with xterm's modifier parameter; bracketed paste (`ESC [200~ … ESC [201~`)
//!   is one `Event::Paste`; other sequences (mouse, focus) are dropped whole.
//! - UTF-8 (CJK) across reads, control bytes as Ctrl+letter, CR/LF Enter,
//!   DEL/BS Backspace.

#[cfg(test)]
mod tests;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

/// How long a lone ESC (or half an escape sequence) waits for the rest.
/// tmux's default is 500 ms, many set 10–50; 30 ms covers a split packet on
/// a slow link and is shorter than anyone types Esc then `[`.
pub const ESCAPE_TIME: Duration = Duration::from_millis(30);

const ESC: u8 = 0x1b;
const PASTE_END: &[u8] = b"\x1b[201~";

/// Bytes not yet decoded, and a bracketed paste under way.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    paste: Option<Vec<u8>>,
}

/// What one sequence at the start of the buffer is.
enum Step {
    /// These events, and how many bytes they used.
    Done(Vec<Event>, usize),
    /// The bytes so far may start a longer sequence: wait for more.
    Incomplete,
    /// `ESC [200~`, of this many bytes: a bracketed paste begins.
    PasteStart(usize),
}

/// A complete CSI: a key, one to drop (mouse, focus), or a paste's start.
enum Csi {
    Key(Event),
    Ignored,
    PasteStart,
}

impl Decoder {
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Takes bytes as they arrived and returns every event they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.buf.extend_from_slice(bytes);
        self.drain(false)
    }

    /// Whether bytes wait for the rest of a sequence (the reader then waits
    /// `ESCAPE_TIME` before `flush`).
    pub fn pending(&self) -> bool {
        !self.buf.is_empty() && self.paste.is_none()
    }

    /// Nothing more came in time: what waits is taken as typed (ESC is Esc,
    /// `ESC [` is Esc then `[`); a UTF-8 character cut short is dropped.
    pub fn flush(&mut self) -> Vec<Event> {
        self.drain(true)
    }

    fn drain(&mut self, flush: bool) -> Vec<Event> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < self.buf.len() {
            if let Some(paste) = self.paste.as_mut() {
                let rest = &self.buf[at..];
                match find(rest, PASTE_END) {
                    Some(end) => {
                        paste.extend_from_slice(&rest[..end]);
                        let text = String::from_utf8_lossy(paste).into_owned();
                        out.push(Event::Paste(text));
                        self.paste = None;
                        at += end + PASTE_END.len();
                    }
                    None => {
                        // Keep a tail that may be the start of the end marker.
                        let keep = partial_suffix(rest, PASTE_END);
                        paste.extend_from_slice(&rest[..rest.len() - keep]);
                        at = self.buf.len() - keep;
                        break;
                    }
                }
                continue;
            }
            match step(&self.buf[at..], flush) {
                Step::Done(events, used) => {
                    out.extend(events);
                    at += used;
                }
                Step::PasteStart(used) => {
                    self.paste = Some(Vec::new());
                    at += used;
                }
                Step::Incomplete => break,
            }
        }
        self.buf.drain(..at);
        if flush && self.paste.is_none() {
            self.buf.clear();
        }
        out
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

fn plain(code: KeyCode) -> Event {
    key(code, KeyModifiers::NONE)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How many bytes at the end of `hay` are a proper start of `needle`.
fn partial_suffix(hay: &[u8], needle: &[u8]) -> usize {
    (1..needle.len())
        .rev()
        .find(|&n| hay.len() >= n && hay[hay.len() - n..] == needle[..n])
        .unwrap_or(0)
}

/// Decodes the sequence at the start of `b` (not empty).
fn step(b: &[u8], flush: bool) -> Step {
    match b[0] {
        ESC => escape(b, flush),
        b'\r' | b'\n' => Step::Done(vec![plain(KeyCode::Enter)], 1),
        b'\t' => Step::Done(vec![plain(KeyCode::Tab)], 1),
        0x7f | 0x08 => Step::Done(vec![plain(KeyCode::Backspace)], 1),
        0x00 => Step::Done(vec![key(KeyCode::Char(' '), KeyModifiers::CONTROL)], 1),
        c @ 0x01..=0x1a => {
            let letter = char::from(c - 1 + b'a');
            Step::Done(vec![key(KeyCode::Char(letter), KeyModifiers::CONTROL)], 1)
        }
        c @ 0x1c..=0x1f => {
            let digit = char::from(c - 0x1c + b'4');
            Step::Done(vec![key(KeyCode::Char(digit), KeyModifiers::CONTROL)], 1)
        }
        _ => utf8(b, flush),
    }
}

fn utf8(b: &[u8], flush: bool) -> Step {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        // A stray continuation or invalid lead byte: skipped.
        _ => return Step::Done(Vec::new(), 1),
    };
    if b.len() < len {
        // Cut short at the end of a read: the rest is on its way, unless
        // the wait ran out.
        let continuing = b[1..].iter().all(|c| c & 0xc0 == 0x80);
        return match (flush, continuing) {
            (false, true) => Step::Incomplete,
            _ => Step::Done(Vec::new(), 1),
        };
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => {
            let mods = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            Step::Done(vec![key(KeyCode::Char(c), mods)], len)
        }
        None => Step::Done(Vec::new(), 1),
    }
}

fn escape(b: &[u8], flush: bool) -> Step {
    let esc = plain(KeyCode::Esc);
    match b.get(1) {
        None if flush => Step::Done(vec![esc], 1),
        None => Step::Incomplete,
        Some(b'[') => match csi(&b[2..]) {
            Some((Csi::Key(ev), used)) => Step::Done(vec![ev], 2 + used),
            Some((Csi::Ignored, used)) => Step::Done(Vec::new(), 2 + used),
            Some((Csi::PasteStart, used)) => Step::PasteStart(2 + used),
            None if flush || !csi_may_go_on(&b[2..]) => Step::Done(vec![esc], 1),
            None => Step::Incomplete,
        },
        Some(b'O') => match b.get(2) {
            Some(&c) => match ss3(c) {
                Some(ev) => Step::Done(vec![ev], 3),
                // Not a sequence after all: Esc, then `O` and what follows as typed.
                None => Step::Done(vec![esc], 1),
            },
            None if flush => Step::Done(vec![esc], 1),
            None => Step::Incomplete,
        },
        // ESC ESC, ESC x, ESC 3…: Esc, then the next byte on its own.
        Some(_) => Step::Done(vec![esc], 1),
    }
}

/// Whether bytes after `ESC [` are still a CSI's parameters (no final yet).
fn csi_may_go_on(rest: &[u8]) -> bool {
    rest.iter().all(|c| (0x20..=0x3f).contains(c))
}

/// A complete CSI after `ESC [`, and the bytes it used; `None` when no final
/// byte has arrived.
fn csi(rest: &[u8]) -> Option<(Csi, usize)> {
    let end = rest.iter().position(|c| (0x40..=0x7e).contains(c))?;
    let params = &rest[..end];
    if !csi_may_go_on(params) {
        return None;
    }
    let used = end + 1;
    let fin = rest[end];
    let text = std::str::from_utf8(params).unwrap_or("");
    if text.starts_with(['<', '?', '>', '=']) {
        // Mouse reports and terminal answers: not keys.
        return Some((Csi::Ignored, used));
    }
    let nums: Vec<u16> = text.split(';').map(|p| p.parse().unwrap_or(0)).collect();
    let mods = modifiers(nums.get(1).copied().unwrap_or(1));
    let code = match fin {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'Z' => return Some((Csi::Key(key(KeyCode::BackTab, KeyModifiers::SHIFT)), used)),
        b'~' => match nums.first().copied().unwrap_or(0) {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            n @ 11..=15 => KeyCode::F((n - 10) as u8),
            n @ 17..=21 => KeyCode::F((n - 11) as u8),
            n @ 23..=24 => KeyCode::F((n - 12) as u8),
            // The start of a bracketed paste: `drain` collects it.
            200 => return Some((Csi::PasteStart, used)),
            _ => return Some((Csi::Ignored, used)),
        },
        _ => return Some((Csi::Ignored, used)),
    };
    Some((Csi::Key(key(code, mods)), used))
}

fn ss3(c: u8) -> Option<Event> {
    let code = match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    };
    Some(plain(code))
}

/// xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4).
fn modifiers(p: u16) -> KeyModifiers {
    let bits = p.saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}
