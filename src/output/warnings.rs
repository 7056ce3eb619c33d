//! A quiet standard error: warnings of one kind are printed once, with their count and the
//! first examples, unless `--verbose` asks for every one.

use crate::model::{Lang, Text};

/// Examples shown for a kind of warning; a kind with this many or fewer is printed whole.
pub const EXAMPLES: usize = 5;

/// Splits a warning into its subject (a domain, a file position) and what it says, without
/// a leading `warning: ` (or `警告：`): `county=C001: design df = 0; no interval` →
/// (`county=C001`, `design df = 0; no interval`).
fn split(message: &str) -> (&str, &str) {
    let body = message
        .strip_prefix("warning: ")
        .or_else(|| message.strip_prefix("警告："))
        .unwrap_or(message);
    let sep = if body.contains("：") && !body.contains(": ") {
        "："
    } else {
        ": "
    };
    match body.split_once(sep) {
        Some((subject, rest)) => (subject, rest),
        None => ("", body),
    }
}

/// The kind of a warning: what it says with every number written `#`, so that
/// `design df = 0` of two domains, or `n = 12` and `n = 30`, are one kind.
fn kind(message: &str) -> String {
    let (_, rest) = split(message);
    let mut out = String::with_capacity(rest.len());
    let mut in_number = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// The lines to print for `messages`, in `lang`: all of them when `all`; otherwise a kind
/// with more than [`EXAMPLES`] warnings becomes one line with its count and the subjects of
/// the first [`EXAMPLES`], in the order the kinds first appear, saying that `see_all` prints
/// them all (the command line's option). Notes (`note: …`) are never grouped. A message
/// repeated word for word is kept once. Kinds are told apart by the English text.
///
/// ```
/// use litmon::model::{Lang, Text};
/// use litmon::output::warnings::grouped;
/// let ws: Vec<Text> = (1..=7)
///     .map(|i| Text::new(
///         format!("county=C{i:03}：设计自由度为 0（只有一个 PSU）；无区间"),
///         format!("county=C{i:03}: design df = 0 (one PSU); no interval"),
///     ))
///     .collect();
/// let lines = grouped(&ws, false, "--verbose", Lang::En);
/// assert_eq!(lines.len(), 1);
/// assert!(lines[0].starts_with("7 warnings: design df = 0 (one PSU); no interval — county=C001, "));
/// assert!(lines[0].contains("county=C005, … (--verbose prints all 7)"));
/// let zh = grouped(&ws, false, "--verbose", Lang::Zh);
/// assert!(zh[0].starts_with("7 条警告：设计自由度为 0（只有一个 PSU）；无区间——county=C001、"), "{}", zh[0]);
/// assert_eq!(grouped(&ws, true, "--verbose", Lang::En), ws.iter().map(|w| w.en.clone()).collect::<Vec<_>>());
/// let twice = vec![Text::note(Text::new("x.csv：忽略了注释行", "x.csv: note rows ignored")); 2];
/// assert_eq!(grouped(&twice, false, "--verbose", Lang::Zh), vec![twice[0].zh.clone()]);
/// ```
pub fn grouped(messages: &[Text], all: bool, see_all: &str, lang: Lang) -> Vec<String> {
    // The same message twice (a file read by two steps of one command) is said once.
    let mut seen = std::collections::HashSet::new();
    let messages: Vec<&Text> = messages
        .iter()
        .filter(|m| seen.insert(m.en.as_str()))
        .collect();
    if all {
        return messages
            .into_iter()
            .map(|m| m.get(lang).to_string())
            .collect();
    }
    let mut kinds: Vec<(String, Vec<&Text>)> = Vec::new();
    for m in messages {
        // Notes (each override of the embedded data) are listed one by one.
        let k = if m.is_note() {
            m.en.clone()
        } else {
            kind(&m.en)
        };
        match kinds.iter_mut().find(|(key, _)| *key == k) {
            Some((_, v)) => v.push(m),
            None => kinds.push((k, vec![m])),
        }
    }
    let zh = lang == Lang::Zh;
    let mut out = Vec::new();
    for (_, group) in kinds {
        if group.len() <= EXAMPLES {
            out.extend(group.into_iter().map(|m| m.get(lang).to_string()));
            continue;
        }
        let first = group[0].get(lang);
        let n = group.len();
        let (_, says) = split(first);
        let subjects: Vec<&str> = group
            .iter()
            .take(EXAMPLES)
            .map(|m| split(m.get(lang)).0)
            .collect();
        if zh {
            let prefix = if first.starts_with("警告：") {
                "警告："
            } else {
                ""
            };
            out.push(format!(
                "{prefix}{n} 条警告：{says}——{}、…（{see_all} 可列出全部 {n} 条）",
                subjects.join("、")
            ));
        } else {
            let prefix = if first.starts_with("warning: ") {
                "warning: "
            } else {
                ""
            };
            out.push(format!(
                "{prefix}{n} warnings: {says} — {}, … ({see_all} prints all {n})",
                subjects.join(", ")
            ));
        }
    }
    out
}
