//! The files of `litmon estimate`, read for the survey estimator (which does no IO): the
//! microdata behind a progress bar ([`crate::data::microdata`]), `design.toml`, the population
//! tables of post-stratification and raking, and the rscales. Every table is read as every
//! other table is ([`crate::data::read_table`]: UTF-8, GBK, XLSX; `--encoding`, `--sheet`).

use std::collections::HashMap;
use std::path::Path;

use crate::data::microdata::{open_microdata, MicrodataInput};
use crate::data::{decode_text, is_spreadsheet, RawTable, ReadOptions};
use crate::error::{Error, Location, Result};
use crate::survey::calibration::Population;
use crate::survey::design::{parse_design_toml, DesignFile};

/// Opens the microdata file `path` (CSV in UTF-8 or GBK, or XLSX) with a progress bar over
/// its bytes (`reading microdata`).
pub fn open_microdata_with_progress(path: &Path, read: &ReadOptions) -> Result<MicrodataInput> {
    open_microdata(path, read, |f, len| {
        Box::new(crate::output::term::ProgressReader::new(
            f,
            crate::output::term::bar(len, "reading microdata", true),
        ))
    })
}

/// Reads a `design.toml` ([`parse_design_toml`]).
pub fn read_design_file(path: &Path) -> Result<DesignFile> {
    let file = path.display().to_string();
    let text = crate::data::read_small_text(path)?;
    parse_design_toml(&text, &file)
}

/// Reads population counts for `columns` from a table (CSV in UTF-8 or GBK, or XLSX, as
/// every table: [`crate::data::read_table`]) whose header holds those columns and one count
/// column (any name, e.g. `Freq` as R). Returns cell values → count, labelled with the path
/// as given. Errors name the file, line (sheet row) and column.
pub fn read_population(path: &Path, columns: &[String], read: &ReadOptions) -> Result<Population> {
    let t = crate::data::read_table(path, read)?;
    let header_error =
        |message: crate::model::Text| Error::input(Location::at(&t.label, t.header_line), message);
    let mut idx = Vec::new();
    for c in columns {
        idx.push(t.column(c).ok_or_else(|| {
            header_error(text!(
                "应有列 {c:?}（--poststrata 的列）；表头中的列为 {}",
                "expected a column {c:?} (a --poststrata column); the header has {}",
                t.headers.join(",")
            ))
        })?);
    }
    let counts: Vec<usize> = (0..t.headers.len()).filter(|i| !idx.contains(i)).collect();
    let [count] = counts[..] else {
        return Err(header_error(text!(
            "应有事后分层列 {} 和恰好一个总体数列，实际为 {}",
            "expected the post-stratum columns {} and exactly one count column, found {}",
            columns.join(","),
            t.headers.join(",")
        )));
    };
    let mut out = HashMap::new();
    for r in &t.rows {
        let key: Vec<String> = idx.iter().map(|&i| r.text(i).to_string()).collect();
        let raw = r.text(count);
        let n = t
            .number(r, count)
            .ok()
            .flatten()
            .filter(|v| *v >= 0.0)
            .ok_or_else(|| {
                t.error(
                    r,
                    count,
                    text!(
                        "应为不小于 0 的总体数，实际为 {raw:?}",
                        "expected a population count ≥ 0, found {raw:?}"
                    ),
                )
            })?;
        if out.insert(key.clone(), n).is_some() {
            return Err(Error::input(
                Location::at(&t.label, r.line),
                text!(
                    "事后分层 {} 列出了两次",
                    "post-stratum {} is listed twice",
                    key.join(",")
                ),
            ));
        }
    }
    Ok(Population {
        label: path.display().to_string(),
        counts: out,
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
        Error::input(
            location,
            text!(
                "应为不小于 0 的 rscale，实际为 {found:?}",
                "expected an rscale ≥ 0, found {found:?}"
            ),
        )
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
