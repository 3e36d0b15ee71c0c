//! The form engine: fields that validate as you type and say what is wrong
//! in words, pick lists cycled with ←/→, and a `Command` built on save. Each
//! field has a typed id (`FieldId`, whose label is its i18n key) and each
//! pick list typed values (`Pick`), so a form family reads
//! `self.text(FieldId::Name)` or `self.picked::<MemberCategory>(FieldId::Category)`,
//! never a string key or a bare number. The families, one file each: members
//! (`member`), org units (`org`), activities (`activity`), and care —
//! beneficiaries, pairings, tasks — (`care`). Validation here is for the
//! typist's benefit; `ops::apply` validates again and has the last word.

mod activity;
mod bulk;
mod care;
mod committee;
mod evaluation;
mod fields;
mod kind;
mod ledger;
mod meeting;
mod member;
mod movement;
mod org;
mod partner;
mod post;
mod users;

pub use activity::activity_kind_key;
pub use care::task_kind_key;
pub use evaluation::EvalField;
pub use fields::FieldId;

use super::app::MemberRow;
use super::i18n::{Lang, t};
use super::words::value_error;
use crate::domain::validate::{parse_date, validate_id_number, validate_phone};
use crate::domain::*;
use crate::ops::Command;
use crossterm::event::{Event, KeyEvent};
pub use kind::FormKind;
use kind::kind_prefills;
use std::collections::{BTreeMap, HashMap};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Text {
        required: bool,
    },
    Date,
    /// A day or just a month (`1980-07`), as party records give a join date.
    MonthOrDate,
    IdNumber,
    Phone,
    /// A member named by id or exact name (a unit's leader).
    Member,
    /// A date and a time of day: `2026-11-26 09:30`.
    DateTime,
    /// Hours: a number above 0 with at most two decimals.
    Hours,
    /// A whole number of days, 1 to 366.
    Days,
    /// Points, 0 or more, at most two decimals (empty for none unless required).
    Points {
        required: bool,
    },
    /// A whole number from 0 to `max` (empty for none).
    Whole {
        max: u32,
    },
    /// A list of roles, by name in either language.
    Roles,
}

/// A value a pick list offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// A record by its id: a unit, a member, a pairing.
    Id(u64),
    Gender(Option<Gender>),
    Category(MemberCategory),
    Status(MemberStatus),
    ActivityKind(ActivityKind),
    BeneficiaryKind(BeneficiaryKind),
    TaskKind(TaskKind),
    Rule(Option<RuleId>),
    Role(Role),
    Yes(bool),
    Grade(Grade),
    Direction(Direction),
    PartnerKind(PartnerKind),
}

/// A type a pick list can hold, taken back out of its `Pick`.
pub trait Picked: Sized {
    fn from_pick(p: Pick) -> Option<Self>;
}

macro_rules! picked {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl Picked for $t {
            fn from_pick(p: Pick) -> Option<Self> {
                match p {
                    Pick::$v(x) => Some(x),
                    _ => None,
                }
            }
        }
    )*};
}

picked!(
    u64 => Id,
    Option<Gender> => Gender,
    MemberCategory => Category,
    MemberStatus => Status,
    ActivityKind => ActivityKind,
    BeneficiaryKind => BeneficiaryKind,
    TaskKind => TaskKind,
    Option<RuleId> => Rule,
    Role => Role,
    bool => Yes,
    Grade => Grade,
    Direction => Direction,
    PartnerKind => PartnerKind,
);

#[derive(Debug, Clone)]
pub enum FieldValue {
    Text(Input, Check),
    /// Options as (label, value); `index` is the chosen one.
    Choice {
        options: Vec<(String, Pick)>,
        index: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub value: FieldValue,
    pub error: Option<String>,
}

impl Field {
    fn text(id: FieldId, value: &str, check: Check) -> Field {
        let mut f = Field {
            id,
            value: FieldValue::Text(Input::new(value.to_string()), check),
            error: None,
        };
        f.validate(None);
        f
    }

    /// Free text, not required.
    fn free(id: FieldId, value: &str) -> Field {
        Field::text(id, value, Check::Text { required: false })
    }

    fn required(id: FieldId, value: &str) -> Field {
        Field::text(id, value, Check::Text { required: true })
    }

    fn choice(id: FieldId, options: Vec<(String, Pick)>, selected: Pick) -> Field {
        let index = options.iter().position(|o| o.1 == selected).unwrap_or(0);
        Field {
            id,
            value: FieldValue::Choice { options, index },
            error: None,
        }
    }

