//! Loading and validating datasets: the registry (`jurisdictions.csv`), observations
//! (`observations.csv`) and plan documents (`plans/*.toml`, `seeds/*.toml`).
//!
//! Parsing works on text already in memory (`parse_*`), so it is testable without files;
//! [`load`] does the file IO and [`embedded`] serves the built-in default.

mod csvread;
pub mod embedded;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::model::{Dataset, Jurisdiction, Level, Observation, Plan, LITERACY_RATE};

pub use csvread::{canonical_header, HeaderKind};

/// One input text with the label used in messages (usually the file path).
#[derive(Debug, Clone)]
pub struct Input {
    pub label: String,
    pub text: String,
}

impl Input {
    pub fn new(label: impl Into<String>, text: impl Into<String>) -> Self {
        Input {
            label: label.into(),
            text: text.into(),
        }
    }

    /// Reads a file as UTF-8 text (a leading byte-order mark is dropped).
    pub fn read(path: &Path) -> Result<Input> {
        let label = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: label.clone(),
            source,
        })?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match std::str::from_utf8(bytes) {
            Ok(t) => Ok(Input::new(label, t)),
            Err(e) => {
                let line = 1 + bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64;
                Err(Error::input(
                    Location::at(label, line),
                    "expected UTF-8 text; the file looks like another encoding (save it as UTF-8 CSV)",
                ))
            }
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
}

/// Loads the active dataset: the embedded default or `--data DIR`, plus the extra files.
pub fn load(opts: &LoadOptions) -> Result<Dataset> {
    let mut sources = match &opts.data_dir {
        Some(dir) => dir_sources(dir)?,
        None => embedded::sources(),
    };
    for f in &opts.observations {
        sources.observations.push(Input::read(f)?);
    }
    for p in &opts.plans {
        sources.plans.extend(plan_inputs(p)?);
    }
    build(&sources)
}

/// Reads a `--data DIR`: `jurisdictions.csv`, `observations.csv`, optional `plans/`.
pub fn dir_sources(dir: &Path) -> Result<Sources> {
    if !dir.is_dir() {
        return Err(Error::input(
            Location::file(dir.display().to_string()),
            "expected a directory holding jurisdictions.csv and observations.csv",
        ));
    }
    let mut s = Sources {
        jurisdictions: vec![Input::read(&dir.join("jurisdictions.csv"))?],
        ..Sources::default()
    };
    let obs = dir.join("observations.csv");
    if obs.exists() {
        s.observations.push(Input::read(&obs)?);
    }
    let plans = dir.join("plans");
    if plans.is_dir() {
        s.plans = plan_inputs(&plans)?;
    }
    Ok(s)
}

/// A plan file, or every `*.toml` in a directory (sorted by name).
fn plan_inputs(path: &Path) -> Result<Vec<Input>> {
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
        files.iter().map(|f| Input::read(f)).collect()
    } else {
        Ok(vec![Input::read(path)?])
    }
}

/// Parses and validates all sources into a [`Dataset`].
pub fn build(sources: &Sources) -> Result<Dataset> {
    let mut jurisdictions = Vec::new();
    for input in &sources.jurisdictions {
        jurisdictions.extend(parse_jurisdictions(input)?);
    }
    validate_registry(&jurisdictions, sources)?;
    let mut plans: Vec<Plan> = Vec::new();
    for input in &sources.plans {
        plans.push(parse_plan(input)?);
    }
    let mut observations = Vec::new();
    for input in &sources.observations {
        observations.extend(parse_observations(input)?);
    }
    let mut ds = Dataset::from_parts(jurisdictions, Vec::new(), Vec::new());
    for (plan, input) in plans.iter_mut().zip(&sources.plans) {
        validate_plan(&ds, plan, &input.text)?;
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
    Ok(ds)
}

/// Parses a registry (`id,name_zh,name_en,level,parent`).
pub fn parse_jurisdictions(input: &Input) -> Result<Vec<Jurisdiction>> {
    let table = csvread::Table::parse(input, HeaderKind::Jurisdictions)?;
    let c_id = table.require("id")?;
    let c_zh = table.require("name_zh")?;
    let c_en = table.optional("name_en");
    let c_level = table.require("level")?;
    let c_parent = table.require("parent")?;
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let id = row.text(c_id).to_string();
        if id.is_empty() {
            return Err(table.error(row, c_id, "expected a jurisdiction id, found an empty cell"));
        }
        let level_s = row.text(c_level);
        let level = Level::parse(level_s).ok_or_else(|| {
            table.error(
                row,
                c_level,
                format!("expected national, province, prefecture or county, found {level_s:?}"),
            )
        })?;
        let parent = Some(row.text(c_parent).to_string()).filter(|p| !p.is_empty());
        out.push(Jurisdiction {
            id,
            name_zh: row.text(c_zh).to_string(),
            name_en: c_en.map(|c| row.text(c).to_string()).unwrap_or_default(),
            level,
            parent,
        });
    }
    Ok(out)
}

