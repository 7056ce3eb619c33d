//! Plan documents in TOML (`seeds/SCHEMA.md`): parsing, with messages for full-width
//! punctuation and missing or unknown keys, and the line of each key ([`KeyLines`]).

use std::collections::{BTreeMap, HashMap};

use super::sources::Input;
use crate::error::{Error, Location, Problems, Result};
use crate::model::Plan;

/// Parses one plan TOML document (see `seeds/SCHEMA.md`).
pub fn parse_plan(input: &Input) -> Result<Plan> {
    let Some(text) = input.text() else {
        return Err(Error::input(
            Location::file(&input.label),
            text!(
                "应为 TOML 格式的方案（见 seeds/SCHEMA.md），实际为电子表格",
                "expected a plan in TOML (see seeds/SCHEMA.md), found a spreadsheet"
            ),
        ));
    };
    let parsed = match plan_by_parts(text) {
        Some(plan) => Ok(plan),
        None => toml::from_str::<Plan>(text),
    };
    let mut plan: Plan = parsed.map_err(|e| {
        if let Some(explained) = full_width_problems(&input.label, text) {
            return explained;
        }
        if let Some(all) = missing_plan_keys(&input.label, text) {
            return all;
        }
        let line = e
            .span()
            .map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count() as u64);
        let location = Location {
            file: input.label.clone(),
            line,
            column: None,
        };
        let reason = e.message().trim().replace('\n', "; ");
        let reason = if reason.is_empty() {
            // The toml crate gives no text for some lexical errors (a control character in
            // a comment or string): say what is there.
            let bad = e
                .span()
                .and_then(|sp| text.get(sp.start..).and_then(|t| t.chars().next()));
            match bad {
                Some(c) if c.is_control() => format!(
                    "unexpected control character U+{:04X}; TOML allows only tab among control characters, even in comments",
                    c as u32
                ),
                Some(c) => format!("unexpected character {c:?}"),
                None => "unexpected end of file".to_string(),
            }
        } else {
            reason
        };
        Error::input(
            location,
            text!(
"方案 TOML 无效：{reason}（格式说明见 seeds/SCHEMA.md）",
"invalid plan TOML: {reason} (the schema is in seeds/SCHEMA.md)"),
        )
    })?;
    plan.origin = input.label.clone();
    Ok(plan)
}

/// A plan TOML parsed one part at a time: the text before the first `[[indicator]]` line
/// (the `[plan]` table) and each `[[indicator]]` table on its own, which gives the same
/// [`Plan`] as parsing the whole document. The TOML parser keeps a document's layout in
/// memory (several KB per indicator), so a whole plan of thousands of indicators falls out
/// of the processor's caches and each indicator costs several times more; parts keep the
/// time linear in the number of indicators (issue 20, item 7).
///
/// `None` when the parts might not mean what the whole means — a multi-line string, a line
/// starting with `[` inside an indicator (another table header, or a nested array), an
/// indicator array in the first part — or when any part does not parse: the caller then
/// parses the whole document, whose errors carry the right lines.
fn plan_by_parts(text: &str) -> Option<Plan> {
    if text.contains("\"\"\"") || text.contains("'''") {
        return None;
    }
    // Each `[[indicator]]` line: where it starts and where its table's keys start.
    let mut headers: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end_matches('\r');
        if bare == "[[indicator]]" {
            headers.push((at, at + line.len()));
        } else if !headers.is_empty() && bare.trim_start().starts_with('[') {
            return None;
        }
        at += line.len();
    }
    let head_end = headers.first().map_or(text.len(), |h| h.0);
    let mut plan: Plan = toml::from_str(&text[..head_end]).ok()?;
    if !plan.indicators.is_empty() {
        return None;
    }
    plan.indicators.reserve(headers.len());
    for (k, &(_, keys)) in headers.iter().enumerate() {
        let end = headers.get(k + 1).map_or(text.len(), |h| h.0);
        plan.indicators.push(toml::from_str(&text[keys..end]).ok()?);
    }
    Some(plan)
}

