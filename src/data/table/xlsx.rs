//! One sheet of an XLSX workbook into a [`RawTable`] (through calamine), with the checks
//! calamine does not make: ZIP and shared-string bombs, rows stored twice, formulas without
//! values, percent-formatted cells, the active sheet.

use std::collections::BTreeMap;
use std::io::Cursor;

use crate::error::{Error, Location, ReadProblem, Result};

use super::notes::{strip_trailing_notes, title_rows};
use super::numbers::{float_text, percent_text};
use quick_xml::events::Event;

use super::parts::{attribute, start_tags, unescape, xml_events, WorkbookParts};
use super::raw::{clean_header, empty_file, RawRow, RawTable};

impl RawTable {
    /// Reads one sheet of an XLSX workbook: the first sheet, or `sheet` by name. The header
    /// is the first non-empty row (one-cell title rows above it are skipped, see
    /// `title_rows`); numbers are written in their shortest exact form (a year stored as
    /// 2022.0 reads as `2022`), and a percent-formatted number as the percentage Excel
    /// shows (0.098 formatted `0.0%` reads as `9.8`, see `percent_text`). Trailing note
    /// rows are set aside with a warning (`strip_trailing_notes`).
    pub fn from_spreadsheet(label: &str, bytes: &[u8], sheet: Option<&str>) -> Result<RawTable> {
        use calamine::Reader;
        not_legacy_xls(label, bytes)?;
        let damaged = |e: calamine::XlsxError| {
            Error::input(
                Location::file(label),
                text!(
"应为 .xlsx 工作簿，但无法读取（{e}）；请在 Excel/WPS 中打开后重新保存，或另存为 CSV UTF-8",
"expected an .xlsx workbook, but it cannot be read ({e}); open and save it again in Excel/WPS, or save it as CSV UTF-8"),
            )
        };
        let mut parts = WorkbookParts::open(label, bytes)?;
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(Cursor::new(bytes)).map_err(damaged)?;
        let names = book.sheet_names();
        let name = sheet_name(label, &parts, book.sheets_metadata(), &names, sheet)?;
        let xml = parts.sheet(&name);
        sheet_is_sound(label, xml.as_deref(), &name)?;
        let sheet_label = if names.len() > 1 || sheet.is_some() {
            format!("{label} (sheet {name})")
        } else {
            label.to_string()
        };
        let mut cells: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
        let mut dates: Vec<(u32, u32)> = Vec::new();
        let percent = percent_cells(parts.styles(), xml.as_deref());
        {
            let mut reader = book.worksheet_cells_reader(&name).map_err(damaged)?;
            while let Some(cell) = reader.next_cell().map_err(damaged)? {
                let (r, c) = cell.get_position();
                let text = if percent.contains(&(r, c)) {
                    percent_cell_text(cell.get_value())
                } else {
                    cell_text(cell.get_value())
                };
                if !text.trim().is_empty() {
                    if matches!(cell.get_value(), calamine::DataRef::DateTime(_)) {
                        dates.push((r, c));
                    }
                    cells.entry(r).or_default().insert(c, text);
                }
            }
        }
        let cells: Vec<(u32, BTreeMap<u32, String>)> = cells.into_iter().collect();
        let skip = title_rows(&cells, |(_, cols)| cols.len());
        let mut row_iter = cells.into_iter().skip(skip);
        let Some((header_row, header_cells)) = row_iter.next() else {
            return Err(empty_file(&sheet_label));
        };
        let first = header_cells.keys().next().copied().unwrap_or(0);
        let last = header_cells.keys().next_back().copied().unwrap_or(0);
        if last - first >= 16_384 {
            return Err(Error::input(
                Location::at(&sheet_label, u64::from(header_row) + 1),
                text!(
                    "表头行应至多有 16,384 列",
                    "expected at most 16,384 columns in the header row"
                ),
            ));
        }
        // Cells right of the header are ignored; a row is as long as its last cell.
        let spread = |cols: BTreeMap<u32, String>| -> Vec<String> {
            let used = cols.range(first..=last).next_back().map(|(&c, _)| c);
            let mut v = vec![String::new(); used.map_or(0, |c| (c - first + 1) as usize)];
            for (c, text) in cols.into_iter().filter(|(c, _)| (first..=last).contains(c)) {
                v[(c - first) as usize] = text;
            }
            v
        };
        let headers = spread(header_cells)
            .iter()
            .map(|h| clean_header(h))
            .collect();
        let mut rows: Vec<RawRow> = row_iter
            .map(|(r, cols)| RawRow {
                line: u64::from(r) + 1,
                cells: spread(cols),
            })
            .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        let warnings = strip_trailing_notes(&sheet_label, "row", &mut rows)
            .into_iter()
            .collect();
        let date_cells = dates
            .into_iter()
            .filter(|&(_, c)| c >= first)
            .map(|(r, c)| (u64::from(r) + 1, (c - first) as usize))
            .collect();
        Ok(RawTable {
            label: sheet_label,
            headers,
            header_line: u64::from(header_row) + 1,
            rows,
            first_column: first,
            date_cells,
            warnings,
        })
    }
}

