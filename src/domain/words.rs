//! The one home of the words for domain values: every enum a person reads
//! (in the TUI, the CLI, an export, the monthly report, an import's problems)
//! says itself here, in both interface languages, with `label(self, Lang)`.
//! Importers read these same words back (and more synonyms besides), so an
//! export imports again. Pure: no I/O, no terminal.

use super::*;

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// `--lang` wins; otherwise zh-CN when the locale (LC_ALL, else LANG)
    /// starts with `zh`.
    pub fn from_setting(flag: Option<&str>, locale: Option<&str>) -> Lang {
        match flag {
            Some(f) if f.starts_with("en") => Lang::En,
            Some(_) => Lang::Zh,
            None if locale.is_some_and(|l| l.starts_with("zh")) => Lang::Zh,
            None => Lang::En,
        }
    }

    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }

    /// The one of two texts for this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// `zh` as the older `zh: bool` parameters have it.
    pub fn of_zh(zh: bool) -> Lang {
        if zh { Lang::Zh } else { Lang::En }
    }
}

/// `(en, zh)` by variant; one match per enum, so a new variant does not
/// compile until it has its words.
macro_rules! labels {
    ($ty:ty { $($variant:pat => ($en:expr, $zh:expr)),* $(,)? }) => {
        impl $ty {
            /// How this value reads in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                let (en, zh) = match self { $($variant => ($en, $zh)),* };
                lang.pick(en, zh)
            }
        }
    };
}

labels!(OrgLevel {
    OrgLevel::Committee => ("committee", "社区党委"),
    OrgLevel::Branch => ("branch", "党支部"),
    OrgLevel::Group => ("group", "楼栋党小组"),
});

labels!(PartnerKind {
    PartnerKind::Unit => ("resident unit", "驻区单位"),
    PartnerKind::TwoNew => ("two-new organisation", "两新组织"),
    PartnerKind::Other => ("other", "其他"),
});

labels!(MemberCategory {
    MemberCategory::OnTheJob => ("on-the-job", "在职"),
    MemberCategory::Retired => ("retired", "离退休"),
    MemberCategory::Student => ("student", "学生"),
    MemberCategory::Mobile => ("mobile", "流动"),
    MemberCategory::Other => ("other", "其他"),
});

labels!(Gender {
    Gender::Male => ("male", "男"),
    Gender::Female => ("female", "女"),
});

labels!(MemberStatus {
    MemberStatus::Active => ("active", "正常"),
    MemberStatus::TransferredOut => ("transferred out", "已转出"),
    MemberStatus::Deceased => ("deceased", "已故"),
});

labels!(BeneficiaryKind {
    BeneficiaryKind::ElderlyAlone => ("elderly living alone", "独居老人"),
    BeneficiaryKind::Disabled => ("disabled", "残疾人"),
    BeneficiaryKind::FamilyInDifficulty => ("family in difficulty", "困难家庭"),
    BeneficiaryKind::LeftBehindChild => ("left-behind child", "留守儿童"),
    BeneficiaryKind::Other => ("other", "其他"),
});

labels!(TaskKind {
    TaskKind::Visit => ("visit", "走访"),
    TaskKind::Care => ("care", "照料"),
    TaskKind::Errand => ("errand", "代办"),
    TaskKind::Other => ("other", "其他"),
});

labels!(TaskStatus {
    TaskStatus::Open => ("open", "待办"),
    TaskStatus::Done => ("done", "已完成"),
    TaskStatus::Cancelled => ("cancelled", "已取消"),
});

labels!(RuleBasis {
    RuleBasis::PerHour => ("per hour", "每小时"),
    RuleBasis::PerTime => ("per time", "每次"),
});

labels!(CapPeriod {
    CapPeriod::Month => ("month", "月"),
    CapPeriod::Quarter => ("quarter", "季度"),
    CapPeriod::Year => ("year", "年"),
});

