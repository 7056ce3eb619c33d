//! Loading and validating datasets: the registry (`jurisdictions.csv`), observations
//! (`observations.csv`) and plan documents (`plans/*.toml`, `seeds/*.toml`).
//!
//! Parsing works on text already in memory (`parse_*`), so it is testable without files;
//! [`load`] does the file IO and [`embedded`] serves the built-in default.

mod csvread;
pub mod embedded;
mod table;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::model::{
    Dataset, Direction, Jurisdiction, Kind, Level, Observation, Plan, LITERACY_RATE,
};

pub use csvread::{canonical_header, HeaderKind};
pub use table::{
    decode_text, is_spreadsheet, parse_number, read_table, table_from_bytes, RawRow, RawTable,
    ReadOptions, TextEncoding,
};

/// One input with the label used in messages (usually the file path): text (CSV or TOML,
/// already decoded) or a table read from a spreadsheet.
#[derive(Debug, Clone)]
pub struct Input {
    pub label: String,
    pub content: Content,
}

/// What an [`Input`] holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// Decoded text: CSV or TOML.
    Text(String),
    /// One sheet of a workbook.
    Table(RawTable),
}

impl Input {
    /// A text input (CSV or TOML).
    pub fn new(label: impl Into<String>, text: impl Into<String>) -> Self {
        Input {
            label: label.into(),
            content: Content::Text(text.into()),
        }
    }

    /// Reads a file with the default options: encoding detected, first sheet.
    pub fn read(path: &Path) -> Result<Input> {
        Input::read_with(path, &ReadOptions::default())
    }

    /// Reads a file: a workbook (detected from its first bytes) or text in the encoding of
    /// `opts` (see [`TextEncoding`]).
    pub fn read_with(path: &Path, opts: &ReadOptions) -> Result<Input> {
        let bytes = table::read_bytes(path)?;
        Input::from_bytes(path.display().to_string(), &bytes, opts)
    }

    /// Like [`Input::read_with`] on bytes in memory.
    pub fn from_bytes(label: impl Into<String>, bytes: &[u8], opts: &ReadOptions) -> Result<Input> {
        let label = label.into();
        let content = if table::is_spreadsheet(bytes) {
            Content::Table(RawTable::from_spreadsheet(
                &label,
                bytes,
                opts.sheet.as_deref(),
            )?)
        } else {
            Content::Text(decode_text(&label, bytes, opts.encoding)?)
        };
        Ok(Input { label, content })
    }

    /// The text of a text input.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            Content::Table(_) => None,
        }
    }
}

/// The raw inputs of a dataset, before validation.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub jurisdictions: Vec<Input>,
    pub observations: Vec<Input>,
    pub plans: Vec<Input>,
}

/// What the command line asks to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--data DIR`: replaces the embedded default.
    pub data_dir: Option<PathBuf>,
    /// `--observations F` (repeatable): added to the active dataset.
    pub observations: Vec<PathBuf>,
    /// `--plans F|DIR` (repeatable): added to the active dataset.
    pub plans: Vec<PathBuf>,
    /// `--encoding` and `--sheet`: how to read CSV and XLSX files.
    pub read: ReadOptions,
}

impl LoadOptions {
    /// True when `output` is (or would replace) one of the files this load reads: an
    /// `--observations`/`--plans` file, a table of `--data DIR`, or a plan in a plans
    /// directory. Inputs are never written, not even by an atomic rename.
    pub fn reads(&self, output: &Path) -> bool {
        let Ok(out) = output.canonicalize() else {
            return false; // a file that does not exist is no input
        };
        let same = |p: &Path| p.canonicalize().is_ok_and(|c| c == out);
        let inside = |dir: &Path| {
            dir.canonicalize()
                .is_ok_and(|d| out.parent() == Some(d.as_path()))
        };
        let toml = out.extension().is_some_and(|x| x == "toml");
        let table = out
            .file_stem()
            .is_some_and(|s| s == "jurisdictions" || s == "observations");
        self.observations.iter().any(|p| same(p))
            || self.plans.iter().any(|p| same(p) || (toml && inside(p)))
            || self
                .data_dir
                .as_deref()
                .is_some_and(|d| (table && inside(d)) || (toml && inside(&d.join("plans"))))
    }
}

