//! Observations (`observations.csv`): parsing the rows and checking them against the
//! registry and the plans (ranges, duplicates, standard errors, count totals).

use std::collections::HashMap;

use super::csvread;
use super::csvread::HeaderKind;
use super::fraction::{all_fractions_warning, check_fractions};
use super::progress_template;
use super::sources::Input;
use super::suggest::{unknown_jurisdiction_brief, unknown_jurisdiction_message, MAX_SUGGESTED};
use super::table::RawRow;
use crate::error::{Error, Location, Problems, Result};
use crate::model::{implied_sample_size, Dataset, Kind, Observation, LITERACY_RATE};

/// Parses observations (`jurisdiction,indicator,year,value,se,n,source`).
/// Without an `indicator` column every row is `literacy_rate`.
pub fn parse_observations(input: &Input) -> Result<Vec<Observation>> {
    let mut problems = Problems::default();
    let obs = parse_observation_rows(input, &mut Vec::new(), &mut problems)?;
    problems.into_result()?;
    Ok(obs)
}

/// The columns of an observations table (its long form).
struct Columns {
    jurisdiction: usize,
    indicator: Option<usize>,
    year: usize,
    value: usize,
    se: Option<usize>,
    n: Option<usize>,
    deff: Option<usize>,
    lo: Option<usize>,
    hi: Option<usize>,
    source: Option<usize>,
    cite: Option<usize>,
}

impl Columns {
    /// The columns of `table`: a required one missing, or one bound of the 95 % interval
    /// without the other, is the error.
    fn find(table: &csvread::Table) -> Result<Self> {
        let c_j = table.require("jurisdiction")?;
        let c_ind = table.optional("indicator");
        let c_year = table.require("year")?;
        let c_val = table.require("value")?;
        let c_se = table.optional("se");
        let c_n = table.optional("n");
        let c_deff = table.optional("deff");
        let c_lo = table.optional("lo");
        let c_hi = table.optional("hi");
        if let (Some(c), None) | (None, Some(c)) = (c_lo, c_hi) {
            let first = table.rows().first();
            let missing = if c_lo.is_some() {
                "hi (置信区间上限)"
            } else {
                "lo (置信区间下限)"
            };
            if let Some(row) = first {
                return Err(table.error(
                    row,
                    c,
                    text!(
"95% 置信区间需要上下两个界限：本列旁边应有 {missing} 列",
"a 95 % interval needs both bounds: expected a column {missing} beside this one"),
                ));
            }
        }
        Ok(Columns {
            jurisdiction: c_j,
            indicator: c_ind,
            year: c_year,
            value: c_val,
            se: c_se,
            n: c_n,
            deff: c_deff,
            lo: c_lo,
            hi: c_hi,
            source: table.optional("source"),
            cite: table.optional("cite"),
        })
    }
}

/// The observations of one file. A problem of the file as a whole (a missing column) is
/// the error; a bad row goes to `problems` and is left out, so that every bad cell of the
/// file is reported at once.
pub(super) fn parse_observation_rows(
    input: &Input,
    warnings: &mut Vec<crate::error::Diagnostic>,
    problems: &mut Problems,
) -> Result<Vec<Observation>> {
    let table = csvread::Table::parse(input, HeaderKind::Observations)?;
    warnings.extend(table.warnings.iter().cloned());
    if progress_template::is_wide(&table) {
        return progress_template::wide_observation_rows(&table, problems);
    }
    let cols = Columns::find(&table)?;
    table.require_rows()?;
    warnings.extend(table.unknown_column_warnings());
    let mut out = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        out.extend(problems.check(parse_row(&table, &cols, row)));
    }
    all_fractions_warning(&out, table.label(), warnings);
    Ok(out)
}