labels!(EntrySource {
    EntrySource::Manual => ("manual", "手工"),
    EntrySource::Activity(_) => ("activity", "活动"),
    EntrySource::Task(_) => ("task", "任务"),
    EntrySource::Redemption(_) => ("redemption", "兑换"),
});

labels!(ActivityKind {
    ActivityKind::BranchGeneralMeeting => ("branch general meeting", "支部党员大会"),
    ActivityKind::BranchCommitteeMeeting => ("branch committee meeting", "支部委员会"),
    ActivityKind::GroupMeeting => ("group meeting", "党小组会"),
    ActivityKind::PartyLecture => ("party lecture", "党课"),
    ActivityKind::ThemePartyDay => ("theme party day", "主题党日"),
    ActivityKind::VolunteerService => ("volunteer service", "志愿服务"),
    ActivityKind::Study => ("study", "学习"),
    ActivityKind::Other => ("other", "其他"),
});

labels!(Role {
    Role::CommitteeAdmin => ("committee-admin", "党委管理员"),
    Role::BranchSecretary => ("branch-secretary", "支部书记"),
    Role::GroupLeader => ("group-leader", "小组长/网格员"),
    Role::Viewer => ("viewer", "只读"),
});

labels!(Direction {
    Direction::Out => ("out", "转出"),
    Direction::In => ("in", "转入"),
});

labels!(Every {
    Every::Month => ("monthly", "每月"),
    Every::Quarter => ("quarterly", "每季度"),
    Every::Year => ("yearly", "每年"),
});

labels!(CommitteePost {
    CommitteePost::Secretary => ("secretary", "书记"),
    CommitteePost::DeputySecretary => ("deputy secretary", "副书记"),
    CommitteePost::Organisation => ("organisation member", "组织委员"),
    CommitteePost::Propaganda => ("propaganda member", "宣传委员"),
    CommitteePost::Discipline => ("discipline member", "纪检委员"),
    CommitteePost::Member => ("committee member", "委员"),
});

labels!(ChangeKind {
    ChangeKind::Reported => ("reported", "报到"),
    ChangeKind::TransferIn => ("transferred in", "转入"),
    ChangeKind::TransferOut => ("transferred out", "转出"),
    ChangeKind::FlowOut => ("flowed out", "流出"),
    ChangeKind::FlowIn => ("flowed in", "流入"),
    ChangeKind::FlowEnded => ("flow ended", "流动结束"),
    ChangeKind::LostContact => ("lost contact", "失联"),
    ChangeKind::Regained => ("contact regained", "恢复联系"),
});

impl Direction {
    /// A flow's direction: 流出 / 流入 (a transfer's is 转出 / 转入, `label`).
    pub fn flow_label(self, lang: Lang) -> &'static str {
        match self {
            Direction::Out => lang.pick("flowed out", "流出"),
            Direction::In => lang.pick("flowed in", "流入"),
        }
    }
}

impl Required {
    /// `monthly`, `not required`, `as the community` (每月 / 不要求 / 同上级).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Required::Inherit => lang.pick("default", "默认"),
            Required::Never => lang.pick("not required", "不要求"),
            Required::Every(e) => e.label(lang),
        }
    }
}

impl Presence {
    /// `present` / `absent` (出席 / 缺席).
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Presence::Present { .. } => lang.pick("present", "出席"),
            Presence::Absent { .. } => lang.pick("excused", "请假"),
            Presence::Unexcused { .. } => lang.pick("unexcused absence", "无故缺席"),
        }
    }
}

labels!(Grade {
    Grade::Excellent => ("excellent", "优秀"),
    Grade::Good => ("good", "良好"),
    Grade::Pass => ("pass", "合格"),
    Grade::Fail => ("fail", "不合格"),
});

