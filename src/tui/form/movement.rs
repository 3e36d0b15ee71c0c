//! The forms of members who move: a transfer out or in (dated, the other
//! organisation, the letter's number, why), a flow out or in (where, since,
//! until, the party organisation there, how they take part), and the
//! lost-contact flag (since, the attempts typed as `2026-10-01 电话未接；…`,
//! the day contact was found again, or the record removed).

use super::{Check, Field, FieldId, Form, FormKind, Pick};
use crate::domain::validate::parse_date;
use crate::domain::*;
use crate::ops::Command;
use crate::tui::app::MemberRow;
use crate::tui::i18n::{Lang, t};
use std::collections::HashMap;

fn directions(lang: Lang, flow: bool) -> Vec<(String, Pick)> {
    Direction::VARIANTS
        .iter()
        .map(|d| {
            let label = if flow {
                d.flow_label(lang)
            } else {
                d.label(lang)
            };
            (label.to_string(), Pick::Direction(*d))
        })
        .collect()
}

fn yes_no(lang: Lang, on: bool) -> Field {
    let options = vec![
        (t(lang, "ol.no").to_string(), Pick::Yes(false)),
        (t(lang, "ol.yes").to_string(), Pick::Yes(true)),
    ];
    Field::choice(FieldId::Remove, options, Pick::Yes(on))
}

fn flow_fields(lang: Lang, d: &FlowData, name: &str) -> Vec<Field> {
    use FieldId as F;
    let until = d.until.map(|u| u.to_string()).unwrap_or_default();
    vec![
        Field::required(F::Member, name),
        Field::choice(
            F::Direction,
            directions(lang, true),
            Pick::Direction(d.direction),
        ),
        Field::text(F::Began, &d.since.to_string(), Check::Date),
        Field::text(F::Until, &until, Check::Date),
        Field::required(F::Place, &d.place),
        Field::free(F::PartyOrg, &d.party_org),
        Field::free(F::Contact, &d.contact),
        Field::free(F::Participation, &d.participation),
        Field::free(F::Notes, &d.notes),
    ]
}

impl Form {
    pub fn transfer(lang: Lang, member: &str, today: chrono::NaiveDate) -> Form {
        use FieldId as F;
        let fields = vec![
            Field::required(F::Member, member),
            Field::choice(
                F::Direction,
                directions(lang, false),
                Pick::Direction(Direction::Out),
            ),
            Field::text(F::Date, &today.to_string(), Check::Date),
            Field::required(F::Counterpart, ""),
            Field::free(F::Letter, ""),
            Field::free(F::Reason, ""),
        ];
        Form::with(FormKind::Transfer, "form.transfer", lang, fields)
    }

    pub fn new_flow(lang: Lang, today: chrono::NaiveDate) -> Form {
        let d = FlowData {
            member: MemberId(0),
            direction: Direction::Out,
            since: today,
            until: None,
            place: String::new(),
            party_org: String::new(),
            contact: String::new(),
            participation: String::new(),
            notes: String::new(),
        };
        Form::with(
            FormKind::NewFlow,
            "form.new_flow",
            lang,
            flow_fields(lang, &d, ""),
        )
    }

    pub fn edit_flow(lang: Lang, flow: &Flow, name: &str) -> Form {
        let fields = flow_fields(lang, &flow.data, name);
        Form::with(FormKind::EditFlow(flow.id), "form.edit_flow", lang, fields)
    }

    /// The lost-contact form for a member with a record (or none yet).
    pub fn lost_contact(
        lang: Lang,
        member: &Member,
        state: Option<&LostContact>,
        today: chrono::NaiveDate,
    ) -> Form {
        use FieldId as F;
        let since = state.map_or(today, |s| s.since).to_string();
        let attempts = state
            .map(|s| {
                s.attempts
                    .iter()
                    .map(|a| format!("{} {}", a.date, a.note))
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default();
        let regained = state
            .and_then(|s| s.regained)
            .map(|r| r.to_string())
            .unwrap_or_default();
        let notes = state.map(|s| s.notes.clone()).unwrap_or_default();
        let fields = vec![
            Field::required(F::Member, &member.data.name),
            Field::text(F::Began, &since, Check::Date),
            Field::free(F::Attempts, &attempts),
            Field::text(F::Regained, &regained, Check::Date),
            Field::free(F::Notes, &notes),
            yes_no(lang, false),
        ];
        Form::with(FormKind::LostContact, "form.lost_contact", lang, fields)
    }

    /// The lost-contact form for a member named in it (or to be typed).
    pub fn lost_contact_named(lang: Lang, name: &str, today: chrono::NaiveDate) -> Form {
        use FieldId as F;
        let fields = vec![
            Field::required(F::Member, name),
            Field::text(F::Began, &today.to_string(), Check::Date),
            Field::free(F::Attempts, ""),
            Field::text(F::Regained, "", Check::Date),
            Field::free(F::Notes, ""),
            yes_no(lang, false),
        ];
        Form::with(FormKind::LostContact, "form.lost_contact", lang, fields)
    }

    pub(super) fn transfer_command(
        &mut self,
        members: &[MemberRow],
        index: &HashMap<MemberId, usize>,
    ) -> Result<Command, String> {
        use FieldId as F;
        Ok(Command::RecordTransfer {
            member: self.member(F::Member, members, index)?,
            direction: self.picked(F::Direction).unwrap_or(Direction::Out),
            data: TransferData {
                date: self.date(F::Date).unwrap_or_default(),
                counterpart: self.text(F::Counterpart),
                letter: self.text(F::Letter),
                reason: self.text(F::Reason),
            },
        })
    }

    pub(super) fn flow_data(
        &mut self,
        members: &[MemberRow],
        index: &HashMap<MemberId, usize>,
    ) -> Result<FlowData, String> {
        use FieldId as F;
        Ok(FlowData {
            member: self.member(F::Member, members, index)?,
            direction: self.picked(F::Direction).unwrap_or(Direction::Out),
            since: self.date(F::Began).unwrap_or_default(),
            until: self.date(F::Until),
            place: self.text(F::Place),
            party_org: self.text(F::PartyOrg),
            contact: self.text(F::Contact),
            participation: self.text(F::Participation),
            notes: self.text(F::Notes),
        })
    }

    pub(super) fn lost_contact_command(
        &mut self,
        members: &[MemberRow],
        index: &HashMap<MemberId, usize>,
    ) -> Result<Command, String> {
        use FieldId as F;
        let member = self.member(F::Member, members, index)?;
        if self.picked::<bool>(F::Remove) == Some(true) {
            return Ok(Command::SetLostContact {
                member,
                state: None,
            });
        }
        let mut attempts = Vec::new();
        // Attempts apart by `；` only: a note may hold a comma.
        let typed = self.text(F::Attempts);
        let parts = typed
            .split(['；', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        for part in parts {
            let (date, note) = part.split_once(' ').unwrap_or((part.as_str(), ""));
            let Ok(date) = parse_date(date) else {
                self.focus_on(F::Attempts);
                return Err(format!("{}: {part}", t(self.lang, "form.bad_attempt")));
            };
            attempts.push(ContactAttempt {
                date,
                note: note.trim().to_string(),
            });
        }
        Ok(Command::SetLostContact {
            member,
            state: Some(LostContact {
                since: self.date(F::Began).unwrap_or_default(),
                attempts,
                regained: self.date(F::Regained),
                notes: self.text(F::Notes),
            }),
        })
    }
}