/// One row of the long form: an observation, or the first problem of the row.
fn parse_row(table: &csvread::Table, cols: &Columns, row: &RawRow) -> Result<Observation> {
    let (c_j, c_val) = (cols.jurisdiction, cols.value);
    let jurisdiction = row.text(c_j).to_string();
    if jurisdiction.is_empty() {
        return Err(table.error(
            row,
            c_j,
            text!(
                "应为地区代码或名称，实际为空单元格",
                "expected a jurisdiction code or name, found an empty cell"
            ),
        ));
    }
    let indicator = match cols.indicator {
        Some(c) if !row.text(c).is_empty() => row.text(c).to_string(),
        _ => LITERACY_RATE.to_string(),
    };
    let year = table.year(row, cols.year)?;
    let value = table.number(row, c_val)?.ok_or_else(|| {
        table.error(
            row,
            c_val,
            text!(
                "应为数值，实际为空单元格；数值未知时请删除该行",
                "expected a number, found an empty cell; delete the row if the value is unknown"
            ),
        )
    })?;
    let (se, n) = se_and_sample_size(table, cols, row)?;
    let deff = design_effect(table, cols, row)?;
    let ci95 = interval(table, cols, row, value)?;
    let se_col = cols
        .se
        .filter(|_| se.is_some())
        .or(cols.lo.filter(|_| ci95.is_some()));
    Ok(Observation {
        jurisdiction,
        indicator,
        year,
        value,
        se,
        n,
        deff,
        ci95,
        source: cols
            .source
            .map(|c| row.text(c).to_string())
            .unwrap_or_default(),
        cite: cols
            .cite
            .map(|c| row.text(c).trim().to_string())
            .filter(|c| !c.is_empty()),
        origin: table.location(row, c_val),
        jurisdiction_column: table.location(row, c_j).column.unwrap_or_default(),
        se_column: se_col
            .or(cols.se)
            .and_then(|c| table.location(row, c).column)
            .unwrap_or_default(),
    })
}

/// The standard error (≥ 0) and sample size (a whole number of respondents, 1 to
/// [`MAX_SAMPLE_SIZE`]) of a row, each `None` without its column or when empty.
fn se_and_sample_size(
    table: &csvread::Table,
    cols: &Columns,
    row: &RawRow,
) -> Result<(Option<f64>, Option<f64>)> {
    let (c_se, c_n) = (cols.se, cols.n);
    let se = match c_se {
        Some(c) => table.number(row, c)?,
        None => None,
    };
    let n = match c_n {
        Some(c) => table.number(row, c)?,
        None => None,
    };
    if let (Some(s), Some(c)) = (se, c_se) {
        if s < 0.0 {
            return Err(table.error(
                row,
                c,
                text!(
                    "应为不小于 0 的标准误，实际为 {s}",
                    "expected a standard error ≥ 0, found {s}"
                ),
            ));
        }
    }
    if let (Some(k), Some(c)) = (n, c_n) {
        if k < 1.0 {
            return Err(table.error(
                row,
                c,
                text!(
                    "样本量应至少为 1 名受访者，实际为 {k}",
                    "expected a sample size of at least 1 respondent, found {k}"
                ),
            ));
        }
        // A count of respondents: whole, and below any population (1e10).
        if k.fract() != 0.0 || k > MAX_SAMPLE_SIZE {
            return Err(table.error(
                row,
                c,
                text!(
"应为样本量：不超过 10,000,000,000 的受访者整数，实际为 {}",
"expected a sample size: a whole number of respondents up to 10,000,000,000, found {}",
                crate::model::format::shortest(k)
            ),
            ));
        }
    }
    Ok((se, n))
}

