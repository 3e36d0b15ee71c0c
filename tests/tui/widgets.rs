//! Views rendered into a buffer and compared cell by cell, styles included.

use dangjian::domain::*;
use dangjian::ops::Actor;
use dangjian::tui::Action;
use dangjian::tui::app::{MemberRow, update};
use dangjian::tui::{App, Lang, theme::Theme, views};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};

fn unit(id: u64, parent: Option<u64>, level: OrgLevel, name: &str, leader: Option<u64>) -> OrgUnit {
    OrgUnit {
        id: OrgUnitId(id),
        parent: parent.map(OrgUnitId),
        level,
        name: name.into(),
        leader: leader.map(MemberId),
        buildings: if level == OrgLevel::Group {
            vec!["1".into()]
        } else {
            vec![]
        },
        established: None,
        closed: None,
        notes: String::new(),
    }
}

fn app() -> App {
    let actor = Actor {
        login: "admin".into(),
        role: Role::CommitteeAdmin,
        scope: None,
    };
    let mut app = App::new(actor, Lang::En, "/x/demo".into());
    app.theme = Theme::mono();
    let member = Member {
        id: MemberId(1),
        data: MemberData {
            name: "张三".into(),
            gender: None,
            birth_date: None,
            id_number: String::new(),
            phone: "13800138000".into(),
            address: Address {
                building: "1".into(),
                unit: "2".into(),
                room: "301".into(),
            },
            unit: OrgUnitId(3),
            category: MemberCategory::Retired,
            home_unit: String::new(),
            reported: None,
            joined: None,
            full_member: None,
            skills: vec![],
            posts: vec![],
            status: MemberStatus::Active,
            notes: String::new(),
        },
    };
    app.set_data(
        vec![
            unit(1, None, OrgLevel::Committee, "社区党委", Some(1)),
            unit(2, Some(1), OrgLevel::Branch, "一支部", None),
            unit(3, Some(2), OrgLevel::Group, "1号楼", Some(1)),
        ],
        vec![(
            MemberRow::of(&member, Points::whole(3)),
            finder::FinderEntry::new(&member),
        )],
    );
    app
}

#[test]
fn org_tree_rows_with_counts_flags_and_selection() {
    let mut app = app();
    update(&mut app, Action::Resize(60, 7));
    update(&mut app, Action::Down);
    let mut terminal = Terminal::new(TestBackend::new(60, 7)).unwrap();
    terminal.draw(|f| views::draw(f, &app)).unwrap();
    let mut expected = Buffer::with_lines([
        " 1Organisation  2Members  3Pairing  4Points  5Activities  6O",
        "┌ Organisation ──────────────────┐┌────────────────────────┐",
        "│▾ 社区党委 (1)                  ││一支部                  │",
        "│  ▾ 一支部 (1)     ⚠no secretary││Branch                  │",
        "│      1号楼 (1)                 ││Leader：none            │",
        "└────────────────────────────────┘└────────────────────────┘",
        "Organisation › 一支部 │ admin (committee-admin) │ demo │ ? …",
    ]);
    // The tab of the current panel and the whole selected row, warning
    // included, are in reverse video.
    let reversed = Style::default().add_modifier(Modifier::REVERSED);
    expected.set_style(ratatui::layout::Rect::new(0, 0, 15, 1), reversed);
    expected.set_style(ratatui::layout::Rect::new(1, 3, 32, 1), reversed);
    let got = terminal.backend().buffer().clone();
    // Compare symbols and the styles that carry meaning on a monochrome screen.
    for y in 0..7 {
        let mut covered = 0;
        for x in 0..60 {
            let (g, e) = (&got[(x, y)], &expected[(x, y)]);
            // The cell under the right half of a wide character is not drawn.
            if covered > 0 {
                covered -= 1;
                continue;
            }
            covered = unicode_width::UnicodeWidthStr::width(e.symbol()).saturating_sub(1);
            assert_eq!(g.symbol(), e.symbol(), "symbol at ({x},{y})\n{got:?}");
            assert_eq!(
                g.modifier.contains(Modifier::REVERSED),
                e.modifier.contains(Modifier::REVERSED),
                "reverse video at ({x},{y})"
            );
        }
    }
}

#[test]
fn cursor_moves_clamp_and_keep_the_selection_visible() {
    use dangjian::tui::cursor::Cursor;
    let mut c = Cursor::default();
    c.step(1, 10, 3);
    c.step(1, 10, 3);
    c.step(1, 10, 3);
    assert_eq!(
        c,
        Cursor {
            selected: 3,
            offset: 1
        }
    );
    c.step(100, 10, 3);
    assert_eq!(
        c,
        Cursor {
            selected: 9,
            offset: 7
        }
    );
    c.step(-100, 10, 3);
    assert_eq!(
        c,
        Cursor {
            selected: 0,
            offset: 0
        }
    );
    c.step(1, 0, 3);
    assert_eq!(c, Cursor::default());
}

#[test]
fn update_switches_panels_and_collapses_the_tree() {
    let mut app = app();
    update(&mut app, Action::GoPanel(1));
    assert_eq!(app.panel, dangjian::tui::action::Panel::Members);
    update(&mut app, Action::NextPanel);
    assert_eq!(app.panel, dangjian::tui::action::Panel::Pairing);
    update(&mut app, Action::GoPanel(0));
    assert_eq!(app.org_rows.len(), 3);
    update(&mut app, Action::Collapse);
    assert_eq!(app.org_rows.len(), 1, "the committee closed");
    update(&mut app, Action::Expand);
    assert_eq!(
        app.org_rows.len(),
        3,
        "the branch below stays open as it was"
    );
    // Undo with nothing done says so and asks the runner for nothing.
    assert_eq!(update(&mut app, Action::Undo), None);
    assert!(app.status.contains("Nothing to undo"));
}

#[test]
fn a_member_row_gives_its_address_back_part_by_part_and_short() {
    let mut data = crate::common::member_data("张三", OrgUnitId(3));
    data.address.unit.clear();
    let member = Member {
        id: MemberId(1),
        data,
    };
    let row = MemberRow::of(&member, Points(7));
    assert_eq!(
        (row.building(), row.entrance(), row.room()),
        ("3", "", "501")
    );
    assert_eq!(row.address_short(), member.data.address.short());
    assert_eq!((&*row.name, row.balance), ("张三", Points(7)));
}
