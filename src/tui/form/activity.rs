//! The activity forms: a new or edited activity, and an absence with its
//! reason.

use super::{Check, Field, FieldId, Form, FormKind, Pick, options, parse_date_time};
use crate::domain::*;
use crate::tui::i18n::{Lang, t};
use std::collections::BTreeMap;

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

/// The i18n key of an activity kind's name.
pub fn activity_kind_key(kind: ActivityKind) -> &'static str {
    ACTIVITY_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, key)| *key)
        .unwrap_or("akind.other")
}

fn activity_fields(
    lang: Lang,
    units: &BTreeMap<OrgUnitId, OrgUnit>,
    rules: &[PointsRule],
    d: &ActivityData,
) -> Vec<Field> {
    use FieldId as F;
    let open_units: Vec<(String, u64)> = units
        .values()
        .filter(|u| u.closed.is_none())
        .map(|u| (u.name.clone(), u.id.0))
        .collect();
    let mut rule_options = vec![(t(lang, "rule.none").to_string(), Pick::Rule(None))];
    rule_options.extend(
        rules
            .iter()
            .map(|r| (format!("{} {}", r.code, r.name_zh), Pick::Rule(Some(r.id)))),
    );
    vec![
        Field::required(F::Title, &d.title),
        Field::choice(
            F::Kind,
            options(lang, &ACTIVITY_KINDS, Pick::ActivityKind),
            Pick::ActivityKind(d.kind),
        ),
        Field::ids(F::Host, open_units.clone(), d.host.0),
        Field::text(
            F::Starts,
            &d.starts.format("%Y-%m-%d %H:%M").to_string(),
            Check::DateTime,
        ),
        Field::free(F::Place, &d.place),
        Field::choice(F::Rule, rule_options, Pick::Rule(d.rule)),
        Field::ids(F::Invitees, open_units, d.invitees.0),
        Field::free(F::Notes, &d.notes),
    ]
}

impl Form {
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
        let fields = activity_fields(lang, units, rules, &data);
        Form::with(FormKind::NewActivity, "form.new_activity", lang, fields)
    }

    pub fn edit_activity(
        lang: Lang,
        units: &BTreeMap<OrgUnitId, OrgUnit>,
        rules: &[PointsRule],
        a: &Activity,
    ) -> Form {
        let fields = activity_fields(lang, units, rules, &a.data);
        Form::with(
            FormKind::EditActivity(a.id),
            "form.edit_activity",
            lang,
            fields,
        )
    }

    pub fn absence(lang: Lang, activity: ActivityId) -> Form {
        let fields = vec![
            Field::text(FieldId::Member, "", Check::Member),
            Field::required(FieldId::Reason, ""),
        ];
        Form::with(FormKind::Absence(activity), "form.absence", lang, fields)
    }

    /// The activity the form holds.
    pub(super) fn activity_data(&self) -> ActivityData {
        use FieldId as F;
        ActivityData {
            kind: self.picked(F::Kind).unwrap_or(ActivityKind::Other),
            title: self.text(F::Title),
            host: OrgUnitId(self.id(F::Host)),
            starts: parse_date_time(&self.text(F::Starts)).unwrap_or_default(),
            place: self.text(F::Place),
            rule: self.picked(F::Rule).flatten(),
            invitees: OrgUnitId(self.id(F::Invitees)),
            notes: self.text(F::Notes),
        }
    }
}
