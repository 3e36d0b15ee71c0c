//! The default points rules shipped in `assets/rules.json`, installed (as
//! ordinary audited `CreateRule` commands) when a store is founded.

use super::Command;
use crate::domain::{CapPeriod, Points, RuleBasis};
use serde::Deserialize;

const RULES_JSON: &str = include_str!("../../assets/rules.json");

#[derive(Deserialize)]
struct RuleSpec {
    code: String,
    name_zh: String,
    name_en: String,
    basis: RuleBasis,
    points: String,
    cap: Option<(CapPeriod, String)>,
}

/// `CreateRule` commands for the shipped rules. The file is part of the binary
/// and checked by a test, so a bad entry is a build-time mistake; one that still
/// fails to parse is skipped rather than stopping a store from opening.
pub fn default_rule_commands() -> Vec<Command> {
    let specs: Vec<RuleSpec> = serde_json::from_str(RULES_JSON).unwrap_or_default();
    specs
        .into_iter()
        .filter_map(|s| {
            let points = Points::parse(&s.points)?;
            let cap = match s.cap {
                Some((period, max)) => Some((period, Points::parse(&max)?)),
                None => None,
            };
            Some(Command::CreateRule {
                code: s.code,
                name_zh: s.name_zh,
                name_en: s.name_en,
                basis: s.basis,
                points,
                cap,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_rule_parses() {
        let specs: Vec<RuleSpec> = serde_json::from_str(RULES_JSON).unwrap();
        assert_eq!(default_rule_commands().len(), specs.len());
        assert!(specs.iter().any(|s| s.code == "VISIT"));
    }
}
