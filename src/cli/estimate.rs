//! `litmon estimate` flags → a checked [`EstimateConfig`], and the command's run (read,
//! estimate, write atomically, warnings on standard error).

use std::path::Path;

use crate::cli::args::EstimateArgs;
use crate::data::{decode_text, is_spreadsheet, RawTable, ReadOptions};
use crate::error::{Error, Location, Result};
use crate::output::{write_atomic, Format};
use crate::survey::calibration::PostStratification;
use crate::survey::ci::CiMethod;
use crate::survey::design::{read_design_file, DesignSpec};
use crate::survey::rake::Raking;
use crate::survey::replicate::{RepType, ReplicateSpec};
use crate::survey::scoring::ScoringRule;
use crate::survey::taylor::LonelyPsu;
use crate::survey::{
    estimate_file, estimate_table, observations_table, retain_jurisdictions, EstimateConfig,
};

/// Validates the flags of `litmon estimate`. Flags override the design file; `read` holds
/// the global `--encoding` and `--sheet`.
pub fn from_args(a: &EstimateArgs, read: &ReadOptions) -> Result<EstimateConfig> {
    let file = match &a.design {
        Some(p) => Some(read_design_file(p)?),
        None => None,
    };
    let design = match &file {
        Some(f) => {
            let d = &f.design;
            DesignSpec {
                strata: a.strata.clone().or_else(|| d.strata.clone()),
                psu: a.psu.clone().or_else(|| d.psu.clone()),
                weight: a.weight.clone().unwrap_or_else(|| d.weight.clone()),
                fpc: a.fpc.clone().or_else(|| d.fpc.clone()),
            }
        }
        None => {
            let weight = a.weight.clone().ok_or_else(|| {
                Error::Usage(
                    "estimate: give --design design.toml, or --strata COL --psu COL --weight COL"
                        .into(),
                )
            })?;
            DesignSpec {
                strata: a.strata.clone(),
                psu: a.psu.clone(),
                weight,
                fpc: a.fpc.clone(),
            }
        }
    };
    let rules = usize::from(a.score.is_some())
        + usize::from(a.miller.is_some())
        + usize::from(a.indicator_column.is_some());
    if rules > 1 {
        return Err(Error::Usage(
            "estimate: give one of --score, --miller or --indicator-column".into(),
        ));
    }
    let threshold = match a.threshold {
        Some(t) if !t.is_finite() => {
            return Err(Error::Usage(format!(
                "--threshold: expected a score, found {t}"
            )))
        }
        t => t,
    };
    let scoring = if let Some(s) = &a.score {
        let columns: Vec<String> = s.split('+').map(|c| c.trim().to_string()).collect();
        if columns.iter().any(String::is_empty) {
            return Err(Error::Usage(format!(
                "--score: expected COL+COL+…, found {s:?}"
            )));
        }
        ScoringRule::Total {
            columns,
            threshold: threshold.unwrap_or(70.0),
            levels: a.levels.clone(),
        }
    } else if let Some(m) = &a.miller {
        let mut dimensions = Vec::new();
        for part in m.split(',') {
            let (c, t) = part.split_once(':').ok_or_else(|| {
                Error::Usage(format!("--miller: expected COL:THRESHOLD, found {part:?}"))
            })?;
            let t: f64 = t.trim().parse().map_err(|_| {
                Error::Usage(format!(
                    "--miller: expected a number after ':', found {t:?}"
                ))
            })?;
            dimensions.push((c.trim().to_string(), t));
        }
        ScoringRule::Miller { dimensions }
    } else if let Some(c) = &a.indicator_column {
        ScoringRule::Indicator { column: c.clone() }
    } else {
        match file.as_ref().and_then(|f| f.scoring.clone()) {
            Some(ScoringRule::Total {
                columns,
                threshold: t0,
                levels,
            }) => ScoringRule::Total {
                columns,
                threshold: threshold.unwrap_or(t0),
                levels: if a.levels.is_empty() {
                    levels
                } else {
                    a.levels.clone()
                },
            },
            Some(rule) => rule,
            None => {
                let ScoringRule::Total { columns, .. } = ScoringRule::default() else {
                    unreachable!("the default rule is a total")
                };
                ScoringRule::Total {
                    columns,
                    threshold: threshold.unwrap_or(70.0),
                    levels: a.levels.clone(),
                }
            }
        }
    };
    let by_specs: Vec<String> = if a.by.is_empty() {
        file.as_ref().map(|f| f.by.clone()).unwrap_or_default()
    } else {
        a.by.clone()
    };
    let mut by = Vec::new();
    for b in &by_specs {
        let cols: Vec<String> = b.split(',').map(|c| c.trim().to_string()).collect();
        if cols.iter().any(String::is_empty) {
            return Err(Error::Usage(format!(
                "--by: expected COL or COL,COL, found {b:?}"
            )));
        }
        by.push(cols);
    }
    let ci = match a.ci.as_deref() {
        None => CiMethod::Logit,
        Some(s) => CiMethod::parse(s).ok_or_else(|| {
            Error::Usage(format!(
                "--ci: expected logit, xlogit, beta, wilson, clopper-pearson or asin, found {s:?}"
            ))
        })?,
    };
    if !(a.confidence > 0.0 && a.confidence < 1.0) {
        return Err(Error::Usage(format!(
            "--confidence: expected a level between 0 and 1 such as 0.95, found {}",
            a.confidence
        )));
    }
    let lonely_psu = match a.lonely_psu.as_deref() {
        Some(s) => LonelyPsu::parse(s).ok_or_else(|| {
            Error::Usage(format!(
                "--lonely-psu: expected fail, adjust, remove or certainty, found {s:?}"
            ))
        })?,
        None => file.as_ref().and_then(|f| f.lonely_psu).unwrap_or_default(),
    };
    if let Some(y) = a.to_observations {
        if !(1900..=2100).contains(&y) {
            return Err(Error::Usage(format!(
                "--to-observations: expected a survey year such as 2024, found {y}"
            )));
        }
    }
    let calibration = match (&a.poststrata, &a.population) {
        (Some(cols), Some(population)) => {
            let columns: Vec<String> = cols.split(',').map(|c| c.trim().to_string()).collect();
            if columns.iter().any(String::is_empty) {
                return Err(Error::Usage(format!(
                    "--poststrata: expected COL or COL,COL, found {cols:?}"
                )));
            }
            Some(PostStratification {
                columns,
                population: population.clone(),
            })
        }
        _ => None,
    };
    let replicates = match (&a.repweights, &a.reptype) {
        (Some(prefix), Some(t)) => {
            let kind = RepType::parse(t).ok_or_else(|| {
                Error::Usage(format!(
                    "--reptype: expected jk1, jkn, brr, fay or bootstrap, found {t:?}"
                ))
            })?;
            if prefix.is_empty() {
                return Err(Error::Usage(
                    "--repweights: expected a column-name prefix such as repw".into(),
                ));
            }
            if let Some(rho) = a.rho {
                if !(0.0..1.0).contains(&rho) {
                    return Err(Error::Usage(format!(
                        "--rho: expected Fay's coefficient in [0, 1), found {rho}"
                    )));
                }
            }
            let rho = match (kind, a.rho) {
                (RepType::Fay, None) => {
                    return Err(Error::Usage(
                        "--reptype fay: give Fay's coefficient with --rho (e.g. 0.5)".into(),
                    ))
                }
                (_, r) => r,
            };
            let rscales = a
                .rscales
                .as_deref()
                .map(|p| read_rscales(p, read))
                .transpose()?;
            Some(ReplicateSpec {
                prefix: prefix.clone(),
                kind,
                rho,
                rscales,
                mse: a.mse,
            })
        }
        _ => None,
    };
    let raking = if a.rake.is_empty() {
        None
    } else {
        if a.rake.len() != a.rake_population.len() {
            return Err(Error::Usage(format!(
                "--rake: give one --rake-population file per --rake margin, in the same order \
                 ({} margins, {} files)",
                a.rake.len(),
                a.rake_population.len()
            )));
        }
        let mut margins = Vec::new();
        for m in &a.rake {
            let cols: Vec<String> = m.split(',').map(|c| c.trim().to_string()).collect();
            if cols.iter().any(String::is_empty) {
                return Err(Error::Usage(format!(
                    "--rake: expected COL or COL,COL, found {m:?}"
                )));
            }
            margins.push(cols);
        }
        Some(Raking {
            margins,
            populations: a.rake_population.clone(),
        })
    };
    Ok(EstimateConfig {
        microdata: a.microdata.clone(),
        design,
        scoring,
        by,
        ci,
        confidence: a.confidence,
        lonely_psu,
        to_observations: a.to_observations,
        calibration,
        replicates,
        raking,
        read: read.clone(),
    })
}