/// Loads the active dataset: the embedded default or `--data DIR`, plus the extra files.
/// Warnings (unknown columns, implausible targets…) are in [`Dataset::warnings`].
pub fn load(opts: &LoadOptions) -> Result<Dataset> {
    let mut sources = match &opts.data_dir {
        Some(dir) => dir_sources_with(dir, &opts.read)?,
        None => embedded::sources(),
    };
    for f in &opts.observations {
        sources.observations.push(Input::read_with(f, &opts.read)?);
    }
    for p in &opts.plans {
        sources.plans.extend(plan_inputs(p, &opts.read)?);
    }
    build(&sources)
}

/// Reads a `--data DIR`: `jurisdictions.csv`, `observations.csv`, optional `plans/`.
pub fn dir_sources(dir: &Path) -> Result<Sources> {
    dir_sources_with(dir, &ReadOptions::default())
}

/// Reads a `--data DIR`: `jurisdictions.csv` (or `.xlsx`), `observations.csv` (or
/// `.xlsx`, optional), optional `plans/`.
pub fn dir_sources_with(dir: &Path, read: &ReadOptions) -> Result<Sources> {
    if !dir.is_dir() {
        return Err(Error::input(
            Location::file(dir.display().to_string()),
            "expected a directory holding jurisdictions.csv and observations.csv",
        ));
    }
    let pick = |stem: &str| -> PathBuf {
        let csv = dir.join(format!("{stem}.csv"));
        let xlsx = dir.join(format!("{stem}.xlsx"));
        if !csv.exists() && xlsx.exists() {
            xlsx
        } else {
            csv
        }
    };
    let mut s = Sources {
        jurisdictions: vec![Input::read_with(&pick("jurisdictions"), read)?],
        ..Sources::default()
    };
    let obs = pick("observations");
    if obs.exists() {
        s.observations.push(Input::read_with(&obs, read)?);
    }
    let plans = dir.join("plans");
    if plans.is_dir() {
        s.plans = plan_inputs(&plans, read)?;
    }
    Ok(s)
}

/// A plan file, or every `*.toml` in a directory (sorted by name).
fn plan_inputs(path: &Path, read: &ReadOptions) -> Result<Vec<Input>> {
    if path.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        files.iter().map(|f| Input::read_with(f, read)).collect()
    } else {
        Ok(vec![Input::read_with(path, read)?])
    }
}

/// Parses and validates all sources into a [`Dataset`].
pub fn build(sources: &Sources) -> Result<Dataset> {
    let mut warnings = Vec::new();
    let mut jurisdictions = Vec::new();
    let mut origins = Vec::new();
    for input in &sources.jurisdictions {
        let (js, locs) = parse_registry(input, &mut warnings)?;
        jurisdictions.extend(js);
        origins.extend(locs);
    }
    validate_registry(&mut jurisdictions, &origins)?;
    let mut plans: Vec<Plan> = Vec::new();
    for input in &sources.plans {
        plans.push(parse_plan(input)?);
    }
    let mut observations = Vec::new();
    for input in &sources.observations {
        observations.extend(parse_observation_rows(input, &mut warnings)?);
    }
    let mut ds = Dataset::from_parts(jurisdictions, Vec::new(), Vec::new());
    for (plan, input) in plans.iter_mut().zip(&sources.plans) {
        validate_plan(&ds, plan, input.text().unwrap_or(""), &mut warnings)?;
    }
    // A later plan of the same jurisdiction and period replaces an earlier one
    // (so `--plans` can correct the embedded default).
    let mut kept: Vec<Plan> = Vec::new();
    for plan in plans {
        kept.retain(|p| {
            !(p.plan.jurisdiction == plan.plan.jurisdiction && p.plan.period == plan.plan.period)
        });
        kept.push(plan);
    }
    ds.plans = kept;
    ds.observations = validate_observations(&ds, observations)?;
    ds.warnings = warnings;
    Ok(ds)
}

/// Parses a registry (`id,name_zh,name_en,level,parent`).
pub fn parse_jurisdictions(input: &Input) -> Result<Vec<Jurisdiction>> {
    parse_registry(input, &mut Vec::new()).map(|(js, _)| js)
}