impl evaluation::Exemption {
    /// Why a member is exempt, e.g. `retired, 80 or older` / `离退休且年满 80 岁`.
    pub fn label(self, lang: Lang) -> String {
        match self {
            evaluation::Exemption::RetiredAged(age) => match lang {
                Lang::Zh => format!("离退休且年满 {age} 岁"),
                Lang::En => format!("retired, {age} or older"),
            },
            evaluation::Exemption::Mobile => lang.pick("mobile member", "流动党员").to_string(),
        }
    }
}

/// Every value of the enums without data, for lists people pick from (and
/// for the test below that every one has its words).
macro_rules! all {
    ($($ty:ident [$($v:ident),* $(,)?]),* $(,)?) => {$(
        impl $ty {
            pub const VARIANTS: &'static [$ty] = &[$($ty::$v),*];
        }
    )*};
}

all!(
    OrgLevel[Committee, Branch, Group],
    PartnerKind[Unit, TwoNew, Other],
    Gender[Male, Female],
    MemberStatus[Active, TransferredOut, Deceased],
    BeneficiaryKind[ElderlyAlone, Disabled, FamilyInDifficulty, LeftBehindChild, Other],
    TaskKind[Visit, Care, Errand, Other],
    TaskStatus[Open, Done, Cancelled],
    RuleBasis[PerHour, PerTime],
    CapPeriod[Month, Quarter, Year],
    ActivityKind[
        BranchGeneralMeeting,
        BranchCommitteeMeeting,
        GroupMeeting,
        PartyLecture,
        ThemePartyDay,
        VolunteerService,
        Study,
        Other,
    ],
    Role[CommitteeAdmin, BranchSecretary, GroupLeader, Viewer],
    Grade[Excellent, Good, Pass, Fail],
    Direction[Out, In],
    Every[Month, Quarter, Year],
    ChangeKind[
        Reported,
        TransferIn,
        TransferOut,
        FlowOut,
        FlowIn,
        FlowEnded,
        LostContact,
        Regained,
    ],
    CommitteePost[
        Secretary,
        DeputySecretary,
        Organisation,
        Propaganda,
        Discipline,
        Member,
    ],
);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label of one enum in one language: there, in that language's
    /// script, and telling the values apart.
    fn check(what: &str, labels: &[&str], lang: Lang) {
        for l in labels {
            assert!(!l.trim().is_empty(), "{what}: an empty label in {lang:?}");
            match lang {
                Lang::Zh => assert!(
                    !l.chars().any(|c| c.is_ascii_alphabetic()),
                    "{what}: {l:?} is not Chinese"
                ),
                Lang::En => assert!(l.is_ascii(), "{what}: {l:?} is not English"),
            }
        }
        let mut seen = labels.to_vec();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), labels.len(), "{what}: two values read alike");
    }

    fn each<T: Copy>(what: &str, all: &[T], label: impl Fn(T, Lang) -> &'static str) {
        for lang in Lang::ALL {
            let labels: Vec<&str> = all.iter().map(|v| label(*v, lang)).collect();
            check(what, &labels, lang);
        }
    }

    /// An exhaustive match per enum: a variant added without a place in
    /// `VARIANTS` (or `ALL`) stops this from compiling.
    #[test]
    fn every_variant_of_every_domain_enum_has_words_in_both_languages() {
        let counted = |v: usize, n: usize| assert_eq!(v, n);
        for l in OrgLevel::VARIANTS {
            match l {
                OrgLevel::Committee | OrgLevel::Branch | OrgLevel::Group => {}
            }
        }
        counted(OrgLevel::VARIANTS.len(), 3);
        each("OrgLevel", OrgLevel::VARIANTS, OrgLevel::label);
        for k in PartnerKind::VARIANTS {
            match k {
                PartnerKind::Unit | PartnerKind::TwoNew | PartnerKind::Other => {}
            }
        }
        counted(PartnerKind::VARIANTS.len(), 3);
        each("PartnerKind", PartnerKind::VARIANTS, PartnerKind::label);
        for c in MemberCategory::ALL {
            match c {
                MemberCategory::OnTheJob
                | MemberCategory::Retired
                | MemberCategory::Student
                | MemberCategory::Mobile
                | MemberCategory::Other => {}
            }
        }
        counted(MemberCategory::ALL.len(), 5);
        each(
            "MemberCategory",
            &MemberCategory::ALL,
            MemberCategory::label,
        );
        for g in Gender::VARIANTS {
            match g {
                Gender::Male | Gender::Female => {}
            }
        }
        counted(Gender::VARIANTS.len(), 2);
        each("Gender", Gender::VARIANTS, Gender::label);
        for s in MemberStatus::VARIANTS {
            match s {
                MemberStatus::Active | MemberStatus::TransferredOut | MemberStatus::Deceased => {}
            }
        }
        counted(MemberStatus::VARIANTS.len(), 3);
        each("MemberStatus", MemberStatus::VARIANTS, MemberStatus::label);
        for k in BeneficiaryKind::VARIANTS {
            match k {
                BeneficiaryKind::ElderlyAlone
                | BeneficiaryKind::Disabled
                | BeneficiaryKind::FamilyInDifficulty
                | BeneficiaryKind::LeftBehindChild
                | BeneficiaryKind::Other => {}
            }
        }
        counted(BeneficiaryKind::VARIANTS.len(), 5);
        each(
            "BeneficiaryKind",
            BeneficiaryKind::VARIANTS,
            BeneficiaryKind::label,
        );
        for k in TaskKind::VARIANTS {
            match k {
                TaskKind::Visit | TaskKind::Care | TaskKind::Errand | TaskKind::Other => {}
            }
        }
        counted(TaskKind::VARIANTS.len(), 4);
        each("TaskKind", TaskKind::VARIANTS, TaskKind::label);
        for s in TaskStatus::VARIANTS {
            match s {
                TaskStatus::Open | TaskStatus::Done | TaskStatus::Cancelled => {}
            }
        }
        counted(TaskStatus::VARIANTS.len(), 3);
        each("TaskStatus", TaskStatus::VARIANTS, TaskStatus::label);
        for b in RuleBasis::VARIANTS {
            match b {
                RuleBasis::PerHour | RuleBasis::PerTime => {}
            }
        }
        counted(RuleBasis::VARIANTS.len(), 2);
        each("RuleBasis", RuleBasis::VARIANTS, RuleBasis::label);
        for p in CapPeriod::VARIANTS {
            match p {
                CapPeriod::Month | CapPeriod::Quarter | CapPeriod::Year => {}
            }
        }
        counted(CapPeriod::VARIANTS.len(), 3);
        each("CapPeriod", CapPeriod::VARIANTS, CapPeriod::label);
        for k in ActivityKind::VARIANTS {
            match k {
                ActivityKind::BranchGeneralMeeting
                | ActivityKind::BranchCommitteeMeeting
                | ActivityKind::GroupMeeting
                | ActivityKind::PartyLecture
                | ActivityKind::ThemePartyDay
                | ActivityKind::VolunteerService
                | ActivityKind::Study
                | ActivityKind::Other => {}
            }
        }
        counted(ActivityKind::VARIANTS.len(), 8);
        each("ActivityKind", ActivityKind::VARIANTS, ActivityKind::label);
        for r in Role::VARIANTS {
            match r {
                Role::CommitteeAdmin | Role::BranchSecretary | Role::GroupLeader | Role::Viewer => {
                }
            }
        }
        counted(Role::VARIANTS.len(), 4);
        each("Role", Role::VARIANTS, Role::label);
        for g in Grade::VARIANTS {
            match g {
                Grade::Excellent | Grade::Good | Grade::Pass | Grade::Fail => {}
            }
        }
        counted(Grade::VARIANTS.len(), 4);
        each("Grade", Grade::VARIANTS, Grade::label);
        for lang in Lang::ALL {
            let exemptions = [
                evaluation::Exemption::RetiredAged(80),
                evaluation::Exemption::Mobile,
            ];
            let labels: Vec<String> = exemptions
                .iter()
                .map(|e| match e {
                    evaluation::Exemption::RetiredAged(_) | evaluation::Exemption::Mobile => {
                        e.label(lang)
                    }
                })
                .collect();
            let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
            if lang == Lang::Zh {
                // The age is a number in either language.
                assert!(labels.iter().all(|l| !l.is_ascii()));
            } else {
                check("Exemption", &labels, lang);
            }
        }
        for d in Direction::VARIANTS {
            match d {
                Direction::Out | Direction::In => {}
            }
        }
        counted(Direction::VARIANTS.len(), 2);
        each("Direction", Direction::VARIANTS, Direction::label);
        each(
            "Direction (flow)",
            Direction::VARIANTS,
            Direction::flow_label,
        );
        for e in Every::VARIANTS {
            match e {
                Every::Month | Every::Quarter | Every::Year => {}
            }
        }
        counted(Every::VARIANTS.len(), 3);
        for c in ChangeKind::VARIANTS {
            match c {
                ChangeKind::Reported
                | ChangeKind::TransferIn
                | ChangeKind::TransferOut
                | ChangeKind::FlowOut
                | ChangeKind::FlowIn
                | ChangeKind::FlowEnded
                | ChangeKind::LostContact
                | ChangeKind::Regained => {}
            }
        }
        counted(ChangeKind::VARIANTS.len(), 8);
        each("ChangeKind", ChangeKind::VARIANTS, ChangeKind::label);
        each("Every", Every::VARIANTS, Every::label);
        for p in CommitteePost::VARIANTS {
            match p {
                CommitteePost::Secretary
                | CommitteePost::DeputySecretary
                | CommitteePost::Organisation
                | CommitteePost::Propaganda
                | CommitteePost::Discipline
                | CommitteePost::Member => {}
            }
        }
        counted(CommitteePost::VARIANTS.len(), 6);
        each(
            "CommitteePost",
            CommitteePost::VARIANTS,
            CommitteePost::label,
        );
        let required = [
            Required::Inherit,
            Required::Never,
            Required::Every(Every::Month),
        ];
        for r in &required {
            match r {
                Required::Inherit | Required::Never | Required::Every(_) => {}
            }
        }
        each("Required", &required, Required::label);

        // The enums that carry data: one value of each variant.
        let sources = [
            EntrySource::Manual,
            EntrySource::Activity(ActivityId(1)),
            EntrySource::Task(TaskId(1)),
            EntrySource::Redemption(RewardId(1)),
        ];
        for s in &sources {
            match s {
                EntrySource::Manual
                | EntrySource::Activity(_)
                | EntrySource::Task(_)
                | EntrySource::Redemption(_) => {}
            }
        }
        each("EntrySource", &sources, EntrySource::label);
        let presences = [
            Presence::Present {
                checked_in: chrono::DateTime::from_timestamp(0, 0).unwrap_or_default(),
                award: None,
            },
            Presence::Absent {
                reason: String::new(),
            },
            Presence::Unexcused {
                date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
                deduction: None,
                note: String::new(),
            },
        ];
        for lang in Lang::ALL {
            let labels: Vec<&str> = presences
                .iter()
                .map(|p| match p {
                    Presence::Present { .. }
                    | Presence::Absent { .. }
                    | Presence::Unexcused { .. } => p.label(lang),
                })
                .collect();
            check("Presence", &labels, lang);
        }
    }

    #[test]
    fn language_follows_flag_then_locale() {
        assert_eq!(
            Lang::from_setting(Some("en"), Some("zh_CN.UTF-8")),
            Lang::En
        );
        assert_eq!(Lang::from_setting(Some("zh-CN"), None), Lang::Zh);
        assert_eq!(Lang::from_setting(None, Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_setting(None, Some("C.UTF-8")), Lang::En);
        assert_eq!(Lang::from_setting(None, None), Lang::En);
    }
}
