//! One raw-protocol client per role asks for everything; the bytes it gets
//! back hold exactly what the rule table (`access::sight`) lets through.

use crate::raw::{Report, as_user, report};
use crate::served::{Served, served};
use dangjian::domain::validate::mask_phone;

fn ask_everything(s: &Served, who: &crate::osuser::OsUser) -> Report {
    let mut child = as_user(
        who,
        "everything",
        &s.socket(),
        &[
            ("DJ_MAX_ID", "20".into()),
            ("DJ_IDS", s.person_ids().join(",")),
        ],
    );
    report(&mut child)
}

fn present(r: &Report, who: &str, what: &[&str]) {
    for w in what {
        assert!(r.contains(w), "{who} should have been sent {w:?}");
    }
}

fn absent(r: &Report, who: &str, what: &[&str]) {
    for w in what {
        assert!(!r.contains(w), "{who} was sent {w:?}");
    }
}

#[test]
fn each_role_gets_what_the_table_allows_and_nothing_more() {
    if !crate::osuser::can_make_users() {
        return;
    }
    let s = served(&[]);
    let (a1, a2, b1) = (&s.a1, &s.a2, &s.b1);

    // Not a user of the store: refusals and nothing else.
    let r = ask_everything(&s, &s.nobody);
    absent(
        &r,
        "a non-user",
        &[
            a1.name,
            a2.name,
            b1.name,
            a1.phone,
            s.care_a1.0,
            "第一党支部",
            "VOL",
        ],
    );
    assert!(r.contains("not a dangjian user"), "{:?}", r.lines);

    // A viewer: everyone, masked; no notes, no needs, no whole number.
    let r = ask_everything(&s, &s.viewer);
    present(
        &r,
        "a viewer",
        &[a1.name, a2.name, b1.name, s.care_a1.0, s.care_b1.0],
    );
    present(
        &r,
        "a viewer",
        &[&mask_phone(a1.phone), &mask_phone(b1.phone)],
    );
    for p in [a1, a2, b1] {
        absent(&r, "a viewer", &[&p.id_number, p.phone, p.notes]);
        // Not even the tail of an ID number: with the birth date it gives
        // the number back.
        absent(&r, "a viewer", &[&p.id_number[10..]]);
    }
    absent(
        &r,
        "a viewer",
        &[s.care_a1.1, s.care_b1.1, s.care_a1.2, s.care_b1.2],
    );

    // A group leader of A1: their group's people, phones whole (they ring
    // them), no ID number of anyone, nobody of another group.
    let r = ask_everything(&s, &s.leader);
    present(
        &r,
        "a group leader",
        &[
            a1.name,
            a1.phone,
            a1.notes,
            s.care_a1.0,
            s.care_a1.1,
            s.care_a1.2,
        ],
    );
    absent(
        &r,
        "a group leader",
        &[
            a2.name,
            a2.phone,
            a2.notes,
            b1.name,
            b1.phone,
            b1.notes,
            s.care_b1.0,
            s.care_b1.1,
            s.care_b1.2,
        ],
    );
    for p in [a1, a2, b1] {
        absent(&r, "a group leader", &[&p.id_number, &p.id_number[10..]]);
    }

    // A secretary of branch A: their branch whole, nothing of branch B.
    let r = ask_everything(&s, &s.secretary);
    for p in [a1, a2] {
        present(&r, "a secretary", &[p.name, &p.id_number, p.phone, p.notes]);
    }
    present(&r, "a secretary", &[s.care_a1.0, s.care_a1.1, s.care_a1.2]);
    absent(
        &r,
        "a secretary",
        &[
            b1.name,
            &b1.id_number,
            &b1.id_number[10..],
            b1.phone,
            b1.notes,
            s.care_b1.0,
            s.care_b1.1,
            s.care_b1.2,
        ],
    );
    // The ID number of someone elsewhere is "registered elsewhere", no more.
    assert!(r.contains("already registered elsewhere in the community"));

    // A committee admin: everything whole.
    let r = ask_everything(&s, &s.admin);
    for p in [a1, a2, b1] {
        present(&r, "an admin", &[p.name, &p.id_number, p.phone, p.notes]);
    }
    present(
        &r,
        "an admin",
        &[s.care_b1.0, s.care_b1.1, s.care_b1.2, "RecordReveal"],
    );
}
