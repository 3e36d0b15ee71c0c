//! The command line in Chinese: under `--lang zh-CN` (or a Chinese LANG) the
//! help of every command, its usage line and clap's own refusals are in
//! Chinese. clap's derive writes the English from the doc comments in
//! `args.rs` and beside each subcommand; the Chinese lives in
//! `assets/help-zh.txt`, one line per command or argument, keyed by the
//! command's path (`points add`) and, for an argument, its id after a colon
//! (`points add:rule`). A test walks the whole tree both ways, so a new
//! command or flag without its Chinese (or a line left over from a removed
//! one) fails the build's tests rather than showing English.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::collections::HashMap;

/// The top command's key in the table (its subcommands' paths leave it out).
const ROOT: &str = "dangjian";

const TABLE: &str = include_str!("../../assets/help-zh.txt");

/// The words of an argument: its own line, else the line every argument of
/// that id shares (`*:format`), else the top command's (a global flag, which
/// clap copies into every subcommand).
fn arg_words<'a>(words: &HashMap<&str, &'a str>, path: &str, id: &str) -> Option<&'a str> {
    words
        .get(format!("{path}:{id}").as_str())
        .or_else(|| words.get(format!("*:{id}").as_str()))
        .or_else(|| words.get(format!("{ROOT}:{id}").as_str()))
        .copied()
}

/// The table as `key → text`. Lines are `key = text`; `#` starts a comment.
fn table() -> HashMap<&'static str, &'static str> {
    TABLE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// Whether the command line asks for Chinese, read before clap parses it
/// (the help clap prints on a parse error must already be in the language).
pub(super) fn wants_zh(args: &[std::ffi::OsString]) -> bool {
    let mut flag: Option<String> = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            flag = Some(v.to_string());
        } else if a == "--lang" {
            flag = it.next().map(|v| v.to_string());
        }
    }
    crate::tui::i18n::choose(flag.as_deref()) == crate::tui::Lang::Zh
}

/// The command tree with its help in Chinese.
pub(super) fn localise(cmd: clap::Command) -> clap::Command {
    let words = table();
    let mut cmd = cmd;
    cmd.build();
    localise_at(cmd, ROOT, &words)
}

fn localise_at(
    mut cmd: clap::Command,
    path: &str,
    words: &HashMap<&'static str, &'static str>,
) -> clap::Command {
    if let Some(about) = words.get(path) {
        cmd = cmd.about(*about).long_about(None::<&str>);
    }
    let usage = cmd
        .clone()
        .render_usage()
        .to_string()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
        .replace("[COMMAND]", "[命令]");
    let layout = template(&cmd);
    cmd = cmd.override_usage(usage).help_template(layout);
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let own = arg_words(words, path, &id);
        cmd = cmd.mut_arg(&id, |a| {
            let mut help = own
                .map(str::to_string)
                .or_else(|| builtin(&id).map(str::to_string))
                .unwrap_or_else(|| a.get_help().map(|h| h.to_string()).unwrap_or_default());
            help.push_str(&notes(&a));
            a.help(help)
                .long_help(None::<&str>)
                .hide_default_value(true)
                .hide_env(true)
                .hide_possible_values(true)
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path == ROOT {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |s| {
            if name == "help" {
                s.about("显示本说明，或所给子命令的说明")
            } else {
                localise_at(s, &sub_path, words)
            }
        });
    }
    cmd
}

/// The command line, its help and refusals in the language it asks for.
pub(super) fn parse() -> Result<super::Cli, std::process::ExitCode> {
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let refused = |e: clap::Error, zh: bool| {
        match refusal(&e).filter(|_| zh) {
            Some(text) => eprint!("{text}"),
            None => {
                let _ = e.print();
            }
        }
        std::process::ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
    };
    // A command line that parses needs no words: the tree is put into
    // Chinese (a walk over every command, some milliseconds) only to say
    // help or a refusal, parsing the same line again for its words.
    let parsed = super::Cli::command()
        .try_get_matches_from(&args)
        .and_then(|m| super::Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => Ok(cli),
        Err(e) if !wants_zh(&args) => Err(refused(e, false)),
        Err(e) => {
            let again = localise(super::Cli::command())
                .try_get_matches_from(&args)
                .and_then(|m| super::Cli::from_arg_matches(&m));
            Err(refused(again.err().unwrap_or(e), true))
        }
    }
}

/// clap's own flags, and the help subcommand's argument.
fn builtin(id: &str) -> Option<&'static str> {
    match id {
        "help" => Some("显示帮助"),
        "version" => Some("显示版本"),
        "subcommand" => Some("要看说明的子命令"),
        _ => None,
    }
}

