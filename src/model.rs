//! The data model shared by every command: jurisdictions, indicators, plans, observations
//! and the validated [`Dataset`] that holds them.
//!
//! Units: values of percent indicators (unit `pct`, e.g. `literacy_rate`) are percentages
//! (9.0 means 9 %) everywhere in this module; the numeric core converts to proportions itself.

pub mod format;

pub use crate::error::text::{Lang, Text};

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Location, UnknownName};

/// Implements [`serde::Serialize`] for enums with an `as_str` machine name: the name
/// written in CSV and JSON, so that the output and `as_str` cannot disagree.
macro_rules! serialize_as_str {
    ($($t:ty),* $(,)?) => {
        $(impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        })*
    };
}
pub(crate) use serialize_as_str;

/// Id of the built-in headline indicator.
pub const LITERACY_RATE: &str = "literacy_rate";
/// Id of the nation in the registry (as in common Chinese administrative datasets).
pub const NATION_ID: &str = "100000";

/// Administrative level of a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The nation (全国).
    National,
    /// Province-level division (省, 自治区, 直辖市).
    Province,
    /// Prefecture-level division (地级市, 盟, 州).
    Prefecture,
    /// County-level division (县, 区, 县级市).
    County,
}

impl std::str::FromStr for Level {
    type Err = UnknownName;

    /// Parses a level from its English or Chinese name (`province`, `省级`, `city`, `区县`, …),
    /// case-insensitively.
    fn from_str(s: &str) -> Result<Level, UnknownName> {
        match s.trim().to_ascii_lowercase().as_str() {
            "national" | "nation" | "全国" | "国家" => Ok(Level::National),
            "province" | "provincial" | "省" | "省级" => Ok(Level::Province),
            "prefecture" | "city" | "市" | "地级" | "地市" | "市级" => Ok(Level::Prefecture),
            "county" | "district" | "县" | "县级" | "区" | "区县" => Ok(Level::County),
            _ => Err(UnknownName::new(s, Level::NAMES)),
        }
    }
}

impl Level {
    /// The canonical names, top level first (other English and Chinese names parse too).
    pub const NAMES: &'static [&'static str] = &["national", "province", "prefecture", "county"];

    /// Canonical lowercase name, as in `jurisdictions.csv` and the output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
        }
    }
}

/// The observations [`Dataset::restrict_to`] dropped: `count` of them, from the years
/// `first`–`last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dropped {
    /// Observations dropped.
    pub count: usize,
    /// First year after the view's year.
    pub first: i32,
    /// The latest year of the data.
    pub last: i32,
}

/// A jurisdiction of the registry (`jurisdictions.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Jurisdiction {
    /// GB/T 2260 code where one exists, else any unique string.
    pub id: String,
    /// Chinese name (e.g. 乌海市).
    pub name_zh: String,
    /// May be empty.
    pub name_en: String,
    /// Administrative level.
    pub level: Level,
    /// Id of the parent; `None` only for the root (the nation).
    pub parent: Option<String>,
    /// Full official Chinese name (包头市, 内蒙古自治区, 海淀区) when it differs from the
    /// display name `name_zh` (包头, 内蒙古); empty means the same. Found by lookup
    /// ([`Dataset::resolve`]) like the display name.
    #[serde(default)]
    pub full_name_zh: String,
    /// A statistical zone (`statistical_zone = yes`: a development zone or scenic area with a
    /// statistical code but no administrative status, e.g. 五台山风景名胜区 140971): found only
    /// by its code or its exact full name, never by a short name or a suggestion's guess.
    #[serde(default)]
    pub statistical_zone: bool,
}

impl Jurisdiction {
    /// A registry row: GB/T 2260 code, Chinese name, level and parent code (`None` for the
    /// nation). The English and full names are empty; not a statistical zone.
    pub fn new(id: &str, name_zh: &str, level: Level, parent: Option<&str>) -> Self {
        Jurisdiction {
            id: id.to_string(),
            name_zh: name_zh.to_string(),
            name_en: String::new(),
            level,
            parent: parent.map(str::to_string),
            full_name_zh: String::new(),
            statistical_zone: false,
        }
    }

    /// The full official Chinese name: `full_name_zh`, or the display name when that is empty.
    pub fn full_name(&self) -> &str {
        if self.full_name_zh.is_empty() {
            &self.name_zh
        } else {
            &self.full_name_zh
        }
    }

    /// Display name in the requested language (falls back to Chinese).
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_zh,
        }
    }
}

/// Kind of a plan indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A value to reach by the target year (a rate, a stock).
    Level,
    /// A total to accumulate over the plan period.
    Cumulative,
    /// An amount due every year of the period.
    Annual,
}

impl Kind {
    /// Lowercase name as written in plan TOML (`level`, `cumulative`, `annual`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Level => "level",
            Kind::Cumulative => "cumulative",
            Kind::Annual => "annual",
        }
    }
}

/// Desired direction of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better (the default).
    #[default]
    Increase,
    /// Lower is better.
    Decrease,
    /// The value should be held at (at least) the target.
    Maintain,
}