/// Refuses a legacy `.xls` workbook (or an encrypted `.xlsx`, stored the same way).
fn not_legacy_xls(label: &str, bytes: &[u8]) -> Result<()> {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(Error::input(
            Location::file(label),
            text!("应为 CSV 或 .xlsx，却是旧式 .xls 工作簿（或加密的 .xlsx）；请另存为 .xlsx（Excel 2007 及以后）或 CSV UTF-8", "expected CSV or .xlsx, found a legacy .xls workbook (or an encrypted .xlsx); save it as .xlsx (Excel 2007+) or CSV UTF-8"),
        ));
    }
    Ok(())
}

/// The sheet to read: `want` by name (exact, else trimmed and ignoring ASCII case), or
/// without `--sheet` the default one ([`default_sheet`]).
fn sheet_name(
    label: &str,
    parts: &WorkbookParts<'_>,
    sheets: &[calamine::Sheet],
    names: &[String],
    sheet: Option<&str>,
) -> Result<String> {
    match sheet {
        None => default_sheet(parts, sheets).ok_or_else(|| {
            Error::input(
                Location::file(label),
                text!(
                    "工作簿中没有可见的工作表",
                    "the workbook has no visible sheet"
                ),
            )
        }),
        Some(want) => names
            .iter()
            .find(|n| n.as_str() == want)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(want.trim()))
            })
            .cloned()
            .ok_or_else(|| Error::Read {
                location: Location::file(label),
                problem: ReadProblem::NoSuchSheet {
                    want: want.to_string(),
                    sheets: names.to_vec(),
                },
            }),
    }
}

/// Refuses a sheet that calamine would misread in silence: a row stored twice (calamine
/// keeps the last) or formulas without saved values (calamine reads them as empty).
fn sheet_is_sound(label: &str, xml: Option<&str>, name: &str) -> Result<()> {
    if let Some(row) = xml.and_then(duplicate_row) {
        return Err(Error::input(
                    Location::at(label, row),
                    text!(
    "工作表“{name}”：第{row}行在工作簿中存了两次（文件已损坏或由程序生成，Excel 不会这样写）：每行应只存一次——请在 Excel/WPS 中打开后重新保存，或另存为 CSV UTF-8",
    "sheet {name:?}: row {row} is stored twice in the workbook (a damaged or \
                         generated file; Excel never writes this): expected each row once — open \
                         and save it in Excel/WPS, or save it as CSV UTF-8"
                    ),
                ));
    }
    let uncalculated = xml.map(formulas_without_values).unwrap_or_default();
    if !uncalculated.is_empty() {
        return Err(Error::input(Location::file(label), {
            let (cells_zh, cells) = (uncalculated.join("、"), uncalculated.join(", "));
            let (s, holds) = if uncalculated.len() > 1 {
                ("s", "")
            } else {
                ("", "s")
            };
            text!(
                            "工作表“{name}”：单元格 {cells_zh} 含有公式但没有保存计算结果（该工作簿由不计算公式的程序写出）：应为数值——请在 Excel/WPS 中打开后保存，或粘贴为数值",
                            "sheet {name:?}: cell{s} {cells} hold{holds} a formula without a saved value (the workbook was written by a program that does not calculate): expected values — open and save it in Excel/WPS, or paste the values"
                        )
        }));
    }
    Ok(())
}

/// The sheet read without `--sheet`: the workbook's active sheet (the tab Excel opens)
/// when it is visible, else the first visible sheet — never a hidden one.
fn default_sheet(parts: &WorkbookParts<'_>, sheets: &[calamine::Sheet]) -> Option<String> {
    let visible = |s: &calamine::Sheet| {
        s.visible == calamine::SheetVisible::Visible
            && matches!(s.typ, calamine::SheetType::WorkSheet)
    };
    let active = parts.active_tab().unwrap_or(0);
    sheets
        .get(active)
        .filter(|s| visible(s))
        .or_else(|| sheets.iter().find(|s| visible(s)))
        .map(|s| s.name.clone())
}

/// True for an Excel number format that shows a number as a percentage: the built-in
/// formats 9 (`0%`) and 10 (`0.00%`), or a format code with a `%` outside quotes,
/// brackets and escapes (`0.0%`, `0.00%;[Red]-0.00%`; not `0.0"%"` nor `0.0\%`, which show
/// a percent sign without scaling).
pub(crate) fn is_percent_format(id: u32, code: Option<&str>) -> bool {
    if matches!(id, 9 | 10) {
        return true;
    }
    let Some(code) = code else { return false };
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            '%' if !bracket => return true,
            _ => {}
        }
    }
    false
}

