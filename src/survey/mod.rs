//! Survey estimation from respondent microdata (`litmon estimate`): the literacy rate of the
//! whole population and of domains, with design-based standard errors and intervals that
//! equal R `survey` (`svymean`, `svyby`, `svyciprop`, `options(survey.lonely.psu)`).
//!
//! * [`scoring`]: scores → 0/1 outcomes (total ≥ threshold, graded levels, Miller, indicator);
//! * [`design`]: design columns and `design.toml`;
//! * [`reader`]: one streaming pass accumulating (domain, PSU) sums;
//! * [`taylor`]: Hájek proportion, Taylor-linearised variance, deff, df;
//! * [`replicate`]: replicate-weight variance (JK1, JKn, BRR, Fay, bootstrap) as `svrepdesign`;
//! * [`calibration`], [`rake`]: post-stratification and raking as `postStratify` and `rake`;
//! * [`ci`]: interval methods; [`reliability`]: the NCHS presentation standard;
//! * [`error`]: typed errors, worded for the user (with the flag to fix) by the command line.
//! * `estimator`: the pipeline from the pass to the domain rows ([`estimate`], re-exported
//!   here); `tables`: the estimate table and the `--to-observations` rows.
//!
//! The module does no IO: [`estimate`] takes a reader of UTF-8 CSV bytes and values
//! ([`EstimateSpec`], [`calibration::Population`]). The command line opens the microdata
//! ([`crate::data::microdata`]: UTF-8, GBK, XLSX), the population tables, `design.toml` and
//! the rscales, and draws the progress bar.
//!
//! Inside the numeric core every rate is a proportion in [0, 1]; this module converts to
//! percent only when it builds output tables.

// `!(x > 0.0)` is deliberate: it is true for NaN, which every check here must reject.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::nonminimal_bool)]

pub mod calibration;
pub mod ci;
pub mod design;
pub use crate::error::survey as error;
mod estimator;
pub mod rake;
pub mod reader;
pub mod reliability;
pub mod replicate;
pub mod scoring;
mod tables;
pub mod taylor;

pub use estimator::{
    accumulate, estimate, estimate_accumulated, estimate_weighted, retain_jurisdictions, DomainRow,
    EstimateSpec, Estimates, Weighting, WeightingSpec,
};
pub use tables::{estimate_table, observations_table};