/// The design effect of a row: above 0 and at most 100.
fn design_effect(table: &csvread::Table, cols: &Columns, row: &RawRow) -> Result<Option<f64>> {
    let deff = match cols.deff {
        Some(c) => {
            let d = table.number(row, c)?;
            if let Some(d) = d.filter(|d| !(d.is_finite() && *d > 0.0 && *d <= 100.0)) {
                return Err(table.error(
                    row,
                    c,
                    text!(
"应为设计效应：大于 0 且不超过 100 的数（简单随机抽样为 1），实际为 {}",
"expected a design effect: a number above 0 and at most 100 (1 for a simple random sample), found {}",
                        crate::model::format::shortest(d)
                    ),
                ));
            }
            d
        }
        None => None,
    };
    Ok(deff)
}

/// The 95 % interval of a row: both bounds or neither, around the value.
fn interval(
    table: &csvread::Table,
    cols: &Columns,
    row: &RawRow,
    value: f64,
) -> Result<Option<[f64; 2]>> {
    let ci95 = match (cols.lo, cols.hi) {
        (Some(cl), Some(ch)) => {
            match (table.number(row, cl)?, table.number(row, ch)?) {
                (None, None) => None,
                (Some(lo), Some(hi)) if lo <= value && value <= hi && lo < hi => Some([lo, hi]),
                (Some(lo), Some(hi)) => {
                    return Err(table.error(
                        row,
                        cl,
                        text!(
"应为包含该值的 95% 置信区间（下限 ≤ {} ≤ 上限，且下限 < 上限），实际为 {}–{}",
"expected a 95 % interval around the value (lower ≤ {} ≤ upper, lower < upper), found {}–{}",
                            crate::model::format::shortest(value),
                            crate::model::format::shortest(lo),
                            crate::model::format::shortest(hi)
                        ),
                    ))
                }
                (lo, _) => {
                    let c = if lo.is_none() { cl } else { ch };
                    return Err(table.error(
                        row,
                        c,
                        text!("应有 95% 置信区间的上下两个界限（lo 和 hi），实际有一个为空", "expected both bounds of the 95 % interval (lo and hi), found one empty"),
                    ));
                }
            }
        }
        _ => None,
    };
    Ok(ci95)
}

/// Largest number of respondents a standard error may imply ([`implied_sample_size`]): more
/// than any survey of a Chinese jurisdiction (the national survey has about 300,000).
const MAX_IMPLIED_SAMPLE: f64 = 1e7;

/// Refuses a standard error of a percentage that no survey can have: above 50 points (the
/// largest possible for a proportion), or so small that it implies more than
/// [`MAX_IMPLIED_SAMPLE`] respondents — typically a fraction (0.007) written beside a
/// percentage (15.1), when the row states no sample size. The interval-derived se is checked
/// the same way.
fn check_survey_se(o: &Observation, loc: &Location) -> Result<()> {
    let Some((se, source)) = o.survey_se() else {
        return Ok(());
    };
    let at = Location {
        column: Some(o.se_column.clone()).filter(|c| !c.is_empty()),
        ..loc.clone()
    };
    let (given_zh, given) = match source {
        crate::model::SeSource::Interval => (
            "由 95% 置信区间推得的标准误为",
            "the 95 % interval gives a standard error of",
        ),
        _ => ("实际为", "found"),
    };
    if se > 50.0 {
        return Err(Error::input(
            at,
            text!(
                "标准误应以百分点计且不超过 50（比例可能的最大值），{given_zh} {}",
                "expected a standard error in percentage points ≤ 50 (the largest possible for a proportion), {given} {}",
                crate::model::format::shortest(se)
            ),
        ));
    }
    let n = implied_sample_size(o.value, se);
    // Beside a stated sample size the se is the design's own (as `estimate` writes it: a
    // balanced design can give a tiny one); the fraction mistake is refused without one.
    if o.value > 0.0 && o.value < 100.0 && n > MAX_IMPLIED_SAMPLE && o.n.is_none() {
        return Err(Error::input(
            at,
            text!(
                "{given_zh} {}（值为 {} %），任何调查都不可能有这么小的标准误（意味着超过 1000 万名受访者）：标准误应与值一样以百分点计（±0.7 个百分点写作 0.7，而非 0.007）",
                "{given} {} beside {} %, a standard error no survey can have (it implies more than 10 million respondents): expected it in percentage points, like the value (0.7 for ±0.7 points, not 0.007)",
                crate::model::format::shortest(se),
                crate::model::format::shortest(o.value)
            ),
        ));
    }
    Ok(())
}

