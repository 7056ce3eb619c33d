//! Narrative paragraphs of the report. Their wording lives with every other sentence litmon
//! writes, in [`crate::wording`]; this module names them for the report.

pub use crate::wording::{category_en, category_zh, narrative, on_track_requirement};