/// Full-width punctuation outside quoted strings and comments of a plan TOML (typed with a
/// Chinese input method: ＝ ［ ］ ， ｛ ｝ “ ” ： and the full-width ．), one problem each
/// saying which ASCII character to write; `None` when there is none.
fn full_width_problems(label: &str, text: &str) -> Option<Error> {
    let mut problems = Problems::default();
    let mut in_multiline: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let mut chars = line.char_indices().peekable();
        let mut quote: Option<char> = None;
        let mut column = 0u64;
        while let Some((at, c)) = chars.next() {
            column += 1;
            if let Some(delim) = in_multiline {
                if line[at..].starts_with(delim) {
                    in_multiline = None;
                    chars.nth(1);
                    column += 2;
                }
                continue;
            }
            match (quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                    column += 1;
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '#') => break,
                (None, '"' | '\'') => {
                    let triple = if c == '"' { "\"\"\"" } else { "\'\'\'" };
                    if line[at..].starts_with(triple) {
                        let rest = &line[at + 3..];
                        match rest.find(triple) {
                            Some(_) => {
                                // Opened and closed on this line: skip to the close.
                                let close = at + 3 + rest.find(triple).unwrap_or(0) + 3;
                                while chars.peek().is_some_and(|(k, _)| *k < close) {
                                    chars.next();
                                    column += 1;
                                }
                            }
                            None => {
                                in_multiline = Some(triple);
                                break;
                            }
                        }
                    } else {
                        quote = Some(c);
                    }
                }
                (None, c) => {
                    let ascii = match c {
                        '＝' => "=",
                        '［' | '【' => "[",
                        '］' | '】' => "]",
                        '，' | '、' => ",",
                        '｛' => "{",
                        '｝' => "}",
                        '“' | '”' | '＂' => "\"",
                        '‘' | '’' => "'",
                        '：' => "= (a key takes =, not a colon)",
                        '．' | '。' => ".",
                        _ => continue,
                    };
                    problems.push(Error::input(
                        Location::at(label, i as u64 + 1).with_column(column.to_string()),
                        text!(
"方案 TOML 无效：第{}行有全角字符 {c}：请写成半角 {ascii}——TOML 只认引号外的半角标点（请把输入法切换为半角，或重新输入该字符）",
"invalid plan TOML: full-width {c} at line {}: write an ASCII {ascii} — TOML reads only ASCII punctuation outside quotes (switch the input method to half-width, or retype the character)",
                            i + 1
                        ),
                    ));
                }
            }
        }
    }
    problems.into_result().err()
}

/// Keys `[plan]` must have.
const PLAN_REQUIRED: [&str; 3] = ["jurisdiction", "title_zh", "period"];
/// Keys `[plan]` may have.
const PLAN_KNOWN: [&str; 8] = [
    "jurisdiction",
    "title_zh",
    "title_en",
    "issuer_zh",
    "document_no",
    "issued",
    "period",
    "source",
];
/// Keys each `[[indicator]]` must have.
const IND_REQUIRED: [&str; 5] = ["id", "name_zh", "unit", "kind", "target"];
/// Keys each `[[indicator]]` may have.
const IND_KNOWN: [&str; 14] = [
    "id",
    "name_zh",
    "name_en",
    "unit",
    "unit_zh",
    "kind",
    "direction",
    "baseline",
    "target",
    "milestones",
    "qualifier",
    "lead_zh",
    "note",
    "period",
];

