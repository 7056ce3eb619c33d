//! Narrative paragraphs of the report. Their wording lives with every other sentence litmon
//! writes, in [`crate::assess::wording`]; this module names them for the report.

pub use crate::assess::wording::{category_en, category_zh, narrative, on_track_requirement};
