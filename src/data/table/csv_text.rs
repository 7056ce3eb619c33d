//! CSV text into a [`RawTable`]: quoted fields, LF/CRLF/CR line ends, the formula guard
//! undone, over-long lines and unclosed quotes refused with their line.

use crate::error::{Error, Location, Result};

use super::encoding::line_breaks;
use super::notes::{filled_cells, strip_trailing_notes, title_rows};
use super::raw::{clean_header, empty_file, RawRow, RawTable};

impl RawTable {
    /// Parses CSV text (comma-separated, double quotes; rows may be short or long).
    ///
    /// Strict where silence would lose data: a quote that is never closed (it would swallow
    /// the rows below) and a row with more non-empty fields than the header are errors
    /// with their line. Lines end in LF, CRLF or a lone CR (old Mac files). A cell written
    /// with litmon's formula guard (`'=…`, see [`crate::output`]) reads back as written
    /// before the guard. As Excel writes a sheet: a title row above the header (one
    /// non-empty cell, the others empty) is skipped (`title_rows`), and note rows at the
    /// end (`注：…`, `数据来源：…`) are set aside with a warning (`strip_trailing_notes`).
    pub fn from_csv(label: &str, text: &str) -> Result<RawTable> {
        let text = text.trim_start_matches('\u{feff}');
        if let Some(line) = overlong_line(text.as_bytes()) {
            return Err(Error::input(
                Location::at(label, line),
                text!(
                    "有一行超过 {} MiB：每行应是表格的一行（这是 CSV 文件吗？）",
                    "a line longer than {} MiB: expected one table row per line (is this a CSV \
                     file?)",
                    MAX_LINE_BYTES >> 20
                ),
            ));
        }
        if let Some(line) =
            crate::survey::reader::unclosed_quote(text.as_bytes(), true).map(|l| l + 1)
        {
            return Err(Error::input(
                Location::at(label, line),
                text!("本行开始的带引号字段一直没有闭合：应有结束的 \"（带引号字段中的引号写作 \"\"）", "a quoted field opened on this line is never closed: expected a closing \" (a quote inside a quoted field is written \"\")"),
            ));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let bytes = text.as_bytes();
        // The csv crate counts a record's line from the end of the previous record, blank
        // lines included; count the line of its first byte instead.
        let (mut counted_to, mut newlines) = (0usize, 0u64);
        let mut line_of = |offset: usize| -> u64 {
            let mut start = offset.min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                start += 1;
            }
            if start >= counted_to {
                newlines += line_breaks(&bytes[counted_to..start]);
                counted_to = start;
            }
            newlines + 1
        };
        let mut records: Vec<(u64, Vec<String>)> = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(label, e))?;
            let line = rec
                .position()
                .map(|p| line_of(p.byte() as usize))
                .unwrap_or(0);
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            records.push((line, rec.iter().map(unguard).collect()));
        }
        let skip = title_rows(&records, |(_, cells)| filled_cells(cells));
        let mut records = records.into_iter().skip(skip);
        let Some((header_line, header)) = records.next() else {
            return Err(empty_file(label));
        };
        let headers: Vec<String> = header.iter().map(|h| clean_header(h)).collect();
        let mut rows: Vec<RawRow> = records
            .map(|(line, cells)| RawRow { line, cells })
            .collect();
        let warnings = strip_trailing_notes(label, "line", &mut rows)
            .into_iter()
            .collect();
        for row in &rows {
            let used = row
                .cells
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1);
            if used > headers.len() {
                return Err(Error::input(
                    Location::at(label, row.line).with_column(format!("{}", headers.len() + 1)),
                    text!(
"该行有 {used} 个字段，而表头只有 {} 个：应至多 {} 个（值中含逗号时需加引号，如 \"1,234\"）",
"the row has {used} fields but the header has {}: expected at most {} (a comma inside a value needs quotes, e.g. \"1,234\")",
                        headers.len(),
                        headers.len()
                    ),
                ));
            }
        }
        Ok(RawTable {
            label: label.to_string(),
            headers,
            header_line,
            rows,
            first_column: 0,
            date_cells: Vec::new(),
            warnings,
        })
    }
}

/// Undoes litmon's CSV formula guard: `'=…`, `'+…`, `'-…`, `'@…` read back without the
/// quote (see [`crate::output::guard_formula`]).
fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::output::looks_like_formula(rest) || rest.starts_with('\'') => {
            rest.to_string()
        }
        _ => cell.to_string(),
    }
}

/// Longest line of a table read into memory. Parsing costs about 20 bytes per byte of a
/// line of empty fields, so a line of 16 MiB stays far below the 2 GB goal; no registry,
/// observation or covariate row comes near it.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// The (1-based) line of the first line longer than [`MAX_LINE_BYTES`], if any.
fn overlong_line(bytes: &[u8]) -> Option<u64> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (line, end) in (1..).zip(ends) {
        if end - start > MAX_LINE_BYTES {
            return Some(line);
        }
        start = end + 1;
    }
    None
}

fn csv_error(label: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => text!("应为 UTF-8 文本", "expected UTF-8 text"),
        _ => text!(
            "CSV 格式有误（{e}）；请检查这一行的引号",
            "malformed CSV ({e}); check the quotes on this line"
        ),
    };
    Error::input(
        Location {
            file: label.to_string(),
            line,
            column: None,
        },
        message,
    )
}
