//! Loading what the command line names: the embedded default or `--data DIR`, plus the
//! `--jurisdictions`, `--observations` and `--plans` files on top, read from disk.

use std::path::{Path, PathBuf};

use super::dataset::build;
use super::embedded;
use super::sources::{Input, Sources};
use super::table::ReadOptions;
use crate::error::{Error, Location, Result};
use crate::model::Dataset;

/// What the command line asks to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--data DIR`: replaces the embedded default.
    pub data_dir: Option<PathBuf>,
    /// `--observations F` (repeatable): added to the active dataset.
    pub observations: Vec<PathBuf>,
    /// `--jurisdictions F` (repeatable): registry rows added to the active dataset.
    pub jurisdictions: Vec<PathBuf>,
    /// `--plans F|DIR` (repeatable): added to the active dataset.
    pub plans: Vec<PathBuf>,
    /// `--encoding` and `--sheet`: how to read CSV and XLSX files.
    pub read: ReadOptions,
}

/// Loads the active dataset: the embedded default or `--data DIR`, plus the extra files.
/// Warnings (unknown columns, implausible targets…) are in [`Dataset::warnings`]; every
/// file read, with its checksum, is in [`Dataset::inputs`] (the base dataset's files,
/// then the extra files).
pub fn load(opts: &LoadOptions) -> Result<Dataset> {
    let sources = match &opts.data_dir {
        Some(dir) => dir_sources_with(dir, &opts.read)?,
        None => embedded::sources(),
    };
    let mut extra = Sources::default();
    for f in &opts.jurisdictions {
        let mut input = Input::read_with(f, &opts.read)?;
        input.overrides = true;
        extra.jurisdictions.push(input);
    }
    for f in &opts.observations {
        let mut input = Input::read_with(f, &opts.read)?;
        input.overrides = true;
        extra.observations.push(input);
    }
    for p in &opts.plans {
        for mut input in plan_inputs(p, &opts.read, &mut extra.notes)? {
            input.overrides = true;
            extra.plans.push(input);
        }
    }
    load_sources(sources, extra)
}

/// The dataset of a base (the embedded default or `--data DIR`) and `extra` inputs on top
/// (each marked [`Input::overrides`] by the caller), validated as one whole: what
/// [`load`] does once the files are read. `litmon serve` passes the uploads here, read from
/// memory with [`Input::from_bytes`].
pub fn load_sources(mut sources: Sources, extra: Sources) -> Result<Dataset> {
    let mut read = sources.files();
    read.extend(extra.files());
    sources.jurisdictions.extend(extra.jurisdictions);
    sources.observations.extend(extra.observations);
    sources.plans.extend(extra.plans);
    sources.notes.extend(extra.notes);
    let mut ds = build(&sources)?;
    ds.inputs = read;
    Ok(ds)
}

/// Reads a `--data DIR`: `jurisdictions.csv` (or `.xlsx`), `observations.csv` (or
/// `.xlsx`, optional: without it, a warning), optional `plans/`.
pub fn dir_sources_with(dir: &Path, read: &ReadOptions) -> Result<Sources> {
    if !dir.is_dir() {
        return Err(Error::input(
            Location::file(dir.display().to_string()),
            text!(
                "应为含有 jurisdictions.csv 和 observations.csv 的目录",
                "expected a directory holding jurisdictions.csv and observations.csv"
            ),
        ));
    }
    let pick = |stem: &str| -> PathBuf {
        let csv = dir.join(format!("{stem}.csv"));
        let xlsx = dir.join(format!("{stem}.xlsx"));
        if !csv.exists() && xlsx.exists() {
            xlsx
        } else {
            csv
        }
    };
    let mut s = Sources {
        jurisdictions: vec![Input::read_with(&pick("jurisdictions"), read)?],
        ..Sources::default()
    };
    let obs = pick("observations");
    if obs.exists() {
        s.observations.push(Input::read_with(&obs, read)?);
    } else {
        let d = dir.display();
        let kind = crate::error::DiagnosticKind::NoObservationsFile;
        s.notes.push(crate::error::Diagnostic::warning(kind, text!(
            "{d} 中没有 observations.csv（或 observations.xlsx）：该数据目录不提供观测值，只用 --observations 文件中的观测值",
            "{d} holds no observations.csv (or observations.xlsx): the data directory gives no observations, only those of --observations files"
        )));
    }
    let plans = dir.join("plans");
    if plans.is_dir() {
        s.plans = plan_inputs(&plans, read, &mut s.notes)?;
    }
    Ok(s)
}

/// Whether a file in a plans directory is a plan: `*.toml`, or a plan sheet `*.xlsx` /
/// `*.csv` (not an Excel lock file `~$…`).
pub fn is_plan_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    let lock = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    !lock && matches!(ext.as_deref(), Some("toml" | "xlsx" | "csv"))
}

/// A plan file, or every plan file of a directory (sorted by name): `*.toml`, and plan
/// sheets `*.xlsx` and `*.csv` ([`plan_sheet`]). Anything in the directory that is not a
/// regular file (a FIFO would block the read forever, a device never ends) is skipped with a
/// note.
fn plan_inputs(
    path: &Path,
    read: &ReadOptions,
    notes: &mut Vec<crate::error::Diagnostic>,
) -> Result<Vec<Input>> {
    if path.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_plan_file(p))
            .collect();
        files.retain(|f| {
            let regular = std::fs::metadata(f).is_ok_and(|m| m.is_file());
            if !regular {
                let kind = crate::error::DiagnosticKind::NotARegularFile;
                let message = text!(
                    "已跳过，不是普通文件（名称像方案的管道、设备或目录）",
                    "skipped, not a regular file (a pipe, device or directory named like a plan)"
                );
                notes.push(
                    crate::error::Diagnostic::warning(kind, message).about(f.display().to_string()),
                );
            }
            regular
        });
        files.sort();
        files.iter().map(|f| Input::read_with(f, read)).collect()
    } else {
        Ok(vec![Input::read_with(path, read)?])
    }
}