fn validate_registry(js: &[Jurisdiction], sources: &Sources) -> Result<()> {
    let label = sources
        .jurisdictions
        .first()
        .map(|i| i.label.clone())
        .unwrap_or_else(|| "jurisdictions.csv".into());
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, j) in js.iter().enumerate() {
        if let Some(prev) = ids.insert(&j.id, i) {
            return Err(Error::input(
                Location::at(&label, i as u64 + 2).with_column("id"),
                format!(
                    "duplicate jurisdiction id {:?} (also on line {})",
                    j.id,
                    prev + 2
                ),
            ));
        }
    }
    for (i, j) in js.iter().enumerate() {
        if let Some(p) = &j.parent {
            if !ids.contains_key(p.as_str()) {
                return Err(Error::input(
                    Location::at(&label, i as u64 + 2).with_column("parent"),
                    format!("parent {p:?} of {} is not in the registry", j.id),
                ));
            }
        }
        // Walk up: a cycle revisits a node.
        let mut seen = HashSet::new();
        let mut cur = Some(j.id.as_str());
        while let Some(c) = cur {
            if !seen.insert(c) {
                return Err(Error::input(
                    Location::at(&label, i as u64 + 2).with_column("parent"),
                    format!("the parents of {} form a cycle through {c:?}", j.id),
                ));
            }
            cur = ids.get(c).and_then(|&k| js[k].parent.as_deref());
        }
    }
    Ok(())
}

/// Parses one plan TOML document (see `seeds/SCHEMA.md`).
pub fn parse_plan(input: &Input) -> Result<Plan> {
    let mut plan: Plan = toml::from_str(&input.text).map_err(|e| {
        let line = e.span().map(|s| {
            1 + input.text[..s.start.min(input.text.len())]
                .matches('\n')
                .count() as u64
        });
        let location = Location {
            file: input.label.clone(),
            line,
            column: None,
        };
        Error::input(location, format!("invalid plan TOML: {}", e.message()))
    })?;
    plan.origin = input.label.clone();
    Ok(plan)
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> Option<u64> {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u64 + 1)
}

fn validate_plan(ds: &Dataset, plan: &mut Plan, text: &str) -> Result<()> {
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
    if a > b {
        return Err(Error::input(
            loc("plan.period", "period"),
            format!("expected period = [first, last] with first ≤ last, found [{a}, {b}]"),
        ));
    }
    let mut seen = HashSet::new();
    for ind in &plan.indicators {
        let needle = format!("\"{}\"", ind.id);
        let field = format!("indicator.{}", ind.id);
        let loc = |key: &str| loc(&format!("{field}.{key}"), &needle);
        if !seen.insert(ind.id.as_str()) {
            return Err(Error::input(
                loc("id"),
                "indicator id appears twice in the plan",
            ));
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
        let pct = ind.unit == "pct";
        for (what, v) in [
            ("target", Some(ind.target.value)),
            ("baseline", ind.baseline.map(|b| b.value)),
        ] {
            let Some(v) = v else { continue };
            if !v.is_finite() || (pct && !(0.0..=100.0).contains(&v)) {
                return Err(Error::input(
                    loc(what),
                    format!("{what} {v} is outside 0–100 for a percentage (write 9.0 for 9%)"),
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
    }
    Ok(())
}

/// Parses observations (`jurisdiction,indicator,year,value,se,n,source`).
/// Without an `indicator` column every row is `literacy_rate`.
pub fn parse_observations(input: &Input) -> Result<Vec<Observation>> {
    let table = csvread::Table::parse(input, HeaderKind::Observations)?;
    let c_j = table.require("jurisdiction")?;
    let c_ind = table.optional("indicator");
    let c_year = table.require("year")?;
    let c_val = table.require("value")?;
    let c_se = table.optional("se");
    let c_n = table.optional("n");
    let c_src = table.optional("source");
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
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
        let value = table
            .number(row, c_val)?
            .ok_or_else(|| table.error(row, c_val, "expected a number, found an empty cell"))?;
        let se = match c_se {
            Some(c) => table.number(row, c)?,
            None => None,
        };
        let n = match c_n {
            Some(c) => table.number(row, c)?,
            None => None,
        };
        if let Some(s) = se {
            if s < 0.0 {
                return Err(table.error(
                    row,
                    c_se.unwrap_or(c_val),
                    format!("expected a standard error ≥ 0, found {s}"),
                ));
            }
        }
        if let Some(k) = n {
            if k < 0.0 {
                return Err(table.error(
                    row,
                    c_n.unwrap_or(c_val),
                    format!("expected a sample size ≥ 0, found {k}"),
                ));
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
            origin: table.location(row, c_val),
            jurisdiction_column: table.location(row, c_j).column.unwrap_or_default(),
        });
    }
    Ok(out)
}

fn validate_observations(ds: &Dataset, obs: Vec<Observation>) -> Result<Vec<Observation>> {
    let mut out: Vec<Observation> = Vec::with_capacity(obs.len());
    let mut seen: HashMap<(String, String, i32), usize> = HashMap::new();
    let mut percent_cache: HashMap<String, bool> = HashMap::new();
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
        let is_pct = *percent_cache.entry(o.indicator.clone()).or_insert_with(|| {
            ds.indicator_spec(&o.indicator)
                .is_some_and(|s| s.is_percent())
        });
        if is_pct && !(0.0..=100.0).contains(&o.value) {
            return Err(Error::input(
                loc,
                format!(
                    "{} is a percentage: expected a value in 0–100, found {}",
                    o.indicator, o.value
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
    Ok(out)
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
