//! The decoder against the byte patterns a real SSH link delivers: keys in
//! one read, split at every boundary, and waits that run out.

use super::*;

fn k(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn c(ch: char) -> Event {
    k(KeyCode::Char(ch))
}

/// Feeds the reads one by one, flushing whenever the decoder waits at the
/// end of a read only if `flush_between`; always flushes at the end.
fn decode(reads: &[&[u8]], flush_between: bool) -> Vec<Event> {
    let mut d = Decoder::new();
    let mut out = Vec::new();
    for r in reads {
        out.extend(d.feed(r));
        if flush_between && d.pending() {
            out.extend(d.flush());
        }
    }
    out.extend(d.flush());
    out
}

#[test]
fn esc_then_a_digit_in_one_read_is_esc_then_the_digit() {
    assert_eq!(decode(&[b"\x1b1"], false), vec![k(KeyCode::Esc), c('1')]);
}

#[test]
fn esc_then_a_letter_in_one_read_is_esc_then_the_letter_never_alt() {
    let got = decode(&[b"\x1bq"], false);
    assert_eq!(got, vec![k(KeyCode::Esc), c('q')]);
    let shifted = decode(&[b"\x1bA"], false);
    assert_eq!(
        shifted,
        vec![
            k(KeyCode::Esc),
            Event::Key(KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT))
        ]
    );
}

#[test]
fn esc_esc_is_two_escs() {
    assert_eq!(
        decode(&[b"\x1b\x1b"], false),
        vec![k(KeyCode::Esc), k(KeyCode::Esc)]
    );
    // The second Esc may start a sequence of its own.
    assert_eq!(
        decode(&[b"\x1b\x1b[A"], false),
        vec![k(KeyCode::Esc), k(KeyCode::Up)]
    );
}

#[test]
fn esc_then_up_split_at_every_byte_boundary_is_esc_then_up() {
    let bytes: &[u8] = b"\x1b\x1b[A";
    for cut in 0..=bytes.len() {
        let (a, b) = bytes.split_at(cut);
        assert_eq!(
            decode(&[a, b], false),
            vec![k(KeyCode::Esc), k(KeyCode::Up)],
            "cut at {cut}"
        );
    }
    // Three reads, every pair of cuts.
    for i in 0..=bytes.len() {
        for j in i..=bytes.len() {
            let got = decode(&[&bytes[..i], &bytes[i..j], &bytes[j..]], false);
            assert_eq!(got, vec![k(KeyCode::Esc), k(KeyCode::Up)], "cuts {i} {j}");
        }
    }
}

#[test]
fn a_lone_esc_waits_then_is_esc_when_nothing_follows() {
    let mut d = Decoder::new();
    assert!(d.feed(b"\x1b").is_empty());
    assert!(d.pending(), "waits for the rest");
    assert_eq!(d.flush(), vec![k(KeyCode::Esc)]);
    assert!(!d.pending());
    // After the wait ran out, `[A` is typed text.
    assert_eq!(
        d.feed(b"[A"),
        vec![
            c('['),
            Event::Key(KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT))
        ]
    );
}

#[test]
fn esc_bracket_that_times_out_is_esc_then_bracket() {
    assert_eq!(decode(&[b"\x1b["], true), vec![k(KeyCode::Esc), c('[')]);
}

#[test]
fn cursor_and_editing_keys_with_modifiers() {
    let cases: &[(&[u8], KeyCode, KeyModifiers)] = &[
        (b"\x1b[A", KeyCode::Up, KeyModifiers::NONE),
        (b"\x1bOB", KeyCode::Down, KeyModifiers::NONE),
        (b"\x1b[C", KeyCode::Right, KeyModifiers::NONE),
        (b"\x1b[1;5D", KeyCode::Left, KeyModifiers::CONTROL),
        (b"\x1b[1;2A", KeyCode::Up, KeyModifiers::SHIFT),
        (b"\x1b[H", KeyCode::Home, KeyModifiers::NONE),
        (b"\x1b[4~", KeyCode::End, KeyModifiers::NONE),
        (b"\x1b[1~", KeyCode::Home, KeyModifiers::NONE),
        (b"\x1b[5~", KeyCode::PageUp, KeyModifiers::NONE),
        (b"\x1b[6~", KeyCode::PageDown, KeyModifiers::NONE),
        (b"\x1b[3~", KeyCode::Delete, KeyModifiers::NONE),
        (b"\x1b[3;5~", KeyCode::Delete, KeyModifiers::CONTROL),
        (b"\x1bOP", KeyCode::F(1), KeyModifiers::NONE),
        (b"\x1b[15~", KeyCode::F(5), KeyModifiers::NONE),
        (b"\x1b[24~", KeyCode::F(12), KeyModifiers::NONE),
        (b"\x1b[Z", KeyCode::BackTab, KeyModifiers::SHIFT),
    ];
    for (bytes, code, mods) in cases {
        assert_eq!(
            decode(&[bytes], false),
            vec![Event::Key(KeyEvent::new(*code, *mods))],
            "{bytes:?}"
        );
    }
}

#[test]
fn control_keys_enter_tab_backspace() {
    let got = decode(&[b"\r\t\x7f\x08\x15\x03\x1a"], false);
    let ctrl = |ch| Event::Key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL));
    assert_eq!(
        got,
        vec![
            k(KeyCode::Enter),
            k(KeyCode::Tab),
            k(KeyCode::Backspace),
            k(KeyCode::Backspace),
            ctrl('u'),
            ctrl('c'),
            ctrl('z'),
        ]
    );
}

#[test]
fn cjk_split_across_reads_is_one_character() {
    let bytes = "张三".as_bytes();
    for cut in 0..=bytes.len() {
        let (a, b) = bytes.split_at(cut);
        assert_eq!(
            decode(&[a, b], false),
            vec![c('张'), c('三')],
            "cut at {cut}"
        );
    }
    // Esc right before a CJK character in one read.
    let mut with_esc = b"\x1b".to_vec();
    with_esc.extend_from_slice("张".as_bytes());
    assert_eq!(decode(&[&with_esc], false), vec![k(KeyCode::Esc), c('张')]);
}

#[test]
fn bracketed_paste_is_one_event_even_split() {
    let bytes: &[u8] = b"a\x1b[200~\xe5\xbc\xa0 1\x1b[A\x1b[201~b";
    let want = vec![c('a'), Event::Paste("张 1\x1b[A".into()), c('b')];
    for cut in 0..=bytes.len() {
        let (x, y) = bytes.split_at(cut);
        assert_eq!(decode(&[x, y], false), want, "cut at {cut}");
    }
}

#[test]
fn mouse_and_unknown_sequences_are_dropped_whole() {
    assert_eq!(decode(&[b"\x1b[<0;10;5Mx"], false), vec![c('x')]);
    assert_eq!(decode(&[b"\x1b[99~y"], false), vec![c('y')]);
    assert_eq!(
        decode(&[b"\x1bOxz"], false),
        vec![
            k(KeyCode::Esc),
            Event::Key(KeyEvent::new(KeyCode::Char('O'), KeyModifiers::SHIFT)),
            c('x'),
            c('z')
        ]
    );
}
