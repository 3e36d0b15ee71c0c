//! `--lang zh-CN` speaks Chinese: the real binary over the sample community,
//! its main listings and reports and a handful of refusals, with no English
//! word left in what it prints (see `english_words` for what counts).

mod common;
use common::{BIN, dangjian};

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with `--lang zh-CN` under an English locale, so the flag
/// (not the machine) is what chooses Chinese.
fn zh(store: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("DANGJIAN_STORE")
        .arg("--store")
        .arg(store)
        .arg("--lang")
        .arg("zh-CN")
        .args(args)
        .output()
        .expect("the dangjian binary runs")
}

/// The logins of the sample community and the program's own name: ids a
/// person types, which read the same in either language.
const IDS: &[&str] = &["dangjian", "root", "guest", "lijun", "wangfang", "zhangsan"];

/// The English words in `text`. A word is a run of two or more ASCII
/// letters; it is English unless the token it stands in (a run of printable
/// ASCII between spaces and Chinese text) is
/// - a code or id: capitals and digits only (`ORGLIFE`, `Q4`), or one of `IDS`
///   (with the OS login running the test);
/// - a flag or its value: the token starts with `--`, or follows one
///   (`--format xlsx`);
/// - a file path or name: it holds `/`, or ends in `.xlsx` / `.csv`;
/// - a command to type: it is inside backticks (`` `dangjian org list` ``).
fn english_words(text: &str, login: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut in_backticks = false;
        let mut after_flag = false;
        let tokens = line
            .split(|c: char| c.is_whitespace() || !c.is_ascii() || c.is_ascii_control())
            .filter(|t| !t.is_empty());
        for token in tokens {
            let ticks = token.matches('`').count();
            let quoted = in_backticks || ticks > 0;
            if ticks % 2 == 1 {
                in_backticks = !in_backticks;
            }
            let bare = token.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
            let flag = bare.starts_with("--");
            let allowed = quoted
                || flag
                || after_flag
                || token.contains('/')
                || bare.ends_with(".xlsx")
                || bare.ends_with(".csv")
                || IDS.contains(&bare)
                || bare == login
                || bare
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
            after_flag = flag;
            if allowed {
                continue;
            }
            let has_word = bare
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w.len() >= 2);
            if has_word {
                found.push(format!("{token:?} in {line:?}"));
            }
        }
    }
    found
}

fn os_login() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_rule_finds_english_and_lets_ids_codes_flags_and_paths_through() {
    let login = "someone";
    assert!(english_words("  12  ORGLIFE  2026-Q4  root  --format xlsx", login).is_empty());
    assert!(english_words("已写入 /tmp/a b/out.xlsx；`dangjian org list` 列出", login).is_empty());
    assert_eq!(english_words("编号 balance 16.5", login).len(), 1);
    assert_eq!(english_words("no member matches 'x'", login).len(), 3);
    assert_eq!(english_words("余额：open", login).len(), 1);
}

#[test]
fn zh_cn_listings_reports_and_refusals_have_no_english() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let made = dangjian(&store, &["demo", "--members", "40", "--seed", "3"]);
    assert!(made.status.success(), "demo: {}", text(&made));
    let login = os_login();

    let listings: &[&[&str]] = &[
        &["org", "list"],
        &["users", "list"],
        &["points", "statement", "1"],
        &["points", "rules"],
        &["points", "pending"],
        &["rewards", "list"],
        &["activities", "list"],
        &["tasks", "list"],
        &["evaluation", "settings", "show"],
        &["report", "summary"],
        &["report", "balances"],
        &["report", "ranking"],
        &["report", "attendance"],
        &["report", "visits"],
        &["report", "activation"],
        &["report", "coverage"],
        &["report", "workload"],
        &["report", "evaluation"],
        &["check"],
        &["report", "orglife", "--period", "2026"],
        &["partners", "list"],
        &["flows", "list"],
        &["lost", "list"],
        &["posts", "list"],
        &["meetings", "search", "学习"],
    ];
    let mut english = Vec::new();
    for args in listings {
        let out = zh(&store, args);
        let said = text(&out);
        assert!(out.status.success(), "{args:?}: {said}");
        assert!(
            said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{args:?} printed no Chinese: {said}"
        );
        for w in english_words(&said, &login) {
            english.push(format!("{args:?}: {w}"));
        }
    }

    // The audit log: the command's words and each changed field's name and
    // enum values in Chinese (a rule's English name is, by what it is, English).
    let out = zh(&store, &["audit"]);
    assert!(out.status.success(), "audit: {}", text(&out));
    let audit: String = text(&out)
        .lines()
        .filter(|l| !l.contains("英文名称"))
        .map(|l| format!("{l}\n"))
        .collect();
    for w in english_words(&audit, &login) {
        english.push(format!("audit: {w}"));
    }

    // Changes answer with what they did, in Chinese.
    let export = dir.path().join("members.csv");
    let export = export.to_str().unwrap();
    let changes: &[&[&str]] = &[
        &[
            "points", "add", "--member", "2", "--rule", "VOL", "--hours", "1",
        ],
        &["org", "add", "新小组", "--level", "group", "--parent", "2"],
        &["users", "add", "zhangsan", "--role", "viewer"],
        &["export", "members", "-o", export],
    ];
    let mut entry = String::new();
    for args in changes {
        let out = zh(&store, args);
        let said = text(&out);
        assert!(out.status.success(), "{args:?}: {said}");
        if args[0] == "points" {
            entry = said
                .split(|c: char| !c.is_ascii_digit())
                .find(|t| !t.is_empty())
                .unwrap_or_default()
                .to_string();
        }
        for w in english_words(&said, &login) {
            english.push(format!("{args:?}: {w}"));
        }
    }
    let out = zh(&store, &["points", "reverse", &entry, "--reason", "错记"]);
    assert!(out.status.success(), "reverse {entry}: {}", text(&out));
    for w in english_words(&text(&out), &login) {
        english.push(format!("points reverse: {w}"));
    }

    let refusals: &[&[&str]] = &[
        &["points", "statement", "没有这个人"],
        &["points", "add", "--member", "1", "--rule", "NOPE"],
        &[
            "points", "add", "--member", "1", "--rule", "VOL", "--hours", "1", "--date", "soon",
        ],
        &["points", "add", "--member", "1", "--rule", "VOL"],
        &["points", "reverse", "999999", "--reason", "错记"],
        &["report", "ranking", "--period", "someday"],
        &["report", "evaluation", "--format", "xlsx"],
        &["tasks", "done", "99999"],
        &["checkin", "99999", "1"],
        &["org", "add", "新支部", "--level", "branch"],
        &["users", "set", "nobody", "--name", "某人"],
        &["absent", "1", "1"],
    ];
    for args in refusals {
        let out = zh(&store, args);
        let said = text(&out);
        assert!(!out.status.success(), "{args:?} was not refused: {said}");
        assert!(
            said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{args:?} refused without Chinese: {said}"
        );
        for w in english_words(&said, &login) {
            english.push(format!("{args:?}: {w}"));
        }
    }
    assert!(
        english.is_empty(),
        "English in the zh-CN output:\n{}",
        english.join("\n")
    );
}

