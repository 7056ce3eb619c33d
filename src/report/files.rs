//! The files of a report directory: report.html, report.md, report.docx, charts/ (PNG and
//! SVG) and tables/ (every table as CSV, all of them in tables/report.xlsx), rendered in
//! memory and swapped in whole.

use std::path::{Path, PathBuf};

use crate::assess::AssessRow;
use crate::error::Result;
use crate::output::tables;
use crate::output::{write_atomic, Table};
use crate::report::docx;
use crate::report::types::Report;

/// Writes the report into `dir`: report.html, report.md, report.docx, charts/, tables/ (every table as CSV,
/// and all of them as the sheets of tables/report.xlsx). Everything is
/// rendered in memory first, written into a temporary sibling directory and swapped in
/// ([`crate::output::safety::replace_dir`]): a failure leaves the previous report as it was, and a
/// rerun leaves exactly the files of that run.
pub fn write(report: &Report, dir: &Path) -> Result<()> {
    let files = render_files(report)?;
    crate::output::safety::replace_dir(dir, |tmp| {
        for (path, bytes) in &files {
            write_atomic(&tmp.join(path), bytes)?;
        }
        Ok(())
    })
}

/// Every file of the report, by path relative to the report directory: what [`write`](fn@write)
/// writes (`litmon serve` zips them).
pub fn render_files(report: &Report) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let dir = Path::new("");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut pngs: Vec<(String, Vec<u8>)> = Vec::new();
    let bar = crate::output::term::bar(report.charts.len() as u64, "rendering charts", false);
    for c in &report.charts {
        if let Some(b) = &bar {
            b.inc(1);
        }
        files.push((
            dir.join("charts").join(format!("{}.svg", c.stem)),
            c.svg.text.clone().into_bytes(),
        ));
        let png = c.svg.to_png()?;
        files.push((
            dir.join("charts").join(format!("{}.png", c.stem)),
            png.clone(),
        ));
        pngs.push((c.stem.clone(), png));
    }
    let mut tables = report_tables(report)?;
    for (name, table) in &mut tables {
        files.push((
            dir.join("tables").join(format!("{name}.csv")),
            table.to_csv(),
        ));
        table.sheet_name = (*name).to_string();
        table.lang = report.lang;
    }
    let sheets: Vec<&Table> = tables.iter().map(|(_, t)| t).collect();
    files.push((
        dir.join("tables").join("report.xlsx"),
        crate::output::workbook_xlsx(&sheets)?,
    ));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let doc = report.document();
    files.push((
        dir.join("report.html"),
        doc.to_html(report.embed_font).into_bytes(),
    ));
    files.push((dir.join("report.md"), doc.to_markdown().into_bytes()));
    let charts: Vec<docx::ChartPng<'_>> = pngs
        .iter()
        .map(|(stem, png)| docx::ChartPng { stem, png })
        .collect();
    files.push((dir.join("report.docx"), doc.to_docx(&charts)?));
    Ok(files)
}

/// The report's tables, by file name.
pub fn report_tables(report: &Report) -> Result<Vec<(&'static str, Table)>> {
    let mut checksums = Table::new(vec!["file", "sha256", "bytes"]);
    for i in &report.inputs {
        checksums.rows.push(vec![
            crate::output::Cell::text(&i.label),
            crate::output::Cell::text(&i.sha256),
            crate::output::Cell::Int(i.bytes as i64),
        ]);
    }
    let mut sources = Table::new(vec!["kind", "jurisdiction", "year", "credit", "source"]);
    for r in &report.source_rows {
        sources.rows.push(vec![
            crate::output::Cell::text(r.kind),
            crate::output::Cell::text(&r.jurisdiction),
            crate::output::Cell::text(&r.year),
            crate::output::Cell::text(&r.credit),
            crate::output::Cell::text(&r.source),
        ]);
    }
    let status_rows: Vec<AssessRow> = report
        .milestone_rows
        .iter()
        .chain(&report.context_rows)
        .cloned()
        .collect();
    Ok(vec![
        (
            "status",
            tables::assess_table(&status_rows, report.percent)?,
        ),
        (
            "projections",
            tables::project_table(&report.projections, report.percent, |_| String::new())?,
        ),
        ("indicators", tables::indicators_table(&report.progress)?),
        ("inputs", checksums),
        ("sources", sources),
    ])
}
