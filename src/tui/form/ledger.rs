//! The ledger forms of the points panel: reversing an older entry (the
//! reason is required and goes into the audit) and redeeming a reward.

use super::{Check, Field, FieldId, Form, FormKind};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::i18n::Lang;

impl Form {
    /// Reversing entry `entry` (described as `what`) with a reason.
    pub fn reverse_entry(lang: Lang, entry: EntryId, what: String) -> Form {
        let fields = vec![
            Field::text(FieldId::Title, &what, Check::Text { required: false }),
            Field::required(FieldId::Reason, ""),
        ];
        let mut form = Form::with(FormKind::ReverseEntry(entry), "form.reverse", lang, fields);
        form.focus = 1;
        form
    }

    /// A reward for a member (the one shown, when there is one), today.
    pub fn redeem(
        lang: Lang,
        rewards: &[Reward],
        member: Option<(MemberId, String)>,
        today: chrono::NaiveDate,
    ) -> Form {
        let options: Vec<(String, u64)> = rewards
            .iter()
            .map(|r| (format!("{} · {}", r.name, r.cost), r.id.0))
            .collect();
        let first = options.first().map(|o| o.1).unwrap_or(0);
        let fields = vec![
            Field::text(FieldId::Member, "", Check::Member),
            Field::ids(FieldId::Reward, options, first),
            Field::text(FieldId::ServiceDate, &today.to_string(), Check::Date),
            Field::free(FieldId::Notes, ""),
        ];
        let mut form = Form::with(FormKind::Redeem, "form.redeem", lang, fields);
        if let Some((id, name)) = member {
            form.suggest(FieldId::Member, vec![(name, id.0)]);
        }
        form
    }

    pub(super) fn reverse_command(&self, entry: EntryId) -> Command {
        Command::ReversePoints {
            entry,
            reason: self.text(FieldId::Reason),
        }
    }

    pub(super) fn redeem_command(&self, member: MemberId) -> Command {
        Command::Redeem {
            member,
            reward: RewardId(self.id(FieldId::Reward)),
            date: self.date(FieldId::ServiceDate).unwrap_or_default(),
            note: self.text(FieldId::Notes),
        }
    }
}
