//! The evaluation settings (base score, cap, grade thresholds, 优秀 share,
//! absence ceiling, exemptions, who waits for approval, who may deduct, caps
//! that cut, the absence rule): one record, replaced whole by committee
//! admins, audited like every change.

use super::authority::Need;
use super::{Applied, Command, Ctx, OpResult, refuse};
use crate::domain::EvaluationSettings;

pub(super) fn apply(ctx: &Ctx, cmd: &Command) -> OpResult<Applied> {
    let Command::SetEvaluationSettings { settings } = cmd else {
        return refuse(
            format!("{} is not an evaluation command", cmd.kind()),
            format!("{} 不是评议设置命令", cmd.kind()),
        );
    };
    ctx.actor.require(ctx, Need::Admin)?;
    if let Some((en, zh)) = settings.problem() {
        return refuse(en, zh);
    }
    if let Some(code) = &settings.absence_rule {
        let rule = match ctx.tx.rule_id_by_code(code)? {
            Some(id) => ctx.tx.get_id::<crate::domain::PointsRule>(id.0)?,
            None => None,
        };
        match rule {
            Some(r) if r.points.0 < 0 => {}
            _ => {
                return refuse(
                    format!("the absence rule {code} must be an existing deduction rule"),
                    format!("缺席扣分项目 {code} 须为已有的扣分项目"),
                );
            }
        }
    }
    let old: EvaluationSettings = ctx.tx.evaluation_settings()?;
    ctx.tx.put(settings)?;
    Ok(Applied {
        touched: Default::default(),
        subject: String::new(),
        created: None,
        summary: format!(
            "set the evaluation settings: base {}, 优秀 from {}, 良好 from {}, 合格 from {}",
            settings.base,
            settings.thresholds.excellent,
            settings.thresholds.good,
            settings.thresholds.pass
        ),
        inverse: Some(Command::SetEvaluationSettings { settings: old }),
    })
}
