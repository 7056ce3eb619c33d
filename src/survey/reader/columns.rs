//! The header of a microdata file: its names, and the positions of the columns a read
//! needs (design, outcomes, domains, post-strata, replicate weights) in it.

use crate::error::survey::{ColumnRole, SurveyError};
use crate::error::{Error, Location, Result};

use super::plan::ReadPlan;

/// Column positions of the design, outcomes and domains in the header.
pub(super) struct Columns {
    pub(super) strata: Option<usize>,
    pub(super) psu: Option<usize>,
    pub(super) weight: usize,
    pub(super) fpc: Option<usize>,
    pub(super) scores: Vec<usize>,
    pub(super) by: Vec<Vec<usize>>,
    pub(super) post: Vec<usize>,
    pub(super) reps: Vec<usize>,
}

impl Columns {
    /// Finds every column `plan` names in `headers`; errors name the file's header line.
    pub(super) fn resolve(headers: &[String], plan: &ReadPlan<'_>) -> Result<Columns> {
        let (file, design, rep_prefix) = (plan.file, plan.design, plan.rep_prefix);
        let find = |name: &str, role: ColumnRole| -> Result<usize> {
            let at: Vec<usize> = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| *h == name)
                .map(|(i, _)| i + 1)
                .collect();
            if at.len() > 1 {
                return Err(Error::input(
                    Location::at(file, 1).with_column(format!("{} ({name})", at[1])),
                    text!(
"表头中 {name:?} 出现了 {} 次（第 {} 列）：每个列名只能出现一次，litmon 才知道读取哪一列",
"the header names {name:?} {} times (columns {}): expected each column \
                         name once, so litmon knows which one to read",
                        at.len(),
                        at.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            headers.iter().position(|h| h == name).ok_or_else(|| {
                Error::Survey(SurveyError::MissingColumn {
                    location: Location::at(file, 1),
                    role,
                    name: name.to_string(),
                    header: headers.to_vec(),
                })
            })
        };
        let reps: Vec<usize> = match rep_prefix {
            None => Vec::new(),
            Some(p) => {
                let r: Vec<usize> = headers
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| h.starts_with(p))
                    .map(|(i, _)| i)
                    .collect();
                if r.len() < 2 {
                    return Err(Error::Survey(SurveyError::ReplicateColumnsMissing {
                        location: Location::at(file, 1),
                        prefix: p.to_string(),
                        header: headers.to_vec(),
                    }));
                }
                r
            }
        };
        let replicated = rep_prefix.is_some();
        let design_column = |c: &Option<String>, role: ColumnRole| {
            c.as_deref()
                .filter(|_| !replicated)
                .map(|c| find(c, role))
                .transpose()
        };
        Ok(Columns {
            strata: design_column(&design.strata, ColumnRole::Strata)?,
            psu: design_column(&design.psu, ColumnRole::Psu)?,
            weight: find(&design.weight, ColumnRole::Weight)?,
            fpc: design_column(&design.fpc, ColumnRole::Fpc)?,
            scores: plan
                .scoring
                .columns()
                .iter()
                .map(|c| find(c, ColumnRole::Score))
                .collect::<Result<_>>()?,
            by: plan
                .by
                .iter()
                .map(|t| {
                    t.iter()
                        .map(|c| find(c, ColumnRole::Domain))
                        .collect::<Result<Vec<_>>>()
                })
                .collect::<Result<_>>()?,
            post: plan
                .post
                .iter()
                .map(|c| find(c, ColumnRole::PostStratum))
                .collect::<Result<_>>()?,
            reps,
        })
    }
}

/// The header names (spaces and a byte order mark trimmed).
pub(super) fn parse_header(bytes: &[u8], file: &str) -> Result<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    rdr.read_byte_record(&mut record).map_err(|e| {
        let line = e.position().map(|p| p.line()).unwrap_or(1);
        let e = e.to_string();
        Error::input(
            Location::at(file, line),
            text!("无法读取 CSV 表头：{e}", "cannot read the CSV header: {e}"),
        )
    })?;
    Ok(record
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect())
}
