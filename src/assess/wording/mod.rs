//! Every sentence litmon writes about an evaluation, in Chinese and English: the `reason`
//! columns of `assess` and `indicators`, the report's narrative paragraphs, chart subtitles
//! and the verdict phrases the charts and the report reuse. The numbers come from the
//! evaluation ([`crate::assess::AssessRow`], [`crate::assess::pace::Pace`]); this module only words
//! them. Officials read these sentences, so they speak of plans, surveys and targets —
//! never of flags, files or internal ids.
//!
//! The narrative paragraph is decided once as language-neutral [`Clause`]s ([`Narrative`])
//! and rendered by the [`Wording`] of the output language.

mod citation;
mod clauses;
mod narrative;
mod reason;
mod rule;
mod verdict;

pub use citation::without_hosts;
pub use clauses::{on_track_requirement, Clause, Narrative, TrendOrigin};
pub use narrative::{narrative, wording, Chinese, English, Wording};
pub use reason::{assess_reason, missing_baseline, pace_reason};
pub use rule::{status_rule, status_rule_with};
pub use verdict::{
    category_en, category_zh, level_zh, measured_verdict, prior_source_text, sampling_text,
    status_label, target_text, trajectory_subtitle,
};
