//! The sample community: a deterministic generator that writes a realistic
//! community (one committee, branches, a group per building, members of every
//! category, beneficiaries, pairings, tasks, activities with attendance and six
//! months of points) through the ordinary `Command` seam, in group-committed
//! batches so 100,000 members and a million entries finish in minutes.

mod names;
mod orglife;
pub mod roster;

use crate::domain::validate::id_check_char;
use crate::domain::*;
use crate::ops::{self, Actor, Applied, Command, OpsError, query};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use names::*;
use rand::distr::weighted::WeightedIndex;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct DemoParams {
    pub members: usize,
    /// Ledger entries to aim for (attendance and task awards count towards it).
    pub entries: usize,
    pub seed: u64,
    /// Dates are laid out relative to this day.
    pub today: NaiveDate,
}

impl DemoParams {
    pub fn new(today: NaiveDate) -> DemoParams {
        DemoParams {
            members: 300,
            entries: 2_400,
            seed: 1,
            today,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub org_units: usize,
    pub members: usize,
    pub beneficiaries: usize,
    pub pairings: usize,
    pub tasks: usize,
    pub activities: usize,
    pub attendance: usize,
    pub entries: usize,
}

/// Commands per transaction: large enough that fsyncs don't dominate, small
/// enough that one transaction's write set stays a few megabytes.
const BATCH: usize = 2_000;

struct Batcher<'a> {
    store: &'a crate::store::Store,
    actor: &'a Actor,
    pending: Vec<Command>,
    done: u64,
    progress: &'a mut dyn FnMut(u64),
}

impl Batcher<'_> {
    fn push(&mut self, cmd: Command) -> Result<(), OpsError> {
        self.pending.push(cmd);
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<Vec<Applied>, OpsError> {
        if self.pending.is_empty() {
            return Ok(Vec::new());
        }
        let cmds = std::mem::take(&mut self.pending);
        let applied = ops::apply_batch(self.store, self.actor, &cmds)?;
        self.done += cmds.len() as u64;
        (self.progress)(self.done);
        Ok(applied)
    }

    /// Applies `cmds` now and returns the ids they created, in order.
    fn create_all(&mut self, cmds: Vec<Command>) -> Result<Vec<u64>, OpsError> {
        self.flush()?;
        let mut ids = Vec::with_capacity(cmds.len());
        for chunk in cmds.chunks(BATCH) {
            self.pending = chunk.to_vec();
            for a in self.flush()? {
                ids.push(a.created.unwrap_or(0));
            }
        }
        Ok(ids)
    }
}

#[derive(Clone)]
struct DemoMember {
    id: MemberId,
    unit: OrgUnitId,
    active: bool,
}

/// Keeps the generator inside each rule's cap, as a careful worker would.
struct Caps {
    rules: BTreeMap<String, PointsRule>,
    used: HashMap<(MemberId, RuleId, i32), Points>,
    balance: HashMap<MemberId, Points>,
}

impl Caps {
    fn period_key(period: CapPeriod, d: NaiveDate) -> i32 {
        match period {
            CapPeriod::Month => d.year() * 100 + d.month() as i32,
            CapPeriod::Quarter => d.year() * 10 + ((d.month() as i32 - 1) / 3),
            CapPeriod::Year => d.year(),
        }
    }

