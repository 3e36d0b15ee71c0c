//! What can go wrong with a backup, in words a committee admin can act on, in
//! English and Chinese.

use crate::domain::os_words::os_error_zh;
use crate::store::StoreError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a dangjian backup")]
    NotABackup { path: PathBuf },
    #[error(
        "{path} is a backup format version {found}, newer than this dangjian reads ({known}); \
         use a newer dangjian"
    )]
    FormatTooNew {
        path: PathBuf,
        found: u16,
        known: u16,
    },
    #[error(
        "{path} holds a store of schema version {found}, newer than this dangjian knows \
         ({known}); use a newer dangjian"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path} is truncated: it ends after {bytes} bytes, before the backup is complete; \
         nothing was restored"
    )]
    Truncated { path: PathBuf, bytes: u64 },
    #[error("{path} is damaged ({what}); nothing was restored")]
    Corrupt { path: PathBuf, what: String },
    #[error(
        "{path} already holds data; restore into a new, empty store directory \
         (nothing was changed)"
    )]
    TargetNotEmpty { path: PathBuf },
    #[error("the passphrase is empty; a backup needs one")]
    EmptyPassphrase,
    #[error("the first line of the passphrase file {path} is empty; a backup needs a passphrase")]
    EmptyPassphraseFile { path: PathBuf },
    #[error("cannot read the passphrase file {path}: {source}")]
    PassphraseFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not sealed with a passphrase, so anyone could have written or changed it; \
         nothing was restored. Restore it only if you know where it came from, with --unencrypted"
    )]
    NotSealed { path: PathBuf },
    #[error("{path} is sealed with a passphrase; restore it without --unencrypted")]
    SealedNotPlain { path: PathBuf },
    #[error(
        "{path} cannot be opened with this passphrase: the passphrase is wrong, or the file \
         was changed after it was sealed; nothing was restored"
    )]
    Unauthenticated { path: PathBuf },
    #[error(
        "{path} was changed after it was sealed (its contents fail authentication); \
         nothing was restored"
    )]
    Tampered { path: PathBuf },
    #[error(
        "{path} asks for more passphrase work (scrypt 2^{required}) than this computer allows \
         (2^{allowed}); restore it on a faster computer. Nothing was restored"
    )]
    TooMuchWork {
        path: PathBuf,
        required: u8,
        allowed: u8,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BackupError {
    pub fn in_lang(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            BackupError::Write { path, source } => {
                format!("无法写入 {}：{}", path.display(), os_error_zh(source))
            }
            BackupError::Read { path, source } => {
                format!("无法读取 {}：{}", path.display(), os_error_zh(source))
            }
            BackupError::NotABackup { path } => {
                format!("{} 不是 dangjian 备份文件", path.display())
            }
            BackupError::FormatTooNew { path, found, known } => format!(
                "{} 的备份格式版本为 {found}，比本程序能读的（{known}）新；请使用新版 dangjian",
                path.display()
            ),
            BackupError::SchemaTooNew { path, found, known } => format!(
                "{} 中的数据结构版本为 {found}，比本程序所知的（{known}）新；请使用新版 dangjian",
                path.display()
            ),
            BackupError::Truncated { path, bytes } => format!(
                "{} 不完整：文件在第 {bytes} 字节处提前结束；未恢复任何内容",
                path.display()
            ),
            BackupError::Corrupt { path, what } => {
                format!("{} 已损坏（{what}）；未恢复任何内容", path.display())
            }
            BackupError::TargetNotEmpty { path } => format!(
                "{} 中已有数据；请恢复到一个新的空目录（未做任何改动）",
                path.display()
            ),
            BackupError::EmptyPassphrase => "口令为空；备份必须设置口令".into(),
            BackupError::EmptyPassphraseFile { path } => {
                format!("口令文件 {} 的第一行为空；备份必须设置口令", path.display())
            }
            BackupError::PassphraseFile { path, source } => {
                format!(
                    "无法读取口令文件 {}：{}",
                    path.display(),
                    os_error_zh(source)
                )
            }
            BackupError::NotSealed { path } => format!(
                "{} 没有用口令加密，任何人都可能写过或改过它；未恢复任何内容。\
                 只有确知其来源时，才用 --unencrypted 恢复",
                path.display()
            ),
            BackupError::SealedNotPlain { path } => format!(
                "{} 已用口令加密；恢复时请去掉 --unencrypted",
                path.display()
            ),
            BackupError::Unauthenticated { path } => format!(
                "无法用此口令打开 {}：口令错误，或文件在加密后被改动过；未恢复任何内容",
                path.display()
            ),
            BackupError::Tampered { path } => format!(
                "{} 在加密后被改动过（内容未通过校验）；未恢复任何内容",
                path.display()
            ),
            BackupError::TooMuchWork {
                path,
                required,
                allowed,
            } => format!(
                "打开 {} 需要的口令计算量（scrypt 2^{required}）超过本机允许的（2^{allowed}）；\
                 请在更快的电脑上恢复。未恢复任何内容",
                path.display()
            ),
            BackupError::Store(e) => format!("存储出错：{e}"),
        }
    }
}