/// The registry rows and where each was read.
fn parse_registry(
    input: &Input,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Jurisdiction>, Vec<[Location; 2]>)> {
    let table = csvread::Table::parse(input, HeaderKind::Jurisdictions)?;
    let c_id = table.require("id")?;
    let c_zh = table.require("name_zh")?;
    let c_en = table.optional("name_en");
    let c_level = table.require("level")?;
    let c_parent = table.require("parent")?;
    table.require_rows()?;
    warnings.extend(table.unknown_column_warnings());
    let mut out = Vec::with_capacity(table.rows().len());
    let mut origins = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let id = row.text(c_id).to_string();
        if id.is_empty() {
            return Err(table.error(
                row,
                c_id,
                "expected a jurisdiction id (e.g. 150300), found an empty cell",
            ));
        }
        let name_zh = row.text(c_zh).to_string();
        if name_zh.is_empty() {
            return Err(table.error(
                row,
                c_zh,
                format!("expected the Chinese name of {id}, found an empty cell"),
            ));
        }
        let level_s = row.text(c_level);
        let level = Level::parse(level_s).ok_or_else(|| {
            table.error(
                row,
                c_level,
                format!("expected national, province, prefecture or county (全国, 省, 市, 县), found {level_s:?}"),
            )
        })?;
        let parent = Some(row.text(c_parent).to_string()).filter(|p| !p.is_empty());
        out.push(Jurisdiction {
            id,
            name_zh,
            name_en: c_en.map(|c| row.text(c).to_string()).unwrap_or_default(),
            level,
            parent,
        });
        origins.push([table.location(row, c_id), table.location(row, c_parent)]);
    }
    Ok((out, origins))
}

/// Unique ids; every parent in the registry (given by id, or by a unique Chinese name,
/// which is replaced by its id); no cycles.
fn validate_registry(js: &mut [Jurisdiction], origins: &[[Location; 2]]) -> Result<()> {
    let at = |i: usize, col: &str| {
        let k = usize::from(col == "parent");
        origins.get(i).map(|o| o[k].clone()).unwrap_or_default()
    };
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, j) in js.iter().enumerate() {
        if let Some(prev) = ids.insert(j.id.clone(), i) {
            let p = at(prev, "id");
            return Err(Error::input(
                at(i, "id"),
                format!(
                    "duplicate jurisdiction id {:?} (also at {}{}); each id must appear once",
                    j.id,
                    p.file,
                    p.line.map(|l| format!(":{l}")).unwrap_or_default()
                ),
            ));
        }
    }
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, j) in js.iter().enumerate() {
        by_name.entry(j.name_zh.clone()).or_default().push(i);
    }
    for i in 0..js.len() {
        let Some(p) = js[i].parent.clone() else {
            continue;
        };
        if ids.contains_key(&p) {
            continue;
        }
        match by_name.get(&p).map(Vec::as_slice) {
            Some([k]) => js[i].parent = Some(js[*k].id.clone()),
            _ => {
                let reg = Dataset::from_parts(js.to_vec(), Vec::new(), Vec::new());
                return Err(Error::input(
                    at(i, "parent"),
                    format!(
                        "parent of {}: {}",
                        js[i].id,
                        unknown_jurisdiction_message(&reg, &p)
                    ),
                ));
            }
        }
    }
    for (i, j) in js.iter().enumerate() {
        // Walk up: a cycle revisits a node.
        let mut seen = HashSet::new();
        let mut chain = Vec::new();
        let mut cur = Some(j.id.as_str());
        while let Some(c) = cur {
            if !seen.insert(c) {
                chain.push(c);
                return Err(Error::input(
                    at(i, "parent"),
                    format!(
                        "the parents of {} form a cycle ({}); the chain must end at the nation, whose parent is empty",
                        j.id,
                        chain.join(" → ")
                    ),
                ));
            }
            chain.push(c);
            cur = ids.get(c).and_then(|&k| js[k].parent.as_deref());
        }
    }
    Ok(())
}

/// Parses one plan TOML document (see `seeds/SCHEMA.md`).
pub fn parse_plan(input: &Input) -> Result<Plan> {
    let Some(text) = input.text() else {
        return Err(Error::input(
            Location::file(&input.label),
            "expected a plan in TOML (see seeds/SCHEMA.md), found a spreadsheet",
        ));
    };
    let mut plan: Plan = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count() as u64);
        let location = Location {
            file: input.label.clone(),
            line,
            column: None,
        };
        Error::input(
            location,
            format!(
                "invalid plan TOML: {} (the schema is in seeds/SCHEMA.md)",
                e.message().trim().replace('\n', "; ")
            ),
        )
    })?;
    plan.origin = input.label.clone();
    Ok(plan)
}

