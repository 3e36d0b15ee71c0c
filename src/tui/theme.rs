//! Colours: the 16 ANSI colours by default (they follow the user's terminal
//! palette and survive any SSH client), and no colour at all under NO_COLOR,
//! where selection and warnings are shown by reverse video and bold instead.

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

impl Theme {
    pub fn from_env() -> Theme {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Theme::mono()
        } else {
            Theme::colour()
        }
    }

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
}