/// Reads `--rscales`: one number ≥ 0 per line (blank lines skipped), in a text file (UTF-8,
/// GBK, as `read.encoding` says or detected) or down the first column of a sheet (a header
/// cell that is not a number, e.g. `rscales`, is skipped); errors name the line (sheet row)
/// and column.
pub fn read_rscales(path: &Path, read: &ReadOptions) -> Result<Vec<f64>> {
    let file = path.display().to_string();
    let bytes = crate::data::read_bytes(path)?;
    let bad = |location: Location, found: &str| {
        Error::input(location, format!("expected an rscale ≥ 0, found {found:?}"))
    };
    let rscale = |t: &str| crate::data::parse_number(t).filter(|v| *v >= 0.0 && v.is_finite());
    if is_spreadsheet(&bytes) {
        let t = RawTable::from_spreadsheet(&file, &bytes, read.sheet.as_deref())?;
        let mut out = Vec::new();
        let first = t.headers.first().map(String::as_str).unwrap_or("");
        if let Some(v) = rscale(first) {
            out.push(v);
        }
        for r in &t.rows {
            let cell = r.text(0);
            if cell.is_empty() {
                continue;
            }
            out.push(rscale(cell).ok_or_else(|| bad(t.location(r, 0), cell))?);
        }
        return Ok(out);
    }
    let text = decode_text(&file, &bytes, read.encoding)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim().trim_start_matches('\u{feff}');
        if t.is_empty() {
            continue;
        }
        match t.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => out.push(v),
            _ => {
                return Err(bad(
                    Location::at(&file, i as u64 + 1).with_column("1".to_string()),
                    t,
                ))
            }
        }
    }
    Ok(out)
}