    /// Reserves the points if the cap allows; returns false otherwise.
    fn take(&mut self, member: MemberId, code: &str, date: NaiveDate, quantity: u32) -> bool {
        let Some(rule) = self.rules.get(code) else {
            return false;
        };
        let points = rule.points.times_centi(quantity);
        if let Some((period, max)) = rule.cap
            && points.0 > 0
        {
            let used = self
                .used
                .entry((member, rule.id, Self::period_key(period, date)))
                .or_default();
            if *used + points > max {
                return false;
            }
            *used += points;
        }
        *self.balance.entry(member).or_default() += points;
        true
    }
}

/// Writes the sample community into an empty store.
pub fn generate(
    store: &crate::store::Store,
    actor: &Actor,
    params: &DemoParams,
    progress: &mut dyn FnMut(u64),
) -> Result<DemoReport, OpsError> {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let today = params.today;
    let mut report = DemoReport::default();
    let mut b = Batcher {
        store,
        actor,
        pending: Vec::new(),
        done: 0,
        progress,
    };
    let n = params.members.max(1);

    // Org tree: one committee, branches, one group per building but the last.
    let buildings = (n.div_ceil(15)).max(20);
    let n_branches = (buildings / 5).clamp(3, (buildings / 40).max(5));
    let committee = b.create_all(vec![Command::CreateOrgUnit {
        parent: None,
        level: OrgLevel::Committee,
        name: format!("{COMMUNITY}社区党委"),
        buildings: vec![],
        established: NaiveDate::from_ymd_opt(2003, 7, 1),
        notes: String::new(),
    }])?[0];
    let branch_ids: Vec<u64> = b.create_all(
        (0..n_branches)
            .map(|i| Command::CreateOrgUnit {
                parent: Some(OrgUnitId(committee)),
                level: OrgLevel::Branch,
                name: BRANCH_NAMES
                    .get(i)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| format!("第{}党支部", i + 1)),
                buildings: vec![],
                established: NaiveDate::from_ymd_opt(2005 + (i % 10) as i32, 3, 1),
                notes: String::new(),
            })
            .collect(),
    )?;
    let covered = buildings - 1;
    let branch_of_building =
        |bld: usize| branch_ids[(bld * n_branches / buildings).min(n_branches - 1)];
    let group_ids: Vec<u64> = b.create_all(
        (0..covered)
            .map(|bld| Command::CreateOrgUnit {
                parent: Some(OrgUnitId(branch_of_building(bld))),
                level: OrgLevel::Group,
                name: format!("{}号楼党小组", bld + 1),
                buildings: vec![(bld + 1).to_string()],
                established: NaiveDate::from_ymd_opt(2012, 5, 1),
                notes: String::new(),
            })
            .collect(),
    )?;
    report.org_units = 1 + branch_ids.len() + group_ids.len();
    let unit_of_building = |bld: usize| {
        OrgUnitId(
            group_ids
                .get(bld)
                .copied()
                .unwrap_or_else(|| branch_of_building(bld)),
        )
    };

    // Members.
    let surname_dist = WeightedIndex::new(SURNAMES.iter().map(|s| s.1)).map_err(|e| {
        OpsError::Refused(crate::ops::Said::new(
            format!("demo word list: {e}"),
            format!("示例姓名表有误：{e}"),
        ))
    })?;
    let mut id_numbers = HashSet::new();
    let mut member_cmds = Vec::with_capacity(n);
    let mut member_buildings = Vec::with_capacity(n);
    for i in 0..n {
        let bld = rng.random_range(0..buildings);
        let data = make_member(
            &mut rng,
            &surname_dist,
            &mut id_numbers,
            i,
            bld,
            today,
            unit_of_building(bld),
        );
        member_buildings.push(bld);
        member_cmds.push(Command::CreateMember { data });
    }
    let member_ids = b.create_all(member_cmds)?;
    report.members = member_ids.len();
    let mut members: Vec<DemoMember> = member_ids
        .iter()
        .zip(&member_buildings)
        .map(|(id, bld)| DemoMember {
            id: MemberId(*id),
            unit: unit_of_building(*bld),
            active: true,
        })
        .collect();
    for m in members.iter_mut() {
        let roll = rng.random_range(0..100);
        let status = match roll {
            0..2 => MemberStatus::TransferredOut,
            2 => MemberStatus::Deceased,
            _ => continue,
        };
        m.active = false;
        b.push(Command::SetMemberStatus { id: m.id, status })?;
    }
    b.flush()?;
    let mut by_unit: BTreeMap<OrgUnitId, Vec<MemberId>> = BTreeMap::new();
    for m in members.iter().filter(|m| m.active) {
        by_unit.entry(m.unit).or_default().push(m.id);
    }