impl Direction {
    /// +1 for increase (and maintain), −1 for decrease: progress is `sign · (value − baseline)`.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Decrease => -1.0,
            _ => 1.0,
        }
    }
}

/// How the plan words its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// 达到 / 不少于 / 不低于 / 以上: the target is met at equality (y ≥ y*).
    #[serde(alias = "达到", alias = "以上", alias = "不低于", alias = "不少于")]
    AtLeast,
    /// 超过: strictly beyond the target (y > y*).
    #[serde(alias = "超过", alias = "高于")]
    Above,
    /// 力争 (strive for): met at equality, as "at least" — the plan's stretch wording does
    /// not lower the bar.
    #[serde(alias = "力争")]
    Strive,
    /// 左右 (about): met at equality, as "at least". Chosen: a target "about 12 %" is the
    /// value the plan expects; a measured 11.9 is not achieved, and `p_reach` shows how close
    /// it came (a tolerance band would be a second, arbitrary threshold).
    #[serde(alias = "左右")]
    About,
}

impl Qualifier {
    /// Whether `value` meets `target` for an indicator whose progress has sign `sign`
    /// (+1 increase, −1 decrease): 超过 "above" compares strictly, sign·(value − target) > 0;
    /// every other wording (达到/以上/不少于, 力争, 左右, or none) with ≥ 0 (DESIGN, assess).
    pub fn meets(q: Option<Qualifier>, value: f64, target: f64, sign: f64) -> bool {
        let d = sign * (value - target);
        match q {
            Some(Qualifier::Above) => d > 0.0,
            _ => d >= 0.0,
        }
    }

    /// The word of the plan document (超过, 达到, 力争, 左右).
    pub fn word_zh(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "达到",
            Qualifier::Above => "超过",
            Qualifier::Strive => "力争",
            Qualifier::About => "左右",
        }
    }

    /// English gloss of the wording.
    pub fn word_en(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "at least",
            Qualifier::Above => "above",
            Qualifier::Strive => "strive for",
            Qualifier::About => "about",
        }
    }

    /// The target with its wording, e.g. 「超过15%」, 「12%左右」, "above 15%".
    pub fn phrase(q: Option<Qualifier>, value: &str, lang: Lang) -> String {
        match (q, lang) {
            (None, _) => value.to_string(),
            (Some(Qualifier::About), Lang::Zh) => format!("{value}左右"),
            (Some(q), Lang::Zh) => format!("{}{value}", q.word_zh()),
            (Some(q), Lang::En) => format!("{} {value}", q.word_en()),
        }
    }
}

/// One dated target of a plan indicator (a milestone): the value to reach by `year`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Year the target is due.
    pub year: i32,
    /// Target value, in the indicator's unit (percent for `pct`).
    pub value: f64,
    /// Wording of this milestone; without one, the indicator's `qualifier` applies.
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
}

/// A value in a year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearValue {
    /// Year.
    pub year: i32,
    /// Value, in the indicator's unit (percent for `pct`).
    pub value: f64,
}

/// Definition of an indicator: what it measures and how it is counted.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSpec {
    /// Indicator id (snake_case ASCII, e.g. `literacy_rate`).
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name (may be empty).
    pub name_en: String,
    /// `pct` for percentages; other units are counts, amounts, areas…
    pub unit: String,
    /// How the indicator is counted (level, cumulative, annual).
    pub kind: Kind,
    /// Desired direction of change.
    pub direction: Direction,
}

impl IndicatorSpec {
    /// The built-in headline indicator: share of citizens with scientific literacy, in percent.
    pub fn literacy_rate() -> Self {
        IndicatorSpec {
            id: LITERACY_RATE.to_string(),
            name_zh: "公民具备科学素质的比例".to_string(),
            name_en: "Share of citizens with scientific literacy".to_string(),
            unit: "pct".to_string(),
            kind: Kind::Level,
            direction: Direction::Increase,
        }
    }

    /// Whether the indicator is a percentage (unit `pct`).
    pub fn is_percent(&self) -> bool {
        self.unit == "pct"
    }
}

/// One quantitative target of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanIndicator {
    /// Indicator id, snake_case ASCII, unique inside the plan.
    pub id: String,
    /// Chinese name as the plan words it.
    pub name_zh: String,
    /// English name (may be empty).
    #[serde(default)]
    pub name_en: String,
    /// Unit code: `pct`, `persons`, `person_times`, `count`, `yuan_per_person`, `hours`, `days` or `other`.
    pub unit: String,
    /// Display unit in Chinese (%, 人, 人次, 个 …).
    #[serde(default)]
    pub unit_zh: Option<String>,
    /// How the indicator is counted (level, cumulative, annual).
    pub kind: Kind,
    /// Desired direction of change (default increase).
    #[serde(default)]
    pub direction: Direction,
    /// Baseline the plan states (year and value), if it states one.
    #[serde(default)]
    pub baseline: Option<YearValue>,
    /// The plan's own target (usually due in the last year of the period).
    pub target: YearValue,
    /// Further dated targets of the same indicator (e.g. the national outline's 25 % by
    /// 2035 beside its 15 % by 2025); see `seeds/SCHEMA.md`.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Wording of the target (超过, 达到, 力争, 左右), which sets the comparison once measured.
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    /// Lead department(s) the plan names for this target (e.g. 市科协).
    #[serde(default)]
    pub lead_zh: Option<String>,
    /// Short English note on the target, in the editors' own words.
    #[serde(default)]
    pub note: Option<String>,
    /// Overrides the plan's period for this indicator.
    #[serde(default, deserialize_with = "some_two_years")]
    pub period: Option<[i32; 2]>,
}

