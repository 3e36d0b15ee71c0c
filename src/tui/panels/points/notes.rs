//! Completion of the points line's note from history: ↑ on the note field
//! brings the latest note recorded this session (then the shown member's
//! older notes) that starts with what is typed, ↑ again an older one, ↓ back
//! towards what was typed. A queue at an event types the same few notes all
//! day; this saves typing them again.

/// The notes to complete from and where ↑↓ stand among them.
#[derive(Debug, Clone, Default)]
pub struct NoteHistory {
    /// Notes recorded this session, newest first, each once.
    session: Vec<String>,
    /// While cycling: what was typed before the first ↑, and the position
    /// among its completions (0 is what was typed).
    cycle: Option<(String, usize)>,
}

/// At most this many notes are kept.
const KEPT: usize = 30;

impl NoteHistory {
    /// A note just recorded.
    pub fn remember(&mut self, note: &str) {
        let note = note.trim();
        if note.is_empty() {
            return;
        }
        self.session.retain(|n| n != note);
        self.session.insert(0, note.to_string());
        self.session.truncate(KEPT);
        self.cycle = None;
    }

    /// Typing ends a cycle: the next ↑ completes the new text.
    pub fn typed(&mut self) {
        self.cycle = None;
    }

    /// The text the note field shows after ↑ (`older` true) or ↓, given what
    /// it shows now and the shown member's notes (newest first); `None` when
    /// nothing changes.
    pub fn step(&mut self, now: &str, older: bool, member_notes: &[&str]) -> Option<String> {
        let (prefix, at) = self.cycle.clone().unwrap_or_else(|| (now.to_string(), 0));
        let mut found: Vec<&str> = Vec::new();
        for n in self
            .session
            .iter()
            .map(String::as_str)
            .chain(member_notes.iter().copied())
        {
            if n.starts_with(prefix.as_str()) && n != prefix && !found.contains(&n) {
                found.push(n);
            }
        }
        let next = match older {
            true if at < found.len() => at + 1,
            false if at > 0 => at - 1,
            _ => return None,
        };
        self.cycle = Some((prefix.clone(), next));
        Some(match next {
            0 => prefix,
            n => found[n - 1].to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_completes_from_the_newest_matching_note_and_down_goes_back() {
        let mut h = NoteHistory::default();
        h.remember("楼道清扫");
        h.remember("社区大扫除");
        h.remember("楼道清扫");
        // Nothing typed: the newest first, then older, then the member's.
        assert_eq!(h.step("", true, &["义诊"]).as_deref(), Some("楼道清扫"));
        assert_eq!(
            h.step("楼道清扫", true, &["义诊"]).as_deref(),
            Some("社区大扫除")
        );
        assert_eq!(
            h.step("社区大扫除", true, &["义诊"]).as_deref(),
            Some("义诊")
        );
        assert_eq!(h.step("义诊", true, &["义诊"]), None, "no older one");
        assert_eq!(
            h.step("义诊", false, &["义诊"]).as_deref(),
            Some("社区大扫除")
        );
        assert_eq!(
            h.step("社区大扫除", false, &[]).as_deref(),
            Some("楼道清扫")
        );
        assert_eq!(h.step("楼道清扫", false, &[]).as_deref(), Some(""));
        // What is typed narrows it.
        h.typed();
        assert_eq!(h.step("社", true, &[]).as_deref(), Some("社区大扫除"));
        assert_eq!(h.step("社区大扫除", true, &[]), None);
    }
}
