//! Loading and validating datasets: the registry (`jurisdictions.csv`), observations
//! (`observations.csv`) and plan documents (`plans/*.toml`, `seeds/*.toml`).
//!
//! Parsing works on text already in memory (`parse_*`), so it is testable without files;
//! [`load`] does the file IO and [`embedded`] serves the built-in default.

mod csvread;
pub mod embedded;
pub mod export;
mod indicator_names;
pub mod microdata;
pub mod plan_sheet;
pub mod progress_template;
mod table;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Problems, Result};
use crate::model::{
    implied_sample_size, Dataset, Direction, InputFile, InputRole, Jurisdiction, Kind, Level,
    Lookup, Observation, Plan, PlanIndicator, LITERACY_RATE,
};

pub use csvread::{canonical_header, HeaderKind};
pub(crate) use table::{read_bytes, MAX_INPUT_BYTES};

/// Reads a small text input (a design file, rscales) within the size cap of every table
/// ([`table::MAX_INPUT_BYTES`]), decoded as [`TextEncoding::Auto`].
pub(crate) fn read_small_text(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    decode_text(&path.display().to_string(), &bytes, TextEncoding::Auto)
}
pub use table::{
    decode_text, is_spreadsheet, parse_number, read_table, table_from_bytes, RawRow, RawTable,
    ReadOptions, TextEncoding,
};

/// One input with the label used in messages (usually the file path): text (CSV or TOML,
/// already decoded) or a table read from a spreadsheet.
#[derive(Debug, Clone)]
pub struct Input {
    /// Label used in messages, usually the file path (`embedded:…` for built-in data).
    pub label: String,
    /// The decoded text or the spreadsheet table.
    pub content: Content,
    /// Given by `--plans` (or `--observations`, `--jurisdictions`) on top of the base
    /// dataset (embedded or `--data DIR`): a plan from it replaces a base plan of the same
    /// jurisdiction and period, a registry row the base row of the same id, with a note.
    pub overrides: bool,
    /// SHA-256 of the bytes read (before decoding), in lowercase hex.
    pub sha256: String,
    /// Length of the bytes read.
    pub bytes: usize,
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
        let text = text.into();
        Input {
            label: label.into(),
            sha256: sha256_hex(text.as_bytes()),
            bytes: text.len(),
            content: Content::Text(text),
            overrides: false,
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
        Ok(Input {
            label,
            content,
            overrides: false,
            sha256: sha256_hex(bytes),
            bytes: bytes.len(),
        })
    }

    /// The text of a text input.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            Content::Table(_) => None,
        }
    }
}

/// SHA-256 of `bytes` in lowercase hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The raw inputs of a dataset, before validation.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Registry inputs (`jurisdictions.csv` layout).
    pub jurisdictions: Vec<Input>,
    /// Observation inputs (`observations.csv` layout).
    pub observations: Vec<Input>,
    /// Plan TOML inputs.
    pub plans: Vec<Input>,
    /// Notes about what a directory scan left out (a FIFO or device named `*.toml`), passed
    /// on as warnings of the dataset.
    pub notes: Vec<crate::model::Text>,
}

impl Sources {
    /// The inputs as the files they were read from: registry, observations, then plans.
    pub fn files(&self) -> Vec<InputFile> {
        let of = |inputs: &[Input], role: InputRole| -> Vec<InputFile> {
            inputs
                .iter()
                .map(|i| InputFile {
                    label: i.label.clone(),
                    role,
                    sha256: i.sha256.clone(),
                    bytes: i.bytes,
                })
                .collect()
        };
        let mut v = of(&self.jurisdictions, InputRole::Jurisdictions);
        v.extend(of(&self.observations, InputRole::Observations));
        v.extend(of(&self.plans, InputRole::Plan));
        v
    }
}

/// What the command line asks to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--data DIR`: replaces the embedded default.
    pub data_dir: Option<PathBuf>,
    /// `--observations F` (repeatable): added to the active dataset.
    pub observations: Vec<PathBuf>,
    /// `--jurisdictions F` (repeatable): registry rows added to the active dataset.
    pub jurisdictions: Vec<PathBuf>,
    /// `--plans F|DIR` (repeatable): added to the active dataset.
    pub plans: Vec<PathBuf>,
    /// `--encoding` and `--sheet`: how to read CSV and XLSX files.
    pub read: ReadOptions,
}

/// Loads the active dataset: the embedded default or `--data DIR`, plus the extra files.
/// Warnings (unknown columns, implausible targets…) are in [`Dataset::warnings`]; every
/// file read, with its checksum, is in [`Dataset::inputs`] (the base dataset's files,
/// then the extra files).
pub fn load(opts: &LoadOptions) -> Result<Dataset> {
    let sources = match &opts.data_dir {
        Some(dir) => dir_sources_with(dir, &opts.read)?,
        None => embedded::sources(),
    };
    let mut extra = Sources::default();
    for f in &opts.jurisdictions {
        let mut input = Input::read_with(f, &opts.read)?;
        input.overrides = true;
        extra.jurisdictions.push(input);
    }
    for f in &opts.observations {
        let mut input = Input::read_with(f, &opts.read)?;
        input.overrides = true;
        extra.observations.push(input);
    }
    for p in &opts.plans {
        for mut input in plan_inputs(p, &opts.read, &mut extra.notes)? {
            input.overrides = true;
            extra.plans.push(input);
        }
    }
    load_sources(sources, extra)
}

/// The dataset of a base (the embedded default or `--data DIR`) and `extra` inputs on top
/// (each marked [`Input::overrides`] by the caller), validated as one whole: what
/// [`load`] does once the files are read. `litmon serve` passes the uploads here, read from
/// memory with [`Input::from_bytes`].
pub fn load_sources(mut sources: Sources, extra: Sources) -> Result<Dataset> {
    let mut read = sources.files();
    read.extend(extra.files());
    sources.jurisdictions.extend(extra.jurisdictions);
    sources.observations.extend(extra.observations);
    sources.plans.extend(extra.plans);
    sources.notes.extend(extra.notes);
    let mut ds = build(&sources)?;
    ds.inputs = read;
    Ok(ds)
}

/// Reads a `--data DIR`: `jurisdictions.csv`, `observations.csv`, optional `plans/`.
pub fn dir_sources(dir: &Path) -> Result<Sources> {
    dir_sources_with(dir, &ReadOptions::default())
}