/// Largest sample size accepted in observations (more than any population).
const MAX_SAMPLE_SIZE: f64 = 1e10;

/// Checks observations; a row of an overriding file (`--observations`) replaces a base row
/// of the same jurisdiction, indicator and year, with a note.
pub(super) fn validate_observations(
    ds: &Dataset,
    obs: Vec<Observation>,
    overriding: &[&str],
    warnings: &mut Vec<crate::error::Diagnostic>,
    problems: &mut Problems,
) -> Vec<Observation> {
    let mut kept = Kept {
        out: Vec::with_capacity(obs.len()),
        seen: HashMap::new(),
    };
    let mut spec_cache: HashMap<String, Option<(bool, Kind)>> = HashMap::new();
    let mut unknown = 0usize;
    for mut o in obs {
        let checked = check_observation(ds, &mut o, &mut spec_cache, &mut unknown)
            .and_then(|()| kept.add(o, overriding, warnings));
        problems.check(checked);
    }
    let out = kept.out;
    problems.check(check_fractions(ds, &out));
    check_after_plans(ds, &out, problems);
    check_count_totals(ds, &out, problems);
    out
}

/// Checks one observation alone: its jurisdiction is known (and replaced by its code), its
/// value is in range for its indicator, and its standard error is possible
/// ([`check_survey_se`]). `unknown` counts the unknown jurisdictions so far (the first
/// [`MAX_SUGGESTED`] get suggestions).
fn check_observation(
    ds: &Dataset,
    o: &mut Observation,
    spec_cache: &mut HashMap<String, Option<(bool, Kind)>>,
    unknown: &mut usize,
) -> Result<()> {
    let loc = o.origin.clone();
    match ds.resolve(&o.jurisdiction) {
        Some(j) => o.jurisdiction = j.id.clone(),
        None => {
            *unknown += 1;
            let message = if *unknown <= MAX_SUGGESTED {
                unknown_jurisdiction_message(ds, &o.jurisdiction)
            } else {
                unknown_jurisdiction_brief(&o.jurisdiction)
            };
            return Err(Error::input(
                Location {
                    column: Some(o.jurisdiction_column.clone()),
                    ..loc
                },
                message,
            ));
        }
    }
    let spec = *spec_cache.entry(o.indicator.clone()).or_insert_with(|| {
        ds.indicator_spec(&o.indicator)
            .map(|s| (s.is_percent(), s.kind))
    });
    let is_pct = spec.is_some_and(|(p, _)| p);
    if is_pct && !(0.0..=100.0).contains(&o.value) {
        return Err(Error::input(
            loc,
            text!(
                "{} 是百分比：应为 0–100 之间的值，实际为 {}（9.8% 写作 9.8）",
                "{} is a percentage: expected a value in 0–100, found {} (write 9.8 for 9.8%)",
                o.indicator,
                crate::model::format::shortest(o.value)
            ),
        ));
    }
    if spec.is_some_and(|(_, k)| k != Kind::Level) && o.value < 0.0 {
        return Err(Error::input(
            loc,
            text!(
                "{} 是数量：应为不小于 0 的值，实际为 {}",
                "{} is a count: expected a value ≥ 0, found {}",
                o.indicator,
                crate::model::format::shortest(o.value)
            ),
        ));
    }
    if is_pct {
        check_survey_se(o, &loc)?;
    }
    Ok(())
}

/// The observations kept so far, and the index of each (jurisdiction, indicator, year).
struct Kept {
    out: Vec<Observation>,
    seen: HashMap<(String, String, i32), usize>,
}

