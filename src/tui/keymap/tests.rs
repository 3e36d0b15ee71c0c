//! Every binding resolves as its table says, in every context.
use super::*;

fn k(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn panel_keys_resolve() {
    let ctx = KeyContext::Panel(Panel::Members);
    assert_eq!(
        resolve(k(KeyCode::Char('2')), ctx),
        Some(Action::GoPanel(1))
    );
    assert_eq!(resolve(k(KeyCode::Char('j')), ctx), Some(Action::Down));
    assert_eq!(resolve(k(KeyCode::Down), ctx), Some(Action::Down));
    assert_eq!(
        resolve(k(KeyCode::Char('/')), ctx),
        Some(Action::StartSearch)
    );
    assert_eq!(resolve(k(KeyCode::Char('q')), ctx), Some(Action::Quit));
    assert_eq!(resolve(k(KeyCode::Esc), ctx), Some(Action::Back));
    assert_eq!(resolve(k(KeyCode::Char('v')), ctx), Some(Action::Reveal));
    assert_eq!(
        resolve(
            KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL),
            ctx
        ),
        Some(Action::Undo)
    );
    assert_eq!(resolve(k(KeyCode::Char('u')), ctx), Some(Action::Undo));
    assert_eq!(
        resolve(k(KeyCode::Char('x')), ctx),
        Some(Action::ExportView)
    );
    assert_eq!(
        resolve(k(KeyCode::Char('I')), ctx),
        Some(Action::ImportFile)
    );
    assert_eq!(resolve(k(KeyCode::Char('w')), ctx), None);
    let q = k(KeyCode::Char('q'));
    assert_eq!(resolve(q, KeyContext::IoLine), Some(Action::IoKey(q)));
    assert_eq!(resolve(q, KeyContext::IoPreview), Some(Action::Back));
    assert_eq!(
        resolve(k(KeyCode::Char('r')), KeyContext::IoPreview),
        Some(Action::IoAllowRename)
    );
}

#[test]
fn l_opens_recent_changes_on_a_panel_and_closes_them_there() {
    let l = k(KeyCode::Char('L'));
    let panel = KeyContext::Panel(Panel::Points);
    assert_eq!(resolve(l, panel), Some(Action::RecentChanges));
    assert_eq!(resolve(l, KeyContext::Changes), Some(Action::Back));
    assert_eq!(
        resolve(l, KeyContext::PointsLine),
        Some(Action::PointsKey(l))
    );
    assert_eq!(
        resolve(k(KeyCode::Char('j')), KeyContext::Changes),
        Some(Action::Down)
    );
    assert_eq!(resolve(k(KeyCode::Char('n')), KeyContext::Changes), None);
}

/// Help is made of the bindings: every line a panel's help shows is one
/// of a binding in force there, every binding's line is shown, and each
/// line exists in both languages.
#[test]
fn help_lists_exactly_the_bindings_in_force() {
    use crate::tui::i18n::t;
    for panel in Panel::ALL {
        let help = help_keys(panel);
        let (own, line) = tables(panel);
        for b in COMMON.iter().chain(own).chain(line) {
            assert!(help.contains(&b.help), "{panel:?}: {}", b.help);
            for code in b.keys {
                let mods = if b.ctrl {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::NONE
                };
                let ctx = if own.iter().chain(COMMON).any(|x| std::ptr::eq(x, b)) {
                    KeyContext::Panel(panel)
                } else if panel == Panel::Points {
                    KeyContext::PointsLine
                } else if panel == Panel::OrgLife {
                    KeyContext::Minutes
                } else {
                    KeyContext::CheckIn
                };
                // No binding is shadowed by another for the same key.
                let got = resolve(KeyEvent::new(*code, mods), ctx);
                assert_eq!(got, Some(b.action.clone()), "{panel:?}: {code:?}");
            }
        }
        for key in &help {
            for lang in crate::domain::Lang::ALL {
                assert_ne!(t(lang, key), *key, "{key} has words in {lang:?}");
            }
        }
    }
    assert!(!help_keys(Panel::Points).contains(&"key.roster.search"));
    assert!(help_keys(Panel::Points).contains(&"key.points.pick"));
}