/// Reads a `--data DIR`: `jurisdictions.csv` (or `.xlsx`), `observations.csv` (or
/// `.xlsx`, optional: without it, a warning), optional `plans/`.
pub fn dir_sources_with(dir: &Path, read: &ReadOptions) -> Result<Sources> {
    if !dir.is_dir() {
        return Err(Error::input(
            Location::file(dir.display().to_string()),
            text!(
                "应为含有 jurisdictions.csv 和 observations.csv 的目录",
                "expected a directory holding jurisdictions.csv and observations.csv"
            ),
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
    } else {
        let d = dir.display();
        s.notes.push(crate::model::Text::warning(text!(
            "{d} 中没有 observations.csv（或 observations.xlsx）：该数据目录不提供观测值，只用 --observations 文件中的观测值",
            "{d} holds no observations.csv (or observations.xlsx): the data directory gives no observations, only those of --observations files"
        )));
    }
    let plans = dir.join("plans");
    if plans.is_dir() {
        s.plans = plan_inputs(&plans, read, &mut s.notes)?;
    }
    Ok(s)
}

/// Whether a file in a plans directory is a plan: `*.toml`, or a plan sheet `*.xlsx` /
/// `*.csv` (not an Excel lock file `~$…`).
pub fn is_plan_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    let lock = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    !lock && matches!(ext.as_deref(), Some("toml" | "xlsx" | "csv"))
}

/// A plan file, or every plan file of a directory (sorted by name): `*.toml`, and plan
/// sheets `*.xlsx` and `*.csv` ([`plan_sheet`]). Anything in the directory that is not a
/// regular file (a FIFO would block the read forever, a device never ends) is skipped with a
/// note.
fn plan_inputs(
    path: &Path,
    read: &ReadOptions,
    notes: &mut Vec<crate::model::Text>,
) -> Result<Vec<Input>> {
    if path.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_plan_file(p))
            .collect();
        files.retain(|f| {
            let regular = std::fs::metadata(f).is_ok_and(|m| m.is_file());
            if !regular {
                let f = f.display();
                notes.push(text!(
                    "{f}：已跳过，不是普通文件（名称像方案的管道、设备或目录）",
                    "{f}: skipped, not a regular file (a pipe, device or directory named like a plan)"
                ));
            }
            regular
        });
        files.sort();
        files.iter().map(|f| Input::read_with(f, read)).collect()
    } else {
        Ok(vec![Input::read_with(path, read)?])
    }
}

/// A [`Dataset`] built from Rust values, validated as the files are (registry links and
/// levels, plan targets, observation ranges and duplicates).
///
/// ```
/// use litmon::data::DatasetBuilder;
/// use litmon::model::{Jurisdiction, Level, Observation, Plan, PlanIndicator, YearValue};
///
/// let ds = DatasetBuilder::new()
///     .jurisdiction(Jurisdiction::new("100000", "全国", Level::National, None))
///     .jurisdiction(Jurisdiction::new("150000", "内蒙古自治区", Level::Province, Some("100000")))
///     .plan(Plan::new("150000", "规划", [2021, 2025]).with_indicator(
///         PlanIndicator::literacy_rate(None, YearValue { year: 2025, value: 12.0 }),
///     ))
///     .observation(Observation::new("150000", "literacy_rate", 2020, 8.73))
///     .build()?;
/// assert_eq!(ds.jurisdictions().len(), 2);
/// // A parent that is not in the registry is refused.
/// let orphan = DatasetBuilder::new()
///     .jurisdiction(Jurisdiction::new("150300", "乌海市", Level::Prefecture, Some("150000")))
///     .build();
/// assert!(orphan.is_err());
/// # Ok::<(), litmon::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DatasetBuilder {
    jurisdictions: Vec<Jurisdiction>,
    plans: Vec<Plan>,
    observations: Vec<Observation>,
}

impl DatasetBuilder {
    /// An empty dataset.
    pub fn new() -> Self {
        DatasetBuilder::default()
    }

    /// Adds a registry row.
    pub fn jurisdiction(mut self, j: Jurisdiction) -> Self {
        self.jurisdictions.push(j);
        self
    }

    /// Adds a plan.
    pub fn plan(mut self, p: Plan) -> Self {
        self.plans.push(p);
        self
    }

    /// Adds an observation.
    pub fn observation(mut self, o: Observation) -> Self {
        self.observations.push(o);
        self
    }

    /// Validates the parts and builds the dataset (warnings in [`Dataset::warnings`]).
    pub fn build(self) -> Result<Dataset> {
        let mut warnings = Vec::new();
        let mut jurisdictions = self.jurisdictions;
        let origins: Vec<[Location; 2]> = jurisdictions
            .iter()
            .map(|j| {
                let at = |column: &str| {
                    Location::at(format!("jurisdiction {}", j.id), 1).with_column(column)
                };
                [at("id"), at("parent")]
            })
            .collect();
        validate_registry(&mut jurisdictions, &origins)?;
        let mut ds = Dataset::from_parts(jurisdictions, Vec::new(), Vec::new());
        let mut plans = self.plans;
        let mut problems = Problems::default();
        for plan in &mut plans {
            validate_plan(
                &ds,
                plan,
                PlanPlaces::Text(""),
                &mut warnings,
                &mut problems,
            );
        }
        problems.into_result()?;
        ds.plans = plans;
        let mut problems = Problems::default();
        ds.observations =
            validate_observations(&ds, self.observations, &[], &mut warnings, &mut problems);
        problems.into_result()?;
        ds.warnings = warnings;
        Ok(ds)
    }
}

/// Warnings kept by [`build`]; the rest are counted in one line.
const MAX_WARNINGS: usize = 50;

