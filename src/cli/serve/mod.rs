//! `litmon serve`: the evaluation in a browser, for report authors who never open a terminal.
//!
//! A local web application: the page ([`page`]) takes the office's files (observations, plans,
//! registry rows — XLSX, CSV or TOML, as the command line reads them; [`state`]), shows the
//! evaluation table, the charts and candidate 2030 targets of a [`view`], and offers the
//! report (a zip of what `litmon report` writes), each chart and the tables as
//! [`downloads`]. Every number comes from the functions the command line calls, with the
//! tasks the command line would build from its flags ([`View::context`]).
//!
//! Safety ([`server`]): the server listens on 127.0.0.1 unless `--bind` says otherwise (with a
//! warning); every request must carry the random token of the printed address (a cookie after
//! the first visit) and a `Host` header naming the server (DNS rebinding), else 403; uploads
//! are capped in size ([`MAX_UPLOAD_BYTES`], refused from the declared length before the body
//! is read) and count ([`MAX_FILES`]), kept in memory only, and their names are only ever
//! labels.

pub mod downloads;
pub mod http;
pub mod limits;
pub mod page;
pub mod routes;
pub mod server;
pub mod state;
pub mod view;

pub use downloads::{chart, chart_of, report_zip, table_xlsx, CHART_KINDS};
pub use limits::{MAX_CONNECTIONS, MAX_FILES, MAX_UPLOAD_BYTES};
pub use server::run;
pub use state::{display_name, guess_role, Problem, Role, State, Upload};
pub use view::{View, TARGET_YEAR};
