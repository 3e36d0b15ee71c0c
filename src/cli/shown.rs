//! What the CLI prints of stored or typed text cannot drive the terminal:
//! every control character but tab and newline (ESC and the rest of C0, DEL,
//! C1, carriage return) and the bidirectional overrides are shown as
//! `\u{…}`. Input refuses them (`validate::find_control`); this is for what
//! was stored before that, or came from a file name or a server's message.
//! All of the CLI's standard output and its error lines go through here.

use std::borrow::Cow;
use std::io::{self, Write};

fn hidden(c: char) -> bool {
    c == '\r' || crate::domain::validate::find_control(c.encode_utf8(&mut [0; 4])).is_some()
}

/// `s` with every control character escaped (tab and newline kept).
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that cleans what passes through it a line at a time (so a
/// character split across two writes is whole when it is looked at). Bytes
/// that are not UTF-8 are shown as `\x..`.
pub struct Clean<W: Write> {
    inner: W,
    line: Vec<u8>,
}

impl<W: Write> Clean<W> {
    pub fn new(inner: W) -> Clean<W> {
        Clean {
            inner,
            line: Vec::new(),
        }
    }

    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut rest = bytes;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.inner.write_all(clean(s).as_bytes())?;
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // Valid up to there by the error's own word.
                    self.inner
                        .write_all(clean(std::str::from_utf8(good).unwrap_or("")).as_bytes())?;
                    let n = e.error_len().unwrap_or(bad.len()).max(1);
                    for b in &bad[..n] {
                        write!(self.inner, "\\x{b:02x}")?;
                    }
                    rest = &bad[n..];
                }
            }
        }
        Ok(())
    }
}

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.line.extend_from_slice(buf);
        while let Some(end) = self.line.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.line.drain(..=end).collect();
            self.emit(&line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let line = std::mem::take(&mut self.line);
        self.emit(&line)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Clean<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Standard output, cleaned.
pub fn stdout() -> Clean<io::StdoutLock<'static>> {
    Clean::new(io::stdout().lock())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_sent() {
        assert_eq!(clean("张三"), "张三");
        assert_eq!(
            clean("a\u{1b}]52;c;ZXZpbA==\u{7}b"),
            "a\\u{1b}]52;c;ZXZpbA==\\u{7}b"
        );
        assert_eq!(clean("x\u{202e}y\r"), "x\\u{202e}y\\u{d}");
        assert_eq!(clean("tab\tand\nline"), "tab\tand\nline");
        assert_eq!(clean("c1\u{9b}31m"), "c1\\u{9b}31m");
    }

    #[test]
    fn the_writer_cleans_across_writes_and_shows_stray_bytes() {
        let mut out = Vec::new();
        {
            let mut w = Clean::new(&mut out);
            let bytes = "名\u{1b}[2J\n".as_bytes();
            w.write_all(&bytes[..2]).unwrap();
            w.write_all(&bytes[2..]).unwrap();
            w.write_all(&[0xff, b'\n']).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "名\\u{1b}[2J\n\\xff\n");
    }
}