/// 1-based line of `key = …` in the `index`-th `[[indicator]]` table of a plan (the table's
/// header line when the key is absent); `None` when the plan has no such table.
fn indicator_key_line(text: &str, index: usize, key: &str) -> Option<u64> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[indicator]]"))
        .map(|(i, _)| i)
        .collect();
    let start = *starts.get(index)?;
    let end = starts.get(index + 1).copied().unwrap_or(lines.len());
    let found = (start..end).find(|&i| {
        lines[i]
            .trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    Some(found.unwrap_or(start) as u64 + 1)
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> Option<u64> {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u64 + 1)
}

fn validate_plan(
    ds: &Dataset,
    plan: &mut Plan,
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let loc = |key: &str, needle: &str| Location {
        file: plan.origin.clone(),
        line: line_of(text, needle),
        column: Some(key.to_string()),
    };
    let jid = plan.plan.jurisdiction.trim().to_string();
    match ds.resolve(&jid) {
        Some(j) => plan.plan.jurisdiction = j.id.clone(),
        None => {
            return Err(Error::input(
                loc("plan.jurisdiction", "jurisdiction"),
                unknown_jurisdiction_message(ds, &jid),
            ))
        }
    }
    let [a, b] = plan.plan.period;
    if a > b || !(1900..=2100).contains(&a) || !(1900..=2100).contains(&b) {
        return Err(Error::input(
            loc("plan.period", "period"),
            format!(
                "expected period = [first, last] with 1900 ≤ first ≤ last ≤ 2100, found [{a}, {b}]"
            ),
        ));
    }
    let mut seen = HashSet::new();
    for (index, ind) in plan.indicators.iter().enumerate() {
        let needle = format!("\"{}\"", ind.id);
        let field = format!("indicator.{}", ind.id);
        let loc = |key: &str| {
            let mut l = loc(&format!("{field}.{key}"), &needle);
            if let Some(line) = indicator_key_line(text, index, key) {
                l.line = Some(line);
            }
            l
        };
        if ind.id.trim().is_empty() {
            return Err(Error::input(
                loc("id"),
                "expected an indicator id, found an empty string",
            ));
        }
        if !seen.insert(ind.id.as_str()) {
            return Err(Error::input(
                loc("id"),
                "indicator id appears twice in the plan; keep one [[indicator]] per id",
            ));
        }
        if let Some([p, q]) = ind.period {
            if p > q || !(1900..=2100).contains(&p) || !(1900..=2100).contains(&q) {
                return Err(Error::input(
                    loc("period"),
                    format!("expected period = [first, last] with 1900 ≤ first ≤ last ≤ 2100, found [{p}, {q}]"),
                ));
            }
        }
        for (what, y) in [
            ("target", Some(ind.target.year)),
            ("baseline", ind.baseline.map(|b| b.year)),
        ] {
            if let Some(y) = y.filter(|y| !(1900..=2100).contains(y)) {
                return Err(Error::input(
                    loc(what),
                    format!("expected a {what} year such as 2025, found {y}"),
                ));
            }
        }
        if let Some(base) = ind.baseline {
            if ind.target.year <= base.year {
                return Err(Error::input(
                    loc("target"),
                    format!(
                        "target year {} is not after the baseline year {}: expected a target after the baseline",
                        ind.target.year, base.year
                    ),
                ));
            }
        }
        for m in &ind.milestones {
            let after_base = ind.baseline.is_none_or(|b| m.year > b.year);
            if !(1900..=2100).contains(&m.year) || !after_base {
                return Err(Error::input(
                    loc("milestones"),
                    format!(
                        "expected a milestone year after the baseline, in 1900–2100, found {}",
                        m.year
                    ),
                ));
            }
        }
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
                return Err(Error::input(
                    loc(what),
                    format!("expected a finite {what} value, found {v}"),
                ));
            }
            if pct && !(0.0..=100.0).contains(&v) {
                return Err(Error::input(
                    loc(what),
                    format!("{what} {v} is outside 0–100 for a percentage (write 9.0 for 9%)"),
                ));
            }
            if count && v < 0.0 {
                return Err(Error::input(
                    loc(what),
                    format!(
                        "expected a {what} ≥ 0 for a {} count, found {v}",
                        ind.kind.as_str()
                    ),
                ));
            }
        }
        if ind.id == LITERACY_RATE && ind.unit != "pct" {
            return Err(Error::input(
                loc("unit"),
                format!(
                    "literacy_rate is a percentage: expected unit = \"pct\", found {:?}",
                    ind.unit
                ),
            ));
        }
        if let (Some(base), Kind::Level) = (ind.baseline, ind.kind) {
            let wrong_way = match ind.direction {
                Direction::Increase => ind.target.value < base.value,
                Direction::Decrease => ind.target.value > base.value,
                Direction::Maintain => false,
            };
            if wrong_way {
                warnings.push(format!(
                    "warning: {}: target {} is {} the baseline {} of an indicator meant to {}; check the numbers or set direction",
                    loc("target"),
                    ind.target.value,
                    if ind.direction == Direction::Increase { "below" } else { "above" },
                    base.value,
                    if ind.direction == Direction::Increase { "increase" } else { "decrease" },
                ));
            }
        }
    }
    Ok(())
}

