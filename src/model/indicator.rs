//! Plan indicators: kind, direction, the plan's wording of a target (qualifier), milestones
//! and the built-in headline indicator.

use crate::model::Lang;

use serde::{Deserialize, Serialize};

/// Id of the built-in headline indicator.
pub const LITERACY_RATE: &str = "literacy_rate";

/// Kind of a plan indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
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
        self.into()
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

    /// The name in `lang` ([`name_in`]).
    pub fn name(&self, lang: Lang) -> &str {
        name_in(lang, &self.name_zh, &self.name_en)
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
pub(crate) fn two_years<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[i32; 2], D::Error> {
    let years = Vec::<i32>::deserialize(d)?;
    <[i32; 2]>::try_from(years.as_slice()).map_err(|_| {
        serde::de::Error::custom(format!(
            "expected period = [first, last], two years, found {} years",
            years.len()
        ))
    })
}

/// [`two_years`] for an indicator's optional period.
pub(crate) fn some_two_years<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<[i32; 2]>, D::Error> {
    two_years(d).map(Some)
}

/// The name in `lang` of an indicator named `zh` in Chinese and `en` in English: the English
/// name when asked for and not empty, else the Chinese.
pub fn name_in<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.is_empty() => en,
        _ => zh,
    }
}

impl PlanIndicator {
    /// The name in `lang` ([`name_in`]).
    pub fn name(&self, lang: Lang) -> &str {
        name_in(lang, &self.name_zh, &self.name_en)
    }

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
