//! Forms for members and org units: fields that validate as you type and say
//! what is wrong in words, pick lists cycled with ←/→, and a `Command` built on
//! save. Validation here is for the typist's benefit; `ops::apply` validates
//! again and has the last word.

use super::i18n::{Lang, t};
use super::words::value_error;
use crate::domain::validate::{parse_date, validate_id_number, validate_phone};
use crate::domain::*;
use crate::ops::Command;
use crossterm::event::{Event, KeyEvent};
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
}

#[derive(Debug, Clone)]
pub enum FieldValue {
    Text(Input, Check),
    /// Options as (label, value); `index` is the chosen one.
    Choice {
        options: Vec<(String, u64)>,
        index: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub value: FieldValue,
    pub error: Option<String>,
}

impl Field {
    fn text(label: &'static str, value: &str, check: Check) -> Field {
        let mut f = Field {
            label,
            value: FieldValue::Text(Input::new(value.to_string()), check),
            error: None,
        };
        f.validate(None);
        f
    }

    fn choice(label: &'static str, options: Vec<(String, u64)>, selected: u64) -> Field {
        let index = options.iter().position(|o| o.1 == selected).unwrap_or(0);
        Field {
            label,
            value: FieldValue::Choice { options, index },
            error: None,
        }
    }

    pub fn text_value(&self) -> &str {
        match &self.value {
            FieldValue::Text(i, _) => i.value().trim(),
            FieldValue::Choice { .. } => "",
        }
    }

    pub fn choice_value(&self) -> Option<u64> {
        match &self.value {
            FieldValue::Choice { options, index } => options.get(*index).map(|o| o.1),
            FieldValue::Text(..) => None,
        }
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
            Check::Text { required: true } if v.is_empty() => {
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
        };
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    NewMember,
    EditMember(MemberId),
    NewUnit { parent: OrgUnitId, level: OrgLevel },
    EditUnit(OrgUnitId),
    MoveUnit(OrgUnitId),
    NewActivity,
    EditActivity(ActivityId),
    Absence(ActivityId),
    CompleteTask(TaskId),
    NewTask(BeneficiaryId),
    EditTask(TaskId),
    NewBeneficiary,
    EditBeneficiary(BeneficiaryId),
    NewPairing(BeneficiaryId),
    EndPairing,
}

const BENEFICIARY_KINDS: [(BeneficiaryKind, &str); 5] = [
    (BeneficiaryKind::ElderlyAlone, "bkind.elderly"),
    (BeneficiaryKind::Disabled, "bkind.disabled"),
    (BeneficiaryKind::FamilyInDifficulty, "bkind.family"),
    (BeneficiaryKind::LeftBehindChild, "bkind.child"),
    (BeneficiaryKind::Other, "bkind.other"),
];

const TASK_KINDS: [(TaskKind, &str); 4] = [
    (TaskKind::Visit, "tkind.visit"),
    (TaskKind::Care, "tkind.care"),
    (TaskKind::Errand, "tkind.errand"),
    (TaskKind::Other, "tkind.other"),
];

pub fn task_kind_key(kind: TaskKind) -> &'static str {
    TASK_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, key)| *key)
        .unwrap_or("tkind.other")
}

/// `2026-11-26 09:30` (any date form `parse_date` takes, a space, `H:MM`).
pub fn parse_date_time(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    let (date, time) = s.rsplit_once(' ')?;
    let date = parse_date(date).ok()?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    Some(date.and_time(time))
}

const ACTIVITY_KINDS: [(ActivityKind, &str); 8] = [
    (ActivityKind::BranchGeneralMeeting, "akind.branch_general"),
    (
        ActivityKind::BranchCommitteeMeeting,
        "akind.branch_committee",
    ),
    (ActivityKind::GroupMeeting, "akind.group_meeting"),
    (ActivityKind::PartyLecture, "akind.lecture"),
    (ActivityKind::ThemePartyDay, "akind.theme_day"),
    (ActivityKind::VolunteerService, "akind.volunteer"),
    (ActivityKind::Study, "akind.study"),
    (ActivityKind::Other, "akind.other"),
];

