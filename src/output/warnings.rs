//! A quiet standard error: warnings of one kind are printed once, with their count and the
//! first examples, unless `--verbose` asks for every one.

/// Examples shown for a kind of warning; a kind with this many or fewer is printed whole.
pub const EXAMPLES: usize = 5;

/// Splits a warning into its subject (a domain, a file position) and what it says, without
/// a leading `warning: `: `county=C001: design df = 0; no interval` → (`county=C001`,
/// `design df = 0; no interval`).
fn split(message: &str) -> (&str, &str) {
    let body = message.strip_prefix("warning: ").unwrap_or(message);
    match body.split_once(": ") {
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

/// The lines to print for `messages`: all of them when `all`; otherwise a kind with
/// more than [`EXAMPLES`] warnings becomes one line with its count and the subjects of the
/// first [`EXAMPLES`], in the order the kinds first appear, saying that `see_all` prints
/// them all (the command line's option). Notes (`note: …`) are never grouped. A message
/// repeated word for word is kept once.
///
/// ```
/// use litmon::output::warnings::grouped;
/// let ws: Vec<String> = (1..=7)
///     .map(|i| format!("county=C{i:03}: design df = 0 (one PSU); no interval"))
///     .collect();
/// let lines = grouped(&ws, false, "--verbose");
/// assert_eq!(lines.len(), 1);
/// assert!(lines[0].starts_with("7 warnings: design df = 0 (one PSU); no interval — county=C001, "));
/// assert!(lines[0].contains("county=C005, … (--verbose prints all 7)"));
/// assert_eq!(grouped(&ws, true, "--verbose"), ws);
/// let twice = vec!["note: x.csv: note rows ignored".to_string(); 2];
/// assert_eq!(grouped(&twice, false, "--verbose"), twice[..1].to_vec());
/// ```
pub fn grouped(messages: &[String], all: bool, see_all: &str) -> Vec<String> {
    // The same message twice (a file read by two steps of one command) is said once.
    let mut seen = std::collections::HashSet::new();
    let messages: Vec<&String> = messages
        .iter()
        .filter(|m| seen.insert(m.as_str()))
        .collect();
    if all {
        return messages.into_iter().cloned().collect();
    }
    let mut kinds: Vec<(String, Vec<&String>)> = Vec::new();
    for m in messages {
        // Notes (each override of the embedded data) are listed one by one.
        let k = if m.starts_with("note: ") {
            m.clone()
        } else {
            kind(m)
        };
        match kinds.iter_mut().find(|(key, _)| *key == k) {
            Some((_, v)) => v.push(m),
            None => kinds.push((k, vec![m])),
        }
    }
    let mut out = Vec::new();
    for (_, group) in kinds {
        if group.len() <= EXAMPLES {
            out.extend(group.into_iter().cloned());
            continue;
        }
        let first = group[0];
        let prefix = if first.starts_with("warning: ") {
            "warning: "
        } else {
            ""
        };
        let (_, says) = split(first);
        let subjects: Vec<&str> = group.iter().take(EXAMPLES).map(|m| split(m).0).collect();
        out.push(format!(
            "{prefix}{} warnings: {says} — {}, … ({see_all} prints all {})",
            group.len(),
            subjects.join(", "),
            group.len()
        ));
    }
    out
}