    // Leaders: every group but the third, every branch but the last.
    for (i, g) in group_ids.iter().enumerate() {
        if i == 2 {
            continue;
        }
        if let Some(leader) = by_unit.get(&OrgUnitId(*g)).and_then(|v| v.first()) {
            b.push(Command::UpdateOrgUnit {
                id: OrgUnitId(*g),
                name: format!("{}号楼党小组", i + 1),
                leader: Some(*leader),
                buildings: vec![(i + 1).to_string()],
                established: NaiveDate::from_ymd_opt(2012, 5, 1),
                notes: String::new(),
            })?;
        }
    }
    for (i, br) in branch_ids.iter().enumerate().take(n_branches - 1) {
        let groups_here: Vec<OrgUnitId> = (0..covered)
            .filter(|bld| branch_of_building(*bld) == *br)
            .map(|bld| OrgUnitId(group_ids[bld]))
            .collect();
        let candidate = groups_here
            .iter()
            .filter_map(|g| by_unit.get(g).and_then(|v| v.get(1)))
            .next();
        if let Some(secretary) = candidate {
            b.push(Command::UpdateOrgUnit {
                id: OrgUnitId(*br),
                name: BRANCH_NAMES
                    .get(i)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| format!("第{}党支部", i + 1)),
                leader: Some(*secretary),
                buildings: vec![],
                established: NaiveDate::from_ymd_opt(2005 + (i % 10) as i32, 3, 1),
                notes: String::new(),
            })?;
        }
    }
    b.flush()?;

    // Partners, rewards, users.
    for (name, kind) in [
        ("区教育局机关党委", PartnerKind::Unit),
        ("市第一人民医院党委", PartnerKind::Unit),
        ("和平里商圈联合党支部", PartnerKind::TwoNew),
    ] {
        b.push(Command::CreatePartner {
            data: PartnerData {
                name: name.to_string(),
                kind,
                contact: "李主任".into(),
                phone: "010-64211234".into(),
                linked_unit: Some(OrgUnitId(committee)),
                agreed: chrono::NaiveDate::from_ymd_opt(2024, 3, 1),
                notes: String::new(),
            },
        })?;
    }
    let rewards = b.create_all(
        [
            ("洗衣液", 10, Some(200)),
            ("大米5公斤", 20, Some(100)),
            ("理发券", 5, None),
            ("电影票", 15, Some(50)),
        ]
        .iter()
        .map(|(name, cost, stock)| Command::CreateReward {
            name: name.to_string(),
            cost: Points::whole(*cost),
            stock: *stock,
        })
        .collect(),
    )?;
    for (login, name, role, scope) in [
        (
            "wangfang",
            "王芳",
            Role::BranchSecretary,
            Some(branch_ids[0]),
        ),
        ("lijun", "李军", Role::GroupLeader, Some(group_ids[0])),
        ("guest", "访客", Role::Viewer, None),
    ] {
        b.push(Command::AddUser {
            login: login.into(),
            display_name: name.into(),
            role,
            scope: scope.map(OrgUnitId),
        })?;
    }
    b.flush()?;

    let mut caps = Caps {
        rules: query::rules(store)?
            .into_iter()
            .map(|r| (r.code.clone(), r))
            .collect(),
        used: HashMap::new(),
        balance: HashMap::new(),
    };
    let mut entries = 0usize;
    let six_months_ago = today - Duration::days(182);
    let day_in_range =
        |rng: &mut ChaCha8Rng| six_months_ago + Duration::days(rng.random_range(0..=182));

    // Beneficiaries, pairings and tasks.
    let n_benef = (n / 8).max(8);
    let mut benef_cmds = Vec::with_capacity(n_benef);
    let mut benef_units = Vec::with_capacity(n_benef);
    for _ in 0..n_benef {
        let bld = rng.random_range(0..buildings);
        let unit = unit_of_building(bld);
        let kinds = [
            BeneficiaryKind::ElderlyAlone,
            BeneficiaryKind::ElderlyAlone,
            BeneficiaryKind::Disabled,
            BeneficiaryKind::FamilyInDifficulty,
            BeneficiaryKind::LeftBehindChild,
        ];
        let kind = kinds[rng.random_range(0..kinds.len())];
        let surname = SURNAMES[surname_dist.sample(&mut rng)].0;
        let given = GIVEN_CHARS_FEMALE[rng.random_range(0..GIVEN_CHARS_FEMALE.len())];
        benef_units.push(unit);
        benef_cmds.push(Command::CreateBeneficiary {
            data: BeneficiaryData {
                name: format!("{surname}{given}"),
                address: Address {
                    building: (bld + 1).to_string(),
                    unit: rng.random_range(1..=4).to_string(),
                    room: format!("{}0{}", rng.random_range(1..=18), rng.random_range(1..=4)),
                },
                kind,
                needs: NEEDS[rng.random_range(0..NEEDS.len())].to_string(),
                contact: phone(&mut rng),
                visit_cycle_days: [7, 14, 30][rng.random_range(0..3)],
                unit,
                active: true,
                notes: String::new(),
            },
        });
    }
    let benef_ids = b.create_all(benef_cmds)?;
    report.beneficiaries = benef_ids.len();
    let mut pair_cmds = Vec::new();
    let mut pairs: Vec<(BeneficiaryId, MemberId)> = Vec::new();
    for (bid, unit) in benef_ids.iter().zip(&benef_units) {
        // Every tenth beneficiary waits for a pairing, so the alerts have work.
        if rng.random_range(0..10) == 0 {
            continue;
        }
        let Some(pool) = by_unit.get(unit) else {
            continue;
        };
        let k = rng.random_range(1..=2).min(pool.len());
        for m in pool.choose_multiple(&mut rng, k) {
            pairs.push((BeneficiaryId(*bid), *m));
            pair_cmds.push(Command::CreatePairing {
                member: *m,
                beneficiary: BeneficiaryId(*bid),
                since: today - Duration::days(rng.random_range(200..900)),
            });
        }
    }
    report.pairings = b.create_all(pair_cmds)?.len();
    let mut task_cmds = Vec::new();
    let mut to_complete = Vec::new();
    for (bid, m) in &pairs {
        let kind = [
            TaskKind::Visit,
            TaskKind::Visit,
            TaskKind::Errand,
            TaskKind::Care,
        ][rng.random_range(0..4)];
        let title = match kind {
            TaskKind::Visit => "上门走访".to_string(),
            TaskKind::Errand => format!("代办：{}", NEEDS[rng.random_range(0..NEEDS.len())]),
            _ => "照料服务".to_string(),
        };
        // Two done in the past months, one open (a third of them overdue).
        for _ in 0..2 {
            let due = day_in_range(&mut rng);
            to_complete.push((task_cmds.len(), *m, kind, due));
            task_cmds.push(Command::CreateTask {
                kind,
                title: title.clone(),
                beneficiary: *bid,
                assignee: *m,
                due,
            });
        }
        let due = if rng.random_range(0..3) == 0 {
            today - Duration::days(rng.random_range(1..20))
        } else {
            today + Duration::days(rng.random_range(0..21))
        };
        task_cmds.push(Command::CreateTask {
            kind,
            title,
            beneficiary: *bid,
            assignee: *m,
            due,
        });
    }
    let task_ids = b.create_all(task_cmds)?;
    report.tasks = task_ids.len();
    for (index, member, kind, due) in to_complete {
        let hours = rng.random_range(1..=3) * 100;
        let code = crate::ops::rule_code_for(kind).unwrap_or("");
        let quantity = match caps.rules.get(code).map(|r| r.basis) {
            Some(RuleBasis::PerHour) => hours,
            _ => 100,
        };
        if !caps.take(member, code, due, quantity) {
            continue;
        }
        entries += 1;
        b.push(Command::CompleteTask {
            id: TaskId(task_ids[index]),
            date: due.min(today),
            hours_centi: hours,
            outcome: "已完成，老人身体状况良好".into(),
        })?;
    }
    b.flush()?;

    // Activities: each branch meets monthly for six months; attendance awards points.
    let mut act_cmds = Vec::new();
    let mut act_branch = Vec::new();
    for br in &branch_ids {
        for month_back in 0..6 {
            let day = today - Duration::days(30 * month_back + rng.random_range(1..25));
            let title = ACTIVITY_TITLES[rng.random_range(0..ACTIVITY_TITLES.len())];
            act_branch.push(*br);
            act_cmds.push(Command::CreateActivity {
                data: ActivityData {
                    kind: if month_back % 2 == 0 {
                        ActivityKind::ThemePartyDay
                    } else {
                        ActivityKind::BranchGeneralMeeting
                    },
                    title: title.to_string(),
                    host: OrgUnitId(*br),
                    starts: day.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default()),
                    place: "社区党群服务中心".into(),
                    rule: caps.rules.get("ORGLIFE").map(|r| r.id),
                    invitees: OrgUnitId(*br),
                    notes: String::new(),
                },
            });
        }
    }
    let act_ids = b.create_all(act_cmds.clone())?;
    report.activities = act_ids.len();
    let attendance_budget = params.entries / 3;
    let mut members_of_branch: BTreeMap<u64, Vec<MemberId>> = BTreeMap::new();
    for (bld, g) in group_ids.iter().enumerate() {
        if let Some(ms) = by_unit.get(&OrgUnitId(*g)) {
            members_of_branch
                .entry(branch_of_building(bld))
                .or_default()
                .extend(ms);
        }
    }
    for br in &branch_ids {
        if let Some(ms) = by_unit.get(&OrgUnitId(*br)) {
            members_of_branch.entry(*br).or_default().extend(ms);
        }
    }
    // Attendance spread over every activity: about 60% come, fewer when the
    // entries asked for would not cover that.
    let invitations: usize = act_branch
        .iter()
        .map(|br| members_of_branch.get(br).map_or(0, Vec::len))
        .sum();
    let rate = (attendance_budget as f64 / invitations.max(1) as f64).min(0.6);
    for ((aid, br), cmd) in act_ids.iter().zip(&act_branch).zip(&act_cmds) {
        let Command::CreateActivity { data } = cmd else {
            continue;
        };
        let date = data.starts.date();
        for m in members_of_branch.get(br).cloned().unwrap_or_default() {
            let roll: f64 = rng.random();
            if roll < rate {
                if caps.take(m, "ORGLIFE", date, 100) {
                    entries += 1;
                    report.attendance += 1;
                    b.push(Command::CheckIn {
                        activity: ActivityId(*aid),
                        member: m,
                    })?;
                }
            } else if roll < rate * 1.15 {
                report.attendance += 1;
                b.push(Command::MarkAbsent {
                    activity: ActivityId(*aid),
                    member: m,
                    reason: "外出，已请假".into(),
                })?;
            }
        }
    }
    b.flush()?;

    // The rest of the ledger: everyday service points, a few corrections and redemptions.
    let active: Vec<MemberId> = members.iter().filter(|m| m.active).map(|m| m.id).collect();
    let rule_mix = [
        ("VOL", 40),
        ("STUDY", 20),
        ("ERRAND", 15),
        ("CARE", 10),
        ("ADVICE", 5),
        ("REPORT", 5),
        ("ABSENT", 5),
    ];
    let mix = WeightedIndex::new(rule_mix.iter().map(|r| r.1)).map_err(|e| {
        OpsError::Refused(crate::ops::Said::new(
            format!("demo rule mix: {e}"),
            format!("示例积分项目配比有误：{e}"),
        ))
    })?;
    let mut attempts = 0usize;
    let mut recorded: Vec<Command> = Vec::new();
    while entries < params.entries && attempts < params.entries * 4 && !active.is_empty() {
        attempts += 1;
        let m = active[rng.random_range(0..active.len())];
        let code = rule_mix[mix.sample(&mut rng)].0;
        let Some(rule) = caps.rules.get(code).cloned() else {
            continue;
        };
        let quantity = match rule.basis {
            RuleBasis::PerHour => rng.random_range(1..=4) * 100,
            RuleBasis::PerTime => 100,
        };
        let date = day_in_range(&mut rng);
        if !caps.take(m, code, date, quantity) {
            continue;
        }
        entries += 1;
        let note = if rule.points.0 < 0 {
            "无故缺席支部党员大会".to_string()
        } else {
            String::new()
        };
        recorded.push(Command::RecordPoints {
            member: m,
            date,
            rule: rule.id,
            quantity_centi: quantity,
            points_override: None,
            note,
        });
        if recorded.len() >= BATCH {
            correct_some(
                &mut b,
                &mut rng,
                std::mem::take(&mut recorded),
                &mut entries,
            )?;
        }
    }
    correct_some(&mut b, &mut rng, recorded, &mut entries)?;

    // Redemptions at the points supermarket, within each item's stock.
    let mut stock: Vec<Option<u32>> = vec![Some(200), Some(100), None, Some(50)];
    let costs = [10, 20, 5, 15];
    let mut rich: Vec<(MemberId, Points)> = caps.balance.iter().map(|(m, p)| (*m, *p)).collect();
    rich.sort();
    for (m, balance) in rich
        .into_iter()
        .filter(|(_, p)| p.0 >= 3_000)
        .take(n / 50 + 1)
    {
        let item = rng.random_range(0..rewards.len().min(costs.len()));
        if stock[item] == Some(0) || balance < Points::whole(costs[item] + 10) {
            continue;
        }
        if let Some(left) = stock[item].as_mut() {
            *left -= 1;
        }
        entries += 1;
        b.push(Command::Redeem {
            member: m,
            reward: RewardId(rewards[item]),
            date: today - Duration::days(rng.random_range(0..30)),
            note: "积分超市兑换".into(),
        })?;
    }
    b.flush()?;
    let held: Vec<(ActivityId, ActivityData)> = act_ids
        .iter()
        .zip(&act_cmds)
        .filter_map(|(id, cmd)| match cmd {
            Command::CreateActivity { data } => Some((ActivityId(*id), data.clone())),
            _ => None,
        })
        .collect();
    orglife::add(store, actor, today, &held)?;
    report.entries = entries;
    Ok(report)
}

/// Applies a chunk of point entries, then reverses about one in two hundred of
/// them, as corrections happen in real ledgers.
fn correct_some(
    b: &mut Batcher,
    rng: &mut ChaCha8Rng,
    cmds: Vec<Command>,
    entries: &mut usize,
) -> Result<(), OpsError> {
    if cmds.is_empty() {
        return Ok(());
    }
    let ids = b.create_all(cmds)?;
    for id in ids {
        if rng.random_range(0..200) == 0 {
            *entries += 1;
            b.push(Command::ReversePoints {
                entry: EntryId(id),
                reason: "录入错误，冲正".into(),
            })?;
        }
    }
    b.flush()?;
    Ok(())
}

fn phone(rng: &mut ChaCha8Rng) -> String {
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