impl Kept {
    /// Keeps an observation: a repeat of a kept one replaces it when it comes from an
    /// overriding file and the kept one does not (with a note), is dropped when it is the
    /// same, and is refused when it differs.
    fn add(
        &mut self,
        o: Observation,
        overriding: &[&str],
        warnings: &mut Vec<crate::error::Diagnostic>,
    ) -> Result<()> {
        let key = (o.jurisdiction.clone(), o.indicator.clone(), o.year);
        let Some(&k) = self.seen.get(&key) else {
            self.seen.insert(key, self.out.len());
            self.out.push(o);
            return Ok(());
        };
        let prev = &self.out[k];
        let from_user = |x: &Observation| overriding.contains(&x.origin.file.as_str());
        if from_user(&o) && !from_user(prev) {
            warnings.push(override_note(&o, prev));
            self.out[k] = o;
            return Ok(());
        }
        check_duplicate(&o, prev)
    }
}

/// The note of an overriding row `o` replacing `prev`.
fn override_note(o: &Observation, prev: &Observation) -> crate::error::Diagnostic {
    let (new, old) = (
        crate::model::format::shortest(o.value),
        crate::model::format::shortest(prev.value),
    );
    let kind = crate::error::DiagnosticKind::ObservationOverridden;
    crate::error::Diagnostic::note(
        kind,
        crate::model::Text::new(
            format!(
                "{} 覆盖了 {} 在 {} 年的 {}：{new} 替换 {old}（{}）",
                o.origin.render(crate::model::Lang::Zh),
                o.jurisdiction,
                o.year,
                o.indicator,
                prev.origin.render(crate::model::Lang::Zh)
            ),
            format!(
                "{} overrides {} of {} in {}: {new} replaces {old} ({})",
                o.origin, o.indicator, o.jurisdiction, o.year, prev.origin
            ),
        ),
    )
}

/// A repeat `o` of a kept row `prev` is refused when its value or standard error differs.
fn check_duplicate(o: &Observation, prev: &Observation) -> Result<()> {
    let loc = o.origin.clone();
    if prev.value == o.value && prev.se != o.se {
        let se = |x: &Observation| {
            x.se.map_or("no se".to_string(), |v| {
                format!("se {}", crate::model::format::shortest(v))
            })
        };
        let se_zh = |x: &Observation| {
            x.se.map_or("未给标准误".to_string(), |v| {
                format!("标准误 {}", crate::model::format::shortest(v))
            })
        };
        return Err(Error::input(
            loc,
            crate::model::Text::new(
                format!(
                    "{} 在 {} 年 {} 的观测值重复：此处为 {}，{}，而 {} 处为 {}；请只保留一行",
                    o.jurisdiction,
                    o.year,
                    o.indicator,
                    crate::model::format::shortest(o.value),
                    se_zh(o),
                    prev.origin.render(crate::model::Lang::Zh),
                    se_zh(prev)
                ),
                format!(
                    "duplicate observation of {} for {} in {}: {} with {} here and {} at {}; keep one row",
                    o.indicator,
                    o.jurisdiction,
                    o.year,
                    crate::model::format::shortest(o.value),
                    se(o),
                    se(prev),
                    prev.origin
                ),
            ),
        ));
    }
    if prev.value != o.value {
        return Err(Error::input(
            loc,
            crate::model::Text::new(
                format!(
                    "{} 在 {} 年 {} 的观测值重复：此处为 {}，而 {} 处为 {}；请只保留一行",
                    o.jurisdiction,
                    o.year,
                    o.indicator,
                    crate::model::format::shortest(o.value),
                    prev.origin.render(crate::model::Lang::Zh),
                    crate::model::format::shortest(prev.value)
                ),
                format!(
                    "duplicate observation of {} for {} in {}: {} here and {} at {}; keep one row",
                    o.indicator,
                    o.jurisdiction,
                    o.year,
                    crate::model::format::shortest(o.value),
                    crate::model::format::shortest(prev.value),
                    prev.origin
                ),
            ),
        ));
    }
    Ok(())
}