    /// A pick list of records by id.
    fn ids(id: FieldId, options: Vec<(String, u64)>, selected: u64) -> Field {
        let options = options.into_iter().map(|(l, v)| (l, Pick::Id(v))).collect();
        Field::choice(id, options, Pick::Id(selected))
    }

    /// The field's label, as an i18n key.
    pub fn label(&self) -> &'static str {
        self.id.label()
    }

    pub fn text_value(&self) -> &str {
        match &self.value {
            FieldValue::Text(i, _) => i.value().trim(),
            FieldValue::Choice { .. } => "",
        }
    }

    pub fn pick(&self) -> Option<Pick> {
        match &self.value {
            FieldValue::Choice { options, index } => options.get(*index).map(|o| o.1),
            FieldValue::Text(..) => None,
        }
    }

    /// The chosen record's id, for a pick list of records.
    pub fn choice_value(&self) -> Option<u64> {
        self.pick().and_then(u64::from_pick)
    }

    /// Sets `error` to what is wrong with the current value, in words.
    fn validate(&mut self, lang: Option<Lang>) {
        let FieldValue::Text(input, check) = &self.value else {
            self.error = None;
            return;
        };
        let v = input.value().trim();
        let lang = lang.unwrap_or(Lang::En);
        self.error = match check {
            Check::Text { required: true } | Check::Points { required: true } if v.is_empty() => {
                Some(t(lang, "form.required").to_string())
            }
            _ if v.is_empty() => None,
            Check::Text { .. } | Check::Member => None,
            Check::Date => parse_date(v).err().map(|e| value_error(lang, &e)),
            Check::MonthOrDate => crate::domain::date::parse_partial_date(v)
                .err()
                .map(|e| value_error(lang, &e)),
            Check::Days => v
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=366).contains(d))
                .is_none()
                .then(|| t(lang, "form.bad_days").to_string()),
            Check::Hours => crate::domain::points::parse_centi(v)
                .filter(|h| *h > 0 && *h <= 2400)
                .is_none()
                .then(|| t(lang, "form.bad_hours").to_string()),
            Check::DateTime => parse_date_time(v)
                .is_none()
                .then(|| t(lang, "form.bad_time").to_string()),
            Check::IdNumber => validate_id_number(v).err().map(|e| value_error(lang, &e)),
            Check::Phone => validate_phone(v).err().map(|e| value_error(lang, &e)),
            Check::Points { .. } | Check::Whole { .. } | Check::Roles => {
                evaluation::check(*check, v, lang)
            }
        };
    }
}