/// A period `[first, last]` read from a plan: exactly two years (`[2021, 2023, 2025]` is an
/// error, not read as [2021, 2023]).
fn two_years<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[i32; 2], D::Error> {
    let years = Vec::<i32>::deserialize(d)?;
    <[i32; 2]>::try_from(years.as_slice()).map_err(|_| {
        serde::de::Error::custom(format!(
            "expected period = [first, last], two years, found {} years",
            years.len()
        ))
    })
}

/// [`two_years`] for an indicator's optional period.
fn some_two_years<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<[i32; 2]>, D::Error> {
    two_years(d).map(Some)
}

impl PlanIndicator {
    /// The headline target: the share of citizens with scientific literacy (percent) at
    /// `target`, from `baseline` when the plan states one.
    pub fn literacy_rate(baseline: Option<YearValue>, target: YearValue) -> Self {
        let spec = IndicatorSpec::literacy_rate();
        PlanIndicator {
            id: spec.id,
            name_zh: spec.name_zh,
            name_en: spec.name_en,
            unit: spec.unit,
            unit_zh: None,
            kind: spec.kind,
            direction: spec.direction,
            baseline,
            target,
            milestones: Vec::new(),
            qualifier: None,
            lead_zh: None,
            note: None,
            period: None,
        }
    }

    /// Every dated target of the indicator, sorted by year: `target` (with the indicator's
    /// qualifier) and each of `milestones` (its own qualifier, else the indicator's). A
    /// milestone in the year of `target` is dropped in favour of `target`.
    pub fn targets(&self) -> Vec<Milestone> {
        let mut out = vec![Milestone {
            year: self.target.year,
            value: self.target.value,
            qualifier: self.qualifier,
        }];
        for m in &self.milestones {
            if !out.iter().any(|t| t.year == m.year) {
                out.push(Milestone {
                    qualifier: m.qualifier.or(self.qualifier),
                    ..*m
                });
            }
        }
        out.sort_by_key(|m| m.year);
        out
    }

    /// The next milestone not yet measured: the first whose year is after `as_of`, else the
    /// last one (a plan whose every milestone has passed is judged on its last).
    pub fn next_target(&self, as_of: i32) -> Milestone {
        let all = self.targets();
        let last = all[all.len() - 1];
        all.into_iter().find(|m| m.year > as_of).unwrap_or(last)
    }

    /// The indicator's definition (id, names, unit, kind, direction) without its targets.
    pub fn spec(&self) -> IndicatorSpec {
        IndicatorSpec {
            id: self.id.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            unit: self.unit.clone(),
            kind: self.kind,
            direction: self.direction,
        }
    }
}

/// Document metadata of a plan (the `[plan]` table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    /// Code of the jurisdiction the plan is for (must exist in the registry).
    pub jurisdiction: String,
    /// Chinese title of the document.
    pub title_zh: String,
    /// English title, if known.
    #[serde(default)]
    pub title_en: Option<String>,
    /// Issuing authority in Chinese (e.g. 乌海市人民政府).
    #[serde(default)]
    pub issuer_zh: Option<String>,
    /// Document number (文号, e.g. 乌海政发〔2022〕2号), only when the document states one.
    #[serde(default)]
    pub document_no: Option<String>,
    /// Date of issue, ISO `YYYY-MM-DD` when known.
    #[serde(default)]
    pub issued: Option<String>,
    /// First and last year of the plan period, inclusive (e.g. [2021, 2025]).
    #[serde(deserialize_with = "two_years")]
    pub period: [i32; 2],
    /// Where the figures were read: a seed document name or a URL.
    #[serde(default)]
    pub source: Option<String>,
}

/// A plan document: metadata and its quantitative targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Document metadata (the `[plan]` table).
    pub plan: PlanMeta,
    /// Quantitative targets (the `[[indicator]]` tables).
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<PlanIndicator>,
    /// File the plan was read from (not part of the TOML).
    #[serde(skip)]
    pub origin: String,
}

impl Plan {
    /// A plan of `jurisdiction` (its code) titled `title_zh` for `period` (first and last
    /// year), without targets yet; `origin` names it in messages.
    pub fn new(jurisdiction: &str, title_zh: &str, period: [i32; 2]) -> Self {
        Plan {
            plan: PlanMeta {
                jurisdiction: jurisdiction.to_string(),
                title_zh: title_zh.to_string(),
                title_en: None,
                issuer_zh: None,
                document_no: None,
                issued: None,
                period,
                source: None,
            },
            indicators: Vec::new(),
            origin: format!("plan of {jurisdiction}"),
        }
    }

