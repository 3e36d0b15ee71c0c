//! The care forms: beneficiaries (new, edit), pairings (new from the
//! suggestions, ending one), and tasks (new, edit or reassign, complete with
//! hours and an outcome).

use super::{Check, Field, FieldId, Form, FormKind, Pick, options, unit_options};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::i18n::{Lang, t};
use std::collections::BTreeMap;

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

/// The i18n key of a task kind's name.
pub fn task_kind_key(kind: TaskKind) -> &'static str {
    TASK_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, key)| *key)
        .unwrap_or("tkind.other")
}

fn beneficiary_fields(
    lang: Lang,
    units: &BTreeMap<OrgUnitId, OrgUnit>,
    scope: Option<OrgUnitId>,
    d: &BeneficiaryData,
) -> Vec<Field> {
    use FieldId as F;
    let assisted = vec![
        (t(lang, "assisted.yes").to_string(), Pick::Yes(true)),
        (t(lang, "assisted.no").to_string(), Pick::Yes(false)),
    ];
    vec![
        Field::required(F::Name, &d.name),
        Field::choice(
            F::Kind,
            options(lang, &BENEFICIARY_KINDS, Pick::BeneficiaryKind),
            Pick::BeneficiaryKind(d.kind),
        ),
        Field::free(F::Building, &d.address.building),
        Field::free(F::Entrance, &d.address.unit),
        Field::free(F::Room, &d.address.room),
        Field::free(F::Needs, &d.needs),
        Field::text(F::Contact, &d.contact, Check::Phone),
        Field::text(F::Cycle, &d.visit_cycle_days.to_string(), Check::Days),
        Field::ids(F::Unit, unit_options(units, scope), d.unit.0),
        Field::choice(F::Assisted, assisted, Pick::Yes(d.active)),
        Field::free(F::Notes, &d.notes),
    ]
}

impl Form {
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
        let fields = beneficiary_fields(lang, units, scope, &blank);
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
        let fields = beneficiary_fields(lang, units, scope, &b.data);
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
        let fields = vec![
            Field::text(FieldId::Member, "", Check::Member),
            Field::text(FieldId::Since, &today.to_string(), Check::Date),
        ];
        let mut form = Form::with(
            FormKind::NewPairing(beneficiary),
            "form.new_pairing",
            lang,
            fields,
        );
        form.suggest(FieldId::Member, suggestions);
        form
    }

    /// Ending one of a beneficiary's active pairings (the history stays).
    pub fn end_pairing(lang: Lang, pairings: Vec<(String, u64)>, today: chrono::NaiveDate) -> Form {
        let first = pairings.first().map(|p| p.1).unwrap_or(0);
        let fields = vec![
            Field::ids(FieldId::Pairing, pairings, first),
            Field::text(FieldId::Until, &today.to_string(), Check::Date),
            Field::required(FieldId::Reason, ""),
        ];
        Form::with(FormKind::EndPairing, "form.end_pairing", lang, fields)
    }

    /// Completing a task: hours (one by default), a note, the day (today).
    pub fn complete_task(lang: Lang, task: TaskId, today: chrono::NaiveDate) -> Form {
        let fields = vec![
            Field::text(FieldId::Hours, "1", Check::Hours),
            Field::free(FieldId::Outcome, ""),
            Field::text(FieldId::DoneDate, &today.to_string(), Check::Date),
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
        let fields = vec![
            Field::choice(
                FieldId::Kind,
                options(lang, &TASK_KINDS, Pick::TaskKind),
                Pick::TaskKind(TaskKind::Visit),
            ),
            Field::required(FieldId::Title, t(lang, "task.default_title")),
            Field::text(FieldId::Assignee, "", Check::Member),
            Field::text(FieldId::Due, &today.to_string(), Check::Date),
        ];
        let mut form = Form::with(
            FormKind::NewTask(beneficiary),
            "form.new_task",
            lang,
            fields,
        );
        form.suggest(FieldId::Assignee, assignees);
        form
    }

    /// Editing or reassigning an open task.
    pub fn edit_task(lang: Lang, task: &Task, assignees: Vec<(String, u64)>) -> Form {
        let fields = vec![
            Field::required(FieldId::Title, &task.title),
            Field::text(FieldId::Assignee, "", Check::Member),
            Field::text(FieldId::Due, &task.due.to_string(), Check::Date),
        ];
        let mut form = Form::with(FormKind::EditTask(task.id), "form.edit_task", lang, fields);
        // The current assignee is what the field holds until retyped.
        let current: Vec<(String, u64)> = assignees
            .into_iter()
            .filter(|a| a.1 == task.assignee.0)
            .chain(std::iter::once((String::new(), task.assignee.0)))
            .take(1)
            .collect();
        form.suggest(FieldId::Assignee, current);
        form
    }

    /// The beneficiary record the form holds.
    pub(super) fn beneficiary_data(&self) -> BeneficiaryData {
        use FieldId as F;
        BeneficiaryData {
            name: self.text(F::Name),
            address: Address {
                building: self.text(F::Building),
                unit: self.text(F::Entrance),
                room: self.text(F::Room),
            },
            kind: self.picked(F::Kind).unwrap_or(BeneficiaryKind::Other),
            needs: self.text(F::Needs),
            contact: self.text(F::Contact),
            visit_cycle_days: self.text(F::Cycle).parse().unwrap_or(0),
            unit: OrgUnitId(self.id(F::Unit)),
            active: self.picked(F::Assisted) != Some(false),
            notes: self.text(F::Notes),
        }
    }

    pub(super) fn complete_task_command(&self, id: TaskId) -> Command {
        Command::CompleteTask {
            id,
            date: self.date(FieldId::DoneDate).unwrap_or_default(),
            hours_centi: crate::domain::points::parse_centi(&self.text(FieldId::Hours))
                .and_then(|h| u32::try_from(h).ok())
                .unwrap_or(0),
            outcome: self.text(FieldId::Outcome),
        }
    }

    pub(super) fn new_task_command(
        &self,
        beneficiary: BeneficiaryId,
        assignee: MemberId,
    ) -> Command {
        Command::CreateTask {
            kind: self.picked(FieldId::Kind).unwrap_or(TaskKind::Other),
            title: self.text(FieldId::Title),
            beneficiary,
            assignee,
            due: self.date(FieldId::Due).unwrap_or_default(),
        }
    }
}