/// A key that types a character (not Ctrl or Alt chords).
pub fn typed_char(key: KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// `2026-11-26 09:30` (any date form `parse_date` takes, a space, `H:MM`).
pub fn parse_date_time(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    let (date, time) = s.rsplit_once(' ')?;
    let date = parse_date(date).ok()?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    Some(date.and_time(time))
}

#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub title: &'static str,
    pub lang: Lang,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// A refusal from saving (ours or the store's).
    pub error: Option<String>,
    /// The focused field still shows its pre-filled default, untouched since
    /// the focus came: the first character typed replaces it (hours `1`, then
    /// `3`, is 3, not 13). Any other key first (←/→, Home, End, Backspace)
    /// keeps it for editing.
    pub fresh: bool,
    /// Fields the user has typed in: never replaced on coming back to them.
    pub edited: Vec<usize>,
    /// Members the finder settled for member fields: (field, the text then,
    /// member); stale once the field's text changes.
    pub chosen: Vec<(FieldId, String, MemberId)>,
    /// Members suggested for a member field (labels with why), shown under it.
    pub suggested: Vec<(FieldId, Vec<String>)>,
    /// What the focused member field's text finds, refreshed as it is typed.
    pub member_matches: crate::tui::finder::Matches,
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Units a member (or beneficiary) may belong to, within the user's scope:
/// groups and branches.
fn unit_options(
    units: &BTreeMap<OrgUnitId, OrgUnit>,
    scope: Option<OrgUnitId>,
) -> Vec<(String, u64)> {
    let within = |mut at: Option<OrgUnitId>, root: OrgUnitId| {
        for _ in 0..8 {
            match at {
                Some(u) if u == root => return true,
                Some(u) => at = units.get(&u).and_then(|x| x.parent),
                None => return false,
            }
        }
        false
    };
    units
        .values()
        .filter(|u| u.level != OrgLevel::Committee && u.closed.is_none())
        .filter(|u| scope.is_none_or(|s| within(Some(u.id), s)))
        .map(|u| (u.name.clone(), u.id.0))
        .collect()
}

/// A pick list from a table of (value, i18n key).
fn options<T: Copy>(
    lang: Lang,
    table: &[(T, &'static str)],
    pick: fn(T) -> Pick,
) -> Vec<(String, Pick)> {
    table
        .iter()
        .map(|(v, key)| (t(lang, key).to_string(), pick(*v)))
        .collect()
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；'])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

impl Form {
    fn with(kind: FormKind, title: &'static str, lang: Lang, fields: Vec<Field>) -> Form {
        let fresh = kind_prefills(&kind);
        let mut form = Form {
            kind,
            title,
            lang,
            fields,
            focus: 0,
            dirty: false,
            error: None,
            fresh,
            edited: Vec::new(),
            chosen: Vec::new(),
            suggested: Vec::new(),
            member_matches: Default::default(),
        };
        for f in &mut form.fields {
            f.validate(Some(lang));
        }
        form
    }

    pub fn focus_next(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        if n > 0 {
            self.focus = ((self.focus as isize + delta).rem_euclid(n)) as usize;
        }
        self.fresh = kind_prefills(&self.kind) && !self.edited.contains(&self.focus);
    }

    /// ←/→: cycles a pick list, or moves the cursor in a text field.
    pub fn choose(&mut self, delta: isize) {
        self.fresh = false;
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(FieldValue::Choice { options, index }) if !options.is_empty() => {
                let n = options.len() as isize;
                *index = ((*index as isize + delta).rem_euclid(n)) as usize;
                self.dirty = true;
            }
            Some(FieldValue::Text(input, _)) => {
                let req = if delta < 0 {
                    tui_input::InputRequest::GoToPrevChar
                } else {
                    tui_input::InputRequest::GoToNextChar
                };
                input.handle(req);
            }
            _ => {}
        }
    }

    pub fn key(&mut self, key: KeyEvent) {
        let lang = self.lang;
        let replace = std::mem::take(&mut self.fresh) && typed_char(key);
        if let Some(field) = self.fields.get_mut(self.focus)
            && let FieldValue::Text(input, _) = &mut field.value
        {
            if replace {
                input.reset();
            }
            if input
                .handle_event(&Event::Key(key))
                .is_some_and(|r| r.value)
            {
                self.dirty = true;
                self.error = None;
                if !self.edited.contains(&self.focus) {
                    self.edited.push(self.focus);
                }
            }
            field.validate(Some(lang));
        }
    }

    fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// A text field's value, trimmed ("" when the form has no such field).
    fn text(&self, id: FieldId) -> String {
        self.field(id)
            .map(|f| f.text_value().to_string())
            .unwrap_or_default()
    }

    fn date(&self, id: FieldId) -> Option<chrono::NaiveDate> {
        parse_date(&self.text(id)).ok()
    }

    fn partial_date(&self, id: FieldId) -> Option<crate::domain::PartialDate> {
        crate::domain::date::parse_partial_date(&self.text(id)).ok()
    }

    /// What a pick list holds, as the type it offers.
    fn picked<T: Picked>(&self, id: FieldId) -> Option<T> {
        self.field(id).and_then(Field::pick).and_then(T::from_pick)
    }

    /// The record a pick list of records has chosen (0 for none).
    fn id(&self, id: FieldId) -> u64 {
        self.picked::<u64>(id).unwrap_or(0)
    }

    /// A member typed by id or exact name; the focus goes to the field when
    /// it names no one (or more than one).
    fn member(
        &mut self,
        id: FieldId,
        members: &[MemberRow],
        member_index: &HashMap<MemberId, usize>,
    ) -> Result<MemberId, String> {
        let text = self.text(id);
        if let Some(m) = self.chosen_member(id) {
            return Ok(m);
        }
        let by_id = text
            .parse::<u64>()
            .ok()
            .map(MemberId)
            .filter(|m| member_index.contains_key(m));
        let hits: Vec<MemberId> = members
            .iter()
            .filter(|r| *r.name == *text)
            .map(|r| r.id)
            .collect();
        match (by_id, hits.as_slice()) {
            (Some(m), _) => Ok(m),
            (None, [one]) => Ok(*one),
            _ => {
                if let Some(i) = self.fields.iter().position(|f| f.id == id) {
                    self.focus = i;
                }
                Err(t(self.lang, "form.unknown_member").to_string())
            }
        }
    }

    /// The command this form saves as, or what to fix first.
    pub fn to_command(
        &mut self,
        members: &[MemberRow],
        member_index: &HashMap<MemberId, usize>,
    ) -> Result<Command, String> {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
            return Err(t(self.lang, "form.fix").to_string());
        }
        Ok(match self.kind.clone() {
            FormKind::NewMember => Command::CreateMember {
                data: self.member_data(),
            },
            FormKind::EditMember(id) => Command::UpdateMember {
                id,
                data: self.member_data(),
            },
            FormKind::NewUnit { parent, level } => self.new_unit_command(parent, level),
            FormKind::EditUnit(id) => self.edit_unit_command(id, members, member_index)?,
            FormKind::MoveUnit(id) => Command::MoveOrgUnit {
                id,
                parent: OrgUnitId(self.id(FieldId::Parent)),
            },
            FormKind::NewActivity => Command::CreateActivity {
                data: self.activity_data(),
            },
            FormKind::EditActivity(id) => Command::UpdateActivity {
                id,
                data: self.activity_data(),
            },
            FormKind::Absence(activity) => Command::MarkAbsent {
                activity,
                member: self.member(FieldId::Member, members, member_index)?,
                reason: self.text(FieldId::Reason),
            },
            FormKind::NewBeneficiary => Command::CreateBeneficiary {
                data: self.beneficiary_data(),
            },
            FormKind::EditBeneficiary(id) => Command::UpdateBeneficiary {
                id,
                data: self.beneficiary_data(),
            },
            FormKind::NewPairing(beneficiary) => Command::CreatePairing {
                member: self.member(FieldId::Member, members, member_index)?,
                beneficiary,
                since: self.date(FieldId::Since).unwrap_or_default(),
            },
            FormKind::EndPairing => Command::EndPairing {
                id: PairingId(self.id(FieldId::Pairing)),
                until: self.date(FieldId::Until).unwrap_or_default(),
                reason: self.text(FieldId::Reason),
            },
            FormKind::CompleteTask(id) => self.complete_task_command(id),
            FormKind::NewTask(beneficiary) => {
                let assignee = self.member(FieldId::Assignee, members, member_index)?;
                self.new_task_command(beneficiary, assignee)
            }
            FormKind::NewUser => self.new_user_command(),
            FormKind::EditUser(old) => self.edit_user_command(&old),
            FormKind::EditTask(id) => Command::UpdateTask {
                id,
                title: self.text(FieldId::Title),
                assignee: self.member(FieldId::Assignee, members, member_index)?,
                due: self.date(FieldId::Due).unwrap_or_default(),
            },
            FormKind::EvaluationSettings(old) => self.settings_command(&old),
            FormKind::RejectPending(ids) => Command::RejectPoints {
                ids,
                reason: self.text(FieldId::Reason),
            },
            FormKind::Resolution { activity, record } => self.resolution_command(activity, *record),
            FormKind::RecordTerm(unit) => self.term_command(unit, members)?,
            FormKind::Transfer => self.transfer_command(members, member_index)?,
            FormKind::NewFlow => Command::RecordFlow {
                data: self.flow_data(members, member_index)?,
            },
            FormKind::EditFlow(id) => Command::UpdateFlow {
                id,
                data: self.flow_data(members, member_index)?,
            },
            FormKind::LostContact => self.lost_contact_command(members, member_index)?,
            FormKind::NewPartner => Command::CreatePartner {
                data: self.partner_data(),
            },
            FormKind::EditPartner(id) => Command::UpdatePartner {
                id,
                data: self.partner_data(),
            },
            FormKind::NewPost => Command::CreatePost {
                data: self.post_data(),
            },
            FormKind::EditPost(id) => Command::UpdatePost {
                id,
                data: self.post_data(),
            },
            FormKind::ActivityPartners { activity, known } => {
                self.activity_partners_command(activity, &known)?
            }
            FormKind::AssignPost { post, assigned } => {
                self.assign_command(post, assigned, members, member_index)?
            }
            FormKind::ReverseEntry(entry) => self.reverse_command(entry),
            FormKind::Redeem => {
                let member = self.member(FieldId::Member, members, member_index)?;
                self.redeem_command(member)
            }
            // Several commands: `bulk_commands`, which saving asks first.
            FormKind::BulkAbsence(..) | FormKind::BulkPoints(..) => {
                return Err(t(self.lang, "form.fix").to_string());
            }
        })
    }
}

#[cfg(test)]
mod tests;