/// Parses and validates all sources into a [`Dataset`].
pub fn build(sources: &Sources) -> Result<Dataset> {
    let mut warnings = sources.notes.clone();
    let mut jurisdictions = Vec::new();
    let mut origins = Vec::new();
    // Base rows by id, for the user's rows (`--jurisdictions`) that replace one.
    let mut base: HashMap<String, usize> = HashMap::new();
    for input in &sources.jurisdictions {
        let (js, locs) = parse_registry(input, &mut warnings)?;
        for (j, loc) in js.into_iter().zip(locs) {
            match base.remove(&j.id).filter(|_| input.overrides) {
                Some(k) => {
                    let replaced = replace_registry_row(&mut jurisdictions[k], j);
                    if let Some(was) = replaced {
                        let at = &loc[0];
                        let id = &jurisdictions[k].id;
                        let (file, line) = (&at.file, at.line);
                        let (line_zh, line_en) = match line {
                            Some(l) => (format!(" 第{l}行"), format!(":{l}")),
                            None => (String::new(), String::new()),
                        };
                        warnings.push(crate::model::Text::note(text!(
                            "{file}{line_zh} 替换了地区名录中 {id} 的行（{was}）",
                            "{file}{line_en} replaces the registry row of {id} ({was})"
                        )));
                    }
                    origins[k] = loc;
                }
                None => {
                    if !input.overrides {
                        base.insert(j.id.clone(), jurisdictions.len());
                    }
                    jurisdictions.push(j);
                    origins.push(loc);
                }
            }
        }
    }
    validate_registry(&mut jurisdictions, &origins)?;
    // Each plan with the input it came from (by index) and, for a sheet, its cells.
    let mut plans: Vec<(Plan, usize, Option<plan_sheet::SheetPlaces>)> = Vec::new();
    for (k, input) in sources.plans.iter().enumerate() {
        if plan_sheet::is_plan_sheet(input) {
            for (plan, places) in plan_sheet::parse_plan_sheet(input)? {
                plans.push((plan, k, Some(places)));
            }
        } else {
            plans.push((parse_plan(input)?, k, None));
        }
    }
    let mut observations = Vec::new();
    let mut problems = Problems::default();
    for input in &sources.observations {
        observations.extend(parse_observation_rows(input, &mut warnings, &mut problems)?);
    }
    let mut ds = Dataset::from_parts(jurisdictions, Vec::new(), Vec::new());
    let mut plan_problems = Problems::default();
    for (plan, k, sheet) in &mut plans {
        let places = match sheet {
            Some(s) => PlanPlaces::Sheet(s),
            None => PlanPlaces::Text(sources.plans[*k].text().unwrap_or("")),
        };
        validate_plan(&ds, plan, places, &mut warnings, &mut plan_problems);
    }
    plan_problems.into_result()?;
    let plans = plans.into_iter().map(|(p, _, _)| p).collect();
    ds.plans = merge_plans(plans, &sources.plans, &mut warnings)?;
    indicator_names::match_plan_indicators(&ds, &mut observations, &mut warnings);
    let overriding: Vec<&str> = sources
        .observations
        .iter()
        .filter(|i| i.overrides)
        .map(|i| i.label.as_str())
        .collect();
    ds.observations =
        validate_observations(&ds, observations, &overriding, &mut warnings, &mut problems);
    problems.into_result()?;
    if warnings.len() > MAX_WARNINGS {
        let more = warnings.len() - MAX_WARNINGS;
        warnings.truncate(MAX_WARNINGS);
        warnings.push(text!("… 另有 {more} 条警告", "… and {more} more warnings"));
    }
    ds.warnings = warnings;
    ds.inputs = sources.files();
    Ok(ds)
}

/// Plans of the same jurisdiction and period: a `--plans` file replaces a plan of the base
/// dataset (the embedded default or `--data DIR`), with a note. Otherwise two plans that
/// give one jurisdiction's indicator different values for the same target or baseline year
/// are an error naming both files; plans that agree are kept once.
///
/// The kept plans stay in arrival order (a plan kept once moves to the place of its last
/// copy); each jurisdiction's kept plans are indexed, so a plan is compared with the plans of
/// its own jurisdiction only.
fn merge_plans(
    plans: Vec<Plan>,
    inputs: &[Input],
    warnings: &mut Vec<crate::model::Text>,
) -> Result<Vec<Plan>> {
    // Inputs by label: whether any input of that label overrides, and the first one's text.
    let overriding_labels: HashSet<&str> = inputs
        .iter()
        .filter(|i| i.overrides)
        .map(|i| i.label.as_str())
        .collect();
    let mut texts: HashMap<&str, Option<&str>> = HashMap::new();
    for input in inputs {
        texts
            .entry(input.label.as_str())
            .or_insert_with(|| input.text());
    }
    let overriding = |p: &Plan| overriding_labels.contains(p.origin.as_str());
    let text_of = |p: &Plan| {
        texts
            .get(p.origin.as_str())
            .copied()
            .flatten()
            .unwrap_or("")
    };
    // Kept plans in arrival order (`None` once dropped), and each jurisdiction's slots in it.
    let mut kept: Vec<Option<Plan>> = Vec::with_capacity(plans.len());
    let mut slots_of: HashMap<String, Vec<usize>> = HashMap::new();
    for plan in plans {
        let period = plan.plan.period;
        let slots = slots_of.entry(plan.plan.jurisdiction.clone()).or_default();
        let mut plan = plan;
        if overriding(&plan) {
            for &s in slots.iter() {
                let p = kept[s].as_ref().expect("slots name kept plans");
                if p.plan.period == period && !overriding(p) {
                    plan = override_indicators(p, plan, warnings);
                }
            }
            drop_kept(&mut kept, slots, |p| {
                p.plan.period == period && !overriding(p)
            });
        }
        for &s in slots.iter() {
            let p = kept[s].as_ref().expect("slots name kept plans");
            check_plan_conflict(&plan, p, &text_of)?;
        }
        // Identical plans (the same file given twice, or a copy) are kept once.
        drop_kept(&mut kept, slots, |p| {
            p.plan.period == period && p.indicators == plan.indicators
        });
        slots.push(kept.len());
        kept.push(Some(plan));
    }
    Ok(kept.into_iter().flatten().collect())
}

/// Drops the kept plans of `slots` that `drop` selects, from `kept` and from `slots`.
fn drop_kept(kept: &mut [Option<Plan>], slots: &mut Vec<usize>, drop: impl Fn(&Plan) -> bool) {
    slots.retain(|&s| {
        let dropped = kept[s].as_ref().is_some_and(&drop);
        if dropped {
            kept[s] = None;
        }
        !dropped
    });
}

/// The error for the first indicator of `plan` whose target or baseline `other` (a kept plan
/// of the same jurisdiction) gives a different value for the same year, naming both files.
fn check_plan_conflict<'t>(
    plan: &Plan,
    other_plan: &Plan,
    text_of: &dyn Fn(&Plan) -> &'t str,
) -> Result<()> {
    let p = other_plan;
    let other_ids: HashMap<&str, usize> = p
        .indicators
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .rev()
        .collect();
    for (index, ind) in plan.indicators.iter().enumerate() {
        let Some(&other_index) = other_ids.get(ind.id.as_str()) else {
            continue;
        };
        let other = &p.indicators[other_index];
        let pairs = [
            ("target", Some(ind.target), Some(other.target)),
            ("baseline", ind.baseline, other.baseline),
        ];
        for (what, a, b) in pairs {
            let (Some(a), Some(b)) = (a, b) else { continue };
            if a.year == b.year && a.value != b.value {
                let line = |q: &Plan, i: usize| {
                    indicator_key_line(text_of(q), i, what)
                        .map(|l| format!(":{l}"))
                        .unwrap_or_default()
                };
                return Err(Error::input(
                    Location {
                        file: plan.origin.clone(),
                        line: indicator_key_line(text_of(plan), index, what),
                        column: Some(format!("indicator.{}.{what}", ind.id)),
                    },
                    {
                        let what_zh = match what {
                            "target" => "目标",
                            "baseline" => "基期",
                            _ => "里程碑",
                        };
                        text!(
"{0}的方案相互冲突：{1} 在 {2} 年的{what_zh}值在此处为 {3}，在 {5}{6} 中为 {4}；请只保留一个方案，或改正错误的值",
"conflicting plans for {}: the {what} of {} for {} is {} here and {} in {}{}; keep one plan, or correct the value that is wrong",
                        plan.plan.jurisdiction,
                        ind.id,
                        a.year,
                        a.value,
                        b.value,
                        p.origin,
                        line(p, other_index)
                    )
                    },
                ));
            }
        }
    }
    Ok(())
}

