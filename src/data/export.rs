//! `litmon data export -o DIR`: the active dataset written as a `--data` folder
//! (`jurisdictions.csv`, `observations.csv`, `plans/*.toml` or one plan sheet
//! `plans/方案.xlsx`), to start a local dataset from the embedded one.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Dataset;
use crate::output::tables::ObservationRecord;
use crate::output::{Cell, Table};

/// The registry in the `jurisdictions.csv` layout.
pub fn jurisdictions_table(ds: &Dataset) -> Table {
    // The columns the registry reader knows, in its order.
    let mut t = Table::new(super::HeaderKind::Jurisdictions.known_columns().to_vec());
    for j in ds.jurisdictions() {
        t.rows.push(vec![
            Cell::text(&j.id),
            Cell::text(&j.name_zh),
            Cell::text(&j.name_en),
            Cell::text(j.level.as_str()),
            Cell::text(j.parent.clone().unwrap_or_default()),
            Cell::text(&j.full_name_zh),
            Cell::text(if j.statistical_zone { "yes" } else { "" }),
        ]);
    }
    t
}

/// The observations in the `observations.csv` layout (with the `cite` column).
pub fn observations_table(ds: &Dataset) -> Result<Table> {
    /// An observation with its citation, the last column.
    #[derive(serde::Serialize, Default)]
    struct Cited<'a> {
        observation: ObservationRecord<'a, f64>,
        cite: Option<&'a str>,
    }
    let records: Vec<Cited> = ds
        .observations
        .iter()
        .map(|o| Cited {
            observation: ObservationRecord {
                jurisdiction: o.jurisdiction.as_str().into(),
                indicator: &o.indicator,
                year: o.year,
                value: o.value,
                se: o.se,
                n: o.n,
                source: o.source.as_str().into(),
            },
            cite: o.cite.as_deref(),
        })
        .collect();
    Ok(Table::from_records(&records)?)
}

/// How `data export` writes the plans (`--plans-as`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlansAs {
    /// One TOML file per plan (`plans/<id>.toml`).
    #[default]
    Toml,
    /// One plan sheet holding every plan (`plans/方案.xlsx`, the layout of
    /// [`crate::data::plan_sheet`]).
    Xlsx,
}

/// Writes the dataset into `dir` (created; it must be new or empty). Plan files are named
/// by their plan ids, made safe and unique ([`crate::output::safety::StemSet`]).
pub fn export(
    ds: &Dataset,
    dir: &Path,
    protected: &crate::output::safety::Protected,
) -> Result<()> {
    export_with(ds, dir, protected, PlansAs::Toml)
}

/// [`export`] with the plans written as `plans_as` says. As a sheet the plans lose what
/// the sheet has no column for (English titles, issue dates, sources, English indicator
/// names, an indicator's own period).
pub fn export_with(
    ds: &Dataset,
    dir: &Path,
    protected: &crate::output::safety::Protected,
    plans_as: PlansAs,
) -> Result<()> {
    let shown = crate::output::safety::echo(&dir.display().to_string());
    if !dir.exists() && std::fs::symlink_metadata(dir).is_ok() {
        return Err(Error::usage(text!(
"-o {shown}：是指向不存在路径的符号链接；请删除该链接，或给出写入数据集的新目录或空目录",
"-o {shown}: is a symbolic link to a path that does not exist; remove the link or \
             give a new or empty directory to write the dataset into"
        )));
    }
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !empty {
            return Err(Error::usage(text!(
                "-o {shown}：应为写入数据集的新目录或空目录",
                "-o {shown}: expected a new or empty directory to write the dataset into"
            )));
        }
    }
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = vec![
        (
            dir.join("jurisdictions.csv"),
            jurisdictions_table(ds).to_csv(),
        ),
        (
            dir.join("observations.csv"),
            observations_table(ds)?.to_csv(),
        ),
    ];
    let mut stems = crate::output::safety::StemSet::default();
    if plans_as == PlansAs::Xlsx && !ds.plans.is_empty() {
        let sheets = [
            crate::data::plan_sheet::plans_table(ds, &|_| true),
            crate::data::plan_sheet::explanation_table(),
        ];
        files.push((
            dir.join("plans").join("方案.xlsx"),
            crate::data::plan_sheet::workbook(&sheets)?,
        ));
    }
    for plan in ds.plans.iter().filter(|_| plans_as == PlansAs::Toml) {
        let text = toml::to_string(plan).map_err(|e| Error::Io {
            path: plan.origin.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let stem = stems.unique(&plan.id());
        files.push((
            dir.join("plans").join(format!("{stem}.toml")),
            text.into_bytes(),
        ));
    }
    for (path, _) in &files {
        protected.check_file(path)?;
        crate::output::safety::check_new_name(path)?;
    }
    let mkdir = |d: &Path| {
        std::fs::create_dir_all(d).map_err(|source| Error::Io {
            path: d.display().to_string(),
            source,
        })
    };
    let plans = dir.join("plans");
    if std::fs::symlink_metadata(&plans).is_ok_and(|m| !m.is_dir()) {
        return Err(Error::usage(text!(
"-o {shown}：plans 是文件或符号链接（可能指向不存在的位置）；应为写入数据集的新目录或空目录",
"-o {shown}: plans is a file or symbolic link (perhaps to nowhere); expected a new \
             or empty directory to write the dataset into"
        )));
    }
    mkdir(&plans)?;
    for (path, bytes) in files {
        crate::output::safety::write_new_name(&path, &bytes)?;
    }
    Ok(())
}