pub fn activity_kind_key(kind: ActivityKind) -> &'static str {
    ACTIVITY_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, key)| *key)
        .unwrap_or("akind.other")
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
}

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn partial_text(d: Option<crate::domain::PartialDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Units a member may belong to, within the user's scope: groups and branches.
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

fn category_options(lang: Lang) -> Vec<(String, u64)> {
    [
        "category.on_the_job",
        "category.retired",
        "category.student",
        "category.mobile",
        "category.other",
    ]
    .iter()
    .enumerate()
    .map(|(i, k)| (t(lang, k).to_string(), i as u64))
    .collect()
}

fn category_of(v: u64) -> MemberCategory {
    MemberCategory::ALL
        .get(v as usize)
        .copied()
        .unwrap_or(MemberCategory::Other)
}

fn status_options(lang: Lang) -> Vec<(String, u64)> {
    ["status.active", "status.transferred_out", "status.deceased"]
        .iter()
        .enumerate()
        .map(|(i, k)| (t(lang, k).to_string(), i as u64))
        .collect()
}

fn status_of(v: u64) -> MemberStatus {
    match v {
        1 => MemberStatus::TransferredOut,
        2 => MemberStatus::Deceased,
        _ => MemberStatus::Active,
    }
}

fn status_value(s: MemberStatus) -> u64 {
    match s {
        MemberStatus::Active => 0,
        MemberStatus::TransferredOut => 1,
        MemberStatus::Deceased => 2,
    }
}

fn gender_options(lang: Lang) -> Vec<(String, u64)> {
    ["gender.unknown", "gender.male", "gender.female"]
        .iter()
        .enumerate()
        .map(|(i, k)| (t(lang, k).to_string(), i as u64))
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
        let mut form = Form {
            kind,
            title,
            lang,
            fields,
            focus: 0,
            dirty: false,
            error: None,
        };
        for f in &mut form.fields {
            f.validate(Some(lang));
        }
        form
    }

    fn member_fields(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
        d: &MemberData,
    ) -> Vec<Field> {
        let gender = match d.gender {
            None => 0,
            Some(Gender::Male) => 1,
            Some(Gender::Female) => 2,
        };
        vec![
            Field::text("field.name", &d.name, Check::Text { required: true }),
            Field::choice("field.gender", gender_options(lang), gender),
            Field::text("field.birth", &date_text(d.birth_date), Check::Date),
            Field::text("field.id_number", &d.id_number, Check::IdNumber),
            Field::text("field.phone", &d.phone, Check::Phone),
            Field::text(
                "field.building",
                &d.address.building,
                Check::Text { required: false },
            ),
            Field::text(
                "field.entrance",
                &d.address.unit,
                Check::Text { required: false },
            ),
            Field::text(
                "field.room",
                &d.address.room,
                Check::Text { required: false },
            ),
            Field::choice("field.unit", unit_options(units, scope), d.unit.0),
            Field::choice(
                "field.category",
                category_options(lang),
                MemberCategory::ALL
                    .iter()
                    .position(|c| *c == d.category)
                    .unwrap_or(4) as u64,
            ),
            Field::text(
                "field.home_unit",
                &d.home_unit,
                Check::Text { required: false },
            ),
            Field::text("field.reported", &date_text(d.reported), Check::Date),
            Field::text("field.joined", &partial_text(d.joined), Check::MonthOrDate),
            Field::text(
                "field.full_member",
                &partial_text(d.full_member),
                Check::MonthOrDate,
            ),
            Field::text(
                "field.skills",
                &d.skills.join("，"),
                Check::Text { required: false },
            ),
            Field::text(
                "field.posts",
                &d.posts.join("，"),
                Check::Text { required: false },
            ),
            Field::choice("field.status", status_options(lang), status_value(d.status)),
            Field::text("field.notes", &d.notes, Check::Text { required: false }),
        ]
    }

    pub fn new_member(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
        unit: Option<OrgUnitId>,
    ) -> Form {
        let blank = MemberData {
            name: String::new(),
            gender: None,
            birth_date: None,
            id_number: String::new(),
            phone: String::new(),
            address: Address::default(),
            unit: unit.unwrap_or(OrgUnitId(0)),
            category: MemberCategory::OnTheJob,
            home_unit: String::new(),
            reported: None,
            joined: None,
            full_member: None,
            skills: vec![],
            posts: vec![],
            status: MemberStatus::Active,
            notes: String::new(),
        };
        let fields = Form::member_fields(lang, units, scope, &blank);
        Form::with(FormKind::NewMember, "form.new_member", lang, fields)
    }

    pub fn edit_member(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
        m: &Member,
    ) -> Form {
        let fields = Form::member_fields(lang, units, scope, &m.data);
        Form::with(FormKind::EditMember(m.id), "form.edit_member", lang, fields)
    }

    pub fn new_unit(lang: Lang, parent: &OrgUnit, level: OrgLevel) -> Form {
        let mut fields = vec![Field::text(
            "field.name",
            "",
            Check::Text { required: true },
        )];
        if level == OrgLevel::Group {
            fields.push(Field::text(
                "field.buildings",
                "",
                Check::Text { required: false },
            ));
        }
        fields.push(Field::text("field.established", "", Check::Date));
        fields.push(Field::text(
            "field.notes",
            "",
            Check::Text { required: false },
        ));
        Form::with(
            FormKind::NewUnit {
                parent: parent.id,
                level,
            },
            "form.new_unit",
            lang,
            fields,
        )
    }

    pub fn edit_unit(lang: Lang, unit: &OrgUnit, leader: Option<String>) -> Form {
        let mut fields = vec![
            Field::text("field.name", &unit.name, Check::Text { required: true }),
            Field::text("field.leader", &leader.unwrap_or_default(), Check::Member),
        ];
        if unit.level == OrgLevel::Group {
            fields.push(Field::text(
                "field.buildings",
                &unit.buildings.join("，"),
                Check::Text { required: false },
            ));
        }
        fields.push(Field::text(
            "field.established",
            &date_text(unit.established),
            Check::Date,
        ));
        fields.push(Field::text(
            "field.notes",
            &unit.notes,
            Check::Text { required: false },
        ));
        Form::with(FormKind::EditUnit(unit.id), "form.edit_unit", lang, fields)
    }

    pub fn move_unit(lang: Lang, unit: &OrgUnit, units: &BTreeMap<OrgUnitId, OrgUnit>) -> Form {
        let parent_level = match unit.level {
            OrgLevel::Group => OrgLevel::Branch,
            _ => OrgLevel::Committee,
        };
        let options = units
            .values()
            .filter(|u| u.level == parent_level && u.closed.is_none())
            .map(|u| (u.name.clone(), u.id.0))
            .collect();
        let fields = vec![Field::choice(
            "field.parent",
            options,
            unit.parent.map(|p| p.0).unwrap_or(0),
        )];
        Form::with(FormKind::MoveUnit(unit.id), "form.move_unit", lang, fields)
    }

    fn activity_fields(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        rules: &[PointsRule],
        d: &ActivityData,
    ) -> Vec<Field> {
        let kinds = ACTIVITY_KINDS
            .iter()
            .enumerate()
            .map(|(i, (_, key))| (t(lang, key).to_string(), i as u64))
            .collect();
        let kind = ACTIVITY_KINDS
            .iter()
            .position(|(k, _)| *k == d.kind)
            .unwrap_or(7) as u64;
        let open_units: Vec<(String, u64)> = units
            .values()
            .filter(|u| u.closed.is_none())
            .map(|u| (u.name.clone(), u.id.0))
            .collect();
        let mut rule_options = vec![(t(lang, "rule.none").to_string(), 0)];
        rule_options.extend(
            rules
                .iter()
                .map(|r| (format!("{} {}", r.code, r.name_zh), r.id.0)),
        );
        vec![
            Field::text("field.title", &d.title, Check::Text { required: true }),
            Field::choice("field.kind", kinds, kind),
            Field::choice("field.host", open_units.clone(), d.host.0),
            Field::text(
                "field.starts",
                &d.starts.format("%Y-%m-%d %H:%M").to_string(),
                Check::DateTime,
            ),
            Field::text("field.place", &d.place, Check::Text { required: false }),
            Field::choice("field.rule", rule_options, d.rule.map(|r| r.0).unwrap_or(0)),
            Field::choice("field.invitees", open_units, d.invitees.0),
            Field::text("field.notes", &d.notes, Check::Text { required: false }),
        ]
    }

    pub fn new_activity(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        rules: &[PointsRule],
        host: Option<OrgUnitId>,
        today: chrono::NaiveDate,
    ) -> Form {
        let host = host.unwrap_or(OrgUnitId(0));
        let data = ActivityData {
            kind: ActivityKind::ThemePartyDay,
            title: String::new(),
            host,
            starts: today.and_time(chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default()),
            place: String::new(),
            rule: rules.iter().find(|r| r.code == "ORGLIFE").map(|r| r.id),
            invitees: host,
            notes: String::new(),
        };
        let fields = Form::activity_fields(lang, units, rules, &data);
        Form::with(FormKind::NewActivity, "form.new_activity", lang, fields)
    }

    pub fn edit_activity(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        rules: &[PointsRule],
        a: &Activity,
    ) -> Form {
        let fields = Form::activity_fields(lang, units, rules, &a.data);
        Form::with(
            FormKind::EditActivity(a.id),
            "form.edit_activity",
            lang,
            fields,
        )
    }

    pub fn absence(lang: Lang, activity: ActivityId) -> Form {
        let fields = vec![
            Field::text("field.member", "", Check::Text { required: true }),
            Field::text("field.reason", "", Check::Text { required: true }),
        ];
        Form::with(FormKind::Absence(activity), "form.absence", lang, fields)
    }

    fn beneficiary_fields(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
        d: &BeneficiaryData,
    ) -> Vec<Field> {
        let kinds = BENEFICIARY_KINDS
            .iter()
            .enumerate()
            .map(|(i, (_, key))| (t(lang, key).to_string(), i as u64))
            .collect();
        let kind = BENEFICIARY_KINDS
            .iter()
            .position(|(k, _)| *k == d.kind)
            .unwrap_or(4) as u64;
        vec![
            Field::text("field.name", &d.name, Check::Text { required: true }),
            Field::choice("field.kind", kinds, kind),
            Field::text(
                "field.building",
                &d.address.building,
                Check::Text { required: false },
            ),
            Field::text(
                "field.entrance",
                &d.address.unit,
                Check::Text { required: false },
            ),
            Field::text(
                "field.room",
                &d.address.room,
                Check::Text { required: false },
            ),
            Field::text("field.needs", &d.needs, Check::Text { required: false }),
            Field::text("field.contact", &d.contact, Check::Phone),
            Field::text("field.cycle", &d.visit_cycle_days.to_string(), Check::Days),
            Field::choice("field.unit", unit_options(units, scope), d.unit.0),
            Field::choice(
                "field.assisted",
                vec![
                    (t(lang, "assisted.yes").to_string(), 1),
                    (t(lang, "assisted.no").to_string(), 0),
                ],
                u64::from(d.active),
            ),
            Field::text("field.notes", &d.notes, Check::Text { required: false }),
        ]
    }

    pub fn new_beneficiary(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
    ) -> Form {
        let blank = BeneficiaryData {
            name: String::new(),
            address: Address::default(),
            kind: BeneficiaryKind::ElderlyAlone,
            needs: String::new(),
            contact: String::new(),
            visit_cycle_days: 14,
            unit: scope.unwrap_or(OrgUnitId(0)),
            active: true,
            notes: String::new(),
        };
        let fields = Form::beneficiary_fields(lang, units, scope, &blank);
        Form::with(
            FormKind::NewBeneficiary,
            "form.new_beneficiary",
            lang,
            fields,
        )
    }

    pub fn edit_beneficiary(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        scope: Option<OrgUnitId>,
        b: &Beneficiary,
    ) -> Form {
        let fields = Form::beneficiary_fields(lang, units, scope, &b.data);
        Form::with(
            FormKind::EditBeneficiary(b.id),
            "form.edit_beneficiary",
            lang,
            fields,
        )
    }

    /// Pairing a beneficiary with a member, the best suggestions first.
    pub fn new_pairing(
        lang: Lang,
        beneficiary: BeneficiaryId,
        suggestions: Vec<(String, u64)>,
        today: chrono::NaiveDate,
    ) -> Form {
        let first = suggestions.first().map(|s| s.1).unwrap_or(0);
        let fields = vec![
            Field::choice("field.member", suggestions, first),
            Field::text("field.since", &today.to_string(), Check::Date),
        ];
        Form::with(
            FormKind::NewPairing(beneficiary),
            "form.new_pairing",
            lang,
            fields,
        )
    }

    /// Ending one of a beneficiary's active pairings (the history stays).
    pub fn end_pairing(lang: Lang, pairings: Vec<(String, u64)>, today: chrono::NaiveDate) -> Form {
        let first = pairings.first().map(|p| p.1).unwrap_or(0);
        let fields = vec![
            Field::choice("field.pairing", pairings, first),
            Field::text("field.until", &today.to_string(), Check::Date),
        ];
        Form::with(FormKind::EndPairing, "form.end_pairing", lang, fields)
    }

    /// Completing a task: hours (one by default), a note, the day (today).
    pub fn complete_task(lang: Lang, task: TaskId, today: chrono::NaiveDate) -> Form {
        let fields = vec![
            Field::text("field.hours", "1", Check::Hours),
            Field::text("field.outcome", "", Check::Text { required: false }),
            Field::text("field.done_date", &today.to_string(), Check::Date),
        ];
        Form::with(
            FormKind::CompleteTask(task),
            "form.complete_task",
            lang,
            fields,
        )
    }

    /// A new task: members paired with the beneficiary are offered first.
    pub fn new_task(
        lang: Lang,
        beneficiary: BeneficiaryId,
        assignees: Vec<(String, u64)>,
        today: chrono::NaiveDate,
    ) -> Form {
        let kinds = TASK_KINDS
            .iter()
            .enumerate()
            .map(|(i, (_, key))| (t(lang, key).to_string(), i as u64))
            .collect();
        let first = assignees.first().map(|a| a.1).unwrap_or(0);
        let fields = vec![
            Field::choice("field.kind", kinds, 0),
            Field::text(
                "field.title",
                t(lang, "task.default_title"),
                Check::Text { required: true },
            ),
            Field::choice("field.assignee", assignees, first),
            Field::text("field.due", &today.to_string(), Check::Date),
        ];
        Form::with(
            FormKind::NewTask(beneficiary),
            "form.new_task",
            lang,
            fields,
        )
    }

    /// Editing or reassigning an open task.
    pub fn edit_task(lang: Lang, task: &Task, assignees: Vec<(String, u64)>) -> Form {
        let fields = vec![
            Field::text("field.title", &task.title, Check::Text { required: true }),
            Field::choice("field.assignee", assignees, task.assignee.0),
            Field::text("field.due", &task.due.to_string(), Check::Date),
        ];
        Form::with(FormKind::EditTask(task.id), "form.edit_task", lang, fields)
    }

    pub fn focus_next(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        if n > 0 {
            self.focus = ((self.focus as isize + delta).rem_euclid(n)) as usize;
        }
    }

    /// ←/→: cycles a pick list, or moves the cursor in a text field.
    pub fn choose(&mut self, delta: isize) {
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
        if let Some(field) = self.fields.get_mut(self.focus)
            && let FieldValue::Text(input, _) = &mut field.value
        {
            if input
                .handle_event(&Event::Key(key))
                .is_some_and(|r| r.value)
            {
                self.dirty = true;
                self.error = None;
            }
            field.validate(Some(lang));
        }
    }

    fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    fn text(&self, label: &str) -> String {
        self.field(label)
            .map(|f| f.text_value().to_string())
            .unwrap_or_default()
    }

    fn date(&self, label: &str) -> Option<chrono::NaiveDate> {
        parse_date(&self.text(label)).ok()
    }

    fn partial_date(&self, label: &str) -> Option<crate::domain::PartialDate> {
        crate::domain::date::parse_partial_date(&self.text(label)).ok()
    }

    /// The command this form saves as, or what to fix first.
    pub fn to_command(
        &mut self,
        members: &[super::app::MemberRow],
        member_index: &HashMap<MemberId, usize>,
    ) -> Result<Command, String> {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
            return Err(t(self.lang, "form.fix").to_string());
        }
        Ok(match &self.kind {
            FormKind::NewMember | FormKind::EditMember(_) => {
                let gender = match self.field("field.gender").and_then(Field::choice_value) {
                    Some(1) => Some(Gender::Male),
                    Some(2) => Some(Gender::Female),
                    _ => None,
                };
                let data = MemberData {
                    name: self.text("field.name"),
                    gender,
                    birth_date: self.date("field.birth"),
                    id_number: self.text("field.id_number"),
                    phone: self.text("field.phone"),
                    address: Address {
                        building: self.text("field.building"),
                        unit: self.text("field.entrance"),
                        room: self.text("field.room"),
                    },
                    unit: OrgUnitId(
                        self.field("field.unit")
                            .and_then(Field::choice_value)
                            .unwrap_or(0),
                    ),
                    category: category_of(
                        self.field("field.category")
                            .and_then(Field::choice_value)
                            .unwrap_or(4),
                    ),
                    home_unit: self.text("field.home_unit"),
                    reported: self.date("field.reported"),
                    joined: self.partial_date("field.joined"),
                    full_member: self.partial_date("field.full_member"),
                    skills: split_list(&self.text("field.skills")),
                    posts: split_list(&self.text("field.posts")),
                    status: status_of(
                        self.field("field.status")
                            .and_then(Field::choice_value)
                            .unwrap_or(0),
                    ),
                    notes: self.text("field.notes"),
                };
                match &self.kind {
                    FormKind::EditMember(id) => Command::UpdateMember { id: *id, data },
                    _ => Command::CreateMember { data },
                }
            }
            FormKind::NewUnit { parent, level } => Command::CreateOrgUnit {
                parent: Some(*parent),
                level: *level,
                name: self.text("field.name"),
                buildings: split_list(&self.text("field.buildings")),
                established: self.date("field.established"),
                notes: self.text("field.notes"),
            },
            FormKind::EditUnit(id) => {
                let leader_text = self.text("field.leader");
                let leader = if leader_text.is_empty() {
                    None
                } else {
                    let by_id = leader_text
                        .parse::<u64>()
                        .ok()
                        .map(MemberId)
                        .filter(|m| member_index.contains_key(m));
                    let by_name = || {
                        let hits: Vec<MemberId> = members
                            .iter()
                            .filter(|r| r.member.data.name == leader_text)
                            .map(|r| r.member.id)
                            .collect();
                        (hits.len() == 1).then(|| hits[0])
                    };
                    match by_id.or_else(by_name) {
                        Some(m) => Some(m),
                        None => {
                            if let Some(i) =
                                self.fields.iter().position(|f| f.label == "field.leader")
                            {
                                self.focus = i;
                            }
                            return Err(t(self.lang, "form.unknown_member").to_string());
                        }
                    }
                };
                Command::UpdateOrgUnit {
                    id: *id,
                    name: self.text("field.name"),
                    leader,
                    buildings: split_list(&self.text("field.buildings")),
                    established: self.date("field.established"),
                    notes: self.text("field.notes"),
                }
            }
            FormKind::NewActivity | FormKind::EditActivity(_) => {
                let choice =
                    |label: &str| self.field(label).and_then(Field::choice_value).unwrap_or(0);
                let data = ActivityData {
                    kind: ACTIVITY_KINDS
                        .get(choice("field.kind") as usize)
                        .map(|(k, _)| *k)
                        .unwrap_or(ActivityKind::Other),
                    title: self.text("field.title"),
                    host: OrgUnitId(choice("field.host")),
                    starts: parse_date_time(&self.text("field.starts")).unwrap_or_default(),
                    place: self.text("field.place"),
                    rule: Some(choice("field.rule")).filter(|r| *r != 0).map(RuleId),
                    invitees: OrgUnitId(choice("field.invitees")),
                    notes: self.text("field.notes"),
                };
                match &self.kind {
                    FormKind::EditActivity(id) => Command::UpdateActivity { id: *id, data },
                    _ => Command::CreateActivity { data },
                }
            }
            FormKind::NewBeneficiary | FormKind::EditBeneficiary(_) => {
                let data = BeneficiaryData {
                    name: self.text("field.name"),
                    address: Address {
                        building: self.text("field.building"),
                        unit: self.text("field.entrance"),
                        room: self.text("field.room"),
                    },
                    kind: BENEFICIARY_KINDS
                        .get(
                            self.field("field.kind")
                                .and_then(Field::choice_value)
                                .unwrap_or(4) as usize,
                        )
                        .map(|(k, _)| *k)
                        .unwrap_or(BeneficiaryKind::Other),
                    needs: self.text("field.needs"),
                    contact: self.text("field.contact"),
                    visit_cycle_days: self.text("field.cycle").parse().unwrap_or(0),
                    unit: OrgUnitId(
                        self.field("field.unit")
                            .and_then(Field::choice_value)
                            .unwrap_or(0),
                    ),
                    active: self.field("field.assisted").and_then(Field::choice_value) != Some(0),
                    notes: self.text("field.notes"),
                };
                match &self.kind {
                    FormKind::EditBeneficiary(id) => Command::UpdateBeneficiary { id: *id, data },
                    _ => Command::CreateBeneficiary { data },
                }
            }
            FormKind::NewPairing(beneficiary) => Command::CreatePairing {
                member: MemberId(
                    self.field("field.member")
                        .and_then(Field::choice_value)
                        .unwrap_or(0),
                ),
                beneficiary: *beneficiary,
                since: self.date("field.since").unwrap_or_default(),
            },
            FormKind::EndPairing => Command::EndPairing {
                id: PairingId(
                    self.field("field.pairing")
                        .and_then(Field::choice_value)
                        .unwrap_or(0),
                ),
                until: self.date("field.until").unwrap_or_default(),
            },
            FormKind::CompleteTask(id) => Command::CompleteTask {
                id: *id,
                date: self.date("field.done_date").unwrap_or_default(),
                hours_centi: crate::domain::points::parse_centi(&self.text("field.hours"))
                    .and_then(|h| u32::try_from(h).ok())
                    .unwrap_or(0),
                outcome: self.text("field.outcome"),
            },
            FormKind::NewTask(beneficiary) => Command::CreateTask {
                kind: TASK_KINDS
                    .get(
                        self.field("field.kind")
                            .and_then(Field::choice_value)
                            .unwrap_or(0) as usize,
                    )
                    .map(|(k, _)| *k)
                    .unwrap_or(TaskKind::Other),
                title: self.text("field.title"),
                beneficiary: *beneficiary,
                assignee: MemberId(
                    self.field("field.assignee")
                        .and_then(Field::choice_value)
                        .unwrap_or(0),
                ),
                due: self.date("field.due").unwrap_or_default(),
            },
            FormKind::EditTask(id) => Command::UpdateTask {
                id: *id,
                title: self.text("field.title"),
                assignee: MemberId(
                    self.field("field.assignee")
                        .and_then(Field::choice_value)
                        .unwrap_or(0),
                ),
                due: self.date("field.due").unwrap_or_default(),
            },
            FormKind::Absence(activity) => {
                let name = self.text("field.member");
                let by_id = name
                    .parse::<u64>()
                    .ok()
                    .map(MemberId)
                    .filter(|m| member_index.contains_key(m));
                let hits: Vec<MemberId> = members
                    .iter()
                    .filter(|r| r.member.data.name == name)
                    .map(|r| r.member.id)
                    .collect();
                let member = match (by_id, hits.as_slice()) {
                    (Some(m), _) => m,
                    (None, [one]) => *one,
                    _ => {
                        self.focus = 0;
                        return Err(t(self.lang, "form.unknown_member").to_string());
                    }
                };
                Command::MarkAbsent {
                    activity: *activity,
                    member,
                    reason: self.text("field.reason"),
                }
            }
            FormKind::MoveUnit(id) => Command::MoveOrgUnit {
                id: *id,
                parent: OrgUnitId(
                    self.field("field.parent")
                        .and_then(Field::choice_value)
                        .unwrap_or(0),
                ),
            },
        })
    }
}