/// The default, the environment variable and the values an argument takes,
/// as clap would show them, in Chinese.
fn notes(a: &clap::Arg) -> String {
    let mut out = String::new();
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && a.get_action().takes_values() {
        out.push_str(&format!("［可选：{}］", values.join("、")));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if !defaults.is_empty() && a.get_action().takes_values() {
        out.push_str(&format!("［默认：{}］", defaults.join("、")));
    }
    if let Some(env) = a.get_env() {
        out.push_str(&format!("［环境变量：{}］", env.to_string_lossy()));
    }
    out
}

/// The help page's layout with Chinese headings, only for the sections the
/// command has.
fn template(cmd: &clap::Command) -> String {
    let mut t = String::from("{about-with-newline}\n用法：{usage}\n");
    if cmd.get_positionals().next().is_some() {
        t.push_str("\n参数：\n{positionals}\n");
    }
    if cmd.get_opts().next().is_some() || cmd.get_arguments().any(|a| !a.is_positional()) {
        t.push_str("\n选项：\n{options}\n");
    }
    if cmd.has_subcommands() {
        t.push_str("\n命令：\n{subcommands}\n");
    }
    t
}

/// A refusal of clap's in Chinese: what was wrong, a suggestion when clap
/// has one, the usage line and where to read more. Help and version pages
/// are not refusals and are printed as they are.
pub(super) fn refusal(e: &clap::Error) -> Option<String> {
    let ctx = |k: ContextKind| e.get(k).map(value).unwrap_or_default();
    let arg = ctx(ContextKind::InvalidArg);
    let val = ctx(ContextKind::InvalidValue);
    let what = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个子命令", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => format!("多余或无法识别的参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue);
            if val.is_empty() {
                format!("{arg} 需要一个值")
            } else if valid.is_empty() {
                format!("“{val}”不能作为 {arg} 的值")
            } else {
                format!("“{val}”不能作为 {arg} 的值［可选：{valid}］")
            }
        }
        ErrorKind::ValueValidation => format!("“{val}”不能作为 {arg} 的值"),
        ErrorKind::ArgumentConflict => {
            format!("{arg} 不能与 {} 同用", ctx(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues => format!("{arg} 的值太多：“{val}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值个数不对")
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用等号给出（{arg}=值）"),
        ErrorKind::InvalidUtf8 => "参数中有无效的 UTF-8 字节".to_string(),
        _ => "命令行无法解析".to_string(),
    };
    let mut out = format!("错误：{what}\n");
    let suggested: Vec<String> = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
        .into_iter()
        .filter_map(|k| e.get(k))
        .flat_map(|v| match v {
            ContextValue::Strings(s) => s.clone(),
            v => vec![value(v)],
        })
        .map(|s| format!("`{s}`"))
        .collect();
    if !suggested.is_empty() {
        out.push_str(&format!("\n  提示：您是否要用 {}\n", suggested.join("、")));
    }
    if let Some(usage) = e.get(ContextKind::Usage) {
        let usage = value(usage);
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    out.push_str("\n更多信息请用 --help\n");
    Some(out)
}

fn value(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(s) => s.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(s) => s
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every key the tree has: commands by path, arguments as `path:id`,
    /// clap's own flags and the help subcommand left out (they have their
    /// words in `builtin`).
    fn keys(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        if cmd.get_name() == "help" && path != ROOT {
            return;
        }
        let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push((path.to_string(), about));
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if builtin(id).is_some() || a.is_hide_set() {
                continue;
            }
            // A global flag is declared once, at the top.
            if a.is_global_set() && path != ROOT {
                continue;
            }
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            out.push((format!("{path}:{id}"), help));
        }
        for s in cmd.get_subcommands() {
            let p = if path == ROOT {
                s.get_name().to_string()
            } else {
                format!("{path} {}", s.get_name())
            };
            keys(s, &p, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_chinese_and_no_line_is_left_over() {
        let mut all = Vec::new();
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        keys(&cmd, ROOT, &mut all);
        let words = table();
        let has = |k: &str| match k.split_once(':') {
            Some((path, id)) => arg_words(&words, path, id).is_some(),
            None => words.contains_key(k),
        };
        let missing: Vec<String> = all
            .iter()
            .filter(|(k, _)| !has(k))
            .map(|(k, en)| format!("{k} = {en}"))
            .collect();
        let known: std::collections::HashSet<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
        let ids: std::collections::HashSet<&str> = all
            .iter()
            .filter_map(|(k, _)| k.split_once(':'))
            .map(|(_, id)| id)
            .collect();
        let stale: Vec<&str> = words
            .keys()
            .copied()
            .filter(|k| match k.strip_prefix("*:") {
                Some(id) => !ids.contains(id),
                None => !known.contains(k),
            })
            .collect();
        assert!(
            missing.is_empty() && stale.is_empty(),
            "missing from assets/help-zh.txt:\n{}\n\nin it but not a command or argument:\n{}",
            missing.join("\n"),
            stale.join("\n")
        );
    }

    #[test]
    fn the_language_flag_is_read_before_parsing() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert!(wants_zh(&args(&["dangjian", "--lang", "zh-CN", "--help"])));
        assert!(wants_zh(&args(&["dangjian", "points", "--lang=zh-CN"])));
        assert!(!wants_zh(&args(&["dangjian", "--lang", "en", "--help"])));
    }
}
