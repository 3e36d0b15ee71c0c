//! Blanking the area under a pop-up, safe for wide (CJK) characters. A
//! character two cells wide that starts just left of the pop-up reaches into
//! its first column: left there, it hides the pop-up's left border (and a
//! terminal may draw either half). It is blanked too, so the border is always
//! whole, whatever text is under it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

/// `ratatui::widgets::Clear`, plus the wide characters cut by the left edge.
pub struct Clear;

impl Widget for Clear {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        ratatui::widgets::Clear.render(area, buf);
        if area.x > buf.area.x {
            for y in area.top()..area.bottom() {
                let cell = &mut buf[(area.x - 1, y)];
                if cell.symbol().width() > 1 {
                    cell.reset();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_character_cut_by_the_left_edge_is_blanked() {
        let mut buf = Buffer::with_lines(["和平里社区"]);
        // The pop-up starts at column 3: the second half of 平 (columns 2–3).
        Clear.render(Rect::new(3, 0, 4, 1), &mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "和");
        assert_eq!(buf[(2, 0)].symbol(), " ");
        assert_eq!(buf[(3, 0)].symbol(), " ");
    }

    #[test]
    fn text_that_ends_at_the_edge_stays() {
        let mut buf = Buffer::with_lines(["和平 abc"]);
        Clear.render(Rect::new(4, 0, 2, 1), &mut buf);
        assert_eq!(buf[(2, 0)].symbol(), "平");
    }
}
