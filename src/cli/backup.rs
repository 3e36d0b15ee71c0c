//! `backup` and `restore`: arguments, the passphrase (asked on the terminal
//! without echo, twice for a new backup, or read from `--passphrase-file`),
//! the warnings of `--unencrypted`, and what a restore is about to create,
//! shown before it is put in place and confirmed on a terminal (`--yes`
//! skips the question). The work is in `crate::io::backup`.

use crate::access::Session;
use crate::domain::Role;
use crate::io::backup::{self, BackupError, FileKind, Passphrase, Sealing};
use crate::store::Store;
use anyhow::{Context, anyhow, bail};
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// File to write (replaced atomically).
    file: PathBuf,
    /// Read the passphrase from the first line of this file instead of asking.
    #[arg(long, value_name = "FILE", conflicts_with = "unencrypted")]
    passphrase_file: Option<PathBuf>,
    /// Write the backup in the clear, without a passphrase (it holds every ID number).
    #[arg(long)]
    unencrypted: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file.
    file: PathBuf,
    /// Read the passphrase from the first line of this file instead of asking.
    #[arg(long, value_name = "FILE", conflicts_with = "unencrypted")]
    passphrase_file: Option<PathBuf>,
    /// The backup is not sealed (written with `backup --unencrypted`).
    #[arg(long)]
    unencrypted: bool,
    /// Restore without asking to confirm what it will create.
    #[arg(long, short = 'y')]
    yes: bool,
}

fn said(e: BackupError, zh: bool) -> anyhow::Error {
    anyhow!(e.in_lang(zh))
}

/// How often a prompt asks: twice when a mistyped passphrase would seal a
/// backup nobody can open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ask {
    Once,
    Twice,
}

/// The passphrase from `--passphrase-file`, or asked on the terminal.
fn passphrase(file: Option<&Path>, ask: Ask, zh: bool) -> anyhow::Result<Passphrase> {
    if let Some(file) = file {
        return Passphrase::from_file(file).map_err(|e| said(e, zh));
    }
    if !std::io::stdin().is_terminal() {
        if zh {
            bail!("没有终端可以输入口令；请用 --passphrase-file FILE 给出口令");
        }
        bail!("no terminal to ask for the passphrase on; give it with --passphrase-file FILE");
    }
    let (first_prompt, again_prompt) = match (ask, zh) {
        (Ask::Twice, false) => ("Passphrase for the backup: ", "The same again: "),
        (Ask::Twice, true) => ("备份口令：", "再输入一次："),
        (Ask::Once, false) => ("Passphrase of the backup: ", ""),
        (Ask::Once, true) => ("备份的口令：", ""),
    };
    let first = Passphrase::new(prompt(first_prompt, zh)?).map_err(|e| said(e, zh))?;
    if ask == Ask::Twice {
        let again = Passphrase::new(prompt(again_prompt, zh)?);
        if !again.is_ok_and(|again| again.same_as(&first)) {
            if zh {
                bail!("两次输入的口令不同；未写入任何内容");
            }
            bail!("the two passphrases differ; nothing was written");
        }
    }
    Ok(first)
}

/// Asks on the terminal, without echo.
fn prompt(text: &str, zh: bool) -> anyhow::Result<String> {
    rpassword::prompt_password(text).with_context(|| {
        if zh {
            "无法从终端读取口令".to_string()
        } else {
            "cannot read the passphrase from the terminal".to_string()
        }
    })
}

