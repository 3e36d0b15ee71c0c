//! Property: whatever sequence of records, reversals and redemptions is applied
//! (refusals allowed), every member's stored balance equals the sum of their
//! ledger entries and `check` finds the derived trees in step with the records.
//! (A reversal of points already spent may leave a balance below zero; only a
//! redemption may never do that.)

mod common;

use common::*;
use dangjian::domain::*;
use dangjian::ops::Command;
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Step {
    Record {
        member: usize,
        capped: bool,
        days_back: u64,
        quantity: u32,
    },
    Reverse {
        nth: usize,
    },
    Redeem {
        member: usize,
        reward: usize,
        days_back: u64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..3usize, any::<bool>(), 0..500u64, 1..1_000u32).prop_map(
            |(member, capped, days_back, quantity)| Step::Record {
                member,
                capped,
                days_back,
                quantity,
            }
        ),
        2 => (0..64usize).prop_map(|nth| Step::Reverse { nth }),
        2 => (0..3usize, 0..2usize, 0..500u64).prop_map(|(member, reward, days_back)| {
            Step::Redeem {
                member,
                reward,
                days_back,
            }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn balances_equal_the_ledger_after_any_sequence(steps in prop::collection::vec(step(), 1..40)) {
        let f = Fixture::new();
        let members = [
            f.member("张三", f.group_a1),
            f.member("李四", f.group_a2),
            f.member("王五", f.group_b1),
        ];
        let plain = f
            .admin_apply(Command::CreateRule {
                code: "T1".into(),
                name_zh: "测试".into(),
                name_en: "test".into(),
                basis: RuleBasis::PerHour,
                points: Points(150),
                cap: None,
            })
            .unwrap();
        let plain = RuleId(plain.created.unwrap());
        // VOL: per hour, capped each month, so some records are refused.
        let capped = f.rule("VOL").id;
        let mut rewards = Vec::new();
        for (name, cost, stock) in [("毛巾", 300, Some(2)), ("米", 1_000, None)] {
            let a = f
                .admin_apply(Command::CreateReward {
                    name: name.into(),
                    cost: Points(cost),
                    stock,
                })
                .unwrap();
            rewards.push(RewardId(a.created.unwrap()));
        }
        let today = today();
        let mut entries: Vec<EntryId> = Vec::new();
        let mut refused = 0;
        for s in &steps {
            let cmd = match s {
                Step::Record { member, capped: c, days_back, quantity } => Command::RecordPoints {
                    member: members[*member],
                    date: today - chrono::Days::new(*days_back),
                    rule: if *c { capped } else { plain },
                    quantity_centi: *quantity,
                    points_override: None,
                    note: String::new(),
                },
                Step::Reverse { nth } => {
                    if entries.is_empty() {
                        continue;
                    }
                    Command::ReversePoints {
                        entry: entries[nth % entries.len()],
                        reason: "test".into(),
                    }
                }
                Step::Redeem { member, reward, days_back } => Command::Redeem {
                    member: members[*member],
                    reward: rewards[*reward],
                    date: today - chrono::Days::new(*days_back),
                    note: String::new(),
                },
            };
            let redeeming = match &cmd {
                Command::Redeem { member, .. } => Some(*member),
                _ => None,
            };
            let done = match f.admin_apply(cmd) {
                Ok(a) => {
                    entries.push(EntryId(a.created.unwrap()));
                    true
                }
                Err(_) => {
                    refused += 1;
                    false
                }
            };
            if let Some(m) = redeeming.filter(|_| done) {
                let now = f.store.balance(m).unwrap().0;
                prop_assert!(now >= 0, "a redemption took member {} below zero", m);
            }
        }
        let mut sums: HashMap<MemberId, i64> = HashMap::new();
        for e in f.store.scan::<PointsEntry>() {
            let e = e.unwrap();
            *sums.entry(e.member).or_default() += e.points.0;
        }
        prop_assert_eq!(f.store.count_of::<dangjian::domain::PointsEntry>(), entries.len());
        for m in members {
            let stored = f.store.balance(m).unwrap().0;
            prop_assert_eq!(stored, sums.get(&m).copied().unwrap_or(0), "member {}", m);
        }
        let report = dangjian::store::check(&f.store).unwrap();
        prop_assert!(report.is_clean(), "{:#?} after {} refusals", report.problems, refused);
    }
}
