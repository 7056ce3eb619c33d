//! The validated [`Dataset`]: registry, plans, observations and input files, with lookup of
//! jurisdictions by id or name.

use std::collections::HashMap;

use super::suggest::{suggestion_rank_of, Suggestable};
use crate::model::{
    name_core, IndicatorSpec, Jurisdiction, Milestone, Observation, Plan, PlanIndicator,
    LITERACY_RATE, SUGGESTION_KEY_CHARS,
};

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
    /// Warnings and notes found while loading ([`crate::error::Diagnostic`]): the input is
    /// usable, but the user should look. Printed to stderr by the command line.
    pub warnings: Vec<crate::error::Diagnostic>,
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
    /// ([`suggestion_rank`](crate::model::suggestion_rank)): names that contain it or that it contains, then names that
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
