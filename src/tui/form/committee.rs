//! The committee form: a unit's new committee after an election (换届) — its
//! term start and length, its seats typed as `书记 张三；组织委员 李四`, and
//! the election: date, eligible voters, ballots cast and each candidate's
//! votes typed as `张三 25*；李四 20` (`*`: elected). Names are resolved
//! against the roster the user sees; a name that is no one says so.

use super::{Check, Field, FieldId, Form, FormKind, split_list};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::app::MemberRow;
use crate::tui::i18n::{Lang, t};

fn name(members: &[MemberRow], id: MemberId) -> String {
    members
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.name.to_string())
        .unwrap_or_else(|| id.0.to_string())
}

/// A seat as typed: a post by its name in either language (`书记`,
/// `deputy secretary`), then who holds it. The longest name that fits wins,
/// so `副书记` is not read as `书记`.
fn seat_typed(text: &str) -> Option<(CommitteePost, String)> {
    let text = text.trim();
    let lower = text.to_lowercase();
    let mut best: Option<(CommitteePost, usize)> = None;
    for post in CommitteePost::VARIANTS {
        for lang in crate::domain::Lang::ALL {
            let label = post.label(lang).to_lowercase();
            if lower.starts_with(&label) && best.is_none_or(|b| label.len() > b.1) {
                best = Some((*post, label.len()));
            }
        }
    }
    let (post, len) = best?;
    let who = text.get(len..)?.trim_start_matches([':', '：', ' ']).trim();
    (!who.is_empty()).then(|| (post, who.to_string()))
}

impl Form {
    /// A new committee for `unit`, its seats and length taken from the
    /// current one (if any) so a re-election changes only what changed.
    pub fn record_term(
        lang: Lang,
        unit: OrgUnitId,
        current: Option<&Term>,
        members: &[MemberRow],
        today: chrono::NaiveDate,
    ) -> Form {
        let seats = current
            .map(|t| {
                t.data
                    .seats
                    .iter()
                    .map(|s| format!("{} {}", s.post.label(lang), name(members, s.member)))
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default();
        let years = current.map_or(3, |t| t.data.years).to_string();
        let fields = vec![
            Field::text(FieldId::Started, &today.to_string(), Check::Date),
            Field::text(FieldId::Years, &years, Check::Whole { max: 10 }),
            Field::required(FieldId::Seats, &seats),
            Field::text(FieldId::ElectionDate, &today.to_string(), Check::Date),
            Field::text(FieldId::Eligible, "", Check::Whole { max: 100_000 }),
            Field::text(FieldId::Cast, "", Check::Whole { max: 100_000 }),
            Field::free(FieldId::Candidates, ""),
            Field::free(FieldId::Notes, ""),
        ];
        Form::with(FormKind::RecordTerm(unit), "form.record_term", lang, fields)
    }

    /// A member by exact name (or id) in the roster; the focus goes to
    /// `field` when it is no one.
    fn named(
        &mut self,
        field: FieldId,
        text: &str,
        members: &[MemberRow],
    ) -> Result<MemberId, String> {
        let text = text.trim();
        let hits: Vec<MemberId> = members
            .iter()
            .filter(|r| &*r.name == text || r.id.0.to_string() == text)
            .map(|r| r.id)
            .collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            _ => {
                self.focus_on(field);
                Err(format!("{}: {text}", t(self.lang, "form.unknown_member")))
            }
        }
    }

    pub(super) fn focus_on(&mut self, field: FieldId) {
        if let Some(i) = self.fields.iter().position(|f| f.id == field) {
            self.focus = i;
        }
    }

    pub(super) fn term_command(
        &mut self,
        unit: OrgUnitId,
        members: &[MemberRow],
    ) -> Result<Command, String> {
        let mut seats = Vec::new();
        for part in split_list(&self.text(FieldId::Seats)) {
            let Some((post, who)) = seat_typed(&part) else {
                self.focus_on(FieldId::Seats);
                return Err(format!("{}: {part}", t(self.lang, "form.bad_seat")));
            };
            let member = self.named(FieldId::Seats, &who, members)?;
            seats.push(Seat { member, post });
        }
        let mut candidates = Vec::new();
        for part in split_list(&self.text(FieldId::Candidates)) {
            let elected = part.ends_with('*');
            let part = part.trim_end_matches('*').trim();
            let (who, votes) = part.rsplit_once(' ').unwrap_or((part, ""));
            let Ok(votes) = votes.trim().parse::<u32>() else {
                self.focus_on(FieldId::Candidates);
                return Err(format!("{}: {part}", t(self.lang, "form.bad_candidate")));
            };
            let member = self.named(FieldId::Candidates, who, members)?;
            candidates.push(Candidate {
                member,
                votes,
                elected,
            });
        }
        let whole = |f: &Form, id| f.text(id).parse::<u32>().unwrap_or(0);
        let election = match self.date(FieldId::ElectionDate) {
            Some(date) if !candidates.is_empty() || whole(self, FieldId::Cast) > 0 => {
                Some(Election {
                    date,
                    eligible: whole(self, FieldId::Eligible),
                    cast: whole(self, FieldId::Cast),
                    candidates,
                })
            }
            _ => None,
        };
        Ok(Command::RecordTerm {
            data: TermData {
                unit,
                started: self.date(FieldId::Started).unwrap_or_default(),
                years: self.text(FieldId::Years).parse().unwrap_or(3),
                seats,
                election,
                notes: self.text(FieldId::Notes),
            },
        })
    }
}
