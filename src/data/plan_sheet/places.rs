//! Where each key of a plan read from a sheet was written (for messages of the plan check).

use std::collections::HashMap;

use crate::error::Location;

/// Where each key of a plan read from a sheet was written: plan keys by name, indicator
/// keys by indicator index and name (TOML-style keys: `jurisdiction`, `period`, `target`,
/// `baseline`, `milestones`, `unit` …).
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetPlaces {
    pub(super) plan: HashMap<&'static str, Location>,
    pub(super) indicators: Vec<HashMap<&'static str, Location>>,
    /// The first row of each indicator (for keys without a cell).
    pub(super) rows: Vec<Location>,
}

impl SheetPlaces {
    /// Where a key of the `[plan]` table was read.
    pub(crate) fn plan_key(&self, key: &str) -> Option<Location> {
        self.plan.get(key).cloned()
    }

    /// Where a key of the `index`-th indicator was read (else the indicator's first row).
    pub(crate) fn indicator_key(&self, index: usize, key: &str) -> Option<Location> {
        self.indicators
            .get(index)
            .and_then(|m| m.get(key))
            .or_else(|| self.rows.get(index))
            .cloned()
    }
}