/// Parses observations (`jurisdiction,indicator,year,value,se,n,source`).
/// Without an `indicator` column every row is `literacy_rate`.
pub fn parse_observations(input: &Input) -> Result<Vec<Observation>> {
    parse_observation_rows(input, &mut Vec::new())
}

fn parse_observation_rows(input: &Input, warnings: &mut Vec<String>) -> Result<Vec<Observation>> {
    let table = csvread::Table::parse(input, HeaderKind::Observations)?;
    let c_j = table.require("jurisdiction")?;
    let c_ind = table.optional("indicator");
    let c_year = table.require("year")?;
    let c_val = table.require("value")?;
    let c_se = table.optional("se");
    let c_n = table.optional("n");
    let c_src = table.optional("source");
    let c_cite = table.optional("cite");
    table.require_rows()?;
    warnings.extend(table.unknown_column_warnings());
    let mut out = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let jurisdiction = row.text(c_j).to_string();
        if jurisdiction.is_empty() {
            return Err(table.error(
                row,
                c_j,
                "expected a jurisdiction code or name, found an empty cell",
            ));
        }
        let indicator = match c_ind {
            Some(c) if !row.text(c).is_empty() => row.text(c).to_string(),
            _ => LITERACY_RATE.to_string(),
        };
        let year = table.year(row, c_year)?;
        let value = table.number(row, c_val)?.ok_or_else(|| {
            table.error(
                row,
                c_val,
                "expected a number, found an empty cell; delete the row if the value is unknown",
            )
        })?;
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
                    format!("expected a standard error ≥ 0, found {s}"),
                ));
            }
        }
        if let (Some(k), Some(c)) = (n, c_n) {
            if k < 0.0 {
                return Err(table.error(row, c, format!("expected a sample size ≥ 0, found {k}")));
            }
        }
        out.push(Observation {
            jurisdiction,
            indicator,
            year,
            value,
            se,
            n,
            source: c_src.map(|c| row.text(c).to_string()).unwrap_or_default(),
            cite: c_cite
                .map(|c| row.text(c).trim().to_string())
                .filter(|c| !c.is_empty()),
            origin: table.location(row, c_val),
            jurisdiction_column: table.location(row, c_j).column.unwrap_or_default(),
            se_column: c_se
                .and_then(|c| table.location(row, c).column)
                .unwrap_or_default(),
        });
    }
    all_fractions_warning(&out, table.label(), warnings);
    Ok(out)
}

/// A file whose literacy rates are all ≤ 1 was probably written as fractions.
fn all_fractions_warning(obs: &[Observation], label: &str, warnings: &mut Vec<String>) {
    let rates: Vec<f64> = obs
        .iter()
        .filter(|o| o.indicator == LITERACY_RATE)
        .map(|o| o.value)
        .collect();
    if rates.len() >= 2 && rates.iter().all(|&v| v <= 1.0) && rates.iter().any(|&v| v > 0.0) {
        warnings.push(format!(
            "warning: {label}: every literacy_rate value is ≤ 1; values are percentages (9.0 means 9%): if these are fractions, multiply them by 100"
        ));
    }
}

/// A value ≤ 1 of a percent indicator is taken for a fraction when a value of the same
/// indicator within two years is at least this many times larger.
const FRACTION_RATIO: f64 = 30.0;

