//! One sheet of an XLSX workbook into a [`RawTable`] (through calamine), with the checks
//! calamine does not make: ZIP and shared-string bombs, rows stored twice, formulas without
//! values, percent-formatted cells, the active sheet.

use std::collections::BTreeMap;
use std::io::Cursor;

use crate::error::{Error, Location, ReadProblem, Result};

use super::notes::{strip_trailing_notes, title_rows};
use super::numbers::{float_text, percent_text};
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
        check_shared_strings(label, bytes)?;
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(Cursor::new(bytes)).map_err(damaged)?;
        let names = book.sheet_names();
        let name = sheet_name(label, bytes, book.sheets_metadata(), &names, sheet)?;
        sheet_is_sound(label, bytes, &name)?;
        let sheet_label = if names.len() > 1 || sheet.is_some() {
            format!("{label} (sheet {name})")
        } else {
            label.to_string()
        };
        let mut cells: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
        let mut dates: Vec<(u32, u32)> = Vec::new();
        let percent = percent_cells(bytes, &name);
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
    bytes: &[u8],
    sheets: &[calamine::Sheet],
    names: &[String],
    sheet: Option<&str>,
) -> Result<String> {
    match sheet {
        None => default_sheet(bytes, sheets).ok_or_else(|| {
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
fn sheet_is_sound(label: &str, bytes: &[u8], name: &str) -> Result<()> {
    if let Some(row) = duplicate_row(bytes, name) {
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
    let uncalculated = formulas_without_values(bytes, name);
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
fn default_sheet(bytes: &[u8], sheets: &[calamine::Sheet]) -> Option<String> {
    let visible = |s: &calamine::Sheet| {
        s.visible == calamine::SheetVisible::Visible
            && matches!(s.typ, calamine::SheetType::WorkSheet)
    };
    let active = active_tab(bytes).unwrap_or(0);
    sheets
        .get(active)
        .filter(|s| visible(s))
        .or_else(|| sheets.iter().find(|s| visible(s)))
        .map(|s| s.name.clone())
}

/// `activeTab` of the first `workbookView` in `xl/workbook.xml` (0 when absent).
fn active_tab(bytes: &[u8]) -> Option<usize> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let file = zip.by_name("xl/workbook.xml").ok()?;
    let mut xml = Vec::new();
    file.take(MAX_XLSX_EXPANDED).read_to_end(&mut xml).ok()?;
    const KEY: &[u8] = b"activeTab=";
    let at = xml.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let rest = xml.get(at + 1..)?;
    let end = rest.iter().position(|b| !b.is_ascii_digit())?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// The value of attribute `key` in the text of one XML start tag.
fn xml_attribute<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].chars().next_back();
        let after = &rest[i + key.len()..];
        rest = after;
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(v) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let v = v.trim_start();
        let quote = v.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let v = &v[1..];
        return v.find(quote).map(|end| &v[..end]);
    }
    None
}

/// Every start tag `<name …>` (or `<name …/>`) of an XML text.
fn xml_tags<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{name}");
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let i = xml[at..].find(&open)? + at;
        let end = xml[i..].find('>')? + i;
        at = end + 1;
        let next = xml[i + open.len()..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '/' || c == '>') {
            return Some(&xml[i..=end]);
        }
    })
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The XML of worksheet `sheet` (its part found through `xl/workbook.xml` and its
/// relationships), or `None` when it cannot be found.
fn sheet_xml(bytes: &[u8], sheet: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let workbook = zip_part(&mut zip, "xl/workbook.xml")?;
    let rid = xml_tags(&workbook, "sheet")
        .find(|t| xml_attribute(t, "name").is_some_and(|n| xml_unescape(n) == sheet))
        .and_then(|t| xml_attribute(t, "r:id"))?
        .to_string();
    let rels = zip_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let target = xml_tags(&rels, "Relationship")
        .find(|t| xml_attribute(t, "Id") == Some(rid.as_str()))
        .and_then(|t| xml_attribute(t, "Target"))?;
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    zip_part(&mut zip, &path)
}

/// One part of a workbook as text (at most [`MAX_XLSX_EXPANDED`] bytes).
fn zip_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    use std::io::Read;
    let file = zip.by_name(name).ok()?;
    let mut xml = Vec::new();
    file.take(MAX_XLSX_EXPANDED).read_to_end(&mut xml).ok()?;
    String::from_utf8(xml).ok()
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

/// Cells (0-based row, column) of worksheet `sheet` whose style has a percent number
/// format ([`is_percent_format`]): the `s` attribute of each `<c>` indexes `<cellXfs>` of
/// `xl/styles.xml`, whose `numFmtId` is built in or defined in `<numFmts>`. calamine
/// exposes only date formats, so the parts are read here; a part that cannot be read
/// gives no percent cells.
fn percent_cells(bytes: &[u8], sheet: &str) -> std::collections::HashSet<(u32, u32)> {
    let mut out = std::collections::HashSet::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let Some(styles) = zip_part(&mut zip, "xl/styles.xml") else {
        return out;
    };
    let codes: BTreeMap<u32, String> = xml_tags(&styles, "numFmt")
        .filter_map(|t| {
            let id = xml_attribute(t, "numFmtId")?.trim().parse().ok()?;
            Some((id, xml_unescape(xml_attribute(t, "formatCode")?)))
        })
        .collect();
    let Some(xfs) = styles
        .find("<cellXfs")
        .map(|i| &styles[i..])
        .map(|s| s.find("</cellXfs>").map_or(s, |e| &s[..e]))
    else {
        return out;
    };
    let percent_styles: Vec<bool> = xml_tags(xfs, "xf")
        .map(|t| {
            xml_attribute(t, "numFmtId")
                .and_then(|v| v.trim().parse::<u32>().ok())
                .is_some_and(|id| is_percent_format(id, codes.get(&id).map(String::as_str)))
        })
        .collect();
    if !percent_styles.contains(&true) {
        return out;
    }
    drop(zip);
    let Some(xml) = sheet_xml(bytes, sheet) else {
        return out;
    };
    for tag in xml_tags(&xml, "c") {
        let percent = xml_attribute(tag, "s")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .is_some_and(|s| percent_styles.get(s).copied().unwrap_or(false));
        if let Some(pos) = percent.then(|| xml_attribute(tag, "r")).flatten() {
            if let Some(rc) = cell_reference(pos) {
                out.insert(rc);
            }
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

/// Cells (at most five, `B2`…) of sheet `sheet` that hold a formula but no cached value:
/// calamine reads them as empty. Found by scanning the sheet's XML (its part through
/// `xl/workbook.xml` and its relationships), without evaluating anything.
fn formulas_without_values(bytes: &[u8], sheet: &str) -> Vec<String> {
    let Some(xml) = sheet_xml(bytes, sheet) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = xml[at..].find("<c").map(|i| i + at) {
        at = i + 2;
        if !xml[at..].starts_with(|c: char| c.is_whitespace() || c == '>') {
            continue;
        }
        let Some(tag_end) = xml[i..].find('>').map(|e| e + i) else {
            break;
        };
        let tag = &xml[i..=tag_end];
        if tag.ends_with("/>") {
            continue;
        }
        let Some(close) = xml[tag_end..].find("</c>").map(|e| e + tag_end) else {
            break;
        };
        let body = &xml[tag_end + 1..close];
        let has = |name: &str| xml_tags(body, name).next().is_some();
        if has("f") && !has("v") && !has("is") {
            out.push(xml_attribute(tag, "r").unwrap_or("?").to_string());
            if out.len() == 5 {
                break;
            }
        }
        at = close;
    }
    out
}

/// The first row number (`<row r="2">`) that sheet `sheet` stores twice: calamine keeps
/// the last silently.
fn duplicate_row(bytes: &[u8], sheet: &str) -> Option<u64> {
    let xml = sheet_xml(bytes, sheet)?;
    let mut seen = std::collections::HashSet::new();
    let dup = xml_tags(&xml, "row")
        .filter_map(|t| xml_attribute(t, "r")?.parse::<u64>().ok())
        .find(|&r| !seen.insert(r));
    dup
}

/// Most a workbook may expand to (all its parts, uncompressed).
const MAX_XLSX_EXPANDED: u64 = 64 << 20;

/// Largest shared-strings part inspected by [`check_shared_strings`].
const MAX_SHARED_STRINGS: u64 = 256 << 20;

/// calamine reserves memory for the `uniqueCount` that `xl/sharedStrings.xml` declares
/// before it reads a single string, so a damaged count (`uniqueCount="888888888888883"`,
/// found by fuzzing) aborts the process. A count larger than the part's size in bytes
/// cannot be true (each string takes at least `<si/>`): refuse the workbook instead.
///
/// It also bounds what the workbook expands to: the parts are decompressed (into
/// nothing) before calamine reads them, and a workbook whose parts exceed
/// [`MAX_XLSX_EXPANDED`] in all — a ZIP bomb, or a sheet far beyond any registry or
/// observations table — is refused, whatever sizes its directory declares.
fn check_shared_strings(label: &str, bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a readable ZIP: calamine reports it
    };
    let mut expanded: u64 = 0;
    let too_big = || {
        Error::input(
            Location::file(label),
            text!(
"工作簿解压后超过 {} MB：应为地区名录、观测值或方案表（文件是否损坏或异常？请将该表另存为 CSV UTF-8）",
"the workbook expands to more than {} MB: expected a registry, observations or plan table (is it a damaged or hostile file? save the sheet as CSV UTF-8)",
                MAX_XLSX_EXPANDED >> 20
            ),
        )
    };
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        if expanded.saturating_add(file.size()) > MAX_XLSX_EXPANDED {
            return Err(too_big());
        }
        let left = MAX_XLSX_EXPANDED - expanded;
        // A read error midway is calamine's to report; count what was read.
        let n = std::io::copy(&mut file.take(left + 1), &mut std::io::sink()).unwrap_or(0);
        expanded += n;
        if expanded > MAX_XLSX_EXPANDED {
            return Err(too_big());
        }
    }
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        let name = file.name().replace('\\', "/").to_ascii_lowercase();
        if !name.ends_with("sharedstrings.xml") {
            continue;
        }
        let mut part = Vec::new();
        // A read error midway still leaves the start, where the count is.
        let _ = file.take(MAX_SHARED_STRINGS).read_to_end(&mut part);
        if let Some(n) = declared_counts(&part).max() {
            if n > part.len() as u64 {
                return Err(Error::input(
                    Location::file(label),
                    text!(
"应为 .xlsx 工作簿，但文件已损坏：其共享字符串表在 {} 字节中声明了 {n} 个字符串；请在 Excel/WPS 中打开后重新保存，或另存为 CSV UTF-8",
"expected an .xlsx workbook, but it is damaged: its shared-string table declares {n} strings in {} bytes; open and save it again in Excel/WPS, or save it as CSV UTF-8",
                        part.len()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Every `uniqueCount="N"` attribute value in an XML part.
fn declared_counts(xml: &[u8]) -> impl Iterator<Item = u64> + '_ {
    const KEY: &[u8] = b"uniqueCount";
    xml.windows(KEY.len())
        .enumerate()
        .filter(|(_, w)| *w == KEY)
        .filter_map(move |(i, _)| {
            let rest = &xml[i + KEY.len()..];
            let rest = rest
                .trim_ascii_start()
                .strip_prefix(b"=")?
                .trim_ascii_start();
            let (&quote, rest) = rest.split_first()?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let end = rest.iter().position(|&b| b == quote)?;
            let value = std::str::from_utf8(&rest[..end]).ok()?;
            value.trim().trim_start_matches('+').parse::<u64>().ok()
        })
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
