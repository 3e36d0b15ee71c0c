//! The meeting forms: a new meeting is the activity form preset to a kind of
//! 三会一课; a resolution with its votes for / against / abstain is added to
//! the meeting's record as stored (the minutes editor is its own layer, in
//! `panels::orglife::minutes`).

use super::{Check, Field, FieldId, Form, FormKind, Pick};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::i18n::Lang;

/// Votes are counted people: no branch has more.
const MAX_VOTES: u32 = 100_000;

impl Form {
    /// The activity form, made for a meeting: a branch general meeting unless
    /// the user picks another kind.
    pub fn preset_meeting(&mut self) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == FieldId::Kind)
            && let super::FieldValue::Choice { options, index } = &mut f.value
            && let Some(i) = options
                .iter()
                .position(|o| o.1 == Pick::ActivityKind(ActivityKind::BranchGeneralMeeting))
        {
            *index = i;
        }
        self.title = "form.new_meeting";
    }

    /// One more resolution for a meeting, over its record as it is stored.
    pub fn resolution(lang: Lang, activity: ActivityId, record: MeetingRecord) -> Form {
        let votes = |id| Field::text(id, "", Check::Whole { max: MAX_VOTES });
        let fields = vec![
            Field::required(FieldId::Resolution, ""),
            votes(FieldId::VotesFor),
            votes(FieldId::Against),
            votes(FieldId::Abstain),
        ];
        Form::with(
            FormKind::Resolution {
                activity,
                record: Box::new(record),
            },
            "form.resolution",
            lang,
            fields,
        )
    }

    fn count(&self, id: FieldId) -> u32 {
        self.text(id).parse().unwrap_or(0)
    }

    pub(super) fn resolution_command(
        &self,
        activity: ActivityId,
        mut record: MeetingRecord,
    ) -> Command {
        record.resolutions.push(Resolution {
            text: self.text(FieldId::Resolution),
            votes_for: self.count(FieldId::VotesFor),
            against: self.count(FieldId::Against),
            abstain: self.count(FieldId::Abstain),
        });
        Command::SetMeetingRecord {
            activity,
            record: Some(record),
        }
    }
}
