//! Checking one parsed plan (from TOML or a plan sheet) against the registry and the
//! schema: clean text, known jurisdiction, sound period, ids, years and values.

use std::collections::HashSet;

use super::plan_sheet;
use super::plan_toml::KeyLines;
use super::suggest::unknown_jurisdiction_message;
use crate::error::{Error, Location, Problems, Result};
use crate::model::{Dataset, Direction, Kind, Plan, PlanIndicator, LITERACY_RATE};

/// Refuses control characters (except tab; line breaks only in a `note`) in the text of
/// a plan: TOML escapes such as `\u001b` would otherwise reach terminals and reports.
/// `place` locates a key of the plan (`None`) or of its `index`-th indicator, asked for
/// only when a field is refused.
fn plan_text_is_clean(
    plan: &Plan,
    place: &dyn Fn(Option<usize>, &str) -> Location,
    problems: &mut Problems,
) {
    let m = &plan.plan;
    let bad_char = |value: &str, multiline: bool| {
        value
            .chars()
            .find(|c| c.is_control() && *c != '\t' && !(multiline && matches!(c, '\n' | '\r')))
    };
    let refuse = |at: Location, value: &str, c: char| {
        Error::input(
            at,
            text!(
                "文本中不应有控制字符，实际在 {1} 中遇到 U+{0:04X}",
                "expected text without control characters, found U+{:04X} in {}",
                c as u32,
                crate::output::safety::echo(value)
            ),
        )
    };
    for (key, v) in [
        ("jurisdiction", Some(&m.jurisdiction)),
        ("title_zh", Some(&m.title_zh)),
        ("title_en", m.title_en.as_ref()),
        ("issuer_zh", m.issuer_zh.as_ref()),
        ("document_no", m.document_no.as_ref()),
        ("issued", m.issued.as_ref()),
        ("source", m.source.as_ref()),
    ] {
        if let Some(v) = v {
            if let Some(c) = bad_char(v, false) {
                problems.push(refuse(place(None, key), v, c));
            }
        }
    }
    for (index, ind) in plan.indicators.iter().enumerate() {
        for (key, v) in [
            ("id", Some(&ind.id)),
            ("name_zh", Some(&ind.name_zh)),
            ("name_en", Some(&ind.name_en)),
            ("unit", Some(&ind.unit)),
            ("unit_zh", ind.unit_zh.as_ref()),
            ("lead_zh", ind.lead_zh.as_ref()),
            ("note", ind.note.as_ref()),
        ] {
            if let Some(v) = v {
                if let Some(c) = bad_char(v, key == "note") {
                    problems.push(refuse(place(Some(index), key), v, c));
                }
            }
        }
    }
}