    /// The plan with one more target.
    pub fn with_indicator(mut self, indicator: PlanIndicator) -> Self {
        self.indicators.push(indicator);
        self
    }

    /// Period of one indicator: its own, else the plan's.
    pub fn period_of(&self, ind: &PlanIndicator) -> [i32; 2] {
        ind.period.unwrap_or(self.plan.period)
    }

    /// The target of indicator `id`, if the plan has one.
    pub fn indicator(&self, id: &str) -> Option<&PlanIndicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The plan's id: its file name without extension (`embedded:` dropped), else its
    /// jurisdiction.
    pub fn id(&self) -> String {
        let origin = self.origin.trim_start_matches("embedded:");
        std::path::Path::new(origin)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.plan.jurisdiction.clone())
    }
}

/// One observed value of an indicator for a jurisdiction and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// Indicator id.
    pub indicator: String,
    /// Survey year the value refers to.
    pub year: i32,
    /// Percent for `pct` indicators; the amount in the year for annual/cumulative kinds.
    pub value: f64,
    /// Standard error, same unit as `value`.
    pub se: Option<f64>,
    /// Sample size (or effective sample size).
    pub n: Option<f64>,
    /// Design effect of the survey behind the value (optional `deff` column): the variance
    /// relative to a simple random sample of the same size; with `n` it gives the standard error.
    pub deff: Option<f64>,
    /// A 95 % confidence interval (lower, upper) in the value's unit (optional `lo`, `hi`
    /// columns), used for the standard error when `se` is not given.
    pub ci95: Option<[f64; 2]>,
    /// Page the figure was read from (a URL, for the traceability table).
    pub source: String,
    /// Citation of the original publisher and release (optional `cite` column, e.g.
    /// 「中国科协 第十三次中国公民科学素质抽样调查 2023-11」): how reports credit the figure.
    pub cite: Option<String>,
    /// Where the row was read (the value's cell).
    pub origin: Location,
    /// Label of the jurisdiction column in the source, e.g. `1 (jurisdiction)`.
    pub jurisdiction_column: String,
    /// Label of the standard-error column in the source, e.g. `5 (se)` (empty without one).
    pub se_column: String,
}

impl Observation {
    /// A published value of `indicator` (e.g. [`LITERACY_RATE`], in percent) for a
    /// jurisdiction (its code) and year, without standard error or sample size.
    pub fn new(jurisdiction: &str, indicator: &str, year: i32, value: f64) -> Self {
        Observation {
            jurisdiction: jurisdiction.to_string(),
            indicator: indicator.to_string(),
            year,
            value,
            se: None,
            n: None,
            deff: None,
            ci95: None,
            source: String::new(),
            cite: None,
            origin: Location::at(format!("observation of {jurisdiction} {year}"), 1),
            jurisdiction_column: "jurisdiction".to_string(),
            se_column: String::new(),
        }
    }

    /// The observation with a standard error (same unit as the value).
    pub fn with_se(mut self, se: f64) -> Self {
        self.se = Some(se);
        self.se_column = "se".to_string();
        self
    }

    /// The survey standard error of a percentage, in percentage points, and where it comes
    /// from: the stated `se`; else a stated 95 % interval, (hi − lo)/(2·1.959964) (exact for
    /// a symmetric interval; an asymmetric one, e.g. logit, gives its average half-width);
    /// else the sample size, 100·√(p(1 − p)·deff/n) with p = value/100 — the binomial
    /// variance times the design effect (`deff`, default [`DEFAULT_DEFF`]). `None` when none
    /// of these is given (the level default of the assessment then applies). An `se` of 0 (a
    /// design without variance, or "unknown" written as 0) counts as not given.
    pub fn survey_se(&self) -> Option<(f64, SeSource)> {
        if let Some(se) = self.se.filter(|s| *s > 0.0) {
            return Some((se, SeSource::Stated));
        }
        if let Some([lo, hi]) = self.ci95 {
            return Some(((hi - lo) / (2.0 * Z_975), SeSource::Interval));
        }
        let n = self.n.filter(|n| *n > 0.0)?;
        let deff = self.deff.unwrap_or(DEFAULT_DEFF);
        Some((
            binomial_se_pct(self.value, n, deff),
            SeSource::SampleSize { n, deff },
        ))
    }
}

/// The 97.5 % quantile of the standard Normal, z such that Φ(z) = 0.975.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// The design effect assumed when a sample size is given without one: 1, the simple random
/// sample. The national survey publishes no design effect; give `deff` for a clustered design
/// (typically 1.5–3), which widens every interval by √deff.
pub const DEFAULT_DEFF: f64 = 1.0;

