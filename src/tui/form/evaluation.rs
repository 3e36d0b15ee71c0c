//! The evaluation forms: the settings (base, cap, grade thresholds, 优秀
//! share, absence ceiling, exemptions, who waits for approval, who may
//! deduct, caps that cut, the absence rule), saved whole through
//! `SetEvaluationSettings`; and the reason for rejecting pending entries.
//! An empty optional field means "none" (no cap, no share limit, …).

use super::{Check, Field, FieldId, Form, FormKind, Pick, split_list};
use crate::domain::evaluation::{AbsenceCeiling, Thresholds};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::i18n::{Lang, t};

/// The fields of the settings form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalField {
    Base,
    Cap,
    Excellent,
    Good,
    Pass,
    Share,
    AbsenceLimit,
    AbsenceGrade,
    RetiredAge,
    ExemptMobile,
    PendingRoles,
    PendingRules,
    DeductRoles,
    CapCuts,
    AbsenceRule,
}

impl EvalField {
    /// The field's label, as an i18n key.
    pub fn label(self) -> &'static str {
        match self {
            EvalField::Base => "field.base",
            EvalField::Cap => "field.cap",
            EvalField::Excellent => "field.excellent",
            EvalField::Good => "field.good",
            EvalField::Pass => "field.pass",
            EvalField::Share => "field.share",
            EvalField::AbsenceLimit => "field.absence_limit",
            EvalField::AbsenceGrade => "field.absence_grade",
            EvalField::RetiredAge => "field.retired_age",
            EvalField::ExemptMobile => "field.exempt_mobile",
            EvalField::PendingRoles => "field.pending_roles",
            EvalField::PendingRules => "field.pending_rules",
            EvalField::DeductRoles => "field.deduct_roles",
            EvalField::CapCuts => "field.cap_cuts",
            EvalField::AbsenceRule => "field.absence_rule",
        }
    }
}

/// What is wrong with a non-empty value of the checks this form brings.
pub(super) fn check(check: Check, v: &str, lang: Lang) -> Option<String> {
    match check {
        Check::Points { .. } => crate::domain::points::parse_centi(v)
            .filter(|p| *p >= 0)
            .is_none()
            .then(|| t(lang, "form.bad_points").to_string()),
        Check::Whole { max } => v
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .is_none()
            .then(|| format!("{} 0–{max}", t(lang, "form.bad_whole"))),
        Check::Roles => parse_roles(v)
            .is_none()
            .then(|| t(lang, "form.bad_roles").to_string()),
        _ => None,
    }
}

/// Points as a form shows them: `60`, `12.5` (hundredths kept).
fn points_text(p: Points) -> String {
    p.to_string()
}