/// Where a plan was read, to place its keys in messages: the TOML text (empty for a plan
/// built in code), or the cells of a plan sheet.
#[derive(Clone, Copy)]
pub(crate) enum PlanPlaces<'a> {
    /// A plan TOML's text.
    Text(&'a str),
    /// A plan read from a sheet ([`plan_sheet`]).
    Sheet(&'a plan_sheet::SheetPlaces),
}

/// Checks a plan read from `places` (its TOML text, empty for a plan built in code, or its
/// sheet cells) and resolves its jurisdiction to the registry id: the text is clean, the
/// jurisdiction known, the period valid, and each indicator has a unique id and sound years
/// and values (`check_plan_years`, `check_plan_values`); a level target on the wrong side of
/// its baseline is a warning. Every problem found goes to `problems` (an indicator gives at
/// most one of its years and one of its values).
pub(super) fn validate_plan(
    ds: &Dataset,
    plan: &mut Plan,
    places: PlanPlaces<'_>,
    warnings: &mut Vec<crate::error::Diagnostic>,
    problems: &mut Problems,
) {
    // The key lines, parsed once and only when a message needs one.
    let key_lines = std::cell::OnceCell::new();
    let text = match places {
        PlanPlaces::Text(t) => t,
        PlanPlaces::Sheet(_) => "",
    };
    let lines = || key_lines.get_or_init(|| KeyLines::of(text));
    let origin = plan.origin.clone();
    // Where key `key` of the plan (`None`) or of its `index`-th indicator was written;
    // `column` names it in a TOML.
    let place = |index: Option<usize>, key: &str, column: String| -> Location {
        match places {
            PlanPlaces::Sheet(s) => match index {
                None => s.plan_key(key),
                Some(i) => s.indicator_key(i, key),
            }
            .unwrap_or_else(|| Location::file(&origin)),
            PlanPlaces::Text(_) => Location {
                file: origin.clone(),
                line: match index {
                    None => lines().plan_key(key),
                    Some(i) => lines().indicator_key(i, key),
                },
                column: Some(column),
            },
        }
    };
    let clean_place = |index: Option<usize>, key: &str| {
        let column = match index {
            None => format!("plan.{key}"),
            Some(_) => format!("indicator.{key}"),
        };
        place(index, key, column)
    };
    plan_text_is_clean(plan, &clean_place, problems);
    let loc = |column: &str, key: &str| place(None, key, column.to_string());
    let jid = plan.plan.jurisdiction.trim().to_string();
    match ds.resolve(&jid) {
        Some(j) => plan.plan.jurisdiction = j.id.clone(),
        None => problems.push(Error::input(
            loc("plan.jurisdiction", "jurisdiction"),
            unknown_jurisdiction_message(ds, &jid),
        )),
    }
    let [a, b] = plan.plan.period;
    if a > b || !(1900..=2100).contains(&a) || !(1900..=2100).contains(&b) {
        problems.push(Error::input(
            loc("plan.period", "period"),
            text!(
"应为 period = [起始年, 结束年]，且 1900 ≤ 起始年 ≤ 结束年 ≤ 2100，实际为 [{a}, {b}]",
"expected period = [first, last] with 1900 ≤ first ≤ last ≤ 2100, found [{a}, {b}]"
            ),
        ));
    }
    let mut seen = HashSet::new();
    for (index, ind) in plan.indicators.iter().enumerate() {
        let field = format!("indicator.{}", ind.id);
        let loc = |key: &str| place(Some(index), key, format!("{field}.{key}"));
        if ind.id.trim().is_empty() {
            problems.push(Error::input(
                loc("id"),
                text!(
                    "应为指标代码，实际为空字符串",
                    "expected an indicator id, found an empty string"
                ),
            ));
            continue;
        }
        // A sheet row without a code takes its Chinese name as id.
        let named = matches!(places, PlanPlaces::Sheet(_)) && ind.id == ind.name_zh;
        if !named && !is_indicator_id(&ind.id) {
            problems.push(Error::input(loc("id"), indicator_id_problem(&ind.id)));
            continue;
        }
        if !seen.insert(ind.id.as_str()) {
            problems.push(Error::input(
                loc("id"),
                text!(
                    "指标代码在方案中出现了两次；每个代码只保留一个 [[indicator]]",
                    "indicator id appears twice in the plan; keep one [[indicator]] per id"
                ),
            ));
            continue;
        }
        problems.check(check_plan_years(ind, &loc));
        problems.check(check_plan_values(ind, &loc));
        warn_wrong_way(ind, &loc, warnings);
    }
}

/// Whether `id` is an indicator id of the schema (`seeds/SCHEMA.md`): snake_case ASCII, a
/// lower-case letter first, then lower-case letters, digits and `_`.
fn is_indicator_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Why `id` is not an indicator id, naming its first character outside the schema, with the
/// id it was probably meant to be: Cyrillic and Greek letters that look like Latin ones read
/// as those, capitals lowered, other characters as `_` (`literаcy_rate` with a Cyrillic а,
/// `LITERACY_RATE` → `literacy_rate`; `../../x` → `x`).
fn indicator_id_problem(id: &str) -> crate::model::Text {
    const LOOKALIKES: [(char, char); 18] = [
        ('а', 'a'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('у', 'y'),
        ('х', 'x'),
        ('і', 'i'),
        ('ј', 'j'),
        ('ѕ', 's'),
        ('ԁ', 'd'),
        ('һ', 'h'),
        ('α', 'a'),
        ('ο', 'o'),
        ('ι', 'i'),
        ('ν', 'v'),
        ('ρ', 'p'),
        ('τ', 't'),
    ];
    let mut meant = String::new();
    for c in id.chars() {
        let c = LOOKALIKES
            .iter()
            .find(|(from, _)| *from == c)
            .map_or(c.to_ascii_lowercase(), |(_, to)| *to);
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            meant.push(c);
        } else if !meant.is_empty() && !meant.ends_with('_') {
            meant.push('_');
        }
    }
    let meant = meant.trim_end_matches('_');
    let bad = id
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'));
    let (which_zh, which) = match bad {
        Some((k, c)) => {
            let (k, u) = (k + 1, c as u32);
            (
                format!("（第 {k} 个字符是 {c:?}，U+{u:04X}）"),
                format!(" (character {k} is {c:?}, U+{u:04X})"),
            )
        }
        None => (
            "（以数字或 _ 开头）".to_string(),
            " (it starts with a digit or _)".to_string(),
        ),
    };
    let (hint_zh, hint) = if is_indicator_id(meant) {
        (
            format!("；是否应为 \"{meant}\"？"),
            format!("; did you mean \"{meant}\"?"),
        )
    } else {
        (String::new(), String::new())
    };
    let shown = crate::output::safety::echo(id);
    text!(
        "指标代码应为 snake_case 的 ASCII 字符（a–z、0–9 和 _，以字母开头），实际为 {shown}{which_zh}{hint_zh}",
        "expected an indicator id in snake_case ASCII (a–z, 0–9 and _, a letter first), found {shown}{which}{hint}"
    )
}

/// The years of a plan indicator: its own period, the target and baseline years in 1900–2100,
/// the target after the baseline, and each milestone after the baseline. `loc` places a key
/// of the indicator in the plan file.
fn check_plan_years(ind: &PlanIndicator, loc: &dyn Fn(&str) -> Location) -> Result<()> {
    if let Some([p, q]) = ind.period {
        if p > q || !(1900..=2100).contains(&p) || !(1900..=2100).contains(&q) {
            return Err(Error::input(
                loc("period"),
                text!(
"应为 period = [起始年, 结束年]，且 1900 ≤ 起始年 ≤ 结束年 ≤ 2100，实际为 [{p}, {q}]",
"expected period = [first, last] with 1900 ≤ first ≤ last ≤ 2100, found [{p}, {q}]"),
            ));
        }
    }
    for (what, y) in [
        ("target", Some(ind.target.year)),
        ("baseline", ind.baseline.map(|b| b.year)),
    ] {
        if let Some(y) = y.filter(|y| !(1900..=2100).contains(y)) {
            return Err(Error::input(loc(what), {
                let what_zh = if what == "target" { "目标" } else { "基期" };
                text!(
                    "应为{what_zh}年份，如 2025，实际为 {y}",
                    "expected a {what} year such as 2025, found {y}"
                )
            }));
        }
    }
    if let Some(base) = ind.baseline {
        if ind.target.year <= base.year {
            return Err(Error::input(
                loc("target"),
                text!(
"目标年 {} 不在基期年 {} 之后：目标年应晚于基期年",
"target year {} is not after the baseline year {}: expected a target after the baseline",
                    ind.target.year, base.year
                ),
            ));
        }
    }
    for (k, m) in ind.milestones.iter().enumerate() {
        let twice = ind.milestones[..k].iter().any(|e| e.year == m.year);
        if twice || (m.year == ind.target.year && m.value != ind.target.value) {
            return Err(Error::input(loc("milestones"), {
                let year = m.year;
                let first = crate::model::format::shortest(
                    ind.milestones[..k]
                        .iter()
                        .find(|e| e.year == m.year)
                        .map_or(ind.target.value, |e| e.value),
                );
                let second = crate::model::format::shortest(m.value);
                text!(
                        "{year} 年有两个目标（{first} 和 {second}）：每年只应有一个目标——请保留一个",
                        "two targets for {year} ({first} and {second}): expected one target per year — keep one"
                    )
            }));
        }
        let after_base = ind.baseline.is_none_or(|b| m.year > b.year);
        if !(1900..=2100).contains(&m.year) || !after_base {
            return Err(Error::input(
                loc("milestones"),
                text!(
                    "应为基期年之后、1900–2100 之间的里程碑年份，实际为 {}",
                    "expected a milestone year after the baseline, in 1900–2100, found {}",
                    m.year
                ),
            ));
        }
    }
    Ok(())
}

/// The Chinese name of a plan value (`target`, `baseline`, else a milestone).
fn value_name_zh(what: &str) -> &'static str {
    match what {
        "target" => "目标",
        "baseline" => "基期",
        _ => "里程碑",
    }
}