/// The required keys missing from a plan TOML that parses as TOML (`[plan]`: jurisdiction,
/// title_zh, period; each `[[indicator]]`: id, name_zh, unit, kind, target) and the keys
/// the schema does not know, all at once; `None` when there is none (the typed parse's own
/// error is then reported).
fn missing_plan_keys(label: &str, text: &str) -> Option<Error> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let lines = KeyLines::of(text);
    let mut problems = Problems::default();
    let plan_line = text
        .lines()
        .position(|l| l.trim_start().starts_with("[plan]"))
        .map(|i| i as u64 + 1);
    match table.get("plan").and_then(|v| v.as_table()) {
        None => problems.push(Error::input(
            Location::file(label),
            text!(
                "方案 TOML 无效：缺少 [plan] 表（jurisdiction、title_zh、period）",
                "invalid plan TOML: missing the [plan] table (jurisdiction, title_zh, period)"
            ),
        )),
        Some(plan) => {
            for k in PLAN_REQUIRED.iter().filter(|k| !plan.contains_key(**k)) {
                problems.push(Error::input(
                    Location {
                        file: label.to_string(),
                        line: plan_line,
                        column: Some(format!("plan.{k}")),
                    },
                    text!(
                        "方案 TOML 无效：[plan] 中缺少键 {k}",
                        "invalid plan TOML: missing key {k} in [plan]"
                    ),
                ));
            }
            for k in plan.keys().filter(|k| !PLAN_KNOWN.contains(&k.as_str())) {
                problems.push(Error::input(
                    Location {
                        file: label.to_string(),
                        line: lines.plan_key(k),
                        column: Some(format!("plan.{k}")),
                    },
                    text!(
                        "方案 TOML 无效：[plan] 中有未知的键 {k}；应为以下之一：{}",
                        "invalid plan TOML: unknown key {k} in [plan]; expected one of {}",
                        PLAN_KNOWN.join(", ")
                    ),
                ));
            }
        }
    }
    let indicators = table.get("indicator").and_then(|v| v.as_array());
    for (index, ind) in indicators.into_iter().flatten().enumerate() {
        let Some(ind) = ind.as_table() else { continue };
        let name = ind
            .get("id")
            .and_then(|v| v.as_str())
            .map_or_else(|| format!("#{}", index + 1), str::to_string);
        for k in IND_REQUIRED.iter().filter(|k| !ind.contains_key(**k)) {
            problems.push(Error::input(
                Location {
                    file: label.to_string(),
                    line: lines.headers.get(index).copied(),
                    column: Some(format!("indicator.{name}.{k}")),
                },
                text!(
                    "方案 TOML 无效：[[indicator]] {name} 中缺少键 {k}",
                    "invalid plan TOML: missing key {k} in [[indicator]] {name}"
                ),
            ));
        }
        for k in ind.keys().filter(|k| !IND_KNOWN.contains(&k.as_str())) {
            problems.push(Error::input(
                Location {
                    file: label.to_string(),
                    line: lines.indicator_key(index, k),
                    column: Some(format!("indicator.{name}.{k}")),
                },
                text!(
"方案 TOML 无效：[[indicator]] {name} 中有未知的键 {k}；应为以下之一：{}",
"invalid plan TOML: unknown key {k} in [[indicator]] {name}; expected one of {}",
                    IND_KNOWN.join(", ")
                ),
            ));
        }
    }
    problems.into_result().err()
}

/// Lines of a plan's keys, from the TOML parser's spans (`toml::Spanned`): for the `[plan]`
/// table and for each `[[indicator]]`, each key's 1-based line, and the line of each
/// `[[indicator]]` header. Empty when the text does not parse (the typed parse reports that
/// error) or for a plan built from Rust values.
///
/// Built once per plan file, and only when a message needs a line: one parse of the text
/// and one pass over its line breaks (a key's line is a binary search among them), so the
/// cost is linear in the file.
#[derive(Debug, Default)]
pub(super) struct KeyLines {
    plan: HashMap<String, u64>,
    indicators: Vec<HashMap<String, u64>>,
    headers: Vec<u64>,
}

