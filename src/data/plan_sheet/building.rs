//! One plan being read from the sheet: the plan so far, where its keys were read, and the
//! first row of each of its indicators.

use super::places::SheetPlaces;
use crate::model::Plan;

/// One plan being read from the sheet.
pub(super) struct Building {
    pub(super) key: (String, String),
    pub(super) plan: Plan,
    pub(super) places: SheetPlaces,
    /// Each indicator's key (its code, else its name) and first row.
    pub(super) indicator_rows: Vec<(String, u64)>,
}