/// The values of a plan indicator: target, baseline and milestones finite, within 0–100 for a
/// percentage and not negative for a count; `literacy_rate` in percent.
fn check_plan_values(ind: &PlanIndicator, loc: &dyn Fn(&str) -> Location) -> Result<()> {
    let pct = ind.unit == "pct";
    let count = matches!(ind.kind, Kind::Cumulative | Kind::Annual);
    let milestone_values = ind.milestones.iter().map(|m| ("milestones", Some(m.value)));
    for (what, v) in [
        ("target", Some(ind.target.value)),
        ("baseline", ind.baseline.map(|b| b.value)),
    ]
    .into_iter()
    .chain(milestone_values)
    {
        let Some(v) = v else { continue };
        if !v.is_finite() {
            return Err(Error::input(loc(what), {
                let what_zh = value_name_zh(what);
                text!(
                    "{what_zh}值应为有限数值，实际为 {v}",
                    "expected a finite {what} value, found {v}"
                )
            }));
        }
        if pct && !(0.0..=100.0).contains(&v) {
            return Err(Error::input(loc(what), {
                let v = crate::model::format::shortest(v);
                let what_zh = value_name_zh(what);
                text!(
                    "{what_zh}值 {v} 不在 0–100 之间，而该指标是百分比（9% 写作 9.0）",
                    "{what} {v} is outside 0–100 for a percentage (write 9.0 for 9%)"
                )
            }));
        }
        if count && v < 0.0 {
            return Err(Error::input(loc(what), {
                let v = crate::model::format::shortest(v);
                let what_zh = value_name_zh(what);
                let kind_zh = match ind.kind {
                    Kind::Level => "水平",
                    Kind::Cumulative => "累计",
                    Kind::Annual => "年度",
                };
                let kind = ind.kind.as_str();
                text!(
                    "{kind_zh}数量的{what_zh}值应不小于 0，实际为 {v}",
                    "expected a {what} ≥ 0 for a {kind} count, found {v}"
                )
            }));
        }
    }
    if ind.id == LITERACY_RATE && ind.unit != "pct" {
        return Err(Error::input(
            loc("unit"),
            text!(
                "literacy_rate 是百分比：应为 unit = \"pct\"，实际为 {:?}",
                "literacy_rate is a percentage: expected unit = \"pct\", found {:?}",
                ind.unit
            ),
        ));
    }
    Ok(())
}

