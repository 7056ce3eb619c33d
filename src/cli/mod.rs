//! The command line: clap definitions ([`args`]), the flags → checked configuration step and
//! the commands ([`app`]), one module per command family ([`chart`], [`estimate`], [`sae`]).

pub mod app;
pub mod args;
pub mod chart;
pub mod estimate;
pub mod sae;