impl KeyLines {
    pub(super) fn of(text: &str) -> KeyLines {
        #[derive(serde::Deserialize)]
        struct Raw {
            #[serde(default)]
            plan: BTreeMap<toml::Spanned<String>, toml::Value>,
            #[serde(default)]
            indicator: Vec<BTreeMap<toml::Spanned<String>, toml::Value>>,
        }
        let breaks: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        // 1-based line of a byte offset: one more than the line breaks before it.
        let line_at = |offset: usize| 1 + breaks.partition_point(|&b| b < offset) as u64;
        let headers = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("[[indicator]]"))
            .map(|(i, _)| i as u64 + 1)
            .collect();
        let Ok(raw) = toml::from_str::<Raw>(text) else {
            return KeyLines {
                headers,
                ..KeyLines::default()
            };
        };
        let lines = |t: &BTreeMap<toml::Spanned<String>, toml::Value>| {
            t.keys()
                .map(|k| (k.get_ref().clone(), line_at(k.span().start)))
                .collect()
        };
        KeyLines {
            plan: lines(&raw.plan),
            indicators: raw.indicator.iter().map(lines).collect(),
            headers,
        }
    }

    /// 1-based line of `key` in the `[plan]` table.
    pub(super) fn plan_key(&self, key: &str) -> Option<u64> {
        self.plan.get(key).copied()
    }

    /// 1-based line of `key` in the `index`-th `[[indicator]]`; without that key, the line
    /// of the indicator's `[[indicator]]` header.
    pub(super) fn indicator_key(&self, index: usize, key: &str) -> Option<u64> {
        self.indicators
            .get(index)
            .and_then(|keys| keys.get(key))
            .copied()
            .or_else(|| self.headers.get(index).copied())
    }
}

/// 1-based line of `key` in the `index`-th `[[indicator]]` of `text` (see
/// [`KeyLines::indicator_key`]); parses `text`, so for one message only.
pub(super) fn indicator_key_line(text: &str, index: usize, key: &str) -> Option<u64> {
    KeyLines::of(text).indicator_key(index, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::embedded;

    /// Parsing a plan by parts gives the whole document's plan, for every embedded plan
    /// and for layouts the parts must refuse (then `None`, and the whole is parsed).
    #[test]
    fn plan_parts_mean_what_the_whole_means() {
        let mut split = 0;
        for (path, text) in embedded::FILES.iter().filter(|(p, _)| p.ends_with(".toml")) {
            let whole: Option<Plan> = toml::from_str(text).ok();
            let parts = plan_by_parts(text);
            if parts.is_some() {
                split += 1;
                assert_eq!(parts, whole, "{path}");
            }
        }
        assert!(split > 10, "only {split} embedded plans read by parts");
        let head = "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"t\"\nperiod = [2021, 2025]\n";
        let ind = |id: &str| {
            format!("[[indicator]]\r\nid = \"{id}\"\nname_zh = \"n\"\nunit = \"%\"\nkind = \"level\"\ntarget = {{ year = 2025, value = 1 }}\n")
        };
        let two = format!("{head}{}{}", ind("a"), ind("b"));
        let parts = plan_by_parts(&two).map(|p| p.indicators.len());
        assert_eq!(parts, Some(2));
        // A sub-table header, a multi-line string, an indicator in the head: no parts.
        let sub = format!(
            "{head}{}[indicator.baseline]\nyear = 2020\nvalue = 1\n",
            ind("a")
        );
        assert_eq!(plan_by_parts(&sub), None);
        assert!(toml::from_str::<Plan>(&sub).is_ok());
        let multi = format!("{}note = \"\"\"\n[[indicator]]\n\"\"\"\n", two);
        assert_eq!(plan_by_parts(&multi), None);
        let one = ind("b").replace("[[indicator]]\r\n", "");
        let inline = format!(
            "indicator = [{{ {} }}]\n{head}{}",
            one.trim().replace('\n', ", "),
            ind("a")
        );
        assert_eq!(plan_by_parts(&inline), None);
        assert!(toml::from_str::<Plan>(&inline).is_err());
    }
}