fn validate_observations(ds: &Dataset, obs: Vec<Observation>) -> Result<Vec<Observation>> {
    let mut out: Vec<Observation> = Vec::with_capacity(obs.len());
    let mut seen: HashMap<(String, String, i32), usize> = HashMap::new();
    let mut spec_cache: HashMap<String, Option<(bool, Kind)>> = HashMap::new();
    for mut o in obs {
        let loc = o.origin.clone();
        match ds.resolve(&o.jurisdiction) {
            Some(j) => o.jurisdiction = j.id.clone(),
            None => {
                return Err(Error::input(
                    Location {
                        column: Some(o.jurisdiction_column.clone()),
                        ..loc
                    },
                    unknown_jurisdiction_message(ds, &o.jurisdiction),
                ))
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
                format!(
                    "{} is a percentage: expected a value in 0–100, found {} (write 9.8 for 9.8%)",
                    o.indicator, o.value
                ),
            ));
        }
        if spec.is_some_and(|(_, k)| k != Kind::Level) && o.value < 0.0 {
            return Err(Error::input(
                loc,
                format!(
                    "{} is a count: expected a value ≥ 0, found {}",
                    o.indicator, o.value
                ),
            ));
        }
        if let Some(se) = o.se.filter(|&s| is_pct && s > 50.0) {
            return Err(Error::input(
                Location {
                    column: Some(o.se_column.clone()),
                    ..loc
                },
                format!(
                    "expected a standard error in percentage points ≤ 50 (the largest possible for a proportion), found {se}"
                ),
            ));
        }
        let key = (o.jurisdiction.clone(), o.indicator.clone(), o.year);
        if let Some(&k) = seen.get(&key) {
            let prev = &out[k];
            if prev.value != o.value {
                return Err(Error::input(
                    loc,
                    format!(
                        "duplicate observation of {} for {} in {}: {} here and {} at {}; keep one row",
                        o.indicator, o.jurisdiction, o.year, o.value, prev.value, prev.origin
                    ),
                ));
            }
            continue;
        }
        seen.insert(key, out.len());
        out.push(o);
    }
    check_fractions(ds, &out)?;
    Ok(out)
}

/// Refuses fractions mixed with percentages: 0.098 beside 9.8 for the same percent
/// indicator (within two years, [`FRACTION_RATIO`] times larger).
fn check_fractions(ds: &Dataset, obs: &[Observation]) -> Result<()> {
    // Largest value of each percent indicator per year, with its index.
    let mut max_by_year: HashMap<&str, BTreeMap<i32, usize>> = HashMap::new();
    let mut pct: HashMap<&str, bool> = HashMap::new();
    for (i, o) in obs.iter().enumerate() {
        let is_pct = *pct.entry(&o.indicator).or_insert_with(|| {
            ds.indicator_spec(&o.indicator)
                .is_some_and(|s| s.is_percent())
        });
        if !is_pct {
            continue;
        }
        let m = max_by_year.entry(&o.indicator).or_default();
        let e = m.entry(o.year).or_insert(i);
        if obs[*e].value < o.value {
            *e = i;
        }
    }
    for o in obs {
        if o.value <= 0.0 || o.value > 1.0 {
            continue;
        }
        let Some(m) = max_by_year.get(o.indicator.as_str()) else {
            continue;
        };
        let big = m
            .range(o.year - 2..=o.year + 2)
            .map(|(_, &k)| &obs[k])
            .filter(|w| w.value >= FRACTION_RATIO * o.value)
            .max_by(|a, b| a.value.total_cmp(&b.value));
        if let Some(w) = big {
            return Err(Error::input(
                o.origin.clone(),
                format!(
                    "{} is a percentage, but {} looks like a fraction beside {} ({} {}, at {}): expected every value in percent — write {} for {}%",
                    o.indicator,
                    o.value,
                    w.value,
                    w.jurisdiction,
                    w.year,
                    w.origin,
                    crate::output::format_num(o.value * 100.0),
                    crate::output::format_num(o.value * 100.0),
                ),
            ));
        }
    }
    Ok(())
}

/// "unknown jurisdiction … ; closest: …" with the three nearest ids or names.
pub fn unknown_jurisdiction_message(ds: &Dataset, key: &str) -> String {
    let mut scored: Vec<(f64, &Jurisdiction)> = ds
        .jurisdictions()
        .iter()
        .map(|j| {
            let s = [j.id.as_str(), j.name_zh.as_str(), j.name_en.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| strsim::jaro_winkler(&key.to_lowercase(), &s.to_lowercase()))
                .fold(0.0, f64::max);
            (s, j)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let closest: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(_, j)| format!("{} {}", j.id, j.name_zh))
        .collect();
    format!(
        "unknown jurisdiction {key:?}: expected a code or name from the registry; closest: {}",
        closest.join(", ")
    )
}