/// Standard error in percentage points of a percentage `value_pct` estimated from `n`
/// respondents with design effect `deff`: 100·√(p(1 − p)·deff/n), p = value_pct/100.
///
/// ```
/// // 15.1 % from 1,000 respondents, simple random sample: 100·√(0.151·0.849/1000) = 1.13225
/// let se = litmon::model::binomial_se_pct(15.1, 1000.0, 1.0);
/// assert!((se - 1.132_249_97).abs() < 1e-6);
/// ```
pub fn binomial_se_pct(value_pct: f64, n: f64, deff: f64) -> f64 {
    let p = (value_pct / 100.0).clamp(0.0, 1.0);
    100.0 * (p * (1.0 - p) * deff / n).sqrt()
}

/// The number of respondents a standard error implies for a percentage under simple random
/// sampling, n = p(1 − p)/(se/100)² with p = value_pct/100 (infinite for se = 0).
pub fn implied_sample_size(value_pct: f64, se_pct: f64) -> f64 {
    let p = value_pct / 100.0;
    let s = se_pct / 100.0;
    p * (1.0 - p) / (s * s)
}

/// Where the standard error of a measured value comes from (stated in the `assess` reason).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeSource {
    /// The `se` column.
    Stated,
    /// The 95 % interval of the `lo`, `hi` columns.
    Interval,
    /// The sample size and design effect: binomial × deff.
    SampleSize {
        /// Respondents.
        n: f64,
        /// Design effect used (stated, or [`DEFAULT_DEFF`]).
        deff: f64,
    },
    /// Nothing given: the typical sample of one unit of the place's level in the national
    /// survey (binomial × [`DEFAULT_DEFF`]).
    LevelDefault {
        /// The place's level.
        level: Level,
        /// The typical sample size used.
        n: f64,
    },
}

/// What an input file gives the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputRole {
    /// Registry rows (`jurisdictions.csv` or `.xlsx`, `--jurisdictions`).
    Jurisdictions,
    /// Observations (`observations.csv` or `.xlsx`, `--observations`).
    Observations,
    /// A plan document (`plans/*.toml`, `seeds/*.toml`, `--plans`).
    Plan,
}

/// One input the loader read, identified for traceability by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Where it was read: a file path, or `embedded:…` for the built-in default.
    pub label: String,
    /// What it gives the dataset.
    pub role: InputRole,
    /// SHA-256 of the bytes read (before decoding), in lowercase hex.
    pub sha256: String,
    /// Length of the bytes read.
    pub bytes: usize,
}

/// A validated dataset: registry, plans and observations.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    jurisdictions: Vec<Jurisdiction>,
    index: HashMap<String, usize>,
    names: NameIndex,
    /// Every plan document of the dataset.
    pub plans: Vec<Plan>,
    /// Every observation of the dataset (all jurisdictions and indicators).
    pub observations: Vec<Observation>,
    /// Warnings and notes found while loading (`warning: file:line: …`, `note: …`): the
    /// input is usable, but the user should look. Printed to stderr by the command line.
    pub warnings: Vec<crate::model::Text>,
    /// The inputs the dataset was read from, in the order read (empty for a dataset built
    /// from Rust values).
    pub inputs: Vec<InputFile>,
}

/// The registry's names, each with the positions of the rows that bear it (registry order):
/// built once with the dataset, so that a lookup costs a hash probe, not a scan.
#[derive(Debug, Clone, Default)]
struct NameIndex {
    /// Display names and full official names (a statistical zone: its full name only).
    exact: HashMap<String, Vec<usize>>,
    /// English names, ASCII lower-cased (not statistical zones).
    english: HashMap<String, Vec<usize>>,
    /// Display and full names without their administrative suffix ([`name_core`]; not
    /// statistical zones).
    core: HashMap<String, Vec<usize>>,
}

