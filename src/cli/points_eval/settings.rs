//! `evaluation settings show`: the settings as a short list, in the
//! interface language.

use super::super::points::pad;
use crate::domain::*;

pub(super) fn show_settings(st: &EvaluationSettings, lang: Lang) -> anyhow::Result<()> {
    let w = |en, zh| lang.pick(en, zh);
    let none = w("none", "无");
    let opt = |p: Option<Points>| p.map_or(none.to_string(), |p| p.to_string());
    let names = |r: &[Role]| {
        r.iter()
            .map(|r| r.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Labels padded to one width so the values line up in either language.
    let label = |en, zh| pad(w(en, zh), 16);
    let t = &st.thresholds;
    outln!("{}{}", label("base", "基础分"), st.base)?;
    outln!("{}{}", label("cap", "封顶"), opt(st.cap))?;
    outln!(
        "{}{} ≥ {}, {} ≥ {}, {} ≥ {}, {} {}",
        label("grades", "等次"),
        Grade::Excellent.label(lang),
        t.excellent,
        Grade::Good.label(lang),
        t.good,
        Grade::Pass.label(lang),
        t.pass,
        w("else", "其余"),
        Grade::Fail.label(lang)
    )?;
    outln!(
        "{}{}",
        label("excellent share", "优秀比例"),
        st.excellent_share_pct.map_or(none.into(), |p| match lang {
            Lang::En => format!("{p}% of a branch"),
            Lang::Zh => format!("不超过支部的 {p}%"),
        })
    )?;
    outln!(
        "{}{}",
        label("absence ceiling", "缺席限等"),
        st.absence_ceiling.map_or(none.into(), |c| match lang {
            Lang::En => format!(
                "{} unexcused → at most {}",
                c.absences,
                c.at_most.label(lang)
            ),
            Lang::Zh => format!("无故缺席 {} 次 → 最高{}", c.absences, c.at_most.label(lang)),
        })
    )?;
    let age = st
        .exempt_retired_from_age
        .map_or(none.into(), |a| a.to_string());
    match lang {
        Lang::En => outln!(
            "{}retired from age {age}; mobile {}",
            label("exempt", ""),
            st.exempt_mobile
        )?,
        Lang::Zh => outln!(
            "{}离退休年满 {age} 岁；流动党员{}",
            label("", "免评"),
            if st.exempt_mobile { "免评" } else { "参评" }
        )?,
    }
    match lang {
        Lang::En => outln!(
            "{}roles [{}], rules [{}]",
            label("pending", ""),
            names(&st.pending_roles),
            st.pending_rules.join(", ")
        )?,
        Lang::Zh => outln!(
            "{}角色 [{}]，规则 [{}]",
            label("", "需审批"),
            names(&st.pending_roles),
            st.pending_rules.join(", ")
        )?,
    }
    outln!(
        "{}[{}]",
        label("deductions by", "可扣分"),
        names(&st.deduct_roles)
    )?;
    outln!(
        "{}{}",
        label("caps", "超出上限"),
        if st.cap_cuts {
            w("cut", "截去")
        } else {
            w("refuse", "拒绝")
        }
    )?;
    outln!(
        "{}{}",
        label("absence rule", "缺席扣分规则"),
        st.absence_rule.as_deref().unwrap_or(none)
    )?;
    Ok(())
}