/// A user's plan (`--plans`) over a plan of the base dataset for the same jurisdiction and
/// period, indicator by indicator: the user's indicators replace the base's of the same id
/// (one note each), the base's other indicators are kept, in the base's order, followed by
/// the user's new ones.
fn override_indicators(base: &Plan, user: Plan, warnings: &mut Vec<crate::model::Text>) -> Plan {
    let mut indicators = Vec::with_capacity(base.indicators.len() + user.indicators.len());
    // Indicators by id (hash lookups keep a plan of thousands of indicators linear).
    let user_ids: HashMap<&str, usize> = user
        .indicators
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let base_ids: HashSet<&str> = base.indicators.iter().map(|b| b.id.as_str()).collect();
    for b in &base.indicators {
        match user_ids.get(b.id.as_str()).map(|&i| &user.indicators[i]) {
            Some(u) => {
                warnings.push(crate::model::Text::note(text!(
                    "{} 覆盖了 {5} 中 {2}（{3}–{4}）的 {1}",
                    "{} overrides {} of {} ({}–{}) in {}",
                    user.origin,
                    b.id,
                    user.plan.jurisdiction,
                    user.plan.period[0],
                    user.plan.period[1],
                    base.origin
                )));
                indicators.push(u.clone());
            }
            None => indicators.push(b.clone()),
        }
    }
    for u in &user.indicators {
        if !base_ids.contains(u.id.as_str()) {
            indicators.push(u.clone());
        }
    }
    Plan { indicators, ..user }
}

/// Parses a registry (`id,name_zh,name_en,level,parent`, optional `full_name_zh` and
/// `statistical_zone`).
pub fn parse_jurisdictions(input: &Input) -> Result<Vec<Jurisdiction>> {
    parse_registry(input, &mut Vec::new()).map(|(js, _)| js)
}

/// The registry rows and where each was read.
fn parse_registry(
    input: &Input,
    warnings: &mut Vec<crate::model::Text>,
) -> Result<(Vec<Jurisdiction>, Vec<[Location; 2]>)> {
    let table = csvread::Table::parse(input, HeaderKind::Jurisdictions)?;
    let c_id = table.require("id")?;
    let c_zh = table.require("name_zh")?;
    let c_en = table.optional("name_en");
    let c_level = table.require("level")?;
    let c_parent = table.require("parent")?;
    let c_full = table.optional("full_name_zh");
    let c_zone = table.optional("statistical_zone");
    table.require_rows()?;
    warnings.extend(table.warnings.iter().cloned());
    warnings.extend(table.unknown_column_warnings());
    let mut out = Vec::with_capacity(table.rows().len());
    let mut origins = Vec::with_capacity(table.rows().len());
    // Every bad row of the file is reported at once.
    let mut problems = Problems::default();
    for row in table.rows() {
        let parsed = (|| -> Result<Jurisdiction> {
            let id = row.text(c_id).to_string();
            if id.is_empty() {
                return Err(table.error(
                    row,
                    c_id,
                    text!(
                        "应为地区代码（如 150300），实际为空单元格",
                        "expected a jurisdiction id (e.g. 150300), found an empty cell"
                    ),
                ));
            }
            if let Some(c) = id.chars().find(|c| matches!(c, '/' | '\\')) {
                return Err(table.error(
                row,
                c_id,
                text!(
"地区代码中不应有路径分隔符，实际为 {:?}（见 {}）；地区代码会用作图表的文件名",
"expected a jurisdiction id without path separators, found {:?} in {}; ids become file names of charts",
                    c,
                    crate::output::safety::echo(&id)
                ),
            ));
            }
            let name_zh = row.text(c_zh).to_string();
            if name_zh.is_empty() {
                return Err(table.error(
                    row,
                    c_zh,
                    text!(
                        "应为 {id} 的中文名称，实际为空单元格",
                        "expected the Chinese name of {id}, found an empty cell"
                    ),
                ));
            }
            let level_s = row.text(c_level);
            let level = level_s.parse::<Level>().map_err(|_| {
            table.error(
                row,
                c_level,
                text!(
"应为 national、province、prefecture 或 county（全国、省、市、县），实际为 {}",
"expected national, province, prefecture or county (全国, 省, 市, 县), found {}", crate::output::safety::echo(level_s)),
            )
        })?;
            let parent = Some(row.text(c_parent).to_string()).filter(|p| !p.is_empty());
            let statistical_zone = match c_zone.map(|c| row.text(c)) {
                None => false,
                Some(z) => match z.to_lowercase().as_str() {
                    "" | "no" | "false" | "0" | "否" => false,
                    "yes" | "true" | "1" | "是" => true,
                    _ => {
                        return Err(table.error(
                            row,
                            c_zone.unwrap_or(c_id),
                            text!(
                                "应为 yes 或空单元格（是否为统计区），实际为 {}",
                                "expected yes or an empty cell (statistical zone or not), found {}",
                                crate::output::safety::echo(z)
                            ),
                        ))
                    }
                },
            };
            let mut full_name_zh = c_full.map(|c| row.text(c).to_string()).unwrap_or_default();
            if full_name_zh == name_zh {
                full_name_zh.clear();
            }
            Ok(Jurisdiction {
                id,
                name_zh,
                name_en: c_en.map(|c| row.text(c).to_string()).unwrap_or_default(),
                level,
                parent,
                full_name_zh,
                statistical_zone,
            })
        })();
        if let Some(j) = problems.check(parsed) {
            out.push(j);
            origins.push([table.location(row, c_id), table.location(row, c_parent)]);
        }
    }
    problems.into_result()?;
    Ok((out, origins))
}

