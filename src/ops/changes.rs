//! The fields a command changed, with their values before and after, for the
//! audit log: the command's values against those of its inverse (which holds
//! what the record was) when the inverse is the same kind of command, else the
//! command's own values as what was set. Generic over every command through
//! their serde form, so a new field or command is covered without a line here.

use super::Command;
use crate::domain::FieldChange;
use serde_json::Value;
use std::collections::BTreeMap;

/// Values longer than this are cut in the log (notes can be long).
const MAX_VALUE: usize = 200;

pub(crate) fn between(cmd: &Command, inverse: Option<&Command>) -> Vec<FieldChange> {
    let after = flatten(cmd);
    let before = match inverse {
        Some(inv) if inv.kind() == cmd.kind() => flatten(inv),
        _ => BTreeMap::new(),
    };
    let mut out = Vec::new();
    for (field, new) in &after {
        let old = before.get(field).cloned().unwrap_or_default();
        if old != *new {
            out.push(FieldChange {
                field: field.clone(),
                before: cut(old),
                after: cut(new.clone()),
            });
        }
    }
    out
}

/// A command's fields as `path → text`, the variant's name left out.
fn flatten(cmd: &Command) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(Value::Object(outer)) = serde_json::to_value(cmd) {
        for (_, fields) in outer {
            walk(&fields, String::new(), &mut out);
        }
    }
    out
}

fn walk(v: &Value, path: String, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(v, p, out);
            }
        }
        Value::Null => {
            out.insert(path, String::new());
        }
        Value::String(s) => {
            out.insert(path, s.clone());
        }
        other => {
            out.insert(path, other.to_string());
        }
    }
}

fn cut(mut s: String) -> String {
    if s.chars().count() > MAX_VALUE {
        s = s.chars().take(MAX_VALUE).collect::<String>() + "…";
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    #[test]
    fn an_update_logs_exactly_the_fields_that_changed() {
        let unit = OrgUnitId(3);
        let old = Command::UpdateOrgUnit {
            id: unit,
            name: "一支部".into(),
            leader: None,
            buildings: vec!["1".into()],
            established: None,
            notes: String::new(),
        };
        let new = Command::UpdateOrgUnit {
            id: unit,
            name: "第一支部".into(),
            leader: Some(MemberId(9)),
            buildings: vec!["1".into()],
            established: None,
            notes: String::new(),
        };
        let changes = between(&new, Some(&old));
        let fields: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![("leader", "", "9"), ("name", "一支部", "第一支部")]
        );
    }

    #[test]
    fn a_command_without_a_like_inverse_logs_what_it_set() {
        let cmd = Command::CloseOrgUnit {
            id: OrgUnitId(3),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        };
        let inverse = Command::ReopenOrgUnit { id: OrgUnitId(3) };
        let changes = between(&cmd, Some(&inverse));
        assert!(
            changes
                .iter()
                .any(|c| c.field == "date" && c.after == "2026-11-01")
        );
    }
}