/// `line` without each span from `open` to `close`.
fn cut(line: &str, open: &str, close: char) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        rest = match tail.find(close) {
            Some(end) => &tail[end + close.len_utf8()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// The subcommands a help page lists under 命令： (clap's `help` left out).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("命令："))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The help of every command, clap's refusals and the system's errors say
/// themselves in Chinese. The values a flag takes (`［可选：csv、xlsx］`) are
/// typed as they are and left out of the count.
#[test]
fn zh_cn_help_usage_errors_and_system_errors_have_no_english() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let login = os_login();
    let mut english = Vec::new();
    // Typed as they are: a usage line, a listed subcommand's name, file
    // kinds, a unit, products' names, and what the person typed (“…”).
    let typed = [
        ".xlsx", ".xlsb", ".xls", ".ods", ".et", ".csv", ".txt", ".tsv", "MiB", "Excel", "hledger",
    ];
    let mut look = |what: String, said: &str| {
        let said: String = said
            .lines()
            .filter(|l| !l.starts_with("用法："))
            .map(|l| match l.strip_prefix("  ") {
                Some(rest) if !rest.starts_with(' ') && !rest.starts_with('-') => rest
                    .split_once(' ')
                    .map_or(String::new(), |(_, words)| words.to_string()),
                _ => l.to_string(),
            })
            .map(|l| typed.iter().fold(l, |l, word| l.replace(word, "")))
            .map(|l| {
                let l = cut(&l, "［可选：", '］');
                let l = cut(&l, "［默认：", '］');
                format!("{}\n", cut(&l, "“", '”'))
            })
            .collect();
        for w in english_words(&said, &login) {
            english.push(format!("{what}: {w}"));
        }
    };

    let mut pending: Vec<Vec<String>> = vec![vec![]];
    let mut pages = 0;
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = zh(&store, &args);
        let said = text(&out);
        assert!(out.status.success(), "{args:?}: {said}");
        assert!(
            said.contains("用法："),
            "{args:?} has no Chinese usage: {said}"
        );
        pages += 1;
        look(format!("{args:?}"), &said);
        for sub in subcommands(&said) {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
    }
    assert!(pages > 100, "only {pages} help pages were read");

    let refused: &[&[&str]] = &[
        &["poinst"],
        &["points", "add", "999"],
        &["points", "add", "--rule", "VOL"],
        &["report", "evaluation", "--year", "abc"],
        &["report", "ranking", "--format", "pdf"],
        &["org"],
        &["import", "members", "/nonexistent/花名册.xlsx"],
        &["export", "members", "-o", "/nonexistent/dir/members.csv"],
    ];
    let made = dangjian(&store, &["demo", "--members", "20", "--seed", "5"]);
    assert!(made.status.success(), "demo: {}", text(&made));
    for args in refused {
        let out = zh(&store, args);
        let said = text(&out);
        assert!(!out.status.success(), "{args:?} was not refused: {said}");
        assert!(
            said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{args:?} refused without Chinese: {said}"
        );
        look(format!("{args:?}"), &said);
    }

    // A store whose index lost an entry: `check` lists the problem in Chinese.
    {
        let opened = dangjian::store::Store::open(&store, &Default::default()).unwrap();
        let (_, key, _) = opened
            .dump()
            .unwrap()
            .into_iter()
            .find(|(t, _, _)| *t == "ix_member_unit")
            .expect("the sample has members");
        opened.raw_remove("ix_member_unit", &key).unwrap();
        opened.sync().unwrap();
    }
    let out = zh(&store, &["check"]);
    let said = text(&out);
    assert!(!out.status.success(), "check of a damaged store: {said}");
    assert!(
        said.contains("缺少键"),
        "check names the missing key: {said}"
    );
    look("check".into(), &said);

    assert!(
        english.is_empty(),
        "English in the zh-CN output:\n{}",
        english.join("\n")
    );
}