/// Refuses counts whose total cannot be computed: the amounts of a cumulative or annual
/// indicator are added up (done = Σ amounts, [`crate::assess::pace`]), and a sum past the
/// largest double (two rows of 1e308) would report "done inf = inf%". The row where one
/// jurisdiction's total overflows is named.
fn check_count_totals(ds: &Dataset, obs: &[Observation], problems: &mut Problems) {
    let mut count: HashMap<&str, bool> = HashMap::new();
    let mut totals: HashMap<(&str, &str), f64> = HashMap::new();
    for o in obs {
        let is_count = *count.entry(&o.indicator).or_insert_with(|| {
            ds.indicator_spec(&o.indicator)
                .is_some_and(|s| s.kind != Kind::Level)
        });
        if !is_count {
            continue;
        }
        let total = totals
            .entry((o.jurisdiction.as_str(), o.indicator.as_str()))
            .or_insert(0.0);
        let was = *total;
        *total += o.value;
        if was.is_finite() && !total.is_finite() {
            problems.push(Error::input(
                o.origin.clone(),
                {
                    let (ind, j) = (&o.indicator, &o.jurisdiction);
                    let (v, w) = (
                        crate::model::format::shortest(o.value),
                        crate::model::format::shortest(was),
                    );
                    text!(
                        "{j} 的 {ind}：在此前的累计量（{w}）上加 {v} 超出了合计能容纳的最大数（约 1.8e308）：各数量之和应为有限值",
                        "{ind} of {j}: adding {v} to the earlier amounts ({w}) passes the largest number a total can hold (about 1.8e308): expected amounts that add up to a finite total"
                    )
                },
            ));
        }
    }
}

/// Refuses a progress value of a plan's sub-indicator dated after the last year any plan of
/// its jurisdiction gives that indicator (the latest of the period's end and the target and
/// milestone years): such a row (2030 for a 2021–2025 plan, usually a typo) would end the
/// period for the whole plan (`share_elapsed` 1). `literacy_rate` is a survey series measured
/// whatever the plans, and is not checked.
fn check_after_plans(ds: &Dataset, obs: &[Observation], problems: &mut Problems) {
    // Per (jurisdiction, indicator): the last target year and its plan's period.
    type LastYear = Option<(i32, [i32; 2])>;
    let mut last: HashMap<(&str, &str), LastYear> = HashMap::new();
    for o in obs.iter().filter(|o| o.indicator != LITERACY_RATE) {
        let end = *last
            .entry((o.jurisdiction.as_str(), o.indicator.as_str()))
            .or_insert_with(|| {
                ds.plans
                    .iter()
                    .filter(|p| p.plan.jurisdiction == o.jurisdiction)
                    .filter_map(|p| p.indicator(&o.indicator).map(|i| (p, i)))
                    .map(|(p, i)| {
                        let period = p.period_of(i);
                        let year = i.targets().iter().map(|m| m.year).fold(period[1], i32::max);
                        (year, period)
                    })
                    .max_by_key(|(year, _)| *year)
            });
        if let Some((year, [a, b])) = end.filter(|(year, _)| o.year > *year) {
            problems.push(Error::input(
                Location {
                    column: None,
                    ..o.origin.clone()
                },
                {
                    let (ind, j, y) = (&o.indicator, &o.jurisdiction, o.year);
                    text!(
                        "{j} 的 {ind} 日期为 {y} 年，晚于规划期 {a}–{b}（最后目标年 {year}）：年份应在规划期内；更晚的年份会让整个规划的期限提前结束",
                        "{ind} of {j} is dated {y}, after the plan period {a}–{b} (last target year {year}): expected a year of the plan period; a later year would end the period for the whole plan"
                    )
                },
            ));
        }
    }
}
