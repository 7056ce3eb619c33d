//! The command line: clap definitions ([`args`]), the flags → checked configuration step and
//! the commands ([`app`]), one module per command family ([`chart`], [`estimate`], [`sae`]);
//! [`survey_input`] reads the files of `estimate` for the survey estimator, which does no IO.

pub mod app;
pub mod args;
pub mod chart;
pub mod errors;
pub mod estimate;
pub mod sae;
pub mod survey_input;
