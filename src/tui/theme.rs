//! Colours by what the terminal can show, decided once at start from the
//! environment (`Colours::from_env_values`, a pure function of NO_COLOR, TERM
//! and COLORTERM, so each case is tested): none under NO_COLOR or TERM=dumb
//! (selection and warnings by reverse video and bold), the 16 ANSI colours
//! when TERM names no more (vt100, linux, screen, xterm: they follow the
//! user's palette and survive any SSH client), the 256-colour palette when
//! TERM or COLORTERM says so. Meaning never rests on colour alone: invalid
//! fields carry a ✗ (views::form).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub normal: Style,
    pub dim: Style,
    pub title: Style,
    pub selected: Style,
    pub tab_active: Style,
    pub warn: Style,
    pub error: Style,
    pub header: Style,
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colours {
    None,
    Ansi16,
    Full,
}

impl Colours {
    /// From the environment's values (`None`: unset).
    pub fn from_env_values(
        no_color: Option<&str>,
        term: Option<&str>,
        colorterm: Option<&str>,
    ) -> Colours {
        // no-color.org: set and not empty, whatever its value.
        if no_color.is_some_and(|v| !v.is_empty()) {
            return Colours::None;
        }
        let term = term.unwrap_or("").to_ascii_lowercase();
        if term == "dumb" {
            return Colours::None;
        }
        let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
        let full = ["256color", "truecolor", "24bit", "direct"];
        if full.iter().any(|f| term.contains(f)) || ["truecolor", "24bit"].contains(&&*colorterm) {
            Colours::Full
        } else {
            Colours::Ansi16
        }
    }
}

impl Theme {
    pub fn from_env() -> Theme {
        let var = |k: &str| std::env::var(k).ok();
        let colours = Colours::from_env_values(
            var("NO_COLOR").as_deref(),
            var("TERM").as_deref(),
            var("COLORTERM").as_deref(),
        );
        Theme::for_colours(colours)
    }

    pub fn for_colours(colours: Colours) -> Theme {
        match colours {
            Colours::None => Theme::mono(),
            Colours::Ansi16 => Theme::colour(),
            Colours::Full => Theme::full(),
        }
    }

    /// The 16 ANSI colours only.
    pub fn colour() -> Theme {
        Theme {
            normal: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            selected: Style::default().fg(Color::Black).bg(Color::Cyan),
            tab_active: Style::default().fg(Color::Black).bg(Color::Yellow),
            warn: Style::default().fg(Color::Yellow),
            error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        }
    }

    /// The 256-colour palette: softer greys and a selection that reads on
    /// light and dark backgrounds alike.
    pub fn full() -> Theme {
        Theme {
            normal: Style::default(),
            dim: Style::default().fg(Color::Indexed(245)),
            title: Style::default()
                .fg(Color::Indexed(38))
                .add_modifier(Modifier::BOLD),
            selected: Style::default()
                .fg(Color::Indexed(16))
                .bg(Color::Indexed(117)),
            tab_active: Style::default()
                .fg(Color::Indexed(16))
                .bg(Color::Indexed(221)),
            warn: Style::default().fg(Color::Indexed(214)),
            error: Style::default()
                .fg(Color::Indexed(196))
                .add_modifier(Modifier::BOLD),
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        }
    }

    pub fn mono() -> Theme {
        Theme {
            normal: Style::default(),
            dim: Style::default(),
            title: Style::default().add_modifier(Modifier::BOLD),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            tab_active: Style::default().add_modifier(Modifier::REVERSED),
            warn: Style::default().add_modifier(Modifier::BOLD),
            error: Style::default().add_modifier(Modifier::BOLD),
            header: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        }
    }

    /// Whether any style of the theme names a colour beyond the 16 ANSI ones.
    pub fn uses_256(&self) -> bool {
        let styles = [
            self.normal,
            self.dim,
            self.title,
            self.selected,
            self.tab_active,
            self.warn,
            self.error,
            self.header,
        ];
        styles.iter().any(|s| {
            [s.fg, s.bg]
                .into_iter()
                .flatten()
                .any(|c| matches!(c, Color::Indexed(_) | Color::Rgb(..)))
        })
    }

    /// Whether the theme uses any colour at all.
    pub fn uses_colour(&self) -> bool {
        let styles = [
            self.normal,
            self.dim,
            self.title,
            self.selected,
            self.tab_active,
            self.warn,
            self.error,
            self.header,
        ];
        styles.iter().any(|s| s.fg.is_some() || s.bg.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(no_color: Option<&str>, term: Option<&str>, colorterm: Option<&str>) -> Colours {
        Colours::from_env_values(no_color, term, colorterm)
    }

    #[test]
    fn no_color_means_none_whatever_the_terminal() {
        assert_eq!(
            case(Some("1"), Some("xterm-256color"), Some("truecolor")),
            Colours::None
        );
        // An empty NO_COLOR is as if unset (no-color.org).
        assert_eq!(case(Some(""), Some("xterm-256color"), None), Colours::Full);
        let t = Theme::for_colours(Colours::None);
        assert!(!t.uses_colour());
    }

    #[test]
    fn a_dumb_terminal_gets_none() {
        assert_eq!(case(None, Some("dumb"), None), Colours::None);
    }

    #[test]
    fn terms_without_256_colours_get_16() {
        for term in ["vt100", "linux", "screen", "xterm", "tmux", "ansi"] {
            assert_eq!(case(None, Some(term), None), Colours::Ansi16, "{term}");
        }
        assert_eq!(case(None, None, None), Colours::Ansi16, "TERM unset");
        let t = Theme::for_colours(Colours::Ansi16);
        assert!(t.uses_colour() && !t.uses_256());
    }

    #[test]
    fn terms_that_say_so_get_the_full_palette() {
        for term in [
            "xterm-256color",
            "screen-256color",
            "tmux-256color",
            "xterm-direct",
        ] {
            assert_eq!(case(None, Some(term), None), Colours::Full, "{term}");
        }
        assert_eq!(case(None, Some("xterm"), Some("truecolor")), Colours::Full);
        assert_eq!(case(None, Some("xterm"), Some("24bit")), Colours::Full);
        assert!(Theme::for_colours(Colours::Full).uses_256());
    }
}