/// The layers over a panel: each binding resolves in its layer's
/// context, and its help line is in the panel's help, in both languages.
#[test]
fn help_lists_the_bindings_of_the_layers_over_a_panel() {
    use crate::tui::i18n::t;
    for panel in Panel::ALL {
        let help = help_keys(panel);
        for (ctx, table) in layer_tables(panel) {
            for b in table.iter() {
                assert!(help.contains(&b.help), "{panel:?}: {}", b.help);
                for lang in crate::domain::Lang::ALL {
                    assert_ne!(t(lang, b.help), b.help, "{} in {lang:?}", b.help);
                }
                for code in b.keys {
                    let got = resolve(KeyEvent::new(*code, KeyModifiers::NONE), *ctx);
                    assert_eq!(got, Some(b.action.clone()), "{ctx:?}: {code:?}");
                }
            }
        }
    }
    let queue = KeyContext::Approvals;
    assert_eq!(resolve(k(KeyCode::Char(' ')), queue), Some(Action::Mark));
    assert_eq!(resolve(k(KeyCode::Char('x')), queue), None);
    assert!(help_keys(Panel::Points).contains(&"key.queue.approve"));
    assert!(!help_keys(Panel::Org).contains(&"key.queue.approve"));
}

#[test]
fn org_keys_differ_from_roster_keys() {
    let org = KeyContext::Panel(Panel::Org);
    assert_eq!(resolve(k(KeyCode::Char('l')), org), Some(Action::Expand));
    assert_eq!(resolve(k(KeyCode::Char('a')), org), Some(Action::NewUnit));
    assert_eq!(resolve(k(KeyCode::Char('x')), org), Some(Action::CloseUnit));
    assert_eq!(resolve(k(KeyCode::Enter), org), Some(Action::Enter));
}

#[test]
fn search_and_form_take_typed_letters() {
    let q = k(KeyCode::Char('q'));
    assert_eq!(resolve(q, KeyContext::Search), Some(Action::SearchKey(q)));
    assert_eq!(resolve(q, KeyContext::Form), Some(Action::FormKey(q)));
    assert_eq!(
        resolve(k(KeyCode::Esc), KeyContext::Search),
        Some(Action::Back)
    );
    assert_eq!(
        resolve(k(KeyCode::Tab), KeyContext::Form),
        Some(Action::FormNext)
    );
    assert_eq!(
        resolve(k(KeyCode::BackTab), KeyContext::Form),
        Some(Action::FormPrev)
    );
    assert_eq!(
        resolve(k(KeyCode::Enter), KeyContext::Form),
        Some(Action::FormSave)
    );
}

#[test]
fn the_points_line_takes_digits_and_tab_moves_fields() {
    let two = k(KeyCode::Char('2'));
    assert_eq!(
        resolve(two, KeyContext::PointsLine),
        Some(Action::PointsKey(two))
    );
    assert_eq!(
        resolve(k(KeyCode::Tab), KeyContext::PointsLine),
        Some(Action::PointsField(1))
    );
    assert_eq!(
        resolve(k(KeyCode::Enter), KeyContext::PointsLine),
        Some(Action::PointsEnter)
    );
    assert_eq!(
        resolve(k(KeyCode::Esc), KeyContext::PointsLine),
        Some(Action::Back)
    );
    let panel = KeyContext::Panel(Panel::Points);
    assert_eq!(resolve(k(KeyCode::Enter), panel), Some(Action::PointsEdit));
    assert_eq!(resolve(two, panel), Some(Action::GoPanel(1)));
}

#[test]
fn confirm_takes_only_y_as_yes_and_ctrl_c_always_quits() {
    assert_eq!(
        resolve(k(KeyCode::Char('y')), KeyContext::Confirm),
        Some(Action::Yes)
    );
    assert_eq!(
        resolve(k(KeyCode::Char('n')), KeyContext::Confirm),
        Some(Action::No)
    );
    assert_eq!(
        resolve(k(KeyCode::Enter), KeyContext::Confirm),
        Some(Action::No)
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(resolve(ctrl_c, KeyContext::Form), Some(Action::ForceQuit));
}
