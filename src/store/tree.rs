//! The named trees of a store: one per record kind, per index and per kept
//! total (the layout is the table at the top of `store`). Private to the
//! store: the layers above read by meaning (`reads`), never by tree and key.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tree {
    Meta,
    OrgUnits,
    Partners,
    Members,
    Beneficiaries,
    Pairings,
    Tasks,
    Rules,
    Ledger,
    Rewards,
    Activities,
    Attendance,
    Users,
    Audit,
    IxMemberUnit,
    IxMemberKey,
    IxMemberIdno,
    IxLedgerMember,
    IxLedgerReversed,
    IxLedgerDate,
    IxTaskDue,
    IxPairingMember,
    IxPairingBenef,
    IxRuleCode,
    IxAttendMember,
    BalMember,
    BalMemberMonth,
    BalMemberYear,
    BalUnitMonth,
    BalMemberRule,
    CntMonthServed,
}

impl Tree {
    pub const ALL: [Tree; 31] = [
        Tree::Meta,
        Tree::OrgUnits,
        Tree::Partners,
        Tree::Members,
        Tree::Beneficiaries,
        Tree::Pairings,
        Tree::Tasks,
        Tree::Rules,
        Tree::Ledger,
        Tree::Rewards,
        Tree::Activities,
        Tree::Attendance,
        Tree::Users,
        Tree::Audit,
        Tree::IxMemberUnit,
        Tree::IxMemberKey,
        Tree::IxMemberIdno,
        Tree::IxLedgerMember,
        Tree::IxLedgerReversed,
        Tree::IxLedgerDate,
        Tree::IxTaskDue,
        Tree::IxPairingMember,
        Tree::IxPairingBenef,
        Tree::IxRuleCode,
        Tree::IxAttendMember,
        Tree::BalMember,
        Tree::BalMemberMonth,
        Tree::BalMemberYear,
        Tree::BalUnitMonth,
        Tree::BalMemberRule,
        Tree::CntMonthServed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tree::Meta => "meta",
            Tree::OrgUnits => "org_units",
            Tree::Partners => "partners",
            Tree::Members => "members",
            Tree::Beneficiaries => "beneficiaries",
            Tree::Pairings => "pairings",
            Tree::Tasks => "tasks",
            Tree::Rules => "rules",
            Tree::Ledger => "ledger",
            Tree::Rewards => "rewards",
            Tree::Activities => "activities",
            Tree::Attendance => "attendance",
            Tree::Users => "users",
            Tree::Audit => "audit",
            Tree::IxMemberUnit => "ix_member_unit",
            Tree::IxMemberKey => "ix_member_key",
            Tree::IxMemberIdno => "ix_member_idno",
            Tree::IxLedgerMember => "ix_ledger_member",
            Tree::IxLedgerReversed => "ix_ledger_reversed",
            Tree::IxLedgerDate => "ix_ledger_date",
            Tree::IxTaskDue => "ix_task_due",
            Tree::IxPairingMember => "ix_pairing_member",
            Tree::IxPairingBenef => "ix_pairing_benef",
            Tree::IxRuleCode => "ix_rule_code",
            Tree::IxAttendMember => "ix_attend_member",
            Tree::BalMember => "bal_member",
            Tree::BalMemberMonth => "bal_member_month",
            Tree::BalMemberYear => "bal_member_year",
            Tree::BalUnitMonth => "bal_unit_month",
            Tree::BalMemberRule => "bal_member_rule",
            Tree::CntMonthServed => "cnt_month_served",
        }
    }

    /// The tree a backup or a test hook names.
    pub fn from_name(name: &str) -> Option<Tree> {
        Tree::ALL.iter().copied().find(|t| t.name() == name)
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}