/// Warns when a level target lies on the wrong side of its baseline for the indicator's
/// direction (below it for an increase, above it for a decrease).
fn warn_wrong_way(
    ind: &PlanIndicator,
    loc: &dyn Fn(&str) -> Location,
    warnings: &mut Vec<crate::error::Diagnostic>,
) {
    if let (Some(base), Kind::Level) = (ind.baseline, ind.kind) {
        let wrong_way = match ind.direction {
            Direction::Increase => ind.target.value < base.value,
            Direction::Decrease => ind.target.value > base.value,
            Direction::Maintain => false,
        };
        if wrong_way {
            let up = ind.direction == Direction::Increase;
            let at = loc("target");
            let message = crate::model::Text::new(
                format!(
                    "目标值 {} {}基期值 {}，而该指标应当{}；请核对数值或设置 direction",
                    ind.target.value,
                    if up { "低于" } else { "高于" },
                    base.value,
                    if up { "提高" } else { "降低" },
                ),
                format!(
                    "target {} is {} the baseline {} of an indicator meant to {}; check the numbers or set direction",
                    ind.target.value,
                    if up { "below" } else { "above" },
                    base.value,
                    if up { "increase" } else { "decrease" },
                ),
            );
            let kind = crate::error::DiagnosticKind::TargetWrongWay { increase: up };
            warnings.push(crate::error::Diagnostic::warning(kind, message).at(&at));
        }
    }
}