/// Runs `litmon estimate`: estimates, prints warnings to standard error, writes the table
/// (or observations rows) to `output` atomically, else to standard output.
/// Warnings of one kind are grouped unless `verbose` ([`crate::output::warnings::grouped`]).
/// With `jurisdiction` (`--jurisdiction`, `--level`), only the domains that
/// [`retain_jurisdictions`] keeps are written.
pub fn run(
    cfg: &EstimateConfig,
    format: Format,
    output: Option<&Path>,
    verbose: bool,
    lang: crate::model::Lang,
    jurisdiction: Option<&dyn Fn(&str) -> bool>,
) -> Result<()> {
    let mut est = estimate_file(cfg)?;
    if let Some(is_kept) = jurisdiction {
        retain_jurisdictions(&mut est.rows, is_kept);
        if est.rows.is_empty() {
            est.warnings.push(
                "no --by domain value is a jurisdiction asked for by --jurisdiction/--level (values are matched to registry codes and names); the table is empty".into(),
            );
        }
    }
    for w in crate::output::warnings::grouped(&est.warnings, verbose) {
        eprintln!("litmon: warning: {w}");
    }
    let table = match cfg.to_observations {
        Some(year) => {
            let name = cfg
                .microdata
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            observations_table(&est.rows, year, &format!("litmon estimate {name}"))
        }
        None => estimate_table(&est.rows),
    };
    // Observations are always CSV (what `assess --observations` reads).
    let format = if cfg.to_observations.is_some() {
        Format::Csv
    } else {
        format
    };
    let mut table = table;
    table.lang = lang;
    let bytes = table.render(format)?;
    match output {
        Some(path) => write_atomic(path, &bytes),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                }),
            }
        }
    }
}