pub fn backup(s: &Session, args: &BackupArgs, zh: bool) -> anyhow::Result<ExitCode> {
    // A backup holds every ID number of the community. On the store's own
    // files this is the check (as the store has the user now); a server
    // checks again for itself. Said before anything is asked.
    let actor = &s.ask(crate::access::WhoAmIQ)?;
    if actor.role != Role::CommitteeAdmin || actor.scope.is_some() {
        if zh {
            bail!(
                "只有党委管理员可以备份整个数据库；`{}` 是{}",
                actor.login,
                actor.role.label(crate::domain::Lang::Zh)
            );
        }
        bail!(
            "only a committee admin may back up the whole store; `{}` is {}",
            actor.login,
            actor.role.label(crate::domain::Lang::En)
        );
    }
    let file = &args.file;
    let sealing = if args.unencrypted {
        if zh {
            errln!(
                "警告：{} 将不加密：其中有全部党员的身份证号和电话明文，被改动也无从发现；\
                 请存放在只有你能读取的地方",
                file.display()
            );
        } else {
            errln!(
                "warning: {} will not be encrypted: it holds every member's ID number and \
                 phone in the clear, and nothing will show if it is changed; keep it where \
                 only you can read it",
                file.display()
            );
        }
        Sealing::Unencrypted
    } else {
        // Asked before the snapshot starts: the snapshot holds the writer lock.
        Sealing::Passphrase(passphrase(args.passphrase_file.as_deref(), Ask::Twice, zh)?)
    };
    let started = std::time::Instant::now();
    let source = match (s.store(), s.remote()) {
        (Some(store), _) => backup::Source::Files(store),
        (None, Some(remote)) => backup::Source::Server(remote),
        (None, None) => {
            return Err(super::said::said(
                "no store to back up",
                "没有可以备份的数据库",
            ));
        }
    };
    let info = backup::write(source, file, &sealing).map_err(|e| said(e, zh))?;
    let secs = started.elapsed().as_secs_f64();
    let sealed = matches!(sealing, Sealing::Passphrase(_));
    if zh {
        outln!(
            "已备份到 {}（{}）：{} 条，{} 字节，数据结构版本 {}（{secs:.1} 秒）",
            file.display(),
            if sealed {
                "已用口令加密"
            } else {
                "未加密"
            },
            info.entries,
            info.bytes,
            info.schema
        )?;
    } else {
        outln!(
            "backed up to {} ({}): {} entries, {} bytes, schema version {} ({secs:.1}s)",
            file.display(),
            if sealed {
                "sealed with a passphrase"
            } else {
                "NOT encrypted"
            },
            info.entries,
            info.bytes,
            info.schema
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn restore(args: &RestoreArgs, target: &Path, zh: bool) -> anyhow::Result<ExitCode> {
    let file = &args.file;
    // Everything that can be refused without the passphrase is, first.
    backup::check_target(target).map_err(|e| said(e, zh))?;
    let path = file.to_path_buf();
    let sealing = match (
        backup::kind_of(file).map_err(|e| said(e, zh))?,
        args.unencrypted,
    ) {
        (FileKind::Plain, false) => return Err(said(BackupError::NotSealed { path }, zh)),
        (FileKind::Sealed, true) => return Err(said(BackupError::SealedNotPlain { path }, zh)),
        (FileKind::Plain, true) => {
            if zh {
                errln!(
                    "警告：{} 未加密，无从知道它写成后是否被改动过；请核对下面的用户和角色",
                    file.display()
                );
            } else {
                errln!(
                    "warning: {} is not sealed, so nothing shows whether it was changed after \
                     it was written; look over the users and roles below",
                    file.display()
                );
            }
            Sealing::Unencrypted
        }
        (FileKind::Sealed, false) => {
            Sealing::Passphrase(passphrase(args.passphrase_file.as_deref(), Ask::Once, zh)?)
        }
    };
    let staged = backup::stage(file, target, &sealing).map_err(|e| said(e, zh))?;
    let preview = staged.preview().map_err(|e| said(e, zh))?;
    let written = chrono::DateTime::from_timestamp(staged.info.written_at, 0)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    if zh {
        outln!(
            "{}（写于 {written}，数据结构版本 {}）将在 {} 创建：",
            file.display(),
            staged.info.schema,
            target.display()
        )?;
    } else {
        outln!(
            "{} (written {written}, schema version {}) will create in {}:",
            file.display(),
            staged.info.schema,
            target.display()
        )?;
    }
    for line in preview.lines(zh) {
        outln!("{line}")?;
    }
    if !args.yes && !confirm(target, zh)? {
        // `staged` is dropped: the temporary store goes with it.
        return Ok(ExitCode::from(1));
    }
    let info = staged.place().map_err(|e| said(e, zh))?;
    let store = Store::open(target, &crate::store::StoreConfig::default())?;
    let report = crate::store::check(&store)?;
    for p in &report.problems {
        outln!("{}", p.in_lang(zh))?;
    }
    let verdict = match (report.is_clean(), zh) {
        (true, false) => "check: clean",
        (false, false) => "check: PROBLEMS FOUND",
        (true, true) => "检查：无误",
        (false, true) => "检查：发现问题",
    };
    if zh {
        outln!(
            "已从 {} 恢复到 {}：{} 条；{verdict}",
            file.display(),
            target.display(),
            info.entries
        )?;
    } else {
        outln!(
            "restored {} into {}: {} entries; {verdict}",
            file.display(),
            target.display(),
            info.entries
        )?;
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Asks on the terminal whether to go on; refuses without one.
fn confirm(target: &Path, zh: bool) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        if zh {
            bail!("未恢复：没有终端可以确认；加上 --yes 即可不经询问直接恢复");
        }
        bail!(
            "not restored: there is no terminal to confirm on; add --yes to restore without asking"
        );
    }
    let mut err = std::io::stderr().lock();
    if zh {
        write!(err, "在 {} 创建此数据库？[y/N] ", target.display())?;
    } else {
        write!(err, "Create this store at {}? [y/N] ", target.display())?;
    }
    err.flush()?;
    drop(err);
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    let yes = matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "是的"
    );
    if !yes {
        outln!(
            "{}",
            if zh {
                "未恢复任何内容"
            } else {
                "nothing was restored"
            }
        )?;
    }
    Ok(yes)
}
