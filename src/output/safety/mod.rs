//! Never lose a user's data: the one place that decides where litmon may write.
//!
//! - [`Protected`]: every file a command reads (all of `--data`, `--observations`,
//!   `--plans`, `--microdata`, `--design`, `--population`, `--rake-population`, `--rscales`,
//!   `--covariates`, `--jurisdictions`) is identified by device and inode (and canonical
//!   path), so no output — through `..`, a symlink or a hard link — can replace it, and no
//!   report directory that holds one is swapped away.
//! - [`write_file`]: a regular file (or a new path) is replaced atomically (temporary file
//!   in the same directory, then a rename); a character device or FIFO (`/dev/stdout`,
//!   `/dev/null`, a named pipe) is written in place, never replaced; anything else (a
//!   directory, a block device, a socket) is refused.
//! - [`file_stem`] and [`StemSet`]: file names derived from data (jurisdiction ids, plan
//!   names) are safe slugs that always stay inside `-o`.
//! - [`replace_dir`]: a report directory is built in a temporary sibling and swapped in,
//!   so a failure part-way leaves the previous report intact and a rerun leaves exactly the
//!   files of that run.
//! - [`echo`]: text from inputs quoted in messages, cut to a readable length.

mod echo;
mod protected;
mod report_dir;
mod scratch;
mod stem;
mod write;

pub use echo::echo;
pub use protected::{plan_files, Protected};
pub use report_dir::{check_report_dir, replace_dir, MANIFEST};
pub use stem::{file_stem, StemSet};
pub use write::{check_new_name, write_file, write_new_name};
