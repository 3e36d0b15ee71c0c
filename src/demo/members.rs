//! The demo's members: one per resident party member asked for, spread over
//! the buildings, of every category, with valid ID numbers; a few then
//! transferred out or deceased.

use super::Gen;
use super::names::*;
use super::org::Tree;
use crate::domain::validate::id_check_char;
use crate::domain::*;
use crate::ops::{Command, OpsError};
use chrono::{Datelike, Duration, NaiveDate};
use rand::distr::weighted::WeightedIndex;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

#[derive(Clone)]
pub(super) struct DemoMember {
    pub(super) id: MemberId,
    pub(super) unit: OrgUnitId,
    pub(super) active: bool,
}

/// Surnames drawn by how common they are.
pub(super) fn surnames() -> Result<WeightedIndex<u32>, OpsError> {
    WeightedIndex::new(SURNAMES.iter().map(|s| s.1)).map_err(|e| {
        OpsError::Refused(crate::ops::Said::new(
            format!("demo word list: {e}"),
            format!("示例姓名表有误：{e}"),
        ))
    })
}

/// `n` members in random buildings; about 3% then leave the roster.
pub(super) fn members(
    g: &mut Gen,
    tree: &Tree,
    surnames: &WeightedIndex<u32>,
    n: usize,
) -> Result<Vec<DemoMember>, OpsError> {
    let mut id_numbers = HashSet::new();
    let mut member_cmds = Vec::with_capacity(n);
    let mut member_buildings = Vec::with_capacity(n);
    for i in 0..n {
        let bld = g.rng.random_range(0..tree.buildings);
        let data = make_member(
            &mut g.rng,
            surnames,
            &mut id_numbers,
            i,
            bld,
            g.today,
            tree.unit_of_building(bld),
        );
        member_buildings.push(bld);
        member_cmds.push(Command::CreateMember { data });
    }
    let member_ids = g.b.create_all(member_cmds)?;
    g.report.members = member_ids.len();
    let mut members: Vec<DemoMember> = member_ids
        .iter()
        .zip(&member_buildings)
        .map(|(id, bld)| DemoMember {
            id: MemberId(*id),
            unit: tree.unit_of_building(*bld),
            active: true,
        })
        .collect();
    for m in members.iter_mut() {
        let roll = g.rng.random_range(0..100);
        let status = match roll {
            0..2 => MemberStatus::TransferredOut,
            2 => MemberStatus::Deceased,
            _ => continue,
        };
        m.active = false;
        g.b.push(Command::SetMemberStatus { id: m.id, status })?;
    }
    g.b.flush()?;
    Ok(members)
}

/// A mobile number: 1, one of the second digits in use, nine more.
pub(super) fn phone(rng: &mut ChaCha8Rng) -> String {
    let second = [3, 5, 7, 8, 9][rng.random_range(0..5)];
    format!("1{second}{:09}", rng.random_range(0..1_000_000_000u32))
}

#[allow(clippy::too_many_arguments)]
fn make_member(
    rng: &mut ChaCha8Rng,
    surnames: &WeightedIndex<u32>,
    id_numbers: &mut HashSet<String>,
    i: usize,
    bld: usize,
    today: NaiveDate,
    unit: OrgUnitId,
) -> MemberData {
    let category = match rng.random_range(0..100) {
        0..40 => MemberCategory::Retired,
        40..75 => MemberCategory::OnTheJob,
        75..83 => MemberCategory::Student,
        83..95 => MemberCategory::Mobile,
        _ => MemberCategory::Other,
    };
    let male = rng.random_bool(0.5);
    let surname = SURNAMES[surnames.sample(rng)].0;
    let pool = if male {
        GIVEN_CHARS_MALE
    } else {
        GIVEN_CHARS_FEMALE
    };
    let mut name = surname.to_string();
    for _ in 0..rng.random_range(1..=2) {
        name.push_str(pool[rng.random_range(0..pool.len())]);
    }
    let (lo, hi) = match category {
        MemberCategory::Retired => (1938, 1963),
        MemberCategory::Student => (1998, 2006),
        _ => (1962, 2000),
    };
    let birth = NaiveDate::from_ymd_opt(
        rng.random_range(lo..=hi),
        rng.random_range(1..=12),
        rng.random_range(1..=28),
    )
    .unwrap_or(today);
    // A valid resident ID: area, birth date, sequence (odd for men), checksum.
    let mut seq = (i % 500) as u32 * 2 + u32::from(male);
    let id_number = loop {
        let first17 = format!("110105{}{:03}", birth.format("%Y%m%d"), seq % 1000);
        let check = id_check_char(&first17).unwrap_or('0');
        let candidate = format!("{first17}{check}");
        if id_numbers.insert(candidate.clone()) {
            break candidate;
        }
        seq += 2;
    };
    let joined_year = (birth.year() + rng.random_range(18..40)).min(today.year() - 1);
    let joined = NaiveDate::from_ymd_opt(
        joined_year,
        rng.random_range(1..=12),
        rng.random_range(1..=28),
    );
    let full_member = joined
        .and_then(|j| j.checked_add_signed(Duration::days(365)))
        .filter(|d| *d <= today);
    let reported = if category != MemberCategory::Retired && rng.random_range(0..10) < 7 {
        Some(today - Duration::days(rng.random_range(1..1500)))
    } else if category == MemberCategory::Retired {
        Some(today - Duration::days(rng.random_range(300..3000)))
    } else {
        None
    };
    let home_unit = match category {
        MemberCategory::OnTheJob => HOME_UNITS[rng.random_range(0..HOME_UNITS.len())].to_string(),
        MemberCategory::Student => SCHOOLS[rng.random_range(0..SCHOOLS.len())].to_string(),
        MemberCategory::Mobile => "外省流入".to_string(),
        _ => String::new(),
    };
    let skills = if rng.random_range(0..3) == 0 {
        vec![SKILLS[rng.random_range(0..SKILLS.len())].to_string()]
    } else {
        vec![]
    };
    let posts = if rng.random_range(0..4) == 0 {
        vec![POSTS[rng.random_range(0..POSTS.len())].to_string()]
    } else {
        vec![]
    };
    MemberData {
        name,
        gender: Some(if male { Gender::Male } else { Gender::Female }),
        birth_date: Some(birth),
        id_number,
        phone: phone(rng),
        address: Address {
            building: (bld + 1).to_string(),
            unit: rng.random_range(1..=4).to_string(),
            room: format!("{}0{}", rng.random_range(1..=18), rng.random_range(1..=4)),
        },
        unit,
        category,
        home_unit,
        reported,
        joined: joined.map(PartialDate::Day),
        full_member: full_member.map(PartialDate::Day),
        skills,
        posts,
        status: MemberStatus::Active,
        notes: String::new(),
    }
}
