//! The forms a bulk action asks once for all marked members: the reason for
//! marking them absent, or the rule, quantity, day and note of the points
//! they are all awarded. They save as one `Command` per member
//! (`bulk_commands`), which the runner applies one by one.

use super::{Check, Field, FieldId, Form, FormKind, Pick};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::i18n::{Lang, t};

impl Form {
    /// The reason the marked members were absent (excused).
    pub fn bulk_absence(lang: Lang, activity: ActivityId, members: Vec<MemberId>) -> Form {
        let fields = vec![Field::required(FieldId::Reason, "")];
        Form::with(
            FormKind::BulkAbsence(activity, members),
            "form.bulk_absence",
            lang,
            fields,
        )
    }

    /// One rule, quantity, day and note for every marked member.
    pub fn bulk_points(
        lang: Lang,
        rules: &[PointsRule],
        members: Vec<MemberId>,
        today: chrono::NaiveDate,
    ) -> Form {
        let options: Vec<(String, Pick)> = rules
            .iter()
            .map(|r| {
                let name = match lang {
                    Lang::Zh => &r.name_zh,
                    Lang::En => &r.name_en,
                };
                (format!("{} {name}", r.code), Pick::Rule(Some(r.id)))
            })
            .collect();
        let first = options.first().map(|o| o.1).unwrap_or(Pick::Rule(None));
        let fields = vec![
            Field::choice(FieldId::Rule, options, first),
            Field::text(FieldId::Quantity, "1", Check::Hours),
            Field::text(FieldId::ServiceDate, &today.to_string(), Check::Date),
            Field::free(FieldId::Notes, ""),
        ];
        Form::with(
            FormKind::BulkPoints(members),
            "form.bulk_points",
            lang,
            fields,
        )
    }

    /// The commands a bulk form saves as, one per member; `None` for any
    /// other form.
    pub fn bulk_commands(&mut self) -> Option<Result<Vec<Command>, String>> {
        let kind = self.kind.clone();
        if !matches!(kind, FormKind::BulkAbsence(..) | FormKind::BulkPoints(..)) {
            return None;
        }
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
            return Some(Err(t(self.lang, "form.fix").to_string()));
        }
        Some(Ok(match kind {
            FormKind::BulkAbsence(activity, members) => {
                let reason = self.text(FieldId::Reason);
                members
                    .into_iter()
                    .map(|member| Command::MarkAbsent {
                        activity,
                        member,
                        reason: reason.clone(),
                    })
                    .collect()
            }
            FormKind::BulkPoints(members) => {
                let Some(rule) = self.picked::<Option<RuleId>>(FieldId::Rule).flatten() else {
                    return Some(Err(t(self.lang, "points.no_rule").to_string()));
                };
                let quantity_centi =
                    crate::domain::points::parse_centi(&self.text(FieldId::Quantity))
                        .and_then(|q| u32::try_from(q).ok())
                        .unwrap_or(0);
                let date = self.date(FieldId::ServiceDate).unwrap_or_default();
                let note = self.text(FieldId::Notes);
                members
                    .into_iter()
                    .map(|member| Command::RecordPoints {
                        member,
                        date,
                        rule,
                        quantity_centi,
                        points_override: None,
                        note: note.clone(),
                    })
                    .collect()
            }
            _ => Vec::new(),
        }))
    }
}
