//! Member fields of forms: the text typed is resolved by the finder on save
//! (a tie opens the pick list, whose choice is remembered here for that
//! text), and a field can start with a suggested member (the pairing's best
//! match, a task's paired member) that stays chosen until the text changes.

use crate::domain::MemberId;
use crate::domain::finder::FinderEntry;
use crate::tui::app::MemberRow;
use crate::tui::form::{Check, FieldId, FieldValue, Form};

impl Form {
    /// The member the finder or the pick list settled for this field, while
    /// its text is what it was then.
    pub(crate) fn chosen_member(&self, id: FieldId) -> Option<MemberId> {
        let text = self.text_of(id);
        self.chosen
            .iter()
            .find(|(f, t, _)| *f == id && *t == text)
            .map(|c| c.2)
    }

    /// Remembers `member` for the field's current text.
    pub fn choose_member(&mut self, id: FieldId, member: MemberId) {
        let text = self.text_of(id);
        self.chosen.retain(|c| c.0 != id);
        self.chosen.push((id, text, member));
    }

    /// Starts a member field with the first of `suggestions` ((label, id),
    /// best first; a label is `name · why`) and lists them under the field.
    pub fn suggest(&mut self, id: FieldId, suggestions: Vec<(String, u64)>) {
        let Some((label, first)) = suggestions.first().cloned() else {
            return;
        };
        let name = label.split(" · ").next().unwrap_or("").to_string();
        if let Some(FieldValue::Text(input, _)) = self
            .fields
            .iter_mut()
            .find(|f| f.id == id)
            .map(|f| &mut f.value)
        {
            *input = tui_input::Input::new(name);
        }
        self.choose_member(id, MemberId(first));
        let labels = suggestions.into_iter().map(|s| s.0).collect();
        self.suggested.retain(|s| s.0 != id);
        self.suggested.push((id, labels));
    }

    /// The fields that take a member, in order.
    pub fn member_fields(&self) -> Vec<FieldId> {
        self.fields
            .iter()
            .filter(|f| matches!(f.value, FieldValue::Text(_, Check::Member)))
            .map(|f| f.id)
            .collect()
    }

    /// A text field's value, trimmed.
    pub(crate) fn text_of(&self, id: FieldId) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.text_value().to_string())
            .unwrap_or_default()
    }

    /// The focused field, when it takes a member.
    pub fn focused_member_field(&self) -> Option<FieldId> {
        self.fields
            .get(self.focus)
            .filter(|f| matches!(f.value, FieldValue::Text(_, Check::Member)))
            .map(|f| f.id)
    }

    /// Searches again for the focused member field's text (after a key).
    pub fn refresh_member_matches(&mut self, members: &[MemberRow], finder: &[FinderEntry]) {
        match self.focused_member_field() {
            Some(id) if self.chosen_member(id).is_none() => {
                let text = self.text_of(id);
                let pool = super::active(members);
                self.member_matches
                    .search(finder, &pool, &text, 3, &|_| true);
            }
            _ => self.member_matches.clear(),
        }
    }
}
