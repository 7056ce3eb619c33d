//! One streaming pass over a microdata CSV: for the total and for each domain table, the
//! weighted sums Σw, Σwy (per outcome), row counts per (domain, PSU) cell; plus each stratum's
//! PSU count and fpc. Memory grows with the number of cells, never with the number of rows.
//!
//! The pass ([`accumulate`], in `pass`) cuts the stream into blocks of whole records
//! (`split`), sums each block with its own numbering (`block`, with `domain` for the `--by`
//! keys and `problem` for what went wrong where), and merges the blocks in file order
//! (`merge`) into an [`Accumulated`] (`accumulated`); `columns` finds the columns a
//! [`ReadPlan`] (`plan`) names in the header.

mod accumulated;
mod block;
mod columns;
mod domain;
mod merge;
mod pass;
mod plan;
mod problem;
mod split;

pub use accumulated::{Accumulated, DomainTable};
pub use merge::MAX_DOMAINS;
pub use pass::accumulate;
pub use plan::ReadPlan;
pub(crate) use split::unclosed_quote;