impl NameIndex {
    fn of(js: &[Jurisdiction]) -> NameIndex {
        let mut ix = NameIndex::default();
        fn add(map: &mut HashMap<String, Vec<usize>>, key: &str, i: usize) {
            if key.is_empty() {
                return;
            }
            let v = map.entry(key.to_string()).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
        for (i, j) in js.iter().enumerate() {
            add(&mut ix.exact, j.full_name(), i);
            if j.statistical_zone {
                continue;
            }
            add(&mut ix.exact, &j.name_zh, i);
            add(&mut ix.english, &j.name_en.to_ascii_lowercase(), i);
            add(&mut ix.core, name_core(&j.name_zh), i);
            add(&mut ix.core, name_core(j.full_name()), i);
        }
        ix
    }
}

/// What a code or name designates in the registry ([`Dataset::lookup`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'a> {
    /// Exactly one jurisdiction.
    Found(&'a Jurisdiction),
    /// Several jurisdictions bear the name (朝阳区 in 北京 and in 长春), in registry order.
    Ambiguous(Vec<&'a Jurisdiction>),
    /// No jurisdiction.
    Unknown,
}

impl Dataset {
    /// Builds a dataset from parts that have already been validated by the data loaders.
    pub(crate) fn from_parts(
        jurisdictions: Vec<Jurisdiction>,
        plans: Vec<Plan>,
        observations: Vec<Observation>,
    ) -> Self {
        let index = jurisdictions
            .iter()
            .enumerate()
            .map(|(i, j)| (j.id.clone(), i))
            .collect();
        let names = NameIndex::of(&jurisdictions);
        Dataset {
            jurisdictions,
            index,
            names,
            plans,
            observations,
            warnings: Vec::new(),
            inputs: Vec::new(),
        }
    }

    /// The registry's jurisdictions, in registry order.
    pub fn jurisdictions(&self) -> &[Jurisdiction] {
        &self.jurisdictions
    }

    /// The jurisdiction with this id, if any.
    pub fn jurisdiction(&self, id: &str) -> Option<&Jurisdiction> {
        self.index.get(id).map(|&i| &self.jurisdictions[i])
    }

    /// Position of `id` in registry order (`None` for an id not in the registry).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Finds the one jurisdiction a code or name designates ([`Dataset::lookup`]); `None`
    /// for an unknown or ambiguous name (`data::unknown_jurisdiction_message` says which).
    pub fn resolve(&self, key: &str) -> Option<&Jurisdiction> {
        match self.lookup(key) {
            Lookup::Found(j) => Some(j),
            _ => None,
        }
    }

    /// What `key` designates: an id (150200), else the jurisdictions [`Dataset::named`]
    /// `key` — one is found, several are ambiguous (朝阳区 is both 110105 and 220104: write
    /// `长春/朝阳区` or the code).
    pub fn lookup(&self, key: &str) -> Lookup<'_> {
        let key = key.trim();
        if let Some(j) = self.jurisdiction(key) {
            return Lookup::Found(j);
        }
        match self.named(key).as_slice() {
            [] => Lookup::Unknown,
            [j] => Lookup::Found(j),
            many => Lookup::Ambiguous(many.to_vec()),
        }
    }

    /// Jurisdictions that bear the name `key`, in registry order, trying in turn:
    /// 1. the display or full official name (乌海, 乌海市; 海淀区);
    /// 2. the English name, ignoring ASCII case (Wuhai);
    /// 3. the name without its administrative suffix ([`name_core`]: 海淀 for 海淀区,
    ///    内蒙古 for 内蒙古自治区, 五台 for 五台县).
    ///
    /// A statistical zone (`statistical_zone = yes`) bears only its exact full name.
    /// `parent/name` (长春/朝阳区, 长春市/朝阳区, 220100/朝阳区) keeps the jurisdictions of
    /// that name under the one jurisdiction `parent` designates (at any depth).
    pub fn named(&self, key: &str) -> Vec<&Jurisdiction> {
        let key = key.trim();
        if let Some((parent, name)) = key.rsplit_once('/') {
            // At most nation/province/prefecture/county: a cell of slashes is no name.
            if key.matches('/').count() > 3 {
                return Vec::new();
            }
            let Some(p) = self.resolve(parent) else {
                return Vec::new();
            };
            let under = |j: &&Jurisdiction| self.ancestors(&j.id).iter().any(|a| a.id == p.id);
            if let Some(j) = self.jurisdiction(name.trim()).filter(under) {
                return vec![j];
            }
            return self.named(name).into_iter().filter(under).collect();
        }
        let rows = |ix: Option<&Vec<usize>>| -> Vec<&Jurisdiction> {
            ix.map(|v| v.iter().map(|&i| &self.jurisdictions[i]).collect())
                .unwrap_or_default()
        };
        let exact = rows(self.names.exact.get(key));
        if !exact.is_empty() {
            return exact;
        }
        let en = rows(self.names.english.get(&key.to_ascii_lowercase()));
        if !en.is_empty() {
            return en;
        }
        let core = name_core(key);
        if core.is_empty() {
            return Vec::new();
        }
        rows(self.names.core.get(core))
    }

    /// Up to `max` registered jurisdictions that resemble an unknown `key`, best first
    /// ([`suggestion_rank`]): names that contain it or that it contains, then names that
    /// share at least two of its characters, then (for codes and Latin names) the closest
    /// by edit distance. Only the first [`SUGGESTION_KEY_CHARS`] characters of `key` are
    /// compared, so that the cost is bounded on a huge cell.
    pub fn suggestions(&self, key: &str, max: usize) -> Vec<&Jurisdiction> {
        let key: String = key.trim().chars().take(SUGGESTION_KEY_CHARS).collect();
        let key = Suggestable::of(&key);
        let mut scored: Vec<((u8, f64), usize)> = self
            .jurisdictions
            .iter()
            .enumerate()
            .filter_map(|(i, j)| suggestion_rank_of(&key, j).map(|r| (r, i)))
            .collect();
        scored.sort_by(|a, b| {
            b.0 .0
                .cmp(&a.0 .0)
                .then_with(|| b.0 .1.total_cmp(&a.0 .1))
                .then_with(|| a.1.cmp(&b.1))
        });
        scored
            .into_iter()
            .take(max)
            .map(|(_, i)| &self.jurisdictions[i])
            .collect()
    }

    /// The chain of ancestors of `id`, nearest first.
    pub fn ancestors(&self, id: &str) -> Vec<&Jurisdiction> {
        let mut out = Vec::new();
        let mut cur = self.jurisdiction(id).and_then(|j| j.parent.clone());
        while let Some(p) = cur {
            match self.jurisdiction(&p) {
                Some(j) if !out.iter().any(|o: &&Jurisdiction| o.id == j.id) => {
                    out.push(j);
                    cur = j.parent.clone();
                }
                _ => break,
            }
        }
        out
    }

    /// Observations of one indicator for one jurisdiction, sorted by year.
    pub fn series(&self, jurisdiction: &str, indicator: &str) -> Vec<&Observation> {
        let mut v: Vec<&Observation> = self
            .observations
            .iter()
            .filter(|o| o.jurisdiction == jurisdiction && o.indicator == indicator)
            .collect();
        v.sort_by_key(|o| o.year);
        v
    }

    /// Drops observations after `year` (the view as of that year) and says what was dropped:
    /// `None` when nothing was.
    pub fn restrict_to(&mut self, year: i32) -> Option<Dropped> {
        let before = self.observations.len();
        let latest = self.latest_year()?;
        self.observations.retain(|o| o.year <= year);
        let count = before - self.observations.len();
        (count > 0).then_some(Dropped {
            count,
            first: year + 1,
            last: latest,
        })
    }

    /// Every (plan, indicator) pair targeting `indicator`, in registry order of jurisdictions.
    pub fn targets_of(&self, indicator: &str) -> Vec<(&Plan, &PlanIndicator)> {
        let mut out: Vec<(&Plan, &PlanIndicator)> = self
            .plans
            .iter()
            .filter_map(|p| p.indicator(indicator).map(|i| (p, i)))
            .collect();
        out.sort_by_key(|(p, _)| {
            self.index
                .get(&p.plan.jurisdiction)
                .copied()
                .unwrap_or(usize::MAX)
        });
        out
    }

    /// Every (plan, indicator, milestone) targeting `indicator`: [`Dataset::targets_of`] with
    /// one entry per dated target, in year order within a plan.
    pub fn milestones_of(&self, indicator: &str) -> Vec<(&Plan, &PlanIndicator, Milestone)> {
        self.targets_of(indicator)
            .into_iter()
            .flat_map(|(p, i)| i.targets().into_iter().map(move |m| (p, i, m)))
            .collect()
    }

    /// The latest year of any observation of `jurisdiction` (any indicator): the "now" of
    /// that jurisdiction's plan when no `--as-of` is given.
    pub fn latest_year_of(&self, jurisdiction: &str) -> Option<i32> {
        self.observations
            .iter()
            .filter(|o| o.jurisdiction == jurisdiction)
            .map(|o| o.year)
            .max()
    }

    /// The spec of an indicator: built-in, or the first plan that defines it.
    pub fn indicator_spec(&self, id: &str) -> Option<IndicatorSpec> {
        if id == LITERACY_RATE {
            return Some(IndicatorSpec::literacy_rate());
        }
        self.plans
            .iter()
            .find_map(|p| p.indicator(id).map(PlanIndicator::spec))
    }

    /// Latest observation year in the dataset (the default `--as-of`).
    pub fn latest_year(&self) -> Option<i32> {
        self.observations.iter().map(|o| o.year).max()
    }
}

/// Administrative suffixes of Chinese place names, longest first.
const NAME_SUFFIXES: [&str; 18] = [
    "维吾尔自治区",
    "特别行政区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "省",
    "市",
    "盟",
    "州",
    "县",
    "区",
    "旗",
    "镇",
];

/// A Chinese place name without its administrative suffix (省, 市, 自治区, 壮族自治区, 地区,
/// 盟, 州, 县, 区, 旗 …), so that names match as people write them. The suffix is set aside
/// only when at least two characters remain (广州 stays 广州, 和县 stays 和县); other text is
/// returned trimmed, as written.
///
/// ```
/// use litmon::model::name_core;
/// assert_eq!(name_core("乌海市"), "乌海");
/// assert_eq!(name_core("内蒙古自治区"), "内蒙古");
/// assert_eq!(name_core("广西壮族自治区"), "广西");
/// assert_eq!(name_core("五台县"), "五台");
/// assert_eq!(name_core("香港特别行政区"), "香港");
/// assert_eq!(name_core("广州"), "广州");
/// assert_eq!(name_core("Wuhai"), "Wuhai");
/// ```
pub fn name_core(name: &str) -> &str {
    let name = name.trim();
    for suffix in NAME_SUFFIXES {
        if let Some(core) = name.strip_suffix(suffix) {
            if core.chars().count() >= 2 {
                return core;
            }
        }
    }
    name
}

/// Characters of an unknown name compared when suggesting registered ones
/// ([`Dataset::suggestions`]): a longer cell is cut, so that a suggestion costs at most
/// this many characters per registered name.
pub const SUGGESTION_KEY_CHARS: usize = 64;

/// Least similarity (the larger of Jaro–Winkler and normalised Levenshtein) of a code or
/// English name suggested for an unknown Latin key that is not a code.
pub const SIMILAR: f64 = 0.8;

/// An unknown key prepared for ranking: lower-cased, its [`name_core`], and whether it is
/// ASCII (a code or an English name).
struct Suggestable {
    key: String,
    core: String,
    ascii: bool,
}

impl Suggestable {
    fn of(key: &str) -> Suggestable {
        let key = key.trim().to_lowercase();
        Suggestable {
            core: name_core(&key).to_string(),
            ascii: key.is_ascii(),
            key,
        }
    }
}

/// How a registered jurisdiction ranks as a suggestion for the unknown name `key`: `None`
/// when it does not resemble it, else `(tier, score)`, higher first:
/// - tier 3, containment: one of its Chinese names (display, full, either without its
///   suffix; at least two characters) contains `key` without its suffix or is contained in
///   it (鄂尔多 → 鄂尔多斯; 乌海巿 → 乌海); for a Latin key of three or more characters, its
///   code or English name contains the key or is contained in it;
/// - tier 2, shared characters: its name without suffix shares at least two characters with
///   `key` without suffix (in any order), so that one common character (银川 and 四川) is
///   not a resemblance;
/// - tier 1, edit distance, for a Latin key only: a key of digits (a code) is one edit
///   from its code; other keys have the larger of the Jaro–Winkler and normalised
///   Levenshtein similarities with its code or English name at least [`SIMILAR`];
/// - tier 0, for a key of digits only: its code shares at least the first two digits (the
///   province), scored by the number of leading digits shared, then the fewest edits.
///
/// The score within a tier is the Sørensen–Dice share of characters in common (tiers 3 and
/// 2), the edit similarity (tier 1) or the shared leading digits (tier 0). A statistical zone is compared by its code and full
/// name only.
pub fn suggestion_rank(key: &str, j: &Jurisdiction) -> Option<(u8, f64)> {
    let key: String = key.trim().chars().take(SUGGESTION_KEY_CHARS).collect();
    suggestion_rank_of(&Suggestable::of(&key), j)
}

fn suggestion_rank_of(k: &Suggestable, j: &Jurisdiction) -> Option<(u8, f64)> {
    if k.key.is_empty() {
        return None;
    }
    let en = if j.statistical_zone {
        String::new()
    } else {
        j.name_en.to_lowercase()
    };
    if k.ascii {
        let latin = [j.id.to_lowercase(), en];
        let latin = latin.iter().filter(|s| !s.is_empty());
        if k.key.len() >= 3 {
            let best = latin
                .clone()
                .filter(|s| s.len() >= 3 && (s.contains(&k.key) || k.key.contains(s.as_str())))
                .map(|s| dice(&k.key, s))
                .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
            if let Some(d) = best {
                return Some((3, d));
            }
        }
        if k.key.bytes().all(|b| b.is_ascii_digit()) {
            // A code: one digit wrong, else the codes of the same province (or prefecture)
            // as its leading digits.
            let lev = strsim::levenshtein(&k.key, &j.id);
            if lev <= 1 {
                return Some((1, 1.0 - lev as f64 / 10.0));
            }
            let shared = k
                .key
                .bytes()
                .zip(j.id.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            return (shared >= 2).then(|| (0, shared as f64 - lev as f64 / 100.0));
        }
        let sim = latin
            .map(|s| strsim::jaro_winkler(&k.key, s).max(strsim::normalized_levenshtein(&k.key, s)))
            .fold(0.0, f64::max);
        return (sim >= SIMILAR).then_some((1, sim));
    }
    let full = j.full_name();
    let names: Vec<&str> = if j.statistical_zone {
        vec![full]
    } else {
        vec![&j.name_zh, full, name_core(&j.name_zh), name_core(full)]
    };
    let long = |s: &str| s.chars().count() >= 2;
    let contained = names
        .iter()
        .filter(|n| long(n))
        .filter(|n| {
            [k.key.as_str(), k.core.as_str()]
                .iter()
                .any(|key| long(key) && (key.contains(**n) || n.contains(*key)))
        })
        .map(|n| dice(&k.core, n))
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
    if let Some(d) = contained {
        return Some((3, d));
    }
    let cores = if j.statistical_zone {
        vec![full]
    } else {
        vec![name_core(&j.name_zh), name_core(full)]
    };
    cores
        .iter()
        .filter(|n| common_chars(&k.core, n) >= 2)
        .map(|n| dice(&k.core, n))
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))))
        .map(|d| (2, d))
}

/// Characters `a` and `b` have in common, each counted as often as it occurs in both.
fn common_chars(a: &str, b: &str) -> usize {
    let mut rest: Vec<char> = b.chars().collect();
    let mut common = 0usize;
    for c in a.chars() {
        if let Some(i) = rest.iter().position(|&r| r == c) {
            rest.swap_remove(i);
            common += 1;
        }
    }
    common
}

/// Sørensen–Dice similarity on characters: 2·common / (|a| + |b|).
fn dice(a: &str, b: &str) -> f64 {
    let n = a.chars().count() + b.chars().count();
    if n == 0 {
        return 0.0;
    }
    2.0 * common_chars(a, b) as f64 / n as f64
}
