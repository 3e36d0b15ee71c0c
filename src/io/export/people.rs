//! The member and beneficiary exports: the importers' own columns, between
//! the record's id and its unit's id, masked unless asked for whole.

use super::*;

/// Members as the roster import reads them, in the order given, between the
/// member's id and their unit's id.
pub fn members_table(
    list: &[Member],
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    unmasked: bool,
) -> Table {
    Table {
        name: members_name(zh).into(),
        headers: members_headers(zh),
        rows: list
            .iter()
            .map(|m| member_row(m, units, zh, unmasked))
            .collect(),
    }
}

fn members_name(zh: bool) -> &'static str {
    if zh { "党员" } else { "Members" }
}

fn members_headers(zh: bool) -> Vec<String> {
    use members::MemberField as M;
    with_ids(
        MEMBER_ID,
        header(members::COLUMNS, zh, |f| *f != M::Address),
        zh,
    )
}

pub(super) fn members_head(out: &mut dyn Rows, zh: bool) -> Result<(), ExportError> {
    out.head(members_name(zh), members_headers(zh))
}

/// One member's row of `members_table`.
pub(super) fn member_row(
    m: &Member,
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    unmasked: bool,
) -> Vec<Value> {
    use members::MemberField as M;
    {
        {
            let d = &m.data;
            let [committee, branch, group] = unit_path(units, d.unit);
            let fields = members::COLUMNS
                .iter()
                .filter(|c| c.field != M::Address)
                .map(|c| match c.field {
                    M::Name => Value::text(&d.name),
                    M::Gender => Value::text(members::gender_label(d.gender, zh)),
                    M::Birth => Value::date(d.birth_date),
                    M::IdNumber if unmasked => Value::text(&d.id_number),
                    M::IdNumber => Value::text(mask_id_number(&d.id_number)),
                    M::Phone if unmasked => Value::text(&d.phone),
                    M::Phone => Value::text(mask_phone(&d.phone)),
                    M::Building => Value::text(&d.address.building),
                    M::Entrance => Value::text(&d.address.unit),
                    M::Room => Value::text(&d.address.room),
                    M::Address => Value::text(d.address.short()),
                    M::Committee => committee.clone(),
                    M::Branch => branch.clone(),
                    M::Group => group.clone(),
                    M::Category => Value::text(members::category_label(d.category, zh)),
                    M::HomeUnit => Value::text(&d.home_unit),
                    M::Reported => Value::date(d.reported),
                    M::Joined => Value::partial(d.joined),
                    M::FullMember => Value::partial(d.full_member),
                    M::Skills => Value::text(d.skills.join("、")),
                    M::Posts => Value::text(d.posts.join("、")),
                    M::Status => Value::text(members::status_label(d.status, zh)),
                    M::Notes => Value::text(&d.notes),
                });
            std::iter::once(Value::id(m.id.0))
                .chain(fields)
                .chain([Value::id(d.unit.0)])
                .collect()
        }
    }
}

/// Beneficiaries as their import reads them, between the beneficiary's id and
/// their unit's id.
pub fn beneficiaries_table(
    list: &[Beneficiary],
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    unmasked: bool,
) -> Table {
    Table {
        name: beneficiaries_name(zh).into(),
        headers: beneficiaries_headers(zh),
        rows: list
            .iter()
            .map(|b| beneficiary_row(b, units, zh, unmasked))
            .collect(),
    }
}

fn beneficiaries_name(zh: bool) -> &'static str {
    if zh { "帮扶对象" } else { "Beneficiaries" }
}

fn beneficiaries_headers(zh: bool) -> Vec<String> {
    use beneficiaries::BeneficiaryField as B;
    with_ids(
        BENEFICIARY_ID,
        header(beneficiaries::COLUMNS, zh, |f| *f != B::Address),
        zh,
    )
}

pub(super) fn beneficiaries_head(out: &mut dyn Rows, zh: bool) -> Result<(), ExportError> {
    out.head(beneficiaries_name(zh), beneficiaries_headers(zh))
}

/// One beneficiary's row of `beneficiaries_table`.
pub(super) fn beneficiary_row(
    b: &Beneficiary,
    units: &HashMap<OrgUnitId, OrgUnit>,
    zh: bool,
    unmasked: bool,
) -> Vec<Value> {
    use beneficiaries::BeneficiaryField as B;
    {
        {
            let d = &b.data;
            let [committee, branch, group] = unit_path(units, d.unit);
            let fields = beneficiaries::COLUMNS
                .iter()
                .filter(|c| c.field != B::Address)
                .map(|c| match c.field {
                    B::Name => Value::text(&d.name),
                    B::Kind => Value::text(beneficiaries::kind_label(d.kind, zh)),
                    B::Building => Value::text(&d.address.building),
                    B::Entrance => Value::text(&d.address.unit),
                    B::Room => Value::text(&d.address.room),
                    B::Address => Value::text(d.address.short()),
                    B::Committee => committee.clone(),
                    B::Branch => branch.clone(),
                    B::Group => group.clone(),
                    B::Needs => Value::text(&d.needs),
                    B::Contact if unmasked => Value::text(&d.contact),
                    B::Contact => Value::text(mask_phone(&d.contact)),
                    B::VisitCycle => Value::Int(i64::from(d.visit_cycle_days)),
                    B::Status => Value::text(beneficiaries::status_label(d.active, zh)),
                    B::Notes => Value::text(&d.notes),
                });
            std::iter::once(Value::id(b.id.0))
                .chain(fields)
                .chain([Value::id(d.unit.0)])
                .collect()
        }
    }
}