/// Cells (0-based row, column) of a worksheet (its XML `sheet`) whose style has a percent
/// number format ([`is_percent_format`]): the `s` attribute of each `<c>` indexes
/// `<cellXfs>` of `xl/styles.xml` (`styles`), whose `numFmtId` is built in or defined in
/// `<numFmts>`. calamine exposes only date formats, so the parts are read here; a part
/// that cannot be read gives no percent cells.
fn percent_cells(
    styles: Option<&str>,
    sheet: Option<&str>,
) -> std::collections::HashSet<(u32, u32)> {
    let mut out = std::collections::HashSet::new();
    let Some(styles) = styles else {
        return out;
    };
    let percent_styles = percent_styles(styles);
    if !percent_styles.contains(&true) {
        return out;
    }
    let Some(xml) = sheet else {
        return out;
    };
    for tag in start_tags(xml.as_bytes(), b"c") {
        let percent = attribute(&tag, b"s")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .is_some_and(|s| percent_styles.get(s).copied().unwrap_or(false));
        if let Some(pos) = percent.then(|| attribute(&tag, b"r")).flatten() {
            if let Some(rc) = cell_reference(&pos) {
                out.insert(rc);
            }
        }
    }
    out
}

/// For each cell style (`<xf>` of `<cellXfs>`, in order) of `xl/styles.xml`: whether its
/// number format shows a percentage ([`is_percent_format`], the format codes taken from
/// the `<numFmt>` tags).
fn percent_styles(styles: &str) -> Vec<bool> {
    let codes: BTreeMap<u32, String> = start_tags(styles.as_bytes(), b"numFmt")
        .filter_map(|t| {
            let id = attribute(&t, b"numFmtId")?.trim().parse().ok()?;
            Some((id, unescape(&attribute(&t, b"formatCode")?)))
        })
        .collect();
    let mut in_cell_xfs = false;
    let mut out = Vec::new();
    for event in xml_events(styles.as_bytes()) {
        match event {
            Event::Start(t) if t.name().as_ref() == b"cellXfs" => in_cell_xfs = true,
            Event::End(t) if t.name().as_ref() == b"cellXfs" => break,
            Event::Start(t) | Event::Empty(t) if in_cell_xfs && t.name().as_ref() == b"xf" => {
                out.push(
                    attribute(&t, b"numFmtId")
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .is_some_and(|id| {
                            is_percent_format(id, codes.get(&id).map(String::as_str))
                        }),
                );
            }
            _ => {}
        }
    }
    out
}

/// `B3` → (2, 1): 0-based row and column of an A1-style cell reference.
pub(super) fn cell_reference(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].bytes().try_fold(0u32, |acc, b| {
        Some(acc * 26 + u32::from(b.to_ascii_uppercase().checked_sub(b'A')?) + 1)
    })?;
    let row: u32 = r[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The text of a percent-formatted number cell: its value × 100, as Excel shows it.
fn percent_cell_text(v: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef as D;
    match v {
        D::Int(i) => i
            .checked_mul(100)
            .map_or_else(|| percent_text(*i as f64), |p| p.to_string()),
        D::Float(f) => percent_text(*f),
        other => cell_text(other),
    }
}

/// Cells (at most five, `B2`…) of a worksheet (its XML) that hold a formula (`<f>`) but
/// neither a cached value (`<v>`) nor inline text (`<is>`): calamine reads them as empty.
/// Found by scanning the sheet's XML, without evaluating anything.
fn formulas_without_values(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The open cell: its reference, and whether <f>, <v>, <is> were seen in it.
    let mut cell: Option<(Option<String>, [bool; 3])> = None;
    for event in xml_events(xml.as_bytes()) {
        match event {
            Event::Start(t) if t.name().as_ref() == b"c" => {
                cell = Some((attribute(&t, b"r"), [false; 3]));
            }
            Event::Start(t) | Event::Empty(t) => {
                if let Some((_, seen)) = cell.as_mut() {
                    let parts: [&[u8]; 3] = [b"f", b"v", b"is"];
                    if let Some(k) = parts.iter().position(|p| *p == t.name().as_ref()) {
                        seen[k] = true;
                    }
                }
            }
            Event::End(t) if t.name().as_ref() == b"c" => {
                if let Some((r, [true, false, false])) = cell.take() {
                    out.push(r.unwrap_or_else(|| "?".to_string()));
                    if out.len() == 5 {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The first row number (`<row r="2">`) that a worksheet (its XML) stores twice: calamine
/// keeps the last silently.
fn duplicate_row(xml: &str) -> Option<u64> {
    let mut seen = std::collections::HashSet::new();
    let dup = start_tags(xml.as_bytes(), b"row")
        .filter_map(|t| attribute(&t, b"r")?.parse::<u64>().ok())
        .find(|&r| !seen.insert(r));
    dup
}

/// Text of a spreadsheet cell: numbers in their shortest exact form, integers without a
/// decimal point, errors as Excel shows them (`#DIV/0!`).
fn cell_text(v: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef as D;
    match v {
        D::Int(i) => i.to_string(),
        D::Float(f) => float_text(*f),
        D::String(s) => s.clone(),
        D::SharedString(s) => s.to_string(),
        D::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        // A year typed into a date-formatted cell keeps its number (2022 stays 2022).
        D::DateTime(d) => float_text(d.as_f64()),
        D::DateTimeIso(s) | D::DurationIso(s) => s.clone(),
        D::Error(e) => e.to_string(),
        D::Empty => String::new(),
    }
}
