//! Why a command was refused, in both languages (`Said`, `OpsError`), and the
//! helpers handlers refuse with.

use crate::domain::validate::ValueError;
use crate::store::{Abort, StoreError};
use serde::{Deserialize, Serialize};

/// A message in both interface languages. It prints as English (the CLI's
/// default, the audit log's language); the TUI and `--lang zh-CN` pick `zh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub en: String,
    pub zh: String,
}

impl Said {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Said {
        Said {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// Why a command was refused. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error("{field}: {error}")]
    Invalid {
        field: &'static str,
        error: ValueError,
    },
    #[error("{0}")]
    Refused(Said),
    #[error("not found: {0}")]
    NotFound(Said),
    #[error("not allowed: {0}")]
    Forbidden(Said),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("command {index} of the batch ({kind}) was refused, nothing was written: {error}")]
    Batch {
        index: usize,
        kind: &'static str,
        error: Box<OpsError>,
    },
}

impl From<OpsError> for Abort<OpsError> {
    fn from(e: OpsError) -> Self {
        Abort::Refused(e)
    }
}

pub(crate) type OpResult<T> = Result<T, Abort<OpsError>>;

impl OpsError {
    /// The message in Chinese (`zh`) or English.
    pub fn in_lang(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            OpsError::Invalid { field, error } => format!("{}：{}", field_zh(field), error.zh()),
            OpsError::Refused(s) => s.zh.clone(),
            OpsError::NotFound(s) => format!("找不到{}", s.zh),
            OpsError::Forbidden(s) => format!("没有权限：{}", s.zh),
            OpsError::Store(e) => e.in_lang(true),
            OpsError::Batch { index, error, .. } => {
                format!(
                    "第 {index} 条命令被拒绝，未写入任何内容：{}",
                    error.in_lang(true)
                )
            }
        }
    }
}

/// Field names as the validation errors use them, in Chinese.
fn field_zh(field: &str) -> &str {
    match field {
        "name" => "姓名",
        "phone" => "电话",
        "ID number" => "身份证号",
        "birth date" => "出生日期",
        "reported date" => "报到日期",
        "join date" => "入党日期",
        "full-membership date" => "转正日期",
        "notes" => "备注",
        "building" => "楼栋",
        "entrance" => "单元",
        "room" => "房号",
        "home unit" => "工作单位",
        "contact" => "联系人",
        "contact phone" => "联系电话",
        "needs" => "需求",
        "skills" => "特长",
        "posts" => "岗位",
        "buildings" => "楼栋",
        "title" => "标题",
        "place" => "地点",
        "reason" => "原因",
        "note" => "备注",
        "outcome" => "情况记录",
        "hours" => "小时",
        "count" => "次数",
        "date" => "日期",
        "done date" => "完成日期",
        "override reason" => "改分原因",
        "Chinese name" => "中文名称",
        "English name" => "英文名称",
        "display name" => "显示名",
        "counterpart" => "对方组织",
        "letter number" => "介绍信编号",
        "party organisation" => "党组织",
        "participation" => "参加组织生活方式",
        "topic" => "议题",
        "resolution" => "决议",
        "minutes" => "会议记录",
        "responsibilities" => "岗位职责",
        other => other,
    }
}

pub(crate) fn refuse<T>(en: impl Into<String>, zh: impl Into<String>) -> OpResult<T> {
    Err(Abort::Refused(OpsError::Refused(Said::new(en, zh))))
}

pub(crate) fn forbidden(en: impl Into<String>, zh: impl Into<String>) -> Abort<OpsError> {
    Abort::Refused(OpsError::Forbidden(Said::new(en, zh)))
}

pub(crate) fn not_found<T>(en: impl Into<String>, zh: impl Into<String>) -> OpResult<T> {
    Err(Abort::Refused(OpsError::NotFound(Said::new(en, zh))))
}

pub(crate) fn invalid<T>(field: &'static str, error: ValueError) -> OpResult<T> {
    Err(Abort::Refused(OpsError::Invalid { field, error }))
}