/// Replaces a base registry row by a user's row of the same id, keeping the base's full
/// name and statistical-zone mark where the user's row (perhaps in the five-column layout)
/// leaves them empty. Returns the replaced row's description when the rows differ.
fn replace_registry_row(base: &mut Jurisdiction, mut user: Jurisdiction) -> Option<String> {
    if user.full_name_zh.is_empty() && user.name_zh != base.full_name() {
        user.full_name_zh = base.full_name_zh.clone();
    }
    user.statistical_zone |= base.statistical_zone;
    if user == *base {
        return None;
    }
    let was = format!(
        "{}{} {}, parent {}",
        base.name_zh,
        Some(&base.name_en)
            .filter(|e| !e.is_empty())
            .map(|e| format!(" {e}"))
            .unwrap_or_default(),
        base.level.as_str(),
        base.parent.as_deref().unwrap_or("none")
    );
    *base = user;
    Some(was)
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
                text!(
                    "地区代码 {:?} 重复（另见 {}{}）；每个代码只能出现一次",
                    "duplicate jurisdiction id {:?} (also at {}{}); each id must appear once",
                    j.id,
                    p.file,
                    p.line.map(|l| format!(":{l}")).unwrap_or_default()
                ),
            ));
        }
    }
    // A parent given by name (内蒙古, 内蒙古自治区, 长春/朝阳区) is looked up as names are
    // everywhere else ([`Dataset::lookup`]), in an index built only when one is needed.
    let mut named: Option<Dataset> = None;
    for i in 0..js.len() {
        let Some(p) = js[i].parent.clone() else {
            continue;
        };
        if ids.contains_key(&p) {
            continue;
        }
        let reg =
            named.get_or_insert_with(|| Dataset::from_parts(js.to_vec(), Vec::new(), Vec::new()));
        match reg.resolve(&p) {
            Some(parent) => js[i].parent = Some(parent.id.clone()),
            None => {
                return Err(Error::input(at(i, "parent"), {
                    let id = &js[i].id;
                    let m = unknown_jurisdiction_message(reg, &p);
                    crate::model::Text::new(
                        format!("{id} 的上级：{}", m.zh),
                        format!("parent of {id}: {}", m.en),
                    )
                }));
            }
        }
    }
    // Cycles, in one linear pass: each node is walked at most once (state 1 while on the
    // current path, 2 once its chain is known to end at a root).
    let mut state = vec![0u8; js.len()];
    for start in 0..js.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = Some(start);
        while let Some(k) = cur {
            match state[k] {
                2 => break,
                1 => {
                    let from = path.iter().position(|&p| p == k).unwrap_or(0);
                    let mut chain: Vec<&str> =
                        path[from..].iter().map(|&p| js[p].id.as_str()).collect();
                    chain.push(js[k].id.as_str());
                    return Err(Error::input(
                        at(k, "parent"),
                        text!(
"{} 的上级形成了循环（{}）；上级链应止于全国，全国的上级为空",
"the parents of {} form a cycle ({}); the chain must end at the nation, whose parent is empty",
                            js[k].id,
                            chain.join(" → ")
                        ),
                    ));
                }
                _ => {
                    state[k] = 1;
                    path.push(k);
                    cur = js[k].parent.as_deref().and_then(|p| ids.get(p).copied());
                }
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
    // A parent is of a higher level (national > province > prefecture > county), so every
    // chain of ancestors has at most four links.
    for (i, j) in js.iter().enumerate() {
        let Some(&k) = j.parent.as_deref().and_then(|p| ids.get(p)) else {
            continue;
        };
        let parent = &js[k];
        if level_rank(parent.level) >= level_rank(j.level) {
            return Err(Error::input(
                at(i, "parent"),
                text!(
"{} 的级别为 {}，而其上级 {} 的级别为 {}：上级的级别应更高（national > province > prefecture > county）",
"{} is a {} whose parent {} is a {}: expected a parent of a higher level (national > province > prefecture > county)",
                    j.id,
                    j.level.as_str(),
                    parent.id,
                    parent.level.as_str()
                ),
            ));
        }
    }
    Ok(())
}

fn level_rank(l: Level) -> u8 {
    match l {
        Level::National => 0,
        Level::Province => 1,
        Level::Prefecture => 2,
        Level::County => 3,
    }
}

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
    let mut plan: Plan = toml::from_str(text).map_err(|e| {
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

/// The required keys missing from a plan TOML that parses as TOML (`[plan]`: jurisdiction,
/// title_zh, period; each `[[indicator]]`: id, name_zh, unit, kind, target) and the keys
/// the schema does not know, all at once; `None` when there is none (the typed parse's own
/// error is then reported).
fn missing_plan_keys(label: &str, text: &str) -> Option<Error> {
    const PLAN_REQUIRED: [&str; 3] = ["jurisdiction", "title_zh", "period"];
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
    const IND_REQUIRED: [&str; 5] = ["id", "name_zh", "unit", "kind", "target"];
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
struct KeyLines {
    plan: HashMap<String, u64>,
    indicators: Vec<HashMap<String, u64>>,
    headers: Vec<u64>,
}

impl KeyLines {
    fn of(text: &str) -> KeyLines {
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
    fn plan_key(&self, key: &str) -> Option<u64> {
        self.plan.get(key).copied()
    }

    /// 1-based line of `key` in the `index`-th `[[indicator]]`; without that key, the line
    /// of the indicator's `[[indicator]]` header.
    fn indicator_key(&self, index: usize, key: &str) -> Option<u64> {
        self.indicators
            .get(index)
            .and_then(|keys| keys.get(key))
            .copied()
            .or_else(|| self.headers.get(index).copied())
    }
}

/// 1-based line of `key` in the `index`-th `[[indicator]]` of `text` (see
/// [`KeyLines::indicator_key`]); parses `text`, so for one message only.
fn indicator_key_line(text: &str, index: usize, key: &str) -> Option<u64> {
    KeyLines::of(text).indicator_key(index, key)
}

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
fn validate_plan(
    ds: &Dataset,
    plan: &mut Plan,
    places: PlanPlaces<'_>,
    warnings: &mut Vec<crate::model::Text>,
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
                let what_zh = match what {
                    "target" => "目标",
                    "baseline" => "基期",
                    _ => "里程碑",
                };
                text!(
                    "{what_zh}值应为有限数值，实际为 {v}",
                    "expected a finite {what} value, found {v}"
                )
            }));
        }
        if pct && !(0.0..=100.0).contains(&v) {
            return Err(Error::input(loc(what), {
                let v = crate::model::format::shortest(v);
                let what_zh = match what {
                    "target" => "目标",
                    "baseline" => "基期",
                    _ => "里程碑",
                };
                text!(
                    "{what_zh}值 {v} 不在 0–100 之间，而该指标是百分比（9% 写作 9.0）",
                    "{what} {v} is outside 0–100 for a percentage (write 9.0 for 9%)"
                )
            }));
        }
        if count && v < 0.0 {
            return Err(Error::input(loc(what), {
                let v = crate::model::format::shortest(v);
                let what_zh = match what {
                    "target" => "目标",
                    "baseline" => "基期",
                    _ => "里程碑",
                };
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
    warnings: &mut Vec<crate::model::Text>,
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
            warnings.push(crate::model::Text::warning(crate::model::Text::new(
                format!(
                    "{}：目标值 {} {}基期值 {}，而该指标应当{}；请核对数值或设置 direction",
                    at.render(crate::model::Lang::Zh),
                    ind.target.value,
                    if up { "低于" } else { "高于" },
                    base.value,
                    if up { "提高" } else { "降低" },
                ),
                format!(
                    "{at}: target {} is {} the baseline {} of an indicator meant to {}; check the numbers or set direction",
                    ind.target.value,
                    if up { "below" } else { "above" },
                    base.value,
                    if up { "increase" } else { "decrease" },
                ),
            )));
        }
    }
}

/// Parses observations (`jurisdiction,indicator,year,value,se,n,source`).
/// Without an `indicator` column every row is `literacy_rate`.
pub fn parse_observations(input: &Input) -> Result<Vec<Observation>> {
    let mut problems = Problems::default();
    let obs = parse_observation_rows(input, &mut Vec::new(), &mut problems)?;
    problems.into_result()?;
    Ok(obs)
}

/// The observations of one file. A problem of the file as a whole (a missing column) is
/// the error; a bad row goes to `problems` and is left out, so that every bad cell of the
/// file is reported at once.
fn parse_observation_rows(
    input: &Input,
    warnings: &mut Vec<crate::model::Text>,
    problems: &mut Problems,
) -> Result<Vec<Observation>> {
    let table = csvread::Table::parse(input, HeaderKind::Observations)?;
    warnings.extend(table.warnings.iter().cloned());
    if progress_template::is_wide(&table) {
        return progress_template::wide_observation_rows(&table, problems);
    }
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
    let c_src = table.optional("source");
    let c_cite = table.optional("cite");
    table.require_rows()?;
    warnings.extend(table.unknown_column_warnings());
    let mut out = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let parsed = (|| -> Result<Observation> {
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
            let indicator = match c_ind {
                Some(c) if !row.text(c).is_empty() => row.text(c).to_string(),
                _ => LITERACY_RATE.to_string(),
            };
            let year = table.year(row, c_year)?;
            let value = table.number(row, c_val)?.ok_or_else(|| {
                table.error(
                row,
                c_val,
                text!("应为数值，实际为空单元格；数值未知时请删除该行", "expected a number, found an empty cell; delete the row if the value is unknown"),
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
            let deff = match c_deff {
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
            let ci95 = match (c_lo, c_hi) {
                (Some(cl), Some(ch)) => match (table.number(row, cl)?, table.number(row, ch)?) {
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
                },
                _ => None,
            };
            let se_col = c_se
                .filter(|_| se.is_some())
                .or(c_lo.filter(|_| ci95.is_some()));
            Ok(Observation {
                jurisdiction,
                indicator,
                year,
                value,
                se,
                n,
                deff,
                ci95,
                source: c_src.map(|c| row.text(c).to_string()).unwrap_or_default(),
                cite: c_cite
                    .map(|c| row.text(c).trim().to_string())
                    .filter(|c| !c.is_empty()),
                origin: table.location(row, c_val),
                jurisdiction_column: table.location(row, c_j).column.unwrap_or_default(),
                se_column: se_col
                    .or(c_se)
                    .and_then(|c| table.location(row, c).column)
                    .unwrap_or_default(),
            })
        })();
        out.extend(problems.check(parsed));
    }
    all_fractions_warning(&out, table.label(), warnings);
    Ok(out)
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

/// A file whose literacy rates are all ≤ 1 was probably written as fractions.
fn all_fractions_warning(obs: &[Observation], label: &str, warnings: &mut Vec<crate::model::Text>) {
    let rates: Vec<f64> = obs
        .iter()
        .filter(|o| o.indicator == LITERACY_RATE)
        .map(|o| o.value)
        .collect();
    if rates.len() >= 2 && rates.iter().all(|&v| v <= 1.0) && rates.iter().any(|&v| v > 0.0) {
        warnings.push(crate::model::Text::warning(text!(
            "{label}：literacy_rate 的所有值都 ≤ 1；该值以百分数表示（9.0 即 9%）：如果这些是小数比例，请乘以 100",
            "{label}: every literacy_rate value is ≤ 1; values are percentages (9.0 means 9%): if these are fractions, multiply them by 100"
        )));
    }
}

/// A value ≤ 1 of a percent indicator is taken for a fraction when a value of the same
/// indicator near it in time ([`check_fractions`]) is at least this many times larger.
const FRACTION_RATIO: f64 = 30.0;

/// Checks observations; a row of an overriding file (`--observations`) replaces a base row
/// of the same jurisdiction, indicator and year, with a note.
fn validate_observations(
    ds: &Dataset,
    obs: Vec<Observation>,
    overriding: &[&str],
    warnings: &mut Vec<crate::model::Text>,
    problems: &mut Problems,
) -> Vec<Observation> {
    let mut out: Vec<Observation> = Vec::with_capacity(obs.len());
    let mut seen: HashMap<(String, String, i32), usize> = HashMap::new();
    let mut spec_cache: HashMap<String, Option<(bool, Kind)>> = HashMap::new();
    let mut unknown = 0usize;
    for mut o in obs {
        let checked = (|| -> Result<()> {
            let loc = o.origin.clone();
            match ds.resolve(&o.jurisdiction) {
                Some(j) => o.jurisdiction = j.id.clone(),
                None => {
                    unknown += 1;
                    let message = if unknown <= MAX_SUGGESTED {
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
                    o.indicator, crate::model::format::shortest(o.value)
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
                check_survey_se(&o, &loc)?;
            }
            let key = (o.jurisdiction.clone(), o.indicator.clone(), o.year);
            if let Some(&k) = seen.get(&key) {
                let prev = &out[k];
                let from_user = |x: &Observation| overriding.contains(&x.origin.file.as_str());
                if from_user(&o) && !from_user(prev) {
                    let (new, old) = (
                        crate::model::format::shortest(o.value),
                        crate::model::format::shortest(prev.value),
                    );
                    warnings.push(crate::model::Text::note(crate::model::Text::new(
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
                    )));
                    out[k] = o;
                    return Ok(());
                }
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
                                se_zh(&o),
                                prev.origin.render(crate::model::Lang::Zh),
                                se_zh(prev)
                            ),
                            format!(
                                "duplicate observation of {} for {} in {}: {} with {} here and {} at {}; keep one row",
                                o.indicator,
                                o.jurisdiction,
                                o.year,
                                crate::model::format::shortest(o.value),
                                se(&o),
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
                return Ok(());
            }
            seen.insert(key, out.len());
            out.push(o);
            Ok(())
        })();
        problems.check(checked);
    }
    problems.check(check_fractions(ds, &out));
    check_after_plans(ds, &out, problems);
    check_count_totals(ds, &out, problems);
    out
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

/// Refuses fractions mixed with percentages: 0.098 beside 9.8 in the same jurisdiction's
/// series of a percent indicator ([`FRACTION_RATIO`] times larger, within two years or, when
/// no other year is that close, at the distance of the nearest year measured on either side:
/// the nation's 0.2 of 1996 is compared with 1.4 of 2001 only, a ratio of 7).
/// Values of different jurisdictions are never compared (prefecture rates range from
/// under 1 % to over 40 %), and a value whose standard error is on the percent scale —
/// at least a tenth of the larger neighbour's, where a fraction's would be a hundredth —
/// is never taken for a fraction.
fn check_fractions(ds: &Dataset, obs: &[Observation]) -> Result<()> {
    // Largest value of each (jurisdiction, percent indicator) per year, with its index.
    type Series<'a> = HashMap<(&'a str, &'a str), BTreeMap<i32, usize>>;
    let mut max_by_year: Series = HashMap::new();
    let mut pct: HashMap<&str, bool> = HashMap::new();
    for (i, o) in obs.iter().enumerate() {
        let is_pct = *pct.entry(&o.indicator).or_insert_with(|| {
            ds.indicator_spec(&o.indicator)
                .is_some_and(|s| s.is_percent())
        });
        if !is_pct {
            continue;
        }
        let m = max_by_year
            .entry((o.jurisdiction.as_str(), o.indicator.as_str()))
            .or_default();
        let e = m.entry(o.year).or_insert(i);
        if obs[*e].value < o.value {
            *e = i;
        }
    }
    for o in obs {
        if o.value <= 0.0 || o.value > 1.0 {
            continue;
        }
        let Some(m) = max_by_year.get(&(o.jurisdiction.as_str(), o.indicator.as_str())) else {
            continue;
        };
        // Within two years, or out to the nearest other year measured (on both sides at that
        // distance) when none is that close: 0.098 in 2010 is seen beside 9.0 in 2020.
        let before = m.range(..o.year).next_back().map(|(y, _)| o.year - y);
        let after = m.range(o.year + 1..).next().map(|(y, _)| y - o.year);
        let reach = before
            .into_iter()
            .chain(after)
            .min()
            .map_or(2, |d| d.max(2));
        let big = m
            .range(o.year - reach..=o.year + reach)
            .map(|(_, &k)| &obs[k])
            .filter(|w| w.value >= FRACTION_RATIO * o.value)
            .filter(|w| match (o.se, w.se) {
                (Some(a), Some(b)) => a * 10.0 < b,
                _ => true,
            })
            .max_by(|a, b| a.value.total_cmp(&b.value));
        if let Some(w) = big {
            let pct = format!("{}", (o.value * 1e12).round() / 1e10);
            return Err(Error::input(
                o.origin.clone(),
                crate::model::Text::new(
                    format!(
                        "{} 是百分比，但 {} 与 {}（{} {}，见 {}）相比像是小数比例：所有值都应以百分数表示——{pct}% 写作 {pct}",
                        o.indicator,
                        o.value,
                        w.value,
                        w.jurisdiction,
                        w.year,
                        w.origin.render(crate::model::Lang::Zh),
                    ),
                    format!(
                        "{} is a percentage, but {} looks like a fraction beside {} ({} {}, at {}): expected every value in percent — write {pct} for {pct}%",
                        o.indicator,
                        o.value,
                        w.value,
                        w.jurisdiction,
                        w.year,
                        w.origin,
                    ),
                ),
            ));
        }
    }
    Ok(())
}

/// Suggestions computed for unknown names per file: a file of 200,000 bad rows shows
/// [`Problems::MAX`] of them, and only those are worth a search of the registry.
const MAX_SUGGESTED: usize = Problems::MAX;

/// How a user adds a place the registry lacks (the end of every unknown-name message).
const ADD_A_PLACE: &str = "a place the registry lacks is added with --jurisdictions F (a CSV of id,name_zh,name_en,level,parent rows)";

/// [`ADD_A_PLACE`] in Chinese.
const ADD_A_PLACE_ZH: &str =
    "地区名录中没有的地区可用 --jurisdictions F 添加（CSV，每行为 id,name_zh,name_en,level,parent）";

/// The message for a code or name that designates no single jurisdiction:
/// - ambiguous: "ambiguous jurisdiction name …" listing every candidate with its level,
///   parent and code, and how to write one (`长春/朝阳区` or the code);
/// - unknown: "unknown jurisdiction …" with up to three registered names that resemble it
///   ([`Dataset::suggestions`]: containment, then shared characters, then edit distance),
///   and how to add a place (`--jurisdictions F`).
pub fn unknown_jurisdiction_message(ds: &Dataset, key: &str) -> crate::model::Text {
    use crate::model::Text;
    let shown = crate::output::safety::echo(key.trim());
    let parent_name = |j: &Jurisdiction| {
        j.parent
            .as_deref()
            .and_then(|p| ds.jurisdiction(p))
            .map(|p| p.name_zh.clone())
    };
    let level_zh = |l: Level| match l {
        Level::National => "全国",
        Level::Province => "省级",
        Level::Prefecture => "地市级",
        Level::County => "县级",
    };
    let described = |j: &Jurisdiction| {
        let inside = parent_name(j)
            .map(|p| format!(" in {p}"))
            .unwrap_or_default();
        let inside_zh = parent_name(j)
            .map(|p| format!("，属{p}"))
            .unwrap_or_default();
        Text::new(
            format!("{} {}（{}{inside_zh}）", j.id, j.name_zh, level_zh(j.level)),
            format!("{} {} ({}{inside})", j.id, j.name_zh, j.level.as_str()),
        )
    };
    let list = |texts: Vec<Text>| {
        Text::new(
            texts
                .iter()
                .map(|t| t.zh.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            texts
                .iter()
                .map(|t| t.en.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    match ds.lookup(key) {
        Lookup::Found(j) => {
            let d = described(j);
            Text::new(
                format!("{shown} 是 {}", d.zh),
                format!("{shown} is {}", d.en),
            )
        }
        Lookup::Ambiguous(named) => {
            let example = named
                .iter()
                .find_map(|j| parent_name(j).map(|p| format!("{p}/{}", j.name_zh)));
            let (ex_zh, ex) = match example {
                Some(e) => (format!("（如 {e}）"), format!(" (e.g. {e})")),
                None => (String::new(), String::new()),
            };
            let n = named.len();
            let all = list(named.iter().map(|j| described(j)).collect());
            Text::new(
                format!(
                    "地区名称 {shown} 有歧义：有 {n} 个地区同名——{}；请改写代码或“上级/名称”{ex_zh}",
                    all.zh
                ),
                format!(
                    "ambiguous jurisdiction name {shown}: {n} jurisdictions bear it — {}; write the code or parent/name{ex} instead",
                    all.en
                ),
            )
        }
        Lookup::Unknown => {
            if let Some(j) = utf8_read_as_gbk(key.trim()).and_then(|t| ds.resolve(&t)) {
                let (id, name) = (&j.id, &j.name_zh);
                return text!(
                    "未知地区 {shown}：这是 {id} {name} 的 UTF-8 字节被当作 GBK 读出的结果——文件混用了编码（或对 UTF-8 文件给了 --encoding gbk）；整个文件应使用同一种编码——请把整个文件另存为“CSV UTF-8”",
                    "unknown jurisdiction {shown}: these are the bytes of {id} {name} in UTF-8 read as GBK — the file mixes encodings (or --encoding gbk was given for a UTF-8 file); expected one encoding throughout — save the whole file as CSV UTF-8"
                );
            }
            if let Some((parent, name)) = key.trim().rsplit_once('/') {
                if ds.resolve(parent).is_none() {
                    let inner = unknown_jurisdiction_message(ds, parent);
                    return Text::new(
                        format!("未知地区 {shown}：其上级部分不是唯一的地区：{}", inner.zh),
                        format!(
                            "unknown jurisdiction {shown}: its parent part is not one place: {}",
                            inner.en
                        ),
                    );
                }
                let name = crate::output::safety::echo(name.trim());
                let parent = crate::output::safety::echo(parent.trim());
                return Text::new(
                    format!("未知地区 {shown}：{parent} 下没有名为 {name} 的地区；{ADD_A_PLACE_ZH}"),
                    format!(
                        "unknown jurisdiction {shown}: no jurisdiction named {name} under {parent}; {ADD_A_PLACE}"
                    ),
                );
            }
            let closest = ds.suggestions(key, 3);
            if closest.is_empty() {
                return Text::new(
                    format!(
                        "未知地区 {shown}：应为地区名录中的代码或名称；没有相近的已登记名称；{ADD_A_PLACE_ZH}"
                    ),
                    format!(
                        "unknown jurisdiction {shown}: expected a code or name from the registry; no registered name resembles it; {ADD_A_PLACE}"
                    ),
                );
            }
            let near = list(
                closest
                    .iter()
                    .map(|j| match parent_name(j) {
                        Some(p) if j.level != Level::Province => Text::new(
                            format!("{} {}（属{p}）", j.id, j.name_zh),
                            format!("{} {} (in {p})", j.id, j.name_zh),
                        ),
                        _ => {
                            let t = format!("{} {}", j.id, j.name_zh);
                            Text::new(t.clone(), t)
                        }
                    })
                    .collect(),
            );
            Text::new(
                format!(
                    "未知地区 {shown}：应为地区名录中的代码或名称；最接近的：{}；{ADD_A_PLACE_ZH}",
                    near.zh
                ),
                format!(
                    "unknown jurisdiction {shown}: expected a code or name from the registry; closest: {}; {ADD_A_PLACE}",
                    near.en
                ),
            )
        }
    }
}

/// The text whose UTF-8 bytes, decoded as GBK/GB18030, gave `key` (涔屾捣 → 乌海), when there
/// is one and it differs: a UTF-8 line inside a file read as GBK.
fn utf8_read_as_gbk(key: &str) -> Option<String> {
    if key.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(key);
    let text = std::str::from_utf8(&bytes).ok().filter(|_| !unmappable)?;
    (text != key).then(|| text.to_string())
}

/// [`unknown_jurisdiction_message`] without the search for similar names: for the bad rows
/// of a file beyond the first [`MAX_SUGGESTED`], which are counted, not shown.
fn unknown_jurisdiction_brief(key: &str) -> crate::model::Text {
    let shown = crate::output::safety::echo(key.trim());
    text!(
        "未知地区 {shown}：应为地区名录中的代码或名称；{ADD_A_PLACE_ZH}",
        "unknown jurisdiction {shown}: expected a code or name from the registry; {ADD_A_PLACE}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::YearValue;

    fn plan(jid: &str, period: [i32; 2], origin: &str, targets: &[(&str, i32, f64)]) -> Plan {
        let mut p = Plan::new(jid, "规划", period);
        p.origin = origin.to_string();
        for &(id, year, value) in targets {
            let mut ind = PlanIndicator::literacy_rate(None, YearValue { year, value });
            ind.id = id.to_string();
            p = p.with_indicator(ind);
        }
        p
    }

    fn origins(plans: &[Plan]) -> Vec<&str> {
        plans.iter().map(|p| p.origin.as_str()).collect()
    }

    #[test]
    fn merged_plans_keep_arrival_order_copies_once_and_user_overrides() {
        let mut user = Input::new("u.toml", "");
        user.overrides = true;
        let inputs = [
            Input::new("a.toml", ""),
            Input::new("b.toml", ""),
            Input::new("c.toml", ""),
            Input::new("a2.toml", ""),
            user,
        ];
        let plans = vec![
            plan("X", [2021, 2025], "a.toml", &[("rate", 2025, 15.0)]),
            plan(
                "Y",
                [2021, 2025],
                "b.toml",
                &[("rate", 2025, 12.0), ("other", 2025, 3.0)],
            ),
            plan("X", [2026, 2030], "c.toml", &[("rate", 2030, 20.0)]),
            // A copy of a.toml: kept once, in the copy's place.
            plan("X", [2021, 2025], "a2.toml", &[("rate", 2025, 15.0)]),
            // Replaces b.toml's `rate`, keeps its `other`, moves to the end.
            plan("Y", [2021, 2025], "u.toml", &[("rate", 2025, 13.0)]),
        ];
        let mut warnings = Vec::new();
        let kept = merge_plans(plans, &inputs, &mut warnings).unwrap();
        assert_eq!(origins(&kept), ["c.toml", "a2.toml", "u.toml"]);
        let merged: Vec<(&str, f64)> = kept[2]
            .indicators
            .iter()
            .map(|i| (i.id.as_str(), i.target.value))
            .collect();
        assert_eq!(merged, [("rate", 13.0), ("other", 3.0)]);
        assert_eq!(
            warnings.iter().map(|w| w.en.as_str()).collect::<Vec<_>>(),
            ["note: u.toml overrides rate of Y (2021–2025) in b.toml"]
        );
    }

    #[test]
    fn conflicting_plans_name_both_files() {
        let inputs = [Input::new("a.toml", ""), Input::new("b.toml", "")];
        let plans = vec![
            plan("X", [2021, 2025], "a.toml", &[("rate", 2025, 15.0)]),
            plan("Y", [2021, 2025], "b.toml", &[("rate", 2025, 16.0)]),
            plan("X", [2021, 2025], "b.toml", &[("rate", 2025, 16.0)]),
        ];
        let err = merge_plans(plans, &inputs, &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "conflicting plans for X: the target of rate for 2025 is 16 here and 15 in a.toml"
            ),
            "{err}"
        );
    }
}