fn opt_text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Roles as the form lists them, in the form's language.
fn roles_text(lang: Lang, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A role by its name in either language (`branch-secretary`, `支部书记`).
pub(super) fn parse_role(text: &str) -> Option<Role> {
    let text = text.trim();
    Role::VARIANTS
        .iter()
        .copied()
        .find(|r| r.label(Lang::En).eq_ignore_ascii_case(text) || r.label(Lang::Zh) == text)
}

pub(super) fn parse_roles(text: &str) -> Option<Vec<Role>> {
    split_list(text).iter().map(|r| parse_role(r)).collect()
}

impl Form {
    pub fn evaluation_settings(lang: Lang, s: EvaluationSettings) -> Form {
        use EvalField as E;
        use FieldId as F;
        let points = Check::Points { required: true };
        let optional = Check::Points { required: false };
        let grades = Grade::VARIANTS
            .iter()
            .map(|g| (g.label(lang).to_string(), Pick::Grade(*g)))
            .collect();
        let yes_no = |yes: &'static str, no: &'static str| {
            vec![
                (t(lang, yes).to_string(), Pick::Yes(true)),
                (t(lang, no).to_string(), Pick::Yes(false)),
            ]
        };
        let ceiling = s.absence_ceiling;
        let fields = vec![
            Field::text(F::Eval(E::Base), &points_text(s.base), points),
            Field::text(F::Eval(E::Cap), &opt_text(s.cap), optional),
            Field::text(
                F::Eval(E::Excellent),
                &points_text(s.thresholds.excellent),
                points,
            ),
            Field::text(F::Eval(E::Good), &points_text(s.thresholds.good), points),
            Field::text(F::Eval(E::Pass), &points_text(s.thresholds.pass), points),
            Field::text(
                F::Eval(E::Share),
                &opt_text(s.excellent_share_pct),
                Check::Whole { max: 100 },
            ),
            Field::text(
                F::Eval(E::AbsenceLimit),
                &opt_text(ceiling.map(|c| c.absences)),
                Check::Whole { max: 366 },
            ),
            Field::choice(
                F::Eval(E::AbsenceGrade),
                grades,
                Pick::Grade(ceiling.map_or(Grade::Pass, |c| c.at_most)),
            ),
            Field::text(
                F::Eval(E::RetiredAge),
                &opt_text(s.exempt_retired_from_age),
                Check::Whole { max: 150 },
            ),
            Field::choice(
                F::Eval(E::ExemptMobile),
                yes_no("eval.yes", "eval.no"),
                Pick::Yes(s.exempt_mobile),
            ),
            Field::text(
                F::Eval(E::PendingRoles),
                &roles_text(lang, &s.pending_roles),
                Check::Roles,
            ),
            Field::free(F::Eval(E::PendingRules), &s.pending_rules.join(", ")),
            Field::text(
                F::Eval(E::DeductRoles),
                &roles_text(lang, &s.deduct_roles),
                Check::Roles,
            ),
            Field::choice(
                F::Eval(E::CapCuts),
                yes_no("eval.cap_cut", "eval.cap_refuse"),
                Pick::Yes(s.cap_cuts),
            ),
            Field::free(
                F::Eval(E::AbsenceRule),
                s.absence_rule.as_deref().unwrap_or(""),
            ),
        ];
        Form::with(
            FormKind::EvaluationSettings(Box::new(s)),
            "form.eval_settings",
            lang,
            fields,
        )
    }

    pub fn reject_pending(lang: Lang, ids: Vec<PendingId>) -> Form {
        let fields = vec![Field::required(FieldId::Reason, "")];
        Form::with(FormKind::RejectPending(ids), "form.reject", lang, fields)
    }

    fn points_of(&self, id: FieldId) -> Option<Points> {
        crate::domain::points::parse_centi(&self.text(id)).map(Points)
    }

    fn whole<T: std::str::FromStr>(&self, id: FieldId) -> Option<T> {
        self.text(id).parse().ok()
    }

    /// The settings the form holds; what it does not show (none today)
    /// stays as it was.
    pub(super) fn settings_command(&self, old: &EvaluationSettings) -> Command {
        use EvalField as E;
        use FieldId as F;
        let yes = |id| self.picked::<bool>(id).unwrap_or(false);
        let codes = |id| -> Vec<String> {
            split_list(&self.text(id))
                .into_iter()
                .map(|c| c.to_ascii_uppercase())
                .collect()
        };
        let settings = EvaluationSettings {
            base: self.points_of(F::Eval(E::Base)).unwrap_or(old.base),
            cap: self.points_of(F::Eval(E::Cap)),
            thresholds: Thresholds {
                excellent: self
                    .points_of(F::Eval(E::Excellent))
                    .unwrap_or(old.thresholds.excellent),
                good: self
                    .points_of(F::Eval(E::Good))
                    .unwrap_or(old.thresholds.good),
                pass: self
                    .points_of(F::Eval(E::Pass))
                    .unwrap_or(old.thresholds.pass),
            },
            excellent_share_pct: self.whole(F::Eval(E::Share)),
            absence_ceiling: self
                .whole(F::Eval(E::AbsenceLimit))
                .map(|absences| AbsenceCeiling {
                    absences,
                    at_most: self
                        .picked::<Grade>(F::Eval(E::AbsenceGrade))
                        .unwrap_or(Grade::Pass),
                }),
            exempt_retired_from_age: self.whole(F::Eval(E::RetiredAge)),
            exempt_mobile: yes(F::Eval(E::ExemptMobile)),
            pending_roles: parse_roles(&self.text(F::Eval(E::PendingRoles))).unwrap_or_default(),
            pending_rules: codes(F::Eval(E::PendingRules)),
            deduct_roles: parse_roles(&self.text(F::Eval(E::DeductRoles))).unwrap_or_default(),
            cap_cuts: yes(F::Eval(E::CapCuts)),
            absence_rule: codes(F::Eval(E::AbsenceRule)).into_iter().next(),
        };
        Command::SetEvaluationSettings { settings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings go into the form and come back out unchanged; every
    /// field has words in both languages; an emptied optional field is none.
    #[test]
    fn settings_round_trip_through_the_form() {
        let shipped = EvaluationSettings {
            pending_rules: vec!["VOL".into()],
            cap: Some(Points::whole(120)),
            ..Default::default()
        };
        for lang in Lang::ALL {
            let mut form = Form::evaluation_settings(lang, shipped.clone());
            assert_ne!(t(lang, form.title), form.title);
            for f in &form.fields {
                assert_ne!(t(lang, f.label()), f.label(), "{:?} in {lang:?}", f.id);
                assert_eq!(f.error, None, "{:?} in {lang:?}", f.id);
            }
            let cmd = form.to_command(&[], &Default::default()).unwrap();
            assert_eq!(
                cmd,
                Command::SetEvaluationSettings {
                    settings: shipped.clone()
                }
            );
            let reject = Form::reject_pending(lang, vec![PendingId(1)]);
            assert_ne!(t(lang, reject.title), reject.title);
        }
        assert_eq!(parse_role("支部书记"), Some(Role::BranchSecretary));
        assert_eq!(parse_role("Group-Leader"), Some(Role::GroupLeader));
        assert_eq!(parse_roles("admin"), None);
        assert_eq!(parse_roles(""), Some(vec![]));
    }
}
